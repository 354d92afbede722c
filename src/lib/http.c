/* http: response heads (with the security headers every page carries), ETags and 304s. */
#include "http.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "text.h"
#include "timefmt.h"

/* Reader pages may be stored by nginx or a CDN but must be revalidated (ETag) on every use,
 * so a new post or comment is never hidden behind a stale copy. */
#define CACHE_READER "public, no-cache"
#define CSP                                                                                                  \
	"default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "                    \
	"object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"

const char *http_reason(int status)
{
	switch (status) {
	case 200:
		return "OK";
	case 201:
		return "Created";
	case 204:
		return "No Content";
	case 301:
		return "Moved Permanently";
	case 302:
		return "Found";
	case 303:
		return "See Other";
	case 304:
		return "Not Modified";
	case 400:
		return "Bad Request";
	case 401:
		return "Unauthorized";
	case 403:
		return "Forbidden";
	case 404:
		return "Not Found";
	case 405:
		return "Method Not Allowed";
	case 413:
		return "Payload Too Large";
	case 414:
		return "URI Too Long";
	case 422:
		return "Unprocessable Content";
	case 429:
		return "Too Many Requests";
	case 500:
		return "Internal Server Error";
	case 503:
		return "Service Unavailable";
	default:
		return "Unknown";
	}
}

void resp_init(struct resp *r)
{
	memset(r, 0, sizeof *r);
	r->status = 200;
	r->ctype = "text/html; charset=utf-8";
}

void resp_reset(struct resp *r)
{
	struct buf h = r->head, b = r->body;
	buf_reset(&h);
	buf_reset(&b);
	resp_init(r);
	r->head = h;
	r->body = b;
}

void resp_free(struct resp *r)
{
	buf_free(&r->head);
	buf_free(&r->body);
}

void resp_header(struct resp *r, const char *name, const char *value)
{
	if (strpbrk(name, "\r\n:") || strpbrk(value, "\r\n")) {
		/* never sent: a line break would start a header of the sender's choosing */
		log_warn("http: header %.40s dropped: its value holds a line break", name);
		return;
	}
	buf_addf(&r->head, "%s: %s\r\n", name, value);
}

void resp_redirect(struct resp *r, int status, const char *location)
{
	r->status = status;
	resp_header(r, "Location", location);
	buf_reset(&r->body);
	r->cacheable = false;
}

bool etag_match(const char *h, const char *etag)
{
	if (!h || !etag)
		return false;
	const char *want = strncmp(etag, "W/", 2) == 0 ? etag + 2 : etag;
	size_t wl = strlen(want);
	const char *p = h;
	while (*p) {
		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		if (*p == '*')
			return true;
		if (strncmp(p, "W/", 2) == 0)
			p += 2;
		const char *end = p;
		if (*p == '"') {
			end = strchr(p + 1, '"');
			if (!end)
				return false;
			end++;
		} else {
			while (*end && *end != ',')
				end++;
		}
		if ((size_t)(end - p) == wl && memcmp(p, want, wl) == 0)
			return true;
		p = end;
	}
	return false;
}

void make_etag(const struct buf *body, char out[40])
{
	unsigned char h[16];
	crypto_generichash(h, sizeof h, (const unsigned char *)body->p, body->len, NULL, 0);
	out[0] = '"';
	sodium_bin2hex(out + 1, 33, h, sizeof h);
	out[33] = '"';
	out[34] = '\0';
}

static bool not_modified(const struct req *q, const char *etag, time_t lm)
{
	if (q->if_none_match && *q->if_none_match)
		return etag_match(q->if_none_match, etag);
	time_t ims;
	if (lm && q->if_modified_since && time_parse_http(q->if_modified_since, &ims))
		return lm <= ims;
	return false;
}

void http_finish(const struct req *q, struct resp *r, struct buf *wire)
{
	bool head = strcmp(q->method, "HEAD") == 0;
	char etag[40] = "", date[TIME_BUFSZ];
	if (r->cacheable && r->status == 200) {
		if (r->etag[0])
			memcpy(etag, r->etag, sizeof etag);
		else
			make_etag(&r->body, etag);
		if (not_modified(q, etag, r->last_modified))
			r->status = 304;
	}
	buf_addf(wire, "Status: %d %s\r\n", r->status, http_reason(r->status));
	if (r->status != 304)
		buf_addf(wire, "Content-Type: %s\r\nContent-Length: %zu\r\n", r->ctype, r->body.len);
	if (etag[0])
		buf_addf(wire, "ETag: %s\r\n", etag);
	if (r->cacheable && r->last_modified) {
		time_http(r->last_modified, date);
		buf_addf(wire, "Last-Modified: %s\r\n", date);
	}
	buf_addf(wire, "Cache-Control: %s\r\n", r->cacheable ? CACHE_READER : "no-store");
	buf_adds(wire, "Content-Security-Policy: " CSP "\r\n"
	               "X-Content-Type-Options: nosniff\r\n"
	               "Referrer-Policy: strict-origin-when-cross-origin\r\n");
	buf_add(wire, r->head.p, r->head.len);
	buf_adds(wire, "\r\n");
	if (!head && r->status != 304)
		buf_add(wire, r->body.p, r->body.len);
}

int query_get(struct arena *a, const char *query, const char *name, size_t max, char **out)
{
	size_t nl = strlen(name);
	const char *p = query ? query : "";
	while (*p) {
		const char *amp = strchr(p, '&');
		size_t len = amp ? (size_t)(amp - p) : strlen(p);
		if (len > nl && strncmp(p, name, nl) == 0 && p[nl] == '=') {
			const char *v = p + nl + 1;
			size_t vl = len - nl - 1;
			char *d = arena_alloc(a, vl + 1);
			if (!d)
				return -1;
			long dl = url_decode(d, v, vl, true);
			if (dl < 0 || (size_t)dl > max || !utf8_valid(d, (size_t)dl))
				return -1;
			*out = d;
			return 1;
		}
		if (len == nl && strncmp(p, name, nl) == 0) {
			*out = arena_strdup(a, "");
			return *out ? 1 : -1;
		}
		p += len;
		if (*p == '&')
			p++;
	}
	return 0;
}

char *cookie_get(struct arena *a, const char *header, const char *name)
{
	size_t nl = strlen(name);
	const char *p = header ? header : "";
	while (*p) {
		while (*p == ' ' || *p == ';')
			p++;
		const char *end = strchr(p, ';');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (len > nl && strncmp(p, name, nl) == 0 && p[nl] == '=')
			return arena_strndup(a, p + nl + 1, len - nl - 1);
		p += len;
	}
	return NULL;
}
