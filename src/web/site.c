/* site: the gate in front of every handler, and the page/layout/error helpers they share. */
#include "site.h"

#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "cache.h"
#include "form_token.h"
#include "form.h"
#include "log.h"
#include "db_posts.h"
#include "route.h"
#include "subscribers.h"
#include "text.h"

static const char *const required_templates[] = {"layout",
                                                 "home",
                                                 "article",
                                                 "error",
                                                 "feed",
                                                 "sitemap",
                                                 "admin_login",
                                                 "admin_dashboard",
                                                 "admin_posts",
                                                 "admin_edit",
                                                 "admin_delete",
                                                 "comments_feed",
                                                 "admin_comments",
                                                 "search",
                                                 "admin_stats",
                                                 "subscribe",
                                                 "admin_subscribers",
                                                 "mail_confirm",
                                                 "mail_confirm_text",
                                                 "mail_post",
                                                 "mail_post_text",
                                                 "mail_reply",
                                                 "mail_reply_text",
                                                 "mail_moderation",
                                                 "mail_moderation_text"};

static int load_key(struct db *db, const char *name, unsigned char key[32], char *err, size_t errsz)
{
	sqlite3_stmt *st = db_prep(db, "SELECT value FROM settings WHERE key = ?1");
	int rc = -1;
	size_t len = 0;
	if (!st) {
		snprintf(err, errsz, "reading setting %s: %s", name, db_errmsg(db));
		return -1;
	}
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	int step = sqlite3_step(st);
	const char *hex = step == SQLITE_ROW ? db_text(st, 0) : "";
	if (step == SQLITE_ROW && sodium_hex2bin(key, 32, hex, strlen(hex), NULL, &len, NULL) == 0 &&
	    len == 32)
		rc = 0;
	else if (step == SQLITE_ROW)
		snprintf(
		    err, errsz,
		    "the setting %s in the database is damaged (expected 64 hex digits): restore it from "
		    "a backup, or delete that row and run 'quire init' to make a new one",
		    name);
	else if (step == SQLITE_DONE)
		snprintf(err, errsz, "database has no %s: run 'quire init'", name);
	else
		snprintf(err, errsz, "reading setting %s: %s", name, db_errmsg(db));
	sqlite3_reset(st);
	return rc;
}

/* A quire run from its build or source tree, not installed, finds the templates there: next to
 * the binary, one folder up, or in the current folder; the configured path always wins when it
 * exists. */
static void find_templates(struct config *c)
{
	struct stat sb;
	if (stat(c->templates, &sb) == 0 || strcmp(c->templates, QUIRE_DATADIR "/templates") != 0)
		return;
	char exe[4096], cand[3][4200], err[64];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	exe[n > 0 ? n : 0] = '\0';
	char *slash = strrchr(exe, '/');
	if (slash)
		*slash = '\0';
	snprintf(cand[0], sizeof cand[0], "%s/templates", exe);
	snprintf(cand[1], sizeof cand[1], "%s/../templates", exe);
	snprintf(cand[2], sizeof cand[2], "%s/../../templates", exe);
	for (int i = 0; n > 0 && i < 3; i++)
		if (stat(cand[i], &sb) == 0 && S_ISDIR(sb.st_mode)) {
			config_set(c, "server", "templates", cand[i], err, sizeof err);
			return;
		}
	if (stat("templates", &sb) == 0 && S_ISDIR(sb.st_mode))
		config_set(c, "server", "templates", "templates", err, sizeof err);
}

