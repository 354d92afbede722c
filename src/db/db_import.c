/* db_import: the SQL of the importers; parsing, rendering and the choice of slugs stay above. */
#include "db_import.h"

#include <string.h>

#include "users.h"

static const char SQL_UPSERT[] =
    "INSERT INTO posts(slug, title, body_md, body_html, excerpt, author_id, status, published_at, "
    "created_at, updated_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, "
    "coalesce(?8, CASE WHEN ?7 = 'draft' THEN 0 ELSE ?9 END), ?9, "
    /* a new post last changed when its file says (updated:), else on its date, not the import's */
    "coalesce(?10, CASE WHEN ?8 <= ?9 THEN ?8 END, ?9)) "
    "ON CONFLICT(slug) DO UPDATE SET title = excluded.title, body_md = excluded.body_md, "
    "body_html = excluded.body_html, excerpt = excluded.excerpt, author_id = excluded.author_id, "
    "status = excluded.status, published_at = coalesce(?8, CASE WHEN published_at = 0 AND ?7 = 'published' "
    "THEN ?9 ELSE published_at END), "
    /* the content's last change: the same file imported again moves no date */
    "updated_at = CASE WHEN title IS NOT excluded.title OR body_md IS NOT excluded.body_md OR excerpt IS "
    "NOT excluded.excerpt THEN coalesce(?10, ?9) ELSE updated_at END "
    "RETURNING id";

static const char SQL_INSERT[] =
    "INSERT INTO posts(slug, title, body_md, body_html, excerpt, author_id, "
    "status, published_at, created_at, "
    "updated_at, wp_id, notified_at, featured_image) VALUES(?1, ?2, ?3, ?4, ?5, "
    "nullif(?6, 0), ?7, ?8, ?9, coalesce(nullif(?12, 0), ?9), nullif(?10, 0), ?9, "
    "coalesce(?13, '')) "
    "RETURNING id";
static const char SQL_UPDATE[] =
    "UPDATE posts SET slug = ?1, title = ?2, body_md = ?3, body_html = ?4, excerpt = ?5, author_id = "
    "nullif(?6, 0), "
    "status = ?7, published_at = ?8, updated_at = coalesce(nullif(?12, 0), ?9), "
    "wp_id = coalesce(nullif(?10, 0), wp_id), notified_at = coalesce(notified_at, ?9), "
    "featured_image = coalesce(?13, featured_image) WHERE id = ?11 RETURNING id";

/* ?1..?5 and ?7 as both writes bind them. */
static void bind_post(sqlite3_stmt *st, const struct post_write *p)
{
	sqlite3_bind_text(st, 1, p->slug, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, p->title, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, p->body_md, (int)p->body_len, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, p->body_html, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, p->excerpt, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, p->draft ? "draft" : "published", -1, SQLITE_STATIC);
}

/* Steps a write ending in RETURNING id; the id, or -1. */
static sqlite3_int64 returning_id(sqlite3_stmt *st)
{
	sqlite3_int64 id = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return id;
}

sqlite3_int64 db_post_upsert(struct db *d, const struct post_write *p, time_t now)
{
	sqlite3_stmt *st = db_prep(d, SQL_UPSERT);
	if (!st)
		return -1;
	bind_post(st, p);
	if (p->author_id)
		sqlite3_bind_int64(st, 6, p->author_id);
	if (p->has_date)
		sqlite3_bind_int64(st, 8, p->published_at);
	sqlite3_bind_int64(st, 9, now);
	if (p->modified_at > 0 && p->modified_at <= now)
		sqlite3_bind_int64(st, 10, p->modified_at);
	return returning_id(st);
}

sqlite3_int64 db_import_post_write(struct db *d, const struct post_write *p, sqlite3_int64 id, time_t now)
{
	sqlite3_stmt *st = db_prep(d, id ? SQL_UPDATE : SQL_INSERT);
	if (!st)
		return -1;
	bind_post(st, p);
	sqlite3_bind_int64(st, 6, p->author_id);
	sqlite3_bind_int64(st, 8, p->published_at);
	sqlite3_bind_int64(st, 9, now);
	sqlite3_bind_int64(st, 10, p->wp_id);
	if (id)
		sqlite3_bind_int64(st, 11, id);
	sqlite3_bind_int64(st, 12, p->modified_at);
	if (p->featured_image)
		sqlite3_bind_text(st, 13, p->featured_image, -1, SQLITE_STATIC);
	return returning_id(st);
}

