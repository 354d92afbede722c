/* test_db_outbox: the outbox table, the sender's state row and the mail renderer's reads
 * (src/db/db_outbox.c, src/db/db_mail.c), and the queue above them, on an in-memory database. */
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "db.h"
#include "db_mail.h"
#include "db_outbox.h"
#include "queue.h"
#include "tap.h"

#define NOW 1800000000

static sqlite3_int64 count(struct db *d, const char *sql)
{
	sqlite3_int64 n = -1;
	db_int(d, &n, sql, DB_NOARGS);
	return n;
}

static void fixtures(struct db *d)
{
	int bad = 0;
	bad |= db_run(d,
	              "INSERT INTO users(id, name, slug, email, pw_hash, created_at) "
	              "VALUES(1, 'Ada', 'ada', 'ada@example.org', 'x', 1)",
	              DB_NOARGS) != 1;
	bad |=
	    db_run(d,
	           "INSERT INTO posts(id, slug, title, body_md, body_html, excerpt, author_id, status, "
	           "published_at, created_at, updated_at) VALUES(1, 'hello', 'Hello', '', '', 'Hi', 1, "
	           "'published', ?1, 1, 1), (2, 'later', 'Later', '', '', '', NULL, 'published', ?2, 1, 1)",
	           DB_ARGS(DB_I(NOW - 10), DB_I(NOW + 3600))) != 2;
	bad |= db_run(d,
	              "INSERT INTO subscribers(id, email, status, created_at, wants_posts) VALUES "
	              "(1, 'a@example.org', 'confirmed', 1, 1), (2, 'b@example.org', 'confirmed', 1, 0), "
	              "(3, 'c@example.org', 'pending', 1, 1)",
	              DB_NOARGS) != 3;
	bad |=
	    db_run(
	        d,
	        "INSERT INTO comments(id, post_id, parent_id, author_name, author_email, body, status, "
	        "notify, created_at) VALUES (1, 1, NULL, 'Bea', 'b@example.org', 'First', 'approved', 1, 1), "
	        "(2, 1, 1, 'Cy', 'cy@example.org', 'Reply', 'approved', 0, 2), "
	        "(3, 1, 1, 'Bea again', 'B@example.org', 'Self', 'approved', 0, 3)",
	        DB_NOARGS) != 3;
	ok(!bad, "fixtures: a user, a visible and a scheduled post, three subscribers, three comments");
}

static void queue_tests(struct db *d)
{
	ok(db_outbox_insert(d, "confirm", "x@example.org", 7, "tok", NOW) == 0, "insert a row");
	ok(db_outbox_insert(d, "confirm", "x@example.org", 7, NULL, NOW) == 0 &&
	       count(d, "SELECT count(*) FROM outbox") == 2,
	   "a confirm row is never a duplicate (a new token each time)");
	ok(db_outbox_insert(d, "reply", "x@example.org", 9, "", NOW) == 0 &&
	       db_outbox_insert(d, "reply", "x@example.org", 9, "", NOW) == 0 &&
	       count(d, "SELECT count(*) FROM outbox WHERE kind = 'reply'") == 1,
	   "the same reply twice is one row");
	sqlite3_int64 id = 0;
	ok(db_post_unannounced(d, NOW, &id) == 1 && id == 1, "post 1 is visible and not announced");
	ok(db_post_mark_announced(d, 2, NOW) == 0, "a scheduled post is not announced before its time");
	ok(outbox_post_published(d, 1, NOW) == 1,
	   "announcing post 1 queues one mail (confirmed, wants posts)");
	ok(outbox_post_published(d, 1, NOW) == 0, "and never twice");
	ok(db_post_unannounced(d, NOW, &id) == 0, "no post is left to announce now");
	ok(outbox_due_posts(d, NOW + 7200) == 1 &&
	       count(d, "SELECT count(*) FROM outbox WHERE kind = 'post'") == 2,
	   "the scheduled post is announced once its time has come");
	char to[OUTBOX_RECIPIENT_MAX];
	ok(db_comment_reply_to(d, 2, to, sizeof to) == 0 && strcmp(to, "b@example.org") == 0,
	   "a reply goes to the parent's confirmed author who asked (%s)", to);
	ok(db_comment_reply_to(d, 3, to, sizeof to) == 0 && !*to, "not to oneself, in any case");
	ok(db_comment_reply_to(d, 1, to, sizeof to) == 0 && !*to, "a top-level comment notifies nobody");
	ok(db_comment_post_author(d, 2, to, sizeof to) == 0 && strcmp(to, "ada@example.org") == 0,
	   "moderation goes to the post's author");
	ok(outbox_comment_events(d, 2, "pending", NOW) == 0 &&
	       count(d, "SELECT count(*) FROM outbox WHERE kind = 'moderation'") == 1,
	   "a pending comment queues a moderation mail");
	ok(outbox_comment_events(d, 2, "spam", NOW) == 0 && count(d, "SELECT count(*) FROM outbox") == 6,
	   "spam queues nothing");
}

