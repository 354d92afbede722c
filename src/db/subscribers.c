/* subscribers: confirmation tokens are stored hashed, so a copy of the database confirms nobody. */
#include "subscribers.h"

#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "rate.h"

#define TOKEN_HASH_BYTES 32

static void hash_token(const char *token, unsigned char out[TOKEN_HASH_BYTES])
{
	crypto_generichash(out, TOKEN_HASH_BYTES, (const unsigned char *)token, strlen(token), NULL, 0);
}

/* A confirmed address: at most the wish for new posts changes (1 when it is confirmed). */
static int confirmed_update(struct db *d, const char *email, bool wants_posts, time_t now)
{
	sqlite3_int64 id = 0;
	int rc = db_int(d, &id, "SELECT id FROM subscribers WHERE email = ?1 AND status = 'confirmed'",
	                DB_ARGS(DB_T(email)));
	if (rc <= 0)
		return rc;
	int n = db_run(
	    d, "UPDATE subscribers SET wants_posts = max(wants_posts, ?2), updated_at = ?3 WHERE id = ?1",
	    DB_ARGS(DB_I(id), DB_I(wants_posts), DB_I(now)));
	return n < 0 ? -1 : 1;
}

int subscriber_save(struct db *d, const char *email, bool wants_posts, const char *token, time_t now,
                    sqlite3_int64 *id)
{
	int rc = confirmed_update(d, email, wants_posts, now);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	unsigned char h[TOKEN_HASH_BYTES];
	hash_token(token, h);
	sqlite3_stmt *st = db_prep(
	    d,
	    "INSERT INTO subscribers(email, status, token_hash, token_expires, created_at, updated_at, "
	    "wants_posts) "
	    "VALUES(?1, 'pending', ?2, ?3, ?4, ?4, ?5) ON CONFLICT(email) DO UPDATE SET status = 'pending', "
	    "token_hash = excluded.token_hash, token_expires = excluded.token_expires, updated_at = ?4, "
	    "wants_posts = CASE WHEN subscribers.status = 'unsubscribed' THEN ?5 "
	    "ELSE max(subscribers.wants_posts, ?5) END RETURNING id");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, email, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 2, h, sizeof h, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 3, now + CONFIRM_TTL);
	sqlite3_bind_int64(st, 4, now);
	sqlite3_bind_int(st, 5, wants_posts);
	*id = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	return *id ? 1 : -1;
}

static int token_row(struct db *d, const char *token, time_t now, char email[SUBSCRIBER_EMAIL_SIZE],
                     sqlite3_int64 *id)
{
	if (!token || strlen(token) != SUBSCRIBER_TOKEN_LEN)
		return CONFIRM_UNKNOWN;
	unsigned char h[TOKEN_HASH_BYTES];
	hash_token(token, h);
	sqlite3_stmt *st =
	    db_prep(d, "SELECT id, email, status, token_expires FROM subscribers WHERE token_hash = ?1");
	if (!st)
		return -1;
	sqlite3_bind_blob(st, 1, h, sizeof h, SQLITE_TRANSIENT);
	int state = CONFIRM_UNKNOWN;
	if (sqlite3_step(st) == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		snprintf(email, SUBSCRIBER_EMAIL_SIZE, "%s", db_text(st, 1));
		const char *status = db_text(st, 2);
		if (strcmp(status, "confirmed") == 0)
			state = CONFIRM_DONE;
		else if (strcmp(status, "pending") != 0)
			state = CONFIRM_UNKNOWN; /* unsubscribed since: the old link is dead */
		else if (sqlite3_column_int64(st, 3) < now)
			state = CONFIRM_EXPIRED;
		else
			state = CONFIRM_PENDING;
	}
	sqlite3_reset(st);
	return state;
}

enum confirm_state subscriber_token_state(struct db *d, const char *token, time_t now,
                                          char email[SUBSCRIBER_EMAIL_SIZE])
{
	sqlite3_int64 id;
	int s = token_row(d, token, now, email, &id);
	return s < 0 ? CONFIRM_UNKNOWN : (enum confirm_state)s;
}

