/* mime: builds messages by hand; every header value passes header_value_ok first. */
#include "mime.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "text.h"

bool header_value_ok(const char *v)
{
	if (!v)
		return false;
	size_t n = strlen(v);
	if (n > HEADER_VALUE_MAX || !utf8_valid(v, n))
		return false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)v[i] < 0x20 || v[i] == 0x7F)
			return false;
	return true;
}

static bool ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80)
			return false;
	return true;
}

void mime_encode_word(struct buf *out, const char *s, bool fold)
{
	if (ascii(s)) {
		buf_adds(out, s);
		return;
	}
	/* words of at most 45 input bytes (60 base64 characters), cut on character boundaries */
	size_t n = strlen(s), off = 0;
	bool first = true;
	while (off < n) {
		size_t take = utf8_cut(s + off, n - off, 45);
		if (take == 0)
			take = 1;
		char b64[128];
		sodium_bin2base64(b64, sizeof b64, (const unsigned char *)s + off, take,
		                  sodium_base64_VARIANT_ORIGINAL);
		buf_addf(out, "%s=?UTF-8?B?%s?=", first ? "" : fold ? "\r\n " : " ", b64);
		first = false;
		off += take;
	}
}

static void base64_lines(struct buf *out, const char *s)
{
	size_t n = strlen(s);
	for (size_t off = 0; off < n; off += 57) {
		size_t take = n - off < 57 ? n - off : 57;
		char line[80];
		sodium_bin2base64(line, sizeof line, (const unsigned char *)s + off, take,
		                  sodium_base64_VARIANT_ORIGINAL);
		buf_adds(out, line);
		buf_adds(out, "\r\n");
	}
}

int mime_build(const struct mime_msg *m, struct buf *out)
{
	if (!header_value_ok(m->from) || !header_value_ok(m->to) || !header_value_ok(m->subject) ||
	    (m->list_unsubscribe && !header_value_ok(m->list_unsubscribe)) ||
	    !header_value_ok(m->msgid_domain))
		return -1;
	unsigned char rnd[16];
	char id[33], boundary[40], date[64];
	randombytes_buf(rnd, sizeof rnd);
	sodium_bin2hex(id, sizeof id, rnd, sizeof rnd);
	snprintf(boundary, sizeof boundary, "=_quire_%.24s", id + 8);
	struct tm tm;
	gmtime_r(&m->date, &tm);
	static const char *const wd[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
	static const char *const mo[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	snprintf(date, sizeof date, "%s, %02d %s %04d %02d:%02d:%02d +0000", wd[tm.tm_wday], tm.tm_mday,
	         mo[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
	buf_addf(out, "Date: %s\r\nFrom: %s\r\nTo: %s\r\nMessage-ID: <%s@%s>\r\nSubject: ", date, m->from,
	         m->to, id, m->msgid_domain);
	mime_encode_word(out, m->subject, true);
	buf_adds(out, "\r\nMIME-Version: 1.0\r\n");
	if (m->list_unsubscribe) {
		buf_addf(out, "List-Unsubscribe: %s\r\n", m->list_unsubscribe);
		if (m->one_click)
			buf_adds(out, "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n");
	}
	buf_addf(
	    out,
	    "Auto-Submitted: auto-generated\r\nContent-Type: multipart/alternative; boundary=\"%s\"\r\n\r\n",
	    boundary);
	buf_addf(
	    out,
	    "--%s\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n",
	    boundary);
	base64_lines(out, m->text);
	buf_addf(
	    out,
	    "--%s\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n",
	    boundary);
	base64_lines(out, m->html);
	buf_addf(out, "--%s--\r\n", boundary);
	return out->oom ? -1 : 0;
}

void mime_mailbox(struct buf *out, const char *name, const char *addr)
{
	char cut[128];
	size_t n = utf8_cut(name, strlen(name), sizeof cut - 1);
	memcpy(cut, name, n);
	cut[n] = '\0';
	if (ascii(cut)) {
		buf_addc(out, '"');
		for (const char *p = cut; *p; p++) {
			if (*p == '"' || *p == '\\')
				buf_addc(out, '\\');
			buf_addc(out, *p);
		}
		buf_addc(out, '"');
	} else {
		mime_encode_word(out, cut, false);
	}
	buf_addf(out, " <%s>", addr);
}
