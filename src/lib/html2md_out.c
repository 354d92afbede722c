/* html2md_out: the Markdown writer: escaped text, block breaks inside quotes, emphasis with its
 * spaces moved outside, verbatim code spans, captions and embed links. */
#include <ctype.h>
#include <string.h>

#include "html2md_out.h"
#include "url.h"

#define ENTITY_NAME_MAX 32 /* the longest HTML entity name is 31 characters */

void h2m_put(struct conv *c, const char *s, size_t n)
{
	if (n == 0)
		return;
	buf_add(c->out, s, n);
	c->at_line_start = s[n - 1] == '\n';
	c->blank = false;
}

void h2m_puts(struct conv *c, const char *s)
{
	h2m_put(c, s, strlen(s));
}

/* After truncating out: where we are. */
void h2m_resync(struct conv *c)
{
	c->at_line_start = c->out->len == 0 || c->out->p[c->out->len - 1] == '\n';
}

static int quote_depth(const struct conv *c)
{
	return c->quote < NEST_MAX ? c->quote : NEST_MAX;
}

void h2m_line_prefix(struct conv *c)
{
	if (h2m_in_cell(c))
		return;
	for (int i = 0; i < quote_depth(c); i++)
		h2m_puts(c, "> ");
}

/* A newline in classic content is a <br> in WordPress (wpautop). */
static void flush_nl(struct conv *c)
{
	if (!c->pending_nl)
		return;
	c->pending_nl = false;
	h2m_puts(c, h2m_in_cell(c) ? " " : "\\\n");
}

/* Before inline markup: a pending break, a new line's quote prefix. */
void h2m_inline_start(struct conv *c)
{
	flush_nl(c);
	if (c->at_line_start)
		h2m_line_prefix(c);
}

/* Ends the current block: a blank line, quoted inside a quote so that it stays one quote; a
 * space inside a table cell (a pipe table holds one line per row). */
void h2m_block_break(struct conv *c)
{
	c->pending_nl = false;
	if (c->text_only || h2m_in_cell(c)) {
		if (c->out->len && !c->at_line_start && c->out->p[c->out->len - 1] != ' ')
			h2m_puts(c, " ");
		return;
	}
	size_t n = c->out->len;
	const char *p = c->out->p;
	if (n == 0 || c->blank)
		return;
	if (n >= 2 && p[n - 1] == '\n' && p[n - 2] == '\n')
		return;
	if (p[n - 1] != '\n')
		h2m_puts(c, "\n");
	for (int i = 0; i < quote_depth(c); i++)
		h2m_puts(c, ">");
	h2m_puts(c, "\n");
	c->blank = true;
}

/* Removes a trailing quoted blank line (">>\n"): the quote ends there. */
/* Whether the n bytes at s are spaces and at least one no-break space (U+00A0). */
static bool only_nbsp(const char *s, size_t n)
{
	bool nbsp = false;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == ' ')
			continue;
		if (i + 1 < n && (unsigned char)s[i] == 0xC2 && (unsigned char)s[i + 1] == 0xA0) {
			nbsp = true;
			i++;
			continue;
		}
		return false;
	}
	return nbsp;
}

void h2m_drop_space_lines(struct buf *out)
{
	size_t r = 0, w = 0;
	bool fence = false, dropped = false;
	while (r < out->len) {
		const char *nl = memchr(out->p + r, '\n', out->len - r);
		size_t n = nl ? (size_t)(nl - (out->p + r)) : out->len - r, next = r + n + (nl != NULL);
		if (n >= 3 && !memcmp(out->p + r, "```", 3))
			fence = !fence;
		bool drop = (!fence && only_nbsp(out->p + r, n)) || (dropped && n == 0);
		dropped = drop && n > 0;
		if (!drop) {
			memmove(out->p + w, out->p + r, next - r);
			w += next - r;
		}
		r = next;
	}
	out->len = w;
	if (out->p)
		out->p[w] = '\0';
}

void h2m_drop_quote_blank(struct conv *c)
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
	h2m_resync(c);
	c->blank = false;
}

