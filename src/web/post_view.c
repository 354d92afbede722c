/* post_view: the only place posts become display text (dates, labels, escaped URLs). */
#include "post_view.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "db_pages.h"
#include "db_media.h"
#include "html_rewrite.h"
#include "identicon.h"
#include "img_html.h"
#include "imgsize.h"
#include "log.h"
#include "media_file.h"
#include "site.h"
#include "text.h"
#include "timefmt.h"
#include "users.h"

#define RESPONSES_LABEL_MAX 64
#define MEDIA_PREFIX "/media/"
#define STATIC_PREFIX "/static/"
#define MEDIA_PATH_MAX 4096
/* the width an article's image takes: .wrap is 42rem (672 px) with 1.25rem padding each side
 * (static/quire.css) */
#define ARTICLE_IMG_SIZES "(max-width: 672px) calc(100vw - 40px), 632px"
#define PUBLISHER_LOGO "/static/apple-touch-icon.png" /* 180x180 (static/make_icons.py) */

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
	if (!p->is_page && p->reading_minutes > 0)
		tset_int(o, "reading_minutes", p->reading_minutes);
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

void feed_html_set(struct tobj *o, const char *key, const char *html, const char *base_url,
                   const char *page_url)
{
	struct buf h = BUF_INIT;
	struct html_rewrite_opts ro = {.base_url = base_url, .page_url = page_url};
	if (html_rewrite(html, strlen(html), &ro, &h) == 0) {
		tset_str(o, key, buf_cstr(&h));
	} else {
		/* out of memory: the HTML as stored, its relative URLs left to the reader */
		log_msg("feed: %s: could not make the URLs absolute", page_url);
		tset_str(o, key, html);
	}
	buf_free(&h);
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
		/* in the feed the body is text holding HTML: escaped once more by the template; its
		 * URLs absolute, since readers show it away from the site (and ignore xml:base) */
		feed_html_set(o, "body_html_text", p[i].body_html, base_url, buf_cstr(&u));
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

void author_photo_set(struct req *q, struct tobj *o, const char *email, int px)
{
	char name[MEDIA_NAME_MAX] = "";
	if (email && *email && user_photo_by_email(&q->w->db, email, name, sizeof name) < 0)
		name[0] = '\0'; /* the identicon stands in (logged by the query) */
	tset_str(o, "photo_url", name[0] ? arena_printf(q->a, "/media/%s", name) : NULL);
	tset_int(o, "photo_px", px);
}

struct tobj *author_view(struct req *q, const struct author *au, int px)
{
	struct tobj *o = tobj_new(q->a);
	tset_str(o, "name", au->name);
	tset_str(o, "slug", au->slug);
	url_set(o, "url", "/authors/", au->slug);
	tset_str(o, "bio", au->bio);
	avatar_set(q, o, au->email, NULL, px);
	author_photo_set(q, o, au->email, px);
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

/* The stored file an image address names under /media/ (on this site), or NULL: a plain name,
 * no folder, no dot first. */
static const char *media_name(const char *src, const char *base_url)
{
	size_t b = strlen(base_url);
	if (b && !strncmp(src, base_url, b))
		src += b;
	if (strncmp(src, MEDIA_PREFIX, strlen(MEDIA_PREFIX)))
		return NULL;
	const char *name = src + strlen(MEDIA_PREFIX);
	if (!*name || *name == '.' ||
	    strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") != strlen(name))
		return NULL;
	return name;
}

/* The size of one of quire's own images under /static/ (static/ beside the templates, as
 * installed and in the source tree): its path is checked segment by segment. */
static int static_img_size(const struct config *c, const char *src, int *w, int *h)
{
	const char *rel = src + strlen(STATIC_PREFIX);
	if (!*rel || strstr(rel, "..") || strstr(rel, "//") || *rel == '/' ||
	    strspn(rel, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-/") != strlen(rel))
		return -1;
	char path[MEDIA_PATH_MAX];
	if (snprintf(path, sizeof path, "%s/../static/%s", c->templates, rel) >= (int)sizeof path)
		return -1;
	return img_size_file(path, w, h);
}

int media_img_size(void *arg, const char *src, int *w, int *h)
{
	struct req *q = arg;
	const struct config *c = &q->w->site->cfg;
	if (!strncmp(src, STATIC_PREFIX, strlen(STATIC_PREFIX)))
		return static_img_size(c, src, w, h);
	const char *name = media_name(src, c->base_url);
	if (!name)
		return -1;
	int found = media_size_get(&q->w->db, name, w, h);
	if (found == 1)
		return 0;
	/* not recorded (stored before sql/017_meta.sql, or copied in by hand): its header */
	char path[MEDIA_PATH_MAX];
	if (!c->media_dir || snprintf(path, sizeof path, "%s/%s", c->media_dir, name) >= (int)sizeof path)
		return -1;
	return img_size_file(path, w, h);
}

/* An img_srcset_fn: the variants quire made of a /media/ image and the original, by width. */
static int media_img_srcset(void *arg, const char *src, struct buf *out)
{
	struct req *q = arg;
	const char *name = media_name(src, q->w->site->cfg.base_url);
	struct media_variant *v = NULL;
	int w, h;
	int n = name ? media_variants(&q->w->db, q->a, name, &v) : -1;
	if (n <= 0 || media_size_get(&q->w->db, name, &w, &h) != 1)
		return -1;
	for (int i = 0; i < n; i++)
		if (v[i].width < w)
			buf_addf(out, MEDIA_PREFIX "%s %dw, ", v[i].file, v[i].width);
	buf_addf(out, MEDIA_PREFIX "%s %dw", name, w);
	return 0;
}

/* addr as an absolute URL under base_url ("/x" and "x" are the site's, "//h/x" keeps its host). */
static char *absolute(struct arena *a, const char *base_url, const char *addr)
{
	if (!strncmp(addr, "https://", 8) || !strncmp(addr, "http://", 7))
		return arena_strdup(a, addr);
	if (!strncmp(addr, "//", 2))
		return arena_printf(a, "https:%s", addr);
	return arena_printf(a, "%s%s%s", base_url, *addr == '/' ? "" : "/", addr);
}

/* og:image (with its size when it is known) and the JSON-LD image: the chosen featured image,
 * else the body's first; none leaves the card a plain summary. */
static void image_set(struct req *q, struct tobj *ctx, struct tobj *ld, const struct post *p)
{
	const char *base = q->w->site->cfg.base_url;
	struct buf first = BUF_INIT;
	const char *img = p->featured_image && *p->featured_image    ? p->featured_image
	                  : img_html_first_src(p->body_html, &first) ? buf_cstr(&first)
	                                                             : NULL;
	if (img) {
		char *abs = absolute(q->a, base, img);
		int w, h;
		tset_str(ctx, "og_image", abs);
		tset_str(ld, "image", abs);
		if (media_img_size(q, img, &w, &h) == 0) {
			tset_int(ctx, "og_image_width", w);
			tset_int(ctx, "og_image_height", h);
		}
	}
	buf_free(&first);
}

/* The schema.org BlogPosting (WebPage for a page) that the layout writes as JSON-LD. */
static struct tobj *ld_of(struct req *q, struct tobj *post, const struct post *p)
{
	const struct config *c = &q->w->site->cfg;
	struct tobj *ld = tobj_new(q->a);
	tset_str(ld, "type", p->is_page ? "WebPage" : "BlogPosting");
	tset_str(ld, "headline", p->s.title);
	tset_str(ld, "description", p->s.excerpt);
	tset_str(ld, "url", absolute(q->a, c->base_url, tget_str(post, "url")));
	tset_str(ld, "published", tget_str(post, "date_iso"));
	tset_str(ld, "modified", tget_str(post, "updated_iso"));
	if (*p->s.author_name) {
		struct tobj *au = tobj_new(q->a);
		tset_str(au, "name", p->s.author_name);
		tset_str(au, "url",
		         absolute(q->a, c->base_url, slug_url(q->a, "/authors/", p->s.author_slug)));
		tset_obj(ld, "author", au);
	}
	tset_str(ld, "publisher", c->title);
	tset_str(ld, "logo", absolute(q->a, c->base_url, PUBLISHER_LOGO));
	return ld;
}

struct tobj *article_ctx(struct req *q, struct tobj *post, const struct post *p)
{
	struct tobj *ctx = page_ctx(q, tget_str(post, "title"));
	/* its excerpt; a post with no words to excerpt (only images) is still told apart */
	tset_str(ctx, "description",
	         *p->s.excerpt ? p->s.excerpt
	                       : arena_printf(q->a, "%s, on %s.", p->s.title, q->w->site->cfg.title));
	tset_obj(ctx, "post", post);
	avatar_set(q, post, p->author_email, NULL, 64);
	author_photo_set(q, post, p->author_email, 64);
	/* the body's images with their sizes (no layout shift), the first fetched at once */
	struct buf body = BUF_INIT;
	if (img_html_fix_srcset(p->body_html, &body, media_img_size, media_img_srcset, ARTICLE_IMG_SIZES, q,
	                        true) > 0)
		tset_html(post, "body_html", buf_cstr(&body));
	buf_free(&body);
	struct tobj *ld = ld_of(q, post, p);
	image_set(q, ctx, ld, p);
	tset_obj(ctx, "ld", ld);
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
