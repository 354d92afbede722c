/* test_media_url: the pure helpers of the media import: which URLs are wanted, the uploads path
 * (and every way out of it refused), resized variants, the Markdown rewrite, type sniffing. */
#include <string.h>

#include "media_file.h"
#include "media_url.h"
#include "tap.h"

static const char *local(const char *url, size_t n, void *arg)
{
	(void)arg;
	static const char known[] = "http://old.test/wp-content/uploads/2023/05/a.jpg";
	size_t k = media_url_key_len(url, n);
	return k == strlen(known) && memcmp(url, known, k) == 0 ? "/media/abc.jpg" : NULL;
}

static void rewrite(const char *md, const char *want, const char *what)
{
	struct buf out = BUF_INIT;
	media_rewrite(md, &out, local, NULL);
	is_str(buf_cstr(&out), want, "rewrite: %s", what);
	buf_free(&out);
}

int main(void)
{
	char out[256];
	/* wanted */
	ok(media_url_wanted("http://old.test/wp-content/uploads/2023/05/a.pdf", "old.test"),
	   "uploads on the old host");
	ok(media_url_wanted("https://OLD.test:8080/img/x.PNG?w=3", "old.test"),
	   "an image by its extension, any case");
	ok(media_url_wanted("https://www.old.test/wp-content/uploads/a.jpg", "old.test"),
	   "www. or not: one site");
	ok(!media_url_wanted("http://cdn.test/wp-content/uploads/a.jpg", "old.test"),
	   "another host is not wanted");
	ok(!media_url_wanted("http://old.test/2023/05/post/", "old.test"), "a page is not media");
	ok(!media_url_wanted("ftp://old.test/a.jpg", "old.test"), "not http");
	/* url length and key */
	ok(media_url_len("http://a.test/x.jpg\" alt") == 19, "a URL ends at a quote");
	ok(media_url_len("https://a.test/x.jpg 300w, y") == 20, "and at a space (srcset)");
	ok(media_url_len("http://") == 0 && media_url_len("mailto:x") == 0, "no URL");
	ok(media_url_key_len("http://a/x.jpg?w=1#f", 20) == 14, "the key has no query");
	/* uploads path */
	ok(media_uploads_rel("http://old/wp-content/uploads/2023/05/x.jpg", out, sizeof out) == 0 &&
	       !strcmp(out, "2023/05/x.jpg"),
	   "uploads URL -> 2023/05/x.jpg (%s)", out);
	ok(media_uploads_rel("http://old/wp-content/uploads/2023/05/caf%C3%A9.jpg?x=1", out, sizeof out) ==
	           0 &&
	       !strcmp(out, "2023/05/caf\xc3\xa9.jpg"),
	   "percent-decoded, query dropped");
	ok(media_uploads_rel("http://old/wp-content/uploads/../../etc/passwd", out, sizeof out) < 0,
	   "'..' refused");
	ok(media_uploads_rel("http://old/wp-content/uploads/2023/%2e%2e/%2e%2e/x", out, sizeof out) < 0,
	   "encoded '..' refused");
	ok(media_uploads_rel("http://old/wp-content/uploads//etc/passwd", out, sizeof out) < 0,
	   "absolute refused");
	ok(media_uploads_rel("http://old/wp-content/uploads/a%2f..%2f..%2fx", out, sizeof out) < 0,
	   "encoded slash and '..' refused");
	ok(media_uploads_rel("http://old/wp-content/uploads/a%5c..%5cx", out, sizeof out) < 0,
	   "backslash refused");
	ok(media_uploads_rel("http://old/wp-content/uploads/a%00.jpg", out, sizeof out) < 0, "NUL refused");
	ok(media_uploads_rel("http://old/images/a.jpg", out, sizeof out) < 0, "not under uploads");
	ok(media_uploads_rel("http://old/wp-content/uploads/", out, sizeof out) < 0, "nothing after uploads");
	/* variants */
	ok(media_variant_original("http://o/wp-content/uploads/photo-300x200.jpg", out, sizeof out) &&
	       !strcmp(out, "http://o/wp-content/uploads/photo.jpg"),
	   "photo-300x200.jpg -> photo.jpg (%s)", out);
	ok(media_variant_original("http://o/u/my-photo-1-1024x768.png?x", out, sizeof out) &&
	       !strcmp(out, "http://o/u/my-photo-1.png"),
	   "dashes in the name kept, query dropped (%s)", out);
	ok(!media_variant_original("http://o/u/photo.jpg", out, sizeof out), "an original is no variant");
	ok(!media_variant_original("http://o/u/300x200.jpg", out, sizeof out), "no name before the size");
	ok(!media_variant_original("http://o/u/a-x200.jpg", out, sizeof out), "no width");
	ok(!media_variant_original("http://o/u.d/a-300x200", out, sizeof out), "no extension");
	/* rewrite */
	rewrite("![A](http://old.test/wp-content/uploads/2023/05/a.jpg)\n", "![A](/media/abc.jpg)\n",
	        "an image");
	rewrite("[![A](http://old.test/wp-content/uploads/2023/05/a.jpg?w=300)](http://old.test/wp-content/"
	        "uploads/"
	        "2023/05/a.jpg)",
	        "[![A](/media/abc.jpg)](/media/abc.jpg)", "an image linked to its file, with a query");
	rewrite("![B](http://old.test/x.png \"t\") and [link](http://else.test/)",
	        "[B](http://old.test/x.png \"t\") and [link](http://else.test/)",
	        "a remote image becomes a link, a link stays");
	rewrite("text http://old.test/wp-content/uploads/2023/05/a.jpg end", "text /media/abc.jpg end",
	        "a bare URL");
	rewrite("![L](/media/l.png) [B](http://x.test/b.png) ![R](http://x.test/r.png)",
	        "![L](/media/l.png) [B](http://x.test/b.png) [R](http://x.test/r.png)",
	        "a local image before a remote link keeps its !");
	rewrite("![](http://x.test/up/thumb_1-150x150.png?w=2)Text",
	        "[thumb\\_1-150x150.png](http://x.test/up/thumb_1-150x150.png?w=2)Text",
	        "a remote image without alt text becomes a link named by its file, not an empty link");
	rewrite("\\![not](http://x.test/a.png)", "\\![not](http://x.test/a.png)", "an escaped ! is text");
	rewrite("xhttp://old.test/wp-content/uploads/2023/05/a.jpg",
	        "xhttp://old.test/wp-content/uploads/2023/05/a.jpg", "inside a word: left alone");
	/* sniffing */
	ok(!strcmp(media_image_kind((const unsigned char *)"\x89PNG\r\n\x1a\n....", 12), "png"), "PNG");
	ok(!strcmp(media_image_kind((const unsigned char *)"\xff\xd8\xff\xe0", 4), "jpg"), "JPEG");
	ok(!strcmp(media_image_kind((const unsigned char *)"RIFF\0\0\0\0WEBPVP8 ", 16), "webp"), "WebP");
	ok(media_image_kind((const unsigned char *)"<!DOCTYPE html>", 15) == NULL, "HTML is no image");
	ok(media_image_kind((const unsigned char *)"<svg xmlns=", 11) == NULL, "SVG refused");
	return tap_done();
}
