/* db_admin: the admin's queries and writes over posts: counts, lists, load, save, delete, as
 * typed rows (text in the caller's arena). The editor's form and its messages are in
 * src/web/post_editor.h. */
#ifndef QUIRE_DB_ADMIN_H
#define QUIRE_DB_ADMIN_H
#include <sqlite3.h>
#include <stdbool.h>
#include <time.h>

#include "arena.h"
#include "db.h"
#include "db_posts.h"

#define ADMIN_PER_PAGE 20

/* The dashboard's numbers. */
struct admin_counts {
	long long posts;             /* published and visible */
	long long drafts, scheduled; /* scheduled: published with a date to come */
	long long comments_pending, subscribers;
};
int admin_counts(struct db *d, time_t now, struct admin_counts *out);

/* A post as the admin's list shows it. */
struct admin_post {
	sqlite3_int64 id;
	const char *title, *slug, *author_name; /* author_name "" when none */
	bool published;                         /* stored status 'published' (maybe scheduled) */
	time_t published_at;                    /* 0: never given a date */
	bool sticky;                            /* pinned to the top of the home page */
	bool is_page;                           /* a static page */
	bool no_email;                          /* a post its subscribers are not mailed about */
};
/* Lists posts for the admin (filter: NULL/"all", "draft", "scheduled", "published", "posts",
 * "pages"), newest first,
 * as an arena array in *out (*n of them). Returns the total count matching, or -1. */
long admin_posts_list(struct db *d, time_t now, const char *filter, long page, struct arena *a,
                      struct admin_post **out, long *n);
/* The same, only the posts of author (0: everyone's), for an author's own list. */
long admin_posts_list_by(struct db *d, time_t now, const char *filter, sqlite3_int64 author, long page,
                         struct arena *a, struct admin_post **out, long *n);

/* A post as stored, for the editor. */
struct post_edit {
	sqlite3_int64 id;
	const char *title, *slug, *body, *excerpt;
	const char *tags; /* "a, b": names in order, comma separated */
	bool published;   /* stored status 'published' (maybe scheduled) */
	time_t published_at;
	bool comments_closed;
	bool sticky;          /* pinned to the top of the home page */
	struct author author; /* strings "" when the post has no author */
	bool is_page;         /* a static page (sql/013_pages.sql) */
	sqlite3_int64 parent; /* its parent page, 0: none */
	bool in_menu;         /* menu_order is set */
	long long menu_order;
	const char *featured_image; /* sql/017_meta.sql: its address, "" for the first image */
	long long version;          /* sql/023: counts the saves (the editor's stale-form guard) */
	const char *excerpt_typed;  /* what the author typed, "" automatic, NULL not known yet */
	time_t updated_at;          /* the last change of its words */
};
/* Loads a post: 1 found, 0 not, -1 error. */
int admin_post_load(struct db *d, struct arena *a, sqlite3_int64 id, struct post_edit *out);
/* True when another post than id uses slug (or the database failed: never reuse then). */
bool post_slug_taken(struct db *d, const char *slug, sqlite3_int64 id);

/* A post to save, every value decided by the caller: the stored status and date, the rendered
 * body and excerpt. */
struct post_save {
	sqlite3_int64 id; /* 0: a new post */
	const char *slug, *title, *body_md, *body_html, *excerpt;
	const char *tags; /* as typed: "a, b" */
	bool published;   /* status 'published', else 'draft' */
	time_t published_at;
	bool comments_closed;
	sqlite3_int64 author; /* a new post's author */
	bool is_page;         /* kind 'page', else 'post' */
	sqlite3_int64 parent; /* a page's parent page, 0: none */
	bool in_menu;         /* a page in the header menu, at menu_order */
	long long menu_order;
	const char *featured_image; /* an address, "" for none (the first image stands in) */
	const char *excerpt_typed;  /* as typed: "" automatic, NULL not known */
	sqlite3_int64 set_author;   /* a user to make the author, 0: keep it (a new post: author) */
};
#define POST_GONE (-2) /* post_write: the post was deleted meanwhile */
/* Saves p inside the caller's transaction: creates or updates, tags, a redirect from a changed
 * slug. Returns the post id, POST_GONE, or -1. */
sqlite3_int64 post_write(struct db *d, const struct post_save *p, time_t now);
/* Deletes a post and everything hanging off it, in one transaction: 1 deleted, 0 no such
 * post, -1 error. */
int post_delete(struct db *d, sqlite3_int64 id, time_t now);

#endif
