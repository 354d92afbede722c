/* image: probe, clean, decode, turn upright, scale and encode uploads with libgd. */
#include "image.h"

#include <gd.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "imgsize.h"
#include "media_file.h"

const int image_widths[IMAGE_VARIANTS] = {480, 800, 1200, 1600};

#define WEBP_CHUNK_HEAD 8
#define PNG_SIG_LEN 8

struct image {
	gdImagePtr im;
	const char *kind;
};

static unsigned long rd_be32(const unsigned char *p)
{
	return (unsigned long)p[0] << 24 | (unsigned long)p[1] << 16 | (unsigned long)p[2] << 8 | p[3];
}

static unsigned long rd_le32(const unsigned char *p)
{
	return (unsigned long)p[3] << 24 | (unsigned long)p[2] << 16 | (unsigned long)p[1] << 8 | p[0];
}

static void wr_le32(unsigned char *p, unsigned long v)
{
	p[0] = v & 0xFF, p[1] = (v >> 8) & 0xFF, p[2] = (v >> 16) & 0xFF, p[3] = (v >> 24) & 0xFF;
}

/* A WebP's size from its image chunk (VP8 or VP8L) as well as from VP8X's canvas: the decoder
 * allocates for the former. 0 when every size found is within the limit, -1 otherwise. */
static int webp_inner_ok(const unsigned char *p, size_t n)
{
	for (size_t i = 12; i + WEBP_CHUNK_HEAD <= n;) {
		unsigned long len = rd_le32(p + i + 4);
		if (!memcmp(p + i, "VP8 ", 4) || !memcmp(p + i, "VP8L", 4)) {
			/* the chunk alone, behind a RIFF head, is what imgsize reads */
			unsigned char b[64] = "RIFF\0\0\0\0WEBP";
			size_t k = n - i < sizeof b - 12 ? n - i : sizeof b - 12;
			memcpy(b + 12, p + i, k);
			int w, h;
			if (img_size(b, 12 + k, &w, &h) < 0 || (long)w * h > IMAGE_PIXELS_MAX)
				return -1;
			return 0;
		}
		if (len > n - i - WEBP_CHUNK_HEAD)
			return -1;
		i += WEBP_CHUNK_HEAD + len + (len & 1);
	}
	return -1;
}

int image_probe(const unsigned char *p, size_t n, struct image_info *info, const char **why)
{
	info->kind = media_image_kind(p, n);
	info->orient = 1;
	if (!info->kind) {
		*why = "not a PNG, JPEG, GIF or WebP image";
		return -1;
	}
	if (img_size(p, n, &info->width, &info->height) < 0) {
		*why = "the image's size could not be read: the file is damaged or cut short";
		return -1;
	}
	if ((long)info->width * info->height > IMAGE_PIXELS_MAX) {
		*why = "the image has more than 40 megapixels";
		return -1;
	}
	if (!strcmp(info->kind, "webp") && webp_inner_ok(p, n) < 0) {
		*why = "the WebP image's size could not be read, or is more than 40 megapixels";
		return -1;
	}
	if (!strcmp(info->kind, "jpg"))
		info->orient = img_orientation(p, n);
	return 0;
}

bool image_scalable(const char *kind)
{
	return kind && strcmp(kind, "gif") != 0;
}

/* EXIF with one entry, the orientation (big-endian TIFF): the APP1 segment whole. */
static void exif_orient_segment(struct buf *out, int orient)
{
	const unsigned char seg[] = {0xFF, 0xE1, 0, 34,   'E', 'x', 'i', 'f', 0, 0,
	                             'M',  'M',  0, 0x2A, 0,   0,   0,   8,   0, 1, /* one entry */
	                             0x01, 0x12, 0, 3,    0,   0,   0,   1,   0, (unsigned char)orient,
	                             0,    0,    0, 0,    0,   0};
	buf_add(out, seg, sizeof seg);
}

/* The end of the entropy-coded data that starts at i: the first marker that is not a stuffed
 * 0xFF00, a restart marker or a fill byte; n when the data runs to the end. */
static size_t jpeg_scan_end(const unsigned char *p, size_t n, size_t i)
{
	for (; i + 1 < n; i++) {
		unsigned m = p[i + 1];
		if (p[i] == 0xFF && m != 0x00 && m != 0xFF && !(m >= 0xD0 && m <= 0xD7))
			return i;
	}
	return n;
}

/* The segments copied but APP1 (EXIF, XMP), APP13 (Photoshop) and COM, the scans whole, up to
 * and with EOI: whatever follows EOI (an appended HTML or archive) is dropped. */
