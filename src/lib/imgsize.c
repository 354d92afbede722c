/* imgsize: width and height from the first bytes of PNG, JPEG, GIF and WebP files. */
#include "imgsize.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define JPEG_ORIENT_TAG 0x0112
#define EXIF_ENTRIES_MAX 512 /* entries of IFD0 read for the orientation */

static unsigned be16(const unsigned char *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

static unsigned le16(const unsigned char *p)
{
	return (unsigned)p[1] << 8 | p[0];
}

static unsigned long be32(const unsigned char *p)
{
	return (unsigned long)p[0] << 24 | (unsigned long)p[1] << 16 | (unsigned long)p[2] << 8 | p[3];
}

static unsigned long le24(const unsigned char *p)
{
	return (unsigned long)p[2] << 16 | (unsigned long)p[1] << 8 | p[0];
}

static int set(unsigned long w, unsigned long h, int *pw, int *ph)
{
	if (w < 1 || h < 1 || w > IMGSIZE_DIM_MAX || h > IMGSIZE_DIM_MAX)
		return -1;
	*pw = (int)w;
	*ph = (int)h;
	return 0;
}

static int png(const unsigned char *p, size_t n, int *w, int *h)
{
	if (n < 24 || memcmp(p + 12, "IHDR", 4) != 0)
		return -1;
	return set(be32(p + 16), be32(p + 20), w, h);
}

static int gif(const unsigned char *p, size_t n, int *w, int *h)
{
	return n < 10 ? -1 : set(le16(p + 6), le16(p + 8), w, h);
}

static int webp(const unsigned char *p, size_t n, int *w, int *h)
{
	if (n < 30)
		return -1;
	const unsigned char *c = p + 12, *d = p + 20;
	if (!memcmp(c, "VP8 ", 4)) {
		/* a key frame: 3 bytes of frame tag, the start code, then 14-bit sides */
		if (d[3] != 0x9d || d[4] != 0x01 || d[5] != 0x2a)
			return -1;
		return set(le16(d + 6) & 0x3fff, le16(d + 8) & 0x3fff, w, h);
	}
	if (!memcmp(c, "VP8L", 4)) {
		if (d[0] != 0x2f)
			return -1;
		unsigned long bits = (unsigned long)d[1] | (unsigned long)d[2] << 8 |
		                     (unsigned long)d[3] << 16 | (unsigned long)d[4] << 24;
		return set((bits & 0x3fff) + 1, ((bits >> 14) & 0x3fff) + 1, w, h);
	}
	if (!memcmp(c, "VP8X", 4))
		return set(le24(d + 4) + 1, le24(d + 7) + 1, w, h);
	return -1;
}

/* The orientation (1..8) an APP1 segment's EXIF gives, or 1. p: the segment after its length. */
static int exif_orientation(const unsigned char *p, size_t n)
{
	if (n < 14 || memcmp(p, "Exif\0\0", 6) != 0)
		return 1;
	const unsigned char *t = p + 6;
	size_t tn = n - 6;
	bool le = !memcmp(t, "II*\0", 4);
	if (!le && memcmp(t, "MM\0*", 4) != 0)
		return 1;
	unsigned long ifd = le ? ((unsigned long)le16(t + 6) << 16 | le16(t + 4)) : be32(t + 4);
	if (ifd > tn || tn - ifd < 2)
		return 1;
	unsigned count = le ? le16(t + ifd) : be16(t + ifd);
	for (unsigned i = 0; i < count && i < EXIF_ENTRIES_MAX; i++) {
		size_t e = ifd + 2 + (size_t)i * 12;
		if (e + 12 > tn)
			break;
		unsigned tag = le ? le16(t + e) : be16(t + e);
		if (tag != JPEG_ORIENT_TAG)
			continue;
		unsigned v = le ? le16(t + e + 8) : be16(t + e + 8);
		return v >= 1 && v <= 8 ? (int)v : 1;
	}
	return 1;
}

static bool is_sof(unsigned m)
{
	return m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC;
}

static int jpeg(const unsigned char *p, size_t n, int *w, int *h)
{
	int orient = 1;
	size_t i = 2;
	for (;;) {
		if (i >= n || p[i] != 0xFF)
			return -1; /* a marker must start here */
		while (i < n && p[i] == 0xFF)
			i++; /* fill bytes */
		if (i >= n)
			return -1;
		unsigned m = p[i++];
		if (m == 0xD8 || m == 0x01 || (m >= 0xD0 && m <= 0xD7))
			continue; /* no length */
		if (m == 0xD9 || m == 0xDA || i + 2 > n)
			return -1; /* the image data, or the end, before any frame header */
		size_t len = be16(p + i);
		if (len < 2 || len > n - i)
			return -1;
		if (m == 0xE1 && orient == 1)
			orient = exif_orientation(p + i + 2, len - 2);
		if (is_sof(m)) {
			if (len < 7)
				return -1;
			unsigned long hh = be16(p + i + 3), ww = be16(p + i + 5);
			/* orientations 5 to 8 turn the picture a quarter: its sides swap on screen */
			return orient >= 5 ? set(hh, ww, w, h) : set(ww, hh, w, h);
		}
		i += len;
	}
}

int img_orientation(const unsigned char *p, size_t n)
{
	if (n < 4 || p[0] != 0xFF || p[1] != 0xD8)
		return 1;
	for (size_t i = 2; i + 4 <= n && p[i] == 0xFF;) {
		unsigned m = p[i + 1];
		if (m == 0xD8 || m == 0x01 || (m >= 0xD0 && m <= 0xD7) || m == 0xFF) {
			i += m == 0xFF ? 1 : 2;
			continue;
		}
		if (m == 0xDA || m == 0xD9)
			break;
		size_t len = be16(p + i + 2);
		if (len < 2 || len > n - i - 2)
			break;
		if (m == 0xE1) {
			int o = exif_orientation(p + i + 4, len - 2);
			if (o != 1)
				return o;
		}
		i += 2 + len;
	}
	return 1;
}

/* The number in attribute name="..." of the tag at t[0..n) (digits, optional "px"; a percentage
 * or another unit is no size), or 0. */
static unsigned long svg_attr(const char *t, size_t n, const char *name)
{
	size_t k = strlen(name);
	for (size_t i = 0; i + k + 2 < n; i++) {
		if ((t[i] != ' ' && t[i] != '\n' && t[i] != '\t' && t[i] != '\r') ||
		    memcmp(t + i + 1, name, k) || t[i + 1 + k] != '=' ||
		    (t[i + 2 + k] != '"' && t[i + 2 + k] != '\''))
			continue;
		unsigned long v = 0;
		size_t j = i + 3 + k, digits = 0;
		while (j < n && t[j] >= '0' && t[j] <= '9' && digits++ < 6)
			v = v * 10 + (unsigned long)(t[j++] - '0');
		if (j < n && t[j] == '.') /* a fraction: rounded up */
			for (v++, j++; j < n && t[j] >= '0' && t[j] <= '9';)
				j++;
		if (j + 1 < n && t[j] == 'p' && t[j + 1] == 'x')
			j += 2;
		return j < n && (t[j] == '"' || t[j] == '\'') ? v : 0;
	}
	return 0;
}

/* An SVG's size: the root element's width and height, else its viewBox's (quire's own files under
 * static/: uploads never take SVG). */
static int svg(const unsigned char *p, size_t n, int *w, int *h)
{
	const char *t = (const char *)p, *end = t + n, *open = NULL;
	for (const char *q = t; q + 4 < end; q++)
		if (!memcmp(q, "<svg", 4) && (q[4] == ' ' || q[4] == '\n' || q[4] == '\t' || q[4] == '\r')) {
			open = q;
			break;
		}
	const char *close = open ? memchr(open, '>', (size_t)(end - open)) : NULL;
	if (!close)
		return -1;
	size_t tn = (size_t)(close - open);
	unsigned long ww = svg_attr(open, tn, "width"), hh = svg_attr(open, tn, "height");
	if (ww && hh)
		return set(ww, hh, w, h);
	for (size_t i = 0; i + 10 < tn; i++) {
		double x, y, vw, vh;
		if (memcmp(open + i, " viewBox=\"", 10) != 0)
			continue;
		char box[96];
		const char *v = open + i + 10, *q = memchr(v, '"', tn - i - 10);
		size_t len = q ? (size_t)(q - v) : sizeof box;
		if (len >= sizeof box)
			return -1;
		memcpy(box, open + i + 10, len);
		box[len] = '\0';
		if (sscanf(box, "%lf %lf %lf %lf", &x, &y, &vw, &vh) != 4 ||
		    !(vw >= 1 && vw <= IMGSIZE_DIM_MAX) || !(vh >= 1 && vh <= IMGSIZE_DIM_MAX))
			return -1;
		return set((unsigned long)(vw + 0.5), (unsigned long)(vh + 0.5), w, h);
	}
	return -1;
}

int img_size(const unsigned char *p, size_t n, int *w, int *h)
{
	if (n >= 8 && !memcmp(p, "\x89PNG\r\n\x1a\n", 8))
		return png(p, n, w, h);
	if (n >= 6 && (!memcmp(p, "GIF87a", 6) || !memcmp(p, "GIF89a", 6)))
		return gif(p, n, w, h);
	if (n >= 12 && !memcmp(p, "RIFF", 4) && !memcmp(p + 8, "WEBP", 4))
		return webp(p, n, w, h);
	if (n >= 3 && p[0] == 0xFF && p[1] == 0xD8 && p[2] == 0xFF)
		return jpeg(p, n, w, h);
	return -1;
}

int img_size_svg(const unsigned char *p, size_t n, int *w, int *h)
{
	return svg(p, n, w, h);
}

int img_size_file(const char *path, int *w, int *h)
{
	const char *dot = strrchr(path, '.');
	bool is_svg = dot && !strcmp(dot, ".svg");
	FILE *f = fopen(path, "rb");
	if (!f)
		return -1;
	unsigned char *b = malloc(IMGSIZE_READ_MAX);
	int rc = -1;
	if (!b)
		goto out;
	/* the first bytes tell most files' size; a JPEG with a long EXIF needs more */
	size_t n = fread(b, 1, IMGSIZE_FIRST_READ, f);
	if (!ferror(f))
		rc = is_svg ? svg(b, n, w, h) : img_size(b, n, w, h);
	if (rc < 0 && n == IMGSIZE_FIRST_READ && b[0] == 0xFF) {
		n += fread(b + n, 1, IMGSIZE_READ_MAX - n, f);
		if (!ferror(f))
			rc = img_size(b, n, w, h);
	}
out:
	free(b);
	fclose(f);
	return rc;
}
