#include "url.h"

#include <string.h>
#include <strings.h>

static bool prefix(const char *s, const char *p)
{
	return strncasecmp(s, p, strlen(p)) == 0;
}

static enum url_scheme scheme_of(const char *u)
{
	static const char *const unsafe[] = {"javascript:", "vbscript:", "file:"};
	static const char *const images[] = {"data:image/png", "data:image/gif", "data:image/jpeg",
	                                     "data:image/webp"};
	if (!*u)
		return URL_EMPTY;
	if (prefix(u, "http://") || prefix(u, "https://"))
		return URL_HTTP;
	if (prefix(u, "mailto:"))
		return URL_MAILTO;
	if (u[0] == '/')
		return URL_PATH;
	for (size_t i = 0; i < sizeof unsafe / sizeof unsafe[0]; i++)
		if (prefix(u, unsafe[i]))
			return URL_UNSAFE;
	if (prefix(u, "data:")) {
		for (size_t i = 0; i < sizeof images / sizeof images[0]; i++)
			if (prefix(u, images[i]))
				return URL_DATA_IMAGE;
		return URL_UNSAFE;
	}
	/* a scheme is letters, digits, + - . before the first ':', and comes before any / ? # */
	size_t n = strcspn(u, ":/?#");
	if (u[n] == ':' && n > 0 &&
	    strspn(u, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-.") == n)
		return URL_OTHER;
	return URL_RELATIVE;
}

struct url url_read(const char *u)
{
	while (*u == ' ')
		u++;
	struct url r = {scheme_of(u), true};
	for (const unsigned char *p = (const unsigned char *)u; *p; p++)
		if (strchr(" \"'<>\\`", *p))
			r.plain = false;
	return r;
}

bool url_web_ok(const char *u)
{
	struct url r = url_read(u);
	if (r.scheme == URL_EMPTY)
		return !*u;
	return r.scheme == URL_HTTP && r.plain && u[0] != ' ' && strlen(u) > 8;
}

bool url_markdown_ok(const char *u)
{
	return url_read(u).scheme != URL_UNSAFE;
}

bool url_import_link_ok(const char *u)
{
	enum url_scheme s = url_read(u).scheme;
	return u[0] != ' ' && (s == URL_HTTP || s == URL_MAILTO || s == URL_PATH);
}

const char *url_import_web(const char *u, char *out, size_t outsz)
{
	size_t n;
	while (*u == ' ' || *u == '\t' || *u == '\r' || *u == '\n')
		u++;
	for (n = strlen(u); n > 0 && strchr(" \t\r\n", u[n - 1]); n--)
		;
	if (n >= outsz || url_read(u).scheme != URL_HTTP || n <= strlen("http://"))
		return "";
	memcpy(out, u, n);
	out[n] = '\0';
	return out;
}
