/* old_address: WordPress's addresses, kept alive after a move. Only paths no route matched come
 * here, so the reader pages' own path (the article GET) never pays for these lookups. */
#include "old_address.h"

#include <stdlib.h>
#include <string.h>

#include "db_media.h"
#include "db_posts.h"
#include "db_site.h"
#include "db_wpmeta.h"
#include "log.h"
#include "page.h"
#include "post_view.h"
#include "text.h"

/* WordPress's spellings of the site's feed and of the comments feed (after trailing slashes). */
static const char *const SITE_FEEDS[] = {"/feed", "/feed/atom", "/feed/rss2", "/feed/rss", "/feed/rdf"};
static const char *const COMMENT_FEEDS[] = {"/comments/feed", "/comments/feed/atom", "/comments/feed/rss2"};
#define FEED_SUFFIX "/feed"
#define ATTACHMENT_ID_MAX_LEN 18 /* digits of a WordPress id: within a 64-bit integer */

static bool one_of(const char *path, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(path, list[i]) == 0)
			return true;
	return false;
}

static bool redirect(struct req *q, struct resp *r, const char *prefix, const char *slug, const char *suffix)
{
	char *loc = slug_url(q->a, prefix, slug);
	if (loc && *suffix)
		loc = arena_printf(q->a, "%s%s", loc, suffix);
	if (!loc) {
		page_error(q, r, 500, "Out of memory.");
		return true;
	}
	resp_redirect(r, 301, loc);
	return true;
}

static bool server_error(struct req *q, struct resp *r, const char *what)
{
	log_msg("old_address: %s %.200s: %s", what, q->raw_path, db_errmsg(&q->w->db));
	page_error(q, r, 500, "Something went wrong on our side; it has been logged.");
	return true;
}

/* path with every %xx's hex digits in one case; NULL when out of memory. */
static char *hex_case(struct arena *a, const char *path, bool upper)
{
	char *out = arena_strdup(a, path);
	if (out)
		url_hex_case(out, upper);
	return out;
}

int old_path_slug(struct req *q, const char *path, const char **slug)
{
	/* the import stores a path as the old site spelled it, and browsers send uppercase %XX where
	 * WordPress wrote lowercase: the path as asked first, then its hex in either case */
	int found = legacy_slug(&q->w->db, q->a, path, q->now, slug);
	if (found != 0 || !strchr(path, '%'))
		return found;
	char *lower = hex_case(q->a, path, false), *upper = hex_case(q->a, path, true);
	if (!lower || !upper)
		return -1;
	if (strcmp(lower, path) != 0)
		found = legacy_slug(&q->w->db, q->a, lower, q->now, slug);
	if (found == 0 && strcmp(upper, path) != 0 && strcmp(upper, lower) != 0)
		found = legacy_slug(&q->w->db, q->a, upper, q->now, slug);
	return found;
}

/* The decoded last segment of path (which has no trailing slash); NULL when malformed. */
static char *last_segment(struct arena *a, const char *path)
{
	const char *s = strrchr(path, '/') + 1;
	size_t n = strlen(s);
	char *d = arena_alloc(a, n + 1);
	if (!d || n == 0 || url_decode(d, s, n, false) < 0)
		return NULL;
	return d;
}

/* /category/a/b, /tag/y: categories became tags, a nested one named by its last segment. */
static bool old_tag(struct req *q, struct resp *r, const char *path)
{
	char *key = last_segment(q->a, path);
	struct tag t;
	int found = key ? tag_find_old(&q->w->db, key, q->a, &t) : 0;
	if (found < 0)
		return server_error(q, r, "tag");
	if (found == 0) {
		page_error(q, r, 404, "There is no such tag.");
		return true;
	}
	return redirect(q, r, "/tags/", t.slug, "");
}

/* /author/LOGIN: the imported author who had that WordPress login (or nicename), else a user
 * whose slug or name it is. */
static bool old_author(struct req *q, struct resp *r, const char *path)
{
	char *key = last_segment(q->a, path), *slug = NULL;
	int found = key ? db_author_by_login(&q->w->db, key, q->a, &slug) : 0;
	struct author au;
	if (found == 0 && key) {
		found = author_find(&q->w->db, key, q->a, &au);
		slug = found > 0 ? (char *)au.slug : NULL;
	}
	if (found < 0)
		return server_error(q, r, "author");
	if (found == 0) {
		page_error(q, r, 404, "There is no such author.");
		return true;
	}
	return redirect(q, r, "/authors/", slug, "");
}

/* /SLUG/feed or OLD-PERMALINK/feed: the comments feed of a published post. */
static bool old_post_feed(struct req *q, struct resp *r, char *path, size_t n)
{
	path[n - strlen(FEED_SUFFIX)] = '\0';
	const char *slug = NULL;
	int found = *path ? old_path_slug(q, path, &slug) : 0;
	if (found == 0 && *path && !strchr(path + 1, '/')) {
		struct post_brief b = {0};
		char *key = last_segment(q->a, path);
		found = key ? post_brief(&q->w->db, q->now, key, q->a, &b) : 0;
		slug = b.slug;
	}
	if (found < 0)
		return server_error(q, r, "post feed");
	if (found == 0)
		return false;
	return redirect(q, r, "/posts/", slug, "/comments.atom");
}

/* An imported attachment's page (its old path, or /?attachment_id=ID): a 301 to its file. */
static bool media_redirect(struct req *q, struct resp *r, int found, const char *name)
{
	if (found < 0)
		return server_error(q, r, "attachment");
	if (found == 0)
		return false;
	return redirect(q, r, "/media/", name, "");
}

bool old_attachment_id(struct req *q, struct resp *r)
{
	char *v = NULL, *name = NULL;
	if (query_get(q->a, q->query, "attachment_id", ATTACHMENT_ID_MAX_LEN, &v) != 1 || !*v ||
	    strspn(v, "0123456789") != strlen(v))
		return false;
	int found = media_by_wp_id(&q->w->db, strtoll(v, NULL, 10), q->a, &name);
	if (found == 0) {
		page_error(q, r, 404, "There is no file at this address.");
		return true;
	}
	return media_redirect(q, r, found, name);
}

bool old_address(struct req *q, struct resp *r)
{
	if (strcmp(q->method, "GET") != 0 && strcmp(q->method, "HEAD") != 0)
		return false;
	size_t n = strlen(q->raw_path);
	while (n > 1 && q->raw_path[n - 1] == '/')
		n--;
	char *path = arena_strndup(q->a, q->raw_path, n);
	if (!path)
		return false;
	if (one_of(path, SITE_FEEDS, sizeof SITE_FEEDS / sizeof SITE_FEEDS[0])) {
		resp_redirect(r, 301, "/feed.atom");
		return true;
	}
	if (one_of(path, COMMENT_FEEDS, sizeof COMMENT_FEEDS / sizeof COMMENT_FEEDS[0])) {
		resp_redirect(r, 301, "/comments.atom");
		return true;
	}
	char *file = NULL;
	int media = media_by_old_path(&q->w->db, path, q->a, &file);
	if (media_redirect(q, r, media, file))
		return true;
	if ((strncmp(path, "/category/", 10) == 0 && n > 10) || (strncmp(path, "/tag/", 5) == 0 && n > 5))
		return old_tag(q, r, path);
	if (strncmp(path, "/author/", 8) == 0 && n > 8 && !strchr(path + 8, '/'))
		return old_author(q, r, path);
	size_t fl = strlen(FEED_SUFFIX);
	if (n > fl && strcmp(path + n - fl, FEED_SUFFIX) == 0)
		return old_post_feed(q, r, path, n);
	return false;
}
