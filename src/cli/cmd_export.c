/* cmd_export: `quire export markdown DIR`: every post as a file `quire post import` reads back
 * unchanged. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"
#include "db_cli.h"
#include "timefmt.h"

#define EXPORT_PATH_MAX 4096

static const char export_help[] =
    "usage: quire export markdown --db PATH [--config FILE] DIR\n"
    "--config FILE: read the configuration file first; its [server] db is used without --db.\n"
    "Writes every post as DIR/SLUG.md with front matter; `quire post import DIR/*.md` reads them back.\n";

struct export_run {
	const char *dir;
	int n;
};

/* A front matter value, quoted so that import's unquoting gives it back exactly. */
static void fm_line(FILE *f, const char *key, const char *value)
{
	fprintf(f, "%s: \"%s\"\n", key, value);
}

static void write_front_matter(FILE *f, const struct export_post *p)
{
	fputs("---\n", f);
	fm_line(f, "title", p->title);
	fm_line(f, "slug", p->slug);
	if (p->published_at) {
		char b[TIME_BUFSZ];
		time_rfc3339(p->published_at, b);
		fm_line(f, "date", b);
	}
	if (p->updated_at && p->updated_at != p->published_at) {
		char b[TIME_BUFSZ];
		time_rfc3339(p->updated_at, b);
		fm_line(f, "updated", b);
	}
	if (*p->tags)
		fm_line(f, "tags", p->tags);
	if (*p->author)
		fm_line(f, "author", p->author);
	fprintf(f, "draft: %s\n", p->draft ? "true" : "false");
	if (p->sticky)
		fputs("sticky: true\n", f);
	if (p->no_notify)
		fputs("notify: false\n", f);
	if (*p->excerpt)
		fm_line(f, "excerpt", p->excerpt);
	fputs("---\n", f);
}

/* Writes DIR/SLUG.md through a temporary file, so a file is whole or absent; 1 (printed) stops
 * the export. */
static int write_post(const struct export_post *p, void *arg)
{
	struct export_run *run = arg;
	char path[EXPORT_PATH_MAX], tmp[EXPORT_PATH_MAX + 8];
	snprintf(path, sizeof path, "%s/%s.md", run->dir, p->slug);
	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	FILE *f = fopen(tmp, "w");
	if (!f) {
		fprintf(stderr, "quire: %s: %s\n", tmp, strerror(errno));
		return 1;
	}
	write_front_matter(f, p);
	fputs(p->body_md, f);
	if (fclose(f) != 0 || rename(tmp, path) != 0) {
		fprintf(stderr, "quire: %s: %s\n", path, strerror(errno));
		unlink(tmp);
		return 1;
	}
	printf("wrote %s\n", path);
	run->n++;
	return 0;
}

static int export_markdown(struct db *d, const char *dir)
{
	if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
		fprintf(stderr, "quire: %s: %s\n", dir, strerror(errno));
		return 1;
	}
	struct export_run run = {dir, 0};
	int rc = db_export_each(d, write_post, &run);
	if (rc < 0)
		fprintf(stderr, "quire: export: sqlite: %s\n", db_errmsg(d));
	if (rc != 0)
		return 1;
	printf("exported %d posts to %s\n", run.n, dir);
	return 0;
}

int cmd_export(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "markdown") != 0) {
		if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0))
			return fputs(export_help, stdout), 0;
		return usage_error("export", "the one format is 'markdown'");
	}
	return cli_run_path("export", export_help, argc - 1, argv + 1, export_markdown);
}
