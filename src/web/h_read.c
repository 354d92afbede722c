/* h_read: the pages a reader reads: home and its pages, an article, a tag, an author. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "comments_view.h"
#include "db_posts.h"
#include "db_tags.h"
#include "handlers.h"
#include "old_address.h"
#include "pagepath.h"
#include "post_view.h"
#include "site.h"
#include "text.h"

#define PAGE_NUM_MAX 1000000
#define WP_ID_MAX_LEN 18 /* digits of a WordPress id: within a 64-bit integer */

/* Parses a page number segment: 1..PAGE_NUM_MAX, digits only; 0 when invalid. */
static long page_number(const char *s)
{
	if (!s || !*s || *s == '0' || strlen(s) > 7)
		return 0;
	for (const char *p = s; *p; p++)
		if (*p < '0' || *p > '9')
			return 0;
	long n = strtol(s, NULL, 10);
	return n <= PAGE_NUM_MAX ? n : 0;
}

static void server_error(struct req *q, struct resp *r)
{
	page_error(q, r, 500, "Something went wrong on our side; it has been logged.");
}

/* A page of a post list: base is the list's own path ("" for home), page 1-based. */
static void render_list(struct req *q, struct resp *r, const struct post_filter *f, long page,
                        const char *base, struct tobj *ctx)
{
	struct db *db = &q->w->db;
	long per = q->w->site->cfg.posts_per_page;
	long total = posts_count(db, q->now, f);
	if (total < 0)
		return server_error(q, r);
	struct pager pg = pager_make(total, per, page);
	if (pg.beyond)
		return page_error(q, r, 404, "There is no such page.");
	long pages = pg.pages;
	struct post_summary *rows = NULL;
	long n = posts_list(db, q->now, f, per, pg.offset, q->a, &rows);
	if (n < 0)
		return server_error(q, r);
	struct tlist *posts = tset_list(ctx, "posts");
	for (long i = 0; i < n; i++)
		post_summary_view(q->a, tlist_add(posts), &rows[i]);
	if (page > 1) {
		tset_str(ctx, "newer_url",
		         page == 2 ? (*base ? base : "/")
		                   : arena_printf(q->a, "%s/page/%ld", base, page - 1));
	}
	if (page < pages)
		tset_str(ctx, "older_url", arena_printf(q->a, "%s/page/%ld", base, page + 1));
	tset_int(ctx, "page", page);
	tset_int(ctx, "pages", pages);
	tset_bool(ctx, "paged", pages > 1);
	/* each page of a list says which it is, so no two share a description */
	const char *d = tget_str(ctx, "description");
	if (d && page > 1)
		tset_str(ctx, "description", arena_printf(q->a, "Page %ld of %ld: %s", page, pages, d));
	r->last_modified = site_last_modified(q);
	page_render(q, r, "home", ctx);
}

/* WordPress's /?p=ID (/?page_id=ID) of an imported post: a 301 to its address here, or a 404
 * when it is not published, never the home page. True when answered. */
static bool wordpress_id(struct req *q, struct resp *r)
{
	static const char *const keys[] = {"p", "page_id"};
	char *v = NULL, *slug = NULL;
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		if (query_get(q->a, q->query, keys[i], WP_ID_MAX_LEN, &v) != 1 || !*v ||
		    strspn(v, "0123456789") != strlen(v))
			continue;
		int found = post_by_wp_id(&q->w->db, q->now, strtoll(v, NULL, 10), q->a, &slug);
		/* a post's address, or a page's (WordPress's ?page_id=) */
		char *loc = found == 1 ? post_location(q, slug) : NULL;
		if (found < 0 || (found == 1 && !loc))
			server_error(q, r);
		else if (found == 0)
			page_error(q, r, 404, "There is no post at this address.");
		else
			resp_redirect(r, 301, loc);
		return true;
	}
	return false;
}

