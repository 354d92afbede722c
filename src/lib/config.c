/* config: a strict INI reader; unknown sections and keys are errors naming file and line. */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "text.h"

enum ctype { C_STR, C_LONG, C_ENUM };
struct ckey {
	const char *section, *key;
	enum ctype type;
	size_t off;
	long min, max;
	const char *const *words; /* C_ENUM: the words, in the enum's order, NULL-terminated */
	const char *choices;      /* C_ENUM: the words as the error message lists them */
};

static const char *const moderation_words[] = {"first", "all", "none", NULL};
static const char *const starttls_words[] = {"try", "require", "no", NULL};
static const char *const onoff_words[] = {"off", "on", NULL};
/* in the order of enum log_level */
static const char *const log_level_words[] = {"error", "warn", "info", "debug", NULL};

#define S(sec, k, f)                                                                                         \
	{                                                                                                    \
		sec, k, C_STR, offsetof(struct config, f), 0, 0, NULL, NULL                                  \
	}
#define L(sec, k, f, lo, hi)                                                                                 \
	{                                                                                                    \
		sec, k, C_LONG, offsetof(struct config, f), lo, hi, NULL, NULL                               \
	}
#define E(sec, k, f, w, choices)                                                                             \
	{                                                                                                    \
		sec, k, C_ENUM, offsetof(struct config, f), 0, 0, w, choices                                 \
	}
static const struct ckey keys[] = {
    S("site", "title", title),
    S("site", "description", description),
    S("site", "base_url", base_url),
    L("site", "posts_per_page", posts_per_page, 1, POSTS_PER_PAGE_MAX),
    S("site", "language", language),
    S("site", "timezone", timezone),
    S("server", "listen", listen),
    S("server", "db", db),
    L("server", "threads", threads, 1, THREADS_MAX),
    S("server", "templates", templates),
    S("server", "media_dir", media_dir),
    L("server", "cache_mb", cache_mb, 0, 4096),
    L("server", "db_cache_kb", db_cache_kb, 64, 1024 * 1024),
    E("server", "log_level", log_level, log_level_words, "error, warn, info or debug"),
    E("server", "log_ip", log_ip, onoff_words, "on or off"),
    E("comments", "moderation", moderation, moderation_words, "all, first or none"),
    L("comments", "close_after_days", close_after_days, 0, 36500),
    L("comments", "per_page", comments_per_page, 1, 500),
    L("comments", "rate_limit", rate_limit, 0, 100000),
    L("comments", "rate_window", rate_window, 1, 86400),
    L("comments", "max_links", max_links, 0, 1000),
    S("comments", "disallowed_words", disallowed_words),
    L("comments", "min_seconds", min_seconds, 0, 3600),
    L("comments", "max_age", max_age, 60, 30 * 86400),
    E("stats", "enabled", stats, onoff_words, "on or off"),
    L("stats", "flush_seconds", flush_seconds, 1, 3600),
    L("stats", "flush_views", flush_views, 1, 100000),
    S("stats", "access_log", stats_log),
    S("mail", "smtp_url", smtp_url),
    S("mail", "username", smtp_username),
    S("mail", "password", smtp_password),
    E("mail", "starttls", starttls, starttls_words, "try, require or no"),
    L("mail", "rate", mail_rate, 0, 100000),
    L("mail", "max_attempts", max_attempts, 1, 100),
    L("mail", "retry_base", retry_base, 1, 86400),
    E("mail", "sender", mail_sender, onoff_words, "on or off"),
    S("mail", "from", mail_from),
    S("mail", "ca_file", ca_file),
    L("mail", "timeout", mail_timeout, 1, 600),
};

static void set_str(char **slot, const char *v)
{
	char *n = strdup(v);
	if (!n)
		return;
	free(*slot);
	*slot = n;
}

