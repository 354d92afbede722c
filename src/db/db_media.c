/* db_media: media_imports rows, written by the WordPress import, read by old addresses. */
#include "db_media.h"

#include <stdbool.h>
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
