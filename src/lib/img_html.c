/* img_html: width, height and loading on the <img> tags of HTML that quire wrote. */
#include "img_html.h"

#include <string.h>

#define IMG_SRC_MAX 2048 /* characters of a src looked at for its size */
#define LAZY_ATTR " loading=\"lazy\""

/* The value of attribute name (with its leading space and '="') inside tag[0..n), or NULL. */
static const char *attr(const char *tag, size_t n, const char *name, size_t *len)
{
	size_t k = strlen(name);
	for (const char *p = tag; p + k < tag + n; p++) {
		if (memcmp(p, name, k) != 0)
			continue;
		const char *v = p + k, *e = memchr(v, '"', (size_t)(tag + n - v));
		if (!e)
			return NULL;
		*len = (size_t)(e - v);
		return v;
	}
	return NULL;
}

int img_html_fix(const char *html, struct buf *out, img_size_fn size_of, void *arg, bool first_eager)
{
	return img_html_fix_srcset(html, out, size_of, NULL, NULL, arg, first_eager);
}

int img_html_fix_srcset(const char *html, struct buf *out, img_size_fn size_of, img_srcset_fn srcset_of,
                        const char *sizes, void *arg, bool first_eager)
{
	int count = 0;
	const char *p = html;
	for (;;) {
		const char *t = strstr(p, "<img ");
		if (!t) {
			buf_adds(out, p);
			break;
		}
		const char *end = strchr(t, '>');
		if (!end) {
			buf_adds(out, p);
			break;
		}
		buf_add(out, p, (size_t)(t - p));
		size_t n = (size_t)(end - t);
		bool selfclose = n && end[-1] == '/';
		size_t body = selfclose ? n - 1 : n;
		while (body && t[body - 1] == ' ')
			body--;
		/* the tag without its ending and without a loading attribute */
		const char *lazy = NULL;
		for (const char *q = t; q + strlen(LAZY_ATTR) <= t + body; q++)
			if (!memcmp(q, LAZY_ATTR, strlen(LAZY_ATTR))) {
				lazy = q;
				break;
			}
		if (lazy) {
			buf_add(out, t, (size_t)(lazy - t));
			buf_add(out, lazy + strlen(LAZY_ATTR), (size_t)(t + body - lazy - strlen(LAZY_ATTR)));
		} else {
			buf_add(out, t, body);
		}
		size_t srclen = 0, wl = 0;
		const char *src = attr(t, body, " src=\"", &srclen);
		int w, h;
		if (src && srclen < IMG_SRC_MAX && !attr(t, body, " width=\"", &wl)) {
			char s[IMG_SRC_MAX];
			memcpy(s, src, srclen);
			s[srclen] = '\0';
			if (size_of(arg, s, &w, &h) == 0)
				buf_addf(out, " width=\"%d\" height=\"%d\"", w, h);
		}
		size_t sl = 0;
		if (srcset_of && src && srclen < IMG_SRC_MAX && !attr(t, body, " srcset=\"", &sl)) {
			char s[IMG_SRC_MAX];
			memcpy(s, src, srclen);
			s[srclen] = '\0';
			size_t mark = out->len;
			buf_adds(out, " srcset=\"");
			if (srcset_of(arg, s, out) == 0) {
				buf_addf(out, "\" sizes=\"%s\"", sizes ? sizes : "100vw");
			} else {
				out->len = mark; /* none: the tag as it was */
				if (out->p)
					out->p[mark] = '\0';
			}
		}
		if (count > 0 || !first_eager)
			buf_adds(out, LAZY_ATTR);
		buf_adds(out, selfclose ? " />" : ">");
		count++;
		p = end + 1;
	}
	return out->oom ? -1 : count;
}

bool img_html_first_src(const char *html, struct buf *out)
{
	const char *t = html ? strstr(html, "<img ") : NULL;
	const char *end = t ? strchr(t, '>') : NULL;
	size_t len = 0;
	const char *src = end ? attr(t, (size_t)(end - t), " src=\"", &len) : NULL;
	if (!src || !len)
		return false;
	for (size_t i = 0; i < len; i++) {
		if (!strncmp(src + i, "&amp;", 5) && i + 5 <= len) {
			buf_addc(out, '&');
			i += 4;
		} else {
			buf_addc(out, src[i]);
		}
	}
	return !out->oom;
}