static void sender_tests(struct db *d)
{
	struct outbox_row r;
	int got = db_outbox_claim(d, NOW, &r);
	ok(got == 1 && r.id == 1 && strcmp(r.kind, "confirm") == 0 && strcmp(r.payload, "tok") == 0 &&
	       r.ref == 7 && r.attempts == 1,
	   "claim takes the oldest due row with its values");
	ok(count(d, "SELECT count(*) FROM outbox WHERE state = 'sending'") == 1, "and marks it sending");
	ok(db_outbox_unclaim(d, r.id, "stopped") == 0 &&
	       count(d, "SELECT attempts FROM outbox WHERE id = 1 AND state = 'queued' AND last_error = "
	                "'stopped'") == 0,
	   "unclaim gives the attempt back and keeps the error");
	ok(db_outbox_claim(d, NOW, &r) == 1 && r.id == 1 &&
	       db_outbox_mark(d, r.id, "sent", NOW, NULL, NOW) == 0,
	   "claimed again and marked sent");
	ok(count(d, "SELECT count(*) FROM outbox WHERE id = 1 AND payload = '' AND sent_at = 1800000000") ==
	       1,
	   "a sent row forgets its payload (the token) and keeps its time");
	ok(db_outbox_claim(d, NOW, &r) == 1 && db_outbox_mark(d, r.id, "failed", NOW, "550", NOW) == 0,
	   "a second row fails");
	ok(db_outbox_claim(d, NOW, &r) == 1, "a third is left sending");
	struct outbox_totals t;
	ok(db_outbox_totals(d, &t) == 0 && t.queued == 3 && t.sending == 1 && t.sent == 1 && t.failed == 1,
	   "totals per state (%ld %ld %ld %ld)", t.queued, t.sending, t.sent, t.failed);
	ok(db_outbox_requeue_sending(d) == 0 && db_outbox_retry_failed(d, NOW + 5) == 1 &&
	       db_outbox_totals(d, &t) == 0 && t.queued == 5 && t.sending == 0 && t.failed == 0,
	   "stale rows and failed rows go back to the queue");
	ok(db_outbox_claim(d, NOW - 1, &r) == 0, "nothing is due before its time");
}

static void state_tests(struct db *d)
{
	struct mail_state ms;
	ok(db_mail_state_get(d, "h1", &ms) == 0 && !ms.paused && !*ms.last_error && ms.next_attempt == NOW,
	   "the state row starts clean; next attempt is the earliest queued row");
	ok(db_mail_state_set(d, "535 denied", 1, "h1", NOW) == 0 && db_mail_state_get(d, "h1", &ms) == 0 &&
	       ms.paused && !ms.config_changed && strcmp(ms.last_error, "535 denied") == 0 &&
	       ms.last_error_at == NOW,
	   "a pause under settings h1");
	ok(db_mail_state_get(d, "h2", &ms) == 0 && ms.paused && ms.config_changed,
	   "seen from settings h2: changed");
	ok(db_mail_state_set(d, NULL, -1, "h2", NOW + 1) == 0 && db_mail_state_get(d, "h1", &ms) == 0 &&
	       ms.paused && ms.last_error_at == NOW,
	   "NULL error and -1 leave error, time and pause alone");
	ok(db_mail_state_resume(d) == 0 && db_mail_state_get(d, "h1", &ms) == 0 && !ms.paused,
	   "resume lifts the pause");
}

