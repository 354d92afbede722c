/* admin_view: the admin's post list and dashboard numbers as template values. */
#ifndef QUIRE_ADMIN_VIEW_H
#define QUIRE_ADMIN_VIEW_H
#include <time.h>

#include "db_admin.h"
#include "tmpl.h"

/* count_posts, count_drafts, count_scheduled, count_comments, count_subscribers into ctx. */
void admin_counts_view(struct tobj *ctx, const struct admin_counts *k);
/* The post list's rows, each with its status as the admin sees it at now. */
void admin_posts_view(struct tlist *l, const struct admin_post *p, long n, time_t now);

#endif