static int clean_jpeg(const unsigned char *p, size_t n, int orient, struct buf *out)
{
	if (n < 4 || p[0] != 0xFF || p[1] != 0xD8)
		return -1;
	buf_add(out, p, 2);
	bool exif_done = orient == 1, scanned = false;
	size_t i = 2;
	for (;;) {
		if (n - i < 2 || p[i] != 0xFF)
			return -1;
		unsigned m = p[i + 1];
		if (m == 0xFF) {
			i++;
			continue;
		}
		if (m == 0xD9 && scanned) {
			buf_add(out, p + i, 2);
			break;
		}
		if (m == 0xD9 || m == 0x01 || (m >= 0xD0 && m <= 0xD8) || n - i < 4)
			return -1;
		size_t len = (size_t)p[i + 2] << 8 | p[i + 3];
		if (len < 2 || len > n - i - 2)
			return -1;
		if (!exif_done && m != 0xE0) {
			exif_orient_segment(out, orient);
			exif_done = true;
		}
		if (m != 0xE1 && m != 0xED && m != 0xFE)
			buf_add(out, p + i, 2 + len);
		i += 2 + len;
		if (m == 0xDA) {
			scanned = true;
			size_t e = jpeg_scan_end(p, n, i);
			buf_add(out, p + i, e - i);
			i = e;
			if (i == n)
				break; /* cut short before EOI: kept as it came */
		}
	}
	return out->oom ? -1 : 0;
}

static int clean_png(const unsigned char *p, size_t n, struct buf *out)
{
	buf_add(out, p, PNG_SIG_LEN);
	size_t i = PNG_SIG_LEN;
	for (;;) {
		if (n - i < 12)
			return -1;
		unsigned long len = rd_be32(p + i);
		if (len > n - i - 12)
			return -1;
		const unsigned char *t = p + i + 4;
		bool drop = !memcmp(t, "eXIf", 4) || !memcmp(t, "tEXt", 4) || !memcmp(t, "iTXt", 4) ||
		            !memcmp(t, "zTXt", 4);
		if (!drop)
			buf_add(out, p + i, 12 + len);
		i += 12 + len;
		if (!memcmp(t, "IEND", 4))
			break;
	}
	return out->oom ? -1 : 0;
}

static int clean_webp(const unsigned char *p, size_t n, struct buf *out)
{
	buf_add(out, p, 12);
	size_t vp8x = 0;
	for (size_t i = 12; i < n;) {
		if (n - i < WEBP_CHUNK_HEAD)
			return -1;
		unsigned long len = rd_le32(p + i + 4);
		if (len > n - i - WEBP_CHUNK_HEAD)
			return -1;
		size_t whole = WEBP_CHUNK_HEAD + len + (len & 1);
		if (whole > n - i)
			whole = n - i; /* an odd last chunk without its pad byte */
		if (!memcmp(p + i, "VP8X", 4) && len >= 1)
			vp8x = out->len;
		if (memcmp(p + i, "EXIF", 4) && memcmp(p + i, "XMP ", 4))
			buf_add(out, p + i, whole);
		i += whole;
	}
	if (out->oom)
		return -1;
	unsigned char *o = (unsigned char *)out->p;
	if (vp8x)
		o[vp8x + WEBP_CHUNK_HEAD] &= (unsigned char)~0x0C; /* no EXIF, no XMP */
	wr_le32(o + 4, (unsigned long)(out->len - 8));
	return 0;
}

int image_clean(const unsigned char *p, size_t n, const struct image_info *info, struct buf *out)
{
	if (!strcmp(info->kind, "jpg"))
		return clean_jpeg(p, n, info->orient, out);
	if (!strcmp(info->kind, "png"))
		return clean_png(p, n, out);
	if (!strcmp(info->kind, "webp"))
		return clean_webp(p, n, out);
	buf_add(out, p, n);
	return out->oom ? -1 : 0;
}

/* im turned by a quarter (gd turns counter-clockwise): the new image, or NULL. */
static gdImagePtr turn(gdImagePtr im, int degrees)
{
	return gdImageRotateInterpolated(im, (float)degrees, 0);
}

/* im made upright for EXIF orientation o; im is freed when replaced. NULL when out of memory. */
static gdImagePtr upright(gdImagePtr im, int o)
{
	gdImagePtr r = im;
	switch (o) {
	case 2:
		gdImageFlipHorizontal(im);
		return im;
	case 3:
		gdImageFlipBoth(im);
		return im;
	case 4:
		gdImageFlipVertical(im);
		return im;
	case 5:
	case 6:
		r = turn(im, 270);
		break; /* a quarter clockwise */
	case 7:
	case 8:
		r = turn(im, 90);
		break;
	default:
		return im;
	}
	gdImageDestroy(im);
	if (r && (o == 5 || o == 7))
		gdImageFlipHorizontal(r);
	return r;
}

