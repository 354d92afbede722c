/* db_mail: what a notification says about a post or a comment, read for the mail renderer. */
#ifndef QUIRE_DB_MAIL_H
#define QUIRE_DB_MAIL_H
#include <sqlite3.h>
#include <stdbool.h>
#include <time.h>

#include "arena.h"
#include "db.h"

/* A post as a mail shows it; strings live in the caller's arena, never NULL. */
struct mail_post {
	const char *title, *slug, *excerpt, *author, *author_email;
	const char *body_html; /* the whole post as rendered for the site */
	bool visible;          /* published and its time has come (at the now asked for) */
};

/* A comment as a mail shows it, with its parent's author (both "" for a top-level comment). */
struct mail_comment {
	const char *author, *body, *parent_author, *parent_email;
	const char *held_reason, *held_detail; /* why it waits (sql/024_comment_held.sql) */
	sqlite3_int64 post;
};

/* Post id into p: 1 found, 0 no such post, -1 error. */
int db_mail_post(struct db *d, struct arena *a, sqlite3_int64 id, time_t now, struct mail_post *p);
/* Comment id into c: 1 found, 0 no such comment, -1 error. */
int db_mail_comment(struct db *d, struct arena *a, sqlite3_int64 id, struct mail_comment *c);

#endif
