/* h_admin_comments: moderation: tabs by status, one-click and bulk actions, replies as the admin. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "comment_text.h"
#include "comment_write.h"
#include "db_comments.h"
#include "form.h"
#include "handlers.h"
#include "log.h"
#include "site.h"
#include "text.h"

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
	struct tobj *ctx = page_ctx(q, "Comments");
	struct tlist *list = tset_list(ctx, "comments");
	long total = comments_admin_list(&q->w->db, status, page, list);
	if (total < 0 || comment_counts(&q->w->db, q->now, ctx) < 0)
		return server_error(q, r);
	struct tlist *tabs = tset_list(ctx, "tabs");
	static const char *const labels[] = {"Pending", "Approved", "Spam", "Trash"};
	for (int i = 0; i < 4; i++) {
		struct tobj *t = tlist_add(tabs);
		tset_str(t, "name", labels[i]);
		tset_int(t, "count", tget_int(ctx, arena_printf(q->a, "count_%s", statuses[i]), 0));
		tset_str(t, "status", statuses[i]);
		tset_str(t, "url", arena_printf(q->a, "/admin/comments?status=%s", statuses[i]));
		tset_bool(t, "current", strcmp(status, statuses[i]) == 0);
	}
	tset_str(ctx, "status", status);
	tset_bool(ctx, "in_pending", strcmp(status, "pending") == 0);
	tset_bool(ctx, "in_approved", strcmp(status, "approved") == 0);
	tset_bool(ctx, "in_bin", strcmp(status, "spam") == 0 || strcmp(status, "trash") == 0);
	long pages = total ? (total + ADMIN_COMMENTS_PER_PAGE - 1) / ADMIN_COMMENTS_PER_PAGE : 1;
	pager_set(q, ctx, arena_printf(q->a, "/admin/comments?status=%s", status), page, pages);
	if (query_get(q->a, q->query, "done", 40, &notice) == 1)
		tset_str(ctx, "notice", strcmp(notice, "reply") == 0 ? "Your reply is published." : "Done.");
	page_render(q, r, "admin_comments", ctx);
}

static void back(struct req *q, struct resp *r, const char *what)
{
	resp_redirect(r, 303,
	              arena_printf(q->a, "/admin/comments?status=%s&done=%s",
	                           known_status(form_get(q->form, "back")), what));
}

void h_admin_comment_action(struct req *q, struct resp *r)
{
	sqlite3_int64 id = id_parse(q->params[0]);
	const char *action = form_get(q->form, "action");
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
	back(q, r, action);
}

void h_admin_comments_bulk(struct req *q, struct resp *r)
{
	const char *action = form_get(q->form, "bulk_action");
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
	back(q, r, done ? action : "nothing");
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
	const char *body = form_get(q->form, "body");
	if (!body || !*body || !field_ok(body, COMMENT_BODY_MAX, false) || form_bad_utf8(q->form, "body"))
		return page_error(q, r, 422,
		                  "A reply must be text of 1 to 10,000 characters. Go back and try again.");
	sqlite3_stmt *st = db_prep(db, "SELECT name, email FROM users WHERE id = ?1");
	if (!st)
		return server_error(q, r);
	sqlite3_bind_int64(st, 1, q->session->user_id);
	char *name = NULL, *email = NULL;
	if (sqlite3_step(st) == SQLITE_ROW) {
		name = arena_strdup(q->a, db_text(st, 0));
		email = arena_strdup(q->a, db_text(st, 1));
	}
	sqlite3_reset(st);
	if (!name)
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
	                    .name = name,
	                    .email = email,
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
	back(q, r, "reply");
}
