/* test_options: the site options: language tags, each option's validation and stored form,
 * laying them over a config, and the site_options/audit_log tables on an in-memory database. */
#include <stdio.h>
#include <string.h>

#include "audit.h"
#include "db_options.h"
#include "db_site.h"
#include "options.h"
#include "tap.h"

/* The stored form of v for k, or "!" when refused. */
static const char *norm(enum opt_key k, const char *v)
{
	static struct buf b = BUF_INIT;
	return opt_normalize(k, v, &b) ? "!" : buf_cstr(&b);
}

int main(void)
{
	static const char *const good[] = {
	    "en",         "en-GB",  "fr-CA",      "zh-Hant",        "zh-Hant-TW",
	    "sr-Latn-RS", "es-419", "de-CH-1901", "sl-rozaj-biske", "en-a-bbb-x-a-ccc",
	    "x-whatever", "gsw",    "ast",        "zh-yue",         "en-US-x-twain"};
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
		ok(bcp47_valid(good[i]), "%s is a language tag", good[i]);
	static const char *const bad[] = {
	    "",       "e",           "english!", "en_GB",    "en-",        "-en",
	    "en--GB", "123",         "en-a",     "en-a-x-y", "toolongtag", "en-GB-toolongvariant",
	    "fr CA",  "en-\xc3\xa9", "abcd",     "x",        "en-x"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ok(!bcp47_valid(bad[i]), "'%s' is not", bad[i]);
	is_str(norm(OPT_LANGUAGE, " EN-gb "), "en-GB", "a tag in its conventional case");
	is_str(norm(OPT_LANGUAGE, "ZH-HANT-tw"), "zh-Hant-TW", "script title case, region upper");

	is_str(norm(OPT_TITLE, "  My blog  "), "My blog", "a title is trimmed");
	is_str(norm(OPT_TITLE, "   "), "!", "a blank title is refused");
	is_str(norm(OPT_TITLE, "two\nlines"), "!", "a title is one line");
	is_str(norm(OPT_TITLE, "bell\a"), "!", "control characters are refused");
	is_str(norm(OPT_TITLE, "bad \xff utf-8"), "!", "invalid UTF-8 is refused");
	is_str(norm(OPT_TITLE, "rtl \xe2\x80\xae trick"), "!", "a direction override is refused");
	char longest[4 * OPT_TITLE_MAX + 8] = "";
	for (int i = 0; i < OPT_TITLE_MAX; i++)
		strcat(longest, "\xc3\xa9");
	ok(strcmp(norm(OPT_TITLE, longest), "!") != 0, "200 characters (400 bytes) are a title");
	strcat(longest, "e");
	is_str(norm(OPT_TITLE, longest), "!", "201 are not");
	is_str(norm(OPT_DESCRIPTION, ""), "", "an empty description is allowed");

	is_str(norm(OPT_POSTS_PER_PAGE, "7"), "7", "posts per page");
	is_str(norm(OPT_POSTS_PER_PAGE, " 007 "), "7", "as a plain number");
	is_str(norm(OPT_POSTS_PER_PAGE, "0"), "!", "0 posts per page is refused");
	is_str(norm(OPT_POSTS_PER_PAGE, "101"), "!", "over POSTS_PER_PAGE_MAX is refused");
	is_str(norm(OPT_POSTS_PER_PAGE, "1e2"), "!", "only digits");
	is_str(norm(OPT_POSTS_PER_PAGE, "-3"), "!", "no sign");
	is_str(norm(OPT_POSTS_PER_PAGE, "99999999999999999999"), "!", "no overflow");
	is_str(norm(OPT_CLOSE_AFTER_DAYS, "0"), "0", "0 days: never close");
	is_str(norm(OPT_MAX_LINKS, "1001"), "!", "max links is bounded");
	is_str(norm(OPT_COMMENTS_PER_PAGE, "500"), "500", "comments per page up to 500");
	is_str(norm(OPT_MODERATION, "all"), "all", "moderation all");
	is_str(norm(OPT_MODERATION, "some"), "!", "an unknown moderation word is refused");
	is_str(norm(OPT_POST_MAILS, "off"), "off", "mails off");
	is_str(norm(OPT_DISALLOWED_WORDS, "viagra\r\n casino , \n\nfree money,"),
	       "viagra, casino, free money", "words one per line or comma separated, blanks dropped");
	is_str(norm(OPT_DISALLOWED_WORDS, ""), "", "no words");

	struct config c;
	config_init(&c);
	struct options o = {0};
	ok(options_put(&o, "title", "Stored title", 100) == 0 &&
	       options_put(&o, "posts_per_page", "4", 300) == 0 &&
	       options_put(&o, "moderation", "none", 200) == 0 &&
	       options_put(&o, "max_links", "lots", 50) == 0 && options_put(&o, "no_such_key", "x", 900) == 0,
	   "options stored");
	ok(o.changed_at == 900, "the newest change time, of any row (%lld)", (long long)o.changed_at);
	struct config eff = c; /* a shallow copy, as each worker keeps: its strings are c's or o's */
	options_apply(&o, &eff);
	is_str(eff.title, "Stored title", "a stored title wins over the file's");
	ok(eff.posts_per_page == 4 && eff.moderation == MOD_NONE, "numbers and words too");
	ok(eff.max_links == 2, "a stored value that is not valid leaves the file's");
	is_str(eff.description, "A blog.", "an unset option keeps the file's value");
	is_str(c.title, "quire", "the file's config is untouched");
	ok(options_post_mails(&o), "mails on unless set off");
	options_free(&o);
	struct buf b = BUF_INIT;
	opt_of_config(&c, OPT_MODERATION, &b);
	is_str(buf_cstr(&b), "first", "the file's value in stored form (c holds the file's again)");
	buf_free(&b);

	struct db d;
	char err[256];
	if (db_open(&d, ":memory:", DB_CREATE, err, sizeof err) < 0 || db_migrate(&d, err, sizeof err) < 0) {
		printf("Bail out! %s\n", err);
		return 1;
	}
	long long g0 = reader_generation(&d);
	ok(db_option_set(&d, "title", "One", 10) == 0 && reader_generation(&d) > g0,
	   "setting an option moves the generation");
	long long g1 = reader_generation(&d);
	ok(db_option_set(&d, "title", "Two", 20) == 0 && reader_generation(&d) > g1, "so does changing one");
	ok(db_option_post_mails(&d) == 1, "mails on while unset");
	ok(db_option_set(&d, "post_mails", "off", 30) == 0 && db_option_post_mails(&d) == 0,
	   "and off when set");
	ok(db_options_load(&d, &o) == 0 && o.val[OPT_TITLE] && strcmp(o.val[OPT_TITLE], "Two") == 0 &&
	       !options_post_mails(&o) && o.changed_at == 30,
	   "loaded back");
	long long g2 = reader_generation(&d);
	ok(db_option_unset(&d, "title", 40) == 0 && reader_generation(&d) > g2,
	   "unsetting moves the generation");
	ok(db_options_load(&d, &o) == 0 && !o.val[OPT_TITLE], "the title is unset");
	ok(o.changed_at == 40, "and the time of the last change stays (%lld)", (long long)o.changed_at);
	options_free(&o);

	ok(db_run(&d,
	          "INSERT INTO users(id, name, slug, email, pw_hash, created_at) VALUES(7, 'Ada', 'ada', "
	          "'a@b.org', 'x', 0)",
	          DB_NOARGS) == 1,
	   "a user");
	ok(audit_add(&d, 7, "settings.title", "title: \"One\" -> \"Two\"") == 0 &&
	       audit_add(&d, 0, "user.add", "by a command") == 0 &&
	       audit_add(&d, 7, "settings.language", "language: \"en\" -> \"fr\"") == 0,
	   "audit rows");
	struct arena a = {0};
	struct audit_entry e[5];
	long n = audit_recent(&d, "settings.", 5, &a, e);
	ok(n == 2 && strcmp(e[0].action, "settings.language") == 0 && strcmp(e[0].user_name, "Ada") == 0 &&
	       e[0].user_id == 7,
	   "the settings rows, newest first, with who (%ld)", n);
	n = audit_recent(&d, "", 1, &a, e);
	ok(n == 1 && strcmp(e[0].action, "settings.language") == 0, "at most max");
	n = audit_recent(&d, "user.", 5, &a, e);
	ok(n == 1 && e[0].user_id == 0 && strcmp(e[0].user_name, "") == 0, "a row without a user");
	arena_free(&a);
	db_close(&d);
	config_free(&c);
	return tap_done();
}
