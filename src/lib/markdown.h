/* markdown: cmark-gfm in safe mode (tables, strikethrough, autolinks, footnotes, tagfilter),
 * plus figures: an image followed by an italic line becomes <figure><img><figcaption>. */
#ifndef QUIRE_MARKDOWN_H
#define QUIRE_MARKDOWN_H
#include <stddef.h>

#include "buf.h"

#define EXCERPT_MAX 300 /* characters of the plain-text excerpt */

/* Renders Markdown to HTML (raw HTML dropped, dangerous URLs removed); -1 on OOM. */
int md_render(const char *md, size_t n, struct buf *html);
/* Writes a plain-text excerpt: the first paragraph's text, cut at a word near EXCERPT_MAX. */
int md_excerpt(const char *md, size_t n, struct buf *text);

#endif
