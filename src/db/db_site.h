/* db_site: what the web frame reads from the database for every request and at start: the
 * site's settings rows (keys), the generation of what readers see, the next scheduled post, and
 * the old addresses of imported posts. */
#ifndef QUIRE_DB_SITE_H
#define QUIRE_DB_SITE_H
#include <stddef.h>
#include <time.h>

#include "arena.h"
#include "db.h"

/* The value of the settings row key into out (at most outsz - 1 bytes): 1, 0 when there is no
 * such row, -1 on error (db_errmsg says why). */
int settings_get(struct db *d, const char *key, char *out, size_t outsz);
/* The generation of what readers see (sql/008_cache.sql), or -1. */
long long reader_generation(struct db *d);
/* When the next scheduled post appears into *at (0: none is scheduled): 0, or -1 on error. */
int posts_next_scheduled(struct db *d, time_t now, time_t *at);
/* The slug of the published post an imported post's old path (WordPress's /2019/05/01/slug)
 * now lives at, arena-allocated into *slug: 1, 0 when the path is not an old address, -1. */
int legacy_slug(struct db *d, struct arena *a, const char *path, time_t now, const char **slug);

#endif