int site_load(struct site *s, struct db *db, char *err, size_t errsz)
{
	find_templates(&s->cfg);
	const char *strict = getenv("QUIRE_TMPL_STRICT");
	tmpl_strict(strict && strcmp(strict, "1") == 0);
	s->tmpl = tmpl_set_new();
	if (!s->tmpl || tmpl_load_dir(s->tmpl, s->cfg.templates, err, errsz) < 0)
		return -1;
	for (size_t i = 0; i < sizeof required_templates / sizeof required_templates[0]; i++)
		if (!tmpl_has(s->tmpl, required_templates[i])) {
			snprintf(err, errsz, "%s: missing template %s.html", s->cfg.templates,
			         required_templates[i]);
			return -1;
		}
	s->secure_cookies = strncmp(s->cfg.base_url, "https://", 8) == 0;
	if (file_ident_get(s->cfg.db, &s->db_id) < 0) {
		snprintf(err, errsz, "%s: cannot stat the database", s->cfg.db);
		return -1;
	}
	if (load_key(db, "identicon_key", s->identicon_key, err, errsz) < 0)
		return -1;
	return load_key(db, "comment_form_key", s->form_key, err, errsz);
}

void site_free(struct site *s)
{
	tmpl_set_free(s->tmpl);
	s->tmpl = NULL;
	config_free(&s->cfg);
}

struct tobj *page_ctx(struct req *q, const char *title)
{
	const struct config *c = &q->w->site->cfg;
	struct tobj *ctx = tobj_new(q->a);
	struct tobj *site = tobj_new(q->a);
	tset_str(site, "title", c->title);
	tset_str(site, "description", c->description);
	tset_str(site, "base_url", c->base_url);
	tset_str(site, "language", c->language);
	long subs = subscribers_count(&q->w->db);
	tset_int(site, "subscribers", subs < 0 ? 0 : subs);
	tset_bool(site, "one_subscriber", subs == 1);
	tset_obj(ctx, "site", site);
	tset_str(ctx, "page_title", title);
	char year[16];
	struct tm tm;
	gmtime_r(&q->now, &tm);
	snprintf(year, sizeof year, "%d", tm.tm_year + 1900);
	tset_str(ctx, "year", year);
	/* the canonical URL of the page: the base URL and the path as requested */
	struct buf u = BUF_INIT;
	buf_adds(&u, c->base_url);
	buf_adds(&u, q->raw_path);
	tset_str(ctx, "canonical", buf_cstr(&u));
	buf_free(&u);
	if (q->session) {
		struct tobj *admin = tobj_new(q->a);
		tset_str(admin, "name", q->session->user_name);
		tset_str(admin, "csrf", q->session->csrf);
		tset_obj(ctx, "admin", admin);
		tset_bool(ctx, "noindex", true);
	}
	return ctx;
}

void page_render(struct req *q, struct resp *r, const char *name, struct tobj *ctx)
{
	const struct tmpl_set *t = q->w->site->tmpl;
	struct buf inner = BUF_INIT;
	buf_reset(&r->body);
	if (tobj_failed(ctx) || tmpl_render(t, name, ctx, &inner) < 0) {
		buf_free(&inner);
		log_msg("page_render: %s: out of memory", name);
		r->status = 500;
		r->cacheable = false;
		buf_adds(&r->body, "<!doctype html><title>Server error</title><h1>Server error</h1>");
		return;
	}
	tset_html(ctx, "content", buf_cstr(&inner));
	buf_free(&inner);
	if (tmpl_render(t, "layout", ctx, &r->body) < 0) {
		r->status = 500;
		r->cacheable = false;
	}
	r->ctype = "text/html; charset=utf-8";
}

void page_error(struct req *q, struct resp *r, int status, const char *message)
{
	r->status = status;
	r->cacheable = false;
	struct tobj *ctx = page_ctx(q, http_reason(status));
	tset_int(ctx, "status", status);
	tset_str(ctx, "reason", http_reason(status));
	tset_str(ctx, "message", message);
	tset_bool(ctx, "noindex", true);
	page_render(q, r, "error", ctx);
}

void pager_set(struct req *q, struct tobj *ctx, const char *base, long page, long pages)
{
	if (page > 1)
		tset_str(ctx, "newer_url", arena_printf(q->a, "%s&page=%ld", base, page - 1));
	if (page < pages)
		tset_str(ctx, "older_url", arena_printf(q->a, "%s&page=%ld", base, page + 1));
	tset_int(ctx, "page", page);
	tset_int(ctx, "pages", pages);
	tset_bool(ctx, "paged", pages > 1);
}

