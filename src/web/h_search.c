/* h_search: /search?q=...: full-text search (FTS5) over visible posts, ranked, with highlighted
 * snippets. The reader's words are quoted one by one, so no input is FTS syntax. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_posts.h"
#include "handlers.h"
#include "log.h"
#include "site.h"
#include "text.h"
#include "timefmt.h"

#define SEARCH_QUERY_MAX 200 /* characters */
#define SEARCH_TERMS_MAX 10
#define SEARCH_PER_PAGE 10

/* "word" "other"* from the reader's text: each word quoted (quotes doubled), the last a prefix. */
static int fts_query(const char *q, struct buf *out)
{
	int terms = 0;
	const char *p = q;
	while (*p && terms < SEARCH_TERMS_MAX) {
		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
			p++;
		const char *start = p;
		while (*p && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
			p++;
		if (p == start)
			break;
		if (terms)
			buf_addc(out, ' ');
		buf_addc(out, '"');
		for (const char *c = start; c < p; c++) {
			if (*c == '"')
				buf_addc(out, '"');
			buf_addc(out, *c);
		}
		buf_addc(out, '"');
		terms++;
	}
	if (terms)
		buf_addc(out, '*');
	return terms;
}

/* Escapes text, then turns the \x02 \x03 markers of snippet() into <mark> elements. */
static char *marked(struct req *q, const char *text)
{
	struct buf e = BUF_INIT, out = BUF_INIT;
	esc_html(&e, text, strlen(text));
	for (const char *p = buf_cstr(&e); *p; p++) {
		if (*p == '\x02')
			buf_adds(&out, "<mark>");
		else if (*p == '\x03')
			buf_adds(&out, "</mark>");
		else
			buf_addc(&out, *p);
	}
	char *s = arena_strdup(q->a, buf_cstr(&out));
	buf_free(&e);
	buf_free(&out);
	return s;
}

static const char SQL_COUNT[] =
    "SELECT count(*) FROM posts_fts f JOIN posts p ON p.id = f.rowid "
    "WHERE posts_fts MATCH ?1 AND p.status = 'published' AND p.published_at <= ?2";
static const char SQL_SEARCH[] =
    "SELECT p.slug, highlight(posts_fts, 0, char(2), char(3)), snippet(posts_fts, 1, char(2), char(3), '…', "
    "24), "
    "p.published_at FROM posts_fts f JOIN posts p ON p.id = f.rowid "
    "WHERE posts_fts MATCH ?1 AND p.status = 'published' AND p.published_at <= ?2 "
    "ORDER BY bm25(posts_fts, 10.0, 1.0, 5.0), p.published_at DESC LIMIT ?3 OFFSET ?4";

/* Runs the search into list; the total, or -1 when SQLite refused the query. */
static long run_search(struct req *q, const char *fts, long page, struct tlist *list)
{
	struct db *db = &q->w->db;
	sqlite3_stmt *st = db_prep(db, SQL_COUNT);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, fts, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, q->now);
	long total = sqlite3_step(st) == SQLITE_ROW ? (long)sqlite3_column_int64(st, 0) : -1;
	sqlite3_reset(st);
	if (total <= 0 || !(st = db_prep(db, SQL_SEARCH)))
		return total;
	sqlite3_bind_text(st, 1, fts, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, q->now);
	sqlite3_bind_int64(st, 3, SEARCH_PER_PAGE);
	sqlite3_bind_int64(st, 4, (page - 1) * SEARCH_PER_PAGE);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct tobj *o = tlist_add(list);
		struct buf u = BUF_INIT;
		buf_adds(&u, "/posts/");
		esc_url(&u, db_text(st, 0), strlen(db_text(st, 0)));
		tset_str(o, "url", buf_cstr(&u));
		buf_free(&u);
		tset_html(o, "title_html", marked(q, db_text(st, 1)));
		tset_html(o, "snippet_html", marked(q, db_text(st, 2)));
		char b[TIME_BUFSZ];
		time_human((time_t)sqlite3_column_int64(st, 3), b);
		tset_str(o, "date", b);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		log_msg("search: sqlite: %s", db_errmsg(db));
		return -1;
	}
	return total;
}

void h_search(struct req *q, struct resp *r)
{
	char *text = NULL, *pg = NULL;
	int got = query_get(q->a, q->query, "q", SEARCH_QUERY_MAX * 4, &text);
	long page = query_get(q->a, q->query, "page", 6, &pg) == 1 ? strtol(pg, NULL, 10) : 1;
	if (page < 1 || page > 10000)
		page = 1;
	struct tobj *ctx = page_ctx(q, "Search");
	tset_bool(ctx, "noindex", true);
	r->last_modified = site_last_modified(q);
	if (got < 0 ||
	    (text && (utf8_len(text, strlen(text)) > SEARCH_QUERY_MAX || has_control(text, strlen(text))))) {
		tset_str(ctx, "message", "That search is too long or not readable text. Try a few words.");
		tset_str(ctx, "q", "");
		return page_render(q, r, "search", ctx);
	}
	tset_str(ctx, "q", text ? text : "");
	struct buf fts = BUF_INIT;
	if (!text || fts_query(text, &fts) == 0) {
		buf_free(&fts);
		return page_render(q, r, "search", ctx);
	}
	struct tlist *list = tset_list(ctx, "results");
	long total = run_search(q, buf_cstr(&fts), page, list);
	buf_free(&fts);
	tset_bool(ctx, "searched", true);
	if (total < 0) {
		tset_str(ctx, "message", "That search could not be run. Try other words.");
		total = 0;
	}
	tset_int(ctx, "total", total);
	tset_str(ctx, "total_label", total == 1 ? "1 result" : arena_printf(q->a, "%ld results", total));
	long pages = (total + SEARCH_PER_PAGE - 1) / SEARCH_PER_PAGE;
	struct buf base = BUF_INIT;
	buf_adds(&base, "/search?q=");
	esc_url(&base, text, strlen(text));
	pager_set(q, ctx, buf_cstr(&base), page, pages);
	buf_free(&base);
	page_render(q, r, "search", ctx);
}
