/* test_url: one reading of a URL, and what each use accepts. */
#include "tap.h"
#include "url.h"

int main(void)
{
	ok(url_read("").scheme == URL_EMPTY, "empty");
	ok(url_read("HTTPS://example.org/").scheme == URL_HTTP, "https in capitals is http(s)");
	ok(url_read("mailto:a@b.c").scheme == URL_MAILTO, "mailto");
	ok(url_read("/posts/x").scheme == URL_PATH, "a path");
	ok(url_read("other-post#n").scheme == URL_RELATIVE, "relative");
	ok(url_read("./a:b").scheme == URL_RELATIVE, "a colon after a slash is not a scheme");
	ok(url_read("  JavaScript:alert(1)").scheme == URL_UNSAFE, "javascript: after spaces, any case");
	ok(url_read("vbscript:x").scheme == URL_UNSAFE && url_read("file:///etc/passwd").scheme == URL_UNSAFE,
	   "vbscript: and file:");
	ok(url_read("data:image/png;base64,AA").scheme == URL_DATA_IMAGE, "data:image/png");
	ok(url_read("data:text/html,<script>").scheme == URL_UNSAFE, "other data: is unsafe");
	ok(url_read("ftp://x").scheme == URL_OTHER, "ftp is another scheme");
	ok(!url_read("http://a b").plain && !url_read("http://a\"b").plain && url_read("http://a/b").plain,
	   "plain: no space or quote");

	ok(url_web_ok("") && url_web_ok("https://example.org"), "website: empty or http(s)");
	ok(!url_web_ok("http://") && !url_web_ok("example.org") && !url_web_ok("javascript:alert(1)"),
	   "website: no bare scheme, no relative, no javascript");
	ok(!url_web_ok("http://x/<script>") && !url_web_ok(" http://x.org"),
	   "website: plain, no leading space");
	ok(url_markdown_ok("relative") && url_markdown_ok("ftp://x") && !url_markdown_ok("javascript:x"),
	   "markdown: cmark's safe-mode list");
	ok(url_import_link_ok("/a") && url_import_link_ok("mailto:x@y") && !url_import_link_ok("ftp://x") &&
	       !url_import_link_ok("javascript:x"),
	   "import links: http(s), mailto, paths");
	return tap_done();
}
