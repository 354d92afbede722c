/* dispatch: one request from the route table to its handler, through the gate (session, body,
 * form, CSRF, the database file), the render cache of reader pages and the old addresses. */
#include "dispatch.h"

#include <stdio.h>
#include <string.h>

#include "auth.h"
#include "cache.h"
#include "form_token.h"
#include "db_site.h"
#include "fileid.h"
#include "form.h"
#include "log.h"
#include "lookup.h"
#include "old_address.h"
#include "post_view.h"
#include "route.h"
#include "site_options.h"
#include "text.h"
#include "user_access.h"

/* Reads the POST body, at most limit bytes; false after answering 413/400. */
static bool read_body(struct req *q, struct resp *r, size_t limit)
{
	if (q->content_length < 0 || (size_t)q->content_length > limit) {
		page_error(q, r, 413, "The form is too large.");
		return false;
	}
	size_t n = (size_t)q->content_length;
	q->body = arena_alloc(q->a, n + 1);
	if (!q->body) {
		page_error(q, r, 500, "Out of memory.");
		return false;
	}
	size_t got = 0;
	while (got < n && q->read_body) {
		int k = q->read_body(q->body_ctx, q->body + got, (int)(n - got));
		if (k <= 0)
			break;
		got += (size_t)k;
	}
	q->body[got] = '\0';
	q->body_len = got;
	if (got != n) {
		page_error(q, r, 400, "The form arrived incomplete.");
		return false;
	}
	return true;
}

/* Where an admin page sends a visitor without a session. */
static void to_login(struct req *q, struct resp *r)
{
	struct buf loc = BUF_INIT;
	buf_adds(&loc, "/admin/login?next=");
	esc_url(&loc, q->raw_path, strlen(q->raw_path));
	resp_redirect(r, 303, buf_cstr(&loc));
	buf_free(&loc);
}

/* The database file as it stands: gone or replaced answers every request with 503 (nothing may
 * be acknowledged into an unlinked file); read-only refuses writes. A POST is checked once its
 * form is read, so the form comes back filled. False after answering. */
static bool db_file_gate(struct req *q, struct resp *r)
{
	static _Atomic int warned;
	enum file_state st = file_state(q->w->site->cfg.db, &q->w->site->db_id);
	if (st == FILE_OK) {
		warned = 0;
		return true;
	}
	if (!warned++)
		log_msg("serve: database %s %s", q->w->site->cfg.db,
		        st == FILE_GONE ? "was deleted or replaced: answering 503 until it is restored and "
		                          "quire restarted"
		                        : "is read-only: writes answer 503 until it is writable again");
	if (st == FILE_READONLY && strcmp(q->method, "POST") != 0)
		return true;
	page_fault(q, r, st == FILE_GONE ? DB_FAULT_IO : DB_FAULT_READONLY);
	return false;
}

/* The admin session of the request: false after answering (to the login page, or an error). */
static bool session_gate(struct req *q, struct resp *r)
{
	q->session = arena_calloc(q->a, 1, sizeof *q->session);
	char *token = cookie_get(q->a, q->cookie, SESSION_COOKIE);
	int found = q->session ? session_lookup(&q->w->db, token, q->now, q->session) : -1;
	if (found < 0) {
		page_error(q, r, 500, "Something went wrong on our side; it has been logged.");
		return false;
	}
	if (found == 0) {
		q->session = NULL;
		to_login(q, r);
		return false;
	}
	return true;
}

/* The checks a route's flags ask for, in one place: session, body size, form syntax, CSRF.
 * False after answering. */
