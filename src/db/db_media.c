/* db_media: media_imports rows, written by the WordPress import, read by old addresses; and the
 * media library: media, their variants and the posts that use them. */
#include "db_media.h"

#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

int db_media_name(struct db *d, const char *url, char *name, size_t namesz)
{
	return db_str(d, name, namesz, "SELECT name FROM media_imports WHERE url = ?1", DB_ARGS(DB_T(url)));
}

int db_media_put(struct db *d, const char *url, const char *name, long long wp_id, const char *old_path)
{
	int rc = db_run(
	    d,
	    "INSERT INTO media_imports (url, name, wp_id, old_path) VALUES (?1, ?2, nullif(?3, 0), ?4) "
	    "ON CONFLICT (url) DO UPDATE SET name = excluded.name, "
	    "wp_id = coalesce(excluded.wp_id, wp_id), old_path = coalesce(excluded.old_path, old_path) "
	    "WHERE name IS NOT excluded.name OR wp_id IS NOT coalesce(excluded.wp_id, wp_id) "
	    "OR old_path IS NOT coalesce(excluded.old_path, old_path)",
	    DB_ARGS(DB_T(url), DB_T(name), DB_I(wp_id), DB_T(old_path)));
	return rc < 0 ? -1 : 0;
}

/* Column 0 of one row of st (bound by the caller) into *name: 1, 0, -1. */
static int one_name(sqlite3_stmt *st, struct arena *a, char **name)
{
	int rc = sqlite3_step(st);
	int found = rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
	if (found == 1 && !(*name = arena_strdup(a, db_text(st, 0))))
		found = -1;
	sqlite3_reset(st);
	return found;
}

int media_by_wp_id(struct db *d, long long wp_id, struct arena *a, char **name)
{
	sqlite3_stmt *st = db_prep(d, "SELECT name FROM media_imports WHERE wp_id = ?1 LIMIT 1");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, wp_id);
	return one_name(st, a, name);
}

int media_by_old_path(struct db *d, const char *path, struct arena *a, char **name)
{
	/* a file's own old address (/wp-content/uploads/...) ends the URL it was fetched from; an
	 * attachment page's is its old_path */
	bool file = strncmp(path, "/wp-content/uploads/", 20) == 0;
	sqlite3_stmt *st =
	    db_prep(d, file ? "SELECT name FROM media_imports WHERE length(url) > length(?1) AND "
	                      "substr(url, length(url) - length(?1) + 1) = ?1 LIMIT 1"
	                    : "SELECT name FROM media_imports WHERE old_path = ?1 LIMIT 1");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
	return one_name(st, a, name);
}

int media_size_put(struct db *d, const char *name, int width, int height)
{
	int rc = db_run(d,
	                "INSERT INTO media_sizes (name, width, height) VALUES (?1, ?2, ?3) "
	                "ON CONFLICT (name) DO UPDATE SET width = excluded.width, height = excluded.height "
	                "WHERE width != excluded.width OR height != excluded.height",
	                DB_ARGS(DB_T(name), DB_I(width), DB_I(height)));
	return rc < 0 ? -1 : 0;
}

int media_size_get(struct db *d, const char *name, int *width, int *height)
{
	sqlite3_stmt *st = db_prep(d, "SELECT width, height FROM media_sizes WHERE name = ?1");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st), found = rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
	if (found == 1) {
		*width = sqlite3_column_int(st, 0);
		*height = sqlite3_column_int(st, 1);
	}
	sqlite3_reset(st);
	return found;
}

/* --- the media library (sql/022_media_library.sql) --- */

#define MEDIA_REF_MAX 128    /* characters of a /media/ name looked at */
#define MEDIA_FILL_BATCH 500 /* posts read per statement while filling uses */
#define MEDIA_NEED_WIDTHS 4  /* widths media_needing_variants compares */

int media_add(struct db *d, const struct media_new *m)
{
	int rc = db_run(d,
	                "INSERT INTO media (name, orig_name, mime, bytes, width, height, alt, uploaded_by, "
	                "created_at, owned) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, nullif(?8, 0), ?9, ?10) "
	                "ON CONFLICT (name) DO NOTHING",
	                DB_ARGS(DB_T(m->name), DB_T(m->orig_name ? m->orig_name : ""), DB_T(m->mime),
	                        DB_I(m->bytes), DB_I(m->width), DB_I(m->height), DB_T(m->alt ? m->alt : ""),
	                        DB_I(m->uploaded_by), DB_I(m->created_at), DB_I(m->owned)));
	if (rc < 0 || (m->width > 0 && media_size_put(d, m->name, m->width, m->height) < 0))
		return -1;
	return 0;
}

