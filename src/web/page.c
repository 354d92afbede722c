/* page: the layout, error and fault pages every handler shares. */
#include "page.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "auth.h"
#include "db_comments.h"
#include "db_pages.h"
#include "db_posts.h"
#include "form.h"
#include "log.h"
#include "static_ver.h"
#include "subscribers.h"
#include "text.h"

#define KEPT_LONG_CHARS 80 /* a kept value longer than this comes back as a text area */
#define PAGE_PARAM_MAX 6   /* characters of ?page= read */

/* The header menu: top-level published pages with a menu order (a failed read shows none). */
static void menu_set(struct req *q, struct tobj *ctx)
{
	struct menu_item *m = NULL;
	long n = page_menu(&q->w->db, q->now, q->a, &m);
	if (n <= 0)
		return;
	struct tlist *l = tset_list(ctx, "menu");
	for (long i = 0; i < n; i++) {
		struct tobj *o = tlist_add(l);
		tset_str(o, "title", m[i].title);
		struct buf u = BUF_INIT;
		buf_addc(&u, '/');
		esc_url(&u, m[i].slug, strlen(m[i].slug));
		tset_str(o, "url", buf_cstr(&u));
		buf_free(&u);
	}
}

/* The admin navigation's entry for the page at path (aria-current="page"): admin.nav_KEY true
 * for the first prefix that matches, every other one false. */
static void admin_nav_set(struct tobj *admin, const char *path)
{
	static const char *const nav[][2] = {
	    {"/admin/posts/new", "nav_new"},
	    {"/admin/posts", "nav_posts"},
	    {"/admin/comments", "nav_comments"},
	    {"/admin/media", "nav_media"},
	    {"/admin/subscribers", "nav_subscribers"},
	    {"/admin/stats", "nav_stats"},
	    {"/admin/users", "nav_users"},
	    {"/admin/settings", "nav_settings"},
	    {"/admin/profile", "nav_profile"},
	};
	bool found = false;
	for (size_t i = 0; i < sizeof nav / sizeof nav[0]; i++) {
		bool here = !found && strncmp(path, nav[i][0], strlen(nav[i][0])) == 0;
		tset_bool(admin, nav[i][1], here);
		found |= here;
	}
	tset_bool(admin, "nav_dashboard", strcmp(path, "/admin/") == 0);
}

/* Whether a BCP 47 tag names a language written right to left (its primary subtag). */
static bool rtl_language(const char *tag)
{
	static const char *const rtl[] = {"ar", "arc", "ckb", "dv", "fa", "he",
	                                  "ks", "ps",  "sd",  "ug", "ur", "yi"};
	size_t n = strcspn(tag, "-_");
	for (size_t i = 0; i < sizeof rtl / sizeof rtl[0]; i++)
		if (strlen(rtl[i]) == n && strncasecmp(tag, rtl[i], n) == 0)
			return true;
	return false;
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
	tset_bool(site, "rtl", rtl_language(c->language));
	long subs = subscribers_count(&q->w->db);
	tset_int(site, "subscribers", subs < 0 ? 0 : subs);
	tset_bool(site, "one_subscriber", subs == 1);
	tset_obj(ctx, "site", site);
	static_ver_ctx(ctx);
	tset_str(ctx, "page_title", title);
	menu_set(q, ctx);
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
	/* the subscribe box is for readers: not on /admin pages, the login page included */
	if (strncmp(q->raw_path, "/admin", 6) == 0 && (!q->raw_path[6] || q->raw_path[6] == '/'))
		tset_bool(ctx, "no_subscribe_box", true);
	if (q->session) {
		struct tobj *admin = tobj_new(q->a);
		tset_str(admin, "name", q->session->user_name);
		tset_str(admin, "csrf", q->session->csrf);
		/* the admin layout's navigation: the comments waiting, and the admin-only links */
		long waiting =
		    comments_pending_count(&q->w->db, q->session->is_admin ? 0 : q->session->user_id);
		tset_int(admin, "pending", waiting < 0 ? 0 : waiting);
		tset_bool(admin, "role_admin", q->session->is_admin);
		admin_nav_set(admin, q->raw_path);
		tset_obj(ctx, "admin", admin);
		tset_bool(ctx, "noindex", true);
	}
	return ctx;
}

/* What the head's description, og: and twitter: tags say of any page: its own title and
 * description (a handler's), else the site's. */
static void meta_set(struct req *q, struct tobj *ctx)
{
	const struct config *c = &q->w->site->cfg;
	const char *t = tget_str(ctx, "page_title"), *d = tget_str(ctx, "description");
	tset_str(ctx, "meta_title", t && *t ? t : c->title);
	/* a page without its own (subscribe, errors) is told apart from the home page by its title */
	const char *md = d && *d   ? d
	                 : t && *t ? arena_printf(q->a, "%s \u2013 %s", t, c->title)
	                 : c->description && *c->description
	                     ? c->description
	                     : arena_printf(q->a, "The latest posts from %s.", c->title);
	tset_str(ctx, "meta_description", md);
}

