/* route: the table of (method, pattern, handler, flags) and the matching every request passes;
 * dispatch.c runs the gate the flags ask for. */
#ifndef QUIRE_ROUTE_H
#define QUIRE_ROUTE_H
#include <stddef.h>

#include "buf.h"
#include "http.h"

typedef void (*handler_fn)(struct req *q, struct resp *r);

enum route_flags {
	R_NONE = 0,
	R_READER = 1 << 0, /* a public reader page: cacheable, never sets a cookie */
	R_ADMIN = 1 << 1,  /* needs a session; a POST also needs its CSRF token */
	R_UPLOAD = 1 << 2, /* the body may hold a file (UPLOAD_BODY_MAX) */
	R_COUNT = 1 << 4,  /* a page view counted by the analytics */
	R_FORM = 1 << 3,   /* a POST without a session (the login form) */
	/* roles (sql/020_users.sql, src/web/user_access.c), checked after the session */
	R_ADMIN_ONLY = 1 << 5,  /* an admin's page: an author gets 403 */
	R_OWN_POST = 1 << 6,    /* the post of the path (or the form's post_id) must be the author's */
	R_OWN_COMMENT = 1 << 7, /* the comment of the path (or the form's ids) must be on the author's post */
};

struct route {
	const char *method;  /* "GET" also answers HEAD */
	const char *pattern; /* literal segments and ":" for one parameter segment */
	handler_fn fn;
	unsigned flags;
};

enum route_status {
	ROUTE_OK,
	ROUTE_NOT_FOUND,
	ROUTE_BAD_METHOD,  /* allow holds the Allow header value */
	ROUTE_BAD_REQUEST, /* malformed escape, invalid UTF-8, control character */
	ROUTE_TOO_LONG,
	ROUTE_SLASH_REDIRECT, /* the same path without its trailing slash would match */
};

extern const struct route routes[];
extern const size_t routes_count;

/* Matches method + raw path against table; on ROUTE_OK *out is the route and q->params
 * hold the decoded parameters (arena-allocated). */
enum route_status route_match(const struct route *table, size_t n, struct req *q, const struct route **out,
                              struct buf *allow);

/* The canonical spelling of a raw path that route_match accepted: unreserved characters
 * (A-Z a-z 0-9 - . _ ~) written plainly, every other escape in upper-case hex, bytes above
 * 0x7F escaped. NULL when path already is canonical (or memory ran out), so one page has one
 * address: one cache entry, one stats row, one canonical link. */
char *route_canonical(struct arena *a, const char *path);

#endif