/* gd's image in a struct image of that kind, or NULL (then gi is freed). */
static struct image *wrap(gdImagePtr gi, const char *kind)
{
	struct image *r = gi ? malloc(sizeof *r) : NULL;
	if (!r) {
		if (gi)
			gdImageDestroy(gi);
		return NULL;
	}
	r->im = gi;
	r->kind = kind;
	return r;
}

int image_decode(const unsigned char *p, size_t n, const struct image_info *info, struct image **out,
                 const char **why)
{
	*why = "the image could not be read: it is damaged or in an unusual variant";
	if (n > INT_MAX || !info->kind)
		return -1;
	void *d = (void *)p; /* gd's readers take a non-const pointer and only read */
	gdImagePtr im = !strcmp(info->kind, "jpg")   ? gdImageCreateFromJpegPtrEx((int)n, d, 1)
	                : !strcmp(info->kind, "png") ? gdImageCreateFromPngPtr((int)n, d)
	                : !strcmp(info->kind, "gif") ? gdImageCreateFromGifPtr((int)n, d)
	                                             : gdImageCreateFromWebpPtr((int)n, d);
	if (!im)
		return -1;
	if (!gdImageTrueColor(im) && !gdImagePaletteToTrueColor(im)) {
		gdImageDestroy(im);
		return -1;
	}
	if (!(im = upright(im, info->orient)))
		return -1;
	*out = wrap(im, info->kind);
	return *out ? 0 : -1;
}

int image_width(const struct image *im)
{
	return gdImageSX(im->im);
}

int image_height(const struct image *im)
{
	return gdImageSY(im->im);
}

int image_scaled(struct image *im, int width, struct image **out)
{
	int w = gdImageSX(im->im), h = gdImageSY(im->im);
	if (width < 1 || width >= w)
		return -1;
	int nh = (int)(((long)h * width + w / 2) / w);
	if (nh < 1)
		nh = 1;
	if (!gdImageSetInterpolationMethod(im->im, GD_LANCZOS3))
		return -1;
	*out = wrap(gdImageScale(im->im, (unsigned)width, (unsigned)nh), im->kind);
	return *out ? 0 : -1;
}

int image_square(struct image *im, int size, struct image **out)
{
	int w = gdImageSX(im->im), h = gdImageSY(im->im), side = w < h ? w : h;
	if (size < 1 || side < 1)
		return -1;
	gdRect centre = {(w - side) / 2, (h - side) / 2, side, side};
	gdImagePtr sq = gdImageCrop(im->im, &centre);
	if (sq && side != size) {
		gdImagePtr s = gdImageSetInterpolationMethod(sq, GD_LANCZOS3)
		                   ? gdImageScale(sq, (unsigned)size, (unsigned)size)
		                   : NULL;
		gdImageDestroy(sq);
		sq = s;
	}
	*out = wrap(sq, strcmp(im->kind, "jpg") ? "png" : "jpg");
	return *out ? 0 : -1;
}

const char *image_kind(const struct image *im)
{
	return im->kind;
}

int image_encode(struct image *im, void **data, size_t *len)
{
	gdImagePtr s = im->im;
	int size = 0;
	void *bytes = NULL;
	if (!strcmp(im->kind, "jpg")) {
		gdImageInterlace(s, 1); /* progressive: a first look early on slow links */
		bytes = gdImageJpegPtr(s, &size, IMAGE_JPEG_QUALITY);
	} else if (!strcmp(im->kind, "png")) {
		gdImageSaveAlpha(s, 1);
		gdImageAlphaBlending(s, 0);
		bytes = gdImagePngPtrEx(s, &size, IMAGE_PNG_LEVEL);
	} else {
		gdImageSaveAlpha(s, 1);
		bytes = gdImageWebpPtrEx(s, &size, IMAGE_WEBP_QUALITY);
	}
	if (!bytes || size <= 0) {
		if (bytes)
			gdFree(bytes);
		return -1;
	}
	*data = bytes;
	*len = (size_t)size;
	return 0;
}

int image_encode_width(struct image *im, int width, void **data, size_t *len, int *height)
{
	struct image *s = NULL;
	if (image_scaled(im, width, &s) < 0)
		return -1;
	int rc = image_encode(s, data, len);
	if (rc == 0)
		*height = gdImageSY(s->im);
	image_free(s);
	return rc;
}

void image_data_free(void *data)
{
	if (data)
		gdFree(data);
}

void image_free(struct image *im)
{
	if (!im)
		return;
	gdImageDestroy(im->im);
	free(im);
}

int image_variant_name(const char *name, int width, char *out, size_t outsz)
{
	const char *dot = strrchr(name, '.');
	if (!dot || dot == name || strchr(name, '/'))
		return -1;
	int k = snprintf(out, outsz, "%.*s-%dw%s", (int)(dot - name), name, width, dot);
	return k < 0 || (size_t)k >= outsz ? -1 : 0;
}
