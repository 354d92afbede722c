/* h_admin_forgot: "Forgot password?" and the set-password link. The answer to a request never
 * says whether the account exists; requests are limited per address and per account. */
#include <stdio.h>
#include <string.h>

#include "auth.h"
#include "form.h"
#include "handlers.h"
#include "log.h"
#include "outbox.h"
#include "rate.h"
#include "site.h"
#include "user_access.h"
#include "users.h"

#define FORGOT_WHO_MAX 254    /* characters of a name or an email */
#define FORGOT_WINDOW 3600    /* seconds the limits below count over */
#define FORGOT_PER_ADDRESS 10 /* requests from one address in the window */
#define FORGOT_PER_ACCOUNT 3  /* links asked for one name or email in the window */
#define FORGOT_ANSWER                                                                                        \
	"If that account exists, a link to set a new password is on its way. It works for one hour."

static void forgot_page(struct req *q, struct resp *r, int status, const char *who, const char *notice,
                        const char *error)
{
	struct tobj *ctx = page_ctx(q, "Forgot your password?");
	tset_str(ctx, "who", who);
	tset_str(ctx, "notice", notice);
	tset_str(ctx, "error", error);
	tset_bool(ctx, "noindex", true);
	r->status = status;
	page_render(q, r, "admin_forgot", ctx);
}

void h_admin_forgot_form(struct req *q, struct resp *r)
{
	forgot_page(q, r, 200, "", NULL, NULL);
}

int password_link_send(struct db *db, sqlite3_int64 id, time_t now)
{
	char token[RESET_TOKEN_CHARS], email[320] = "";
	if (db_begin(db) < 0)
		return -1;
	int rc = user_email(db, id, email, sizeof email);
	if (rc == 1 && reset_token_new(db, id, now, token) == 0 &&
	    outbox_add(db, "password", email, id, token, now) >= 0 && db_commit(db) == 0)
		return 0;
	db_rollback(db);
	return -1;
}

void h_admin_forgot(struct req *q, struct resp *r)
{
	static const struct field_spec fields[] = {{"who", FIELD_LINE, FORGOT_WHO_MAX, FIELD_REQUIRED}};
	struct field_val v[1];
	if (form_read(q->form, fields, 1, v) >= 0)
		return forgot_page(q, r, 422, v[0].s, NULL,
		                   "Enter the name or email address of your account.");
	struct db *db = &q->w->db;
	/* an account is counted as itself, whichever of its name or email was typed */
	sqlite3_int64 id = 0;
	int found = user_find(db, v[0].s, &id);
	if (found < 0)
		return page_error(q, r, 500, "Something went wrong on our side; it has been logged.");
	char kip[200], kwho[400];
	rate_key(kip, sizeof kip, "forgot-ip:", q->remote_addr);
	rate_key(kwho, sizeof kwho,
	         "forgot-user:", found == 1 ? arena_printf(q->a, "#%lld", (long long)id) : v[0].s);
	long wip = rate_wait(db, kip, q->now, FORGOT_WINDOW, FORGOT_PER_ADDRESS);
	long wwho = rate_wait(db, kwho, q->now, FORGOT_WINDOW, FORGOT_PER_ACCOUNT);
	if (wip < 0 || wwho < 0)
		return page_error(q, r, 500, "Something went wrong on our side; it has been logged.");
	if (wip > 0 || wwho > 0) {
		long wait = wip > wwho ? wip : wwho;
		log_audit("audit: action=forgot-limited who=%s ip=%s wait=%ld", v[0].s, q->remote_addr, wait);
		resp_header(r, "Retry-After", arena_printf(q->a, "%ld", wait));
		return forgot_page(
		    q, r, 429, v[0].s, NULL,
		    arena_printf(q->a,
		                 "Too many requests for a new password. Wait %ld minutes and try again.",
		                 (wait + 59) / 60));
	}
	/* the same work and the same words whether or not the account exists */
	if (rate_add(db, kip, q->now) < 0 || rate_add(db, kwho, q->now) < 0)
		return page_error(q, r, 500, "Something went wrong on our side; it has been logged.");
	if (found == 1 && password_link_send(db, id, q->now) < 0)
		return page_error(q, r, 500, "Something went wrong on our side; it has been logged.");
	log_audit("audit: action=forgot user=%lld ip=%s", (long long)(found == 1 ? id : 0), q->remote_addr);
	forgot_page(q, r, 200, "", FORGOT_ANSWER, NULL);
}

