/* db_posts: SQL for the reading path. Statements are cached per connection by db_prep. */
#include "db_posts.h"

#include <stdio.h>
#include <string.h>

#include "log.h"
#include "text.h"
#include "timefmt.h"

#define VISIBLE "p.status = 'published' AND p.published_at <= ?1"
#define SUMMARY_COLS                                                                                         \
	"p.id, p.slug, p.title, p.excerpt, p.published_at, p.updated_at, "                                   \
	"coalesce(u.name, ''), coalesce(u.slug, ''), "                                                       \
	"(SELECT count(*) FROM comments c WHERE c.post_id = p.id AND c.status = 'approved'), "               \
	"(SELECT group_concat(t.name || char(31) || t.slug, char(30)) FROM "                                 \
	" (SELECT t.name, t.slug FROM post_tags pt JOIN tags t ON t.id = pt.tag_id "                         \
	"  WHERE pt.post_id = p.id ORDER BY t.name) t)"

static const char SQL_COUNT_ALL[] = "SELECT count(*) FROM posts p WHERE " VISIBLE;
static const char SQL_COUNT_TAG[] =
    "SELECT count(*) FROM posts p JOIN post_tags pt ON pt.post_id = p.id AND pt.tag_id = ?2 WHERE " VISIBLE;
static const char SQL_COUNT_AUTHOR[] = "SELECT count(*) FROM posts p WHERE p.author_id = ?2 AND " VISIBLE;
static const char SQL_LIST_ALL[] =
    "SELECT " SUMMARY_COLS " FROM posts p LEFT JOIN users u ON u.id = p.author_id "
    "WHERE " VISIBLE " ORDER BY p.published_at DESC, p.id DESC LIMIT ?3 OFFSET ?4";
static const char SQL_LIST_TAG[] =
    "SELECT " SUMMARY_COLS " FROM posts p LEFT JOIN users u ON u.id = p.author_id "
    "JOIN post_tags ft ON ft.post_id = p.id AND ft.tag_id = ?2 "
    "WHERE " VISIBLE " ORDER BY p.published_at DESC, p.id DESC LIMIT ?3 OFFSET ?4";
static const char SQL_LIST_AUTHOR[] =
    "SELECT " SUMMARY_COLS " FROM posts p LEFT JOIN users u ON u.id = p.author_id "
    "WHERE p.author_id = ?2 AND " VISIBLE " ORDER BY p.published_at DESC, p.id DESC LIMIT ?3 OFFSET ?4";

long posts_count(struct db *d, time_t now, const struct post_filter *f)
{
	sqlite3_stmt *st = db_prep(d, f->kind == PF_TAG      ? SQL_COUNT_TAG
	                              : f->kind == PF_AUTHOR ? SQL_COUNT_AUTHOR
	                                                     : SQL_COUNT_ALL);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, now);
	if (f->kind != PF_ALL)
		sqlite3_bind_int64(st, 2, f->id);
	long n = -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		n = (long)sqlite3_column_int64(st, 0);
	else
		log_msg("posts_count: sqlite: %s", db_errmsg(d));
	sqlite3_reset(st);
	return n;
}

static void set_dates(struct tobj *o, time_t published, time_t updated)
{
	char b[TIME_BUFSZ];
	time_human(published, b);
	tset_str(o, "date", b);
	time_rfc3339(published, b);
	tset_str(o, "date_iso", b);
	time_rfc3339(updated > published ? updated : published, b);
	tset_str(o, "updated_iso", b);
	time_ymd(updated > published ? updated : published, b);
	tset_str(o, "updated_ymd", b);
}

static void set_url(struct tobj *o, const char *key, const char *prefix, const char *slug)
{
	struct buf u = BUF_INIT;
	buf_adds(&u, prefix);
	esc_url(&u, slug, strlen(slug));
	tset_str(o, key, buf_cstr(&u));
	buf_free(&u);
}

static void set_responses(struct tobj *o, long long n)
{
	char label[64];
	if (n == 0)
		snprintf(label, sizeof label, "No responses yet");
	else
		snprintf(label, sizeof label, "%lld Response%s", n, n == 1 ? "" : "s");
	tset_int(o, "comment_count", n);
	tset_str(o, "comment_label", label);
}