void config_init(struct config *c)
{
	memset(c, 0, sizeof *c);
	set_str(&c->title, "quire");
	set_str(&c->description, "A blog.");
	set_str(&c->base_url, "http://127.0.0.1:8080");
	c->posts_per_page = 10;
	set_str(&c->language, "en");
	set_str(&c->timezone, "");
	set_str(&c->listen, "127.0.0.1:9000");
	set_str(&c->db, "quire.db");
	c->threads = 4;
	set_str(&c->templates, QUIRE_DATADIR "/templates");
	set_str(&c->media_dir, "/var/lib/quire/media");
	c->cache_mb = 8;
	c->db_cache_kb = 2000;
	c->log_level = LOG_LEVEL_INFO;
	c->log_ip = OFF;
	c->moderation = MOD_FIRST;
	c->close_after_days = 0;
	c->comments_per_page = 50;
	c->rate_limit = 5;
	c->rate_window = 600;
	c->max_links = 2;
	set_str(&c->disallowed_words, "");
	c->min_seconds = 2;
	c->max_age = 86400;
	c->stats = ON;
	c->flush_seconds = 5;
	c->flush_views = 500;
	set_str(&c->stats_log, "");
	set_str(&c->smtp_url, "smtp://127.0.0.1:25");
	set_str(&c->smtp_username, "");
	set_str(&c->smtp_password, "");
	c->starttls = STARTTLS_TRY;
	c->mail_rate = 0;
	c->max_attempts = 8;
	c->retry_base = 60;
	c->mail_sender = ON;
	set_str(&c->mail_from, "quire@localhost.localdomain");
	set_str(&c->ca_file, "");
	c->mail_timeout = 30;
}

int config_set(struct config *c, const char *section, const char *key, const char *value, char *err,
               size_t errsz)
{
	const struct ckey *k = NULL;
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		if (strcmp(keys[i].section, section) == 0 && strcmp(keys[i].key, key) == 0)
			k = &keys[i];
	if (!k) {
		snprintf(err, errsz, "unknown key '%s' in [%s]", key, section);
		return -1;
	}
	size_t n = strlen(value);
	if (n > CONFIG_STR_MAX || !utf8_valid(value, n)) {
		snprintf(err, errsz, "bad value for %s.%s: longer than %d bytes or not UTF-8", section, key,
		         CONFIG_STR_MAX);
		return -1;
	}
	/* a value ends up in headers (mail subjects, From names): no line breaks or controls */
	if (has_control(value, n) || strpbrk(value, "\r\n\t")) {
		snprintf(err, errsz, "bad value for %s.%s: it holds a control character (a CR or a tab?)",
		         section, key);
		return -1;
	}
	if (k->type == C_STR) {
		char **slot = (char **)((char *)c + k->off);
		set_str(slot, value);
		/* "https://blog.example/" and "https://blog.example" are the same site */
		size_t len = strlen(*slot);
		if (k->off == offsetof(struct config, base_url) && len > 0 && (*slot)[len - 1] == '/')
			(*slot)[len - 1] = '\0';
		/* and "HTTPS://Blog.Example" too: scheme and host are case-insensitive */
		char *host = k->off == offsetof(struct config, base_url) ? strstr(*slot, "://") : NULL;
		for (char *p = *slot; host && p < host + 3 + strcspn(host + 3, "/?#@"); p++)
			if (*p >= 'A' && *p <= 'Z')
				*p = (char)(*p - 'A' + 'a');
		return 0;
	}
	if (k->type == C_ENUM) {
		for (int i = 0; k->words[i]; i++)
			if (strcmp(value, k->words[i]) == 0) {
				*(int *)((char *)c + k->off) = i;
				return 0;
			}
		snprintf(err, errsz, "%s.%s must be %s", section, key, k->choices);
		return -1;
	}
	char *end;
	errno = 0;
	long v = strtol(value, &end, 10);
	if (errno || end == value || *end || v < k->min || v > k->max) {
		snprintf(err, errsz, "%s.%s must be a number from %ld to %ld", section, key, k->min, k->max);
		return -1;
	}
	*(long *)((char *)c + k->off) = v;
	return 0;
}

/* The index of section.key in keys, or -1. */
static int key_index(const char *section, const char *key)
{
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		if (strcmp(keys[i].section, section) == 0 && strcmp(keys[i].key, key) == 0)
			return (int)i;
	return -1;
}

