/* photo: libgd decodes, crops and resamples; the EXIF orientation is applied to the small square
 * (centre cropping commutes with turning and mirroring, so the crop is taken first). */
#include "photo.h"

#include <gd.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "imgsize.h"
#include "media_file.h"

#define PHOTO_JPEG_QUALITY 88

static void quiet(int priority, const char *format, va_list args)
{
	(void)priority;
	(void)format;
	(void)args;
}

/* The pixel of the upright square at (x, y) is the stored square's pixel at (*sx, *sy). */
static void source_of(int orient, int size, int x, int y, int *sx, int *sy)
{
	int m = size - 1;
	switch (orient) {
	case 2:
		*sx = m - x, *sy = y;
		break; /* mirrored */
	case 3:
		*sx = m - x, *sy = m - y;
		break; /* turned 180 */
	case 4:
		*sx = x, *sy = m - y;
		break; /* mirrored top to bottom */
	case 5:
		*sx = y, *sy = x;
		break; /* transposed */
	case 6:
		*sx = y, *sy = m - x;
		break; /* turned 90 clockwise to show */
	case 7:
		*sx = m - y, *sy = m - x;
		break; /* transversed */
	case 8:
		*sx = m - y, *sy = x;
		break; /* turned 90 counter-clockwise to show */
	default:
		*sx = x, *sy = y;
		break;
	}
}

static gdImagePtr upright(gdImagePtr sq, int orient, int size)
{
	if (orient < 2 || orient > 8)
		return sq;
	gdImagePtr o = gdImageCreateTrueColor(size, size);
	if (!o)
		return NULL;
	gdImageAlphaBlending(o, 0);
	gdImageSaveAlpha(o, 1);
	for (int y = 0; y < size; y++)
		for (int x = 0; x < size; x++) {
			int sx, sy;
			source_of(orient, size, x, y, &sx, &sy);
			gdImageSetPixel(o, x, y, gdImageGetTrueColorPixel(sq, sx, sy));
		}
	return o;
}

static gdImagePtr decode(const char *kind, const unsigned char *in, int n)
{
	void *p = (void *)in; /* libgd's API is not const; it only reads */
	if (strcmp(kind, "png") == 0)
		return gdImageCreateFromPngPtr(n, p);
	if (strcmp(kind, "jpg") == 0)
		return gdImageCreateFromJpegPtrEx(n, p, 1);
	if (strcmp(kind, "gif") == 0)
		return gdImageCreateFromGifPtr(n, p);
	if (strcmp(kind, "webp") == 0)
		return gdImageCreateFromWebpPtr(n, p);
	return NULL;
}

int photo_square(const unsigned char *in, size_t n, int size, struct buf *out, const char **ext, char *err,
                 size_t errsz)
{
	gdImagePtr src = NULL, sq = NULL, up = NULL;
	void *file = NULL;
	int rc = -1, w = 0, h = 0, len = 0;
	gdSetErrorMethod(quiet);
	const char *kind = media_image_kind(in, n);
	if (size < 1 || size > 4096) {
		snprintf(err, errsz, "the photo size %d is out of range", size);
		return -1;
	}
	if (!kind) {
		snprintf(err, errsz, "that file is not a PNG, JPEG, GIF or WebP image");
		return -1;
	}
	if (n > PHOTO_BYTES_MAX) {
		snprintf(err, errsz, "the image is larger than %d MB", PHOTO_BYTES_MAX / (1024 * 1024));
		return -1;
	}
	/* the header's size first: a small file may claim a huge picture */
	if (img_size(in, n, &w, &h) < 0) {
		snprintf(err, errsz, "the image is damaged or incomplete");
		return -1;
	}
	if ((long)w * h > PHOTO_PIXELS_MAX) {
		snprintf(err, errsz, "the image has more than %ld million pixels",
		         PHOTO_PIXELS_MAX / 1000000);
		return -1;
	}
	if (!(src = decode(kind, in, (int)n))) {
		snprintf(err, errsz, "the image could not be read: it is damaged or in an unusual variant");
		goto out;
	}
	w = gdImageSX(src);
	h = gdImageSY(src);
	if (w < 1 || h < 1 || (long)w * h > PHOTO_PIXELS_MAX) {
		snprintf(err, errsz, "the image has no pixels or too many");
		goto out;
	}
	int side = w < h ? w : h;
	if (!(sq = gdImageCreateTrueColor(size, size))) {
		snprintf(err, errsz, "out of memory");
		goto out;
	}
	bool jpeg = strcmp(kind, "jpg") == 0;
	gdImageAlphaBlending(sq, 0);
	gdImageSaveAlpha(sq, 1);
	gdImageFill(sq, 0, 0, gdTrueColorAlpha(255, 255, 255, jpeg ? 0 : gdAlphaTransparent));
	gdImageCopyResampled(sq, src, 0, 0, (w - side) / 2, (h - side) / 2, size, size, side, side);
	if (!(up = upright(sq, jpeg ? img_orientation(in, n) : 1, size))) {
		snprintf(err, errsz, "out of memory");
		goto out;
	}
	file = jpeg ? gdImageJpegPtr(up, &len, PHOTO_JPEG_QUALITY) : gdImagePngPtr(up, &len);
	if (!file || len <= 0) {
		snprintf(err, errsz, "the photo could not be encoded");
		goto out;
	}
	buf_reset(out);
	buf_add(out, file, (size_t)len);
	*ext = jpeg ? "jpg" : "png";
	rc = 0;
out:
	if (file)
		gdFree(file);
	if (up && up != sq)
		gdImageDestroy(up);
	if (sq)
		gdImageDestroy(sq);
	if (src)
		gdImageDestroy(src);
	return rc;
}
