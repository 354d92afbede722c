/* media_file: the images quire keeps under media_dir (admin uploads and imported media): their
 * type told by their first bytes, and their storing under a fresh random name. */
#ifndef QUIRE_MEDIA_FILE_H
#define QUIRE_MEDIA_FILE_H
#include <stdbool.h>
#include <stddef.h>

#define MEDIA_NAME_MAX 64 /* "32 hex digits.ext" and its NUL, with room */

/* The file extension for an image's first bytes ("png", "jpg", "gif", "webp"), or NULL when the
 * bytes are none of these (SVG and everything else are refused: an SVG may carry script). */
const char *media_image_kind(const unsigned char *p, size_t n);
/* Writes data to dir/NAME with a fresh random NAME (32 hex digits, '.', ext), created with mode
 * 0644 and never over an existing file: 0 with name set, or -1 (logged). */
int media_store(const char *dir, const void *data, size_t n, const char *ext, char name[MEDIA_NAME_MAX]);

/* The MIME type of a kind media_image_kind gave ("jpg" -> "image/jpeg"). */
const char *media_mime(const char *kind);
/* Writes data to dir/name (a safe name, see below), never over an existing file: 0, or -1
 * (logged; errno EEXIST when it was there). */
int media_store_as(const char *dir, const char *name, const void *data, size_t n);
/* Whether name is a plain file name quire may join to media_dir: letters, digits, '.', '_', '-',
 * not starting with '.', no "..", no '/'. */
bool media_name_safe(const char *name);
/* Whether name has the shape of a file media_store wrote (32 hex digits and an image extension),
 * or of one of its variants (NAME-480w.EXT). */
bool media_name_ours(const char *name);
/* Removes dir/name (a safe name; already gone is fine): 0, or -1 (logged). */
int media_unlink(const char *dir, const char *name);

#endif
