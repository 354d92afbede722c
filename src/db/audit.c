/* audit: writes and lists the audit_log rows. */
#include "audit.h"

#include <string.h>

#include "text.h"

int audit_add(struct db *d, sqlite3_int64 user_id, const char *action, const char *detail)
{
	size_t n = strlen(detail);
	size_t keep = n > AUDIT_DETAIL_MAX ? utf8_cut(detail, n, AUDIT_DETAIL_MAX) : n;
	sqlite3_stmt *st =
	    db_prep(d, "INSERT INTO audit_log(at, user_id, action, detail) VALUES(?1, ?2, ?3, ?4)");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)time(NULL));
	if (user_id > 0)
		sqlite3_bind_int64(st, 2, user_id);
	else
		sqlite3_bind_null(st, 2);
	sqlite3_bind_text(st, 3, action, (int)strnlen(action, AUDIT_ACTION_MAX), SQLITE_STATIC);
	sqlite3_bind_text(st, 4, detail, (int)keep, SQLITE_STATIC);
	int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
	sqlite3_reset(st);
	return rc;
}

long audit_recent(struct db *d, const char *prefix, long max, struct arena *a, struct audit_entry *out)
{
	sqlite3_stmt *st =
	    db_prep(d, "SELECT l.id, l.at, coalesce(l.user_id, 0), coalesce(u.name, ''), "
	               "l.action, l.detail FROM audit_log l LEFT JOIN users u ON u.id = l.user_id "
	               "WHERE substr(l.action, 1, length(?1)) = ?1 ORDER BY l.id DESC LIMIT ?2");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, prefix, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, max);
	long n = 0;
	int rc = SQLITE_DONE;
	while (n < max && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct audit_entry *e = &out[n];
		e->id = sqlite3_column_int64(st, 0);
		e->at = (time_t)sqlite3_column_int64(st, 1);
		e->user_id = sqlite3_column_int64(st, 2);
		e->user_name = arena_strdup(a, db_text(st, 3));
		e->action = arena_strdup(a, db_text(st, 4));
		e->detail = arena_strdup(a, db_text(st, 5));
		if (!e->user_name || !e->action || !e->detail) {
			rc = SQLITE_NOMEM;
			break;
		}
		n++;
	}
	if (n == max)
		rc = SQLITE_DONE;
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? n : -1;
}
