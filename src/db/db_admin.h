/* db_admin: the admin's queries and writes over posts: counts, lists, load, save, delete. */
#ifndef QUIRE_DB_ADMIN_H
#define QUIRE_DB_ADMIN_H
#include <sqlite3.h>
#include <stdbool.h>
#include <time.h>

#include "arena.h"
#include "db.h"
#include "tmpl.h"

#define POST_BODY_MAX 100000  /* characters */
#define EXCERPT_FIELD_MAX 500 /* characters */
#define ADMIN_PER_PAGE 20

/* A post as the editor shows and submits it: all strings, as typed. */
struct post_form {
	sqlite3_int64 id; /* 0: a new post */
	const char *title, *slug, *body, *excerpt, *tags, *date;
	const char *status; /* "draft", "scheduled" or "published" (display) */
	sqlite3_int64 published_at;
	bool comments_closed;
	const char *author_name, *author_email, *author_bio, *author_slug;
};

/* One message per field the editor shows; NULL where the field is fine. */
struct post_errors {
	const char *title, *slug, *body, *excerpt, *tags, *date, *image, *form;
};

enum post_action { ACT_DRAFT, ACT_PUBLISH, ACT_SCHEDULE, ACT_UNPUBLISH, ACT_PREVIEW };

/* Dashboard numbers into ctx: posts, drafts, scheduled, comments_pending, subscribers. */
int admin_counts(struct db *d, time_t now, struct tobj *ctx);
/* Lists posts for the admin (filter: NULL/"all", "draft", "scheduled", "published"), newest first.
 * Returns the total count matching, or -1. */
long admin_posts_list(struct db *d, time_t now, const char *filter, long page, struct tlist *out);
/* Loads a post into f (strings in the arena): 1 found, 0 not, -1 error. */
int admin_post_load(struct db *d, struct arena *a, time_t now, sqlite3_int64 id, struct post_form *f);
/* Validates f for action; fills e and returns false when something is wrong. Sets the
 * resolved slug and date into out_slug / out_time. */
bool post_validate(struct db *d, struct arena *a, const struct post_form *f, enum post_action act, time_t now,
                   struct post_errors *e, char **out_slug, time_t *out_time);
#define POST_GONE (-2) /* post_write: the post was deleted meanwhile */
/* The body rendered (rendering happens before the transaction, to keep the write lock short). */
struct post_html {
	const char *body_html, *excerpt;
};
/* Saves f (validated) inside the caller's transaction: creates or updates, status and date from
 * act, tags, a redirect from a changed slug. Returns the post id, POST_GONE, or -1. */
sqlite3_int64 post_write(struct db *d, const struct post_form *f, const struct post_html *h,
                         enum post_action act, const char *slug, time_t when, sqlite3_int64 author,
                         time_t now);
/* Deletes a post and everything hanging off it: 1 deleted, 0 no such post, -1 error. */
int post_delete(struct db *d, sqlite3_int64 id, time_t now);

struct req;
/* The admin editor's template values for f, with e's messages (h_admin_posts.c). */
struct tobj *editor_ctx(struct req *q, const struct post_form *f, const struct post_errors *e);

#endif
