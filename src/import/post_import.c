/* post_import: one transaction per post; nothing half-written on any error. */
#include "post_import.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_posts.h"
#include "db_tags.h"
#include "markdown.h"
#include "outbox.h"
#include "text.h"
#include "timefmt.h"

static int author_id(struct db *d, const char *name, sqlite3_int64 *id, char *err, size_t errsz)
{
	*id = 0;
	if (!name || !*name)
		return 0;
	sqlite3_stmt *st = db_prep(d, "SELECT id FROM users WHERE name = ?1 OR slug = ?1");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return 0;
	snprintf(err, errsz, "no author named '%.80s' (add one with 'quire user add')", name);
	return -1;
}

static const char SQL_UPSERT[] =
    "INSERT INTO posts(slug, title, body_md, body_html, excerpt, author_id, status, published_at, "
    "created_at, updated_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, "
    "coalesce(?8, CASE WHEN ?7 = 'draft' THEN 0 ELSE ?9 END), ?9, ?9) "
    "ON CONFLICT(slug) DO UPDATE SET title = excluded.title, body_md = excluded.body_md, "
    "body_html = excluded.body_html, excerpt = excluded.excerpt, author_id = excluded.author_id, "
    "status = excluded.status, published_at = coalesce(?8, CASE WHEN published_at = 0 AND ?7 = 'published' "
    "THEN ?9 ELSE published_at END), updated_at = ?9 "
    "RETURNING id";

int post_save(struct db *d, const struct post_in *p, time_t now, char *slug_out, size_t slugsz, char *err,
              size_t errsz)
{
	struct buf slug = BUF_INIT, html = BUF_INIT, excerpt = BUF_INIT;
	int result = -1;
	sqlite3_int64 aid, pid = 0;
	err[0] = '\0';
	if (p->slug && *p->slug)
		buf_adds(&slug, p->slug);
	else
		slugify(&slug, p->title, 80);
	if (slug.len == 0)
		buf_adds(&slug, "post");
	if (md_render(p->body_md, p->body_len, &html) < 0 ||
	    (p->excerpt && *p->excerpt ? (buf_adds(&excerpt, p->excerpt), 0)
	                               : md_excerpt(p->body_md, p->body_len, &excerpt)) < 0) {
		snprintf(err, errsz, "out of memory rendering Markdown");
		goto out;
	}
	if (db_begin(d) < 0) {
		snprintf(err, errsz, "sqlite: %s", db_errmsg(d));
		goto out;
	}
	int existed = 0;
	sqlite3_stmt *st = db_prep(d, "SELECT 1 FROM posts WHERE slug = ?1");
	if (!st || author_id(d, p->author, &aid, err, errsz) < 0)
		goto rollback;
	sqlite3_bind_text(st, 1, buf_cstr(&slug), -1, SQLITE_STATIC);
	existed = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_reset(st);
	st = db_prep(d, SQL_UPSERT);
	if (!st)
		goto rollback;
	sqlite3_bind_text(st, 1, buf_cstr(&slug), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, p->title, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, p->body_md, (int)p->body_len, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, buf_cstr(&html), (int)html.len, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, buf_cstr(&excerpt), (int)excerpt.len, SQLITE_STATIC);
	if (aid)
		sqlite3_bind_int64(st, 6, aid);
	sqlite3_bind_text(st, 7, p->draft ? "draft" : "published", -1, SQLITE_STATIC);
	if (p->has_date)
		sqlite3_bind_int64(st, 8, p->published_at);
	sqlite3_bind_int64(st, 9, now);
	if (sqlite3_step(st) == SQLITE_ROW)
		pid = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (!pid || post_set_tags(d, pid, p->tags, p->ntags) < 0 || content_touch(d, now) < 0 ||
	    outbox_post_published(d, pid, now) < 0) {
		snprintf(err, errsz, "sqlite: %s", db_errmsg(d));
		goto rollback;
	}
	if (db_commit(d) < 0) {
		snprintf(err, errsz, "sqlite: %s", db_errmsg(d));
		goto rollback;
	}
	snprintf(slug_out, slugsz, "%s", buf_cstr(&slug));
	result = existed ? POST_UPDATED : POST_CREATED;
	goto out;
rollback:
	if (!*err)
		snprintf(err, errsz, "sqlite: %s", db_errmsg(d));
	db_rollback(d);
out:
	buf_free(&slug);
	buf_free(&html);
	buf_free(&excerpt);
	return result;
}

static char *slurp(const char *path, size_t *len, char *err, size_t errsz)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		snprintf(err, errsz, "%s", strerror(errno));
		return NULL;
	}
	struct buf b = BUF_INIT;
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0 && b.len <= FM_MAX_FILE)
		buf_add(&b, chunk, n);
	int bad = ferror(f);
	fclose(f);
	if (bad || b.oom || b.len > FM_MAX_FILE) {
		snprintf(err, errsz, bad ? "read error" : "file larger than %d bytes", FM_MAX_FILE);
		buf_free(&b);
		return NULL;
	}
	*len = b.len;
	return buf_detach(&b);
}

int post_import_file(struct db *d, const char *path, time_t now, enum post_saved *what, char *slug_out,
                     size_t slugsz, char *warn, size_t warnsz, char *err, size_t errsz)
{
	size_t len = 0;
	char *text = slurp(path, &len, err, errsz);
	if (!text)
		return -1;
	struct frontmatter fm;
	struct post_in p = {0};
	int rc = -1;
	if (fm_parse(text, len, &fm, err, errsz) < 0)
		goto out;
	snprintf(warn, warnsz, "%s", fm.warning);
	p.title = fm.title;
	p.slug = fm.slug;
	p.body_md = fm.body;
	p.body_len = fm.body_len;
	p.excerpt = fm.excerpt;
	p.author = fm.author;
	p.draft = fm.draft == 1;
	if (fm.date && *fm.date) {
		if (!time_parse(fm.date, &p.published_at)) {
			snprintf(err, errsz, "date '%.40s' is not YYYY-MM-DD or ISO 8601", fm.date);
			goto out;
		}
		p.has_date = true;
	}
	if (fm.tags) {
		p.ntags = fm_split_tags((char *)fm.tags, p.tags, err, errsz);
		if (p.ntags < 0)
			goto out;
	}
	rc = post_save(d, &p, now, slug_out, slugsz, err, errsz);
	if (rc >= 0) {
		*what = (enum post_saved)rc;
		rc = 0;
	}
out:
	free(text);
	return rc;
}
