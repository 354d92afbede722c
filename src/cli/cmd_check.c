/* cmd_check: `quire check`: everything quire serve needs to start, and more, checked without
 * changing anything, one plain line per check; the file-system checks are in check_fs.c. */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "cmd.h"
#include "db_inspect.h"
#include "site.h"
#include "smtp_probe.h"
#include "text.h"
#include "tmpl.h"

#define SERVICE_USER "quire" /* the user the Debian package and quire.service run quire as */
#define PENDING_LIST_MAX 2000

static const char check_help[] =
    "usage: quire check --config FILE [--user NAME] [--no-smtp] [--send-test ADDR]\n"
    "                   [--db PATH] [--listen ADDR] [--templates DIR]\n"
    "Checks everything quire serve needs to start, and more, and changes nothing: the\n"
    "configuration, the database, media and socket paths (writable by the service user), the\n"
    "listen address, base_url, the templates, the database's schema (the migrations an upgrade\n"
    "will apply) and the mail relay (greeting, EHLO, STARTTLS, AUTH and MAIL FROM, then QUIT:\n"
    "no mail is sent).\n"
    "One line per check: ok, warn, FAIL or skip. Exits 0 when nothing failed (warnings allowed),\n"
    "1 when a check failed, 2 on bad usage.\n"
    "  --user NAME       the user quire serve runs as, whose permissions are checked (default: the\n"
    "                    user running check; as root, the User= of the installed quire.service,\n"
    "                    or 'quire')\n"
    "  --no-smtp         do not connect to the mail relay\n"
    "  --send-test ADDR  then send one test mail to ADDR through the relay, directly (not through\n"
    "                    the outbox, so no server needs to be running), and print its answer\n"
    "  --db, --listen, --templates   as for quire serve: override the file's values\n";

/* The settings config_check refuses, one line each (config_check stops at the first): each value
 * is tried alone over the defaults, so the reason is config.c's own. */
static bool check_settings(struct checker *k, const struct config *c)
{
	const struct {
		const char *section, *key, *value;
	} keys[] = {
	    {"server", "listen", c->listen},   {"site", "timezone", c->timezone},
	    {"mail", "smtp_url", c->smtp_url}, {"mail", "from", c->mail_from},
	    {"mail", "ca_file", c->ca_file},   {"stats", "access_log", c->stats_log},
	};
	char err[CLI_ERR_MAX], subject[64];
	bool listen_ok = true;
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		struct config one;
		config_init(&one);
		snprintf(subject, sizeof subject, "%s", keys[i].key);
		if (config_set(&one, keys[i].section, keys[i].key, keys[i].value, err, sizeof err) < 0 ||
		    config_check(&one, err, sizeof err) < 0) {
			say(k, V_FAIL, subject, "%s", err);
			listen_ok = listen_ok && i != 0;
		}
		config_free(&one);
	}
	return listen_ok;
}

static void check_templates(struct checker *k, struct config *c)
{
	char subject[CHECK_PATH_MAX + 16], err[CLI_ERR_MAX], why[CHECK_WHY_MAX];
	struct tmpl_set *set = NULL;
	int rc = site_templates_load(c, &set, err, sizeof err);
	snprintf(subject, sizeof subject, "templates %s", c->templates);
	struct stat sb;
	if (stat(c->templates, &sb) < 0 || !S_ISDIR(sb.st_mode))
		say(k, V_FAIL, subject,
		    "no such folder: set [server] templates to the installed templates (%s/templates)",
		    QUIRE_DATADIR);
	else if (rc < 0)
		say(k, V_FAIL, subject, "%s: quire serve will not start until it is fixed",
		    strncmp(err, c->templates, strlen(c->templates)) == 0 && err[strlen(c->templates)] == ':'
		        ? err + strlen(c->templates) + 2
		        : err);
	else if (svc_access(&k->user, c->templates, R_OK | X_OK, why, sizeof why) != 0)
		say(k, V_FAIL, subject, "%s", why);
	else
		say(k, V_OK, subject, "every template quire needs is there and parses");
	tmpl_set_free(set);
	if (rc < 0)
		return;
	/* static/ beside the templates: the layout links /static/quire.css, nginx serves it there */
	char dir[CHECK_PATH_MAX], css[CHECK_PATH_MAX + 32];
	path_dir(c->templates, dir, sizeof dir);
	snprintf(css, sizeof css, "%s/static/quire.css", dir);
	snprintf(subject, sizeof subject, "static %s/static", dir);
	if (access(css, R_OK) != 0)
		say(k, V_WARN, subject,
		    "no quire.css there: pages link /static/quire.css, which nginx serves from the folder "
		    "static/ beside templates/ (install it with the templates)");
	else
		say(k, V_OK, subject, "the stylesheet and scripts beside the templates");
}

