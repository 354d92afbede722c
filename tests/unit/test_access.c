/* test_access: markup for assistive technology: focusable code blocks and tables, cell alignment
 * as a class, a heading for footnotes, in posts and comments; identicons decorative beside a name. */
#include <string.h>

#include "comment_text.h"
#include "html_access.h"
#include "identicon.h"
#include "markdown.h"
#include "tap.h"

static const char *acc(const char *s)
{
	static struct buf b;
	buf_reset(&b);
	html_access(&b, s);
	return buf_cstr(&b);
}

static const char *md(const char *s)
{
	static struct buf b;
	buf_reset(&b);
	md_render(s, strlen(s), &b);
	return buf_cstr(&b);
}

static int count(const char *hay, const char *needle)
{
	int n = 0;
	for (const char *p = hay; (p = strstr(p, needle)); p++)
		n++;
	return n;
}

int main(void)
{
	is_str(acc("<pre><code>x</code></pre>"), "<pre tabindex=\"0\"><code>x</code></pre>",
	       "a <pre> takes the focus");
	is_str(acc("<pre lang=\"c\"><code>x</code></pre>"),
	       "<pre tabindex=\"0\" lang=\"c\"><code>x</code></pre>", "a <pre> with attributes too");
	is_str(acc("<p>&lt;pre&gt; <preview></p>"), "<p>&lt;pre&gt; <preview></p>",
	       "text and other tags stay");
	is_str(acc("<table>\n<thead>\n<tr>\n<th align=\"right\">a</th>\n<th>b</th>\n</tr>\n</thead>\n"
	           "<tbody>\n<tr>\n<td align=\"center\">1</td>\n<td "
	           "align=\"left\">2</td>\n</tr>\n</tbody>\n</table>\n"),
	       "<div class=\"table-scroll\" tabindex=\"0\"><table>\n<thead>\n<tr>\n<th "
	       "class=\"align-right\">a</th>\n"
	       "<th>b</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n<td class=\"align-center\">1</td>\n"
	       "<td class=\"align-left\">2</td>\n</tr>\n</tbody>\n</table></div>\n",
	       "a table is wrapped in a focusable scroller, alignment is a class");
	is_str(acc("<td align=\"justify\">x</td>"), "<td align=\"justify\">x</td>",
	       "an unknown alignment is left");
	is_str(acc("a < b"), "a < b", "a lone '<' is copied");
	is_str(acc(""), "", "empty");

	const char *code = md("Text.\n\n```c\nint x;\n```\n\n    indented\n");
	ok(count(code, "<pre tabindex=\"0\"") == 2 && !strstr(code, "<pre>"),
	   "Markdown code blocks are focusable: %s", code);
	const char *tbl = md("| a | b |\n| --: | :-: |\n| 1 | 2 |\n");
	ok(strstr(tbl, "<div class=\"table-scroll\" tabindex=\"0\"><table>") &&
	       strstr(tbl, "</table></div>") && strstr(tbl, "<th class=\"align-right\">a</th>") &&
	       strstr(tbl, "<td class=\"align-center\">2</td>") && !strstr(tbl, "align=\""),
	   "a Markdown table scrolls in a focusable wrapper, no align attribute: %s", tbl);
	const char *fn = md("Text.[^1]\n\n[^1]: The note.\n");
	ok(strstr(fn, "<section class=\"footnotes\" data-footnotes>\n<h2 class=\"sr\">Footnotes</h2>") !=
	       NULL,
	   "the footnotes have a heading: %s", fn);
	const char *esc = md("`<pre>` and <pre>raw</pre> and <table>\n");
	ok(!strstr(esc, "tabindex") && !strstr(esc, "table-scroll"),
	   "raw HTML and code spans gain nothing: %s", esc);

	struct buf c = BUF_INIT;
	const char *body = "See https://example.org:\n\n```\nlong line\n```\n";
	int links = comment_render(body, strlen(body), &c);
	ok(links == 1 && strstr(buf_cstr(&c), "<pre tabindex=\"0\"><code>long line") &&
	       strstr(buf_cstr(&c), "<a rel=\"nofollow ugc\" href=\"https://example.org\""),
	   "a comment's code block is focusable, its links still nofollow: %s", buf_cstr(&c));
	buf_free(&c);

	unsigned char key[IDENTICON_KEYBYTES] = {1};
	struct buf svg = BUF_INIT;
	identicon_svg(&svg, key, "a@example.org", 40, NULL);
	ok(strstr(buf_cstr(&svg), "aria-hidden=\"true\"") && !strstr(buf_cstr(&svg), "role=") &&
	       !strstr(buf_cstr(&svg), "aria-label"),
	   "an identicon beside a name is decorative: %s", buf_cstr(&svg));
	buf_reset(&svg);
	identicon_svg(&svg, key, "a@example.org", 40, "");
	ok(strstr(buf_cstr(&svg), "aria-hidden=\"true\"") != NULL, "an empty label is decorative too");
	buf_reset(&svg);
	identicon_svg(&svg, key, "a@example.org", 40, "Ada's <avatar>");
	ok(strstr(buf_cstr(&svg), "role=\"img\" aria-label=\"Ada&#39;s &lt;avatar&gt;\"") &&
	       !strstr(buf_cstr(&svg), "aria-hidden"),
	   "a label names the image, escaped: %s", buf_cstr(&svg));
	buf_free(&svg);
	return tap_done();
}
