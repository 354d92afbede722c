/* test_frontmatter: the post file header: fields, errors with line numbers, tags. */
#include <string.h>

#include "frontmatter.h"
#include "tap.h"

static int parse(const char *text, struct frontmatter *fm, char *err)
{
	static char copy[8192];
	snprintf(copy, sizeof copy, "%s", text);
	return fm_parse(copy, strlen(copy), fm, err, 256);
}

int main(void)
{
	struct frontmatter fm;
	char err[256] = "";
	ok(parse("---\ntitle: Hello: a \"test\"\nslug: hello\ndate: 2026-01-02\ntags: a, b ,, c\n"
	         "author: Ada\ndraft: true\n---\nBody *here*\n",
	         &fm, err) == 0,
	   "a full front matter parses (%s)", err);
	is_str(fm.title, "Hello: a \"test\"", "title keeps colons and quotes");
	is_str(fm.slug, "hello", "slug");
	is_str(fm.date, "2026-01-02", "date");
	is_str(fm.author, "Ada", "author");
	ok(fm.draft == 1, "draft");
	is_str(fm.body, "Body *here*\n", "body after the closing line");

	ok(parse("---\r\ntitle: \"Quoted\"\r\n---\r\nx", &fm, err) == 0, "CRLF lines");
	is_str(fm.title, "Quoted", "quotes stripped");
	ok(fm.draft == -1, "draft unset");

	ok(parse("---\nslug: x\n---\nbody", &fm, err) < 0 && strstr(err, "no title"), "missing title");
	ok(parse("title: x\n", &fm, err) < 0 && strstr(err, "line 1"), "missing opening line");
	ok(parse("---\ntitle: x\n", &fm, err) < 0 && strstr(err, "not closed"), "unclosed");
	ok(parse("---\ntitle: x\nnonsense\n---\n", &fm, err) < 0 && strstr(err, "line 3"), "bad line named");
	ok(parse("---\ntitle: x\ndraft: maybe\n---\n", &fm, err) < 0, "bad draft value");
	ok(parse("---\ntitle: x\nsticky: true\n---\n", &fm, err) == 0 && fm.sticky == 1, "sticky: true pins");
	ok(parse("---\ntitle: x\nsticky: no\n---\n", &fm, err) == 0 && fm.sticky == 0, "sticky: no");
	ok(parse("---\ntitle: x\n---\n", &fm, err) == 0 && fm.sticky == -1, "sticky unset");
	ok(parse("---\ntitle: x\nsticky: 2\n---\n", &fm, err) < 0 && strstr(err, "sticky must be"),
	   "bad sticky value named");
	ok(parse("---\ntitle: x\nnotify: false\n---\n", &fm, err) == 0 && fm.notify == 0,
	   "notify: false keeps subscribers unmailed");
	ok(parse("---\ntitle: x\nnotify: yes\n---\n", &fm, err) == 0 && fm.notify == 1, "notify: yes");
	ok(parse("---\ntitle: x\n---\n", &fm, err) == 0 && fm.notify == -1 && !fm.warning[0], "notify unset");
	ok(parse("---\ntitle: x\nnotify: never\n---\n", &fm, err) < 0 && strstr(err, "notify must be"),
	   "bad notify value named");
	ok(parse("---\ntitle: x\nslug: Not A Slug\n---\n", &fm, err) < 0, "bad slug");
	ok(parse("---\ntitle: x\nlayout: post\n---\n", &fm, err) == 0 && strstr(fm.warning, "layout"),
	   "unknown key is a warning");
	char bad[] = "---\ntitle: \xC3\x28\n---\n";
	ok(fm_parse(bad, strlen(bad), &fm, err, sizeof err) < 0, "invalid UTF-8 refused");

	char tags[] = "[c, \"Systems\", c, web dev]";
	char *out[TAGS_MAX];
	int n = fm_split_tags(tags, out, err, sizeof err);
	ok(n == 3, "tags split, deduplicated (%d)", n);
	is_str(out[1], "Systems", "tag unquoted");
	is_str(out[2], "web dev", "tag with a space");
	return tap_done();
}