int config_load(struct config *c, const char *path, char *err, size_t errsz)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		return -1;
	}
	char line[CONFIG_STR_MAX + 256], section[64] = "";
	char why[256];
	int first_line[sizeof keys / sizeof keys[0]] = {0};
	int lineno = 0, rc = 0;
	while (fgets(line, sizeof line, f)) {
		lineno++;
		if (!strchr(line, '\n') && !feof(f)) {
			snprintf(err, errsz, "%s:%d: line too long", path, lineno);
			rc = -1;
			break;
		}
		char *s = trim(line);
		if (*s == '\0' || *s == '#' || *s == ';')
			continue;
		if (*s == '[') {
			char *end = strchr(s, ']');
			if (!end || end[1] != '\0' || (size_t)(end - s - 1) >= sizeof section) {
				snprintf(err, errsz, "%s:%d: bad section header", path, lineno);
				rc = -1;
				break;
			}
			*end = '\0';
			snprintf(section, sizeof section, "%s", s + 1);
			if (strcmp(section, "site") && strcmp(section, "server") && strcmp(section, "mail") &&
			    strcmp(section, "comments") && strcmp(section, "stats")) {
				snprintf(err, errsz, "%s:%d: unknown section [%s]", path, lineno, section);
				rc = -1;
				break;
			}
			continue;
		}
		char *eq = strchr(s, '=');
		if (!eq || !*section) {
			snprintf(err, errsz, "%s:%d: expected 'key = value' inside a [section]", path,
			         lineno);
			rc = -1;
			break;
		}
		*eq = '\0';
		char *key = trim(s), *val = trim(eq + 1);
		size_t vl = strlen(val);
		if (vl >= 2 && val[0] == '"' && val[vl - 1] == '"') {
			val[vl - 1] = '\0';
			val++;
		}
		/* a key set twice is a mistake (which one did the author mean?), not "the last wins" */
		int k = key_index(section, key);
		if (k >= 0 && first_line[k]) {
			snprintf(err, errsz, "%s:%d: %s.%s is already set on line %d", path, lineno, section,
			         key, first_line[k]);
			rc = -1;
			break;
		}
		if (k >= 0)
			first_line[k] = lineno;
		if (config_set(c, section, key, val, why, sizeof why) < 0) {
			snprintf(err, errsz, "%s:%d: %s", path, lineno, why);
			rc = -1;
			break;
		}
	}
	fclose(f);
	return rc;
}

const char *config_listen_path(const char *listen)
{
	return strncmp(listen, "unix:", 5) == 0 ? listen + 5 : listen[0] == '/' ? listen : NULL;
}

/* "unix:/abs/path", "/abs/path" or "HOST:PORT" with a port from 1 to 65535. */
static int check_listen(const char *l, char *err, size_t errsz)
{
	const char *path = config_listen_path(l);
	if (path) {
		if (path[0] != '/') {
			snprintf(err, errsz,
			         "server.listen: a socket path must be absolute: unix:/run/quire.sock");
			return -1;
		}
		if (strlen(path) >= SOCKET_PATH_MAX) {
			snprintf(err, errsz, "server.listen: a socket path must be shorter than %d bytes",
			         SOCKET_PATH_MAX);
			return -1;
		}
		return 0;
	}
	/* the port is digits only: strtol alone would take "+80" or " 80" */
	const char *colon = strrchr(l, ':');
	const char *digits = colon ? colon + 1 : "";
	long port = *digits && strspn(digits, "0123456789") == strlen(digits) && strlen(digits) <= 5
	                ? strtol(digits, NULL, 10)
	                : 0;
	if (!colon || colon == l || port < 1 || port > 65535) {
		snprintf(err, errsz,
		         "server.listen must be unix:/path.sock or HOST:PORT with a port from 1 to 65535");
		return -1;
	}
	return 0;
}

