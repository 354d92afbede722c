/* users: the only place passwords are hashed; libsodium's argon2id with interactive limits. */
#include "users.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "text.h"

_Static_assert(PASSWORD_HASH_SIZE == crypto_pwhash_STRBYTES, "users.h's hash size is libsodium's");

int password_check(const char *pw, char *err, size_t errsz)
{
	size_t n = strlen(pw);
	if (n < PASSWORD_MIN || n > PASSWORD_MAX || !utf8_valid(pw, n)) {
		snprintf(err, errsz, "password must be %d to %d bytes of UTF-8", PASSWORD_MIN, PASSWORD_MAX);
		return -1;
	}
	return 0;
}

int user_hash_password(const char *pw, char *out, char *err, size_t errsz)
{
	if (password_check(pw, err, errsz) < 0)
		return -1;
	if (crypto_pwhash_str(out, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
	                      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
		snprintf(err, errsz, "password hashing ran out of memory");
		return -1;
	}
	return 0;
}

int user_fields_check(const char *name, const char *email, const char *bio, char *err, size_t errsz)
{
	size_t nl = strlen(name);
	if (nl == 0 || !utf8_valid(name, nl) || has_control(name, nl) || strchr(name, '\n') ||
	    utf8_len(name, nl) > USER_NAME_MAX) {
		snprintf(err, errsz, "name must be 1 to %d characters of text on one line", USER_NAME_MAX);
		return -1;
	}
	if (!email_valid(email)) {
		snprintf(err, errsz, "'%.80s' is not an email address", email);
		return -1;
	}
	size_t bl = strlen(bio);
	if (!utf8_valid(bio, bl) || has_control(bio, bl) || utf8_len(bio, bl) > USER_BIO_MAX) {
		snprintf(err, errsz, "bio must be at most %d characters of text", USER_BIO_MAX);
		return -1;
	}
	return 0;
}

/* Characters that draw nothing or turn text around: a name holding one could pass for another
 * user's (Ada<U+200B>Lovelace). */
static bool invisible_at(const unsigned char *p)
{
	if (p[0] == 0xC2 && p[1] == 0xAD) /* soft hyphen */
		return true;
	if (p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) /* zero-width no-break space */
		return true;
	if (p[0] != 0xE2 || (p[1] != 0x80 && p[1] != 0x81))
		return false;
	unsigned c = 0x2000u + ((p[1] & 0x3Fu) << 6) + (p[2] & 0x3Fu);
	return (c >= 0x200B && c <= 0x200F) || (c >= 0x202A && c <= 0x202E) || (c >= 0x2060 && c <= 0x2069);
}

int user_name_rules(const char *name, char *err, size_t errsz)
{
	/* logging in and "Forgot password?" take a name or an email: a name must never read as one */
	if (strchr(name, '@')) {
		snprintf(err, errsz, "a name may not contain '@' (it would read as an email address)");
		return -1;
	}
	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		if (invisible_at(p)) {
			snprintf(err, errsz, "a name may not contain invisible or direction characters");
			return -1;
		}
	return 0;
}

int user_clash(struct db *d, sqlite3_int64 self, const char *name, const char *email, char *err, size_t errsz)
{
	sqlite3_int64 n = 0;
	if (db_int(d, &n,
	           "SELECT count(*) FROM users WHERE id != ?1 AND (lower(name) = lower(?2) OR "
	           "lower(name) = lower(?3) OR lower(email) = lower(?2) OR lower(email) = lower(?3))",
	           DB_ARGS(DB_I(self), DB_T(name), DB_T(email))) < 0) {
		snprintf(err, errsz, "sqlite: %s", db_errmsg(d));
		return -1;
	}
	if (n > 0) {
		snprintf(err, errsz, "a user with that name or email exists already");
		return 1;
	}
	return 0;
}

/* A hash no password matches, in argon2id's format with the interactive limits, so checking a
 * password against it costs what a real one does (a login cannot tell this user apart): random
 * salt and random "hash" (2^-256 of a match). Made without argon2's 64 MB, for imported authors. */
static int unusable_hash(char out[crypto_pwhash_STRBYTES])
{
	unsigned char salt[crypto_pwhash_SALTBYTES], h[USER_HASH_BYTES];
	char salt64[sodium_base64_ENCODED_LEN(sizeof salt, sodium_base64_VARIANT_ORIGINAL_NO_PADDING)];
	char h64[sodium_base64_ENCODED_LEN(sizeof h, sodium_base64_VARIANT_ORIGINAL_NO_PADDING)];
	randombytes_buf(salt, sizeof salt);
	randombytes_buf(h, sizeof h);
	sodium_bin2base64(salt64, sizeof salt64, salt, sizeof salt,
	                  sodium_base64_VARIANT_ORIGINAL_NO_PADDING);
	sodium_bin2base64(h64, sizeof h64, h, sizeof h, sodium_base64_VARIANT_ORIGINAL_NO_PADDING);
	int n = snprintf(out, crypto_pwhash_STRBYTES, "$argon2id$v=19$m=%zu,t=%llu,p=1$%s$%s",
	                 (size_t)crypto_pwhash_MEMLIMIT_INTERACTIVE / 1024,
	                 (unsigned long long)crypto_pwhash_OPSLIMIT_INTERACTIVE, salt64, h64);
	return n > 0 && (size_t)n < crypto_pwhash_STRBYTES ? 0 : -1;
}

static int add_row(struct db *d, const char *name, const char *email, const char *bio, const char *hash,
                   const char *role, time_t now, char *err, size_t errsz);

bool role_valid(const char *role)
{
	return role && (strcmp(role, ROLE_ADMIN) == 0 || strcmp(role, ROLE_AUTHOR) == 0);
}

static int check_role(const char *role, char *err, size_t errsz)
{
	if (role_valid(role))
		return 0;
	snprintf(err, errsz, "role must be '%s' or '%s'", ROLE_ADMIN, ROLE_AUTHOR);
	return -1;
}

int user_add(struct db *d, const char *name, const char *email, const char *bio, const char *password,
             const char *role, time_t now, char *err, size_t errsz)
{
	char hash[crypto_pwhash_STRBYTES];
	if (user_fields_check(name, email, bio, err, errsz) < 0 || user_name_rules(name, err, errsz) < 0 ||
	    user_clash(d, 0, name, email, err, errsz) != 0 || check_role(role, err, errsz) < 0 ||
	    user_hash_password(password, hash, err, errsz) < 0)
		return -1;
	int rc = add_row(d, name, email, bio, hash, role, now, err, errsz);
	sodium_memzero(hash, sizeof hash);
	return rc;
}

sqlite3_int64 user_invite(struct db *d, const char *name, const char *email, const char *bio,
                          const char *role, time_t now, char *err, size_t errsz)
{
	char hash[crypto_pwhash_STRBYTES];
	if (user_fields_check(name, email, bio, err, errsz) < 0 || user_name_rules(name, err, errsz) < 0 ||
	    user_clash(d, 0, name, email, err, errsz) != 0 || check_role(role, err, errsz) < 0)
		return -1;
	if (unusable_hash(hash) < 0) {
		snprintf(err, errsz, "password hash format too long");
		return -1;
	}
	if (add_row(d, name, email, bio, hash, role, now, err, errsz) < 0)
		return -1;
	return sqlite3_last_insert_rowid(d->h);
}

int user_add_locked(struct db *d, const char *name, const char *email, const char *bio, time_t now, char *err,
                    size_t errsz)
{
	char hash[crypto_pwhash_STRBYTES];
	if (user_fields_check(name, email, bio, err, errsz) < 0)
		return -1;
	if (unusable_hash(hash) < 0) {
		snprintf(err, errsz, "password hash format too long");
		return -1;
	}
	/* an imported author writes; an admin decides whether they administer */
	return add_row(d, name, email, bio, hash, ROLE_AUTHOR, now, err, errsz);
}

static int add_row(struct db *d, const char *name, const char *email, const char *bio, const char *hash,
                   const char *role, time_t now, char *err, size_t errsz)
{
	struct buf slug = BUF_INIT;
	slugify(&slug, name, 80);
	if (slug.len == 0)
		buf_adds(&slug, "author");
	sqlite3_stmt *st = db_prep(d, "INSERT INTO users(name, slug, email, bio, pw_hash, created_at, role) "
	                              "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)");
	int rc = -1;
	if (st) {
		sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, buf_cstr(&slug), -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, email, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, bio, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, hash, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 6, now);
		sqlite3_bind_text(st, 7, role, -1, SQLITE_STATIC);
		int s = sqlite3_step(st);
		if (s == SQLITE_DONE)
			rc = 0;
		else if (s == SQLITE_CONSTRAINT_UNIQUE)
			snprintf(err, errsz, "a user with that name or email exists already");
		else
			snprintf(err, errsz, "sqlite: %s", db_errmsg(d));
		sqlite3_reset(st);
	} else {
		snprintf(err, errsz, "sqlite: %s", db_errmsg(d));
	}
	buf_free(&slug);
	return rc;
}

