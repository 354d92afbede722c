/* db_options: reads and writes the site_options rows. */
#include "db_options.h"

#include <string.h>

int db_options_load(struct db *d, struct options *o)
{
	options_free(o);
	sqlite3_stmt *st = db_prep(d, "SELECT key, value, updated_at FROM site_options");
	if (!st)
		return -1;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (options_put(o, db_text(st, 0), db_text(st, 1), (time_t)sqlite3_column_int64(st, 2)) < 0) {
			rc = SQLITE_NOMEM;
			break;
		}
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		options_free(o);
		return -1;
	}
	return 0;
}

int db_option_set(struct db *d, const char *key, const char *value, time_t now)
{
	return db_run(
	           d,
	           "INSERT INTO site_options(key, value, updated_at) VALUES(?1, ?2, ?3) "
	           "ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
	           DB_ARGS(DB_T(key), DB_T(value), DB_I(now))) < 0
	           ? -1
	           : 0;
}

int db_option_unset(struct db *d, const char *key, time_t now)
{
	if (db_run(d, "DELETE FROM site_options WHERE key = ?1", DB_ARGS(DB_T(key))) < 0)
		return -1;
	/* the time of the change stays: Last-Modified must never go back to before it */
	return db_option_set(d, OPT_CHANGED_KEY, "", now);
}

int db_option_post_mails(struct db *d)
{
	char v[8] = "on";
	if (db_str(d, v, sizeof v, "SELECT value FROM site_options WHERE key = 'post_mails'", DB_NOARGS) < 0)
		return -1;
	return strcmp(v, "off") != 0;
}
