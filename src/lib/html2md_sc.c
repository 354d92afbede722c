/* html2md_sc: WordPress shortcodes in text ([caption], [embed], [video], [audio]). */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "html2md_sc.h"
#include "text.h"

/* The value of attribute name in a shortcode's attribute text, or "". */
static void sc_attr(const char *a, size_t n, const char *name, char out[ATTR_MAX])
{
	size_t nl = strlen(name);
	out[0] = '\0';
	for (size_t i = 0; i + nl < n; i++) {
		if (strncasecmp(a + i, name, nl) != 0 || (i > 0 && !isspace((unsigned char)a[i - 1])))
			continue;
		size_t j = i + nl;
		while (j < n && isspace((unsigned char)a[j]))
			j++;
		if (j >= n || a[j] != '=')
			continue;
		j++;
		while (j < n && isspace((unsigned char)a[j]))
			j++;
		char q = j < n && (a[j] == '"' || a[j] == '\'') ? a[j++] : 0;
		size_t k = j;
		while (k < n && (q ? a[k] != q : !isspace((unsigned char)a[k]) && a[k] != ']'))
			k++;
		snprintf(out, ATTR_MAX, "%.*s", (int)(k - j), a + j);
		return;
	}
}

/* A shortcode at s: "[name attrs]" or "[/name]"; its length, 0 if s is not one. */
static size_t sc_parse(const char *s, size_t n, char name[SHORTCODE_NAME_MAX], bool *closing)
{
	size_t i = 1, k = 0;
	*closing = i < n && s[i] == '/';
	if (*closing)
		i++;
	if (i >= n || !islower((unsigned char)s[i]))
		return 0;
	while (i < n &&
	       (islower((unsigned char)s[i]) || isdigit((unsigned char)s[i]) || s[i] == '_' || s[i] == '-')) {
		if (k + 1 >= SHORTCODE_NAME_MAX)
			return 0;
		name[k++] = s[i++];
	}
	name[k] = '\0';
	if (i >= n || (s[i] != ']' && (*closing || (s[i] != ' ' && s[i] != '/'))))
		return 0;
	const char *e = memchr(s + i, ']', n - i);
	if (!e || memchr(s + 1, '[', (size_t)(e - s) - 1))
		return 0;
	return (size_t)(e - s) + 1;
}

/* A [video] or [audio] URL: src, else a format attribute. */
static void sc_media_url(const char *a, size_t an, char url[ATTR_MAX])
{
	static const char *const keys[] = {"src", "mp4", "m4v", "webm", "ogv", "mp3", "m4a", "ogg", "wav"};
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		sc_attr(a, an, keys[i], url);
		if (*url)
			return;
	}
}

/* Converts the shortcode s[0..len) if it has a Markdown form: the bytes used, else 0. */
static size_t sc_apply(struct conv *c, const char *s, size_t n, size_t len, const char *name, bool closing)
{
	const char *a = s + 1 + closing + strlen(name);
	size_t an = len - (size_t)(a - s) - 1;
	char url[ATTR_MAX];
	if (!strcmp(name, "caption")) {
		if (!closing) {
			h2m_block_break(c);
			c->caption = true;
			c->cap_at = 0;
			c->cap_after_a = false;
		} else if (c->caption) {
			h2m_caption_end(c);
		}
		return len;
	}
	if (!strcmp(name, "video") || !strcmp(name, "audio")) {
		if (!closing) {
			sc_media_url(a, an, url);
			h2m_embed_link(c, "", url);
		}
		return len;
	}
	if (!strcmp(name, "embed") && !closing) {
		const char *e = text_find(s + len, n - len, "[/embed]");
		if (!e)
			return 0;
		const char *p = s + len;
		size_t un = (size_t)(e - p);
		size_t f = h2m_ws_front(p, un), b = h2m_ws_back(p + f, un - f);
		snprintf(url, sizeof url, "%.*s", (int)(un - f - b), p + f);
		h2m_embed_link(c, "", url);
		return (size_t)(e - s) + strlen("[/embed]");
	}
	return 0;
}

/* A run of text, and the shortcodes in it. */
void h2m_chunk(struct conv *c, const char *s, size_t n)
{
	if (c->text_only || c->pre || c->code) {
		h2m_text(c, s, n);
		return;
	}
	size_t i = 0, from = 0;
	while (i < n) {
		char name[SHORTCODE_NAME_MAX];
		bool closing;
		size_t len = s[i] == '[' ? sc_parse(s + i, n - i, name, &closing) : 0;
		if (!len) {
			i++;
			continue;
		}
		if (!closing && c->on_shortcode)
			c->on_shortcode(name, c->arg);
		bool handled = !strcmp(name, "caption") || !strcmp(name, "video") || !strcmp(name, "audio") ||
		               (!strcmp(name, "embed") && !closing && text_find(s + i, n - i, "[/embed]"));
		if (!handled) {
			i += len;
			continue;
		}
		h2m_text(c, s + from, i - from);
		i += sc_apply(c, s + i, n - i, len, name, closing);
		from = i;
	}
	h2m_text(c, s + from, n - from);
}
