/* test_html_rewrite: absolute URLs and inline styles in HTML that leaves the site. */
#include <stdio.h>
#include <string.h>

#include "html_rewrite.h"
#include "markdown.h"
#include "tap.h"

#define PAGE "https://blog.example/posts/first-post"

static const struct html_style styles[] = {
    {"code", "pre", "font-family:monospace"},
    {"code", NULL, "background:#eee"},
    {"img", NULL, "max-width:100%"},
};

static const char *rw(const char *html, const char *page, bool styled)
{
	static struct buf b;
	buf_reset(&b);
	struct html_rewrite_opts o = {.base_url = "https://blog.example",
	                              .page_url = page,
	                              .styles = styled ? styles : NULL,
	                              .nstyles = styled ? sizeof styles / sizeof styles[0] : 0};
	if (html_rewrite(html, strlen(html), &o, &b) < 0)
		return "(failed)";
	return buf_cstr(&b);
}

/* Occurrences of needle in hay. */
static size_t count(const char *hay, const char *needle)
{
	size_t k = 0, n = strlen(hay), nl = strlen(needle);
	for (size_t i = 0; i + nl <= n; i++)
		k += memcmp(hay + i, needle, nl) == 0;
	return k;
}

static void urls(void)
{
	is_str(rw("<p><a href=\"/posts/x\">x</a></p>", PAGE, false),
	       "<p><a href=\"https://blog.example/posts/x\">x</a></p>", "a path gets the site's origin");
	is_str(rw("<p><a href=\"escaping-by-default\">e</a></p>", PAGE, false),
	       "<p><a href=\"https://blog.example/posts/escaping-by-default\">e</a></p>",
	       "a relative name resolves against the page");
	is_str(rw("<p><a href=\"#fn1\">1</a></p>", PAGE, false),
	       "<p><a href=\"https://blog.example/posts/first-post#fn1\">1</a></p>",
	       "a fragment names the page");
	is_str(rw("<p><img src=\"/static/a.png\" alt=\"A\"></p>", PAGE, false),
	       "<p><img src=\"https://blog.example/static/a.png\" alt=\"A\" /></p>",
	       "an image src, closed for XHTML");
	is_str(rw("<p><img src=\"/media/b.jpg\" alt=\"\"></p>", NULL, false),
	       "<p><img src=\"https://blog.example/media/b.jpg\" alt=\"\" /></p>",
	       "without a page: the base URL");
	is_str(rw("<p><a href=\"mailto:a@b.example\">m</a> <a "
	          "href=\"https://other.example/x?a=1&amp;b=2\">o</a></p>",
	          PAGE, false),
	       "<p><a href=\"mailto:a@b.example\">m</a> <a "
	       "href=\"https://other.example/x?a=1&amp;b=2\">o</a></p>",
	       "mailto: and https: kept, & escaped again");
	is_str(
	    rw("<p><a href=\"../up\">u</a> <a href=\"?page=2\">q</a> <a href=\"//cdn.example/x\">c</a></p>",
	       PAGE, false),
	    "<p><a href=\"https://blog.example/up\">u</a> <a href=\"https://blog.example/posts/"
	    "first-post?page=2\">q</a> <a href=\"https://cdn.example/x\">c</a></p>",
	    "dot segments, queries, scheme-relative");
	is_str(rw("<p><a href=\"javascript:alert(1)\" title=\"t\">j</a></p>", PAGE, false),
	       "<p><a title=\"t\">j</a></p>", "javascript: dropped");
	is_str(rw("<p><a href=\"a b\">s</a></p>", PAGE, false),
	       "<p><a href=\"https://blog.example/posts/a%20b\">s</a></p>",
	       "a space is escaped, not left relative");
	is_str(
	    rw("<p><img src=\"a.png\" srcset=\"a.png 1x, /b.png 2x,c.png\" alt=\"\"></p>", PAGE, false),
	    "<p><img src=\"https://blog.example/posts/a.png\" srcset=\"https://blog.example/posts/a.png 1x, "
	    "https://blog.example/b.png 2x, https://blog.example/posts/c.png\" alt=\"\" /></p>",
	    "every srcset candidate");
	is_str(
	    rw("<video poster=\"/p.jpg\" src=\"v.mp4\"></video>", PAGE, false),
	    "<video poster=\"https://blog.example/p.jpg\" src=\"https://blog.example/posts/v.mp4\"></video>",
	    "poster and a video's src");
	is_str(rw("<blockquote cite=\"/q\"><p>q</p></blockquote>", "https://blog.example/about/team", false),
	       "<blockquote cite=\"https://blog.example/q\"><p>q</p></blockquote>",
	       "cite, a page below a page");
	is_str(rw("<p><a href=\"\">js</a></p>", PAGE, false), "<p><a>js</a></p>",
	       "an empty href (a javascript: or data: link the renderer refused) is dropped, not the page");
	is_str(rw("<p>a</p>\n<h2 class=\"sr\">Footnotes</h2><ol><li>n</li></ol>", PAGE, false),
	       "<p>a</p>\n<ol><li>n</li></ol>", "a heading for screen readers only is left out");
}