int db_import_post_body(struct db *d, sqlite3_int64 id, const char *body_md, size_t len)
{
	sqlite3_stmt *st = db_prep(d, "UPDATE posts SET body_md = ?1 WHERE id = ?2");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, body_md, (int)len, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, id);
	int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc;
}

int db_post_id_by_slug(struct db *d, const char *slug, sqlite3_int64 *id)
{
	return db_int(d, id, "SELECT id FROM posts WHERE slug = ?1", DB_ARGS(DB_T(slug)));
}

int db_import_post_find(struct db *d, long long wp_id, const char *slug, sqlite3_int64 *id)
{
	return db_int(d, id,
	              "SELECT id FROM posts WHERE (?1 != 0 AND wp_id = ?1) OR slug = ?2 "
	              "ORDER BY (wp_id = ?1) DESC LIMIT 1",
	              DB_ARGS(DB_I(wp_id), DB_T(slug)));
}

int db_import_post_by_wp_id(struct db *d, long long wp_id, sqlite3_int64 *id)
{
	return db_int(d, id, "SELECT id FROM posts WHERE wp_id = ?1", DB_ARGS(DB_I(wp_id)));
}

int db_import_slug_owner(struct db *d, const char *slug, sqlite3_int64 *wp_id)
{
	return db_int(d, wp_id, "SELECT coalesce(wp_id, 0) FROM posts WHERE slug = ?1", DB_ARGS(DB_T(slug)));
}

int db_import_post_same(struct db *d, sqlite3_int64 id, const struct post_write *p)
{
	sqlite3_int64 same = 0;
	/* body_html too: a change of the Markdown renderer is a change worth writing */
	int rc = db_int(
	    d, &same,
	    "SELECT count(*) FROM posts WHERE id = ?1 AND slug = ?2 AND title = ?3 AND body_md = ?4 "
	    "AND body_html = ?5 AND excerpt = ?6 AND coalesce(author_id, 0) = ?7 AND status = ?8 "
	    "AND published_at = ?9 AND coalesce(wp_id, 0) = ?10 AND (?11 = 0 OR updated_at = ?11) "
	    "AND featured_image = coalesce(?12, featured_image)",
	    DB_ARGS(DB_I(id), DB_T(p->slug), DB_T(p->title), DB_T(p->body_md), DB_T(p->body_html),
	            DB_T(p->excerpt), DB_I(p->author_id), DB_T(p->draft ? "draft" : "published"),
	            DB_I(p->published_at), DB_I(p->wp_id), DB_I(p->modified_at), DB_T(p->featured_image)));
	return rc < 0 ? -1 : same > 0;
}

int db_import_post_date(struct db *d, sqlite3_int64 id, sqlite3_int64 *at)
{
	*at = 0;
	return db_int(d, at, "SELECT published_at FROM posts WHERE id = ?1", DB_ARGS(DB_I(id))) < 0 ? -1 : 0;
}

int db_post_id_by_path(struct db *d, const char *path, sqlite3_int64 *id)
{
	return db_int(d, id,
	              "SELECT id FROM posts WHERE '/posts/' || slug = ?1 UNION ALL "
	              "SELECT post_id FROM legacy_redirects WHERE path = ?1 LIMIT 1",
	              DB_ARGS(DB_T(path)));
}

int db_import_post_by_path(struct db *d, const char *path, sqlite3_int64 *id)
{
	/* by slug and by the legacy path's key, so each lookup uses an index (an import makes many) */
	if (strncmp(path, "/posts/", 7) == 0) {
		int r = db_post_id_by_slug(d, path + 7, id);
		if (r != 0)
			return r;
	}
	return db_int(d, id, "SELECT post_id FROM legacy_redirects WHERE path = ?1", DB_ARGS(DB_T(path)));
}

int db_legacy_redirect_set(struct db *d, const char *path, sqlite3_int64 post)
{
	return db_run(d,
	              "INSERT INTO legacy_redirects(path, post_id) VALUES(?1, ?2) "
	              "ON CONFLICT(path) DO UPDATE SET post_id = excluded.post_id",
	              DB_ARGS(DB_T(path), DB_I(post))) < 0
	           ? -1
	           : 0;
}