static void mail_read_tests(struct db *d)
{
	struct arena a = {0};
	struct mail_post p;
	ok(db_mail_post(d, &a, 1, NOW, &p) == 1 && strcmp(p.title, "Hello") == 0 &&
	       strcmp(p.slug, "hello") == 0 && strcmp(p.excerpt, "Hi") == 0 && strcmp(p.author, "Ada") == 0 &&
	       strcmp(p.author_email, "ada@example.org") == 0 && p.visible,
	   "a post as a mail shows it");
	ok(db_mail_post(d, &a, 2, NOW, &p) == 1 && !p.visible && !*p.author,
	   "a scheduled post without author");
	ok(db_mail_post(d, &a, 99, NOW, &p) == 0, "no such post");
	struct mail_comment c;
	ok(db_mail_comment(d, &a, 2, &c) == 1 && strcmp(c.author, "Cy") == 0 &&
	       strcmp(c.body, "Reply") == 0 && c.post == 1 && strcmp(c.parent_author, "Bea") == 0 &&
	       strcmp(c.parent_email, "b@example.org") == 0,
	   "a reply with its parent's author");
	ok(db_mail_comment(d, &a, 1, &c) == 1 && !*c.parent_author && !*c.parent_email,
	   "a top-level comment");
	ok(db_mail_comment(d, &a, 99, &c) == 0, "no such comment");
	arena_free(&a);
}

/* The editor's "Don't email subscribers" and "Send a test to me". */
static void notify_tests(struct db *d)
{
	ok(db_run(d,
	          "INSERT INTO posts(id, slug, title, body_md, body_html, excerpt, author_id, status, "
	          "published_at, created_at, updated_at) VALUES(3, 'quiet', 'Quiet', '', '', '', 1, "
	          "'published', ?1, 1, 1), (4, 'draft', 'Draft', '', '', '', 1, 'draft', 0, 1, 1)",
	          DB_ARGS(DB_I(NOW + 100))) == 2,
	   "a scheduled post and a draft");
	ok(db_post_notify(d, 3) == 1, "a post mails its subscribers unless told not to");
	ok(db_post_notify_set(d, 3, false) == 0 && db_post_notify(d, 3) == 0, "the choice is stored");
	ok(db_post_notify(d, 99) < 0, "no such post: an error, never a yes");
	sqlite3_int64 before = count(d, "SELECT count(*) FROM outbox WHERE kind = 'post'");
	ok(outbox_due_posts(d, NOW + 200) == 0 &&
	       count(d, "SELECT count(*) FROM outbox WHERE kind = 'post'") == before,
	   "its time comes: no notification queued");
	bool announced = false;
	long mails = -1;
	ok(db_post_mail_info(d, 3, &announced, &mails) == 0 && announced && mails == 0,
	   "but it is announced, so it is not looked at again");
	ok(db_post_notify_set(d, 3, true) == 0 && outbox_post_published(d, 3, NOW + 300) == 0,
	   "ticking the box off afterwards mails nobody: a post is news once");
	ok(db_post_mail_info(d, 1, &announced, &mails) == 0 && announced && mails == 1,
	   "a mailed post counts its notifications");
	ok(outbox_test_post(d, "ada@example.org", 4, NOW) == 1 &&
	       count(d, "SELECT count(*) FROM outbox WHERE kind = 'test' AND ref_id = 4 AND "
	                "recipient = 'ada@example.org'") == 1,
	   "a test of a draft is queued to the author");
	ok(outbox_test_post(d, "ada@example.org", 4, NOW + OUTBOX_TEST_WINDOW - 1) == 0 &&
	       db_outbox_test_wait(d, "ada@example.org", NOW + 10, OUTBOX_TEST_WINDOW) ==
	           OUTBOX_TEST_WINDOW - 10,
	   "a second test within the window is refused, with the seconds to wait");
	ok(db_outbox_test_wait(d, "bob@example.org", NOW, OUTBOX_TEST_WINDOW) == 0,
	   "another address waits for nothing");
	ok(outbox_test_post(d, "ada@example.org", 4, NOW + OUTBOX_TEST_WINDOW) == 1 &&
	       db_outbox_test_wait(d, "ada@example.org", NOW + 2 * OUTBOX_TEST_WINDOW, OUTBOX_TEST_WINDOW) ==
	           0,
	   "after the window another test goes");
	ok(db_post_mail_info(d, 4, &announced, &mails) == 0 && !announced && mails == 0,
	   "tests never announce the post nor count as notifications");
}

int main(void)
{
	struct db d;
	char err[256];
	if (db_open(&d, ":memory:", DB_CREATE, err, sizeof err) < 0 || db_migrate(&d, err, sizeof err) < 0) {
		ok(0, "schema: %s", err);
		return tap_done();
	}
	fixtures(&d);
	queue_tests(&d);
	sender_tests(&d);
	state_tests(&d);
	mail_read_tests(&d);
	notify_tests(&d);
	db_close(&d);
	return tap_done();
}
