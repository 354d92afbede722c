/* db_posts: the reader-side queries over posts, tags and authors, filling template values.
 * "Visible" always means status = 'published' and published_at <= now. */
#ifndef QUIRE_DB_POSTS_H
#define QUIRE_DB_POSTS_H
#include <sqlite3.h>
#include <time.h>

#include "db.h"
#include "tmpl.h"

enum post_filter_kind { PF_ALL, PF_TAG, PF_AUTHOR };
struct post_filter {
	enum post_filter_kind kind;
	sqlite3_int64 id;
};

/* Number of visible posts matching f, or -1 on error. */
long posts_count(struct db *d, time_t now, const struct post_filter *f);
/* Appends up to limit visible posts (newest first) to out, each with title, url, dates,
 * author, excerpt, tags and comment count. Returns the number added, or -1. */
int posts_list(struct db *d, time_t now, const struct post_filter *f, long limit, long offset,
               struct tlist *out);
/* Fills post with the visible post of that slug (adding body_html, author bio/email,
 * prev/next). Returns 1 found, 0 not found, -1 error. */
int post_by_slug(struct db *d, time_t now, const char *slug, struct tobj *post, char **author_email);
/* The current slug of a post that used to be called old_slug, if visible: 1, 0 or -1. */
int post_redirect(struct db *d, time_t now, const char *old_slug, struct arena *a, char **slug);
/* Finds a tag by slug: 1 found (id and name set), 0, -1. */
int tag_find(struct db *d, const char *slug, sqlite3_int64 *id, struct tobj *tag);
/* Finds an author by slug or exact name: 1, 0, -1. */
int author_find(struct db *d, const char *key, sqlite3_int64 *id, struct tobj *author, char **email);
/* Latest change visible to readers at now (0 if none, -1 on error). */
time_t posts_last_modified(struct db *d, time_t now);
/* Every visible post for the sitemap/feed: slug, title, dates (limit < 0: all). */
int posts_feed(struct db *d, time_t now, long limit, struct tlist *out, const char *base_url);
/* Records that readable content changed (an import, an edit, a deletion). */
int content_touch(struct db *d, time_t now);

#endif
