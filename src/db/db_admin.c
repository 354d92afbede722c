/* db_admin: the writes behind the editor; every save is one transaction. */
#include "db_admin.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_posts.h"
#include "form.h"
#include "frontmatter.h"
#include "log.h"
#include "db_tags.h"
#include "text.h"
#include "timefmt.h"

static long long count(struct db *d, const char *sql, time_t now)
{
	sqlite3_stmt *st = db_prep(d, sql);
	if (!st)
		return -1;
	if (sqlite3_bind_parameter_count(st) > 0)
		sqlite3_bind_int64(st, 1, now);
	long long n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
	sqlite3_reset(st);
	return n;
}

int admin_counts(struct db *d, time_t now, struct tobj *ctx)
{
	long long v[5] = {
	    count(d, "SELECT count(*) FROM posts WHERE status = 'published' AND published_at <= ?1", now),
	    count(d, "SELECT count(*) FROM posts WHERE status = 'draft'", now),
	    count(d, "SELECT count(*) FROM posts WHERE status = 'published' AND published_at > ?1", now),
	    count(d, "SELECT count(*) FROM comments WHERE status = 'pending'", now),
	    count(d, "SELECT count(*) FROM subscribers WHERE status = 'confirmed'", now),
	};
	static const char *const keys[] = {"count_posts", "count_drafts", "count_scheduled", "count_comments",
	                                   "count_subscribers"};
	for (int i = 0; i < 5; i++) {
		if (v[i] < 0)
			return -1;
		tset_int(ctx, keys[i], v[i]);
	}
	return 0;
}

/* The status a post shows in the admin, from what is stored and the clock. */
static const char *status_of(const char *stored, sqlite3_int64 published_at, time_t now)
{
	if (strcmp(stored, "published") != 0)
		return "draft";
	return published_at > now ? "scheduled" : "published";
}

#define ADMIN_FILTER                                                                                         \
	" WHERE (?2 = 'all' OR (?2 = 'draft' AND p.status = 'draft') OR "                                    \
	"(?2 = 'scheduled' AND p.status = 'published' AND p.published_at > ?1) OR "                          \
	"(?2 = 'published' AND p.status = 'published' AND p.published_at <= ?1))"
static const char SQL_ADMIN_COUNT[] = "SELECT count(*) FROM posts p" ADMIN_FILTER;
static const char SQL_ADMIN_LIST[] =
    "SELECT p.id, p.title, p.slug, p.status, p.published_at, p.updated_at, coalesce(u.name, '') "
    "FROM posts p LEFT JOIN users u ON u.id = p.author_id" ADMIN_FILTER
    " ORDER BY CASE WHEN p.published_at = 0 THEN p.created_at ELSE p.published_at END DESC, p.id DESC "
    "LIMIT ?3 OFFSET ?4";

long admin_posts_list(struct db *d, time_t now, const char *filter, long page, struct tlist *out)
{
	if (!filter ||
	    (strcmp(filter, "draft") && strcmp(filter, "scheduled") && strcmp(filter, "published")))
		filter = "all";
	sqlite3_stmt *st = db_prep(d, SQL_ADMIN_COUNT);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_text(st, 2, filter, -1, SQLITE_STATIC);
	long total = sqlite3_step(st) == SQLITE_ROW ? (long)sqlite3_column_int64(st, 0) : -1;
	sqlite3_reset(st);
	if (total < 0 || !(st = db_prep(d, SQL_ADMIN_LIST)))
		return -1;
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_text(st, 2, filter, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, ADMIN_PER_PAGE);
	sqlite3_bind_int64(st, 4, (page - 1) * ADMIN_PER_PAGE);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct tobj *o = tlist_add(out);
		sqlite3_int64 id = sqlite3_column_int64(st, 0), pa = sqlite3_column_int64(st, 4);
		const char *status = status_of(db_text(st, 3), pa, now);
		char b[TIME_BUFSZ] = "—";
		if (pa) {
			time_rfc3339(pa, b);
			b[10] = ' ';
			b[16] = '\0'; /* 2026-11-25 14:30 */
		}
		tset_int(o, "id", id);
		tset_str(o, "title", db_text(st, 1));
		tset_str(o, "slug", db_text(st, 2));
		tset_str(o, "status", status);
		tset_bool(o, "is_published", strcmp(status, "published") == 0);
		tset_str(o, "date", b);
		tset_str(o, "author", db_text(st, 6));
		struct buf u = BUF_INIT;
		buf_adds(&u, "/posts/");
		esc_url(&u, db_text(st, 2), strlen(db_text(st, 2)));
		tset_str(o, "url", buf_cstr(&u));
		buf_free(&u);
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? total : -1;
}

