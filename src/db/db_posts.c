/* db_posts: SQL for the reading path, returning typed rows. Statements are cached per connection
 * by db_prep. */
#include "db_posts.h"

#include <string.h>

#include "db_pages.h"
#include "db_rows.h"
#include "log.h"

/* Longest slug a lookup copies (the editor allows 120 characters, imports may carry more). */
#define SLUG_COL_MAX 1024

#define VISIBLE "p.status = 'published' AND p.published_at <= ?1"
/* lists, feeds, neighbours and archives hold posts; pages have their own address */
#define VISIBLE_POST VISIBLE " AND p.kind = 'post'"
#define IN_RANGE "p.published_at >= ?2 AND p.published_at < ?5 AND "
#define SUMMARY_COLS                                                                                         \
	"p.id, p.slug, p.title, p.excerpt, p.published_at, p.updated_at, "                                   \
	"coalesce(u.name, ''), coalesce(u.slug, ''), "                                                       \
	"(SELECT count(*) FROM comments c WHERE c.post_id = p.id AND c.status = 'approved'), "               \
	"(SELECT group_concat(t.name || char(31) || t.slug, char(30)) FROM "                                 \
	" (SELECT t.name, t.slug FROM post_tags pt JOIN tags t ON t.id = pt.tag_id "                         \
	"  WHERE pt.post_id = p.id ORDER BY t.name) t)"

static const char SQL_COUNT_ALL[] = "SELECT count(*) FROM posts p WHERE " VISIBLE_POST;
static const char SQL_COUNT_RANGE[] = "SELECT count(*) FROM posts p WHERE " IN_RANGE VISIBLE_POST;
static const char SQL_COUNT_TAG[] = "SELECT count(*) FROM posts p JOIN post_tags pt ON pt.post_id = p.id AND "
                                    "pt.tag_id = ?2 WHERE " VISIBLE_POST;
static const char SQL_COUNT_AUTHOR[] =
    "SELECT count(*) FROM posts p WHERE p.author_id = ?2 AND " VISIBLE_POST;
/* A page of a list: the inner query picks the page's ids (an index walk or a sort of bare ids),
 * the outer one fetches the summary columns for those rows only. In one query SQLite's sorter
 * would evaluate the comment-count and tag subqueries for every matching post before sorting:
 * 100 ms for a home page over 10,000 posts instead of 1 ms. */
#define PAGE_OF(from_where, order)                                                                           \
	"SELECT " SUMMARY_COLS " FROM (SELECT p.id AS pid FROM " from_where " ORDER BY " order               \
	" LIMIT ?3 OFFSET ?4) pg JOIN posts p ON p.id = pg.pid LEFT JOIN users u ON u.id = p.author_id "     \
	"ORDER BY " order
#define BY_DATE "p.published_at DESC, p.id DESC"
static const char SQL_LIST_ALL[] = PAGE_OF("posts p WHERE " VISIBLE_POST, BY_DATE);
static const char SQL_LIST_RANGE[] = PAGE_OF("posts p WHERE " IN_RANGE VISIBLE_POST, BY_DATE);
static const char SQL_LIST_TAG[] =
    PAGE_OF("posts p JOIN post_tags ft ON ft.post_id = p.id AND ft.tag_id = ?2 WHERE " VISIBLE_POST, BY_DATE);
static const char SQL_LIST_AUTHOR[] = PAGE_OF("posts p WHERE p.author_id = ?2 AND " VISIBLE_POST, BY_DATE);
/* the home page: one total order (pinned first), so every page continues the one before it */
static const char SQL_LIST_HOME[] =
    PAGE_OF("posts p INDEXED BY posts_home WHERE " VISIBLE_POST, "p.sticky DESC, " BY_DATE);

