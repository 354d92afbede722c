/* main: the quire binary: a table of commands, and the libraries started before any of them.
 * Adding a command is a row here and a file cmd_NAME.c. */
#include <curl/curl.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "db.h"
#include "log.h"

static int cmd_version(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("quire %s\n", PACKAGE_VERSION);
	return 0;
}

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	bool libraries; /* needs SQLite, libcurl and libsodium started first */
	/* the rest of its usage line after the name column (NULL: an alias, not listed); the
	 * spacing is kept as released, since scripts and the docs quote these lines */
	const char *help;
};

static const struct command commands[] = {
    {"init", cmd_init, true, "--db PATH               create or migrate the database"},
    {"serve", cmd_serve, true, "--db PATH --listen ADDR  run the FastCGI server"},
    {"post", cmd_post, true, "import|list             import Markdown posts, list posts"},
    {"user", cmd_user, true, "add|passwd|list         manage authors"},
    {"mail", cmd_mail, true, "run|status              send queued mail, show the queue"},
    {"export", cmd_export, true, "markdown --db PATH DIR    every post as a Markdown file"},
    {"backup", cmd_backup, true, "--db PATH FILE            a consistent copy of the live database"},
    {"import", cmd_import, true, "wxr|disqus --db PATH FILE  a WordPress or Disqus export"},
    {"media", cmd_media, true, "resize --db PATH         the smaller copies of images that lack them"},
    {"check", cmd_check, true, "--config FILE            validate a configuration before starting"},
    {"version", cmd_version, false, "                       print the version"},
    {"--version", cmd_version, false, NULL},
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

static void usage(FILE *f)
{
	fputs("usage: quire COMMAND [OPTIONS]\n\ncommands:\n", f);
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (commands[i].help)
			fprintf(f, "  %-6s %s\n", commands[i].name, commands[i].help);
	fputs("\nEach command takes --help. Configuration: --config FILE (see quire.conf.example);\n"
	      "command-line flags override the file.\n",
	      f);
}

/* SQLite's error log, libcurl and libsodium, once for the process; -1 logged. */
static int start_libraries(void)
{
	db_global_init();
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0) {
		log_msg("libcurl failed to initialise");
		return -1;
	}
	atexit(curl_global_cleanup);
	if (sodium_init() < 0) {
		log_msg("libsodium failed to initialise");
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	const char *name = argv[1];
	if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0 || strcmp(name, "help") == 0) {
		usage(stdout);
		return 0;
	}
	for (size_t i = 0; i < NCOMMANDS; i++) {
		if (strcmp(name, commands[i].name) != 0)
			continue;
		if (commands[i].libraries && start_libraries() < 0)
			return 1;
		return commands[i].run(argc - 1, argv + 1);
	}
	fprintf(stderr, "quire: unknown command '%s' (see 'quire --help')\n", name);
	return EXIT_USAGE;
}
