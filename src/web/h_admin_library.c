/* h_admin_library: the media library: a grid of every image (newest first, MEDIA_PER_PAGE a
 * page) with its size, uploader, alt text and the posts using it; alt text edits; deletion,
 * refused while a post uses the image. */
#include <stdio.h>
#include <string.h>

#include "auth.h"
#include "db_media.h"
#include "form.h"
#include "handlers.h"
#include "log.h"
#include "media_file.h"
#include "media_store.h"
#include "site.h"
#include "text.h"
#include "timefmt.h"

#define KB 1024L

static void server_error(struct req *q, struct resp *r)
{
	page_error(q, r, 500, "Something went wrong on our side; it has been logged.");
}

/* 12 KB, 1.4 MB */
static const char *size_text(struct arena *a, long long bytes)
{
	if (bytes < KB * KB)
		return arena_printf(a, "%lld KB", (bytes + KB - 1) / KB);
	return arena_printf(a, "%.1f MB", (double)bytes / (KB * KB));
}

/* ![alt](/media/NAME), the alt's brackets and backslashes escaped for Markdown */
static const char *markdown_of(struct arena *a, const struct media_row *m)
{
	struct buf b = BUF_INIT;
	buf_adds(&b, "![");
	for (const char *s = m->alt; *s; s++) {
		if (*s == '[' || *s == ']' || *s == '\\')
			buf_addc(&b, '\\');
		buf_addc(&b, *s);
	}
	buf_addf(&b, "](/media/%s)", m->name);
	const char *r = b.oom ? "" : arena_strdup(a, buf_cstr(&b));
	buf_free(&b);
	return r;
}

static void row_set(struct req *q, struct tobj *o, const struct media_row *m, int i)
{
	char date[TIME_BUFSZ];
	time_ymd((time_t)m->created_at, date);
	tset_int(o, "n", i);
	tset_str(o, "name", m->name);
	tset_str(o, "file", *m->orig_name ? m->orig_name : m->name);
	tset_str(o, "mime", m->mime);
	tset_str(o, "size", size_text(q->a, m->bytes));
	tset_int(o, "width", m->width);
	tset_int(o, "height", m->height);
	tset_bool(o, "has_size", m->width > 0);
	tset_str(o, "date", date);
	tset_str(o, "uploader", *m->uploader ? m->uploader : "unknown");
	tset_str(o, "alt", m->alt);
	tset_str(o, "markdown", markdown_of(q->a, m));
	tset_str(o, "thumb", m->thumb);
	tset_int(o, "thumb_w", m->thumb_w > 0 ? m->thumb_w : 160);
	tset_int(o, "thumb_h", m->thumb_h > 0 ? m->thumb_h : 120);
	tset_bool(o, "used", m->nuses > 0);
	tset_bool(o, "foreign", !m->owned && m->nuses == 0);
	struct tlist *uses = tset_list(o, "uses");
	for (int k = 0; k < m->nuses; k++) {
		struct tobj *u = tlist_add(uses);
		tset_int(u, "post_id", m->uses[k].post_id);
		tset_str(u, "title", *m->uses[k].title ? m->uses[k].title : "(untitled)");
	}
}

void media_library_page(struct req *q, struct resp *r, struct tobj *ctx, long requested)
{
	long total = media_count(&q->w->db);
	if (total < 0)
		return server_error(q, r);
	struct pager pg = pager_make(total, MEDIA_PER_PAGE, requested);
	struct media_row *rows = NULL;
	int n = pg.beyond ? 0 : media_page(&q->w->db, q->a, pg.offset, MEDIA_PER_PAGE, &rows);
	if (n < 0)
		return server_error(q, r);
	struct tlist *list = tset_list(ctx, "media");
	for (int i = 0; i < n; i++)
		row_set(q, tlist_add(list), &rows[i], i);
	tset_str(ctx, "total", arena_printf(q->a, "%ld image%s", total, total == 1 ? "" : "s"));
	tset_int(ctx, "alt_max", MEDIA_ALT_MAX);
	pager_set(q, ctx, "/admin/media", pg.page, pg.pages);
	page_render(q, r, "admin_media", ctx);
}

