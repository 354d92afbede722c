/* cmd_mail: `quire mail run` sends the outbox from a separate process (with a progress bar on a
 * terminal); `quire mail status` prints the queue. */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "outbox.h"
#include "site.h"

static const char mail_help[] =
    "usage: quire mail run --db PATH [--config FILE] [--templates DIR] [--follow]\n"
    "       quire mail status --db PATH [--config FILE]\n"
    "run sends every due mail of the outbox, then exits (with --follow it keeps watching).\n"
    "Set [mail] sender = off when this process, not quire serve, does the sending.\n";

static volatile int stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void progress(const struct outbox_progress *p, void *arg)
{
	(void)arg;
	long done = p->sent + p->failed;
	long total = p->total > done ? p->total : done;
	int width = 30, fill = total ? (int)(done * width / total) : width;
	char bar[64];
	memset(bar, '#', (size_t)fill);
	memset(bar + fill, '.', (size_t)(width - fill));
	bar[width] = '\0';
	fprintf(stderr, "\r[%s] %ld/%ld sent, %ld failed, %ld to retry ", bar, p->sent, total, p->failed,
	        p->retried);
	fflush(stderr);
}

static int status(struct db *d)
{
	long c[4];
	if (outbox_counts(d, c) < 0)
		return 1;
	printf("queued %ld\nsending %ld\nsent %ld\nfailed %ld\n", c[0], c[1], c[2], c[3]);
	return 0;
}

static int run(struct db *d, const struct site *site, bool follow)
{
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	outbox_requeue_stale(d);
	bool tty = isatty(STDERR_FILENO);
	long total = 0;
	do {
		if (outbox_due_posts(d, time(NULL)) < 0)
			return 1;
		long n = outbox_drain(d, site, 0, &stop, tty ? progress : NULL, NULL);
		if (n < 0)
			return 1;
		total += n;
		if (follow && !stop)
			sleep(1);
	} while (follow && !stop);
	if (tty)
		fputc('\n', stderr);
	long c[4];
	if (outbox_counts(d, c) == 0)
		printf("handled %ld; queue: %ld queued, %ld sent, %ld failed\n", total, c[0], c[2], c[3]);
	return 0;
}

int cmd_mail(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"db", required_argument, NULL, 'd'},
	    {"config", required_argument, NULL, 'c'},
	    {"templates", required_argument, NULL, 'T'},
	    {"follow", no_argument, NULL, 'f'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		fputs(mail_help, argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_USAGE : 0;
	}
	const char *sub = argv[1], *db = NULL, *config = NULL, *templates = NULL;
	bool follow = false;
	if (strcmp(sub, "run") && strcmp(sub, "status"))
		return usage_error("mail", "unknown subcommand '%s'", sub);
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
		case 'T':
			templates = optarg;
			break;
		case 'f':
			follow = true;
			break;
		case 'h':
			fputs(mail_help, stdout);
			return 0;
		default:
			return usage_error("mail", "unknown option '%s'", argv[optind]);
		}
	}
	if (optind < argc - 1)
		return usage_error("mail", "unexpected argument '%s'", argv[optind + 1]);
	if (!db && !config)
		return usage_error("mail", "--db PATH is required");
	struct site site;
	memset(&site, 0, sizeof site);
	config_init(&site.cfg);
	struct db d = {0};
	char err[1200];
	int rc = 1;
	if ((rc = cli_open("mail", &site.cfg, config, db, &d)) != 0)
		goto out;
	rc = 1;
	if (templates && config_set(&site.cfg, "server", "templates", templates, err, sizeof err) < 0) {
		rc = usage_error("mail", "%s", err);
		goto out;
	}
	if (strcmp(sub, "status") == 0) {
		rc = status(&d);
		goto out;
	}
	if (site_load(&site, &d, err, sizeof err) < 0) {
		fprintf(stderr, "quire: %s\n", err);
		goto out;
	}
	rc = run(&d, &site, follow);
out:
	db_close(&d);
	site_free(&site);
	return rc;
}
