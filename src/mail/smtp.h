/* smtp: sending one message at a time over one libcurl SMTP connection, reused across messages. */
#ifndef QUIRE_SMTP_H
#define QUIRE_SMTP_H
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

struct smtp;

#define SMTP_TIMEOUT_DEFAULT 30L

struct smtp_cfg {
	const char *url;                 /* smtp://host:port[/helo] or smtps://... */
	const char *username, *password; /* NULL or "": no AUTH */
	const char *starttls;            /* "try" (default), "require" or "no" */
	const char *from;                /* envelope sender address */
	const char *ca_file;             /* PEM bundle that verifies the relay; NULL or "": the system's */
	const char *helo;                /* EHLO name when url has no path of its own */
	long timeout;                    /* seconds one message may take; 0: SMTP_TIMEOUT_DEFAULT */
	atomic_int *stop;                /* set by another thread: the send is abandoned within 1 s */
	struct buf *transcript;          /* when set: the conversation, credentials hidden */
};

enum smtp_result {
	SMTP_SENT,
	SMTP_TRANSIENT, /* try again later: connection refused, timeout, 4xx */
	SMTP_PERMANENT, /* the server refused this message for good: 5xx after DATA */
	SMTP_RECIPIENT, /* the server refused the recipient for good: 5xx to RCPT TO */
	SMTP_CONFIG,    /* no message can pass until [mail] is fixed: login refused, no TLS, bad cert */
	SMTP_STOPPED,   /* *stop was set: nothing was delivered */
};

struct smtp *smtp_open(const struct smtp_cfg *cfg);
/* Sends msg to rcpt. On failure err holds the reason in plain words and *code the SMTP reply
 * code (0 if none). */
enum smtp_result smtp_send(struct smtp *s, const char *rcpt, const char *msg, size_t len, char *err,
                           size_t errsz, long *code);
/* Connects as smtp_send does (greeting, EHLO, STARTTLS, AUTH, with the same options) and sends
 * one command that carries no mail ("NOOP", or a MAIL FROM that no RCPT or DATA follows), to learn whether
 * sending would work: SMTP_SENT when every step and the command passed, else as smtp_send, with err in plain
 * words. */
enum smtp_result smtp_command(struct smtp *s, const char *command, char *err, size_t errsz, long *code);
void smtp_close(struct smtp *s);

struct config;
/* The relay settings of [mail] in c, with the EHLO name (base_url's host) written into helo: the
 * one place the sender and `quire check`'s probe get them from, so that a probe that passes
 * means sending works. stop and transcript are left NULL for the caller. */
void smtp_cfg_from_config(const struct config *c, char *helo, size_t helosz, struct smtp_cfg *out);
/* The URL libcurl is given: url itself when it names a HELO (a path), else url + "/" + helo
 * (an IPv4 address as the literal [a.b.c.d]). -1 when out is too small. */
int smtp_url_with_helo(const char *url, const char *helo, char *out, size_t outsz);
/* Which result a libcurl code (a CURLcode), an SMTP reply code and libcurl's error text (which
 * names the command refused: "MAIL failed: 550", "RCPT failed: 550") mean. A sender refused is
 * a configuration error; only a recipient refused says anything about the address. */
enum smtp_result smtp_classify(int curl_code, long reply, const char *curl_error);
/* The TLS mode used: with credentials on smtp://, "try" becomes "require" (a password never
 * travels in clear unless starttls = no). */
const char *smtp_tls_mode(const struct smtp_cfg *cfg);

#endif
