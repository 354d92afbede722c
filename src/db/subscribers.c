/* subscribers: confirmation tokens are random and stored hashed; unsubscribe links are MACs. */
#include "subscribers.h"

#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "outbox.h"
#include "rate.h"
#include "settings.h"

static void hash_token(const char *token, unsigned char out[32])
{
	crypto_generichash(out, 32, (const unsigned char *)token, strlen(token), NULL, 0);
}

int subscriber_request(struct db *d, const char *email, enum sub_source src, time_t now)
{
	sqlite3_stmt *st = db_prep(d, "SELECT id, status FROM subscribers WHERE email = ?1");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, email, -1, SQLITE_STATIC);
	sqlite3_int64 id = 0;
	char status[16] = "";
	if (sqlite3_step(st) == SQLITE_ROW) {
		id = sqlite3_column_int64(st, 0);
		snprintf(status, sizeof status, "%s", db_text(st, 1));
	}
	sqlite3_reset(st);
	int wants = src == SUB_FORM;
	if (strcmp(status, "confirmed") == 0) {
		/* known and confirmed: at most the wish for new posts changes; no mail needed */
		st = db_prep(d, "UPDATE subscribers SET wants_posts = max(wants_posts, ?2), updated_at = ?3 "
		                "WHERE id = ?1");
		if (!st)
			return -1;
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_int(st, 2, wants);
		sqlite3_bind_int64(st, 3, now);
		int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
		sqlite3_reset(st);
		return rc;
	}
	unsigned char raw[32], h[32];
	char token[64];
	randombytes_buf(raw, sizeof raw);
	sodium_bin2base64(token, sizeof token, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	hash_token(token, h);
	st = db_prep(
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
	sqlite3_bind_int(st, 5, wants);
	int rc = sqlite3_step(st);
	id = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	if (!id)
		return -1;
	/* the raw token travels only in the mail; the row forgets it once sent */
	return outbox_add(d, "confirm", email, id, token, now);
}

static int token_row(struct db *d, const char *token, time_t now, char email[256], sqlite3_int64 *id)
{
	if (!token || strlen(token) != 43)
		return CONFIRM_UNKNOWN;
	unsigned char h[32];
	hash_token(token, h);
	sqlite3_stmt *st =
	    db_prep(d, "SELECT id, email, status, token_expires FROM subscribers WHERE token_hash = ?1");
	if (!st)
		return -1;
	sqlite3_bind_blob(st, 1, h, sizeof h, SQLITE_TRANSIENT);
	int state = CONFIRM_UNKNOWN;
	if (sqlite3_step(st) == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		snprintf(email, 256, "%s", db_text(st, 1));
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

enum confirm_state subscriber_token_state(struct db *d, const char *token, time_t now, char email[256])
{
	sqlite3_int64 id;
	int s = token_row(d, token, now, email, &id);
	return s < 0 ? CONFIRM_UNKNOWN : (enum confirm_state)s;
}

int subscriber_confirm(struct db *d, const char *token, time_t now, char email[256])
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

void unsubscribe_token(const struct site *site, sqlite3_int64 id, char out[33])
{
	char msg[64];
	unsigned char mac[crypto_auth_BYTES];
	int n = snprintf(msg, sizeof msg, "unsubscribe:%lld", (long long)id);
	crypto_auth(mac, (const unsigned char *)msg, (unsigned long long)n, site->form_key);
	sodium_bin2hex(out, 33, mac, 16);
}

int subscriber_unsubscribe(struct db *d, const struct site *site, sqlite3_int64 id, const char *token,
                           time_t now)
{
	char want[33];
	unsubscribe_token(site, id, want);
	if (!token || strlen(token) != 32 || sodium_memcmp(want, token, 32) != 0)
		return 0;
	sqlite3_stmt *st =
	    db_prep(d, "UPDATE subscribers SET status = 'unsubscribed', unsubscribed_at = ?2, "
	               "updated_at = ?2, wants_posts = 0 WHERE id = ?1 AND status != 'unsubscribed'");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, now);
	int rc = sqlite3_step(st) == SQLITE_DONE ? 1 : -1;
	sqlite3_reset(st);
	if (rc == 1 && sqlite3_changes(d->h) > 0)
		log_msg("subscriber %lld unsubscribed", (long long)id);
	return rc;
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
