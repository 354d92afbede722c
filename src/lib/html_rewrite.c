/* html_rewrite: libxml2's HTML parser reads the fragment and its SAX events write it back, with
 * URLs resolved by libxml2's RFC 3986 code (xmlBuildURI). SAX rather than a tree, as in
 * html2md.c: the events go as deep as the input. */
#include "html_rewrite.h"

#include <libxml/HTMLparser.h>
#include <libxml/parserInternals.h>
#include <libxml/uri.h>
#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "url.h"

#define HTML_OPTS (HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET | HTML_PARSE_NOIMPLIED)
/* characters xmlURIEscapeStr leaves as they are when a URL must be made parseable */
#define URI_KEEP ((const xmlChar *)";/?:@&=+$,#%[]!~*'()")

struct rw {
	const struct html_rewrite_opts *o;
	struct buf *out;
	const char *base; /* what relative URLs resolve against */
	size_t depth;     /* open elements written */
	struct buf open;  /* their names, each ended by a NUL, innermost last */
	size_t skip;      /* > 0 inside a dropped element: the elements open since it */
	struct buf url;   /* scratch */
};

static pthread_once_t xml_once = PTHREAD_ONCE_INIT;

static void xml_init(void)
{
	xmlInitParser();
}

static bool is_void(const char *t)
{
	static const char *const v[] = {"area",  "base", "br",   "col",    "embed", "hr",  "img",
	                                "input", "link", "meta", "source", "track", "wbr", "param"};
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
		if (v[i][0] == t[0] && !strcmp(t, v[i])) /* the first byte spares most calls */
			return true;
	return false;
}

/* Elements that go with their content: nothing a reader or a mail client should run or load. */
static bool is_dropped(const char *t)
{
	static const char *const d[] = {"script",   "style",  "iframe", "object", "embed",
	                                "template", "head",   "title",  "frame",  "frameset",
	                                "noscript", "applet", "base",   "link",   "meta"};
	for (size_t i = 0; i < sizeof d / sizeof d[0]; i++)
		if (d[i][0] == t[0] && !strcmp(t, d[i]))
			return true;
	return false;
}

/* The document wrappers are not part of a fragment: their content is kept, not the tags. */
static bool is_wrapper(const char *t)
{
	return !strcmp(t, "html") || !strcmp(t, "body");
}

static bool is_url_attr(const char *a)
{
	return !strcmp(a, "href") || !strcmp(a, "src") || !strcmp(a, "poster") || !strcmp(a, "cite");
}

