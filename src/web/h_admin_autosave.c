/* h_admin_autosave: what keeps typed work: the editor script's autosave (a draft is updated, a
 * published post's changes are kept beside it), the image upload from inside the post form
 * (with or without the script), and dismissing an autosave. */
#include <stdio.h>
#include <string.h>

#include "auth.h"
#include "db_revisions.h"
#include "editor_extra.h"
#include "form.h"
#include "handlers.h"
#include "log.h"
#include "site.h"
#include "text.h"

/* The post of the path: "new" is 0; *ok false when the segment is neither. */
static sqlite3_int64 path_post(struct req *q, bool *ok)
{
	*ok = true;
	if (strcmp(q->params[0], "new") == 0)
		return 0;
	sqlite3_int64 id = id_parse(q->params[0]);
	*ok = id > 0;
	return id;
}

/* The form of the path's post, as stored (or a new one), then as typed; 1, or 0 after
 * answering (JSON when json). */
static int typed_form(struct req *q, struct resp *r, bool json, struct post_form *old, struct post_form *f,
                      enum post_action *act, struct post_errors *e, char **slug, time_t *when, bool *valid)
{
	bool ok;
	sqlite3_int64 id = path_post(q, &ok);
	int found = ok ? (id ? editor_load(q, id, old) : 1) : 0;
	if (found != 1) {
		if (json)
			json_answer(r, found < 0 ? 500 : 404,
			            found < 0
			                ? "{\"ok\":false,\"error\":\"Something went wrong on our side.\"}"
			                : "{\"ok\":false,\"error\":\"There is no such post.\"}");
		else if (found < 0)
			page_error(q, r, 500, "Something went wrong on our side; it has been logged.");
		else
			page_error(q, r, 404, "There is no such post.");
		return 0;
	}
	if (!id) {
		memset(old, 0, sizeof *old);
		old->status = "draft";
		post_form_author(q, old);
		old->author_id = q->session->user_id;
	}
	*f = *old;
	*valid = editor_read(q, f, act, e, slug, when);
	/* an untouched date field keeps the stored time to the second */
	if (id && f->date && old->date && strcmp(f->date, old->date) == 0 && old->published_at)
		*when = (time_t)old->published_at;
	return 1;
}

/* The first message of e, for a JSON answer. */
static const char *first_error(const struct post_errors *e)
{
	const char *all[] = {e->title, e->slug,   e->body,       e->excerpt,        e->tags,
	                     e->date,  e->parent, e->menu_order, e->featured_image, e->form};
	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
		if (all[i])
			return all[i];
	return "The form could not be read.";
}

static void saved_json(struct req *q, struct resp *r, sqlite3_int64 id, long long version, const char *kind)
{
	char when[EDITOR_DATE_LEN + 1];
	local_date_format(q->now, when);
	json_answer(r, 200,
	            arena_printf(q->a,
	                         "{\"ok\":true,\"kind\":\"%s\",\"id\":%lld,\"version\":%lld,"
	                         "\"edit\":\"/admin/posts/%lld/edit\",\"action\":\"/admin/posts/%lld\","
	                         "\"autosave_url\":\"/admin/posts/%lld/autosave\","
	                         "\"upload_url\":\"/admin/posts/%lld/upload\",\"time\":\"%s\"}",
	                         kind, (long long)id, version, (long long)id, (long long)id, (long long)id,
	                         (long long)id, when + 11));
}

void h_admin_post_autosave(struct req *q, struct resp *r)
{
	struct post_form old, f;
	enum post_action act;
	struct post_errors e;
	char *slug = NULL;
	time_t when = 0;
	bool valid = false;
	if (!typed_form(q, r, true, &old, &f, &act, &e, &slug, &when, &valid))
		return;
	if (!valid)
		return json_answer(
		    r, 422,
		    arena_printf(q->a, "{\"ok\":false,\"error\":%s}",
		                 json_str(q->a, arena_printf(q->a, "Not autosaved: %s", first_error(&e)))));
	bool draft = !old.id || strcmp(old.status, "draft") == 0;
	if (draft) {
		sqlite3_int64 saved = post_form_save(q, &f, ACT_DRAFT, slug, when, false);
		if (saved == POST_STALE)
			return json_answer(
			    r, 409,
			    "{\"ok\":false,\"conflict\":true,\"error\":\"This draft was saved "
			    "elsewhere (another tab or device) since you opened it: not autosaved. "
			    "Save to see both versions.\"}");
		if (saved == POST_GONE)
			return json_answer(r, 410, "{\"ok\":false,\"error\":\"This post was deleted.\"}");
		if (saved < 0)
			return json_answer(r, 500,
			                   "{\"ok\":false,\"error\":\"Something went wrong on our side.\"}");
		log_audit("audit: user=%lld action=autosave post=%lld", (long long)q->session->user_id,
		          (long long)saved);
		return saved_json(q, r, saved, post_version(&q->w->db, saved), "draft");
	}
	/* a published or scheduled post: the typed text is kept beside it, never published */
	struct revision rv;
	sqlite3_int64 aid = 0;
	long long current = post_version(&q->w->db, old.id);
	editor_revision_of(q, &f, &rv);
	if (current < 0 || autosave_put(&q->w->db, &rv, &aid) < 0)
		return json_answer(r, 500, "{\"ok\":false,\"error\":\"Something went wrong on our side.\"}");
	if (f.version && f.version != current)
		return json_answer(
		    r, 409,
		    "{\"ok\":false,\"conflict\":true,\"error\":\"This post was saved elsewhere "
		    "(another tab or device) since you opened it. Your text is kept as an "
		    "autosave; saving shows both.\"}");
	saved_json(q, r, old.id, current, "autosave");
}

