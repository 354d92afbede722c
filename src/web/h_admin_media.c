/* h_admin_media: image uploads, checked by their magic bytes, stored under a random name. */
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auth.h"
#include "db_admin.h"
#include "post_editor.h"
#include "form.h"
#include "handlers.h"
#include "log.h"
#include "site.h"
#include "text.h"

#define MEDIA_MAX (5 * 1024 * 1024)

/* The file extension for an image's first bytes, or NULL when it is not PNG/JPEG/GIF/WebP. */
static const char *image_kind(const unsigned char *p, size_t n)
{
	if (n >= 8 && memcmp(p, "\x89PNG\r\n\x1a\n", 8) == 0)
		return "png";
	if (n >= 3 && p[0] == 0xFF && p[1] == 0xD8 && p[2] == 0xFF)
		return "jpg";
	if (n >= 6 && (memcmp(p, "GIF87a", 6) == 0 || memcmp(p, "GIF89a", 6) == 0))
		return "gif";
	if (n >= 12 && memcmp(p, "RIFF", 4) == 0 && memcmp(p + 8, "WEBP", 4) == 0)
		return "webp";
	return NULL;
}

/* Writes data to dir/NAME with a fresh random NAME; 0 and name set, or -1. */
static int store(const char *dir, const char *data, size_t n, const char *ext, char name[64])
{
	unsigned char rnd[16];
	char hex[33], path[4096];
	randombytes_buf(rnd, sizeof rnd);
	sodium_bin2hex(hex, sizeof hex, rnd, sizeof rnd);
	snprintf(name, 64, "%s.%s", hex, ext);
	snprintf(path, sizeof path, "%s/%s", dir, name);
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0) {
		log_msg("media: %s: %s", path, strerror(errno));
		return -1;
	}
	size_t off = 0;
	while (off < n) {
		ssize_t w = write(fd, data + off, n - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	if (close(fd) < 0 || off != n) {
		log_msg("media: %s: write failed", path);
		unlink(path);
		return -1;
	}
	return 0;
}

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
	const char *ext = image_kind((const unsigned char *)img->value, img->len);
	if (!ext)
		return upload_error(q, r, post, "That file is not a PNG, JPEG, GIF or WebP image.");
	char name[64];
	if (store(q->w->site->cfg.media_dir, img->value, img->len, ext, name) < 0)
		return page_error(q, r, 500, "The image could not be stored; it has been logged.");
	log_msg("audit: user=%lld action=upload media=%s bytes=%zu post=%lld", (long long)q->session->user_id,
	        name, img->len, (long long)post);
	resp_redirect(r, 303,
	              post ? arena_printf(q->a, "/admin/posts/%lld/edit?uploaded=%s", (long long)post, name)
	                   : arena_printf(q->a, "/admin/posts/new?uploaded=%s", name));
}
