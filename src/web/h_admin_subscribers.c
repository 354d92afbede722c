/* h_admin_subscribers: the subscriber list (search, remove, CSV export) and the outbox (counts, retry). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "form.h"
#include "handlers.h"
#include "log.h"
#include "outbox.h"
#include "site.h"
#include "text.h"
#include "timefmt.h"

#define SUBSCRIBERS_PER_PAGE 50

static void server_error(struct req *q, struct resp *r)
{
	page_error(q, r, 500, "Something went wrong on our side; it has been logged.");
}

static const char SQL_LIST[] =
    "SELECT id, email, status, created_at, confirmed_at, unsubscribed_at, wants_posts FROM subscribers "
    "WHERE (?1 = '' OR email LIKE '%' || ?1 || '%' ESCAPE '\\') AND (?2 = '' OR status = ?2) "
    "ORDER BY id DESC LIMIT ?3 OFFSET ?4";

static void date_or_dash(struct tobj *o, const char *key, sqlite3_stmt *st, int col)
{
	char b[TIME_BUFSZ] = "";
	if (sqlite3_column_type(st, col) != SQLITE_NULL && sqlite3_column_int64(st, col) > 0)
		time_ymd((time_t)sqlite3_column_int64(st, col), b);
	tset_str(o, key, b);
}

/* The search text with LIKE's wildcards escaped. */
static char *like_text(struct req *q, const char *s)
{
	struct buf b = BUF_INIT;
	for (const char *p = s; *p; p++) {
		if (*p == '%' || *p == '_' || *p == '\\')
			buf_addc(&b, '\\');
		buf_addc(&b, *p);
	}
	char *out = arena_strdup(q->a, buf_cstr(&b));
	buf_free(&b);
	return out;
}

/* The sender's last error and a pause, in the words the sender stored. */
static int outbox_view(struct req *q, struct tobj *ctx)
{
	struct mail_state ms;
	if (outbox_state(&q->w->db, q->w->site, &ms) < 0)
		return -1;
	char at[TIME_BUFSZ];
	time_rfc3339(ms.last_error_at, at);
	tset_bool(ctx, "outbox_paused", ms.paused && !ms.config_changed);
	tset_str(ctx, "outbox_last_error", arena_strdup(q->a, ms.last_error));
	tset_str(ctx, "outbox_last_error_at", arena_strdup(q->a, at));
	return 0;
}

void h_admin_subscribers(struct req *q, struct resp *r)
{
	struct db *db = &q->w->db;
	char *search = NULL, *status = NULL, *pg = NULL;
	if (query_get(q->a, q->query, "q", 254, &search) != 1)
		search = "";
	if (query_get(q->a, q->query, "status", 20, &status) != 1 ||
	    (strcmp(status, "pending") && strcmp(status, "confirmed") && strcmp(status, "unsubscribed") &&
	     strcmp(status, "bouncing")))
		status = "";
	long page = query_get(q->a, q->query, "page", 6, &pg) == 1 ? strtol(pg, NULL, 10) : 1;
	if (page < 1)
		page = 1;
	struct tobj *ctx = page_ctx(q, "Subscribers");
	tset_str(ctx, "q", search);
	tset_str(ctx, "status", status);
	sqlite3_stmt *st = db_prep(db, SQL_LIST);
	if (!st)
		return server_error(q, r);
	sqlite3_bind_text(st, 1, like_text(q, search), -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, status, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, SUBSCRIBERS_PER_PAGE + 1);
	sqlite3_bind_int64(st, 4, (page - 1) * SUBSCRIBERS_PER_PAGE);
	struct tlist *list = tset_list(ctx, "subscribers");
	int n = 0, rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && n < SUBSCRIBERS_PER_PAGE) {
		struct tobj *o = tlist_add(list);
		tset_int(o, "id", sqlite3_column_int64(st, 0));
		tset_str(o, "email", db_text(st, 1));
		tset_str(o, "state", db_text(st, 2));
		date_or_dash(o, "created", st, 3);
		date_or_dash(o, "confirmed", st, 4);
		date_or_dash(o, "unsubscribed", st, 5);
		tset_str(o, "wants", sqlite3_column_int(st, 6) ? "new posts" : "replies only");
		n++;
	}
	bool more = rc == SQLITE_ROW;
	sqlite3_reset(st);
	/* the pages of a search stay in that search */
	struct buf base = BUF_INIT;
	buf_adds(&base, "/admin/subscribers?status=");
	esc_url(&base, status, strlen(status));
	buf_adds(&base, "&q=");
	esc_url(&base, search, strlen(search));
	if (page > 1)
		tset_str(ctx, "newer_url", arena_printf(q->a, "%s&page=%ld", buf_cstr(&base), page - 1));
	if (more)
		tset_str(ctx, "older_url", arena_printf(q->a, "%s&page=%ld", buf_cstr(&base), page + 1));
	buf_free(&base);
	tset_bool(ctx, "paged", page > 1 || more);
	tset_int(ctx, "page", page);
	tset_int(ctx, "pages", more ? page + 1 : page);
	long counts[4];
	if (outbox_counts(db, counts) < 0)
		return server_error(q, r);
	tset_int(ctx, "outbox_queued", counts[0]);
	tset_int(ctx, "outbox_sending", counts[1]);
	tset_int(ctx, "outbox_sent", counts[2]);
	tset_int(ctx, "outbox_failed", counts[3]);
	if (outbox_view(q, ctx) < 0)
		return server_error(q, r);
	static const char *const states[] = {"pending", "confirmed", "unsubscribed", "bouncing"};
	for (int i = 0; i < 4; i++) {
		st = db_prep(db, "SELECT count(*) FROM subscribers WHERE status = ?1");
		if (!st)
			return server_error(q, r);
		sqlite3_bind_text(st, 1, states[i], -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW)
			tset_int(ctx, arena_printf(q->a, "count_%s", states[i]), sqlite3_column_int64(st, 0));
		sqlite3_reset(st);
	}
	char *done = NULL;
	if (query_get(q->a, q->query, "done", 20, &done) == 1)
		tset_str(ctx, "notice",
		         strcmp(done, "retry") == 0 ? "Failed mails are queued again." : "Removed.");
	page_render(q, r, "admin_subscribers", ctx);
}

