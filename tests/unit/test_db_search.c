/* test_db_search: the reader's words as an FTS5 query, counting and paging the matches of
 * visible posts only, marked titles and snippets; on an in-memory database. */
#include <stdio.h>
#include <string.h>

#include "db_search.h"
#include "tap.h"

static int post(struct db *d, const char *slug, const char *title, const char *body, const char *status,
                long long at)
{
	return db_run(d,
	              "INSERT INTO posts(slug, title, body_md, body_html, status, published_at, created_at, "
	              "updated_at) VALUES(?1, ?2, ?3, ?3, ?4, ?5, ?5, ?5)",
	              DB_ARGS(DB_T(slug), DB_T(title), DB_T(body), DB_T(status), DB_I(at)));
}

static const char *query(const char *words, int *terms)
{
	static struct buf b;
	buf_reset(&b);
	*terms = search_query(words, &b);
	return buf_cstr(&b);
}

int main(void)
{
	int terms = 0;
	is_str(query("  hello   world ", &terms), "\"hello\" \"world\"*", "words quoted, the last a prefix");
	ok(terms == 2, "two words");
	is_str(query("say \"hi\" OR NEAR(", &terms), "\"say\" \"\"\"hi\"\"\" \"OR\" \"NEAR(\"*",
	       "quotes doubled, operators only words");
	query(" \t\r\n", &terms);
	ok(terms == 0, "blank is nothing to search");
	query("a b c d e f g h i j k l", &terms);
	ok(terms == SEARCH_TERMS_MAX, "at most %d words", SEARCH_TERMS_MAX);

	struct db d;
	struct arena a = {0};
	char err[256];
	if (db_open(&d, ":memory:", DB_CREATE, err, sizeof err) < 0 || db_migrate(&d, err, sizeof err) < 0) {
		printf("Bail out! %s\n", err);
		return 1;
	}
	int bad = 0;
	bad += post(&d, "older", "Gardens in winter", "Snow on the garden beds.", "published", 100) != 1;
	bad += post(&d, "newer", "Notes", "A garden of stones and a garden of moss.", "published", 200) != 1;
	bad += post(&d, "draft", "Garden draft", "garden", "draft", 100) != 1;
	bad += post(&d, "later", "Garden later", "garden", "published", 5000) != 1;
	ok(bad == 0, "four posts");
	const char *fts = query("garden", &terms);
	ok(search_count(&d, fts, 1000) == 2, "only published posts already out match");
	ok(search_count(&d, fts, 6000) == 3, "a scheduled post matches once out");
	ok(search_count(&d, query("nothing", &terms), 1000) == 0, "no match is 0");

	struct search_hit hits[10];
	int n = search_hits(&d, &a, query("garden", &terms), 1000, 10, 0, hits);
	ok(n == 2, "two hits (%d)", n);
	ok(n == 2 && strcmp(hits[0].slug, "older") == 0, "a match in the title ranks first");
	ok(n == 2 && strstr(hits[0].title, "\x02Gardens\x03") != NULL,
	   "the title's matched word is marked (%s)", n == 2 ? hits[0].title : "");
	ok(n == 2 && strstr(hits[1].snippet, "\x02garden\x03") != NULL && hits[1].published_at == 200,
	   "the snippet's matched words are marked, the date kept");
	ok(search_hits(&d, &a, query("garden", &terms), 1000, 1, 1, hits) == 1 &&
	       strcmp(hits[0].slug, "newer") == 0,
	   "limit and offset page the hits");
	ok(search_hits(&d, &a, query("garden", &terms), 1000, 10, 10, hits) == 0, "past the last: none");
	ok(search_count(&d, "\"unclosed", 1000) == -1, "a query FTS5 refuses is -1");
	arena_free(&a);
	db_close(&d);
	return tap_done();
}
