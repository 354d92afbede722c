/* media_fetch: one media file's bytes from the old host (libcurl) or from a local uploads copy. */
#include "media_fetch.h"

#include <ctype.h>
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "media_url.h"
#include "mime.h"

#define MEDIA_USER_AGENT "quire-import"
#define MEDIA_READ_CHUNK 65536

struct sink {
	struct buf *out;
	size_t max;
	bool too_big;
};

static size_t on_data(char *p, size_t size, size_t nmemb, void *arg)
{
	struct sink *s = arg;
	size_t n = size * nmemb;
	if (n > s->max || s->out->len > s->max - n) {
		s->too_big = true;
		return 0; /* aborts the transfer: nothing past the limit is kept */
	}
	buf_add(s->out, p, n);
	return s->out->oom ? 0 : n;
}

int media_fetcher_init(struct media_fetcher *f, const char *old_host, long timeout_ms, size_t max_bytes)
{
	memset(f, 0, sizeof *f);
	f->curl = curl_easy_init();
	if (!f->curl)
		return -1;
	f->timeout_ms = timeout_ms > 0 ? timeout_ms : MEDIA_TIMEOUT_S * 1000;
	f->connect_ms =
	    f->timeout_ms < MEDIA_CONNECT_TIMEOUT_S * 1000 ? f->timeout_ms : MEDIA_CONNECT_TIMEOUT_S * 1000;
	f->max_bytes = max_bytes ? max_bytes : (size_t)MEDIA_IMPORT_MAX;
	snprintf(f->host, sizeof f->host, "%s", old_host);
	return 0;
}

void media_fetcher_free(struct media_fetcher *f)
{
	if (f->curl)
		curl_easy_cleanup(f->curl);
	f->curl = NULL;
}

/* Sets the options of one GET of url; libcurl's code of the first that failed. */
static CURLcode setup(struct media_fetcher *f, const char *url, struct sink *s)
{
	CURL *h = f->curl;
	CURLcode rc = CURLE_OK;
	curl_easy_reset(h);
#define SET(opt, val)                                                                                        \
	if (rc == CURLE_OK)                                                                                  \
	rc = curl_easy_setopt(h, opt, val)
	SET(CURLOPT_URL, url);
	SET(CURLOPT_PROTOCOLS_STR, "http,https");
	SET(CURLOPT_FOLLOWLOCATION, 0L); /* followed by hand: each hop's host is checked */
	SET(CURLOPT_NOSIGNAL, 1L);
	SET(CURLOPT_CONNECTTIMEOUT_MS, f->connect_ms);
	SET(CURLOPT_TIMEOUT_MS, f->timeout_ms);
	SET(CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)f->max_bytes);
	SET(CURLOPT_USERAGENT, MEDIA_USER_AGENT);
	SET(CURLOPT_WRITEFUNCTION, on_data);
	SET(CURLOPT_WRITEDATA, s);
#undef SET
	return rc;
}

/* Whether a redirect to url may be followed from a file on host from. */
static bool redirect_ok(const struct media_fetcher *f, const char *from, const char *url)
{
	char host[256];
	if (strncasecmp(url, "http://", 7) != 0 && strncasecmp(url, "https://", 8) != 0)
		return false;
	mime_url_host(url, host, sizeof host);
	return *host && (strcmp(host, from) == 0 || strcmp(host, f->host) == 0);
}

/* The failure count of host (added when there is room), or NULL. */
static int *host_fails(struct media_fetcher *f, const char *host)
{
	for (int i = 0; i < f->nhosts; i++)
		if (strcmp(f->hosts[i].name, host) == 0)
			return &f->hosts[i].fails;
	if (f->nhosts == MEDIA_HOSTS_TRACKED)
		return NULL;
	snprintf(f->hosts[f->nhosts].name, sizeof f->hosts[0].name, "%s", host);
	f->hosts[f->nhosts].fails = 0;
	return &f->hosts[f->nhosts++].fails;
}

/* url's scheme and authority ("http://host:port"), lower case, into out: what one server is. */
static void server_of(const char *url, char *out, size_t outsz)
{
	const char *p = strstr(url, "://");
	size_t n = p ? (size_t)(p + 3 - url) + strcspn(p + 3, "/?#") : 0;
	if (n >= outsz)
		n = outsz - 1;
	for (size_t i = 0; i < n; i++)
		out[i] = (char)tolower((unsigned char)url[i]);
	out[n] = '\0';
}

/* Counts a transfer's outcome against its server: unreachable, or reached (the count starts over). */
static void host_note(struct media_fetcher *f, const char *url, CURLcode rc)
{
	char host[256];
	server_of(url, host, sizeof host);
	int *fails = host_fails(f, host);
	if (!fails)
		return;
	curl_off_t connect = 0;
	curl_easy_getinfo(f->curl, CURLINFO_CONNECT_TIME_T, &connect);
	if (rc == CURLE_COULDNT_RESOLVE_HOST || (rc == CURLE_OPERATION_TIMEDOUT && connect == 0))
		*fails = MEDIA_HOST_GIVE_UP; /* each try would cost as much again */
	else if (rc == CURLE_COULDNT_CONNECT || rc == CURLE_OPERATION_TIMEDOUT)
		(*fails)++; /* refused, or stalled after connecting: 3 in a row and the host is dropped */
	else
		*fails = 0;
}

