/* smtp_probe: a relay's answers read from the conversation smtp.c records. The probe ends with
 * MAIL FROM, not NOOP: a relay that refuses the sender (no login, a domain it does not own)
 * refuses every mail, and only MAIL FROM shows it; without RCPT and DATA nothing is sent. */
#include "smtp_probe.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "mime.h"
#include "text.h"

#define HELO_MAX 256
#define PROBE_COMMAND "MAIL FROM:" /* + <from>; no RCPT and no DATA follow, so no mail */
#define PROBE_CMD_MAX (CONFIG_STR_MAX + 16)

/* Copies the rest of line (after "S: ") up to its end into out. */
static void copy_line(const char *p, char *out, size_t outsz)
{
	size_t n = strcspn(p, "\n");
	snprintf(out, outsz, "%.*s", (int)n, p);
}

/* Reads which steps passed from the transcript ("C: ..." and "S: ..." lines). */
static void read_steps(const char *t, bool smtps, struct smtp_probe *out)
{
	const char *last_cmd = "";
	size_t last_len = 0;
	bool tls_ready = false;
	out->tls = false;
	for (const char *p = t; *p;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		/* the QUIT libcurl says after a failure, and its 221, are not what failed */
		bool quit = last_len >= 4 && strncmp(last_cmd, "QUIT", 4) == 0;
		if (n > 3 && strncmp(p, "C: ", 3) == 0) {
			last_cmd = p + 3;
			last_len = n - 3;
			out->tls = out->tls || tls_ready; /* a command after STARTTLS: the handshake passed */
			if (strncmp(last_cmd, "QUIT", 4) != 0)
				out->last_mail_from =
				    strncmp(last_cmd, PROBE_COMMAND, strlen(PROBE_COMMAND)) == 0;
		} else if (n > 6 && strncmp(p, "S: ", 3) == 0 && !quit) {
			const char *r = p + 3;
			copy_line(r, out->answer, sizeof out->answer);
			bool ok2 = r[0] == '2', final = r[3] == ' ' || r[3] == '\r' || r[3] == '\0';
			if (!out->connected && strncmp(r, "220", 3) == 0 && last_len == 0) {
				out->connected = true;
				copy_line(r, out->greeting, sizeof out->greeting);
			} else if (last_len >= 4 && strncmp(last_cmd, "EHLO", 4) == 0 && n - 3 >= 12 &&
			           strncmp(r + 4, "STARTTLS", 8) == 0) {
				out->tls_offered = true;
			} else if (final && ok2 && last_len >= 8 && strncmp(last_cmd, "STARTTLS", 8) == 0) {
				tls_ready = true;
			} else if (final && strncmp(r, "235", 3) == 0) {
				out->auth = true;
			} else if (final && ok2 && last_len >= 4 &&
			           strncmp(last_cmd, PROBE_COMMAND, strlen(PROBE_COMMAND)) == 0) {
				out->sender = true;
			}
		}
		p += n + (nl != NULL);
	}
	if (smtps && out->connected)
		out->tls = true;
}

int smtp_probe_run(const struct config *c, struct smtp_probe *out, struct buf *transcript)
{
	memset(out, 0, sizeof *out);
	struct buf own = BUF_INIT;
	struct buf *t = transcript ? transcript : &own;
	char helo[HELO_MAX];
	struct smtp_cfg sc;
	smtp_cfg_from_config(c, helo, sizeof helo, &sc);
	sc.transcript = t;
	struct smtp *s = smtp_open(&sc);
	if (!s) {
		snprintf(out->err, sizeof out->err, "out of memory");
		out->result = SMTP_TRANSIENT;
		buf_free(&own);
		return -1;
	}
	long code = 0;
	char cmd[PROBE_CMD_MAX];
	snprintf(cmd, sizeof cmd, "%s<%s>", PROBE_COMMAND, c->mail_from);
	out->result = smtp_command(s, cmd, out->err, sizeof out->err, &code);
	read_steps(buf_cstr(t), strncmp(c->smtp_url, "smtps://", 8) == 0, out);
	smtp_close(s); /* says QUIT */
	buf_free(&own);
	if (out->result == SMTP_SENT && out->sender)
		return 0;
	/* the command refused is the sender: in smtp.c's words for a refused MAIL FROM */
	if (out->last_mail_from && code >= 400)
		snprintf(out->err, sizeof out->err,
		         "sender refused: the relay does not take mail from [mail] from%s (%.200s)",
		         *c->smtp_username ? "" : " (does it want a username and password?)", out->answer);
	else if (out->result == SMTP_SENT)
		snprintf(out->err, sizeof out->err, "the relay did not accept MAIL FROM (%.200s)",
		         out->answer);
	return -1;
}

int smtp_probe_send(const struct config *c, const char *rcpt, char *answer, size_t answersz, char *err,
                    size_t errsz, struct buf *transcript)
{
	struct buf msg = BUF_INIT, own = BUF_INIT;
	struct buf *t = transcript ? transcript : &own;
	char helo[HELO_MAX];
	struct smtp_cfg sc;
	struct smtp *s = NULL;
	int rc = -1;
	answer[0] = '\0';
	smtp_cfg_from_config(c, helo, sizeof helo, &sc);
	sc.transcript = t;
	if (smtp_test_message(c, rcpt, &msg) < 0 || !(s = smtp_open(&sc))) {
		snprintf(err, errsz, "could not build the test mail");
		goto out;
	}
	long code = 0;
	enum smtp_result res = smtp_send(s, rcpt, msg.p, msg.len, err, errsz, &code);
	/* the relay's answer to the end of DATA: the last line it sent before QUIT */
	struct smtp_probe steps = {0};
	read_steps(buf_cstr(t), false, &steps);
	snprintf(answer, answersz, "%s", steps.answer);
	rc = res == SMTP_SENT ? 0 : -1;
out:
	smtp_close(s);
	buf_free(&msg);
	buf_free(&own);
	return rc;
}

int smtp_test_message(const struct config *c, const char *to, struct buf *msg)
{
	struct buf from = BUF_INIT, text = BUF_INIT, html = BUF_INIT;
	char host[HELO_MAX];
	mime_url_host(c->base_url, host, sizeof host);
	mime_mailbox(&from, c->title, c->mail_from);
	buf_addf(&text, "This is a test mail from quire at %s.\nIf you can read it, [mail] works.\n",
	         c->base_url);
	buf_addf(&html,
	         "<!doctype html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\"><title>Test mail</title>"
	         "</head>\n<body><p>This is a test mail from quire at %s.</p>\n<p>If you can read it, "
	         "[mail] works.</p></body></html>\n",
	         c->language, c->base_url);
	const char *at = strchr(c->mail_from, '@');
	struct mime_msg m = {.from = buf_cstr(&from),
	                     .to = to,
	                     .subject = "Test mail from quire",
	                     .text = buf_cstr(&text),
	                     .html = buf_cstr(&html),
	                     .msgid_domain = mime_host_ok(host) ? host
	                                     : at               ? at + 1
	                                                        : "localhost",
	                     .date = time(NULL)};
	int rc = mime_build(&m, msg);
	buf_free(&from);
	buf_free(&text);
	buf_free(&html);
	return rc;
}
