/* page: what a handler uses to answer: the worker it runs on, the page context with the site's
 * own values, rendering into the layout, error and fault pages, and the pager. Nothing here
 * calls a handler or the route table, so every handler may call it. */
#ifndef QUIRE_PAGE_H
#define QUIRE_PAGE_H
#include <stdbool.h>
#include <time.h>

#include "arena.h"
#include "config.h"
#include "db.h"
#include "http.h"
#include "settings.h"
#include "tmpl.h"

/* Retry-After of a 503: a lock passes in seconds, a full disk or a lost file needs a person. */
#define FAULT_RETRY_BUSY "5"
#define FAULT_RETRY_OTHER "60"
/* A ?page= past this is read as page 1: no list is that long, and the offset stays small. */
#define PAGER_PAGE_MAX 10000

struct site_view;
struct worker {
	const struct site *site; /* the file's values with the site options laid over (site_options.c) */
	struct db db;
	struct arena arena;
	int id;
	struct site_view *view; /* what site points into, reloaded when the generation moves */
	long long generation;   /* of what readers see, read at the start of this request; -1 */
	time_t options_at;      /* when the newest site option was set (0: none): a page is no older */
};

/* A context holding the site's own values (site.title, site.base_url, ...). */
struct tobj *page_ctx(struct req *q, const char *title);
/* Renders template name, then the layout around it, into r->body as HTML. */
void page_render(struct req *q, struct resp *r, const char *name, struct tobj *ctx);
/* An error page in the site's layout with status and a one-line message. */
void page_error(struct req *q, struct resp *r, int status, const char *message);
/* 503 with Retry-After for a database that cannot be used now (f says why); the form the
 * request carried comes back filled, so nothing typed is lost. */
void page_fault(struct req *q, struct resp *r, enum db_fault f);

/* One page of a list of total items, per_page at a time. */
struct pager {
	long page;   /* the page asked for, at least 1 */
	long pages;  /* the number of pages, at least 1 */
	long offset; /* of the page's first item */
	bool beyond; /* page is past the last one: a handler answers 404 or an empty page */
};
/* The pager for total items when page requested is asked for (below 1 reads as 1). */
struct pager pager_make(long total, long per_page, long requested);
/* The ?page= of the request: 1 when absent, unreadable, below 1 or past PAGER_PAGE_MAX. */
long pager_requested(struct req *q);
/* The values of templates/pager.html for page of pages, linking to base + "&page=N"
 * (base already holds a query: "/admin/posts?status=draft"). */
void pager_set(struct req *q, struct tobj *ctx, const char *base, long page, long pages);
/* The site's last change visible to readers, for Last-Modified. */
time_t site_last_modified(struct req *q);

#endif