/* Binds the filter's values: ?2 the tag or author id, or ?2 and ?5 the range of dates. */
static void filter_bind(sqlite3_stmt *st, const struct post_filter *f)
{
	if (f->kind == PF_RANGE) {
		sqlite3_bind_int64(st, 2, f->from);
		sqlite3_bind_int64(st, 5, f->to);
	} else if (f->kind == PF_TAG || f->kind == PF_AUTHOR) {
		sqlite3_bind_int64(st, 2, f->id);
	}
}

long posts_count(struct db *d, time_t now, const struct post_filter *f)
{
	sqlite3_stmt *st = db_prep(d, f->kind == PF_TAG      ? SQL_COUNT_TAG
	                              : f->kind == PF_AUTHOR ? SQL_COUNT_AUTHOR
	                              : f->kind == PF_RANGE  ? SQL_COUNT_RANGE
	                                                     : SQL_COUNT_ALL);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, now);
	filter_bind(st, f);
	long n = -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		n = (long)sqlite3_column_int64(st, 0);
	else
		log_msg("posts_count: sqlite: %s", db_errmsg(d));
	sqlite3_reset(st);
	return n;
}

/* "name\x1fslug\x1ename\x1fslug" from group_concat into an arena array; -1 when out of memory. */
static int parse_tags(struct arena *a, const char *packed, struct tag **out)
{
	size_t n = 0, cap = 0;
	struct tag *arr = NULL;
	for (const char *p = packed; p && *p;) {
		const char *rs = strchr(p, '\x1e');
		size_t len = rs ? (size_t)(rs - p) : strlen(p);
		const char *us = memchr(p, '\x1f', len);
		if (us) {
			struct tag *t = db_rows_add(a, &arr, n, &cap, sizeof *t);
			if (!t)
				return -1;
			t->name = arena_strndup(a, p, (size_t)(us - p));
			t->slug = arena_strndup(a, us + 1, len - (size_t)(us - p) - 1);
			if (!t->name || !t->slug)
				return -1;
			n++;
		}
		p = rs ? rs + 1 : NULL;
	}
	*out = arr;
	return (int)n;
}

/* A string column copied into the arena; false when out of memory. */
static bool col(struct arena *a, sqlite3_stmt *st, int i, const char **out)
{
	*out = arena_strdup(a, db_text(st, i));
	return *out != NULL;
}

static bool fill_summary(sqlite3_stmt *st, struct arena *a, struct post_summary *p)
{
	p->id = sqlite3_column_int64(st, 0);
	p->published_at = (time_t)sqlite3_column_int64(st, 4);
	p->updated_at = (time_t)sqlite3_column_int64(st, 5);
	p->comment_count = sqlite3_column_int64(st, 8);
	p->ntags = parse_tags(a, db_text(st, 9), &p->tags);
	return col(a, st, 1, &p->slug) && col(a, st, 2, &p->title) && col(a, st, 3, &p->excerpt) &&
	       col(a, st, 6, &p->author_name) && col(a, st, 7, &p->author_slug) && p->ntags >= 0;
}

long posts_list(struct db *d, time_t now, const struct post_filter *f, long limit, long offset,
                struct arena *a, struct post_summary **out)
{
	sqlite3_stmt *st = db_prep(d, f->kind == PF_TAG      ? SQL_LIST_TAG
	                              : f->kind == PF_AUTHOR ? SQL_LIST_AUTHOR
	                              : f->kind == PF_HOME   ? SQL_LIST_HOME
	                              : f->kind == PF_RANGE  ? SQL_LIST_RANGE
	                                                     : SQL_LIST_ALL);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, now);
	filter_bind(st, f);
	sqlite3_bind_int64(st, 3, limit);
	sqlite3_bind_int64(st, 4, offset);
	size_t n = 0, cap = 0;
	struct post_summary *arr = NULL, *p;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (!(p = db_rows_add(a, &arr, n, &cap, sizeof *p)) || !fill_summary(st, a, p))
			break;
		n++;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		log_msg("posts_list: %s", rc == SQLITE_ROW ? "out of memory" : db_errmsg(d));
		return -1;
	}
	*out = arr;
	return (long)n;
}

