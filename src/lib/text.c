/* text: byte-level helpers shared by the parsers and the template layer. */
#include "text.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

bool utf8_valid(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;
	while (i < n) {
		unsigned c = s[i];
		if (c == 0)
			return false;
		if (c < 0x80) {
			i++;
			continue;
		}
		size_t need;
		unsigned cp;
		if (c >= 0xC2 && c <= 0xDF) {
			need = 1;
			cp = c & 0x1F;
		} else if (c >= 0xE0 && c <= 0xEF) {
			need = 2;
			cp = c & 0x0F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			need = 3;
			cp = c & 0x07;
		} else {
			return false;
		}
		if (n - i <= need)
			return false;
		for (size_t k = 1; k <= need; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return false;
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		/* U+FFFE and U+FFFF are not characters, and XML (feeds, sitemaps) refuses them */
		if ((need == 2 && cp < 0x800) || (need == 3 && cp < 0x10000) || cp > 0x10FFFF ||
		    (cp >= 0xD800 && cp <= 0xDFFF) || cp == 0xFFFE || cp == 0xFFFF)
			return false;
		i += need + 1;
	}
	return true;
}

/* Bytes of the valid UTF-8 sequence at s[0..n), 0 if there is none (NUL, bad, overlong,
 * surrogate). */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	if (s[0] < 0x80)
		return s[0] ? 1 : 0;
	size_t k = s[0] >= 0xC2 && s[0] <= 0xDF   ? 2
	           : s[0] >= 0xE0 && s[0] <= 0xEF ? 3
	           : s[0] >= 0xF0 && s[0] <= 0xF4 ? 4
	                                          : 0;
	if (!k || k > n)
		return 0;
	for (size_t i = 1; i < k; i++)
		if ((s[i] & 0xC0) != 0x80)
			return 0;
	if ((s[0] == 0xE0 && s[1] < 0xA0) || (s[0] == 0xED && s[1] >= 0xA0) ||
	    (s[0] == 0xF0 && s[1] < 0x90) || (s[0] == 0xF4 && s[1] >= 0x90))
		return 0;
	return k;
}

void utf8_scrub(const char *str, size_t n, struct buf *out)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t from = 0, i = 0;
	while (i < n) {
		size_t k = utf8_seq(s + i, n - i);
		if (k) {
			i += k;
			continue;
		}
		buf_add(out, str + from, i - from);
		buf_adds(out, "\xEF\xBF\xBD");
		from = ++i;
	}
	buf_add(out, str + from, n - from);
}

size_t utf8_len(const char *s, size_t n)
{
	size_t count = 0;
	for (size_t i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			count++;
	return count;
}

size_t utf8_cut(const char *s, size_t n, size_t max)
{
	if (n <= max)
		return n;
	size_t k = max;
	while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
		k--;
	return k;
}

void esc_html(struct buf *out, const char *s, size_t n)
{
	size_t start = 0;
	for (size_t i = 0; i < n; i++) {
		const char *rep;
		switch (s[i]) {
		case '&':
			rep = "&amp;";
			break;
		case '<':
			rep = "&lt;";
			break;
		case '>':
			rep = "&gt;";
			break;
		case '"':
			rep = "&quot;";
			break;
		case '\'':
			rep = "&#39;";
			break;
		case '\xEF':
			/* U+FFFE and U+FFFF (stored before the edge refused them) would break XML */
			if (i + 2 < n && s[i + 1] == '\xBF' && (s[i + 2] == '\xBE' || s[i + 2] == '\xBF')) {
				rep = "\xEF\xBF\xBD";
				buf_add(out, s + start, i - start);
				buf_adds(out, rep);
				i += 2;
				start = i + 1;
			}
			continue;
		default:
			/* control bytes stay: quire marks places with them (search highlights, the form
			 * token); the edges refuse them in what people type */
			continue;
		}
		buf_add(out, s + start, i - start);
		buf_adds(out, rep);
		start = i + 1;
	}
	buf_add(out, s + start, n - start);
}

void esc_url(struct buf *out, const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
			buf_addc(out, (char)c);
		} else {
			char e[3] = {'%', hex[c >> 4], hex[c & 15]};
			buf_add(out, e, 3);
		}
	}
}

