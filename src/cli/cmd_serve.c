/* cmd_serve: `quire serve`: checks the configuration, loads the site and runs the FastCGI server. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"
#include "log.h"
#include "db_upgrade.h"
#include "serve.h"
#include "site.h"

/* Uploads go to media_dir: a file there is a mistake to stop on, a missing folder a warning. */
static int check_media_dir(const char *dir)
{
	struct stat sb;
	if (stat(dir, &sb) < 0) {
		log_warn("warning: media_dir %s: %s: image uploads will fail until it exists", dir,
		         strerror(errno));
		return 0;
	}
	if (!S_ISDIR(sb.st_mode)) {
		log_error("media_dir %s is not a folder", dir);
		return -1;
	}
	if (access(dir, W_OK | X_OK) < 0) {
		log_warn("warning: media_dir %s is not writable: image uploads will fail", dir);
	}
	return 0;
}

static const char serve_help[] =
    "usage: quire serve --db PATH --listen unix:/path.sock|127.0.0.1:PORT [--threads N]\n"
    "                   [--templates DIR] [--config FILE]\n"
    "Runs the FastCGI server until SIGTERM or SIGINT; requests in flight are finished.\n"
    "SIGUSR1 logs one status line: uptime, requests answered, heap in use, render cache.\n"
    "A database in an older schema is first copied to PATH.bak-N (N its schema), then migrated;\n"
    "one in a newer schema is refused (see 'quire init --help').\n"
    "Logs to stderr (journald's priorities under systemd), one line per request at info level;\n"
    "in --config FILE, [server] log_level = error|warn|info|debug (default info; debug is info\n"
    "today) and "
    "log_ip = on|off (default off: no reader's address in the log).\n";

int cmd_serve(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"db", required_argument, NULL, 'd'},
	    {"listen", required_argument, NULL, 'l'},
	    {"threads", required_argument, NULL, 't'},
	    {"templates", required_argument, NULL, 'T'},
	    {"config", required_argument, NULL, 'c'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	const char *flag[128] = {0};
	const char *config = NULL;
	int ch;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'h') {
			fputs(serve_help, stdout);
			return 0;
		}
		if (ch == 'c')
			config = optarg;
		else if (ch == 'd' || ch == 'l' || ch == 't' || ch == 'T')
			flag[ch] = optarg;
		else
			return usage_error("serve", "unknown option '%s'", argv[optind - 1]);
	}
	if (optind < argc)
		return usage_error("serve", "unexpected argument '%s'", argv[optind]);
	struct site site;
	memset(&site, 0, sizeof site);
	config_init(&site.cfg);
	struct db d = {0};
	char err[CLI_ERR_MAX];
	int rc = 1;
	if (cli_config(&site.cfg, config) < 0)
		goto out;
	static const struct {
		char f;
		const char *key;
	} map[] = {{'d', "db"}, {'l', "listen"}, {'t', "threads"}, {'T', "templates"}};
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (flag[(int)map[i].f] &&
		    config_set(&site.cfg, "server", map[i].key, flag[(int)map[i].f], err, sizeof err) < 0) {
			rc = usage_error("serve", "%s", err);
			goto out;
		}
	if (!config && !flag['d']) {
		rc = usage_error("serve", "--db PATH is required");
		goto out;
	}
	if (config_check(&site.cfg, err, sizeof err) < 0) {
		rc = usage_error("serve", "%s", err);
		goto out;
	}
	/* the editor's dates are in the site's time zone: set before any thread starts */
	if (config_apply_timezone(&site.cfg, err, sizeof err) < 0) {
		log_error("%s", err);
		goto out;
	}
	/* an older schema is backed up and migrated here, before any thread starts */
	struct db_upgrade u;
	if (cli_db_upgrade(&d, &site.cfg, config, DB_OPEN_EXISTING, NULL, &u) < 0)
		goto out;
	if (check_media_dir(site.cfg.media_dir) < 0)
		goto out;
	if (site_load(&site, &d, err, sizeof err) < 0) {
		log_error("%s", err);
		goto out;
	}
	db_close(&d);
	rc = serve_run(&site);
out:
	db_close(&d);
	site_free(&site);
	return rc;
}
