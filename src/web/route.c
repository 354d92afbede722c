/* route: matching works on raw segments, so an encoded "/" inside a slug stays inside it. */
#include "route.h"

#include <stdbool.h>
#include <string.h>

#include "handlers.h"
#include "text.h"

const struct route routes[] = {
    {"GET", "/", h_home, R_READER | R_COUNT},
    {"GET", "/page/:", h_home_page, R_READER | R_COUNT},
    {"GET", "/posts/:", h_article, R_READER | R_COUNT},
    {"GET", "/posts/:/comment-page/:", h_article, R_READER | R_COUNT},
    {"POST", "/posts/:/comments", h_comment_post, R_FORM},
    {"GET", "/posts/:/comments.atom", h_post_comments_feed, R_READER},
    {"GET", "/comments.atom", h_comments_feed, R_READER},
    {"GET", "/tags", h_tags, R_READER | R_COUNT},
    {"GET", "/tags/:", h_tag, R_READER | R_COUNT},
    {"GET", "/tags/:/page/:", h_tag, R_READER | R_COUNT},
    {"GET", "/authors/:", h_author, R_READER},
    {"GET", "/authors/:/page/:", h_author, R_READER},
    {"GET", "/feed.atom", h_feed, R_READER},
    {"GET", "/sitemap.xml", h_sitemap, R_READER},
    {"GET", "/robots.txt", h_robots, R_READER},
    {"GET", "/healthz", h_healthz, R_NONE},
    {"GET", "/search", h_search, R_READER},
    {"GET", "/subscribe", h_subscribe_form, R_NONE},
    {"POST", "/subscribe", h_subscribe, R_FORM},
    {"GET", "/subscribe/confirm", h_subscribe_confirm_form, R_NONE},
    {"POST", "/subscribe/confirm", h_subscribe_confirm, R_FORM},
    {"GET", "/unsubscribe", h_unsubscribe_form, R_NONE},
    {"POST", "/unsubscribe", h_unsubscribe, R_FORM},
    {"GET", "/admin/login", h_admin_login_form, R_NONE},
    {"POST", "/admin/login", h_admin_login, R_FORM},
    {"POST", "/admin/logout", h_admin_logout, R_ADMIN},
    {"GET", "/admin", h_admin_slash, R_NONE},
    {"GET", "/admin/", h_admin_dashboard, R_ADMIN},
    {"GET", "/admin/posts", h_admin_posts, R_ADMIN},
    {"POST", "/admin/posts", h_admin_post_save, R_ADMIN | R_UPLOAD | R_OWN_POST},
    {"GET", "/admin/posts/new", h_admin_post_new, R_ADMIN},
    {"GET", "/admin/posts/:/edit", h_admin_post_edit, R_ADMIN | R_OWN_POST},
    {"POST", "/admin/posts/:", h_admin_post_save, R_ADMIN | R_UPLOAD | R_OWN_POST},
    {"GET", "/admin/posts/:/preview", h_admin_post_preview, R_ADMIN | R_OWN_POST},
    {"GET", "/admin/posts/:/delete", h_admin_post_delete_form, R_ADMIN | R_OWN_POST},
    {"POST", "/admin/posts/:/delete", h_admin_post_delete, R_ADMIN | R_OWN_POST},
    {"POST", "/admin/posts/:/autosave", h_admin_post_autosave, R_ADMIN | R_UPLOAD | R_OWN_POST},
    {"POST", "/admin/posts/:/autosave/dismiss", h_admin_autosave_dismiss, R_ADMIN | R_OWN_POST},
    {"POST", "/admin/posts/:/upload", h_admin_post_upload, R_ADMIN | R_UPLOAD | R_OWN_POST},
    {"GET", "/admin/posts/:/revisions", h_admin_revisions, R_ADMIN | R_OWN_POST},
    {"GET", "/admin/posts/:/revisions/:", h_admin_revision, R_ADMIN | R_OWN_POST},
    {"POST", "/admin/posts/:/revisions/:/restore", h_admin_revision_restore, R_ADMIN | R_OWN_POST},
    {"POST", "/admin/media", h_admin_media, R_ADMIN | R_UPLOAD | R_OWN_POST},
    {"GET", "/admin/media", h_admin_library, R_ADMIN},
    {"POST", "/admin/media/:/alt", h_admin_media_alt, R_ADMIN},
    {"GET", "/admin/media/:/delete", h_admin_media_delete_form, R_ADMIN | R_ADMIN_ONLY},
    {"POST", "/admin/media/:/delete", h_admin_media_delete, R_ADMIN | R_ADMIN_ONLY},
    {"GET", "/admin/comments", h_admin_comments, R_ADMIN},
    {"POST", "/admin/comments", h_admin_comments_bulk, R_ADMIN | R_OWN_COMMENT},
    {"POST", "/admin/comments/:", h_admin_comment_action, R_ADMIN | R_OWN_COMMENT},
    {"POST", "/admin/comments/:/reply", h_admin_comment_reply, R_ADMIN | R_OWN_COMMENT},
    {"GET", "/admin/comments/:/edit", h_admin_comment_edit_form, R_ADMIN | R_OWN_COMMENT},
    {"POST", "/admin/comments/:/edit", h_admin_comment_edit, R_ADMIN | R_OWN_COMMENT},
    {"GET", "/admin/subscribers", h_admin_subscribers, R_ADMIN | R_ADMIN_ONLY},
    {"GET", "/admin/stats", h_admin_stats, R_ADMIN | R_ADMIN_ONLY},
    {"GET", "/admin/subscribers.csv", h_admin_subscribers_csv, R_ADMIN | R_ADMIN_ONLY},
    {"POST", "/admin/subscribers/:/delete", h_admin_subscriber_delete, R_ADMIN | R_ADMIN_ONLY},
    {"POST", "/admin/outbox/retry", h_admin_outbox_retry, R_ADMIN | R_ADMIN_ONLY},
    {"GET", "/admin/settings", h_admin_settings, R_ADMIN | R_ADMIN_ONLY},
    {"POST", "/admin/settings", h_admin_settings_save, R_ADMIN | R_ADMIN_ONLY},
    {"GET", "/admin/users", h_admin_users, R_ADMIN | R_ADMIN_ONLY},
    {"POST", "/admin/users", h_admin_user_add, R_ADMIN | R_ADMIN_ONLY},
    {"GET", "/admin/users/:/delete", h_admin_user_delete_form, R_ADMIN | R_ADMIN_ONLY},
    {"POST", "/admin/users/:/delete", h_admin_user_delete, R_ADMIN | R_ADMIN_ONLY},
    {"POST", "/admin/users/:", h_admin_user_action, R_ADMIN | R_ADMIN_ONLY},
    {"GET", "/admin/profile", h_admin_profile, R_ADMIN},
    {"POST", "/admin/profile", h_admin_profile_save, R_ADMIN},
    {"POST", "/admin/profile/password", h_admin_profile_password, R_ADMIN},
    {"POST", "/admin/profile/photo", h_admin_profile_photo, R_ADMIN | R_UPLOAD},
    {"GET", "/admin/forgot", h_admin_forgot_form, R_NONE},
    {"POST", "/admin/forgot", h_admin_forgot, R_FORM},
    {"GET", "/admin/reset", h_admin_reset_form, R_NONE},
    {"POST", "/admin/reset", h_admin_reset, R_FORM},
};
const size_t routes_count = sizeof routes / sizeof routes[0];