/* "name\x1fslug\x1ename\x1fslug" from group_concat into a list of {name, url}. */
static void set_tags(struct tobj *o, const char *packed)
{
	struct tlist *l = tset_list(o, "tags");
	const char *p = packed;
	while (p && *p) {
		const char *rs = strchr(p, '\x1e');
		size_t len = rs ? (size_t)(rs - p) : strlen(p);
		const char *us = memchr(p, '\x1f', len);
		if (us) {
			struct tobj *t = tlist_add(l);
			char slug[256];
			snprintf(slug, sizeof slug, "%.*s", (int)(len - (size_t)(us - p) - 1), us + 1);
			tset_strn(t, "name", p, (size_t)(us - p));
			set_url(t, "url", "/tags/", slug);
		}
		p = rs ? rs + 1 : NULL;
	}
}

static void fill_summary(sqlite3_stmt *st, struct tobj *o)
{
	tset_int(o, "id", sqlite3_column_int64(st, 0));
	tset_str(o, "slug", db_text(st, 1));
	set_url(o, "url", "/posts/", db_text(st, 1));
	tset_str(o, "title", db_text(st, 2));
	tset_str(o, "excerpt", db_text(st, 3));
	set_dates(o, (time_t)sqlite3_column_int64(st, 4), (time_t)sqlite3_column_int64(st, 5));
	if (*db_text(st, 6)) {
		struct tobj *a = tobj_new(tobj_arena(o));
		tset_str(a, "name", db_text(st, 6));
		set_url(a, "url", "/authors/", db_text(st, 7));
		tset_obj(o, "author", a);
	}
	set_responses(o, sqlite3_column_int64(st, 8));
	set_tags(o, db_text(st, 9));
}

int posts_list(struct db *d, time_t now, const struct post_filter *f, long limit, long offset,
               struct tlist *out)
{
	sqlite3_stmt *st = db_prep(d, f->kind == PF_TAG      ? SQL_LIST_TAG
	                              : f->kind == PF_AUTHOR ? SQL_LIST_AUTHOR
	                                                     : SQL_LIST_ALL);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, now);
	if (f->kind != PF_ALL)
		sqlite3_bind_int64(st, 2, f->id);
	sqlite3_bind_int64(st, 3, limit);
	sqlite3_bind_int64(st, 4, offset);
	int n = 0, rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		fill_summary(st, tlist_add(out));
		n++;
	}
	if (rc != SQLITE_DONE) {
		log_msg("posts_list: sqlite: %s", db_errmsg(d));
		n = -1;
	}
	sqlite3_reset(st);
	return n;
}

static const char SQL_BY_SLUG[] =
    "SELECT " SUMMARY_COLS ", p.body_html, coalesce(u.bio, ''), coalesce(u.email, ''), p.comments_closed "
    "FROM posts p LEFT JOIN users u ON u.id = p.author_id WHERE p.slug = ?2 AND " VISIBLE;
static const char SQL_PREV[] =
    "SELECT p.slug, p.title FROM posts p WHERE " VISIBLE " AND (p.published_at, p.id) < (?2, ?3) "
    "ORDER BY p.published_at DESC, p.id DESC LIMIT 1";
static const char SQL_NEXT[] =
    "SELECT p.slug, p.title FROM posts p WHERE " VISIBLE " AND (p.published_at, p.id) > (?2, ?3) "
    "ORDER BY p.published_at ASC, p.id ASC LIMIT 1";

