/* xml_import: what the WordPress (WXR) and Disqus importers share: streaming XML with expat,
 * element names with known namespaces turned into short prefixes (wp:, content:, dc:, dsq:),
 * and the saving of posts, comments and redirects, each item in one transaction. */
#ifndef QUIRE_XML_IMPORT_H
#define QUIRE_XML_IMPORT_H
#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "arena.h"
#include "buf.h"
#include "db.h"

#define XML_DEPTH_MAX 64
/* The most text one element may hold (a post body): an import keeps several copies of it (HTML,
 * Markdown, rendered HTML, SQLite's), so this bounds its memory. A longer element is measured, not
 * kept: xml_text_over() says so and the importer skips what it belongs to, naming it and its size. */
#define XML_TEXT_MAX (8 << 20)

struct xml_attr {
	char name[64];
	char value[128];
};

struct xml_reader;
typedef void (*xml_start_fn)(struct xml_reader *x, const char *name, const struct xml_attr *attrs, int n);
typedef void (*xml_end_fn)(struct xml_reader *x, const char *name, const char *text);

struct xml_reader {
	xml_start_fn start;
	xml_end_fn end;
	void *user;
	struct buf text;  /* the text of the innermost element so far, at most XML_TEXT_MAX bytes */
	size_t text_size; /* its whole length, counted on past XML_TEXT_MAX */
	int depth;
	char path[XML_DEPTH_MAX][48]; /* element names from the root down */
	bool show_progress;
};

/* Parses path, calling start/end per element (names as "wp:post_id", "item", "dsq:id").
 * -1 with "file:line: reason" in err on malformed XML or I/O errors. */
int xml_read_file(struct xml_reader *x, const char *path, char *err, size_t errsz);
/* True when the element just ended held more than XML_TEXT_MAX bytes of text: its text, as given
 * to end(), is cut, and x->text_size is the whole length. */
bool xml_text_over(const struct xml_reader *x);
/* True when the element enclosing the current one is named parent. */
bool xml_parent_is(const struct xml_reader *x, const char *parent);

/* --- saving --- */
#define IMPORT_TAGS_MAX 20 /* tags of one imported post */
struct import_post {
	long long wp_id; /* 0 when unknown */
	const char *title, *slug, *body_md, *excerpt, *author_name, *author_email, *legacy_path;
	time_t published_at; /* 0: unknown */
	time_t modified_at;  /* the source's last change of the content, 0: unknown (then: the import's) */
	const char *featured_image; /* "/media/NAME", or NULL: as stored */
	bool draft;
	bool slug_given;          /* the slug came from the source: a clash with another post is reported */
	bool sticky;              /* pinned to the top of the home page */
	const char *author_login; /* WordPress's login of the author (its /author/ address), or NULL */
	bool page;                /* a static page (WordPress's post_type "page") */
	long long menu_order;     /* a page's place in the header menu */
	char *tags[IMPORT_TAGS_MAX];
	char *tag_aliases[IMPORT_TAGS_MAX]; /* each tag's old address (WordPress's nicename), or NULL */
	int ntags;
};
struct import_comment {
	const char *key, *parent_key; /* import keys, unique per source */
	sqlite3_int64 post_id;
	const char *name, *email, *url, *body_md;
	time_t created_at;
	bool pending;     /* kept in the moderation queue, as on the old site */
	const char *kind; /* "pingback", "trackback"; NULL or "comment" for a comment */
};
struct import_stats {
	long posts_created, posts_updated, posts_skipped, comments_created, comments_known, comments_skipped;
	long posts_unchanged;               /* found already as imported, left alone (dates kept) */
	long posts_protected;               /* private or password-protected, imported as drafts */
	long posts_pending;                 /* pending review, imported as drafts */
	long slugs_renamed;                 /* a given slug held by another post: a new one chosen */
	long comments_pending;              /* of comments_created: in the moderation queue */
	long comments_spam, comments_trash; /* of comments_skipped */
	long pages;                         /* of posts_created + posts_updated: static pages */
	long pages_renamed; /* a page slug quire's own addresses use (or all digits): a new one chosen */
	long posts_too_big, comments_too_big; /* of the skipped: a text over XML_TEXT_MAX (listed) */
	long tags_dropped;                    /* too long or too many for quire (listed) */
	long slugs_changed; /* a given slug quire could not keep as it was: made anew (listed) */
};

/* Creates or updates one post with tags and its old address; returns the id or -1. A post is
 * matched by its WordPress id only, and never written over a post the import did not create: a
 * slug held by another post becomes SLUG-2, SLUG-3... A post already as p says is left alone. */
sqlite3_int64 import_save_post(struct db *d, const struct import_post *p, time_t now, struct import_stats *st,
                               char *err, size_t errsz);
/* Stores an approved or pending comment once (by key); 1 stored, 0 known already, -1 error. */
int import_save_comment(struct db *d, const struct import_comment *c, struct import_stats *st);
/* The post an old URL or path belongs to (/posts/SLUG, a legacy path, or a last segment slug); 0 if none. */
sqlite3_int64 import_find_post(struct db *d, const char *url);
/* The path of a URL without scheme, host, query and trailing slash ("/" stays "/"). */
void url_path(const char *url, char *out, size_t size);

#endif
