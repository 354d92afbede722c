/* cmd_media: `quire media resize`: the smaller copies (srcset widths) of every image in the media
 * library that lacks them: files that were there before the library, and any a failed upload
 * left out. Idempotent: a second run finds nothing to do. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "db_media.h"
#include "db_posts.h"
#include "image.h"
#include "media_file.h"
#include "media_fill.h"
#include "media_variants.h"

#define RESIZE_BATCH 32
#define RESIZE_FILE_MAX (64L * 1024 * 1024) /* bytes of an original read (imports may exceed uploads) */
#define RESIZE_PATH_MAX 4096

static const char media_help[] =
    "usage: quire media resize --db PATH [--config FILE]\n"
    "Lists every image under media_dir in the media library (those copied in or imported before it\n"
    "existed), writes the smaller copies (480, 800, 1200 and 1600 px wide, only those narrower than\n"
    "the image; never of a GIF) that are missing, and finds which posts use each image again.\n"
    "Safe to run while quire serve runs, and again: a second run has nothing to do.\n";

struct ctx {
	struct db *d;
	const char *name;
	struct arena *a;
	int recorded;
};

static int have(void *arg, int width)
{
	struct ctx *c = arg;
	struct media_variant *v;
	int n = media_variants(c->d, c->a, c->name, &v);
	for (int i = 0; i < n; i++)
		if (v[i].width == width)
			return 1;
	return 0;
}

static int done(void *arg, int width, int height, const char *file)
{
	struct ctx *c = arg;
	if (media_variant_add(c->d, c->name, width, height, file) < 0) {
		fprintf(stderr, "quire: media: %s: %s\n", file, db_errmsg(c->d));
		return -1;
	}
	c->recorded++;
	return 0;
}

/* The file dir/name read whole into *p (malloc'd): its length, or -1 with the reason printed. */
static long read_whole(const char *dir, const char *name, unsigned char **p)
{
	char path[RESIZE_PATH_MAX];
	if (!media_name_safe(name) || snprintf(path, sizeof path, "%s/%s", dir, name) >= (int)sizeof path)
		return -1;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	struct stat sb;
	if (fd < 0 || fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode) || sb.st_size > RESIZE_FILE_MAX) {
		fprintf(stderr, "quire: media: %s: %s\n", path,
		        fd < 0 ? strerror(errno) : "not a file, or too large");
		if (fd >= 0)
			close(fd);
		return -1;
	}
	unsigned char *b = malloc((size_t)sb.st_size + 1);
	long got = 0;
	while (b && got < (long)sb.st_size) {
		ssize_t k = read(fd, b + got, (size_t)(sb.st_size - got));
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			break;
		got += k;
	}
	close(fd);
	if (!b || got != (long)sb.st_size) {
		fprintf(stderr, "quire: media: %s: read failed\n", path);
		free(b);
		return -1;
	}
	*p = b;
	return got;
}

/* Makes the missing variants of name: the number written, or -1. */
static int resize_one(struct db *d, struct arena *a, const char *dir, const char *name)
{
	unsigned char *p = NULL;
	long n = read_whole(dir, name, &p);
	if (n < 0)
		return -1;
	struct image_info info;
	const char *why = NULL;
	struct ctx c = {d, name, a, 0};
	int rc = image_probe(p, (size_t)n, &info, &why) < 0
	             ? -1
	             : media_variants_make(dir, name, p, (size_t)n, &info, have, done, &c);
	if (why)
		fprintf(stderr, "quire: media: %s: %s\n", name, why);
	free(p);
	return rc < 0 ? -1 : c.recorded;
}

static int resize(struct db *d, const char *dir)
{
	media_library_fill(dir, d);
	struct arena a = {0};
	long images = 0, written = 0, failed = 0;
	char after[MEDIA_NAME_MAX + 16] = "";
	for (;;) {
		const char **names;
		int n =
		    media_needing_variants(d, &a, after, image_widths, IMAGE_VARIANTS, RESIZE_BATCH, &names);
		if (n < 0) {
			fprintf(stderr, "quire: media: %s\n", db_errmsg(d));
			arena_free(&a);
			return 1;
		}
		for (int i = 0; i < n; i++) {
			int k = resize_one(d, &a, dir, names[i]);
			if (k < 0)
				failed++;
			else
				images++, written += k;
			if (k >= 0)
				printf("%s: %d smaller copies written\n", names[i], k);
			snprintf(after, sizeof after, "%s", names[i]);
		}
		arena_reset(&a);
		if (n < RESIZE_BATCH)
			break;
	}
	arena_free(&a);
	long posts = media_uses_fill(d, true);
	/* articles rendered before show the new srcset on their next render */
	if (written && content_touch(d, time(NULL)) < 0)
		fprintf(stderr, "quire: media: cached pages not refreshed: %s\n", db_errmsg(d));
	printf("%ld images resized, %ld smaller copies written, %ld failed; where-used read from %ld posts\n",
	       images, written, failed, posts < 0 ? 0 : posts);
	return failed || posts < 0 ? 1 : 0;
}

int cmd_media(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"db", required_argument, NULL, 'd'},
	    {"config", required_argument, NULL, 'c'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	static const char *const subs[] = {"resize", NULL};
	int rc;
	const char *sub = cli_subcommand(argc, argv, "media", media_help, subs, &rc);
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
			fputs(media_help, stdout);
			return 0;
		default:
			return usage_error("media", "unknown option '%s'", argv[optind]);
		}
	}
	if (optind < argc - 1)
		return usage_error("media", "unexpected argument '%s'", argv[optind + 1]);
	if (!db && !config)
		return usage_error("media", "--db PATH is required");
	struct config cfg;
	config_init(&cfg);
	struct db d = {0};
	if ((rc = cli_open("media", &cfg, config, db, &d)) == 0)
		rc = resize(&d, cfg.media_dir);
	db_close(&d);
	config_free(&cfg);
	return rc;
}
