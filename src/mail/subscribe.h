/* subscribe: a subscribe request (the subscriber row and its confirmation mail, in the caller's
 * transaction) and the MAC that makes unsubscribe links unforgeable. */
#ifndef QUIRE_SUBSCRIBE_H
#define QUIRE_SUBSCRIBE_H
#include <sqlite3.h>
#include <stdbool.h>
#include <time.h>

#include "db.h"
#include "subscribers.h"

#define UNSUBSCRIBE_TOKEN_LEN 32 /* hex characters */
#define UNSUBSCRIBE_TOKEN_SIZE (UNSUBSCRIBE_TOKEN_LEN + 1)

struct site;

/* Starts (or restarts) the double opt-in of email inside the caller's transaction: a pending
 * row with a fresh token and a 'confirm' mail, unless the address is confirmed already (then
 * only wants_posts may be switched on). Returns 0 or -1. */
int subscriber_request(struct db *d, const char *email, enum sub_source src, time_t now);
/* The same for "Notify me of replies" on comment: the mail ('confirm_reply') names that comment
 * and its post, and says it is no blog subscription. Returns 0 or -1. */
int subscriber_request_reply(struct db *d, const char *email, sqlite3_int64 comment, time_t now);
/* The token in unsubscribe links: a keyed hash of the subscriber id (hex, 32 characters). */
void unsubscribe_token(const struct site *site, sqlite3_int64 id, char out[UNSUBSCRIBE_TOKEN_SIZE]);
/* Whether token is id's own (compared in constant time). */
bool unsubscribe_token_ok(const struct site *site, sqlite3_int64 id, const char *token);
/* Unsubscribes id when token is its own: 1 done (or already), 0 bad link, -1 error. */
int subscriber_unsubscribe(struct db *d, const struct site *site, sqlite3_int64 id, const char *token,
                           time_t now);

#endif
