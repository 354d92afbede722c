/* db_media: the media the WordPress import brought home (sql/015_media.sql): old URL -> stored
 * file, and the attachment pages' old addresses. */
#ifndef QUIRE_DB_MEDIA_H
#define QUIRE_DB_MEDIA_H
#include <stddef.h>

#include "arena.h"
#include "db.h"

/* The stored file name an old URL (without query) became, into name: 1, 0 when unknown, -1. */
int db_media_name(struct db *d, const char *url, char *name, size_t namesz);
/* Records url -> name, with the attachment's WordPress id (0: none) and old page path (NULL:
 * none); an existing row is replaced, keeping its id and path when these are not given. 0 or -1. */
int db_media_put(struct db *d, const char *url, const char *name, long long wp_id, const char *old_path);
/* The file of the attachment with that WordPress id, arena-allocated: 1, 0, -1. */
int media_by_wp_id(struct db *d, long long wp_id, struct arena *a, char **name);
/* The file whose old address was path: an attachment's page, or the file itself under
 * /wp-content/uploads/ (a scan of the table: only such paths pay for it). 1, 0, -1. */
int media_by_old_path(struct db *d, const char *path, struct arena *a, char **name);

/* Records the pixel size of the stored file name (sql/017_meta.sql). 0 or -1. */
int media_size_put(struct db *d, const char *name, int width, int height);
/* The recorded size of the stored file name: 1 with *width, *height set, 0 unknown, -1. */
int media_size_get(struct db *d, const char *name, int *width, int *height);

#endif
