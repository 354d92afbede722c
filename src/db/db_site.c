/* db_site: one-value statements on the request path; each is one cached statement. */
#include "db_site.h"

int settings_get(struct db *d, const char *key, char *out, size_t outsz)
{
	return db_str(d, out, outsz, "SELECT value FROM settings WHERE key = ?1", DB_ARGS(DB_T(key)));
}

long long reader_generation(struct db *d)
{
	sqlite3_int64 g = -1;
	if (db_int(d, &g, "SELECT CAST(value AS INTEGER) FROM settings WHERE key = 'generation'", DB_NOARGS) <
	    0)
		return -1;
	return g;
}

int posts_next_scheduled(struct db *d, time_t now, time_t *at)
{
	sqlite3_int64 t = 0; /* min() of no rows is NULL, read as 0: none */
	if (db_int(d, &t,
	           "SELECT min(published_at) FROM posts WHERE status = 'published' AND published_at > ?1",
	           DB_ARGS(DB_I(now))) < 0)
		return -1;
	*at = (time_t)t;
	return 0;
}

int legacy_slug(struct db *d, struct arena *a, const char *path, time_t now, const char **slug)
{
	sqlite3_stmt *st =
	    db_prep(d, "SELECT p.slug FROM legacy_redirects l JOIN posts p ON p.id = l.post_id "
	               "WHERE l.path = ?1 AND p.status = 'published' AND p.published_at <= ?2");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, now);
	int rc = sqlite3_step(st);
	int found = rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
	if (found == 1 && !(*slug = arena_strdup(a, db_text(st, 0))))
		found = -1;
	sqlite3_reset(st);
	return found;
}
