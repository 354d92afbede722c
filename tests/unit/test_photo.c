/* test_photo: photo_square (src/lib/photo.c): every input format, centre crop, 192 px, EXIF
 * orientation applied, no metadata left, hostile inputs refused. The inputs are made with libgd. */
#include <gd.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "imgsize.h"
#include "photo.h"
#include "tap.h"

/* A w x h picture: left half red, right half blue, a green top-left corner square. */
static gdImagePtr picture(int w, int h)
{
	gdImagePtr im = gdImageCreateTrueColor(w, h);
	gdImageFilledRectangle(im, 0, 0, w / 2 - 1, h - 1, gdTrueColor(255, 0, 0));
	gdImageFilledRectangle(im, w / 2, 0, w - 1, h - 1, gdTrueColor(0, 0, 255));
	gdImageFilledRectangle(im, 0, 0, w / 8, h / 8, gdTrueColor(0, 255, 0));
	return im;
}

/* The JPEG of im with an EXIF APP1 segment giving orientation o inserted after SOI. */
static unsigned char *jpeg_with_orientation(gdImagePtr im, int o, size_t *n)
{
	int len = 0;
	unsigned char *j = gdImageJpegPtr(im, &len, 90);
	static const unsigned char head[] = {0xFF, 0xE1, 0x00, 0x22, 'E', 'x', 'i', 'f', 0, 0,
	                                     'M',  'M',  0,    42,   0,   0,   0,   8,   0, 1, /* one entry */
	                                     0x01, 0x12, 0,    3,    0,   0,   0,   1};
	unsigned char tail[] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0}; /* value (2 bytes + pad), next IFD */
	tail[1] = (unsigned char)o;
	size_t app = sizeof head + sizeof tail;
	unsigned char *out = malloc((size_t)len + app);
	memcpy(out, j, 2);
	memcpy(out + 2, head, sizeof head);
	memcpy(out + 2 + sizeof head, tail, sizeof tail);
	memcpy(out + 2 + app, j + 2, (size_t)len - 2);
	out[4] = (unsigned char)((app - 2) >> 8);
	out[5] = (unsigned char)((app - 2) & 0xFF);
	gdFree(j);
	*n = (size_t)len + app;
	return out;
}

static int pixel_of(const struct buf *b, const char *ext, int x, int y, int *w, int *h)
{
	gdImagePtr im = strcmp(ext, "png") == 0 ? gdImageCreateFromPngPtr((int)b->len, b->p)
	                                        : gdImageCreateFromJpegPtr((int)b->len, b->p);
	if (!im)
		return -1;
	*w = gdImageSX(im);
	*h = gdImageSY(im);
	int c = gdImageGetTrueColorPixel(im, x, y);
	gdImageDestroy(im);
	return c;
}

static bool has(const struct buf *b, const char *s)
{
	size_t k = strlen(s);
	for (size_t i = 0; i + k <= b->len; i++)
		if (memcmp(b->p + i, s, k) == 0)
			return true;
	return false;
}

static bool near(int c, int r, int g, int b)
{
	return abs(gdTrueColorGetRed(c) - r) < 60 && abs(gdTrueColorGetGreen(c) - g) < 60 &&
	       abs(gdTrueColorGetBlue(c) - b) < 60;
}

int main(void)
{
	struct buf out = BUF_INIT;
	const char *ext = NULL;
	char err[200];
	int w = 0, h = 0, len = 0;
	gdImagePtr im = picture(400, 200);

	void *p = gdImagePngPtr(im, &len);
	ok(photo_square(p, (size_t)len, PHOTO_SIZE, &out, &ext, err, sizeof err) == 0 &&
	       strcmp(ext, "png") == 0,
	   "a PNG makes a PNG");
	int c = pixel_of(&out, ext, 10, 96, &w, &h);
	ok(w == 192 && h == 192, "192 x 192 (%d x %d)", w, h);
	/* the centre square of a 400 x 200 picture is x 100..300: left half red, right half blue */
	ok(near(c, 255, 0, 0) && near(pixel_of(&out, ext, 180, 96, &w, &h), 0, 0, 255),
	   "centre-cropped: red on the left, blue on the right");
	ok(out.len > 8 && !has(&out, "tEXt") && !has(&out, "eXIf"), "no text or EXIF chunks");
	gdFree(p);

	p = gdImageGifPtr(im, &len);
	ok(photo_square(p, (size_t)len, 64, &out, &ext, err, sizeof err) == 0 && strcmp(ext, "png") == 0 &&
	       pixel_of(&out, ext, 0, 0, &w, &h) >= 0 && w == 64,
	   "a GIF makes a PNG, at the size asked");
	gdFree(p);
	p = gdImageWebpPtr(im, &len);
	ok(p && photo_square(p, (size_t)len, PHOTO_SIZE, &out, &ext, err, sizeof err) == 0 &&
	       strcmp(ext, "png") == 0,
	   "a WebP makes a PNG");
	gdFree(p);

	/* a portrait photo stored sideways: 400 x 200 pixels, orientation 6 (turn 90 clockwise) */
	size_t n = 0;
	unsigned char *j = jpeg_with_orientation(im, 6, &n);
	ok(img_orientation(j, n) == 6, "the test JPEG carries orientation 6");
	ok(photo_square(j, n, PHOTO_SIZE, &out, &ext, err, sizeof err) == 0 && strcmp(ext, "jpg") == 0,
	   "a JPEG makes a JPEG: %s", err);
	/* turned clockwise, the stored left (red) comes on top and blue at the bottom */
	ok(near(pixel_of(&out, ext, 96, 10, &w, &h), 255, 0, 0) &&
	       near(pixel_of(&out, ext, 96, 180, &w, &h), 0, 0, 255),
	   "the EXIF orientation is applied: red on top, blue below");
	ok(!has(&out, "Exif"), "and no EXIF is left in the stored file");
	ok(img_orientation((unsigned char *)out.p, out.len) == 1, "so nothing turns it again");
	free(j);
	j = jpeg_with_orientation(im, 3, &n);
	ok(photo_square(j, n, PHOTO_SIZE, &out, &ext, err, sizeof err) == 0 &&
	       near(pixel_of(&out, ext, 180, 96, &w, &h), 255, 0, 0),
	   "orientation 3 turns it half round: red on the right");
	free(j);

	ok(photo_square((const unsigned char *)"<svg/>", 6, PHOTO_SIZE, &out, &ext, err, sizeof err) < 0 &&
	       strstr(err, "not a PNG"),
	   "an SVG is refused: %s", err);
	p = gdImagePngPtr(im, &len);
	ok(photo_square(p, 40, PHOTO_SIZE, &out, &ext, err, sizeof err) < 0, "a cut PNG is refused: %s", err);
	/* a PNG header claiming 20000 x 20000 pixels */
	unsigned char big[64];
	memcpy(big, p, 33);
	big[16] = 0, big[17] = 0, big[18] = 0x4E, big[19] = 0x20;
	big[20] = 0, big[21] = 0, big[22] = 0x4E, big[23] = 0x20;
	ok(photo_square(big, 33, PHOTO_SIZE, &out, &ext, err, sizeof err) < 0 && strstr(err, "megapixels"),
	   "a picture of 400 million pixels is refused before decoding: %s", err);
	gdFree(p);
	gdImageDestroy(im);
	buf_free(&out);
	return tap_done();
}