/* The superscript (up > 0) or subscript form of ch, or NULL: x<sup>2</sup> is x², not x2. */
static const char *script_char(char ch, int up)
{
	static const char *const sup[] = {"⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"};
	static const char *const sub[] = {"₀", "₁", "₂", "₃", "₄", "₅", "₆", "₇", "₈", "₉"};
	if (ch >= '0' && ch <= '9')
		return up > 0 ? sup[ch - '0'] : sub[ch - '0'];
	switch (ch) {
	case '+':
		return up > 0 ? "⁺" : "₊";
	case '-':
		return up > 0 ? "⁻" : "₋";
	case '=':
		return up > 0 ? "⁼" : "₌";
	case '(':
		return up > 0 ? "⁽" : "₍";
	case ')':
		return up > 0 ? "⁾" : "₎";
	}
	return NULL;
}

/* True when every character of s[0..n) has a super/subscript form. */
static bool scriptable(const char *s, size_t n)
{
	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!script_char(s[i], 1))
			return false;
	return true;
}

/* Text (entities already decoded by the parser), with what Markdown would take for markup
 * escaped. */
/* Whether the n bytes at s start like the rest of a character reference: "copy;", "#169;". */
static bool entity_like(const char *s, size_t n)
{
	size_t i = n && s[0] == '#' ? 1 : 0, start = i;
	while (i < n && i < ENTITY_NAME_MAX && isalnum((unsigned char)s[i]))
		i++;
	return i > start && i < n && s[i] == ';';
}

void h2m_text(struct conv *c, const char *p, size_t len)
{
	bool cell = h2m_in_cell(c);
	bool script = c->sup && !c->pre && !c->code && !c->text_only && scriptable(p, len);
	for (size_t i = 0; i < len; i++) {
		char ch = p[i];
		if (c->pre || c->text_only) {
			h2m_put(c, &ch, 1);
			continue;
		}
		if (ch == '\r')
			continue;
		if (c->code) {
			/* verbatim: a code span takes no escapes; a newline in one is a space; a pipe in a
			 * table cell is escaped even there (GFM splits the row first) */
			if (cell && ch == '|')
				h2m_puts(c, "\\|");
			else
				h2m_put(c, ch == '\n' ? " " : &ch, 1);
			continue;
		}
		if (ch == '\n' && cell)
			ch = ' ';
		if (ch == '\n') {
			if (c->pending_nl)
				h2m_block_break(c); /* a blank line: wpautop's paragraph */
			else if (!c->at_line_start && c->out->len)
				c->pending_nl = true;
			continue;
		}
		if (c->pending_nl && (ch == ' ' || ch == '\t'))
			continue;
		flush_nl(c);
		if (script) {
			h2m_inline_start(c);
			h2m_puts(c, script_char(ch, c->sup));
			continue;
		}
		if (c->at_line_start) {
			h2m_line_prefix(c);
			if (ch == ' ' || ch == '\t')
				continue;
			if (strchr("#>-+=", ch)) {
				h2m_puts(c, "\\");
				h2m_put(c, &ch, 1);
				continue;
			}
			/* "1986. A fine year" would start an ordered list */
			size_t j = i;
			while (j < len && j - i <= LIST_NUM_DIGITS && isdigit((unsigned char)p[j]))
				j++;
			if (j > i && j - i <= LIST_NUM_DIGITS && j < len && (p[j] == '.' || p[j] == ')')) {
				h2m_put(c, p + i, j - i);
				h2m_puts(c, "\\");
				h2m_put(c, p + j, 1);
				i = j;
				continue;
			}
		}
		/* "&copy;" written as text (&amp;copy; in the HTML) must not become a character */
		if (strchr("\\`*_[]<>|~", ch) || (ch == '&' && entity_like(p + i + 1, len - i - 1)))
			h2m_puts(c, "\\");
		h2m_put(c, &ch, 1);
	}
}

/* A URL inside Markdown's (...): spaces and parentheses encoded. */
void h2m_md_url(struct conv *c, const char *u)
{
	for (const char *p = u; *p; p++) {
		if (*p == ' ')
			h2m_puts(c, "%20");
		else if (*p == '(')
			h2m_puts(c, "%28");
		else if (*p == ')')
			h2m_puts(c, "%29");
		else if (*p == '|')
			h2m_puts(c, "%7C"); /* would end a table cell */
		else if ((unsigned char)*p >= 0x20)
			h2m_put(c, p, 1);
	}
}

/* Moves out[from..) into t (t starts empty). */
void h2m_cut(struct conv *c, size_t from, struct buf *t)
{
	if (c->out->len > from) {
		buf_add(t, c->out->p + from, c->out->len - from);
		c->out->len = from;
		c->out->p[from] = '\0';
	}
	h2m_resync(c);
	c->blank = false;
}

