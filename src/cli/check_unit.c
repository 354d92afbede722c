/* check_unit: `quire check` against the installed quire.service: under ProtectSystem=strict the
 * service may write only its ReadWritePaths (and StateDirectory, RuntimeDirectory), so a database
 * or media folder configured elsewhere starts fine by hand and fails under systemd. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

#define UNIT_LINE_MAX 4096
#define UNIT_PATHS_MAX 32
#define UNIT_NAME "quire.service"

struct unit {
	char file[CHECK_PATH_MAX];
	bool strict;
	int n;
	char paths[UNIT_PATHS_MAX][CHECK_PATH_MAX];
};

static void add_path(struct unit *u, const char *prefix, const char *p)
{
	if (u->n < UNIT_PATHS_MAX)
		snprintf(u->paths[u->n++], CHECK_PATH_MAX, "%s%s", prefix, p);
}

/* Reads the settings that matter from one unit file or drop-in; false when it cannot be read. */
static bool read_unit(struct unit *u, const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return false;
	char line[UNIT_LINE_MAX];
	while (fgets(line, sizeof line, f)) {
		line[strcspn(line, "\r\n")] = '\0';
		char *eq = strchr(line, '=');
		if (!eq || line[0] == '#' || line[0] == ';')
			continue;
		*eq = '\0';
		const char *key = line;
		char *val = eq + 1;
		if (strcmp(key, "ProtectSystem") == 0) {
			u->strict = strcmp(val, "strict") == 0;
			continue;
		}
		const char *prefix = strcmp(key, "ReadWritePaths") == 0     ? ""
		                     : strcmp(key, "StateDirectory") == 0   ? "/var/lib/"
		                     : strcmp(key, "RuntimeDirectory") == 0 ? "/run/"
		                     : strcmp(key, "CacheDirectory") == 0   ? "/var/cache/"
		                     : strcmp(key, "LogsDirectory") == 0    ? "/var/log/"
		                                                            : NULL;
		if (!prefix)
			continue;
		char *save = NULL;
		for (char *w = strtok_r(val, " \t", &save); w; w = strtok_r(NULL, " \t", &save)) {
			w += strspn(w, "-+"); /* "-": ignored when missing; "+": no namespace */
			add_path(u, prefix, w);
		}
	}
	fclose(f);
	return true;
}

/* The unit systemd would use (an admin's copy first), then its drop-ins. */
static bool find_unit(struct unit *u)
{
	const char *env = getenv("QUIRE_CHECK_UNIT"); /* the tests' own unit file */
	static const char *const dirs[] = {"/etc/systemd/system", "/usr/local/lib/systemd/system",
	                                   "/lib/systemd/system", "/usr/lib/systemd/system"};
	memset(u, 0, sizeof *u);
	if (env && *env) {
		snprintf(u->file, sizeof u->file, "%s", env);
		return read_unit(u, env);
	}
	for (size_t i = 0; i < sizeof dirs / sizeof dirs[0] && !u->file[0]; i++) {
		char path[CHECK_PATH_MAX];
		snprintf(path, sizeof path, "%s/%s", dirs[i], UNIT_NAME);
		if (read_unit(u, path))
			snprintf(u->file, sizeof u->file, "%s", path);
	}
	if (!u->file[0])
		return false;
	DIR *d = opendir("/etc/systemd/system/" UNIT_NAME ".d");
	struct dirent *e;
	while (d && (e = readdir(d))) {
		size_t n = strlen(e->d_name);
		char path[CHECK_PATH_MAX];
		if (n > 5 && strcmp(e->d_name + n - 5, ".conf") == 0 &&
		    snprintf(path, sizeof path, "/etc/systemd/system/%s.d/%s", UNIT_NAME, e->d_name) <
		        (int)sizeof path)
			read_unit(u, path);
	}
	if (d)
		closedir(d);
	return true;
}

/* Whether path is dir or under it. */
static bool under(const char *path, const char *dir)
{
	size_t n = strlen(dir);
	while (n > 1 && dir[n - 1] == '/')
		n--;
	return strncmp(path, dir, n) == 0 && (path[n] == '\0' || path[n] == '/' || n == 1);
}

static void need_writable(struct checker *k, const struct unit *u, const char *what, const char *path)
{
	if (path[0] != '/')
		return; /* said by the path checks */
	for (int i = 0; i < u->n; i++)
		if (under(path, u->paths[i]))
			return;
	char subject[CHECK_PATH_MAX + 32];
	snprintf(subject, sizeof subject, "systemd %s", u->file);
	say(k, V_FAIL, subject,
	    "ProtectSystem=strict and %s %s is outside its ReadWritePaths: quire would fail to write "
	    "it when systemd starts it; add it with 'systemctl edit quire' ([Service] "
	    "ReadWritePaths=%s) or move it under /var/lib/quire",
	    what, path, path);
}

void check_unit(struct checker *k, const struct config *c)
{
	struct unit u;
	if (!find_unit(&u))
		return; /* not installed as a systemd service: nothing to compare */
	if (!u.strict)
		return;
	int before = k->n[V_FAIL];
	char dir[CHECK_PATH_MAX];
	path_dir(c->db, dir, sizeof dir);
	need_writable(k, &u, "the database's folder", dir);
	need_writable(k, &u, "media_dir", c->media_dir);
	/* the socket is left out: with quire.socket, systemd makes it wherever that unit says */
	if (k->n[V_FAIL] == before) {
		char subject[CHECK_PATH_MAX + 32];
		snprintf(subject, sizeof subject, "systemd %s", u.file);
		say(k, V_OK, subject, "the database and media folders are among its writable paths");
	}
}
