/* rate: keys are namespaced by their prefix, so the limits never count each other's events. */
#include "rate.h"

#include <ctype.h>
#include <stdio.h>

void rate_key(char *out, size_t size, const char *prefix, const char *value)
{
	snprintf(out, size, "%s%s", prefix, value ? value : "");
	for (char *p = out; *p; p++)
		*p = (char)tolower((unsigned char)*p);
}

long rate_count(struct db *d, const char *key, time_t since)
{
	sqlite3_stmt *st = db_prep(d, "SELECT count(*) FROM rate_events WHERE key = ?1 AND at > ?2");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, since);
	long n = sqlite3_step(st) == SQLITE_ROW ? (long)sqlite3_column_int64(st, 0) : -1;
	sqlite3_reset(st);
	return n;
}

long rate_wait(struct db *d, const char *key, time_t now, long window, long max)
{
	long n = rate_count(d, key, now - window);
	if (n < max || n < 0)
		return n < 0 ? -1 : 0;
	/* the count falls under max when its (n - max + 1)th oldest event leaves the window */
	sqlite3_stmt *st = db_prep(d, "SELECT at FROM rate_events WHERE key = ?1 AND at > ?2 "
	                              "ORDER BY at LIMIT 1 OFFSET ?3");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, now - window);
	sqlite3_bind_int64(st, 3, n - max);
	long wait = sqlite3_step(st) == SQLITE_ROW ? (long)(sqlite3_column_int64(st, 0) + window - now) : -1;
	sqlite3_reset(st);
	return wait < 0 ? -1 : wait < 1 ? 1 : wait;
}

static int run(struct db *d, const char *sql, const char *key, time_t t, int nbind)
{
	sqlite3_stmt *st = db_prep(d, sql);
	if (!st)
		return -1;
	if (key)
		sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	if (nbind == 2)
		sqlite3_bind_int64(st, key ? 2 : 1, t);
	int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
	sqlite3_reset(st);
	return rc;
}

int rate_add(struct db *d, const char *key, time_t now)
{
	if (run(d, "INSERT INTO rate_events(key, at) VALUES(?1, ?2)", key, now, 2) < 0)
		return -1;
	return run(d, "DELETE FROM rate_events WHERE at < ?1", NULL, now - RATE_KEEP, 2);
}

int rate_clear(struct db *d, const char *key)
{
	return run(d, "DELETE FROM rate_events WHERE key = ?1", key, 0, 1);
}
