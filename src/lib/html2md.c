/* html2md: libxml2's HTML parser (a well-kept, fuzzed library) reads the HTML; its SAX events
 * drive the Markdown writer of html2md_out.c. SAX rather than a tree: libxml2 stops building a
 * tree 256 elements deep and drops the rest, while its SAX events go as deep as the input. */
#include "html2md.h"

#include <libxml/HTMLparser.h>
#include <libxml/parserInternals.h>
#include <ctype.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "html2md_out.h"
#include "html2md_sc.h"
#include "html2md_table.h"
#include "text.h"
#include "url.h"

#define HTML_OPTS (HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET | HTML_PARSE_NOIMPLIED)

static pthread_once_t xml_once = PTHREAD_ONCE_INIT;

static void xml_init(void)
{
	xmlInitParser();
}

/* The value of attribute name, or "". */
static void attr(const xmlChar **atts, const char *name, char out[ATTR_MAX])
{
	out[0] = '\0';
	for (; atts && atts[0]; atts += 2)
		if (!strcmp((const char *)atts[0], name)) {
			snprintf(out, ATTR_MAX, "%s", atts[1] ? (const char *)atts[1] : "");
			return;
		}
}

static bool is_heading(const char *t)
{
	return t[0] == 'h' && t[1] >= '1' && t[1] <= '6' && !t[2];
}

static bool is_block(const char *t)
{
	static const char *const blocks[] = {"p",  "div", "figure",     "table", "ul", "ol",
	                                     "li", "pre", "blockquote", "hr",    "br", "tr"};
	for (size_t i = 0; i < sizeof blocks / sizeof blocks[0]; i++)
		if (!strcmp(t, blocks[i]))
			return true;
	return is_heading(t);
}

static bool is_dropped(const char *t)
{
	static const char *const drop[] = {"script",   "style", "iframe", "object", "noscript",
	                                   "template", "video", "audio",  "head",   "title"};
	for (size_t i = 0; i < sizeof drop / sizeof drop[0]; i++)
		if (!strcmp(t, drop[i]))
			return true;
	return false;
}

static bool is_del(const char *t)
{
	return !strcmp(t, "s") || !strcmp(t, "del") || !strcmp(t, "strike");
}

static void list_open(struct conv *c, const char *t, const xmlChar **atts)
{
	char v[ATTR_MAX];
	if (c->list_depth < LIST_MAX) {
		c->marker_len[c->list_depth] = 2;
		c->ordered[c->list_depth] = t[0] == 'o';
		c->item_no[c->list_depth] = 0;
		attr(atts, "start", v);
		char *end;
		long start = strtol(v, &end, 10);
		if (t[0] == 'o' && *v && !*end && start >= 0 && start <= OL_START_MAX)
			c->item_no[c->list_depth] = start - 1;
	}
	c->list_depth++;
	if (c->list_depth > 1 && !c->blank) {
		/* a list inside an item: on the next line, so both stay tight */
		if (!c->at_line_start)
			h2m_puts(c, "\n");
		c->pending_nl = false;
	} else {
		h2m_block_break(c);
	}
}

/* A <p> or <div> inside a list item (not in a table cell, which has its own rule). */
static bool in_item_para(const struct conv *c, const char *t)
{
	return c->list_depth > 0 && !c->pre && (!strcmp(t, "p") || !strcmp(t, "div"));
}

static void item_open(struct conv *c)
{
	if (!c->at_line_start && c->out->len)
		h2m_puts(c, "\n");
	h2m_line_prefix(c);
	int d = c->list_depth > 0 ? c->list_depth - 1 : 0;
	/* deeper lists are written at the last level: flattened, never dropped */
	if (d >= LIST_MAX)
		d = LIST_MAX - 1;
	/* CommonMark nests an item indented to its parent's text: the widths of the markers */
	for (int i = 0; i < d; i++)
		for (int k = 0; k < c->marker_len[i]; k++)
			h2m_puts(c, " ");
	char num[24];
	if (c->ordered[d])
		snprintf(num, sizeof num, "%ld. ", ++c->item_no[d]);
	else
		snprintf(num, sizeof num, "- ");
	h2m_puts(c, num);
	c->marker_len[d] = (int)strlen(num);
	c->at_line_start = false;
}

