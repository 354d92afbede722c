/* h_feed: machine-read pages: the Atom feed, the sitemap, robots.txt and the health check. */
#include <stdio.h>
#include <string.h>

#include "db_posts.h"
#include "handlers.h"
#include "post_view.h"
#include "site.h"
#include "timefmt.h"

#define FEED_ENTRIES 20
#define SITEMAP_MAX 50000 /* the sitemap protocol's limit per file */

static void xml_page(struct req *q, struct resp *r, const char *name, long limit, const char *ctype)
{
	const struct site *s = q->w->site;
	struct tobj *ctx = page_ctx(q, NULL);
	time_t lm = site_last_modified(q);
	struct feed_post *rows = NULL;
	/* the sitemap lists the pages too; the feed only posts */
	long n = posts_feed(&q->w->db, q->now, limit, strcmp(name, "sitemap") == 0, q->a, &rows);
	if (n < 0)
		return page_error(q, r, 500, "Something went wrong on our side; it has been logged.");
	feed_posts_view(tset_list(ctx, "entries"), rows, n, s->cfg.base_url);
	/* the feed's (and the home page's) date is its newest entry's last real change, not the
	 * time of an import or a pin; Last-Modified stays the site's (a deletion changes the feed) */
	time_t newest = 0;
	for (long i = 0; i < n; i++) {
		time_t t =
		    rows[i].updated_at > rows[i].published_at ? rows[i].updated_at : rows[i].published_at;
		newest = t > newest ? t : newest;
	}
	if (!newest)
		newest = lm ? lm : q->now;
	char b[TIME_BUFSZ];
	time_rfc3339(newest, b);
	tset_str(ctx, "updated_iso", b);
	time_ymd(newest, b);
	tset_str(ctx, "updated_ymd", b);
	buf_reset(&r->body);
	if (tobj_failed(ctx) || tmpl_render(s->tmpl, name, ctx, &r->body) < 0)
		return page_error(q, r, 500, "Out of memory.");
	r->ctype = ctype;
	r->last_modified = lm;
}

void h_feed(struct req *q, struct resp *r)
{
	xml_page(q, r, "feed", FEED_ENTRIES, "application/atom+xml; charset=utf-8");
}

void h_sitemap(struct req *q, struct resp *r)
{
	xml_page(q, r, "sitemap", SITEMAP_MAX, "application/xml; charset=utf-8");
}

void h_robots(struct req *q, struct resp *r)
{
	r->ctype = "text/plain; charset=utf-8";
	buf_reset(&r->body);
	buf_addf(&r->body, "User-agent: *\nDisallow: /admin/\n\nSitemap: %s/sitemap.xml\n",
	         q->w->site->cfg.base_url);
	r->last_modified = 0;
}

void h_healthz(struct req *q, struct resp *r)
{
	r->ctype = "text/plain; charset=utf-8";
	buf_reset(&r->body);
	/* the database must really answer, with the schema this quire knows (db_file_gate in
	 * site.c has already checked that the file is the one opened at start) */
	char err[200];
	if (db_check_schema(&q->w->db, err, sizeof err) == 0) {
		buf_adds(&r->body, "ok\n");
	} else {
		r->status = 503;
		resp_header(r, "Retry-After", FAULT_RETRY_OTHER);
		buf_adds(&r->body, "database unavailable\n");
	}
}
