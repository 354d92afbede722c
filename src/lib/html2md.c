/* html2md: a small forgiving tokenizer: text, tags with attributes, comments, entities. */
#include "html2md.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "text.h"
#include "url.h"

#define TAG_MAX 16
#define ATTR_MAX 2048

struct conv {
	struct buf *out;
	int list_depth;
	bool ordered[8];
	int item_no[8];
	int quote; /* blockquote depth */
	bool pre;  /* inside <pre>: text as is */
	bool at_line_start;
	char href[ATTR_MAX];
	bool text_only;
};

static void put(struct conv *c, const char *s, size_t n)
{
	if (n == 0)
		return;
	buf_add(c->out, s, n);
	c->at_line_start = s[n - 1] == '\n';
}

static void puts_(struct conv *c, const char *s)
{
	put(c, s, strlen(s));
}

/* Ends the current block: a blank line, then the quote prefix of the next one. */
static void block_break(struct conv *c)
{
	if (c->text_only) {
		if (c->out->len && !c->at_line_start)
			puts_(c, " ");
		return;
	}
	size_t n = c->out->len;
	const char *p = c->out->p;
	if (n == 0)
		return;
	if (!(n >= 2 && p[n - 1] == '\n' && p[n - 2] == '\n'))
		puts_(c, n && p[n - 1] == '\n' ? "\n" : "\n\n");
}

static void line_prefix(struct conv *c)
{
	for (int i = 0; i < c->quote; i++)
		puts_(c, "> ");
}

/* Appends the UTF-8 of an entity at s (after '&'); returns the bytes consumed, 0 if none. */
static size_t entity(const char *s, struct buf *out)
{
	static const struct {
		const char *name, *utf8;
	} named[] = {{"amp;", "&"},   {"lt;", "<"},          {"gt;", ">"},     {"quot;", "\""},
	             {"apos;", "'"},  {"nbsp;", "\xC2\xA0"}, {"hellip;", "…"}, {"mdash;", "—"},
	             {"ndash;", "–"}, {"rsquo;", "’"},       {"lsquo;", "‘"},  {"rdquo;", "”"},
	             {"ldquo;", "“"}, {"copy;", "©"},        {"eacute;", "é"}, {"egrave;", "è"}};
	for (size_t i = 0; i < sizeof named / sizeof named[0]; i++)
		if (strncmp(s, named[i].name, strlen(named[i].name)) == 0) {
			buf_adds(out, named[i].utf8);
			return strlen(named[i].name);
		}
	if (*s != '#')
		return 0;
	char *end;
	long cp = s[1] == 'x' || s[1] == 'X' ? strtol(s + 2, &end, 16) : strtol(s + 1, &end, 10);
	if (end == s + 1 || end == s + 2 || *end != ';' || cp <= 0 || cp > 0x10FFFF ||
	    (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	char u[5];
	int k = 0;
	if (cp < 0x80) {
		u[k++] = (char)cp;
	} else if (cp < 0x800) {
		u[k++] = (char)(0xC0 | (cp >> 6));
		u[k++] = (char)(0x80 | (cp & 0x3F));
	} else if (cp < 0x10000) {
		u[k++] = (char)(0xE0 | (cp >> 12));
		u[k++] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[k++] = (char)(0x80 | (cp & 0x3F));
	} else {
		u[k++] = (char)(0xF0 | (cp >> 18));
		u[k++] = (char)(0x80 | ((cp >> 12) & 0x3F));
		u[k++] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[k++] = (char)(0x80 | (cp & 0x3F));
	}
	if (cp < 0x20 && cp != '\n' && cp != '\t')
		return (size_t)(end - s) + 1; /* control characters are dropped */
	buf_add(out, u, (size_t)k);
	return (size_t)(end - s) + 1;
}

/* Decoded text of s[0..n) into out. */
static void decode(const char *s, size_t n, struct buf *out)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '&') {
			char tmp[16];
			size_t k = n - i - 1 < sizeof tmp - 1 ? n - i - 1 : sizeof tmp - 1;
			memcpy(tmp, s + i + 1, k);
			tmp[k] = '\0';
			size_t used = entity(tmp, out);
			if (used) {
				i += used;
				continue;
			}
		}
		buf_addc(out, s[i]);
	}
}

/* Text, with what Markdown would take for markup escaped. */
static void text(struct conv *c, const char *s, size_t n)
{
	struct buf d = BUF_INIT;
	decode(s, n, &d);
	const char *p = buf_cstr(&d);
	for (size_t i = 0; i < d.len; i++) {
		char ch = p[i];
		if (c->pre || c->text_only) {
			put(c, &ch, 1);
			continue;
		}
		if (ch == '\r')
			continue;
		if (ch == '\n') {
			puts_(c, "\n");
			continue;
		}
		if (c->at_line_start) {
			line_prefix(c);
			if (ch == ' ' || ch == '\t')
				continue;
			if (strchr("#>-+=", ch))
				puts_(c, "\\");
		}
		if (strchr("\\`*_[]<>|", ch))
			puts_(c, "\\");
		put(c, &ch, 1);
	}
	buf_free(&d);
}

