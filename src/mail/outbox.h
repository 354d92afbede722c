/* outbox: every mail is a row; requests only insert rows (inside their own transaction), the
 * sender claims, renders, sends and marks them. A row is marked sent only after the server
 * accepted it, so after a crash at most the one message in flight is sent twice. */
#ifndef QUIRE_OUTBOX_H
#define QUIRE_OUTBOX_H
#include <stdatomic.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <time.h>

#include "db.h"

struct site;

/* --- enqueueing: call inside the caller's transaction --- */
/* Adds one row (ignored when the same kind/ref/recipient exists for post, reply, moderation). */
int outbox_add(struct db *d, const char *kind, const char *recipient, sqlite3_int64 ref, const char *payload,
               time_t now);
/* If post is visible and not yet announced: one 'post' row per confirmed subscriber, and the
 * post marked announced. Returns the number of rows added, or -1. */
long outbox_post_published(struct db *d, sqlite3_int64 post, time_t now);
/* Announces every post whose scheduled time has come (one transaction each); count or -1. */
long outbox_due_posts(struct db *d, time_t now);

/* What a stored or approved comment sets off, inside the caller's transaction: a reply mail to
 * the parent's author (approved, asked for, address confirmed, not a reply to oneself), or a
 * moderation mail to the post's author (pending). */
int outbox_comment_events(struct db *d, sqlite3_int64 comment, const char *status, time_t now);

/* --- sending --- */
struct outbox_progress {
	long sent, failed, retried, total;
};
typedef void (*outbox_progress_fn)(const struct outbox_progress *p, void *arg);
/* Sends due rows until none is due, max have been handled (0: no limit) or *stop is set.
 * Returns the number handled, or -1 when the database failed. */
long outbox_drain(struct db *d, const struct site *site, long max, atomic_int *stop, outbox_progress_fn fn,
                  void *arg);
/* The sender's state, kept in the database so every process and the admin see it. */
struct mail_state {
	char last_error[512];
	time_t last_error_at;
	bool paused;         /* a configuration error stopped all sending */
	bool config_changed; /* ...and [mail] differs from the settings that failed */
	time_t next_attempt; /* the earliest queued row's time; 0 when nothing is queued */
};
int outbox_state(struct db *d, const struct site *site, struct mail_state *st);
/* Lifts the pause (after a successful send, or when [mail] has changed). */
int outbox_resume(struct db *d);
/* At the sender's start: rows left 'sending' go back to the queue, a pause set under other
 * [mail] settings is lifted, and what an operator must know is logged (credentials in clear,
 * a pause that holds). */
void outbox_startup(struct db *d, const struct site *site);
/* The SMTP settings of site; helo receives the host of base_url. */
struct smtp_cfg;
void outbox_smtp_cfg(const struct site *site, atomic_int *stop, char *helo, size_t helosz,
                     struct smtp_cfg *out);
/* The queue has one sender at a time (quire serve's thread or one quire mail run): a second would
 * take back the row the first is sending and send it again. Returns the held lock (an fd, released
 * when the process ends, even by kill -9), -2 when another sender holds it, -1 on error. */
int outbox_sender_lock(const char *db_path);
/* Rows left 'sending' by a crash go back to the queue (call with the sender lock held). */
int outbox_requeue_stale(struct db *d);
/* Counts per state: queued, sending, sent, failed. */
int outbox_counts(struct db *d, long counts[4]);
/* Failed rows go back to the queue with their attempts reset; returns how many. */
long outbox_retry_failed(struct db *d, time_t now);

#endif
