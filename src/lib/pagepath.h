/* pagepath: the shapes of the addresses quire finds outside its route table: a static page
 * (/SLUG, /PARENT/SLUG, ...) and a date archive (/YYYY, /YYYY/MM, each with /page/N), and the
 * slugs a page may not take. Pure functions: no database, no request. */
#ifndef QUIRE_PAGEPATH_H
#define QUIRE_PAGEPATH_H
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#define PAGE_DEPTH_MAX 4         /* segments of a page's address: /a/b/c/d */
#define ARCHIVE_YEAR_MIN 1       /* year 0 has no posts (and no calendar) */
#define ARCHIVE_YEAR_MAX 9999    /* four digits */
#define ARCHIVE_PAGE_MAX 1000000 /* as the other lists' /page/N */
#define ARCHIVE_TITLE_MAX 64     /* "Posts from September 2024" */

/* True when slug may not name a page: a first segment of a route or of an address nginx or the
 * old-address redirects answer (posts, tags, admin, static, feed, ...), or all digits (the date
 * archives). The comparison ignores case. */
bool page_slug_reserved(const char *slug);

/* The number of segments of path (raw, without query) when it has the shape of a page address:
 * "/" then 1..PAGE_DEPTH_MAX non-empty segments, no trailing slash; *last and *last_len name the
 * last segment. 0 when it has not. */
int page_path_split(const char *path, const char **last, size_t *last_len);

/* A date archive address: /YYYY or /YYYY/MM, optionally followed by /page/N. */
struct archive_path {
	int year;  /* ARCHIVE_YEAR_MIN..ARCHIVE_YEAR_MAX */
	int month; /* 1..12, 0 for a whole year */
	long page; /* 1.. when /page/N was given, else 0 */
};
/* True when path (raw, no trailing slash) is a date archive address with a possible year,
 * month and page number (2024/13, year 0000, /page/0 are not), filled into *out. */
bool archive_path_parse(const char *path, struct archive_path *out);
/* The archive's span in UTC epoch seconds: [*from, *to). */
void archive_range(const struct archive_path *ap, time_t *from, time_t *to);
/* "Posts from March 2024" or "Posts from 2024" into out (at most outsz - 1 bytes). */
void archive_title(const struct archive_path *ap, char *out, size_t outsz);

#endif
