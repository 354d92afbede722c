/* image: uploaded images checked, cleaned of their location metadata, and scaled into the widths
 * of srcset with libgd (JPEG, PNG, WebP; a GIF is kept as it came, with all its frames). Pure
 * code: no database, no files. */
#ifndef QUIRE_IMAGE_H
#define QUIRE_IMAGE_H
#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

#define IMAGE_PIXELS_MAX (40L * 1000 * 1000) /* decoded at most: 160 MB of RGBA in the worker */
#define IMAGE_JPEG_QUALITY 82
#define IMAGE_WEBP_QUALITY 80
#define IMAGE_PNG_LEVEL 9
#define IMAGE_VARIANTS 4 /* the widths below */
#define IMAGE_VARIANT_NAME_MAX 80

/* The widths variants are made in (only those smaller than the original), narrowest first. */
extern const int image_widths[IMAGE_VARIANTS];

/* What an image's header says. */
struct image_info {
	const char *kind;  /* "jpg", "png", "gif", "webp" */
	int width, height; /* as displayed (a JPEG turned by its EXIF orientation has them swapped) */
	int orient;        /* EXIF orientation, 1..8 (1 for all but JPEG) */
};

/* Reads p's kind, size and orientation from its header, without decoding: 0, or -1 with *why a
 * sentence for the uploader (not an image quire takes, no size, more than IMAGE_PIXELS_MAX). */
int image_probe(const unsigned char *p, size_t n, struct image_info *info, const char **why);
/* Whether quire makes narrower variants of that kind (not of GIF: an animated one would lose its
 * frames). */
bool image_scalable(const char *kind);
/* The bytes to store for an original, into out: a JPEG without its APP1 (EXIF, XMP) and APP13
 * (IPTC: city, sublocation) segments (a comment stays), and with a minimal EXIF holding only the orientation
 * when that was not 1 (lossless: the pixels are not decoded); a PNG without eXIf and text chunks; a WebP
 * without EXIF and XMP chunks; a GIF as it is. 0, or -1 when the file's structure is broken. */
int image_clean(const unsigned char *p, size_t n, const struct image_info *info, struct buf *out);

struct image;
/* Decodes p (probed into info; a GIF's first frame), turned upright by its orientation: 0 with *im,
 * or -1 with *why. */
int image_decode(const unsigned char *p, size_t n, const struct image_info *info, struct image **im,
                 const char **why);
/* The decoded image's width and height in pixels. */
int image_width(const struct image *im);
int image_height(const struct image *im);
/* A copy of im scaled to width (less than its own; the height keeps the ratio; Lanczos 3): 0 with
 * *out (free it with image_free), or -1. Scaling a larger copy again is cheaper than scaling the
 * original and looks the same: media_variants.c goes from the widest copy down. */
int image_scaled(struct image *im, int width, struct image **out);
/* The centre square of im scaled to size x size (Lanczos 3), of kind JPEG if im is one and PNG
 * otherwise (transparency kept): 0 with *out, or -1. */
int image_square(struct image *im, int size, struct image **out);
/* "jpg", "png", "gif" or "webp": what image_encode writes. */
const char *image_kind(const struct image *im);
/* im encoded in its kind: 0 with *data (free it with image_data_free) and *len, or -1. */
int image_encode(struct image *im, void **data, size_t *len);
/* image_scaled then image_encode: 0 with *data, *len and *height, or -1. */
int image_encode_width(struct image *im, int width, void **data, size_t *len, int *height);
void image_data_free(void *data);
void image_free(struct image *im);
/* The variant's file name for original name and width: "NAME-480w.EXT" into out: 0, or -1 when the
 * name has no extension or does not fit. */
int image_variant_name(const char *name, int width, char *out, size_t outsz);

#endif
