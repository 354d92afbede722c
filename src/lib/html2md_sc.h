/* html2md_sc: WordPress shortcodes in text: [caption] becomes a figure, [embed], [video] and
 * [audio] a link; the others stay as text and are reported. */
#ifndef QUIRE_HTML2MD_SC_H
#define QUIRE_HTML2MD_SC_H
#include <stddef.h>

#include "html2md_out.h"

/* Writes a run of text (decoded), converting the shortcodes in it. */
void h2m_chunk(struct conv *c, const char *s, size_t n);

#endif
