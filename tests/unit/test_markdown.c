/* test_markdown: safe mode, GitHub's extensions, figures with captions, excerpts. */
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

	/* cmark-gfm's extensions */
	const char *tbl = md("| a | b |\n| --- | --- |\n| 1 \\| x | *2* |\n");
	ok(strstr(tbl, "<table>") && strstr(tbl, "<th>a</th>") && strstr(tbl, "<td>1 | x</td>") &&
	       strstr(tbl, "<td><em>2</em></td>"),
	   "a pipe table: %s", tbl);
	ok(strstr(md("~~gone~~ and ~one~"), "<del>gone</del>") != NULL, "strikethrough");
	const char *al = md("see www.example.com and https://ex.org/a?b=1.");
	ok(strstr(al, "<a href=\"http://www.example.com\">www.example.com</a>") &&
	       strstr(al, "<a href=\"https://ex.org/a?b=1\">https://ex.org/a?b=1</a>."),
	   "autolinks: %s", al);
	const char *fn = md("Claim[^1].\n\n[^1]: The *source*.\n\nAfter.");
	ok(strstr(fn, "<sup class=\"footnote-ref\"><a href=\"#fn-1\"") &&
	       strstr(fn, "<section class=\"footnotes\"") && strstr(fn, "<em>source</em>") &&
	       strstr(fn, "<p>After.</p>") < strstr(fn, "<section"),
	   "footnotes at the end: %s", fn);
	const char *fnfig = md("![A](/a.png)\n*Photo[^n]*\n\n[^n]: By me.\n");
	ok(strstr(fnfig, "<figcaption>Photo<sup class=\"footnote-ref\">") && strstr(fnfig, "By me.") &&
	       strstr(fnfig, "</figure>") < strstr(fnfig, "<section"),
	   "a footnote in a figure caption: %s", fnfig);
	const char *raw2 =
	    md("| a |\n| - |\n| <img src=x onerror=alert(1)> |\n\n~~<b>x</b>~~ www.ex.org/<script>");
	ok(!strstr(raw2, "<img") && !strstr(raw2, "onerror") && !strstr(raw2, "<script") &&
	       !strstr(raw2, "<b>"),
	   "raw HTML still dropped inside extensions: %s", raw2);
	const char *js =
	    md("[a](javascript:alert(1)) [b](data:text/html,x) [c](vbscript:x) javascript:alert(2)");
	ok(!strstr(js, "href=\"javascript") && !strstr(js, "href=\"data") && !strstr(js, "href=\"vbscript"),
	   "javascript:, data:, vbscript: links still dropped: %s", js);
	const char *tf =
	    md("<title>t</title>\n\n<textarea>x</textarea> <xmp>y</xmp> <iframe src=x> <plaintext>");
	ok(!strstr(tf, "<title") && !strstr(tf, "<textarea") && !strstr(tf, "<xmp") &&
	       !strstr(tf, "<iframe") && !strstr(tf, "<plaintext"),
	   "tagfilter's tags never pass: %s", tf);
	ok(strstr(md("- [ ] task"), "<input") == NULL, "no task-list checkboxes (no forms in posts)");

	const char *lf = md("[![Boats](/media/a.png)](/media/b.png)\n*At dawn*");
	ok(strstr(lf, "<figure>\n<a href=\"/media/b.png\"><img src=\"/media/a.png\" alt=\"Boats\" "
	              "loading=\"lazy\"></a>\n"
	              "<figcaption>At dawn</figcaption>") != NULL,
	   "an image linked to its full size, with a caption, is a figure: %s", lf);
	const char *lj = md("[![Boats](/media/a.png)](javascript:alert(1))\n*At dawn*");
	ok(strstr(lj, "<figure>") && !strstr(lj, "javascript") && !strstr(lj, "<a "),
	   "a figure's link to javascript: is dropped, the image kept: %s", lj);
	struct buf e = BUF_INIT;
	const char *ex = "# Title\n\nFirst *para* here.\n\nSecond.";
	md_excerpt(ex, strlen(ex), &e);
	ok(strncmp(buf_cstr(&e), "First para here.", 16) == 0, "excerpt from paragraphs: %s", buf_cstr(&e));
	buf_reset(&e);
	char longtext[4000];
	memset(longtext, 0, sizeof longtext);
	for (int i = 0; i < 200; i++)
		strcat(longtext, "wörd ");
	md_excerpt(longtext, strlen(longtext), &e);
	ok(e.len < 700 && strstr(buf_cstr(&e), "\u2026"), "long excerpt is cut with an ellipsis");
	buf_reset(&e);
	const char *more = "Teaser text.\n\n<!--more-->\n\nThe rest.\n\n<!--more Read on-->\n\nEnd.";
	md_excerpt(more, strlen(more), &e);
	ok(strcmp(buf_cstr(&e), "Teaser text.") == 0, "<!--more--> ends the excerpt: %s", buf_cstr(&e));
	const char *mh = md(more);
	ok(!strstr(mh, "omitted") && !strstr(mh, "more") && strstr(mh, "The rest.") && strstr(mh, "End."),
	   "<!--more--> markers are not shown: %s", mh);
	ok(strstr(md("Text <!--more--> inline."), "omitted") != NULL,
	   "only a marker alone on its line is one (inline raw HTML is still dropped)");
	buf_free(&e);
	return tap_done();
}
