/* queue: what goes into the outbox. Requests only insert rows, inside their own transaction, so
 * a mail lands exactly when the change that causes it commits. */
#ifndef QUIRE_QUEUE_H
#define QUIRE_QUEUE_H
#include <sqlite3.h>
#include <time.h>

#include "db.h"

/* Adds one row (ignored when the same kind/ref/recipient exists for post, reply, moderation). */
int outbox_add(struct db *d, const char *kind, const char *recipient, sqlite3_int64 ref, const char *payload,
               time_t now);
/* If post is visible and not yet announced: one 'post' row per confirmed subscriber (none when
 * its author chose not to email subscribers), and the post marked announced either way.
 * Returns the number of rows added, or -1. */
long outbox_post_published(struct db *d, sqlite3_int64 post, time_t now);
/* A "send a test to me": one 'test' row of post's notification for to (the logged-in author),
 * rendered as subscribers get it; never marks the post announced. At most one per
 * OUTBOX_TEST_WINDOW seconds per address: 1 queued, 0 too soon, -1 error. */
#define OUTBOX_TEST_WINDOW 30
int outbox_test_post(struct db *d, const char *to, sqlite3_int64 post, time_t now);
/* Announces every post whose scheduled time has come (one transaction each); count or -1. */
long outbox_due_posts(struct db *d, time_t now);
/* What a stored or approved comment sets off, inside the caller's transaction: a reply mail to
 * the parent's author (approved, asked for, address confirmed, not a reply to oneself), or a
 * moderation mail to the post's author (pending). */
int outbox_comment_events(struct db *d, sqlite3_int64 comment, const char *status, time_t now);

#endif
