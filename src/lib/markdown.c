/* markdown: cmark-gfm in safe mode with GitHub's extensions; a figure paragraph is written by
 * hand into a custom block, then the document is rendered in one piece (footnotes need that). */
#include "markdown.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>
#include <pthread.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "html_access.h"
#include "text.h"
#include "url.h"

#define MD_OPTS (CMARK_OPT_SAFE | CMARK_OPT_SMART | CMARK_OPT_VALIDATE_UTF8 | CMARK_OPT_FOOTNOTES)

/* GitHub's extensions turned on for posts (tasklist is not: no forms in reader pages) */
static const char *const md_extensions[] = {"table", "strikethrough", "autolink", "tagfilter"};

static pthread_once_t registered = PTHREAD_ONCE_INIT;

static void register_extensions(void)
{
	cmark_gfm_core_extensions_ensure_registered();
}

/* A parser with the extensions attached, or NULL on OOM. */
static cmark_parser *md_parser(void)
{
	if (pthread_once(&registered, register_extensions) != 0)
		return NULL;
	cmark_parser *p = cmark_parser_new(MD_OPTS);
	if (!p)
		return NULL;
	for (size_t i = 0; i < sizeof md_extensions / sizeof md_extensions[0]; i++) {
		cmark_syntax_extension *e = cmark_find_syntax_extension(md_extensions[i]);
		if (!e || !cmark_parser_attach_syntax_extension(p, e)) {
			cmark_parser_free(p);
			return NULL;
		}
	}
	return p;
}

/* The document tree of md[0..n), or NULL; *parser is freed by the caller after the tree. */
static cmark_node *md_parse(const char *md, size_t n, cmark_parser **parser)
{
	*parser = md_parser();
	if (!*parser)
		return NULL;
	cmark_parser_feed(*parser, md, n);
	return cmark_parser_finish(*parser);
}

static bool is_break(cmark_node *n)
{
	cmark_node_type t = cmark_node_get_type(n);
	return t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK;
}

/* The figure forms: a paragraph [image, break, emph] or [image] followed by a paragraph [emph]. */
static cmark_node *only_child(cmark_node *para, cmark_node_type t)
{
	cmark_node *c = cmark_node_first_child(para);
	return c && !cmark_node_next(c) && cmark_node_get_type(c) == t ? c : NULL;
}

static void plain_text(cmark_node *n, struct buf *out)
{
	cmark_iter *it = cmark_iter_new(n);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *c = cmark_iter_get_node(it);
		if (ev != CMARK_EVENT_ENTER)
			continue;
		cmark_node_type t = cmark_node_get_type(c);
		if (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE)
			buf_adds(out, cmark_node_get_literal(c));
		else if (is_break(c))
			buf_addc(out, ' ');
	}
	cmark_iter_free(it);
}

static void render_inlines(cmark_node *first, cmark_llist *exts, struct buf *html)
{
	for (cmark_node *c = first; c; c = cmark_node_next(c)) {
		char *h = cmark_render_html(c, MD_OPTS, exts);
		if (h) {
			buf_adds(html, h);
			free(h);
		} else {
			html->oom = true;
		}
	}
}

/* The image of a figure: an image, or a link whose only content is an image (WordPress links a
 * captioned picture to its full size); NULL otherwise. */
static cmark_node *figure_image(cmark_node *n)
{
	if (n && cmark_node_get_type(n) == CMARK_NODE_LINK)
		n = only_child(n, CMARK_NODE_IMAGE);
	return n && cmark_node_get_type(n) == CMARK_NODE_IMAGE ? n : NULL;
}

static void render_figure(cmark_node *pic, cmark_node *emph, cmark_llist *exts, struct buf *html)
{
	cmark_node *img = figure_image(pic);
	const char *url = cmark_node_get_url(img);
	const char *href = img != pic ? cmark_node_get_url(pic) : NULL;
	bool linked = href && url_markdown_ok(href);
	struct buf alt = BUF_INIT;
	plain_text(img, &alt);
	buf_adds(html, "<figure>\n");
	if (linked) {
		buf_adds(html, "<a href=\"");
		esc_html(html, href, strlen(href));
		buf_adds(html, "\">");
	}
	buf_adds(html, "<img src=\"");
	if (url && url_markdown_ok(url))
		esc_html(html, url, strlen(url));
	buf_adds(html, "\" alt=\"");
	esc_html(html, buf_cstr(&alt), alt.len);
	buf_adds(html,
	         linked ? "\" loading=\"lazy\"></a>\n<figcaption>" : "\" loading=\"lazy\">\n<figcaption>");
	render_inlines(cmark_node_first_child(emph), exts, html);
	buf_adds(html, "</figcaption>\n</figure>");
	buf_free(&alt);
}

