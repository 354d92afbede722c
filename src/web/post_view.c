/* post_view: the only place posts become display text (dates, labels, escaped URLs). */
#include "post_view.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "db_pages.h"
#include "identicon.h"
#include "site.h"
#include "text.h"
#include "timefmt.h"

#define RESPONSES_LABEL_MAX 64

char *slug_url(struct arena *a, const char *prefix, const char *slug)
{
	struct buf u = BUF_INIT;
	buf_adds(&u, prefix);
	esc_url(&u, slug, strlen(slug));
	char *s = arena_strdup(a, buf_cstr(&u));
	buf_free(&u);
	return s;
}

/* "/" and each segment of path escaped, the slashes kept: "about/team" -> "/about/team". */
static void page_path_add(struct buf *u, const char *path)
{
	for (const char *p = path; *p;) {
		const char *e = strchr(p, '/');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		buf_addc(u, '/');
		esc_url(u, p, n);
		p += n;
		if (*p)
			p++;
	}
}

char *post_url(struct arena *a, const char *slug, const char *page_path)
{
	if (!page_path || !*page_path)
		return slug_url(a, "/posts/", slug);
	struct buf u = BUF_INIT;
	page_path_add(&u, page_path);
	char *s = arena_strdup(a, buf_cstr(&u));
	buf_free(&u);
	return s;
}

static void url_set(struct tobj *o, const char *key, const char *prefix, const char *slug)
{
	tset_str(o, key, slug_url(tobj_arena(o), prefix, slug));
}

void dates_set(struct tobj *o, time_t published, time_t updated)
{
	char b[TIME_BUFSZ];
	time_t last = updated > published ? updated : published;
	time_human(published, b);
	tset_str(o, "date", b);
	time_rfc3339(published, b);
	tset_str(o, "date_iso", b);
	time_rfc3339(last, b);
	tset_str(o, "updated_iso", b);
	time_ymd(last, b);
	tset_str(o, "updated_ymd", b);
}

static void responses_set(struct tobj *o, long long n)
{
	char label[RESPONSES_LABEL_MAX];
	if (n == 0)
		snprintf(label, sizeof label, "No responses yet");
	else
		snprintf(label, sizeof label, "%lld Response%s", n, n == 1 ? "" : "s");
	tset_int(o, "comment_count", n);
	tset_str(o, "comment_label", label);
}

void post_summary_view(struct arena *a, struct tobj *o, const struct post_summary *p)
{
	tset_int(o, "id", p->id);
	tset_str(o, "slug", p->slug);
	url_set(o, "url", "/posts/", p->slug);
	tset_str(o, "title", p->title);
	tset_str(o, "excerpt", p->excerpt);
	dates_set(o, p->published_at, p->updated_at);
	if (*p->author_name) {
		struct tobj *au = tobj_new(a);
		tset_str(au, "name", p->author_name);
		url_set(au, "url", "/authors/", p->author_slug);
		tset_obj(o, "author", au);
	}
	responses_set(o, p->comment_count);
	struct tlist *l = tset_list(o, "tags");
	for (int i = 0; i < p->ntags; i++) {
		struct tobj *t = tlist_add(l);
		tset_str(t, "name", p->tags[i].name);
		url_set(t, "url", "/tags/", p->tags[i].slug);
	}
}

static void link_set(struct arena *a, struct tobj *post, const char *key, const struct post_link *l)
{
	if (!l->slug)
		return;
	struct tobj *o = tobj_new(a);
	tset_str(o, "title", l->title);
	url_set(o, "url", "/posts/", l->slug);
	tset_obj(post, key, o);
}

struct tobj *post_view(struct arena *a, const struct post *p)
{
	struct tobj *o = tobj_new(a);
	post_summary_view(a, o, &p->s);
	tset_html(o, "body_html", p->body_html);
	tset_str(o, "author_bio", p->author_bio);
	tset_int(o, "comments_closed", p->comments_closed);
	tset_int(o, "published_at", p->s.published_at);
	link_set(a, o, "prev", &p->prev);
	link_set(a, o, "next", &p->next);
	/* where its comments are posted and fed, a page's too: /posts/SLUG/comments(.atom) */
	url_set(o, "post_base", "/posts/", p->s.slug);
	if (p->is_page) {
		tset_bool(o, "is_page", true);
		tset_str(o, "url", post_url(a, p->s.slug, p->page_path));
	} else {
		/* the date links to its month's archive */
		struct tm tm;
		time_t t = p->s.published_at;
		if (gmtime_r(&t, &tm))
			tset_str(o, "month_url",
			         arena_printf(a, "/%04d/%02d", tm.tm_year + 1900, tm.tm_mon + 1));
	}
	return o;
}

void feed_posts_view(struct tlist *l, const struct feed_post *p, long n, const char *base_url)
{
	struct buf u = BUF_INIT;
	for (long i = 0; i < n; i++) {
		struct tobj *o = tlist_add(l);
		buf_reset(&u);
		buf_adds(&u, base_url);
		if (*p[i].page_path) {
			page_path_add(&u, p[i].page_path);
		} else {
			buf_adds(&u, "/posts/");
			esc_url(&u, p[i].slug, strlen(p[i].slug));
		}
		tset_str(o, "abs_url", buf_cstr(&u));
		tset_str(o, "title", p[i].title);
		tset_str(o, "excerpt", p[i].excerpt);
		dates_set(o, p[i].published_at, p[i].updated_at);
		/* in the feed the body is text holding HTML: escaped once more by the template */
		tset_str(o, "body_html_text", p[i].body_html);
		tset_str(o, "author_name", p[i].author_name);
	}
	buf_free(&u);
}

struct tobj *tag_view(struct arena *a, const struct tag *t)
{
	struct tobj *o = tobj_new(a);
	tset_str(o, "name", t->name);
	url_set(o, "url", "/tags/", t->slug);
	return o;
}

void avatar_set(struct req *q, struct tobj *o, const char *email, const char *name, int px)
{
	struct buf svg = BUF_INIT;
	identicon_svg(&svg, q->w->site->identicon_key, email ? email : "", px, name);
	tset_html(o, "avatar_svg", buf_cstr(&svg));
	buf_free(&svg);
}

struct tobj *author_view(struct req *q, const struct author *au, int px)
{
	struct tobj *o = tobj_new(q->a);
	tset_str(o, "name", au->name);
	tset_str(o, "slug", au->slug);
	url_set(o, "url", "/authors/", au->slug);
	tset_str(o, "bio", au->bio);
	avatar_set(q, o, au->email, NULL, px);
	return o;
}

struct post_brief post_brief_of(const struct post *p)
{
	return (struct post_brief){.id = p->s.id,
	                           .slug = p->s.slug,
	                           .title = p->s.title,
	                           .published_at = p->s.published_at,
	                           .comments_closed = p->comments_closed,
	                           .page_path = p->page_path};
}

struct tobj *article_ctx(struct req *q, struct tobj *post, const char *author_email)
{
	struct tobj *ctx = page_ctx(q, tget_str(post, "title"));
	tset_str(ctx, "description", tget_str(post, "excerpt"));
	tset_obj(ctx, "post", post);
	avatar_set(q, post, author_email, NULL, 64);
	return ctx;
}

char *post_location(struct req *q, const char *slug)
{
	const char *path = NULL;
	int found = page_path(&q->w->db, q->now, slug, q->a, &path);
	if (found < 0)
		return NULL;
	return post_url(q->a, slug, found ? path : NULL);
}
