/* site: loading what the workers share; the per-request side is page.c and dispatch.c. */
#include "site.h"

#include <dirent.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_media.h"
#include "db_render.h"
#include "db_site.h"
#include "fileid.h"
#include "imgsize.h"
#include "log.h"
#include "media_fill.h"
#include "static_ver.h"

static const char *const required_templates[] = {"layout",
                                                 "home",
                                                 "article",
                                                 "error",
                                                 "feed",
                                                 "sitemap",
                                                 "admin_login",
                                                 "admin_dashboard",
                                                 "admin_posts",
                                                 "admin_edit",
                                                 "admin_revisions",
                                                 "admin_revision",
                                                 "admin_delete",
                                                 "admin_media",
                                                 "admin_media_delete",
                                                 "comments_feed",
                                                 "admin_comments",
                                                 "search",
                                                 "admin_stats",
                                                 "subscribe",
                                                 "subscribe_box",
                                                 "tags",
                                                 "admin_subscribers",
                                                 "admin_settings",
                                                 "mail_confirm",
                                                 "mail_confirm_text",
                                                 "mail_post",
                                                 "mail_post_text",
                                                 "mail_reply",
                                                 "mail_reply_text",
                                                 "mail_moderation",
                                                 "mail_moderation_text",
                                                 "admin_layout",
                                                 "admin_comment_edit",
                                                 "mail_password",
                                                 "mail_password_text",
                                                 "admin_users",
                                                 "admin_user_delete",
                                                 "admin_profile",
                                                 "admin_forgot",
                                                 "admin_reset"};

#define KEY_BYTES 32
#define MEDIA_FILL_PATH_MAX 4096
#define KEY_HEX_MAX 130 /* 64 hex digits expected; a longer value is read far enough to refuse */

static int load_key(struct db *db, const char *name, unsigned char key[KEY_BYTES], char *err, size_t errsz)
{
	char hex[KEY_HEX_MAX];
	size_t len = 0;
	int got = settings_get(db, name, hex, sizeof hex);
	if (got == 1 && sodium_hex2bin(key, KEY_BYTES, hex, strlen(hex), NULL, &len, NULL) == 0 &&
	    len == KEY_BYTES)
		return 0;
	if (got == 1)
		snprintf(
		    err, errsz,
		    "the setting %s in the database is damaged (expected 64 hex digits): restore it from "
		    "a backup, or delete that row and run 'quire init' to make a new one",
		    name);
	else if (got == 0)
		snprintf(err, errsz, "database has no %s: run 'quire init'", name);
	else
		snprintf(err, errsz, "reading setting %s: %s", name, db_errmsg(db));
	return -1;
}

/* A quire run from its build or source tree, not installed, finds the templates there: next to
 * the binary, one folder up, or in the current folder; the configured path always wins when it
 * exists. */
static void find_templates(struct config *c)
{
	struct stat sb;
	if (stat(c->templates, &sb) == 0 || strcmp(c->templates, QUIRE_DATADIR "/templates") != 0)
		return;
	char exe[4096], cand[3][4200], err[64];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	exe[n > 0 ? n : 0] = '\0';
	char *slash = strrchr(exe, '/');
	if (slash)
		*slash = '\0';
	snprintf(cand[0], sizeof cand[0], "%s/templates", exe);
	snprintf(cand[1], sizeof cand[1], "%s/../templates", exe);
	snprintf(cand[2], sizeof cand[2], "%s/../../templates", exe);
	for (int i = 0; n > 0 && i < 3; i++)
		if (stat(cand[i], &sb) == 0 && S_ISDIR(sb.st_mode)) {
			config_set(c, "server", "templates", cand[i], err, sizeof err);
			return;
		}
	if (stat("templates", &sb) == 0 && S_ISDIR(sb.st_mode))
		config_set(c, "server", "templates", "templates", err, sizeof err);
}

/* Records the pixel size of each image in media_dir that has none yet (stored before
 * sql/017_meta.sql, or copied in by hand), in one transaction; a failure only costs the pages
 * reading those files' headers when they render. */
