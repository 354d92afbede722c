/* media_url: the pure part of bringing media home: which URLs of an export are the old site's
 * media, the key a URL is remembered by, where a URL lives in a copy of wp-content/uploads,
 * WordPress's resized variants, and the rewriting of a post's Markdown. */
#ifndef QUIRE_MEDIA_URL_H
#define QUIRE_MEDIA_URL_H
#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

#define MEDIA_URL_MAX 2048 /* a longer URL is left alone */
#define MEDIA_UPLOADS "/wp-content/uploads/"

/* The length of the http(s) URL starting at s, up to the first character that ends a URL in
 * HTML or Markdown text (white space, quotes, <, >, (, ), [, ], \, `); 0 when s starts none. */
size_t media_url_len(const char *s);
/* The length of url's first n bytes without its ?query and #fragment: the key it is known by. */
size_t media_url_key_len(const char *url, size_t n);
/* True when url is an http(s) URL on host old_host (lower case, no port; "www." or not, any
 * port, either scheme) naming a media file:
 * under /wp-content/uploads/, or ending in .jpg, .jpeg, .png, .gif or .webp. */
bool media_url_wanted(const char *url, const char *old_host);
/* The path of url below wp-content/uploads/, percent-decoded ("2023/05/x.jpg"), into out: 0, or
 * -1 when url is not under it or the path could leave the folder (".." or "." segments, empty
 * segments, a backslash, a control character) or does not fit. */
int media_uploads_rel(const char *url, char *out, size_t outsz);
/* When url names a resized variant WordPress made (photo-300x200.jpg), the original's URL
 * (photo.jpg) into out: true; false otherwise. */
bool media_variant_original(const char *url, char *out, size_t outsz);

/* The local address for a URL (n bytes, not terminated), or NULL to keep it. */
typedef const char *(*media_local_fn)(const char *url, size_t n, void *arg);
/* Copies the Markdown md into out with every http(s) URL that local() answers replaced. An image
 * (![alt](URL)) whose URL stays remote becomes a link ([alt](URL)), so a reader's page loads
 * nothing from another host. Returns the number of URLs replaced. */
long media_rewrite(const char *md, struct buf *out, media_local_fn local, void *arg);

#endif
