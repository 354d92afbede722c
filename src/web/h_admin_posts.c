/* h_admin_posts: the post list, the editor (save, publish, schedule, unpublish, preview) and delete. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "db_admin.h"
#include "form.h"
#include "frontmatter.h"
#include "handlers.h"
#include "identicon.h"
#include "log.h"
#include "markdown.h"
#include "outbox.h"
#include "site.h"
#include "text.h"
#include "timefmt.h"

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
	struct tobj *ctx = page_ctx(q, "Posts");
	struct tlist *posts = tset_list(ctx, "posts");
	long total = admin_posts_list(&q->w->db, q->now, filter, page, posts);
	if (total < 0 || admin_counts(&q->w->db, q->now, ctx) < 0)
		return server_error(q, r);
	long pages = total ? (total + ADMIN_PER_PAGE - 1) / ADMIN_PER_PAGE : 1;
	static const char *const filters[] = {"all", "draft", "scheduled", "published"};
	struct tlist *tabs = tset_list(ctx, "tabs");
	for (int i = 0; i < 4; i++) {
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

/* The editor's values: the post as typed, per-field errors, and a notice. */
struct tobj *editor_ctx(struct req *q, const struct post_form *f, const struct post_errors *e)
{
	struct tobj *ctx = page_ctx(q, f->id ? "Edit post" : "New post");
	struct tobj *p = tobj_new(q->a);
	tset_int(p, "id", f->id);
	tset_str(p, "action",
	         f->id ? arena_printf(q->a, "/admin/posts/%lld", (long long)f->id) : "/admin/posts");
	tset_str(p, "title", f->title);
	tset_str(p, "slug", f->slug);
	tset_str(p, "body", f->body);
	tset_str(p, "excerpt", f->excerpt);
	tset_str(p, "tags", f->tags);
	tset_str(p, "date", f->date);
	tset_bool(p, "allow_comments", !f->comments_closed);
	tset_str(p, "status", f->status ? f->status : "draft");
	tset_bool(p, "is_live", f->status && strcmp(f->status, "published") == 0);
	tset_bool(p, "is_scheduled", f->status && strcmp(f->status, "scheduled") == 0);
	if (f->id && f->slug) {
		struct buf u = BUF_INIT;
		buf_adds(&u, "/posts/");
		esc_url(&u, f->slug, strlen(f->slug));
		tset_str(p, "url", buf_cstr(&u));
		buf_free(&u);
	}
	tset_obj(ctx, "edit", p);
	if (e) {
		struct tobj *err = tobj_new(q->a);
		tset_str(err, "title", e->title);
		tset_str(err, "slug", e->slug);
		tset_str(err, "body", e->body);
		tset_str(err, "excerpt", e->excerpt);
		tset_str(err, "tags", e->tags);
		tset_str(err, "date", e->date);
		tset_str(err, "image", e->image);
		tset_str(err, "form", e->form);
		tset_obj(ctx, "errors", err);
	}
	return ctx;
}

/* The reader's view of a post, built from the editor's values, for previews. */
static struct tobj *reader_post(struct req *q, const struct post_form *f, time_t when)
{
	struct tobj *post = tobj_new(q->a);
	struct buf html = BUF_INIT;
	const char *body = f->body ? f->body : "";
	md_render(body, strlen(body), &html);
	tset_str(post, "title", f->title);
	tset_html(post, "body_html", buf_cstr(&html));
	buf_free(&html);
	char b[TIME_BUFSZ];
	time_t at = when ? when : f->published_at ? (time_t)f->published_at : q->now;
	time_human(at, b);
	tset_str(post, "date", b);
	time_rfc3339(at, b);
	tset_str(post, "date_iso", b);
	tset_str(post, "updated_iso", b);
	tset_str(post, "excerpt", f->excerpt);
	tset_str(post, "comment_label", "No responses yet");
	if (f->author_name && *f->author_name) {
		struct tobj *a = tobj_new(q->a);
		tset_str(a, "name", f->author_name);
		tset_str(a, "url", arena_printf(q->a, "/authors/%s", f->author_slug ? f->author_slug : ""));
		tset_obj(post, "author", a);
		tset_str(post, "author_bio", f->author_bio);
		struct buf svg = BUF_INIT;
		identicon_svg(&svg, q->w->site->identicon_key, f->author_email ? f->author_email : "", 64,
		              "Avatar of the author");
		tset_html(post, "avatar_svg", buf_cstr(&svg));
		buf_free(&svg);
	}
	char *copy = arena_strdup(q->a, f->tags ? f->tags : ""), *tags[TAGS_MAX], why[128];
	int n = copy ? fm_split_tags(copy, tags, why, sizeof why) : 0;
	struct tlist *tl = tset_list(post, "tags");
	for (int i = 0; i < n; i++) {
		struct tobj *t = tlist_add(tl);
		struct buf s = BUF_INIT;
		tset_str(t, "name", tags[i]);
		buf_adds(&s, "/tags/");
		slugify(&s, tags[i], 60);
		tset_str(t, "url", buf_cstr(&s));
		buf_free(&s);
	}
	return post;
}

