/* h_admin: logging in and out, and the dashboard. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "admin_view.h"
#include "auth.h"
#include "comment_view.h"
#include "db_admin.h"
#include "db_comments.h"
#include "db_dashboard.h"
#include "db_stats.h"
#include "post_view.h"
#include "stats.h"
#include "text.h"
#include "timefmt.h"
#include "form.h"
#include "handlers.h"
#include "log.h"
#include "site.h"

#define LOGIN_NAME_MAX 254      /* characters */
#define LOGIN_PASSWORD_MAX 1024 /* bytes: the hash's cost stays bounded */
#define LOGIN_NEXT_MAX 300      /* characters of the page to go back to */
#define DASH_DAYS 7             /* days of views on the dashboard */
#define DASH_LINE_CHARS 120     /* characters of a waiting comment's first line */

/* The login form, read as typed: a name is looked up as it was sent (never trimmed), and any
 * password is tried, so only the name's form and the password's length are refused. */
enum { F_NAME, F_PASSWORD, F_NEXT, F_COUNT };
static const struct field_spec login_fields[F_COUNT] = {
    [F_NAME] = {"name", FIELD_LINE, LOGIN_NAME_MAX, FIELD_RAW},
    [F_PASSWORD] = {"password", FIELD_TEXT, LOGIN_PASSWORD_MAX, 0},
    [F_NEXT] = {"next", FIELD_LINE, LOGIN_NEXT_MAX, FIELD_RAW},
};

/* Only a local admin path may follow a login: never another host. */
static const char *safe_next(const char *next)
{
	if (!next || strncmp(next, "/admin/", 7) != 0 || strstr(next, "//") || strchr(next, '\\'))
		return "/admin/";
	return next;
}

static void login_page(struct req *q, struct resp *r, int status, const char *who, const char *next,
                       const char *error)
{
	struct tobj *ctx = page_ctx(q, "Log in");
	tset_str(ctx, "who", who);
	tset_str(ctx, "next", safe_next(next));
	tset_str(ctx, "error", error);
	char *reset = NULL;
	tset_str(ctx, "notice",
	         query_get(q->a, q->query, "reset", 4, &reset) == 1
	             ? "Your password is set, and every earlier session of the account has ended. Log in."
	             : NULL);
	tset_bool(ctx, "noindex", true);
	r->status = status;
	page_render(q, r, "admin_login", ctx);
}

void h_admin_login_form(struct req *q, struct resp *r)
{
	char *next = NULL;
	if (query_get(q->a, q->query, "next", LOGIN_NEXT_MAX, &next) < 0)
		next = NULL;
	login_page(q, r, 200, "", next, NULL);
}

/* A browser's login form from this site sends an Origin of this very host (or none at all):
 * anything else is another site trying to log this browser into an account of its choosing. */
static bool same_origin(const struct req *q)
{
	if (!q->origin || !*q->origin)
		return true;
	const char *p = strstr(q->origin, "://");
	return p && q->host && *q->host && strcasecmp(p + 3, q->host) == 0;
}

/* 429 for a client that failed too often (auth.h): says how long, in Retry-After and in words. */
static void locked_page(struct req *q, struct resp *r, const char *who, const char *next, long wait)
{
	log_audit("audit: action=login-locked who=%s ip=%s wait=%ld", who, q->remote_addr, wait);
	resp_header(r, "Retry-After", arena_printf(q->a, "%ld", wait));
	long min = (wait + 59) / 60;
	login_page(
	    q, r, 429, who, next,
	    arena_printf(q->a, "Too many failed attempts from your network. Wait %ld minute%s and try again.",
	                 min, min == 1 ? "" : "s"));
}

