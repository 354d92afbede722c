/* media_store: an upload checked by image.c, its EXIF location stripped, its variants written
 * (media_variants.c), and everything recorded in one transaction. */
#include "media_store.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "auth.h"
#include "buf.h"
#include "db_media.h"
#include "image.h"
#include "log.h"
#include "media_file.h"
#include "media_variants.h"
#include "site.h"
#include "text.h"

#define VARIANTS_SEEN IMAGE_VARIANTS

struct made {
	int n;
	int width[VARIANTS_SEEN], height[VARIANTS_SEEN];
	char file[VARIANTS_SEEN][IMAGE_VARIANT_NAME_MAX];
};

static int made_one(void *arg, int width, int height, const char *file)
{
	struct made *m = arg;
	if (m->n == VARIANTS_SEEN)
		return -1;
	m->width[m->n] = width;
	m->height[m->n] = height;
	snprintf(m->file[m->n], sizeof m->file[0], "%s", file);
	m->n++;
	return 0;
}

/* The uploaded file's name for display: its last path part, printable, at most
 * MEDIA_ORIG_NAME_MAX bytes of whole UTF-8 characters; "" when none or not UTF-8. */
static const char *display_name(struct arena *a, const char *filename)
{
	if (!filename)
		return "";
	const char *base = filename;
	for (const char *s = filename; *s; s++)
		if (*s == '/' || *s == '\\')
			base = s + 1;
	size_t n = strlen(base);
	if (n > MEDIA_ORIG_NAME_MAX) {
		n = MEDIA_ORIG_NAME_MAX;
		while (n > 0 && ((unsigned char)base[n] & 0xC0) == 0x80)
			n--; /* never half a character */
	}
	if (!utf8_valid(base, n) || has_control(base, n))
		return "";
	return arena_strndup(a, base, n);
}

int media_keep(struct req *q, const char *filename, const unsigned char *p, size_t n, const char **name,
               const char **why)
{
	const char *dir = q->w->site->cfg.media_dir;
	struct image_info info;
	if (n == 0) {
		*why = "the file is empty";
		return -1;
	}
	if (n > MEDIA_MAX) {
		*why = "the file is larger than 5 MB";
		return -1;
	}
	if (image_probe(p, n, &info, why) < 0)
		return -1;
	struct buf clean = BUF_INIT;
	struct made made = {0};
	char stored[MEDIA_NAME_MAX] = "";
	int rc = -1;
	*why = "the image could not be stored; it has been logged";
	if (image_clean(p, n, &info, &clean) < 0) {
		*why = "the image file is damaged";
		goto out;
	}
	if (media_store(dir, clean.p, clean.len, info.kind, stored) < 0)
		goto out;
	/* variants from the cleaned bytes: the same pixels and orientation as the original */
	if (media_variants_make(dir, stored, (const unsigned char *)clean.p, clean.len, &info, NULL, made_one,
	                        &made) < 0)
		log_warn("media: %s: some variants were not made (quire media resize makes them later)",
		         stored);
	struct media_new m = {.name = stored,
	                      .orig_name = display_name(q->a, filename),
	                      .mime = media_mime(info.kind),
	                      .bytes = (long long)clean.len,
	                      .uploaded_by = q->session ? q->session->user_id : 0,
	                      .created_at = q->now,
	                      .width = info.width,
	                      .height = info.height,
	                      .owned = true};
	struct db *d = &q->w->db;
	bool ok = db_begin(d) == 0 && media_add(d, &m) == 0;
	for (int i = 0; ok && i < made.n; i++)
		ok = media_variant_add(d, stored, made.width[i], made.height[i], made.file[i]) == 0;
	if (!ok || db_commit(d) < 0) {
		log_msg("media: %s: not recorded: %s", stored, db_errmsg(d));
		db_rollback(d);
		goto out;
	}
	*name = arena_strdup(q->a, stored);
	rc = *name ? 0 : -1;
out:
	if (rc < 0 && stored[0]) {
		/* nothing of a refused or failed upload stays behind */
		for (int i = 0; i < made.n; i++)
			media_unlink(dir, made.file[i]);
		media_unlink(dir, stored);
	}
	buf_free(&clean);
	return rc;
}
