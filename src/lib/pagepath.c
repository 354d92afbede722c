/* pagepath: page and date-archive address shapes, and the slugs reserved for quire's own routes. */
#include "pagepath.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

/* First segments the route table (src/web/route.c), nginx (static, media) and the old-address
 * redirects (src/web/old_address.c) answer; tests/unit/test_pagepath.c checks the route table's. */
static const char *const RESERVED[] = {
    "admin",    "author",      "authors",     "category",     "comments",   "comments.atom", "favicon.ico",
    "feed",     "feed.atom",   "healthz",     "media",        "page",       "posts",         "robots.txt",
    "search",   "sitemap.xml", "static",      "subscribe",    "tag",        "tags",          "unsubscribe",
    "wp-admin", "wp-content",  "wp-includes", "wp-login.php", "xmlrpc.php",
};

bool page_slug_reserved(const char *slug)
{
	if (!slug || !*slug)
		return true;
	if (strspn(slug, "0123456789") == strlen(slug))
		return true;
	for (size_t i = 0; i < sizeof RESERVED / sizeof RESERVED[0]; i++)
		if (strcasecmp(slug, RESERVED[i]) == 0)
			return true;
	return false;
}

int page_path_split(const char *path, const char **last, size_t *last_len)
{
	if (!path || path[0] != '/' || !path[1])
		return 0;
	int n = 0;
	const char *p = path;
	while (*p == '/') {
		const char *seg = p + 1, *end = strchr(seg, '/');
		size_t len = end ? (size_t)(end - seg) : strlen(seg);
		if (len == 0 || ++n > PAGE_DEPTH_MAX)
			return 0;
		*last = seg;
		*last_len = len;
		p = seg + len;
	}
	return n;
}

/* The value of exactly len digits at s, or -1. */
static long digits(const char *s, size_t len)
{
	long v = 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* A page number: 1..ARCHIVE_PAGE_MAX, no leading zero; -1 otherwise. */
static long page_num(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > 7 || s[0] == '0')
		return -1;
	long v = digits(s, n);
	return v >= 1 && v <= ARCHIVE_PAGE_MAX ? v : -1;
}

bool archive_path_parse(const char *path, struct archive_path *out)
{
	memset(out, 0, sizeof *out);
	if (!path || path[0] != '/' || strlen(path) < 5 || (path[5] && path[5] != '/'))
		return false;
	long y = digits(path + 1, 4);
	if (y < ARCHIVE_YEAR_MIN || y > ARCHIVE_YEAR_MAX)
		return false;
	out->year = (int)y;
	const char *rest = path + 5;
	if (rest[0] == '/' && rest[1] >= '0' && rest[1] <= '9') {
		if (strlen(rest) < 3 || (rest[3] && rest[3] != '/'))
			return false;
		long m = digits(rest + 1, 2);
		if (m < 1 || m > 12)
			return false;
		out->month = (int)m;
		rest += 3;
	}
	if (!*rest)
		return true;
	if (strncmp(rest, "/page/", 6) != 0)
		return false;
	out->page = page_num(rest + 6);
	return out->page > 0;
}

/* Midnight UTC of the first day of month (1..12, 13 = January of the next year). */
static time_t month_start(int year, int month)
{
	if (month > 12) {
		year++;
		month = 1;
	}
	struct tm tm = {.tm_year = year - 1900, .tm_mon = month - 1, .tm_mday = 1};
	return timegm(&tm);
}

void archive_range(const struct archive_path *ap, time_t *from, time_t *to)
{
	*from = month_start(ap->year, ap->month ? ap->month : 1);
	*to = ap->month ? month_start(ap->year, ap->month + 1) : month_start(ap->year + 1, 1);
}

void archive_title(const struct archive_path *ap, char *out, size_t outsz)
{
	static const char *const months[] = {"January",   "February", "March",    "April",
	                                     "May",       "June",     "July",     "August",
	                                     "September", "October",  "November", "December"};
	if (ap->month >= 1 && ap->month <= 12)
		snprintf(out, outsz, "Posts from %s %d", months[ap->month - 1], ap->year);
	else
		snprintf(out, outsz, "Posts from %d", ap->year);
}
