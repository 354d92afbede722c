/* markdown: renders block by block so a figure paragraph can be written by hand. */
#include "markdown.h"

#include <cmark.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "text.h"
#include "url.h"

#define MD_OPTS (CMARK_OPT_SAFE | CMARK_OPT_SMART | CMARK_OPT_VALIDATE_UTF8)

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

static void render_inlines(cmark_node *first, struct buf *html)
{
	for (cmark_node *c = first; c; c = cmark_node_next(c)) {
		char *h = cmark_render_html(c, MD_OPTS);
		if (h) {
			buf_adds(html, h);
			free(h);
		} else {
			html->oom = true;
		}
	}
}

static void render_figure(cmark_node *img, cmark_node *emph, struct buf *html)
{
	const char *url = cmark_node_get_url(img);
	struct buf alt = BUF_INIT;
	plain_text(img, &alt);
	buf_adds(html, "<figure>\n<img src=\"");
	if (url && url_markdown_ok(url))
		esc_html(html, url, strlen(url));
	buf_adds(html, "\" alt=\"");
	esc_html(html, buf_cstr(&alt), alt.len);
	buf_adds(html, "\" loading=\"lazy\">\n<figcaption>");
	render_inlines(cmark_node_first_child(emph), html);
	buf_adds(html, "</figcaption>\n</figure>\n");
	buf_free(&alt);
}

int md_render(const char *md, size_t n, struct buf *html)
{
	cmark_node *doc = cmark_parse_document(md, n, MD_OPTS);
	if (!doc)
		return -1;
	for (cmark_node *b = cmark_node_first_child(doc); b; b = cmark_node_next(b)) {
		if (cmark_node_get_type(b) == CMARK_NODE_PARAGRAPH) {
			cmark_node *c1 = cmark_node_first_child(b);
			cmark_node *c2 = c1 ? cmark_node_next(c1) : NULL;
			cmark_node *c3 = c2 ? cmark_node_next(c2) : NULL;
			if (c1 && cmark_node_get_type(c1) == CMARK_NODE_IMAGE && c2 && is_break(c2) && c3 &&
			    !cmark_node_next(c3) && cmark_node_get_type(c3) == CMARK_NODE_EMPH) {
				render_figure(c1, c3, html);
				continue;
			}
			cmark_node *img = only_child(b, CMARK_NODE_IMAGE);
			cmark_node *nb = cmark_node_next(b);
			cmark_node *emph = nb && cmark_node_get_type(nb) == CMARK_NODE_PARAGRAPH
			                       ? only_child(nb, CMARK_NODE_EMPH)
			                       : NULL;
			if (img && emph) {
				render_figure(img, emph, html);
				b = nb;
				continue;
			}
		}
		char *h = cmark_render_html(b, MD_OPTS);
		if (!h) {
			html->oom = true;
			break;
		}
		buf_adds(html, h);
		free(h);
	}
	cmark_node_free(doc);
	return html->oom ? -1 : 0;
}

int md_excerpt(const char *md, size_t n, struct buf *text)
{
	cmark_node *doc = cmark_parse_document(md, n, MD_OPTS);
	if (!doc)
		return -1;
	struct buf all = BUF_INIT;
	for (cmark_node *b = cmark_node_first_child(doc); b && all.len < EXCERPT_MAX * 4;
	     b = cmark_node_next(b)) {
		cmark_node *first = cmark_node_first_child(b);
		/* figures and their captions are not prose */
		if (cmark_node_get_type(b) != CMARK_NODE_PARAGRAPH || !first ||
		    cmark_node_get_type(first) == CMARK_NODE_IMAGE || only_child(b, CMARK_NODE_EMPH))
			continue;
		if (all.len)
			buf_addc(&all, ' ');
		plain_text(b, &all);
		if (all.len >= EXCERPT_MAX / 2)
			break;
	}
	cmark_node_free(doc);
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
