/* db_search: the match ranks titles above tags above bodies (bm25 weights), newer first on ties. */
#include "db_search.h"

#include "log.h"

static bool space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

int search_query(const char *words, struct buf *out)
{
	int terms = 0;
	const char *p = words;
	while (*p && terms < SEARCH_TERMS_MAX) {
		while (space(*p))
			p++;
		const char *start = p;
		while (*p && !space(*p))
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

static const char SQL_COUNT[] =
    "SELECT count(*) FROM posts_fts f JOIN posts p ON p.id = f.rowid "
    "WHERE posts_fts MATCH ?1 AND p.status = 'published' AND p.published_at <= ?2";
static const char SQL_SEARCH[] =
    "SELECT p.slug, highlight(posts_fts, 0, char(2), char(3)), "
    "snippet(posts_fts, 1, char(2), char(3), '…', 24), p.published_at "
    "FROM posts_fts f JOIN posts p ON p.id = f.rowid "
    "WHERE posts_fts MATCH ?1 AND p.status = 'published' AND p.published_at <= ?2 "
    "ORDER BY bm25(posts_fts, 10.0, 1.0, 5.0), p.published_at DESC LIMIT ?3 OFFSET ?4";

long search_count(struct db *d, const char *fts, time_t now)
{
	/* not db_int: a query FTS5 refuses is the reader's, answered with a message, not logged */
	sqlite3_stmt *st = db_prep(d, SQL_COUNT);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, fts, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, now);
	long total = sqlite3_step(st) == SQLITE_ROW ? (long)sqlite3_column_int64(st, 0) : -1;
	sqlite3_reset(st);
	return total;
}

int search_hits(struct db *d, struct arena *a, const char *fts, time_t now, long limit, long offset,
                struct search_hit *hits)
{
	sqlite3_stmt *st = db_prep(d, SQL_SEARCH);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, fts, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, now);
	sqlite3_bind_int64(st, 3, limit);
	sqlite3_bind_int64(st, 4, offset);
	int n = 0, rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && n < limit) {
		struct search_hit *h = &hits[n];
		h->slug = arena_strdup(a, db_text(st, 0));
		h->title = arena_strdup(a, db_text(st, 1));
		h->snippet = arena_strdup(a, db_text(st, 2));
		h->published_at = (time_t)sqlite3_column_int64(st, 3);
		if (!h->slug || !h->title || !h->snippet) {
			rc = SQLITE_NOMEM;
			break;
		}
		n++;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		log_msg("search: sqlite: %s", rc == SQLITE_NOMEM ? "out of memory" : db_errmsg(d));
		return -1;
	}
	return n;
}
