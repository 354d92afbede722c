/* wxr: the WordPress importer's state while it reads an export, shared by import_wxr.c (items,
 * comments, saving) and wxr_terms.c (tags and categories, shortcodes kept as text, reusable
 * blocks). Private to src/import. */
#ifndef QUIRE_WXR_H
#define QUIRE_WXR_H
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "arena.h"
#include "db.h"
#include "import.h"
#include "import_batch.h"
#include "wxr_blocks.h"
#include "wxr_meta.h"
#include "xml_import.h"

#define WXR_AUTHORS 256
#define WXR_OFFSET_MAX (14 * 3600L) /* the widest UTC offset a time zone has */
#define WXR_PAGES_FIRST 16          /* room for pages' parents at first; grown by doubling */
#define WXR_COMMENTS_FIRST 64       /* room for a post's comments at first; grown by doubling, no cap */
#define WXR_TAG_CHARS 50            /* characters of a tag; a longer one is left out and named */

struct wxr_comment {
	char *id, *author, *email, *url, *date, *date_local, *content, *approved, *parent, *type;
};

#define WXR_SHORTCODES_LISTED 32 /* distinct shortcode names listed in the report */
#define WXR_SHORTCODE_NAME 32

struct wxr {
	struct db *db;
	time_t now;
	struct import_stats *st;
	/* media brought home (NULL: left where it was) */
	struct media_import *media;
	struct arena a; /* the current item's strings */
	struct {
		char login[64], name[128], email[256];
	} authors[WXR_AUTHORS];
	int nauthors;
	char a_login[64], a_name[128], a_email[256];
	/* the current item */
	char *title, *link, *creator, *content, *excerpt, *post_id, *date_gmt, *date, *name, *status, *type;
	char *password;
	char *wp_parent, *menu_order; /* a page's */
	/* WordPress's last change of the content; the wp:postmeta being read; its _thumbnail_id (the
	 * featured image's attachment) */
	char *modified_gmt, *modified, *meta_key, *meta_value, *thumbnail_id;
	/* the pages read, with their parents' WordPress ids: parents are set once all are in,
	 * since a child may come before its parent in the file */
	struct wxr_page {
		long long id, parent;
	} * pages;
	size_t npages, pages_cap;
	char *tags[IMPORT_TAGS_MAX];
	char *tag_aliases[IMPORT_TAGS_MAX]; /* each tag's WordPress nicename, or NULL */
	int ntags;
	char category_domain[32];
	struct wxr_comment *comments; /* the current item's, on the heap: a post may have any number */
	int ncomments, comments_cap;
	long comments_lost; /* the current item's comments that found no memory: counted as skipped */
	/* shortcodes html2md kept as text, listed at the end so the author can fix them by hand */
	struct {
		char name[WXR_SHORTCODE_NAME];
		long count;
	} kept[WXR_SHORTCODES_LISTED];
	int nkept;
	long kept_other; /* more distinct names than the list holds */
	struct wxr_comment cur;
	int failures;
	/* the old site's UTC offset, learned from items that carry both dates: drafts and pending
	 * posts carry only the local one (their GMT date is 0000-00-00) */
	long utc_offset;
	bool offset_known;
	/* categories, sticky posts, reusable blocks (wxr_meta.c, wxr_blocks.c) */
	struct wxr_cats cats;
	char c_nicename[128], c_parent[128], c_name[256];
	char category_nicename[128];
	char *sticky;
	struct wxr_blocks blocks;
	int pass;      /* 1, then 2 for the posts that named a block defined after them */
	long mentions; /* pingbacks and trackbacks kept */
	/* an element over XML_TEXT_MAX: the item (or comment) is skipped and named in the report */
	size_t item_over, comment_over;
	char item_over_what[48];
	struct import_batch batch; /* the open transaction: many items, each a savepoint */
};

/* A copy of s in the current item's arena (NULL when out of memory). */
char *wxr_dup(struct wxr *w, const char *s);
/* Counts the comments of a post that is not imported, so none is dropped unreported. */
void wxr_skip_comments(struct wxr *w);

/* wxr_terms.c */
/* html2md's callback: a shortcode met in a post, counted when quire does not convert it. */
void wxr_shortcode_seen(const char *name, void *arg);
/* Counts a shortcode kept as text in the post, by name, for the report. */
void wxr_shortcode_kept(struct wxr *w, const char *name);
/* Counts the [gallery] shortcodes still in a post's Markdown (those the media rewrite could not
 * turn into images). */
void wxr_galleries_kept(struct wxr *w, const char *md);
/* Logs the shortcodes kept as text, by name, with their counts. */
void wxr_shortcodes_report(const struct wxr *w);
/* A tag for the current item, once; one quire cannot keep (too long, too many) is named. */
void wxr_add_tag(struct wxr *w, char *t);
/* The current item's category's ancestors, as tags too. */
void wxr_add_ancestors(struct wxr *w);
/* A field of a channel-level wp:category, and the end of one. */
void wxr_category_field(struct wxr *w, const char *name, const char *text);
void wxr_category_keep(struct wxr *w);
/* Reusable blocks for the current item: true when it needs no saving now. */
bool wxr_blocks_item(struct wxr *w);

#endif