static void image(struct conv *c, const xmlChar **atts)
{
	char v[ATTR_MAX], alt[ATTR_MAX];
	attr(atts, "src", v);
	attr(atts, "alt", alt);
	if (!url_import_link_ok(v))
		return;
	h2m_inline_start(c);
	h2m_puts(c, "![");
	h2m_text(c, alt, strlen(alt));
	h2m_puts(c, "](");
	h2m_md_url(c, v);
	h2m_puts(c, ")");
	if (c->caption && !c->cap_at && !c->cap_after_a) {
		if (c->href[0])
			c->cap_after_a = true;
		else
			c->cap_at = c->out->len;
	}
}

/* Inline tags, and the blocks of a Markdown document (not in a table cell). */
static void open_tag(struct conv *c, const char *t, const xmlChar **atts)
{
	char v[ATTR_MAX];
	if (c->code) {
		if (!is_block(t))
			return; /* markup inside inline code is dropped, its text kept */
		h2m_code_close(c);
	}
	if (is_block(t))
		c->pending_nl = false;
	if (h2m_in_cell(c) && is_block(t) && strcmp(t, "figure") != 0) {
		h2m_block_break(c); /* a space: a pipe table's cell is one line */
		return;
	}
	if (in_item_para(c, t)) {
		/* a paragraph inside a list item stays in it: a line break, never a new block (which
		 * would end the list); none right after the item's marker */
		size_t n = c->out->len;
		c->pending_nl = !c->at_line_start && !(n >= 2 && c->out->p[n - 1] == ' ' &&
		                                       (c->out->p[n - 2] == '-' || c->out->p[n - 2] == '.'));
	} else if (!strcmp(t, "p") || !strcmp(t, "div") || !strcmp(t, "figure")) {
		h2m_block_break(c);
	} else if (!strcmp(t, "br")) {
		h2m_puts(c, "  \n");
	} else if (!strcmp(t, "em") || !strcmp(t, "i")) {
		h2m_emph_open(c, MARK_EM);
	} else if (!strcmp(t, "strong") || !strcmp(t, "b")) {
		h2m_emph_open(c, MARK_STRONG);
	} else if (is_del(t)) {
		h2m_emph_open(c, MARK_DEL);
	} else if (!strcmp(t, "sup") || !strcmp(t, "sub")) {
		c->sup = t[1] == 'u' && t[2] == 'p' ? 1 : -1;
	} else if (is_heading(t)) {
		h2m_block_break(c);
		h2m_line_prefix(c);
		for (int i = 0; i < t[1] - '0'; i++)
			h2m_puts(c, "#");
		h2m_puts(c, " ");
		c->at_line_start = false;
	} else if (!strcmp(t, "ul") || !strcmp(t, "ol")) {
		list_open(c, t, atts);
	} else if (!strcmp(t, "li")) {
		item_open(c);
	} else if (!strcmp(t, "blockquote")) {
		h2m_block_break(c);
		c->quote++;
	} else if (!strcmp(t, "pre")) {
		h2m_block_break(c);
		h2m_line_prefix(c);
		c->pre_at = c->out->len;
		h2m_puts(c, "```\n");
		c->pre = true;
	} else if ((!strcmp(t, "code") || !strcmp(t, "kbd")) && !c->pre) {
		h2m_code_open(c);
	} else if (!strcmp(t, "a")) {
		attr(atts, "href", v);
		snprintf(c->href, sizeof c->href, "%s", v);
		if (url_import_link_ok(c->href)) {
			h2m_inline_start(c);
			h2m_puts(c, "[");
		} else {
			c->href[0] = '\0';
		}
	} else if (!strcmp(t, "img")) {
		image(c, atts);
	} else if (!strcmp(t, "hr")) {
		h2m_block_break(c);
		h2m_line_prefix(c);
		h2m_puts(c, "***\n");
		h2m_block_break(c);
	} else if (!strcmp(t, "cite") && c->quote > 0) {
		/* a quote's source on a line of its own (Gutenberg's quote block): "— Name" */
		h2m_inline_start(c);
		if (c->out->len >= 2 && !memcmp(c->out->p + c->out->len - 2, "> ", 2))
			h2m_puts(c, "\u2014 ");
	} else if (!strcmp(t, "figcaption") && c->out->len) {
		c->caption = true; /* a Gutenberg image's caption: as [caption] */
		c->cap_at = c->out->len;
	}
}

