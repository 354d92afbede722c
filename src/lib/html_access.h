/* html_access: accessibility touches on HTML that cmark wrote for a post or a comment. */
#ifndef QUIRE_HTML_ACCESS_H
#define QUIRE_HTML_ACCESS_H
#include "buf.h"

/* Appends html to out with: tabindex="0" on every <pre> (a code block that scrolls sideways must
 * take the keyboard's focus to be scrolled without a mouse); every <table> inside a focusable
 * <div class="table-scroll"> (the wrapper scrolls, the table keeps its table semantics); a cell's
 * align="left|center|right" as class="align-..." (the attribute is obsolete in HTML, and an inline
 * style would be refused by quire's Content-Security-Policy); a visually hidden
 * <h2>Footnotes</h2> opening the footnotes' section, as GitHub writes it. html must come from
 * cmark in safe mode, where every '<' is a tag cmark wrote (text has it escaped). */
void html_access(struct buf *out, const char *html);

#endif
