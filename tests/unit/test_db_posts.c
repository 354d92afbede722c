/* test_db_posts: the typed post queries (db_posts, db_admin) against the real schema in memory. */
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "db.h"
#include "db_admin.h"
#include "db_posts.h"
#include "db_tags.h"
#include "db_wpmeta.h"
#include "tap.h"

#define NOW 1800000000
#define DAY 86400

static sqlite3_int64 save(struct db *d, sqlite3_int64 id, const char *slug, const char *title, bool published,
                          time_t at, const char *tags)
{
	struct post_save p = {.id = id,
	                      .slug = slug,
	                      .title = title,
	                      .body_md = "Body *md*",
	                      .body_html = "<p>Body <em>md</em></p>",
	                      .excerpt = "An excerpt",
	                      .tags = tags,
	                      .published = published,
	                      .published_at = at,
	                      .author = 1};
	return post_write(d, &p, NOW);
}

static void test_reading(struct db *d, struct arena *a)
{
	struct post_filter all = {.kind = PF_ALL};
	ok(posts_count(d, NOW, &all) == 2, "two posts are visible (a draft and a scheduled one are not)");
	struct post_summary *list = NULL;
	long n = posts_list(d, NOW, &all, 10, 0, a, &list);
	ok(n == 2 && strcmp(list[0].slug, "second") == 0 && strcmp(list[1].slug, "first") == 0,
	   "posts_list: newest first");
	ok(n == 2 && strcmp(list[0].author_name, "Ann Author") == 0 &&
	       strcmp(list[0].author_slug, "ann") == 0,
	   "a summary carries its author");
	ok(n == 2 && list[1].ntags == 2 && strcmp(list[1].tags[0].name, "Alpha") == 0 &&
	       strcmp(list[1].tags[1].slug, "beta") == 0,
	   "a summary carries its tags by name");
	ok(n == 2 && list[0].ntags == 0 && list[0].comment_count == 0, "no tags, no comments");

	struct post p;
	ok(post_by_slug(d, NOW, "first", a, &p) == 1, "post_by_slug finds a visible post");
	ok(strcmp(p.body_html, "<p>Body <em>md</em></p>") == 0 &&
	       strcmp(p.author_email, "ann@example.org") == 0 && strcmp(p.author_bio, "Writes.") == 0,
	   "with its body and author");
	ok(p.prev.slug == NULL && p.next.slug && strcmp(p.next.slug, "second") == 0 &&
	       strcmp(p.next.title, "Second") == 0,
	   "and its neighbours (none before, the second after)");
	ok(post_by_slug(d, NOW, "draft", a, &p) == 0, "a draft is not found");
	ok(post_by_slug(d, NOW, "later", a, &p) == 0, "a scheduled post is not found before its time");
	ok(post_by_slug(d, NOW + 3 * DAY, "later", a, &p) == 1, "but is once its time has come");

	struct post_brief b;
	ok(post_brief(d, NOW, "second", a, &b) == 1 && strcmp(b.title, "Second") == 0 && !b.comments_closed &&
	       b.published_at == NOW - DAY,
	   "post_brief: id, title, date, comments open");
	ok(post_brief(d, NOW, "nothing", a, &b) == 0, "post_brief: no such post");

	struct tag t;
	ok(tag_find(d, "alpha", a, &t) == 1 && strcmp(t.name, "Alpha") == 0, "tag_find by slug");
	ok(tag_find(d, "BETA", a, &t) == 1 && strcmp(t.slug, "beta") == 0, "tag_find by name, any case");
	struct post_filter by_tag = {.kind = PF_TAG, .id = t.id};
	ok(posts_count(d, NOW, &by_tag) == 1, "one visible post with that tag");

	struct author au;
	ok(author_find(d, "Ann Author", a, &au) == 1 && strcmp(au.slug, "ann") == 0, "author_find by name");
	ok(author_by_id(d, au.id, a, &au) == 1 && strcmp(au.email, "ann@example.org") == 0, "author_by_id");
	ok(author_by_id(d, 999, a, &au) == 0, "author_by_id: no such user");

	struct feed_post *feed = NULL;
	n = posts_feed(d, NOW, 10, false, a, &feed);
	ok(n == 2 && strcmp(feed[0].slug, "second") == 0 && strcmp(feed[0].author_name, "Ann Author") == 0,
	   "posts_feed: newest first, with the author's name");
	ok(posts_last_modified(d, NOW) == NOW, "posts_last_modified: the last write");
}