/* Closes a <pre>'s fenced block with a fence longer than any run of backticks in it, lengthening
 * the opening one to match: a "```" line in the code must not end the block. */
static void fence_close(struct conv *c)
{
	size_t run = 0, longest = 0;
	for (size_t i = c->pre_at + 3; i < c->out->len; i++) {
		run = c->out->p[i] == '`' ? run + 1 : 0;
		if (run > longest)
			longest = run;
	}
	size_t n = longest >= 3 ? longest + 1 : 3, extra = n - 3;
	if (extra && c->pre_at < c->out->len) {
		size_t tail = c->out->len - c->pre_at;
		for (size_t k = 0; k < extra; k++)
			buf_addc(c->out, '`'); /* room, then the text moves right behind the longer fence */
		if (!c->out->oom) {
			memmove(c->out->p + c->pre_at + extra, c->out->p + c->pre_at, tail);
			memset(c->out->p + c->pre_at, '`', extra);
		}
	}
	for (size_t k = 0; k < n; k++)
		h2m_puts(c, "`");
	h2m_puts(c, "\n");
}

static void close_tag(struct conv *c, const char *t)
{
	if (c->code) {
		if (strcmp(t, "code") != 0 && strcmp(t, "kbd") != 0 && !is_block(t))
			return;
		h2m_code_close(c);
	}
	if (is_block(t))
		c->pending_nl = false;
	if (h2m_in_cell(c) && is_block(t) && strcmp(t, "figure") != 0) {
		h2m_block_break(c);
		return;
	}
	if (in_item_para(c, t)) {
		c->pending_nl = !c->at_line_start; /* the next paragraph of the item: a line break */
	} else if (!strcmp(t, "p") || !strcmp(t, "div") || !strcmp(t, "figure") || is_heading(t)) {
		h2m_block_break(c);
	} else if (!strcmp(t, "em") || !strcmp(t, "i")) {
		h2m_emph_close(c, MARK_EM);
	} else if (!strcmp(t, "strong") || !strcmp(t, "b")) {
		h2m_emph_close(c, MARK_STRONG);
	} else if (is_del(t)) {
		h2m_emph_close(c, MARK_DEL);
	} else if (!strcmp(t, "sup") || !strcmp(t, "sub")) {
		c->sup = 0;
	} else if (!strcmp(t, "ul") || !strcmp(t, "ol")) {
		if (c->list_depth > 0)
			c->list_depth--;
		if (c->list_depth == 0)
			h2m_block_break(c);
	} else if (!strcmp(t, "blockquote")) {
		h2m_drop_quote_blank(c);
		if (c->quote > 0)
			c->quote--;
		h2m_block_break(c);
	} else if (!strcmp(t, "pre") && c->pre) {
		if (!c->at_line_start)
			h2m_puts(c, "\n");
		h2m_line_prefix(c);
		fence_close(c);
		h2m_block_break(c);
		c->pre = false;
	} else if (!strcmp(t, "figcaption") && c->caption) {
		h2m_caption_end(c);
	} else if (!strcmp(t, "a") && c->href[0]) {
		h2m_puts(c, "](");
		h2m_md_url(c, c->href);
		h2m_puts(c, ")");
		c->href[0] = '\0';
		if (c->caption && c->cap_after_a) {
			c->cap_after_a = false;
			c->cap_at = c->out->len;
		}
	}
}

