/* test_db_search: the reader's words as an FTS5 query, counting and paging the matches of
 * visible posts only, the ranking tiers (title, then tags, then body; newest first) by both plans,
 * marked titles and snippets; on an in-memory database. */
#include <limits.h>
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

static int tag(struct db *d, const char *slug, const char *name)
{
	return db_run(d, "INSERT OR IGNORE INTO tags(name, slug) VALUES(?1, ?1)", DB_ARGS(DB_T(name))) < 0 ||
	       db_run(d,
	              "INSERT INTO post_tags(post_id, tag_id) SELECT p.id, t.id FROM posts p, tags t "
	              "WHERE p.slug = ?1 AND t.slug = ?2",
	              DB_ARGS(DB_T(slug), DB_T(name))) != 1;
}

#define MANY (SEARCH_SORT_MAX + 57) /* more matches than the sorting plan takes */

/* The hits of words at offset by both plans (total 0: sort them all; LONG_MAX: walk the tiers, or
 * sort the title tiers when few titles match and walk the body tier):
 * their slugs joined with spaces into out, or "differ: ..." / "error" when the plans disagree. */
static void both(struct db *d, struct arena *a, const char *words, long offset, char *out, size_t outsz)
{
	int terms;
	struct search_hit h1[SEARCH_HITS_MAX], h2[SEARCH_HITS_MAX];
	const char *fts = query(words, &terms);
	int n1 = search_hits(d, a, fts, 100000, 0, SEARCH_HITS_MAX, offset, h1);
	int n2 = search_hits(d, a, fts, 100000, LONG_MAX, SEARCH_HITS_MAX, offset, h2);
	size_t len = 0;
	out[0] = '\0';
	if (n1 < 0 || n2 < 0) {
		snprintf(out, outsz, "error");
		return;
	}
	for (int i = 0; i < n1 || i < n2; i++) {
		const char *s1 = i < n1 ? h1[i].slug : "-", *s2 = i < n2 ? h2[i].slug : "-";
		int w = strcmp(s1, s2) == 0
		            ? snprintf(out + len, outsz - len, "%s%s", len ? " " : "", s1)
		            : snprintf(out + len, outsz - len, "%sdiffer:%s/%s", len ? " " : "", s1, s2);
		if (w < 0 || (size_t)w >= outsz - len)
			return;
		len += (size_t)w;
	}
}

/* The tiers, newest first among equals, rare words in old posts, pages of a common word, drafts
 * and the title index following edits: the number of setup failures. */
