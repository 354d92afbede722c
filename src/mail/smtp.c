/* smtp: libcurl keeps the connection open between messages in the multi handle's pool; the
 * transfer is driven here in short polls so a stop request is seen within STOP_POLL_MS. */
#include "smtp.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "mime.h"

#define SMTP_CONNECT_TIMEOUT 10L
#define STOP_POLL_MS 200
#define URL_MAX 1200

struct reader {
	const char *p;
	size_t left;
	bool eof; /* the whole message was handed to libcurl: the end of DATA is on its way */
};

struct smtp {
	CURL *curl;
	CURLM *multi;
	struct reader *rd; /* the message being sent */
	struct smtp_cfg cfg;
	char url[URL_MAX];
	char reply[256]; /* the server's last 4xx/5xx reply line, for error messages */
	bool in_auth;    /* client lines are credentials until the server answers the AUTH */
};

static size_t read_cb(char *dst, size_t size, size_t nmemb, void *arg)
{
	struct reader *r = arg;
	size_t n = size * nmemb < r->left ? size * nmemb : r->left;
	memcpy(dst, r->p, n);
	r->p += n;
	r->left -= n;
	if (n == 0)
		r->eof = true;
	return n;
}

/* A stop abandons a message only before its end was sent: after that the relay may deliver it,
 * and abandoning would send it again after the restart. The reply is awaited (bounded by the
 * timeout) instead. */
static bool stopped(const struct smtp *s)
{
	return s->cfg.stop && *s->cfg.stop && !(s->rd && s->rd->eof);
}

/* libcurl calls this about once a second during a transfer; non-zero aborts it. */
static int xferinfo_cb(void *arg, curl_off_t dt, curl_off_t dn, curl_off_t ut, curl_off_t un)
{
	(void)dt, (void)dn, (void)ut, (void)un;
	return stopped(arg) ? 1 : 0;
}

/* One protocol line seen by the debug callback: the last reply is kept, and the transcript
 * gets every line except what follows AUTH (base64 of the username and password). */
static void protocol_line(struct smtp *s, bool in, const char *p, size_t n)
{
	while (n && (p[n - 1] == '\n' || p[n - 1] == '\r'))
		n--;
	if (in) {
		/* the refusal, not the 221 of the QUIT that may follow it */
		if (n >= 3 && (p[0] == '4' || p[0] == '5'))
			snprintf(s->reply, sizeof s->reply, "%.*s", (int)n, p);
		/* 334 asks for the next credential; anything else ends the exchange */
		if (s->in_auth && !(n >= 3 && memcmp(p, "334", 3) == 0))
			s->in_auth = false;
	} else if (n >= 5 && strncmp(p, "AUTH ", 5) == 0) {
		const char *sp = memchr(p + 5, ' ', n - 5);
		n = sp ? (size_t)(sp - p) : n;
		s->in_auth = true;
		if (s->cfg.transcript)
			buf_addf(s->cfg.transcript, "C: %.*s (credentials hidden)\n", (int)n, p);
		return;
	} else if (s->in_auth) {
		if (s->cfg.transcript)
			buf_adds(s->cfg.transcript, "C: (credentials hidden)\n");
		return;
	}
	if (s->cfg.transcript)
		buf_addf(s->cfg.transcript, "%s: %.*s\n", in ? "S" : "C", (int)n, p);
}

static int debug_cb(CURL *c, curl_infotype type, char *data, size_t size, void *arg)
{
	(void)c;
	if (type != CURLINFO_HEADER_IN && type != CURLINFO_HEADER_OUT)
		return 0;
	/* a multi-line reply (EHLO) may arrive in one piece */
	for (size_t off = 0; off < size;) {
		const char *nl = memchr(data + off, '\n', size - off);
		size_t n = nl ? (size_t)(nl - (data + off)) + 1 : size - off;
		protocol_line(arg, type == CURLINFO_HEADER_IN, data + off, n);
		off += n;
	}
	return 0;
}

