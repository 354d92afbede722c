/* form: strict body parsers; anything unexpected is an error, never a guess. */
#include "form.h"

#include <string.h>
#include <strings.h>

#include "text.h"
#include "url.h"

/* A copy of s with each byte that is not part of valid UTF-8 replaced by U+FFFD. */
static char *utf8_repair(struct arena *a, const char *s, size_t n, size_t *outlen)
{
	char *out = arena_alloc(a, n * 3 + 1);
	if (!out)
		return NULL;
	size_t o = 0;
	for (size_t i = 0; i < n;) {
		size_t k = 1;
		while (k <= 4 && i + k <= n && !utf8_valid(s + i, k))
			k++;
		if (k <= 4 && i + k <= n) {
			memcpy(out + o, s + i, k);
			o += k;
			i += k;
		} else {
			memcpy(out + o, "\xEF\xBF\xBD", 3);
			o += 3;
			i++;
		}
	}
	out[o] = '\0';
	*outlen = o;
	return out;
}

static int add(struct form *f, struct arena *a, const char *name, const char *value, size_t len,
               const char *filename, const char *ctype)
{
	if (f->n == FORM_MAX_FIELDS || !utf8_valid(name, strlen(name)))
		return -1;
	bool bad = !filename && !utf8_valid(value, len);
	if (bad && !(value = utf8_repair(a, value, len, &len)))
		return -1;
	f->f[f->n++] = (struct form_field){name, value, len, filename, ctype, bad};
	return 0;
}

static int parse_urlencoded(struct form *f, struct arena *a, const char *body, size_t len)
{
	size_t i = 0;
	while (i < len) {
		const char *p = body + i;
		const char *amp = memchr(p, '&', len - i);
		size_t plen = amp ? (size_t)(amp - p) : len - i;
		const char *eq = memchr(p, '=', plen);
		size_t nlen = eq ? (size_t)(eq - p) : plen;
		if (plen > 0) {
			char *name = arena_alloc(a, nlen + 1);
			size_t vraw = eq ? plen - nlen - 1 : 0;
			char *val = arena_alloc(a, vraw + 1);
			if (!name || !val)
				return -1;
			long nl = url_decode(name, p, nlen, true);
			long vl = url_decode(val, eq ? eq + 1 : "", vraw, true);
			if (nl < 0 || vl < 0 || add(f, a, name, val, (size_t)vl, NULL, NULL) < 0)
				return -1;
		}
		i += plen + 1;
	}
	return 0;
}

/* Finds param="value" (or unquoted) in a header value; copies into the arena. */
static char *header_param(struct arena *a, const char *h, size_t hlen, const char *param)
{
	size_t pl = strlen(param);
	for (size_t i = 0; i + pl + 1 < hlen; i++) {
		if (strncasecmp(h + i, param, pl) != 0 || h[i + pl] != '=' ||
		    (i > 0 && h[i - 1] != ' ' && h[i - 1] != ';'))
			continue;
		const char *v = h + i + pl + 1, *end = h + hlen;
		if (*v == '"') {
			const char *q = memchr(v + 1, '"', (size_t)(end - v - 1));
			return q ? arena_strndup(a, v + 1, (size_t)(q - v - 1)) : NULL;
		}
		const char *e = v;
		while (e < end && *e != ';' && *e != ' ')
			e++;
		return arena_strndup(a, v, (size_t)(e - v));
	}
	return NULL;
}

static const char *memmem_s(const char *h, size_t hl, const char *n, size_t nl)
{
	if (nl == 0 || hl < nl)
		return NULL;
	for (size_t i = 0; i + nl <= hl; i++)
		if (h[i] == n[0] && memcmp(h + i, n, nl) == 0)
			return h + i;
	return NULL;
}

/* One part: headers, blank line, content. */
static int parse_part(struct form *f, struct arena *a, char *p, size_t len)
{
	const char *sep = memmem_s(p, len, "\r\n\r\n", 4);
	if (!sep)
		return -1;
	size_t hlen = (size_t)(sep - p);
	char *name = NULL, *filename = NULL, *ctype = NULL;
	size_t i = 0;
	while (i < hlen) {
		const char *line = p + i;
		const char *eol = memmem_s(line, hlen - i, "\r\n", 2);
		size_t ll = eol ? (size_t)(eol - line) : hlen - i;
		if (ll > 20 && strncasecmp(line, "Content-Disposition:", 20) == 0) {
			name = header_param(a, line, ll, "name");
			filename = header_param(a, line, ll, "filename");
		} else if (ll > 13 && strncasecmp(line, "Content-Type:", 13) == 0) {
			ctype = arena_strndup(a, line + 13, ll - 13);
		}
		i += ll + 2;
	}
	if (!name)
		return -1;
	char *content = (char *)sep + 4;
	size_t clen = len - hlen - 4;
	content[clen] = '\0'; /* overwrites the CR of the delimiter that follows */
	return add(f, a, name, content, clen, filename, ctype ? trim(ctype) : NULL);
}