static int ranking(struct db *d, struct arena *a)
{
	int bad = 0, terms;
	char got[1024], slug[32];
	/* ids out of date order: the order is the date's, not the id's */
	bad += post(d, "body-new", "Plain", "the pelican flew", "published", 3000) != 1;
	bad += post(d, "title-old", "A pelican", "nothing here", "published", 1000) != 1;
	bad += post(d, "body-old", "Plain too", "one pelican", "published", 1500) != 1;
	bad += post(d, "tag-mid", "Birds", "about birds", "published", 2000) != 1;
	bad += post(d, "title-new", "Pelican days", "more", "published", 2500) != 1;
	bad += post(d, "hidden", "Pelican draft", "pelican", "draft", 1200) != 1;
	bad += tag(d, "tag-mid", "pelican");
	both(d, a, "pelican", 0, got, sizeof got);
	is_str(got, "title-new title-old tag-mid body-new body-old",
	       "title matches first, then tags, then bodies, newest first in each; drafts left out");
	ok(search_count(d, query("pelican", &terms), 100000, SEARCH_COUNT_MAX) == 5, "five visible matches");
	both(d, a, "pelican days", 0, got, sizeof got);
	is_str(got, "title-new", "every word must match");
	/* words split between title and tags: above the body, below all-in-title */
	bad += post(d, "split", "Grey heron", "", "published", 100) != 1;
	bad += tag(d, "split", "pelican");
	both(d, a, "heron pelican", 0, got, sizeof got);
	is_str(got, "split", "words across title and tags match");

	/* a common word: MANY posts, one old post with it in the title and one with a rare word */
	for (int i = 0; i < MANY; i++) {
		snprintf(slug, sizeof slug, "common-%03d", i);
		bad += post(d, slug, "Daily note", "the tide came in over the tide pools", "published",
		            10000 + i) != 1;
	}
	bad += post(d, "ancient", "Tide tables", "old notes", "published", 5) != 1;
	bad += post(d, "rare-old", "Old note", "a quetzal on the tide line", "published", 7) != 1;
	const char *fts = query("tide", &terms);
	long total = search_count(d, fts, 100000, SEARCH_COUNT_MAX);
	ok(total == MANY + 2, "the count of a common word is exact (%ld)", total);
	both(d, a, "tide", 0, got, sizeof got);
	char want[1024];
	snprintf(want, sizeof want, "ancient common-%03d common-%03d", MANY - 1, MANY - 2);
	ok(strncmp(got, want, strlen(want)) == 0, "an old title match ranks above new body matches (%.60s)",
	   got);
	ok(search_count(d, fts, 100000, total - 1) == total, "above the cap: cap + 1, \"more than\"");
	ok(search_count(d, fts, 100000, total) == total, "at the cap: exact");
	bad += post(d, "draft-tide", "Tide draft", "tide", "draft", 50) != 1;
	bad += post(d, "later-tide", "Tide later", "tide", "published", 200000) != 1;
	fts = query("tide", &terms);
	ok(search_count(d, fts, 100000, total) == total && search_count(d, fts, 100000, total - 1) == total,
	   "hidden matches count neither below nor above the cap");
	ok(search_count(d, fts, 300000, SEARCH_COUNT_MAX) == total + 1, "a scheduled post counts once out");
	both(d, a, "quetzal", 0, got, sizeof got);
	is_str(got, "rare-old", "a rare word in an old post is found");
	ok(search_count(d, query("quetzal", &terms), 100000, SEARCH_COUNT_MAX) == 1, "counted once");
	both(d, a, "tide quetzal", 0, got, sizeof got);
	is_str(got, "rare-old", "a rare and a common word together");

	/* pages of the common word: full pages, the rest on the last, nothing after, no repeats */
	int seen = 0, pages = 0, last = -1, repeats = 0;
	fts = query("tide", &terms); /* query's buffer is shared */
	static char slugs[MANY + 2][16];
	for (long off = 0; off < total + SEARCH_HITS_MAX; off += SEARCH_HITS_MAX) {
		struct search_hit h[SEARCH_HITS_MAX];
		int n = search_hits(d, a, fts, 100000, total, SEARCH_HITS_MAX, off, h);
		if (n < 0)
			break;
		if (n > 0)
			pages++;
		last = n;
		for (int i = 0; i < n && seen < MANY + 2; i++) {
			for (int j = 0; j < seen; j++)
				repeats += strcmp(slugs[j], h[i].slug) == 0;
			snprintf(slugs[seen++], sizeof slugs[0], "%s", h[i].slug);
		}
	}
	ok(seen == total && repeats == 0, "pages of ten give every match once (%d of %ld, %d repeats)", seen,
	   total, repeats);
	ok(pages == (total + SEARCH_HITS_MAX - 1) / SEARCH_HITS_MAX && last == 0,
	   "%d pages, the page after the last empty", pages);
	both(d, a, "tide", SEARCH_HITS_MAX * 3, got, sizeof got);
	snprintf(want, sizeof want, "common-%03d", MANY - 30);
	ok(strncmp(got, want, strlen(want)) == 0 && strstr(got, "differ") == NULL,
	   "page 4 is the same by both plans and continues by date (%.40s)", got);
	both(d, a, "tide", total - 3, got, sizeof got);
	is_str(got, "common-001 common-000 rare-old", "the last page: the oldest body matches");

	/* MANY titles match "daily": every tier walked; "tide": the title tiers sorted, the body walked */
	both(d, a, "daily", 0, got, sizeof got);
	snprintf(want, sizeof want, "common-%03d common-%03d", MANY - 1, MANY - 2);
	ok(strncmp(got, want, strlen(want)) == 0 && strstr(got, "differ") == NULL,
	   "many title matches: the same by both plans (%.40s)", got);
	both(d, a, "daily", MANY - 5, got, sizeof got);
	is_str(got, "common-004 common-003 common-002 common-001 common-000", "to the last page");
	both(d, a, "note", SEARCH_HITS_MAX, got, sizeof got);
	ok(strstr(got, "differ") == NULL && strncmp(got, "common-", 7) == 0, "and with another word (%.40s)",
	   got);

	/* the title index follows edits and deletes */
	bad += db_run(d, "UPDATE posts SET title = 'Daily tide' WHERE slug = 'common-000'", DB_NOARGS) != 1;
	both(d, a, "tide", 0, got, sizeof got);
	ok(strncmp(got, "common-000 ancient", 18) == 0, "a retitled post moves up (%.40s)", got);
	bad += db_run(d, "DELETE FROM posts WHERE slug = 'common-000'", DB_NOARGS) != 1;
	both(d, a, "tide", 0, got, sizeof got);
	ok(strncmp(got, "ancient", 7) == 0, "a deleted post is gone (%.40s)", got);
	bad +=
	    db_run(d, "DELETE FROM post_tags WHERE post_id = (SELECT id FROM posts WHERE slug = 'tag-mid')",
	           DB_NOARGS) != 1;
	both(d, a, "pelican", 0, got, sizeof got);
	is_str(got, "title-new title-old split body-new body-old",
	       "a removed tag no longer ranks or matches");
	ok(search_hits(d, a, query("pelican", &terms), 100000, 5, SEARCH_HITS_MAX * 4, 0,
	               (struct search_hit[SEARCH_HITS_MAX]){0}) == 5,
	   "a limit above SEARCH_HITS_MAX is clamped");
	return bad;
}

