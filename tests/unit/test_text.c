/* test_text: UTF-8 validation, escaping, percent-decoding, slugs and email syntax. */
#include <string.h>

#include "buf.h"
#include "text.h"
#include "tap.h"

static const char *esc(const char *s)
{
	static struct buf b;
	buf_reset(&b);
	esc_html(&b, s, strlen(s));
	return buf_cstr(&b);
}

static const char *slug(const char *s)
{
	static struct buf b;
	buf_reset(&b);
	slugify(&b, s, 80);
	return buf_cstr(&b);
}

static const char *dec(const char *s, bool plus)
{
	static char out[256];
	return url_decode(out, s, strlen(s), plus) < 0 ? NULL : out;
}

int main(void)
{
	ok(utf8_valid("héllo ✓ 😀", strlen("héllo ✓ 😀")), "valid UTF-8");
	ok(!utf8_valid("\xC0\xAF", 2), "overlong rejected");
	ok(!utf8_valid("\xED\xA0\x80", 3), "surrogate rejected");
	ok(!utf8_valid("\xF4\x90\x80\x80", 4), "above U+10FFFF rejected");
	ok(!utf8_valid("ab\xE2\x82", 4), "truncated sequence rejected");
	ok(!utf8_valid("a\0b", 3), "NUL rejected");
	ok(utf8_len("é✓", strlen("é✓")) == 2, "code points counted");

	is_str(esc("<script>alert('x')</script> & \"q\""),
	       "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;",
	       "html escaping of all five");
	is_str(esc("plain"), "plain", "plain text unchanged");

	struct buf u = BUF_INIT;
	esc_url(&u, "a b/c?d=é", strlen("a b/c?d=é"));
	is_str(buf_cstr(&u), "a%20b%2Fc%3Fd%3D%C3%A9", "url encoding of a segment");
	buf_free(&u);

	is_str(dec("a%20b%2Fc", false), "a b/c", "percent decoding");
	is_str(dec("a+b", true), "a b", "plus as space in forms");
	is_str(dec("a+b", false), "a+b", "plus kept in paths");
	ok(dec("%zz", false) == NULL, "bad hex rejected");
	ok(dec("%4", false) == NULL, "truncated escape rejected");
	ok(dec("a%00b", false) == NULL, "encoded NUL rejected");

	is_str(slug("Hello, World!"), "hello-world", "slug of a title");
	is_str(slug("  C11 & the -- art  "), "c11-the-art", "slug collapses separators");
	is_str(slug("Crème brûlée"), "crème-brûlée", "slug keeps non-ASCII letters");
	is_str(slug("!!!"), "", "slug of punctuation is empty");
	ok(slug_valid("a-b-1"), "valid slug");
	ok(!slug_valid("A-b") && !slug_valid("a--b") && !slug_valid("-a") && !slug_valid("a b"),
	   "invalid slugs rejected");

	ok(email_valid("ada@example.org"), "email accepted");
	ok(!email_valid("ada@example") && !email_valid("@example.org") && !email_valid("a b@x.org") &&
	       !email_valid("a@b@c.org") && !email_valid("a@x..org") && !email_valid("a\r\n@x.org"),
	   "bad emails rejected");
	ok(has_control("a\x01", 2) && !has_control("a\tb\n", 4), "control characters detected");
	char hx[] = "/%c3%A9t%e2/100%/%zz/%Ab";
	url_hex_case(hx, true);
	is_str(hx, "/%C3%A9t%E2/100%/%zz/%AB",
	       "url_hex_case: escapes' hex in upper case, other text untouched");
	url_hex_case(hx, false);
	is_str(hx, "/%c3%a9t%e2/100%/%zz/%ab", "and in lower case");
	return tap_done();
}