void h_admin_autosave_dismiss(struct req *q, struct resp *r)
{
	sqlite3_int64 id = id_parse(q->params[0]);
	if (!id)
		return page_error(q, r, 404, "There is no such post.");
	if (autosave_drop(&q->w->db, id) < 0)
		return page_error(q, r, 500, "Something went wrong on our side; it has been logged.");
	resp_redirect(r, 303, arena_printf(q->a, "/admin/posts/%lld/edit", (long long)id));
}

/* The script's upload: only the image, answered with its Markdown; no field is touched. */
static void upload_json(struct req *q, struct resp *r)
{
	char name[64];
	const char *why = NULL;
	if (editor_store_image(q, name, &why) < 0)
		return json_answer(r, 422,
		                   arena_printf(q->a, "{\"ok\":false,\"error\":%s}", json_str(q->a, why)));
	json_answer(r, 200,
	            arena_printf(q->a, "{\"ok\":true,\"url\":\"/media/%s\",\"markdown\":\"![](/media/%s)\"}",
	                         name, name));
}

/* The upload button inside the post form (no script): the post is kept first (a draft saved,
 * a published post's typed fields kept as its autosave), the image stored and inserted at the
 * cursor, and the editor shown again with every field as typed. */
void h_admin_post_upload(struct req *q, struct resp *r)
{
	if (form_get(q->form, "only_image"))
		return upload_json(q, r);
	struct post_form old, f;
	enum post_action act;
	struct post_errors e;
	char *slug = NULL;
	time_t when = 0;
	bool valid = false;
	if (!typed_form(q, r, false, &old, &f, &act, &e, &slug, &when, &valid))
		return;
	char name[64];
	const char *why = NULL;
	if (editor_store_image(q, name, &why) < 0) {
		e.image = why;
		r->status = 422;
		struct tobj *ctx = editor_page(q, &f, &e);
		tset_str(ctx, "alert", "The image was not uploaded; nothing else changed.");
		return page_render(q, r, "admin_edit", ctx);
	}
	const char *md = arena_printf(q->a, "![](/media/%s)", name);
	f.body = body_insert(q->a, f.body, form_get(q->form, "cursor"), md);
	const char *notice;
	bool draft = !old.id || strcmp(old.status, "draft") == 0;
	if (draft && valid) {
		sqlite3_int64 saved = post_form_save(q, &f, ACT_DRAFT, slug, when, true);
		if (saved == POST_STALE || saved == POST_GONE) {
			notice =
			    "Image uploaded and inserted, but the draft was changed or deleted elsewhere "
			    "meanwhile: it was not saved. Your text is below.";
			r->status = 409;
		} else if (saved < 0) {
			return page_error(q, r, 500, "Something went wrong on our side; it has been logged.");
		} else {
			f.id = saved;
			f.version = post_version(&q->w->db, saved);
			notice = "Image uploaded and inserted at the cursor; the draft is saved.";
			log_audit("audit: user=%lld action=draft post=%lld (upload)",
			          (long long)q->session->user_id, (long long)saved);
		}
	} else if (!draft) {
		struct revision rv;
		sqlite3_int64 aid = 0;
		editor_revision_of(q, &f, &rv);
		if (autosave_put(&q->w->db, &rv, &aid) < 0)
			return page_error(q, r, 500, "Something went wrong on our side; it has been logged.");
		notice = "Image uploaded and inserted at the cursor. Your changes are kept as an autosave, "
		         "not published: press Update to publish them.";
	} else {
		notice = "Image uploaded and inserted at the cursor. The draft is not saved yet: see the "
		         "marked fields.";
	}
	struct tobj *ctx = editor_page(q, &f, valid ? NULL : &e);
	tset_str(ctx, "notice", notice);
	tset_str(ctx, "uploaded_md", md);
	tset_str(ctx, "uploaded_url", arena_printf(q->a, "/media/%s", name));
	page_render(q, r, "admin_edit", ctx);
}
