/* db_revisions: a post's saved revisions (the last REVISIONS_KEPT), its autosave (one, kept
 * beside a published post, never published), its version (the guard against a save over a
 * newer one), and the users an editor may choose as author. */
#ifndef QUIRE_DB_REVISIONS_H
#define QUIRE_DB_REVISIONS_H
#include <sqlite3.h>
#include <time.h>

#include "arena.h"
#include "db.h"

#define REVISIONS_KEPT 20 /* saved revisions per post; older ones go in the same transaction */

/* A revision (kind "save") or an autosave (kind "autosave"); text in the caller's arena. */
struct revision {
	sqlite3_int64 id, post_id, user_id;
	const char *kind;
	const char *title, *body, *excerpt, *tags; /* excerpt as typed, "" automatic */
	const char *slug, *date, *featured_image;  /* an autosave's other typed fields */
	const char *user_name;                     /* "" when the user is gone */
	time_t created_at;
	long long version; /* the post's version it was made from */
};

/* Inside the caller's transaction: adds r as a saved revision of r->post_id and drops the
 * saved revisions past REVISIONS_KEPT, the oldest first. 0 or -1. */
int revision_add(struct db *d, const struct revision *r);
/* The saved revisions of post, newest first, as an arena array in *out: the count, or -1. */
long revisions_list(struct db *d, struct arena *a, sqlite3_int64 post, struct revision **out);
/* One revision (saved, or the autosave) of post: 1 found, 0 not, -1 error. */
int revision_get(struct db *d, struct arena *a, sqlite3_int64 post, sqlite3_int64 id, struct revision *out);

/* Replaces r->user_id's autosave of r->post_id with r; its id in *id. 0 or -1. */
int autosave_put(struct db *d, const struct revision *r, sqlite3_int64 *id);
/* The newest autosave of post (by anyone): 1 found, 0 none, -1 error. */
int autosave_get(struct db *d, struct arena *a, sqlite3_int64 post, struct revision *out);
/* Drops every autosave of post (dismissed). 0 or -1. */
int autosave_drop(struct db *d, sqlite3_int64 post);
/* Drops user's autosave of post (after that user saved it: another user's stays). 0 or -1. */
int autosave_drop_mine(struct db *d, sqlite3_int64 post, sqlite3_int64 user);

/* The stored version of post: >= 1, 0 when there is no such post, -1 on error. */
long long post_version(struct db *d, sqlite3_int64 post);

/* A user an admin may name as a post's author. */
struct author_choice {
	sqlite3_int64 id;
	const char *name;
};
/* Every user, by name, as an arena array in *out: the count, or -1. */
long author_choices(struct db *d, struct arena *a, struct author_choice **out);
/* True when a user with that id exists. */
int author_exists(struct db *d, sqlite3_int64 id);

#endif