/* A name XML accepts without namespaces: a letter or '_', then letters, digits, '-', '_', '.'. */
static bool name_ok(const char *s)
{
	static const char first[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_";
	if (!*s || !strchr(first, *s))
		return false;
	for (s++; *s; s++)
		if (!strchr(first, *s) && !strchr("0123456789-.", *s))
			return false;
	return true;
}

/* Text or an attribute value, escaped, without the characters XML 1.0 forbids (C0 controls but
 * tab and line ends, DEL, U+FFFE and U+FFFF). */
static void put_text(struct buf *out, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t from = 0;
	for (size_t i = 0; i < n; i++) {
		size_t bad = 0;
		if ((u[i] < 0x20 && u[i] != '\t' && u[i] != '\n' && u[i] != '\r') || u[i] == 0x7f)
			bad = 1;
		else if (u[i] == 0xEF && i + 2 < n && u[i + 1] == 0xBF &&
		         (u[i + 2] == 0xBE || u[i + 2] == 0xBF))
			bad = 3;
		if (bad) {
			esc_html(out, s + from, i - from);
			i += bad - 1;
			from = i + 1;
		}
	}
	esc_html(out, s + from, n - from);
}

/* One URL made absolute into r->url (appended); false when it must be dropped. */
static bool resolve(struct rw *r, const char *v, size_t n)
{
	while (n && strchr(" \t\r\n\f", *v))
		v++, n--;
	while (n && strchr(" \t\r\n\f", v[n - 1]))
		n--;
	/* empty: a URL the renderer refused (javascript:, data:), not a link to the page itself */
	if (n == 0 || n > HTML_REWRITE_URL_MAX)
		return false;
	char u[HTML_REWRITE_URL_MAX + 1];
	memcpy(u, v, n);
	u[n] = '\0';
	if (memchr(u, '\0', n))
		return false;
	switch (url_read(u).scheme) {
	case URL_HTTP:
	case URL_MAILTO:
	case URL_OTHER:
	case URL_DATA_IMAGE:
		buf_add(&r->url, u, n);
		return true;
	case URL_UNSAFE:
		return false;
	default:
		break;
	}
	xmlChar *abs = xmlBuildURI((const xmlChar *)u, (const xmlChar *)r->base);
	if (!abs) {
		/* spaces or other characters RFC 3986 does not allow: escaped, then tried again */
		xmlChar *esc = xmlURIEscapeStr((const xmlChar *)u, URI_KEEP);
		if (esc)
			abs = xmlBuildURI(esc, (const xmlChar *)r->base);
		xmlFree(esc);
	}
	bool ok = abs && url_read((const char *)abs).scheme == URL_HTTP &&
	          strlen((const char *)abs) <= HTML_REWRITE_URL_MAX;
	if (ok)
		buf_adds(&r->url, (const char *)abs);
	xmlFree(abs);
	return ok;
}

/* A srcset: "URL [descriptor], URL [descriptor]..." with each URL resolved; false when none is
 * left. */
static bool resolve_srcset(struct rw *r, const char *v)
{
	size_t kept = 0;
	while (*v) {
		v += strspn(v, " \t\r\n\f,");
		if (!*v)
			break;
		size_t un = strcspn(v, " \t\r\n\f");
		const char *u = v;
		v += un;
		bool ended = false; /* "a.png," : a candidate without a descriptor */
		while (un && u[un - 1] == ',')
			un--, ended = true;
		const char *d = v;
		size_t dn = 0;
		if (!ended) {
			d = v + strspn(v, " \t\r\n\f");
			dn = strcspn(d, ",");
			v = d + dn;
			while (dn && strchr(" \t\r\n\f", d[dn - 1]))
				dn--;
		}
		size_t mark = r->url.len;
		if (kept)
			buf_adds(&r->url, ", ");
		if (!resolve(r, u, un)) {
			r->url.len = mark;
			if (r->url.p)
				r->url.p[mark] = '\0';
			continue;
		}
		if (dn) {
			buf_addc(&r->url, ' ');
			buf_add(&r->url, d, dn);
		}
		kept++;
	}
	return kept > 0;
}

/* The innermost open element written, or NULL. */
static const char *top(const struct rw *r)
{
	if (!r->depth || !r->open.len)
		return NULL;
	size_t i = r->open.len - 1; /* its NUL */
	while (i > 0 && r->open.p[i - 1] != '\0')
		i--;
	return r->open.p + i;
}

static const char *style_for(const struct rw *r, const char *t)
{
	const char *parent = top(r);
	for (size_t i = 0; i < r->o->nstyles; i++) {
		const struct html_style *s = &r->o->styles[i];
		if (s->element[0] != t[0] || strcmp(s->element, t) != 0)
			continue;
		if (!s->parent || (parent && !strcmp(s->parent, parent)))
			return s->style;
	}
	return NULL;
}

/* Writes the end tag of the innermost open element: the names come from what was written, so the
 * output stays balanced even when the parser's events are not (libxml2 may end fewer elements
 * than it started on a broken tag). */
static void close_top(struct rw *r)
{
	const char *t = top(r);
	if (!t)
		return;
	size_t at = (size_t)(t - r->open.p);
	buf_adds(r->out, "</");
	buf_adds(r->out, t);
	buf_addc(r->out, '>');
	r->open.len = at;
	r->open.p[at] = '\0';
	r->depth--;
}

static void attr_out(struct buf *out, const char *name, const char *v, size_t n)
{
	buf_addc(out, ' ');
	buf_adds(out, name);
	buf_adds(out, "=\"");
	put_text(out, v, n);
	buf_addc(out, '"');
}

/* class="sr": text a page shows screen readers only (the Footnotes heading); a feed reader or a
 * mail client has no such class and would show it as a visible heading. */
static bool screen_reader_only(const xmlChar **atts)
{
	for (; atts && atts[0]; atts += 2)
		if (!strcmp((const char *)atts[0], "class") && atts[1] &&
		    !strcmp((const char *)atts[1], "sr"))
			return true;
	return false;
}

static void on_start(void *ud, const xmlChar *name, const xmlChar **atts)
{
	struct rw *r = ud;
	const char *t = (const char *)name;
	if (r->skip) {
		r->skip += !is_void(t);
		return;
	}
	if (is_wrapper(t))
		return;
	if (is_dropped(t) || screen_reader_only(atts)) {
		r->skip = !is_void(t);
		return;
	}
	if (!name_ok(t)) /* "o:p" from Word: the tag goes, its content stays */
		return;
	const char *style = style_for(r, t);
	buf_addc(r->out, '<');
	buf_adds(r->out, t);
	for (; atts && atts[0]; atts += 2) {
		const char *a = (const char *)atts[0], *v = atts[1] ? (const char *)atts[1] : "";
		/* no scripts in a feed or a mail; the style rules replace an element's own */
		if (!name_ok(a) || (a[0] == 'o' && a[1] == 'n') || (style && !strcmp(a, "style")))
			continue;
		buf_reset(&r->url);
		if (is_url_attr(a)         ? !resolve(r, v, strlen(v))
		    : !strcmp(a, "srcset") ? !resolve_srcset(r, v)
		                           : false)
			continue;
		if (is_url_attr(a) || !strcmp(a, "srcset"))
			attr_out(r->out, a, r->url.p, r->url.len);
		else
			attr_out(r->out, a, v, strlen(v));
	}
	if (style)
		attr_out(r->out, "style", style, strlen(style));
	if (is_void(t)) {
		buf_adds(r->out, " />");
		return;
	}
	buf_addc(r->out, '>');
	buf_add(&r->open, t, strlen(t) + 1);
	r->depth++;
}

static void on_end(void *ud, const xmlChar *name)
{
	struct rw *r = ud;
	const char *t = (const char *)name;
	if (r->skip) {
		r->skip -= !is_void(t);
		return;
	}
	if (!is_wrapper(t) && !is_void(t) && name_ok(t))
		close_top(r);
}

static void on_text(void *ud, const xmlChar *s, int n)
{
	struct rw *r = ud;
	if (!r->skip && n > 0)
		put_text(r->out, (const char *)s, (size_t)n);
}

int html_rewrite(const char *html, size_t n, const struct html_rewrite_opts *o, struct buf *out)
{
	struct rw *r = calloc(1, sizeof *r);
	struct buf in = BUF_INIT, base = BUF_INIT;
	htmlParserCtxtPtr ctx = NULL;
	int rc = -1;
	if (!r)
		return -1;
	r->o = o;
	r->out = out;
	r->url = (struct buf)BUF_INIT;
	r->open = (struct buf)BUF_INIT;
	if (n == 0) {
		rc = 0;
		goto out;
	}
	if (n > INT_MAX / 2 || pthread_once(&xml_once, xml_init) != 0)
		goto out;
	if (o->page_url && *o->page_url) {
		buf_adds(&base, o->page_url);
	} else {
		buf_adds(&base, o->base_url ? o->base_url : "");
		buf_addc(&base, '/');
	}
	r->base = buf_cstr(&base);
	/* inside <body>, libxml2 wraps no text in an implied <p> */
	buf_adds(&in, "<body>");
	utf8_scrub(html, n, &in);
	if (in.oom || base.oom)
		goto out;
	ctx = htmlCreateMemoryParserCtxt(in.p, (int)in.len);
	if (!ctx)
		goto out;
	htmlSAXHandler sax;
	memset(&sax, 0, sizeof sax);
	sax.startElement = on_start;
	sax.endElement = on_end;
	sax.characters = on_text;
	sax.ignorableWhitespace = on_text;
	sax.cdataBlock = on_text;
	*ctx->sax = sax;
	ctx->userData = r;
	htmlCtxtUseOptions(ctx, HTML_OPTS);
	if (xmlSwitchEncoding(ctx, XML_CHAR_ENCODING_UTF8) != 0)
		goto out;
	htmlParseDocument(ctx); /* a forgiving parser: its errors are not ours to report */
	/* the parser closes what the input left open, but not always */
	while (r->depth > 0 && !r->open.oom)
		close_top(r);
	rc = out->oom || r->url.oom || r->open.oom ? -1 : 0;
out:
	if (ctx)
		htmlFreeParserCtxt(ctx);
	buf_free(&in);
	buf_free(&base);
	buf_free(&r->url);
	buf_free(&r->open);
	free(r);
	return rc;
}
