/* user_access: one place decides whether an author may open or change a post or a comment; an
 * admin passes every check. A post or comment that does not exist passes, so its handler's 404
 * stays the same for everyone. */
#include "user_access.h"

#include <string.h>

#include "auth.h"
#include "form.h"
#include "log.h"
#include "page.h"
#include "route.h"
#include "text.h"
#include "users.h"

static void forbidden(struct req *q, struct resp *r, const char *what, const char *message)
{
	log_audit("audit: user=%lld action=forbidden what=%s path=%s", (long long)q->session->user_id, what,
	          q->raw_path);
	page_error(q, r, 403, message);
}

static const char not_yours[] = "This post belongs to another author: you can edit only your own posts.";

/* The post the request acts on: the path's id, else the form's post_id; 0 for none. */
static sqlite3_int64 post_of(const struct req *q)
{
	if (q->nparams)
		return id_parse(q->params[0]);
	const char *v = q->form ? form_get(q->form, "post_id") : NULL;
	return v ? id_parse(v) : 0;
}

static bool own_post(struct req *q, struct resp *r)
{
	sqlite3_int64 id = post_of(q), author = 0;
	bool is_page = false;
	/* an author writes posts; pages are the admins' (a post is not turned into one either) */
	const char *kind = q->form ? form_get(q->form, "kind") : NULL;
	if (kind && strcmp(kind, "page") == 0)
		return forbidden(q, r, "page", "Pages are edited by the site's admins: you can write posts."),
		       false;
	if (!id)
		return true;
	int found = post_owner(&q->w->db, id, &author, &is_page);
	if (found < 0)
		return page_error(q, r, 500, "Something went wrong on our side; it has been logged."), false;
	if (found == 0)
		return true;
	if (is_page)
		return forbidden(q, r, "page",
		                 "Pages are edited by the site's admins: you can edit your own posts."),
		       false;
	if (author != q->session->user_id)
		return forbidden(q, r, "post", not_yours), false;
	return true;
}

static bool comment_ok(struct req *q, struct resp *r, sqlite3_int64 id)
{
	sqlite3_int64 author = 0;
	int found = comment_owner(&q->w->db, id, &author);
	if (found < 0)
		return page_error(q, r, 500, "Something went wrong on our side; it has been logged."), false;
	if (found == 1 && author != q->session->user_id)
		return forbidden(
		           q, r, "comment",
		           "This comment is on another author's post: you can moderate only the comments on "
		           "your own posts."),
		       false;
	return true;
}

static bool own_comments(struct req *q, struct resp *r)
{
	if (q->nparams)
		return comment_ok(q, r, id_parse(q->params[0]));
	/* the list's bulk form: every id it names, the ticked ones (ids) and, for "apply to all on
	 * this page", the page's (page_ids) */
	for (int i = 0; q->form && i < q->form->n; i++) {
		const struct form_field *f = &q->form->f[i];
		sqlite3_int64 id;
		if (!f->filename && (strcmp(f->name, "ids") == 0 || strcmp(f->name, "page_ids") == 0) &&
		    (id = id_parse(f->value)) && !comment_ok(q, r, id))
			return false;
	}
	return true;
}

bool access_gate(struct req *q, struct resp *r, unsigned flags)
{
	if (!q->session || q->session->is_admin)
		return true;
	if (flags & R_ADMIN_ONLY) {
		forbidden(
		    q, r, "admin-only",
		    "This page is for the site's admins. Your account is an author's: it writes and edits "
		    "its own posts and moderates the comments on them.");
		return false;
	}
	if ((flags & R_OWN_POST) && !own_post(q, r))
		return false;
	if ((flags & R_OWN_COMMENT) && !own_comments(q, r))
		return false;
	return true;
}

sqlite3_int64 access_list_owner(const struct req *q)
{
	return q->session && !q->session->is_admin ? q->session->user_id : 0;
}