/* A CA bundle is a readable file holding at least one PEM certificate. */
static int check_pem(const char *path, char *err, size_t errsz)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		snprintf(err, errsz, "mail.ca_file %s: %s", path, strerror(errno));
		return -1;
	}
	char line[256];
	bool pem = false;
	while (!pem && fgets(line, sizeof line, f))
		pem = strncmp(line, "-----BEGIN CERTIFICATE-----", 27) == 0;
	bool failed = ferror(f) != 0; /* a folder opens, then fails to read */
	fclose(f);
	if (failed || !pem) {
		snprintf(err, errsz,
		         "mail.ca_file %s: not a PEM file with a certificate (-----BEGIN CERTIFICATE-----)",
		         path);
		return -1;
	}
	return 0;
}

#define ZONEINFO_DIR "/usr/share/zoneinfo"
#define TZ_NAME_MAX 64

/* An IANA zone name that the system knows ("" is the machine's own): glibc would take an
 * unknown one silently as UTC. */
static int check_timezone(const char *tz, char *err, size_t errsz)
{
	if (!*tz)
		return 0;
	char path[sizeof ZONEINFO_DIR + TZ_NAME_MAX + 2];
	bool shape =
	    strlen(tz) <= TZ_NAME_MAX && tz[0] != '/' && !strstr(tz, "..") &&
	    strspn(tz, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/_+-") == strlen(tz);
	if (shape)
		snprintf(path, sizeof path, "%s/%s", ZONEINFO_DIR, tz);
	if (!shape || access(path, R_OK) != 0) {
		snprintf(err, errsz,
		         "site.timezone: '%s' is no time zone known here (an IANA name such as "
		         "Europe/Berlin, from %s)",
		         tz, ZONEINFO_DIR);
		return -1;
	}
	return 0;
}

int config_apply_timezone(const struct config *c, char *err, size_t errsz)
{
	if (check_timezone(c->timezone, err, errsz) < 0)
		return -1;
	if (*c->timezone && setenv("TZ", c->timezone, 1) != 0) {
		snprintf(err, errsz, "site.timezone: setenv: %s", strerror(errno));
		return -1;
	}
	tzset();
	return 0;
}

int config_check(const struct config *c, char *err, size_t errsz)
{
	if (check_listen(c->listen, err, errsz) < 0)
		return -1;
	if (strncmp(c->smtp_url, "smtp://", 7) && strncmp(c->smtp_url, "smtps://", 8)) {
		snprintf(err, errsz, "mail.smtp_url must start with smtp:// or smtps://");
		return -1;
	}
	/* a bundle that cannot be read would fail every send as "certificate rejected" */
	if (*c->ca_file && check_pem(c->ca_file, err, errsz) < 0)
		return -1;
	if (*c->stats_log && c->stats_log[0] != '/') {
		snprintf(err, errsz, "stats.access_log must be an absolute path");
		return -1;
	}
	if (!email_valid(c->mail_from)) {
		snprintf(err, errsz, "mail.from must be an email address");
		return -1;
	}
	if (check_timezone(c->timezone, err, errsz) < 0)
		return -1;
	const char *u = c->base_url;
	if (strncmp(u, "http://", 7) != 0 && strncmp(u, "https://", 8) != 0) {
		snprintf(err, errsz, "site.base_url must start with http:// or https://");
		return -1;
	}
	if (strpbrk(u, " \"'<>\\") || u[strlen(u) - 1] == '/') {
		snprintf(err, errsz, "site.base_url must be a plain URL without a trailing slash");
		return -1;
	}
	return 0;
}

void config_free(struct config *c)
{
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		if (keys[i].type == C_STR) {
			char **slot = (char **)((char *)c + keys[i].off);
			free(*slot);
			*slot = NULL;
		}
}

const char *config_moderation_name(enum moderation m)
{
	return (unsigned)m < sizeof moderation_words / sizeof moderation_words[0] - 1 ? moderation_words[m]
	                                                                              : "?";
}

const char *config_starttls_name(enum starttls s)
{
	return (unsigned)s < sizeof starttls_words / sizeof starttls_words[0] - 1 ? starttls_words[s] : "?";
}
