/* main: the quire binary: a table of commands, and the libraries started before any of them.
 * Adding a command is a row here and a file cmd_NAME.c. */
#include <curl/curl.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cmd.h"

#define QUIRE_UMASK 0027 /* no write for the group, nothing for others */
#include "db.h"
#include "log.h"

static const char version_help[] = "usage: quire version (or quire --version)\n"
                                   "Prints \"quire VERSION\" on standard output.\n";

static int cmd_version(int argc, char **argv)
{
	if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0))
		return fputs(version_help, stdout), 0;
	if (argc > 1)
		return usage_error("version", "unexpected argument '%s'", argv[1]);
	printf("quire %s\n", PACKAGE_VERSION);
	return 0;
}

static int cmd_help(int argc, char **argv);

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
    {"mail", cmd_mail, true, "run|status|test         send queued mail, show the queue, test the relay"},
    {"export", cmd_export, true, "markdown --db PATH DIR    every post as a Markdown file"},
    {"backup", cmd_backup, true, "--db PATH FILE            a consistent copy of the live database"},
    {"import", cmd_import, true, "wxr|disqus --db PATH FILE  a WordPress or Disqus export"},
    {"media", cmd_media, true, "resize --db PATH         the smaller copies of images that lack them"},
    {"check", cmd_check, true, "--config FILE            validate a configuration before starting"},
    {"version", cmd_version, false, "                       print the version"},
    {"help", cmd_help, false, "COMMAND                 the help of one command (as COMMAND --help)"},
    {"--version", cmd_version, false, NULL},
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

static void usage(FILE *f)
{
	fputs("usage: quire COMMAND [OPTIONS]\n\ncommands:\n", f);
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (commands[i].help)
			fprintf(f, "  %-6s %s\n", commands[i].name, commands[i].help);
	fputs("\nEach command takes --help ('quire help COMMAND' prints the same). Configuration:\n"
	      "--config FILE (see quire.conf.example); command-line flags override the file.\n"
	      "The manual: 'man quire' (commands) and 'man quire.conf' (the configuration file).\n",
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

/* Runs the command of the table named name with argv; EXIT_USAGE (said) when there is none. */
static int run_command(const char *name, int argc, char **argv)
{
	for (size_t i = 0; i < NCOMMANDS; i++) {
		if (strcmp(name, commands[i].name) != 0)
			continue;
		if (commands[i].libraries && start_libraries() < 0)
			return 1;
		return commands[i].run(argc, argv);
	}
	fprintf(stderr, "quire: unknown command '%s' (see 'quire --help')\n", name);
	return EXIT_USAGE;
}

static const char help_help[] = "usage: quire help [COMMAND]\n"
                                "Prints the help of COMMAND (the same text as 'quire COMMAND --help'),\n"
                                "or the list of commands. The manual: 'man quire', 'man quire.conf'.\n";

/* `quire help COMMAND`: the command's own --help, so the two never differ. */
static int cmd_help(int argc, char **argv)
{
	if (argc < 2) {
		usage(stdout);
		return 0;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0)
		return fputs(help_help, stdout), 0;
	if (argc > 2)
		return usage_error("help", "unexpected argument '%s'", argv[2]);
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (commands[i].help && strcmp(argv[1], commands[i].name) == 0) {
			static char help_word[] = "--help";
			char *args[] = {argv[1], help_word, NULL};
			return run_command(argv[1], 2, args);
		}
	return usage_error("help", "unknown command '%s'", argv[1]);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	/* the database (password hashes, subscribers' addresses), its -wal/-shm, exports and logs
	 * are the site's alone whatever the caller's umask: SQLite creates files 0644 & ~umask.
	 * Uploads, which nginx serves, are made 0644 on purpose (media_file.c). */
	umask(QUIRE_UMASK);
	const char *name = argv[1];
	if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0) {
		usage(stdout);
		return 0;
	}
	return run_command(name, argc - 1, argv + 1);
}