static bool host_given_up(struct media_fetcher *f, const char *url)
{
	char host[256];
	server_of(url, host, sizeof host);
	int *fails = host_fails(f, host);
	return fails && *fails >= MEDIA_HOST_GIVE_UP;
}

int media_fetch(struct media_fetcher *f, const char *url, struct buf *out, char *reason, size_t reasonsz)
{
	char cur[MEDIA_URL_MAX], from[256];
	if (snprintf(cur, sizeof cur, "%s", url) >= (int)sizeof cur) {
		snprintf(reason, reasonsz, "URL too long");
		return -1;
	}
	mime_url_host(url, from, sizeof from);
	for (int hop = 0; hop <= MEDIA_REDIRECTS_MAX; hop++) {
		struct sink s = {out, f->max_bytes, false};
		buf_reset(out);
		if (host_given_up(f, cur)) {
			snprintf(reason, reasonsz, "host unreachable (not tried again)");
			return -1;
		}
		CURLcode rc = setup(f, cur, &s);
		if (rc == CURLE_OK) {
			rc = curl_easy_perform(f->curl);
			host_note(f, cur, rc);
		}
		if (s.too_big || rc == CURLE_FILESIZE_EXCEEDED) {
			snprintf(reason, reasonsz, "too big (over %zu bytes)", f->max_bytes);
			return -1;
		}
		if (rc == CURLE_OPERATION_TIMEDOUT) {
			snprintf(reason, reasonsz, "timeout");
			return -1;
		}
		if (rc != CURLE_OK) {
			snprintf(reason, reasonsz, "%s", out->oom ? "out of memory" : curl_easy_strerror(rc));
			return -1;
		}
		long code = 0;
		char *next = NULL;
		curl_easy_getinfo(f->curl, CURLINFO_RESPONSE_CODE, &code);
		if (code >= 300 && code < 400 &&
		    curl_easy_getinfo(f->curl, CURLINFO_REDIRECT_URL, &next) == CURLE_OK && next) {
			if (!redirect_ok(f, from, next)) {
				snprintf(reason, reasonsz, "redirect to another host");
				return -1;
			}
			if (snprintf(cur, sizeof cur, "%s", next) >= (int)sizeof cur) {
				snprintf(reason, reasonsz, "redirect URL too long");
				return -1;
			}
			continue;
		}
		if (code != 200) {
			snprintf(reason, reasonsz, "HTTP %ld", code);
			return -1;
		}
		return 0;
	}
	snprintf(reason, reasonsz, "more than %d redirects", MEDIA_REDIRECTS_MAX);
	return -1;
}

int media_read_local(const char *root, const char *url, size_t max_bytes, struct buf *out, char *reason,
                     size_t reasonsz)
{
	char rel[PATH_MAX], path[PATH_MAX], realroot[PATH_MAX], real[PATH_MAX];
	int fd = -1, rc = -1;
	buf_reset(out);
	if (media_uploads_rel(url, rel, sizeof rel) < 0) {
		snprintf(reason, reasonsz, "not a path below wp-content/uploads/ (refused)");
		goto out;
	}
	if (!realpath(root, realroot)) {
		snprintf(reason, reasonsz, "%s: %s", root, strerror(errno));
		goto out;
	}
	if (snprintf(path, sizeof path, "%s/%s", realroot, rel) >= (int)sizeof path) {
		snprintf(reason, reasonsz, "path too long");
		goto out;
	}
	if (!realpath(path, real)) {
		snprintf(reason, reasonsz, "%s", errno == ENOENT ? "not found" : strerror(errno));
		goto out;
	}
	size_t rl = strlen(realroot);
	if (strncmp(real, realroot, rl) != 0 || real[rl] != '/') {
		snprintf(reason, reasonsz, "leaves the uploads folder (refused)");
		goto out;
	}
	fd = open(real, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	struct stat sb;
	if (fd < 0 || fstat(fd, &sb) < 0) {
		snprintf(reason, reasonsz, "%s", strerror(errno));
		goto out;
	}
	if (!S_ISREG(sb.st_mode)) {
		snprintf(reason, reasonsz, "not a regular file");
		goto out;
	}
	if ((unsigned long long)sb.st_size > max_bytes) {
		snprintf(reason, reasonsz, "too big (over %zu bytes)", max_bytes);
		goto out;
	}
	char chunk[MEDIA_READ_CHUNK];
	for (;;) {
		ssize_t n = read(fd, chunk, sizeof chunk);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			snprintf(reason, reasonsz, "%s", strerror(errno));
			goto out;
		}
		if (n == 0)
			break;
		if (out->len + (size_t)n > max_bytes) {
			snprintf(reason, reasonsz, "too big (over %zu bytes)", max_bytes);
			goto out;
		}
		buf_add(out, chunk, (size_t)n);
	}
	if (out->oom) {
		snprintf(reason, reasonsz, "out of memory");
		goto out;
	}
	rc = 0;
out:
	if (fd >= 0)
		close(fd);
	return rc;
}
