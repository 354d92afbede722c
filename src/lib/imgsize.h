/* imgsize: an image's width and height in pixels, read from its header (PNG, JPEG with its EXIF
 * orientation, GIF, WebP VP8/VP8L/VP8X), for the width and height attributes of <img>. */
#ifndef QUIRE_IMGSIZE_H
#define QUIRE_IMGSIZE_H
#include <stddef.h>

#define IMGSIZE_READ_MAX (256 * 1024) /* bytes of a file read for its header (JPEG EXIF may be long) */
#define IMGSIZE_FIRST_READ 4096       /* read first: enough for all but long JPEG headers */
#define IMGSIZE_DIM_MAX 65535         /* no format here describes more pixels in a side */

/* The displayed size of the image whose first n bytes are p (a JPEG rotated by its EXIF
 * orientation has its sides swapped): 0 with *w and *h set (each 1..IMGSIZE_DIM_MAX), or -1 when
 * the bytes are none of these formats or end before the size. */
int img_size(const unsigned char *p, size_t n, int *w, int *h);
/* The EXIF orientation (1..8) of the JPEG whose first n bytes are p: 1 when it has none, or is
 * not a JPEG. */
int img_orientation(const unsigned char *p, size_t n);
/* The size an SVG's root element gives (width and height in pixels, else its viewBox), for
 * quire's own files (never an upload): 0, or -1. */
int img_size_svg(const unsigned char *p, size_t n, int *w, int *h);
/* The same for the file at path (an SVG when its name ends in .svg) (its first IMGSIZE_READ_MAX bytes): 0, or
 * -1 (unreadable or unknown; not logged: the caller knows what the file was for). */
int img_size_file(const char *path, int *w, int *h);

#endif
