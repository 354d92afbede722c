/* cmd_import: `quire import wxr FILE.xml` and `quire import disqus FILE.xml`. */
#include <getopt.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "import.h"

/* glibc gives the top of the heap back to the kernel when more than this is free there; an import
 * frees and takes back memory for every post (SQLite's savepoint journals, the bodies), and each
 * return cost a brk and a TLB flush on every CPU: 2,000 posts took 0.75 s of system time with
 * glibc's default and 0.3 s with this, at the same peak RSS */
#define IMPORT_TRIM_THRESHOLD (32 << 20)

static const char import_help[] =
    "usage: quire import wxr --db PATH FILE.xml      a WordPress export (posts, tags, authors, comments)\n"
    "       quire import disqus --db PATH FILE.xml   a Disqus export (comments, matched to posts by URL)\n"
    "Importing the same file again creates no duplicates. Old WordPress addresses answer with a 301.\n";

int cmd_import(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"db", required_argument, NULL, 'd'},
	    {"config", required_argument, NULL, 'c'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		fputs(import_help, argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_USAGE : 0;
	}
	const char *kind = argv[1], *db = NULL, *config = NULL;
	if (strcmp(kind, "wxr") && strcmp(kind, "disqus"))
		return usage_error("import", "unknown format '%s' (wxr or disqus)", kind);
	int ch;
	opterr = 0;
	optind = 1;
	while ((ch = getopt_long(argc - 1, argv + 1, "", opts, NULL)) != -1) {
		if (ch == 'd')
			db = optarg;
		else if (ch == 'c')
			config = optarg;
		else if (ch == 'h')
			return fputs(import_help, stdout), 0;
		else
			return usage_error("import", "unknown option '%s'", argv[optind]);
	}
	if (optind != argc - 2)
		return usage_error("import", "expected one FILE.xml");
	if (!db && !config)
		return usage_error("import", "--db PATH is required");
	const char *file = argv[optind + 1];
	struct config c;
	config_init(&c);
	struct db d = {0};
	int rc = cli_open("import", &c, config, db, &d);
	if (rc == 0) {
#ifdef __GLIBC__
		if (mallopt(M_TRIM_THRESHOLD, IMPORT_TRIM_THRESHOLD) != 1)
			fprintf(stderr,
			        "quire: import: mallopt refused the trim threshold (slower, no harm)\n");
#endif
		struct import_stats st = {0};
		char err[CLI_ERR_MAX] = "";
		bool tty = isatty(STDERR_FILENO);
		int r = strcmp(kind, "wxr") == 0 ? import_wxr(&d, file, tty, &st, err, sizeof err)
		                                 : import_disqus(&d, file, tty, &st, err, sizeof err);
		printf("posts: %ld created, %ld updated", st.posts_created, st.posts_updated);
		if (st.posts_unchanged)
			printf(" (%ld unchanged)", st.posts_unchanged);
		printf(", %ld skipped; comments: %ld created, %ld already there, %ld skipped\n",
		       st.posts_skipped, st.comments_created, st.comments_known, st.comments_skipped);
		/* what the import did on its own judgement, so nothing changes unreported */
		if (st.posts_protected)
			printf("%ld protected or private imported as drafts\n", st.posts_protected);
		if (st.posts_pending)
			printf("%ld pending imported as drafts\n", st.posts_pending);
		if (st.slugs_renamed)
			printf("%ld slugs taken by other posts, given new ones (listed above)\n",
			       st.slugs_renamed);
		if (st.tags_dropped)
			printf("%ld tags too long or too many left out (listed above)\n", st.tags_dropped);
		if (st.slugs_changed)
			printf("%ld slugs quire could not keep as given, made anew (listed above)\n",
			       st.slugs_changed);
		if (st.posts_too_big || st.comments_too_big)
			printf(
			    "skipped as too large (over %d bytes, listed above): %ld posts, %ld comments\n",
			    XML_TEXT_MAX, st.posts_too_big, st.comments_too_big);
		if (st.comments_pending || st.comments_spam || st.comments_trash)
			printf("comments: %ld pending (moderation queue); skipped: %ld spam, %ld trash\n",
			       st.comments_pending, st.comments_spam, st.comments_trash);
		if (r < 0) {
			fprintf(stderr, "quire: import: %s\n", err);
			rc = 1;
		}
	}
	db_close(&d);
	config_free(&c);
	return rc;
}