int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

long url_decode(char *out, const char *s, size_t n, bool plus_space)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '%') {
			if (n - i < 3)
				return -1;
			int hi = hexval((unsigned char)s[i + 1]), lo = hexval((unsigned char)s[i + 2]);
			if (hi < 0 || lo < 0)
				return -1;
			c = (char)(hi * 16 + lo);
			if (c == '\0')
				return -1;
			i += 2;
		} else if (c == '+' && plus_space) {
			c = ' ';
		} else if (c == '\0') {
			return -1;
		}
		out[o++] = c;
	}
	out[o] = '\0';
	return (long)o;
}

void slugify(struct buf *out, const char *s, size_t max)
{
	size_t start = out->len;
	bool dash = false;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		size_t used = out->len - start;
		if (isalnum(*p)) {
			if (dash && used > 0) {
				if (used + 2 > max)
					break;
				buf_addc(out, '-');
			} else if (used + 1 > max) {
				break;
			}
			buf_addc(out, (char)tolower(*p));
			dash = false;
		} else if (*p >= 0x80) {
			/* keep a whole multibyte character, or stop before it */
			size_t len = 1;
			while (p[len] && (p[len] & 0xC0) == 0x80)
				len++;
			size_t need = len + (dash && used > 0 ? 1 : 0);
			if (used + need > max)
				break;
			if (dash && used > 0)
				buf_addc(out, '-');
			buf_add(out, p, len);
			p += len - 1;
			dash = false;
		} else {
			dash = true;
		}
	}
}

bool slug_valid(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || s[0] == '-' || s[n - 1] == '-' || !utf8_valid(s, n))
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x80 && !(islower(c) || isdigit(c) || c == '-'))
			return false;
		if (c == '-' && s[i + 1] == '-')
			return false;
	}
	return true;
}

bool has_control(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F)
			return true;
	}
	return false;
}

char *trim(char *s)
{
	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	size_t n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
		s[--n] = '\0';
	return s;
}

bool email_valid(const char *s)
{
	size_t n = strlen(s);
	const char *at = strrchr(s, '@');
	if (n < 3 || n > 254 || !at || at == s || (size_t)(at - s) > 64 || !utf8_valid(s, n))
		return false;
	for (const char *p = s; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c <= ' ' || c == 0x7F || strchr("\"(),:;<>[\\]", c) || (c == '@' && p != at))
			return false;
	}
	const char *dom = at + 1;
	size_t dl = strlen(dom);
	if (dl < 3 || !strchr(dom, '.') || dom[0] == '.' || dom[0] == '-' || dom[dl - 1] == '.' ||
	    strstr(dom, "..") || s[0] == '.' || at[-1] == '.' || strstr(s, ".."))
		return false;
	return true;
}

bool ci_contains(const char *hay, const char *needle)
{
	size_t n = strlen(needle);
	if (n == 0)
		return true;
	for (const char *p = hay; *p; p++)
		if (strncasecmp(p, needle, n) == 0)
			return true;
	return false;
}

long long id_parse(const char *s)
{
	if (!s || !*s || strlen(s) > ID_DIGITS_MAX || strspn(s, "0123456789") != strlen(s))
		return 0;
	return strtoll(s, NULL, 10);
}

void url_hex_case(char *s, bool upper)
{
	for (char *p = s; *p; p++) {
		if (*p != '%' || hexval((unsigned char)p[1]) < 0 || hexval((unsigned char)p[2]) < 0)
			continue;
		for (int i = 1; i <= 2; i++)
			p[i] = (char)(upper ? toupper((unsigned char)p[i]) : tolower((unsigned char)p[i]));
		p += 2;
	}
}

const char *text_find(const char *hay, size_t n, const char *needle)
{
	size_t k = strlen(needle);
	for (size_t i = 0; i + k <= n; i++)
		if (memcmp(hay + i, needle, k) == 0)
			return hay + i;
	return NULL;
}
