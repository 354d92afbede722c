/* test_config: the INI reader: values, overrides, and errors naming file and line. */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "tap.h"

static const char *write_tmp(const char *text)
{
	static char path[64];
	snprintf(path, sizeof path, "/tmp/quire-test-config-%d.conf", (int)getpid());
	FILE *f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
	return path;
}

int main(void)
{
	struct config c;
	char err[512];
	config_init(&c);
	const char *p =
	    write_tmp("# comment\n[site]\ntitle = My \"Blog\"\nbase_url = https://b.example/\n"
	              "posts_per_page = 5\n\n[server]\nthreads = 8\n[mail]\nfrom = \"a@b.org\"\n");
	ok(config_load(&c, p, err, sizeof err) == 0, "good file loads (%s)", err);
	is_str(c.title, "My \"Blog\"", "title");
	is_str(c.base_url, "https://b.example", "trailing slash dropped");
	ok(c.posts_per_page == 5 && c.threads == 8, "numbers");
	is_str(c.mail_from, "a@b.org", "quoted value");
	ok(config_check(&c, err, sizeof err) == 0, "check passes");
	ok(config_set(&c, "mail", "ca_file", "/nonexistent/ca.pem", err, sizeof err) == 0 &&
	       config_check(&c, err, sizeof err) < 0 && strstr(err, "mail.ca_file"),
	   "an unreadable mail.ca_file is refused at start (%s)", err);
	ok(config_set(&c, "mail", "ca_file", p, err, sizeof err) == 0 &&
	       config_check(&c, err, sizeof err) < 0 && strstr(err, "not a PEM file"),
	   "a readable file without a certificate is refused (%s)", err);
	ok(config_set(&c, "mail", "ca_file", "/tmp", err, sizeof err) == 0 &&
	       config_check(&c, err, sizeof err) < 0,
	   "a folder as ca_file is refused (%s)", err);
	const char *pem =
	    write_tmp("# a bundle\n-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
	ok(config_set(&c, "mail", "ca_file", pem, err, sizeof err) == 0 &&
	       config_check(&c, err, sizeof err) == 0,
	   "a PEM bundle passes (%s)", err);
	config_set(&c, "mail", "ca_file", "", err, sizeof err);
	ok(c.mail_timeout == 30 && config_set(&c, "mail", "timeout", "0", err, sizeof err) < 0 &&
	       config_set(&c, "mail", "timeout", "5", err, sizeof err) == 0 && c.mail_timeout == 5,
	   "mail.timeout: 30 s by default, 1 to 600");

	p = write_tmp("[site]\ntitle = x\n[server]\nthreads = 2\n[site]\ntitle = y\n");
	ok(config_load(&c, p, err, sizeof err) < 0 && strstr(err, ":6: site.title is already set on line 2"),
	   "a key set twice is refused with both lines (%s)", err);
	p = write_tmp("[site]\ntitle = x\nbogus = 1\n");
	ok(config_load(&c, p, err, sizeof err) < 0 && strstr(err, ":3: unknown key 'bogus'"),
	   "unknown key names file:line (%s)", err);
	p = write_tmp("[nope]\n");
	ok(config_load(&c, p, err, sizeof err) < 0 && strstr(err, ":1: unknown section"), "unknown section");
	p = write_tmp("[server]\nthreads = many\n");
	ok(config_load(&c, p, err, sizeof err) < 0 && strstr(err, ":2:"), "bad number");
	p = write_tmp("title = x\n");
	ok(config_load(&c, p, err, sizeof err) < 0, "key outside a section");
	ok(config_load(&c, "/nonexistent/quire.conf", err, sizeof err) < 0 && strstr(err, "No such file"),
	   "missing file");
	ok(config_set(&c, "server", "threads", "0", err, sizeof err) < 0, "threads out of range");
	ok(config_set(&c, "site", "base_url", "ftp://x", err, sizeof err) == 0 &&
	       config_check(&c, err, sizeof err) < 0,
	   "base_url must be http(s)");
	unlink(p);
	config_free(&c);

	/* [site] timezone: an IANA name this system knows, or "" (the machine's own time) */
	config_init(&c);
	ok(config_set(&c, "site", "timezone", "Europe/Berlin", err, sizeof err) == 0 &&
	       config_check(&c, err, sizeof err) == 0,
	   "site.timezone Europe/Berlin is accepted");
	ok(config_set(&c, "site", "timezone", "Mars/Olympus_Mons", err, sizeof err) == 0 &&
	       config_check(&c, err, sizeof err) < 0 && strstr(err, "site.timezone"),
	   "an unknown zone is refused, naming the key");
	ok(config_set(&c, "site", "timezone", "../../etc/passwd", err, sizeof err) == 0 &&
	       config_check(&c, err, sizeof err) < 0,
	   "a path is no zone");
	ok(config_set(&c, "site", "timezone", "Europe/Berlin", err, sizeof err) == 0 &&
	       config_apply_timezone(&c, err, sizeof err) == 0,
	   "applying the zone works");
	struct tm tm;
	time_t summer = 1782892800; /* 2026-07-01 08:00 UTC */
	ok(localtime_r(&summer, &tm) && tm.tm_hour == 10 && tm.tm_isdst > 0,
	   "after it, local time is Berlin's (10:00 summer time)");
	config_free(&c);
	return tap_done();
}
