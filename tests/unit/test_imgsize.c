/* test_imgsize: width and height from PNG, JPEG (baseline, progressive, EXIF-rotated), GIF and
 * WebP headers, and nothing from truncated or foreign bytes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "img_html.h"
#include "imgsize.h"
#include "tap.h"

static int W, H;

static int size_of(const unsigned char *p, size_t n)
{
	W = H = 0;
	return img_size(p, n, &W, &H);
}

/* A JPEG: SOI, an optional APP1 EXIF with orientation o (0: none, le: little-endian), then a
 * frame header of marker sof with sides w x h; the length written. */
static size_t jpeg(unsigned char *b, int o, int le, unsigned sof, unsigned w, unsigned h)
{
	size_t n = 0;
	b[n++] = 0xFF, b[n++] = 0xD8;
	/* APP0 JFIF */
	static const unsigned char app0[] = {0xFF, 0xE0, 0, 16, 'J', 'F', 'I', 'F', 0,
	                                     1,    1,    0, 0,  1,   0,   1,   0,   0};
	memcpy(b + n, app0, sizeof app0);
	n += sizeof app0;
	if (o) {
		unsigned char e[] = {0xFF,
		                     0xE1,
		                     0,
		                     34,
		                     'E',
		                     'x',
		                     'i',
		                     'f',
		                     0,
		                     0,
		                     /* TIFF */ 'I',
		                     'I',
		                     '*',
		                     0,
		                     8,
		                     0,
		                     0,
		                     0,
		                     /* IFD0: 1 entry */ 1,
		                     0,
		                     /* tag 0x0112, SHORT, count 1, value o */ 0x12,
		                     0x01,
		                     3,
		                     0,
		                     1,
		                     0,
		                     0,
		                     0,
		                     (unsigned char)o,
		                     0,
		                     0,
		                     0,
		                     0,
		                     0,
		                     0,
		                     0};
		if (!le) {
			unsigned char m[] = {0xFF, 0xE1, 0, 34,  'E', 'x', 'i', 'f', 0, 0,
			                     'M',  'M',  0, '*', 0,   0,   0,   8,   0, 1,
			                     0x01, 0x12, 0, 3,   0,   0,   0,   1,   0, (unsigned char)o,
			                     0,    0,    0, 0,   0,   0};
			memcpy(e, m, sizeof e);
		}
		memcpy(b + n, e, sizeof e);
		n += sizeof e;
	}
	/* a DHT first (0xC4 is not a frame header) */
	static const unsigned char dht[] = {0xFF, 0xC4, 0, 4, 0, 0};
	memcpy(b + n, dht, sizeof dht);
	n += sizeof dht;
	unsigned char f[] = {0xFF,
	                     (unsigned char)sof,
	                     0,
	                     11,
	                     8,
	                     (unsigned char)(h >> 8),
	                     (unsigned char)h,
	                     (unsigned char)(w >> 8),
	                     (unsigned char)w,
	                     1,
	                     1,
	                     0x11,
	                     0};
	memcpy(b + n, f, sizeof f);
	n += sizeof f;
	b[n++] = 0xFF, b[n++] = 0xD9;
	return n;
}

/* Knows one image: /media/a.png, 640x480. */
static int known(void *arg, const char *src, int *w, int *h)
{
	(void)arg;
	if (strcmp(src, "/media/a.png") != 0)
		return -1;
	*w = 640;
	*h = 480;
	return 0;
}