int media_variant_add(struct db *d, const char *name, int width, int height, const char *file)
{
	int rc =
	    db_run(d,
	           "INSERT INTO media_variants (name, width, height, file) VALUES (?1, ?2, ?3, ?4) "
	           "ON CONFLICT (name, width) DO UPDATE SET height = excluded.height, file = excluded.file",
	           DB_ARGS(DB_T(name), DB_I(width), DB_I(height), DB_T(file)));
	return rc < 0 ? -1 : 0;
}

int media_variants(struct db *d, struct arena *a, const char *name, struct media_variant **out)
{
	sqlite3_stmt *st =
	    db_prep(d, "SELECT width, height, file FROM media_variants WHERE name = ?1 ORDER BY width");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	int n = 0, cap = 0, rc;
	struct media_variant *v = NULL;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == cap) {
			int ncap = cap ? cap * 2 : 8;
			struct media_variant *nv = arena_alloc(a, sizeof *nv * (size_t)ncap);
			if (!nv)
				goto fail;
			if (n)
				memcpy(nv, v, sizeof *v * (size_t)n);
			v = nv, cap = ncap;
		}
		v[n].width = sqlite3_column_int(st, 0);
		v[n].height = sqlite3_column_int(st, 1);
		if (!(v[n].file = arena_strdup(a, db_text(st, 2))))
			goto fail;
		n++;
	}
	sqlite3_reset(st);
	*out = v;
	return rc == SQLITE_DONE ? n : -1;
fail:
	sqlite3_reset(st);
	return -1;
}

bool media_is_variant(struct db *d, const char *file)
{
	sqlite3_int64 one = 0;
	return db_int(d, &one, "SELECT 1 FROM media_variants WHERE file = ?1", DB_ARGS(DB_T(file))) == 1;
}

bool media_known(struct db *d, const char *name)
{
	sqlite3_int64 one = 0;
	return db_int(d, &one, "SELECT 1 FROM media WHERE name = ?1", DB_ARGS(DB_T(name))) == 1;
}

long media_count(struct db *d)
{
	sqlite3_int64 n = 0;
	return db_int(d, &n, "SELECT count(*) FROM media", DB_NOARGS) < 0 ? -1 : (long)n;
}

int media_uses_of(struct db *d, struct arena *a, const char *name, struct media_use **out)
{
	sqlite3_stmt *st =
	    db_prep(d, "SELECT p.id, p.title FROM media_uses u JOIN posts p ON p.id = u.post_id "
	               "WHERE u.name = ?1 ORDER BY p.id DESC LIMIT ?2");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, MEDIA_USES_MAX);
	struct media_use *u = arena_alloc(a, sizeof *u * MEDIA_USES_MAX);
	int n = 0, rc;
	while (u && (rc = sqlite3_step(st)) == SQLITE_ROW && n < MEDIA_USES_MAX) {
		u[n].post_id = sqlite3_column_int64(st, 0);
		if (!(u[n].title = arena_strdup(a, db_text(st, 1))))
			break;
		n++;
	}
	bool bad = !u || (n < MEDIA_USES_MAX && rc != SQLITE_DONE);
	sqlite3_reset(st);
	*out = u;
	return bad ? -1 : n;
}

#define MEDIA_COLS                                                                                           \
	"m.name, m.orig_name, m.mime, m.alt, coalesce(us.name, ''), m.bytes, m.created_at, m.width, "        \
	"m.height, m.owned, coalesce(v.file, m.name), coalesce(v.width, m.width), coalesce(v.height, "       \
	"m.height), coalesce(m.uploaded_by, 0) "
#define MEDIA_FROM                                                                                           \
	"FROM media m LEFT JOIN users us ON us.id = m.uploaded_by LEFT JOIN media_variants v ON v.name = "   \
	"m.name AND v.width = (SELECT min(width) FROM media_variants WHERE name = m.name) "

