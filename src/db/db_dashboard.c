/* db_dashboard: the dashboard's drafts and last notifications (db_dashboard.h). */
#include "db_dashboard.h"

#include "db_rows.h"
#include "log.h"

static const char SQL_DRAFTS[] =
    "SELECT id, title, updated_at, kind = 'page' FROM posts WHERE status = 'draft' "
    "AND (?2 = 0 OR author_id = ?2) ORDER BY updated_at DESC, id DESC LIMIT ?1";

long dash_drafts(struct db *d, sqlite3_int64 author, long limit, struct arena *a, struct dash_draft **out)
{
	sqlite3_stmt *st = db_prep(d, SQL_DRAFTS);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, limit);
	sqlite3_bind_int64(st, 2, author);
	size_t k = 0, cap = 0;
	struct dash_draft *arr = NULL, *r;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (!(r = db_rows_add(a, &arr, k, &cap, sizeof *r)) ||
		    !(r->title = arena_strdup(a, db_text(st, 1))))
			break;
		r->id = sqlite3_column_int64(st, 0);
		r->updated_at = (time_t)sqlite3_column_int64(st, 2);
		r->is_page = sqlite3_column_int(st, 3) != 0;
		k++;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		log_msg("dash_drafts: %s", rc == SQLITE_ROW ? "out of memory" : db_errmsg(d));
		return -1;
	}
	*out = arr;
	return (long)k;
}

/* failed ones first (each needs a look), then the newest sent */
static const char SQL_MAILS[] =
    "SELECT * FROM (SELECT id, kind, recipient, last_error, "
    "created_at, 1 FROM outbox "
    "WHERE state = 'failed' ORDER BY id DESC LIMIT ?2) "
    "UNION ALL SELECT * FROM (SELECT id, kind, recipient, '', coalesce(sent_at, created_at), 0 "
    "FROM outbox WHERE state = 'sent' ORDER BY sent_at DESC, id DESC LIMIT ?1)";

long dash_mails(struct db *d, long sent, struct arena *a, struct dash_mail **out)
{
	sqlite3_stmt *st = db_prep(d, SQL_MAILS);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, sent);
	sqlite3_bind_int64(st, 2, DASH_FAILED_MAX);
	size_t k = 0, cap = 0;
	struct dash_mail *arr = NULL, *r;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (!(r = db_rows_add(a, &arr, k, &cap, sizeof *r)) ||
		    !(r->kind = arena_strdup(a, db_text(st, 1))) ||
		    !(r->recipient = arena_strdup(a, db_text(st, 2))) ||
		    !(r->error = arena_strdup(a, db_text(st, 3))))
			break;
		r->id = sqlite3_column_int64(st, 0);
		r->at = (time_t)sqlite3_column_int64(st, 4);
		r->failed = sqlite3_column_int(st, 5) != 0;
		k++;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		log_msg("dash_mails: %s", rc == SQLITE_ROW ? "out of memory" : db_errmsg(d));
		return -1;
	}
	*out = arr;
	return (long)k;
}
