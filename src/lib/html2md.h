/* html2md: WordPress post and comment HTML to Markdown. Common tags become Markdown; scripts,
 * styles and frames go with their content; any other tag is dropped and its text kept. */
#ifndef QUIRE_HTML2MD_H
#define QUIRE_HTML2MD_H
#include <stddef.h>

#include "buf.h"

/* Converts html into Markdown text appended to md; -1 on OOM. */
int html2md(const char *html, size_t n, struct buf *md);
/* The text of html with every tag removed and entities decoded (for excerpts). */
int html2text(const char *html, size_t n, struct buf *text);

#endif