static void check_database(struct checker *k, const struct config *c)
{
	char subject[CHECK_PATH_MAX + 16], err[CLI_ERR_MAX];
	snprintf(subject, sizeof subject, "database %s", c->db);
	struct db_inspect in;
	if (db_inspect(c->db, &in, err, sizeof err) < 0) {
		say(k, V_FAIL, subject,
		    "cannot be read as a SQLite database (%s): is [server] db the right file?", err);
		return;
	}
	if (in.tables == 0 && in.version == 0) {
		/* quire serve and quire init both make the tables in an empty file */
		say(k, V_WARN, subject,
		    "empty: the next start creates quire's tables in it (or 'quire init --config %s' as %s "
		    "now)",
		    k->config, k->user.name);
		return;
	}
	if (!in.quire) {
		say(k, V_FAIL, subject,
		    "a SQLite database, but not quire's (it has no posts and settings tables): is [server] "
		    "db the right file?");
		return;
	}
	if (in.version > in.latest) {
		say(k, V_FAIL, subject,
		    "schema version %d is newer than this quire's (%d): a newer quire has used it, and going "
		    "back is not supported; install that newer quire again, or restore a backup made "
		    "before the upgrade",
		    in.version, in.latest);
		return;
	}
	const struct migration *m;
	int pending = db_pending_migrations(in.version, &m);
	if (pending > 0) {
		char list[PENDING_LIST_MAX];
		size_t len = 0;
		list[0] = '\0';
		for (int i = 0; i < pending && len < sizeof list; i++) {
			int n = snprintf(list + len, sizeof list - len, "%s%s", i ? ", " : "", m[i].name);
			len += n > 0 ? (size_t)n : 0;
		}
		/* not a failure: the next start backs the database up and migrates it */
		say(k, V_WARN, subject,
		    "schema version %d, this quire's is %d: the next start (quire serve, or 'quire init "
		    "--config %s' as %s) copies it to %s.bak-%d and then applies %d migration%s (%s); it "
		    "needs free space about the database's size beside it",
		    in.version, in.latest, k->config, k->user.name, c->db, in.version, pending,
		    pending == 1 ? "" : "s", list);
	} else if (!in.keys) {
		say(k, V_FAIL, subject,
		    "schema version %d (current), but it lacks the keys quire serve loads at start: run "
		    "'quire init --config %s' to make them",
		    in.version, k->config);
	} else {
		say(k, V_OK, subject, "schema version %d (current)%s", in.version,
		    in.as_is ? "; read as the file stands, since you may not open its -wal file" : "");
	}
	if (strcmp(in.integrity, "ok") != 0)
		say(k, V_FAIL, subject,
		    "damaged (PRAGMA quick_check: %s): restore the last backup ('quire backup' makes one)",
		    in.integrity);
}

