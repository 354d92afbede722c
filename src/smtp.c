/* smtp: libcurl keeps the connection open between messages when the same easy handle is reused. */
#include "smtp.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SMTP_CONNECT_TIMEOUT 10L
#define SMTP_TIMEOUT 60L

struct smtp {
	CURL *curl;
	struct smtp_cfg cfg;
};

struct reader {
	const char *p;
	size_t left;
};

static size_t read_cb(char *dst, size_t size, size_t nmemb, void *arg)
{
	struct reader *r = arg;
	size_t n = size * nmemb < r->left ? size * nmemb : r->left;
	memcpy(dst, r->p, n);
	r->p += n;
	r->left -= n;
	return n;
}

struct smtp *smtp_open(const struct smtp_cfg *cfg)
{
	struct smtp *s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	s->cfg = *cfg;
	s->curl = curl_easy_init();
	if (!s->curl) {
		free(s);
		return NULL;
	}
	return s;
}

enum smtp_result smtp_send(struct smtp *s, const char *rcpt, const char *msg, size_t len, char *err,
                           size_t errsz, long *code)
{
	CURL *c = s->curl;
	char from[600], to[600];
	snprintf(from, sizeof from, "<%s>", s->cfg.from);
	snprintf(to, sizeof to, "<%s>", rcpt);
	struct curl_slist *rcpts = curl_slist_append(NULL, to);
	struct reader r = {msg, len};
	char curlerr[CURL_ERROR_SIZE] = "";
	*code = 0;
	if (!rcpts) {
		snprintf(err, errsz, "out of memory");
		return SMTP_TRANSIENT;
	}
	curl_easy_setopt(c, CURLOPT_URL, s->cfg.url);
	curl_easy_setopt(c, CURLOPT_MAIL_FROM, from);
	curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpts);
	curl_easy_setopt(c, CURLOPT_READFUNCTION, read_cb);
	curl_easy_setopt(c, CURLOPT_READDATA, &r);
	curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, (curl_off_t)len);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, SMTP_CONNECT_TIMEOUT);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, SMTP_TIMEOUT);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, curlerr);
	const char *tls = s->cfg.starttls ? s->cfg.starttls : "try";
	curl_easy_setopt(c, CURLOPT_USE_SSL,
	                 strcmp(tls, "require") == 0 ? (long)CURLUSESSL_ALL
	                 : strcmp(tls, "no") == 0    ? (long)CURLUSESSL_NONE
	                                             : (long)CURLUSESSL_TRY);
	if (s->cfg.username && *s->cfg.username) {
		curl_easy_setopt(c, CURLOPT_USERNAME, s->cfg.username);
		curl_easy_setopt(c, CURLOPT_PASSWORD, s->cfg.password ? s->cfg.password : "");
	}
	CURLcode rc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, code);
	curl_slist_free_all(rcpts);
	curl_easy_setopt(c, CURLOPT_MAIL_RCPT, NULL);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, NULL);
	if (rc == CURLE_OK)
		return SMTP_SENT;
	snprintf(err, errsz, "%s (%ld): %s", curl_easy_strerror(rc), *code, curlerr);
	/* a 5xx reply is the server's final word; anything else (no reply, 4xx) may pass later */
	return *code >= 500 && *code < 600 ? SMTP_PERMANENT : SMTP_TRANSIENT;
}

void smtp_close(struct smtp *s)
{
	if (!s)
		return;
	curl_easy_cleanup(s->curl);
	free(s);
}