time_t site_last_modified(struct req *q)
{
	time_t t = posts_last_modified(&q->w->db, q->now);
	return t < 0 ? 0 : t;
}

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

/* Fields of a form sent again from the fault page as they were: machine fields stay hidden. */
static const char *const kept_hidden[] = {
    "csrf", "token", "leave_empty", "action",         "bulk_action",    "ids", "post_id", "parent",
    "next", "back",  "notify",      "allow_comments", "has_comment_box"};

static bool is_kept_hidden(const char *name)
{
	for (size_t i = 0; i < sizeof kept_hidden / sizeof kept_hidden[0]; i++)
		if (strcmp(name, kept_hidden[i]) == 0)
			return true;
	return false;
}

/* What the user typed, as a form that sends it again (passwords are asked for again). */
static void keep_form(struct req *q, struct tobj *ctx)
{
	if (!q->form || !q->form->n)
		return;
	struct tobj *kept = tobj_new(q->a);
	tset_str(kept, "action",
	         *q->query ? arena_printf(q->a, "%s?%s", q->raw_path, q->query) : q->raw_path);
	struct tlist *fields = tset_list(kept, "fields");
	for (int i = 0; i < q->form->n; i++) {
		const struct form_field *f = &q->form->f[i];
		if (f->filename)
			continue;
		struct tobj *o = tlist_add(fields);
		tset_str(o, "name", f->name);
		if (ci_contains(f->name, "password")) {
			tset_bool(o, "secret", true);
			continue;
		}
		tset_str(o, "value", f->value);
		tset_bool(o, "hidden", is_kept_hidden(f->name));
		tset_bool(o, "long", f->len > 80 || memchr(f->value, '\n', f->len));
	}
	tset_obj(ctx, "kept", kept);
}

/* 503 with Retry-After for a database that cannot be used now; the form comes back filled. */
static void page_fault(struct req *q, struct resp *r, enum db_fault f)
{
	static const char *const why[] = {
	    [DB_FAULT_NONE] = "The site cannot save changes right now.",
	    [DB_FAULT_BUSY] = "The site is busy saving other changes.",
	    [DB_FAULT_FULL] = "The server has no space left to save this.",
	    [DB_FAULT_READONLY] = "The site's database is read-only at the moment.",
	    [DB_FAULT_IO] = "The site's database cannot be reached at the moment.",
	};
	r->status = 503;
	r->cacheable = false;
	r->token_post = 0;
	buf_reset(&r->head);
	if (strncmp(q->raw_path, "/admin", 6) == 0)
		resp_header(r, "X-Frame-Options", "DENY");
	resp_header(r, "Retry-After", f == DB_FAULT_BUSY ? FAULT_RETRY_BUSY : FAULT_RETRY_OTHER);
	struct tobj *ctx = page_ctx(q, http_reason(503));
	tset_int(ctx, "status", 503);
	tset_str(ctx, "reason", http_reason(503));
	tset_str(ctx, "message",
	         arena_printf(q->a, "%s Nothing was lost: please try again in a %s.", why[f],
	                      f == DB_FAULT_BUSY ? "few seconds" : "little while"));
	tset_bool(ctx, "noindex", true);
	keep_form(q, ctx);
	page_render(q, r, "error", ctx);
	if (r->status == 200 || r->status == 500)
		r->status = 503;
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
		log_msg("audit: user=%lld action=csrf-rejected path=%s", (long long)q->session->user_id,
		        q->raw_path);
		page_error(
		    q, r, 403,
		    "This form has expired or did not come from this site. Go back, reload and try again.");
		return false;
	}
	return true;
}

