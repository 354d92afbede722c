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
#include "post_view.h"
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
	if (total < 0 || comment_counts(&q->w->db, access_list_owner(q), q->now, &k) < 0)
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
		tset_str(ctx, "notice",
		         strcmp(notice, "reply") == 0     ? "Your reply is published."
		         : strcmp(notice, "edit") == 0    ? "The comment is saved."
		         : strcmp(notice, "nothing") == 0 ? "No comment was selected."
		                                          : "Done.");
	page_render(q, r, "admin_comments", ctx);
}

/* The moderation forms: an action (one comment, or the ticked ones), the tab to go back to,
 * a reply. Words are compared as sent (RAW): " approve" is not an action. */
enum { F_ACTION, F_BULK_ACTION, F_BACK, F_BODY, F_ALL_ON_PAGE, F_COUNT };
static const struct field_spec moderation_fields[F_COUNT] = {
    [F_ACTION] = {"action", FIELD_LINE, ACTION_WORD_MAX, FIELD_RAW},
    [F_BULK_ACTION] = {"bulk_action", FIELD_LINE, ACTION_WORD_MAX, FIELD_RAW},
    [F_BACK] = {"back", FIELD_LINE, ACTION_WORD_MAX, FIELD_RAW},
    [F_BODY] = {"body", FIELD_TEXT, COMMENT_BODY_MAX, 0},
    [F_ALL_ON_PAGE] = {"all_on_page", FIELD_BOOL, 0, 0},
};

/* Reads the moderation form; each handler looks only at its own fields. */
static void read_fields(struct req *q, struct field_val v[F_COUNT])
{
	form_read(q->form, moderation_fields, F_COUNT, v);
}

static void back(struct req *q, struct resp *r, const struct field_val v[F_COUNT], const char *what)
{
	if (strcmp(v[F_BACK].s, "dashboard") == 0) /* the dashboard's own buttons */
		return resp_redirect(r, 303, "/admin/#dash-comments");
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
	log_audit("audit: user=%lld action=comment-%s comment=%lld", (long long)q->session->user_id, action,
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
	/* without script, "every comment on this page" stands in for ticking each one: the page
	 * lists its comments' ids in page_ids */
	const char *which = v[F_ALL_ON_PAGE].on ? "page_ids" : "ids";
	for (int i = 0; i < q->form->n; i++) {
		const struct form_field *f = &q->form->f[i];
		sqlite3_int64 id;
		if (f->filename || strcmp(f->name, which) || !(id = id_parse(f->value)))
			continue;
		if (comment_moderate_notify(&q->w->db, id, to, q->now) < 0)
			return server_error(q, r);
		log_audit("audit: user=%lld action=comment-%s comment=%lld", (long long)q->session->user_id,
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
	log_audit("audit: user=%lld action=comment-reply comment=%lld reply=%lld",
	          (long long)q->session->user_id, (long long)id, (long long)nid);
	back(q, r, v, "reply");
}

/* The edit form of a comment (field names as readers' form has them). */
enum { E_NAME, E_EMAIL, E_URL, E_COMMENT, E_BACK, E_COUNT };
static const struct field_spec edit_fields[E_COUNT] = {
    [E_NAME] = {"author", FIELD_LINE, COMMENT_NAME_MAX, FIELD_REQUIRED},
    [E_EMAIL] = {"email", FIELD_EMAIL, COMMENT_EMAIL_MAX, FIELD_REQUIRED},
    [E_URL] = {"url", FIELD_URL, COMMENT_URL_MAX, 0},
    [E_COMMENT] = {"comment", FIELD_TEXT, COMMENT_BODY_MAX, FIELD_REQUIRED},
    [E_BACK] = {"back", FIELD_LINE, ACTION_WORD_MAX, FIELD_RAW},
};

/* The edit page of comment c with values (the stored ones, or as typed) and the messages. */
static void edit_page(struct req *q, struct resp *r, int status, const struct admin_comment *c,
                      const char *const val[4], const char *const err[4], const char *back_to)
{
	static const char *const keys[4] = {"author", "email", "url", "comment"};
	struct tobj *ctx = page_ctx(q, "Edit comment");
	tset_int(ctx, "id", c->id);
	tset_str(ctx, "post_title", c->post_title);
	tset_str(ctx, "post_url", slug_url(q->a, "/posts/", c->post_slug));
	tset_str(ctx, "back", known_status(back_to));
	for (int i = 0; i < 4; i++) {
		tset_str(ctx, keys[i], val[i]);
		tset_str(ctx, arena_printf(q->a, "err_%s", keys[i]), err[i]);
	}
	tset_html(ctx, "body_html", c->body_html);
	r->status = status;
	page_render(q, r, "admin_comment_edit", ctx);
}

/* The comment of the route's id into c: 1, or 0 when it answered (404, 500). */
static int load(struct req *q, struct resp *r, struct admin_comment *c)
{
	sqlite3_int64 id = id_parse(q->params[0]);
	int found = id ? comment_admin_get(&q->w->db, id, q->a, c) : 0;
	if (found < 0)
		server_error(q, r);
	else if (found == 0)
		page_error(q, r, 404, "There is no such comment.");
	return found == 1;
}

void h_admin_comment_edit_form(struct req *q, struct resp *r)
{
	struct admin_comment c;
	if (!load(q, r, &c))
		return;
	char *back_to = NULL;
	query_get(q->a, q->query, "back", ACTION_WORD_MAX, &back_to);
	const char *val[4] = {c.name, c.email, c.url, c.body}, *err[4] = {NULL, NULL, NULL, NULL};
	edit_page(q, r, 200, &c, val, err, back_to);
}

void h_admin_comment_edit(struct req *q, struct resp *r)
{
	struct admin_comment c;
	if (!load(q, r, &c))
		return;
	struct field_val v[E_COUNT];
	form_read(q->form, edit_fields, E_COUNT, v);
	const char *err[4] = {NULL, NULL, NULL, NULL};
	if (v[E_NAME].err != FIELD_GOOD)
		err[0] = "Enter a name: one line of at most 100 characters.";
	if (v[E_EMAIL].err != FIELD_GOOD)
		err[1] = "Enter a valid email address.";
	if (v[E_URL].err != FIELD_GOOD)
		err[2] = "The website must be an http:// or https:// address of at most 500 characters.";
	if (v[E_COMMENT].err != FIELD_GOOD)
		err[3] = "The text must be 1 to 10,000 characters of UTF-8 text.";
	const char *val[4] = {v[E_NAME].s, v[E_EMAIL].s, v[E_URL].s, v[E_COMMENT].s};
	if (err[0] || err[1] || err[2] || err[3])
		return edit_page(q, r, 422, &c, val, err, v[E_BACK].s);
	/* rendered by the very code readers' comments go through */
	struct buf html = BUF_INIT;
	struct comment_edit e = {.name = val[0], .email = val[1], .url = val[2], .body = val[3]};
	int rc = comment_render(e.body, strlen(e.body), &html);
	e.body_html = buf_cstr(&html);
	if (rc >= 0)
		rc = comment_update(&q->w->db, c.id, &e, q->now);
	buf_free(&html);
	if (rc < 0)
		return server_error(q, r);
	if (rc == 0)
		return page_error(q, r, 404, "There is no such comment.");
	log_audit("audit: user=%lld action=comment-edit comment=%lld", (long long)q->session->user_id,
	          (long long)c.id);
	resp_redirect(r, 303,
	              arena_printf(q->a, "/admin/comments?status=%s&done=edit#admin-comment-%lld",
	                           known_status(v[E_BACK].s), (long long)c.id));
}
