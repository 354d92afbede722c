/* test_db_comments: storing, listing, counting and moderating comments as typed rows. */
#include <string.h>

#include "arena.h"
#include "db.h"
#include "db_comments.h"
#include "db_dashboard.h"
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
	ok(comment_counts(d, 0, NOW, &k) == 0 && k.approved == 2 && k.pending == 1 && k.spam == 0 &&
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

/* sql/024: the reason a comment is held, kept with it; the moderator's edit; the dashboard. */
static void test_held(struct db *d, struct arena *a)
{
	struct comment c = {.post_id = 1,
	                    .name = "Linker",
	                    .email = "l@example.org",
	                    .url = "",
	                    .body = "three links",
	                    .body_html = "<p>three links</p>",
	                    .status = "pending",
	                    .ip = "192.0.2.9",
	                    .user_agent = "test",
	                    .held_reason = "links",
	                    .held_detail = "3 links, more than 2"};
	sqlite3_int64 id = comment_insert(d, &c, NULL, NOW + 1);
	struct admin_comment row;
	ok(id > 0 && comment_admin_get(d, id, a, &row) == 1 && strcmp(row.held_reason, "links") == 0 &&
	       strcmp(row.held_detail, "3 links, more than 2") == 0 && strcmp(row.body, "three links") == 0,
	   "the held reason and detail are stored with the comment");
	c.status = "approved";
	c.body = "approved one";
	sqlite3_int64 ok_id = comment_insert(d, &c, NULL, NOW + 2);
	ok(comment_admin_get(d, ok_id, a, &row) == 1 && !*row.held_reason && !*row.held_detail,
	   "an approved comment keeps no held reason");
	ok(comment_moderate(d, ok_id, "pending", NOW) == 1 && comment_admin_get(d, ok_id, a, &row) == 1 &&
	       strcmp(row.held_reason, "moderator") == 0,
	   "sent back to the queue: held by a moderator");
	ok(comment_moderate(d, id, "pending", NOW) == 1 && comment_admin_get(d, id, a, &row) == 1 &&
	       strcmp(row.held_reason, "links") == 0,
	   "a comment already waiting keeps its reason");
	ok(comments_pending_count(d, 0) == 3, "comments_pending_count (with the one held before)");
	struct admin_comment *w = NULL;
	ok(comments_pending_newest(d, 0, 1, a, &w) == 1 && w[0].id == ok_id,
	   "comments_pending_newest: newest first, limited");
	ok(comment_admin_get(d, 999999, a, &row) == 0, "comment_admin_get: none");

	struct comment_edit e = {.name = "New",
	                         .email = "n@example.org",
	                         .url = "https://n.example/",
	                         .body = "edited",
	                         .body_html = "<p>edited</p>"};
	ok(comment_update(d, id, &e, NOW) == 1 && comment_admin_get(d, id, a, &row) == 1 &&
	       strcmp(row.name, "New") == 0 && strcmp(row.url, "https://n.example/") == 0 &&
	       strcmp(row.body_html, "<p>edited</p>") == 0,
	   "comment_update rewrites author and text");
	ok(comment_duplicate(d, "edited") && !comment_duplicate(d, "three links"), "and its duplicate check");
	ok(comment_update(d, 999999, &e, NOW) == 0, "comment_update: none");

	char t[HELD_TEXT_MAX];
	comment_held_text("links", "3 links, more than 2", t, sizeof t);
	is_str(t, "Held: 3 links, more than 2", "held text: links");
	comment_held_text("word", "casino", t, sizeof t);
	is_str(t, "Held: the disallowed word \u201ccasino\u201d", "held text: the word");
	comment_held_text("first", "", t, sizeof t);
	is_str(t, "Held: first comment from this address", "held text: first");
	comment_held_text("", "", t, sizeof t);
	is_str(t, "", "held text: none for an old comment");
	comment_held_text("something-new", NULL, t, sizeof t);
	is_str(t, "Held: something-new", "held text: an unknown reason as it is");

	struct dash_draft *dr = NULL;
	ok(db_run(d,
	          "INSERT INTO posts(slug, title, body_md, body_html, status, published_at, created_at, "
	          "updated_at) VALUES('d1', 'Older draft', '', '', 'draft', 0, 1, 5), "
	          "('d2', 'Newer draft', '', '', 'draft', 0, 1, 9)",
	          DB_NOARGS) == 2 &&
	       dash_drafts(d, 0, 5, a, &dr) == 2 && strcmp(dr[0].title, "Newer draft") == 0 &&
	       dr[0].updated_at == 9,
	   "dash_drafts: drafts, last edited first");
	ok(dash_drafts(d, 0, 1, a, &dr) == 1, "dash_drafts: limited");
	struct dash_mail *m = NULL;
	ok(db_run(d,
	          "INSERT INTO outbox(recipient, kind, payload, state, next_attempt, created_at, last_error, "
	          "sent_at) VALUES('a@x.org', 'post', '', 'sent', 0, 1, '', 10), "
	          "('b@x.org', 'reply', '', 'sent', 0, 2, '', 20), ('c@x.org', 'post', '', 'failed', 0, 3, "
	          "'550 no', NULL), ('d@x.org', 'post', '', 'queued', 0, 4, '', NULL)",
	          DB_NOARGS) == 4 &&
	       dash_mails(d, 5, a, &m) == 3 && m[0].failed && strcmp(m[0].error, "550 no") == 0 &&
	       strcmp(m[1].recipient, "b@x.org") == 0 && m[1].at == 20 &&
	       strcmp(m[2].recipient, "a@x.org") == 0,
	   "dash_mails: the failed ones, then the newest sent; never a queued one");
	ok(dash_mails(d, 1, a, &m) == 2, "dash_mails: sent ones limited, failed ones all");
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
	test_held(&d, &a);

	ok(comment_moderate(&d, held, "spam", NOW) == 1, "comment_moderate sets a status");
	ok(comment_moderate(&d, held, "delete", NOW) == 1 && comment_moderate(&d, held, "delete", NOW) == 0,
	   "and deletes, once");
	arena_free(&a);
	db_close(&d);
	return tap_done();
}
