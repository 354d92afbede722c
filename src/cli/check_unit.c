/* check_unit: `quire check` against the installed quire.service: under ProtectSystem=strict the
 * service may write only its ReadWritePaths (and StateDirectory, RuntimeDirectory), so a database
 * or media folder configured elsewhere starts fine by hand and fails under systemd. */
#include <stdio.h>
#include <string.h>

#include "check.h"

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
	if (!unit_find(&u))
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
