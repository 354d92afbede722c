/* comment_write: db writes and outbox rows in one transaction (never a mail after the commit). */
#include "comment_write.h"

#include "log.h"
#include "outbox.h"
#include "subscribers.h"

sqlite3_int64 comment_store(struct db *d, const struct comment *c, const struct token_claim *claim,
                            time_t now)
{
	if (db_begin(d) < 0)
		return -1;
	sqlite3_int64 id = comment_insert(d, c, claim, now);
	if (id == COMMENT_TOKEN_USED) {
		db_rollback(d);
		return id;
	}
	if (id < 0 || outbox_comment_events(d, id, c->status, now) < 0 ||
	    (c->notify && subscriber_request_reply(d, c->email, id, now) < 0) || db_commit(d) < 0) {
		log_msg("comment_store: post=%lld: %s", (long long)c->post_id, db_errmsg(d));
		db_rollback(d);
		return -1;
	}
	return id;
}

int comment_moderate_notify(struct db *d, sqlite3_int64 id, const char *action, time_t now)
{
	if (db_begin(d) < 0)
		return -1;
	int rc = comment_moderate(d, id, action, now);
	if (rc < 0 || (rc == 1 && outbox_comment_events(d, id, action, now) < 0) || db_commit(d) < 0) {
		log_msg("comment_moderate: comment=%lld action=%s: %s", (long long)id, action, db_errmsg(d));
		db_rollback(d);
		return -1;
	}
	return rc;
}
