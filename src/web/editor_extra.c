/* editor_extra: the editor's pages around post_editor: loading a post into the form, the
 * editor page, revisions and autosaves in and out of the form, the autosave banner. */
#include "editor_extra.h"

#include <stdio.h>
#include <string.h>

#include "auth.h"
#include "db_revisions.h"
#include "site.h"

void editor_autosave_banner(struct req *q, struct tobj *ctx, const struct post_form *f)
{
	struct revision r;
	if (!f->id || autosave_get(&q->w->db, q->a, f->id, &r) != 1)
		return;
	char when[EDITOR_DATE_LEN + 1];
	local_date_format(r.created_at, when);
	when[10] = ' ';
	struct tobj *b = tobj_new(q->a);
	tset_str(b, "time", when);
	tset_str(b, "who", *r.user_name ? r.user_name : "a former user");
	tset_str(
	    b, "restore",
	    arena_printf(q->a, "/admin/posts/%lld/edit?autosave=%lld", (long long)f->id, (long long)r.id));
	tset_str(b, "dismiss", arena_printf(q->a, "/admin/posts/%lld/autosave/dismiss", (long long)f->id));
	tset_str(b, "compare",
	         arena_printf(q->a, "/admin/posts/%lld/revisions/%lld", (long long)f->id, (long long)r.id));
	tset_obj(ctx, "autosave", b);
}

int editor_load(struct req *q, sqlite3_int64 id, struct post_form *f)
{
	struct post_edit e;
	int found = id ? admin_post_load(&q->w->db, q->a, id, &e) : 0;
	if (found != 1)
		return found;
	post_form_of(q->a, &e, q->now, f);
	return post_form_mail(q, f) ? 1 : -1;
}

struct tobj *editor_page(struct req *q, const struct post_form *f, const struct post_errors *e)
{
	struct tobj *ctx = page_ctx(q, editor_title(f));
	editor_set(q, ctx, f, e);
	return ctx;
}

void editor_revision_of(struct req *q, const struct post_form *f, struct revision *r)
{
	*r = (struct revision){.post_id = f->id,
	                       .user_id = q->session->user_id,
	                       .title = f->title,
	                       .body = f->body,
	                       .excerpt = f->excerpt,
	                       .tags = f->tags,
	                       .slug = f->slug,
	                       .date = f->date,
	                       .featured_image = f->featured_image,
	                       .created_at = q->now,
	                       .version = f->version};
}

void editor_apply_revision(struct post_form *f, const struct revision *r, bool all)
{
	f->title = r->title;
	f->body = r->body;
	f->excerpt = r->excerpt;
	f->tags = r->tags;
	if (!all)
		return;
	f->slug = r->slug;
	f->date = r->date;
	f->featured_image = r->featured_image;
}
