/* test_db_pages: static pages against the real schema in memory: kept out of lists, the feed, the
 * neighbours and the mail; their addresses (nested, depth-limited, loop-safe); the menu; the date
 * archives' range; the import's page marks and parents. */
#include <string.h>

#include "arena.h"
#include "db.h"
#include "db_admin.h"
#include "db_import.h"
#include "db_outbox.h"
#include "db_pages.h"
#include "db_posts.h"
#include "tap.h"

#define NOW 1800000000
#define DAY 86400

static sqlite3_int64 save(struct db *d, const char *slug, const char *title, time_t at, bool page,
                          sqlite3_int64 parent, int menu)
{
	struct post_save p = {.slug = slug,
	                      .title = title,
	                      .body_md = "Body",
	                      .body_html = "<p>Body</p>",
	                      .excerpt = "",
	                      .tags = "Alpha",
	                      .published = true,
	                      .published_at = at,
	                      .author = 1,
	                      .is_page = page,
	                      .parent = parent,
	                      .in_menu = menu >= 0,
	                      .menu_order = menu};
	return post_write(d, &p, NOW);
}

int main(void)
{
	struct db d;
	struct arena a = {0};
	char err[256];
	ok(db_open(&d, ":memory:", DB_CREATE, err, sizeof err) == 0 && db_migrate(&d, err, sizeof err) >= 0,
	   "in-memory database with the schema");
	ok(db_run(&d,
	          "INSERT INTO users(id, name, slug, email, pw_hash, created_at) "
	          "VALUES(1, 'Ann', 'ann', 'ann@example.org', 'x', 0)",
	          DB_NOARGS) == 1,
	   "an author");
	sqlite3_int64 p1 = save(&d, "first", "First", NOW - 40 * DAY, false, 0, -1);
	sqlite3_int64 p2 = save(&d, "second", "Second", NOW - DAY, false, 0, -1);
	sqlite3_int64 about = save(&d, "about", "About", NOW - 2 * DAY, true, 0, 2);
	sqlite3_int64 team = save(&d, "team", "Team", NOW - 3 * DAY, true, about, -1);
	sqlite3_int64 contact = save(&d, "contact", "Contact", NOW - 3 * DAY, true, 0, 1);
	ok(p1 > 0 && p2 > 0 && about > 0 && team > 0 && contact > 0, "two posts and three pages");

	struct post_filter all = {.kind = PF_ALL};
	struct post_summary *list = NULL;
	ok(posts_count(&d, NOW, &all) == 2 && posts_list(&d, NOW, &all, 10, 0, &a, &list) == 2,
	   "lists hold the posts only");
	sqlite3_int64 tag = 0;
	db_int(&d, &tag, "SELECT id FROM tags WHERE slug = 'alpha'", DB_NOARGS);
	struct post_filter by_tag = {.kind = PF_TAG, .id = tag}, by_author = {.kind = PF_AUTHOR, .id = 1};
	ok(posts_count(&d, NOW, &by_tag) == 2 && posts_count(&d, NOW, &by_author) == 2,
	   "tag and author pages too");
	struct feed_post *feed = NULL;
	ok(posts_feed(&d, NOW, 10, false, &a, &feed) == 2, "the feed has no pages");
	long n = posts_feed(&d, NOW, 10, true, &a, &feed);
	int with_path = 0;
	for (long i = 0; i < n; i++)
		with_path += strcmp(feed[i].page_path, "about/team") == 0;
	ok(n == 5 && with_path == 1, "the sitemap has them, a child with its parent's path");

	struct post_filter range = {.kind = PF_RANGE, .from = NOW - 2 * DAY, .to = NOW};
	ok(posts_count(&d, NOW, &range) == 1 && posts_list(&d, NOW, &range, 10, 0, &a, &list) == 1 &&
	       strcmp(list[0].slug, "second") == 0,
	   "a date range holds the posts published in it, not the pages");

	struct post p;
	ok(post_by_slug(&d, NOW, "team", &a, &p) == 1 && p.is_page &&
	       strcmp(p.page_path, "about/team") == 0 && !p.prev.slug && !p.next.slug,
	   "a page: its path, no neighbours");
	ok(post_by_slug(&d, NOW, "second", &a, &p) == 1 && !p.is_page && !*p.page_path && p.prev.slug &&
	       strcmp(p.prev.slug, "first") == 0,
	   "a post's neighbour skips the pages between them");
	const char *path = NULL;
	ok(page_path(&d, NOW, "about", &a, &path) == 1 && strcmp(path, "about") == 0, "page_path: top level");
	ok(page_path(&d, NOW, "first", &a, &path) == 0, "page_path: a post is none");

	struct menu_item *m = NULL;
	ok(page_menu(&d, NOW, &a, &m) == 2 && strcmp(m[0].slug, "contact") == 0 &&
	       strcmp(m[1].slug, "about") == 0,
	   "the menu: top-level pages with an order, lowest first");

	/* a loop (about under team under about) and a chain past PAGE_DEPTH_MAX have no address */
	ok(db_run(&d, "UPDATE posts SET parent_id = ?1 WHERE id = ?2", DB_ARGS(DB_I(team), DB_I(about))) == 1,
	   "a loop made by hand");
	ok(page_path(&d, NOW, "team", &a, &path) == 0 && page_path(&d, NOW, "about", &a, &path) == 0,
	   "a loop answers no address (and ends)");
	db_run(&d, "UPDATE posts SET parent_id = NULL WHERE id = ?1", DB_ARGS(DB_I(about)));
	sqlite3_int64 c3 = save(&d, "c3", "C3", NOW - DAY, true, team, -1);
	sqlite3_int64 c4 = save(&d, "c4", "C4", NOW - DAY, true, c3, -1);
	sqlite3_int64 c5 = save(&d, "c5", "C5", NOW - DAY, true, c4, -1);
	ok(c5 > 0 && page_path(&d, NOW, "c4", &a, &path) == 1 && strcmp(path, "about/team/c3/c4") == 0,
	   "four levels deep has an address");
	ok(page_path(&d, NOW, "c5", &a, &path) == 0, "five levels has none");

	/* mail: a published page is never announced */
	sqlite3_int64 id = 0;
	ok(db_run(&d, "UPDATE posts SET notified_at = NULL", DB_NOARGS) > 0, "nothing announced yet");
	ok(db_post_mark_announced(&d, about, NOW) == 0, "a page is not announced");
	ok(db_post_mark_announced(&d, p1, NOW) == 1, "a post is");
	ok(db_post_unannounced(&d, NOW, &id) == 1 && id == p2,
	   "the next unannounced is a post, never a page");

	/* the import's marks: a post becomes a page with a menu order; parents by WordPress id */
	ok(db_run(&d, "UPDATE posts SET wp_id = id + 100", DB_NOARGS) > 0, "WordPress ids");
	ok(db_import_page_set(&d, p1, 0) == 0, "db_import_page_set");
	ok(post_by_slug(&d, NOW, "first", &a, &p) == 1 && p.is_page, "the post is a page now");
	long long gen_before = 0, gen_after = 0;
	db_int(&d, (sqlite3_int64 *)&gen_before, "SELECT value FROM settings WHERE key = 'generation'",
	       DB_NOARGS);
	ok(db_import_page_set(&d, p1, 0) == 0, "set again");
	db_int(&d, (sqlite3_int64 *)&gen_after, "SELECT value FROM settings WHERE key = 'generation'",
	       DB_NOARGS);
	ok(gen_before == gen_after, "the same marks write nothing (a re-import changes nothing)");
	ok(db_import_page_parent(&d, p1 + 100, contact + 100) == 0 &&
	       page_path(&d, NOW, "first", &a, &path) == 1 && strcmp(path, "contact/first") == 0,
	   "db_import_page_parent: by the parent's WordPress id");
	ok(db_import_page_parent(&d, p1 + 100, 0) == 0 && page_path(&d, NOW, "first", &a, &path) == 1 &&
	       strcmp(path, "first") == 0,
	   "parent 0: top level again");
	ok(db_import_page_parent(&d, p1 + 100, p2 + 100) == 0 &&
	       page_path(&d, NOW, "first", &a, &path) == 1 && strcmp(path, "first") == 0,
	   "a post is no parent");
	arena_free(&a);
	db_close(&d);
	return tap_done();
}
