/* site: what every worker shares (config, templates, keys) and the per-request plumbing:
 * dispatch through the route gate, page rendering into the layout, error pages. */
#ifndef QUIRE_SITE_H
#define QUIRE_SITE_H
#include <stdbool.h>

#include "arena.h"
#include "config.h"
#include "db.h"
#include "http.h"
#include "identicon.h"
#include "settings.h"
#include "tmpl.h"

/* Retry-After of a 503: a lock passes in seconds, a full disk or a lost file needs a person. */
#define FAULT_RETRY_BUSY "5"
#define FAULT_RETRY_OTHER "60"

struct worker {
	const struct site *site;
	struct db db;
	struct arena arena;
	int id;
};

/* Loads templates (checking the ones quire needs exist) and the database's keys.
 * -1 with a one-line reason in err. */
int site_load(struct site *s, struct db *db, char *err, size_t errsz);
void site_free(struct site *s);

/* Runs one request: the gate (length, encoding, 404/405), then the handler. Never fails:
 * any error becomes an error page in r. */
void site_handle(struct req *q, struct resp *r);

/* A context holding the site's own values (site.title, site.base_url, ...). */
struct tobj *page_ctx(struct req *q, const char *title);
/* Renders template name, then the layout around it, into r->body as HTML. */
void page_render(struct req *q, struct resp *r, const char *name, struct tobj *ctx);
/* An error page in the site's layout with status and a one-line message. */
void page_error(struct req *q, struct resp *r, int status, const char *message);
/* The values of templates/pager.html for page of pages, linking to base + "&page=N"
 * (base already holds a query: "/admin/posts?status=draft"). */
void pager_set(struct req *q, struct tobj *ctx, const char *base, long page, long pages);
/* The site's last change visible to readers, for Last-Modified. */
time_t site_last_modified(struct req *q);

#endif