int db_user_id_by_name(struct db *d, const char *name, sqlite3_int64 *id)
{
	return db_int(d, id, "SELECT id FROM users WHERE name = ?1 OR slug = ?1", DB_ARGS(DB_T(name)));
}

int db_import_author_find(struct db *d, const char *name, const char *email, sqlite3_int64 *id)
{
	return db_int(d, id, "SELECT id FROM users WHERE name = ?1 OR (?2 != '' AND email = ?2)",
	              DB_ARGS(DB_T(name), DB_T(email ? email : "")));
}

sqlite3_int64 db_import_author_add(struct db *d, const char *name, const char *email, time_t now, char *err,
                                   size_t errsz)
{
	if (user_add_locked(d, name, email, "", now, err, errsz) < 0)
		return -1;
	return sqlite3_last_insert_rowid(d->h);
}

int db_comment_by_import_key(struct db *d, const char *key, sqlite3_int64 *id)
{
	return db_int(d, id, "SELECT id FROM comments WHERE import_key = ?1", DB_ARGS(DB_T(key)));
}

int db_import_comment_insert(struct db *d, const struct comment_write *c)
{
	return db_run(d,
	              "INSERT INTO comments(post_id, parent_id, author_name, author_email, author_url, "
	              "body, body_html, status, created_at, import_key, kind, held_reason) "
	              "VALUES(?1, nullif(?2, 0), ?3, ?4, ?5, ?6, ?7, ?10, ?8, ?9, ?11, "
	              "CASE WHEN ?10 = 'pending' THEN 'import' ELSE '' END)",
	              DB_ARGS(DB_I(c->post_id), DB_I(c->parent_id), DB_T(c->name), DB_T(c->email),
	                      DB_T(c->url), DB_T(c->body_md), DB_T(c->body_html), DB_I(c->created_at),
	                      DB_T(c->key), DB_T(c->pending ? "pending" : "approved"),
	                      DB_T(c->kind ? c->kind : "comment"))) < 0
	           ? -1
	           : 0;
}

/* The transactions of an import: a batch is one transaction, an item a savepoint inside it. */
int db_import_batch_begin(struct db *d)
{
	/* the journals of statements and savepoints in memory: in a temporary file they cost one
	 * write per page per statement (half a million writes for 2,000 posts) */
	if (db_exec(d, "PRAGMA temp_store = MEMORY") < 0)
		return -1;
	return db_begin(d);
}

int db_import_batch_commit(struct db *d)
{
	if (sqlite3_get_autocommit(d->h))
		return -1; /* SQLite rolled the batch back by itself (disk full, I/O error) */
	if (db_commit(d) < 0) {
		db_rollback(d);
		return -1;
	}
	return 0;
}

bool db_import_batch_open(struct db *d)
{
	return !sqlite3_get_autocommit(d->h);
}

int db_import_item_begin(struct db *d)
{
	if (sqlite3_get_autocommit(d->h))
		return db_begin(d) < 0 ? -1 : 1;
	return db_exec(d, "SAVEPOINT import_item") < 0 ? -1 : 0;
}

int db_import_item_end(struct db *d, int began, bool keep)
{
	if (began == 1) {
		if (keep && db_commit(d) == 0)
			return 0;
		db_rollback(d);
		return keep ? -1 : 0;
	}
	if (sqlite3_get_autocommit(d->h))
		return -1; /* the batch around the savepoint is gone */
	if (keep)
		return db_exec(d, "RELEASE import_item");
	if (db_exec(d, "ROLLBACK TO import_item") < 0 || db_exec(d, "RELEASE import_item") < 0)
		return -1;
	return 0;
}

int db_import_post_tags_same(struct db *d, sqlite3_int64 post, const char *const *slugs, int n)
{
	sqlite3_int64 have = 0;
	if (db_int(d, &have, "SELECT count(*) FROM post_tags WHERE post_id = ?1", DB_ARGS(DB_I(post))) < 0)
		return -1;
	if (have != n)
		return 0;
	for (int i = 0; i < n; i++) {
		sqlite3_int64 one = 0;
		int r = db_int(d, &one,
		               "SELECT 1 FROM post_tags pt JOIN tags t ON t.id = pt.tag_id "
		               "WHERE pt.post_id = ?1 AND t.slug = ?2",
		               DB_ARGS(DB_I(post), DB_T(slugs[i])));
		if (r <= 0)
			return r;
	}
	return 1;
}
