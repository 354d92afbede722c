/* media_fill: the media library filled from media_dir at start. */
#ifndef QUIRE_MEDIA_FILL_H
#define QUIRE_MEDIA_FILL_H

#include "db.h"

/* At start: a media row for each image under dir that has none (uploads before the library,
 * imports, files copied in), without variants (quire media resize makes them), and the posts'
 * uses of media once after sql/022. Logged; never fatal. */
void media_library_fill(const char *dir, struct db *d);

#endif
