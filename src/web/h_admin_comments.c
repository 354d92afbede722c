/* h_admin_comments: moderation: tabs by status, one-click and bulk actions, replies as the admin. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "comment_text.h"
#include "comment_view.h"
#include "comment_write.h"
#include "db_comments.h"
#include "db_posts.h"
#include "form.h"
#include "handlers.h"
#include "user_access.h"
#include "log.h"
#include "site.h"
#include "text.h"

#define ACTION_WORD_MAX 20 /* the longest action or status word, with room */

static const char *const statuses[] = {"pending", "approved", "spam", "trash"};

static void server_error(struct req *q, struct resp *r)
{
	page_error(q, r, 500, "Something went wrong on our side; it has been logged.");
}

static const char *known_status(const char *s)
{
	for (int i = 0; i < 4; i++)
		if (s && strcmp(s, statuses[i]) == 0)
			return statuses[i];
	return "pending";
}

/* The stored status an action leads to; "delete" deletes; NULL for an unknown action. */
static const char *action_status(const char *a)
{
	static const char *const map[][2] = {{"approve", "approved"}, {"unapprove", "pending"},
	                                     {"spam", "spam"},        {"trash", "trash"},
	                                     {"restore", "pending"},  {"delete", "delete"}};
	for (size_t i = 0; a && i < sizeof map / sizeof map[0]; i++)
		if (strcmp(a, map[i][0]) == 0)
			return map[i][1];
	return NULL;
}

void h_admin_comments(struct req *q, struct resp *r)
{
	char *st = NULL, *pg = NULL, *notice = NULL;
	query_get(q->a, q->query, "status", 20, &st);
	const char *status = known_status(st);
	long page =
	    query_get(q->a, q->query, "page", 8, &pg) == 1 && id_parse(pg) > 0 ? (long)id_parse(pg) : 1;
	struct admin_comment *rows = NULL;
	struct comment_counts k;
	long n = 0,
	     total = comments_admin_list_by(&q->w->db, status, access_list_owner(q), page, q->a, &rows, &n);
	if (total < 0 || comment_counts(&q->w->db, q->now, &k) < 0)
		return server_error(q, r);
	struct tobj *ctx = page_ctx(q, "Comments");
	admin_comments_view(tset_list(ctx, "comments"), rows, n);
	comment_counts_view(ctx, &k);
	struct tlist *tabs = tset_list(ctx, "tabs");
	static const char *const labels[] = {"Pending", "Approved", "Spam", "Trash"};
	const long long counts[] = {k.pending, k.approved, k.spam, k.trash};
	for (int i = 0; i < 4; i++) {
		struct tobj *t = tlist_add(tabs);
		tset_str(t, "name", labels[i]);
		tset_int(t, "count", counts[i]);
		tset_str(t, "status", statuses[i]);
		tset_str(t, "url", arena_printf(q->a, "/admin/comments?status=%s", statuses[i]));
		tset_bool(t, "current", strcmp(status, statuses[i]) == 0);
	}
	tset_str(ctx, "status", status);
	tset_bool(ctx, "in_pending", strcmp(status, "pending") == 0);
	tset_bool(ctx, "in_approved", strcmp(status, "approved") == 0);
	tset_bool(ctx, "in_bin", strcmp(status, "spam") == 0 || strcmp(status, "trash") == 0);
	long pages = pager_make(total, ADMIN_COMMENTS_PER_PAGE, page).pages;
	pager_set(q, ctx, arena_printf(q->a, "/admin/comments?status=%s", status), page, pages);
	if (query_get(q->a, q->query, "done", 40, &notice) == 1)
		tset_str(ctx, "notice", strcmp(notice, "reply") == 0 ? "Your reply is published." : "Done.");
	page_render(q, r, "admin_comments", ctx);
}

/* The moderation forms: an action (one comment, or the ticked ones), the tab to go back to,
 * a reply. Words are compared as sent (RAW): " approve" is not an action. */
enum { F_ACTION, F_BULK_ACTION, F_BACK, F_BODY, F_COUNT };
static const struct field_spec moderation_fields[F_COUNT] = {
    [F_ACTION] = {"action", FIELD_LINE, ACTION_WORD_MAX, FIELD_RAW},
    [F_BULK_ACTION] = {"bulk_action", FIELD_LINE, ACTION_WORD_MAX, FIELD_RAW},
    [F_BACK] = {"back", FIELD_LINE, ACTION_WORD_MAX, FIELD_RAW},
    [F_BODY] = {"body", FIELD_TEXT, COMMENT_BODY_MAX, 0},
};