int main(void)
{
	int terms = 0;
	is_str(query("  hello   world ", &terms), "\"hello\" \"world\"*", "words quoted, the last a prefix");
	ok(terms == 2, "two words");
	is_str(query("say \"hi\" OR NEAR(", &terms), "\"say\" \"\"\"hi\"\"\" \"OR\" \"NEAR(\"*",
	       "quotes doubled, operators only words");
	is_str(query("harbour li", &terms), "\"harbour\" \"li\"", "a last word of two letters is no prefix");
	is_str(query("c++", &terms), "\"c++\"", "nor one letter and punctuation");
	is_str(query("né", &terms), "\"né\"", "two letters, one of them two bytes: no prefix");
	is_str(query("née", &terms), "\"née\"*", "three: a prefix");
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
	ok(search_count(&d, fts, 1000, SEARCH_COUNT_MAX) == 2, "only published posts already out match");
	ok(search_count(&d, fts, 6000, SEARCH_COUNT_MAX) == 3, "a scheduled post matches once out");
	ok(search_count(&d, query("nothing", &terms), 1000, SEARCH_COUNT_MAX) == 0, "no match is 0");

	struct search_hit hits[10];
	int n = search_hits(&d, &a, query("garden", &terms), 1000, 2, 10, 0, hits);
	ok(n == 2, "two hits (%d)", n);
	ok(n == 2 && strcmp(hits[0].slug, "older") == 0, "a match in the title ranks first");
	ok(n == 2 && strstr(hits[0].title, "\x02Gardens\x03") != NULL,
	   "the title's matched word is marked (%s)", n == 2 ? hits[0].title : "");
	ok(n == 2 && strstr(hits[1].snippet, "\x02garden\x03") != NULL && hits[1].published_at == 200,
	   "the snippet's matched words are marked, the date kept");
	ok(search_hits(&d, &a, query("garden", &terms), 1000, 2, 1, 1, hits) == 1 &&
	       strcmp(hits[0].slug, "newer") == 0,
	   "limit and offset page the hits");
	ok(search_hits(&d, &a, query("garden", &terms), 1000, 2, 10, 10, hits) == 0, "past the last: none");
	ok(search_count(&d, "\"unclosed", 1000, SEARCH_COUNT_MAX) == -1, "a query FTS5 refuses is -1");
	bad = ranking(&d, &a);
	ok(bad == 0, "the ranking checks ran");
	arena_free(&a);
	db_close(&d);
	return tap_done();
}
