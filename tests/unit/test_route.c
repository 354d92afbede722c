/* test_route: the route table's matching, parameters, 404/405, and the gate's input checks. */
#include <string.h>

#include "route.h"
#include "tap.h"

static void h_x(struct req *q, struct resp *r)
{
	(void)q;
	(void)r;
}

static const struct route table[] = {
    {"GET", "/", h_x, 0},
    {"GET", "/posts/:", h_x, 0},
    {"POST", "/posts/:/comments", h_x, 0},
    {"GET", "/tags/:/page/:", h_x, 0},
    {"GET", "/feed.atom", h_x, 0},
};
static struct arena a;
static struct req q;
static struct buf allow;

static enum route_status m(const char *method, const char *path)
{
	const struct route *rt = NULL;
	memset(&q, 0, sizeof q);
	q.a = &a;
	q.method = method;
	q.raw_path = path;
	q.query = "";
	buf_reset(&allow);
	return route_match(table, sizeof table / sizeof table[0], &q, &rt, &allow);
}

int main(void)
{
	ok(m("GET", "/") == ROUTE_OK, "root");
	ok(m("HEAD", "/") == ROUTE_OK, "HEAD wherever GET");
	ok(m("GET", "/posts/hello-world") == ROUTE_OK && q.nparams == 1, "one parameter");
	is_str(q.params[0], "hello-world", "parameter value");
	ok(m("GET", "/posts/caf%C3%A9") == ROUTE_OK, "encoded UTF-8 parameter");
	is_str(q.params[0], "café", "parameter decoded");
	ok(m("GET", "/posts/a%2Fb") == ROUTE_OK, "encoded slash stays in the segment");
	is_str(q.params[0], "a/b", "decoded slash");
	ok(m("GET", "/tags/c/page/2") == ROUTE_OK && q.nparams == 2, "two parameters");
	is_str(q.params[1], "2", "second parameter");
	ok(m("GET", "/nope") == ROUTE_NOT_FOUND, "unknown path");
	ok(m("GET", "/posts/") == ROUTE_NOT_FOUND || m("GET", "/posts/") == ROUTE_SLASH_REDIRECT,
	   "empty parameter does not match");
	ok(m("GET", "/posts/x/y") == ROUTE_NOT_FOUND, "extra segment");
	ok(m("DELETE", "/posts/x") == ROUTE_BAD_METHOD, "bad method");
	is_str(buf_cstr(&allow), "GET, HEAD", "Allow lists the methods");
	ok(m("GET", "/posts/x/comments") == ROUTE_BAD_METHOD, "GET on a POST route");
	is_str(buf_cstr(&allow), "POST", "Allow for a POST route");
	ok(m("GET", "/posts/%zz") == ROUTE_BAD_REQUEST, "bad escape is 400");
	ok(m("GET", "/posts/%C3") == ROUTE_BAD_REQUEST, "invalid UTF-8 is 400");
	ok(m("GET", "/posts/%00") == ROUTE_BAD_REQUEST, "NUL is 400");
	ok(m("GET", "/posts/a%0Ab") == ROUTE_BAD_REQUEST, "newline is 400");
	ok(m("GET", "relative") == ROUTE_BAD_REQUEST, "path must start with /");
	char longp[PATH_MAX_LEN + 10];
	memset(longp, 'a', sizeof longp - 1);
	longp[0] = '/';
	longp[sizeof longp - 1] = '\0';
	ok(m("GET", longp) == ROUTE_TOO_LONG, "over-long path is 414");
	ok(m("GET", "/feed.atom/") == ROUTE_SLASH_REDIRECT, "trailing slash redirects");
	ok(m("GET", "/feed.atomx") == ROUTE_NOT_FOUND, "literal must match whole");
	buf_free(&allow);
	arena_free(&a);
	/* one page, one address */
	ok(route_canonical(&a, "/posts/hello-quire") == NULL, "a canonical path stays");
	is_str(route_canonical(&a, "/posts/%68ello-quire"), "/posts/hello-quire",
	       "an escaped letter is decoded");
	is_str(route_canonical(&a, "/posts/caf%c3%a9"), "/posts/caf%C3%A9", "escapes get upper-case hex");
	ok(route_canonical(&a, "/posts/caf%C3%A9") == NULL, "upper-case escapes of UTF-8 stay");
	is_str(route_canonical(&a, "/posts/caf\xc3\xa9"), "/posts/caf%C3%A9", "raw UTF-8 is escaped");
	ok(route_canonical(&a, "/posts/a%2Fb") == NULL, "an escaped slash stays escaped");
	is_str(route_canonical(&a, "/posts/a%2fb"), "/posts/a%2Fb", "and gets upper-case hex");
	is_str(route_canonical(&a, "/%7Euser"), "/~user", "tilde is unreserved");
	ok(route_canonical(&a, "/posts/a%20b") == NULL, "an escaped space stays");
	ok(route_canonical(&a, "/x%") == NULL, "a cut escape is left to the router");
	return tap_done();
}