/* Bytes of whitespace (ASCII, U+00A0) at the front, or back, of s[0..n). */
size_t h2m_ws_front(const char *s, size_t n)
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

size_t h2m_ws_back(const char *s, size_t n)
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
	size_t a = h2m_ws_front(s, n);
	size_t b = a < n ? n - h2m_ws_back(s + a, n - a) : n;
	h2m_put(c, s, a);
	if (b > a) {
		h2m_puts(c, mark);
		h2m_put(c, s + a, b - a);
		h2m_puts(c, mark);
	}
	h2m_put(c, s + b, n - b);
}

static const char *mark_text(enum mark kind)
{
	return kind == MARK_STRONG ? "**" : kind == MARK_DEL ? "~~" : "*";
}

void h2m_emph_open(struct conv *c, enum mark kind)
{
	h2m_inline_start(c);
	if (c->emph_n < EMPH_MAX) {
		c->emph_at[c->emph_n] = c->out->len;
		c->emph_kind[c->emph_n] = kind;
	}
	c->emph_n++;
	h2m_puts(c, mark_text(kind));
}

void h2m_emph_close(struct conv *c, enum mark kind)
{
	const char *mark = mark_text(kind);
	if (c->emph_n == 0)
		return; /* a stray close */
	if (c->emph_n > EMPH_MAX) {
		c->emph_n--;
		h2m_puts(c, mark);
		return;
	}
	if (c->emph_kind[c->emph_n - 1] != kind)
		return; /* misnested: the open marker is closed by its own tag */
	struct buf t = BUF_INIT;
	h2m_cut(c, c->emph_at[--c->emph_n], &t);
	size_t ml = strlen(mark);
	if (t.len >= ml && !memcmp(t.p, mark, ml))
		wrap_trimmed(c, t.p + ml, t.len - ml, mark);
	else
		h2m_put(c, t.p, t.len); /* a caption moved the text: left as it is */
	buf_free(&t);
}

void h2m_code_open(struct conv *c)
{
	if (c->code)
		return;
	h2m_inline_start(c);
	c->code = true;
	c->code_at = c->out->len;
}

/* The code span, verbatim, in a fence longer than any backtick run in it. */
void h2m_code_close(struct conv *c)
{
	if (!c->code)
		return;
	c->code = false;
	struct buf t = BUF_INIT;
	h2m_cut(c, c->code_at, &t);
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
			h2m_puts(c, "`");
		if (pad)
			h2m_puts(c, " ");
		h2m_put(c, t.p, t.len);
		if (pad)
			h2m_puts(c, " ");
		for (size_t i = 0; i <= longest; i++)
			h2m_puts(c, "`");
	}
	buf_free(&t);
}

/* The caption text becomes an italic line under the image: a figure. */
void h2m_caption_end(struct conv *c)
{
	c->caption = false;
	c->cap_after_a = false;
	c->pending_nl = false;
	while (c->cap_at && c->emph_n > 0 && c->emph_n <= EMPH_MAX && c->emph_at[c->emph_n - 1] >= c->cap_at)
		h2m_emph_close(c, c->emph_kind[c->emph_n - 1]); /* closed in the caption */
	if (c->cap_at) {
		struct buf t = BUF_INIT;
		h2m_cut(c, c->cap_at, &t);
		size_t a = h2m_ws_front(t.p, t.len);
		if (a < t.len) {
			if (!c->at_line_start)
				h2m_puts(c, h2m_in_cell(c) ? " " : "\n");
			h2m_line_prefix(c);
			wrap_trimmed(c, t.p + a, t.len - a, "*");
		}
		buf_free(&t);
	}
	c->cap_at = 0;
	h2m_block_break(c);
}

/* An embed becomes a link on its own line: quire shows no players. */
void h2m_embed_link(struct conv *c, const char *title, const char *url)
{
	h2m_block_break(c);
	if (!*url)
		return;
	if (url_import_link_ok(url)) {
		h2m_inline_start(c);
		h2m_puts(c, "[");
		h2m_text(c, *title ? title : url, strlen(*title ? title : url));
		h2m_puts(c, "](");
		h2m_md_url(c, url);
		h2m_puts(c, ")");
	} else {
		h2m_text(c, url, strlen(url)); /* kept as text, never as a link */
	}
	h2m_block_break(c);
}
