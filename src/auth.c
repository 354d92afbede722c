/* auth: tokens are 256-bit from libsodium; the database keeps only their BLAKE2b hash. */
#include "auth.h"

#include <ctype.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "rate.h"

static void token_hash(const char *token, unsigned char out[32])
{
	crypto_generichash(out, 32, (const unsigned char *)token, strlen(token), NULL, 0);
}

int session_create(struct db *d, sqlite3_int64 user, time_t now, char token[TOKEN_CHARS])
{
	unsigned char raw[32], h[32], craw[32];
	char csrf[CSRF_CHARS];
	randombytes_buf(raw, sizeof raw);
	randombytes_buf(craw, sizeof craw);
	sodium_bin2base64(token, TOKEN_CHARS, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_bin2hex(csrf, sizeof csrf, craw, sizeof craw);
	token_hash(token, h);
	sqlite3_stmt *st =
	    db_prep(d, "INSERT INTO sessions(token_hash, user_id, csrf, expires_at, created_at) "
	               "VALUES(?1, ?2, ?3, ?4, ?5)");
	if (!st)
		return -1;
	sqlite3_bind_blob(st, 1, h, sizeof h, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, user);
	sqlite3_bind_text(st, 3, csrf, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 4, now + SESSION_TTL);
	sqlite3_bind_int64(st, 5, now);
	int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
	sqlite3_reset(st);
	/* expired sessions go whenever a new one comes */
	st = db_prep(d, "DELETE FROM sessions WHERE expires_at < ?1");
	if (st) {
		sqlite3_bind_int64(st, 1, now);
		sqlite3_step(st);
		sqlite3_reset(st);
	}
	return rc;
}

static bool token_shape_ok(const char *t)
{
	size_t n = strlen(t);
	if (n != TOKEN_CHARS - 1)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)t[i]) && t[i] != '-' && t[i] != '_')
			return false;
	return true;
}

int session_lookup(struct db *d, const char *token, time_t now, struct session *s)
{
	if (!token || !token_shape_ok(token))
		return 0;
	unsigned char h[32];
	token_hash(token, h);
	sqlite3_stmt *st =
	    db_prep(d, "SELECT s.user_id, u.name, s.csrf FROM sessions s JOIN users u ON u.id = s.user_id "
	               "WHERE s.token_hash = ?1 AND s.expires_at > ?2");
	if (!st)
		return -1;
	sqlite3_bind_blob(st, 1, h, sizeof h, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, now);
	int rc = sqlite3_step(st), found = rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
	if (found == 1) {
		s->user_id = sqlite3_column_int64(st, 0);
		snprintf(s->user_name, sizeof s->user_name, "%s", db_text(st, 1));
		snprintf(s->csrf, sizeof s->csrf, "%s", db_text(st, 2));
	}
	sqlite3_reset(st);
	return found;
}

int session_delete(struct db *d, const char *token)
{
	if (!token || !token_shape_ok(token))
		return 0;
	unsigned char h[32];
	token_hash(token, h);
	sqlite3_stmt *st = db_prep(d, "DELETE FROM sessions WHERE token_hash = ?1");
	if (!st)
		return -1;
	sqlite3_bind_blob(st, 1, h, sizeof h, SQLITE_TRANSIENT);
	int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
	sqlite3_reset(st);
	return rc;
}

bool csrf_ok(const struct session *s, const char *token)
{
	return token && strlen(token) == CSRF_CHARS - 1 && strlen(s->csrf) == CSRF_CHARS - 1 &&
	       sodium_memcmp(token, s->csrf, CSRF_CHARS - 1) == 0;
}

/* A hash of a password nobody has, verified when the user does not exist, so both paths
 * cost one argon2id verification. Made once per process. */
static char dummy_hash[crypto_pwhash_STRBYTES];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void dummy_init(void)
{
	static const char pw[] = "quire-dummy-password";
	if (crypto_pwhash_str(dummy_hash, pw, sizeof pw - 1, crypto_pwhash_OPSLIMIT_INTERACTIVE,
	                      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		dummy_hash[0] = '\0';
}

int login_check(struct db *d, const char *who, const char *password, sqlite3_int64 *user)
{
	pthread_once(&dummy_once, dummy_init);
	if (!dummy_hash[0])
		return -1;
	sqlite3_stmt *st = db_prep(d, "SELECT id, pw_hash FROM users WHERE name = ?1 OR email = ?1 LIMIT 1");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, who, -1, SQLITE_TRANSIENT);
	char hash[crypto_pwhash_STRBYTES] = "";
	sqlite3_int64 id = 0;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		id = sqlite3_column_int64(st, 0);
		snprintf(hash, sizeof hash, "%s", db_text(st, 1));
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return -1;
	bool match = crypto_pwhash_str_verify(id ? hash : dummy_hash, password, strlen(password)) == 0;
	if (!id || !match)
		return 0;
	*user = id;
	return 1;
}

_Static_assert(LOGIN_WINDOW <= RATE_KEEP, "login failures must be kept for the whole window");

int login_locked(struct db *d, const char *who, const char *ip, time_t now)
{
	char ku[300], ki[128];
	rate_key(ku, sizeof ku, "login-user:", who);
	rate_key(ki, sizeof ki, "login-ip:", ip);
	long nu = rate_count(d, ku, now - LOGIN_WINDOW), ni = rate_count(d, ki, now - LOGIN_WINDOW);
	if (nu < 0 || ni < 0)
		return -1;
	return nu >= LOGIN_MAX_FAILURES || ni >= LOGIN_MAX_FAILURES;
}

int login_failed(struct db *d, const char *who, const char *ip, time_t now)
{
	char ku[300], ki[128];
	rate_key(ku, sizeof ku, "login-user:", who);
	rate_key(ki, sizeof ki, "login-ip:", ip);
	return rate_add(d, ku, now) < 0 || rate_add(d, ki, now) < 0 ? -1 : 0;
}

int login_succeeded(struct db *d, const char *who, time_t now)
{
	(void)now;
	char ku[300];
	rate_key(ku, sizeof ku, "login-user:", who);
	return rate_clear(d, ku);
}
