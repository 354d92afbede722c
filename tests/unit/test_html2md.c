/* test_html2md: WordPress HTML to Markdown, checked as exact Markdown and through the renderer. */
#include <stdio.h>
#include <string.h>

#include "html2md.h"
#include "markdown.h"
#include "tap.h"

static const char *md(const char *html)
{
	static struct buf b;
	buf_reset(&b);
	html2md(html, strlen(html), &b);
	return buf_cstr(&b);
}

static const char *render(const char *html)
{
	static struct buf h;
	struct buf m = BUF_INIT;
	buf_reset(&h);
	html2md(html, strlen(html), &m);
	md_render(buf_cstr(&m), m.len, &h);
	buf_free(&m);
	return buf_cstr(&h);
}

static void seen(const char *name, void *arg)
{
	struct buf *names = arg;
	buf_adds(names, name);
	buf_addc(names, ' ');
}

/* Occurrences of needle in hay (not strstr: ASan's measures the whole rest at each call). */
static size_t count(const char *hay, const char *needle)
{
	size_t k = 0, n = strlen(hay), nl = strlen(needle);
	for (size_t i = 0; i + nl <= n; i++)
		k += memcmp(hay + i, needle, nl) == 0;
	return k;
}

/* Converts in, then renders the Markdown: the output stays under ratio times the input, nothing
 * written in the input is lost (counted by marker), and the renderer succeeds. */
static void linear(struct buf *in, double ratio, const char *marker, const char *name)
{
	struct buf m = BUF_INIT, h = BUF_INIT;
	int rc = html2md(in->p, in->len, &m);
	ok(rc == 0 && (double)m.len < ratio * (double)in->len,
	   "%s: %zu KB of HTML, %zu KB of Markdown (< %.0fx)", name, in->len / 1024, m.len / 1024, ratio);
	ok(count(buf_cstr(&m), marker) == count(buf_cstr(in), marker), "%s: every '%s' kept (%zu)", name,
	   marker, count(buf_cstr(in), marker));
	ok(md_render(m.p, m.len, &h) == 0 && h.len > 0, "%s: renders (%zu KB of HTML)", name, h.len / 1024);
	buf_free(&m);
	buf_free(&h);
}

