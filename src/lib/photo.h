/* photo: an author's photo made from an upload: centre-cropped to a square, turned upright by its
 * EXIF orientation, resized, and written again without any metadata (libgd). */
#ifndef QUIRE_PHOTO_H
#define QUIRE_PHOTO_H
#include <stddef.h>

#include "buf.h"

#define PHOTO_SIZE 192                    /* pixels of a side of the stored photo */
#define PHOTO_BYTES_MAX (5 * 1024 * 1024) /* of an upload */
#define PHOTO_SIDE_MAX 4096               /* pixels asked for */

/* Makes a size x size photo of the PNG, JPEG, GIF or WebP image in[0..n) (told by its magic bytes):
 * a JPEG comes out as a JPEG, anything else as a PNG (transparency kept). 0 with out holding the
 * file and *ext "jpg" or "png", or -1 with a reason for a person in err. More than
 * IMAGE_PIXELS_MAX (image.h) is refused before decoding. */
int photo_square(const unsigned char *in, size_t n, int size, struct buf *out, const char **ext, char *err,
                 size_t errsz);

#endif
