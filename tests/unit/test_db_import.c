/* test_db_import: the statements the importers and the command line use (src/db/db_import.c,
 * db_cli.c, db_backup.c), against an in-memory database with the schema applied. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db.h"
#include "db_backup.h"
#include "db_cli.h"
#include "db_import.h"
#include "db_media.h"
#include "db_tags.h"
#include "tap.h"

#define NOW 1700000000

static void test_settings(struct db *d)
{
	char key[80] = "";
	ok(db_identicon_key_init(d, "aa11") == 0, "identicon key stored");
	ok(db_identicon_key_init(d, "bb22") == 0, "a second key is not an error");
	db_str(d, key, sizeof key, "SELECT value FROM settings WHERE key = 'identicon_key'", DB_NOARGS);
	is_str(key, "aa11", "and does not replace the first");
}

static sqlite3_int64 test_authors(struct db *d)
{
	char err[256] = "";
	sqlite3_int64 id = 0, got = 0;
	ok(db_user_id_by_name(d, "Ada Lovelace", &id) == 0, "no user yet");
	ok(db_import_author_find(d, "Ada Lovelace", "", &id) == 0, "no author by name yet");
	id = db_import_author_add(d, "Ada Lovelace", "ada@example.org", NOW, err, sizeof err);
	ok(id > 0, "author added with its id (%lld) %s", (long long)id, err);
	char hash[crypto_pwhash_STRBYTES] = "";
	db_str(d, hash, sizeof hash, "SELECT pw_hash FROM users WHERE id = ?1", DB_ARGS(DB_I(id)));
	ok(strncmp(hash, "$argon2id$", 10) == 0 &&
	       crypto_pwhash_str_needs_rehash(hash, crypto_pwhash_OPSLIMIT_INTERACTIVE,
	                                      crypto_pwhash_MEMLIMIT_INTERACTIVE) == 0,
	   "an imported author's hash has the interactive limits, so checking it costs a real one's (%s)",
	   hash);
	ok(crypto_pwhash_str_verify(hash, "", 0) != 0 &&
	       crypto_pwhash_str_verify(hash, "correct horse battery", 21) != 0,
	   "and no password opens it");
	ok(db_user_id_by_name(d, "Ada Lovelace", &got) == 1 && got == id, "found by name");
	got = 0;
	ok(db_user_id_by_name(d, "ada-lovelace", &got) == 1 && got == id, "found by slug");
	got = 0;
	ok(db_import_author_find(d, "Someone", "ada@example.org", &got) == 1 && got == id,
	   "an importer's author found by email");
	ok(db_import_author_find(d, "Someone", "", &got) == 0, "an empty email matches no one");
	ok(db_import_author_add(d, "Ada Lovelace", "ada@example.org", NOW, err, sizeof err) == -1 && *err,
	   "a duplicate author is refused with a reason (%s)", err);
	return id;
}

static void test_upsert(struct db *d, sqlite3_int64 author)
{
	struct post_write w = {.slug = "hello",
	                       .title = "Hello",
	                       .body_md = "*hi*xx",
	                       .body_len = 4,
	                       .body_html = "<p><em>hi</em></p>",
	                       .excerpt = "hi",
	                       .author_id = author};
	sqlite3_int64 id = db_post_upsert(d, &w, NOW), again = 0, v = 0;
	ok(id > 0, "upsert creates a post");
	char body[16] = "";
	db_str(d, body, sizeof body, "SELECT body_md FROM posts WHERE id = ?1", DB_ARGS(DB_I(id)));
	is_str(body, "*hi*", "the body is stored with its length");
	db_int(d, &v, "SELECT published_at FROM posts WHERE id = ?1", DB_ARGS(DB_I(id)));
	ok(v == NOW, "an undated published post is published now");
	w.title = "Hello again";
	w.has_date = true;
	w.published_at = NOW - 10;
	ok(db_post_upsert(d, &w, NOW + 5) == id, "upsert of the same slug updates the post");
	db_int(d, &v, "SELECT published_at FROM posts WHERE id = ?1", DB_ARGS(DB_I(id)));
	ok(v == NOW - 10, "a given date is kept");
	ok(db_post_id_by_slug(d, "hello", &again) == 1 && again == id, "found by slug");
	ok(db_post_id_by_slug(d, "nope", &again) == 0, "an unknown slug is 0");
	struct post_write dr = {
	    .slug = "draft", .title = "D", .body_md = "", .body_html = "", .excerpt = "", .draft = true};
	sqlite3_int64 did = db_post_upsert(d, &dr, NOW);
	db_int(d, &v, "SELECT published_at FROM posts WHERE id = ?1", DB_ARGS(DB_I(did)));
	ok(did > 0 && v == 0, "an undated draft has no date");
}

static void test_wxr(struct db *d)
{
	struct post_write w = {.slug = "wp-post",
	                       .title = "WP",
	                       .body_md = "x",
	                       .body_len = 1,
	                       .body_html = "x",
	                       .excerpt = "",
	                       .published_at = NOW - 100,
	                       .wp_id = 42};
	sqlite3_int64 id = db_import_post_write(d, &w, 0, NOW), got = 0, v = 0;
	ok(id > 0, "an imported post is inserted");
	ok(db_int(d, &v, "SELECT notified_at FROM posts WHERE id = ?1", DB_ARGS(DB_I(id))) == 1 && v == NOW,
	   "and counts as announced (no mail for an import)");
	ok(db_import_post_find(d, 42, "other-slug", &got) == 1 && got == id, "found by WordPress id");
	got = 0;
	ok(db_import_post_find(d, 0, "wp-post", &got) == 1 && got == id, "or by slug");
	w.wp_id = 0;
	w.title = "WP 2";
	ok(db_import_post_write(d, &w, id, NOW + 1) == id, "an update returns the id");
	ok(db_int(d, &v, "SELECT wp_id FROM posts WHERE id = ?1", DB_ARGS(DB_I(id))) == 1 && v == 42,
	   "an update without a WordPress id keeps the old one");
	ok(db_legacy_redirect_set(d, "/2019/01/wp-post", id) == 0, "legacy path stored");
	ok(db_legacy_redirect_set(d, "/2019/01/wp-post", id) == 0, "storing it again is no error");
	got = 0;
	ok(db_post_id_by_path(d, "/2019/01/wp-post", &got) == 1 && got == id, "post found by legacy path");
	got = 0;
	ok(db_post_id_by_path(d, "/posts/wp-post", &got) == 1 && got == id, "and by its own path");
	ok(db_post_id_by_path(d, "/nowhere", &got) == 0, "an unknown path is 0");
	struct post_write dup = w;
	dup.slug = "hello";
	ok(db_import_post_write(d, &dup, 0, NOW) == -1, "a slug taken is an error");
}

/* sql/017_meta.sql: the date of the content's last change, the featured image, image sizes. */
static void test_meta(struct db *d)
{
	sqlite3_int64 v = 0;
	char img[64] = "";
	struct post_write w = {.slug = "dated",
	                       .title = "Dated",
	                       .body_md = "x",
	                       .body_len = 1,
	                       .body_html = "x",
	                       .excerpt = "",
	                       .published_at = NOW - 1000,
	                       .modified_at = NOW - 500,
	                       .featured_image = "/media/a.png",
	                       .wp_id = 77};
	sqlite3_int64 id = db_import_post_write(d, &w, 0, NOW);
	db_int(d, &v, "SELECT updated_at FROM posts WHERE id = ?1", DB_ARGS(DB_I(id)));
	ok(v == NOW - 500, "an import stores WordPress's modified date, not the import's time");
	db_str(d, img, sizeof img, "SELECT featured_image FROM posts WHERE id = ?1", DB_ARGS(DB_I(id)));
	is_str(img, "/media/a.png", "and the featured image");
	ok(db_import_post_same(d, id, &w) == 1, "the same item again is the same post");
	w.modified_at = NOW - 400;
	ok(db_import_post_same(d, id, &w) == 0, "a later modified date is a change");
	w.featured_image = NULL;
	ok(db_import_post_write(d, &w, id, NOW + 10) == id, "written again without a featured image");
	db_str(d, img, sizeof img, "SELECT featured_image FROM posts WHERE id = ?1", DB_ARGS(DB_I(id)));
	is_str(img, "/media/a.png", "which keeps the stored one");
	w.modified_at = 0;
	db_import_post_write(d, &w, id, NOW + 20);
	db_int(d, &v, "SELECT updated_at FROM posts WHERE id = ?1", DB_ARGS(DB_I(id)));
	ok(v == NOW + 20, "without a modified date, the write's time");

	struct post_write md = {
	    .slug = "md", .title = "Md", .body_md = "a", .body_len = 1, .body_html = "a", .excerpt = "a"};
	id = db_post_upsert(d, &md, NOW);
	ok(db_post_upsert(d, &md, NOW + 50) == id, "a Markdown file imported again");
	db_int(d, &v, "SELECT updated_at FROM posts WHERE id = ?1", DB_ARGS(DB_I(id)));
	ok(v == NOW, "unchanged, keeps its date");
	md.body_md = "b";
	db_post_upsert(d, &md, NOW + 60);
	db_int(d, &v, "SELECT updated_at FROM posts WHERE id = ?1", DB_ARGS(DB_I(id)));
	ok(v == NOW + 60, "changed, takes the import's time");

	int wd = 0, ht = 0;
	ok(media_size_get(d, "a.png", &wd, &ht) == 0, "no size recorded yet");
	ok(media_size_put(d, "a.png", 640, 480) == 0 && media_size_put(d, "a.png", 640, 480) == 0,
	   "a size recorded, twice");
	ok(media_size_get(d, "a.png", &wd, &ht) == 1 && wd == 640 && ht == 480, "and read back");
}

