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
	sqlite3_int64 n = 0;
	if (db_int(d, &n, "SELECT count(*) FROM rate_events WHERE key = ?1 AND at > ?2",
	           DB_ARGS(DB_T(key), DB_I(since))) != 1)
		return -1;
	return (long)n;
}

long rate_wait(struct db *d, const char *key, time_t now, long window, long max)
{
	long n = rate_count(d, key, now - window);
	if (n < max || n < 0)
		return n < 0 ? -1 : 0;
	/* the count falls under max when its (n - max + 1)th oldest event leaves the window */
	sqlite3_int64 at = 0;
	if (db_int(d, &at,
	           "SELECT at FROM rate_events WHERE key = ?1 AND at > ?2 ORDER BY at LIMIT 1 OFFSET ?3",
	           DB_ARGS(DB_T(key), DB_I(now - window), DB_I(n - max))) != 1)
		return -1;
	long wait = (long)(at + window - now);
	return wait < 0 ? -1 : wait < 1 ? 1 : wait;
}

int rate_add(struct db *d, const char *key, time_t now)
{
	if (db_run(d, "INSERT INTO rate_events(key, at) VALUES(?1, ?2)", DB_ARGS(DB_T(key), DB_I(now))) < 0)
		return -1;
	return db_run(d, "DELETE FROM rate_events WHERE at < ?1", DB_ARGS(DB_I(now - RATE_KEEP))) < 0 ? -1
	                                                                                              : 0;
}

int rate_clear(struct db *d, const char *key)
{
	return db_run(d, "DELETE FROM rate_events WHERE key = ?1", DB_ARGS(DB_T(key))) < 0 ? -1 : 0;
}
