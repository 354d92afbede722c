/* db_search: matches ranked in tiers (all the words in the title, then in the title and tags,
 * then anywhere), newest first within a tier, without scoring every match.
 *
 * Why tiers and not bm25: bm25 reads the position lists of every matching post, and ordering
 * by it, joined to posts for the visibility test, took 80 ms of CPU for a common word on 10,000
 * posts (1.5 s under load). Here each tier walks the visible posts newest first on the covering
 * index posts_visible and stops when the page is full; the title tiers are answered by the
 * small titles-and-tags index of sql/019, and the big index is read for the count (which stops
 * at SEARCH_COUNT_MAX: "more than 1000") and, only when the title tiers do not fill the page,
 * once for the body tier. This is also how
 * WordPress orders its search (title matches first, then by date). */
#include "db_search.h"

#include <string.h>

#include "log.h"

static bool space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* The letters and digits of the word [start, end): characters other than ASCII punctuation,
 * which the tokenizer drops ("c++" is the token "c"). */
static int word_chars(const char *start, const char *end)
{
	int n = 0;
	for (const unsigned char *c = (const unsigned char *)start; c < (const unsigned char *)end; c++)
		if ((*c & 0xC0) != 0x80 &&
		    (*c >= 0x80 || (*c >= '0' && *c <= '9') || ((*c | 0x20) >= 'a' && (*c | 0x20) <= 'z')))
			n++;
	return n;
}

int search_query(const char *words, struct buf *out)
{
	int terms = 0, last = 0;
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
		last = word_chars(start, p);
		terms++;
	}
	if (terms && last >= SEARCH_PREFIX_MIN)
		buf_addc(out, '*');
	return terms;
}

/* Posts a reader cannot see (drafts, scheduled), each an index range of posts_visible. */
static const char SQL_HIDDEN[] =
    "SELECT (SELECT count(*) FROM posts INDEXED BY posts_visible WHERE status = 'draft') + "
    "(SELECT count(*) FROM posts INDEXED BY posts_visible WHERE status = 'published' AND published_at > ?1)";
/* The matches of the big index, at most ?2: FTS5 stops reading the doclists there. */
static const char SQL_FOUND[] =
    "SELECT count(*) FROM (SELECT 1 FROM posts_fts WHERE posts_fts MATCH ?1 LIMIT ?2)";
/* The matches among the hidden posts (read only when there are some). */
static const char SQL_FOUND_HIDDEN[] =
    "SELECT (SELECT count(*) FROM posts p INDEXED BY posts_visible WHERE p.status = 'draft' "
    "AND p.id IN (SELECT rowid FROM posts_fts WHERE posts_fts MATCH ?1)) + "
    "(SELECT count(*) FROM posts p INDEXED BY posts_visible "
    "WHERE p.status = 'published' AND p.published_at > ?2 "
    "AND p.id IN (SELECT rowid FROM posts_fts WHERE posts_fts MATCH ?1))";

/* Few matches (at most SEARCH_SORT_MAX): each is looked up and the whole set sorted by the same
 * tiers as SQL_RANK, cheaper than walking every visible post three times. */
static const char SQL_RANK_FEW[] =
    "WITH t(id) AS (SELECT rowid FROM posts_title_fts WHERE posts_title_fts MATCH ?2), "
    "tt(id) AS (SELECT rowid FROM posts_title_fts WHERE posts_title_fts MATCH ?1) "
    "SELECT p.id, p.published_at FROM posts_fts f CROSS JOIN posts p ON p.id = f.rowid "
    "WHERE posts_fts MATCH ?1 AND p.status = 'published' AND p.published_at <= ?3 "
    "ORDER BY p.id IN t DESC, p.id IN tt DESC, p.published_at DESC, p.id DESC LIMIT ?4 OFFSET ?5";

/* Many matches. ?1 the query, ?2 the same restricted to titles, ?3 now. Each tier walks
 * posts_visible newest first; a later tier is only read when the earlier ones did not reach
 * LIMIT + OFFSET, so the first pages of a common word stop after a few dozen posts. */
