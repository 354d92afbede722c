/* h_subscribe: the subscribe box, double opt-in confirmation (GET shows a button, POST confirms)
 * and unsubscribe (GET shows a button; POST, including RFC 8058 one-click, unsubscribes). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commenter.h"
#include "form.h"
#include "handlers.h"
#include "log.h"
#include "site.h"
#include "subscribe.h"
#include "subscribers.h"
#include "text.h"

#define EMAIL_MAX 254          /* RFC 5321 path limit, as every address field */
#define ID_ARG_MAX 20          /* digits of any id, and then some */
#define TOKEN_ARG_MAX 100      /* longer than any confirmation token */
#define UNSUBSCRIBE_ARG_MAX 40 /* longer than any unsubscribe token */

static void server_error(struct req *q, struct resp *r)
{
	page_error(q, r, 500, "Something went wrong on our side; it has been logged.");
}

static void sub_page(struct req *q, struct resp *r, int status, const char *heading, const char *message,
                     struct tobj *ctx)
{
	if (!ctx)
		ctx = page_ctx(q, heading);
	tset_str(ctx, "heading", heading);
	tset_str(ctx, "message", message);
	tset_bool(ctx, "is_error", status >= 400);
	tset_bool(ctx, "noindex", true);
	tset_bool(ctx, "no_subscribe_box", true); /* the page is about subscribing already */
	r->status = status;
	page_render(q, r, "subscribe", ctx);
}

void h_subscribe_form(struct req *q, struct resp *r)
{
	struct tobj *ctx = page_ctx(q, "Subscribe");
	tset_bool(ctx, "retry", true);
	tset_str(ctx, "email", "");
	sub_page(q, r, 200, "Subscribe to Blog via Email",
	         "Enter your email address to subscribe to this blog and receive notifications of new posts "
	         "by email.",
	         ctx);
}

void h_subscribe(struct req *q, struct resp *r)
{
	struct db *db = &q->w->db;
	static const struct field_spec fields[] = {{"email", FIELD_EMAIL, EMAIL_MAX, FIELD_REQUIRED}};
	struct field_val v[1];
	form_read(q->form, fields, 1, v);
	const char *email = v[0].s;
	if (v[0].err != FIELD_GOOD) {
		struct tobj *ctx = page_ctx(q, "Subscribe");
		/* given back only when it is one clean line: the page shows it in the box again */
		tset_str(ctx, "email", field_ok(email, EMAIL_MAX, true) ? email : "");
		tset_bool(ctx, "retry", true);
		return sub_page(q, r, 422, "Subscribe", "Please enter a valid email address.", ctx);
	}
	if (db_begin(db) < 0)
		return server_error(q, r);
	bool limited = subscribe_limited(db, email, q->remote_addr, q->now);
	if (limited) {
		db_commit(db);
		resp_header(r, "Retry-After", "3600");
		return sub_page(
		    q, r, 429, "Too many requests",
		    "There were too many subscribe requests for this address or from your network. "
		    "Please try again in an hour.",
		    NULL);
	}
	if (subscriber_request(db, email, SUB_FORM, q->now) < 0 || db_commit(db) < 0) {
		db_rollback(db);
		return server_error(q, r);
	}
	/* the same answer whether or not the address was known: no enumeration */
	struct tobj *ctx = page_ctx(q, "Check your inbox");
	sub_page(q, r, 200, "Check your inbox to confirm",
	         "If this address can receive mail, a message with a confirmation link is on its way. "
	         "Nothing else is sent until you confirm.",
	         ctx);
}

/* The confirmation token of a POSTed form, else of the link's query. */
static const char *token_arg(struct req *q)
{
	static const struct field_spec fields[] = {{"token", FIELD_LINE, TOKEN_ARG_MAX, FIELD_RAW}};
	struct field_val v[1];
	char *t = NULL;
	if (q->form && form_get(q->form, "token")) {
		/* a token that is no clean line is no token of ours: unknown, as before */
		return form_read(q->form, fields, 1, v) < 0 ? v[0].s : "";
	}
	return query_get(q->a, q->query, "token", TOKEN_ARG_MAX, &t) == 1 ? t : NULL;
}

