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
#define LIST_MAX 8              /* list nesting numbered */
#define EMPH_MAX 16             /* open emphasis tracked */
#define OL_START_MAX 999999999L /* nine digits, as CommonMark */
#define LIST_NUM_DIGITS 9
#define SHORTCODE_NAME_MAX 32

struct conv {
	struct buf *out;
	int list_depth;
	bool ordered[LIST_MAX];
	long item_no[LIST_MAX];
	int quote; /* blockquote depth */
	bool pre;  /* inside <pre>: text as is */
	bool at_line_start;
	bool blank;      /* a block break was just written */
	bool pending_nl; /* a hard break if text follows */
	char href[ATTR_MAX];
	bool text_only;
	/* where code, emphasis, caption text start in out: rewritten at the end */
	bool code;
	size_t code_at;
	size_t emph_at[EMPH_MAX];
	bool emph_strong[EMPH_MAX];
	int emph_n;
	bool caption, cap_after_a; /* in [caption]; its image is in a link */
	size_t cap_at;             /* 0 before the image */
	html2md_shortcode_fn on_shortcode;
	void *arg;
};

static void put(struct conv *c, const char *s, size_t n)
{
	if (n == 0)
		return;
	buf_add(c->out, s, n);
	c->at_line_start = s[n - 1] == '\n';
	c->blank = false;
}

static void puts_(struct conv *c, const char *s)
{
	put(c, s, strlen(s));
}

/* After truncating out: where we are. */
static void resync(struct conv *c)
{
	c->at_line_start = c->out->len == 0 || c->out->p[c->out->len - 1] == '\n';
}

static void line_prefix(struct conv *c)
{
	for (int i = 0; i < c->quote; i++)
		puts_(c, "> ");
}

/* A newline in classic content is a <br> in WordPress (wpautop). */
static void flush_nl(struct conv *c)
{
	if (!c->pending_nl)
		return;
	c->pending_nl = false;
	puts_(c, "\\\n");
}

/* Before inline markup: a pending break, a new line's quote prefix. */
static void inline_start(struct conv *c)
{
	flush_nl(c);
	if (c->at_line_start)
		line_prefix(c);
}

/* Ends the current block: a blank line, quoted inside a quote so that it stays one quote. */
static void block_break(struct conv *c)
{
	c->pending_nl = false;
	if (c->text_only) {
		if (c->out->len && !c->at_line_start)
			puts_(c, " ");
		return;
	}
	size_t n = c->out->len;
	const char *p = c->out->p;
	if (n == 0 || c->blank)
		return;
	if (n >= 2 && p[n - 1] == '\n' && p[n - 2] == '\n')
		return;
	if (p[n - 1] != '\n')
		puts_(c, "\n");
	for (int i = 0; i < c->quote; i++)
		puts_(c, ">");
	puts_(c, "\n");
	c->blank = true;
}

/* Removes a trailing quoted blank line (">>\n"): the quote ends there. */
static void drop_quote_blank(struct conv *c)
{
	struct buf *o = c->out;
	if (o->len < 2 || o->p[o->len - 1] != '\n' || o->p[o->len - 2] != '>')
		return;
	size_t k = o->len - 1;
	while (k > 0 && o->p[k - 1] == '>')
		k--;
	if (k > 0 && o->p[k - 1] != '\n')
		return;
	o->len = k;
	o->p[k] = '\0';
	resync(c);
	c->blank = false;
}

