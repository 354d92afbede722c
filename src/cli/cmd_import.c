/* cmd_import: `quire import wxr FILE.xml` and `quire import disqus FILE.xml`. */
#include <errno.h>
#include <getopt.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"
#include "db_media.h"
#include "import.h"

/* glibc gives the top of the heap back to the kernel when more than this is free there; an import
 * frees and takes back memory for every post (SQLite's savepoint journals, the bodies), and each
 * return cost a brk and a TLB flush on every CPU: 2,000 posts took 0.75 s of system time with
 * glibc's default and 0.3 s with this, at the same peak RSS */
#define IMPORT_TRIM_THRESHOLD (32 << 20)

static const char import_help[] =
    "usage: quire import wxr --db PATH FILE.xml      a WordPress export (posts, tags, authors, comments)\n"
    "       quire import disqus --db PATH FILE.xml   a Disqus export (comments, matched to posts by URL)\n"
    "Importing the same file again creates no duplicates. Old WordPress addresses answer with a 301.\n"
    "Media (wxr): every attachment and every image on the old host is downloaded into media_dir (from\n"
    "--config) and the posts point at /media/...; what fails is listed and stays a link.\n"
    "  --media-from DIR   copy the files from DIR, a copy of the old wp-content/uploads, instead\n"
    "  --no-media         no download (images stay links to the old host; files an earlier\n"
    "                     import brought home are still used)\n"
    "  QUIRE_MEDIA_TIMEOUT (seconds per file, default 60) and QUIRE_MEDIA_MAX_BYTES (default 20 MB)\n";

/* A positive number from the environment variable name, else 0 (the default); -1 when malformed. */
static double env_number(const char *name)
{
	const char *v = getenv(name);
	if (!v || !*v)
		return 0;
	char *end;
	errno = 0;
	double d = strtod(v, &end);
	return errno || *end || !(d > 0) || d > 1e12 ? -1 : d;
}

/* The media options for a WordPress import into *o: 0, or the exit status of a usage error.
 * Media left where it is (said on stderr when media_dir is missing) still uses what an earlier
 * import brought home. */
static int media_options(const struct config *c, const char *from, bool none, struct media_opts *o)
{
	struct stat sb;
	*o = (struct media_opts){.mode = MEDIA_KNOWN};
	if (none) {
		o->media_dir = stat(c->media_dir, &sb) == 0 ? c->media_dir : NULL;
		return 0;
	}
	double t = env_number("QUIRE_MEDIA_TIMEOUT"), max = env_number("QUIRE_MEDIA_MAX_BYTES");
	if (t < 0 || max < 0)
		return usage_error("import",
		                   "QUIRE_MEDIA_TIMEOUT and QUIRE_MEDIA_MAX_BYTES must be positive numbers");
	if (from && (stat(from, &sb) < 0 || !S_ISDIR(sb.st_mode)))
		return usage_error("import", "--media-from %s: not a directory", from);
	if (stat(c->media_dir, &sb) < 0) {
		fprintf(stderr,
		        "quire: import: media_dir %s: %s: media left on the old host (name media_dir with "
		        "--config; --no-media says this is meant)\n",
		        c->media_dir, strerror(errno));
		return 0;
	}
	*o = (struct media_opts){.mode = from ? MEDIA_FROM_DIR : MEDIA_FETCH,
	                         .media_dir = c->media_dir,
	                         .from_dir = from,
	                         .timeout_ms = (long)(t * 1000),
	                         .max_bytes = (size_t)max,
	                         .progress = isatty(STDERR_FILENO)};
	return 0;
}

int cmd_import(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"db", required_argument, NULL, 'd'},
	    {"config", required_argument, NULL, 'c'},
	    {"help", no_argument, NULL, 'h'},
	    {"media-from", required_argument, NULL, 'm'}, /* wxr: a copy of wp-content/uploads */
	    {"no-media", no_argument, NULL, 'n'},         /* wxr: media left where it is */
	    {NULL, 0, NULL, 0},
	};
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		fputs(import_help, argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_USAGE : 0;
	}
	const char *kind = argv[1], *db = NULL, *config = NULL, *from = NULL;
	bool no_media = false;
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
		else if (ch == 'm')
			from = optarg;
		else if (ch == 'n')
			no_media = true;
		else if (ch == 'h')
			return fputs(import_help, stdout), 0;
		else
			return usage_error("import", "unknown option '%s'", argv[optind]);
	}
	if (optind != argc - 2)
		return usage_error("import", "expected one FILE.xml");
	if (!db && !config)
		return usage_error("import", "--db PATH is required");
	if ((from || no_media) && strcmp(kind, "wxr") != 0)
		return usage_error("import", "--media-from and --no-media are for wxr");
	if (from && no_media)
		return usage_error("import", "--media-from and --no-media together");
	const char *file = argv[optind + 1];
	struct config c;
	config_init(&c);
	struct db d = {0};
	struct media_import *media = NULL;
	int rc = cli_open("import", &c, config, db, &d);
	if (rc == 0 && strcmp(kind, "wxr") == 0) {
		struct media_opts mo;
		int m = media_options(&c, from, no_media, &mo);
		if (m == 0 && !(media = media_import_new(&mo))) {
			fprintf(stderr, "quire: import: out of memory\n");
			rc = 1;
		} else if (m > 0) {
			rc = m;
		}
	}
	if (rc == 0) {
#ifdef __GLIBC__
		if (mallopt(M_TRIM_THRESHOLD, IMPORT_TRIM_THRESHOLD) != 1)
			fprintf(stderr,
			        "quire: import: mallopt refused the trim threshold (slower, no harm)\n");
#endif
		struct import_stats st = {0};
		char err[CLI_ERR_MAX] = "";
		bool tty = isatty(STDERR_FILENO);
		int r = strcmp(kind, "wxr") == 0 ? import_wxr(&d, file, tty, media, &st, err, sizeof err)
		                                 : import_disqus(&d, file, tty, &st, err, sizeof err);
		printf("posts: %ld created, %ld updated, %ld unchanged, %ld skipped; comments: %ld created, "
		       "%ld already there, %ld skipped\n",
		       st.posts_created, st.posts_updated, st.posts_unchanged, st.posts_skipped,
		       st.comments_created, st.comments_known, st.comments_skipped);
		/* what the import did on its own judgement, so nothing changes unreported */
		if (st.posts_protected)
			printf("%ld protected or private imported as drafts\n", st.posts_protected);
		if (st.posts_pending)
			printf("%ld pending imported as drafts\n", st.posts_pending);
		if (st.pages)
			printf("%ld of them pages\n", st.pages);
		if (st.pages_renamed)
			printf("%ld page slugs are addresses quire uses, given new ones (listed above)\n",
			       st.pages_renamed);
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
		if (media)
			media_report(media, stdout);
		if (r >= 0 && media_uses_fill(&d, true) < 0) /* the media library's "Used in" */
			fprintf(stderr, "quire: import: where media is used not updated: %s\n",
			        db_errmsg(&d));
		if (r < 0) {
			fprintf(stderr, "quire: import: %s\n", err);
			rc = 1;
		}
	}
	media_import_free(media);
	db_close(&d);
	config_free(&c);
	return rc;
}