static void html_tests(void)
{
	struct buf out = BUF_INIT;
	const char *in =
	    "<p><img src=\"/media/a.png\" alt=\"A &amp; B\" /></p>\n<figure>\n<img "
	    "src=\"/media/a.png\" alt=\"\" loading=\"lazy\">\n</figure><img src=\"/x.png\" alt=\"\" />";
	ok(img_html_fix(in, &out, known, NULL, true) == 3, "img_html: three images counted");
	is_str(buf_cstr(&out),
	       "<p><img src=\"/media/a.png\" alt=\"A &amp; B\" width=\"640\" height=\"480\" "
	       "/></p>\n<figure>\n<img "
	       "src=\"/media/a.png\" alt=\"\" width=\"640\" height=\"480\" loading=\"lazy\">\n</figure><img "
	       "src=\"/x.png\" alt=\"\" loading=\"lazy\" />",
	       "img_html: sizes added, the first image eager, the others lazy");
	buf_reset(&out);
	img_html_fix("<img src=\"/media/a.png\" width=\"10\" height=\"5\" alt=\"\" />", &out, known, NULL,
	             false);
	is_str(buf_cstr(&out),
	       "<img src=\"/media/a.png\" width=\"10\" height=\"5\" alt=\"\" loading=\"lazy\" />",
	       "img_html: a size already given is kept; not first_eager: lazy");
	buf_reset(&out);
	ok(img_html_first_src("<p>x</p><img src=\"/a?x=1&amp;y=2\" alt=\"\" />", &out) &&
	       !strcmp(buf_cstr(&out), "/a?x=1&y=2"),
	   "img_html: the first src, &amp; decoded");
	buf_reset(&out);
	ok(!img_html_first_src("<p>no image</p>", &out), "img_html: no image, no src");
	buf_free(&out);
}

