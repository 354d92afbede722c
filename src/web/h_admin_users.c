/* h_admin_users: the admin's list of users: add an author (who gets a set-password link by
 * mail), change a role (never the last admin's), send a link, set a password, delete. */
#include <stdio.h>
#include <string.h>

#include "auth.h"
#include "form.h"
#include "handlers.h"
#include "log.h"
#include "site.h"
#include "text.h"
#include "timefmt.h"
#include "user_access.h"
#include "users.h"

#define USER_EMAIL_MAX 254 /* bytes */

static void server_error(struct req *q, struct resp *r)
{
	page_error(q, r, 500, "Something went wrong on our side; it has been logged.");
}

static const char *done_notice(struct req *q)
{
	static const char *const notes[][2] = {
	    {"added", "The user was added: a link to set their password is on its way to them."},
	    {"role", "The role was changed."},
	    {"link", "A link to set a new password was mailed (any earlier link stopped working)."},
	    {"password", "The password was set, and every session of that user has ended."},
	    {"deleted", "The user was deleted; their posts are now yours."},
	};
	char *v = NULL;
	if (query_get(q->a, q->query, "done", 10, &v) != 1)
		return NULL;
	for (size_t i = 0; i < sizeof notes / sizeof notes[0]; i++)
		if (strcmp(v, notes[i][0]) == 0)
			return notes[i][1];
	return NULL;
}

/* The list, with the add form holding what was typed (f: NULL for an empty one). */
static void users_page(struct req *q, struct resp *r, int status, const struct field_val *f,
                       const char *error)
{
	struct user_info *u = NULL;
	long n = users_list(&q->w->db, q->a, &u);
	if (n < 0)
		return server_error(q, r);
	struct tobj *ctx = page_ctx(q, "Users");
	struct tlist *l = tset_list(ctx, "users");
	for (long i = 0; i < n; i++) {
		struct tobj *o = tlist_add(l);
		char when[TIME_BUFSZ] = "never";
		if (u[i].last_login)
			time_ymd(u[i].last_login, when);
		tset_int(o, "id", u[i].id);
		tset_str(o, "name", u[i].name);
		tset_str(o, "email", u[i].email);
		tset_str(o, "role", u[i].role);
		tset_bool(o, "is_admin", strcmp(u[i].role, ROLE_ADMIN) == 0);
		tset_bool(o, "is_me", u[i].id == q->session->user_id);
		tset_int(o, "posts", u[i].posts);
		tset_str(o, "last_login", when);
		struct buf url = BUF_INIT;
		buf_adds(&url, "/authors/");
		esc_url(&url, u[i].slug, strlen(u[i].slug));
		tset_str(o, "url", buf_cstr(&url));
		buf_free(&url);
	}
	tset_str(ctx, "notice", done_notice(q));
	tset_str(ctx, "error", error);
	tset_str(ctx, "new_name", f ? f[0].s : "");
	tset_str(ctx, "new_email", f ? f[1].s : "");
	tset_str(ctx, "new_bio", f ? f[2].s : "");
	tset_bool(ctx, "new_admin", f && strcmp(f[3].s, ROLE_ADMIN) == 0);
	tset_int(ctx, "password_min", PASSWORD_MIN);
	r->status = status;
	page_render(q, r, "admin_users", ctx);
}

void h_admin_users(struct req *q, struct resp *r)
{
	users_page(q, r, 200, NULL, NULL);
}

void h_admin_user_add(struct req *q, struct resp *r)
{
	static const struct field_spec fields[] = {
	    {"name", FIELD_LINE, USER_NAME_MAX, FIELD_REQUIRED},
	    {"email", FIELD_EMAIL, USER_EMAIL_MAX, FIELD_REQUIRED},
	    {"bio", FIELD_TEXT, USER_BIO_MAX, 0},
	    {"role", FIELD_LINE, 10, 0},
	};
	struct field_val v[4];
	int bad = form_read(q->form, fields, 4, v);
	if (bad >= 0)
		return users_page(q, r, 422, v,
		                  bad == 0 ? "Give the new user a name (up to 100 characters)."
		                  : bad == 1
		                      ? "Give the new user a valid email address: their link goes there."
		                      : "The bio is too long or holds control characters.");
	const char *role = *v[3].s ? v[3].s : ROLE_AUTHOR;
	char err[200];
	struct db *db = &q->w->db;
	if (db_begin(db) < 0)
		return server_error(q, r);
	sqlite3_int64 id = user_invite(db, v[0].s, v[1].s, v[2].s, role, q->now, err, sizeof err);
	if (id < 0) {
		db_rollback(db);
		if (strncmp(err, "sqlite", 6) == 0)
			return server_error(q, r);
		return users_page(q, r, 422, v, arena_printf(q->a, "The user was not added: %s.", err));
	}
	if (db_commit(db) < 0 || password_link_send(db, id, q->now) < 0)
		return server_error(q, r);
	log_audit("audit: user=%lld action=user-add id=%lld role=%s email=%s", (long long)q->session->user_id,
	          (long long)id, role, v[1].s);
	resp_redirect(r, 303, "/admin/users?done=added");
}

