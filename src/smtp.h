/* smtp: sending one message at a time over one libcurl SMTP connection, reused across messages. */
#ifndef QUIRE_SMTP_H
#define QUIRE_SMTP_H
#include <stdbool.h>
#include <stddef.h>

struct smtp;

struct smtp_cfg {
	const char *url;                 /* smtp://host:port[/helo] or smtps://... */
	const char *username, *password; /* NULL or "": no AUTH */
	const char *starttls;            /* "try" (default), "require" or "no" */
	const char *from;                /* envelope sender address */
};

enum smtp_result {
	SMTP_SENT,
	SMTP_TRANSIENT, /* try again later: connection refused, timeout, 4xx */
	SMTP_PERMANENT, /* the server refused for good: 5xx */
};

struct smtp *smtp_open(const struct smtp_cfg *cfg);
/* Sends msg to rcpt. On failure err holds the reason and *code the SMTP reply code (0 if none). */
enum smtp_result smtp_send(struct smtp *s, const char *rcpt, const char *msg, size_t len, char *err,
                           size_t errsz, long *code);
void smtp_close(struct smtp *s);

#endif
