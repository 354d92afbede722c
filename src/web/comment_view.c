/* comment_view: display text for comments: dates, escaped URLs, anchors. */
#include "comment_view.h"

#include <string.h>

#include "post_view.h"
#include "text.h"
#include "timefmt.h"

#define ISO_DATE_LEN 10   /* "2026-11-25" */
#define ISO_MINUTE_LEN 16 /* "2026-11-25T14:30" */

void admin_date(time_t t, char out[TIME_BUFSZ])
{
	time_rfc3339(t, out);
	out[ISO_DATE_LEN] = ' ';
	out[ISO_MINUTE_LEN] = '\0';
}

void admin_comments_view(struct tlist *l, const struct admin_comment *c, long n)
{
	for (long i = 0; i < n; i++) {
		struct tobj *o = tlist_add(l);
		char b[TIME_BUFSZ];
		tset_int(o, "id", c[i].id);
		tset_str(o, "name", c[i].name);
		tset_str(o, "email", c[i].email);
		tset_str(o, "website", c[i].url);
		tset_str(o, "ip", c[i].ip);
		admin_date(c[i].created_at, b);
		tset_str(o, "date", b);
		tset_html(o, "body_html", c[i].body_html);
		tset_str(o, "post_title", c[i].post_title);
		tset_str(o, "post_url", slug_url(tobj_arena(o), "/posts/", c[i].post_slug));
		tset_bool(o, "is_reply", c[i].is_reply);
		if (strcmp(c[i].kind, "comment") != 0)
			tset_str(o, "kind", c[i].kind);
		char held[HELD_TEXT_MAX];
		comment_held_text(c[i].held_reason, c[i].held_detail, held, sizeof held);
		tset_str(o, "held", arena_strdup(tobj_arena(o), held));
		tset_str(o, "held_reason", c[i].held_reason);
	}
}

void comment_counts_view(struct tobj *ctx, const struct comment_counts *k)
{
	tset_int(ctx, "count_pending", k->pending);
	tset_int(ctx, "count_approved", k->approved);
	tset_int(ctx, "count_spam", k->spam);
	tset_int(ctx, "count_trash", k->trash);
	tset_int(ctx, "refused_today", k->refused_today);
}

void feed_comments_view(struct tlist *l, const struct feed_comment *c, long n, const char *base_url)
{
	struct buf u = BUF_INIT;
	for (long i = 0; i < n; i++) {
		struct tobj *o = tlist_add(l);
		/* the id keeps the form it always had (/posts/SLUG#comment-N, a page's too), so readers
		 * never see a comment twice; the link goes to where the comment is shown */
		buf_reset(&u);
		buf_adds(&u, base_url);
		buf_adds(&u, "/posts/");
		esc_url(&u, c[i].post_slug, strlen(c[i].post_slug));
		buf_addf(&u, "#comment-%lld", (long long)c[i].id);
		tset_str(o, "entry_id", buf_cstr(&u));
		buf_reset(&u);
		buf_adds(&u, base_url);
		const char *page = post_url(tobj_arena(o), c[i].post_slug, c[i].page_path);
		buf_adds(&u, page ? page : "/");
		size_t page_len = u.len;
		buf_addf(&u, "#comment-%lld", (long long)c[i].id);
		tset_str(o, "abs_url", buf_cstr(&u));
		if (u.p) /* the post's own address, for the comment's relative URLs */
			u.p[page_len] = '\0';
		tset_str(o, "title", c[i].post_title);
		tset_str(o, "author_name", c[i].author_name);
		char b[TIME_BUFSZ];
		time_rfc3339(c[i].created_at, b);
		tset_str(o, "date_iso", b);
		tset_str(o, "updated_iso", b);
		feed_html_set(o, "body_html_text", c[i].body_html, base_url, buf_cstr(&u));
	}
	buf_free(&u);
}
