/* serve: one accept loop per thread on a shared socket; each thread owns its SQLite connection. */
#include "serve.h"

#include <stdatomic.h>
#include <errno.h>
#include <fcgiapp.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "access_line.h"
#include "listen_fds.h"
#include "log.h"
#include "cache.h"
#include "heap.h"
#include "site_options.h"
#include "dispatch.h"
#include "outbox.h"
#include "stats.h"
#include "stats_log.h"

#define LISTEN_BACKLOG 1024
#define SOCKET_MODE 0660

struct server {
	const struct site *site;
	int fd;
	atomic_int stopping;    /* read by every thread, set by the main one */
	atomic_ullong answered; /* requests, for the status line */
	/* start-up: each worker says whether it could open the database */
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int ready, failed;
	/* the socket quire created, unlinked at exit only while it is still that socket */
	const char *sock_path;
	struct file_ident sock_id;
	bool passed; /* the socket came from systemd (LISTEN_FDS): listen = is not used */
};

/* A worker's start-up outcome, awaited by serve_run before it says it is serving. */
static void report_start(struct server *srv, bool ok)
{
	pthread_mutex_lock(&srv->mu);
	if (ok)
		srv->ready++;
	else
		srv->failed++;
	pthread_cond_broadcast(&srv->cv);
	pthread_mutex_unlock(&srv->mu);
}

static const char *env(FCGX_ParamArray envp, const char *name, const char *dflt)
{
	const char *v = FCGX_GetParam(name, envp);
	return v ? v : dflt;
}

static int read_body(void *ctx, char *dst, int n)
{
	return FCGX_GetStr(dst, n, (FCGX_Stream *)ctx);
}

/* Fills q from the FastCGI parameters; the path is REQUEST_URI up to '?', still encoded. */
static void read_request(struct req *q, FCGX_Request *rq)
{
	FCGX_ParamArray e = rq->envp;
	q->method = env(e, "REQUEST_METHOD", "GET");
	const char *uri = env(e, "REQUEST_URI", NULL);
	if (!uri)
		uri = env(e, "DOCUMENT_URI", "/");
	const char *qm = strchr(uri, '?');
	q->raw_path = qm ? arena_strndup(q->a, uri, (size_t)(qm - uri)) : uri;
	if (!q->raw_path)
		q->raw_path = "/";
	q->query = qm ? qm + 1 : "";
	q->if_none_match = env(e, "HTTP_IF_NONE_MATCH", NULL);
	q->if_modified_since = env(e, "HTTP_IF_MODIFIED_SINCE", NULL);
	q->remote_addr = env(e, "REMOTE_ADDR", "");
	q->user_agent = env(e, "HTTP_USER_AGENT", "");
	q->referer = env(e, "HTTP_REFERER", "");
	q->host = env(e, "HTTP_HOST", "");
	q->origin = env(e, "HTTP_ORIGIN", "");
	q->dnt = env(e, "HTTP_DNT", "");
	q->gpc = env(e, "HTTP_SEC_GPC", "");
	const char *cl = env(e, "CONTENT_LENGTH", "");
	q->content_length = *cl ? strtol(cl, NULL, 10) : 0;
	q->content_type = env(e, "CONTENT_TYPE", "");
	q->cookie = env(e, "HTTP_COOKIE", "");
	q->https =
	    strcmp(env(e, "HTTPS", ""), "on") == 0 || strcmp(env(e, "REQUEST_SCHEME", ""), "https") == 0;
	q->read_body = read_body;
	q->body_ctx = rq->in;
	q->now = time(NULL);
}

static void *worker_main(void *arg)
{
	struct server *srv = arg;
	struct worker w = {.site = srv->site};
	char err[512];
	if (db_open(&w.db, srv->site->cfg.db, DB_OPEN_EXISTING, err, sizeof err) < 0 ||
	    db_cache_size(&w.db, srv->site->cfg.db_cache_kb) < 0 || site_view_init(&w, srv->site) < 0) {
		log_msg("worker: %s", w.db.h ? db_errmsg(&w.db) : err);
		db_close(&w.db);
		report_start(srv, false);
		return NULL;
	}
	FCGX_Request rq;
	if (FCGX_InitRequest(&rq, srv->fd, 0) != 0) {
		log_msg("worker: FCGX_InitRequest failed");
		site_view_free(&w);
		db_close(&w.db);
		report_start(srv, false);
		return NULL;
	}
	report_start(srv, true);
	struct resp r;
	struct buf wire = BUF_INIT;
	resp_init(&r);
	while (!srv->stopping) {
		if (FCGX_Accept_r(&rq) < 0)
			break;
		struct access_rec acc;
		access_start(&acc);
		struct req q = {.a = &w.arena, .w = &w};
		read_request(&q, &rq);
		resp_reset(&r);
		buf_reset(&wire);
		db_request_begin();
		site_handle(&q, &r);
		db_request_end();
		http_finish(&q, &r, &wire);
		if (wire.oom) {
			static const char oom[] = "Status: 500 Internal Server Error\r\nContent-Type: "
			                          "text/plain\r\n\r\nout of memory\n";
			FCGX_PutStr(oom, (int)sizeof oom - 1, rq.out);
		} else {
			FCGX_PutStr(wire.p, (int)wire.len, rq.out);
		}
		/* counted once the answer is final (a 304 is not a view); before FCGX_Finish_r,
		 * which frees the parameters q points into */
		if (q.count_view && r.status == 200)
			stats_count(srv->site, &q, q.dnt, q.gpc, q.referer);
		access_note(&acc, &q, &r, wire.oom);
		FCGX_Finish_r(&rq);
		access_write(&acc); /* the answer is sent: the reader does not wait for the log */
		atomic_fetch_add_explicit(&srv->answered, 1, memory_order_relaxed);
		/* between requests: a held lock leaves the views buffered for the next try */
		db_no_wait(true);
		stats_flush(&w.db, srv->site, false);
		db_no_wait(false);
		arena_reset(&w.arena);
	}
	FCGX_Free(&rq, 1);
	resp_free(&r);
	buf_free(&wire);
	arena_free(&w.arena);
	site_view_free(&w);
	db_close(&w.db);
	return NULL;
}