int subscriber_confirm(struct db *d, const char *token, time_t now, char email[SUBSCRIBER_EMAIL_SIZE])
{
	sqlite3_int64 id = 0;
	int state = token_row(d, token, now, email, &id);
	if (state != CONFIRM_PENDING)
		return state;
	sqlite3_stmt *st =
	    db_prep(d, "UPDATE subscribers SET status = 'confirmed', confirmed_at = ?2, updated_at = ?2 "
	               "WHERE id = ?1 AND status = 'pending'");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, now);
	int rc = sqlite3_step(st) == SQLITE_DONE ? CONFIRM_PENDING : -1;
	sqlite3_reset(st);
	return rc;
}

int subscriber_set_unsubscribed(struct db *d, sqlite3_int64 id, time_t now)
{
	int n = db_run(d,
	               "UPDATE subscribers SET status = 'unsubscribed', unsubscribed_at = ?2, "
	               "updated_at = ?2, wants_posts = 0 WHERE id = ?1 AND status != 'unsubscribed'",
	               DB_ARGS(DB_I(id), DB_I(now)));
	return n < 0 ? -1 : n > 0;
}

int subscriber_mark_bouncing(struct db *d, const char *email, time_t now)
{
	int n = db_run(d,
	               "UPDATE subscribers SET status = 'bouncing', bounced_at = ?2, updated_at = ?2 "
	               "WHERE email = ?1 AND status = 'confirmed'",
	               DB_ARGS(DB_T(email), DB_I(now)));
	return n < 0 ? -1 : 0;
}

int subscriber_wants_posts(struct db *d, const char *email)
{
	sqlite3_int64 v = 0;
	int rc = db_int(d, &v, "SELECT wants_posts FROM subscribers WHERE email = ?1", DB_ARGS(DB_T(email)));
	return rc < 0 ? -1 : rc == 1 && v != 0;
}

sqlite3_int64 subscriber_confirmed_id(struct db *d, const char *email)
{
	sqlite3_stmt *st = db_prep(d, "SELECT id FROM subscribers WHERE email = ?1 AND status = 'confirmed'");
	if (!st)
		return 0;
	sqlite3_bind_text(st, 1, email, -1, SQLITE_STATIC);
	sqlite3_int64 id = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	return id;
}

long subscribers_count(struct db *d)
{
	/* kept by triggers (sql/008_cache.sql): every page shows it, so it must not cost a count */
	sqlite3_stmt *st =
	    db_prep(d, "SELECT CAST(value AS INTEGER) FROM settings WHERE key = 'subscriber_count'");
	if (!st)
		return -1;
	long n = sqlite3_step(st) == SQLITE_ROW ? (long)sqlite3_column_int64(st, 0) : -1;
	sqlite3_reset(st);
	return n;
}

_Static_assert(SUBSCRIBE_WINDOW <= RATE_KEEP, "subscribe requests must be kept for the whole window");

bool subscribe_limited(struct db *d, const char *email, const char *ip, time_t now)
{
	char ke[300], ki[128];
	rate_key(ke, sizeof ke, "subscribe:", email);
	rate_key(ki, sizeof ki, "subscribe-ip:", ip);
	bool over = rate_count(d, ke, now - SUBSCRIBE_WINDOW) >= SUBSCRIBE_PER_EMAIL ||
	            rate_count(d, ki, now - SUBSCRIBE_WINDOW) >= SUBSCRIBE_PER_IP;
	rate_add(d, ke, now);
	rate_add(d, ki, now);
	return over;
}

/* The columns every subscriber query below selects, in this order. */
#define SUBSCRIBER_COLS "id, email, status, created_at, confirmed_at, unsubscribed_at, wants_posts"