static const char SQL_BY_SLUG[] =
    "SELECT " SUMMARY_COLS ", p.body_html, coalesce(u.bio, ''), coalesce(u.email, ''), p.comments_closed, "
    "p.kind = 'page', CASE WHEN p.kind = 'page' THEN " PAGE_PATH_SQL(
        "p") " END, p.featured_image, p.body_md "
             "FROM posts p LEFT JOIN users u ON u.id = p.author_id WHERE p.slug = ?2 AND " VISIBLE;
static const char SQL_PREV[] =
    "SELECT p.slug, p.title FROM posts p WHERE " VISIBLE_POST " AND (p.published_at, p.id) < (?2, ?3) "
    "ORDER BY p.published_at DESC, p.id DESC LIMIT 1";
static const char SQL_NEXT[] =
    "SELECT p.slug, p.title FROM posts p WHERE " VISIBLE_POST " AND (p.published_at, p.id) > (?2, ?3) "
    "ORDER BY p.published_at ASC, p.id ASC LIMIT 1";

static int neighbour(struct db *d, const char *sql, time_t now, const struct post_summary *p, struct arena *a,
                     struct post_link *out)
{
	sqlite3_stmt *st = db_prep(d, sql);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_int64(st, 2, p->published_at);
	sqlite3_bind_int64(st, 3, p->id);
	int rc = sqlite3_step(st);
	bool ok = rc == SQLITE_DONE ||
	          (rc == SQLITE_ROW && col(a, st, 0, &out->slug) && col(a, st, 1, &out->title));
	sqlite3_reset(st);
	return ok ? 0 : -1;
}

long markdown_words(const char *s)
{
	long n = 0;
	bool counted = false; /* the current run of non-spaces was counted */
	for (const unsigned char *c = (const unsigned char *)(s ? s : ""); *c; c++) {
		if (*c == ' ' || *c == '\n' || *c == '\t' || *c == '\r') {
			counted = false;
			continue;
		}
		/* U+2000..U+207F (dashes, quotes, ellipsis) are punctuation, not letters */
		if (c[0] == 0xE2 && (c[1] == 0x80 || c[1] == 0x81) && c[2]) {
			c += 2;
			continue;
		}
		bool letter = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		              (*c >= '0' && *c <= '9') || *c >= 0x80;
		if (letter && !counted) {
			n++;
			counted = true;
		}
	}
	return n;
}