#define SENDER_POLL_MS 1000
#define SENDER_BATCH 500

/* The mail sender: announces posts whose time has come and drains the outbox, every second. */
static void *sender_main(void *arg)
{
	struct server *srv = arg;
	struct db db;
	char err[512];
	if (db_open(&db, srv->site->cfg.db, DB_OPEN_EXISTING, err, sizeof err) < 0) {
		log_msg("sender: %s", err);
		return NULL;
	}
	db_cache_size(&db, srv->site->cfg.db_cache_kb);
	int lock;
	for (bool said = false; (lock = outbox_sender_lock(srv->site->cfg.db)) == -2 && !srv->stopping;
	     said = true) {
		if (!said)
			log_warn("sender: another sender (quire mail run?) has the queue: waiting for it");
		struct timespec ts = {1, 0};
		nanosleep(&ts, NULL);
	}
	if (lock < 0) {
		if (lock == -1)
			log_msg("sender: cannot lock the queue: not sending mail");
		db_close(&db);
		return NULL;
	}
	outbox_startup(&db, srv->site); /* requeues, logs a pause or credentials sent in clear */
	while (!srv->stopping) {
		/* a database deleted or replaced under quire is not written to (its file is gone) */
		if (file_state(srv->site->cfg.db, &srv->site->db_id) != FILE_OK) {
			struct timespec ts = {1, 0};
			nanosleep(&ts, NULL);
			continue;
		}
		stats_flush(&db, srv->site, false);
		if (outbox_due_posts(&db, time(NULL)) < 0 ||
		    outbox_drain(&db, srv->site, SENDER_BATCH, &srv->stopping, NULL, NULL) < 0)
			log_msg("sender: sqlite: %s", db_errmsg(&db));
		for (int i = 0; i < SENDER_POLL_MS / 100 && !srv->stopping; i++) {
			struct timespec ts = {0, 100 * 1000000L};
			nanosleep(&ts, NULL);
		}
	}
	stats_flush(&db, srv->site, true);
	db_close(&db);
	close(lock);
	return NULL;
}

/* Only a socket nobody answers on may be replaced: any other file at the path (a typo naming
 * the database) is refused, never unlinked. */