/* Pinned posts: first on the home page only, in one order over the pages; the flag in the admin. */
static void test_sticky(struct db *d, struct arena *a, sqlite3_int64 first)
{
	struct post_filter home = {.kind = PF_HOME}, all = {.kind = PF_ALL};
	sqlite3_int64 gen = 0, gen2 = 0;
	ok(db_post_sticky(d, first) == 0, "a post is not pinned at first");
	ok(db_int(d, &gen, "SELECT value FROM settings WHERE key = 'generation'", DB_NOARGS) == 1,
	   "generation");
	ok(db_post_sticky_set(d, first, true, NOW) == 0 && db_post_sticky(d, first) == 1, "pinned");
	ok(db_int(d, &gen2, "SELECT value FROM settings WHERE key = 'generation'", DB_NOARGS) == 1 &&
	       gen2 > gen,
	   "pinning moves the render cache's generation");
	ok(db_post_sticky_set(d, first, true, NOW) == 0 &&
	       db_int(d, &gen, "SELECT value FROM settings WHERE key = 'generation'", DB_NOARGS) == 1 &&
	       gen == gen2,
	   "pinning a pinned post writes nothing");
	struct post_summary *list = NULL;
	long n = posts_list(d, NOW, &home, 10, 0, a, &list);
	ok(n == 2 && strcmp(list[0].slug, "first") == 0 && strcmp(list[1].slug, "second") == 0,
	   "the home page lists the pinned (older) post first");
	ok(posts_list(d, NOW, &home, 1, 1, a, &list) == 1 && strcmp(list[0].slug, "second") == 0,
	   "and its next page continues with the rest");
	ok(posts_count(d, NOW, &home) == 2, "the home page counts every visible post once");
	n = posts_list(d, NOW, &all, 10, 0, a, &list);
	ok(n == 2 && strcmp(list[0].slug, "second") == 0, "other lists keep date order");
	struct feed_post *feed = NULL;
	ok(posts_feed(d, NOW, 10, false, a, &feed) == 2 && strcmp(feed[0].slug, "second") == 0,
	   "so does the feed");
	struct admin_post *rows = NULL;
	long k = 0;
	ok(admin_posts_list(d, NOW, "published", 1, a, &rows, &k) == 2 && k == 2 && !rows[0].sticky &&
	       rows[1].sticky,
	   "the admin list carries the pin");
	struct post_edit e;
	ok(admin_post_load(d, a, first, &e) == 1 && e.sticky, "and so does the editor's load");
	ok(db_post_sticky_set(d, first, false, NOW) == 0 && db_post_sticky(d, first) == 0, "unpinned");
	ok(db_post_sticky(d, 999) == 0, "no such post is not pinned");

	char *slug = NULL;
	ok(db_author_login_set(d, "ann.a", 1) == 0 && db_author_login_set(d, "ann.a", 1) == 0,
	   "a login kept once");
	ok(db_author_by_login(d, "ANN.A", a, &slug) == 1 && strcmp(slug, "ann") == 0,
	   "found by login, any case");
	ok(db_author_by_login(d, "nobody", a, &slug) == 0, "an unknown login");
}

static void test_admin(struct db *d, struct arena *a, sqlite3_int64 first)
{
	struct admin_counts k;
	ok(admin_counts(d, NOW, &k) == 0 && k.posts == 2 && k.drafts == 1 && k.scheduled == 1 &&
	       k.comments_pending == 0 && k.subscribers == 0,
	   "admin_counts: published, drafts, scheduled");
	struct admin_post *rows = NULL;
	long n = 0, total = admin_posts_list(d, NOW, "scheduled", 1, a, &rows, &n);
	ok(total == 1 && n == 1 && strcmp(rows[0].slug, "later") == 0 && rows[0].published,
	   "admin_posts_list: the scheduled one");
	total = admin_posts_list(d, NOW, "bogus", 1, a, &rows, &n);
	ok(total == 4 && n == 4, "an unknown filter lists all");

	struct post_edit e;
	ok(admin_post_load(d, a, first, &e) == 1 && strcmp(e.tags, "Alpha, Beta") == 0 && e.published &&
	       strcmp(e.author.name, "Ann Author") == 0 && strcmp(e.body, "Body *md*") == 0,
	   "admin_post_load: the stored post with its tags and author");
	ok(admin_post_load(d, a, 999, &e) == 0, "admin_post_load: no such post");
	ok(post_slug_taken(d, "second", first) && !post_slug_taken(d, "first", first),
	   "post_slug_taken: another post's slug, not its own");

	ok(save(d, first, "first-renamed", "First", true, NOW - 2 * DAY, "Alpha") == first, "a rename saves");
	char *slug = NULL;
	ok(post_redirect(d, NOW, "first", a, &slug) == 1 && strcmp(slug, "first-renamed") == 0,
	   "the old slug redirects to the new one");
	ok(admin_post_load(d, a, first, &e) == 1 && strcmp(e.tags, "Alpha") == 0,
	   "and its tags were replaced");
	ok(save(d, 999, "ghost", "Ghost", false, 0, "") == POST_GONE, "saving a deleted post is POST_GONE");
	ok(db_run(d, "UPDATE posts SET wp_id = 77 WHERE id = ?1", DB_ARGS(DB_I(first))) == 1 &&
	       post_by_wp_id(d, NOW, 77, a, &slug) == 1 && strcmp(slug, "first-renamed") == 0,
	   "post_by_wp_id: an imported post's slug");
	ok(post_delete(d, first, NOW) == 1 && post_delete(d, first, NOW) == 0, "post_delete: once");
}

