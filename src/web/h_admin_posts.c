/* h_admin_posts: the post list, the editor (save, publish, schedule, unpublish, preview) and delete. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin_view.h"
#include "auth.h"
#include "db_admin.h"
#include "db_revisions.h"
#include "editor_extra.h"
#include "handlers.h"
#include "log.h"
#include "outbox.h"
#include "post_editor.h"
#include "site.h"
#include "text.h"
#include "user_access.h"

#define MEDIA_NAME_MAX 64

static void server_error(struct req *q, struct resp *r)
{
	page_error(q, r, 500, "Something went wrong on our side; it has been logged.");
}

static long query_page(struct req *q)
{
	char *v = NULL;
	if (query_get(q->a, q->query, "page", 8, &v) != 1)
		return 1;
	sqlite3_int64 p = id_parse(v);
	return p > 0 && p < 100000 ? (long)p : 1;
}

void h_admin_posts(struct req *q, struct resp *r)
{
	char *filter = NULL;
	if (query_get(q->a, q->query, "status", 20, &filter) != 1)
		filter = "all";
	long page = query_page(q);
	struct admin_post *rows = NULL;
	struct admin_counts k;
	long n = 0, total = admin_posts_list_by(&q->w->db, q->now, filter, access_list_owner(q), page, q->a,
	                                        &rows, &n);
	if (total < 0 || admin_counts(&q->w->db, q->now, &k) < 0)
		return server_error(q, r);
	struct tobj *ctx = page_ctx(q, "Posts");
	admin_posts_view(tset_list(ctx, "posts"), rows, n, q->now);
	admin_counts_view(ctx, &k);
	long pages = pager_make(total, ADMIN_PER_PAGE, page).pages;
	static const char *const filters[] = {"all", "draft", "scheduled", "published", "posts", "pages"};
	struct tlist *tabs = tset_list(ctx, "tabs");
	for (size_t i = 0; i < sizeof filters / sizeof filters[0]; i++) {
		struct tobj *t = tlist_add(tabs);
		tset_str(t, "name", filters[i]);
		tset_str(t, "url", arena_printf(q->a, "/admin/posts?status=%s", filters[i]));
		tset_bool(t, "current", strcmp(filter, filters[i]) == 0);
	}
	pager_set(q, ctx, arena_printf(q->a, "/admin/posts?status=%s", filter), page, pages);
	char *deleted = NULL;
	if (query_get(q->a, q->query, "deleted", 4, &deleted) == 1)
		tset_str(ctx, "notice", "The post was deleted.");
	page_render(q, r, "admin_posts", ctx);
}

/* The editor page: the site's values and the editor's. */
static struct tobj *editor_ctx(struct req *q, const struct post_form *f, const struct post_errors *e)
{
	struct tobj *ctx = page_ctx(q, editor_title(f));
	editor_set(q, ctx, f, e);
	return ctx;
}

static const char *saved_notice(struct req *q)
{
	char *v = NULL;
	if (query_get(q->a, q->query, "saved", 20, &v) != 1)
		return NULL;
	if (strcmp(v, "draft") == 0)
		return "Saved as a draft.";
	if (strcmp(v, "publish") == 0)
		return "Published.";
	if (strcmp(v, "schedule") == 0)
		return "Scheduled: it will appear on its date.";
	if (strcmp(v, "unpublish") == 0)
		return "Unpublished: it is a draft again.";
	if (strcmp(v, "restored") == 0)
		return "Revision restored and saved (the text it replaced is kept as a revision too).";
	if (strcmp(v, "untested") == 0)
		return "Saved. The test mail could not be queued: try again in a moment.";
	const char *to = NULL;
	if (strcmp(v, "test") == 0 && editor_test_wait(q, &to) >= 0)
		return arena_printf(q->a,
		                    "Test sent to %s: this post's notification, exactly as subscribers get "
		                    "it (the post was saved first; no subscriber was mailed).",
		                    to);
	return NULL;
}

/* The snippet for an image just uploaded (?uploaded=NAME), when NAME is one quire made. */
static void uploaded_snippet(struct req *q, struct tobj *ctx)
{
	char *name = NULL;
	if (query_get(q->a, q->query, "uploaded", MEDIA_NAME_MAX, &name) != 1)
		return;
	size_t n = strspn(name, "0123456789abcdef");
	const char *ext = name + n;
	if (n != 32 ||
	    (strcmp(ext, ".png") && strcmp(ext, ".jpg") && strcmp(ext, ".gif") && strcmp(ext, ".webp")))
		return;
	tset_str(ctx, "uploaded_md",
	         arena_printf(q->a, "![Describe the image](/media/%s)\n*A caption*", name));
	tset_str(ctx, "uploaded_url", arena_printf(q->a, "/media/%s", name));
}

