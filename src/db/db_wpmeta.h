/* db_wpmeta: what a WordPress blog knew besides its posts' text: pinned (sticky) posts and the
 * logins of imported authors (their old /author/LOGIN/ addresses). */
#ifndef QUIRE_DB_WPMETA_H
#define QUIRE_DB_WPMETA_H
#include <sqlite3.h>
#include <stdbool.h>
#include <time.h>

#include "arena.h"
#include "db.h"

/* Pins post to the top of the home page or unpins it; writes only when it changes (so a
 * re-import leaves the post and the render cache alone), and then records the change for
 * Last-Modified (content_touch). 0, or -1 on error. */
int db_post_sticky_set(struct db *d, sqlite3_int64 post, bool sticky, time_t now);
/* Whether post is pinned: 1 yes, 0 no (or no such post), -1 error. */
int db_post_sticky(struct db *d, sqlite3_int64 post);
/* Remembers that login (WordPress's author login or nicename, any case) was user's; 0 or -1. */
int db_author_login_set(struct db *d, const char *login, sqlite3_int64 user);
/* The slug of the user that had login on the old site: 1 (slug set), 0 none, -1 error. */
int db_author_by_login(struct db *d, const char *login, struct arena *a, char **slug);

#endif
