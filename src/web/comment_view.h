/* comment_view: comments outside the article (the moderation list, the counts, the feeds) as
 * template values. The article's comment section is comments_view. */
#ifndef QUIRE_COMMENT_VIEW_H
#define QUIRE_COMMENT_VIEW_H
#include "db_comments.h"
#include "timefmt.h"
#include "tmpl.h"

/* The moderation list's rows. */
void admin_comments_view(struct tlist *l, const struct admin_comment *c, long n);
/* count_pending, count_approved, count_spam, count_trash and refused_today into ctx. */
void comment_counts_view(struct tobj *ctx, const struct comment_counts *k);
/* The comment feed's entries, with absolute URLs under base_url. */
void feed_comments_view(struct tlist *l, const struct feed_comment *c, long n, const char *base_url);
/* "2026-11-25 14:30": a date and time to the minute, for the admin's lists. */
void admin_date(time_t t, char out[TIME_BUFSZ]);

#endif
