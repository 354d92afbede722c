/* db_wpmeta: pinned posts and imported author logins (sql/014_sticky.sql). */
#include "db_wpmeta.h"

#include "db_posts.h"

#define AUTHOR_SLUG_COL_MAX 512 /* bytes of a user's slug copied by a lookup */

int db_post_sticky_set(struct db *d, sqlite3_int64 post, bool sticky, time_t now)
{
	int changed = db_run(d, "UPDATE posts SET sticky = ?2 WHERE id = ?1 AND sticky != ?2",
	                     DB_ARGS(DB_I(post), DB_I(sticky ? 1 : 0)));
	if (changed < 0)
		return -1;
	return changed > 0 ? content_touch(d, now) : 0;
}

int db_post_sticky(struct db *d, sqlite3_int64 post)
{
	sqlite3_int64 v = 0;
	int rc = db_int(d, &v, "SELECT sticky FROM posts WHERE id = ?1", DB_ARGS(DB_I(post)));
	return rc < 0 ? -1 : v != 0;
}

int db_author_login_set(struct db *d, const char *login, sqlite3_int64 user)
{
	return db_run(d,
	              "INSERT INTO author_logins(login, user_id) VALUES(?1, ?2) ON CONFLICT(login) "
	              "DO UPDATE SET user_id = excluded.user_id WHERE user_id != excluded.user_id",
	              DB_ARGS(DB_T(login), DB_I(user))) < 0
	           ? -1
	           : 0;
}

int db_author_by_login(struct db *d, const char *login, struct arena *a, char **slug)
{
	char buf[AUTHOR_SLUG_COL_MAX];
	int rc =
	    db_str(d, buf, sizeof buf,
	           "SELECT u.slug FROM author_logins l JOIN users u ON u.id = l.user_id WHERE l.login = ?1",
	           DB_ARGS(DB_T(login)));
	if (rc == 1 && !(*slug = arena_strdup(a, buf)))
		return -1;
	return rc;
}