/* The figure's image and caption if paragraph b starts one; *last is its last paragraph. */
static bool figure_at(cmark_node *b, cmark_node **img, cmark_node **emph, cmark_node **last)
{
	if (cmark_node_get_type(b) != CMARK_NODE_PARAGRAPH)
		return false;
	cmark_node *c1 = cmark_node_first_child(b);
	cmark_node *c2 = c1 ? cmark_node_next(c1) : NULL;
	cmark_node *c3 = c2 ? cmark_node_next(c2) : NULL;
	if (figure_image(c1) && c2 && is_break(c2) && c3 && !cmark_node_next(c3) &&
	    cmark_node_get_type(c3) == CMARK_NODE_EMPH) {
		*img = c1;
		*emph = c3;
		*last = b;
		return true;
	}
	cmark_node *nb = cmark_node_next(b);
	cmark_node *only = cmark_node_first_child(b);
	*img = only && !cmark_node_next(only) && figure_image(only) ? only : NULL;
	*emph =
	    nb && cmark_node_get_type(nb) == CMARK_NODE_PARAGRAPH ? only_child(nb, CMARK_NODE_EMPH) : NULL;
	*last = nb;
	return *img && *emph;
}

/* WordPress's excerpt break, <!--more--> (or <!--more Read on-->) alone on its lines: an author's
 * marker, never shown (the safe renderer would write "raw HTML omitted" in its place). */
static bool is_more(cmark_node *b)
{
	if (cmark_node_get_type(b) != CMARK_NODE_HTML_BLOCK)
		return false;
	const char *s = cmark_node_get_literal(b);
	if (!s || strncmp(s, "<!--more", 8) != 0)
		return false;
	size_t n = strlen(s);
	while (n && (s[n - 1] == '\n' || s[n - 1] == ' ' || s[n - 1] == '\r'))
		n--;
	return n >= 11 && !memcmp(s + n - 3, "-->", 3) && !memchr(s, '\n', n);
}

/* Drops the <!--more--> markers of doc's top level and replaces each figure paragraph (or pair) by
 * a custom block holding its HTML
 * (a custom block's text is written as it is: quire wrote and escaped it). false on OOM. */
static bool make_figures(cmark_node *doc, cmark_llist *exts)
{
	cmark_node *b = cmark_node_first_child(doc);
	while (b) {
		cmark_node *img, *emph, *last;
		if (is_more(b)) {
			cmark_node *next = cmark_node_next(b);
			cmark_node_free(b);
			b = next;
			continue;
		}
		if (!figure_at(b, &img, &emph, &last)) {
			b = cmark_node_next(b);
			continue;
		}
		struct buf fig = BUF_INIT;
		render_figure(img, emph, exts, &fig);
		cmark_node *custom = cmark_node_new(CMARK_NODE_CUSTOM_BLOCK);
		bool ok = !fig.oom && custom && cmark_node_set_on_enter(custom, buf_cstr(&fig)) &&
		          cmark_node_insert_before(b, custom);
		buf_free(&fig);
		if (!ok) {
			cmark_node_free(custom);
			return false;
		}
		cmark_node *next = cmark_node_next(last);
		if (last != b)
			cmark_node_free(last);
		cmark_node_free(b);
		b = next;
	}
	return true;
}

int md_render(const char *md, size_t n, struct buf *html)
{
	cmark_parser *parser;
	cmark_node *doc = md_parse(md, n, &parser);
	int rc = -1;
	if (!doc)
		goto out;
	cmark_llist *exts = cmark_parser_get_syntax_extensions(parser);
	if (!make_figures(doc, exts))
		goto out;
	char *h = cmark_render_html(doc, MD_OPTS, exts);
	if (!h)
		goto out;
	html_access(html, h); /* focusable code blocks and tables */
	free(h);
	rc = html->oom ? -1 : 0;
out:
	if (doc)
		cmark_node_free(doc);
	if (parser)
		cmark_parser_free(parser);
	return rc;
}

int md_excerpt(const char *md, size_t n, struct buf *text)
{
	cmark_parser *parser;
	cmark_node *doc = md_parse(md, n, &parser);
	if (!doc) {
		if (parser)
			cmark_parser_free(parser);
		return -1;
	}
	struct buf all = BUF_INIT;
	for (cmark_node *b = cmark_node_first_child(doc); b && all.len < EXCERPT_MAX * 4;
	     b = cmark_node_next(b)) {
		cmark_node *first = cmark_node_first_child(b);
		if (is_more(b) && all.len)
			break; /* the author's teaser ends here */
		/* figures and their captions are not prose */
		if (cmark_node_get_type(b) != CMARK_NODE_PARAGRAPH || !first || figure_image(first) ||
		    only_child(b, CMARK_NODE_EMPH))
			continue;
		if (all.len)
			buf_addc(&all, ' ');
		plain_text(b, &all);
		if (all.len >= EXCERPT_MAX / 2)
			break;
	}
	cmark_node_free(doc);
	cmark_parser_free(parser);
	const char *s = buf_cstr(&all);
	if (utf8_len(s, all.len) <= EXCERPT_MAX) {
		buf_add(text, s, all.len);
	} else {
		/* cut at a code point boundary, then back to the last space */
		size_t cut = 0, chars = 0;
		while (cut < all.len && chars < EXCERPT_MAX) {
			cut++;
			while (cut < all.len && ((unsigned char)s[cut] & 0xC0) == 0x80)
				cut++;
			chars++;
		}
		size_t sp = cut;
		while (sp > 0 && s[sp] != ' ')
			sp--;
		if (sp > cut / 2)
			cut = sp;
		while (cut > 0 && (s[cut - 1] == ' ' || ispunct((unsigned char)s[cut - 1])))
			cut--;
		buf_add(text, s, cut);
		buf_adds(text, "\u2026");
	}
	buf_free(&all);
	return text->oom ? -1 : 0;
}