void h_admin_login(struct req *q, struct resp *r)
{
	if (!same_origin(q)) {
		log_audit("audit: action=login-cross-site origin=%s", q->origin);
		return page_error(q, r, 403, "This login form was sent from another site.");
	}
	struct db *db = &q->w->db;
	struct field_val f[F_COUNT];
	form_read(q->form, login_fields, F_COUNT, f);
	/* a name with bytes that are not UTF-8 is tried (as U+FFFD) and fails as a wrong one */
	bool name_ok = f[F_NAME].err == FIELD_GOOD || f[F_NAME].err == FIELD_BAD_UTF8;
	const char *who = f[F_NAME].s, *pw = f[F_PASSWORD].s;
	const char *next = f[F_NEXT].s; /* whatever it says, safe_next keeps it on this site */
	if (!f[F_NAME].on || !f[F_PASSWORD].on || !name_ok || strlen(pw) > LOGIN_PASSWORD_MAX)
		return login_page(q, r, 422, name_ok ? who : "", next,
		                  "Enter your name (or email) and password.");
	long wait = login_locked(db, who, q->remote_addr, q->now);
	if (wait < 0)
		return page_error(q, r, 500, "Something went wrong on our side; it has been logged.");
	if (wait > 0)
		return locked_page(q, r, who, next, wait);
	sqlite3_int64 user = 0;
	int ok = login_check(db, who, pw, &user);
	if (ok < 0)
		return page_error(q, r, 500, "Something went wrong on our side; it has been logged.");
	if (ok == 0) {
		/* a failure that cannot be counted must not answer differently from a right password
		 * (which could not start a session either): both are 503, so a held lock gives no
		 * free guesses */
		if (login_failed(db, who, q->remote_addr, q->now) < 0) {
			log_msg("login: failure of %s from %s could not be counted", who, q->remote_addr);
			return page_error(q, r, 500, "Something went wrong on our side; it has been logged.");
		}
		log_audit("audit: action=login-failed who=%s ip=%s", who, q->remote_addr);
		return login_page(q, r, 401, who, next, "Wrong name or password.");
	}
	char token[TOKEN_CHARS];
	if (session_create(db, user, q->now, token) < 0)
		return page_error(q, r, 500, "Something went wrong on our side; it has been logged.");
	login_succeeded(db, who, q->remote_addr);
	log_audit("audit: user=%lld action=login ip=%s", (long long)user, q->remote_addr);
	char cookie[200];
	snprintf(cookie, sizeof cookie, "%s=%s; Path=/admin; Max-Age=%d; HttpOnly; SameSite=Lax%s",
	         SESSION_COOKIE, token, SESSION_TTL, q->w->site->secure_cookies ? "; Secure" : "");
	resp_header(r, "Set-Cookie", cookie);
	resp_redirect(r, 303, safe_next(next));
}

void h_admin_logout(struct req *q, struct resp *r)
{
	/* a session that could not be deleted stays valid: say so instead of pretending */
	if (session_delete(&q->w->db, cookie_get(q->a, q->cookie, SESSION_COOKIE)) < 0)
		return page_error(q, r, 500, "Logging out failed: your session is still open. Try again.");
	log_audit("audit: user=%lld action=logout", (long long)q->session->user_id);
	char cookie[128];
	snprintf(cookie, sizeof cookie, "%s=; Path=/admin; Max-Age=0; HttpOnly; SameSite=Lax%s",
	         SESSION_COOKIE, q->w->site->secure_cookies ? "; Secure" : "");
	resp_header(r, "Set-Cookie", cookie);
	resp_redirect(r, 303, "/admin/login");
}

void h_admin_slash(struct req *q, struct resp *r)
{
	(void)q;
	resp_redirect(r, 301, "/admin/");
}

/* The drafts to finish: title, last edited, the editor's address. */
static int drafts_block(struct req *q, struct tobj *ctx)
{
	struct dash_draft *d = NULL;
	long n =
	    dash_drafts(&q->w->db, (q->session->is_admin ? 0 : q->session->user_id), DASH_DRAFTS, q->a, &d);
	struct tlist *l = tset_list(ctx, "drafts");
	for (long i = 0; i < n; i++) {
		struct tobj *o = tlist_add(l);
		char b[TIME_BUFSZ];
		admin_date(d[i].updated_at, b);
		tset_int(o, "id", d[i].id);
		tset_str(o, "title", *d[i].title ? d[i].title : "(no title)");
		tset_str(o, "edited", arena_strdup(q->a, b));
		tset_bool(o, "is_page", d[i].is_page);
	}
	tset_bool(ctx, "has_drafts", n > 0);
	return n < 0 ? -1 : 0;
}

/* The first line of a comment's text, at most DASH_LINE_CHARS characters (an ellipsis when
 * cut). */
