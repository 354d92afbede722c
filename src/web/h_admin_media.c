/* h_admin_media: image uploads from the editor (one, back to the editor) and from the media
 * library (several, a list of what was stored and refused); media_store.c keeps each. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "db_admin.h"
#include "db_media.h"
#include "imgsize.h"
#include "post_editor.h"
#include "form.h"
#include "handlers.h"
#include "log.h"
#include "media_file.h"
#include "media_store.h"
#include "site.h"
#include "text.h"

/* The editor page: the site's values and the editor's. */
static struct tobj *editor_ctx(struct req *q, const struct post_form *f, const struct post_errors *e)
{
	struct tobj *ctx = page_ctx(q, editor_title(f));
	editor_set(q, ctx, f, e);
	return ctx;
}

/* The editor again, with the image error next to the upload field. */
static void upload_error(struct req *q, struct resp *r, sqlite3_int64 post, const char *msg)
{
	struct post_form f = {0};
	f.status = "draft";
	struct post_edit stored;
	if (post && admin_post_load(&q->w->db, q->a, post, &stored) == 1)
		post_form_of(q->a, &stored, q->now, &f);
	struct post_errors e = {0};
	e.image = msg;
	r->status = 422;
	struct tobj *ctx = editor_ctx(q, &f, &e);
	tset_str(ctx, "alert", "The image was not uploaded.");
	page_render(q, r, "admin_edit", ctx);
}

/* The library's answer to an upload of several files: what was stored, what was refused and why. */
static void library_upload(struct req *q, struct resp *r)
{
	struct tobj *ctx = page_ctx(q, "Media");
	struct tlist *results = tset_list(ctx, "results");
	int stored = 0, refused = 0;
	for (int i = 0; i < q->form->n; i++) {
		const struct form_field *f = &q->form->f[i];
		if (strcmp(f->name, "image") != 0 || !f->filename || (!f->len && !*f->filename))
			continue;
		const char *name = NULL, *why = NULL;
		struct tobj *o = tlist_add(results);
		size_t fl = strlen(f->filename);
		bool shown = fl && utf8_valid(f->filename, fl) && !has_control(f->filename, fl);
		tset_str(o, "file", shown ? f->filename : "(a file)");
		if (media_keep(q, f->filename, (const unsigned char *)f->value, f->len, &name, &why) == 0) {
			tset_str(o, "name", name);
			stored++;
			log_audit("audit: user=%lld action=upload media=%s bytes=%zu",
			          (long long)q->session->user_id, name, f->len);
		} else {
			tset_str(o, "why", why);
			refused++;
		}
	}
	if (!stored && !refused) {
		struct tobj *o = tlist_add(results);
		tset_str(o, "file", "(none)");
		tset_str(o, "why", "choose one or more image files to upload");
		refused++;
	}
	tset_bool(ctx, "uploaded", true);
	tset_int(ctx, "stored_count", stored);
	tset_int(ctx, "refused_count", refused);
	r->status = stored ? 200 : 422;
	media_library_page(q, r, ctx, 1);
}

void h_admin_media(struct req *q, struct resp *r)
{
	static const struct field_spec fields[] = {{"post_id", FIELD_ID, 0, 0}, {"from", FIELD_LINE, 16, 0}};
	struct field_val v[2];
	form_read(q->form, fields, 2, v);
	if (v[1].s && !strcmp(v[1].s, "library"))
		return library_upload(q, r);
	sqlite3_int64 post = v[0].id;
	const struct form_field *img = form_file(q->form, "image");
	if (!img || img->len == 0)
		return upload_error(q, r, post, "Choose an image file to upload.");
	const char *name = NULL, *why = NULL;
	if (media_keep(q, img->filename, (const unsigned char *)img->value, img->len, &name, &why) < 0)
		return upload_error(q, r, post, arena_printf(q->a, "The image was refused: %s.", why));
	log_audit("audit: user=%lld action=upload media=%s bytes=%zu post=%lld",
	          (long long)q->session->user_id, name, img->len, (long long)post);
	resp_redirect(r, 303,
	              post ? arena_printf(q->a, "/admin/posts/%lld/edit?uploaded=%s", (long long)post, name)
	                   : arena_printf(q->a, "/admin/posts/new?uploaded=%s", name));
}