/* Reads the moderation form; each handler looks only at its own fields. */
static void read_fields(struct req *q, struct field_val v[F_COUNT])
{
	form_read(q->form, moderation_fields, F_COUNT, v);
}

static void back(struct req *q, struct resp *r, const struct field_val v[F_COUNT], const char *what)
{
	resp_redirect(
	    r, 303, arena_printf(q->a, "/admin/comments?status=%s&done=%s", known_status(v[F_BACK].s), what));
}

void h_admin_comment_action(struct req *q, struct resp *r)
{
	struct field_val v[F_COUNT];
	read_fields(q, v);
	sqlite3_int64 id = id_parse(q->params[0]);
	const char *action = v[F_ACTION].s;
	const char *to = action_status(action);
	if (!id || !to)
		return page_error(q, r, 400, "Unknown comment or action.");
	int rc = comment_moderate_notify(&q->w->db, id, to, q->now);
	if (rc < 0)
		return server_error(q, r);
	if (rc == 0)
		return page_error(q, r, 404, "There is no such comment.");
	log_msg("audit: user=%lld action=comment-%s comment=%lld", (long long)q->session->user_id, action,
	        (long long)id);
	back(q, r, v, action);
}

void h_admin_comments_bulk(struct req *q, struct resp *r)
{
	struct field_val v[F_COUNT];
	read_fields(q, v);
	const char *action = v[F_BULK_ACTION].s;
	const char *to = action_status(action);
	if (!to)
		return page_error(q, r, 400, "Choose an action for the selected comments.");
	int done = 0;
	for (int i = 0; i < q->form->n; i++) {
		const struct form_field *f = &q->form->f[i];
		sqlite3_int64 id;
		if (f->filename || strcmp(f->name, "ids") || !(id = id_parse(f->value)))
			continue;
		if (comment_moderate_notify(&q->w->db, id, to, q->now) < 0)
			return server_error(q, r);
		log_msg("audit: user=%lld action=comment-%s comment=%lld", (long long)q->session->user_id,
		        action, (long long)id);
		done++;
	}
	back(q, r, v, done ? action : "nothing");
}

void h_admin_comment_reply(struct req *q, struct resp *r)
{
	struct db *db = &q->w->db;
	sqlite3_int64 id = id_parse(q->params[0]);
	struct comment parent;
	int found = id ? comment_get(db, q->a, id, &parent) : 0;
	if (found < 0)
		return server_error(q, r);
	if (found == 0)
		return page_error(q, r, 404, "There is no such comment.");
	/* a reply approves a pending comment; spam or trash is never published by answering it */
	if (strcmp(parent.status, "approved") != 0 && strcmp(parent.status, "pending") != 0)
		return page_error(q, r, 409,
		                  "This comment is in spam or trash: restore it before replying to it.");
	struct field_val v[F_COUNT];
	read_fields(q, v);
	/* kept as typed: only an empty body is refused, as a reply of spaces always was accepted */
	const char *body = v[F_BODY].s;
	if (v[F_BODY].err != FIELD_GOOD || !*body)
		return page_error(q, r, 422,
		                  "A reply must be text of 1 to 10,000 characters. Go back and try again.");
	struct author me;
	if (author_by_id(db, q->session->user_id, q->a, &me) != 1)
		return server_error(q, r);
	/* replying approves what it answers, as readers would otherwise see an answer to nothing */
	if (strcmp(parent.status, "approved") != 0 && comment_moderate_notify(db, id, "approved", q->now) < 0)
		return server_error(q, r);
	sqlite3_int64 pid = id;
	while (comment_depth(db, pid) >= COMMENT_DEPTH_MAX && comment_get(db, q->a, pid, &parent) == 1 &&
	       parent.parent_id)
		pid = parent.parent_id;
	struct buf html = BUF_INIT;
	struct comment c = {.post_id = parent.post_id,
	                    .parent_id = pid,
	                    .name = me.name,
	                    .email = me.email,
	                    .url = "",
	                    .body = body,
	                    .status = "approved",
	                    .ip = q->remote_addr,
	                    .user_agent = q->user_agent};
	int links = comment_render(body, strlen(body), &html);
	c.body_html = buf_cstr(&html);
	sqlite3_int64 nid = links < 0 ? -1 : comment_store(db, &c, NULL, q->now);
	buf_free(&html);
	if (nid < 0)
		return server_error(q, r);
	log_msg("audit: user=%lld action=comment-reply comment=%lld reply=%lld",
	        (long long)q->session->user_id, (long long)id, (long long)nid);
	back(q, r, v, "reply");
}
