/* db_tags: the tags of a post. */
#ifndef QUIRE_DB_TAGS_H
#define QUIRE_DB_TAGS_H

#define TAG_SLUG_MAX 60 /* characters of a tag's slug */

#include <time.h>

#include "arena.h"
#include "db.h"

#define TAGS_INDEX_MAX 5000 /* tags listed on /tags */

/* A tag with the number of posts readers can see under it. */
struct tag_count {
	const char *name, *slug;
	long posts;
};

/* Replaces the tags of post with tags[0..ntags) (creating tags as needed); inside the caller's
 * transaction. -1 on error. */
int post_set_tags(struct db *d, sqlite3_int64 post, char *const *tags, int ntags);
/* Keeps old_slug (an imported tag's WordPress address) as leading to the tag whose slug is slug;
 * the first import's alias stays. -1 on error. */
int db_tag_alias_set(struct db *d, const char *old_slug, const char *slug);
/* Every tag with at least one visible post at now, by name (case-insensitive), up to
 * TAGS_INDEX_MAX, into *out (arena). Returns how many, or -1. */
long tags_index(struct db *d, time_t now, struct arena *a, struct tag_count **out);

#endif