static bool gate(struct req *q, struct resp *r, const struct route *rt)
{
	if (strncmp(q->raw_path, "/admin", 6) == 0)
		resp_header(r, "X-Frame-Options", "DENY");
	bool post = strcmp(q->method, "POST") == 0;
	/* the session first: the body of a stranger's POST to an admin page is never read */
	if ((rt->flags & R_ADMIN) && !session_gate(q, r))
		return false;
	if (post) {
		if (!read_body(q, r, rt->flags & R_UPLOAD ? UPLOAD_BODY_MAX : FORM_BODY_MAX))
			return false;
		q->form = arena_calloc(q->a, 1, sizeof *q->form);
		if (!q->form || form_parse(q->form, q->a, q->content_type, q->body, q->body_len) < 0) {
			q->form = NULL;
			page_error(
			    q, r, 400,
			    arena_printf(
			        q->a,
			        "The form could not be read: malformed, not UTF-8, or more than %d fields.",
			        FORM_MAX_FIELDS));
			return false;
		}
		if (!db_file_gate(q, r))
			return false;
	}
	if ((rt->flags & R_ADMIN) && post && !csrf_ok(q->session, form_get(q->form, "csrf"))) {
		log_audit("audit: user=%lld action=csrf-rejected path=%s", (long long)q->session->user_id,
		          q->raw_path);
		page_error(
		    q, r, 403,
		    "This form has expired or did not come from this site. Go back, reload and try again.");
		return false;
	}
	/* an author's reach: their own posts and the comments on them (src/web/user_access.c) */
	if ((rt->flags & R_ADMIN) && !access_gate(q, r, rt->flags))
		return false;
	return true;
}

/* Old addresses of imported posts (WordPress's /2019/05/01/slug/) answer with a 301. */
static bool legacy_redirect(struct req *q, struct resp *r)
{
	size_t n = strlen(q->raw_path);
	while (n > 1 && q->raw_path[n - 1] == '/')
		n--;
	const char *path = arena_strndup(q->a, q->raw_path, n), *slug = NULL;
	if (!path || old_path_slug(q, path, &slug) != 1)
		return false;
	/* a post's address, or an imported page's */
	char *loc = post_location(q, slug);
	if (!loc)
		page_error(q, r, 500, "Something went wrong on our side; it has been logged.");
	else
		resp_redirect(r, 301, loc);
	return true;
}

/* When the next scheduled post appears (0: none): cached pages may change then. */
static time_t next_scheduled(struct req *q)
{
	time_t t = 0;
	return posts_next_scheduled(&q->w->db, q->now, &t) < 0 ? q->now + 1 : t;
}

/* A reader page from the render cache, or rendered and stored there. */
static void cached_handle(struct req *q, struct resp *r, const struct route *rt)
{
	long long gen = q->w->generation; /* read by site_view_refresh at the request's start */
	char *key = arena_printf(q->a, "%s?%s", q->raw_path, q->query);
	if (gen >= 0 && key && cache_get(key, gen, q->now, r))
		return;
	rt->fn(q, r);
	if (gen < 0 || !key || r->status != 200 || !r->cacheable)
		return;
	if (!r->etag[0])
		make_etag(&r->body, r->etag);
	time_t until = next_scheduled(q);
	if (r->expires && (!until || r->expires < until))
		until = r->expires;
	cache_put(key, gen, until, r);
}

/* GET of a non-canonical spelling of a path: 301 to the canonical one. */
static bool canonical_redirect(struct req *q, struct resp *r)
{
	if (strcmp(q->method, "GET") != 0 && strcmp(q->method, "HEAD") != 0)
		return false;
	char *c = route_canonical(q->a, q->raw_path);
	/* "//host" or "/\host" would send the reader to another site: such a path has no page */
	if (!c || c[1] == '/' || c[1] == '\\')
		return false;
	resp_redirect(r, 301, *q->query ? arena_printf(q->a, "%s?%s", c, q->query) : c);
	return true;
}

/* A matched route through the gate its flags ask for, the render cache for reader pages. */
static void run_route(struct req *q, struct resp *r, const struct route *rt)
{
	if (!gate(q, r, rt))
		return;
	if (rt->flags & R_READER)
		r->cacheable = true;
	q->count_view = (rt->flags & R_COUNT) != 0;
	if (rt->flags & R_READER)
		cached_handle(q, r, rt);
	else
		rt->fn(q, r);
	if (r->token_post)
		form_token_fill(q->w->site, q->now, r);
	/* a view, for nginx's views log when quire counts from it (conf/nginx-quire-cache.conf) */
	const struct config *c = &q->w->site->cfg;
	if (q->count_view && r->status == 200 && c->stats == ON && c->stats_log[0] &&
	    strcmp(q->method, "GET") == 0)
		resp_header(r, "X-Quire-View", "1");
}