int user_passwd(struct db *d, const char *who, const char *password, char *err, size_t errsz)
{
	char hash[crypto_pwhash_STRBYTES];
	if (user_hash_password(password, hash, err, errsz) < 0)
		return -1;
	sqlite3_stmt *st = db_prep(d, "UPDATE users SET pw_hash = ?1 WHERE name = ?2 OR email = ?2");
	int rc = -1;
	if (st) {
		sqlite3_bind_text(st, 1, hash, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, who, -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE)
			snprintf(err, errsz, "sqlite: %s", db_errmsg(d));
		else if (sqlite3_changes(d->h) == 0)
			snprintf(err, errsz, "no user named '%.80s'", who);
		else
			rc = 0;
		sqlite3_reset(st);
	}
	/* sessions of the old password end with it */
	if (rc == 0) {
		if (db_run(d,
		           "DELETE FROM sessions WHERE user_id IN (SELECT id FROM users WHERE name = ?1 OR "
		           "email = ?1)",
		           DB_ARGS(DB_T(who))) < 0) {
			snprintf(err, errsz,
			         "the password changed, but its old sessions stay open: sqlite: %s",
			         db_errmsg(d));
			rc = -1;
		}
	}
	sodium_memzero(hash, sizeof hash);
	return rc;
}

int user_set_password(struct db *d, sqlite3_int64 id, const char *password, char *err, size_t errsz)
{
	char hash[crypto_pwhash_STRBYTES];
	if (user_hash_password(password, hash, err, errsz) < 0)
		return -1;
	int rc = user_set_hash(d, id, hash, err, errsz);
	sodium_memzero(hash, sizeof hash);
	return rc;
}

int user_set_hash(struct db *d, sqlite3_int64 id, const char *hash, char *err, size_t errsz)
{
	int n = db_run(d, "UPDATE users SET pw_hash = ?2 WHERE id = ?1", DB_ARGS(DB_I(id), DB_T(hash)));
	if (n < 0 || db_run(d, "DELETE FROM password_tokens WHERE user_id = ?1", DB_ARGS(DB_I(id))) < 0) {
		snprintf(err, errsz, "sqlite: %s", db_errmsg(d));
		return -1;
	}
	if (n == 0) {
		snprintf(err, errsz, "there is no such user");
		return -1;
	}
	return 0;
}

int user_password_ok(struct db *d, sqlite3_int64 id, const char *password)
{
	char hash[crypto_pwhash_STRBYTES] = "";
	int rc = db_str(d, hash, sizeof hash, "SELECT pw_hash FROM users WHERE id = ?1", DB_ARGS(DB_I(id)));
	if (rc <= 0)
		return rc;
	rc = crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
	sodium_memzero(hash, sizeof hash);
	return rc;
}
