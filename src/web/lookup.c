/* lookup: the "lookup routes": a page or a date archive, decided from the path and the database. */
#include "lookup.h"

#include <string.h>

#include "db_pages.h"
#include "db_posts.h"
#include "handlers.h"
#include "log.h"
#include "pagepath.h"
#include "post_view.h"
#include "text.h"

/* They are reader pages like the table's: cached, revalidated, counted, never a cookie. */
static const struct route page_route = {"GET", "/:", h_page, R_READER | R_COUNT};
static const struct route archive_route = {"GET", "/YYYY/MM", h_archive, R_READER | R_COUNT};

/* raw (n bytes) decoded into the arena; NULL when malformed, not UTF-8 or with a control byte. */
static char *decoded(struct arena *a, const char *raw, size_t n)
{
	char *d = arena_alloc(a, n + 1);
	if (!d)
		return NULL;
	long dl = url_decode(d, raw, n, false);
	if (dl < 0 || !utf8_valid(d, (size_t)dl) || has_control(d, (size_t)dl))
		return NULL;
	d[dl] = '\0';
	return d;
}

/* A page renamed in the editor: its old slug (slug_redirects) now names the page at *moved.
 * LOOKUP_MOVED, LOOKUP_NONE, or LOOKUP_ERROR. */
static enum lookup_status renamed(struct req *q, const char *slug, char **moved)
{
	char *now_slug = NULL;
	const char *at = NULL;
	int found = post_redirect(&q->w->db, q->now, slug, q->a, &now_slug);
	if (found == 1)
		found = page_path(&q->w->db, q->now, now_slug, q->a, &at);
	if (found < 0)
		return LOOKUP_ERROR;
	if (found == 0)
		return LOOKUP_NONE;
	*moved = post_url(q->a, now_slug, at);
	return *moved ? LOOKUP_MOVED : LOOKUP_ERROR;
}

/* path has no trailing slash. */
static enum lookup_status find(struct req *q, const char *path, const struct route **out, char **moved)
{
	struct archive_path ap;
	if (archive_path_parse(path, &ap)) {
		*out = &archive_route;
		return LOOKUP_OK;
	}
	const char *last = NULL;
	size_t ll = 0;
	if (!page_path_split(path, &last, &ll) || ll > PARAM_MAX_LEN * 3)
		return LOOKUP_NONE;
	char *slug = decoded(q->a, last, ll), *whole = decoded(q->a, path + 1, strlen(path + 1));
	if (!slug || !whole || strlen(slug) > PARAM_MAX_LEN)
		return LOOKUP_NONE;
	const char *at = NULL;
	int found = page_path(&q->w->db, q->now, slug, q->a, &at);
	if (found < 0)
		return LOOKUP_ERROR;
	if (found == 0)
		return renamed(q, slug, moved);
	/* a page answers at its own address only: /team is not /about/team */
	if (strcmp(at, whole) != 0)
		return LOOKUP_NONE;
	q->params[0] = slug;
	q->nparams = 1;
	*out = &page_route;
	return LOOKUP_OK;
}

enum lookup_status lookup_route(struct req *q, const struct route **out, char **moved)
{
	if (strcmp(q->method, "GET") != 0 && strcmp(q->method, "HEAD") != 0)
		return LOOKUP_NONE;
	size_t n = strlen(q->raw_path);
	if (n < 2 || n > PATH_MAX_LEN)
		return LOOKUP_NONE;
	if (q->raw_path[n - 1] != '/')
		return find(q, q->raw_path, out, moved);
	char *path = arena_strndup(q->a, q->raw_path, n - 1);
	if (!path)
		return LOOKUP_ERROR;
	enum lookup_status st = find(q, path, out, moved);
	return st == LOOKUP_OK ? LOOKUP_SLASH : st;
}
