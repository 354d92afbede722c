/* db_dashboard: the admin dashboard's blocks as typed rows (text in the caller's arena): the
 * drafts to finish and the last notifications of the outbox. The comments waiting are
 * db_comments' comments_pending_newest, the views db_stats' stats_daily. */
#ifndef QUIRE_DB_DASHBOARD_H
#define QUIRE_DB_DASHBOARD_H
#include <sqlite3.h>
#include <stdbool.h>
#include <time.h>

#include "arena.h"
#include "db.h"

#define DASH_DRAFTS 5       /* drafts listed, last edited first */
#define DASH_COMMENTS 5     /* comments waiting listed, newest first */
#define DASH_SENT 5         /* mails sent listed, newest first */
#define DASH_FAILED_MAX 100 /* failed mails listed (all of them, up to this) */

/* A draft post or page. */
struct dash_draft {
	sqlite3_int64 id;
	const char *title;
	time_t updated_at;
	bool is_page;
};
/* The drafts of author (0: everyone's), last edited first, at most limit, as an arena array in
 * *out: the count, or -1. */
long dash_drafts(struct db *d, sqlite3_int64 author, long limit, struct arena *a, struct dash_draft **out);

/* A row of the outbox: sent or failed. */
struct dash_mail {
	sqlite3_int64 id;
	const char *kind, *recipient, *error; /* error "" for a sent mail */
	time_t at;                            /* sent at; a failed one: queued at */
	bool failed;
};
/* Every failed mail (up to DASH_FAILED_MAX), newest first, then the sent newest sent ones:
 * the count, or -1. */
long dash_mails(struct db *d, long sent, struct arena *a, struct dash_mail **out);

#endif
