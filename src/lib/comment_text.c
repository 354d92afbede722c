/* comment_text: rewrites the cmark tree (images to links, URLs to links), then renders it. */
#include "comment_text.h"

#include <cmark-gfm.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "html_access.h"

#define OPTS (CMARK_OPT_SAFE | CMARK_OPT_VALIDATE_UTF8)

static bool isalnum_ascii(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static char tolower_ascii(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
}

static bool inside_link(cmark_node *n)
{
	for (cmark_node *p = cmark_node_parent(n); p; p = cmark_node_parent(p))
		if (cmark_node_get_type(p) == CMARK_NODE_LINK)
			return true;
	return false;
}

/* Where the next http:// or https:// URL starts in s, and its length. */
static const char *find_url(const char *s, size_t *len)
{
	for (const char *p = s; *p; p++) {
		if (strncasecmp(p, "http://", 7) && strncasecmp(p, "https://", 8))
			continue;
		if (p > s && (isalnum_ascii(p[-1])))
			continue;
		const char *e = p;
		while (*e && (unsigned char)*e > ' ' && !strchr("<>\"'`", *e))
			e++;
		while (e > p && strchr(".,;:!?)]}", e[-1]))
			e--;
		size_t scheme = tolower_ascii(p[4]) == 's' ? 8 : 7;
		if ((size_t)(e - p) > scheme) {
			*len = (size_t)(e - p);
			return p;
		}
	}
	return NULL;
}

/* Splits a text node around its URLs: text, link(url), text... */
static void autolink(cmark_node *text)
{
	const char *lit = cmark_node_get_literal(text);
	size_t ulen;
	const char *u = lit ? find_url(lit, &ulen) : NULL;
	if (!u)
		return;
	char *copy = strdup(lit);
	if (!copy)
		return;
	size_t off = (size_t)(u - lit);
	char *url = strndup(copy + off, ulen);
	char *rest = strdup(copy + off + ulen);
	copy[off] = '\0';
	cmark_node *link = cmark_node_new(CMARK_NODE_LINK), *label = cmark_node_new(CMARK_NODE_TEXT);
	cmark_node *after = cmark_node_new(CMARK_NODE_TEXT);
	if (url && rest && link && label && after) {
		cmark_node_set_url(link, url);
		cmark_node_set_literal(label, url);
		cmark_node_append_child(link, label);
		cmark_node_set_literal(text, copy);
		cmark_node_insert_after(text, link);
		cmark_node_set_literal(after, rest);
		cmark_node_insert_after(link, after);
		autolink(after);
	} else {
		cmark_node_free(link);
		cmark_node_free(label);
		cmark_node_free(after);
	}
	free(copy);
	free(url);
	free(rest);
}

/* Replaces an image by a link to it whose text is the alt text (or the URL). */
static void image_to_link(cmark_node *img)
{
	cmark_node *link = cmark_node_new(CMARK_NODE_LINK);
	if (!link)
		return;
	const char *url = cmark_node_get_url(img);
	cmark_node_set_url(link, url ? url : "");
	cmark_node *c;
	while ((c = cmark_node_first_child(img)))
		cmark_node_append_child(link, c);
	if (!cmark_node_first_child(link)) {
		cmark_node *t = cmark_node_new(CMARK_NODE_TEXT);
		cmark_node_set_literal(t, url && *url ? url : "image");
		cmark_node_append_child(link, t);
	}
	cmark_node_replace(img, link);
	cmark_node_free(img);
}

static void rewrite(cmark_node *doc)
{
	/* collect first: the tree must not change under the iterator */
	size_t cap = 64, n = 0;
	cmark_node **nodes = malloc(cap * sizeof *nodes);
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	while (nodes && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *c = cmark_iter_get_node(it);
		cmark_node_type t = cmark_node_get_type(c);
		if (ev != CMARK_EVENT_ENTER || (t != CMARK_NODE_IMAGE && t != CMARK_NODE_TEXT))
			continue;
		if (n == cap) {
			cmark_node **more = realloc(nodes, cap * 2 * sizeof *nodes);
			if (!more)
				break;
			nodes = more;
			cap *= 2;
		}
		nodes[n++] = c;
	}
	cmark_iter_free(it);
	for (size_t i = 0; i < n; i++) {
		if (cmark_node_get_type(nodes[i]) == CMARK_NODE_IMAGE)
			image_to_link(nodes[i]);
	}
	for (size_t i = 0; i < n; i++) {
		if (cmark_node_get_type(nodes[i]) == CMARK_NODE_TEXT && !inside_link(nodes[i]))
			autolink(nodes[i]);
	}
	free(nodes);
}

int comment_render(const char *body, size_t n, struct buf *html)
{
	cmark_node *doc = cmark_parse_document(body, n, OPTS);
	if (!doc)
		return -1;
	rewrite(doc);
	char *h = cmark_render_html(doc, OPTS, NULL);
	cmark_node_free(doc);
	if (!h)
		return -1;
	struct buf acc = BUF_INIT;
	html_access(&acc, h); /* a code block that scrolls takes the keyboard's focus */
	free(h);
	if (acc.oom) {
		buf_free(&acc);
		return -1;
	}
	/* every tag is cmark's own (raw HTML is omitted in safe mode), so this is the only
	 * way "<a href=" can appear: text has its '<' escaped */
	int links = 0;
	const char *p = buf_cstr(&acc), *a;
	while ((a = strstr(p, "<a href=\""))) {
		buf_add(html, p, (size_t)(a - p));
		buf_adds(html, "<a rel=\"nofollow ugc\" href=\"");
		p = a + 9;
		links++;
	}
	buf_adds(html, p);
	buf_free(&acc);
	return html->oom ? -1 : links;
}
