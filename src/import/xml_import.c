/* xml_import: expat in namespace mode; entity expansion limited by expat's own protections. */
#include "xml_import.h"

#include <errno.h>
#include <expat.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "comment_text.h"
#include "db_posts.h"
#include "frontmatter.h"
#include "log.h"
#include "markdown.h"
#include "db_tags.h"
#include "post_import.h"
#include "text.h"
#include "users.h"

#define XML_TEXT_MAX (8 << 20) /* one element's text: a post body */

/* "uri|local" to a short name: wp:, content:, dc:, excerpt:, dsq:, or the local name alone. */
static void short_name(const char *n, char *out, size_t size)
{
	static const struct {
		const char *uri, *prefix;
	} ns[] = {{"http://wordpress.org/export/1.2/excerpt/", "excerpt:"},
	          {"http://wordpress.org/export/1.1/excerpt/", "excerpt:"},
	          {"http://wordpress.org/export/", "wp:"},
	          {"http://purl.org/rss/1.0/modules/content/", "content:"},
	          {"http://purl.org/dc/elements/1.1/", "dc:"},
	          {"http://disqus.com/disqus-internals", "dsq:"}};
	const char *bar = strchr(n, '|');
	if (!bar) {
		snprintf(out, size, "%s", n);
		return;
	}
	for (size_t i = 0; i < sizeof ns / sizeof ns[0]; i++)
		if (strncmp(n, ns[i].uri, strlen(ns[i].uri)) == 0) {
			snprintf(out, size, "%s%s", ns[i].prefix, bar + 1);
			return;
		}
	snprintf(out, size, "%s", bar + 1);
}

static void XMLCALL on_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct xml_reader *x = ud;
	char n[48];
	short_name(name, n, sizeof n);
	if (x->depth < XML_DEPTH_MAX)
		snprintf(x->path[x->depth], sizeof x->path[0], "%s", n);
	x->depth++;
	buf_reset(&x->text);
	struct xml_attr attrs[8];
	int k = 0;
	for (int i = 0; atts[i] && atts[i + 1] && k < 8; i += 2, k++) {
		short_name(atts[i], attrs[k].name, sizeof attrs[k].name);
		snprintf(attrs[k].value, sizeof attrs[k].value, "%s", atts[i + 1]);
	}
	if (x->start)
		x->start(x, n, attrs, k);
}

static void XMLCALL on_end(void *ud, const XML_Char *name)
{
	struct xml_reader *x = ud;
	char n[48];
	short_name(name, n, sizeof n);
	if (x->end)
		x->end(x, n, buf_cstr(&x->text));
	buf_reset(&x->text);
	x->depth--;
}

static void XMLCALL on_text(void *ud, const XML_Char *s, int len)
{
	struct xml_reader *x = ud;
	if (x->text.len + (size_t)len <= XML_TEXT_MAX)
		buf_add(&x->text, s, (size_t)len);
}

bool xml_parent_is(const struct xml_reader *x, const char *parent)
{
	return x->depth >= 2 && x->depth - 2 < XML_DEPTH_MAX && strcmp(x->path[x->depth - 2], parent) == 0;
}

int xml_read_file(struct xml_reader *x, const char *path, char *err, size_t errsz)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		return -1;
	}
	struct stat sb;
	long long size = fstat(fileno(f), &sb) == 0 ? (long long)sb.st_size : 0, done = 0;
	XML_Parser p = XML_ParserCreateNS("UTF-8", '|');
	if (!p) {
		fclose(f);
		snprintf(err, errsz, "out of memory");
		return -1;
	}
	XML_SetUserData(p, x);
	XML_SetElementHandler(p, on_start, on_end);
	XML_SetCharacterDataHandler(p, on_text);
	int rc = 0;
	char chunk[65536];
	for (;;) {
		size_t n = fread(chunk, 1, sizeof chunk, f);
		bool last = n < sizeof chunk;
		if (XML_Parse(p, chunk, (int)n, last) == XML_STATUS_ERROR) {
			snprintf(err, errsz, "%s:%lu: %s", path, (unsigned long)XML_GetCurrentLineNumber(p),
			         XML_ErrorString(XML_GetErrorCode(p)));
			rc = -1;
			break;
		}
		done += (long long)n;
		if (x->show_progress && size > 0) {
			int fill = (int)(done * 30 / size);
			fprintf(stderr, "\r[%.*s%.*s] %3lld%%", fill, "##############################",
			        30 - fill, "..............................", done * 100 / size);
		}
		if (last)
			break;
	}
	if (ferror(f)) {
		snprintf(err, errsz, "%s: read error", path);
		rc = -1;
	}
	if (x->show_progress)
		fputc('\n', stderr);
	XML_ParserFree(p);
	fclose(f);
	buf_free(&x->text);
	return rc;
}

