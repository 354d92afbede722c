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
	ok(!field_ok("Evil\xe2\x80\xae Name", 40, true) &&
	       !field_ok("a\xe2\x81\xa7"
	                 "b",
	                 40, true) &&
	       field_ok("\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d \xe2\x80\x94 \xe2\x80\x99", 40, true) &&
	       field_ok("Evil\xe2\x80\xae text", 40, false),
	   "a bidi override or isolate is refused in one line (Hebrew, dashes and quotes are not)");
	ok(!field_ok("12345678901", 10, true) && field_ok("ééééééééé", 10, true), "length in characters");
	ok(!field_ok("bell\a", 10, false), "control characters refused");
	arena_free(&a);

	/* a form read through its table */
	static const struct field_spec spec[] = {
	    {"name", FIELD_LINE, 5, FIELD_REQUIRED},
	    {"email", FIELD_EMAIL, 254, 0},
	    {"url", FIELD_URL, 500, 0},
	    {"body", FIELD_TEXT, 100, FIELD_REQUIRED},
	    {"parent", FIELD_ID, 0, 0},
	    {"notify", FIELD_BOOL, 0, 0},
	    {"absent", FIELD_LINE, 10, 0},
	};
	struct field_val v[7];
	const char *good =
	    "name=+Ann+&email=+a%40b.org&url=https%3A%2F%2Fx.org&body=+hi%0Athere&parent=12&notify=on";
	ok(parse(&f, "application/x-www-form-urlencoded", good, strlen(good)) == 0, "a comment form parses");
	ok(form_read(&f, spec, 7, v) == -1, "and reads without an error");
	is_str(v[0].s, "Ann", "a line is trimmed");
	is_str(v[1].s, "a@b.org", "an email is trimmed");
	is_str(v[3].s, " hi\nthere", "a text is kept as typed");
	ok(v[4].id == 12 && v[5].on && !v[6].on && strcmp(v[6].s, "") == 0,
	   "id, checkbox, and an absent field");
	const char *bad = "name=Annabel&email=nope&url=javascript%3Ax&body=+%0A+&parent=x";
	ok(parse(&f, "application/x-www-form-urlencoded", bad, strlen(bad)) == 0,
	   "a bad comment form parses");
	ok(form_read(&f, spec, 7, v) == 0, "the first field in error is named");
	ok(v[0].err == FIELD_TOO_LONG && v[1].err == FIELD_BAD && v[2].err == FIELD_BAD &&
	       v[3].err == FIELD_EMPTY && v[4].err == FIELD_BAD && !v[5].on,
	   "too long, not an address, not a website, blank, not an id, unticked");
	ok(parse(&f, "application/x-www-form-urlencoded", "name=A%0AB&body=x%FF", 20) == 0 &&
	       form_read(&f, spec, 7, v) == 0 && v[0].err == FIELD_BAD && v[3].err == FIELD_BAD_UTF8,
	   "a line break in a line, and bad UTF-8");
	ok(form_read(NULL, spec, 7, v) == 0 && v[0].err == FIELD_EMPTY && v[6].err == FIELD_GOOD,
	   "no form at all");
	return tap_done();
}
