/* frontmatter: the `---` delimited `key: value` header of a Markdown post file. */
#ifndef QUIRE_FRONTMATTER_H
#define QUIRE_FRONTMATTER_H
#include <stdbool.h>
#include <stddef.h>

#define FM_MAX_FILE (4 << 20)
#define FM_MAX_LINE 4096
#define TITLE_MAX 200 /* characters */
#define SLUG_MAX 120  /* bytes */
#define TAG_MAX 50    /* characters per tag */
#define TAGS_MAX 20   /* tags per post */

struct frontmatter {
	const char *title, *slug, *date, *updated, *tags, *author, *excerpt;
	int draft;  /* -1 unset, 0 false, 1 true */
	int sticky; /* pinned to the top of the home page: as draft */
	int notify; /* false: publishing mails no subscriber: as draft */
	const char *body;
	size_t body_len;
	char warning[256]; /* unknown keys are skipped and named here */
};

/* Parses text in place (it writes NULs into it). Returns 0, or -1 with "line N: reason". */
int fm_parse(char *text, size_t n, struct frontmatter *fm, char *err, size_t errsz);

/* Splits a comma-separated tag list into at most TAGS_MAX trimmed, non-empty tags
 * (in place); returns the count, or -1 with err for a bad tag. */
int fm_split_tags(char *tags, char *out[TAGS_MAX], char *err, size_t errsz);

#endif