static void subscriber_row(sqlite3_stmt *st, struct subscriber *s)
{
	s->id = sqlite3_column_int64(st, 0);
	snprintf(s->email, sizeof s->email, "%s", db_text(st, 1));
	snprintf(s->status, sizeof s->status, "%s", db_text(st, 2));
	/* NULL reads as 0: never reached */
	s->created_at = (time_t)sqlite3_column_int64(st, 3);
	s->confirmed_at = (time_t)sqlite3_column_int64(st, 4);
	s->unsubscribed_at = (time_t)sqlite3_column_int64(st, 5);
	s->wants_posts = sqlite3_column_int(st, 6) != 0;
}

/* search with LIKE's wildcards escaped, so it matches itself only; NULL when out of memory. */
static char *like_escaped(const char *search)
{
	size_t n = strlen(search);
	char *out = sqlite3_malloc64(2 * n + 1), *o = out;
	if (!out)
		return NULL;
	for (const char *p = search; *p; p++) {
		if (*p == '%' || *p == '_' || *p == '\\')
			*o++ = '\\';
		*o++ = *p;
	}
	*o = '\0';
	return out;
}

long subscribers_list(struct db *d, const char *search, const char *status, long max, long offset,
                      struct subscriber *out)
{
	char *like = like_escaped(search);
	sqlite3_stmt *st =
	    like ? db_prep(d, "SELECT " SUBSCRIBER_COLS " FROM subscribers "
	                      "WHERE (?1 = '' OR email LIKE '%' || ?1 || '%' ESCAPE '\\') "
	                      "AND (?2 = '' OR status = ?2) ORDER BY id DESC LIMIT ?3 OFFSET ?4")
	         : NULL;
	long n = -1;
	if (!st)
		goto out;
	sqlite3_bind_text(st, 1, like, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, status, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, max);
	sqlite3_bind_int64(st, 4, offset);
	int rc = SQLITE_DONE;
	for (n = 0; n < max && (rc = sqlite3_step(st)) == SQLITE_ROW; n++)
		subscriber_row(st, &out[n]);
	if (n < max && rc != SQLITE_DONE) {
		log_msg("subscribers: list: %s", db_errmsg(d));
		n = -1;
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st); /* like is freed below */
out:
	sqlite3_free(like);
	return n;
}

int subscribers_each(struct db *d, void (*fn)(const struct subscriber *s, void *arg), void *arg)
{
	sqlite3_stmt *st = db_prep(d, "SELECT " SUBSCRIBER_COLS " FROM subscribers ORDER BY id");
	if (!st)
		return -1;
	int rc;
	struct subscriber s;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		subscriber_row(st, &s);
		fn(&s, arg);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		log_msg("subscribers: export: %s", db_errmsg(d));
	return rc == SQLITE_DONE ? 0 : -1;
}

int subscribers_counts(struct db *d, struct subscriber_counts *c)
{
	sqlite3_stmt *st = db_prep(d, "SELECT count(*) FILTER (WHERE status = 'pending'), "
	                              "count(*) FILTER (WHERE status = 'confirmed' AND wants_posts = 1), "
	                              "count(*) FILTER (WHERE status = 'unsubscribed'), "
	                              "count(*) FILTER (WHERE status = 'bouncing'), "
	                              "count(*) FILTER (WHERE status = 'confirmed' AND wants_posts = 0) "
	                              "FROM subscribers");
	if (!st)
		return -1;
	int rc = sqlite3_step(st) == SQLITE_ROW ? 0 : -1;
	if (rc == 0)
		*c = (struct subscriber_counts){
		    (long)sqlite3_column_int64(st, 0), (long)sqlite3_column_int64(st, 1),
		    (long)sqlite3_column_int64(st, 2), (long)sqlite3_column_int64(st, 3),
		    (long)sqlite3_column_int64(st, 4)};
	sqlite3_reset(st);
	return rc;
}

int subscriber_delete(struct db *d, sqlite3_int64 id)
{
	int n = db_run(d, "DELETE FROM subscribers WHERE id = ?1", DB_ARGS(DB_I(id)));
	return n < 0 ? -1 : n > 0;
}
