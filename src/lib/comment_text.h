/* comment_text: a reader's comment body to HTML: CommonMark in safe mode, bare URLs linked,
 * images shown as links (never <img>), every link rel="nofollow ugc". */
#ifndef QUIRE_COMMENT_TEXT_H
#define QUIRE_COMMENT_TEXT_H
#include <stddef.h>

#include "buf.h"

/* Renders body into html; returns the number of links in it, or -1 on OOM. */
int comment_render(const char *body, size_t n, struct buf *html);

#endif
