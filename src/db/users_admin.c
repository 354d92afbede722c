/* users_admin: the users an admin manages: list, profile, roles, deletion, photos, set-password
 * links (random 256-bit tokens; the database keeps only their BLAKE2b hash, one per user). */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "db_posts.h"
#include "db_rows.h"
#include "log.h"
#include "users.h"

#define USER_COLS                                                                                            \
	"u.id, u.name, u.email, u.bio, u.slug, u.role, u.photo, u.last_login, u.created_at, "                \
	"(SELECT count(*) FROM posts p WHERE p.author_id = u.id)"

static bool fill(struct arena *a, sqlite3_stmt *st, struct user_info *u)
{
	const char **s[] = {&u->name, &u->email, &u->bio, &u->slug, &u->role, &u->photo};
	u->id = sqlite3_column_int64(st, 0);
	for (int i = 0; i < 6; i++)
		if (!(*s[i] = arena_strdup(a, db_text(st, i + 1))))
			return false;
	u->last_login = (time_t)sqlite3_column_int64(st, 7);
	u->created_at = (time_t)sqlite3_column_int64(st, 8);
	u->posts = sqlite3_column_int64(st, 9);
	return true;
}

long users_list(struct db *d, struct arena *a, struct user_info **out)
{
	sqlite3_stmt *st = db_prep(d, "SELECT " USER_COLS " FROM users u ORDER BY u.role = 'admin' DESC, "
	                              "u.name COLLATE NOCASE, u.id");
	if (!st)
		return -1;
	size_t k = 0, cap = 0;
	struct user_info *arr = NULL, *u;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (!(u = db_rows_add(a, &arr, k, &cap, sizeof *u)) || !fill(a, st, u))
			break;
		k++;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		log_msg("users_list: %s", rc == SQLITE_ROW ? "out of memory" : db_errmsg(d));
		return -1;
	}
	*out = arr;
	return (long)k;
}

int user_get(struct db *d, struct arena *a, sqlite3_int64 id, struct user_info *out)
{
	sqlite3_stmt *st = db_prep(d, "SELECT " USER_COLS " FROM users u WHERE u.id = ?1");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	memset(out, 0, sizeof *out);
	int rc = sqlite3_step(st), found = rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
	if (found == 1 && !fill(a, st, out))
		found = -1;
	if (found < 0)
		log_msg("user_get: user=%lld: %s", (long long)id,
		        rc == SQLITE_ROW ? "out of memory" : db_errmsg(d));
	sqlite3_reset(st);
	return found;
}

int user_email(struct db *d, sqlite3_int64 id, char *out, size_t outsz)
{
	return db_str(d, out, outsz, "SELECT email FROM users WHERE id = ?1", DB_ARGS(DB_I(id)));
}

int user_find(struct db *d, const char *who, sqlite3_int64 *id)
{
	return db_int(d, id,
	              "SELECT id FROM users WHERE name = ?1 OR email = ?1 ORDER BY email = ?1 DESC LIMIT 1",
	              DB_ARGS(DB_T(who)));
}

int user_update(struct db *d, sqlite3_int64 id, const char *name, const char *email, const char *bio,
                char *err, size_t errsz)
{
	if (user_fields_check(name, email, bio, err, errsz) < 0 || user_name_rules(name, err, errsz) < 0 ||
	    user_clash(d, id, name, email, err, errsz) != 0)
		return -1;
	sqlite3_stmt *st = db_prep(d, "UPDATE users SET name = ?2, email = ?3, bio = ?4 WHERE id = ?1");
	if (!st)
		return snprintf(err, errsz, "sqlite: %s", db_errmsg(d)), -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, email, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, bio, -1, SQLITE_STATIC);
	int s = sqlite3_step(st), rc = -1;
	if (s == SQLITE_DONE)
		rc = 0;
	else if (s == SQLITE_CONSTRAINT_UNIQUE)
		snprintf(err, errsz, "another user has that name or email");
	else
		snprintf(err, errsz, "sqlite: %s", db_errmsg(d));
	sqlite3_reset(st);
	/* the author box and author page show the name and bio */
	if (rc == 0 && content_touch(d, time(NULL)) < 0)
		log_warn("user_update: user=%lld: cached pages may show the old name a while", (long long)id);
	return rc;
}

/* 1 when id is the only admin left, 0 when not, -1 on error. */
static int last_admin(struct db *d, sqlite3_int64 id)
{
	sqlite3_int64 others = 0, is = 0;
	if (db_int(d, &is, "SELECT role = 'admin' FROM users WHERE id = ?1", DB_ARGS(DB_I(id))) < 0 ||
	    db_int(d, &others, "SELECT count(*) FROM users WHERE role = 'admin' AND id <> ?1",
	           DB_ARGS(DB_I(id))) < 0)
		return -1;
	return is && others == 0;
}

int user_set_role(struct db *d, sqlite3_int64 id, const char *role, char *err, size_t errsz)
{
	if (!role_valid(role))
		return snprintf(err, errsz, "role must be '%s' or '%s'", ROLE_ADMIN, ROLE_AUTHOR), -1;
	if (db_begin(d) < 0)
		return snprintf(err, errsz, "sqlite: %s", db_errmsg(d)), -1;
	int last = strcmp(role, ROLE_ADMIN) ? last_admin(d, id) : 0;
	int rc = -1;
	if (last < 0)
		snprintf(err, errsz, "sqlite: %s", db_errmsg(d));
	else if (last)
		snprintf(err, errsz, "this is the last admin: make someone else an admin first");
	else if (db_run(d, "UPDATE users SET role = ?2 WHERE id = ?1", DB_ARGS(DB_I(id), DB_T(role))) < 0)
		snprintf(err, errsz, "sqlite: %s", db_errmsg(d));
	else
		rc = 0;
	if (rc == 0 && db_commit(d) < 0)
		return snprintf(err, errsz, "sqlite: %s", db_errmsg(d)), -1;
	if (rc < 0)
		db_rollback(d);
	return rc;
}

