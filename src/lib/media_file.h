/* media_file: the images quire keeps under media_dir (admin uploads and imported media): their
 * type told by their first bytes, and their storing under a fresh random name. */
#ifndef QUIRE_MEDIA_FILE_H
#define QUIRE_MEDIA_FILE_H
#include <stddef.h>

#define MEDIA_NAME_MAX 64 /* "32 hex digits.ext" and its NUL, with room */

/* The file extension for an image's first bytes ("png", "jpg", "gif", "webp"), or NULL when the
 * bytes are none of these (SVG and everything else are refused: an SVG may carry script). */
const char *media_image_kind(const unsigned char *p, size_t n);
/* Writes data to dir/NAME with a fresh random NAME (32 hex digits, '.', ext), created with mode
 * 0644 and never over an existing file: 0 with name set, or -1 (logged). */
int media_store(const char *dir, const void *data, size_t n, const char *ext, char name[MEDIA_NAME_MAX]);

#endif