void page_render(struct req *q, struct resp *r, const char *name, struct tobj *ctx)
{
	const struct tmpl_set *t = q->w->site->tmpl;
	struct buf inner = BUF_INIT;
	buf_reset(&r->body);
	if (tobj_failed(ctx) || tmpl_render(t, name, ctx, &inner) < 0) {
		buf_free(&inner);
		log_msg("page_render: %s: %s", name,
		        tmpl_has(t, name) ? "out of memory"
		                          : "no such template (see required_templates in site.c)");
		r->status = 500;
		r->cacheable = false;
		buf_adds(&r->body, "<!doctype html><title>Server error</title><h1>Server error</h1>");
		return;
	}
	tset_html(ctx, "content", buf_cstr(&inner));
	buf_free(&inner);
	meta_set(q, ctx);
	/* the admin has its own layout (no reader header, search or subscribe box); a preview
	 * shows the article as readers will see it */
	bool admin = strncmp(q->raw_path, "/admin", 6) == 0 && (q->raw_path[6] == '/' || !q->raw_path[6]) &&
	             strcmp(name, "article") != 0;
	if (tmpl_render(t, admin ? "admin_layout" : "layout", ctx, &r->body) < 0) {
		r->status = 500;
		r->cacheable = false;
	}
	r->ctype = "text/html; charset=utf-8";
}

#define NOT_FOUND_RECENT 5 /* the newest posts a 404 page offers */

/* A 404 helps the reader on: a search box and the newest posts (one indexed query). */
static void not_found_help(struct req *q, struct tobj *ctx)
{
	struct post_filter f = {.kind = PF_HOME};
	struct post_summary *rows = NULL;
	long n = posts_list(&q->w->db, q->now, &f, NOT_FOUND_RECENT, 0, q->a, &rows);
	if (n < 0) {
		log_msg("page: 404 without recent posts: %s", db_errmsg(&q->w->db));
		n = 0;
	}
	struct tobj *nf = tobj_new(q->a);
	struct tlist *recent = tset_list(nf, "recent");
	struct buf u = BUF_INIT;
	for (long i = 0; i < n; i++) {
		struct tobj *o = tlist_add(recent);
		tset_str(o, "title", rows[i].title);
		/* as post_view.c's post_url, which page.c cannot call (post_view calls page_ctx) */
		buf_reset(&u);
		buf_adds(&u, "/posts/");
		esc_url(&u, rows[i].slug, strlen(rows[i].slug));
		tset_str(o, "url", arena_strdup(q->a, buf_cstr(&u)));
	}
	buf_free(&u);
	tset_bool(nf, "has_recent", n > 0);
	tset_obj(ctx, "not_found", nf);
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
	if (status == 404)
		not_found_help(q, ctx);
	page_render(q, r, "error", ctx);
}

/* Fields of a form sent again from the fault page as they were: machine fields stay hidden. */
static const char *const kept_hidden[] = {
    "csrf", "token", "leave_empty", "action",         "bulk_action",     "ids",      "post_id",    "parent",
    "next", "back",  "notify",      "allow_comments", "has_comment_box", "page_ids", "all_on_page"};

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
		tset_bool(o, "long", f->len > KEPT_LONG_CHARS || memchr(f->value, '\n', f->len));
	}
	tset_obj(ctx, "kept", kept);
}

void page_fault(struct req *q, struct resp *r, enum db_fault f)
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

struct pager pager_make(long total, long per_page, long requested)
{
	struct pager p = {.page = requested < 1 ? 1 : requested, .pages = 1};
	if (total > 0 && per_page > 0)
		p.pages = (total + per_page - 1) / per_page;
	p.offset = (p.page - 1) * (per_page > 0 ? per_page : 0);
	p.beyond = p.page > p.pages;
	return p;
}

long pager_requested(struct req *q)
{
	char *pg = NULL;
	long page = query_get(q->a, q->query, "page", PAGE_PARAM_MAX, &pg) == 1 ? strtol(pg, NULL, 10) : 1;
	return page < 1 || page > PAGER_PAGE_MAX ? 1 : page;
}

void pager_set(struct req *q, struct tobj *ctx, const char *base, long page, long pages)
{
	/* "/x" gets "?page=N", "/x?a=b" gets "&page=N" */
	const char *q_mark = strchr(base, '?');
	const char *sep = !q_mark ? "?" : q_mark[1] ? "&" : "";
	if (page > 1)
		tset_str(ctx, "newer_url", arena_printf(q->a, "%s%spage=%ld", base, sep, page - 1));
	if (page < pages)
		tset_str(ctx, "older_url", arena_printf(q->a, "%s%spage=%ld", base, sep, page + 1));
	tset_int(ctx, "page", page);
	tset_int(ctx, "pages", pages);
	tset_bool(ctx, "paged", pages > 1);
}

time_t site_last_modified(struct req *q)
{
	time_t t = posts_last_modified(&q->w->db, q->now), o = q->w->options_at;
	/* a changed title or page size changes every page */
	return o > t ? o : t < 0 ? 0 : t;
}