/* A CSV field: quoted, quotes doubled, and a leading = + - @ defused against spreadsheet formulas. */
static void csv_field(struct buf *b, const char *s)
{
	buf_addc(b, '"');
	if (*s == '=' || *s == '+' || *s == '-' || *s == '@')
		buf_addc(b, '\'');
	for (; *s; s++) {
		if (*s == '"')
			buf_addc(b, '"');
		buf_addc(b, *s);
	}
	buf_addc(b, '"');
}

void h_admin_subscribers_csv(struct req *q, struct resp *r)
{
	sqlite3_stmt *st = db_prep(&q->w->db, "SELECT email, status, wants_posts, created_at, confirmed_at, "
	                                      "unsubscribed_at FROM subscribers ORDER BY id");
	if (!st)
		return server_error(q, r);
	buf_reset(&r->body);
	buf_adds(&r->body, "email,state,wants_posts,created,confirmed,unsubscribed\r\n");
	while (sqlite3_step(st) == SQLITE_ROW) {
		csv_field(&r->body, db_text(st, 0));
		buf_addf(&r->body, ",%s,%d", db_text(st, 1), sqlite3_column_int(st, 2));
		for (int c = 3; c <= 5; c++) {
			char b[TIME_BUFSZ] = "";
			if (sqlite3_column_int64(st, c) > 0)
				time_rfc3339((time_t)sqlite3_column_int64(st, c), b);
			buf_addf(&r->body, ",%s", b);
		}
		buf_adds(&r->body, "\r\n");
	}
	sqlite3_reset(st);
	r->ctype = "text/csv; charset=utf-8";
	resp_header(r, "Content-Disposition", "attachment; filename=\"subscribers.csv\"");
	log_msg("audit: user=%lld action=subscribers-export", (long long)q->session->user_id);
}

void h_admin_subscriber_delete(struct req *q, struct resp *r)
{
	sqlite3_int64 id = id_parse(q->params[0]);
	if (!id)
		return page_error(q, r, 404, "There is no such subscriber.");
	sqlite3_stmt *st = db_prep(&q->w->db, "DELETE FROM subscribers WHERE id = ?1");
	if (!st)
		return server_error(q, r);
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st);
	int changed = sqlite3_changes(q->w->db.h);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return server_error(q, r);
	if (!changed)
		return page_error(q, r, 404, "There is no such subscriber.");
	log_msg("audit: user=%lld action=subscriber-remove subscriber=%lld", (long long)q->session->user_id,
	        (long long)id);
	resp_redirect(r, 303, "/admin/subscribers?done=removed");
}

void h_admin_outbox_retry(struct req *q, struct resp *r)
{
	long n = outbox_retry_failed(&q->w->db, q->now);
	if (n < 0)
		return server_error(q, r);
	log_msg("audit: user=%lld action=outbox-retry rows=%ld", (long long)q->session->user_id, n);
	resp_redirect(r, 303, "/admin/subscribers?done=retry");
}
