/* subscribers: addresses, double opt-in tokens, unsubscribe links, and the subscribe rate limit. */
#ifndef QUIRE_SUBSCRIBERS_H
#define QUIRE_SUBSCRIBERS_H
#include <sqlite3.h>
#include <stdbool.h>
#include <time.h>

#include "db.h"

#define CONFIRM_TTL (7 * 24 * 3600)
#define SUBSCRIBE_PER_IP 10 /* requests per address per SUBSCRIBE_WINDOW */
#define SUBSCRIBE_PER_EMAIL 3
#define SUBSCRIBE_WINDOW 3600

struct site;

enum sub_source { SUB_FORM, SUB_COMMENT };

/* Starts (or restarts) the double opt-in of email inside the caller's transaction: a pending
 * row with a fresh token and a 'confirm' mail, unless the address is confirmed already (then
 * only wants_posts may be switched on). Returns 0 or -1. */
int subscriber_request(struct db *d, const char *email, enum sub_source src, time_t now);
enum confirm_state { CONFIRM_UNKNOWN, CONFIRM_EXPIRED, CONFIRM_PENDING, CONFIRM_DONE };
/* What a confirmation token refers to (and the address, into email[256]). */
enum confirm_state subscriber_token_state(struct db *d, const char *token, time_t now, char email[256]);
/* Confirms the pending subscriber of token; returns the state it was found in (-1 on error). */
int subscriber_confirm(struct db *d, const char *token, time_t now, char email[256]);
/* The token in unsubscribe links: a keyed hash of the subscriber id (hex, 32 characters). */
void unsubscribe_token(const struct site *site, sqlite3_int64 id, char out[33]);
/* Unsubscribes id when token is its own: 1 done (or already), 0 bad link, -1 error. */
int subscriber_unsubscribe(struct db *d, const struct site *site, sqlite3_int64 id, const char *token,
                           time_t now);
/* The id of a confirmed address (0 when it is not one). */
sqlite3_int64 subscriber_confirmed_id(struct db *d, const char *email);
/* Confirmed subscribers who want new posts. */
long subscribers_count(struct db *d);
/* Counts a subscribe request; true when the address or the IP is over its limit. */
bool subscribe_limited(struct db *d, const char *email, const char *ip, time_t now);

#endif
