/* main: argument parsing and subcommand dispatch for the quire binary. */
#include <curl/curl.h>
#include <sodium.h>
#include <stdlib.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "db.h"
#include "log.h"

static const char usage[] =
    "usage: quire COMMAND [OPTIONS]\n"
    "\n"
    "commands:\n"
    "  init   --db PATH               create or migrate the database\n"
    "  serve  --db PATH --listen ADDR  run the FastCGI server\n"
    "  post   import|list             import Markdown posts, list posts\n"
    "  user   add|passwd|list         manage authors\n"
    "  mail   run|status              send queued mail, show the queue\n"
    "  export markdown --db PATH DIR    every post as a Markdown file\n"
    "  backup --db PATH FILE            a consistent copy of the live database\n"
    "  import wxr|disqus --db PATH FILE  a WordPress or Disqus export\n"
    "  version                        print the version\n"
    "\n"
    "Each command takes --help. Configuration: --config FILE (see quire.conf.example);\n"
    "command-line flags override the file.\n";

int usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "quire %s: ", cmd);
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, " (see 'quire %s --help')\n", cmd);
	va_end(ap);
	return EXIT_USAGE;
}

int cli_config(struct config *c, const char *path)
{
	char err[1200];
	if (path && config_load(c, path, err, sizeof err) < 0) {
		fprintf(stderr, "quire: %s\n", err);
		return -1;
	}
	if (config_check(c, err, sizeof err) < 0) {
		fprintf(stderr, "quire: %s%s%s\n", path ? path : "", path ? ": " : "", err);
		return -1;
	}
	return 0;
}

int cli_db(struct db *d, const struct config *c)
{
	char err[1200];
	if (db_open(d, c->db, DB_OPEN_EXISTING, err, sizeof err) < 0 ||
	    db_check_schema(d, err, sizeof err) < 0) {
		fprintf(stderr, "quire: %s\n", err);
		db_close(d);
		return -1;
	}
	return 0;
}

int cli_open(const char *cmd, struct config *c, const char *config, const char *db, struct db *d)
{
	char err[1200];
	if (cli_config(c, config) < 0)
		return 1;
	if (db && config_set(c, "server", "db", db, err, sizeof err) < 0)
		return usage_error(cmd, "%s", err);
	return cli_db(d, c) < 0 ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fputs(usage, stderr);
		return EXIT_USAGE;
	}
	const char *cmd = argv[1];
	if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
		fputs(usage, stdout);
		return 0;
	}
	if (strcmp(cmd, "version") == 0 || strcmp(cmd, "--version") == 0) {
		printf("quire %s\n", PACKAGE_VERSION);
		return 0;
	}
	db_global_init();
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0) {
		log_msg("libcurl failed to initialise");
		return 1;
	}
	atexit(curl_global_cleanup);
	if (sodium_init() < 0) {
		log_msg("libsodium failed to initialise");
		return 1;
	}
	if (strcmp(cmd, "init") == 0)
		return cmd_init(argc - 1, argv + 1);
	if (strcmp(cmd, "serve") == 0)
		return cmd_serve(argc - 1, argv + 1);
	if (strcmp(cmd, "post") == 0)
		return cmd_post(argc - 1, argv + 1);
	if (strcmp(cmd, "user") == 0)
		return cmd_user(argc - 1, argv + 1);
	if (strcmp(cmd, "mail") == 0)
		return cmd_mail(argc - 1, argv + 1);
	if (strcmp(cmd, "export") == 0)
		return cmd_export(argc - 1, argv + 1);
	if (strcmp(cmd, "backup") == 0)
		return cmd_backup(argc - 1, argv + 1);
	if (strcmp(cmd, "import") == 0)
		return cmd_import(argc - 1, argv + 1);
	fprintf(stderr, "quire: unknown command '%s' (see 'quire --help')\n", cmd);
	return EXIT_USAGE;
}