/* Loads the post named by the path into f; false after answering 404 or 500. */
static bool load_or_answer(struct req *q, struct resp *r, struct post_form *f)
{
	sqlite3_int64 id = id_parse(q->params[0]);
	struct post_edit e;
	int found = id ? admin_post_load(&q->w->db, q->a, id, &e) : 0;
	if (found < 0)
		server_error(q, r);
	else if (found == 0)
		page_error(q, r, 404, "There is no such post.");
	else
		post_form_of(q->a, &e, q->now, f);
	if (found == 1 && !post_form_mail(q, f)) {
		server_error(q, r);
		return false;
	}
	return found == 1;
}

void h_admin_post_new(struct req *q, struct resp *r)
{
	struct post_form f = {0};
	f.status = "draft";
	struct tobj *ctx = editor_ctx(q, &f, NULL);
	uploaded_snippet(q, ctx);
	page_render(q, r, "admin_edit", ctx);
}

void h_admin_post_edit(struct req *q, struct resp *r)
{
	struct post_form f;
	if (!load_or_answer(q, r, &f))
		return;
	/* ?autosave=ID: the autosave's text in the form, not saved until the author saves */
	char *as = NULL;
	struct revision rv;
	bool restored = query_get(q->a, q->query, "autosave", 20, &as) == 1 && id_parse(as) &&
	                revision_get(&q->w->db, q->a, f.id, id_parse(as), &rv) == 1;
	if (restored)
		editor_apply_revision(&f, &rv, strcmp(rv.kind, "autosave") == 0);
	struct tobj *ctx = editor_ctx(q, &f, NULL);
	tset_str(ctx, "notice",
	         restored ? "The autosave is in the form below: save to keep it." : saved_notice(q));
	if (!restored)
		editor_autosave_banner(q, ctx, &f);
	uploaded_snippet(q, ctx);
	page_render(q, r, "admin_edit", ctx);
}

static const char *const action_names[] = {"draft", "publish", "schedule", "unpublish", "preview", "test"};

/* Before a test is saved: a page has no notification, and a test too soon after the last one
 * is refused (the typed fields come back, nothing saved). False after answering. */
static bool test_allowed(struct req *q, struct resp *r, const struct post_form *f)
{
	const char *to = NULL, *why = NULL;
	long wait = f->is_page ? 0 : editor_test_wait(q, &to);
	if (wait < 0)
		return server_error(q, r), false;
	if (f->is_page) {
		r->status = 422;
		why = "Pages are never mailed to subscribers: there is no notification to test.";
	} else if (wait > 0) {
		r->status = 429;
		resp_header(r, "Retry-After", arena_printf(q->a, "%ld", wait));
		why = arena_printf(q->a,
		                   "A test was sent to %s less than %d seconds ago. Try again in %ld "
		                   "second%s; nothing was saved.",
		                   to, OUTBOX_TEST_WINDOW, wait, wait == 1 ? "" : "s");
	}
	if (!why)
		return true;
	struct tobj *ctx = editor_ctx(q, f, NULL);
	tset_str(ctx, "alert", why);
	page_render(q, r, "admin_edit", ctx);
	return false;
}

/* A save over a newer version (another tab, another device): 409, nothing overwritten; the
 * typed text stays in the form and is kept as the autosave, to compare with the saved one.
 * Saving again then replaces the newer version on purpose. */
static void stale(struct req *q, struct resp *r, struct post_form *f)
{
	struct revision rv;
	sqlite3_int64 aid = 0;
	editor_revision_of(q, f, &rv);
	long long current = post_version(&q->w->db, f->id);
	if (current < 0 || autosave_put(&q->w->db, &rv, &aid) < 0)
		return server_error(q, r);
	log_info("admin: post=%lld: save refused: version %lld, the form had %lld", (long long)f->id, current,
	         f->version);
	f->version = current;
	r->status = 409;
	struct post_errors e = {.form = "This post was saved elsewhere (another tab or device) since you "
	                                "opened it. Nothing was overwritten: your text is below. Compare it "
	                                "with the saved version, then save again to replace that one."};
	struct tobj *ctx = editor_ctx(q, f, &e);
	tset_str(ctx, "compare_url",
	         arena_printf(q->a, "/admin/posts/%lld/revisions/%lld", (long long)f->id, (long long)aid));
	page_render(q, r, "admin_edit", ctx);
}