/* One row of a MEDIA_COLS statement into r, its uses added: 0, or -1. */
static int media_fill_row(struct db *d, struct arena *a, sqlite3_stmt *st, struct media_row *r)
{
	const char **str[] = {&r->name, &r->orig_name, &r->mime, &r->alt, &r->uploader};
	for (int i = 0; i < 5; i++)
		if (!(*str[i] = arena_strdup(a, db_text(st, i))))
			return -1;
	r->bytes = sqlite3_column_int64(st, 5);
	r->created_at = sqlite3_column_int64(st, 6);
	r->width = sqlite3_column_int(st, 7);
	r->height = sqlite3_column_int(st, 8);
	r->owned = sqlite3_column_int(st, 9) != 0;
	if (!(r->thumb = arena_strdup(a, db_text(st, 10))))
		return -1;
	r->thumb_w = sqlite3_column_int(st, 11);
	r->thumb_h = sqlite3_column_int(st, 12);
	r->uploaded_by = sqlite3_column_int64(st, 13);
	(void)d;
	return 0;
}

int media_page(struct db *d, struct arena *a, long offset, int limit, struct media_row **out)
{
	sqlite3_stmt *st = db_prep(d, "SELECT " MEDIA_COLS MEDIA_FROM
	                              "ORDER BY m.created_at DESC, m.name LIMIT ?1 OFFSET ?2");
	if (!st)
		return -1;
	sqlite3_bind_int(st, 1, limit);
	sqlite3_bind_int64(st, 2, offset);
	struct media_row *rows = arena_calloc(a, (size_t)(limit > 0 ? limit : 1), sizeof *rows);
	int n = 0, rc = SQLITE_DONE;
	while (rows && n < limit && (rc = sqlite3_step(st)) == SQLITE_ROW)
		if (media_fill_row(d, a, st, &rows[n++]) < 0) {
			rc = SQLITE_NOMEM;
			break;
		}
	sqlite3_reset(st);
	if (!rows || (rc != SQLITE_DONE && rc != SQLITE_ROW))
		return -1;
	/* the uses after the page's statement is done: one indexed lookup each */
	for (int i = 0; i < n; i++)
		if ((rows[i].nuses = media_uses_of(d, a, rows[i].name, &rows[i].uses)) < 0)
			return -1;
	*out = rows;
	return n;
}

int media_get(struct db *d, struct arena *a, const char *name, struct media_row *out)
{
	sqlite3_stmt *st = db_prep(d, "SELECT " MEDIA_COLS MEDIA_FROM "WHERE m.name = ?1");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st), found = rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
	if (found == 1 && media_fill_row(d, a, st, out) < 0)
		found = -1;
	sqlite3_reset(st);
	if (found == 1 && (out->nuses = media_uses_of(d, a, name, &out->uses)) < 0)
		found = -1;
	return found;
}

int media_alt_set(struct db *d, const char *name, const char *alt)
{
	int rc = db_run(d, "UPDATE media SET alt = ?2 WHERE name = ?1", DB_ARGS(DB_T(name), DB_T(alt)));
	return rc < 0 ? -1 : rc > 0 ? 1 : (media_known(d, name) ? 1 : 0);
}

int media_remove(struct db *d, const char *name)
{
	if (db_run(d,
	           "DELETE FROM media_sizes WHERE name = ?1 OR name IN (SELECT file FROM media_variants "
	           "WHERE name = ?1)",
	           DB_ARGS(DB_T(name))) < 0 ||
	    db_run(d, "DELETE FROM media_variants WHERE name = ?1", DB_ARGS(DB_T(name))) < 0 ||
	    db_run(d, "DELETE FROM media_uses WHERE name = ?1", DB_ARGS(DB_T(name))) < 0 ||
	    db_run(d, "DELETE FROM media_imports WHERE name = ?1", DB_ARGS(DB_T(name))) < 0 ||
	    db_run(d, "DELETE FROM media WHERE name = ?1", DB_ARGS(DB_T(name))) < 0)
		return -1;
	return 0;
}

static bool ref_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
	       c == '_' || c == '-';
}

/* Records every /media/NAME in s as used by post_id. 0 or -1. */
static int uses_in(struct db *d, long long post_id, const char *s)
{
	for (const char *p = s ? strstr(s, "/media/") : NULL; p; p = strstr(p, "/media/")) {
		p += 7;
		size_t n = 0;
		while (ref_char(p[n]) && n < MEDIA_REF_MAX)
			n++;
		if (n == 0 || n == MEDIA_REF_MAX || p[0] == '.')
			continue;
		char name[MEDIA_REF_MAX + 1];
		memcpy(name, p, n);
		name[n] = '\0';
		if (db_run(
		        d,
		        "INSERT OR IGNORE INTO media_uses (name, post_id) SELECT coalesce((SELECT name FROM "
		        "media_variants WHERE file = ?1), ?1), ?2",
		        DB_ARGS(DB_T(name), DB_I(post_id))) < 0)
			return -1;
		p += n;
	}
	return 0;
}