int user_delete(struct db *d, sqlite3_int64 id, sqlite3_int64 heir, time_t now, char *err, size_t errsz)
{
	(void)now;
	if (db_begin(d) < 0)
		return snprintf(err, errsz, "sqlite: %s", db_errmsg(d)), -1;
	int last = last_admin(d, id), rc = -1, n = 0;
	if (last < 0)
		snprintf(err, errsz, "sqlite: %s", db_errmsg(d));
	else if (last)
		snprintf(err, errsz, "this is the last admin: it cannot be deleted");
	else if (db_run(d, "UPDATE posts SET author_id = ?2 WHERE author_id = ?1",
	                DB_ARGS(DB_I(id), heir ? DB_I(heir) : DB_T(NULL))) < 0 ||
	         (n = db_run(d, "DELETE FROM users WHERE id = ?1", DB_ARGS(DB_I(id)))) < 0)
		snprintf(err, errsz, "sqlite: %s", db_errmsg(d));
	else if (n == 0)
		snprintf(err, errsz, "there is no such user");
	else
		rc = content_touch(d, time(NULL)) < 0 ? (snprintf(err, errsz, "sqlite: %s", db_errmsg(d)), -1)
		                                      : 0;
	if (rc == 0 && db_commit(d) < 0)
		return snprintf(err, errsz, "sqlite: %s", db_errmsg(d)), -1;
	if (rc < 0)
		db_rollback(d);
	return rc;
}

int user_set_photo(struct db *d, sqlite3_int64 id, const char *name, time_t now, char *old, size_t oldsz)
{
	(void)now;
	old[0] = '\0';
	if (db_str(d, old, oldsz, "SELECT photo FROM users WHERE id = ?1", DB_ARGS(DB_I(id))) < 0 ||
	    db_run(d, "UPDATE users SET photo = ?2 WHERE id = ?1", DB_ARGS(DB_I(id), DB_T(name))) < 0)
		return -1;
	return content_touch(d, time(NULL));
}

int user_photo(struct db *d, sqlite3_int64 id, char *out, size_t outsz)
{
	out[0] = '\0';
	return db_str(d, out, outsz, "SELECT photo FROM users WHERE id = ?1", DB_ARGS(DB_I(id))) < 0 ? -1 : 0;
}

int user_photo_by_email(struct db *d, const char *email, char *out, size_t outsz)
{
	out[0] = '\0';
	return db_str(d, out, outsz, "SELECT photo FROM users WHERE email = ?1", DB_ARGS(DB_T(email))) < 0
	           ? -1
	           : 0;
}

static void reset_hash(const char *token, unsigned char out[32])
{
	crypto_generichash(out, 32, (const unsigned char *)token, strlen(token), NULL, 0);
}

int reset_token_new(struct db *d, sqlite3_int64 id, time_t now, char token[RESET_TOKEN_CHARS])
{
	unsigned char raw[32], h[32];
	randombytes_buf(raw, sizeof raw);
	sodium_bin2base64(token, RESET_TOKEN_CHARS, raw, sizeof raw,
	                  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	reset_hash(token, h);
	sqlite3_stmt *st =
	    db_prep(d, "INSERT OR REPLACE INTO password_tokens(user_id, token_hash, expires_at, "
	               "created_at) VALUES(?1, ?2, ?3, ?4)");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_blob(st, 2, h, sizeof h, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 3, now + RESET_TTL);
	sqlite3_bind_int64(st, 4, now);
	int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
	sqlite3_reset(st);
	if (rc == 0 && db_run(d, "DELETE FROM password_tokens WHERE expires_at < ?1", DB_ARGS(DB_I(now))) < 0)
		log_warn("users: expired password links stay until the next one");
	return rc;
}

int reset_token_user(struct db *d, const char *token, time_t now, sqlite3_int64 *id)
{
	if (!token || strlen(token) != RESET_TOKEN_CHARS - 1)
		return 0;
	unsigned char h[32];
	reset_hash(token, h);
	sqlite3_stmt *st =
	    db_prep(d, "SELECT user_id FROM password_tokens WHERE token_hash = ?1 AND expires_at > ?2");
	if (!st)
		return -1;
	sqlite3_bind_blob(st, 1, h, sizeof h, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, now);
	int rc = sqlite3_step(st), found = rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
	if (found == 1)
		*id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return found;
}

int post_owner(struct db *d, sqlite3_int64 id, sqlite3_int64 *author, bool *is_page)
{
	sqlite3_stmt *st =
	    db_prep(d, "SELECT coalesce(author_id, 0), kind = 'page' FROM posts WHERE id = ?1");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st), found = rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
	if (found == 1) {
		*author = sqlite3_column_int64(st, 0);
		*is_page = sqlite3_column_int(st, 1) != 0;
	}
	sqlite3_reset(st);
	return found;
}

int comment_owner(struct db *d, sqlite3_int64 id, sqlite3_int64 *author)
{
	*author = 0;
	int rc = db_int(d, author,
	                "SELECT coalesce(p.author_id, 0) FROM comments c JOIN posts p ON p.id = c.post_id "
	                "WHERE c.id = ?1",
	                DB_ARGS(DB_I(id)));
	return rc;
}

int user_photo_named(struct db *d, const char *name)
{
	sqlite3_int64 n = 0;
	return db_int(d, &n, "SELECT count(*) FROM users WHERE photo = ?1", DB_ARGS(DB_T(name))) < 0 ? -1
	                                                                                             : n > 0;
}
