/* lookup: reader pages found by what the database holds instead of by the route table: static
 * pages (/SLUG, /PARENT/SLUG, down to PAGE_DEPTH_MAX) and date archives (/YYYY, /YYYY/MM, with
 * /page/N). dispatch.c asks here when no table route matched, before the old addresses, and runs
 * the route it gets through the same gate, render cache and counting as a table route. */
#ifndef QUIRE_LOOKUP_H
#define QUIRE_LOOKUP_H
#include "page.h"
#include "route.h"

enum lookup_status {
	LOOKUP_NONE,  /* neither a page nor an archive: the old addresses may know it */
	LOOKUP_OK,    /* *out is the route to run, q->params filled as a table route's */
	LOOKUP_SLASH, /* one, asked with a trailing slash: 301 to the path without it */
	LOOKUP_MOVED, /* the old slug of a renamed page: 301 to *moved, its address now */
	LOOKUP_ERROR, /* the database failed (logged) */
};
/* Whether the GET or HEAD of q names a page or a date archive. */
enum lookup_status lookup_route(struct req *q, const struct route **out, char **moved);

#endif
