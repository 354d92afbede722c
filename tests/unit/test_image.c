/* test_image: probing (kinds, sizes, the pixel limit before decoding), cleaning (a JPEG's GPS
 * EXIF gone, its orientation kept; PNG text and eXIf gone), upright decoding of every EXIF
 * orientation, scaling without enlarging, and variant names. */
#include <gd.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "image.h"
#include "tap.h"

#define RED 0xFF0000
#define BLUE 0x0000FF

/* A w x h image whose left half is red and right half blue, encoded as kind: malloc'd bytes. */
static unsigned char *make(const char *kind, int w, int h, size_t *n)
{
	gdImagePtr im = gdImageCreateTrueColor(w, h);
	gdImageFilledRectangle(im, 0, 0, w / 2 - 1, h - 1, RED);
	gdImageFilledRectangle(im, w / 2, 0, w - 1, h - 1, BLUE);
	int size = 0;
	void *d = !strcmp(kind, "jpg")   ? gdImageJpegPtr(im, &size, 95)
	          : !strcmp(kind, "png") ? gdImagePngPtr(im, &size)
	          : !strcmp(kind, "gif") ? gdImageGifPtr(im, &size)
	                                 : gdImageWebpPtrEx(im, &size, 90);
	gdImageDestroy(im);
	unsigned char *r = malloc((size_t)size);
	memcpy(r, d, (size_t)size);
	gdFree(d);
	*n = (size_t)size;
	return r;
}

/* jpeg with an APP1 EXIF (orientation o, a GPS IFD with a latitude) after SOI: malloc'd. */
static unsigned char *with_exif(const unsigned char *j, size_t n, int o, size_t *out)
{
	static unsigned char tiff[] = {
	    'M',  'M',  0, 0x2A, 0,   0,   0,   8,                 /* header, IFD0 at 8 */
	    0,    2,                                               /* two entries */
	    0x01, 0x12, 0, 3,    0,   0,   0,   1,  0,   1, 0, 0,  /* orientation (set below) */
	    0x88, 0x25, 0, 4,    0,   0,   0,   1,  0,   0, 0, 38, /* GPS IFD at 38 */
	    0,    0,    0, 0,                                      /* no next IFD */
	    0,    1,                                               /* GPS: one entry */
	    0,    1,    0, 2,    0,   0,   0,   2,  'N', 0, 0, 0,  /* GPSLatitudeRef "N" */
	    0,    0,    0, 0,    'G', 'P', 'S', '!'};
	tiff[19] = (unsigned char)o;
	size_t seg = 2 + 6 + sizeof tiff;
	unsigned char *r = malloc(n + 2 + seg);
	memcpy(r, j, 2);
	r[2] = 0xFF, r[3] = 0xE1, r[4] = (unsigned char)(seg >> 8), r[5] = (unsigned char)seg;
	memcpy(r + 6, "Exif\0\0", 6);
	memcpy(r + 12, tiff, sizeof tiff);
	memcpy(r + 12 + sizeof tiff, j + 2, n - 2);
	*out = n + 2 + seg;
	return r;
}

static bool has(const unsigned char *p, size_t n, const char *s)
{
	size_t k = strlen(s);
	for (size_t i = 0; i + k <= n; i++)
		if (!memcmp(p + i, s, k))
			return true;
	return false;
}

/* The colour at (x, y) of an encoded image, as RED, BLUE or -1 (something else). */
static int colour_at(const void *d, size_t n, int x, int y)
{
	gdImagePtr im = gdImageCreateFromJpegPtr((int)n, (void *)d);
	if (!im)
		return -2;
	int c = gdImageGetTrueColorPixel(im, x, y);
	gdImageDestroy(im);
	int r = (c >> 16) & 0xFF, b = c & 0xFF;
	return r > 200 && b < 60 ? RED : b > 200 && r < 60 ? BLUE : -1;
}