static void check_mail_settings(struct checker *k, const struct config *c)
{
	char subject[CONFIG_STR_MAX + 16];
	snprintf(subject, sizeof subject, "mail from %s", c->mail_from);
	const char *at = strchr(c->mail_from, '@');
	const char *dom = at ? at + 1 : "";
	size_t n = strlen(dom);
	if (!email_valid(c->mail_from))
		return; /* said by check_settings */
	if (strcmp(dom, "localhost.localdomain") == 0 || strcmp(dom, "localhost") == 0 ||
	    (n >= 11 &&
	     (strcmp(dom + n - 11, "example.org") == 0 || strcmp(dom + n - 11, "example.com") == 0)))
		say(k, V_WARN, subject,
		    "an example or local address: mail from a domain you do not own is refused or marked "
		    "as spam; set [mail] from to an address of the blog's domain");
	else
		say(k, V_OK, subject, "an email address");
	if (*c->smtp_username && c->starttls == STARTTLS_NO && strncmp(c->smtp_url, "smtps://", 8) != 0)
		say(k, V_WARN, "mail starttls",
		    "starttls = no with a username: the password travels to the relay in clear; use try or "
		    "require");
}

/* The relay answers: greeting, EHLO, STARTTLS, AUTH, MAIL FROM, QUIT; no mail. */
static bool check_relay(struct checker *k, const struct config *c)
{
	char subject[CONFIG_STR_MAX + 16], steps[SMTP_PROBE_MSG_MAX * 2];
	snprintf(subject, sizeof subject, "mail relay %s", c->smtp_url);
	struct smtp_probe p;
	int rc = smtp_probe_run(c, &p, NULL);
	size_t len = 0;
	steps[0] = '\0';
	if (p.connected)
		len += (size_t)snprintf(steps + len, sizeof steps - len, "connected (%s)", p.greeting);
	if (p.tls && len < sizeof steps)
		len += (size_t)snprintf(steps + len, sizeof steps - len, ", %s",
		                        strncmp(c->smtp_url, "smtps://", 8) == 0 ? "TLS" : "STARTTLS");
	if (p.auth && len < sizeof steps)
		len +=
		    (size_t)snprintf(steps + len, sizeof steps - len, ", logged in as %s", c->smtp_username);
	if (rc < 0) {
		const char *hint = p.result == SMTP_CONFIG || p.connected
		                       ? "fix [mail] (or the relay) and run check again"
		                       : "is the relay running, and [mail] smtp_url right?";
		say(k, V_FAIL, subject, "%s%s%s; %s", steps, *steps ? "; then " : "", p.err, hint);
		return false;
	}
	say(k, V_OK, subject, "%s, sender %s accepted: sending works (no mail was sent)", steps,
	    c->mail_from);
	if (!p.tls && !*c->smtp_username && c->starttls != STARTTLS_NO) {
		const char *h = strstr(c->smtp_url, "://");
		h = h ? h + 3 : c->smtp_url;
		if (strncmp(h, "127.", 4) != 0 && strncmp(h, "localhost", 9) != 0)
			say(k, V_WARN, subject,
			    "the relay offers no STARTTLS: mail travels to it unencrypted (starttls = "
			    "require "
			    "refuses that)");
	}
	return true;
}

static void send_test(struct checker *k, const struct config *c, const char *to)
{
	char subject[CONFIG_STR_MAX + 16], answer[SMTP_PROBE_MSG_MAX], err[SMTP_PROBE_MSG_MAX];
	snprintf(subject, sizeof subject, "mail test to %s", to);
	if (smtp_probe_send(c, to, answer, sizeof answer, err, sizeof err, NULL) < 0)
		say(k, V_FAIL, subject, "not sent: %s", err);
	else
		say(k, V_OK, subject,
		    "the relay accepted it (%s); look for it in that mailbox, and in its spam folder",
		    answer);
}

/* The service user must read the file (quire serve --config, as that user); a password in it
 * should not be readable by everyone. */
static void check_config_file(struct checker *k, const char *path, const struct config *c)
{
	char subject[CHECK_PATH_MAX + 16], why[CHECK_WHY_MAX], group[CHECK_USER_MAX];
	struct group *gr = getgrgid(k->user.gid);
	snprintf(group, sizeof group, "%s", gr ? gr->gr_name : k->user.name);
	snprintf(subject, sizeof subject, "config %s", path);
	struct stat sb;
	if (svc_access(&k->user, path, R_OK, why, sizeof why) != 0)
		say(k, V_FAIL, subject, "%s; quire serve reads it as %s: chgrp %s %s; chmod 640 %s", why,
		    k->user.name, group, path, path);
	else if (*c->smtp_password && stat(path, &sb) == 0 && (sb.st_mode & S_IROTH))
		say(k, V_WARN, subject,
		    "holds the [mail] password and every user of this machine can read it: chmod 640 %s "
		    "(group %s)",
		    path, group);
}