void h_admin_library(struct req *q, struct resp *r)
{
	struct tobj *ctx = page_ctx(q, "Media");
	char *done = NULL;
	if (query_get(q->a, q->query, "done", 20, &done) == 1)
		tset_str(ctx, "notice",
		         !strcmp(done, "alt")       ? "Alt text saved."
		         : !strcmp(done, "deleted") ? "The image and its copies were deleted."
		                                    : "Done.");
	media_library_page(q, r, ctx, pager_requested(q));
}

/* The image named by the path, loaded into m: true, or false with the answer given (404). */
static bool load(struct req *q, struct resp *r, struct media_row *m)
{
	const char *name = q->params[0];
	int found = media_name_safe(name) ? media_get(&q->w->db, q->a, name, m) : 0;
	if (found < 0)
		server_error(q, r);
	else if (found == 0)
		page_error(q, r, 404, "There is no such image in the library.");
	return found == 1;
}

void h_admin_media_alt(struct req *q, struct resp *r)
{
	static const struct field_spec fields[] = {{"alt", FIELD_LINE, MEDIA_ALT_MAX, 0}};
	struct field_val v[1];
	form_read(q->form, fields, 1, v);
	struct media_row m;
	if (!load(q, r, &m))
		return;
	if (!q->session->is_admin && m.uploaded_by != (long long)q->session->user_id) {
		log_audit("audit: user=%lld action=forbidden what=media-alt media=%s",
		          (long long)q->session->user_id, m.name);
		return page_error(
		    q, r, 403,
		    "Only the person who uploaded this image or an admin may change its alt text.");
	}
	if (v[0].err)
		return page_error(q, r, 422, "Alt text is one line of at most 300 characters.");
	if (media_alt_set(&q->w->db, m.name, v[0].s) < 0)
		return server_error(q, r);
	log_audit("audit: user=%lld action=media-alt media=%s", (long long)q->session->user_id, m.name);
	resp_redirect(r, 303, "/admin/media?done=alt");
}

/* The refusal (409) or the confirmation page of deleting m. */
static void delete_page(struct req *q, struct resp *r, const struct media_row *m)
{
	struct tobj *ctx = page_ctx(q, m->nuses ? "This image is in use" : "Delete this image?");
	struct tobj *o = tobj_new(q->a);
	row_set(q, o, m, 0);
	tset_obj(ctx, "m", o);
	if (m->nuses || !m->owned)
		r->status = 409;
	page_render(q, r, "admin_media_delete", ctx);
}

void h_admin_media_delete_form(struct req *q, struct resp *r)
{
	struct media_row m;
	if (load(q, r, &m))
		delete_page(q, r, &m);
}

void h_admin_media_delete(struct req *q, struct resp *r)
{
	struct media_row m;
	if (!load(q, r, &m))
		return;
	if (m.nuses || !m.owned)
		return delete_page(q, r, &m);
	struct db *d = &q->w->db;
	struct media_variant *v = NULL;
	int nv = media_variants(d, q->a, m.name, &v);
	if (nv < 0 || db_begin(d) < 0)
		return server_error(q, r);
	/* checked again inside the transaction: a post saved since the page was shown */
	struct media_use *uses;
	int nu = media_uses_of(d, q->a, m.name, &uses);
	if (nu != 0 || media_remove(d, m.name) < 0 || db_commit(d) < 0) {
		db_rollback(d);
		if (nu > 0 && media_get(d, q->a, m.name, &m) == 1)
			return delete_page(q, r, &m);
		return server_error(q, r);
	}
	/* the files after the rows: only those quire wrote (the original, checked above, and its
	 * copies), each a plain name under media_dir */
	const char *dir = q->w->site->cfg.media_dir;
	for (int i = 0; i < nv; i++)
		if (media_name_safe(v[i].file))
			media_unlink(dir, v[i].file);
	if (m.owned)
		media_unlink(dir, m.name);
	log_audit("audit: user=%lld action=media-delete media=%s variants=%d file=%s",
	          (long long)q->session->user_id, m.name, nv, m.owned ? "removed" : "kept");
	resp_redirect(r, 303, "/admin/media?done=deleted");
}