static const char SQL_RANK[] =
    "WITH t(id) AS (SELECT rowid FROM posts_title_fts WHERE posts_title_fts MATCH ?2), "
    "tt(id) AS (SELECT rowid FROM posts_title_fts WHERE posts_title_fts MATCH ?1), "
    "m(id) AS (SELECT rowid FROM posts_fts WHERE posts_fts MATCH ?1) "
    "SELECT * FROM (SELECT p.id, p.published_at FROM posts p INDEXED BY posts_visible "
    "WHERE p.status = 'published' AND p.published_at <= ?3 AND p.id IN t "
    "ORDER BY p.published_at DESC, p.id DESC) "
    "UNION ALL SELECT * FROM (SELECT p.id, p.published_at FROM posts p INDEXED BY posts_visible "
    "WHERE p.status = 'published' AND p.published_at <= ?3 AND p.id IN tt AND p.id NOT IN t "
    "ORDER BY p.published_at DESC, p.id DESC) "
    "UNION ALL SELECT * FROM (SELECT p.id, p.published_at FROM posts p INDEXED BY posts_visible "
    "WHERE p.status = 'published' AND p.published_at <= ?3 AND p.id IN m AND p.id NOT IN tt "
    "ORDER BY p.published_at DESC, p.id DESC) "
    "LIMIT ?4 OFFSET ?5";

/* Many matches but few in titles and tags (at most SEARCH_SORT_MAX): those are looked up and
 * sorted, the body tier walked as in SQL_RANK (a walk per title tier costs 1.2 ms on 10,000
 * posts however few titles match; a sort of 7 of them 0.01 ms). */
static const char SQL_RANK_TITLES_FEW[] =
    "WITH t(id) AS (SELECT rowid FROM posts_title_fts WHERE posts_title_fts MATCH ?2), "
    "tt(id) AS (SELECT rowid FROM posts_title_fts WHERE posts_title_fts MATCH ?1), "
    "m(id) AS (SELECT rowid FROM posts_fts WHERE posts_fts MATCH ?1) "
    "SELECT * FROM (SELECT p.id, p.published_at FROM tt CROSS JOIN posts p ON p.id = tt.id "
    "WHERE p.status = 'published' AND p.published_at <= ?3 "
    "ORDER BY p.id IN t DESC, p.published_at DESC, p.id DESC) "
    "UNION ALL SELECT * FROM (SELECT p.id, p.published_at FROM posts p INDEXED BY posts_visible "
    "WHERE p.status = 'published' AND p.published_at <= ?3 AND p.id IN m AND p.id NOT IN tt "
    "ORDER BY p.published_at DESC, p.id DESC) "
    "LIMIT ?4 OFFSET ?5";
/* The matches in titles and tags, at most ?2. */
static const char SQL_TITLES[] =
    "SELECT count(*) FROM (SELECT 1 FROM posts_title_fts WHERE posts_title_fts MATCH ?1 LIMIT ?2)";

/* The marked title and snippet of up to SEARCH_HITS_MAX posts (?4...?13) in one pass over the
 * big index, bounded by their smallest and largest id (?2, ?3); `+` keeps the list a filter. */
static const char SQL_MARKS[] = "SELECT rowid, highlight(posts_fts, 0, char(2), char(3)), "
                                "snippet(posts_fts, 1, char(2), char(3), '…', 24) FROM posts_fts "
                                "WHERE posts_fts MATCH ?1 AND rowid BETWEEN ?2 AND ?3 "
                                "AND +rowid IN (?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)";
#define MARKS_FIRST_ID 4

static const char SQL_POST[] = "SELECT slug, title FROM posts WHERE id = ?1";

/* Column 0 of the one row of st (bound, stepped here, reset): -1 when SQLite refused it. */
static long one(sqlite3_stmt *st)
{
	long v = sqlite3_step(st) == SQLITE_ROW ? (long)sqlite3_column_int64(st, 0) : -1;
	sqlite3_reset(st);
	return v;
}

long search_count(struct db *d, const char *fts, time_t now, long cap)
{
	/* not db_int: a query FTS5 refuses is the reader's, answered with a message, not logged */
	sqlite3_stmt *st = db_prep(d, SQL_HIDDEN);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, now);
	long hidden = one(st);
	if (hidden < 0 || !(st = db_prep(d, SQL_FOUND)))
		return -1;
	/* more than cap + hidden matches: more than cap visible ones, whatever the hidden posts hold */
	sqlite3_bind_text(st, 1, fts, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, cap + hidden + 1);
	long found = one(st);
	if (found < 0)
		return -1;
	if (found > cap + hidden)
		return cap + 1;
	if (hidden == 0 || found == 0)
		return found;
	if (!(st = db_prep(d, SQL_FOUND_HIDDEN)))
		return -1;
	sqlite3_bind_text(st, 1, fts, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, now);
	long gone = one(st);
	return gone < 0 ? -1 : found - gone;
}