static void markup(void)
{
	is_str(
	    rw("<p>a &lt;b&gt; &amp; \"c\"</p>\n<!-- x --><script>alert(1)</script><p onclick=\"x()\">d</p>",
	       PAGE, false),
	    "<p>a &lt;b&gt; &amp; &quot;c&quot;</p>\n<p>d</p>",
	    "text escaped; comments, scripts, handlers gone");
	is_str(rw("<p>a<br>b<hr></p>", PAGE, false), "<p>a<br />b</p><hr />", "void elements closed");
	is_str(rw("<ul><li>one<li>two</ul><p>open", PAGE, false),
	       "<ul><li>one</li><li>two</li></ul><p>open</p>", "what the input left open is closed");
	is_str(rw("<p>x\x01y\x7f</p>", PAGE, false), "<p>xy</p>", "no control characters for XML");
	is_str(rw("<object><object>in</object>still in</object><p>after</p>", PAGE, false), "<p>after</p>",
	       "nested dropped elements");
	is_str(rw("", PAGE, false), "", "empty in, empty out");
	is_str(rw("<p>&\xff\xef\xbf\xbe</p>", PAGE, false), "<p>&amp;\xef\xbf\xbd</p>",
	       "invalid UTF-8 replaced, U+FFFE dropped: the output is UTF-8 and XML");
	is_str(rw("<p><a", PAGE, false), "<p><a></a></p>", "a broken tag the parser never ends is closed");
	is_str(rw("<p><o:p>word</o:p> <x 1a=\"b\" c=\"d\">y</x></p>", PAGE, false),
	       "<p>word <x c=\"d\">y</x></p>",
	       "names XML refuses: the tag or attribute goes, the text stays");
	is_str(rw("plain text", PAGE, false), "plain text", "top-level text is not wrapped");
	struct buf deep = BUF_INIT;
	for (int i = 0; i < 1000; i++)
		buf_adds(&deep, "<div>");
	buf_adds(&deep, "<a href=\"/x\">deep</a>");
	const char *out = rw(buf_cstr(&deep), PAGE, false);
	ok(count(out, "<div>") == 1000 && count(out, "</div>") == 1000 &&
	       count(out, "href=\"https://blog.example/x\"") == 1,
	   "1000 levels deep: every element kept and closed, URL resolved");
	buf_free(&deep);
}

static void style(void)
{
	is_str(rw("<pre><code class=\"language-c\">int x;\n</code></pre><p><code>y</code></p>", PAGE, true),
	       "<pre><code class=\"language-c\" style=\"font-family:monospace\">int x;\n</code></pre>"
	       "<p><code style=\"background:#eee\">y</code></p>",
	       "the first matching rule, by parent");
	is_str(rw("<p><img src=\"/a.png\" style=\"width:9999px\" alt=\"a\"></p>", PAGE, true),
	       "<p><img src=\"https://blog.example/a.png\" alt=\"a\" style=\"max-width:100%\" /></p>",
	       "a rule replaces the element's own style");
	is_str(rw("<p style=\"color:red\">k</p>", PAGE, true), "<p style=\"color:red\">k</p>",
	       "no rule: the element's own style stays");
}

/* What markdown.c renders for a real post goes through whole, every URL absolute. */
static void rendered(void)
{
	const char *md = "# Title\n\nSee [the other](/posts/other) and [this](escaping-by-default).[^1]\n\n"
	                 "![Boats](/media/boats.jpg)\n*Boats.*\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n"
	                 "```c\nint main(void) { return 0; }\n```\n\n[^1]: A note.\n";
	struct buf h = BUF_INIT;
	md_render(md, strlen(md), &h);
	const char *out = rw(buf_cstr(&h), PAGE, false);
	ok(count(out, "href=\"/") == 0 && count(out, "src=\"/") == 0 && count(out, "href=\"#") == 0,
	   "no relative URL left");
	ok(count(out, "https://blog.example/posts/other") == 1 &&
	       count(out, "https://blog.example/media/boats.jpg") == 1 &&
	       count(out, "https://blog.example/posts/escaping-by-default") == 1,
	   "links and images resolved");
	ok(count(out, "<table") == 1 && count(out, "<pre") == 1 && count(out, "int main(void)") == 1,
	   "tables and code kept");
	buf_free(&h);
}

int main(void)
{
	urls();
	markup();
	style();
	rendered();
	return tap_done();
}
