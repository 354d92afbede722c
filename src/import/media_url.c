/* media_url: URL helpers of the media import; no I/O. */
#include "media_url.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "mime.h"
#include "text.h"

#define MEDIA_HOST_MAX 256

static const char *const IMAGE_EXTS[] = {".jpg", ".jpeg", ".png", ".gif", ".webp"};

static size_t scheme_len(const char *s)
{
	if (strncasecmp(s, "http://", 7) == 0)
		return 7;
	if (strncasecmp(s, "https://", 8) == 0)
		return 8;
	return 0;
}

size_t media_url_len(const char *s)
{
	size_t sl = scheme_len(s);
	if (!sl)
		return 0;
	size_t n = sl + strcspn(s + sl, " \t\r\n\"'<>()[]\\`");
	return n > sl ? n : 0;
}

size_t media_url_key_len(const char *url, size_t n)
{
	size_t k = 0;
	while (k < n && url[k] != '?' && url[k] != '#')
		k++;
	return k;
}

/* Where url's path starts (after scheme and host), or NULL when url is not http(s). */
static const char *path_of(const char *url)
{
	size_t sl = scheme_len(url);
	if (!sl)
		return NULL;
	const char *p = url + sl + strcspn(url + sl, "/?#");
	return *p == '/' ? p : NULL;
}

/* h without a leading "www.": example.org and www.example.org are one site. */
static const char *bare(const char *h)
{
	return strncmp(h, "www.", 4) == 0 ? h + 4 : h;
}

bool media_url_wanted(const char *url, const char *old_host)
{
	char host[MEDIA_HOST_MAX];
	const char *path = path_of(url);
	if (!path || !*old_host || strlen(url) >= MEDIA_URL_MAX)
		return false;
	mime_url_host(url, host, sizeof host);
	if (strcmp(bare(host), bare(old_host)) != 0)
		return false;
	size_t n = media_url_key_len(path, strlen(path));
	if (text_find(path, n, MEDIA_UPLOADS))
		return true;
	for (size_t i = 0; i < sizeof IMAGE_EXTS / sizeof IMAGE_EXTS[0]; i++) {
		size_t e = strlen(IMAGE_EXTS[i]);
		if (n > e && strncasecmp(path + n - e, IMAGE_EXTS[i], e) == 0)
			return true;
	}
	return false;
}

int media_uploads_rel(const char *url, char *out, size_t outsz)
{
	const char *path = path_of(url);
	if (!path)
		return -1;
	size_t n = media_url_key_len(path, strlen(path));
	const char *u = text_find(path, n, MEDIA_UPLOADS);
	if (!u)
		return -1;
	u += strlen(MEDIA_UPLOADS);
	size_t rn = (size_t)(path + n - u);
	if (rn == 0 || rn >= outsz)
		return -1;
	long dn = url_decode(out, u, rn, false);
	if (dn <= 0 || has_control(out, (size_t)dn) || strchr(out, '\\'))
		return -1;
	/* every segment a plain name: nothing that climbs, nothing absolute */
	for (const char *s = out;;) {
		size_t sn = strcspn(s, "/");
		if (sn == 0 || (sn == 1 && s[0] == '.') || (sn == 2 && s[0] == '.' && s[1] == '.'))
			return -1;
		if (!s[sn])
			break;
		s += sn + 1;
	}
	return 0;
}

bool media_variant_original(const char *url, char *out, size_t outsz)
{
	size_t n = media_url_key_len(url, strlen(url));
	const char *dot = NULL;
	for (size_t i = n; i > 0; i--) {
		if (url[i - 1] == '/')
			break;
		if (url[i - 1] == '.') {
			dot = url + i - 1;
			break;
		}
	}
	if (!dot)
		return false;
	/* back from the dot: digits, 'x', digits, '-' */
	const char *p = dot, *start = url;
	size_t h = 0, w = 0;
	while (p > start && isdigit((unsigned char)p[-1]))
		p--, h++;
	if (!h || p == start || p[-1] != 'x')
		return false;
	p--;
	while (p > start && isdigit((unsigned char)p[-1]))
		p--, w++;
	if (!w || p == start || p[-1] != '-' || p - 1 == start || p[-2] == '/')
		return false;
	p--;
	size_t head = (size_t)(p - url), tail = n - (size_t)(dot - url);
	if (head + tail >= outsz)
		return false;
	memcpy(out, url, head);
	memcpy(out + head, dot, tail);
	out[head + tail] = '\0';
	return true;
}

/* The last path segment of the URL (n bytes at u), as Markdown link text. */
static void link_name(struct buf *out, const char *u, size_t n)
{
	size_t end = 0;
	while (end < n && u[end] != '?' && u[end] != '#')
		end++;
	while (end > 0 && u[end - 1] == '/')
		end--;
	size_t start = end;
	while (start > 0 && u[start - 1] != '/')
		start--;
	if (start == end)
		start = 0; /* no segment: the whole URL */
	for (size_t k = start; k < end; k++) {
		if (strchr("[]\\*_`<>", u[k]))
			buf_addc(out, '\\');
		buf_addc(out, u[k]);
	}
}

long media_rewrite(const char *md, struct buf *out, media_local_fn local, void *arg)
{
	long replaced = 0;
	long img = -1; /* where in out the '!' of the last "![" is */
	for (size_t i = 0; md[i];) {
		if (md[i] == '!' && md[i + 1] == '[' && (i == 0 || md[i - 1] != '\\')) {
			img = (long)out->len;
			buf_add(out, "![", 2);
			i += 2;
			continue;
		}
		if (md[i] == ']' && md[i + 1] == '(' && !media_url_len(md + i + 2))
			img = -1; /* that image's destination is no http URL: it is left alone */
		size_t n = (i == 0 || !isalnum((unsigned char)md[i - 1])) ? media_url_len(md + i) : 0;
		if (!n) {
			buf_addc(out, md[i++]);
			continue;
		}
		bool dest = i >= 2 && md[i - 1] == '(' && md[i - 2] == ']';
		const char *to = n < MEDIA_URL_MAX ? local(md + i, n, arg) : NULL;
		if (to) {
			buf_adds(out, to);
			replaced++;
		} else {
			if (dest && img >= 0 && !out->oom && (size_t)img < out->len && out->p[img] == '!') {
				memmove(out->p + img, out->p + img + 1, out->len - (size_t)img - 1);
				out->len--;
				/* an image without alt text would be a link without text: the file's name */
				if (out->len == (size_t)img + 3 && !memcmp(out->p + img, "[](", 3)) {
					out->len = (size_t)img + 1;
					link_name(out, md + i, n);
					buf_adds(out, "](");
				}
			}
			buf_add(out, md + i, n);
		}
		if (dest)
			img = -1;
		i += n;
	}
	return replaced;
}
