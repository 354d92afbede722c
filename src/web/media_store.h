/* media_store: one uploaded image kept: cleaned original, narrower variants, and its rows. */
#ifndef QUIRE_MEDIA_STORE_H
#define QUIRE_MEDIA_STORE_H
#include <stddef.h>

#include "handlers.h"
#include "db.h"
#include "tmpl.h"

#define MEDIA_MAX (5 * 1024 * 1024) /* bytes of one uploaded file */
#define MEDIA_ORIG_NAME_MAX 120     /* bytes of the uploaded file's name kept for display */

/* Stores the image p[0..n) uploaded as filename (may be NULL) by the request's user: 0 with
 * *name (arena) set, or -1 with *why a sentence for the uploader (a refusal or a failure,
 * logged). */
int media_keep(struct req *q, const char *filename, const unsigned char *p, size_t n, const char **name,
               const char **why);

#define MEDIA_PER_PAGE 48
#define MEDIA_ALT_MAX 300 /* characters of alt text */

/* Renders the library's page (h_admin_library.c) with ctx, which may already hold an upload's
 * results. */
void media_library_page(struct req *q, struct resp *r, struct tobj *ctx, long page);

#endif
