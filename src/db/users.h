/* users: authors and admins: creation, password hashing (argon2id) and lookups. */
#ifndef QUIRE_USERS_H
#define QUIRE_USERS_H
#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "arena.h"
#include "db.h"

#define USER_NAME_MAX 100      /* characters */
#define USER_BIO_MAX 2000      /* characters */
#define PASSWORD_MIN 8         /* bytes */
#define PASSWORD_MAX 1024      /* bytes */
#define USER_HASH_BYTES 32     /* bytes of an argon2id hash as libsodium stores it */
#define PASSWORD_HASH_SIZE 128 /* crypto_pwhash_STRBYTES: a stored hash string with its NUL */

#define ROLE_ADMIN "admin"   /* everything */
#define ROLE_AUTHOR "author" /* their own posts, and the comments on them */
#define RESET_TTL 3600       /* seconds a set-password link works */
#define RESET_TOKEN_CHARS 44 /* base64url of 32 bytes, with its NUL */

/* True when role is one of ROLE_ADMIN, ROLE_AUTHOR. */
bool role_valid(const char *role);
/* Creates a user with role; -1 with a reason in err (bad field, name or email taken). */
int user_add(struct db *d, const char *name, const char *email, const char *bio, const char *password,
             const char *role, time_t now, char *err, size_t errsz);
/* Creates a user no password opens, with role (someone the admin invites by a set-password
 * link): its id, or -1 with err. */
sqlite3_int64 user_invite(struct db *d, const char *name, const char *email, const char *bio,
                          const char *role, time_t now, char *err, size_t errsz);
/* Creates a user no password opens (an imported author) until `quire user passwd` sets one; its
 * stored hash costs a login check what a real one does. -1 with err. */
int user_add_locked(struct db *d, const char *name, const char *email, const char *bio, time_t now, char *err,
                    size_t errsz);
/* Sets the password of the user with that name or email (and ends their sessions); -1 with err. */
int user_passwd(struct db *d, const char *who, const char *password, char *err, size_t errsz);
/* What a name chosen in quire (not an imported author's) must also be: no '@', nothing invisible
 * or turning the text; -1 with err. */
int user_name_rules(const char *name, char *err, size_t errsz);
/* Whether another user than self (0: any) has this name or email as their name or email,
 * ignoring ASCII case: 1 (err says so), 0 not, -1 error. */
int user_clash(struct db *d, sqlite3_int64 self, const char *name, const char *email, char *err,
               size_t errsz);
/* Checks a user's name, email and bio; -1 with err. */
int user_fields_check(const char *name, const char *email, const char *bio, char *err, size_t errsz);
/* Hashes pw (checked first) into out, crypto_pwhash_STRBYTES bytes; -1 with err. */
int user_hash_password(const char *pw, char *out, char *err, size_t errsz);
/* Checks a password's length and encoding; -1 with err. */
int password_check(const char *password, char *err, size_t errsz);
/* Sets the password of user id and burns their set-password link (sessions: auth.h's
 * sessions_end); -1 with err (a bad password says why). Hashes first (about 0.1 s of argon2id):
 * inside a transaction, use user_hash_password before it and user_set_hash in it. */
int user_set_password(struct db *d, sqlite3_int64 id, const char *password, char *err, size_t errsz);
/* Stores hash (from user_hash_password) as the password of user id and burns their link; -1 with err. */
int user_set_hash(struct db *d, sqlite3_int64 id, const char *hash, char *err, size_t errsz);
/* Checks password against user id's: 1 matches, 0 not, -1 error. */
int user_password_ok(struct db *d, sqlite3_int64 id, const char *password);

/* A user as the admin's list and the profile show them (text in the arena). */
struct user_info {
	sqlite3_int64 id;
	const char *name, *email, *bio, *slug, *role, *photo;
	long long posts;   /* posts and pages they wrote */
	time_t last_login; /* 0: never */
	time_t created_at;
};
/* Every user, admins first then by name, as an arena array in *out: the count, or -1. */
long users_list(struct db *d, struct arena *a, struct user_info **out);
/* One user: 1 found, 0 not, -1 error. */
int user_get(struct db *d, struct arena *a, sqlite3_int64 id, struct user_info *out);
/* The email of user id into out: 1, 0 (no such user), -1. */
int user_email(struct db *d, sqlite3_int64 id, char *out, size_t outsz);
/* The id of the user with that name or email (as login_check finds it): 1, 0, -1. */
int user_find(struct db *d, const char *who, sqlite3_int64 *id);
/* Changes name, email and bio of user id (the slug stays: links to the author page keep working);
 * -1 with err. */
int user_update(struct db *d, sqlite3_int64 id, const char *name, const char *email, const char *bio,
                char *err, size_t errsz);
/* Changes the role of user id; -1 with err (never the last admin to author). */
int user_set_role(struct db *d, sqlite3_int64 id, const char *role, char *err, size_t errsz);
/* Deletes user id; their posts go to heir (0: no author). -1 with err (never the last admin). */
int user_delete(struct db *d, sqlite3_int64 id, sqlite3_int64 heir, time_t now, char *err, size_t errsz);
/* Stores the photo file name of user id ("" for none), the old name in old (oldsz bytes); -1 on error. */
int user_set_photo(struct db *d, sqlite3_int64 id, const char *name, time_t now, char *old, size_t oldsz);
/* The photo file name of the user with that email into out ("" for none or no such user): 0, or -1. */
int user_photo_by_email(struct db *d, const char *email, char *out, size_t outsz);
/* 1 when name is a user's photo (not a library image), 0 when not, -1 on error. */
int user_photo_named(struct db *d, const char *name);
/* The photo file name of user id into out ("" for none): 0, or -1 on error. */
int user_photo(struct db *d, sqlite3_int64 id, char *out, size_t outsz);

/* Makes a new set-password token of user id (replacing any earlier one, which stops working),
 * valid RESET_TTL seconds from now, and queues nothing: the caller mails token. -1 on error. */
int reset_token_new(struct db *d, sqlite3_int64 id, time_t now, char token[RESET_TOKEN_CHARS]);
/* The user a live token names: 1 and *id, 0 when the token is unknown, used or expired, -1 error. */
int reset_token_user(struct db *d, const char *token, time_t now, sqlite3_int64 *id);

/* Who may do what to a post or a comment: the author of post id into *author (0: none) and
 * whether it is a page: 1 found, 0 no such post, -1 error. */
int post_owner(struct db *d, sqlite3_int64 id, sqlite3_int64 *author, bool *is_page);
/* The author of the post comment id is on, like post_owner: 1, 0, -1. */
int comment_owner(struct db *d, sqlite3_int64 id, sqlite3_int64 *author);

#endif
