/* cmd_mail: `quire mail run` sends the outbox from a separate process (with a progress bar on a
 * terminal); `quire mail status` prints the queue and why it waits; `quire mail test ADDR`
 * sends one mail at once and shows what the relay said. */
#include <stdatomic.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "outbox.h"
#include "site.h"
#include "smtp_probe.h"
#include "text.h"

static const char mail_help[] =
    "usage: quire mail run --db PATH [--config FILE] [--templates DIR] [--follow]\n"
    "       quire mail status --db PATH [--config FILE]\n"
    "       quire mail test ADDR --db PATH [--config FILE]\n"
    "run sends every due mail of the outbox, then exits (with --follow it keeps watching); it\n"
    "exits 1 when sending is paused by a [mail] configuration error.\n"
    "Set [mail] sender = off when this process, not quire serve, does the sending.\n"
    "status prints the queue, the last error, a pause and the next attempt.\n"
    "test sends one mail to ADDR now (not through the queue) and prints the relay's answers;\n"
    "it exits 0 only when the relay accepted the mail, and then lifts a pause.\n";

static atomic_int stop;

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

/* "2026-11-25 18:40:00 UTC" */
static void when(time_t t, char *out, size_t outsz)
{
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, outsz, "%Y-%m-%d %H:%M:%S UTC", &tm);
}

/* known: the settings were read from --config, so a pause can be compared with them */
static int status(struct db *d, const struct site *site, bool known)
{
	long c[4];
	struct mail_state ms;
	if (outbox_counts(d, c) < 0 || outbox_state(d, site, &ms) < 0)
		return 1;
	printf("queued %ld\nsending %ld\nsent %ld\nfailed %ld\n", c[0], c[1], c[2], c[3]);
	char t[64];
	if (ms.last_error[0]) {
		when(ms.last_error_at, t, sizeof t);
		printf("last error: %s (at %s)\n", ms.last_error, t);
	}
	if (!known)
		ms.config_changed = false;
	if (ms.paused && ms.config_changed)
		printf("paused: the [mail] settings changed since: sending resumes at the next run\n");
	else if (ms.paused)
		printf("paused: sending waits until [mail] is fixed and quire restarted (or, when the relay "
		       "was fixed instead, until quire mail test succeeds with these settings)\n");
	if (c[0] == 0) {
		printf("next attempt: nothing queued\n");
	} else if (ms.paused && !ms.config_changed) {
		printf("next attempt: when the configuration is fixed\n");
	} else {
		time_t now = time(NULL);
		when(ms.next_attempt > now ? ms.next_attempt : now, t, sizeof t);
		printf("next attempt: %s%s\n", t, ms.next_attempt > now ? "" : " (due now)");
	}
	return 0;
}

static int test_send(struct db *d, const struct site *site, const char *to)
{
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	struct buf msg = BUF_INIT, transcript = BUF_INIT;
	char helo[256], err[512] = "";
	long code = 0;
	int rc = 1;
	struct smtp_cfg sc;
	struct smtp *smtp = NULL;
	outbox_smtp_cfg(site, &stop, helo, sizeof helo, &sc);
	sc.transcript = &transcript;
	if (!email_valid(to)) {
		rc = usage_error("mail", "'%s' is not an email address", to);
		goto out;
	}
	if (smtp_test_message(&site->cfg, to, &msg) < 0 || !(smtp = smtp_open(&sc))) {
		fprintf(stderr, "quire: mail: test: could not build the message\n");
		goto out;
	}
	printf("sending a test mail to %s through %s (TLS: %s)\n", to, site->cfg.smtp_url,
	       strncmp(site->cfg.smtp_url, "smtps://", 8) == 0 ? "from the start" : smtp_tls_mode(&sc));
	enum smtp_result res = smtp_send(smtp, to, msg.p, msg.len, err, sizeof err, &code);
	smtp_close(smtp);
	fputs(buf_cstr(&transcript), stdout);
	if (res == SMTP_SENT) {
		printf("sent: the relay accepted the test mail for %s\n", to);
		/* the same settings that failed work now (the relay was fixed): the pause is over. With
		 * other settings, the pause lifts when quire runs with them: a server still holding the
		 * old ones would only fail again (one more refused login at the relay) */
		struct mail_state ms;
		if (outbox_state(d, site, &ms) == 0 && ms.paused && !ms.config_changed) {
			outbox_resume(d);
			printf("sending resumes: the settings that failed work now\n");
		} else if (ms.paused) {
			printf("sending stays paused until quire runs with these settings (restart quire "
			       "serve)\n");
		}
		rc = 0;
	} else {
		printf("not sent: %s\n", err);
	}
out:
	buf_free(&msg);
	buf_free(&transcript);
	return rc;
}

static int run(struct db *d, const struct site *site, bool follow)
{
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	int lock = outbox_sender_lock(site->cfg.db);
	if (lock == -2) {
		printf(
		    "another sender is working on the queue (quire serve with [mail] sender = on, or another "
		    "quire mail run): not starting a second one\n");
		return 0;
	}
	if (lock < 0)
		return 1;
	outbox_startup(d, site);
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
	struct mail_state ms;
	if (outbox_state(d, site, &ms) == 0 && ms.paused && !ms.config_changed) {
		fprintf(stderr, "quire: mail: sending is paused: %s\n", ms.last_error);
		return 1;
	}
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
	static const char *const subs[] = {"run", "status", "test", NULL};
	int rc;
	const char *sub = cli_subcommand(argc, argv, "mail", mail_help, subs, &rc);
	if (!sub)
		return rc;
	const char *db = NULL, *config = NULL, *templates = NULL;
	bool follow = false;
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
	/* test takes the address; getopt has moved it to the end */
	const char *addr = NULL;
	if (strcmp(sub, "test") == 0 && optind < argc - 1)
		addr = argv[1 + optind++];
	if (strcmp(sub, "test") == 0 && !addr)
		return usage_error("mail", "test needs an address: quire mail test ADDR");
	if (optind < argc - 1)
		return usage_error("mail", "unexpected argument '%s'", argv[optind + 1]);
	if (!db && !config)
		return usage_error("mail", "--db PATH is required");
	struct site site;
	memset(&site, 0, sizeof site);
	config_init(&site.cfg);
	struct db d = {0};
	char err[1200];
	if ((rc = cli_open("mail", &site.cfg, config, db, &d)) != 0)
		goto out;
	rc = 1;
	if (templates && config_set(&site.cfg, "server", "templates", templates, err, sizeof err) < 0) {
		rc = usage_error("mail", "%s", err);
		goto out;
	}
	if (strcmp(sub, "status") == 0) {
		rc = status(&d, &site, config != NULL);
		goto out;
	}
	if (strcmp(sub, "test") == 0) {
		rc = test_send(&d, &site, addr);
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
