/* h_read: the pages a reader reads: home and its pages, an article, a tag, an author. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "comments_view.h"
#include "db_posts.h"
#include "handlers.h"
#include "identicon.h"
#include "site.h"
#include "text.h"

#define PAGE_NUM_MAX 1000000

static char *list_base(struct req *q, const char *prefix, const char *slug);

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
	long pages = total ? (total + per - 1) / per : 1;
	if (page > pages)
		return page_error(q, r, 404, "There is no such page.");
	struct tlist *posts = tset_list(ctx, "posts");
	if (posts_list(db, q->now, f, per, (page - 1) * per, posts) < 0)
		return server_error(q, r);
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
	r->last_modified = site_last_modified(q);
	page_render(q, r, "home", ctx);
}

/* WordPress's /?p=ID of an imported post: a 301 to its address here. True when answered. */
static bool wordpress_id(struct req *q, struct resp *r)
{
	char *v = NULL;
	if (query_get(q->a, q->query, "p", 18, &v) != 1 || !*v || strspn(v, "0123456789") != strlen(v))
		return false;
	sqlite3_stmt *st =
	    db_prep(&q->w->db, "SELECT slug FROM posts WHERE wp_id = ?1 AND status = 'published' "
	                       "AND published_at <= ?2");
	if (!st)
		return false;
	sqlite3_bind_int64(st, 1, strtoll(v, NULL, 10));
	sqlite3_bind_int64(st, 2, q->now);
	bool found = sqlite3_step(st) == SQLITE_ROW;
	if (found)
		resp_redirect(r, 301, list_base(q, "/posts/", db_text(st, 0)));
	sqlite3_reset(st);
	return found;
}

void h_home(struct req *q, struct resp *r)
{
	if (wordpress_id(q, r))
		return;
	struct post_filter f = {PF_ALL, 0};
	struct tobj *ctx = page_ctx(q, NULL);
	tset_bool(ctx, "is_home", true);
	render_list(q, r, &f, 1, "", ctx);
}

void h_home_page(struct req *q, struct resp *r)
{
	long page = page_number(q->params[0]);
	if (page == 0)
		return page_error(q, r, 404, "There is no such page.");
	if (page == 1)
		return resp_redirect(r, 301, "/");
	struct post_filter f = {PF_ALL, 0};
	struct tobj *ctx = page_ctx(q, arena_printf(q->a, "Page %ld", page));
	render_list(q, r, &f, page, "", ctx);
}

static void avatar(struct req *q, struct tobj *o, const char *email, const char *name, int px)
{
	struct buf svg = BUF_INIT;
	identicon_svg(&svg, q->w->site->identicon_key, email ? email : "", px, name);
	tset_html(o, "avatar_svg", buf_cstr(&svg));
	buf_free(&svg);
}

struct tobj *article_ctx(struct req *q, struct tobj *post, const char *author_email)
{
	struct tobj *ctx = page_ctx(q, tget_str(post, "title"));
	tset_str(ctx, "description", tget_str(post, "excerpt"));
	tset_obj(ctx, "post", post);
	avatar(q, post, author_email, "Avatar of the author", 64);
	return ctx;
}

void h_article(struct req *q, struct resp *r)
{
	struct db *db = &q->w->db;
	const char *slug = q->params[0];
	struct tobj *post = tobj_new(q->a);
	char *email = NULL, *moved = NULL;
	int found = post_by_slug(db, q->now, slug, post, &email);
	if (found < 0)
		return server_error(q, r);
	if (found == 0) {
		int red = post_redirect(db, q->now, slug, q->a, &moved);
		if (red < 0)
			return server_error(q, r);
		if (red == 0)
			return page_error(q, r, 404, "There is no post at this address.");
		struct buf loc = BUF_INIT;
		buf_adds(&loc, "/posts/");
		esc_url(&loc, moved, strlen(moved));
		resp_redirect(r, 301, buf_cstr(&loc));
		buf_free(&loc);
		return;
	}
	long cpage = 0;
	if (q->nparams > 1 && (cpage = page_number(q->params[1])) == 0)
		return page_error(q, r, 404, "There is no such page of comments.");
	struct tobj *ctx = article_ctx(q, post, email);
	int rc = comments_attach(q, r, ctx, post, cpage, NULL);
	if (rc < 0)
		return server_error(q, r);
	if (rc == 404)
		return page_error(q, r, 404, "There is no such page of comments.");
	r->last_modified = site_last_modified(q);
	page_render(q, r, "article", ctx);
	comments_finish(q, r, tget_int(post, "id", 0));
}

/* The path of a list whose pages are base/page/N, from a prefix and a slug. */
static char *list_base(struct req *q, const char *prefix, const char *slug)
{
	struct buf b = BUF_INIT;
	buf_adds(&b, prefix);
	esc_url(&b, slug, strlen(slug));
	char *s = arena_strdup(q->a, buf_cstr(&b));
	buf_free(&b);
	return s;
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
	struct tobj *tag = tobj_new(q->a);
	struct post_filter f = {PF_TAG, 0};
	int found = tag_find(&q->w->db, q->params[0], &f.id, tag);
	if (found < 0)
		return server_error(q, r);
	if (found == 0)
		return page_error(q, r, 404, "There is no such tag.");
	/* a tag asked for by its name lists under its slug's address */
	const char *url = tget_str(tag, "url");
	char *base = url ? arena_strdup(q->a, url) : NULL;
	long page = base ? list_page(q, r, base) : 0;
	if (page == 0)
		return;
	const char *name = tget_str(tag, "name");
	struct tobj *ctx = page_ctx(q, arena_printf(q->a, "Tag: %s", name ? name : ""));
	tset_obj(ctx, "tag", tag);
	render_list(q, r, &f, page, base, ctx);
}

void h_author(struct req *q, struct resp *r)
{
	struct tobj *author = tobj_new(q->a);
	struct post_filter f = {PF_AUTHOR, 0};
	char *email = NULL;
	int found = author_find(&q->w->db, q->params[0], &f.id, author, &email);
	if (found < 0)
		return server_error(q, r);
	if (found == 0)
		return page_error(q, r, 404, "There is no such author.");
	/* lists are addressed by the author's slug, whatever form of the name was typed */
	const char *slug = tget_str(author, "slug");
	char *base = list_base(q, "/authors/", slug ? slug : "");
	long page = base ? list_page(q, r, base) : 0;
	if (page == 0)
		return;
	avatar(q, author, email, "Avatar of the author", 64);
	const char *name = tget_str(author, "name");
	struct tobj *ctx = page_ctx(q, arena_printf(q->a, "Posts by %s", name ? name : ""));
	tset_obj(ctx, "author_page", author);
	render_list(q, r, &f, page, base, ctx);
}
