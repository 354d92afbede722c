/* rate: counted events per key in a time window (failed logins, subscribe requests), in one
 * table for every limit: rate_events (sql/004_mail.sql). */
#ifndef QUIRE_RATE_H
#define QUIRE_RATE_H
#include <stddef.h>
#include <time.h>

#include "db.h"

#define RATE_KEEP 3600 /* seconds events are kept: the longest window of any limit */

/* prefix + value in lower case into out: "login-user:ada". */
void rate_key(char *out, size_t size, const char *prefix, const char *value);
/* Events of key after since, or -1 on error. */
long rate_count(struct db *d, const char *key, time_t since);
/* Records an event of key (and forgets events older than RATE_KEEP); -1 on error. */
int rate_add(struct db *d, const char *key, time_t now);
/* Seconds until key has fewer than max events in the window of that many seconds ending now
 * (0 when it has fewer already), counting only events already recorded; -1 on error. */
long rate_wait(struct db *d, const char *key, time_t now, long window, long max);
/* Forgets every event of key; -1 on error. */
int rate_clear(struct db *d, const char *key);

#endif