/* The WordPress import's matching: by WordPress id only, and who holds a slug. */
static void test_import_match(struct db *d)
{
	sqlite3_int64 id = 0, got = 0, owner = -1;
	db_post_id_by_slug(d, "wp-post", &id);
	ok(db_import_post_by_wp_id(d, 42, &got) == 1 && got == id,
	   "an imported post found by its WordPress id");
	ok(db_import_post_by_wp_id(d, 43, &got) == 0, "an unknown WordPress id matches nothing");
	ok(db_import_slug_owner(d, "wp-post", &owner) == 1 && owner == 42,
	   "a slug held by an imported post names its WordPress id");
	ok(db_import_slug_owner(d, "hello", &owner) == 1 && owner == 0, "a slug held by a native post: 0");
	ok(db_import_slug_owner(d, "nobody-has-this", &owner) == 0, "a free slug");
	struct post_write w = {.slug = "wp-post",
	                       .title = "WP 2",
	                       .body_md = "x",
	                       .body_len = 1,
	                       .body_html = "x",
	                       .excerpt = "",
	                       .published_at = NOW - 100,
	                       .wp_id = 42};
	ok(db_import_post_same(d, id, &w) == 1, "the post as stored is the same");
	w.title = "WP 3";
	ok(db_import_post_same(d, id, &w) == 0, "a new title is a change");
	w.title = "WP 2";
	w.draft = true;
	ok(db_import_post_same(d, id, &w) == 0, "a new status is a change");
	w.draft = false;
	w.body_html = "<p>x</p>";
	ok(db_import_post_same(d, id, &w) == 0, "so is new HTML from the same Markdown");
}

