/* test_tmpl: variables escape by default, sections, includes, and load errors with file:line. */
#include <string.h>

#include "tmpl.h"
#include "tap.h"

static struct arena a;

static const char *render(const char *text, struct tobj *ctx)
{
	static struct buf out;
	char err[256];
	struct tmpl_set *set = tmpl_set_new();
	buf_reset(&out);
	if (tmpl_add(set, "t", "t.html", text, err, sizeof err) < 0 || tmpl_link(set, err, sizeof err) < 0 ||
	    tmpl_render(set, "t", ctx, &out) < 0) {
		tmpl_set_free(set);
		return NULL;
	}
	tmpl_set_free(set);
	return buf_cstr(&out);
}

static const char *load_error(const char *text)
{
	static char err[256];
	struct tmpl_set *set = tmpl_set_new();
	err[0] = '\0';
	if (tmpl_add(set, "t", "t.html", text, err, sizeof err) == 0)
		tmpl_link(set, err, sizeof err);
	tmpl_set_free(set);
	return err;
}

static const char *json(const char *s)
{
	size_t n = strlen(s);
	static struct buf out;
	buf_reset(&out);
	tmpl_esc_json(&out, s, n);
	return buf_cstr(&out);
}

/* {{%name}}: JSON values that stay valid JSON and never end the script element around them. */
static void json_tests(struct tobj *c)
{
	is_str(json("plain"), "\"plain\"", "json: a plain string is quoted");
	is_str(json("say \"hi\" \\ there"), "\"say \\\"hi\\\" \\\\ there\"",
	       "json: quote and backslash escaped");
	is_str(json("</script><!--"), "\"\\u003c/script\\u003e\\u003c!--\"", "json: < and > as \\u escapes");
	is_str(json("a\nb\r\tc\x01"), "\"a\\nb\\r\\tc\\u0001\"", "json: control characters escaped");
	is_str(json("x\xe2\x80\xa8y\xe2\x80\xa9"), "\"x\\u2028y\\u2029\"", "json: U+2028 and U+2029 escaped");
	is_str(json("caf\xc3\xa9 & 'b'"), "\"caf\xc3\xa9 \\u0026 \\u0027b\\u0027\"",
	       "json: UTF-8 kept, & and ' escaped");
	is_str(json("a\xff\xc3"), "\"a\\ufffd\\ufffd\"", "json: bytes that are not UTF-8 become U+FFFD");
	is_str(json(""), "\"\"", "json: the empty string");
	is_str(render("{\"t\": {{%title}}, \"n\": {{%n}}, \"y\": {{%yes}}, \"m\": {{%missing}}}", c),
	       "{\"t\": \"\\u003cscript\\u003ealert(1)\\u003c/script\\u003e\", \"n\": 3, \"y\": true, \"m\": "
	       "null}",
	       "{{%%name}} writes strings, numbers, booleans and null as JSON");
	is_str(render("{{%site.name}}", c), "\"Q \\u0026 A\"", "{{%%a.b}} looks up like {{a.b}}");
	is_str(render("{{%body}}", c), "\"\\u003cp\\u003etrusted\\u003c/p\\u003e\"",
	       "trusted HTML is still escaped as JSON");
}

int main(void)
{
	struct tobj *c = tobj_new(&a);
	tset_str(c, "title", "<script>alert(1)</script>");
	tset_html(c, "body", "<p>trusted</p>");
	tset_int(c, "n", 3);
	tset_bool(c, "yes", true);
	tset_bool(c, "no", false);
	struct tobj *site = tobj_new(&a);
	tset_str(site, "name", "Q & A");
	tset_obj(c, "site", site);
	struct tlist *l = tset_list(c, "items");
	tset_str(tlist_add(l), "v", "a");
	tset_str(tlist_add(l), "v", "\"b\"");
	tset_list(c, "none");

	is_str(render("<h1>{{title}}</h1>", c), "<h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1>",
	       "a string variable is escaped");
	is_str(render("<a title=\"{{ title }}\">", c), "<a title=\"&lt;script&gt;alert(1)&lt;/script&gt;\">",
	       "escaped inside an attribute too");
	is_str(render("{{body}}", c), "<p>trusted</p>", "trusted HTML passes raw");
	is_str(render("{{n}}/{{missing}}.", c), "3/.", "ints print, missing is empty");
	is_str(render("{{site.name}}", c), "Q &amp; A", "dotted lookup");
	is_str(render("{{#items}}[{{v}}|{{n}}]{{/items}}", c), "[a|3][&quot;b&quot;|3]",
	       "list section repeats with outer lookup");
	is_str(render("{{#yes}}Y{{/yes}}{{#no}}N{{/no}}{{^no}}!{{/no}}", c), "Y!", "booleans and inverted");
	is_str(render("{{^none}}empty{{/none}}{{#none}}x{{/none}}", c), "empty", "empty list is false");
	is_str(render("{{#site}}{{name}}{{/site}}", c), "Q &amp; A", "object section enters it");
	is_str(render("a{{! a comment }}b", c), "ab", "comments vanish");

	ok(strstr(load_error("a\n{{#x}}\nb"), "t.html:2: unclosed section 'x'") != NULL,
	   "unclosed section names file:line (%s)", load_error("a\n{{#x}}\nb"));
	ok(strstr(load_error("{{/x}}"), "t.html:1:") != NULL, "stray close is an error");
	ok(strstr(load_error("x\ny\n{{ title"), "t.html:3: unclosed '{{'") != NULL, "unclosed tag");
	ok(strstr(load_error("{{{raw}}}"), "not allowed") != NULL, "triple mustache is refused");
	ok(strstr(load_error("{{>nope}}"), "no template 'nope'") != NULL, "missing include is an error");
	ok(strstr(load_error("{{#a}}{{/b}}"), "closes nothing") != NULL, "mismatched close");
	ok(strstr(load_error("{{bad name}}"), "bad tag name") != NULL, "bad tag name");

	struct tmpl_set *set = tmpl_set_new();
	char err[256];
	tmpl_add(set, "inner", "inner.html", "<i>{{title}}</i>", err, sizeof err);
	tmpl_add(set, "outer", "outer.html", "[{{>inner}}]", err, sizeof err);
	ok(tmpl_link(set, err, sizeof err) == 0, "includes link");
	struct buf out = BUF_INIT;
	tmpl_render(set, "outer", c, &out);
	is_str(buf_cstr(&out), "[<i>&lt;script&gt;alert(1)&lt;/script&gt;</i>]", "include renders escaped");
	tmpl_add(set, "loop", "loop.html", "{{>loop}}", err, sizeof err);
	tmpl_link(set, err, sizeof err);
	buf_reset(&out);
	ok(tmpl_render(set, "loop", c, &out) == 0, "an include loop stops at the depth limit");
	buf_free(&out);
	tmpl_set_free(set);
	json_tests(c);
	arena_free(&a);
	return tap_done();
}