static void orientation_tests(void)
{
	size_t n, en;
	unsigned char *j = make("jpg", 400, 200, &n);
	/* displayed: where the stored left half (red) ends up, for each orientation */
	static const struct {
		int o;
		int w;
		int tx, ty; /* a point that must be red in the 100-wide variant */
	} cases[] = {{1, 200, 10, 50}, {2, 200, 190, 50}, {3, 200, 190, 50}, {4, 200, 10, 50},
	             {5, 100, 50, 10}, {6, 100, 50, 10},  {7, 100, 50, 190}, {8, 100, 50, 190}};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		unsigned char *e = with_exif(j, n, cases[i].o, &en);
		struct image_info info;
		const char *why = NULL;
		ok(image_probe(e, en, &info, &why) == 0 && info.orient == cases[i].o, "orientation %d read",
		   cases[i].o);
		struct image *im = NULL;
		void *d = NULL;
		size_t len = 0;
		int h = 0;
		ok(image_decode(e, en, &info, &im, &why) == 0 &&
		       image_encode_width(im, 100, &d, &len, &h) == 0,
		   "orientation %d: decoded and scaled", cases[i].o);
		int want_h = cases[i].w == 200 ? 50 : 200;
		ok(h == want_h, "orientation %d: 100 x %d (got %d)", cases[i].o, want_h, h);
		int tx = cases[i].tx * (cases[i].w == 200 ? 100 : 100) / (cases[i].w == 200 ? 200 : 100);
		int ty = cases[i].ty * h / (cases[i].w == 200 ? 100 : 200);
		ok(d && colour_at(d, len, tx, ty) == RED, "orientation %d: upright (red at %d,%d)",
		   cases[i].o, tx, ty);
		image_data_free(d);
		image_free(im);
		/* the stored original: no GPS, the orientation alone kept */
		struct buf b = {0};
		ok(image_clean(e, en, &info, &b) == 0, "orientation %d: cleaned", cases[i].o);
		const unsigned char *c = (const unsigned char *)b.p;
		ok(!has(c, b.len, "GPS!") && !has(c, b.len, "\x88\x25"), "orientation %d: no GPS left",
		   cases[i].o);
		ok(has(c, b.len, "Exif") == (cases[i].o != 1), "orientation %d: EXIF only when it turns",
		   cases[i].o);
		struct image_info again;
		ok(image_probe(c, b.len, &again, &why) == 0 && again.orient == cases[i].o &&
		       again.width == info.width && again.height == info.height,
		   "orientation %d: the cleaned file still says it", cases[i].o);
		ok(colour_at(c, b.len, 1, 1) != -2, "orientation %d: the cleaned file decodes", cases[i].o);
		buf_free(&b);
		free(e);
	}
	free(j);
}