/* The user of the path: 1 and *id, or 0 after answering 404/500. */
static int user_of_path(struct req *q, struct resp *r, struct user_info *u)
{
	sqlite3_int64 id = id_parse(q->params[0]);
	int found = id ? user_get(&q->w->db, q->a, id, u) : 0;
	if (found < 0)
		server_error(q, r);
	else if (found == 0)
		page_error(q, r, 404, "There is no such user.");
	return found == 1;
}

void h_admin_user_action(struct req *q, struct resp *r)
{
	struct user_info u;
	if (!user_of_path(q, r, &u))
		return;
	struct db *db = &q->w->db;
	const char *action = form_get(q->form, "action"), *done = NULL;
	char err[200] = "";
	action = action ? action : "";
	if (strcmp(action, "role") == 0) {
		const char *role = form_get(q->form, "role");
		if (user_set_role(db, u.id, role ? role : "", err, sizeof err) == 0)
			done = "role";
	} else if (strcmp(action, "link") == 0) {
		if (password_link_send(db, u.id, q->now) < 0)
			return server_error(q, r);
		done = "link";
	} else if (strcmp(action, "password") == 0) {
		const char *pw = form_get(q->form, "password");
		char hash[PASSWORD_HASH_SIZE];
		/* argon2 takes a while: hashed before the write lock is taken */
		if (user_hash_password(pw ? pw : "", hash, err, sizeof err) == 0) {
			if (db_begin(db) < 0)
				return server_error(q, r);
			if (user_set_hash(db, u.id, hash, err, sizeof err) == 0 &&
			    sessions_end(db, u.id,
			                 u.id == q->session->user_id
			                     ? cookie_get(q->a, q->cookie, SESSION_COOKIE)
			                     : NULL) == 0 &&
			    db_commit(db) == 0)
				done = "password";
			else
				db_rollback(db);
			if (!done && !err[0])
				snprintf(err, sizeof err, "sqlite: %s", db_errmsg(db));
		}
	} else {
		snprintf(err, sizeof err, "unknown action");
	}
	if (!done) {
		if (strncmp(err, "sqlite", 6) == 0)
			return server_error(q, r);
		return users_page(q, r, 422, NULL,
		                  arena_printf(q->a, "%s: nothing was changed: %s.", u.name, err));
	}
	log_audit("audit: user=%lld action=user-%s id=%lld%s%s", (long long)q->session->user_id, done,
	          (long long)u.id, strcmp(done, "role") ? "" : " role=",
	          strcmp(done, "role") ? "" : form_get(q->form, "role"));
	resp_redirect(r, 303, arena_printf(q->a, "/admin/users?done=%s", done));
}

void h_admin_user_delete_form(struct req *q, struct resp *r)
{
	struct user_info u;
	if (!user_of_path(q, r, &u))
		return;
	struct tobj *ctx = page_ctx(q, "Delete user");
	tset_str(ctx, "name", u.name);
	tset_int(ctx, "id", u.id);
	tset_int(ctx, "posts", u.posts);
	tset_bool(ctx, "is_me", u.id == q->session->user_id);
	page_render(q, r, "admin_user_delete", ctx);
}

void h_admin_user_delete(struct req *q, struct resp *r)
{
	struct user_info u;
	if (!user_of_path(q, r, &u))
		return;
	if (u.id == q->session->user_id)
		return users_page(q, r, 422, NULL,
		                  "You cannot delete your own account here: another admin can.");
	char err[200];
	/* their posts stay on the site, under the admin who deleted them */
	if (user_delete(&q->w->db, u.id, q->session->user_id, q->now, err, sizeof err) < 0) {
		if (strncmp(err, "sqlite", 6) == 0)
			return server_error(q, r);
		return users_page(q, r, 422, NULL,
		                  arena_printf(q->a, "%s was not deleted: %s.", u.name, err));
	}
	log_audit("audit: user=%lld action=user-delete id=%lld posts=%lld heir=%lld",
	          (long long)q->session->user_id, (long long)u.id, u.posts, (long long)q->session->user_id);
	resp_redirect(r, 303, "/admin/users?done=deleted");
}
