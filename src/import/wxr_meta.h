/* wxr_meta: what a WordPress export says besides a post's text: the category tree (flattened into
 * tags), term names as WordPress stores them (HTML-escaped), author nicenames, comment kinds. */
#ifndef QUIRE_WXR_META_H
#define QUIRE_WXR_META_H
#include <stdbool.h>
#include <stddef.h>

#define WXR_CATEGORY_DEPTH 16   /* ancestors followed from one category (a loop stops here too) */
#define WXR_HIERARCHY_LISTED 10 /* nested categories named in the report */
#define WXR_NICENAME_MAX 50     /* WordPress cuts user_nicename at 50 characters */
#define WXR_DEFAULT_CATEGORY "Uncategorized" /* WordPress's default category: no tag */

struct wxr_cat {
	char *nicename, *parent, *name; /* parent "" at the top */
};
struct wxr_cats {
	struct wxr_cat *v;
	size_t n, cap;
};

/* Decodes, in place, the entities WordPress's escaping writes into names (&amp; &lt; &gt; &quot;
 * &#39; &#NNN; &#xHH;, and the typographic ones of page titles: &raquo; &ndash; ...), so "Tom &amp; Jerry" is
 * stored as "Tom & Jerry" and escaped once, on output. Anything else (an unknown entity, a bare &) stays as
 * written. */
void wxr_name_decode(char *s);
/* WordPress's user_nicename made from a login (its /author/NICENAME/ address): lowercase, '.' and
 * spaces as '-', other characters than [a-z0-9_-] dropped, dashes collapsed and trimmed. */
void wxr_nicename(const char *login, char *out, size_t size);
/* "pingback" or "trackback" for those wp:comment_type values, else "comment". */
const char *wxr_comment_kind(const char *type);

/* Keeps a channel-level <wp:category> (copies the strings); 0, or -1 out of memory. */
int wxr_cats_add(struct wxr_cats *c, const char *nicename, const char *parent, const char *name);
/* The names of the ancestors of the category nicename, nearest first, at most max (and
 * WXR_CATEGORY_DEPTH); the count. */
int wxr_cats_ancestors(const struct wxr_cats *c, const char *nicename, const char **out, int max);
/* Logs "categories: N flattened into tags (hierarchy: Travel > Japan, ...)" when there are any. */
void wxr_cats_report(const struct wxr_cats *c);
void wxr_cats_free(struct wxr_cats *c);

#endif
