/* test_pagepath: page address shapes, date archive addresses, and the reserved slugs (every first
 * segment of the route table among them). */
#include <string.h>

#include "pagepath.h"
#include "route.h"
#include "tap.h"

/* The literal first segment of a route pattern ("/posts/:" -> "posts"), into out. */
static void first_segment(const char *pattern, char *out, size_t outsz)
{
	const char *s = pattern + 1, *e = strchr(s, '/');
	size_t n = e ? (size_t)(e - s) : strlen(s);
	if (n >= outsz)
		n = outsz - 1;
	memcpy(out, s, n);
	out[n] = '\0';
}

int main(void)
{
	const char *last = NULL;
	size_t ll = 0;
	ok(page_path_split("/about", &last, &ll) == 1 && ll == 5 && !strncmp(last, "about", 5),
	   "one segment");
	ok(page_path_split("/about/team", &last, &ll) == 2 && !strncmp(last, "team", ll), "nested page");
	ok(page_path_split("/a/b/c/d", &last, &ll) == PAGE_DEPTH_MAX, "depth limit reached");
	ok(page_path_split("/a/b/c/d/e", &last, &ll) == 0, "past the depth limit");
	ok(page_path_split("/", &last, &ll) == 0, "home is no page");
	ok(page_path_split("/about/", &last, &ll) == 0, "trailing slash is not the canonical shape");
	ok(page_path_split("/a//b", &last, &ll) == 0, "empty segment");
	ok(page_path_split("about", &last, &ll) == 0, "relative");

	struct archive_path ap;
	ok(archive_path_parse("/2024", &ap) && ap.year == 2024 && ap.month == 0 && ap.page == 0, "year");
	ok(archive_path_parse("/2024/03", &ap) && ap.year == 2024 && ap.month == 3, "month");
	ok(archive_path_parse("/2024/page/2", &ap) && ap.month == 0 && ap.page == 2, "year, page 2");
	ok(archive_path_parse("/2024/12/page/3", &ap) && ap.month == 12 && ap.page == 3, "month, page 3");
	ok(!archive_path_parse("/2024/13", &ap), "month 13");
	ok(!archive_path_parse("/2024/00", &ap), "month 0");
	ok(!archive_path_parse("/0000", &ap), "year 0");
	ok(!archive_path_parse("/20245", &ap), "five digits");
	ok(!archive_path_parse("/202", &ap), "three digits");
	ok(!archive_path_parse("/2024/3", &ap), "one-digit month");
	ok(!archive_path_parse("/2024/03/01", &ap), "a day (WordPress's) is not an archive here");
	ok(!archive_path_parse("/2024/page/0", &ap), "page 0");
	ok(!archive_path_parse("/2024/page/01", &ap), "leading zero");
	ok(!archive_path_parse("/2024/page/", &ap), "no page number");
	ok(!archive_path_parse("/about", &ap), "a page");
	ok(!archive_path_parse("/2024x", &ap), "trailing junk");

	time_t from, to;
	char title[64];
	archive_path_parse("/2024/03", &ap);
	archive_range(&ap, &from, &to);
	ok(from == 1709251200 && to == 1711929600, "March 2024 in UTC: %lld..%lld", (long long)from,
	   (long long)to);
	archive_title(&ap, title, sizeof title);
	is_str(title, "Posts from March 2024", "month title");
	archive_path_parse("/2024/12", &ap);
	archive_range(&ap, &from, &to);
	ok(to == 1735689600, "December ends at the next new year");
	archive_path_parse("/2023", &ap);
	archive_range(&ap, &from, &to);
	ok(from == 1672531200 && to == 1704067200, "a whole year");
	archive_title(&ap, title, sizeof title);
	is_str(title, "Posts from 2023", "year title");

	ok(page_slug_reserved("posts") && page_slug_reserved("Admin") && page_slug_reserved("static"),
	   "route and nginx names");
	ok(page_slug_reserved("feed") && page_slug_reserved("category"), "old-address prefixes");
	ok(page_slug_reserved("2024") && page_slug_reserved("7"), "all digits");
	ok(page_slug_reserved("") && page_slug_reserved(NULL), "empty");
	ok(!page_slug_reserved("about") && !page_slug_reserved("2024-plans") && !page_slug_reserved("pages"),
	   "ordinary slugs");
	for (size_t i = 0; i < routes_count; i++) {
		char seg[64];
		first_segment(routes[i].pattern, seg, sizeof seg);
		if (*seg)
			ok(page_slug_reserved(seg), "route %s %s: '%s' is reserved", routes[i].method,
			   routes[i].pattern, seg);
	}
	return tap_done();
}
