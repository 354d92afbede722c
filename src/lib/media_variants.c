/* media_variants: decode once, then scale and write each missing width. */
#include "media_variants.h"

#include <errno.h>

#include "log.h"
#include "media_file.h"

int media_variants_make(const char *dir, const char *name, const unsigned char *p, size_t n,
                        const struct image_info *info, media_have_fn have, media_variant_fn done, void *arg)
{
	if (!image_scalable(info->kind))
		return 0;
	struct image *im = NULL, *prev = NULL;
	int written = 0;
	/* widest first, each scaled from the copy before it: a quarter of the work of scaling the
	 * original every time (Lanczos 3 averages properly at each step) */
	for (int i = IMAGE_VARIANTS - 1; i >= 0; i--) {
		int w = image_widths[i];
		if (w >= info->width || (have && have(arg, w)))
			continue;
		char file[IMAGE_VARIANT_NAME_MAX];
		if (image_variant_name(name, w, file, sizeof file) < 0) {
			log_msg("media: %s: no variant name", name);
			written = -1;
			break;
		}
		const char *why;
		if (!im && image_decode(p, n, info, &im, &why) < 0) {
			log_msg("media: %s: %s", name, why);
			written = -1;
			break;
		}
		struct image *s = NULL;
		void *data = NULL;
		size_t len = 0;
		if (image_scaled(prev ? prev : im, w, &s) < 0 || image_encode(s, &data, &len) < 0) {
			log_msg("media: %s: scaling to %d px failed", name, w);
			image_free(s);
			written = -1;
			break;
		}
		int h = image_height(s);
		image_free(prev);
		prev = s;
		int rc = media_store_as(dir, file, data, len);
		int err = errno;
		image_data_free(data);
		/* already there: quire's own from a run that stopped before recording it (a name of
		 * media_store's shape) is recorded; anyone else's is not replaced */
		if (rc < 0 && err == EEXIST && !media_name_ours(file))
			continue;
		if (rc < 0 && err == EEXIST)
			rc = 0;
		if (rc < 0 || done(arg, w, h, file) < 0) {
			written = -1;
			break;
		}
		written++;
	}
	image_free(prev);
	image_free(im);
	return written;
}