int post_by_slug(struct db *d, time_t now, const char *slug, struct arena *a, struct post *p)
{
	sqlite3_stmt *st = db_prep(d, SQL_BY_SLUG);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_text(st, 2, slug, -1, SQLITE_STATIC);
	memset(p, 0, sizeof *p);
	int rc = sqlite3_step(st), found = 0;
	if (rc == SQLITE_ROW) {
		p->comments_closed = sqlite3_column_int(st, 13) != 0;
		p->is_page = sqlite3_column_int(st, 14) != 0;
		found = fill_summary(st, a, &p->s) && col(a, st, 10, &p->body_html) &&
		                col(a, st, 11, &p->author_bio) && col(a, st, 12, &p->author_email) &&
		                col(a, st, 15, &p->page_path) && col(a, st, 16, &p->featured_image)
		            ? 1
		            : -1;
		/* counted here, once per rendering: the page then sits in the render cache */
		long words = markdown_words(db_text(st, 17));
		p->reading_minutes = words < READING_WPM ? 1 : (words + READING_WPM / 2) / READING_WPM;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		found = -1;
	if (found < 0)
		log_msg("post_by_slug: %s", rc == SQLITE_ROW ? "out of memory" : db_errmsg(d));
	sqlite3_reset(st);
	/* a page stands alone: no previous or next post */
	if (found == 1 && !p->is_page &&
	    (neighbour(d, SQL_PREV, now, &p->s, a, &p->prev) < 0 ||
	     neighbour(d, SQL_NEXT, now, &p->s, a, &p->next) < 0))
		found = -1;
	return found;
}

static const char SQL_BRIEF[] =
    "SELECT p.id, p.slug, p.title, p.published_at, p.comments_closed, "
    "CASE WHEN p.kind = 'page' THEN " PAGE_PATH_SQL("p") " END FROM posts p "
                                                         "WHERE p.slug = ?2 AND " VISIBLE;

int post_brief(struct db *d, time_t now, const char *slug, struct arena *a, struct post_brief *p)
{
	sqlite3_stmt *st = db_prep(d, SQL_BRIEF);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_text(st, 2, slug, -1, SQLITE_STATIC);
	memset(p, 0, sizeof *p);
	int rc = sqlite3_step(st), found = rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
	if (found == 1) {
		p->id = sqlite3_column_int64(st, 0);
		p->published_at = (time_t)sqlite3_column_int64(st, 3);
		p->comments_closed = sqlite3_column_int(st, 4) != 0;
		if (!col(a, st, 1, &p->slug) || !col(a, st, 2, &p->title) || !col(a, st, 5, &p->page_path))
			found = -1;
	}
	if (found < 0)
		log_msg("post_brief: %s", rc == SQLITE_ROW ? "out of memory" : db_errmsg(d));
	sqlite3_reset(st);
	return found;
}

static const char SQL_REDIRECT[] = "SELECT p.slug FROM slug_redirects r JOIN posts p ON p.id = r.post_id "
                                   "WHERE r.old_slug = ?2 AND " VISIBLE;

int post_redirect(struct db *d, time_t now, const char *old_slug, struct arena *a, char **slug)
{
	sqlite3_stmt *st = db_prep(d, SQL_REDIRECT);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_text(st, 2, old_slug, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st), found = rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
	if (found == 1)
		*slug = arena_strdup(a, db_text(st, 0));
	sqlite3_reset(st);
	return found;
}

int post_by_wp_id(struct db *d, time_t now, sqlite3_int64 wp_id, struct arena *a, char **slug)
{
	char buf[SLUG_COL_MAX];
	int rc = db_str(d, buf, sizeof buf, "SELECT slug FROM posts p WHERE p.wp_id = ?2 AND " VISIBLE,
	                DB_ARGS(DB_I(now), DB_I(wp_id)));
	if (rc == 1 && !(*slug = arena_strdup(a, buf)))
		return -1;
	return rc;
}

static const char SQL_TAG[] = "SELECT id, name, slug FROM tags WHERE slug = ?1 OR name = ?1 COLLATE NOCASE "
                              "ORDER BY slug = ?1 DESC LIMIT 1";

static const char SQL_TAG_ALIAS[] = "SELECT t.id, t.name, t.slug FROM tag_aliases a "
                                    "JOIN tags t ON t.id = a.tag_id WHERE a.old_slug = ?1";

static int tag_row(struct db *d, const char *sql, const char *slug, struct arena *a, struct tag *t);

int tag_find_old(struct db *d, const char *old_slug, struct arena *a, struct tag *t)
{
	int found = tag_row(d, SQL_TAG_ALIAS, old_slug, a, t);
	return found != 0 ? found : tag_find(d, old_slug, a, t);
}

int tag_find(struct db *d, const char *slug, struct arena *a, struct tag *t)
{
	return tag_row(d, SQL_TAG, slug, a, t);
}

static int tag_row(struct db *d, const char *sql, const char *slug, struct arena *a, struct tag *t)
{
	sqlite3_stmt *st = db_prep(d, sql);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, slug, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st), found = rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
	if (found == 1) {
		t->id = sqlite3_column_int64(st, 0);
		if (!col(a, st, 1, &t->name) || !col(a, st, 2, &t->slug))
			found = -1;
	}
	sqlite3_reset(st);
	return found;
}

