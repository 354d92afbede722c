/* options: the site options an admin sets at /admin/settings (stored in the site_options table,
 * sql/021_site_settings.sql) over the INI file's values: their keys, what a valid value is, and
 * how they are laid over a struct config. */
#ifndef QUIRE_OPTIONS_H
#define QUIRE_OPTIONS_H
#include <stdbool.h>
#include <time.h>

#include "buf.h"
#include "config.h"

enum opt_key {
	OPT_TITLE,
	OPT_DESCRIPTION,
	OPT_LANGUAGE,
	OPT_POSTS_PER_PAGE,
	OPT_MODERATION,
	OPT_CLOSE_AFTER_DAYS,
	OPT_MAX_LINKS,
	OPT_DISALLOWED_WORDS,
	OPT_COMMENTS_PER_PAGE,
	OPT_POST_MAILS,
	OPT_COUNT
};

#define OPT_TITLE_MAX 200       /* characters */
#define OPT_DESCRIPTION_MAX 500 /* characters: a meta description, one line */
#define OPT_LANGUAGE_MAX 35     /* a BCP 47 tag (RFC 5646 advises 35 characters) */
#define OPT_WORDS_MAX 5000      /* characters of the disallowed words, as stored */
#define OPT_WORD_MAX 100        /* characters of one disallowed word */
#define OPT_DAYS_MAX 36500
#define OPT_LINKS_MAX 1000
#define OPT_COMMENTS_PER_PAGE_MAX 500
#define OPT_CHANGED_KEY "_changed"            /* a row that only keeps the time of the last removal */
#define OPT_VALUE_MAX (4 * OPT_WORDS_MAX + 1) /* bytes of a stored value, with its NUL */

struct opt_def {
	const char *key;   /* the row's key and the form field's name */
	const char *ini;   /* "site.title": the INI key giving the default; NULL: none (built in) */
	const char *label; /* for the audit trail */
};
extern const struct opt_def opt_defs[OPT_COUNT];

/* The options stored in the database: each value as stored (NULL: not set, the file's value
 * holds), and when the newest of them was set (0: none is). */
struct options {
	char *val[OPT_COUNT];
	time_t changed_at;
};

/* The key named name, or -1. */
int opt_find(const char *name);
/* Checks value (as typed in the form) for k and writes its stored form into out (trimmed; a
 * language tag in its canonical case; disallowed words one per comma, "a, b"). NULL when valid,
 * else the reason for the person who typed it. */
const char *opt_normalize(enum opt_key k, const char *value, struct buf *out);
/* The value c holds for k, in the stored form. */
void opt_of_config(const struct config *c, enum opt_key k, struct buf *out);
/* True when s is a well-formed BCP 47 language tag (language, script, region, variants,
 * extensions, private use: RFC 5646's syntax, not its registry). */
bool bcp47_valid(const char *s);

/* Stores a copy of value for the key name (an unknown key is ignored and logged); at counts
 * towards changed_at, OPT_CHANGED_KEY's too. 0, or -1 out of memory. */
int options_put(struct options *o, const char *name, const char *value, time_t at);
/* Lays o's values over c: string fields then point into o (o must outlive that use of c). A
 * stored value that is not valid (written by hand) is skipped with a log line: the file's holds. */
void options_apply(const struct options *o, struct config *c);
/* Whether new posts are mailed to subscribers (default on). */
bool options_post_mails(const struct options *o);
void options_free(struct options *o);

#endif
