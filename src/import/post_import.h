/* post_import: saving a post (from a Markdown file today, from the admin later) with its tags. */
#ifndef QUIRE_POST_IMPORT_H
#define QUIRE_POST_IMPORT_H
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "db.h"
#include "frontmatter.h"

struct post_in {
	const char *title;
	const char *slug; /* NULL or "": made from the title */
	const char *body_md;
	size_t body_len;
	const char *excerpt; /* NULL or "": made from the body */
	const char *author;  /* a user's name, or NULL */
	bool has_date;
	time_t published_at;
	time_t modified_at; /* front matter `updated`: the content's last change; 0 unknown */
	bool draft;
	int sticky; /* -1: as stored (unpinned when new), 0 unpinned, 1 pinned to the home page */
	int notify; /* -1: as stored (mailed when new), 0 subscribers not mailed, 1 mailed */
	char *tags[TAGS_MAX];
	int ntags;
};

enum post_saved { POST_CREATED, POST_UPDATED };

/* Creates the post, or updates the one with the same slug, in one transaction.
 * Returns POST_CREATED / POST_UPDATED and the final slug in slug_out, or -1 with err. */
int post_save(struct db *d, const struct post_in *p, time_t now, char *slug_out, size_t slugsz, char *err,
              size_t errsz);
/* Reads a Markdown file with front matter and saves it; prints nothing; -1 with err. */
int post_import_file(struct db *d, const char *path, time_t now, enum post_saved *what, char *slug_out,
                     size_t slugsz, char *warn, size_t warnsz, char *err, size_t errsz);

#endif
