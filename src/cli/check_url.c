/* check_url: `quire check` on [site] base_url, quoted as the file holds it (config_set drops one
 * trailing slash and writes the scheme and host in lower case): well formed, as config_check
 * wants it, a public host name in ASCII, not an example address, https for a public host. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "check.h"

#define HOST_MAX 256
#define RAW_LINE_MAX (CONFIG_STR_MAX + 256)
#define SHIPPED_HOST "blog.example.org" /* the base_url of conf/quire.conf.example */

static char *trim(char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	size_t n = strlen(s);
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	return s;
}

/* The value of key in [section] as the file holds it, quotes removed as config_load does: 0, or
 * -1 when the file has no such line. */
static int raw_value(const char *path, const char *section, const char *key, char *out, size_t outsz)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	char line[RAW_LINE_MAX], cur[64] = "";
	int rc = -1;
	while (rc < 0 && fgets(line, sizeof line, f)) {
		char *s = trim(line), *eq = strchr(s, '=');
		if (*s == '[') {
			snprintf(cur, sizeof cur, "%.*s", (int)strcspn(s + 1, "]"), s + 1);
			continue;
		}
		if (*s == '#' || *s == ';' || !eq || strcmp(cur, section) != 0)
			continue;
		*eq = '\0';
		if (strcmp(trim(s), key) != 0)
			continue;
		char *v = trim(eq + 1);
		size_t n = strlen(v);
		if (n >= 2 && v[0] == '"' && v[n - 1] == '"') {
			v[n - 1] = '\0';
			v++;
		}
		snprintf(out, outsz, "%s", v);
		rc = 0;
	}
	fclose(f);
	return rc;
}

/* Hosts that only this machine reaches. */
static bool local_host(const char *h)
{
	return strcmp(h, "localhost") == 0 || strncmp(h, "127.", 4) == 0 || strcmp(h, "[::1]") == 0;
}

/* The example domains of RFC 2606 (the shipped configuration holds blog.example.org). */
static bool example_host(const char *h)
{
	static const char *const ex[] = {"example.org", "example.com", "example.net"};
	size_t n = strlen(h);
	for (size_t i = 0; i < sizeof ex / sizeof ex[0]; i++) {
		size_t m = strlen(ex[i]);
		if (n >= m && strcmp(h + n - m, ex[i]) == 0 && (n == m || h[n - m - 1] == '.'))
			return true;
	}
	return n >= 8 && strcmp(h + n - 8, ".example") == 0;
}

static bool has_non_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80)
			return true;
	return false;
}

/* The host's checks, after the scheme and before the path: false when one failed. */
static bool check_host(struct checker *k, const char *subject, const char *h, size_t hl, char *host)
{
	if (hl == 0 || hl >= HOST_MAX || memchr(h, '@', hl)) {
		say(k, V_FAIL, subject, "%s: write https://HOST with the blog's host name",
		    hl == 0 ? "no host name" : "not a plain host name (a user name or password in it?)");
		return false;
	}
	snprintf(host, HOST_MAX, "%.*s", (int)hl, h);
	char *port = host[0] == '[' ? strstr(host, "]:") : strrchr(host, ':');
	if (port) {
		port += port[0] == ']' ? 2 : 1;
		long p = strspn(port, "0123456789") == strlen(port) && *port && strlen(port) <= 5
		             ? strtol(port, NULL, 10)
		             : 0;
		if (p < 1 || p > 65535) {
			say(k, V_FAIL, subject, "the port after the host must be a number from 1 to 65535");
			return false;
		}
		port[-1] = '\0';
	}
	if (has_non_ascii(host)) {
		say(k, V_FAIL, subject,
		    "the host name %s is not ASCII: feeds, mails and links need its punycode (xn--) form, "
		    "such as xn--bcher-kva.example for bücher.example ('idn2 %s' prints it)",
		    host, host);
		return false;
	}
	if (host[strspn(host, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-[]:")] !=
	    '\0') {
		say(k, V_FAIL, subject, "the host name %s holds characters a host name cannot have", host);
		return false;
	}
	return true;
}

void check_base_url(struct checker *k, const struct config *c)
{
	char raw[CONFIG_STR_MAX + 8], subject[CONFIG_STR_MAX + 32], host[HOST_MAX];
	if (raw_value(k->config, "site", "base_url", raw, sizeof raw) < 0)
		snprintf(raw, sizeof raw, "%s", c->base_url); /* not in the file: the default */
	snprintf(subject, sizeof subject, "base_url \"%s\"", raw);
	const char *u = c->base_url; /* scheme and host in lower case, one trailing slash dropped */
	bool https = strncmp(u, "https://", 8) == 0;
	if (!https && strncmp(u, "http://", 7) != 0) {
		say(k, V_FAIL, subject,
		    "not an absolute http(s) URL: write the blog's public address, such as "
		    "https://blog.example.org");
		return;
	}
	if (strpbrk(u, " \"'<>\\`{}|^")) {
		say(k, V_FAIL, subject, "holds a space, a quote or another character a URL cannot have");
		return;
	}
	const char *h = strstr(u, "://") + 3;
	size_t hl = strcspn(h, "/?#");
	const char *rest = h + hl;
	if (!check_host(k, subject, h, hl, host))
		return;
	if (*rest == '?' || *rest == '#' || (*rest == '/' && strpbrk(rest, "?#"))) {
		say(k, V_FAIL, subject, "a query (?) or fragment (#) has no place in base_url: remove it");
		return;
	}
	size_t n = strlen(u);
	if (n > 0 && u[n - 1] == '/') { /* config_set dropped one slash, so raw ends with two */
		size_t keep = n;
		while (keep > 0 && u[keep - 1] == '/')
			keep--;
		say(k, V_FAIL, subject, "ends with slashes: quire serve refuses it; write %.*s", (int)keep,
		    u);
		return;
	}
	if (*rest == '/' && rest[1])
		say(k, V_WARN, subject,
		    "has a path (%s): quire makes every link as base_url + its own path, so nginx must "
		    "pass %s/... to quire with the prefix removed; without a path is the usual setup",
		    rest, rest);
	if (example_host(host)) {
		say(k, V_WARN, subject,
		    "%s: set [site] base_url to the blog's public address; feeds, mails and canonical "
		    "links are made with it",
		    strcmp(host, SHIPPED_HOST) == 0 ? "the example address the package ships"
		                                    : "an example address (RFC 2606), not a real site");
		return;
	}
	if (local_host(host)) {
		say(k, V_WARN, subject,
		    "a local address: links in feeds and mails work only on this machine; set the public "
		    "address for a blog on the internet");
		return;
	}
	if (!https) {
		say(k, V_WARN, subject,
		    "plain http on a public host: passwords and login cookies travel in clear; serve the "
		    "blog over https (e.g. with certbot) and write https:// here");
		return;
	}
	if (strcmp(raw, u) != 0 && strncasecmp(raw, u, n) == 0)
		say(k, V_OK, subject, "an https address (quire writes it %s)", u);
	else
		say(k, V_OK, subject, "an https address");
}