void url_path(const char *url, char *out, size_t size)
{
	const char *p = strstr(url, "://");
	p = p ? strchr(p + 3, '/') : url;
	if (!p)
		p = "/";
	size_t n = strcspn(p, "?#");
	while (n > 1 && p[n - 1] == '/')
		n--;
	snprintf(out, size, "%.*s", (int)n, p);
}

/* The id of the user with that name or email, created (with an unusable random password) when missing. */
static sqlite3_int64 author(struct db *d, const char *name, const char *email, time_t now)
{
	if (!name || !*name)
		return 0;
	sqlite3_stmt *st = db_prep(d, "SELECT id FROM users WHERE name = ?1 OR (?2 != '' AND email = ?2)");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, email ? email : "", -1, SQLITE_STATIC);
	sqlite3_int64 id = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	if (id)
		return id;
	unsigned char raw[24];
	char pw[64], err[256], addr[300];
	randombytes_buf(raw, sizeof raw);
	sodium_bin2base64(pw, sizeof pw, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	struct buf slug = BUF_INIT;
	slugify(&slug, name, 60);
	/* an author without a usable address gets a placeholder one; the admin can change it */
	snprintf(addr, sizeof addr, "%s", email && email_valid(email) ? email : "");
	if (!*addr)
		snprintf(addr, sizeof addr, "%s@imported.invalid", slug.len ? buf_cstr(&slug) : "author");
	buf_free(&slug);
	if (user_add(d, name, addr, "", pw, now, err, sizeof err) < 0) {
		log_msg("import: author %s: %s", name, err);
		return 0;
	}
	log_msg("import: created author %s (set a password with 'quire user passwd')", name);
	return sqlite3_last_insert_rowid(d->h);
}

static sqlite3_int64 existing(struct db *d, long long wp_id, const char *slug)
{
	sqlite3_stmt *st = db_prep(d, "SELECT id FROM posts WHERE (?1 != 0 AND wp_id = ?1) OR slug = ?2 "
	                              "ORDER BY (wp_id = ?1) DESC LIMIT 1");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, wp_id);
	sqlite3_bind_text(st, 2, slug, -1, SQLITE_STATIC);
	sqlite3_int64 id = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	return id;
}

static const char SQL_INSERT[] = "INSERT INTO posts(slug, title, body_md, body_html, excerpt, author_id, "
                                 "status, published_at, created_at, "
                                 "updated_at, wp_id, notified_at) VALUES(?1, ?2, ?3, ?4, ?5, nullif(?6, 0), "
                                 "?7, ?8, ?9, ?9, nullif(?10, 0), ?9) "
                                 "RETURNING id";
static const char SQL_UPDATE[] =
    "UPDATE posts SET slug = ?1, title = ?2, body_md = ?3, body_html = ?4, excerpt = ?5, author_id = "
    "nullif(?6, 0), "
    "status = ?7, published_at = ?8, updated_at = ?9, wp_id = coalesce(nullif(?10, 0), wp_id), "
    "notified_at = coalesce(notified_at, ?9) WHERE id = ?11 RETURNING id";

static sqlite3_int64 write_post(struct db *d, const struct import_post *p, sqlite3_int64 id,
                                sqlite3_int64 aid, const char *slug, time_t now)
{
	struct buf html = BUF_INIT, ex = BUF_INIT;
	md_render(p->body_md, strlen(p->body_md), &html);
	if (p->excerpt && *p->excerpt)
		buf_adds(&ex, p->excerpt);
	else
		md_excerpt(p->body_md, strlen(p->body_md), &ex);
	sqlite3_stmt *st = db_prep(d, id ? SQL_UPDATE : SQL_INSERT);
	sqlite3_int64 out = -1;
	if (st) {
		sqlite3_bind_text(st, 1, slug, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, p->title, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, p->body_md, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, buf_cstr(&html), -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, buf_cstr(&ex), -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 6, aid);
		sqlite3_bind_text(st, 7, p->draft ? "draft" : "published", -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 8, p->published_at ? p->published_at : p->draft ? 0 : now);
		sqlite3_bind_int64(st, 9, now);
		sqlite3_bind_int64(st, 10, p->wp_id);
		if (id)
			sqlite3_bind_int64(st, 11, id);
		if (sqlite3_step(st) == SQLITE_ROW)
			out = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
	}
	buf_free(&html);
	buf_free(&ex);
	return out;
}

