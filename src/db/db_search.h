/* db_search: full-text search (FTS5, sql/005_search.sql and the titles index of sql/019) over the posts a
 * reader can see. */
#ifndef QUIRE_DB_SEARCH_H
#define QUIRE_DB_SEARCH_H
#include <time.h>

#include "arena.h"
#include "buf.h"
#include "db.h"

#define SEARCH_TERMS_MAX 10
/* The last word is a prefix from this many letters: "l*" would read every word in l, 10 ms of
 * CPU on the bench blog's 27-word vocabulary and far more on a real one. */
#define SEARCH_PREFIX_MIN 3
#define SEARCH_HITS_MAX 10 /* hits one search_hits call returns at most */
/* Up to this many matches (or matches in titles and tags, for the title tiers), search_hits looks
 * each up and sorts them all; above, it walks the visible posts newest first per tier and stops at
 * the page (on the 10,000-post bench blog, 500
 * lookups and a sort cost 2.0 ms, a walk 1.2 ms, 4 lookups 0.05 ms). */
#define SEARCH_SORT_MAX 200
/* Matches a search counts exactly (and pages through, ten a page); above, it says "more than". */
#define SEARCH_COUNT_MAX 1000
/* highlight() and snippet() mark each matched word between these two bytes */
#define SEARCH_MARK_START '\x02'
#define SEARCH_MARK_END '\x03'

/* One post found, its title and an excerpt of its body with the matched words marked. */
struct search_hit {
	const char *slug;
	const char *title;   /* marked with SEARCH_MARK_START/END */
	const char *snippet; /* likewise, "…" where text was left out */
	time_t published_at;
};

/* The FTS5 query for a reader's words: "word" "other"* (each word quoted, quotes doubled, the
 * last a prefix when it has SEARCH_PREFIX_MIN letters or more), so no input is FTS syntax. The number of
 * words (0: nothing to search). */
int search_query(const char *words, struct buf *out);
/* How many visible posts match fts (a search_query), counted exactly up to cap; cap + 1 when more
 * do (the index is read no further: a common word costs a tenth of a full count on 10,000 posts).
 * -1 when SQLite refused the query. */
long search_count(struct db *d, const char *fts, time_t now, long cap);
/* The limit (at most SEARCH_HITS_MAX) best matches from offset into hits, strings in a: posts with
 * all the words in the title first, then in the title and tags, then the rest, each newest first.
 * total is search_count's answer (it picks the cheaper plan; any value gives the same hits).
 * The count, or -1 (logged). */
int search_hits(struct db *d, struct arena *a, const char *fts, time_t now, long total, long limit,
                long offset, struct search_hit *hits);

#endif