void smtp_cfg_from_config(const struct config *c, char *helo, size_t helosz, struct smtp_cfg *out)
{
	mime_url_host(c->base_url, helo, helosz);
	*out = (struct smtp_cfg){.url = c->smtp_url,
	                         .username = c->smtp_username,
	                         .password = c->smtp_password,
	                         .starttls = config_starttls_name(c->starttls),
	                         .from = c->mail_from,
	                         .ca_file = c->ca_file,
	                         .helo = helo,
	                         .timeout = c->mail_timeout};
}

int smtp_url_with_helo(const char *url, const char *helo, char *out, size_t outsz)
{
	const char *host = strstr(url, "://");
	host = host ? host + 3 : url;
	const char *slash = strchr(host, '/');
	int n;
	if ((slash && slash[1]) || !helo || !*helo) {
		n = snprintf(out, outsz, "%s", url);
	} else {
		/* an address as HELO name is written as a literal; the brackets percent-encoded
		 * because libcurl decodes the path */
		bool ipv4 = strspn(helo, "0123456789.") == strlen(helo);
		n = snprintf(out, outsz, "%.*s/%s%s%s", (int)(slash ? slash - url : (long)strlen(url)), url,
		             ipv4 ? "%5B" : "", helo, ipv4 ? "%5D" : "");
	}
	return n < 0 || (size_t)n >= outsz ? -1 : 0;
}

enum smtp_result smtp_classify(int curl_code, long reply, const char *curl_error)
{
	const char *e = curl_error ? curl_error : "";
	switch (curl_code) {
	case CURLE_OK:
		return SMTP_SENT;
	case CURLE_ABORTED_BY_CALLBACK:
		return SMTP_STOPPED;
	case CURLE_LOGIN_DENIED:
	case CURLE_USE_SSL_FAILED:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_CRL_BADFILE:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
		return SMTP_CONFIG;
	default:
		break;
	}
	/* 530: authentication required, 534/535/538: refused or too weak; a relay's verdict on
	 * the account, not on the message */
	if (reply == 530 || reply == 534 || reply == 535 || reply == 538)
		return SMTP_CONFIG;
	if (reply < 500 || reply >= 600)
		return SMTP_TRANSIENT; /* no reply, or 4xx: it may pass later */
	/* a refused MAIL FROM refuses every message (a relay wanting a login, a sender it does not
	 * own): pausing beats marking every recipient as bouncing */
	if (strncmp(e, "MAIL failed", 11) == 0)
		return SMTP_CONFIG;
	return strncmp(e, "RCPT failed", 11) == 0 ? SMTP_RECIPIENT : SMTP_PERMANENT;
}

const char *smtp_tls_mode(const struct smtp_cfg *cfg)
{
	const char *tls = cfg->starttls && *cfg->starttls ? cfg->starttls : "try";
	if (strcmp(tls, "try") == 0 && cfg->username && *cfg->username)
		return "require";
	return tls;
}

struct smtp *smtp_open(const struct smtp_cfg *cfg)
{
	struct smtp *s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	s->cfg = *cfg;
	if (smtp_url_with_helo(cfg->url, cfg->helo, s->url, sizeof s->url) < 0)
		snprintf(s->url, sizeof s->url, "%s", cfg->url);
	s->curl = curl_easy_init();
	s->multi = curl_multi_init();
	if (!s->curl || !s->multi) {
		smtp_close(s);
		return NULL;
	}
	return s;
}