static const char SQL_LOAD[] =
    "SELECT p.title, p.slug, p.body_md, p.excerpt, p.status, p.published_at, coalesce(u.name, ''), "
    "p.comments_closed, "
    "coalesce(u.email, ''), coalesce(u.bio, ''), coalesce(u.slug, ''), "
    "(SELECT group_concat(name, ', ') FROM (SELECT t.name FROM post_tags pt JOIN tags t ON t.id = pt.tag_id "
    " WHERE pt.post_id = p.id ORDER BY t.name)) "
    "FROM posts p LEFT JOIN users u ON u.id = p.author_id WHERE p.id = ?1";

int admin_post_load(struct db *d, struct arena *a, time_t now, sqlite3_int64 id, struct post_form *f)
{
	sqlite3_stmt *st = db_prep(d, SQL_LOAD);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st), found = rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
	if (found == 1) {
		memset(f, 0, sizeof *f);
		f->id = id;
		f->title = arena_strdup(a, db_text(st, 0));
		f->slug = arena_strdup(a, db_text(st, 1));
		f->body = arena_strdup(a, db_text(st, 2));
		f->excerpt = arena_strdup(a, db_text(st, 3));
		f->published_at = sqlite3_column_int64(st, 5);
		f->status = status_of(db_text(st, 4), f->published_at, now);
		char b[TIME_BUFSZ] = "";
		if (f->published_at) {
			time_rfc3339(f->published_at, b);
			b[16] = '\0'; /* YYYY-MM-DDTHH:MM, the form of <input type=datetime-local> */
		}
		f->date = arena_strdup(a, b);
		f->author_name = arena_strdup(a, db_text(st, 6));
		f->comments_closed = sqlite3_column_int(st, 7) != 0;
		f->author_email = arena_strdup(a, db_text(st, 8));
		f->author_bio = arena_strdup(a, db_text(st, 9));
		f->author_slug = arena_strdup(a, db_text(st, 10));
		f->tags = arena_strdup(a, db_text(st, 11));
	}
	sqlite3_reset(st);
	return found;
}

static bool slug_taken(struct db *d, const char *slug, sqlite3_int64 id)
{
	sqlite3_stmt *st = db_prep(d, "SELECT 1 FROM posts WHERE slug = ?1 AND id != ?2");
	if (!st)
		return true;
	sqlite3_bind_text(st, 1, slug, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, id);
	bool taken = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_reset(st);
	return taken;
}

bool post_validate(struct db *d, struct arena *a, const struct post_form *f, enum post_action act, time_t now,
                   struct post_errors *e, char **out_slug, time_t *out_time)
{
	memset(e, 0, sizeof *e);
	*out_time = 0;
	if (!f->title || !*trim((char *)f->title))
		e->title = "Give the post a title.";
	else if (!field_ok(f->title, TITLE_MAX, true))
		e->title = "The title must be one line of at most 200 characters.";
	struct buf slug = BUF_INIT;
	if (f->slug && *f->slug)
		buf_adds(&slug, f->slug);
	else if (f->title && !e->title)
		slugify(&slug, f->title, 80);
	*out_slug = arena_strdup(a, buf_cstr(&slug));
	buf_free(&slug);
	if (!e->title && (!**out_slug || strlen(*out_slug) > SLUG_MAX || !slug_valid(*out_slug)))
		e->slug = "Use lowercase letters, digits and single dashes (at most 120).";
	else if (!e->title && slug_taken(d, *out_slug, f->id))
		e->slug = "Another post already uses this slug.";
	if (!field_ok(f->body, POST_BODY_MAX, false))
		e->body = "The body must be text of at most 100,000 characters.";
	if (!field_ok(f->excerpt, EXCERPT_FIELD_MAX, true))
		e->excerpt = "The excerpt must be one line of at most 500 characters.";
	if (f->tags && *f->tags) {
		char *copy = arena_strdup(a, f->tags), *tags[TAGS_MAX], why[128];
		if (!field_ok(f->tags, 1200, true) || !copy || fm_split_tags(copy, tags, why, sizeof why) < 0)
			e->tags = "Separate tags with commas: at most 20, each at most 50 characters.";
	}
	if (f->date && *f->date && !time_parse(f->date, out_time))
		e->date = "Use a date like 2026-11-25 or 2026-11-25T14:30 (UTC).";
	if (!e->date && act == ACT_SCHEDULE && *out_time <= now)
		e->date = "Pick a date in the future to schedule the post.";
	return !(e->title || e->slug || e->body || e->excerpt || e->tags || e->date);
}