/* The ids and dates of the page, in rank order, into hits: their number, or -1. */
static int rank(struct db *d, const char *fts, const char *title_fts, time_t now, long total, long limit,
                long offset, sqlite3_int64 *ids, struct search_hit *hits)
{
	const char *sql = SQL_RANK_FEW;
	sqlite3_stmt *st;
	if (total > SEARCH_SORT_MAX) {
		if (!(st = db_prep(d, SQL_TITLES)))
			return -1;
		sqlite3_bind_text(st, 1, fts, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, SEARCH_SORT_MAX + 1);
		long titles = one(st);
		if (titles < 0) {
			log_msg("search: titles: sqlite: %s", db_errmsg(d));
			return -1;
		}
		sql = titles > SEARCH_SORT_MAX ? SQL_RANK : SQL_RANK_TITLES_FEW;
	}
	if (!(st = db_prep(d, sql)))
		return -1;
	sqlite3_bind_text(st, 1, fts, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, title_fts, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, now);
	sqlite3_bind_int64(st, 4, limit);
	sqlite3_bind_int64(st, 5, offset);
	int n = 0, rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && n < limit) {
		ids[n] = sqlite3_column_int64(st, 0);
		hits[n].published_at = (time_t)sqlite3_column_int64(st, 1);
		n++;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		log_msg("search: rank: sqlite: %s", db_errmsg(d));
		return -1;
	}
	return n;
}

/* Fills the slug, marked title and snippet of the n hits whose ids are ids: 0, or -1. */
static int marks(struct db *d, struct arena *a, const char *fts, const sqlite3_int64 *ids, int n,
                 struct search_hit *hits)
{
	sqlite3_int64 lo = ids[0], hi = ids[0];
	for (int i = 1; i < n; i++) {
		lo = ids[i] < lo ? ids[i] : lo;
		hi = ids[i] > hi ? ids[i] : hi;
	}
	sqlite3_stmt *st = db_prep(d, SQL_MARKS);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, fts, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, lo);
	sqlite3_bind_int64(st, 3, hi);
	for (int i = 0; i < n; i++)
		sqlite3_bind_int64(st, MARKS_FIRST_ID + i, ids[i]); /* the rest stay NULL */
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		sqlite3_int64 id = sqlite3_column_int64(st, 0);
		for (int i = 0; i < n; i++) {
			if (ids[i] != id)
				continue;
			hits[i].title = arena_strdup(a, db_text(st, 1));
			hits[i].snippet = arena_strdup(a, db_text(st, 2));
			if (!hits[i].title || !hits[i].snippet)
				rc = SQLITE_NOMEM;
		}
		if (rc == SQLITE_NOMEM)
			break;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		log_msg("search: marks: sqlite: %s", rc == SQLITE_NOMEM ? "out of memory" : db_errmsg(d));
		return -1;
	}
	/* a post the two indexes disagree on (never, while the triggers hold) keeps its plain title */
	for (int i = 0; i < n; i++) {
		st = db_prep(d, SQL_POST);
		if (!st)
			return -1;
		sqlite3_bind_int64(st, 1, ids[i]);
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			hits[i].slug = arena_strdup(a, db_text(st, 0));
			if (!hits[i].title)
				hits[i].title = arena_strdup(a, db_text(st, 1));
			if (!hits[i].snippet)
				hits[i].snippet = arena_strdup(a, "");
		}
		sqlite3_reset(st);
		if (!hits[i].slug || !hits[i].title || !hits[i].snippet) {
			log_msg("search: post %lld: %s", (long long)ids[i],
			        rc == SQLITE_ROW ? "out of memory" : "not found");
			return -1;
		}
	}
	return 0;
}

int search_hits(struct db *d, struct arena *a, const char *fts, time_t now, long total, long limit,
                long offset, struct search_hit *hits)
{
	sqlite3_int64 ids[SEARCH_HITS_MAX];
	struct buf title = BUF_INIT;
	int n = -1;
	if (limit > SEARCH_HITS_MAX)
		limit = SEARCH_HITS_MAX;
	if (limit <= 0 || offset < 0)
		return 0;
	buf_adds(&title, "title : (");
	buf_adds(&title, fts);
	buf_addc(&title, ')');
	memset(hits, 0, (size_t)limit * sizeof *hits);
	n = rank(d, fts, buf_cstr(&title), now, total, limit, offset, ids, hits);
	if (n > 0 && marks(d, a, fts, ids, n, hits) < 0)
		n = -1;
	buf_free(&title);
	return n;
}