/* Compares one pattern with the raw path; fills params (decoded) on a match. */
static enum route_status match_one(const char *pat, const char *path, size_t plen, struct req *q)
{
	int np = 0;
	const char *p = path, *end = path + plen;
	while (*pat) {
		if (*pat == ':') {
			const char *seg_end = memchr(p, '/', (size_t)(end - p));
			if (!seg_end)
				seg_end = end;
			size_t sl = (size_t)(seg_end - p);
			if (sl == 0 || np == ROUTE_MAX_PARAMS)
				return ROUTE_NOT_FOUND;
			if (sl > PARAM_MAX_LEN * 3)
				return ROUTE_TOO_LONG;
			char *d = arena_alloc(q->a, sl + 1);
			if (!d)
				return ROUTE_BAD_REQUEST;
			long dl = url_decode(d, p, sl, false);
			if (dl < 0 || !utf8_valid(d, (size_t)dl) || has_control(d, (size_t)dl) ||
			    memchr(d, '\n', (size_t)dl) || memchr(d, '\t', (size_t)dl))
				return ROUTE_BAD_REQUEST;
			if ((size_t)dl > PARAM_MAX_LEN)
				return ROUTE_NOT_FOUND;
			q->params[np++] = d;
			p = seg_end;
			pat++;
			continue;
		}
		if (p >= end || *p != *pat)
			return ROUTE_NOT_FOUND;
		p++;
		pat++;
	}
	if (p != end)
		return ROUTE_NOT_FOUND;
	q->nparams = np;
	return ROUTE_OK;
}

