/* test_users: roles, the last admin, set-password tokens (hashed, one hour, single use, only the
 * newest), deletion keeping posts, and who owns a post or a comment (src/db/users*.c), in memory. */
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "auth.h"
#include "db.h"
#include "tap.h"
#include "users.h"

#define NOW 1800000000

static sqlite3_int64 num(struct db *d, const char *sql)
{
	sqlite3_int64 n = -1;
	db_int(d, &n, sql, DB_NOARGS);
	return n;
}

int main(void)
{
	struct db d;
	char err[256];
	struct arena a = {0};
	if (db_open(&d, ":memory:", DB_CREATE, err, sizeof err) < 0 || db_migrate(&d, err, sizeof err) < 0) {
		ok(0, "schema: %s", err);
		return tap_done();
	}
	ok(user_add(&d, "Ada", "ada@example.org", "", "ada password", ROLE_ADMIN, NOW, err, sizeof err) == 0,
	   "an admin is added");
	ok(user_add(&d, "Bob", "bob@example.org", "", "bob password", "owner", NOW, err, sizeof err) < 0 &&
	       strstr(err, "role"),
	   "an unknown role is refused: %s", err);
	sqlite3_int64 grace =
	    user_invite(&d, "Grace", "grace@example.org", "Bio.", ROLE_AUTHOR, NOW, err, sizeof err);
	ok(grace > 0, "an author is invited");
	ok(user_password_ok(&d, grace, "") == 0 && user_password_ok(&d, grace, "anything at all") == 0,
	   "an invited user has no password that works");
	sqlite3_int64 ada = 0;
	ok(user_find(&d, "ada@example.org", &ada) == 1 && ada > 0, "found by email");
	ok(user_set_role(&d, ada, ROLE_AUTHOR, err, sizeof err) < 0 && strstr(err, "last admin"),
	   "the last admin stays an admin");
	ok(user_delete(&d, ada, 0, NOW, err, sizeof err) < 0 && strstr(err, "last admin"),
	   "the last admin cannot be deleted");
	ok(user_set_role(&d, grace, ROLE_ADMIN, err, sizeof err) == 0 &&
	       user_set_role(&d, ada, ROLE_AUTHOR, err, sizeof err) == 0,
	   "with a second admin, the first may become an author");
	ok(user_set_role(&d, ada, ROLE_ADMIN, err, sizeof err) == 0 &&
	       user_set_role(&d, grace, ROLE_AUTHOR, err, sizeof err) == 0,
	   "and roles go back");

	/* tokens */
	char t1[RESET_TOKEN_CHARS], t2[RESET_TOKEN_CHARS];
	sqlite3_int64 who = 0;
	ok(reset_token_new(&d, grace, NOW, t1) == 0 && strlen(t1) == RESET_TOKEN_CHARS - 1,
	   "a token is made");
	ok(reset_token_user(&d, t1, NOW + 10, &who) == 1 && who == grace, "it names its user");
	ok(num(&d, "SELECT count(*) FROM password_tokens WHERE length(token_hash) = 32") == 1,
	   "stored as a hash");
	ok(reset_token_user(&d, t1, NOW + RESET_TTL, &who) == 0, "it expires after an hour");
	ok(reset_token_new(&d, grace, NOW, t2) == 0 && reset_token_user(&d, t1, NOW, &who) == 0 &&
	       reset_token_user(&d, t2, NOW, &who) == 1,
	   "a newer token replaces the older one");
	ok(reset_token_user(&d, "short", NOW, &who) == 0, "a malformed token names nobody");
	ok(user_set_password(&d, grace, "grace password", err, sizeof err) == 0 &&
	       reset_token_user(&d, t2, NOW, &who) == 0,
	   "setting the password burns the token");
	ok(user_password_ok(&d, grace, "grace password") == 1 &&
	       user_password_ok(&d, grace, "nope nope") == 0,
	   "the new password works, others do not");
	ok(user_set_password(&d, grace, "short", err, sizeof err) < 0, "a short password is refused");

	/* sessions */
	char s1[TOKEN_CHARS], s2[TOKEN_CHARS];
	struct session ses;
	ok(session_create(&d, grace, NOW, s1) == 0 && session_create(&d, grace, NOW, s2) == 0,
	   "two sessions");
	ok(session_lookup(&d, s1, NOW, &ses) == 1 && !ses.is_admin, "the session knows an author");
	ok(sessions_end(&d, grace, s1) == 0 && session_lookup(&d, s1, NOW, &ses) == 1 &&
	       session_lookup(&d, s2, NOW, &ses) == 0,
	   "sessions_end keeps only the one asked for");
	ok(sessions_end(&d, grace, NULL) == 0 && session_lookup(&d, s1, NOW, &ses) == 0, "or none");
	ok(num(&d, "SELECT last_login FROM users WHERE name = 'Grace'") == NOW,
	   "a session records the last login");

	/* ownership, deletion */
	db_run(&d,
	       "INSERT INTO posts(slug, title, body_md, body_html, author_id, published_at, created_at, "
	       "updated_at) "
	       "VALUES('g', 'G', '', '', ?1, 0, 0, 0)",
	       DB_ARGS(DB_I(grace)));
	sqlite3_int64 post = num(&d, "SELECT id FROM posts WHERE slug = 'g'"), author = 0;
	bool is_page = true;
	ok(post_owner(&d, post, &author, &is_page) == 1 && author == grace && !is_page, "post_owner");
	ok(post_owner(&d, post + 100, &author, &is_page) == 0, "no such post");
	db_run(
	    &d,
	    "INSERT INTO comments(post_id, author_name, author_email, body, body_html, status, created_at) "
	    "VALUES(?1, 'R', 'r@example.org', 'x', 'x', 'approved', 0)",
	    DB_ARGS(DB_I(post)));
	sqlite3_int64 c = num(&d, "SELECT max(id) FROM comments");
	ok(c > 0 && comment_owner(&d, c, &author) == 1 && author == grace, "comment_owner: %s",
	   db_errmsg(&d));
	struct user_info *list = NULL;
	long n = users_list(&d, &a, &list);
	ok(n == 2 && strcmp(list[0].role, ROLE_ADMIN) == 0 && list[1].posts == 1,
	   "the list: admins first, posts");
	ok(user_set_photo(&d, grace, "0123.png", NOW, err, sizeof err) == 0 && strcmp(err, "") == 0,
	   "a photo");
	char photo[64];
	ok(user_photo_by_email(&d, "GRACE@example.org", photo, sizeof photo) == 0 &&
	       strcmp(photo, "0123.png") == 0,
	   "found by email, any case");
	ok(user_delete(&d, grace, ada, NOW, err, sizeof err) == 0, "an author is deleted");
	ok(num(&d, "SELECT author_id FROM posts WHERE slug = 'g'") == ada,
	   "their post now belongs to the heir");
	ok(num(&d, "SELECT count(*) FROM password_tokens") == 0, "their tokens are gone");
	arena_free(&a);
	db_close(&d);
	return tap_done();
}