/* The "url" of a Gutenberg embed block's JSON attributes in s, unescaped. */
static void block_url(const char *s, char url[ATTR_MAX])
{
	url[0] = '\0';
	const char *k = strstr(s, "\"url\":\"");
	if (!k)
		return;
	size_t o = 0;
	for (k += strlen("\"url\":\""); *k && *k != '"' && o + 1 < ATTR_MAX; k++) {
		if (*k == '\\' && k[1])
			k++; /* JSON escapes such as \/ */
		url[o++] = *k;
	}
	url[o] = '\0';
}

/* A comment's text: the more tag, an embed block (its HTML holds the URL again: skipped up to
 * the block's closing comment), or nothing. */
static void comment(struct conv *c, const char *body)
{
	size_t bn = strlen(body), f = h2m_ws_front(body, bn);
	const char *b = body + f;
	if (c->skip_to_block_end) {
		if (!strncmp(b, "/wp:", 4))
			c->skip_to_block_end = false;
		return;
	}
	if (c->text_only)
		return;
	if (!strncmp(b, "more", 4) && (!b[4] || isspace((unsigned char)b[4]))) {
		if (h2m_in_cell(c))
			return;
		while (c->out->len && c->out->p[c->out->len - 1] == ' ')
			c->out->p[--c->out->len] = '\0';
		h2m_block_break(c);
		h2m_line_prefix(c);
		h2m_puts(c, HTML2MD_MORE "\n");
		h2m_block_break(c);
		return;
	}
	if (strncmp(b, "wp:embed", 8) != 0 && strncmp(b, "wp:core-embed", 13) != 0)
		return;
	char url[ATTR_MAX];
	block_url(b, url);
	if (!*url)
		return;
	h2m_embed_link(c, "", url);
	/* skipped only when a closing comment follows: else the block's text is kept */
	c->skip_to_block_end = xmlByteConsumed(c->parser) < c->last_block_end;
}

/* The text read since the last tag or comment, written now that the run is whole. */
static void flush_text(struct conv *c)
{
	if (!c->pend.len)
		return;
	h2m_chunk(c, c->pend.p, c->pend.len);
	buf_reset(&c->pend);
}

static void on_start(void *ctx, const xmlChar *name, const xmlChar **atts)
{
	struct conv *c = ctx;
	const char *t = (const char *)name;
	flush_text(c);
	if (c->skip) {
		if (c->skip_embed && !c->embed_url[0] && !strcmp(t, "source"))
			attr(atts, "src", c->embed_url); /* a <video>'s first <source> */
		c->skip++;
		return;
	}
	if (c->skip_to_block_end)
		return;
	if (is_dropped(t)) {
		/* dropped with everything inside; an embed leaves a link */
		c->skip = 1;
		c->skip_embed =
		    !c->text_only && (!strcmp(t, "iframe") || !strcmp(t, "video") || !strcmp(t, "audio"));
		attr(atts, "src", c->embed_url);
		attr(atts, "title", c->embed_title);
		return;
	}
	if (c->text_only) {
		if (!strcmp(t, "p") || !strcmp(t, "br") || !strcmp(t, "li") || !strcmp(t, "div") ||
		    t[0] == 'h')
			h2m_block_break(c);
		return;
	}
	char v[ATTR_MAX];
	attr(atts, "colspan", v);
	char *end;
	long colspan = strtol(v, &end, 10);
	int span = !*v || *end || colspan < 1 ? 1 : colspan > COLSPAN_MAX ? COLSPAN_MAX : (int)colspan;
	if (h2m_table_open(c, t, span))
		return;
	open_tag(c, t, atts);
}

