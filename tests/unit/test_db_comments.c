/* test_db_comments: storing, listing, counting and moderating comments as typed rows. */
#include <string.h>

#include "arena.h"
#include "db.h"
#include "db_comments.h"
#include "tap.h"

#define NOW 1800000000

static sqlite3_int64 add(struct db *d, sqlite3_int64 parent, const char *status, const char *body,
                         const struct token_claim *claim)
{
	struct comment c = {.post_id = 1,
	                    .parent_id = parent,
	                    .name = "Reader",
	                    .email = "reader@example.org",
	                    .url = "https://example.org",
	                    .body = body,
	                    .body_html = "<p>html</p>",
	                    .status = status,
	                    .ip = "192.0.2.1",
	                    .user_agent = "test"};
	return comment_insert(d, &c, claim, NOW);
}

static void test_reads(struct db *d, struct arena *a, sqlite3_int64 top, sqlite3_int64 held)
{
	struct comment *all = NULL;
	ok(comments_of_post(d, a, 1, 0, &all) == 2 && all[0].id == top && all[1].parent_id == top,
	   "comments_of_post: the approved ones, oldest first");
	ok(comments_of_post(d, a, 1, held, &all) == 3, "and the held one its author may see");
	struct comment c;
	ok(comment_get(d, a, held, &c) == 1 && strcmp(c.status, "pending") == 0 &&
	       strcmp(c.name, "Reader") == 0,
	   "comment_get: any status");
	ok(comment_depth(d, all[1].id) == 2, "comment_depth: a reply is at depth 2");
	ok(comments_from_ip(d, "192.0.2.1", NOW - 60) == 3, "comments_from_ip counts");
	ok(comment_duplicate(d, "First!") && !comment_duplicate(d, "Something new"), "comment_duplicate");

	struct comment_counts k;
	comment_refused(d, "honeypot", NOW);
	comment_refused(d, "honeypot", NOW);
	ok(comment_counts(d, NOW, &k) == 0 && k.approved == 2 && k.pending == 1 && k.spam == 0 &&
	       k.refused_today == 2,
	   "comment_counts: per status and refusals today");
	struct admin_comment *rows = NULL;
	long n = 0;
	ok(comments_admin_list(d, "approved", 1, a, &rows, &n) == 2 && n == 2 && rows[0].is_reply &&
	       strcmp(rows[0].post_slug, "p") == 0 && strcmp(rows[1].post_title, "P") == 0,
	   "comments_admin_list: newest first, with the post");
	struct feed_comment *feed = NULL;
	ok(comments_feed(d, 0, 10, NOW, a, &feed) == 2 && strcmp(feed[0].post_slug, "p") == 0 &&
	       strcmp(feed[0].author_name, "Reader") == 0,
	   "comments_feed: the approved comments of visible posts");
	ok(comments_feed(d, 1, 10, NOW - 7200, a, &feed) == 0, "none before the post is visible");
}

int main(void)
{
	struct db d;
	struct arena a = {0};
	char err[256];
	ok(db_open(&d, ":memory:", DB_CREATE, err, sizeof err) == 0 && db_migrate(&d, err, sizeof err) >= 0,
	   "in-memory database with the schema");
	ok(db_run(&d,
	          "INSERT INTO posts(id, slug, title, body_md, body_html, status, published_at, created_at, "
	          "updated_at) VALUES(1, 'p', 'P', '', '', 'published', ?1, ?1, ?1)",
	          DB_ARGS(DB_I(NOW - 3600))) == 1,
	   "a post");
	struct token_claim claim = {.hash = {1, 2, 3}, .expires = NOW + 60};
	sqlite3_int64 top = add(&d, 0, "approved", "First!", &claim);
	ok(top > 0, "comment_insert stores a comment and claims its token");
	ok(add(&d, 0, "approved", "Again", &claim) == COMMENT_TOKEN_USED, "the same token cannot post twice");
	ok(add(&d, top, "approved", "A reply", NULL) > 0, "a reply without a token (an admin's)");
	sqlite3_int64 held = add(&d, 0, "pending", "Held", NULL);
	ok(held > 0, "a held comment");
	test_reads(&d, &a, top, held);

	ok(comment_moderate(&d, held, "spam", NOW) == 1, "comment_moderate sets a status");
	ok(comment_moderate(&d, held, "delete", NOW) == 1 && comment_moderate(&d, held, "delete", NOW) == 0,
	   "and deletes, once");
	arena_free(&a);
	db_close(&d);
	return tap_done();
}