/* Old addresses of imported posts (WordPress's /2019/05/01/slug/) answer with a 301. */
static bool legacy_redirect(struct req *q, struct resp *r)
{
	size_t n = strlen(q->raw_path);
	while (n > 1 && q->raw_path[n - 1] == '/')
		n--;
	sqlite3_stmt *st =
	    db_prep(&q->w->db, "SELECT p.slug FROM legacy_redirects l JOIN posts p ON p.id = l.post_id "
	                       "WHERE l.path = ?1 AND p.status = 'published' AND p.published_at <= ?2");
	if (!st)
		return false;
	sqlite3_bind_text(st, 1, q->raw_path, (int)n, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, q->now);
	bool found = sqlite3_step(st) == SQLITE_ROW;
	if (found) {
		struct buf loc = BUF_INIT;
		buf_adds(&loc, "/posts/");
		esc_url(&loc, db_text(st, 0), strlen(db_text(st, 0)));
		resp_redirect(r, 301, buf_cstr(&loc));
		buf_free(&loc);
	}
	sqlite3_reset(st);
	return found;
}

/* The generation of what readers see (sql/008_cache.sql), or -1. */
static long long generation(struct db *d)
{
	sqlite3_stmt *st = db_prep(d, "SELECT CAST(value AS INTEGER) FROM settings WHERE key = 'generation'");
	long long g = st && sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
	if (st)
		sqlite3_reset(st);
	return g;
}

/* When the next scheduled post appears (0: none): cached pages may change then. */
static time_t next_scheduled(struct req *q)
{
	sqlite3_stmt *st =
	    db_prep(&q->w->db, "SELECT min(published_at) FROM posts WHERE status = 'published' "
	                       "AND published_at > ?1");
	if (!st)
		return q->now + 1;
	sqlite3_bind_int64(st, 1, q->now);
	time_t t = sqlite3_step(st) == SQLITE_ROW ? (time_t)sqlite3_column_int64(st, 0) : q->now + 1;
	sqlite3_reset(st);
	return t;
}

/* A reader page from the render cache, or rendered and stored there. */
static void cached_handle(struct req *q, struct resp *r, const struct route *rt)
{
	long long gen = generation(&q->w->db);
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
		if (!gate(q, r, rt))
			break;
		if (rt->flags & R_READER)
			r->cacheable = true;
		q->count_view = (rt->flags & R_COUNT) != 0;
		if (rt->flags & R_READER)
			cached_handle(q, r, rt);
		else
			rt->fn(q, r);
		if (r->token_post)
			form_token_fill(q->w->site, q->now, r);
		break;
	case ROUTE_NOT_FOUND:
		if (!legacy_redirect(q, r) && !canonical_redirect(q, r))
			page_error(q, r, 404, "There is no page at this address.");
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
	case ROUTE_SLASH_REDIRECT: {
		size_t n = strlen(q->raw_path) - 1;
		char *loc = *q->query ? arena_printf(q->a, "%.*s?%s", (int)n, q->raw_path, q->query)
		                      : arena_strndup(q->a, q->raw_path, n);
		if (loc)
			resp_redirect(r, 301, loc);
		else
			page_error(q, r, 500, "Out of memory.");
		break;
	}
	}
out:
	buf_free(&allow);
}

void site_handle(struct req *q, struct resp *r)
{
	/* a POST is checked by the gate, once its form is read */
	if (strcmp(q->method, "POST") != 0 && !db_file_gate(q, r))
		return;
	dispatch(q, r);
	if (r->status < 500)
		return;
	/* a handler that failed because the database could not be used answers 503, not 500 */
	enum db_fault f = db_fault_get();
	if (f == DB_FAULT_NONE)
		f = db_disk_fault(q->w->site->cfg.db);
	if (f != DB_FAULT_NONE)
		page_fault(q, r, f);
	log_msg("serve: %s %.200s: %d (%s)", q->method, q->raw_path, r->status,
	        f != DB_FAULT_NONE ? db_fault_name(f) : db_errmsg(&q->w->db));
}
