/* html2md: WordPress post and comment HTML to Markdown. Common tags become Markdown; scripts,
 * styles and objects go with their content; embeds (iframe, video, audio, [embed], [video],
 * [audio], Gutenberg embed blocks) become a plain link to what they showed; any other tag is
 * dropped and its text kept; shortcodes other than those and [caption] are kept as text. */
#ifndef QUIRE_HTML2MD_H
#define QUIRE_HTML2MD_H
#include <stddef.h>

#include "buf.h"

/* WordPress's <!--more--> becomes this line, alone between blank lines, so an importer can
 * split the excerpt there (Markdown renders it as nothing: raw HTML is omitted). */
#define HTML2MD_MORE "<!--more-->"

/* Called once for each opening shortcode met ("caption", "embed", "gallery", ...), in order. */
typedef void (*html2md_shortcode_fn)(const char *name, void *arg);

/* Converts html into Markdown text appended to md; -1 on OOM. */
int html2md(const char *html, size_t n, struct buf *md);
/* html2md, telling on_shortcode (may be NULL) about every shortcode seen. */
int html2md_ex(const char *html, size_t n, struct buf *md, html2md_shortcode_fn on_shortcode, void *arg);
/* The text of html with every tag removed and entities decoded (for excerpts). */
int html2text(const char *html, size_t n, struct buf *text);

#endif
