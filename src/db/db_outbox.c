/* db_outbox: claims are single UPDATE statements, so two senders never share a row. */
#include "db_outbox.h"

#include <stdio.h>
#include <string.h>

#include "log.h"

int db_outbox_insert(struct db *d, const char *kind, const char *recipient, sqlite3_int64 ref,
                     const char *payload, time_t now)
{
	int n =
	    db_run(d,
	           "INSERT INTO outbox(recipient, kind, payload, ref_id, next_attempt, created_at) "
	           "VALUES(?1, ?2, ?3, ?4, ?5, ?5) ON CONFLICT DO NOTHING",
	           DB_ARGS(DB_T(recipient), DB_T(kind), DB_T(payload ? payload : ""), DB_I(ref), DB_I(now)));
	return n < 0 ? -1 : 0;
}

long db_outbox_insert_post_rows(struct db *d, sqlite3_int64 post, time_t now)
{
	return db_run(d,
	              "INSERT INTO outbox(recipient, kind, payload, ref_id, next_attempt, created_at) "
	              "SELECT email, 'post', '', ?1, ?2, ?2 FROM subscribers WHERE status = 'confirmed' "
	              "AND wants_posts = 1 ORDER BY id ON CONFLICT DO NOTHING",
	              DB_ARGS(DB_I(post), DB_I(now)));
}

int db_post_mark_announced(struct db *d, sqlite3_int64 post, time_t now)
{
	int n = db_run(d,
	               "UPDATE posts SET notified_at = ?2 WHERE id = ?1 AND status = 'published' "
	               "AND published_at <= ?2 AND notified_at IS NULL AND kind = 'post'",
	               DB_ARGS(DB_I(post), DB_I(now)));
	return n < 0 ? -1 : n > 0;
}

int db_post_notify(struct db *d, sqlite3_int64 post)
{
	sqlite3_int64 v = 0;
	int rc = db_int(d, &v, "SELECT notify_subscribers FROM posts WHERE id = ?1", DB_ARGS(DB_I(post)));
	return rc <= 0 ? -1 : v != 0;
}

int db_post_notify_set(struct db *d, sqlite3_int64 post, bool notify)
{
	int n =
	    db_run(d, "UPDATE posts SET notify_subscribers = ?2 WHERE id = ?1 AND notify_subscribers != ?2",
	           DB_ARGS(DB_I(post), DB_I(notify ? 1 : 0)));
	return n < 0 ? -1 : 0;
}

int db_post_mail_info(struct db *d, sqlite3_int64 post, bool *announced, long *mails)
{
	sqlite3_int64 a = 0, n = 0;
	*announced = false;
	*mails = 0;
	if (db_int(d, &a, "SELECT notified_at IS NOT NULL FROM posts WHERE id = ?1", DB_ARGS(DB_I(post))) <
	        0 ||
	    db_int(d, &n, "SELECT count(*) FROM outbox WHERE kind = 'post' AND ref_id = ?1",
	           DB_ARGS(DB_I(post))) < 0)
		return -1;
	*announced = a != 0;
	*mails = (long)n;
	return 0;
}

int db_outbox_insert_test(struct db *d, const char *recipient, sqlite3_int64 post, time_t now, long window)
{
	long n = db_run(d,
	                "INSERT INTO outbox(recipient, kind, payload, ref_id, next_attempt, created_at) "
	                "SELECT ?1, 'test', '', ?2, ?3, ?3 WHERE NOT EXISTS (SELECT 1 FROM outbox "
	                "WHERE kind = 'test' AND recipient = ?1 AND created_at > ?3 - ?4)",
	                DB_ARGS(DB_T(recipient), DB_I(post), DB_I(now), DB_I(window)));
	return n < 0 ? -1 : n > 0;
}

long db_outbox_test_wait(struct db *d, const char *recipient, time_t now, long window)
{
	sqlite3_int64 last = 0;
	int rc =
	    db_int(d, &last,
	           "SELECT coalesce(max(created_at), 0) FROM outbox WHERE kind = 'test' AND recipient = ?1",
	           DB_ARGS(DB_T(recipient)));
	if (rc < 0)
		return -1;
	long wait = last ? (long)(last + window - now) : 0;
	return wait > 0 ? wait : 0;
}

int db_post_unannounced(struct db *d, time_t now, sqlite3_int64 *id)
{
	return db_int(d, id,
	              "SELECT id FROM posts WHERE status = 'published' AND published_at <= ?1 "
	              "AND notified_at IS NULL AND kind = 'post' LIMIT 1",
	              DB_ARGS(DB_I(now)));
}

int db_comment_reply_to(struct db *d, sqlite3_int64 comment, char *to, size_t tosz)
{
	*to = '\0';
	int rc =
	    db_str(d, to, tosz,
	           "SELECT p.author_email FROM comments c JOIN comments p ON p.id = c.parent_id "
	           "JOIN subscribers s ON s.email = p.author_email AND s.status = 'confirmed' "
	           "WHERE c.id = ?1 AND p.notify = 1 AND p.author_email != c.author_email COLLATE NOCASE",
	           DB_ARGS(DB_I(comment)));
	return rc < 0 ? -1 : 0;
}

int db_comment_post_author(struct db *d, sqlite3_int64 comment, char *to, size_t tosz)
{
	*to = '\0';
	int rc = db_str(d, to, tosz,
	                "SELECT u.email FROM comments c JOIN posts po ON po.id = c.post_id "
	                "JOIN users u ON u.id = po.author_id WHERE c.id = ?1",
	                DB_ARGS(DB_I(comment)));
	return rc < 0 ? -1 : 0;
}

