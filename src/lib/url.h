/* url: every URL quire takes from outside (a commenter's website, a link in Markdown or in
 * imported HTML, an imported author's address) is read here once, into a scheme, and each use
 * states which schemes it accepts. */
#ifndef QUIRE_URL_H
#define QUIRE_URL_H
#include <stdbool.h>
#include <stddef.h>

enum url_scheme {
	URL_EMPTY,      /* "" */
	URL_HTTP,       /* http:// or https:// (any case) */
	URL_MAILTO,     /* mailto: */
	URL_PATH,       /* /... on this site */
	URL_RELATIVE,   /* no scheme: "other-post", "#note", "?q" */
	URL_DATA_IMAGE, /* data:image/png, gif, jpeg or webp */
	URL_UNSAFE,     /* javascript:, vbscript:, file:, any other data: (cmark's safe-mode list) */
	URL_OTHER,      /* another scheme (ftp:, tel:, ...) */
};

struct url {
	enum url_scheme scheme;
	bool plain; /* no space, quote, angle bracket, backslash or backtick (controls are the caller's
	             * to refuse: a form field's own check does) */
};

/* Reads u (leading spaces skipped, as cmark does). */
struct url url_read(const char *u);
/* A website typed into a form or found in an import: empty, or an absolute http(s) URL with
 * something after the scheme, plain (the caller bounds its length). */
bool url_web_ok(const char *u);
/* A link target in a post rendered from Markdown: anything but URL_UNSAFE (images may also be
 * data:image/...). */
bool url_markdown_ok(const char *u);
/* An imported commenter's website (WordPress writes what the commenter typed): surrounding
 * white space trimmed into out (of outsz bytes), kept when it is an absolute http(s) URL.
 * Returns out, or "" when not kept. */
const char *url_import_web(const char *u, char *out, size_t outsz);
/* A link kept when converting imported HTML to Markdown: http(s), mailto: or a path. */
bool url_import_link_ok(const char *u);

#endif