static bool method_ok(const char *route_method, const char *method)
{
	return strcmp(route_method, method) == 0 ||
	       (strcmp(route_method, "GET") == 0 && strcmp(method, "HEAD") == 0);
}

static enum route_status scan(const struct route *table, size_t n, struct req *q, size_t plen,
                              const struct route **out, struct buf *allow)
{
	bool path_known = false;
	for (size_t i = 0; i < n; i++) {
		enum route_status st = match_one(table[i].pattern, q->raw_path, plen, q);
		if (st == ROUTE_BAD_REQUEST || st == ROUTE_TOO_LONG)
			return st;
		if (st != ROUTE_OK)
			continue;
		if (method_ok(table[i].method, q->method)) {
			*out = &table[i];
			return ROUTE_OK;
		}
		if (allow) {
			if (path_known)
				buf_adds(allow, ", ");
			buf_adds(allow, table[i].method);
			if (strcmp(table[i].method, "GET") == 0)
				buf_adds(allow, ", HEAD");
		}
		path_known = true;
	}
	return path_known ? ROUTE_BAD_METHOD : ROUTE_NOT_FOUND;
}

enum route_status route_match(const struct route *table, size_t n, struct req *q, const struct route **out,
                              struct buf *allow)
{
	const char *path = q->raw_path;
	size_t plen = strlen(path);
	q->nparams = 0;
	if (plen > PATH_MAX_LEN || strlen(q->query) > QUERY_MAX_LEN)
		return ROUTE_TOO_LONG;
	if (path[0] != '/')
		return ROUTE_BAD_REQUEST;
	/* the whole path must decode to valid UTF-8 before any handler sees a part of it */
	char *d = arena_alloc(q->a, plen + 1);
	if (!d)
		return ROUTE_BAD_REQUEST;
	long dl = url_decode(d, path, plen, false);
	if (dl < 0 || !utf8_valid(d, (size_t)dl) || has_control(d, (size_t)dl))
		return ROUTE_BAD_REQUEST;
	enum route_status st = scan(table, n, q, plen, out, allow);
	if (st == ROUTE_NOT_FOUND && plen > 1 && path[plen - 1] == '/' &&
	    scan(table, n, q, plen - 1, out, NULL) != ROUTE_NOT_FOUND)
		return ROUTE_SLASH_REDIRECT;
	return st;
}

static bool unreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
	       c == '.' || c == '_' || c == '~';
}

char *route_canonical(struct arena *a, const char *path)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = strlen(path);
	char *out = arena_alloc(a, n * 3 + 1);
	if (!out)
		return NULL;
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)path[i];
		int hi = -1, lo = -1;
		if (c == '%' && i + 2 < n && (hi = hexval((unsigned char)path[i + 1])) >= 0 &&
		    (lo = hexval((unsigned char)path[i + 2])) >= 0) {
			c = (unsigned char)(hi * 16 + lo);
			i += 2;
			if (!unreserved(c))
				goto escape;
			out[o++] = (char)c;
			continue;
		}
		if (c < 0x80) {
			out[o++] = (char)c;
			continue;
		}
	escape:
		out[o++] = '%';
		out[o++] = hex[c >> 4];
		out[o++] = hex[c & 15];
	}
	out[o] = '\0';
	return strcmp(out, path) == 0 ? NULL : out;
}
