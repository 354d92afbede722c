/* post_import: one transaction per post; nothing half-written on any error. */
#include "post_import.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_import.h"
#include "db_outbox.h"
#include "db_posts.h"
#include "db_tags.h"
#include "db_wpmeta.h"
#include "markdown.h"
#include "outbox.h"
#include "text.h"
#include "timefmt.h"

#define SLUG_FROM_TITLE_MAX 80 /* characters of a slug made from a title */

static int author_id(struct db *d, const char *name, sqlite3_int64 *id, char *err, size_t errsz)
{
	*id = 0;
	if (!name || !*name)
		return 0;
	int found = db_user_id_by_name(d, name, id);
	if (found > 0)
		return 0;
	if (found == 0)
		snprintf(err, errsz, "no author named '%.80s' (add one with 'quire user add')", name);
	return -1;
}

/* The slug, HTML and excerpt of p, made before the transaction; -1 out of memory. */
static int render(const struct post_in *p, struct buf *slug, struct buf *html, struct buf *excerpt)
{
	if (p->slug && *p->slug)
		buf_adds(slug, p->slug);
	else
		slugify(slug, p->title, SLUG_FROM_TITLE_MAX);
	if (slug->len == 0)
		buf_adds(slug, "post");
	if (md_render(p->body_md, p->body_len, html) < 0)
		return -1;
	if (p->excerpt && *p->excerpt)
		buf_adds(excerpt, p->excerpt);
	else if (md_excerpt(p->body_md, p->body_len, excerpt) < 0)
		return -1;
	return slug->oom || excerpt->oom ? -1 : 0;
}

/* The writes of one post, inside the caller's transaction; the id, or -1 (err set when it is
 * not the database's message). */
static sqlite3_int64 save_rows(struct db *d, const struct post_in *p, struct post_write *w, time_t now,
                               bool *existed, char *err, size_t errsz)
{
	sqlite3_int64 old = 0;
	int found = db_post_id_by_slug(d, w->slug, &old);
	if (found < 0 || author_id(d, p->author, &w->author_id, err, errsz) < 0)
		return -1;
	*existed = found > 0;
	sqlite3_int64 pid = db_post_upsert(d, w, now);
	if (pid <= 0 || post_set_tags(d, pid, p->tags, p->ntags) < 0 ||
	    (p->sticky >= 0 && db_post_sticky_set(d, pid, p->sticky == 1, now) < 0) ||
	    (p->notify >= 0 && db_post_notify_set(d, pid, p->notify == 1) < 0) || content_touch(d, now) < 0 ||
	    outbox_post_published(d, pid, now) < 0)
		return -1;
	return pid;
}

int post_save(struct db *d, const struct post_in *p, time_t now, char *slug_out, size_t slugsz, char *err,
              size_t errsz)
{
	struct buf slug = BUF_INIT, html = BUF_INIT, excerpt = BUF_INIT;
	int result = -1;
	bool existed = false;
	err[0] = '\0';
	if (render(p, &slug, &html, &excerpt) < 0) {
		snprintf(err, errsz, "out of memory rendering Markdown");
		goto out;
	}
	struct post_write w = {
	    .slug = buf_cstr(&slug),
	    .title = p->title,
	    .body_md = p->body_md,
	    .body_len = p->body_len,
	    .body_html = buf_cstr(&html),
	    .excerpt = buf_cstr(&excerpt),
	    .draft = p->draft,
	    .has_date = p->has_date,
	    .published_at = p->published_at,
	    .modified_at = p->modified_at,
	};
	if (db_begin(d) < 0) {
		snprintf(err, errsz, "sqlite: %s", db_errmsg(d));
		goto out;
	}
	/* the mail announcing the post is queued in the same transaction as the post */
	if (save_rows(d, p, &w, now, &existed, err, errsz) < 0 || db_commit(d) < 0) {
		if (!*err)
			snprintf(err, errsz, "sqlite: %s", db_errmsg(d));
		db_rollback(d);
		goto out;
	}
	snprintf(slug_out, slugsz, "%s", buf_cstr(&slug));
	result = existed ? POST_UPDATED : POST_CREATED;
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
	p.sticky = fm.sticky;
	p.notify = fm.notify;
	if (fm.date && *fm.date) {
		if (!time_parse(fm.date, &p.published_at)) {
			snprintf(err, errsz, "date '%.40s' is not YYYY-MM-DD or ISO 8601", fm.date);
			goto out;
		}
		p.has_date = true;
	}
	if (fm.updated && *fm.updated && !time_parse(fm.updated, &p.modified_at)) {
		snprintf(err, errsz, "updated '%.40s' is not YYYY-MM-DD or ISO 8601", fm.updated);
		goto out;
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