/* A file quire reads at run time ([mail] ca_file, [stats] access_log): readable by the user. */
static void check_readable(struct checker *k, const char *key, const char *path, const char *missing)
{
	char subject[CHECK_PATH_MAX + 16], why[CHECK_WHY_MAX];
	if (!*path)
		return;
	snprintf(subject, sizeof subject, "%s %s", key, path);
	int rc = svc_access(&k->user, path, R_OK, why, sizeof why);
	if ((rc > 0 && !missing) || path[0] != '/')
		return; /* said by check_settings */
	if (rc > 0)
		say(k, V_WARN, subject, "%s", missing);
	else if (rc != 0)
		say(k, V_FAIL, subject, "%s; quire reads it as %s", why, k->user.name);
	else
		say(k, V_OK, subject, "readable by %s", k->user.name);
}

/* --user, or the default: the caller; as root, the installed quire.service's User= (or quire). */
static int pick_user(struct checker *k, const char *name)
{
	const char *why = "given with --user";
	char unit_name[CHECK_USER_MAX], unit_file[CHECK_PATH_MAX], buf[CHECK_PATH_MAX + 160];
	struct passwd *pw;
	if (!name && geteuid() == 0) {
		int u = unit_user(unit_name, sizeof unit_name, unit_file, sizeof unit_file);
		const char *svc = u < 0 ? SERVICE_USER : unit_name;
		if (u >= 0)
			snprintf(buf, sizeof buf, "from %s%s; --user NAME checks another", unit_file,
			         u > 0 ? ", which has no User= line, so systemd runs it as root" : "");
		if (getpwnam(svc)) {
			name = svc;
			why = u >= 0 ? buf : "the service user; --user NAME checks another";
		} else {
			say(k, V_WARN, "user",
			    "no user '%s' exists; quire.service runs as %s: create it with `adduser --system "
			    "--group --home /var/lib/quire %s`; until then the checks below are made as root",
			    svc, svc, svc);
		}
	}
	if (!name && (pw = getpwuid(geteuid()))) {
		name = pw->pw_name;
		why = "the user running check; --user NAME checks another";
	} else if (!name) {
		return usage_error("check", "you (uid %u) have no name in /etc/passwd: give --user NAME",
		                   (unsigned)geteuid());
	}
	if (svc_user_get(&k->user, name) < 0)
		return usage_error("check", "no user called '%s' on this machine", name);
	say(k, V_OK, "user", "permissions are checked for %s (uid %u, %s)", k->user.name,
	    (unsigned)k->user.uid, why);
	return 0;
}

