/* test_db_subscribers: subscriber rows (src/db/subscribers.c) and the subscribe request above
 * them (src/mail/subscribe.c: the row and its confirmation mail together), in memory. */
#include <stdio.h>
#include <string.h>

#include "db.h"
#include "settings.h"
#include "subscribe.h"
#include "subscribers.h"
#include "tap.h"

#define NOW 1800000000
#define TOKEN_A "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" /* 43 characters, as real ones */
#define TOKEN_B "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB"

static sqlite3_int64 count(struct db *d, const char *sql)
{
	sqlite3_int64 n = -1;
	db_int(d, &n, sql, DB_NOARGS);
	return n;
}

static void opt_in_tests(struct db *d)
{
	sqlite3_int64 id = 0;
	char email[SUBSCRIBER_EMAIL_SIZE] = "";
	ok(subscriber_save(d, "a@example.org", true, TOKEN_A, NOW, &id) == 1 && id > 0,
	   "a new address is pending");
	ok(count(d, "SELECT count(*) FROM outbox") == 0, "saving queues no mail (src/mail does)");
	ok(subscriber_token_state(d, TOKEN_A, NOW, email) == CONFIRM_PENDING &&
	       strcmp(email, "a@example.org") == 0,
	   "its token is pending");
	ok(subscriber_token_state(d, TOKEN_A, NOW + CONFIRM_TTL + 1, email) == CONFIRM_EXPIRED,
	   "and expires");
	ok(subscriber_token_state(d, "short", NOW, email) == CONFIRM_UNKNOWN, "a malformed token is unknown");
	sqlite3_int64 again = 0;
	ok(subscriber_save(d, "A@example.org", false, TOKEN_B, NOW, &again) == 1 && again == id &&
	       subscriber_token_state(d, TOKEN_A, NOW, email) == CONFIRM_UNKNOWN,
	   "asking again (any case) replaces the token of the same row");
	ok(subscriber_confirm(d, TOKEN_B, NOW, email) == CONFIRM_PENDING &&
	       subscriber_confirm(d, TOKEN_B, NOW, email) == CONFIRM_DONE,
	   "confirm once; the second time it is done");
	ok(subscriber_confirmed_id(d, "a@example.org") == id && subscribers_count(d) == 1,
	   "confirmed, wanting posts, counted");
	ok(subscriber_save(d, "a@example.org", false, TOKEN_A, NOW, &again) == 0,
	   "a confirmed address stays so");
	ok(subscriber_set_unsubscribed(d, id, NOW) == 1 && subscriber_set_unsubscribed(d, id, NOW) == 0 &&
	       subscriber_confirmed_id(d, "a@example.org") == 0 && subscribers_count(d) == 0,
	   "unsubscribed once (then nothing changes)");
	ok(subscriber_save(d, "b@example.org", false, TOKEN_A, NOW, &id) == 1 &&
	       subscriber_confirm(d, TOKEN_A, NOW, email) == CONFIRM_PENDING &&
	       subscriber_mark_bouncing(d, "b@example.org", NOW) == 0 &&
	       subscriber_confirmed_id(d, email) == 0,
	   "a hard bounce stops a confirmed address");
}

static void request_tests(struct db *d)
{
	ok(db_begin(d) == 0 && subscriber_request(d, "c@example.org", SUB_COMMENT, NOW) == 0 &&
	       db_commit(d) == 0,
	   "a subscribe request in a transaction");
	ok(count(
	       d,
	       "SELECT count(*) FROM outbox o JOIN subscribers s ON s.id = o.ref_id WHERE o.kind = 'confirm' "
	       "AND o.recipient = 'c@example.org' AND s.status = 'pending' AND s.wants_posts = 0 "
	       "AND length(o.payload) = 43") == 1,
	   "queues one confirm mail with the token, for the pending row");
	ok(db_begin(d) == 0 && subscriber_request(d, "d@example.org", SUB_FORM, NOW) == 0,
	   "another request...");
	db_rollback(d);
	ok(count(d, "SELECT count(*) FROM subscribers WHERE email = 'd@example.org'") == 0 &&
	       count(d, "SELECT count(*) FROM outbox WHERE recipient = 'd@example.org'") == 0,
	   "...rolled back leaves neither row nor mail");
	struct site site;
	memset(&site, 0, sizeof site);
	char tok[UNSUBSCRIBE_TOKEN_SIZE];
	unsubscribe_token(&site, 3, tok);
	ok(strlen(tok) == UNSUBSCRIBE_TOKEN_LEN && unsubscribe_token_ok(&site, 3, tok) &&
	       !unsubscribe_token_ok(&site, 4, tok) && !unsubscribe_token_ok(&site, 3, NULL),
	   "an unsubscribe token is its id's only");
}

static void admin_tests(struct db *d)
{
	struct subscriber s[4];
	long n = subscribers_list(d, "", "", 4, 0, s);
	ok(n == 3 && strcmp(s[0].email, "c@example.org") == 0 && s[0].created_at == NOW &&
	       s[0].confirmed_at == 0,
	   "the list, newest first (%ld)", n);
	ok(subscribers_list(d, "b@", "", 4, 0, s) == 1 && strcmp(s[0].status, "bouncing") == 0, "searched");
	ok(subscribers_list(d, "%", "", 4, 0, s) == 0, "a LIKE wildcard is only itself");
	ok(subscribers_list(d, "", "unsubscribed", 4, 0, s) == 1 && s[0].unsubscribed_at == NOW &&
	       !s[0].wants_posts,
	   "by status");
	ok(subscribers_list(d, "", "", 1, 1, s) == 1 && strcmp(s[0].email, "b@example.org") == 0, "paged");
	struct subscriber_counts c;
	ok(subscribers_counts(d, &c) == 0 && c.pending == 1 && c.confirmed == 0 && c.unsubscribed == 1 &&
	       c.bouncing == 1,
	   "counts per status");
	ok(subscriber_delete(d, 1) == 1 && subscriber_delete(d, 1) == 0, "delete once");
}

static void csv_count(const struct subscriber *s, void *arg)
{
	(void)s;
	(*(int *)arg)++;
}

int main(void)
{
	struct db d;
	char err[256];
	if (db_open(&d, ":memory:", DB_CREATE, err, sizeof err) < 0 || db_migrate(&d, err, sizeof err) < 0) {
		ok(0, "schema: %s", err);
		return tap_done();
	}
	opt_in_tests(&d);
	request_tests(&d);
	admin_tests(&d);
	int rows = 0;
	ok(subscribers_each(&d, csv_count, &rows) == 0 && rows == 2, "each visits every row (%d)", rows);
	ok(subscribe_limited(&d, "e@example.org", "192.0.2.1", NOW) == false,
	   "a first request is not limited");
	db_close(&d);
	return tap_done();
}
