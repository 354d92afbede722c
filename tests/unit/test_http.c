/* test_http: response heads, ETag/304, header injection and query parsing. */
#include <string.h>

#include "http.h"
#include "tap.h"

int main(void)
{
	struct arena a = {0};
	struct req q = {.method = "GET", .raw_path = "/", .query = "", .a = &a};
	struct resp r;
	struct buf wire = BUF_INIT;
	resp_init(&r);
	buf_adds(&r.body, "<p>hello</p>");
	r.cacheable = true;
	r.last_modified = 1795564800;
	http_finish(&q, &r, &wire);
	const char *w = buf_cstr(&wire);
	ok(strncmp(w, "Status: 200 OK\r\n", 16) == 0, "status line");
	ok(strstr(w, "Content-Length: 12\r\n") != NULL, "content length");
	ok(strstr(w, "Last-Modified: Wed, 25 Nov 2026 00:00:00 GMT\r\n") != NULL, "last modified");
	ok(strstr(w, "Cache-Control: public, no-cache\r\n") != NULL, "reader cache control");
	ok(strstr(w, "Content-Security-Policy: default-src 'self'") != NULL, "CSP on every response");
	const char *et = strstr(w, "ETag: \"");
	ok(et != NULL, "etag present");
	char etag[40] = "";
	if (et)
		snprintf(etag, 35, "%s", et + 6);
	ok(strstr(w, "\r\n\r\n<p>hello</p>") != NULL, "body after the blank line");

	q.if_none_match = etag;
	resp_reset(&r);
	buf_adds(&r.body, "<p>hello</p>");
	r.cacheable = true;
	buf_reset(&wire);
	http_finish(&q, &r, &wire);
	w = buf_cstr(&wire);
	ok(strncmp(w, "Status: 304", 11) == 0 && !strstr(w, "hello") && strstr(w, etag),
	   "matching ETag → 304");

	ok(etag_match("\"a\", W/\"b\"", "\"b\""), "weak match in a list");
	ok(etag_match("*", "\"x\""), "star matches");
	ok(!etag_match("\"a\"", "\"b\""), "different tags");

	q.if_none_match = NULL;
	q.if_modified_since = "Wed, 25 Nov 2026 00:00:00 GMT";
	resp_reset(&r);
	buf_adds(&r.body, "x");
	r.cacheable = true;
	r.last_modified = 1795564800;
	buf_reset(&wire);
	http_finish(&q, &r, &wire);
	ok(strncmp(buf_cstr(&wire), "Status: 304", 11) == 0, "If-Modified-Since → 304");

	q.method = "HEAD";
	q.if_modified_since = NULL;
	resp_reset(&r);
	buf_adds(&r.body, "body");
	buf_reset(&wire);
	http_finish(&q, &r, &wire);
	ok(strstr(buf_cstr(&wire), "Content-Length: 4") && !strstr(buf_cstr(&wire), "body"),
	   "HEAD has no body");

	resp_reset(&r);
	resp_header(&r, "X-Test", "a\r\nSet-Cookie: x=1");
	ok(strstr(buf_cstr(&r.head), "Set-Cookie") == NULL, "CR/LF in a header value is dropped");

	char *v = NULL;
	ok(query_get(&a, "a=1&q=hello+w%C3%B6rld&z", "q", 100, &v) == 1, "query value found");
	is_str(v, "hello wörld", "query value decoded");
	ok(query_get(&a, "a=1", "q", 100, &v) == 0, "absent value");
	ok(query_get(&a, "q=%ff", "q", 100, &v) == -1, "invalid UTF-8 in query");
	ok(query_get(&a, "q=aaaa", "q", 3, &v) == -1, "too long");
	resp_free(&r);
	buf_free(&wire);
	arena_free(&a);
	return tap_done();
}
