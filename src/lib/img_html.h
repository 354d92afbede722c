/* img_html: the <img> tags of rendered HTML (a post's body, written by cmark or by quire's
 * figures) given width and height from their files, and loading="lazy" on all but a page's
 * first image, which the browser should fetch at once (it is often the largest paint). */
#ifndef QUIRE_IMG_HTML_H
#define QUIRE_IMG_HTML_H
#include <stdbool.h>

#include "buf.h"

/* The size of the image at src (the attribute as written, HTML-escaped): 0 with *w, *h set, or -1
 * when unknown (then the tag gets no size). */
typedef int (*img_size_fn)(void *arg, const char *src, int *w, int *h);

/* The srcset of the image at src (the attribute as written): "URL 480w, URL 800w, ..." appended
 * to out, 0; or -1 when it has none (then the tag gets no srcset or sizes). */
typedef int (*img_srcset_fn)(void *arg, const char *src, struct buf *out);

/* As img_html_fix, and each <img> without a srcset also given the one srcset_of knows, with
 * sizes="sizes" (the width the image takes in the layout). */
int img_html_fix_srcset(const char *html, struct buf *out, img_size_fn size_of, img_srcset_fn srcset_of,
                        const char *sizes, void *arg, bool first_eager);
/* Copies html to out with each <img> that has no width given the size size_of knows, and every
 * image lazy except the first when first_eager. The number of images; -1 when out of memory. */
int img_html_fix(const char *html, struct buf *out, img_size_fn size_of, void *arg, bool first_eager);
/* The src of the first <img> of html, HTML entities of it decoded (&amp; only: cmark writes no
 * other in a URL), into out; false when there is none. */
bool img_html_first_src(const char *html, struct buf *out);

#endif