static int parse_multipart(struct form *f, struct arena *a, const char *ctype, char *body, size_t len)
{
	char *b = header_param(a, ctype, strlen(ctype), "boundary");
	if (!b || !*b || strlen(b) > 200)
		return -1;
	char *delim = arena_printf(a, "--%s", b);
	if (!delim)
		return -1;
	size_t dl = strlen(delim);
	const char *p = memmem_s(body, len, delim, dl);
	if (!p)
		return -1;
	for (;;) {
		p += dl;
		size_t rest = len - (size_t)(p - body);
		if (rest >= 2 && p[0] == '-' && p[1] == '-')
			return 0;
		if (rest < 2 || p[0] != '\r' || p[1] != '\n')
			return -1;
		p += 2;
		rest -= 2;
		char *crlfdelim = arena_printf(a, "\r\n%s", delim);
		const char *next = crlfdelim ? memmem_s(p, rest, crlfdelim, dl + 2) : NULL;
		if (!next)
			return -1;
		if (parse_part(f, a, (char *)p, (size_t)(next - p)) < 0)
			return -1;
		p = next + 2;
	}
}

int form_parse(struct form *f, struct arena *a, const char *ctype, char *body, size_t len)
{
	f->n = 0;
	if (!ctype)
		ctype = "";
	if (strncasecmp(ctype, "multipart/form-data", 19) == 0)
		return parse_multipart(f, a, ctype, body, len);
	if (*ctype && strncasecmp(ctype, "application/x-www-form-urlencoded", 33) != 0)
		return -1;
	return parse_urlencoded(f, a, body, len);
}

const char *form_get(const struct form *f, const char *name)
{
	for (int i = 0; i < f->n; i++)
		if (!f->f[i].filename && strcmp(f->f[i].name, name) == 0)
			return f->f[i].value;
	return NULL;
}

const struct form_field *form_file(const struct form *f, const char *name)
{
	for (int i = 0; i < f->n; i++)
		if (f->f[i].filename && strcmp(f->f[i].name, name) == 0)
			return &f->f[i];
	return NULL;
}

bool form_bad_utf8(const struct form *f, const char *name)
{
	for (int i = 0; i < f->n; i++)
		if (!f->f[i].filename && strcmp(f->f[i].name, name) == 0)
			return f->f[i].bad_utf8;
	return false;
}

/* An explicit bidi embedding, override or isolate (U+202A-U+202E, U+2066-U+2069): in a name or a
 * title it would reverse the text after it wherever it is shown (a feed's entry title, a mail). */
static bool has_bidi_control(const char *v)
{
	for (const unsigned char *p = (const unsigned char *)v;
	     (p = (const unsigned char *)strchr((const char *)p, 0xE2)); p++)
		if ((p[1] == 0x80 && p[2] >= 0xAA && p[2] <= 0xAE) ||
		    (p[1] == 0x81 && p[2] >= 0xA6 && p[2] <= 0xA9))
			return true;
	return false;
}

bool field_ok(const char *v, size_t max, bool single_line)
{
	if (!v)
		return true;
	size_t n = strlen(v);
	if (!utf8_valid(v, n) || has_control(v, n) || utf8_len(v, n) > max)
		return false;
	return !single_line || (!strpbrk(v, "\r\n") && !has_bidi_control(v));
}

static bool blank(const char *s)
{
	return s[strspn(s, " \t\r\n")] == '\0';
}

static enum field_err field_check(const struct field_spec *sp, struct field_val *v)
{
	size_t n = strlen(v->s);
	switch (sp->kind) {
	case FIELD_BOOL:
		return FIELD_GOOD;
	case FIELD_ID:
		v->id = id_parse(v->s);
		return !*v->s || v->id > 0 ? FIELD_GOOD : FIELD_BAD;
	case FIELD_EMAIL:
		if (n > sp->max)
			return FIELD_TOO_LONG;
		return !*v->s || email_valid(v->s) ? FIELD_GOOD : FIELD_BAD;
	case FIELD_URL:
		if (!field_ok(v->s, sp->max, true))
			return utf8_len(v->s, n) > sp->max ? FIELD_TOO_LONG : FIELD_BAD;
		return url_web_ok(v->s) ? FIELD_GOOD : FIELD_BAD;
	case FIELD_LINE:
	case FIELD_TEXT:
		if (utf8_len(v->s, n) > sp->max)
			return FIELD_TOO_LONG;
		return field_ok(v->s, sp->max, sp->kind == FIELD_LINE) ? FIELD_GOOD : FIELD_BAD;
	}
	return FIELD_BAD;
}

int form_read(const struct form *f, const struct field_spec *spec, size_t n, struct field_val *val)
{
	int first = -1;
	for (size_t i = 0; i < n; i++) {
		const struct field_spec *sp = &spec[i];
		struct field_val *v = &val[i];
		const char *raw = f ? form_get(f, sp->name) : NULL;
		bool trimmed = sp->kind != FIELD_TEXT && sp->kind != FIELD_ID && !(sp->flags & FIELD_RAW);
		*v = (struct field_val){.s = raw ? (trimmed ? trim((char *)raw) : raw) : ""};
		v->on = sp->kind == FIELD_BOOL ? raw != NULL : *v->s != '\0';
		if (f && raw && form_bad_utf8(f, sp->name))
			v->err = FIELD_BAD_UTF8;
		else if ((sp->flags & FIELD_REQUIRED) && blank(v->s))
			v->err = FIELD_EMPTY;
		else
			v->err = field_check(sp, v);
		if (v->err != FIELD_GOOD && first < 0)
			first = (int)i;
	}
	return first;
}
