/* users: authors and admins: creation, password hashing (argon2id) and lookups. */
#ifndef QUIRE_USERS_H
#define QUIRE_USERS_H
#include <stddef.h>
#include <time.h>

#include "db.h"

#define USER_NAME_MAX 100  /* characters */
#define USER_BIO_MAX 2000  /* characters */
#define PASSWORD_MIN 8     /* bytes */
#define PASSWORD_MAX 1024  /* bytes */
#define USER_HASH_BYTES 32 /* bytes of an argon2id hash as libsodium stores it */

/* Creates a user; -1 with a reason in err (bad field, name or email taken). */
int user_add(struct db *d, const char *name, const char *email, const char *bio, const char *password,
             time_t now, char *err, size_t errsz);
/* Creates a user no password opens (an imported author) until `quire user passwd` sets one; its
 * stored hash costs a login check what a real one does. -1 with err. */
int user_add_locked(struct db *d, const char *name, const char *email, const char *bio, time_t now, char *err,
                    size_t errsz);
/* Sets the password of the user with that name or email; -1 with err. */
int user_passwd(struct db *d, const char *who, const char *password, char *err, size_t errsz);
/* Checks a password's length and encoding; -1 with err. */
int password_check(const char *password, char *err, size_t errsz);

#endif