int media_uses_update(struct db *d, long long post_id, const char *body_md, const char *featured)
{
	if (db_run(d, "DELETE FROM media_uses WHERE post_id = ?1", DB_ARGS(DB_I(post_id))) < 0 ||
	    uses_in(d, post_id, body_md) < 0 || uses_in(d, post_id, featured) < 0)
		return -1;
	return 0;
}

long media_uses_fill(struct db *d, bool force)
{
	char pending[8];
	int got = db_str(d, pending, sizeof pending,
	                 "SELECT value FROM settings WHERE key = 'media_uses_pending'", DB_NOARGS);
	if (got < 0 || (got == 0 && !force))
		return got < 0 ? -1 : 0;
	if (db_begin(d) < 0)
		return -1;
	long posts = 0;
	long long last = 0;
	for (;;) {
		sqlite3_stmt *st = db_prep(d, "SELECT id, body_md, featured_image FROM posts WHERE id > ?1 "
		                              "ORDER BY id LIMIT ?2");
		if (!st)
			goto fail;
		sqlite3_bind_int64(st, 1, last);
		sqlite3_bind_int(st, 2, MEDIA_FILL_BATCH);
		/* each batch copied out first: the statement is reused by nothing inside */
		struct {
			long long id;
			char *body, *featured;
		} b[MEDIA_FILL_BATCH];
		int n = 0, rc;
		while (n < MEDIA_FILL_BATCH && (rc = sqlite3_step(st)) == SQLITE_ROW) {
			b[n].id = sqlite3_column_int64(st, 0);
			b[n].body = strdup(db_text(st, 1));
			b[n].featured = strdup(db_text(st, 2));
			n++;
		}
		sqlite3_reset(st);
		bool ok = true;
		for (int i = 0; i < n; i++) {
			ok = ok && b[i].body && b[i].featured &&
			     media_uses_update(d, b[i].id, b[i].body, b[i].featured) == 0;
			free(b[i].body);
			free(b[i].featured);
			last = b[i].id;
		}
		if (!ok)
			goto fail;
		posts += n;
		if (n < MEDIA_FILL_BATCH)
			break;
	}
	if (db_run(d, "DELETE FROM settings WHERE key = 'media_uses_pending'", DB_NOARGS) < 0 ||
	    db_commit(d) < 0)
		goto fail;
	return posts;
fail:
	db_rollback(d);
	return -1;
}

int media_needing_variants(struct db *d, struct arena *a, const char *after, const int *widths, int nw,
                           int limit, const char ***names)
{
	int w[MEDIA_NEED_WIDTHS];
	for (int i = 0; i < MEDIA_NEED_WIDTHS; i++)
		w[i] = i < nw ? widths[i] : INT_MAX;
	sqlite3_stmt *st = db_prep(
	    d, "SELECT m.name FROM media m WHERE m.name > ?1 AND m.mime != 'image/gif' AND "
	       "(m.width > ?2) + (m.width > ?3) + (m.width > ?4) + (m.width > ?5) > "
	       "(SELECT count(*) FROM media_variants v WHERE v.name = m.name) ORDER BY m.name LIMIT ?6");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, after ? after : "", -1, SQLITE_STATIC);
	for (int i = 0; i < MEDIA_NEED_WIDTHS; i++)
		sqlite3_bind_int(st, 2 + i, w[i]);
	sqlite3_bind_int(st, 6, limit);
	const char **out = arena_calloc(a, (size_t)(limit > 0 ? limit : 1), sizeof *out);
	int n = 0, rc = SQLITE_DONE;
	while (out && n < limit && (rc = sqlite3_step(st)) == SQLITE_ROW)
		if (!(out[n++] = arena_strdup(a, db_text(st, 0))))
			rc = SQLITE_NOMEM;
	sqlite3_reset(st);
	*names = out;
	return !out || (rc != SQLITE_DONE && rc != SQLITE_ROW) ? -1 : n;
}
