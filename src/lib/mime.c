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

/* Plain ASCII folded at spaces so lines keep to HEADER_FOLD_WIDTH (RFC 5322 2.1.1): a space
 * becomes CRLF + space, which unfolding turns back into the one space. A word longer than the
 * width stays whole. */
static void fold_ascii(struct buf *out, const char *s)
{
	size_t col = SUBJECT_HEADER_LEN;
	for (const char *p = s; *p; p++) {
		if (*p != ' ') {
			buf_addc(out, *p);
			col++;
			continue;
		}
		size_t word = strcspn(p + 1, " ");
		if (col > 1 && col + 1 + word > HEADER_FOLD_WIDTH && word > 0) {
			buf_adds(out, "\r\n ");
			col = 1;
		} else {
			buf_addc(out, ' ');
			col++;
		}
	}
}

void mime_encode_word(struct buf *out, const char *s, bool fold)
{
	if (ascii(s)) {
		if (fold)
			fold_ascii(out, s);
		else
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
	    (m->list_id && !header_value_ok(m->list_id)) || !header_value_ok(m->msgid_domain))
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
	if (m->list_id)
		buf_addf(out, "List-Id: %s\r\n", m->list_id);
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

/* A display name as an RFC 5322 phrase: quoted when ASCII, else encoded words. */
static void phrase(struct buf *out, const char *name)
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
}

void mime_mailbox(struct buf *out, const char *name, const char *addr)
{
	phrase(out, name);
	buf_addf(out, " <%s>", addr);
}

void mime_url_host(const char *url, char *out, size_t outsz)
{
	const char *p = strstr(url, "://");
	p = p ? p + 3 : url;
	size_t n = strcspn(p, "/?#");
	const char *at = memchr(p, '@', n);
	if (at) {
		n -= (size_t)(at + 1 - p);
		p = at + 1;
	}
	/* an IPv6 literal keeps its brackets; otherwise the port goes */
	const char *end = *p == '[' ? memchr(p, ']', n) : NULL;
	size_t hn = end ? (size_t)(end - p) + 1 : strcspn(p, ":/?#");
	if (hn > n)
		hn = n;
	if (hn >= outsz)
		hn = 0;
	for (size_t i = 0; i < hn; i++)
		out[i] = (char)(p[i] >= 'A' && p[i] <= 'Z' ? p[i] - 'A' + 'a' : p[i]);
	out[hn] = '\0';
}

bool mime_host_ok(const char *host)
{
	size_t n = strlen(host);
	if (n == 0 || n > 253 || host[0] == '.' || host[n - 1] == '.' || strstr(host, ".."))
		return false;
	for (const char *p = host; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		      *p == '-' || *p == '.'))
			return false;
	return true;
}

int mime_list_id(struct buf *out, const char *title, const char *host)
{
	if (!mime_host_ok(host))
		return -1;
	phrase(out, title);
	buf_addf(out, " <list.%s>", host);
	return 0;
}

/* One line (without its newline) broken at spaces into lines of at most width characters. */
static void wrap_line(struct buf *out, const char *s, size_t n, size_t width)
{
	if (utf8_len(s, n) <= width) {
		buf_add(out, s, n);
		return;
	}
	size_t col = 0, i = 0;
	while (i < n) {
		while (i < n && s[i] == ' ')
			i++;
		size_t start = i;
		while (i < n && s[i] != ' ')
			i++;
		if (i == start)
			break;
		size_t wl = utf8_len(s + start, i - start);
		if (col > 0 && col + 1 + wl > width) {
			buf_addc(out, '\n');
			col = 0;
		} else if (col > 0) {
			buf_addc(out, ' ');
			col++;
		}
		buf_add(out, s + start, i - start);
		col += wl;
	}
}

void mime_wrap_text(struct buf *out, const char *text, size_t width)
{
	const char *p = text;
	for (;;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		wrap_line(out, p, n, width);
		if (!nl)
			break;
		buf_addc(out, '\n');
		p = nl + 1;
	}
}
