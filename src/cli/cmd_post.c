/* cmd_post: `quire post import FILE.md...` and `quire post list`. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cmd.h"
#include "db_media.h"
#include "db_cli.h"
#include "post_import.h"
#include "timefmt.h"

static const char post_help[] =
    "usage: quire post import --db PATH [--config FILE] FILE.md...\n"
    "       quire post list --db PATH [--config FILE]\n"
    "--config FILE: read the configuration file first; its [server] db is used without --db.\n"
    "Each file starts with front matter between two '---' lines: title (required), slug, date\n"
    "(YYYY-MM-DD or ISO 8601), tags (comma-separated), author (a user's name), draft (true/false),\n"
    "sticky (true/false), notify (false: publishing it mails no subscriber), excerpt.\n"
    "Importing a file whose slug exists updates that post.\n";

static int print_post(const struct post_row *p, void *arg)
{
	time_t now = *(const time_t *)arg;
	char ymd[TIME_BUFSZ];
	if (p->published_at)
		time_ymd(p->published_at, ymd);
	else
		snprintf(ymd, sizeof ymd, "-");
	const char *status = p->status;
	if (strcmp(status, "published") == 0 && p->published_at > now)
		status = "scheduled";
	printf("%-5lld %-10s %-10s %-40s %s (%s)\n", (long long)p->id, status, ymd, p->slug, p->title,
	       p->author);
	return 0;
}

static int post_list(struct db *d)
{
	time_t now = time(NULL);
	printf("%-5s %-10s %-10s %-40s %s\n", "ID", "STATUS", "DATE", "SLUG", "TITLE (AUTHOR)");
	if (db_posts_each(d, print_post, &now) < 0) {
		fprintf(stderr, "quire: post list: sqlite: %s\n", db_errmsg(d));
		return 1;
	}
	return 0;
}

static int post_import(struct db *d, int nfiles, char **files)
{
	int failed = 0;
	time_t now = time(NULL);
	for (int i = 0; i < nfiles; i++) {
		char slug[256], warn[256] = "", err[512] = "";
		enum post_saved what;
		if (post_import_file(d, files[i], now, &what, slug, sizeof slug, warn, sizeof warn, err,
		                     sizeof err) < 0) {
			fprintf(stderr, "quire: %s: %s\n", files[i], err);
			failed++;
			continue;
		}
		if (*warn)
			fprintf(stderr, "quire: %s: %s\n", files[i], warn);
		printf("%s %s from %s\n", what == POST_CREATED ? "created" : "updated", slug, files[i]);
	}
	if (failed < nfiles && media_uses_fill(d, true) < 0) /* the media library's "Used in" */
		fprintf(stderr, "quire: where media is used not updated: %s\n", db_errmsg(d));
	if (failed)
		fprintf(stderr, "quire: %d of %d files not imported\n", failed, nfiles);
	return failed ? 1 : 0;
}

int cmd_post(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"db", required_argument, NULL, 'd'},
	    {"config", required_argument, NULL, 'c'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	static const char *const subs[] = {"import", "list", NULL};
	int rc;
	const char *sub = cli_subcommand(argc, argv, "post", post_help, subs, &rc);
	if (!sub)
		return rc;
	const char *db = NULL, *config = NULL;
	int ch;
	opterr = 0;
	optind = 1;
	while ((ch = getopt_long(argc - 1, argv + 1, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'd':
			db = optarg;
			break;
		case 'c':
			config = optarg;
			break;
		case 'h':
			fputs(post_help, stdout);
			return 0;
		default:
			return usage_error("post", "unknown option '%s'", argv[optind]);
		}
	}
	int nfiles = argc - 1 - optind;
	char **files = argv + 1 + optind;
	if (strcmp(sub, "import") == 0 && nfiles == 0)
		return usage_error("post", "import needs at least one FILE.md");
	if (strcmp(sub, "list") == 0 && nfiles > 0)
		return usage_error("post", "unexpected argument '%s'", files[0]);
	if (!db && !config)
		return usage_error("post", "--db PATH is required");
	struct config c;
	config_init(&c);
	struct db d = {0};
	rc = cli_open("post", &c, config, db, &d);
	if (rc == 0)
		rc = strcmp(sub, "list") == 0 ? post_list(&d) : post_import(&d, nfiles, files);
	db_close(&d);
	config_free(&c);
	return rc;
}
