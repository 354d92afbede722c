/* sender: claims, renders, sends and marks outbox rows. A row is marked sent only after the
 * server accepted it, so after a crash at most the one message in flight is sent twice. */
#ifndef QUIRE_SENDER_H
#define QUIRE_SENDER_H
#include <stdatomic.h>
#include <stddef.h>
#include <time.h>

#include "db.h"
#include "db_outbox.h"

struct site;
struct smtp_cfg;

struct outbox_progress {
	long sent, failed, retried, total;
};
typedef void (*outbox_progress_fn)(const struct outbox_progress *p, void *arg);
/* Sends due rows until none is due, max have been handled (0: no limit) or *stop is set.
 * Returns the number handled, or -1 when the database failed. */
long outbox_drain(struct db *d, const struct site *site, long max, atomic_int *stop, outbox_progress_fn fn,
                  void *arg);
/* The sender's state (struct mail_state, db_outbox.h) as seen under site's [mail] settings. */
int outbox_state(struct db *d, const struct site *site, struct mail_state *st);
/* Lifts the pause (after a successful send, or when [mail] has changed). */
int outbox_resume(struct db *d);
/* At the sender's start: rows left 'sending' go back to the queue, a pause set under other
 * [mail] settings is lifted, and what an operator must know is logged (credentials in clear,
 * a pause that holds). */
void outbox_startup(struct db *d, const struct site *site);
/* The SMTP settings of site; helo receives the host of base_url. */
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