int main(void)
{
	html_tests();
	unsigned char b[256];
	static const unsigned char png[] = {0x89, 'P', 'N', 'G',  '\r', '\n', 0x1a, '\n', 0,    0,
	                                    0,    13,  'I', 'H',  'D',  'R',  0,    0,    0x02, 0x58,
	                                    0,    0,   1,   0x90, 8,    2,    0,    0,    0};
	ok(size_of(png, sizeof png) == 0 && W == 600 && H == 400, "PNG: 600x400 from IHDR");
	ok(size_of(png, 20) < 0, "PNG cut before its height: no size");

	static const unsigned char gif[] = {'G', 'I', 'F', '8', '9', 'a', 0x40, 0x01, 0xC8, 0x00, 0, 0, 0};
	ok(size_of(gif, sizeof gif) == 0 && W == 320 && H == 200, "GIF: 320x200 little-endian");

	size_t n = jpeg(b, 0, 1, 0xC0, 900, 600);
	ok(size_of(b, n) == 0 && W == 900 && H == 600, "JPEG baseline: 900x600 from SOF0 after DHT");
	n = jpeg(b, 0, 1, 0xC2, 1024, 768);
	ok(size_of(b, n) == 0 && W == 1024 && H == 768, "JPEG progressive: SOF2 read");
	n = jpeg(b, 6, 1, 0xC0, 900, 600);
	ok(size_of(b, n) == 0 && W == 600 && H == 900, "JPEG with EXIF orientation 6 (II): sides swapped");
	n = jpeg(b, 8, 0, 0xC0, 900, 600);
	ok(size_of(b, n) == 0 && W == 600 && H == 900, "JPEG with EXIF orientation 8 (MM): sides swapped");
	n = jpeg(b, 3, 0, 0xC0, 900, 600);
	ok(size_of(b, n) == 0 && W == 900 && H == 600, "JPEG with EXIF orientation 3: sides kept");
	n = jpeg(b, 0, 1, 0xC0, 900, 600);
	ok(size_of(b, n - 10) < 0, "JPEG cut inside its frame header: no size");
	n = jpeg(b, 0, 1, 0xC0, 0, 600);
	ok(size_of(b, n) < 0, "JPEG with width 0: no size");

	static const unsigned char vp8[] = {'R', 'I', 'F', 'F',  0,    0,    0,    0,    'W',  'E',
	                                    'B', 'P', 'V', 'P',  '8',  ' ',  0,    0,    0,    0,
	                                    0,   0,   0,   0x9d, 0x01, 0x2a, 0x80, 0x02, 0xe0, 0x01};
	ok(size_of(vp8, sizeof vp8) == 0 && W == 640 && H == 480, "WebP VP8: 640x480");
	/* VP8L: 0x2f, then 14 bits width-1, 14 bits height-1 */
	unsigned long bits = (100 - 1) | (unsigned long)(50 - 1) << 14;
	unsigned char vp8l[30] = {'R', 'I', 'F', 'F', 0,   0, 0, 0, 'W', 'E', 'B',
	                          'P', 'V', 'P', '8', 'L', 0, 0, 0, 0,   0x2f};
	vp8l[21] = (unsigned char)bits, vp8l[22] = (unsigned char)(bits >> 8),
	vp8l[23] = (unsigned char)(bits >> 16), vp8l[24] = (unsigned char)(bits >> 24);
	ok(size_of(vp8l, sizeof vp8l) == 0 && W == 100 && H == 50, "WebP VP8L (lossless): 100x50");
	unsigned char vp8x[30] = {'R', 'I', 'F', 'F', 0, 0,    0, 0, 'W', 'E',  'B',  'P', 'V',  'P',  '8',
	                          'X', 10,  0,   0,   0, 0x10, 0, 0, 0,   0x1f, 0x03, 0,   0x57, 0x02, 0};
	ok(size_of(vp8x, sizeof vp8x) == 0 && W == 800 && H == 600, "WebP VP8X (extended): 800x600");

	ok(size_of((const unsigned char *)"<svg xmlns=", 11) < 0, "SVG: not read");
	ok(size_of((const unsigned char *)"", 0) < 0, "nothing: no size");

	/* real files made by GD, as WordPress uploads them */
	const char *top = getenv("QUIRE_SRCDIR") ? getenv("QUIRE_SRCDIR") : ".";
	char path[1024];
	snprintf(path, sizeof path, "%s/tests/data/wordpress_uploads/2024/05/tea-house.jpg", top);
	ok(img_size_file(path, &W, &H) == 0 && W == 900 && H == 600, "tea-house.jpg: 900x600");
	snprintf(path, sizeof path, "%s/tests/data/wordpress_uploads/2024/05/lantern.png", top);
	ok(img_size_file(path, &W, &H) == 0 && W == 400 && H == 600, "lantern.png: 400x600");
	snprintf(path, sizeof path, "%s/tests/data/wordpress_uploads/2024/05/harbour-bells.wav", top);
	ok(img_size_file(path, &W, &H) < 0, "a WAV (RIFF, not WEBP): no size");
	ok(img_size_file("/nonexistent/x.png", &W, &H) < 0, "a missing file: no size");
	snprintf(path, sizeof path, "%s/static/demo/harbour.svg", top);
	ok(img_size_file(path, &W, &H) == 0 && W == 800 && H == 400, "the demo's harbour.svg: 800x400");

	const char *s1 =
	    "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" stroke-width=\"3\" "
	    "width=\"120px\" height=\"80.5\"><rect/></svg>";
	ok(img_size_svg((const unsigned char *)s1, strlen(s1), &W, &H) == 0 && W == 120 && H == 81,
	   "SVG: width and height attributes (px, a fraction rounded up), not stroke-width");
	const char *s2 = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"100%\" viewBox=\"0 0 16 9\"/>";
	ok(img_size_svg((const unsigned char *)s2, strlen(s2), &W, &H) == 0 && W == 16 && H == 9,
	   "SVG: a percentage is no size, the viewBox is");
	const char *s3 = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 -4 9\">";
	ok(img_size_svg((const unsigned char *)s3, strlen(s3), &W, &H) < 0,
	   "SVG: a negative viewBox is no size");
	ok(img_size((const unsigned char *)s1, strlen(s1), &W, &H) < 0, "img_size never reads SVG (uploads)");
	return tap_done();
}
