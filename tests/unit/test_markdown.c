/* test_markdown: safe mode, figures with captions, excerpts. */
#include <string.h>

#include "markdown.h"
#include "tap.h"

static const char *md(const char *s)
{
	static struct buf b;
	buf_reset(&b);
	md_render(s, strlen(s), &b);
	return buf_cstr(&b);
}

int main(void)
{
	ok(strstr(md("# Hi\n\nSome *text*."), "<h1>Hi</h1>") != NULL, "headings");
	const char *raw = md("<script>alert(1)</script>\n\nx <b onclick=\"y\">z</b>");
	ok(!strstr(raw, "<script") && !strstr(raw, "onclick"), "raw HTML dropped: %s", raw);
	ok(!strstr(md("[a](javascript:alert(1))"), "javascript:"), "javascript: links removed");
	const char *fig = md("![A cat](/static/cat.png)\n*The cat, asleep.*\n");
	ok(strstr(fig, "<figure>") && strstr(fig, "<img src=\"/static/cat.png\" alt=\"A cat\"") &&
	       strstr(fig, "<figcaption>The cat, asleep.</figcaption>"),
	   "image + italic line is a figure: %s", fig);
	const char *fig2 = md("![Dog](d.png)\n\n*A **good** dog*\n\nAfter.");
	ok(strstr(fig2, "<figcaption>A <strong>good</strong> dog</figcaption>") &&
	       strstr(fig2, "<p>After.</p>"),
	   "image paragraph + italic paragraph is a figure: %s", fig2);
	const char *nofig = md("![x](javascript:alert(1))\n*cap*");
	ok(!strstr(nofig, "javascript"), "figure image URL is checked");
	ok(!strstr(md("![a\"b](x.png)\n*c*"), "a\"b"), "alt text escaped");
	ok(strstr(md("![alone](a.png)"), "<img") && !strstr(md("![alone](a.png)"), "figure"),
	   "a lone image stays an image");

	struct buf e = BUF_INIT;
	md_excerpt("# Title\n\nFirst *para* here.\n\nSecond.", 38, &e);
	ok(strncmp(buf_cstr(&e), "First para here.", 16) == 0, "excerpt from paragraphs: %s", buf_cstr(&e));
	buf_reset(&e);
	char longtext[4000];
	memset(longtext, 0, sizeof longtext);
	for (int i = 0; i < 200; i++)
		strcat(longtext, "wörd ");
	md_excerpt(longtext, strlen(longtext), &e);
	ok(e.len < 700 && strstr(buf_cstr(&e), "\u2026"), "long excerpt is cut with an ellipsis");
	buf_free(&e);
	return tap_done();
}
