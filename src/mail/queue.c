/* queue: who gets a mail is decided here; src/db only stores the rows. */
#include "queue.h"

#include <string.h>

#include "db_options.h"
#include "db_outbox.h"
#include "log.h"

int outbox_add(struct db *d, const char *kind, const char *recipient, sqlite3_int64 ref, const char *payload,
               time_t now)
{
	return db_outbox_insert(d, kind, recipient, ref, payload, now);
}

long outbox_post_published(struct db *d, sqlite3_int64 post, time_t now)
{
	int marked = db_post_mark_announced(d, post, now);
	if (marked <= 0)
		return marked; /* not visible yet, or announced before: never twice */
	int notify = db_post_notify(d, post);
	if (notify < 0)
		return -1;
	int site_mails = notify ? db_option_post_mails(d) : 1;
	if (site_mails < 0)
		return -1;
	if (!site_mails) {
		/* announced all the same: turning mails on later mails nobody about this post */
		log_info("outbox: post %lld: not mailed, new-post emails are off in the site's settings",
		         (long long)post);
		return 0;
	}
	if (!notify) {
		/* announced all the same: unticking the box later mails nobody */
		log_info("outbox: post %lld: not mailed, its author chose not to email subscribers",
		         (long long)post);
		return 0;
	}
	return db_outbox_insert_post_rows(d, post, now);
}

int outbox_test_post(struct db *d, const char *to, sqlite3_int64 post, time_t now)
{
	return db_outbox_insert_test(d, to, post, now, OUTBOX_TEST_WINDOW);
}

long outbox_due_posts(struct db *d, time_t now)
{
	long total = 0;
	for (;;) {
		sqlite3_int64 id = 0;
		/* a failed look-up (logged) ends this round only: the sender drains the queue anyway */
		if (db_post_unannounced(d, now, &id) <= 0 || !id)
			return total;
		if (db_begin(d) < 0)
			return -1;
		long n = outbox_post_published(d, id, now);
		if (n < 0 || db_commit(d) < 0) {
			db_rollback(d);
			return -1;
		}
		log_info("outbox: post %lld is visible: %ld notifications queued", (long long)id, n);
		total += n;
	}
}

int outbox_comment_events(struct db *d, sqlite3_int64 comment, const char *status, time_t now)
{
	char to[OUTBOX_RECIPIENT_MAX];
	bool approved = strcmp(status, "approved") == 0;
	if (!approved && strcmp(status, "pending") != 0)
		return 0;
	if ((approved ? db_comment_reply_to : db_comment_post_author)(d, comment, to, sizeof to) < 0)
		return -1;
	if (!*to)
		return 0;
	return outbox_add(d, approved ? "reply" : "moderation", to, comment, "", now);
}