void h_home(struct req *q, struct resp *r)
{
	if (wordpress_id(q, r) || old_attachment_id(q, r))
		return;
	struct post_filter f = {.kind = PF_HOME};
	struct tobj *ctx = page_ctx(q, NULL);
	tset_bool(ctx, "is_home", true);
	/* the site for search engines, with the search box they may show under it */
	const struct config *c = &q->w->site->cfg;
	struct tobj *ld = tobj_new(q->a);
	tset_str(ld, "name", c->title);
	tset_str(ld, "description", c->description);
	tset_str(ld, "url", arena_printf(q->a, "%s/", c->base_url));
	tset_str(ld, "search", arena_printf(q->a, "%s/search?q={search_term_string}", c->base_url));
	tset_obj(ctx, "website_ld", ld);
	render_list(q, r, &f, 1, "", ctx);
}

void h_home_page(struct req *q, struct resp *r)
{
	long page = page_number(q->params[0]);
	if (page == 0)
		return page_error(q, r, 404, "There is no such page.");
	if (page == 1)
		return resp_redirect(r, 301, "/");
	struct post_filter f = {.kind = PF_HOME};
	struct tobj *ctx = page_ctx(q, arena_printf(q->a, "Page %ld", page));
	tset_str(ctx, "description",
	         arena_printf(q->a, "Older posts from %s, newest first.", q->w->site->cfg.title));
	render_list(q, r, &f, page, "", ctx);
}

/* An article at /posts/SLUG, or a page at its own address (at_page): the post and its comments.
 * A page asked for at /posts/SLUG moves to its address (its comment pages stay there). */
static void show_article(struct req *q, struct resp *r, bool at_page)
{
	struct db *db = &q->w->db;
	const char *slug = q->params[0];
	struct post p;
	char *moved = NULL;
	int found = post_by_slug(db, q->now, slug, q->a, &p);
	if (found < 0)
		return server_error(q, r);
	if (found == 0) {
		int red = post_redirect(db, q->now, slug, q->a, &moved);
		if (red < 0)
			return server_error(q, r);
		if (red == 0)
			return page_error(q, r, 404, "There is no post at this address.");
		return resp_redirect(r, 301, slug_url(q->a, "/posts/", moved));
	}
	if (at_page && !p.is_page)
		return page_error(q, r, 404, "There is no page at this address.");
	if (!at_page && p.is_page && q->nparams < 2) {
		char *loc = post_url(q->a, p.s.slug, p.page_path);
		if (loc && *q->query)
			loc = arena_printf(q->a, "%s?%s", loc, q->query);
		return loc ? resp_redirect(r, 301, loc) : server_error(q, r);
	}
	long cpage = 0;
	if (q->nparams > 1 && (cpage = page_number(q->params[1])) == 0)
		return page_error(q, r, 404, "There is no such page of comments.");
	struct tobj *ctx = article_ctx(q, post_view(q->a, &p), &p);
	struct post_brief b = post_brief_of(&p);
	int rc = comments_attach(q, r, ctx, &b, cpage, NULL);
	if (rc < 0)
		return server_error(q, r);
	if (rc == 404)
		return page_error(q, r, 404, "There is no such page of comments.");
	r->last_modified = site_last_modified(q);
	page_render(q, r, "article", ctx);
	comments_finish(q, r, p.s.id);
}

void h_article(struct req *q, struct resp *r)
{
	show_article(q, r, false);
}

void h_page(struct req *q, struct resp *r)
{
	show_article(q, r, true);
}

/* Page number of /x/SLUG[/page/N]: 0 after answering (404 or 301 for /page/1). */
static long list_page(struct req *q, struct resp *r, const char *base)
{
	long page = q->nparams > 1 ? page_number(q->params[1]) : 1;
	if (page == 0)
		page_error(q, r, 404, "There is no such page.");
	else if (q->nparams > 1 && page == 1)
		resp_redirect(r, 301, base);
	else
		return page;
	return 0;
}

