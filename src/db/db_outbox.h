/* db_outbox: the outbox table and the sender's state row (sql/004_mail.sql, sql/011_mail_state.sql).
 * Only storage: which rows to queue and how to send them is src/mail's business. */
#ifndef QUIRE_DB_OUTBOX_H
#define QUIRE_DB_OUTBOX_H
#include <sqlite3.h>
#include <stdbool.h>
#include <time.h>

#include "db.h"

#define OUTBOX_RECIPIENT_MAX 300
#define OUTBOX_KIND_MAX 16
#define OUTBOX_PAYLOAD_MAX 256
#define MAIL_ERROR_MAX 512

/* One claimed row, as the sender needs it. */
struct outbox_row {
	sqlite3_int64 id, ref;
	char recipient[OUTBOX_RECIPIENT_MAX], kind[OUTBOX_KIND_MAX], payload[OUTBOX_PAYLOAD_MAX];
	long attempts;
};

/* Rows per state. */
struct outbox_totals {
	long queued, sending, sent, failed;
};

/* The sender's state, kept in the database so every process and the admin see it. */
struct mail_state {
	char last_error[MAIL_ERROR_MAX];
	time_t last_error_at;
	bool paused;         /* a configuration error stopped all sending */
	bool config_changed; /* ...and [mail] differs from the settings that failed */
	time_t next_attempt; /* the earliest queued row's time; 0 when nothing is queued */
};

/* Inserts one row (nothing when the same kind/ref/recipient exists); 0 or -1. */
int db_outbox_insert(struct db *d, const char *kind, const char *recipient, sqlite3_int64 ref,
                     const char *payload, time_t now);
/* One 'post' row for post per confirmed subscriber who wants posts: rows added, or -1. */
long db_outbox_insert_post_rows(struct db *d, sqlite3_int64 post, time_t now);
/* Marks post announced if it is visible at now, was not announced and is no page (pages are
 * never mailed): 1 marked, 0 not, -1 error. */
int db_post_mark_announced(struct db *d, sqlite3_int64 post, time_t now);
/* Whether post's subscribers are mailed when it is announced (the editor's "Don't email
 * subscribers", front matter notify): 1 yes, 0 no, -1 error (or no such post). */
int db_post_notify(struct db *d, sqlite3_int64 post);
/* Sets that choice; writes only when it changes. 0 or -1. */
int db_post_notify_set(struct db *d, sqlite3_int64 post, bool notify);
/* What the editor says of post's mail: announced (notified_at set) and how many 'post' rows it
 * has. 0 or -1. */
int db_post_mail_info(struct db *d, sqlite3_int64 post, bool *announced, long *mails);
/* Queues a 'test' mail of post to recipient unless one to recipient was queued in the last
 * window seconds (checked and inserted in one statement): 1 queued, 0 too soon, -1 error. */
int db_outbox_insert_test(struct db *d, const char *recipient, sqlite3_int64 post, time_t now, long window);
/* Seconds until recipient may get another test mail (0: now). -1 on error. */
long db_outbox_test_wait(struct db *d, const char *recipient, time_t now, long window);
/* A visible post (not a page) not yet announced into *id: 1 found, 0 none, -1 error. */
int db_post_unannounced(struct db *d, time_t now, sqlite3_int64 *id);
/* Who hears of comment: the confirmed author of its parent who asked for replies (not the
 * commenter), or the author of its post. The address into to (empty when nobody): 0 or -1. */
int db_comment_reply_to(struct db *d, sqlite3_int64 comment, char *to, size_t tosz);
int db_comment_post_author(struct db *d, sqlite3_int64 comment, char *to, size_t tosz);

/* Takes the oldest due row (state 'sending', one attempt more): 1 claimed, 0 none due, -1 error. */
int db_outbox_claim(struct db *d, time_t now, struct outbox_row *r);
/* Sets a row's state, next attempt and last error (sent: sent_at and payload forgotten); 0 or -1. */
int db_outbox_mark(struct db *d, sqlite3_int64 id, const char *state, time_t next, const char *error,
                   time_t now);
/* Back to the queue with one attempt less; error NULL keeps the last error. 0 or -1. */
int db_outbox_unclaim(struct db *d, sqlite3_int64 id, const char *error);
/* Rows left 'sending' go back to the queue; 0 or -1. */
int db_outbox_requeue_sending(struct db *d);
int db_outbox_totals(struct db *d, struct outbox_totals *t);
/* Failed rows queued again at now with no attempts: how many, or -1. */
long db_outbox_retry_failed(struct db *d, time_t now);

/* The state row; config_changed compares the paused settings with config_hash. 0 or -1. */
int db_mail_state_get(struct db *d, const char *config_hash, struct mail_state *ms);
/* Records error (NULL: keeps the last one) at now; paused 1 pauses under config_hash, 0 lifts a
 * pause, -1 leaves it. 0 or -1. */
int db_mail_state_set(struct db *d, const char *error, int paused, const char *config_hash, time_t now);
/* Lifts a pause; 0 or -1. */
int db_mail_state_resume(struct db *d);

#endif