static void test_comments(struct db *d)
{
	sqlite3_int64 post = 0, id = 0, parent = 0, v = 0;
	db_post_id_by_slug(d, "wp-post", &post);
	struct comment_write c = {.key = "wp:7",
	                          .post_id = post,
	                          .name = "Bob",
	                          .email = "",
	                          .url = "",
	                          .body_md = "hi",
	                          .body_html = "<p>hi</p>",
	                          .created_at = NOW};
	ok(db_comment_by_import_key(d, "wp:7", &id) == 0, "no comment under the key yet");
	ok(db_import_comment_insert(d, &c) == 0, "comment stored");
	ok(db_comment_by_import_key(d, "wp:7", &parent) == 1 && parent > 0, "found by its key");
	struct comment_write r = c;
	r.key = "wp:8";
	r.parent_id = parent;
	ok(db_import_comment_insert(d, &r) == 0, "a reply stored");
	db_comment_by_import_key(d, "wp:8", &id);
	ok(db_int(d, &v, "SELECT parent_id FROM comments WHERE id = ?1", DB_ARGS(DB_I(id))) == 1 &&
	       v == parent,
	   "with its parent");
	char status[16] = "";
	db_str(d, status, sizeof status, "SELECT status FROM comments WHERE id = ?1", DB_ARGS(DB_I(id)));
	is_str(status, "approved", "imported comments are approved");
	ok(db_import_comment_insert(d, &c) == -1, "the same key twice is an error");
}

static int count_post(const struct post_row *p, void *arg)
{
	int *n = arg;
	if (*n == 0)
		ok(strcmp(p->slug, "hello") == 0 && strcmp(p->author, "Ada Lovelace") == 0,
		   "the first listed is the newest (%s by %s)", p->slug, p->author);
	return ++*n == 2 ? 7 : 0;
}

static int count_user(const struct user_row *u, void *arg)
{
	(void)u;
	++*(int *)arg;
	return 0;
}

static int check_export(const struct export_post *p, void *arg)
{
	int *n = arg;
	if (strcmp(p->slug, "hello") == 0)
		ok(strcmp(p->tags, "alpha, beta") == 0 && !p->draft && strcmp(p->body_md, "*hi*") == 0,
		   "export: tags in name order (%s), body", p->tags);
	if (strcmp(p->slug, "draft") == 0)
		ok(p->draft && *p->author == '\0', "export: a draft without an author");
	++*n;
	return 0;
}

