/* auth: admin sessions (random tokens stored hashed), CSRF tokens, login checks and lockout. */
#ifndef QUIRE_AUTH_H
#define QUIRE_AUTH_H
#include <sqlite3.h>
#include <stdbool.h>
#include <time.h>

#include "db.h"

#define SESSION_COOKIE "quire_session"
#define SESSION_TTL (7 * 24 * 3600)
#define TOKEN_CHARS 44 /* base64url of 32 bytes, with its NUL */
#define CSRF_CHARS 65  /* hex of 32 bytes, with its NUL */
/* Login lockout (README, "Security"): failures are counted per (name typed, address), per
 * address and per name typed, over LOGIN_WINDOW. An address is refused for a name after
 * LOGIN_PAIR_MAX failures for it, for every name after LOGIN_ADDR_MAX failures; once a name has
 * LOGIN_ACCOUNT_MAX failures from anywhere, only addresses that failed for it are refused, so one
 * client can never lock someone else out. IPv6 addresses count by their /64. */
#define LOGIN_PAIR_MAX 5
#define LOGIN_ADDR_MAX 20
#define LOGIN_ACCOUNT_MAX 100
#define LOGIN_WINDOW (15 * 60)

struct session {
	sqlite3_int64 user_id;
	char user_name[128];
	char csrf[CSRF_CHARS];
	bool is_admin; /* users.role is 'admin' (sql/020_users.sql); else an author */
};

/* Starts a session for user; writes the cookie token. -1 on error. */
int session_create(struct db *d, sqlite3_int64 user, time_t now, char token[TOKEN_CHARS]);
/* 1 and s filled when token names a live session, 0 when not, -1 on error. */
int session_lookup(struct db *d, const char *token, time_t now, struct session *s);
int session_delete(struct db *d, const char *token);
/* Ends every session of user but the one of keep_token (NULL: all); -1 on error. */
int sessions_end(struct db *d, sqlite3_int64 user, const char *keep_token);
/* True when the form's token is the session's (constant time). */
bool csrf_ok(const struct session *s, const char *token);

/* Checks name-or-email and password, spending the same time whether or not the user exists.
 * 1 and *user set on success, 0 on a wrong pair, -1 on error. */
int login_check(struct db *d, const char *who, const char *password, sqlite3_int64 *user);
/* Seconds this address must wait before trying who again (0: it may try now), -1 on error. */
long login_locked(struct db *d, const char *who, const char *ip, time_t now);
/* Counts a failed login of who from ip; -1 on error. */
int login_failed(struct db *d, const char *who, const char *ip, time_t now);
/* Forgets the failures of who from ip (not those of the address or the name); -1 on error. */
int login_succeeded(struct db *d, const char *who, const char *ip);

#endif
