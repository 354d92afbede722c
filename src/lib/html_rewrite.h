/* html_rewrite: quire's own rendered HTML (a post body, a comment) made fit to leave the site, in
 * a feed or a mail: every URL absolute, and inline styles per element for mail readers. */
#ifndef QUIRE_HTML_REWRITE_H
#define QUIRE_HTML_REWRITE_H
#include <stddef.h>

#include "buf.h"

/* Longest URL written; a longer one is dropped with its attribute. */
#define HTML_REWRITE_URL_MAX 8192

/* The style attribute given to every element named element whose parent is parent (NULL: any
 * parent). The first rule that matches wins; an element's own style attribute is replaced. */
struct html_style {
	const char *element, *parent, *style;
};

struct html_rewrite_opts {
	const char *base_url; /* the site's base URL ("https://example.org"), used without page_url */
	const char *page_url; /* the address the HTML is shown at: relative URLs resolve against it */
	const struct html_style *styles; /* NULL, or nstyles rules */
	size_t nstyles;
};

/* Appends to out the HTML fragment html[0..n) with every href, src, srcset, poster and cite made
 * absolute (http(s), mailto: and other schemes kept; javascript: and the like, and URLs that do
 * not resolve, dropped with their attribute), comments, scripts and styles removed, and styles
 * added. The output is well-formed (void elements closed with "/>", every element closed, text
 * and attributes escaped, no control characters), so it is both HTML and XHTML. 0, or -1 when out
 * of memory or the parser could not start. */
int html_rewrite(const char *html, size_t n, const struct html_rewrite_opts *o, struct buf *out);

#endif