/* The value of attribute name in a tag's attribute text, decoded, or "". */
static void attr(const char *a, size_t n, const char *name, char out[ATTR_MAX])
{
	size_t nl = strlen(name);
	out[0] = '\0';
	for (size_t i = 0; i + nl < n; i++) {
		if (strncasecmp(a + i, name, nl) != 0 || (i > 0 && !isspace((unsigned char)a[i - 1])))
			continue;
		size_t j = i + nl;
		while (j < n && isspace((unsigned char)a[j]))
			j++;
		if (j >= n || a[j] != '=')
			continue;
		j++;
		while (j < n && isspace((unsigned char)a[j]))
			j++;
		char q = j < n && (a[j] == '"' || a[j] == '\'') ? a[j++] : 0;
		size_t k = j;
		while (k < n && (q ? a[k] != q : !isspace((unsigned char)a[k]) && a[k] != '>'))
			k++;
		struct buf d = BUF_INIT;
		decode(a + j, k - j, &d);
		snprintf(out, ATTR_MAX, "%s", buf_cstr(&d));
		buf_free(&d);
		return;
	}
}

/* A URL inside Markdown's (...): spaces and parentheses encoded. */
static void md_url(struct conv *c, const char *u)
{
	for (const char *p = u; *p; p++) {
		if (*p == ' ')
			puts_(c, "%20");
		else if (*p == '(')
			puts_(c, "%28");
		else if (*p == ')')
			puts_(c, "%29");
		else if ((unsigned char)*p >= 0x20)
			put(c, p, 1);
	}
}

static void open_tag(struct conv *c, const char *t, const char *a, size_t an)
{
	char v[ATTR_MAX], alt[ATTR_MAX];
	if (c->text_only) {
		if (!strcmp(t, "p") || !strcmp(t, "br") || !strcmp(t, "li") || !strcmp(t, "div") ||
		    t[0] == 'h')
			block_break(c);
		return;
	}
	if (!strcmp(t, "p") || !strcmp(t, "div") || !strcmp(t, "figure") || !strcmp(t, "table")) {
		block_break(c);
	} else if (!strcmp(t, "br")) {
		puts_(c, "  \n");
	} else if (!strcmp(t, "em") || !strcmp(t, "i")) {
		puts_(c, "*");
	} else if (!strcmp(t, "strong") || !strcmp(t, "b")) {
		puts_(c, "**");
	} else if (t[0] == 'h' && t[1] >= '1' && t[1] <= '6' && !t[2]) {
		block_break(c);
		line_prefix(c);
		for (int i = 0; i < t[1] - '0'; i++)
			puts_(c, "#");
		puts_(c, " ");
		c->at_line_start = false;
	} else if (!strcmp(t, "ul") || !strcmp(t, "ol")) {
		if (c->list_depth < 8) {
			c->ordered[c->list_depth] = t[0] == 'o';
			c->item_no[c->list_depth] = 0;
		}
		c->list_depth++;
		block_break(c);
	} else if (!strcmp(t, "li")) {
		if (!c->at_line_start && c->out->len)
			puts_(c, "\n");
		line_prefix(c);
		int d = c->list_depth > 0 ? c->list_depth - 1 : 0;
		for (int i = 0; i < d; i++)
			puts_(c, "    ");
		if (d < 8 && c->ordered[d]) {
			char num[16];
			snprintf(num, sizeof num, "%d. ", ++c->item_no[d]);
			puts_(c, num);
		} else {
			puts_(c, "- ");
		}
		c->at_line_start = false;
	} else if (!strcmp(t, "blockquote")) {
		block_break(c);
		c->quote++;
	} else if (!strcmp(t, "pre")) {
		block_break(c);
		puts_(c, "```\n");
		c->pre = true;
	} else if (!strcmp(t, "code") && !c->pre) {
		puts_(c, "`");
	} else if (!strcmp(t, "a")) {
		attr(a, an, "href", c->href);
		if (url_import_link_ok(c->href))
			puts_(c, "[");
		else
			c->href[0] = '\0';
	} else if (!strcmp(t, "img")) {
		attr(a, an, "src", v);
		attr(a, an, "alt", alt);
		if (url_import_link_ok(v)) {
			puts_(c, "![");
			text(c, alt, strlen(alt));
			puts_(c, "](");
			md_url(c, v);
			puts_(c, ")");
		}
	} else if (!strcmp(t, "hr")) {
		block_break(c);
		puts_(c, "***\n\n");
	}
}

