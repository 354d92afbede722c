/* cmd_init: `quire init` and `quire serve`: the database and the server. */
#include <errno.h>
#include <getopt.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"
#include "serve.h"
#include "site.h"

static const char init_help[] =
    "usage: quire init --db PATH [--config FILE]\n"
    "Creates the database, or applies the migrations it lacks. Running it twice changes nothing.\n";

/* A random key per database, so identicons cannot be matched against another site's. */
static int ensure_key(struct db *d)
{
	unsigned char key[32];
	char hex[65];
	randombytes_buf(key, sizeof key);
	sodium_bin2hex(hex, sizeof hex, key, sizeof key);
	sqlite3_stmt *st =
	    db_prep(d, "INSERT OR IGNORE INTO settings(key, value) VALUES('identicon_key', ?1)");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, hex, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
	sqlite3_reset(st);
	return rc;
}

int cmd_init(int argc, char **argv)
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
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'd':
			db = optarg;
			break;
		case 'c':
			config = optarg;
			break;
		case 'h':
			fputs(init_help, stdout);
			return 0;
		default:
			return usage_error("init", "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return usage_error("init", "unexpected argument '%s'", argv[optind]);
	struct config c;
	config_init(&c);
	int rc = 1;
	struct db d = {0};
	char err[1200];
	if (cli_config(&c, config) < 0)
		goto out;
	if (db && config_set(&c, "server", "db", db, err, sizeof err) < 0) {
		rc = usage_error("init", "%s", err);
		goto out;
	}
	if (!db && !config) {
		rc = usage_error("init", "--db PATH is required");
		goto out;
	}
	if (db_open(&d, c.db, DB_CREATE, err, sizeof err) < 0) {
		fprintf(stderr, "quire: %s\n", err);
		goto out;
	}
	int applied = db_migrate(&d, err, sizeof err);
	if (applied < 0 || ensure_key(&d) < 0) {
		fprintf(stderr, "quire: %s: %s\n", c.db, applied < 0 ? err : db_errmsg(&d));
		goto out;
	}
	int version = migrations[migrations_count - 1].version;
	if (applied)
		printf("%s: applied %d migration%s, schema version %d\n", c.db, applied,
		       applied == 1 ? "" : "s", version);
	else
		printf("%s: schema is current (version %d), nothing to do\n", c.db, version);
	rc = 0;
out:
	db_close(&d);
	config_free(&c);
	return rc;
}

/* Uploads go to media_dir: a file there is a mistake to stop on, a missing folder a warning. */
static int check_media_dir(const char *dir)
{
	struct stat sb;
	if (stat(dir, &sb) < 0) {
		fprintf(stderr, "quire: warning: media_dir %s: %s: image uploads will fail until it exists\n",
		        dir, strerror(errno));
		return 0;
	}
	if (!S_ISDIR(sb.st_mode)) {
		fprintf(stderr, "quire: media_dir %s is not a folder\n", dir);
		return -1;
	}
	if (access(dir, W_OK | X_OK) < 0) {
		fprintf(stderr, "quire: warning: media_dir %s is not writable: image uploads will fail\n",
		        dir);
	}
	return 0;
}

static const char serve_help[] =
    "usage: quire serve --db PATH --listen unix:/path.sock|127.0.0.1:PORT [--threads N]\n"
    "                   [--templates DIR] [--config FILE]\n"
    "Runs the FastCGI server until SIGTERM or SIGINT; requests in flight are finished.\n";

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
	char err[1200];
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
	if (check_media_dir(site.cfg.media_dir) < 0)
		goto out;
	if (cli_db(&d, &site.cfg) < 0)
		goto out;
	if (site_load(&site, &d, err, sizeof err) < 0) {
		fprintf(stderr, "quire: %s\n", err);
		goto out;
	}
	db_close(&d);
	rc = serve_run(&site);
out:
	db_close(&d);
	site_free(&site);
	return rc;
}
