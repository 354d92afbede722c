/* smtp_probe: does sending work, without sending? `quire check` connects to the relay with the
 * sender's own settings, passes the greeting, EHLO, STARTTLS and AUTH, says MAIL FROM (with no
 * recipient and no data: nothing is sent) and quits; and
 * builds the one test mail that `quire check --send-test` and `quire mail test` send. */
#ifndef QUIRE_SMTP_PROBE_H
#define QUIRE_SMTP_PROBE_H
#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "config.h"
#include "smtp.h"

#define SMTP_PROBE_MSG_MAX 600

struct smtp_probe {
	bool connected;                    /* the relay greeted (220) */
	bool tls;                          /* TLS was used: smtps://, or STARTTLS accepted */
	bool tls_offered;                  /* EHLO listed STARTTLS */
	bool auth;                         /* AUTH accepted (235) */
	bool sender;                       /* MAIL FROM:<[mail] from> was answered 250 */
	bool last_mail_from;               /* the last command sent was that MAIL FROM */
	char greeting[SMTP_PROBE_MSG_MAX]; /* the relay's 220 line */
	char err[SMTP_PROBE_MSG_MAX];      /* the failure in plain words, "" when none */
	char answer[SMTP_PROBE_MSG_MAX];   /* the last line the relay sent */
	enum smtp_result result;
};

/* Probes the relay of c: one connection, no mail. 0 when every step passed, -1 when one failed
 * (out->err says which, in words); out is filled either way. transcript, when not NULL, gets the
 * conversation with credentials hidden. */
int smtp_probe_run(const struct config *c, struct smtp_probe *out, struct buf *transcript);
/* Sends the test mail to rcpt now (not through the outbox). 0 when the relay accepted it
 * (answer: its reply, e.g. "250 OK id=1q2w3e"), -1 with err in words. */
int smtp_probe_send(const struct config *c, const char *rcpt, char *answer, size_t answersz, char *err,
                    size_t errsz, struct buf *transcript);
/* The test mail from c's site to `to`, with the MIME shape of every notification; -1 on failure. */
int smtp_test_message(const struct config *c, const char *to, struct buf *msg);

#endif
