/* media_variants: the narrower copies of a stored image (NAME-480w.EXT beside it, for srcset),
 * written with image.c; the caller records them (no database here). */
#ifndef QUIRE_MEDIA_VARIANTS_H
#define QUIRE_MEDIA_VARIANTS_H
#include <stddef.h>

#include "image.h"

/* Called for each variant written: 0, or -1 to stop. */
typedef int (*media_variant_fn)(void *arg, int width, int height, const char *file);
/* Whether the variant of that width is already recorded (it is then not written again). */
typedef int (*media_have_fn)(void *arg, int width);

/* Writes the variants of dir/name (its bytes p[0..n), probed into info) for each width of
 * image_widths below the image's own that have() does not already know (have may be NULL), and
 * calls done() for each. A file of a variant's name that is already there and not known is left
 * alone (it is not quire's). The number written, or -1 (logged; the ones written before stay). */
int media_variants_make(const char *dir, const char *name, const unsigned char *p, size_t n,
                        const struct image_info *info, media_have_fn have, media_variant_fn done, void *arg);

#endif