int main(void)
{
	/* 1. inline code verbatim */
	is_str(md("<code>inline_code</code>"), "`inline_code`\n", "code span without escapes");
	is_str(md("a <code>x ` y</code> b"), "a ``x ` y`` b\n", "fence longer than a run inside");
	is_str(md("<code>`tick</code>"), "`` `tick ``\n", "a backtick at the edge is padded");
	is_str(md("<code>a &lt; b &amp;&amp; *p</code>"), "`a < b && *p`\n", "entities decoded in code");
	is_str(md("<code><em>x</em>_y</code>"), "`x_y`\n", "markup in code dropped, text kept");
	is_str(md("<code>open_end"), "`open_end`\n", "an unclosed code span is still fenced");
	ok(strstr(render("<p>call <code>do_it(a_b)</code></p>"), "<code>do_it(a_b)</code>") != NULL,
	   "renders as code: %s", render("<p>call <code>do_it(a_b)</code></p>"));

	/* 2. spaces move outside emphasis; empty emphasis is nothing */
	is_str(md("a <strong>x </strong>b"), "a **x** b\n", "trailing space moved out of strong");
	is_str(md("a<em> y</em> b"), "a *y* b\n", "leading space moved out of em");
	is_str(md("a <em> </em>b<strong></strong>c"), "a  bc\n", "empty emphasis produces nothing");
	is_str(md("<b>x&nbsp;</b>y"), "**x**\xC2\xA0y\n", "no-break space moved out too");
	is_str(md("<em><strong>both </strong></em>"), "***both***\n", "nested emphasis");
	ok(!strchr(render("<p>a <strong>x </strong>b <em> </em>c</p>"), '*'), "no stray asterisks: %s",
	   render("<p>a <strong>x </strong>b <em> </em>c</p>"));

	/* 3. line starts that would change meaning are escaped */
	is_str(md("<p>1986. A fine year</p>"), "1986\\. A fine year\n", "number and dot escaped");
	is_str(md("<p>3) three</p>"), "3\\) three\n", "number and parenthesis escaped");
	is_str(md("<p>- dash</p><p>+ plus</p><p># hash</p><p>&gt; gt</p>"),
	       "\\- dash\n\n\\+ plus\n\n\\# hash\n\n\\> gt\n", "leading - + # > escaped");
	is_str(md("<p>In 1986. Fine</p>"), "In 1986. Fine\n", "a number mid-line is left alone");
	ok(strstr(render("<p>1986. A fine year</p>"), "<p>1986. A fine year</p>") != NULL,
	   "renders as a paragraph: %s", render("<p>1986. A fine year</p>"));

	/* 4. [caption] is a figure */
	const char *cap = "[caption id=\"attachment_7\" align=\"aligncenter\" width=\"300\"]<img "
	                  "src=\"https://ex.org/cat.jpg\" alt=\"A cat\" width=\"300\"> The cat, "
	                  "asleep.[/caption]\n\nAfter.";
	is_str(md(cap), "![A cat](https://ex.org/cat.jpg)\n*The cat, asleep.*\n\nAfter.\n",
	       "caption: image line, italic line");
	const char *fig = render(cap);
	ok(strstr(fig, "<figure>") && strstr(fig, "<figcaption>The cat, asleep.</figcaption>"),
	   "caption renders as a figure: %s", fig);
	is_str(md("[caption id=\"a\"]<a href=\"https://ex.org/big.jpg\"><img src=\"https://ex.org/c.jpg\" "
	          "alt=\"c\"></a> Linked[/caption]"),
	       "[![c](https://ex.org/c.jpg)](https://ex.org/big.jpg)\n*Linked*\n", "linked image caption");
	const char *gfig =
	    "<!-- wp:image -->\n<figure class=\"wp-block-image\"><img src=\"https://ex.org/a.jpg\" "
	    "alt=\"A\"/><figcaption>The <em>caption</em></figcaption></figure>\n<!-- /wp:image -->";
	is_str(md(gfig), "![A](https://ex.org/a.jpg)\n*The *caption**\n", "Gutenberg figcaption");
	ok(strstr(render(gfig), "<figcaption>") != NULL, "figcaption renders as a figure: %s", render(gfig));
	is_str(md("<figcaption>Alone</figcaption>"), "Alone\n", "a figcaption with nothing before");
	is_str(md("[caption]<img src=\"https://ex.org/c.jpg\" alt=\"c\">[/caption]"),
	       "![c](https://ex.org/c.jpg)\n", "caption without text: the image alone");

	/* 5. embeds become links; shortcodes are reported */
	is_str(md("[embed]https://www.youtube.com/watch?v=abc[/embed]"),
	       "[https://www.youtube.com/watch?v=abc](https://www.youtube.com/watch?v=abc)\n", "[embed]");
	is_str(md("[video width=\"640\" mp4=\"https://ex.org/v.mp4\"][/video]"),
	       "[https://ex.org/v.mp4](https://ex.org/v.mp4)\n", "[video] with a format attribute");
	is_str(md("[audio src=\"https://ex.org/a.mp3\"]"), "[https://ex.org/a.mp3](https://ex.org/a.mp3)\n",
	       "[audio]");
	is_str(md("<p>See</p><iframe src=\"https://player.vimeo.com/video/1\" title=\"My film\"></iframe>"),
	       "See\n\n[My film](https://player.vimeo.com/video/1)\n", "iframe with a title");
	is_str(md("<video controls><source src=\"https://ex.org/v.webm\" type=\"video/webm\">No video"
	          "</video>"),
	       "[https://ex.org/v.webm](https://ex.org/v.webm)\n", "<video> with <source>");
	is_str(md("<audio src=\"https://ex.org/a.ogg\"></audio>"),
	       "[https://ex.org/a.ogg](https://ex.org/a.ogg)\n", "<audio>");
	const char *gb = "<!-- wp:embed {\"url\":\"https:\\/\\/youtu.be\\/xyz\",\"type\":\"video\","
	                 "\"providerNameSlug\":\"youtube\"} -->\n<figure class=\"wp-block-embed\"><div "
	                 "class=\"wp-block-embed__wrapper\">\nhttps://youtu.be/xyz\n</div></figure>\n"
	                 "<!-- /wp:embed -->\n\n<!-- wp:paragraph -->\n<p>Next</p>\n<!-- /wp:paragraph -->";
	is_str(md(gb), "[https://youtu.be/xyz](https://youtu.be/xyz)\n\nNext\n", "Gutenberg embed block");
	is_str(md("<!-- wp:core-embed/vimeo {\"url\":\"https://vimeo.com/5\"} --><figure>https://vimeo.com/5"
	          "</figure><!-- /wp:core-embed/vimeo -->"),
	       "[https://vimeo.com/5](https://vimeo.com/5)\n", "old Gutenberg core-embed block");
	is_str(md("<!-- wp:embed {\"url\":\"https://youtu.be/q\"} --><p>https://youtu.be/q</p><p>Kept</p>"),
	       "[https://youtu.be/q](https://youtu.be/q)\n\nhttps://youtu.be/q\n\nKept\n",
	       "an embed block never closed: what follows is kept");
	is_str(md("<iframe src=\"javascript:alert(1)\"></iframe>"), "javascript:alert(1)\n",
	       "a bad embed URL is text, not a link");
	ok(!strstr(render("<iframe src=\"https://ex.org/x\"></iframe>"), "<iframe"), "never an embed");
	is_str(md("[gallery ids=\"1,2\"] and [unknown_thing a=1]x[/unknown_thing]"),
	       "\\[gallery ids=\"1,2\"\\] and \\[unknown\\_thing a=1\\]x\\[/unknown\\_thing\\]\n",
	       "other shortcodes kept as text");
	struct buf names = BUF_INIT, out = BUF_INIT;
	const char *sc = "[caption]<img src=\"https://ex.org/c.jpg\" alt=\"\">c[/caption][gallery ids=\"1\"]"
	                 "<p>[embed]https://ex.org/e[/embed] [foo] [1] [Note]</p>";
	ok(html2md_ex(sc, strlen(sc), &out, seen, &names) == 0, "html2md_ex converts");
	is_str(buf_cstr(&names), "caption gallery embed foo ", "shortcodes seen are reported");
	is_str(md(sc), buf_cstr(&out), "html2md_ex gives html2md's Markdown");
	buf_free(&names);
	buf_free(&out);

	/* 6. s, del, strike as strikethrough; digits in sup, sub as super/subscripts; kbd as code;
	 * mark as its text (no Markdown form) */
	is_str(md("<s>old</s> <del>gone</del> x<sup>2</sup> H<sub>2</sub>O <kbd>Ctrl</kbd> <mark>hi</mark>"),
	       "~~old~~ ~~gone~~ x² H₂O `Ctrl` hi\n", "inline tags kept where Markdown can");

	/* 7. ol start and the more tag */
	is_str(md("<ol start=\"3\"><li>c</li><li>d</li></ol>"), "3. c\n4. d\n", "ol start kept");
	ok(strstr(render("<ol start=\"3\"><li>c</li></ol>"), "<ol start=\"3\">") != NULL, "renders from 3");
	is_str(md("<p>Intro</p>\n<!--more-->\n<p>Rest</p>"), "Intro\n\n" HTML2MD_MORE "\n\nRest\n",
	       "more tag becomes the marker line");
	is_str(md("Intro <!--more Read on--> Rest"), "Intro\n\n" HTML2MD_MORE "\n\nRest\n",
	       "more tag with text, inline");
	ok(!strstr(render("<p>a</p><!--more--><p>b</p>"), "more"), "the marker renders as nothing: %s",
	   render("<p>a</p><!--more--><p>b</p>"));

	/* 8. one blockquote */
	is_str(md("<blockquote><p>One.</p><p>Two.</p><p>Three.</p></blockquote><p>After</p>"),
	       "> One.\n>\n> Two.\n>\n> Three.\n\nAfter\n", "several paragraphs, one quote");
	is_str(md("<blockquote class=\"wp-block-quote\"><p>The sea.</p><cite>Jacques "
	          "Cousteau</cite></blockquote>"),
	       "> The sea.\n>\n> \u2014 Jacques Cousteau\n",
	       "a quote block's <cite> is its attribution line");
	is_str(md("<blockquote><p>As <cite>The Book</cite> says.</p></blockquote>"), "> As The Book says.\n",
	       "a <cite> inside a sentence is only its text");
	is_str(md("<p>a</p>\n<p>&nbsp;</p>\n<p> &nbsp; </p><p>b</p>"), "a\n\nb\n",
	       "a paragraph of no-break spaces (a WordPress spacer) is dropped");
	is_str(md("<pre>line one\n  ```\nend</pre><p>more</p>"), "````\nline one\n  ```\nend\n````\n\nmore\n",
	       "a ``` line inside <pre> gets a longer fence around it");
	const char *fr = render("<pre><code>```js\nx\n```</code></pre><p>after</p>");
	ok(strstr(fr, "<p>after</p>") && count(fr, "<pre") == 1, "and the text after it is no code: %s", fr);
	is_str(md("<p>Write &amp;copy; and &amp;lt;p&amp;gt; or &amp;#169; &amp; more</p>"),
	       "Write \\&copy; and \\&lt;p\\&gt; or \\&#169; & more\n",
	       "an entity written as text stays text");
	ok(strstr(render("<p>Write &amp;copy; here</p>"), "&amp;copy;") != NULL, "and renders as written: %s",
	   render("<p>Write &amp;copy; here</p>"));
	is_str(md("<ul><li><p>para one</p><p>para two</p></li><li>plain</li></ul><p>after</p>"),
	       "- para one\\\npara two\n- plain\n\nafter\n",
	       "paragraphs inside a list item stay in the item");
	const char *lp = render("<ol><li><p>one</p></li><li><p>two</p><ul><li>sub</li></ul></li></ol>");
	ok(count(lp, "<ol>") == 1 && count(lp, "<li>") == 3 && strstr(lp, "<li>one</li>"),
	   "a list of paragraph items is one list: %s", lp);
	is_str(md("<pre>x\n&nbsp;\ny</pre>"), "```\nx\n\u00a0\ny\n```\n", "but not a line of a code block");
	const char *bq = render("<blockquote><p>One.</p><p><em>Two</em>.</p></blockquote>");
	ok(strstr(bq, "<blockquote>") && strstr(bq, "<em>Two</em>") &&
	       strstr(bq, "<blockquote>") == strstr(bq, "<blockquote>") &&
	       !strstr(strstr(bq, "<blockquote>") + 1, "<blockquote>"),
	   "renders as one blockquote: %s", bq);
	is_str(md("<blockquote>Classic\nquote</blockquote>"), "> Classic\\\n> quote\n",
	       "classic quote keeps its line break");

	/* 9. single newlines are hard breaks */
	is_str(md("Line one\nLine two\n\nNew para"), "Line one\\\nLine two\n\nNew para\n",
	       "newline in a paragraph is a hard break");
	is_str(md("a\n<em>b</em>"), "a\\\n*b*\n", "before inline markup too");
	ok(strstr(render("Roses\nViolets"), "Roses<br />\nViolets") != NULL, "renders as <br>: %s",
	   render("Roses\nViolets"));
	is_str(md("<p>a</p>\n<p>b</p>\n<ul>\n<li>x</li>\n<li>y</li>\n</ul>"), "a\n\nb\n\n- x\n- y\n",
	       "newlines between blocks are not breaks");

	/* odd nesting stays well-formed */
	is_str(md("[caption]<img src=\"https://ex.org/c.jpg\" alt=\"c\"> <em>cap[/caption]</em> x"),
	       "![c](https://ex.org/c.jpg)\n**cap**\n\nx\n", "emphasis across a caption's end");
	const char *capem = render("[caption]<img src=\"https://ex.org/c.jpg\" alt=\"c\"> <em>Photo:</em> "
	                           "Jo[/caption]");
	ok(strstr(capem, "<figcaption>") != NULL, "emphasis in a caption: %s", capem);
	is_str(md("<em>a</strong>b</em>"), "*ab*\n", "a stray close is dropped");
	is_str(md("<blockquote><p>a</p><blockquote><p>b</p></blockquote></blockquote>"), "> a\n>\n> > b\n",
	       "nested quotes");

	/* 10. tables: pipe tables, the first row is the header, a cell is one line */
	is_str(
	    md("<table><thead><tr><th>Name</th><th>Size</th></tr></thead><tbody><tr><td>a</td><td>1</td></tr>"
	       "<tr><td>b</td><td>2</td></tr></tbody></table><p>After</p>"),
	    "| Name | Size |\n| --- | --- |\n| a | 1 |\n| b | 2 |\n\nAfter\n", "a table with a header");
	is_str(md("<table><tr><td>x</td><td>y</td></tr><tr><td>1</td><td>2</td></tr></table>"),
	       "| x | y |\n| --- | --- |\n| 1 | 2 |\n", "no thead: the first row is the header");
	is_str(md("<table><tr><td>a|b</td><td>one<br>two\nthree</td><td><code>x|y</code></td></tr></table>"),
	       "| a\\|b | one two three | `x\\|y` |\n| --- | --- | --- |\n",
	       "pipes escaped, line breaks become spaces, even in code");
	is_str(
	    md("<table><tr><th>a</th><th>b</th><th>c</th></tr><tr><td colspan=\"2\">wide</td><td>z</td></tr>"
	       "<tr><td rowspan=\"2\">r</td></tr></table>"),
	    "| a | b | c |\n| --- | --- | --- |\n| wide |  | z |\n| r |  |  |\n",
	    "colspan keeps the columns in place, short rows are padded");
	const char *cells = "<table><tr><td><p>one</p><p>two</p></td><td><ul><li>i</li><li>j</li></ul></td>"
	                    "<td><table><tr><td>in1</td><td>in2</td></tr></table></td></tr></table>";
	is_str(md(cells), "| one two | i j | in1 in2 |\n| --- | --- | --- |\n",
	       "blocks and a nested table inside cells: their text, never run together");
	const char *tr = render("<table><tr><th>H</th><th>I</th></tr><tr><td><em>e</em> &amp; "
	                        "<a href=\"https://ex.org/\">l</a></td><td>1</td></tr></table>");
	ok(strstr(tr, "<table>") && strstr(tr, "<th>H</th>") &&
	       strstr(tr, "<td><em>e</em> &amp; <a href=\"https://ex.org/\">l</a></td>"),
	   "a table renders as a table: %s", tr);
	const char *tq =
	    render("<blockquote><table><caption>Cap</caption><tr><td>1</td><td>2</td></tr></table>"
	           "</blockquote>");
	ok(strstr(tq, "<blockquote>\n<p>Cap</p>\n<div class=\"table-scroll\" tabindex=\"0\"><table>") != NULL,
	   "a table in a quote, its caption above: %s", tq);
	is_str(md("<figure class=\"wp-block-table\"><table><tbody><tr><td>A</td></tr></tbody></table>"
	          "<figcaption>Prices</figcaption></figure>"),
	       "| A |\n| --- |\n\n*Prices*\n", "a Gutenberg table block and its caption");
	is_str(md("<table><tr><td>open"), "| open |\n| --- |\n", "an unclosed table is still written");

	/* 11. output linear in the input: nesting is bounded (deeper content is flattened) */
	struct buf in = BUF_INIT;
	while (in.len < 144 * 1024) {
		for (int d = 0; d < 100; d++)
			buf_addf(&in, "<ul>\n<li>Item at level %d", d);
		for (int d = 0; d < 100; d++)
			buf_adds(&in, "</li>\n</ul>\n");
	}
	linear(&in, 4, "Item at level", "lists 100 deep");
	while (in.len < 900 * 1024)
		buf_adds(&in, "<ol><li>x <ul><li>Item at level 1</li></ul>");
	linear(&in, 4, "Item at level", "900 KB: 100 deep, then unclosed lists");
	buf_reset(&in);
	while (in.len < 900 * 1024)
		buf_adds(&in, "<ul><li>x");
	linear(&in, 4, "x", "900 KB of unclosed lists, 9 bytes a level");
	buf_reset(&in);
	while (in.len < 900 * 1024)
		buf_adds(&in, "<ol><li><blockquote><p>x</p>");
	linear(&in, 6, "x", "900 KB of lists in quotes in lists");
	buf_reset(&in);
	for (int d = 0; d < 300; d++)
		buf_adds(&in, "<div><ul><li>");
	buf_adds(&in, "deep text");
	ok(strstr(md(buf_cstr(&in)), "deep text") != NULL, "text 600 elements deep is kept");
	buf_free(&in);
	is_str(md("<ul>\n<li>x\n<ul>\n<li>y</li>\n</ul>\n</li>\n<li>z</li>\n</ul>\n<ol "
	          "start=\"9\"><li>n<ol><li>a</li></ol>"
	          "</li></ol>"),
	       "- x\n  - y\n- z\n\n9. n\n   1. a\n", "nested lists tight, indented by their parent's marker");

	/* 12. what libxml2's HTML4 parser makes of HTML5 and broken input */
	is_str(md("a\xFF b \xC3\xA9 <mark>m</mark> <foo>u</foo> <section>s</section>"),
	       "a\xEF\xBF\xBD b \xC3\xA9 m u s\n", "invalid UTF-8 replaced, unknown tags keep their text");
	is_str(md("x<sup>n+1</sup> x<sup>[1]</sup> <strike>no</strike> ~tilde~"),
	       "xn+1 x\\[1\\] ~~no~~ \\~tilde\\~\n", "sup: text when not all digits; ~ escaped");

	/* behaviour kept */
	is_str(md("<pre>int x = 1 &lt; 2;\n</pre>"), "```\nint x = 1 < 2;\n```\n", "pre block");
	is_str(md("Five * stars"), "Five \\* stars\n", "markup characters escaped");
	ok(!strstr(md("<script>alert(1)</script>ok"), "alert"), "scripts dropped");
	struct buf t = BUF_INIT;
	html2text("<p>A <b>b</b></p><iframe src=\"x\">z</iframe>", 41, &t);
	is_str(buf_cstr(&t), "A b", "html2text unchanged");
	buf_free(&t);
	return tap_done();
}
