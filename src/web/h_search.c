/* h_search: /search?q=...: full-text search over visible posts (db_search.h), ranked, with
 * highlighted snippets. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_search.h"
#include "handlers.h"
#include "site.h"
#include "text.h"
#include "timefmt.h"

#define SEARCH_QUERY_MAX 200 /* characters */
#define SEARCH_PER_PAGE SEARCH_HITS_MAX

/* Escapes text, then turns the marks of the matched words into <mark> elements. */
static char *marked(struct req *q, const char *text)
{
	struct buf e = BUF_INIT, out = BUF_INIT;
	esc_html(&e, text, strlen(text));
	for (const char *p = buf_cstr(&e); *p; p++) {
		if (*p == SEARCH_MARK_START)
			buf_adds(&out, "<mark>");
		else if (*p == SEARCH_MARK_END)
			buf_adds(&out, "</mark>");
		else
			buf_addc(&out, *p);
	}
	char *s = arena_strdup(q->a, buf_cstr(&out));
	buf_free(&e);
	buf_free(&out);
	return s;
}

/* The view of the hits: their address, marked title and snippet, and date. */
static void hits_view(struct req *q, const struct search_hit *hits, int n, struct tlist *list)
{
	for (int i = 0; i < n; i++) {
		struct tobj *o = tlist_add(list);
		struct buf u = BUF_INIT;
		buf_adds(&u, "/posts/");
		esc_url(&u, hits[i].slug, strlen(hits[i].slug));
		tset_str(o, "url", buf_cstr(&u));
		buf_free(&u);
		tset_html(o, "title_html", marked(q, hits[i].title));
		tset_html(o, "snippet_html", marked(q, hits[i].snippet));
		char b[TIME_BUFSZ];
		time_human(hits[i].published_at, b);
		tset_str(o, "date", b);
	}
}

/* The matches the pager offers: the first SEARCH_COUNT_MAX when there are more. */
static long pageable(long total)
{
	return total > SEARCH_COUNT_MAX ? SEARCH_COUNT_MAX : total;
}

/* Runs the search for page into list: the total (SEARCH_COUNT_MAX + 1: more than that), or -1
 * when SQLite refused the query. */
static long run_search(struct req *q, const char *fts, long page, struct tlist *list)
{
	struct db *db = &q->w->db;
	long total = search_count(db, fts, q->now, SEARCH_COUNT_MAX);
	if (total <= 0)
		return total;
	struct pager p = pager_make(pageable(total), SEARCH_PER_PAGE, page);
	if (p.beyond)
		return total;
	struct search_hit *hits = arena_calloc(q->a, SEARCH_PER_PAGE, sizeof *hits);
	int n = hits ? search_hits(db, q->a, fts, q->now, total, SEARCH_PER_PAGE, p.offset, hits) : -1;
	if (n < 0)
		return -1;
	hits_view(q, hits, n, list);
	return total;
}

void h_search(struct req *q, struct resp *r)
{
	char *text = NULL;
	int got = query_get(q->a, q->query, "q", SEARCH_QUERY_MAX * 4, &text);
	long page = pager_requested(q);
	struct tobj *ctx = page_ctx(q, "Search");
	tset_bool(ctx, "noindex", true);
	tset_str(ctx, "description",
	         arena_printf(q->a, "Search the posts and pages of %s.", q->w->site->cfg.title));
	r->last_modified = site_last_modified(q);
	if (got < 0 ||
	    (text && (utf8_len(text, strlen(text)) > SEARCH_QUERY_MAX || has_control(text, strlen(text))))) {
		tset_str(ctx, "message", "That search is too long or not readable text. Try a few words.");
		tset_str(ctx, "q", "");
		return page_render(q, r, "search", ctx);
	}
	tset_str(ctx, "q", text ? text : "");
	struct buf fts = BUF_INIT;
	if (!text || search_query(text, &fts) == 0) {
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
	tset_str(ctx, "total_label",
	         total == 1                 ? "1 result"
	         : total > SEARCH_COUNT_MAX ? arena_printf(q->a, "More than %d results", SEARCH_COUNT_MAX)
	                                    : arena_printf(q->a, "%ld results", total));
	/* a page past the last shows no results, with the way back */
	struct pager p = pager_make(pageable(total), SEARCH_PER_PAGE, page);
	struct buf base = BUF_INIT;
	buf_adds(&base, "/search?q=");
	esc_url(&base, text, strlen(text));
	pager_set(q, ctx, buf_cstr(&base), p.page, p.pages);
	buf_free(&base);
	page_render(q, r, "search", ctx);
}
