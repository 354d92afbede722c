/* subscribers: addresses, double opt-in tokens (stored hashed), the subscribe rate limit, and
 * the admin's list. Queueing the confirmation mail is src/mail/subscribe.h's business. */
#ifndef QUIRE_SUBSCRIBERS_H
#define QUIRE_SUBSCRIBERS_H
#include <sqlite3.h>
#include <stdbool.h>
#include <time.h>

#include "arena.h"
#include "db.h"

#define CONFIRM_TTL (7 * 24 * 3600)
#define SUBSCRIBE_PER_IP 10 /* requests per address per SUBSCRIBE_WINDOW */
#define SUBSCRIBE_PER_EMAIL 3
#define SUBSCRIBE_WINDOW 3600
#define SUBSCRIBER_TOKEN_LEN 43  /* a confirmation token: 32 random bytes in URL-safe base64 */
#define SUBSCRIBER_TOKEN_SIZE 64 /* room for one, terminated */
#define SUBSCRIBER_EMAIL_SIZE 256
#define SUBSCRIBER_STATUS_SIZE 16

enum sub_source { SUB_FORM, SUB_COMMENT };

/* Writes the subscribe request of email: a confirmed address only gets wants_posts switched on
 * (returns 0); any other becomes a pending row holding token's hash for CONFIRM_TTL, its id in
 * *id (returns 1). -1 on error. */
int subscriber_save(struct db *d, const char *email, bool wants_posts, const char *token, time_t now,
                    sqlite3_int64 *id);
enum confirm_state { CONFIRM_UNKNOWN, CONFIRM_EXPIRED, CONFIRM_PENDING, CONFIRM_DONE };
/* What a confirmation token refers to (and the address, into email[256]). */
enum confirm_state subscriber_token_state(struct db *d, const char *token, time_t now,
                                          char email[SUBSCRIBER_EMAIL_SIZE]);
/* Confirms the pending subscriber of token; returns the state it was found in (-1 on error). */
int subscriber_confirm(struct db *d, const char *token, time_t now, char email[SUBSCRIBER_EMAIL_SIZE]);
/* Unsubscribes id (unless it is already): 1 changed, 0 not, -1 error. */
int subscriber_set_unsubscribed(struct db *d, sqlite3_int64 id, time_t now);
/* A confirmed address whose mail bounced hard stops getting mail; 0 or -1. */
int subscriber_mark_bouncing(struct db *d, const char *email, time_t now);
/* Whether email's row asks for new posts (wants_posts): 1 yes, 0 no or no row, -1 error. */
int subscriber_wants_posts(struct db *d, const char *email);
/* The id of a confirmed address (0 when it is not one). */
sqlite3_int64 subscriber_confirmed_id(struct db *d, const char *email);
/* Confirmed subscribers who want new posts. */
long subscribers_count(struct db *d);
/* Counts a subscribe request; true when the address or the IP is over its limit. */
bool subscribe_limited(struct db *d, const char *email, const char *ip, time_t now);

/* One subscriber as the admin sees it (times 0 when not reached). */
struct subscriber {
	sqlite3_int64 id;
	char email[SUBSCRIBER_EMAIL_SIZE];
	char status[SUBSCRIBER_STATUS_SIZE]; /* pending, confirmed, unsubscribed, bouncing */
	time_t created_at, confirmed_at, unsubscribed_at;
	bool wants_posts;
};
struct subscriber_counts {
	long pending, confirmed, unsubscribed, bouncing;
	long replies_only; /* confirmed for reply notifications alone: not in confirmed */
};
/* Up to max subscribers, newest first, after skipping offset, whose address contains search
 * (literally; "" for all) and whose status is status ("" for any), into out[max]: how many,
 * or -1. */
long subscribers_list(struct db *d, const char *search, const char *status, long max, long offset,
                      struct subscriber *out);
/* Calls fn for every subscriber, oldest first: 0, or -1 on error. */
int subscribers_each(struct db *d, void (*fn)(const struct subscriber *s, void *arg), void *arg);
int subscribers_counts(struct db *d, struct subscriber_counts *c);
/* Removes subscriber id: 1 removed, 0 no such subscriber, -1 error. */
int subscriber_delete(struct db *d, sqlite3_int64 id);

#endif