static int author_row(sqlite3_stmt *st, struct arena *a, struct author *out)
{
	int rc = sqlite3_step(st), found = rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
	if (found == 1) {
		out->id = sqlite3_column_int64(st, 0);
		if (!col(a, st, 1, &out->name) || !col(a, st, 2, &out->slug) || !col(a, st, 3, &out->bio) ||
		    !col(a, st, 4, &out->email))
			found = -1;
	}
	sqlite3_reset(st);
	return found;
}

int author_find(struct db *d, const char *key, struct arena *a, struct author *out)
{
	sqlite3_stmt *st =
	    db_prep(d, "SELECT id, name, slug, bio, email FROM users WHERE slug = ?1 OR name = ?1 "
	               "ORDER BY slug = ?1 DESC LIMIT 1");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	return author_row(st, a, out);
}

int author_by_id(struct db *d, sqlite3_int64 id, struct arena *a, struct author *out)
{
	sqlite3_stmt *st = db_prep(d, "SELECT id, name, slug, bio, email FROM users WHERE id = ?1");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	return author_row(st, a, out);
}

/* Updates and deletions call content_touch; a post becoming visible moves max(published_at).
 * Both are index lookups: this runs on every reader page. */
static const char SQL_LASTMOD[] =
    "SELECT max(coalesce((SELECT max(p.published_at) FROM posts p WHERE " VISIBLE "), 0), "
    "coalesce((SELECT CAST(value AS INTEGER) FROM settings WHERE key = 'content_changed_at'), 0))";

time_t posts_last_modified(struct db *d, time_t now)
{
	sqlite3_stmt *st = db_prep(d, SQL_LASTMOD);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, now);
	time_t t = -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		t = (time_t)sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return t > now ? now : t;
}

#define FEED_COLS                                                                                            \
	"SELECT p.slug, p.title, p.excerpt, p.published_at, p.updated_at, p.body_html, "                     \
	"coalesce(u.name, ''), CASE WHEN p.kind = 'page' THEN " PAGE_PATH_SQL(                               \
	    "p") " END "                                                                                     \
	         "FROM posts p LEFT JOIN users u ON u.id = p.author_id "
static const char SQL_FEED[] =
    FEED_COLS "WHERE " VISIBLE_POST " ORDER BY p.published_at DESC, p.id DESC LIMIT ?2";
static const char SQL_FEED_PAGES[] =
    FEED_COLS "WHERE " VISIBLE " ORDER BY p.published_at DESC, p.id DESC LIMIT ?2";

long posts_feed(struct db *d, time_t now, long limit, bool with_pages, struct arena *a,
                struct feed_post **out)
{
	sqlite3_stmt *st = db_prep(d, with_pages ? SQL_FEED_PAGES : SQL_FEED);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_int64(st, 2, limit);
	size_t n = 0, cap = 0;
	struct feed_post *arr = NULL, *p;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (!(p = db_rows_add(a, &arr, n, &cap, sizeof *p)) || !col(a, st, 0, &p->slug) ||
		    !col(a, st, 1, &p->title) || !col(a, st, 2, &p->excerpt) ||
		    !col(a, st, 5, &p->body_html) || !col(a, st, 6, &p->author_name) ||
		    !col(a, st, 7, &p->page_path))
			break;
		p->published_at = (time_t)sqlite3_column_int64(st, 3);
		p->updated_at = (time_t)sqlite3_column_int64(st, 4);
		n++;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		log_msg("posts_feed: %s", rc == SQLITE_ROW ? "out of memory" : db_errmsg(d));
		return -1;
	}
	*out = arr;
	return (long)n;
}

static const char SQL_TOUCH[] = "INSERT INTO settings(key, value) VALUES('content_changed_at', ?1) "
                                "ON CONFLICT(key) DO UPDATE SET value = excluded.value";

int content_touch(struct db *d, time_t now)
{
	return db_run(d, SQL_TOUCH, DB_ARGS(DB_I(now))) < 0 ? -1 : 0;
}
