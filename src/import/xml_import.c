/* xml_import: expat in namespace mode; entity expansion limited by expat's own protections. */
#include "xml_import.h"

#include <errno.h>
#include <stdlib.h>
#include <expat.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "comment_text.h"
#include "db_import.h"
#include "db_pages.h"
#include "db_posts.h"
#include "frontmatter.h"
#include "log.h"
#include "markdown.h"
#include "db_tags.h"
#include "db_wpmeta.h"
#include "post_import.h"
#include "text.h"
#include "wxr_meta.h"

#define IMPORT_SLUG_MAX 80  /* characters of a slug made from a title */
#define AUTHOR_SLUG_MAX 60  /* characters of the slug in an author's placeholder address */
#define SLUG_TRIES_MAX 1000 /* SLUG-2 .. SLUG-1000: more posts holding one slug is an error */
#define SLUG_SUFFIX_ROOM 8  /* bytes of a slug kept free for "-1000" */

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
	x->text_size = 0;
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
	x->text_size = 0;
	x->depth--;
}

static void XMLCALL on_text(void *ud, const XML_Char *s, int len)
{
	struct xml_reader *x = ud;
	/* past the limit the text is only measured: the importer skips and names what it belongs to */
	x->text_size += (size_t)len;
	if (x->text_size <= XML_TEXT_MAX)
		buf_add(&x->text, s, (size_t)len);
}