void h_tag(struct req *q, struct resp *r)
{
	struct tag t;
	int found = tag_find(&q->w->db, q->params[0], q->a, &t);
	if (found < 0)
		return server_error(q, r);
	if (found == 0)
		return page_error(q, r, 404, "There is no such tag.");
	struct post_filter f = {.kind = PF_TAG, .id = t.id};
	/* a tag asked for by its name lists under its slug's address */
	char *base = slug_url(q->a, "/tags/", t.slug);
	long page = base ? list_page(q, r, base) : 0;
	if (page == 0)
		return;
	struct tobj *ctx = page_ctx(q, arena_printf(q->a, "Tag: %s", t.name));
	tset_obj(ctx, "tag", tag_view(q->a, &t));
	tset_str(ctx, "description",
	         arena_printf(q->a, "Posts tagged \u201c%s\u201d on %s.", t.name, q->w->site->cfg.title));
	render_list(q, r, &f, page, base, ctx);
}

/* /tags: every tag with a visible post, alphabetical, with its count of posts. */
void h_tags(struct req *q, struct resp *r)
{
	struct tag_count *rows = NULL;
	long n = tags_index(&q->w->db, q->now, q->a, &rows);
	if (n < 0)
		return server_error(q, r);
	struct tobj *ctx = page_ctx(q, "Tags");
	tset_str(ctx, "description",
	         arena_printf(q->a, "Every tag on %s, with its number of posts.", q->w->site->cfg.title));
	struct tlist *tags = tset_list(ctx, "tags");
	for (long i = 0; i < n; i++) {
		struct tobj *o = tlist_add(tags);
		tset_str(o, "name", rows[i].name);
		tset_str(o, "url", slug_url(q->a, "/tags/", rows[i].slug));
		tset_int(o, "posts", rows[i].posts);
		tset_bool(o, "one_post", rows[i].posts == 1);
	}
	tset_bool(ctx, "has_tags", n > 0);
	r->last_modified = site_last_modified(q);
	page_render(q, r, "tags", ctx);
}

void h_author(struct req *q, struct resp *r)
{
	struct author au;
	int found = author_find(&q->w->db, q->params[0], q->a, &au);
	if (found < 0)
		return server_error(q, r);
	if (found == 0)
		return page_error(q, r, 404, "There is no such author.");
	struct post_filter f = {.kind = PF_AUTHOR, .id = au.id};
	/* lists are addressed by the author's slug, whatever form of the name was typed */
	char *base = slug_url(q->a, "/authors/", au.slug);
	long page = base ? list_page(q, r, base) : 0;
	if (page == 0)
		return;
	struct tobj *ctx = page_ctx(q, arena_printf(q->a, "Posts by %s", au.name));
	tset_obj(ctx, "author_page", author_view(q, &au, 64));
	/* the author's bio says who they are; without one, what the page holds */
	tset_str(ctx, "description",
	         *au.bio ? au.bio : arena_printf(q->a, "Posts by %s on %s.", au.name, q->w->site->cfg.title));
	render_list(q, r, &f, page, base, ctx);
}

/* /YYYY and /YYYY/MM (each with /page/N): the posts published then, newest first; 404 when none. */
void h_archive(struct req *q, struct resp *r)
{
	struct archive_path ap;
	if (!archive_path_parse(q->raw_path, &ap))
		return page_error(q, r, 404, "There is no such archive.");
	struct post_filter f = {.kind = PF_RANGE};
	archive_range(&ap, &f.from, &f.to);
	char *base = ap.month ? arena_printf(q->a, "/%04d/%02d", ap.year, ap.month)
	                      : arena_printf(q->a, "/%04d", ap.year);
	if (!base)
		return server_error(q, r);
	if (ap.page == 1)
		return resp_redirect(r, 301, base);
	long total = posts_count(&q->w->db, q->now, &f);
	if (total < 0)
		return server_error(q, r);
	if (total == 0)
		return page_error(q, r, 404, "No posts were published then.");
	char title[ARCHIVE_TITLE_MAX];
	archive_title(&ap, title, sizeof title);
	struct tobj *ctx =
	    page_ctx(q, ap.page > 1 ? arena_printf(q->a, "%s, page %ld", title, ap.page) : title);
	tset_str(ctx, "archive_title", title);
	tset_str(ctx, "description",
	         arena_printf(q->a, "%s on %s, newest first.", title, q->w->site->cfg.title));
	render_list(q, r, &f, ap.page ? ap.page : 1, base, ctx);
}