static int legacy(struct db *d, const char *path, sqlite3_int64 post, const char *slug)
{
	char own[300];
	snprintf(own, sizeof own, "/posts/%s", slug);
	if (!path || !*path || strcmp(path, "/") == 0 || strcmp(path, own) == 0)
		return 0;
	sqlite3_stmt *st = db_prep(d, "INSERT INTO legacy_redirects(path, post_id) VALUES(?1, ?2) "
	                              "ON CONFLICT(path) DO UPDATE SET post_id = excluded.post_id");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, post);
	int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
	sqlite3_reset(st);
	return rc;
}

sqlite3_int64 import_save_post(struct db *d, const struct import_post *p, time_t now, struct import_stats *st,
                               char *err, size_t errsz)
{
	struct buf slug = BUF_INIT;
	if (p->slug && slug_valid(p->slug) && strlen(p->slug) <= SLUG_MAX)
		buf_adds(&slug, p->slug);
	else
		slugify(&slug, p->slug && *p->slug ? p->slug : p->title, 80);
	if (!slug.len)
		buf_addf(&slug, "post-%lld", p->wp_id);
	sqlite3_int64 id = -1;
	if (db_begin(d) < 0)
		goto out;
	sqlite3_int64 aid = author(d, p->author_name, p->author_email, now);
	sqlite3_int64 old = existing(d, p->wp_id, buf_cstr(&slug));
	if (aid < 0 || old < 0)
		goto fail;
	id = write_post(d, p, old, aid, buf_cstr(&slug), now);
	if (id < 0 || post_set_tags(d, id, p->tags, p->ntags) < 0 ||
	    legacy(d, p->legacy_path, id, buf_cstr(&slug)) < 0 || content_touch(d, now) < 0 ||
	    db_commit(d) < 0)
		goto fail;
	if (old)
		st->posts_updated++;
	else
		st->posts_created++;
	goto out;
fail:
	snprintf(err, errsz, "post '%.60s': sqlite: %s", p->title, db_errmsg(d));
	db_rollback(d);
	id = -1;
out:
	buf_free(&slug);
	return id;
}

static sqlite3_int64 by_key(struct db *d, const char *key)
{
	if (!key || !*key)
		return 0;
	sqlite3_stmt *st = db_prep(d, "SELECT id FROM comments WHERE import_key = ?1");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_int64 id = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	return id;
}

int import_save_comment(struct db *d, const struct import_comment *c, struct import_stats *stats)
{
	if (by_key(d, c->key) > 0) {
		stats->comments_known++;
		return 0;
	}
	sqlite3_int64 parent = by_key(d, c->parent_key);
	struct buf html = BUF_INIT;
	comment_render(c->body_md, strlen(c->body_md), &html);
	sqlite3_stmt *st =
	    db_prep(d, "INSERT INTO comments(post_id, parent_id, author_name, author_email, author_url, "
	               "body, body_html, status, created_at, import_key) "
	               "VALUES(?1, nullif(?2, 0), ?3, ?4, ?5, ?6, ?7, 'approved', ?8, ?9)");
	int rc = -1;
	if (st) {
		sqlite3_bind_int64(st, 1, c->post_id);
		sqlite3_bind_int64(st, 2, parent > 0 ? parent : 0);
		sqlite3_bind_text(st, 3, c->name && *c->name ? c->name : "Anonymous", -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, c->email ? c->email : "", -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, c->url ? c->url : "", -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 6, c->body_md, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 7, buf_cstr(&html), -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 8, c->created_at);
		sqlite3_bind_text(st, 9, c->key, -1, SQLITE_STATIC);
		rc = sqlite3_step(st) == SQLITE_DONE ? 1 : -1;
		sqlite3_reset(st);
	}
	buf_free(&html);
	if (rc == 1) {
		stats->comments_created++;
		content_touch(d, time(NULL));
	}
	return rc;
}

sqlite3_int64 import_find_post(struct db *d, const char *url)
{
	char path[1024];
	url_path(url, path, sizeof path);
	sqlite3_stmt *st = db_prep(d, "SELECT id FROM posts WHERE '/posts/' || slug = ?1 UNION ALL "
	                              "SELECT post_id FROM legacy_redirects WHERE path = ?1 LIMIT 1");
	if (!st)
		return 0;
	sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
	sqlite3_int64 id = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	if (id)
		return id;
	const char *last = strrchr(path, '/');
	st = db_prep(d, "SELECT id FROM posts WHERE slug = ?1");
	if (!st || !last)
		return 0;
	sqlite3_bind_text(st, 1, last + 1, -1, SQLITE_STATIC);
	id = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	return id;
}
