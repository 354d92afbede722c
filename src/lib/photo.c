/* photo: image.c's probe, decode (upright by EXIF) and encode, with a centre square between; the
 * encoder writes pixels only, so no metadata of the upload survives. */
#include "photo.h"

#include <stdio.h>

#include "image.h"

int photo_square(const unsigned char *in, size_t n, int size, struct buf *out, const char **ext, char *err,
                 size_t errsz)
{
	struct image_info info;
	struct image *im = NULL, *sq = NULL;
	void *file = NULL;
	size_t len = 0;
	const char *why = NULL;
	int rc = -1;
	if (size < 1 || size > PHOTO_SIDE_MAX) {
		snprintf(err, errsz, "the photo size %d is out of range", size);
		return -1;
	}
	if (n > PHOTO_BYTES_MAX) {
		snprintf(err, errsz, "the image is larger than %d MB", PHOTO_BYTES_MAX / (1024 * 1024));
		return -1;
	}
	/* the header's size is checked first: a small file may claim a huge picture */
	if (image_probe(in, n, &info, &why) < 0 || image_decode(in, n, &info, &im, &why) < 0) {
		snprintf(err, errsz, "%s", why);
		goto out;
	}
	if (image_square(im, size, &sq) < 0 || image_encode(sq, &file, &len) < 0) {
		snprintf(err, errsz, "the photo could not be made: out of memory");
		goto out;
	}
	buf_reset(out);
	buf_add(out, file, len);
	if (out->oom) {
		snprintf(err, errsz, "out of memory");
		goto out;
	}
	*ext = image_kind(sq);
	rc = 0;
out:
	image_data_free(file);
	image_free(sq);
	image_free(im);
	return rc;
}
