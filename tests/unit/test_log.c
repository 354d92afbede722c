/* test_log: levels, journald priority prefixes, escaping, and the access line (redaction, no
 * forged lines, the address only with log_ip). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "access_line.h"
#include "log.h"
#include "tap.h"

static int saved_stderr = -1, cap_fd = -1;

/* Sends stderr to a fresh temporary file. */
static void capture(void)
{
	char tmpl[] = "/tmp/test_log_XXXXXX";
	fflush(stderr);
	cap_fd = mkstemp(tmpl);
	if (cap_fd < 0 || dup2(cap_fd, STDERR_FILENO) < 0) {
		perror("capture");
		exit(1);
	}
	unlink(tmpl);
}

/* stderr back to where it was. */
static void restore(void)
{
	fflush(stderr);
	dup2(saved_stderr, STDERR_FILENO);
}

/* Everything written to the captured stderr, into out. */
static const char *captured(char *out, size_t outsz)
{
	ssize_t n = pread(cap_fd, out, outsz - 1, 0);
	out[n > 0 ? n : 0] = '\0';
	close(cap_fd);
	cap_fd = -1;
	return out;
}

int main(void)
{
	char buf[16384];
	saved_stderr = dup(STDERR_FILENO);

	/* levels: info by default; warn hides info and debug */
	unsetenv("JOURNAL_STREAM");
	capture();
	log_detect_journal();
	ok(log_enabled(LOG_LEVEL_INFO) && !log_enabled(LOG_LEVEL_DEBUG), "info is the default level");
	log_info("one %d", 1);
	log_debug("hidden");
	log_set_level(LOG_LEVEL_WARN);
	log_info("hidden too");
	log_warn("two");
	log_msg("three");
	log_audit("audit: user=1 action=login");
	log_set_level(LOG_LEVEL_ERROR);
	log_warn("hidden at error");
	log_error("four");
	log_set_level(LOG_LEVEL_DEBUG);
	log_debug("five");
	log_set_level(LOG_LEVEL_INFO);
	restore();
	is_str(captured(buf, sizeof buf),
	       "quire: one 1\nquire: two\nquire: three\nquire: audit: user=1 action=login\nquire: four\n"
	       "quire: five\n",
	       "each level shows its lines and those before it; audit lines at every level");

	/* control characters never start a line of their own */
	capture();
	log_info("a\nquire: forged\r\x1b[31m");
	restore();
	is_str(captured(buf, sizeof buf), "quire: a\\x0aquire: forged\\x0d\\x1b[31m\n",
	       "control characters are escaped");

	/* journald: the stream named by JOURNAL_STREAM gets priority prefixes */
	capture();
	struct stat sb;
	fstat(STDERR_FILENO, &sb);
	char js[64];
	snprintf(js, sizeof js, "%llu:%llu", (unsigned long long)sb.st_dev, (unsigned long long)sb.st_ino);
	setenv("JOURNAL_STREAM", js, 1);
	log_detect_journal();
	log_error("e");
	log_warn("w");
	log_audit("audit: n");
	log_info("i");
	log_set_level(LOG_LEVEL_DEBUG);
	log_debug("d");
	log_set_level(LOG_LEVEL_INFO);
	restore();
	is_str(captured(buf, sizeof buf),
	       "<3>quire: e\n<4>quire: w\n<5>quire: audit: n\n<6>quire: i\n<7>quire: d\n",
	       "journald gets <3> <4> <5> <6> <7>");
	/* a JOURNAL_STREAM inherited by a process whose stderr is elsewhere: plain lines */
	capture();
	setenv("JOURNAL_STREAM", "1:2", 1);
	log_detect_journal();
	log_info("plain");
	restore();
	is_str(captured(buf, sizeof buf), "quire: plain\n",
	       "another stream than JOURNAL_STREAM's: no prefix");
	unsetenv("JOURNAL_STREAM");
	log_detect_journal();

	/* the access line's path */
	char out[4 * ACCESS_PATH_MAX + 16];
	access_path(out, sizeof out, "/2024/05/hello", ACCESS_PATH_MAX);
	is_str(out, "/2024/05/hello", "a plain path as it is");
	access_path(out, sizeof out, "/a b\n200\\x", ACCESS_PATH_MAX);
	is_str(out, "/a\\x20b\\x0a200\\x5cx", "space, newline and backslash escaped");
	access_path(out, sizeof out, "/caf\xc3\xa9", ACCESS_PATH_MAX);
	is_str(out, "/caf\\xc3\\xa9", "bytes above ASCII escaped (a line stays ASCII)");
	access_path(out, sizeof out, "/unsubscribe", ACCESS_PATH_MAX);
	is_str(out, "/unsubscribe", "a token route without a token");
	access_path(out, sizeof out, "/unsubscribe/0123456789abcdef", ACCESS_PATH_MAX);
	is_str(out, "/unsubscribe[redacted]", "a token in the path of /unsubscribe is cut");
	access_path(out, sizeof out, "/admin/reset;token=abc", ACCESS_PATH_MAX);
	is_str(out, "/admin/reset[redacted]", "and of /admin/reset");
	access_path(out, sizeof out, "/subscribe/confirm%3Ftoken=abc", ACCESS_PATH_MAX);
	is_str(out, "/subscribe/confirm[redacted]", "and of /subscribe/confirm");
	access_path(out, sizeof out, "/posts/x%3ftoken=abc", ACCESS_PATH_MAX);
	is_str(out, "/posts/x%3f[redacted]", "nothing after an encoded '?'");
	char longp[1000];
	memset(longp, 'a', sizeof longp - 1);
	longp[0] = '/';
	longp[sizeof longp - 1] = '\0';
	size_t n = access_path(out, sizeof out, longp, ACCESS_PATH_MAX);
	ok(n == ACCESS_PATH_MAX + 3 && strcmp(out + ACCESS_PATH_MAX, "...") == 0,
	   "a long path is cut at %d bytes and ends in ...", ACCESS_PATH_MAX);
	memset(longp, '\n', sizeof longp - 1);
	n = access_path(out, sizeof out, longp, ACCESS_PATH_MAX);
	ok(n < sizeof out && strlen(out) == n, "a path of control characters fits its buffer");

	/* whole lines */
	struct resp r;
	resp_init(&r);
	buf_adds(&r.body, "12345");
	r.status = 200;
	struct req q = {.method = "GET", .raw_path = "/x", .remote_addr = "203.0.113.9"};
	struct access_rec a;
	capture();
	access_start(&a);
	access_note(&a, &q, &r, false);
	access_write(&a);
	log_set_ip(true);
	q.method = "HEAD";
	access_start(&a);
	access_note(&a, &q, &r, false);
	access_write(&a);
	log_set_ip(false);
	q.method = "GET";
	r.status = 304;
	access_start(&a);
	access_note(&a, &q, &r, false);
	access_write(&a);
	log_set_level(LOG_LEVEL_WARN);
	access_start(&a);
	access_note(&a, &q, &r, false);
	access_write(&a);
	log_set_level(LOG_LEVEL_INFO);
	restore();
	captured(buf, sizeof buf);
	char l1[64], l2[64], l3[64], ip[64];
	int fields = sscanf(buf,
	                    "quire: GET /x 200 5 B %63s ms\nquire: HEAD /x 200 0 B %63s ms %63s\nquire: GET "
	                    "/x 304 0 B %63s ms\n",
	                    l1, l2, ip, l3);
	ok(fields == 4, "GET 200 5 B, HEAD 200 0 B, 304 0 B, with the milliseconds");
	if (fields != 4)
		printf("#   %s\n", buf);
	is_str(fields == 4 ? ip : "", "203.0.113.9", "the address only with log_ip = on");
	const char *at = strstr(buf, "203.0.113.9");
	ok(at && !strstr(at + 1, "203.0.113.9"), "and on that line only");
	int lines = 0;
	for (const char *p = buf; (p = strchr(p, '\n')); p++)
		lines++;
	ok(lines == 3, "no access line at log_level = warn");
	is_str(log_addr("198.51.100.1"), "-", "log_addr hides an address by default");
	resp_free(&r);
	return tap_done();
}