static int clear_socket_path(const char *path, char *err, size_t errsz)
{
	struct stat sb;
	if (lstat(path, &sb) < 0) {
		if (errno == ENOENT)
			return 0;
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (!S_ISSOCK(sb.st_mode)) {
		snprintf(err, errsz, "%s exists and is not a socket: refusing to replace it (listen = %s?)",
		         path, path);
		return -1;
	}
	if (unix_socket_alive(path)) {
		snprintf(err, errsz, "%s: another server is listening there", path);
		return -1;
	}
	/* a socket left over from a previous run */
	if (unlink(path) < 0) {
		snprintf(err, errsz, "%s: cannot remove the old socket: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

static int open_listener(struct server *srv, const char *listen, char *err, size_t errsz)
{
	/* socket activation: systemd made (and owns) the socket, so it is never unlinked here */
	int passed = listen_fds_take(err, errsz);
	if (passed != -2) {
		srv->passed = passed >= 0;
		return passed;
	}
	const char *path = config_listen_path(listen);
	if (path && clear_socket_path(path, err, errsz) < 0)
		return -1;
	if (!path && !strchr(listen, ':')) {
		snprintf(err, errsz, "--listen %s: expected unix:/path.sock or HOST:PORT", listen);
		return -1;
	}
	mode_t old = umask(0117);
	int fd = path ? listen_unix(path, LISTEN_BACKLOG, err, errsz)
	              : listen_tcp(listen, LISTEN_BACKLOG, err, errsz);
	umask(old);
	if (fd < 0)
		return -1;
	if (path && (chmod(path, SOCKET_MODE) < 0 || file_ident_get(path, &srv->sock_id) < 0)) {
		snprintf(err, errsz, "chmod %s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	srv->sock_path = path;
	return fd;
}

/* Unlinks the socket quire created, if the path still names it. */
static void remove_socket(const struct server *srv)
{
	struct stat sb;
	if (srv->sock_path && lstat(srv->sock_path, &sb) == 0 && S_ISSOCK(sb.st_mode) &&
	    (unsigned long long)sb.st_dev == srv->sock_id.dev &&
	    (unsigned long long)sb.st_ino == srv->sock_id.ino)
		unlink(srv->sock_path);
}

/* Waits until every started worker has opened its database; false if any could not. */
static bool workers_ready(struct server *srv, int started)
{
	pthread_mutex_lock(&srv->mu);
	while (srv->ready + srv->failed < started)
		pthread_cond_wait(&srv->cv, &srv->mu);
	bool ok = srv->failed == 0;
	pthread_mutex_unlock(&srv->mu);
	return ok;
}

/* SIGUSR1: one line an operator can compare over days; the heap is what quire holds, so a leak
 * shows there before the allocator's kept pages blur it in RSS. */
static void log_status(struct server *srv, int threads, time_t started_at)
{
	size_t pages, used, limit;
	cache_usage(&pages, &used, &limit);
	log_info("status: up %lld s, %llu requests answered, %d threads, heap %zu kB, "
	         "render cache %zu pages in %zu of %zu kB",
	         (long long)(time(NULL) - started_at), (unsigned long long)atomic_load(&srv->answered),
	         threads, heap_in_use() >> 10, pages, used >> 10, limit >> 10);
}

int serve_run(const struct site *site)
{
	char err[512];
	if (FCGX_Init() != 0) {
		log_msg("serve: FCGX_Init failed");
		return 1;
	}
	struct server srv = {.site = site};
	pthread_mutex_init(&srv.mu, NULL);
	pthread_cond_init(&srv.cv, NULL);
	db_log_errors(true);
	cache_configure((size_t)site->cfg.cache_mb << 20);
	srv.fd = open_listener(&srv, site->cfg.listen, err, sizeof err);
	if (srv.fd < 0) {
		log_msg("serve: %s", err);
		return 1;
	}
	/* block the stop signals in every thread; this one waits for them below */
	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGHUP);
	sigaddset(&stop, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	signal(SIGPIPE, SIG_IGN);

	int n = (int)site->cfg.threads, started = 0;
	pthread_t *tids = calloc((size_t)n, sizeof *tids);
	if (!tids)
		return 1;
	for (int i = 0; i < n; i++)
		if (pthread_create(&tids[started], NULL, worker_main, &srv) == 0)
			started++;
	bool ready = started == n && workers_ready(&srv, started);
	if (!ready) {
		/* a worker that cannot open the database is a failed start, not a quiet gap */
		log_msg("serve: %d of %d worker threads could not start: not serving", n - srv.ready, n);
		srv.stopping = 1;
		shutdown(srv.fd, SHUT_RDWR);
		for (int i = 0; i < started; i++)
			pthread_join(tids[i], NULL);
		close(srv.fd);
		remove_socket(&srv);
		free(tids);
		return 1;
	}
	pthread_t sender;
	bool has_sender =
	    site->cfg.mail_sender == ON && pthread_create(&sender, NULL, sender_main, &srv) == 0;
	/* views nginx answered from its cache come from its views log ([stats] access_log) */
	struct stats_log_args ingest_args = {.site = site, .stopping = &srv.stopping};
	pthread_t ingest;
	bool has_ingest = site->cfg.stats == ON && site->cfg.stats_log[0] &&
	                  pthread_create(&ingest, NULL, stats_log_main, &ingest_args) == 0;
	if (!srv.passed &&
	    (strncmp(site->cfg.listen, "0.0.0.0:", 8) == 0 || strncmp(site->cfg.listen, "[::]:", 5) == 0))
		log_warn(
		    "warning: listening on every interface (%s): anyone who reaches that port can speak "
		    "FastCGI to quire and claim any client address; listen on 127.0.0.1 or a unix socket",
		    site->cfg.listen);
	log_info("serving on %s with %d threads%s, database %s",
	         srv.passed ? "the socket systemd passed (LISTEN_FDS; listen = is not used)"
	                    : site->cfg.listen,
	         started, has_sender ? " and the mail sender" : "", site->cfg.db);
	time_t started_at = time(NULL);
	int sig = 0;
	while (sigwait(&stop, &sig) == 0 && sig == SIGUSR1)
		log_status(&srv, started, started_at);
	log_info("signal %d: finishing requests in flight", sig);
	srv.stopping = 1;
	/* wakes every thread blocked in accept(); requests being handled run to the end */
	shutdown(srv.fd, SHUT_RDWR);
	for (int i = 0; i < started; i++)
		pthread_join(tids[i], NULL);
	if (has_sender)
		pthread_join(sender, NULL);
	if (has_ingest)
		pthread_join(ingest, NULL);
	close(srv.fd);
	free(tids);
	/* the views still in memory are written before the process goes */
	struct db last;
	char dberr[512];
	if (db_open(&last, site->cfg.db, DB_OPEN_EXISTING, dberr, sizeof dberr) == 0) {
		stats_flush(&last, site, true);
		db_close(&last);
	}
	remove_socket(&srv);
	log_info("stopped");
	return 0;
}