static const char *first_line(struct arena *a, const char *body)
{
	while (*body == '\n' || *body == ' ' || *body == '\r')
		body++;
	size_t n = strcspn(body, "\r\n"), cut = utf8_cut(body, n, DASH_LINE_CHARS);
	bool more = cut < n || body[n];
	return arena_printf(a, "%.*s%s", (int)cut, body, more ? "\u2026" : "");
}

/* The comments waiting: author, post, first line, held reason. */
static int comments_block(struct req *q, struct tobj *ctx)
{
	struct admin_comment *c = NULL;
	long n = comments_pending_newest(&q->w->db, (q->session->is_admin ? 0 : q->session->user_id),
	                                 DASH_COMMENTS, q->a, &c);
	struct tlist *l = tset_list(ctx, "waiting");
	for (long i = 0; i < n; i++) {
		struct tobj *o = tlist_add(l);
		char held[HELD_TEXT_MAX];
		comment_held_text(c[i].held_reason, c[i].held_detail, held, sizeof held);
		tset_int(o, "id", c[i].id);
		tset_str(o, "name", c[i].name);
		tset_str(o, "post_title", c[i].post_title);
		tset_str(o, "post_url", slug_url(q->a, "/posts/", c[i].post_slug));
		tset_str(o, "line", first_line(q->a, c[i].body));
		tset_str(o, "held", arena_strdup(q->a, held));
	}
	tset_bool(ctx, "has_waiting", n > 0);
	return n < 0 ? -1 : 0;
}

/* The views of the last DASH_DAYS days as the statistics page draws them. */
static int views_block(struct req *q, struct tobj *ctx)
{
	struct stats_day days[DASH_DAYS];
	memset(days, 0, sizeof days);
	for (int i = 0; i < DASH_DAYS; i++)
		time_ymd(q->now - (time_t)(DASH_DAYS - 1 - i) * 86400, days[i].day);
	if (stats_flush(&q->w->db, q->w->site, true) < 0 || stats_daily(&q->w->db, days, DASH_DAYS) < 0)
		return -1;
	long views = 0;
	for (int i = 0; i < DASH_DAYS; i++)
		views += days[i].views;
	struct buf svg = BUF_INIT;
	admin_stats_chart(&svg, days, DASH_DAYS);
	tset_html(ctx, "chart_svg", buf_cstr(&svg));
	buf_free(&svg);
	tset_int(ctx, "week_views", views);
	return 0;
}

/* The last notifications: every failed mail, then the newest sent. */
static int mails_block(struct req *q, struct tobj *ctx)
{
	struct dash_mail *m = NULL;
	long n = dash_mails(&q->w->db, DASH_SENT, q->a, &m), failed = 0;
	struct tlist *l = tset_list(ctx, "mails");
	for (long i = 0; i < n; i++) {
		struct tobj *o = tlist_add(l);
		char b[TIME_BUFSZ];
		admin_date(m[i].at, b);
		tset_int(o, "id", m[i].id);
		tset_str(o, "kind", m[i].kind);
		tset_str(o, "recipient", m[i].recipient);
		tset_str(o, "when", arena_strdup(q->a, b));
		tset_str(o, "error", m[i].error);
		tset_bool(o, "failed", m[i].failed);
		failed += m[i].failed;
	}
	tset_int(ctx, "mails_failed", failed);
	tset_bool(ctx, "has_mails", n > 0);
	return n < 0 ? -1 : 0;
}

void h_admin_dashboard(struct req *q, struct resp *r)
{
	struct tobj *ctx = page_ctx(q, "Dashboard");
	struct admin_counts k;
	/* an author sees their own drafts and the comments on their posts; the site's views, its
	 * subscribers and the mails sent to them are the admins' */
	bool site = q->session->is_admin;
	tset_bool(ctx, "site_blocks", site);
	if (admin_counts(&q->w->db, q->now, &k) < 0 || drafts_block(q, ctx) < 0 ||
	    comments_block(q, ctx) < 0 || (site && (views_block(q, ctx) < 0 || mails_block(q, ctx) < 0)))
		return page_error(q, r, 500, "Something went wrong on our side; it has been logged.");
	admin_counts_view(ctx, &k);
	page_render(q, r, "admin_dashboard", ctx);
}
