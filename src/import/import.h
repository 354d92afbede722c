/* import: WordPress (WXR) and Disqus exports into quire. Importing the same file twice creates
 * no duplicates: posts are matched by WordPress id or slug, comments by their source id. */
#ifndef QUIRE_IMPORT_H
#define QUIRE_IMPORT_H
#include <stdbool.h>
#include <stddef.h>

#include "db.h"
#include "xml_import.h"

int import_wxr(struct db *d, const char *path, bool progress, struct import_stats *st, char *err,
               size_t errsz);
int import_disqus(struct db *d, const char *path, bool progress, struct import_stats *st, char *err,
                  size_t errsz);

#endif
