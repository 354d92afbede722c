/* admin_view: display text of the admin's lists (statuses, dates to the minute, URLs). */
#include "admin_view.h"

#include <string.h>

#include "comment_view.h"
#include "post_view.h"
#include "timefmt.h"

void admin_counts_view(struct tobj *ctx, const struct admin_counts *k)
{
	tset_int(ctx, "count_posts", k->posts);
	tset_int(ctx, "count_drafts", k->drafts);
	tset_int(ctx, "count_scheduled", k->scheduled);
	tset_int(ctx, "count_comments", k->comments_pending);
	tset_int(ctx, "count_subscribers", k->subscribers);
	/* "1 draft", "2 drafts": the cards' nouns agree with their numbers */
	tset_str(ctx, "s_posts", k->posts == 1 ? "" : "s");
	tset_str(ctx, "s_drafts", k->drafts == 1 ? "" : "s");
	tset_str(ctx, "s_comments", k->comments_pending == 1 ? "" : "s");
	tset_str(ctx, "s_subscribers", k->subscribers == 1 ? "" : "s");
}

void admin_posts_view(struct tlist *l, const struct admin_post *p, long n, time_t now)
{
	for (long i = 0; i < n; i++) {
		struct tobj *o = tlist_add(l);
		const char *status = !p[i].published           ? "draft"
		                     : p[i].published_at > now ? "scheduled"
		                                               : "published";
		char b[TIME_BUFSZ] = "—";
		if (p[i].published_at)
			admin_date(p[i].published_at, b);
		tset_int(o, "id", p[i].id);
		tset_str(o, "title", p[i].title);
		tset_str(o, "slug", p[i].slug);
		tset_str(o, "status", status);
		tset_bool(o, "is_published", strcmp(status, "published") == 0);
		tset_str(o, "date", b);
		tset_str(o, "author", p[i].author_name);
		tset_bool(o, "sticky", p[i].sticky);
		tset_bool(o, "is_page", p[i].is_page);
		tset_bool(o, "no_email", p[i].no_email);
		tset_str(o, "url", slug_url(tobj_arena(o), "/posts/", p[i].slug));
	}
}
