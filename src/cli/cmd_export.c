/* cmd_export: `quire export markdown DIR` (every post as a file `quire post import` reads back
 * unchanged) and `quire backup FILE` (a consistent copy of the live database). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"
#include "timefmt.h"

#define BACKUP_PAGES 256 /* pages copied per step: writers get the lock in between */
#define BACKUP_TRIES 200

static const char export_help[] =
    "usage: quire export markdown --db PATH DIR\n"
    "Writes every post as DIR/SLUG.md with front matter; `quire post import DIR/*.md` reads them back.\n";
static const char backup_help[] =
    "usage: quire backup --db PATH FILE\n"
    "Writes a consistent copy of the database to FILE with SQLite's online backup, while quire serve runs.\n";

/* A front matter value, quoted so that import's unquoting gives it back exactly. */
static void fm_line(FILE *f, const char *key, const char *value)
{
	fprintf(f, "%s: \"%s\"\n", key, value);
}

static int write_post(sqlite3_stmt *st, const char *dir)
{
	const char *slug = db_text(st, 0);
	char path[4096], tmp[4200];
	snprintf(path, sizeof path, "%s/%s.md", dir, slug);
	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	FILE *f = fopen(tmp, "w");
	if (!f) {
		fprintf(stderr, "quire: %s: %s\n", tmp, strerror(errno));
		return -1;
	}
	fputs("---\n", f);
	fm_line(f, "title", db_text(st, 1));
	fm_line(f, "slug", slug);
	time_t pa = (time_t)sqlite3_column_int64(st, 2);
	if (pa) {
		char b[TIME_BUFSZ];
		time_rfc3339(pa, b);
		fm_line(f, "date", b);
	}
	if (*db_text(st, 3))
		fm_line(f, "tags", db_text(st, 3));
	if (*db_text(st, 4))
		fm_line(f, "author", db_text(st, 4));
	fprintf(f, "draft: %s\n", strcmp(db_text(st, 5), "draft") == 0 ? "true" : "false");
	if (*db_text(st, 6))
		fm_line(f, "excerpt", db_text(st, 6));
	fputs("---\n", f);
	fputs(db_text(st, 7), f);
	if (fclose(f) != 0 || rename(tmp, path) != 0) {
		fprintf(stderr, "quire: %s: %s\n", path, strerror(errno));
		unlink(tmp);
		return -1;
	}
	printf("wrote %s\n", path);
	return 0;
}

static int export_markdown(struct db *d, const char *dir)
{
	if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
		fprintf(stderr, "quire: %s: %s\n", dir, strerror(errno));
		return 1;
	}
	sqlite3_stmt *st = db_prep(
	    d, "SELECT p.slug, p.title, p.published_at, coalesce((SELECT group_concat(name, ', ') "
	       "FROM (SELECT t.name FROM post_tags pt JOIN tags t ON t.id = pt.tag_id "
	       "WHERE pt.post_id = p.id ORDER BY t.name)), ''), coalesce(u.name, ''), p.status, "
	       "p.excerpt, p.body_md FROM posts p LEFT JOIN users u ON u.id = p.author_id ORDER BY p.id");
	if (!st)
		return 1;
	int rc = 0, n = 0;
	while (rc == 0 && sqlite3_step(st) == SQLITE_ROW) {
		rc = write_post(st, dir);
		n++;
	}
	sqlite3_reset(st);
	if (rc == 0)
		printf("exported %d posts to %s\n", n, dir);
	return rc == 0 ? 0 : 1;
}

static int backup(struct db *d, const char *file)
{
	char tmp[4200];
	snprintf(tmp, sizeof tmp, "%s.tmp", file);
	unlink(tmp);
	sqlite3 *out = NULL;
	int rc = sqlite3_open_v2(tmp, &out, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
	sqlite3_backup *b = rc == SQLITE_OK ? sqlite3_backup_init(out, "main", d->h, "main") : NULL;
	if (!b) {
		fprintf(stderr, "quire: backup: %s: %s\n", tmp,
		        out ? sqlite3_errmsg(out) : sqlite3_errstr(rc));
		sqlite3_close(out);
		unlink(tmp);
		return 1;
	}
	int tries = 0;
	do {
		rc = sqlite3_backup_step(b, BACKUP_PAGES);
		if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
			if (++tries > BACKUP_TRIES)
				break;
			sqlite3_sleep(10);
		}
	} while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE || sqlite3_close(out) != SQLITE_OK || rename(tmp, file) != 0) {
		fprintf(stderr, "quire: backup: %s: %s\n", file,
		        rc != SQLITE_DONE ? sqlite3_errstr(rc) : strerror(errno));
		unlink(tmp);
		return 1;
	}
	printf("backed up %s to %s\n", sqlite3_db_filename(d->h, "main"), file);
	return 0;
}

/* Both commands take --db/--config and one path. */
static int run(const char *cmd, const char *help, int argc, char **argv, int (*fn)(struct db *, const char *))
{
	static const struct option opts[] = {
	    {"db", required_argument, NULL, 'd'},
	    {"config", required_argument, NULL, 'c'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	const char *db = NULL, *config = NULL;
	int ch;
	opterr = 0;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'd')
			db = optarg;
		else if (ch == 'c')
			config = optarg;
		else if (ch == 'h')
			return fputs(help, stdout), 0;
		else
			return usage_error(cmd, "unknown option '%s'", argv[optind - 1]);
	}
	if (optind != argc - 1)
		return usage_error(cmd, "expected one path");
	if (!db && !config)
		return usage_error(cmd, "--db PATH is required");
	struct config c;
	config_init(&c);
	struct db d = {0};
	int rc = cli_open(cmd, &c, config, db, &d);
	if (rc == 0)
		rc = fn(&d, argv[optind]);
	db_close(&d);
	config_free(&c);
	return rc;
}

int cmd_export(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "markdown") != 0) {
		if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0))
			return fputs(export_help, stdout), 0;
		return usage_error("export", "the one format is 'markdown'");
	}
	return run("export", export_help, argc - 1, argv + 1, export_markdown);
}

int cmd_backup(int argc, char **argv)
{
	return run("backup", backup_help, argc, argv, backup);
}