/* Appends the UTF-8 of an entity at s (after '&'); the bytes used, 0 if none. */
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
		if (c->code) {
			/* verbatim: a code span takes no escapes; a newline in one is a space */
			put(c, ch == '\n' ? " " : &ch, 1);
			continue;
		}
		if (ch == '\n') {
			if (c->pending_nl)
				block_break(c); /* a blank line: wpautop's paragraph */
			else if (!c->at_line_start && c->out->len)
				c->pending_nl = true;
			continue;
		}
		if (c->pending_nl && (ch == ' ' || ch == '\t'))
			continue;
		flush_nl(c);
		if (c->at_line_start) {
			line_prefix(c);
			if (ch == ' ' || ch == '\t')
				continue;
			if (strchr("#>-+=", ch)) {
				puts_(c, "\\");
				put(c, &ch, 1);
				continue;
			}
			/* "1986. A fine year" would start an ordered list */
			size_t j = i;
			while (j < d.len && j - i <= LIST_NUM_DIGITS && isdigit((unsigned char)p[j]))
				j++;
			if (j > i && j - i <= LIST_NUM_DIGITS && j < d.len && (p[j] == '.' || p[j] == ')')) {
				put(c, p + i, j - i);
				puts_(c, "\\");
				put(c, p + j, 1);
				i = j;
				continue;
			}
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

/* Moves out[from..) into t (t starts empty). */
static void cut(struct conv *c, size_t from, struct buf *t)
{
	if (c->out->len > from) {
		buf_add(t, c->out->p + from, c->out->len - from);
		c->out->len = from;
		c->out->p[from] = '\0';
	}
	resync(c);
	c->blank = false;
}

/* Bytes of whitespace (ASCII, U+00A0) at the front, or back, of s[0..n). */
static size_t ws_front(const char *s, size_t n)
{
	size_t i = 0;
	for (;;) {
		if (i < n && isspace((unsigned char)s[i]))
			i++;
		else if (i + 1 < n && s[i] == '\xC2' && s[i + 1] == '\xA0')
			i += 2;
		else
			return i;
	}
}

static size_t ws_back(const char *s, size_t n)
{
	size_t i = 0;
	for (;;) {
		if (i < n && isspace((unsigned char)s[n - 1 - i]))
			i++;
		else if (i + 1 < n && s[n - 1 - i] == '\xA0' && s[n - 2 - i] == '\xC2')
			i += 2;
		else
			return i;
	}
}

/* s in mark, outer spaces outside: Markdown takes "** x**" for text. */
static void wrap_trimmed(struct conv *c, const char *s, size_t n, const char *mark)
{
	size_t a = ws_front(s, n);
	size_t b = a < n ? n - ws_back(s + a, n - a) : n;
	put(c, s, a);
	if (b > a) {
		puts_(c, mark);
		put(c, s + a, b - a);
		puts_(c, mark);
	}
	put(c, s + b, n - b);
}

static void emph_open(struct conv *c, bool strong)
{
	inline_start(c);
	if (c->emph_n < EMPH_MAX) {
		c->emph_at[c->emph_n] = c->out->len;
		c->emph_strong[c->emph_n] = strong;
	}
	c->emph_n++;
	puts_(c, strong ? "**" : "*");
}

static void emph_close(struct conv *c, bool strong)
{
	const char *mark = strong ? "**" : "*";
	if (c->emph_n == 0)
		return; /* a stray close */
	if (c->emph_n > EMPH_MAX) {
		c->emph_n--;
		puts_(c, mark);
		return;
	}
	if (c->emph_strong[c->emph_n - 1] != strong)
		return; /* misnested: the open marker is closed by its own tag */
	struct buf t = BUF_INIT;
	cut(c, c->emph_at[--c->emph_n], &t);
	size_t ml = strlen(mark);
	if (t.len >= ml && !memcmp(t.p, mark, ml))
		wrap_trimmed(c, t.p + ml, t.len - ml, mark);
	else
		put(c, t.p, t.len); /* a caption moved the text: left as it is */
	buf_free(&t);
}

static void code_open(struct conv *c)
{
	if (c->code)
		return;
	inline_start(c);
	c->code = true;
	c->code_at = c->out->len;
}

/* The code span, verbatim, in a fence longer than any backtick run in it. */
static void code_close(struct conv *c)
{
	if (!c->code)
		return;
	c->code = false;
	struct buf t = BUF_INIT;
	cut(c, c->code_at, &t);
	size_t run = 0, longest = 0, spaces = 0;
	for (size_t i = 0; i < t.len; i++) {
		run = t.p[i] == '`' ? run + 1 : 0;
		if (run > longest)
			longest = run;
		spaces += t.p[i] == ' ';
	}
	if (t.len) {
		/* CommonMark strips a space from each end; an end backtick joins the fence */
		bool pad = spaces < t.len && (t.p[0] == '`' || t.p[t.len - 1] == '`' ||
		                              (t.p[0] == ' ' && t.p[t.len - 1] == ' '));
		for (size_t i = 0; i <= longest; i++)
			puts_(c, "`");
		if (pad)
			puts_(c, " ");
		put(c, t.p, t.len);
		if (pad)
			puts_(c, " ");
		for (size_t i = 0; i <= longest; i++)
			puts_(c, "`");
	}
	buf_free(&t);
}

/* The caption text becomes an italic line under the image: a figure. */
static void caption_end(struct conv *c)
{
	c->caption = false;
	c->cap_after_a = false;
	c->pending_nl = false;
	while (c->cap_at && c->emph_n > 0 && c->emph_n <= EMPH_MAX && c->emph_at[c->emph_n - 1] >= c->cap_at)
		emph_close(c, c->emph_strong[c->emph_n - 1]); /* closed in the caption */
	if (c->cap_at) {
		struct buf t = BUF_INIT;
		cut(c, c->cap_at, &t);
		size_t a = ws_front(t.p, t.len);
		if (a < t.len) {
			puts_(c, "\n");
			line_prefix(c);
			wrap_trimmed(c, t.p + a, t.len - a, "*");
		}
		buf_free(&t);
	}
	c->cap_at = 0;
	block_break(c);
}

/* An embed becomes a link on its own line: quire shows no players. */
static void embed_link(struct conv *c, const char *title, const char *url)
{
	block_break(c);
	if (!*url)
		return;
	if (url_import_link_ok(url)) {
		inline_start(c);
		puts_(c, "[");
		text(c, *title ? title : url, strlen(*title ? title : url));
		puts_(c, "](");
		md_url(c, url);
		puts_(c, ")");
	} else {
		text(c, url, strlen(url)); /* kept as text, never as a link */
	}
	block_break(c);
}

static bool is_block(const char *t)
{
	static const char *const blocks[] = {"p",  "div", "figure",     "table", "ul", "ol",
	                                     "li", "pre", "blockquote", "hr",    "br", "tr"};
	for (size_t i = 0; i < sizeof blocks / sizeof blocks[0]; i++)
		if (!strcmp(t, blocks[i]))
			return true;
	return t[0] == 'h' && t[1] >= '1' && t[1] <= '6' && !t[2];
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
	if (c->code) {
		if (!is_block(t))
			return; /* markup inside inline code is dropped, its text kept */
		code_close(c);
	}
	if (is_block(t))
		c->pending_nl = false;
	if (!strcmp(t, "p") || !strcmp(t, "div") || !strcmp(t, "figure") || !strcmp(t, "table")) {
		block_break(c);
	} else if (!strcmp(t, "br")) {
		puts_(c, "  \n");
	} else if (!strcmp(t, "em") || !strcmp(t, "i")) {
		emph_open(c, false);
	} else if (!strcmp(t, "strong") || !strcmp(t, "b")) {
		emph_open(c, true);
	} else if (t[0] == 'h' && t[1] >= '1' && t[1] <= '6' && !t[2]) {
		block_break(c);
		line_prefix(c);
		for (int i = 0; i < t[1] - '0'; i++)
			puts_(c, "#");
		puts_(c, " ");
		c->at_line_start = false;
	} else if (!strcmp(t, "ul") || !strcmp(t, "ol")) {
		if (c->list_depth < LIST_MAX) {
			c->ordered[c->list_depth] = t[0] == 'o';
			c->item_no[c->list_depth] = 0;
			attr(a, an, "start", v);
			char *end;
			long start = strtol(v, &end, 10);
			if (t[0] == 'o' && *v && !*end && start >= 0 && start <= OL_START_MAX)
				c->item_no[c->list_depth] = start - 1;
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
		if (d < LIST_MAX && c->ordered[d]) {
			char num[24];
			snprintf(num, sizeof num, "%ld. ", ++c->item_no[d]);
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
		code_open(c);
	} else if (!strcmp(t, "a")) {
		attr(a, an, "href", c->href);
		if (url_import_link_ok(c->href)) {
			inline_start(c);
			puts_(c, "[");
		} else {
			c->href[0] = '\0';
		}
	} else if (!strcmp(t, "img")) {
		attr(a, an, "src", v);
		attr(a, an, "alt", alt);
		if (url_import_link_ok(v)) {
			inline_start(c);
			puts_(c, "![");
			text(c, alt, strlen(alt));
			puts_(c, "](");
			md_url(c, v);
			puts_(c, ")");
			if (c->caption && !c->cap_at && !c->cap_after_a) {
				if (c->href[0])
					c->cap_after_a = true;
				else
					c->cap_at = c->out->len;
			}
		}
	} else if (!strcmp(t, "hr")) {
		block_break(c);
		puts_(c, "***\n\n");
	} else if (!strcmp(t, "figcaption") && c->out->len) {
		c->caption = true; /* a Gutenberg image's caption: as [caption] */
		c->cap_at = c->out->len;
	}
}

static void close_tag(struct conv *c, const char *t)
{
	if (c->text_only) {
		if (!strcmp(t, "p") || !strcmp(t, "li") || !strcmp(t, "div") || t[0] == 'h')
			block_break(c);
		return;
	}
	if (c->code) {
		if (strcmp(t, "code") != 0 && !is_block(t))
			return;
		code_close(c);
	}
	if (is_block(t))
		c->pending_nl = false;
	if (!strcmp(t, "p") || !strcmp(t, "div") || !strcmp(t, "figure") || !strcmp(t, "table") ||
	    (t[0] == 'h' && t[1] >= '1' && t[1] <= '6' && !t[2])) {
		block_break(c);
	} else if (!strcmp(t, "em") || !strcmp(t, "i")) {
		emph_close(c, false);
	} else if (!strcmp(t, "strong") || !strcmp(t, "b")) {
		emph_close(c, true);
	} else if (!strcmp(t, "ul") || !strcmp(t, "ol")) {
		if (c->list_depth > 0)
			c->list_depth--;
		block_break(c);
	} else if (!strcmp(t, "blockquote")) {
		drop_quote_blank(c);
		if (c->quote > 0)
			c->quote--;
		block_break(c);
	} else if (!strcmp(t, "pre")) {
		if (!c->at_line_start)
			puts_(c, "\n");
		puts_(c, "```\n\n");
		c->pre = false;
	} else if (!strcmp(t, "figcaption") && c->caption) {
		caption_end(c);
	} else if (!strcmp(t, "a") && c->href[0]) {
		puts_(c, "](");
		md_url(c, c->href);
		puts_(c, ")");
		c->href[0] = '\0';
		if (c->caption && c->cap_after_a) {
			c->cap_after_a = false;
			c->cap_at = c->out->len;
		}
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

/* A shortcode at s: "[name attrs]" or "[/name]"; its length, 0 if s is not one. */
static size_t sc_parse(const char *s, size_t n, char name[SHORTCODE_NAME_MAX], bool *closing)
{
	size_t i = 1, k = 0;
	*closing = i < n && s[i] == '/';
	if (*closing)
		i++;
	if (i >= n || !islower((unsigned char)s[i]))
		return 0;
	while (i < n &&
	       (islower((unsigned char)s[i]) || isdigit((unsigned char)s[i]) || s[i] == '_' || s[i] == '-')) {
		if (k + 1 >= SHORTCODE_NAME_MAX)
			return 0;
		name[k++] = s[i++];
	}
	name[k] = '\0';
	if (i >= n || (s[i] != ']' && (*closing || (s[i] != ' ' && s[i] != '/'))))
		return 0;
	const char *e = memchr(s + i, ']', n - i);
	if (!e || memchr(s + 1, '[', (size_t)(e - s) - 1))
		return 0;
	return (size_t)(e - s) + 1;
}

/* A [video] or [audio] URL: src, else a format attribute. */
static void sc_media_url(const char *a, size_t an, char url[ATTR_MAX])
{
	static const char *const keys[] = {"src", "mp4", "m4v", "webm", "ogv", "mp3", "m4a", "ogg", "wav"};
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		attr(a, an, keys[i], url);
		if (*url)
			return;
	}
}

/* Converts the shortcode s[0..len) if it has a Markdown form: the bytes used, else 0. */
static size_t sc_apply(struct conv *c, const char *s, size_t n, size_t len, const char *name, bool closing)
{
	const char *a = s + 1 + closing + strlen(name);
	size_t an = len - (size_t)(a - s) - 1;
	char url[ATTR_MAX];
	if (!strcmp(name, "caption")) {
		if (!closing) {
			block_break(c);
			c->caption = true;
			c->cap_at = 0;
			c->cap_after_a = false;
		} else if (c->caption) {
			caption_end(c);
		}
		return len;
	}
	if (!strcmp(name, "video") || !strcmp(name, "audio")) {
		if (!closing) {
			sc_media_url(a, an, url);
			embed_link(c, "", url);
		}
		return len;
	}
	if (!strcmp(name, "embed") && !closing) {
		const char *e = find(s + len, n - len, "[/embed]");
		if (!e)
			return 0;
		struct buf u = BUF_INIT;
		decode(s + len, (size_t)(e - s) - len, &u);
		const char *p = buf_cstr(&u);
		size_t f = ws_front(p, u.len), b = ws_back(p + f, u.len - f);
		snprintf(url, sizeof url, "%.*s", (int)(u.len - f - b), p + f);
		buf_free(&u);
		embed_link(c, "", url);
		return (size_t)(e - s) + strlen("[/embed]");
	}
	return 0;
}

/* Text between tags, and the shortcodes in it. */
static void chunk(struct conv *c, const char *s, size_t n)
{
	if (c->text_only || c->pre || c->code) {
		text(c, s, n);
		return;
	}
	size_t i = 0, from = 0;
	while (i < n) {
		char name[SHORTCODE_NAME_MAX];
		bool closing;
		size_t len = s[i] == '[' ? sc_parse(s + i, n - i, name, &closing) : 0;
		if (!len) {
			i++;
			continue;
		}
		if (!closing && c->on_shortcode)
			c->on_shortcode(name, c->arg);
		bool handled = !strcmp(name, "caption") || !strcmp(name, "video") || !strcmp(name, "audio") ||
		               (!strcmp(name, "embed") && !closing && find(s + i, n - i, "[/embed]"));
		if (!handled) {
			i += len;
			continue;
		}
		text(c, s + from, i - from);
		i += sc_apply(c, s + i, n - i, len, name, closing);
		from = i;
	}
	text(c, s + from, n - from);
}

/* Just past the "</tag>" after h[from], or n. */
static size_t skip_element(const char *h, size_t n, size_t from, const char *tag)
{
	char endtag[TAG_MAX + 3];
	snprintf(endtag, sizeof endtag, "</%s", tag);
	size_t el = strlen(endtag);
	for (size_t j = from; j + el <= n; j++)
		if (strncasecmp(h + j, endtag, el) == 0) {
			const char *eg = memchr(h + j, '>', n - j);
			return eg ? (size_t)(eg - h) + 1 : n;
		}
	return n;
}

/* The "url" of a Gutenberg embed block's JSON attributes in s[0..n), unescaped. */
static void block_url(const char *s, size_t n, char url[ATTR_MAX])
{
	url[0] = '\0';
	const char *k = find(s, n, "\"url\":\"");
	if (!k)
		return;
	size_t i = (size_t)(k - s) + strlen("\"url\":\""), o = 0;
	while (i < n && s[i] != '"' && o + 1 < ATTR_MAX) {
		if (s[i] == '\\' && i + 1 < n)
			i++; /* JSON escapes such as \/ */
		url[o++] = s[i++];
	}
	url[o] = '\0';
}

/* A comment at h[i]: the more tag, an embed block, or nothing; returns where it ends. */
static size_t comment(struct conv *c, const char *h, size_t n, size_t i)
{
	const char *e = find(h + i + 4, n - i - 4, "-->");
	size_t end = e ? (size_t)(e - h) + 3 : n;
	if (c->text_only)
		return end;
	const char *body = h + i + 4;
	size_t bn = e ? (size_t)(e - body) : n - i - 4;
	size_t f = ws_front(body, bn);
	if (bn - f >= 4 && memcmp(body + f, "more", 4) == 0 &&
	    (bn - f == 4 || isspace((unsigned char)body[f + 4]))) {
		while (c->out->len && c->out->p[c->out->len - 1] == ' ')
			c->out->p[--c->out->len] = '\0';
		block_break(c);
		line_prefix(c);
		puts_(c, HTML2MD_MORE "\n");
		block_break(c);
		return end;
	}
	bool embed = bn - f > 8 && (memcmp(body + f, "wp:embed", 8) == 0 ||
	                            (bn - f > 14 && memcmp(body + f, "wp:core-embed", 13) == 0));
	if (!embed)
		return end;
	char url[ATTR_MAX];
	block_url(body, bn, url);
	if (!*url)
		return end;
	/* the block's HTML holds the URL again: skipped */
	const char *close = find(h + end, n - end, "<!-- /wp:");
	const char *cg = close ? find(close, n - (size_t)(close - h), "-->") : NULL;
	embed_link(c, "", url);
	return cg ? (size_t)(cg - h) + 3 : end;
}

static int convert(const char *h, size_t n, struct buf *out, bool text_only,
                   html2md_shortcode_fn on_shortcode, void *arg)
{
	struct conv c = {.out = out,
	                 .at_line_start = true,
	                 .text_only = text_only,
	                 .on_shortcode = on_shortcode,
	                 .arg = arg};
	size_t i = 0;
	while (i < n) {
		const char *lt = memchr(h + i, '<', n - i);
		size_t tl = lt ? (size_t)(lt - h - i) : n - i;
		chunk(&c, h + i, tl);
		i += tl;
		if (!lt)
			break;
		if (n - i >= 4 && memcmp(h + i, "<!--", 4) == 0) {
			i = comment(&c, h, n, i);
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
		size_t an = (size_t)(gt - p);
		if (!closing && !text_only &&
		    (!strcmp(tag, "iframe") || !strcmp(tag, "video") || !strcmp(tag, "audio"))) {
			char url[ATTR_MAX], title[ATTR_MAX];
			attr(p, an, "src", url);
			attr(p, an, "title", title);
			i = skip_element(h, n, next, tag);
			if (!*url && strcmp(tag, "iframe") != 0) {
				/* the first <source src> inside */
				const char *src = find(h + next, i - next, "<source");
				const char *sg = src ? memchr(src, '>', i - (size_t)(src - h)) : NULL;
				if (sg)
					attr(src + 7, (size_t)(sg - src) - 7, "src", url);
			}
			embed_link(&c, title, url);
			continue;
		}
		if (!closing &&
		    (!strcmp(tag, "script") || !strcmp(tag, "style") || !strcmp(tag, "iframe") ||
		     !strcmp(tag, "object") || !strcmp(tag, "noscript") || !strcmp(tag, "template"))) {
			/* dropped with everything inside */
			i = skip_element(h, n, next, tag);
			continue;
		}
		if (closing)
			close_tag(&c, tag);
		else
			open_tag(&c, tag, p, an);
		i = next;
	}
	if (c.code)
		code_close(&c);
	if (!text_only)
		drop_quote_blank(&c);
	/* trim trailing blank lines */
	while (out->len && (out->p[out->len - 1] == '\n' || out->p[out->len - 1] == ' '))
		out->p[--out->len] = '\0';
	if (out->len && !text_only)
		buf_addc(out, '\n');
	return out->oom ? -1 : 0;
}

int html2md(const char *html, size_t n, struct buf *md)
{
	return html2md_ex(html, n, md, NULL, NULL);
}

int html2md_ex(const char *html, size_t n, struct buf *md, html2md_shortcode_fn on_shortcode, void *arg)
{
	return convert(html, n, md, false, on_shortcode, arg);
}

int html2text(const char *html, size_t n, struct buf *text_out)
{
	return convert(html, n, text_out, true, NULL, NULL);
}
