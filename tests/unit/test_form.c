/* test_form: urlencoded and multipart bodies, invalid UTF-8 kept and flagged, cookies, validators. */
#include <string.h>

#include "form.h"
#include "http.h"
#include "tap.h"

static struct arena a;

static int parse(struct form *f, const char *ctype, const char *body, size_t len)
{
	char *copy = arena_strndup(&a, body, len);
	return form_parse(f, &a, ctype, copy, len);
}

int main(void)
{
	struct form f;
	const char *u = "title=Hello+W%C3%B6rld&empty=&flag&csrf=abc%26def";
	ok(parse(&f, "application/x-www-form-urlencoded", u, strlen(u)) == 0, "urlencoded parses");
	is_str(form_get(&f, "title"), "Hello Wörld", "plus and percent decoded");
	is_str(form_get(&f, "empty"), "", "empty value");
	is_str(form_get(&f, "flag"), "", "bare name");
	is_str(form_get(&f, "csrf"), "abc&def", "encoded ampersand stays in the value");
	ok(form_get(&f, "missing") == NULL, "absent field is NULL");
	ok(parse(&f, "application/x-www-form-urlencoded", "a=%zz", 5) < 0, "bad escape is an error");
	ok(parse(&f, "text/plain", "a=b", 3) < 0, "other content types are refused");

	ok(parse(&f, "application/x-www-form-urlencoded", "t=Caf%E9!", 9) == 0, "invalid UTF-8 is kept");
	ok(form_bad_utf8(&f, "t"), "and flagged");
	is_str(form_get(&f, "t"), "Caf\xEF\xBF\xBD!", "with U+FFFD in place of the bad byte");

	const char mp[] = "--XyZ\r\n"
	                  "Content-Disposition: form-data; name=\"csrf\"\r\n\r\n"
	                  "tok\r\n"
	                  "--XyZ\r\n"
	                  "Content-Disposition: form-data; name=\"image\"; filename=\"a.png\"\r\n"
	                  "Content-Type: image/png\r\n\r\n"
	                  "\x89PNG\r\n\x1a\n\0\1\2\r\n"
	                  "--XyZ--\r\n";
	ok(parse(&f, "multipart/form-data; boundary=XyZ", mp, sizeof mp - 1) == 0, "multipart parses");
	is_str(form_get(&f, "csrf"), "tok", "multipart text field");
	const struct form_field *img = form_file(&f, "image");
	ok(img && img->len == 11 && memcmp(img->value, "\x89PNG\r\n\x1a\n\0\1\2", 11) == 0,
	   "file part keeps its bytes, NULs and CRLFs included");
	is_str(img ? img->filename : NULL, "a.png", "file name");
	is_str(img ? img->ctype : NULL, "image/png", "file content type");
	ok(form_get(&f, "image") == NULL, "a file is not a text field");
	ok(parse(&f, "multipart/form-data; boundary=XyZ", "--XyZ\r\nbroken", 14) < 0, "truncated multipart");
	ok(parse(&f, "multipart/form-data", mp, sizeof mp - 1) < 0, "multipart without a boundary");

	char many[4000] = "";
	for (int i = 0; i < FORM_MAX_FIELDS + 1; i++)
		strcat(many, "a=1&");
	ok(parse(&f, "application/x-www-form-urlencoded", many, strlen(many)) < 0, "too many fields");

	char *c = cookie_get(&a, "a=1; quire_session=tok-en_1; b=2", "quire_session");
	is_str(c, "tok-en_1", "cookie found among others");
	ok(cookie_get(&a, "xquire_session=1", "quire_session") == NULL, "cookie names match whole");
	ok(cookie_get(&a, "", "quire_session") == NULL, "no cookies");

	ok(field_ok("one line", 10, true) && !field_ok("two\nlines", 20, true) &&
	       field_ok("two\nlines", 20, false),
	   "single-line check");
	ok(!field_ok("12345678901", 10, true) && field_ok("ééééééééé", 10, true), "length in characters");
	ok(!field_ok("bell\a", 10, false), "control characters refused");
	arena_free(&a);
	return tap_done();
}
