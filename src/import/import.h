/* import: WordPress (WXR) and Disqus exports into quire. Importing the same file twice creates
 * no duplicates: posts are matched by WordPress id or slug, comments by their source id. */
#ifndef QUIRE_IMPORT_H
#define QUIRE_IMPORT_H
#include <stdbool.h>
#include <stddef.h>

#include "db.h"
#include "media_import.h"
#include "xml_import.h"

/* media: NULL leaves every media URL as the export wrote it (--no-media). */
int import_wxr(struct db *d, const char *path, bool progress, struct media_import *media,
               struct import_stats *st, char *err, size_t errsz);
int import_disqus(struct db *d, const char *path, bool progress, struct import_stats *st, char *err,
                  size_t errsz);

#endif