static void set_options(struct smtp *s)
{
	CURL *c = s->curl;
	long timeout = s->cfg.timeout > 0 ? s->cfg.timeout : SMTP_TIMEOUT_DEFAULT;
	curl_easy_setopt(c, CURLOPT_URL, s->url);
	curl_easy_setopt(c, CURLOPT_READFUNCTION, read_cb);
	curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
	/* a server that accepts and never answers costs at most these bounds */
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT,
	                 timeout < SMTP_CONNECT_TIMEOUT ? timeout : SMTP_CONNECT_TIMEOUT);
	curl_easy_setopt(c, CURLOPT_SERVER_RESPONSE_TIMEOUT, timeout);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, timeout);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, xferinfo_cb);
	curl_easy_setopt(c, CURLOPT_XFERINFODATA, s);
	curl_easy_setopt(c, CURLOPT_VERBOSE, 1L);
	curl_easy_setopt(c, CURLOPT_DEBUGFUNCTION, debug_cb);
	curl_easy_setopt(c, CURLOPT_DEBUGDATA, s);
	/* verification stays on; a private relay's certificate is trusted through ca_file */
	if (s->cfg.ca_file && *s->cfg.ca_file)
		curl_easy_setopt(c, CURLOPT_CAINFO, s->cfg.ca_file);
	const char *tls = smtp_tls_mode(&s->cfg);
	curl_easy_setopt(c, CURLOPT_USE_SSL,
	                 strcmp(tls, "require") == 0 ? (long)CURLUSESSL_ALL
	                 : strcmp(tls, "no") == 0    ? (long)CURLUSESSL_NONE
	                                             : (long)CURLUSESSL_TRY);
	if (s->cfg.username && *s->cfg.username) {
		curl_easy_setopt(c, CURLOPT_USERNAME, s->cfg.username);
		curl_easy_setopt(c, CURLOPT_PASSWORD, s->cfg.password ? s->cfg.password : "");
	}
}

/* Runs the transfer in polls of STOP_POLL_MS so *stop is seen even while libcurl waits for a
 * reply (the progress callback alone is not called in every protocol state). */
static CURLcode perform(struct smtp *s)
{
	if (curl_multi_add_handle(s->multi, s->curl) != CURLM_OK)
		return CURLE_OUT_OF_MEMORY;
	CURLcode rc = CURLE_OK;
	int running = 1;
	bool done = false;
	while (running) {
		if (curl_multi_perform(s->multi, &running) != CURLM_OK) {
			rc = CURLE_FAILED_INIT;
			break;
		}
		CURLMsg *m;
		int left;
		while ((m = curl_multi_info_read(s->multi, &left)))
			if (m->msg == CURLMSG_DONE && m->easy_handle == s->curl) {
				rc = m->data.result;
				done = true;
			}
		if (!running || done)
			break;
		if (stopped(s)) {
			rc = CURLE_ABORTED_BY_CALLBACK;
			break;
		}
		curl_multi_poll(s->multi, NULL, 0, STOP_POLL_MS, NULL);
	}
	/* removing an unfinished transfer closes its connection: the server never saw the end
	 * of DATA, so nothing was delivered */
	curl_multi_remove_handle(s->multi, s->curl);
	return rc;
}

/* The reason in plain words, with the server's own reply or libcurl's detail. */
static void explain(const struct smtp *s, CURLcode rc, long code, const char *curlerr, char *err,
                    size_t errsz)
{
	const char *detail = code >= 400 && s->reply[0] ? s->reply
	                     : *curlerr                 ? curlerr
	                                                : curl_easy_strerror(rc);
	const char *why;
	if (rc == CURLE_LOGIN_DENIED || code == 535 || code == 534 || code == 538)
		why = "authentication failed: the relay refused the [mail] username and password";
	else if (code == 530)
		why = "authentication required: the relay wants a [mail] username and password";
	else if (rc == CURLE_USE_SSL_FAILED)
		why =
		    s->cfg.username && *s->cfg.username
		        ? "TLS impossible: the relay does not offer STARTTLS, and the password is never sent "
		          "without TLS (starttls = no would send it in clear)"
		        : "TLS impossible: the relay does not offer STARTTLS and [mail] starttls = require";
	else if (code >= 500 && strncmp(curlerr, "MAIL failed", 11) == 0)
		why =
		    "sender refused: the relay does not take mail from [mail] from (does it want a username "
		    "and password?)";
	else if (smtp_classify(rc, code, curlerr) == SMTP_CONFIG)
		why = s->cfg.ca_file && *s->cfg.ca_file ? "certificate rejected: the relay's TLS certificate "
		                                          "is not signed by [mail] ca_file, "
		                                          "or does not name the host of smtp_url"
		                                        : "certificate rejected: the relay's TLS certificate "
		                                          "could not be verified (set [mail] "
		                                          "ca_file to its certificate or CA bundle)";
	else if (rc == CURLE_ABORTED_BY_CALLBACK)
		why = "stopped before the relay accepted the message";
	else if (rc == CURLE_OPERATION_TIMEDOUT)
		why = "timed out: the relay did not answer in time";
	else if (rc == CURLE_COULDNT_CONNECT || rc == CURLE_COULDNT_RESOLVE_HOST)
		why = "could not connect to the relay";
	else if (code == 0 && (rc == CURLE_RECV_ERROR || rc == CURLE_GOT_NOTHING || rc == CURLE_SEND_ERROR))
		why = "the relay closed the connection before answering";
	else if (code >= 500 && code < 600)
		why = "refused by the relay";
	else if (code >= 400)
		why = "temporarily refused by the relay";
	else
		why = "sending failed";
	snprintf(err, errsz, "%s (%s)", why, detail);
}

