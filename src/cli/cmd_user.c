/* cmd_user: `quire user add|passwd|list`; passwords come from stdin, never from argv. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "cmd.h"
#include "db_cli.h"
#include "users.h"

static const char user_help[] =
    "usage: quire user add --db PATH [--config FILE] --name NAME --email ADDR [--bio TEXT]\n"
    "                      [--role admin|author]\n"
    "       quire user passwd --db PATH [--config FILE] --name NAME|EMAIL\n"
    "       quire user list --db PATH [--config FILE]\n"
    "--config FILE: read the configuration file first; its [server] db is used without --db.\n"
    "The password is read from standard input (one line; not echoed on a terminal).\n"
    "--role: admin (the default: everything) or author (their own posts and the comments on them).\n";

/* Reads one line from stdin into pw; -1 on EOF or an over-long line. */
static int read_password(char *pw, size_t size)
{
	bool tty = isatty(STDIN_FILENO);
	struct termios old, quiet;
	if (tty) {
		fprintf(stderr, "Password: ");
		tcgetattr(STDIN_FILENO, &old);
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	}
	char *got = fgets(pw, (int)size, stdin);
	if (tty) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
		fprintf(stderr, "\n");
	}
	if (!got)
		return -1;
	size_t n = strlen(pw);
	if (n && pw[n - 1] == '\n')
		pw[--n] = '\0';
	else if (n == size - 1)
		return -1;
	if (n && pw[n - 1] == '\r')
		pw[--n] = '\0';
	return 0;
}

static int print_user(const struct user_row *u, void *arg)
{
	(void)arg;
	printf("%-5lld %-30s %-30s %-7s %s\n", (long long)u->id, u->name, u->email, u->role, u->slug);
	return 0;
}

static int user_list(struct db *d)
{
	printf("%-5s %-30s %-30s %-7s %s\n", "ID", "NAME", "EMAIL", "ROLE", "SLUG");
	if (db_users_each(d, print_user, NULL) < 0) {
		fprintf(stderr, "quire: user list: sqlite: %s\n", db_errmsg(d));
		return 1;
	}
	return 0;
}

/* `user add` or `user passwd`, with the password from stdin (wiped after use); the exit status. */
static int user_set(struct db *d, const char *sub, const char *name, const char *email, const char *bio,
                    const char *role)
{
	char err[CLI_ERR_MAX], pw[PASSWORD_MAX + 2];
	if (read_password(pw, sizeof pw) < 0) {
		fprintf(stderr, "quire: user %s: no password on standard input (or longer than %d bytes)\n",
		        sub, PASSWORD_MAX);
		return 1;
	}
	bool add = strcmp(sub, "add") == 0;
	int r = add ? user_add(d, name, email, bio, pw, role, time(NULL), err, sizeof err)
	            : user_passwd(d, name, pw, err, sizeof err);
	sodium_memzero(pw, sizeof pw);
	if (r < 0) {
		fprintf(stderr, "quire: user %s: %s\n", sub, err);
		return 1;
	}
	printf("%s user %s\n", add ? "added" : "changed the password of", name);
	return 0;
}

int cmd_user(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"db", required_argument, NULL, 'd'},   {"config", required_argument, NULL, 'c'},
	    {"name", required_argument, NULL, 'n'}, {"email", required_argument, NULL, 'e'},
	    {"bio", required_argument, NULL, 'b'},  {"role", required_argument, NULL, 'r'},
	    {"help", no_argument, NULL, 'h'},       {NULL, 0, NULL, 0},
	};
	static const char *const subs[] = {"add", "passwd", "list", NULL};
	int rc;
	const char *sub = cli_subcommand(argc, argv, "user", user_help, subs, &rc);
	if (!sub)
		return rc;
	const char *db = NULL, *config = NULL, *name = NULL, *email = NULL, *bio = "", *role = ROLE_ADMIN;
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
		case 'n':
			name = optarg;
			break;
		case 'e':
			email = optarg;
			break;
		case 'b':
			bio = optarg;
			break;
		case 'r':
			role = optarg;
			break;
		case 'h':
			fputs(user_help, stdout);
			return 0;
		default:
			return usage_error("user", "unknown option '%s'", argv[optind]);
		}
	}
	if (optind < argc - 1)
		return usage_error("user", "unexpected argument '%s'", argv[optind + 1]);
	if (!db && !config)
		return usage_error("user", "--db PATH is required");
	if (strcmp(sub, "list") && !name)
		return usage_error("user", "--name is required");
	if (strcmp(sub, "add") == 0 && !email)
		return usage_error("user", "--email is required");
	if (!role_valid(role))
		return usage_error("user", "--role must be admin or author, not '%s'", role);
	struct config c;
	config_init(&c);
	struct db d = {0};
	rc = cli_open("user", &c, config, db, &d);
	if (rc == 0)
		rc = strcmp(sub, "list") == 0 ? user_list(&d) : user_set(&d, sub, name, email, bio, role);
	db_close(&d);
	config_free(&c);
	return rc;
}
