/* db_posts: the reader-side queries over posts, tags and authors, as typed rows. Text fields are
 * copied into the arena the caller passes, never NULL ("" when the column is empty).
 * "Visible" always means status = 'published' and published_at <= now. */
#ifndef QUIRE_DB_POSTS_H
#define QUIRE_DB_POSTS_H
#include <sqlite3.h>
#include <stdbool.h>
#include <time.h>

#include "arena.h"
#include "db.h"

/* Lists hold posts only (kind 'post'), never pages. PF_RANGE: published in [from, to).
 * PF_HOME: every visible post, pinned (sticky) ones first; the other kinds never reorder. */
enum post_filter_kind { PF_ALL, PF_TAG, PF_AUTHOR, PF_RANGE, PF_HOME };
struct post_filter {
	enum post_filter_kind kind;
	sqlite3_int64 id;
	time_t from, to;
};

struct tag {
	sqlite3_int64 id; /* 0 in a post's tag list */
	const char *name, *slug;
};

struct author {
	sqlite3_int64 id;
	const char *name, *slug, *bio, *email;
};

/* A post as lists show it. */
struct post_summary {
	sqlite3_int64 id;
	const char *slug, *title, *excerpt;
	time_t published_at, updated_at;
	const char *author_name, *author_slug; /* "" when the post has no author */
	long long comment_count;               /* approved comments */
	struct tag *tags;                      /* ordered by name */
	int ntags;
};

/* A neighbour of a post in publication order; slug NULL when there is none. */
struct post_link {
	const char *slug, *title;
};

/* A post as its article page shows it. */
struct post {
	struct post_summary s;
	const char *body_html, *author_bio, *author_email;
	bool comments_closed;
	struct post_link prev, next; /* none for a page */
	bool is_page;                /* a static page (sql/013_pages.sql) */
	const char *page_path;       /* a page's address below the root ("about/team"), else "" */
	const char *featured_image;  /* the chosen image's address (sql/017_meta.sql), or "" */
	long reading_minutes;        /* of its Markdown at READING_WPM, at least 1 */
};

#define READING_WPM 230 /* words a minute for "N min read" */
/* Words in Markdown text: runs without spaces holding a letter or digit (so "##", "-", "|---|",
 * "—" are no words; other non-ASCII characters count as letters). */
long markdown_words(const char *s);

/* What deciding on a comment needs of its post (one indexed lookup, no body). */
struct post_brief {
	sqlite3_int64 id;
	const char *slug, *title;
	time_t published_at;
	bool comments_closed;
	const char *page_path; /* a page's address below the root, "" for a post */
};

/* A post as the feed and the sitemap show it. */
struct feed_post {
	const char *slug, *title, *excerpt, *body_html, *author_name;
	time_t published_at, updated_at;
	const char *page_path; /* a page's address below the root, "" for a post */
};

/* Number of visible posts matching f, or -1 on error. */
long posts_count(struct db *d, time_t now, const struct post_filter *f);
/* Up to limit visible posts (newest first) as an arena array in *out. The number, or -1. */
long posts_list(struct db *d, time_t now, const struct post_filter *f, long limit, long offset,
                struct arena *a, struct post_summary **out);
/* The visible post of that slug, with its neighbours: 1 found, 0 not found, -1 error. */
int post_by_slug(struct db *d, time_t now, const char *slug, struct arena *a, struct post *p);
/* The visible post of that slug, briefly: 1, 0, -1. */
int post_brief(struct db *d, time_t now, const char *slug, struct arena *a, struct post_brief *p);
/* The current slug of a post that used to be called old_slug, if visible: 1, 0 or -1. */
int post_redirect(struct db *d, time_t now, const char *old_slug, struct arena *a, char **slug);
/* The slug of the visible post imported from WordPress post wp_id: 1, 0 or -1. */
int post_by_wp_id(struct db *d, time_t now, sqlite3_int64 wp_id, struct arena *a, char **slug);
/* Finds a tag by slug (or name, any case): 1 found, 0, -1. */
int tag_find(struct db *d, const char *slug, struct arena *a, struct tag *t);
/* The tag an old WordPress address named (/tag/OLD/, /category/.../OLD/): by the alias the import
 * kept, else as tag_find. */
int tag_find_old(struct db *d, const char *old_slug, struct arena *a, struct tag *t);
/* Finds an author by slug or exact name: 1, 0, -1. */
int author_find(struct db *d, const char *key, struct arena *a, struct author *out);
/* The user with that id as an author: 1, 0, -1. */
int author_by_id(struct db *d, sqlite3_int64 id, struct arena *a, struct author *out);
/* Latest change visible to readers at now (0 if none, -1 on error). */
time_t posts_last_modified(struct db *d, time_t now);
/* Up to limit visible posts, newest first, for the feed and (with_pages: and the pages) the
 * sitemap, as an arena array in *out. The number, or -1. */
long posts_feed(struct db *d, time_t now, long limit, bool with_pages, struct arena *a,
                struct feed_post **out);
/* Records that readable content changed (an import, an edit, a deletion). */
int content_touch(struct db *d, time_t now);

#endif