enum smtp_result smtp_send(struct smtp *s, const char *rcpt, const char *msg, size_t len, char *err,
                           size_t errsz, long *code)
{
	CURL *c = s->curl;
	char from[600], to[600];
	snprintf(from, sizeof from, "<%s>", s->cfg.from);
	snprintf(to, sizeof to, "<%s>", rcpt);
	struct curl_slist *rcpts = curl_slist_append(NULL, to);
	struct reader r = {msg, len, false};
	char curlerr[CURL_ERROR_SIZE] = "";
	*code = 0;
	s->reply[0] = '\0';
	s->in_auth = false;
	if (!rcpts) {
		snprintf(err, errsz, "out of memory");
		return SMTP_TRANSIENT;
	}
	s->rd = &r;
	set_options(s);
	curl_easy_setopt(c, CURLOPT_MAIL_FROM, from);
	curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpts);
	curl_easy_setopt(c, CURLOPT_READDATA, &r);
	curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, (curl_off_t)len);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, curlerr);
	CURLcode rc = perform(s);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, code);
	s->rd = NULL;
	curl_slist_free_all(rcpts);
	curl_easy_setopt(c, CURLOPT_MAIL_RCPT, NULL);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, NULL);
	if (rc == CURLE_OK)
		return SMTP_SENT;
	explain(s, rc, *code, curlerr, err, errsz);
	return smtp_classify(rc, *code, curlerr);
}

/* The reply to a command goes to libcurl's body output: not wanted. */
static size_t discard_cb(char *data, size_t size, size_t nmemb, void *arg)
{
	(void)data, (void)arg;
	return size * nmemb;
}

enum smtp_result smtp_command(struct smtp *s, const char *command, char *err, size_t errsz, long *code)
{
	CURL *c = s->curl;
	char curlerr[CURL_ERROR_SIZE] = "";
	*code = 0;
	s->reply[0] = '\0';
	s->in_auth = false;
	s->rd = NULL;
	set_options(s);
	/* no recipient and no upload: libcurl greets, says EHLO, STARTTLS and AUTH as for a
	 * message, then sends this one command instead of MAIL FROM */
	curl_easy_setopt(c, CURLOPT_UPLOAD, 0L);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, command);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard_cb);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, curlerr);
	CURLcode rc = perform(s);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, code);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, NULL);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, NULL);
	if (rc == CURLE_OK)
		return SMTP_SENT;
	explain(s, rc, *code, curlerr, err, errsz);
	return smtp_classify(rc, *code, curlerr);
}

void smtp_close(struct smtp *s)
{
	if (!s)
		return;
	if (s->multi)
		curl_multi_cleanup(s->multi);
	if (s->curl)
		curl_easy_cleanup(s->curl);
	free(s);
}
