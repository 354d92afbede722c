/* auth: tokens are 256-bit from libsodium; the database keeps only their BLAKE2b hash. */
#include "auth.h"

#include <arpa/inet.h>
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
	if (rc == 0 &&
	    db_run(d, "UPDATE users SET last_login = ?2 WHERE id = ?1", DB_ARGS(DB_I(user), DB_I(now))) < 0)
		log_warn("session: user=%lld: last login not recorded", (long long)user);
	/* expired sessions go whenever a new one comes */
	if (db_run(d, "DELETE FROM sessions WHERE expires_at < ?1", DB_ARGS(DB_I(now))) < 0)
		log_warn("session: expired sessions stay until the next login");
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
	sqlite3_stmt *st = db_prep(d, "SELECT s.user_id, u.name, s.csrf, u.role = 'admin' FROM sessions s "
	                              "JOIN users u ON u.id = s.user_id "
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
		s->is_admin = sqlite3_column_int(st, 3) != 0;
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

int sessions_end(struct db *d, sqlite3_int64 user, const char *keep_token)
{
	unsigned char h[32] = {0};
	if (keep_token && token_shape_ok(keep_token))
		token_hash(keep_token, h);
	sqlite3_stmt *st = db_prep(d, "DELETE FROM sessions WHERE user_id = ?1 AND token_hash <> ?2");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, user);
	sqlite3_bind_blob(st, 2, h, sizeof h, SQLITE_TRANSIENT);
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
	sqlite3_stmt *st = db_prep(
	    d,
	    "SELECT id, pw_hash FROM users WHERE name = ?1 OR email = ?1 ORDER BY email = ?1 DESC LIMIT 1");
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

/* The address as counted: IPv6 by its /64 (one host usually owns the whole prefix), an
 * IPv4-mapped IPv6 address as IPv4, anything unparsable as it came. */
static void addr_key(const char *ip, char out[INET6_ADDRSTRLEN])
{
	unsigned char a[16];
	snprintf(out, INET6_ADDRSTRLEN, "%s", ip ? ip : "");
	if (!ip || !strchr(ip, ':') || inet_pton(AF_INET6, ip, a) != 1)
		return;
	static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
	if (memcmp(a, mapped, sizeof mapped) == 0) {
		inet_ntop(AF_INET, a + 12, out, INET6_ADDRSTRLEN);
		return;
	}
	memset(a + 8, 0, 8);
	if (!inet_ntop(AF_INET6, a, out, INET6_ADDRSTRLEN))
		snprintf(out, INET6_ADDRSTRLEN, "%s", ip);
}

struct login_keys {
	char pair[400], addr[128], name[300];
};

static void login_keys(struct login_keys *k, const char *who, const char *ip)
{
	char a[INET6_ADDRSTRLEN], pv[360];
	addr_key(ip, a);
	snprintf(pv, sizeof pv, "%s|%s", who ? who : "", a);
	rate_key(k->pair, sizeof k->pair, "login-pair:", pv);
	rate_key(k->addr, sizeof k->addr, "login-ip:", a);
	rate_key(k->name, sizeof k->name, "login-user:", who);
}

static long longer(long a, long b)
{
	return a < 0 || b < 0 ? -1 : a > b ? a : b;
}

long login_locked(struct db *d, const char *who, const char *ip, time_t now)
{
	struct login_keys k;
	login_keys(&k, who, ip);
	long wait = longer(rate_wait(d, k.pair, now, LOGIN_WINDOW, LOGIN_PAIR_MAX),
	                   rate_wait(d, k.addr, now, LOGIN_WINDOW, LOGIN_ADDR_MAX));
	long name = rate_wait(d, k.name, now, LOGIN_WINDOW, LOGIN_ACCOUNT_MAX);
	if (wait < 0 || name <= 0)
		return name < 0 ? -1 : wait;
	/* many failures for this name from everywhere: refused only where it failed before, until
	 * either this address's failures or the name's have left the window */
	long mine = rate_wait(d, k.pair, now, LOGIN_WINDOW, 1);
	if (mine < 0)
		return -1;
	return longer(wait, mine < name ? mine : name);
}

int login_failed(struct db *d, const char *who, const char *ip, time_t now)
{
	struct login_keys k;
	login_keys(&k, who, ip);
	return rate_add(d, k.pair, now) < 0 || rate_add(d, k.addr, now) < 0 || rate_add(d, k.name, now) < 0
	           ? -1
	           : 0;
}

int login_succeeded(struct db *d, const char *who, const char *ip)
{
	struct login_keys k;
	login_keys(&k, who, ip);
	return rate_clear(d, k.pair);
}