static void close_tag(struct conv *c, const char *t)
{
	if (c->text_only) {
		if (!strcmp(t, "p") || !strcmp(t, "li") || !strcmp(t, "div") || t[0] == 'h')
			block_break(c);
		return;
	}
	if (!strcmp(t, "p") || !strcmp(t, "div") || !strcmp(t, "figure") || !strcmp(t, "table") ||
	    (t[0] == 'h' && t[1] >= '1' && t[1] <= '6' && !t[2])) {
		block_break(c);
	} else if (!strcmp(t, "em") || !strcmp(t, "i")) {
		puts_(c, "*");
	} else if (!strcmp(t, "strong") || !strcmp(t, "b")) {
		puts_(c, "**");
	} else if (!strcmp(t, "ul") || !strcmp(t, "ol")) {
		if (c->list_depth > 0)
			c->list_depth--;
		block_break(c);
	} else if (!strcmp(t, "blockquote")) {
		if (c->quote > 0)
			c->quote--;
		block_break(c);
	} else if (!strcmp(t, "pre")) {
		if (!c->at_line_start)
			puts_(c, "\n");
		puts_(c, "```\n\n");
		c->pre = false;
	} else if (!strcmp(t, "code") && !c->pre) {
		puts_(c, "`");
	} else if (!strcmp(t, "a") && c->href[0]) {
		puts_(c, "](");
		md_url(c, c->href);
		puts_(c, ")");
		c->href[0] = '\0';
	}
}

/* needle in hay[0..n): the input is not NUL-terminated. */
static const char *find(const char *hay, size_t n, const char *needle)
{
	size_t k = strlen(needle);
	for (size_t i = 0; i + k <= n; i++)
		if (memcmp(hay + i, needle, k) == 0)
			return hay + i;
	return NULL;
}

static int convert(const char *h, size_t n, struct buf *out, bool text_only)
{
	struct conv c = {.out = out, .at_line_start = true, .text_only = text_only};
	size_t i = 0;
	while (i < n) {
		const char *lt = memchr(h + i, '<', n - i);
		size_t tl = lt ? (size_t)(lt - h - i) : n - i;
		text(&c, h + i, tl);
		i += tl;
		if (!lt)
			break;
		if (n - i >= 4 && memcmp(h + i, "<!--", 4) == 0) {
			const char *e = find(h + i + 4, n - i - 4, "-->");
			i = e ? (size_t)(e - h) + 3 : n;
			continue;
		}
		const char *gt = memchr(h + i, '>', n - i);
		if (!gt) {
			text(&c, h + i, n - i);
			break;
		}
		const char *p = h + i + 1;
		bool closing = *p == '/';
		if (closing)
			p++;
		char tag[TAG_MAX];
		size_t k = 0;
		while (p < gt && (isalnum((unsigned char)*p)) && k < TAG_MAX - 1)
			tag[k++] = (char)tolower((unsigned char)*p++);
		tag[k] = '\0';
		size_t next = (size_t)(gt - h) + 1;
		if (!k) {
			text(&c, h + i, 1); /* a lone '<' */
			i++;
			continue;
		}
		if (!closing &&
		    (!strcmp(tag, "script") || !strcmp(tag, "style") || !strcmp(tag, "iframe") ||
		     !strcmp(tag, "object") || !strcmp(tag, "noscript") || !strcmp(tag, "template"))) {
			/* dropped with everything inside */
			char endtag[TAG_MAX + 3];
			snprintf(endtag, sizeof endtag, "</%s", tag);
			const char *e = NULL;
			for (size_t j = next; j + strlen(endtag) <= n && !e; j++)
				if (strncasecmp(h + j, endtag, strlen(endtag)) == 0)
					e = h + j;
			const char *eg = e ? memchr(e, '>', n - (size_t)(e - h)) : NULL;
			i = eg ? (size_t)(eg - h) + 1 : n;
			continue;
		}
		if (closing)
			close_tag(&c, tag);
		else
			open_tag(&c, tag, p, (size_t)(gt - p));
		i = next;
	}
	/* trim trailing blank lines */
	while (out->len && (out->p[out->len - 1] == '\n' || out->p[out->len - 1] == ' '))
		out->p[--out->len] = '\0';
	if (out->len && !text_only)
		buf_addc(out, '\n');
	return out->oom ? -1 : 0;
}

int html2md(const char *html, size_t n, struct buf *md)
{
	return convert(html, n, md, false);
}

int html2text(const char *html, size_t n, struct buf *text_out)
{
	return convert(html, n, text_out, true);
}