static void confirm_answer(struct req *q, struct resp *r, int state, const char *email, bool done_now)
{
	/* "Notify me of replies" alone is no blog subscription: the page says which it is */
	bool replies = state == CONFIRM_PENDING && subscriber_wants_posts(&q->w->db, email) == 0;
	switch (state) {
	case CONFIRM_PENDING:
		if (done_now) {
			/* no address: a reader's address is not for the access log's readers */
			log_info("subscribe: an address was confirmed%s", replies ? " (replies only)" : "");
			return sub_page(
			    q, r, 200, replies ? "Reply notifications are on" : "You are subscribed",
			    replies ? "Thank you: your address is confirmed. You will get a mail when "
			              "someone replies to your comments, never for new posts. Every "
			              "such mail has a link to stop them."
			            : "Thank you: your address is confirmed. You can unsubscribe from "
			              "any mail we send.",
			    NULL);
		}
		const char *title = replies ? "Confirm reply notifications" : "Confirm your subscription";
		struct tobj *ctx = page_ctx(q, title);
		tset_str(ctx, "confirm_token", token_arg(q));
		tset_str(ctx, "email", email);
		tset_bool(ctx, "for_replies", replies);
		return sub_page(q, r, 200, title, NULL, ctx);
	case CONFIRM_DONE:
		return sub_page(q, r, 200, "You are subscribed",
		                "This address is already confirmed. Nothing to do.", NULL);
	case CONFIRM_EXPIRED:
		return sub_page(q, r, 410, "This link has expired",
		                "Confirmation links work for 7 days. Subscribe again to get a new one.",
		                NULL);
	default:
		return sub_page(q, r, 404, "Unknown link",
		                "This confirmation link is not valid (or no longer).", NULL);
	}
}

void h_subscribe_confirm_form(struct req *q, struct resp *r)
{
	char email[256] = "";
	enum confirm_state st = subscriber_token_state(&q->w->db, token_arg(q), q->now, email);
	confirm_answer(q, r, st, email, false);
}

void h_subscribe_confirm(struct req *q, struct resp *r)
{
	char email[256] = "";
	int st = subscriber_confirm(&q->w->db, token_arg(q), q->now, email);
	if (st < 0)
		return server_error(q, r);
	if (st == CONFIRM_PENDING && strlen(email) <= 255) {
		/* this browser has just shown it reads mail to this address: the one cookie readers get,
		 * the proof that approves this commenter's next comments (README, "Comments") */
		char cookie[200];
		commenter_cookie(q->w->site, email, q->now, cookie, sizeof cookie);
		resp_header(r, "Set-Cookie", cookie);
	}
	confirm_answer(q, r, st, email, true);
}

/* id and token from the link's query (one-click POSTs keep the URL), or from a form. */
static sqlite3_int64 unsubscribe_args(struct req *q, const char **token)
{
	static const struct field_spec fields[] = {{"id", FIELD_ID, 0, FIELD_RAW},
	                                           {"token", FIELD_LINE, UNSUBSCRIBE_ARG_MAX, FIELD_RAW}};
	struct field_val v[2];
	char *id = NULL, *t = NULL;
	form_read(q->form, fields, 2, v);
	bool in_query = query_get(q->a, q->query, "id", ID_ARG_MAX, &id) == 1;
	sqlite3_int64 n = in_query ? id_parse(id) : v[0].id;
	*token = query_get(q->a, q->query, "token", UNSUBSCRIBE_ARG_MAX, &t) == 1 ? t
	         : q->form && form_get(q->form, "token")                          ? v[1].s
	                                                                          : NULL;
	return n;
}

/* The link of a test mail (id 0, made for an author who is no subscriber): true after
 * answering with what it is, instead of unsubscribing anybody. */
static bool sample_link(struct req *q, struct resp *r, const char *token)
{
	char *id = NULL;
	if (query_get(q->a, q->query, "id", ID_ARG_MAX, &id) != 1 || strcmp(id, "0") != 0 ||
	    !unsubscribe_token_ok(q->w->site, 0, token))
		return false;
	sub_page(q, r, 200, "Unsubscribe link of a test mail",
	         "This link came in a test mail. Each subscriber's mail carries a link of its own, which "
	         "unsubscribes that address at once.",
	         NULL);
	return true;
}

void h_unsubscribe_form(struct req *q, struct resp *r)
{
	const char *token;
	sqlite3_int64 id = unsubscribe_args(q, &token);
	if (!id && sample_link(q, r, token))
		return;
	if (!id || !unsubscribe_token_ok(q->w->site, id, token))
		return sub_page(q, r, 404, "Unknown link", "This unsubscribe link is not valid.", NULL);
	struct tobj *ctx = page_ctx(q, "Unsubscribe");
	tset_str(ctx, "unsubscribe_action",
	         arena_printf(q->a, "/unsubscribe?id=%lld&token=%s", (long long)id, token));
	sub_page(q, r, 200, "Unsubscribe",
	         "Press the button to stop all mail from this blog to your address.", ctx);
}

void h_unsubscribe(struct req *q, struct resp *r)
{
	const char *token;
	sqlite3_int64 id = unsubscribe_args(q, &token);
	if (!id && sample_link(q, r, token))
		return;
	int rc = id ? subscriber_unsubscribe(&q->w->db, q->w->site, id, token, q->now) : 0;
	if (rc < 0)
		return server_error(q, r);
	if (rc == 0)
		return sub_page(q, r, 404, "Unknown link", "This unsubscribe link is not valid.", NULL);
	sub_page(q, r, 200, "You are unsubscribed",
	         "No more mail will be sent to your address. You can subscribe again at any time.", NULL);
}