static void media_sizes_fill(const struct config *c, struct db *db)
{
	DIR *dir = c->media_dir ? opendir(c->media_dir) : NULL;
	if (!dir)
		return;
	long added = 0;
	if (db_begin(db) < 0) {
		log_warn("site: media sizes: not measured now: %s", db_errmsg(db));
		closedir(dir);
		return;
	}
	bool ok = true;
	struct dirent *e;
	while (ok && (e = readdir(dir))) {
		char path[MEDIA_FILL_PATH_MAX];
		int w, h;
		if (e->d_name[0] == '.' || media_size_get(db, e->d_name, &w, &h) != 0 ||
		    snprintf(path, sizeof path, "%s/%s", c->media_dir, e->d_name) >= (int)sizeof path ||
		    img_size_file(path, &w, &h) < 0)
			continue;
		ok = media_size_put(db, e->d_name, w, h) == 0;
		added += ok;
	}
	closedir(dir);
	if (!ok || db_commit(db) < 0) {
		log_msg("site: media sizes: %s", db_errmsg(db));
		db_rollback(db);
	} else if (added) {
		log_info("site: media sizes: %ld images measured", added);
	}
}

int site_templates_missing(const struct tmpl_set *set, const char *dir, char *err, size_t errsz)
{
	const size_t count = sizeof required_templates / sizeof required_templates[0];
	int missing = 0;
	for (size_t i = 0; i < count; i++)
		missing += !tmpl_has(set, required_templates[i]);
	if (!missing)
		return 0;
	size_t len = 0;
	int n = snprintf(err, errsz, "%s: missing template%s", dir, missing > 1 ? "s" : "");
	for (size_t i = 0, k = 0; i < count && n >= 0 && (size_t)n < errsz - len; i++) {
		len += (size_t)n;
		n = 0;
		if (!tmpl_has(set, required_templates[i]))
			n = snprintf(err + len, errsz - len, "%s%s.html", k++ ? ", " : " ",
			             required_templates[i]);
	}
	return missing;
}

int site_templates_load(struct config *c, struct tmpl_set **set, char *err, size_t errsz)
{
	find_templates(c);
	*set = tmpl_set_new();
	if (!*set) {
		snprintf(err, errsz, "out of memory");
		return -1;
	}
	if (tmpl_load_dir(*set, c->templates, err, errsz) < 0)
		return -1;
	return site_templates_missing(*set, c->templates, err, errsz) > 0 ? -1 : 0;
}

int site_load(struct site *s, struct db *db, char *err, size_t errsz)
{
	find_templates(&s->cfg);
	const char *strict = getenv("QUIRE_TMPL_STRICT");
	tmpl_strict(strict && strcmp(strict, "1") == 0);
	s->tmpl = tmpl_set_new();
	if (!s->tmpl || tmpl_load_dir(s->tmpl, s->cfg.templates, err, errsz) < 0 ||
	    site_templates_missing(s->tmpl, s->cfg.templates, err, errsz) > 0)
		return -1;
	static_ver_load(s->cfg.templates); /* logged when static/ cannot be read; not fatal */
	s->secure_cookies = strncmp(s->cfg.base_url, "https://", 8) == 0;
	if (file_ident_get(s->cfg.db, &s->db_id) < 0) {
		snprintf(err, errsz, "%s: cannot stat the database", s->cfg.db);
		return -1;
	}
	if (load_key(db, "identicon_key", s->identicon_key, err, errsz) < 0)
		return -1;
	media_sizes_fill(&s->cfg, db);
	media_library_fill(s->cfg.media_dir, db);
	db_render_refresh(db); /* logged; a failure keeps the old HTML, tried again at next start */
	return load_key(db, "comment_form_key", s->form_key, err, errsz);
}

void site_free(struct site *s)
{
	tmpl_set_free(s->tmpl);
	s->tmpl = NULL;
	config_free(&s->cfg);
}
