/* html2md_table: <table> to a GFM pipe table (see html2md_table.c for what a pipe table cannot
 * hold and how it is written). */
#ifndef QUIRE_HTML2MD_TABLE_H
#define QUIRE_HTML2MD_TABLE_H
#include <stdbool.h>

#include "html2md_out.h"

/* A table's start tag (table, tr, td, th, caption, thead, ...) or end tag: true when handled. */
bool h2m_table_open(struct conv *c, const char *tag, int colspan);
bool h2m_table_close(struct conv *c, const char *tag);
/* Writes a table left open at the end of the input. */
void h2m_table_end_all(struct conv *c);

#endif