/* Fills f from the session's user, for new posts and previews. */
static void author_of_session(struct req *q, struct post_form *f)
{
	sqlite3_stmt *st = db_prep(&q->w->db, "SELECT name, email, bio, slug FROM users WHERE id = ?1");
	if (!st)
		return;
	sqlite3_bind_int64(st, 1, q->session->user_id);
	if (sqlite3_step(st) == SQLITE_ROW) {
		f->author_name = arena_strdup(q->a, db_text(st, 0));
		f->author_email = arena_strdup(q->a, db_text(st, 1));
		f->author_bio = arena_strdup(q->a, db_text(st, 2));
		f->author_slug = arena_strdup(q->a, db_text(st, 3));
	}
	sqlite3_reset(st);
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
	int found = id ? admin_post_load(&q->w->db, q->a, q->now, id, f) : 0;
	if (found < 0)
		server_error(q, r);
	else if (found == 0)
		page_error(q, r, 404, "There is no such post.");
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
	struct tobj *ctx = editor_ctx(q, &f, NULL);
	tset_str(ctx, "notice", saved_notice(q));
	uploaded_snippet(q, ctx);
	page_render(q, r, "admin_edit", ctx);
}

static enum post_action parse_action(const char *a)
{
	if (!a)
		return ACT_DRAFT;
	if (strcmp(a, "publish") == 0)
		return ACT_PUBLISH;
	if (strcmp(a, "schedule") == 0)
		return ACT_SCHEDULE;
	if (strcmp(a, "unpublish") == 0)
		return ACT_UNPUBLISH;
	if (strcmp(a, "preview") == 0)
		return ACT_PREVIEW;
	return ACT_DRAFT;
}

/* Marks every field that arrived with invalid UTF-8; true if there was one. */
static bool utf8_errors(const struct form *fm, struct post_errors *e)
{
	static const char msg[] =
	    "This held bytes that are not valid UTF-8 text (now shown as \u201c\uFFFD\u201d).";
	const char *names[] = {"title", "slug", "body", "excerpt", "tags", "date"};
	const char **slots[] = {&e->title, &e->slug, &e->body, &e->excerpt, &e->tags, &e->date};
	bool any = false;
	for (int i = 0; i < 6; i++)
		if (form_bad_utf8(fm, names[i])) {
			*slots[i] = msg;
			any = true;
		}
	return any;
}

/* Renders the body, then writes the post and queues its announcement in one transaction (the
 * outbox row lands with the post, never after it). Returns the id, POST_GONE, or -1. */
static sqlite3_int64 post_save(struct req *q, const struct post_form *f, enum post_action act,
                               const char *slug, time_t when)
{
	struct db *d = &q->w->db;
	const char *body = f->body ? f->body : "";
	struct buf html = BUF_INIT, excerpt = BUF_INIT;
	sqlite3_int64 id = -1;
	if (md_render(body, strlen(body), &html) < 0 ||
	    (f->excerpt && *f->excerpt ? (buf_adds(&excerpt, f->excerpt), 0)
	                               : md_excerpt(body, strlen(body), &excerpt)) < 0 ||
	    db_begin(d) < 0)
		goto out;
	struct post_html h = {buf_cstr(&html), buf_cstr(&excerpt)};
	id = post_write(d, f, &h, act, slug, when, q->session->user_id, q->now);
	if (id == POST_GONE) {
		db_rollback(d);
		goto out;
	}
	if (id < 0 || outbox_post_published(d, id, q->now) < 0 || db_commit(d) < 0) {
		log_msg("post_save: post=%lld: %s", (long long)f->id, db_errmsg(d));
		db_rollback(d);
		id = -1;
	}
out:
	buf_free(&html);
	buf_free(&excerpt);
	return id;
}

static const char *const action_names[] = {"draft", "publish", "schedule", "unpublish", "preview"};

void h_admin_post_save(struct req *q, struct resp *r)
{
	struct post_form f = {0}, old = {0};
	sqlite3_int64 id = q->nparams ? id_parse(q->params[0]) : 0;
	if (q->nparams && !id)
		return page_error(q, r, 404, "There is no such post.");
	if (id) {
		int found = admin_post_load(&q->w->db, q->a, q->now, id, &old);
		if (found < 0)
			return server_error(q, r);
		if (found == 0)
			return page_error(q, r, 404, "There is no such post.");
		f = old;
	} else {
		f.status = "draft";
		author_of_session(q, &f);
	}
	f.title = form_get(q->form, "title");
	f.slug = form_get(q->form, "slug");
	f.body = form_get(q->form, "body");
	f.excerpt = form_get(q->form, "excerpt");
	f.tags = form_get(q->form, "tags");
	f.date = form_get(q->form, "date");
	/* an unticked box sends nothing: only a form that shows the box can close comments */
	if (form_get(q->form, "has_comment_box"))
		f.comments_closed = form_get(q->form, "allow_comments") == NULL;
	enum post_action act = parse_action(form_get(q->form, "action"));
	struct post_errors e;
	char *slug = NULL;
	time_t when = 0;
	bool valid = post_validate(&q->w->db, q->a, &f, act, q->now, &e, &slug, &when);
	if (utf8_errors(q->form, &e) || !valid) {
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
	sqlite3_int64 saved = post_save(q, &f, act, slug, when);
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
	log_msg("audit: user=%lld action=%s post=%lld slug=%s", (long long)q->session->user_id,
	        action_names[act], (long long)saved, slug);
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
	log_msg("audit: user=%lld action=delete post=%lld", (long long)q->session->user_id, (long long)id);
	resp_redirect(r, 303, "/admin/posts?deleted=1");
}
