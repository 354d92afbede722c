/* h_admin_media: image uploads, checked by their magic bytes, stored under a random name. */
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
#include "site.h"
#include "text.h"

#define MEDIA_MAX (5 * 1024 * 1024)

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

void h_admin_media(struct req *q, struct resp *r)
{
	static const struct field_spec fields[] = {{"post_id", FIELD_ID, 0, 0}};
	struct field_val v[1];
	form_read(q->form, fields, 1, v);
	sqlite3_int64 post = v[0].id;
	const struct form_field *img = form_file(q->form, "image");
	if (!img || img->len == 0)
		return upload_error(q, r, post, "Choose an image file to upload.");
	if (img->len > MEDIA_MAX)
		return upload_error(q, r, post, "The image is larger than 5 MB.");
	const char *ext = media_image_kind((const unsigned char *)img->value, img->len);
	if (!ext)
		return upload_error(q, r, post, "That file is not a PNG, JPEG, GIF or WebP image.");
	char name[64];
	if (media_store(q->w->site->cfg.media_dir, img->value, img->len, ext, name) < 0)
		return page_error(q, r, 500, "The image could not be stored; it has been logged.");
	/* its size, for <img width height> on the pages that show it (none: it still shows) */
	int w, h;
	if (img_size((const unsigned char *)img->value, img->len, &w, &h) == 0 &&
	    media_size_put(&q->w->db, name, w, h) < 0)
		log_msg("upload: media=%s: size not recorded: %s", name, db_errmsg(&q->w->db));
	log_msg("audit: user=%lld action=upload media=%s bytes=%zu post=%lld", (long long)q->session->user_id,
	        name, img->len, (long long)post);
	resp_redirect(r, 303,
	              post ? arena_printf(q->a, "/admin/posts/%lld/edit?uploaded=%s", (long long)post, name)
	                   : arena_printf(q->a, "/admin/posts/new?uploaded=%s", name));
}