bool xml_text_over(const struct xml_reader *x)
{
	return x->text_size > XML_TEXT_MAX;
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

/* The id of the user with that name or email, created (no password opens it) when missing; 0 when
 * none could be made (logged), -1 on a database error. */
static sqlite3_int64 author(struct db *d, const char *name, const char *email, time_t now)
{
	if (!name || !*name)
		return 0;
	sqlite3_int64 id = 0;
	int found = db_import_author_find(d, name, email, &id);
	if (found != 0)
		return found < 0 ? -1 : id;
	char err[256], addr[300];
	struct buf slug = BUF_INIT;
	slugify(&slug, name, AUTHOR_SLUG_MAX);
	/* an author without a usable address gets a placeholder one; the admin can change it */
	snprintf(addr, sizeof addr, "%s", email && email_valid(email) ? email : "");
	if (!*addr)
		snprintf(addr, sizeof addr, "%s@imported.invalid", slug.len ? buf_cstr(&slug) : "author");
	buf_free(&slug);
	id = db_import_author_add(d, name, addr, now, err, sizeof err);
	if (id < 0) {
		log_msg("import: author %s: %s", name, err);
		return 0;
	}
	log_info("import: created author %s (set a password with 'quire user passwd')", name);
	return id;
}

/* Renders p and writes it over post old (0: a new post); the id, or -1. When post old already holds
 * exactly this, nothing is written and *same is set, so a re-import keeps its updated date. A new
 * post is written without its Markdown, which import_save_post adds after the tags: the search
 * index's triggers tokenize the whole body again for each tag added, 25% of an import's time. */
static sqlite3_int64 write_post(struct db *d, const struct import_post *p, sqlite3_int64 old,
                                sqlite3_int64 aid, const char *slug, time_t now, bool *same)
{
	struct buf html = BUF_INIT, ex = BUF_INIT;
	sqlite3_int64 id = -1;
	size_t len = strlen(p->body_md);
	*same = false;
	if (md_render(p->body_md, len, &html) < 0)
		goto out;
	if (p->excerpt && *p->excerpt)
		buf_adds(&ex, p->excerpt);
	else if (md_excerpt(p->body_md, len, &ex) < 0)
		goto out;
	if (html.oom || ex.oom)
		goto out;
	struct post_write w = {
	    .slug = slug,
	    .title = p->title,
	    .body_md = old ? p->body_md : "",
	    .body_len = old ? len : 0,
	    .body_html = buf_cstr(&html),
	    .excerpt = buf_cstr(&ex),
	    .author_id = aid,
	    .draft = p->draft,
	    /* an undated published post is published now; an undated draft never was */
	    .published_at = p->published_at ? p->published_at
	                    : p->draft      ? 0
	                                    : now,
	    .wp_id = p->wp_id,
	    .modified_at = p->modified_at,
	    .featured_image = p->featured_image,
	};
	/* imported again, an undated post keeps the date its first import gave it */
	sqlite3_int64 was = 0;
	if (!p->published_at && old && db_import_post_date(d, old, &was) < 0)
		goto out;
	if (was)
		w.published_at = (time_t)was;
	int unchanged = old ? db_import_post_same(d, old, &w) : 0;
	if (unchanged > 0) {
		*same = true;
		id = old;
	} else if (unchanged == 0) {
		id = db_import_post_write(d, &w, old, now);
	}
out:
	buf_free(&html);
	buf_free(&ex);
	return id;
}

/* WordPress's /author/LOGIN/ (its nicename, made from the login) keeps reaching the author. */
static int author_logins(struct db *d, const char *login, sqlite3_int64 aid)
{
	char nicename[WXR_NICENAME_MAX + 1];
	if (!login || !*login || aid <= 0)
		return 0;
	wxr_nicename(login, nicename, sizeof nicename);
	if (db_author_login_set(d, login, aid) < 0)
		return -1;
	return *nicename && strcasecmp(nicename, login) != 0 ? db_author_login_set(d, nicename, aid) : 0;
}

/* Its old address redirects to the post, unless it is the post's own or the home page. */
static int legacy(struct db *d, const char *path, sqlite3_int64 post, const char *slug)
{
	char own[300];
	snprintf(own, sizeof own, "/posts/%s", slug);
	if (!path || !*path || strcmp(path, "/") == 0 || strcmp(path, own) == 0)
		return 0;
	return db_legacy_redirect_set(d, path, post);
}

/* A valid slug as given, else one made from it or the title, else one from the WordPress id;
 * true when a page's slug was one quire's addresses use and became SLUG-page. */
static bool import_slug(const struct import_post *p, struct buf *slug)
{
	if (p->slug && slug_valid(p->slug) && strlen(p->slug) <= SLUG_MAX)
		buf_adds(slug, p->slug);
	else
		slugify(slug, p->slug && *p->slug ? p->slug : p->title, IMPORT_SLUG_MAX);
	if (!slug->len)
		buf_addf(slug, "post-%lld", p->wp_id);
	/* a page lives at /SLUG: never over one of quire's own addresses or a date archive */
	if (!p->page || !page_slug_reserved(buf_cstr(slug)))
		return false;
	buf_adds(slug, "-page");
	return true;
}

/* The first of base, base-2, base-3... that no post holds or that the post imported under wp_id
 * holds already, so an import never takes the slug of a post it did not create. 1 when it is not
 * base, 0 when it is, -1 on error (err set). */
static int free_slug(struct db *d, long long wp_id, const char *base, struct buf *out, char *err,
                     size_t errsz)
{
	size_t keep = utf8_cut(base, strlen(base), SLUG_MAX - SLUG_SUFFIX_ROOM);
	for (int n = 1; n <= SLUG_TRIES_MAX; n++) {
		buf_reset(out);
		if (n == 1)
			buf_adds(out, base);
		else
			buf_addf(out, "%.*s-%d", (int)keep, base, n);
		sqlite3_int64 owner = 0;
		int taken = out->oom ? -1 : db_import_slug_owner(d, buf_cstr(out), &owner);
		if (taken < 0) {
			snprintf(err, errsz, "slug '%.60s': %s", base,
			         out->oom ? "out of memory" : db_errmsg(d));
			return -1;
		}
		if (taken == 0 || (wp_id && owner == wp_id))
			return n > 1;
	}
	snprintf(err, errsz, "slug '%.60s': %d posts hold it and its numbered forms", base, SLUG_TRIES_MAX);
	return -1;
}

/* The post's tags, rewritten only when they changed, so a re-import of an unchanged post writes
 * nothing (each write moves the cache generation and re-indexes the post for search). 0 or -1. */
/* Keeps each tag's old WordPress address (its nicename, percent-decoded) as an alias. */
static int set_tag_aliases(struct db *d, const struct import_post *p)
{
	int rc = 0;
	for (int i = 0; i < p->ntags && i < IMPORT_TAGS_MAX && rc == 0; i++) {
		const char *alias = p->tag_aliases[i];
		if (!alias || !*alias)
			continue;
		struct buf slug = BUF_INIT;
		size_t n = strlen(alias);
		char *old = malloc(n + 1);
		slugify(&slug, p->tags[i], TAG_SLUG_MAX);
		if (!old || slug.oom || url_decode(old, alias, n, false) < 0)
			rc = old && !slug.oom ? 0 : -1; /* a nicename that is no valid encoding: no alias */
		else
			rc = db_tag_alias_set(d, old, buf_cstr(&slug));
		free(old);
		buf_free(&slug);
	}
	return rc;
}

static int set_tags(struct db *d, sqlite3_int64 id, const struct import_post *p, bool existed)
{
	struct buf slugs[IMPORT_TAGS_MAX];
	const char *s[IMPORT_TAGS_MAX] = {0};
	int n = 0, rc = -1, eq = 0;
	for (int i = 0; i < p->ntags && i < IMPORT_TAGS_MAX; i++) {
		slugs[n] = (struct buf)BUF_INIT;
		slugify(&slugs[n], p->tags[i], TAG_SLUG_MAX);
		s[n] = buf_cstr(&slugs[n]);
		bool dup = slugs[n].len == 0;
		for (int j = 0; j < n && !dup; j++)
			dup = strcmp(s[j], s[n]) == 0;
		if (slugs[n].oom)
			eq = -1;
		if (dup)
			buf_free(&slugs[n]);
		else
			n++;
	}
	if (eq == 0 && existed)
		eq = db_import_post_tags_same(d, id, s, n);
	if (eq == 1)
		rc = 0;
	else if (eq == 0)
		rc = post_set_tags(d, id, p->tags, p->ntags);
	for (int i = 0; i < n; i++)
		buf_free(&slugs[i]);
	return rc;
}

sqlite3_int64 import_save_post(struct db *d, const struct import_post *p, time_t now, struct import_stats *st,
                               char *err, size_t errsz)
{
	struct buf base = BUF_INIT, slug = BUF_INIT;
	sqlite3_int64 id = -1, old = 0;
	bool same = false;
	int renamed = 0, began = -1;
	err[0] = '\0';
	bool reserved = import_slug(p, &base);
	if (base.oom) {
		snprintf(err, errsz, "post '%.60s': out of memory", p->title);
		goto out;
	}
	if (p->slug_given && strcmp(buf_cstr(&base), p->slug) != 0) {
		st->slugs_changed++;
		log_warn("import: post '%.60s' (WordPress id %lld): slug '%.60s%s' (%zu bytes) is not a "
		         "quire slug (lowercase, digits, single dashes, at most %d bytes): made '%s'",
		         p->title, p->wp_id, p->slug, strlen(p->slug) > 60 ? "..." : "", strlen(p->slug),
		         SLUG_MAX, buf_cstr(&base));
	}
	began = db_import_item_begin(d);
	if (began < 0) {
		snprintf(err, errsz, "post '%.60s': sqlite: %s", p->title, db_errmsg(d));
		goto out;
	}
	sqlite3_int64 aid = author(d, p->author_name, p->author_email, now);
	/* matched by its import key only: a slug or a title says nothing about who created a post */
	if (aid < 0 || (p->wp_id && db_import_post_by_wp_id(d, p->wp_id, &old) < 0))
		goto fail;
	renamed = free_slug(d, p->wp_id, buf_cstr(&base), &slug, err, errsz);
	if (renamed < 0)
		goto fail;
	id = write_post(d, p, old, aid, buf_cstr(&slug), now, &same);
	if (id < 0 || (p->page && db_import_page_set(d, id, p->menu_order) < 0) ||
	    set_tags(d, id, p, old != 0) < 0 || set_tag_aliases(d, p) < 0 ||
	    (!old && *p->body_md && db_import_post_body(d, id, p->body_md, strlen(p->body_md)) < 0) ||
	    db_post_sticky_set(d, id, p->sticky, now) < 0 || author_logins(d, p->author_login, aid) < 0 ||
	    legacy(d, p->legacy_path, id, buf_cstr(&slug)) < 0 || (!same && content_touch(d, now) < 0) ||
	    db_import_item_end(d, began, true) < 0)
		goto fail;
	if (same)
		st->posts_unchanged++;
	else if (old)
		st->posts_updated++;
	else
		st->posts_created++;
	if (p->page) {
		st->pages++;
		if (reserved) {
			st->pages_renamed++;
			log_warn(
			    "import: page '%.60s' (WordPress id %lld): its slug is an address quire uses, "
			    "imported as '%s'",
			    p->title, p->wp_id, buf_cstr(&slug));
		}
	}
	if (renamed && p->slug_given) {
		st->slugs_renamed++;
		log_warn("import: post '%.60s' (WordPress id %lld): slug '%s' belongs to another post, "
		         "imported as '%s'",
		         p->title, p->wp_id, buf_cstr(&base), buf_cstr(&slug));
	}
	goto out;
fail:
	if (!err[0])
		snprintf(err, errsz, "post '%.60s': sqlite: %s", p->title, db_errmsg(d));
	db_import_item_end(d, began, false);
	id = -1;
out:
	buf_free(&base);
	buf_free(&slug);
	return id;
}

/* The comment stored under key (0: none or no key), or -1. */
static sqlite3_int64 by_key(struct db *d, const char *key)
{
	sqlite3_int64 id = 0;
	if (!key || !*key)
		return 0;
	return db_comment_by_import_key(d, key, &id) < 0 ? -1 : id;
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
	struct comment_write w = {
	    .key = c->key,
	    .post_id = c->post_id,
	    .parent_id = parent > 0 ? parent : 0,
	    .name = c->name && *c->name ? c->name : "Anonymous",
	    .email = c->email ? c->email : "",
	    .url = c->url ? c->url : "",
	    .body_md = c->body_md,
	    .body_html = buf_cstr(&html),
	    .created_at = c->created_at,
	    .pending = c->pending,
	    .kind = c->kind && *c->kind ? c->kind : "comment",
	};
	int rc = db_import_comment_insert(d, &w) < 0 ? -1 : 1;
	buf_free(&html);
	if (rc == 1) {
		stats->comments_created++;
		if (c->pending)
			stats->comments_pending++;
		content_touch(d, time(NULL));
	}
	return rc;
}

sqlite3_int64 import_find_post(struct db *d, const char *url)
{
	char path[1024];
	url_path(url, path, sizeof path);
	sqlite3_int64 id = 0;
	if (db_import_post_by_path(d, path, &id) > 0)
		return id;
	const char *last = strrchr(path, '/');
	if (!last || db_post_id_by_slug(d, last + 1, &id) <= 0)
		return 0;
	return id;
}