int db_outbox_claim(struct db *d, time_t now, struct outbox_row *r)
{
	sqlite3_stmt *st = db_prep(
	    d, "UPDATE outbox SET state = 'sending', attempts = attempts + 1 WHERE id = "
	       "(SELECT id FROM outbox WHERE state = 'queued' AND next_attempt <= ?1 ORDER BY id LIMIT 1) "
	       "RETURNING id, recipient, kind, ref_id, payload, attempts");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, now);
	int rc = sqlite3_step(st), got = rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
	if (got == 1) {
		r->id = sqlite3_column_int64(st, 0);
		snprintf(r->recipient, sizeof r->recipient, "%s", db_text(st, 1));
		snprintf(r->kind, sizeof r->kind, "%s", db_text(st, 2));
		r->ref = sqlite3_column_int64(st, 3);
		snprintf(r->payload, sizeof r->payload, "%s", db_text(st, 4));
		r->attempts = sqlite3_column_int(st, 5);
	}
	/* the RETURNING statement commits when it is reset */
	sqlite3_reset(st);
	if (got < 0)
		log_msg("outbox: claim: sqlite: %s", db_errmsg(d));
	return got;
}

/* Not db_run: the sender retries a mark under a held lock, and logs that once itself. */
int db_outbox_mark(struct db *d, sqlite3_int64 id, const char *state, time_t next, const char *error,
                   time_t now)
{
	sqlite3_stmt *st =
	    db_prep(d, "UPDATE outbox SET state = ?2, next_attempt = ?3, last_error = ?4, "
	               "sent_at = CASE WHEN ?2 = 'sent' THEN ?5 END, "
	               "payload = CASE WHEN ?2 = 'sent' THEN '' ELSE payload END WHERE id = ?1");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, state, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, next);
	sqlite3_bind_text(st, 4, error ? error : "", -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 5, now);
	int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
	sqlite3_reset(st);
	return rc;
}

int db_outbox_unclaim(struct db *d, sqlite3_int64 id, const char *error)
{
	int n = db_run(d,
	               "UPDATE outbox SET state = 'queued', attempts = max(attempts - 1, 0), "
	               "last_error = coalesce(?2, last_error) WHERE id = ?1",
	               DB_ARGS(DB_I(id), DB_T(error)));
	return n < 0 ? -1 : 0;
}

int db_outbox_requeue_sending(struct db *d)
{
	return db_exec(d, "UPDATE outbox SET state = 'queued' WHERE state = 'sending'");
}

int db_outbox_totals(struct db *d, struct outbox_totals *t)
{
	sqlite3_stmt *st =
	    db_prep(d, "SELECT count(*) FILTER (WHERE state = 'queued'), "
	               "count(*) FILTER (WHERE state = 'sending'), count(*) FILTER (WHERE state = 'sent'), "
	               "count(*) FILTER (WHERE state = 'failed') FROM outbox");
	if (!st)
		return -1;
	int rc = -1;
	if (sqlite3_step(st) == SQLITE_ROW) {
		*t = (struct outbox_totals){
		    (long)sqlite3_column_int64(st, 0), (long)sqlite3_column_int64(st, 1),
		    (long)sqlite3_column_int64(st, 2), (long)sqlite3_column_int64(st, 3)};
		rc = 0;
	}
	sqlite3_reset(st);
	return rc;
}

long db_outbox_retry_failed(struct db *d, time_t now)
{
	return db_run(d,
	              "UPDATE outbox SET state = 'queued', attempts = 0, next_attempt = ?1 "
	              "WHERE state = 'failed'",
	              DB_ARGS(DB_I(now)));
}

int db_mail_state_get(struct db *d, const char *config_hash, struct mail_state *ms)
{
	memset(ms, 0, sizeof *ms);
	sqlite3_stmt *st =
	    db_prep(d, "SELECT last_error, last_error_at, paused, paused_config != ?1, "
	               "(SELECT coalesce(min(next_attempt), 0) FROM outbox WHERE state = 'queued') "
	               "FROM mail_state WHERE id = 1");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, config_hash, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		snprintf(ms->last_error, sizeof ms->last_error, "%s", db_text(st, 0));
		ms->last_error_at = (time_t)sqlite3_column_int64(st, 1);
		ms->paused = sqlite3_column_int(st, 2) != 0;
		ms->config_changed = ms->paused && sqlite3_column_int(st, 3) != 0;
		ms->next_attempt = (time_t)sqlite3_column_int64(st, 4);
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 0 : -1;
}

int db_mail_state_set(struct db *d, const char *error, int paused, const char *config_hash, time_t now)
{
	int n = db_run(d,
	               "UPDATE mail_state SET last_error = coalesce(?1, last_error), "
	               "last_error_at = CASE WHEN ?1 IS NULL THEN last_error_at ELSE ?2 END, "
	               "paused = CASE WHEN ?3 < 0 THEN paused ELSE ?3 END, "
	               "paused_config = CASE WHEN ?3 = 1 THEN ?4 WHEN ?3 = 0 THEN '' ELSE paused_config END",
	               DB_ARGS(DB_T(error), DB_I(now), DB_I(paused), DB_T(config_hash)));
	return n < 0 ? -1 : 0;
}

int db_mail_state_resume(struct db *d)
{
	return db_exec(d, "UPDATE mail_state SET paused = 0, paused_config = ''");
}
