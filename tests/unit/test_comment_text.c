/* test_comment_text: comment bodies: links counted and marked, images as links, no raw HTML. */
#include <string.h>

#include "comment_text.h"
#include "tap.h"

static int links;

static const char *render(const char *s)
{
	static struct buf b;
	buf_reset(&b);
	links = comment_render(s, strlen(s), &b);
	return buf_cstr(&b);
}

int main(void)
{
	is_str(render("Hello"), "<p>Hello</p>\n", "plain text is a paragraph");
	ok(links == 0, "no links");
	is_str(render("one\n\ntwo"), "<p>one</p>\n<p>two</p>\n", "paragraphs");
	is_str(render("see https://example.org/a?b=1."),
	       "<p>see <a rel=\"nofollow ugc\" "
	       "href=\"https://example.org/a?b=1\">https://example.org/a?b=1</a>.</p>\n",
	       "a bare URL is linked, trailing dot left out");
	ok(links == 1, "one link counted");
	render("http://a.example/ and https://b.example/x and [c](https://c.example/)");
	ok(links == 3, "three links counted (%d)", links);
	const char *img = render("![alt text](https://example.org/p.png)");
	ok(!strstr(img, "<img") && strstr(img, "href=\"https://example.org/p.png\">alt text</a>"),
	   "image becomes a link: %s", img);
	const char *raw = render("<script>alert(1)</script> <b onclick=x>b</b>");
	ok(!strstr(raw, "<script") && !strstr(raw, "onclick") && !strstr(raw, "<b"), "raw HTML dropped: %s",
	   raw);
	const char *js = render("[x](javascript:alert(1))");
	ok(!strstr(js, "javascript:"), "javascript: link emptied: %s", js);
	const char *code = render("`https://in.code/` ok");
	ok(!strstr(code, "href"), "URLs in code are not linked");
	const char *esc = render("a < b & \"c\"");
	ok(strstr(esc, "a &lt; b &amp; &quot;c&quot;") != NULL, "text escaped: %s", esc);
	render("httpx://no and http:// alone");
	ok(links == 0, "not URLs are not linked");
	return tap_done();
}