static void on_end(void *ctx, const xmlChar *name)
{
	struct conv *c = ctx;
	const char *t = (const char *)name;
	flush_text(c);
	if (c->skip) {
		if (--c->skip == 0 && c->skip_embed) {
			c->skip_embed = false;
			h2m_embed_link(c, c->embed_title, c->embed_url);
		}
		return;
	}
	if (c->skip_to_block_end)
		return;
	if (c->text_only) {
		if (!strcmp(t, "p") || !strcmp(t, "li") || !strcmp(t, "div") || t[0] == 'h')
			h2m_block_break(c);
		return;
	}
	if (h2m_table_close(c, t))
		return;
	close_tag(c, t);
}

static void on_text(void *ctx, const xmlChar *s, int len)
{
	struct conv *c = ctx;
	if (!c->skip && !c->skip_to_block_end && len > 0)
		buf_add(&c->pend, s, (size_t)len);
}

static void on_comment(void *ctx, const xmlChar *body)
{
	struct conv *c = ctx;
	flush_text(c);
	if (!c->skip)
		comment(c, (const char *)body);
}

/* Where the last "<!-- /wp:" of s[0..n) starts, -1 if there is none. */
static long last_block_end(const char *s, size_t n)
{
	static const char mark[] = "<!-- /wp:";
	size_t k = sizeof mark - 1;
	for (size_t i = n >= k ? n - k + 1 : 0; i-- > 0;)
		if (memcmp(s + i, mark, k) == 0)
			return (long)i;
	return -1;
}

static int convert(const char *h, size_t n, struct buf *out, bool text_only,
                   html2md_shortcode_fn on_shortcode, void *arg)
{
	struct conv c = {.out = out,
	                 .at_line_start = true,
	                 .text_only = text_only,
	                 .on_shortcode = on_shortcode,
	                 .arg = arg,
	                 .pend = BUF_INIT};
	struct buf in = BUF_INIT;
	htmlParserCtxtPtr ctx = NULL;
	int rc = -1;
	if (n == 0)
		return 0;
	if (n > INT_MAX / 2 || pthread_once(&xml_once, xml_init) != 0)
		goto out;
	/* inside <body>, libxml2 wraps no text in an implied <p> (that would split "<b>x</b>y") */
	buf_adds(&in, "<body>");
	utf8_scrub(h, n, &in);
	if (in.oom)
		goto out;
	c.last_block_end = last_block_end(in.p, in.len);
	ctx = htmlCreateMemoryParserCtxt(in.p, (int)in.len);
	if (!ctx)
		goto out;
	c.parser = ctx;
	htmlSAXHandler sax;
	memset(&sax, 0, sizeof sax);
	sax.startElement = on_start;
	sax.endElement = on_end;
	sax.characters = on_text;
	sax.ignorableWhitespace = on_text;
	sax.cdataBlock = on_text;
	sax.comment = on_comment;
	*ctx->sax = sax;
	ctx->userData = &c;
	htmlCtxtUseOptions(ctx, HTML_OPTS);
	if (xmlSwitchEncoding(ctx, XML_CHAR_ENCODING_UTF8) != 0)
		goto out;
	htmlParseDocument(ctx); /* a forgiving parser: its errors are not ours to report */
	flush_text(&c);
	if (c.code)
		h2m_code_close(&c);
	h2m_table_end_all(&c);
	if (!text_only) {
		h2m_drop_quote_blank(&c);
		h2m_drop_space_lines(out);
	}
	/* trim trailing blank lines */
	while (out->len && (out->p[out->len - 1] == '\n' || out->p[out->len - 1] == ' '))
		out->p[--out->len] = '\0';
	if (out->len && !text_only)
		buf_addc(out, '\n');
	rc = out->oom || c.pend.oom ? -1 : 0;
out:
	if (ctx)
		htmlFreeParserCtxt(ctx);
	if (c.table_on) {
		buf_free(&c.tbl.cells);
		buf_free(&c.tbl.rows);
		buf_free(&c.tbl.caption_text);
	}
	buf_free(&c.pend);
	buf_free(&in);
	return rc;
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