int main(void)
{
	orientation_tests();
	const char *kinds[] = {"png", "webp", "gif"};
	for (int k = 0; k < 3; k++) {
		size_t n;
		unsigned char *p = make(kinds[k], 900, 300, &n);
		struct image_info info;
		const char *why;
		ok(image_probe(p, n, &info, &why) == 0 && !strcmp(info.kind, kinds[k]) && info.width == 900 &&
		       info.height == 300,
		   "%s probed: 900x300", kinds[k]);
		ok(image_scalable(info.kind) == (k != 2), "%s: variants %s", kinds[k],
		   k == 2 ? "never" : "made");
		struct image *im = NULL;
		void *d = NULL;
		size_t len = 0;
		int h = 0;
		if (k < 2) {
			ok(image_decode(p, n, &info, &im, &why) == 0, "%s decoded", kinds[k]);
			ok(image_encode_width(im, 480, &d, &len, &h) == 0 && h == 160,
			   "%s: 480 wide is 160 high", kinds[k]);
			struct image_info v;
			ok(d && image_probe(d, len, &v, &why) == 0 && v.width == 480 && v.height == 160 &&
			       !strcmp(v.kind, kinds[k]),
			   "%s: the variant is a 480x160 %s", kinds[k], kinds[k]);
			image_data_free(d);
			ok(image_encode_width(im, 900, &d, &len, &h) < 0 &&
			       image_encode_width(im, 1600, &d, &len, &h) < 0,
			   "%s: never enlarged", kinds[k]);
			image_free(im);
		} else {
			/* a GIF is stored whole (its frames kept) and gets no variants; its first frame
			 * decodes, for an author's photo */
			ok(image_decode(p, n, &info, &im, &why) == 0 && image_width(im) == info.width,
			   "gif: its first frame decodes");
			image_free(im);
		}
		struct buf b = {0};
		ok(image_clean(p, n, &info, &b) == 0 && b.len > 0, "%s cleaned", kinds[k]);
		buf_free(&b);
		free(p);
	}

	/* a PNG that claims 10000 x 5000 (50 megapixels) is refused from its header */
	static const unsigned char big[] = {0x89, 'P', 'N',  'G',  '\r', '\n', 0x1a, '\n', 0,    0,
	                                    0,    13,  'I',  'H',  'D',  'R',  0,    0,    0x27, 0x10,
	                                    0,    0,   0x13, 0x88, 8,    2,    0,    0,    0};
	struct image_info info;
	const char *why = NULL;
	ok(image_probe(big, sizeof big, &info, &why) < 0 && why && strstr(why, "40 megapixels"),
	   "50 megapixels refused before decoding: %s", why ? why : "");
	ok(image_probe((const unsigned char *)"<svg onload=x>", 14, &info, &why) < 0 &&
	       strstr(why, "not a PNG"),
	   "SVG refused");
	ok(image_probe((const unsigned char *)"\xFF\xD8\xFF\xE0\0\x10", 6, &info, &why) < 0,
	   "a JPEG cut short refused");

	/* a PNG with text and eXIf chunks loses them */
	size_t n;
	unsigned char *p = make("png", 20, 10, &n);
	unsigned char *q = malloc(n + 40);
	static const unsigned char chunk[] = {0, 0,  0,   8,   'e', 'X', 'I', 'f', 'M', 'M',
	                                      0, 42, 'G', 'P', 'S', '!', 0,   0,   0,   0};
	memcpy(q, p, 33); /* signature and IHDR */
	memcpy(q + 33, chunk, sizeof chunk);
	memcpy(q + 33 + sizeof chunk, p + 33, n - 33);
	struct buf b = {0};
	ok(image_probe(q, n + sizeof chunk, &info, &why) == 0 &&
	       image_clean(q, n + sizeof chunk, &info, &b) == 0 && b.len == n &&
	       !has((unsigned char *)b.p, b.len, "eXIf"),
	   "PNG: the eXIf chunk dropped");
	buf_free(&b);
	free(p);
	free(q);

	/* a JPEG with a COM segment and HTML after EOI (a polyglot) loses both */
	p = make("jpg", 40, 20, &n);
	static const unsigned char com[] = {0xFF, 0xFE, 0,   14,  '<', 's', 'c', 'r',
	                                    'i',  'p',  't', '>', 'x', '!', 0,   0};
	static const char tail[] = "<html><script>alert(1)</script>";
	size_t qn = n + sizeof com + sizeof tail - 1;
	q = malloc(qn);
	memcpy(q, p, 2);
	memcpy(q + 2, com, sizeof com);
	memcpy(q + 2 + sizeof com, p + 2, n - 2);
	memcpy(q + n + sizeof com, tail, sizeof tail - 1);
	b = (struct buf){0};
	ok(image_probe(q, qn, &info, &why) == 0 && image_clean(q, qn, &info, &b) == 0,
	   "JPEG with a comment and trailing HTML: cleaned");
	ok(!has((unsigned char *)b.p, b.len, "<script>") && !has((unsigned char *)b.p, b.len, "<html>"),
	   "JPEG: the COM segment and the bytes after EOI dropped");
	ok(b.len >= 2 && (unsigned char)b.p[b.len - 2] == 0xFF && (unsigned char)b.p[b.len - 1] == 0xD9,
	   "JPEG: the cleaned file ends at EOI");
	struct buf plain = {0};
	ok(image_clean(p, n, &info, &plain) == 0 && plain.len == b.len && !memcmp(b.p, plain.p, b.len) &&
	       !has((unsigned char *)plain.p, plain.len, "CREATOR"),
	   "JPEG: the same as the plain file cleaned (gd's own comment gone too)");
	buf_free(&plain);
	ok(colour_at(b.p, b.len, 1, 1) != -2, "JPEG: the cleaned file decodes");
	buf_free(&b);
	free(q);
	free(p);

	/* a PNG with bytes after IEND loses them */
	p = make("png", 20, 10, &n);
	q = malloc(n + sizeof tail - 1);
	memcpy(q, p, n);
	memcpy(q + n, tail, sizeof tail - 1);
	b = (struct buf){0};
	ok(image_probe(q, n + sizeof tail - 1, &info, &why) == 0 &&
	       image_clean(q, n + sizeof tail - 1, &info, &b) == 0 && b.len == n && !memcmp(b.p, p, n),
	   "PNG: the bytes after IEND dropped");
	buf_free(&b);
	free(q);
	free(p);

	char name[IMAGE_VARIANT_NAME_MAX];
	ok(image_variant_name("abc.jpg", 480, name, sizeof name) == 0 && !strcmp(name, "abc-480w.jpg"),
	   "variant name abc-480w.jpg");
	ok(image_variant_name("noext", 480, name, sizeof name) < 0 &&
	       image_variant_name("a/b.jpg", 480, name, sizeof name) < 0,
	   "no variant name without an extension or with a slash");
	return tap_done();
}
