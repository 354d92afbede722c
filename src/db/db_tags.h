/* db_tags: the tags of a post. */
#ifndef QUIRE_DB_TAGS_H
#define QUIRE_DB_TAGS_H

#define TAG_SLUG_MAX 60 /* characters of a tag's slug */

#include "db.h"

/* Replaces the tags of post with tags[0..ntags) (creating tags as needed); inside the caller's
 * transaction. -1 on error. */
int post_set_tags(struct db *d, sqlite3_int64 post, char *const *tags, int ntags);

#endif
