/* http: the request and response of one FastCGI exchange, independent of libfcgi. */
#ifndef QUIRE_HTTP_H
#define QUIRE_HTTP_H
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "arena.h"
#include "buf.h"

#define PATH_MAX_LEN 1024
#define QUERY_MAX_LEN 2048
#define PARAM_MAX_LEN 200
#define ROUTE_MAX_PARAMS 4

struct worker;
struct session;
struct form;

struct req {
	const char *method;
	const char *raw_path; /* as sent, still percent-encoded, without the query */
	const char *query;    /* after '?', "" when none */
	const char *if_none_match, *if_modified_since;
	const char *remote_addr, *user_agent;
	const char *referer, *dnt, *gpc;
	const char *host, *origin; /* Host and Origin headers, "" when absent */
	bool count_view;           /* set by the gate for pages the analytics count */
	long content_length;
	const char *content_type;
	const char *cookie; /* the Cookie header, "" when none */
	bool https;
	/* the request body, read by the gate once the route allows its size */
	int (*read_body)(void *ctx, char *dst, int n);
	void *body_ctx;
	char *body;
	size_t body_len;
	/* the admin session, when the route needs one (route.c's R_ADMIN) */
	struct session *session;
	struct form *form;              /* the parsed body of a POST */
	char *params[ROUTE_MAX_PARAMS]; /* decoded path parameters */
	int nparams;
	time_t now;
	struct arena *a;
	struct worker *w;
};

#define CTYPE_MAX 64

struct resp {
	int status;
	const char *ctype;         /* a static string, or ctype_own */
	char ctype_own[CTYPE_MAX]; /* a copy the response owns (from the render cache) */
	struct buf head;           /* extra header lines, each ending in \r\n */
	struct buf body;
	time_t last_modified; /* 0: none */
	char etag[40];        /* set by a handler that hashes other bytes than it sends */
	long long token_post; /* the page holds a comment form of this post: its token is written last */
	time_t expires;       /* the page changes by itself at this time (0: it does not) */
	bool cacheable;       /* a reader page: ETag, Last-Modified, Cache-Control public */
};

const char *http_reason(int status);
void resp_init(struct resp *r);
void resp_reset(struct resp *r);
void resp_free(struct resp *r);
/* Adds a header line; the value must not hold CR or LF (checked: the header is dropped). */
void resp_header(struct resp *r, const char *name, const char *value);
void resp_redirect(struct resp *r, int status, const char *location);

/* Writes status line, headers and (unless HEAD or 304) body into wire: the CGI response.
 * Computes the ETag of a cacheable 200 and answers 304 to a matching conditional request. */
void http_finish(const struct req *q, struct resp *r, struct buf *wire);

/* The strong ETag (quoted hex of a BLAKE2b hash) of body. */
void make_etag(const struct buf *body, char out[40]);
/* True if an If-None-Match header value matches etag (weak comparison, '*' matches). */
bool etag_match(const char *header, const char *etag);

/* Finds name in an application/x-www-form-urlencoded string and decodes it into the arena.
 * Returns 1 found, 0 absent, -1 malformed (bad escape, invalid UTF-8, longer than max). */
int query_get(struct arena *a, const char *query, const char *name, size_t max, char **out);

/* The value of cookie name in a Cookie header, copied into the arena; NULL when absent. */
char *cookie_get(struct arena *a, const char *header, const char *name);

#endif