/* 301 to the path without its trailing slash, the query kept. */
static void slash_redirect(struct req *q, struct resp *r)
{
	size_t n = strlen(q->raw_path) - 1;
	char *loc = *q->query ? arena_printf(q->a, "%.*s?%s", (int)n, q->raw_path, q->query)
	                      : arena_strndup(q->a, q->raw_path, n);
	if (loc)
		resp_redirect(r, 301, loc);
	else
		page_error(q, r, 500, "Out of memory.");
}

/* No table route: a page or a date archive (src/web/lookup.c), run exactly like a table route;
 * else an old address; else 404. */
static void not_found(struct req *q, struct resp *r)
{
	const struct route *rt = NULL;
	char *moved = NULL;
	switch (lookup_route(q, &rt, &moved)) {
	case LOOKUP_OK:
		if (!canonical_redirect(q, r))
			run_route(q, r, rt);
		return;
	case LOOKUP_SLASH:
		return slash_redirect(q, r);
	case LOOKUP_MOVED:
		return resp_redirect(r, 301, moved);
	case LOOKUP_ERROR:
		return page_error(q, r, 500, "Something went wrong on our side; it has been logged.");
	case LOOKUP_NONE:
		break;
	}
	/* an address the import stored wins over WordPress's generic ones */
	if (!legacy_redirect(q, r) && !old_address(q, r) && !canonical_redirect(q, r))
		page_error(q, r, 404, "There is no page at this address.");
}

static void dispatch(struct req *q, struct resp *r)
{
	const struct route *rt = NULL;
	struct buf allow = BUF_INIT;
	enum route_status st = route_match(routes, routes_count, q, &rt, &allow);
	/* an unknown path may be an old address stored as its old site spelled it */
	if (st != ROUTE_BAD_REQUEST && st != ROUTE_TOO_LONG && st != ROUTE_NOT_FOUND &&
	    canonical_redirect(q, r))
		goto out;
	switch (st) {
	case ROUTE_OK:
		run_route(q, r, rt);
		break;
	case ROUTE_NOT_FOUND:
		not_found(q, r);
		break;
	case ROUTE_BAD_METHOD:
		page_error(q, r, 405, "This page cannot be used with that method.");
		resp_header(r, "Allow", buf_cstr(&allow));
		break;
	case ROUTE_BAD_REQUEST:
		page_error(
		    q, r, 400,
		    "The address is malformed: bad percent-encoding, invalid UTF-8 or a control character.");
		break;
	case ROUTE_TOO_LONG:
		page_error(q, r, 414, "The address is too long.");
		break;
	case ROUTE_SLASH_REDIRECT:
		slash_redirect(q, r);
		break;
	}
out:
	buf_free(&allow);
}

void site_handle(struct req *q, struct resp *r)
{
	/* a POST is checked by the gate, once its form is read */
	if (strcmp(q->method, "POST") != 0 && !db_file_gate(q, r))
		return;
	site_view_refresh(q->w);
	dispatch(q, r);
	if (r->status < 500)
		return;
	/* a handler that failed because the database could not be used answers 503, not 500 */
	enum db_fault f = db_fault_get();
	if (f == DB_FAULT_NONE)
		f = db_disk_fault(q->w->site->cfg.db);
	if (f != DB_FAULT_NONE)
		page_fault(q, r, f);
	const char *why = f != DB_FAULT_NONE ? db_fault_name(f) : db_errmsg(&q->w->db);
	/* SQLite says "not an error" when the failure was not its own: say what is known */
	if (strcmp(why, "not an error") == 0)
		why = "the handler failed with no database error recorded; see the lines above";
	log_error("serve: %s %.200s: %d (%s)", q->method, q->raw_path, r->status, why);
}
