/* db_import: the statements of the importers (Markdown files, WordPress, Disqus). Every write runs
 * inside the caller's transaction: an importer saves many items per transaction (a batch), each item
 * in a savepoint, so a failure leaves nothing half-written. */
#ifndef QUIRE_DB_IMPORT_H
#define QUIRE_DB_IMPORT_H
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "db.h"

/* A post as stored, rendered by the caller. */
struct post_write {
	const char *slug, *title, *excerpt, *body_html;
	const char *body_md;
	size_t body_len;
	sqlite3_int64 author_id; /* 0: none */
	bool draft;
	bool has_date;       /* db_post_upsert: published_at given (else kept, or now when published) */
	time_t published_at; /* db_import_post_write: stored as given */
	long long wp_id;     /* 0: not from WordPress */
	/* the source's own last change of the content (WordPress's post_modified_gmt, front
	 * matter's updated:), stored as updated_at; 0: unknown (db_post_upsert: a new post's date,
	 * else the write's time) */
	time_t modified_at;
	const char *featured_image; /* db_import_post_write: an address, "" none, NULL keep */
};

/* Creates the post, or updates the one with its slug (a Markdown import); the id, or -1. */
sqlite3_int64 db_post_upsert(struct db *d, const struct post_write *p, time_t now);
/* Inserts (id 0) or overwrites post id (a WordPress import): its wp_id is kept when p has none, and
 * the post counts as announced, so importing mails no one. The id, or -1. */
sqlite3_int64 db_import_post_write(struct db *d, const struct post_write *p, sqlite3_int64 id, time_t now);
/* Sets the Markdown of post id (written without it, so the search index tokenizes it once, after
 * the tags); 0 or -1. */
int db_import_post_body(struct db *d, sqlite3_int64 id, const char *body_md, size_t len);
/* The post with that slug: 1 (id set), 0 none, -1 error. */
int db_post_id_by_slug(struct db *d, const char *slug, sqlite3_int64 *id);
/* The post with that WordPress id, else the one with that slug: 1, 0, -1. The WordPress import no
 * longer matches by slug (it could overwrite a native post); it uses the two below. */
int db_import_post_find(struct db *d, long long wp_id, const char *slug, sqlite3_int64 *id);
/* The post imported under that WordPress id (its import key), never matched by slug: 1, 0, -1. */
int db_import_post_by_wp_id(struct db *d, long long wp_id, sqlite3_int64 *id);
/* Who holds slug: 1 taken (wp_id set to the holder's WordPress id, 0 for a post the import did
 * not create), 0 free, -1 error. */
int db_import_slug_owner(struct db *d, const char *slug, sqlite3_int64 *wp_id);
/* 1 when post id already holds exactly what p would write (so a re-import leaves its dates alone),
 * 0 when something differs, -1 on error. */
int db_import_post_same(struct db *d, sqlite3_int64 id, const struct post_write *p);
/* The publication date post id has (0 when never published); -1 on error. */
int db_import_post_date(struct db *d, sqlite3_int64 id, sqlite3_int64 *at);
/* The post an old path names: "/posts/SLUG" or a stored legacy path: 1, 0, -1. */
int db_post_id_by_path(struct db *d, const char *path, sqlite3_int64 *id);
/* The same as db_post_id_by_path, each lookup by an index: 1, 0, -1. */
int db_import_post_by_path(struct db *d, const char *path, sqlite3_int64 *id);
/* Makes path (an old WordPress address) redirect to post; 0 or -1. */
int db_legacy_redirect_set(struct db *d, const char *path, sqlite3_int64 post);

/* The user named name (by name or slug): 1, 0, -1. */
int db_user_id_by_name(struct db *d, const char *name, sqlite3_int64 *id);
/* The user with that name, or that email when email is not empty: 1, 0, -1. */
int db_import_author_find(struct db *d, const char *name, const char *email, sqlite3_int64 *id);
/* Creates a user no password opens yet (user_add_locked: no argon2 run, no 64 MB); the new id, or -1
 * with err. */
sqlite3_int64 db_import_author_add(struct db *d, const char *name, const char *email, time_t now, char *err,
                                   size_t errsz);

/* An imported comment, approved or pending, rendered by the caller. */
struct comment_write {
	const char *key;                  /* the import key, unique per source */
	sqlite3_int64 post_id, parent_id; /* parent 0: none */
	const char *name, *email, *url, *body_md, *body_html;
	time_t created_at;
	bool pending;     /* held for moderation, as it was on the old site */
	const char *kind; /* "comment", "pingback" or "trackback" */
};
/* The comment imported under key: 1, 0, -1. */
int db_comment_by_import_key(struct db *d, const char *key, sqlite3_int64 *id);
/* Stores the comment; 0 or -1. */
int db_import_comment_insert(struct db *d, const struct comment_write *c);

/* The transactions of an import. A batch is one transaction (BEGIN IMMEDIATE) holding many items;
 * an item (a post with its comments) is a savepoint inside it, so a failed item is undone whole
 * and the rest of its batch still commits. 0 or -1. */
int db_import_batch_begin(struct db *d);
/* Commits the batch; -1 when the commit failed or SQLite had already rolled it back (then nothing
 * of the batch is stored). */
int db_import_batch_commit(struct db *d);
/* True while a transaction is open on d. */
bool db_import_batch_open(struct db *d);
/* Starts an item: a savepoint inside an open batch (0), or a transaction of its own when no batch
 * is open (1); -1 on error. */
int db_import_item_begin(struct db *d);
/* Ends the item begun with began (what db_import_item_begin returned): keeps its writes or undoes
 * them. -1 when that failed or the batch around it was lost (rolled back by SQLite). */
int db_import_item_end(struct db *d, int began, bool keep);
/* 1 when post holds exactly the tags with these slugs (no more, no fewer), 0 when not, -1 on error. */
int db_import_post_tags_same(struct db *d, sqlite3_int64 post, const char *const *slugs, int n);

#endif