static int neighbour(struct db *d, const char *sql, time_t now, sqlite3_int64 pa, sqlite3_int64 id,
                     struct tobj *post, const char *key)
{
	sqlite3_stmt *st = db_prep(d, sql);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_int64(st, 2, pa);
	sqlite3_bind_int64(st, 3, id);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		struct tobj *o = tobj_new(tobj_arena(post));
		tset_str(o, "title", db_text(st, 1));
		set_url(o, "url", "/posts/", db_text(st, 0));
		tset_obj(post, key, o);
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

int post_by_slug(struct db *d, time_t now, const char *slug, struct tobj *post, char **author_email)
{
	sqlite3_stmt *st = db_prep(d, SQL_BY_SLUG);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_text(st, 2, slug, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st), found = 0;
	sqlite3_int64 id = 0, pa = 0;
	if (rc == SQLITE_ROW) {
		fill_summary(st, post);
		tset_html(post, "body_html", db_text(st, 10));
		tset_str(post, "author_bio", db_text(st, 11));
		*author_email = arena_strdup(tobj_arena(post), db_text(st, 12));
		tset_int(post, "comments_closed", sqlite3_column_int(st, 13));
		tset_int(post, "published_at", sqlite3_column_int64(st, 4));
		id = sqlite3_column_int64(st, 0);
		pa = sqlite3_column_int64(st, 4);
		found = 1;
	} else if (rc != SQLITE_DONE) {
		log_msg("post_by_slug: sqlite: %s", db_errmsg(d));
		found = -1;
	}
	sqlite3_reset(st);
	if (found == 1 && (neighbour(d, SQL_PREV, now, pa, id, post, "prev") < 0 ||
	                   neighbour(d, SQL_NEXT, now, pa, id, post, "next") < 0))
		found = -1;
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

static const char SQL_TAG[] = "SELECT id, name, slug FROM tags WHERE slug = ?1 OR name = ?1 COLLATE NOCASE "
                              "ORDER BY slug = ?1 DESC LIMIT 1";

int tag_find(struct db *d, const char *slug, sqlite3_int64 *id, struct tobj *tag)
{
	sqlite3_stmt *st = db_prep(d, SQL_TAG);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, slug, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st), found = rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
	if (found == 1) {
		*id = sqlite3_column_int64(st, 0);
		tset_str(tag, "name", db_text(st, 1));
		set_url(tag, "url", "/tags/", db_text(st, 2));
	}
	sqlite3_reset(st);
	return found;
}

static const char SQL_AUTHOR[] = "SELECT id, name, slug, bio, email FROM users WHERE slug = ?1 OR name = ?1 "
                                 "ORDER BY slug = ?1 DESC LIMIT 1";

int author_find(struct db *d, const char *key, sqlite3_int64 *id, struct tobj *author, char **email)
{
	sqlite3_stmt *st = db_prep(d, SQL_AUTHOR);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st), found = rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
	if (found == 1) {
		*id = sqlite3_column_int64(st, 0);
		tset_str(author, "name", db_text(st, 1));
		tset_str(author, "slug", db_text(st, 2));
		set_url(author, "url", "/authors/", db_text(st, 2));
		tset_str(author, "bio", db_text(st, 3));
		*email = arena_strdup(tobj_arena(author), db_text(st, 4));
	}
	sqlite3_reset(st);
	return found;
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

static const char SQL_FEED[] =
    "SELECT p.slug, p.title, p.excerpt, p.published_at, p.updated_at, p.body_html, "
    "coalesce(u.name, '') FROM posts p LEFT JOIN users u ON u.id = p.author_id "
    "WHERE " VISIBLE " ORDER BY p.published_at DESC, p.id DESC LIMIT ?2";

int posts_feed(struct db *d, time_t now, long limit, struct tlist *out, const char *base_url)
{
	sqlite3_stmt *st = db_prep(d, SQL_FEED);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_int64(st, 2, limit);
	int rc, n = 0;
	struct buf u = BUF_INIT;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct tobj *o = tlist_add(out);
		buf_reset(&u);
		buf_adds(&u, base_url);
		buf_adds(&u, "/posts/");
		esc_url(&u, db_text(st, 0), strlen(db_text(st, 0)));
		tset_str(o, "abs_url", buf_cstr(&u));
		tset_str(o, "title", db_text(st, 1));
		tset_str(o, "excerpt", db_text(st, 2));
		set_dates(o, (time_t)sqlite3_column_int64(st, 3), (time_t)sqlite3_column_int64(st, 4));
		/* in the feed the body is text holding HTML: escaped once more by the template */
		tset_str(o, "body_html_text", db_text(st, 5));
		tset_str(o, "author_name", db_text(st, 6));
		n++;
	}
	buf_free(&u);
	if (rc != SQLITE_DONE) {
		log_msg("posts_feed: sqlite: %s", db_errmsg(d));
		n = -1;
	}
	sqlite3_reset(st);
	return n;
}

static const char SQL_TOUCH[] = "INSERT INTO settings(key, value) VALUES('content_changed_at', ?1) "
                                "ON CONFLICT(key) DO UPDATE SET value = excluded.value";

int content_touch(struct db *d, time_t now)
{
	sqlite3_stmt *st = db_prep(d, SQL_TOUCH);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, now);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}