int cmd_check(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"config", required_argument, NULL, 'c'},
	    {"user", required_argument, NULL, 'u'},
	    {"no-smtp", no_argument, NULL, 'n'},
	    {"send-test", required_argument, NULL, 's'},
	    {"db", required_argument, NULL, 'd'},
	    {"listen", required_argument, NULL, 'l'},
	    {"templates", required_argument, NULL, 'T'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	const char *config = NULL, *user = NULL, *to = NULL, *flag[128] = {0};
	bool smtp = true;
	int ch;
	opterr = 0;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'h')
			return fputs(check_help, stdout), 0;
		if (ch == 'c')
			config = optarg;
		else if (ch == 'u')
			user = optarg;
		else if (ch == 'n')
			smtp = false;
		else if (ch == 's')
			to = optarg;
		else if (ch == 'd' || ch == 'l' || ch == 'T')
			flag[ch] = optarg;
		else
			return usage_error("check", "unknown option '%s'", argv[optind - 1]);
	}
	if (optind < argc)
		return usage_error("check", "unexpected argument '%s'", argv[optind]);
	if (!config)
		return usage_error("check", "--config FILE is required");
	if (to && !email_valid(to))
		return usage_error("check", "--send-test: '%s' is not an email address", to);
	if (to && !smtp)
		return usage_error("check", "--send-test and --no-smtp do not go together");
	struct checker k = {.config = config};
	struct config c;
	config_init(&c);
	char err[CLI_ERR_MAX];
	int rc = 1;
	struct stat sb;
	int st = stat(config, &sb), e = st < 0 ? errno : 0;
	if (st < 0 || S_ISDIR(sb.st_mode)) { /* no line to fix: the wrong path, or no right to it */
		say(&k, V_FAIL, "config", "%s: %s: %s; nothing else was checked", config,
		    st < 0 ? strerror(e) : "a folder, not a file",
		    e == EACCES ? "run check as root or as a user who may read it"
		                : "give the configuration file with --config (the package installs "
		                  "/etc/quire/quire.conf)");
		goto out;
	}
	if (config_load(&c, config, err, sizeof err) < 0) {
		say(&k, V_FAIL, "config", "%s: %s; nothing else was checked", err,
		    strncmp(err, config, strlen(config)) == 0 && err[strlen(config)] == ':' &&
		            isdigit((unsigned char)err[strlen(config) + 1])
		        ? "fix that line"
		        : "fix it");
		goto out;
	}
	static const struct {
		char f;
		const char *key;
	} map[] = {{'d', "db"}, {'l', "listen"}, {'T', "templates"}};
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (flag[(int)map[i].f] &&
		    config_set(&c, "server", map[i].key, flag[(int)map[i].f], err, sizeof err) < 0) {
			rc = usage_error("check", "%s", err);
			goto out;
		}
	char subject[CONFIG_STR_MAX + 16];
	snprintf(subject, sizeof subject, "config %s", config);
	say(&k, V_OK, subject, "read; every section and key is known");
	if ((rc = pick_user(&k, user)) != 0)
		goto out;
	check_config_file(&k, config, &c);
	bool listen_ok = check_settings(&k, &c);
	check_base_url(&k, &c);
	if (listen_ok)
		check_listen(&k, &c);
	bool db_exists;
	check_db_files(&k, &c, &db_exists);
	if (db_exists)
		check_database(&k, &c);
	check_media_dir(&k, &c);
	check_unit(&k, &c);
	check_templates(&k, &c);
	if (c.stats == ON)
		check_readable(&k, "access_log", c.stats_log,
		               "does not exist yet: nginx writes it once its views log is configured "
		               "(nginx-quire-cache.conf); until then no view is counted");
	check_mail_settings(&k, &c);
	check_readable(&k, "ca_file", c.ca_file, NULL);
	/* anything config_check refuses that no line above named (a start would stop on it) */
	if (k.n[V_FAIL] == 0 && config_check(&c, err, sizeof err) < 0)
		say(&k, V_FAIL, "config", "%s", err);
	snprintf(subject, sizeof subject, "mail relay %s", c.smtp_url);
	if (!smtp)
		say(&k, V_SKIP, subject, "not checked (--no-smtp)");
	else if (strncmp(c.smtp_url, "smtp://", 7) != 0 && strncmp(c.smtp_url, "smtps://", 8) != 0)
		say(&k, V_SKIP, subject, "not checked: smtp_url is not an smtp:// or smtps:// URL");
	else if (check_relay(&k, &c) && to)
		send_test(&k, &c, to);
	else if (to)
		say(&k, V_SKIP, "mail test", "not sent: the relay check failed");
	printf("%d ok, %d warning%s, %d failed%s\n", k.n[V_OK], k.n[V_WARN], k.n[V_WARN] == 1 ? "" : "s",
	       k.n[V_FAIL],
	       k.n[V_FAIL] ? ": quire serve may not start, or may not work, until they are fixed" : "");
	rc = k.n[V_FAIL] ? 1 : 0;
out:
	config_free(&c);
	return rc;
}