static void test_walks(struct db *d)
{
	int n = 0;
	ok(db_posts_each(d, count_post, &n) == 7 && n == 2, "a callback's nonzero return stops the walk");
	n = 0;
	ok(db_users_each(d, count_user, &n) == 0 && n == 1, "users listed (%d)", n);
	sqlite3_int64 hello = 0;
	db_post_id_by_slug(d, "hello", &hello);
	char *tags[] = {"beta", "alpha"};
	post_set_tags(d, hello, tags, 2);
	n = 0;
	ok(db_export_each(d, check_export, &n) == 0 && n == 3, "every post exported (%d)", n);
}

static void test_backup(struct db *d)
{
	char file[512], err[512] = "";
	const char *tmp = getenv("TMPDIR");
	snprintf(file, sizeof file, "%s/test_db_import.%ld.db", tmp && *tmp ? tmp : "/tmp", (long)getpid());
	ok(db_backup(d, file, err, sizeof err) == 0, "backup written %s", err);
	struct db copy = {0};
	sqlite3_int64 n = 0;
	ok(db_open(&copy, file, DB_OPEN_EXISTING, err, sizeof err) == 0 &&
	       db_int(&copy, &n, "SELECT count(*) FROM posts", DB_NOARGS) == 1 && n == 3,
	   "the copy opens with every post (%lld)", (long long)n);
	is_str(db_path(&copy), file, "db_path names the file");
	db_close(&copy);
	char bad[600];
	snprintf(bad, sizeof bad, "%s/no/such/dir/x.db", tmp && *tmp ? tmp : "/tmp");
	ok(db_backup(d, bad, err, sizeof err) == -1 && strstr(err, "x.db"), "a bad path: %s", err);
	unlink(file);
}

static sqlite3_int64 count(struct db *d, const char *sql)
{
	sqlite3_int64 n = -1;
	db_int(d, &n, sql, DB_NOARGS);
	return n;
}

/* A batch is one transaction; an item a savepoint in it, undone alone. */
static void test_batches(struct db *d)
{
	sqlite3_int64 before = count(d, "SELECT count(*) FROM users");
	ok(db_import_batch_begin(d) == 0 && db_import_batch_open(d), "a batch opens a transaction");
	int began = db_import_item_begin(d);
	ok(began == 0, "an item inside a batch is a savepoint");
	char err[256] = "";
	ok(db_import_author_add(d, "Kept Author", "kept@example.org", NOW, err, sizeof err) > 0,
	   "item 1 writes");
	ok(db_import_item_end(d, began, true) == 0, "item 1 kept");
	began = db_import_item_begin(d);
	ok(db_import_author_add(d, "Undone Author", "undone@example.org", NOW, err, sizeof err) > 0,
	   "item 2 writes");
	ok(db_import_item_end(d, began, false) == 0 && db_import_batch_open(d),
	   "item 2 undone, the batch still open");
	ok(db_import_batch_commit(d) == 0 && !db_import_batch_open(d), "the batch commits");
	ok(count(d, "SELECT count(*) FROM users") == before + 1 &&
	       count(d, "SELECT count(*) FROM users WHERE name = 'Kept Author'") == 1,
	   "only the kept item is stored");
	began = db_import_item_begin(d);
	ok(began == 1 && db_import_batch_open(d), "an item without a batch is a transaction of its own");
	ok(db_import_item_end(d, began, true) == 0 && !db_import_batch_open(d), "and commits by itself");
	ok(db_import_batch_commit(d) == -1, "committing no batch is an error, not a silent success");

	struct post_write w = {.slug = "tagged", .title = "T", .body_md = "", .body_html = "", .excerpt = ""};
	sqlite3_int64 id = db_post_upsert(d, &w, NOW);
	char *tags[] = {"Tom & Jerry", "Boats"};
	ok(post_set_tags(d, id, tags, 2) == 0, "tags set");
	const char *same[] = {"boats", "tom-jerry"}, *fewer[] = {"boats"}, *other[] = {"boats", "tide"};
	ok(db_import_post_tags_same(d, id, same, 2) == 1, "the same tags in another order are the same");
	ok(db_import_post_tags_same(d, id, fewer, 1) == 0, "fewer tags differ");
	ok(db_import_post_tags_same(d, id, other, 2) == 0, "another tag differs");
	ok(db_import_post_tags_same(d, id, NULL, 0) == 0, "no tags differ from two");
}

int main(void)
{
	struct db d = {0};
	char err[256];
	if (sodium_init() < 0)
		return 1;
	ok(db_open(&d, ":memory:", DB_CREATE, err, sizeof err) == 0, "in-memory database opens");
	ok(db_migrate(&d, err, sizeof err) > 0, "schema applied");
	test_settings(&d);
	sqlite3_int64 author = test_authors(&d);
	test_upsert(&d, author);
	test_wxr(&d);
	test_import_match(&d);
	test_comments(&d);
	test_walks(&d);
	test_backup(&d);
	test_batches(&d);
	test_meta(&d);
	db_close(&d);
	return tap_done();
}
