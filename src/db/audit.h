/* audit: the audit_log table (sql/021_site_settings.sql): who changed what in the admin, when. */
#ifndef QUIRE_AUDIT_H
#define QUIRE_AUDIT_H
#include <sqlite3.h>
#include <time.h>

#include "arena.h"
#include "db.h"

#define AUDIT_ACTION_MAX 64    /* bytes of an action name ("settings.title") */
#define AUDIT_DETAIL_MAX 16384 /* bytes of a detail kept; a longer one is cut at a character */

struct audit_entry {
	sqlite3_int64 id;
	time_t at;
	sqlite3_int64 user_id; /* 0: none (a command, or a user since deleted) */
	const char *user_name; /* "" when none */
	const char *action, *detail;
};

/* Adds one row now, by user_id (0: none): action is a short name ("settings.title", "user.add"),
 * detail what changed in words. 0, or -1 (db_errmsg says why). Call it inside the transaction of
 * the change it records, so neither lands without the other. */
int audit_add(struct db *d, sqlite3_int64 user_id, const char *action, const char *detail);
/* The newest rows first, at most max, whose action starts with prefix ("" for all), into out
 * (strings in a): the number read, or -1. */
long audit_recent(struct db *d, const char *prefix, long max, struct arena *a, struct audit_entry *out);

#endif
