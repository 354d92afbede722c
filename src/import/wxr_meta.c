/* wxr_meta: the category tree, names, nicenames and comment kinds of a WordPress export. */
#include "wxr_meta.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "log.h"

/* Writes code point cp as UTF-8 at out; the bytes written (0 for an invalid code point). */
static size_t utf8_put(unsigned long cp, char *out)
{
	if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

/* The entity at s (after its '&'), decoded into out: the bytes of s it used (0: not one we know). */
static size_t entity(const char *s, char *out, size_t *outlen)
{
	/* each entity is longer than its UTF-8, so decoding in place never overtakes the reader */
	static const struct {
		const char *name, *utf8;
	} named[] = {{"amp;", "&"},         {"lt;", "<"},         {"gt;", ">"},         {"quot;", "\""},
	             {"apos;", "'"},        {"raquo;", "\u00bb"}, {"laquo;", "\u00ab"}, {"nbsp;", "\u00a0"},
	             {"hellip;", "\u2026"}, {"ndash;", "\u2013"}, {"mdash;", "\u2014"}, {"lsquo;", "\u2018"},
	             {"rsquo;", "\u2019"},  {"ldquo;", "\u201c"}, {"rdquo;", "\u201d"}};
	for (size_t i = 0; i < sizeof named / sizeof named[0]; i++)
		if (strncmp(s, named[i].name, strlen(named[i].name)) == 0) {
			*outlen = strlen(named[i].utf8);
			memcpy(out, named[i].utf8, *outlen);
			return strlen(named[i].name);
		}
	if (s[0] != '#')
		return 0;
	bool hex = s[1] == 'x' || s[1] == 'X';
	const char *p = s + (hex ? 2 : 1), *start = p;
	unsigned long cp = 0;
	while (p - start < 8 && (hex ? strchr("0123456789abcdefABCDEF", *p) : strchr("0123456789", *p)) &&
	       *p) {
		cp = cp * (hex ? 16 : 10) + (unsigned long)(*p <= '9' ? *p - '0' : (*p | 0x20) - 'a' + 10);
		p++;
	}
	if (p == start || *p != ';')
		return 0;
	*outlen = utf8_put(cp, out);
	return *outlen ? (size_t)(p + 1 - s) : 0;
}

void wxr_name_decode(char *s)
{
	char *w = s;
	for (const char *r = s; *r;) {
		char enc[4];
		size_t n = 0, used = *r == '&' ? entity(r + 1, enc, &n) : 0;
		if (used) {
			/* an entity is never shorter than what it decodes to: w stays behind r */
			memcpy(w, enc, n);
			w += n;
			r += used + 1;
		} else {
			*w++ = *r++;
		}
	}
	*w = '\0';
}

void wxr_nicename(const char *login, char *out, size_t size)
{
	size_t o = 0, max = size ? size - 1 : 0;
	if (max > WXR_NICENAME_MAX)
		max = WXR_NICENAME_MAX;
	for (const char *p = login; *p && o < max; p++) {
		char c = *p >= 'A' && *p <= 'Z' ? (char)(*p | 0x20) : *p;
		if (c == '.' || c == ' ')
			c = '-';
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
			continue;
		if (c == '-' && (o == 0 || out[o - 1] == '-'))
			continue;
		out[o++] = c;
	}
	while (o > 0 && out[o - 1] == '-')
		o--;
	if (size)
		out[o] = '\0';
}

const char *wxr_comment_kind(const char *type)
{
	if (type && strcmp(type, "pingback") == 0)
		return "pingback";
	if (type && strcmp(type, "trackback") == 0)
		return "trackback";
	return "comment";
}

int wxr_cats_add(struct wxr_cats *c, const char *nicename, const char *parent, const char *name)
{
	if (!nicename || !*nicename || !name || !*name)
		return 0;
	if (c->n == c->cap) {
		size_t ncap = c->cap ? c->cap * 2 : 16;
		struct wxr_cat *v = realloc(c->v, ncap * sizeof *v);
		if (!v)
			return -1;
		c->v = v;
		c->cap = ncap;
	}
	struct wxr_cat *k = &c->v[c->n];
	k->nicename = strdup(nicename);
	k->parent = strdup(parent ? parent : "");
	k->name = strdup(name);
	if (!k->nicename || !k->parent || !k->name) {
		free(k->nicename);
		free(k->parent);
		free(k->name);
		return -1;
	}
	wxr_name_decode(k->name);
	c->n++;
	return 0;
}

static const struct wxr_cat *find(const struct wxr_cats *c, const char *nicename)
{
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->v[i].nicename, nicename) == 0)
			return &c->v[i];
	return NULL;
}

int wxr_cats_ancestors(const struct wxr_cats *c, const char *nicename, const char **out, int max)
{
	int n = 0;
	const struct wxr_cat *k = nicename ? find(c, nicename) : NULL;
	for (int depth = 0; k && *k->parent && depth < WXR_CATEGORY_DEPTH && n < max; depth++) {
		k = find(c, k->parent);
		if (k)
			out[n++] = k->name;
	}
	return n;
}

void wxr_cats_report(const struct wxr_cats *c)
{
	struct buf b = BUF_INIT;
	size_t nested = 0, tags = 0;
	for (size_t i = 0; i < c->n; i++) {
		/* WordPress's default category becomes no tag (import_wxr.c) */
		tags += strcmp(c->v[i].name, WXR_DEFAULT_CATEGORY) != 0;
		if (!*c->v[i].parent)
			continue;
		if (nested++ >= WXR_HIERARCHY_LISTED)
			continue;
		/* the path from the top: ancestors come nearest first */
		const char *up[WXR_CATEGORY_DEPTH];
		int n = wxr_cats_ancestors(c, c->v[i].nicename, up, WXR_CATEGORY_DEPTH);
		buf_adds(&b, b.len ? ", " : "");
		for (int j = n - 1; j >= 0; j--)
			buf_addf(&b, "%s > ", up[j]);
		buf_adds(&b, c->v[i].name);
	}
	if (nested > WXR_HIERARCHY_LISTED)
		buf_addf(&b, ", and %zu more", nested - WXR_HIERARCHY_LISTED);
	if (nested)
		log_info("import: categories: %zu flattened into tags (hierarchy: %s)", tags, buf_cstr(&b));
	else if (tags)
		log_info("import: categories: %zu became tags (none nested)", tags);
	buf_free(&b);
}

void wxr_cats_free(struct wxr_cats *c)
{
	for (size_t i = 0; i < c->n; i++) {
		free(c->v[i].nicename);
		free(c->v[i].parent);
		free(c->v[i].name);
	}
	free(c->v);
	memset(c, 0, sizeof *c);
}
