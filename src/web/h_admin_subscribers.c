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
#include "subscribers.h"
#include "text.h"
#include "timefmt.h"

#define SUBSCRIBERS_PER_PAGE 50

static void server_error(struct req *q, struct resp *r)
{
	page_error(q, r, 500, "Something went wrong on our side; it has been logged.");
}

static void date_or_dash(struct tobj *o, const char *key, time_t t)
{
	char b[TIME_BUFSZ] = "";
	if (t > 0)
		time_ymd(t, b);
	tset_str(o, key, b);
}

/* One page of subscribers into ctx's list; whether there are more after it, or -1. */
static int list_view(struct req *q, struct tobj *ctx, const char *search, const char *status, long page)
{
	struct subscriber *subs = arena_calloc(q->a, SUBSCRIBERS_PER_PAGE + 1, sizeof *subs);
	if (!subs)
		return -1;
	/* one row past the page says whether an older page exists */
	long n = subscribers_list(&q->w->db, search, status, SUBSCRIBERS_PER_PAGE + 1,
	                          (page - 1) * SUBSCRIBERS_PER_PAGE, subs);
	if (n < 0)
		return -1;
	struct tlist *list = tset_list(ctx, "subscribers");
	for (long i = 0; i < n && i < SUBSCRIBERS_PER_PAGE; i++) {
		struct tobj *o = tlist_add(list);
		tset_int(o, "id", subs[i].id);
		tset_str(o, "email", subs[i].email);
		tset_str(o, "state", subs[i].status);
		date_or_dash(o, "created", subs[i].created_at);
		date_or_dash(o, "confirmed", subs[i].confirmed_at);
		date_or_dash(o, "unsubscribed", subs[i].unsubscribed_at);
		tset_str(o, "wants", subs[i].wants_posts ? "new posts" : "replies only");
	}
	return n > SUBSCRIBERS_PER_PAGE;
}

static int counts_view(struct req *q, struct tobj *ctx)
{
	long counts[4];
	struct subscriber_counts sc;
	if (outbox_counts(&q->w->db, counts) < 0 || subscribers_counts(&q->w->db, &sc) < 0)
		return -1;
	tset_int(ctx, "outbox_queued", counts[0]);
	tset_int(ctx, "outbox_sending", counts[1]);
	tset_int(ctx, "outbox_sent", counts[2]);
	tset_int(ctx, "outbox_failed", counts[3]);
	tset_int(ctx, "count_pending", sc.pending);
	tset_int(ctx, "count_confirmed", sc.confirmed);
	tset_int(ctx, "count_unsubscribed", sc.unsubscribed);
	tset_int(ctx, "count_bouncing", sc.bouncing);
	tset_int(ctx, "count_replies_only", sc.replies_only);
	return 0;
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
	int more = list_view(q, ctx, search, status, page);
	if (more < 0)
		return server_error(q, r);
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
	if (counts_view(q, ctx) < 0 || outbox_view(q, ctx) < 0)
		return server_error(q, r);
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

static void csv_row(const struct subscriber *s, void *arg)
{
	struct buf *b = arg;
	csv_field(b, s->email);
	buf_addf(b, ",%s,%d", s->status, s->wants_posts);
	const time_t at[] = {s->created_at, s->confirmed_at, s->unsubscribed_at};
	for (size_t i = 0; i < sizeof at / sizeof at[0]; i++) {
		char t[TIME_BUFSZ] = "";
		if (at[i] > 0)
			time_rfc3339(at[i], t);
		buf_addf(b, ",%s", t);
	}
	buf_adds(b, "\r\n");
}

void h_admin_subscribers_csv(struct req *q, struct resp *r)
{
	buf_reset(&r->body);
	buf_adds(&r->body, "email,state,wants_posts,created,confirmed,unsubscribed\r\n");
	if (subscribers_each(&q->w->db, csv_row, &r->body) < 0)
		return server_error(q, r);
	r->ctype = "text/csv; charset=utf-8";
	resp_header(r, "Content-Disposition", "attachment; filename=\"subscribers.csv\"");
	log_audit("audit: user=%lld action=subscribers-export", (long long)q->session->user_id);
}

void h_admin_subscriber_delete(struct req *q, struct resp *r)
{
	sqlite3_int64 id = id_parse(q->params[0]);
	if (!id)
		return page_error(q, r, 404, "There is no such subscriber.");
	int removed = subscriber_delete(&q->w->db, id);
	if (removed < 0)
		return server_error(q, r);
	if (!removed)
		return page_error(q, r, 404, "There is no such subscriber.");
	log_audit("audit: user=%lld action=subscriber-remove subscriber=%lld", (long long)q->session->user_id,
	          (long long)id);
	resp_redirect(r, 303, "/admin/subscribers?done=removed");
}

void h_admin_outbox_retry(struct req *q, struct resp *r)
{
	long n = outbox_retry_failed(&q->w->db, q->now);
	if (n < 0)
		return server_error(q, r);
	log_audit("audit: user=%lld action=outbox-retry rows=%ld", (long long)q->session->user_id, n);
	resp_redirect(r, 303, "/admin/subscribers?done=retry");
}
