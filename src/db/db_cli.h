/* db_cli: what the command line alone reads and writes: the identicon key set by `quire init`, the
 * lists of `quire post list` and `quire user list`, and the walk of `quire export markdown`. */
#ifndef QUIRE_DB_CLI_H
#define QUIRE_DB_CLI_H
#include <stdbool.h>
#include <time.h>

#include "db.h"

/* Stores the site's identicon key (hex) unless it has one already; 0, or -1 (db_errmsg). */
int db_identicon_key_init(struct db *d, const char *hex);

/* One post as listed; the strings live until the callback returns. */
struct post_row {
	sqlite3_int64 id;
	const char *slug, *title, *status; /* status as stored: "draft" or "published" */
	const char *author;                /* the author's name, or "-" */
	time_t published_at;               /* 0: never published */
};
typedef int (*post_row_fn)(const struct post_row *p, void *arg);
/* Calls fn for every post, newest first (by publication, then id). Stops at fn's first nonzero
 * return and gives it back; 0 when all were seen; -1 on a database error (db_errmsg). */
int db_posts_each(struct db *d, post_row_fn fn, void *arg);

struct user_row {
	sqlite3_int64 id;
	const char *name, *email, *slug, *role;
};
typedef int (*user_row_fn)(const struct user_row *u, void *arg);
/* Calls fn for every user by id; returns as db_posts_each. */
int db_users_each(struct db *d, user_row_fn fn, void *arg);

/* One post with all a Markdown export keeps of it. */
struct export_post {
	const char *slug, *title, *excerpt, *body_md;
	const char *tags;   /* names joined by ", " in name order; "" when none */
	const char *author; /* the author's name, "" when none */
	bool draft;
	bool sticky;         /* pinned to the top of the home page */
	bool no_notify;      /* published without mailing subscribers */
	time_t published_at; /* 0: never published */
	time_t updated_at;   /* the content's last change */
};
typedef int (*export_post_fn)(const struct export_post *p, void *arg);
/* Calls fn for every post by id; returns as db_posts_each. */
int db_export_each(struct db *d, export_post_fn fn, void *arg);

#endif
