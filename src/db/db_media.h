/* db_media: the media the WordPress import brought home (sql/015_media.sql): old URL -> stored
 * file, and the attachment pages' old addresses. */
#ifndef QUIRE_DB_MEDIA_H
#define QUIRE_DB_MEDIA_H
#include <stdbool.h>
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

/* The media library (sql/022_media_library.sql). */
#define MEDIA_USES_MAX 20 /* posts listed as "Used in" per image */

struct media_use {
	long long post_id;
	const char *title;
};
struct media_variant {
	int width, height;
	const char *file;
};
struct media_row {
	const char *name, *orig_name, *mime, *alt, *uploader; /* uploader: "" when unknown */
	long long bytes, created_at, uploaded_by;             /* uploaded_by 0: none */
	int width, height;
	bool owned;
	const char *thumb; /* the smallest variant's file, or name */
	int thumb_w, thumb_h;
	struct media_use *uses;
	int nuses;
};
struct media_new {
	const char *name, *orig_name, *mime, *alt;
	long long bytes, uploaded_by, created_at; /* uploaded_by 0: none */
	int width, height;
	bool owned;
};

/* Records a stored file (and its size in media_sizes); an existing row is left as it is. 0, -1. */
int media_add(struct db *d, const struct media_new *m);
/* Records variant file of name. 0 or -1. */
int media_variant_add(struct db *d, const char *name, int width, int height, const char *file);
/* The variants of name, narrowest first, arena-allocated: their number, or -1. */
int media_variants(struct db *d, struct arena *a, const char *name, struct media_variant **out);
/* Whether name is a known variant file. */
bool media_is_variant(struct db *d, const char *file);
/* Whether name has a media row. */
bool media_known(struct db *d, const char *name);
/* The number of media rows, or -1. */
long media_count(struct db *d);
/* Up to limit rows from offset, newest first, with their thumbnails and uses: the number, or -1. */
int media_page(struct db *d, struct arena *a, long offset, int limit, struct media_row **out);
/* One row by name, with its uses: 1, 0 unknown, -1. */
int media_get(struct db *d, struct arena *a, const char *name, struct media_row *out);
/* Sets the alt text of name: 1 changed, 0 unknown name, -1. */
int media_alt_set(struct db *d, const char *name, const char *alt);
/* Removes name's rows (media, variants, sizes, uses, imports) in the caller's transaction: 0, -1. */
int media_remove(struct db *d, const char *name);
/* The posts using name: their number (at most MEDIA_USES_MAX listed), or -1. */
int media_uses_of(struct db *d, struct arena *a, const char *name, struct media_use **out);
/* Records which media post_id uses: every /media/NAME in body_md and featured (a variant's use
 * counts for its original). In the caller's transaction when there is one. 0 or -1. */
int media_uses_update(struct db *d, long long post_id, const char *body_md, const char *featured);
/* Finds the uses of every post once after sql/022 (a no-op afterwards): the posts scanned, -1. */
long media_uses_fill(struct db *d, bool force);
/* Names of scalable media (not GIF) that lack a variant narrower than themselves (widths from
 * widths[0..nw)), after after (NULL: from the start), at most limit: the number, or -1. */
int media_needing_variants(struct db *d, struct arena *a, const char *after, const int *widths, int nw,
                           int limit, const char ***names);

#endif