static void reset_page(struct req *q, struct resp *r, int status, const char *token, const char *error)
{
	struct tobj *ctx = page_ctx(q, "Choose a new password");
	tset_str(ctx, "token", token);
	tset_str(ctx, "error", error);
	tset_int(ctx, "password_min", PASSWORD_MIN);
	tset_bool(ctx, "noindex", true);
	r->status = status;
	page_render(q, r, "admin_reset", ctx);
}

static void link_dead(struct req *q, struct resp *r)
{
	struct tobj *ctx = page_ctx(q, "This link no longer works");
	tset_str(ctx, "token", "");
	tset_bool(ctx, "dead", true);
	tset_str(ctx, "error", NULL);
	tset_int(ctx, "password_min", PASSWORD_MIN);
	tset_bool(ctx, "noindex", true);
	r->status = 410;
	page_render(q, r, "admin_reset", ctx);
}

void h_admin_reset_form(struct req *q, struct resp *r)
{
	char *token = NULL;
	sqlite3_int64 id = 0;
	if (query_get(q->a, q->query, "token", RESET_TOKEN_CHARS, &token) != 1)
		token = "";
	int ok = reset_token_user(&q->w->db, token, q->now, &id);
	if (ok < 0)
		return page_error(q, r, 500, "Something went wrong on our side; it has been logged.");
	/* the token is in the address: no other site learns it through a Referer */
	resp_header(r, "Referrer-Policy", "no-referrer");
	if (ok == 0)
		return link_dead(q, r);
	reset_page(q, r, 200, token, NULL);
}

void h_admin_reset(struct req *q, struct resp *r)
{
	static const struct field_spec fields[] = {
	    {"token", FIELD_LINE, RESET_TOKEN_CHARS, 0},
	    {"password", FIELD_TEXT, PASSWORD_MAX, 0},
	    {"password2", FIELD_TEXT, PASSWORD_MAX, 0},
	};
	struct field_val v[3];
	form_read(q->form, fields, 3, v);
	struct db *db = &q->w->db;
	sqlite3_int64 id = 0;
	int ok = v[0].err == FIELD_GOOD ? reset_token_user(db, v[0].s, q->now, &id) : 0;
	if (ok < 0)
		return page_error(q, r, 500, "Something went wrong on our side; it has been logged.");
	resp_header(r, "Referrer-Policy", "no-referrer");
	if (ok == 0)
		return link_dead(q, r);
	char err[200];
	if (v[1].err != FIELD_GOOD || strcmp(v[1].s, v[2].s) != 0)
		return reset_page(q, r, 422, v[0].s, "The two passwords differ: type the same one twice.");
	/* argon2 takes a while: hashed before the write lock is taken */
	char hash[PASSWORD_HASH_SIZE];
	if (user_hash_password(v[1].s, hash, err, sizeof err) < 0)
		return reset_page(q, r, 422, v[0].s,
		                  arena_printf(q->a, "The password was not changed: %s.", err));
	if (db_begin(db) < 0)
		return page_error(q, r, 500, "Something went wrong on our side; it has been logged.");
	/* the token again, inside the transaction: two tabs cannot both use it */
	sqlite3_int64 again = 0;
	ok = reset_token_user(db, v[0].s, q->now, &again);
	if (ok != 1 || again != id) {
		db_rollback(db);
		return ok < 0 ? page_error(q, r, 500, "Something went wrong on our side; it has been logged.")
		              : link_dead(q, r);
	}
	if (user_set_hash(db, id, hash, err, sizeof err) < 0 || sessions_end(db, id, NULL) < 0 ||
	    db_commit(db) < 0) {
		db_rollback(db);
		return page_error(q, r, 500, "Something went wrong on our side; it has been logged.");
	}
	log_audit("audit: user=%lld action=password-reset ip=%s", (long long)id, q->remote_addr);
	resp_redirect(r, 303, "/admin/login?reset=1");
}