void h_admin_post_save(struct req *q, struct resp *r)
{
	struct post_form f = {0}, old = {0};
	sqlite3_int64 id = q->nparams ? id_parse(q->params[0]) : 0;
	if (q->nparams && !id)
		return page_error(q, r, 404, "There is no such post.");
	if (id) {
		if (!load_or_answer(q, r, &old))
			return;
		f = old;
	} else {
		f.status = "draft";
		post_form_author(q, &f);
	}
	enum post_action act;
	struct post_errors e;
	char *slug = NULL;
	time_t when = 0;
	if (!editor_read(q, &f, &act, &e, &slug, &when)) {
		r->status = 422;
		struct tobj *ctx = editor_ctx(q, &f, &e);
		tset_str(ctx, "alert", "The post was not saved: see the marked fields.");
		return page_render(q, r, "admin_edit", ctx);
	}
	/* an untouched date field keeps the stored time to the second */
	if (id && f.date && old.date && strcmp(f.date, old.date) == 0 && old.published_at &&
	    act != ACT_SCHEDULE)
		when = (time_t)old.published_at;
	if (act == ACT_PREVIEW) {
		struct tobj *ctx = editor_ctx(q, &f, NULL);
		tset_obj(ctx, "preview", reader_post(q, &f, when));
		return page_render(q, r, "admin_edit", ctx);
	}
	if (act == ACT_TEST && !test_allowed(q, r, &f))
		return;
	sqlite3_int64 saved = post_form_save(q, &f, act, slug, when, true);
	if (saved == POST_STALE)
		return stale(q, r, &f);
	if (saved == POST_GONE) {
		/* the text stays in the editor: saving it again makes a new post */
		r->status = 409;
		f.id = 0;
		struct post_errors gone = {
		    .form = "This post was deleted while you were editing it. Your text is "
		            "below: saving it makes a new post."};
		return page_render(q, r, "admin_edit", editor_ctx(q, &f, &gone));
	}
	if (saved < 0)
		return server_error(q, r);
	log_audit("audit: user=%lld action=%s post=%lld slug=%s", (long long)q->session->user_id,
	          action_names[act], (long long)saved, slug);
	const char *to = NULL;
	/* the post is saved: a test refused now (another one raced it) just says so */
	if (act == ACT_TEST && editor_send_test(q, saved, &to) != 1) {
		log_msg("admin: post=%lld: the test mail was not queued", (long long)saved);
		return resp_redirect(
		    r, 303, arena_printf(q->a, "/admin/posts/%lld/edit?saved=untested", (long long)saved));
	}
	const char *as = act == ACT_PUBLISH && when > q->now ? "schedule" : action_names[act];
	resp_redirect(r, 303, arena_printf(q->a, "/admin/posts/%lld/edit?saved=%s", (long long)saved, as));
}

void h_admin_post_preview(struct req *q, struct resp *r)
{
	struct post_form f;
	if (!load_or_answer(q, r, &f))
		return;
	struct tobj *ctx = page_ctx(q, f.title);
	tset_obj(ctx, "post", reader_post(q, &f, 0));
	tset_str(ctx, "preview_banner", arena_printf(q->a, "/admin/posts/%lld/edit", (long long)f.id));
	page_render(q, r, "article", ctx);
}

void h_admin_post_delete_form(struct req *q, struct resp *r)
{
	struct post_form f;
	if (!load_or_answer(q, r, &f))
		return;
	struct tobj *ctx = page_ctx(q, "Delete post");
	tset_str(ctx, "title", f.title);
	tset_str(ctx, "action", arena_printf(q->a, "/admin/posts/%lld/delete", (long long)f.id));
	tset_str(ctx, "back", arena_printf(q->a, "/admin/posts/%lld/edit", (long long)f.id));
	page_render(q, r, "admin_delete", ctx);
}

void h_admin_post_delete(struct req *q, struct resp *r)
{
	sqlite3_int64 id = id_parse(q->params[0]);
	int rc = id ? post_delete(&q->w->db, id, q->now) : 0;
	if (rc < 0)
		return server_error(q, r);
	if (rc == 0)
		return page_error(q, r, 404, "There is no such post.");
	log_audit("audit: user=%lld action=delete post=%lld", (long long)q->session->user_id, (long long)id);
	resp_redirect(r, 303, "/admin/posts?deleted=1");
}