static const char SQL_INSERT[] =
    "INSERT INTO posts(slug, title, body_md, body_html, excerpt, author_id, status, published_at, "
    "created_at, updated_at, comments_closed) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9, ?11) RETURNING "
    "id";
static const char SQL_UPDATE[] =
    "UPDATE posts SET slug = ?1, title = ?2, body_md = ?3, body_html = ?4, excerpt = ?5, status = ?7, "
    "published_at = ?8, updated_at = ?9, comments_closed = ?11 WHERE id = ?10 RETURNING id";

/* The stored status and date that an action gives. */
static void resolve(const struct post_form *f, enum post_action act, time_t when, time_t now,
                    const char **status, time_t *at)
{
	bool was_live = f->id && strcmp(f->status, "published") == 0;
	switch (act) {
	case ACT_PUBLISH:
		*status = "published";
		/* publish now: a typed past date is kept (backdating), a live post keeps its
		 * date when edited, anything else goes out now */
		*at = when && when <= now ? when : was_live ? (time_t)f->published_at : now;
		break;
	case ACT_SCHEDULE:
		*status = "published";
		*at = when;
		break;
	default:
		*status = "draft";
		*at = when ? when : f->id ? (time_t)f->published_at : 0;
		break;
	}
}

static int redirect_old_slug(struct db *d, sqlite3_int64 id, const char *new_slug)
{
	sqlite3_stmt *st = db_prep(
	    d, "INSERT INTO slug_redirects(old_slug, post_id) SELECT slug, id FROM posts "
	       "WHERE id = ?1 AND slug != ?2 ON CONFLICT(old_slug) DO UPDATE SET post_id = excluded.post_id");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, new_slug, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
	sqlite3_reset(st);
	if (rc < 0 || !(st = db_prep(d, "DELETE FROM slug_redirects WHERE old_slug = ?1")))
		return -1;
	sqlite3_bind_text(st, 1, new_slug, -1, SQLITE_STATIC);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
	sqlite3_reset(st);
	return rc;
}

static int save_tags(struct db *d, sqlite3_int64 id, const char *tagstr)
{
	char *copy = strdup(tagstr ? tagstr : ""), *tags[TAGS_MAX], why[128];
	if (!copy)
		return -1;
	int n = fm_split_tags(copy, tags, why, sizeof why);
	int rc = n < 0 ? -1 : post_set_tags(d, id, tags, n);
	free(copy);
	return rc;
}

sqlite3_int64 post_write(struct db *d, const struct post_form *f, const struct post_html *h,
                         enum post_action act, const char *slug, time_t when, sqlite3_int64 author,
                         time_t now)
{
	const char *status;
	time_t at;
	resolve(f, act, when, now, &status, &at);
	if (f->id && redirect_old_slug(d, f->id, slug) < 0)
		goto fail;
	sqlite3_stmt *st = db_prep(d, f->id ? SQL_UPDATE : SQL_INSERT);
	if (!st)
		goto fail;
	sqlite3_bind_text(st, 1, slug, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, f->title, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, f->body ? f->body : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, h->body_html, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, h->excerpt, -1, SQLITE_STATIC);
	if (!f->id)
		sqlite3_bind_int64(st, 6, author);
	sqlite3_bind_text(st, 7, status, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 8, at);
	sqlite3_bind_int64(st, 9, now);
	if (f->id)
		sqlite3_bind_int64(st, 10, f->id);
	sqlite3_bind_int(st, 11, f->comments_closed);
	int step = sqlite3_step(st);
	sqlite3_int64 id = step == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
	sqlite3_reset(st);
	/* deleted by someone else since the editor loaded it: not a database error */
	if (step == SQLITE_DONE && f->id)
		return POST_GONE;
	if (id < 0 || save_tags(d, id, f->tags) < 0 || content_touch(d, now) < 0)
		goto fail;
	return id;
fail:
	log_msg("post_write: sqlite: %s", db_errmsg(d));
	return -1;
}

int post_delete(struct db *d, sqlite3_int64 id, time_t now)
{
	if (db_begin(d) < 0)
		return -1;
	sqlite3_stmt *st = db_prep(d, "DELETE FROM posts WHERE id = ?1");
	if (!st) {
		db_rollback(d);
		return -1;
	}
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st) == SQLITE_DONE ? sqlite3_changes(d->h) > 0 : -1;
	sqlite3_reset(st);
	if (rc < 0 || content_touch(d, now) < 0 || db_commit(d) < 0) {
		db_rollback(d);
		return -1;
	}
	return rc;
}