/* "N min read" counts words of the Markdown: runs with a letter or digit, not bare markup. */
static void test_reading_time(struct db *d, struct arena *a)
{
	ok(markdown_words(NULL) == 0 && markdown_words("") == 0 && markdown_words("  \n\t ") == 0,
	   "no text, no words");
	ok(markdown_words("# Title\n\n- one *two*\n\n---\n| a | b |\n|---|---|\n") == 5,
	   "Markdown markup alone (#, -, ---, |) is no word");
	ok(markdown_words("Zoë’s café, naïve — déjà vu") == 5,
	   "non-ASCII letters make words; a dash alone does not");
	ok(markdown_words("see [the docs](https://example.org/a) now") == 4,
	   "a link address is no extra word (it joins the word before it)");
	struct post p;
	ok(post_by_slug(d, NOW, "first", a, &p) == 1 && p.reading_minutes == 1,
	   "a short post: 1 min, never 0");
	struct buf body = BUF_INIT;
	for (int i = 0; i < 700; i++)
		buf_adds(&body, "word ");
	ok(db_run(d, "UPDATE posts SET body_md = ?1 WHERE slug = 'first'", DB_ARGS(DB_T(buf_cstr(&body)))) ==
	           1 &&
	       post_by_slug(d, NOW, "first", a, &p) == 1 && p.reading_minutes == 3,
	   "700 words at 230 a minute: 3 min");
	buf_free(&body);
	ok(db_run(d, "UPDATE posts SET body_md = 'Body *md*' WHERE slug = 'first'", DB_NOARGS) == 1,
	   "the body back");
	struct tag_count *tags = NULL;
	long n = tags_index(d, NOW, a, &tags);
	ok(n == 2 && strcmp(tags[0].slug, "alpha") == 0 && tags[0].posts == 1 &&
	       strcmp(tags[1].slug, "beta") == 0,
	   "tags_index: tags of visible posts only (Alpha's draft is not counted), by name");
}

int main(void)
{
	struct db d;
	struct arena a = {0};
	char err[256];
	ok(db_open(&d, ":memory:", DB_CREATE, err, sizeof err) == 0 && db_migrate(&d, err, sizeof err) >= 0,
	   "in-memory database with the schema");
	ok(db_run(&d,
	          "INSERT INTO users(id, name, slug, email, bio, pw_hash, created_at) "
	          "VALUES(1, 'Ann Author', 'ann', 'ann@example.org', 'Writes.', 'x', 0)",
	          DB_NOARGS) == 1,
	   "an author");
	sqlite3_int64 first = save(&d, 0, "first", "First", true, NOW - 2 * DAY, "Alpha, Beta");
	ok(first > 0, "post_write creates a post");
	ok(save(&d, 0, "second", "Second", true, NOW - DAY, "") > 0, "and a second");
	ok(save(&d, 0, "draft", "Draft", false, 0, "Alpha") > 0, "a draft");
	ok(save(&d, 0, "later", "Later", true, NOW + 2 * DAY, "") > 0, "a scheduled post");
	test_reading(&d, &a);
	test_reading_time(&d, &a);
	test_sticky(&d, &a, first);
	test_admin(&d, &a, first);
	arena_free(&a);
	db_close(&d);
	return tap_done();
}
