/* old_address: the addresses a WordPress site had (feeds, categories, tags, authors, a post's
 * permalink and its comment feed), answered with a 301 to their homes here or with a 404. */
#ifndef QUIRE_OLD_ADDRESS_H
#define QUIRE_OLD_ADDRESS_H
#include <stdbool.h>

#include "http.h"

/* A path no route knows, read as an old address: true after answering (301, or 404 for an old
 * category, tag or author that does not exist here), false when the path is none of them. */
bool old_address(struct req *q, struct resp *r);
/* WordPress's /?attachment_id=ID of an imported attachment: true after answering (301 to its
 * file under /media/, or 404 when the import kept no such file), false without that key. */
bool old_attachment_id(struct req *q, struct resp *r);
/* The slug of the published post an imported post's old path (no trailing slash) now lives at,
 * its %xx compared in either case: 1, 0 when path is no old address, -1 on error. */
int old_path_slug(struct req *q, const char *path, const char **slug);

#endif
