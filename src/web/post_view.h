/* post_view: posts, tags and authors (typed rows from db_posts) as template values. */
#ifndef QUIRE_POST_VIEW_H
#define QUIRE_POST_VIEW_H
#include "db_posts.h"
#include "http.h"
#include "tmpl.h"

/* prefix followed by slug, escaped for a URL ("/posts/", "/tags/", "/authors/"); NULL when out
 * of memory. */
char *slug_url(struct arena *a, const char *prefix, const char *slug);
/* The address of a post ("/posts/SLUG") or, when page_path is not empty, of a page
 * ("/about/team", each segment escaped); NULL when out of memory. */
char *post_url(struct arena *a, const char *slug, const char *page_path);
/* The address of the visible post or page with slug, looked up: "/posts/SLUG" for a post,
 * "/about/team" for a page. NULL on a database error (logged) or out of memory. */
char *post_location(struct req *q, const char *slug);
/* The values lists show of a post: id, slug, url, title, excerpt, dates, author, comment label,
 * tags. */
void post_summary_view(struct arena *a, struct tobj *o, const struct post_summary *p);
/* The values of an article: its summary, body, author bio, neighbours. */
struct tobj *post_view(struct arena *a, const struct post *p);
/* The feed's and the sitemap's entries, with absolute URLs under base_url. */
/* Sets key of o to html with every URL made absolute against page_url (a feed's content). */
void feed_html_set(struct tobj *o, const char *key, const char *html, const char *base_url,
                   const char *page_url);
void feed_posts_view(struct tlist *l, const struct feed_post *p, long n, const char *base_url);
struct tobj *tag_view(struct arena *a, const struct tag *t);
/* An author's page values, with the avatar of px pixels. */
struct tobj *author_view(struct req *q, const struct author *au, int px);
/* Sets avatar_svg in o: the identicon of email (or of nothing), named name, or decorative
 * (hidden from screen readers) when name is NULL: an avatar beside the name it stands for. */
void avatar_set(struct req *q, struct tobj *o, const char *email, const char *name, int px);
/* photo_url (NULL when none: the identicon shows) and photo_px of the author with that email. */
void author_photo_set(struct req *q, struct tobj *o, const char *email, int px);
/* The page context of an article p: its title, description, post values (post, from post_view)
 * and author avatar, its images' sizes, and what search engines and link previews read (og:image,
 * the JSON-LD BlogPosting in "ld"). */
struct tobj *article_ctx(struct req *q, struct tobj *post, const struct post *p);
/* An img_size_fn (img_html.h) for a request (arg: struct req *): the size of an image under
 * /media/, as recorded at upload or import, else read from the file. */
int media_img_size(void *arg, const char *src, int *w, int *h);
/* What the comment section needs of an article already loaded. */
struct post_brief post_brief_of(const struct post *p);
/* Adds dates to o: date (human), date_iso, updated_iso, updated_ymd. */
void dates_set(struct tobj *o, time_t published, time_t updated);

#endif
