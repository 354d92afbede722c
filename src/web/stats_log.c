/* stats_log: a thread of quire serve reads the lines nginx added to the views log since it last
 * looked, once a second, and writes their views together with the new position in one
 * transaction: a crash or a restart neither loses nor repeats a view. A log that logrotate
 * renamed is read to its end, and for a while after (nginx writes to it until it reopens), while
 * the new file is read from its start; a log truncated in place is read again from its start. */
#include "stats_log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "db_stats.h"
#include "fileid.h"
#include "log.h"
#include "settings.h"
#include "timefmt.h"

#define LOG_POLL_MS 1000
#define LOG_LINE_MAX 16384    /* a longer line (a giant User-Agent) is skipped, and said once */
#define LOG_BATCH_VIEWS 2048  /* views per transaction */
#define LOG_ROTATE_GRACE_S 30 /* a renamed log is still read this long after the rename */
#define LOG_FIELDS 10         /* tag, msec, status, method, addr, uri, referer, UA, DNT, GPC */
#define LOG_PATH_MAX 4096

/* One file being read: its identity, the offset of buf[0], and a partial line in buf. */
struct reader {
	int fd;
	unsigned long long dev, ino;
	long long off;
	size_t len;
	bool skipping; /* inside a line longer than LOG_LINE_MAX */
	char buf[LOG_LINE_MAX];
};

struct tail {
	const struct site *site;
	const char *path;
	struct reader cur, old; /* old: the renamed log, during the grace period */
	time_t old_since;
	struct stats_view *views;
	int n;
	bool warned_open, warned_long, warned_bad;
};

static int unhex(int c)
{
	return c >= '0' && c <= '9'   ? c - '0'
	       : c >= 'a' && c <= 'f' ? c - 'a' + 10
	       : c >= 'A' && c <= 'F' ? c - 'A' + 10
	                              : -1;
}

/* Undoes nginx's escape=default (\xHH) in place; "-" (nginx's empty value) becomes "". */
static char *unescape(char *s)
{
	if (strcmp(s, "-") == 0) {
		s[0] = '\0';
		return s;
	}
	char *w = s;
	for (const char *r = s; *r;) {
		int hi, lo;
		if (r[0] == '\\' && r[1] == 'x' && (hi = unhex(r[2])) >= 0 && (lo = unhex(r[3])) >= 0) {
			*w++ = (char)(hi * 16 + lo);
			r += 4;
		} else {
			*w++ = *r++;
		}
	}
	*w = '\0';
	return s;
}

int stats_log_parse(char *line, struct stats_hit *h)
{
	char *f[LOG_FIELDS];
	int n = 0;
	for (char *p = line; p && n < LOG_FIELDS; n++) {
		f[n] = p;
		p = strchr(p, '\t');
		if (p)
			*p++ = '\0';
		if (p && n == LOG_FIELDS - 1)
			return -1; /* more fields than the format has */
	}
	if (n != LOG_FIELDS || strcmp(f[0], STATS_LOG_TAG) != 0)
		return -1;
	for (int i = 1; i < LOG_FIELDS; i++)
		unescape(f[i]);
	char *end = NULL;
	errno = 0;
	long long secs = strtoll(f[1], &end, 10);
	if (errno || end == f[1] || (*end && *end != '.') || secs <= 0 || f[5][0] != '/')
		return -1;
	memset(h, 0, sizeof *h);
	h->when = (time_t)secs;
	char *qm = strchr(f[5], '?');
	if (qm)
		*qm = '\0';
	h->path = f[5];
	h->query = qm ? qm + 1 : "";
	h->ip = f[4];
	h->referer = f[6];
	h->ua = f[7];
	h->dnt = f[8];
	h->gpc = f[9];
	return strcmp(f[2], "200") == 0 && strcmp(f[3], "GET") == 0;
}

static void reader_close(struct reader *r)
{
	if (r->fd >= 0)
		close(r->fd);
	r->fd = -1;
	r->len = 0;
	r->skipping = false;
}

/* Opens path as r at offset off (0 when the file is shorter); false when it cannot be read. */
static bool reader_open(struct tail *t, struct reader *r, const char *path, long long off)
{
	reader_close(r);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat sb;
	if (fd < 0 || fstat(fd, &sb) < 0) {
		if (!t->warned_open)
			log_warn("stats: views log %s: %s: views served by nginx are not counted until it "
			         "can be read",
			         path, strerror(errno));
		t->warned_open = true;
		if (fd >= 0)
			close(fd);
		return false;
	}
	if (t->warned_open)
		log_info("stats: views log %s: reading it", path);
	t->warned_open = false;
	r->fd = fd;
	r->dev = (unsigned long long)sb.st_dev;
	r->ino = (unsigned long long)sb.st_ino;
	r->off = off <= (long long)sb.st_size ? off : 0;
	return true;
}

/* Turns one complete line into a view, when it is one. */
static void take_line(struct tail *t, char *line)
{
	struct stats_hit h;
	int rc = stats_log_parse(line, &h);
	if (rc < 0 && !t->warned_bad) {
		log_warn("stats: views log %s: a line not in the quire_views format (log_format of "
		         "conf/nginx-quire-cache.conf) is skipped",
		         t->path);
		t->warned_bad = true;
	}
	if (rc == 1 && stats_view_make(t->site, &h, &t->views[t->n]))
		t->n++;
}

/* Reads r's complete lines into views until the batch is full; r->off moves past them. */
static void reader_drain(struct tail *t, struct reader *r)
{
	while (r->fd >= 0 && t->n < LOG_BATCH_VIEWS) {
		ssize_t got = pread(r->fd, r->buf + r->len, sizeof r->buf - r->len,
		                    (off_t)(r->off + (long long)r->len));
		if (got <= 0)
			return;
		r->len += (size_t)got;
		size_t start = 0;
		char *nl;
		while (t->n < LOG_BATCH_VIEWS && (nl = memchr(r->buf + start, '\n', r->len - start))) {
			*nl = '\0';
			if (!r->skipping)
				take_line(t, r->buf + start);
			r->skipping = false;
			start = (size_t)(nl - r->buf) + 1;
		}
		r->off += (long long)start;
		r->len -= start;
		memmove(r->buf, r->buf + start, r->len);
		if (r->len == sizeof r->buf) {
			if (!t->warned_long)
				log_warn("stats: views log %s: a line longer than %d bytes is skipped",
				         t->path, LOG_LINE_MAX);
			t->warned_long = true;
			r->off += (long long)r->len;
			r->len = 0;
			r->skipping = true;
		}
	}
}

/* Follows the path: opens it, notices a rename (logrotate) or a truncation. */
static void follow(struct tail *t, time_t now)
{
	struct stat sb;
	if (t->old.fd >= 0 && now - t->old_since > LOG_ROTATE_GRACE_S)
		reader_close(&t->old);
	if (stat(t->path, &sb) < 0) {
		if (t->cur.fd < 0 && !t->warned_open) {
			log_warn("stats: views log %s: %s: waiting for nginx to write it", t->path,
			         strerror(errno));
			t->warned_open = true;
		}
		return;
	}
	if (t->cur.fd < 0) {
		reader_open(t, &t->cur, t->path, 0);
		return;
	}
	if ((unsigned long long)sb.st_dev != t->cur.dev || (unsigned long long)sb.st_ino != t->cur.ino) {
		/* renamed: the old file is read on for a while, the new one from its start */
		reader_close(&t->old);
		t->old = t->cur;
		t->old_since = now;
		t->cur.fd = -1;
		t->cur.len = 0;
		t->cur.skipping = false;
		reader_open(t, &t->cur, t->path, 0);
		return;
	}
	struct stat fsb;
	if (fstat(t->cur.fd, &fsb) == 0 && (long long)fsb.st_size < t->cur.off) {
		/* truncated in place (copytruncate): what is there now is new */
		t->cur.off = 0;
		t->cur.len = 0;
		t->cur.skipping = false;
	}
}

/* At start: where the last run stopped, in the log or in the file logrotate renamed it to. */
static void resume(struct tail *t, struct db *db)
{
	struct stats_log_pos p;
	struct stat sb;
	if (stats_log_pos_get(db, &p) != 1) {
		follow(t, time(NULL));
		return;
	}
	if (stat(t->path, &sb) == 0 && (unsigned long long)sb.st_dev == p.dev &&
	    (unsigned long long)sb.st_ino == p.ino) {
		reader_open(t, &t->cur, t->path, p.off);
		return;
	}
	char rotated[LOG_PATH_MAX];
	snprintf(rotated, sizeof rotated, "%s.1", t->path);
	if (stat(rotated, &sb) == 0 && (unsigned long long)sb.st_dev == p.dev &&
	    (unsigned long long)sb.st_ino == p.ino && reader_open(t, &t->old, rotated, p.off))
		t->old_since = time(NULL);
	follow(t, time(NULL));
}

/* Writes the batch and the position it reaches in one transaction. -1 (nothing written). */
static int commit(struct tail *t, struct db *db)
{
	int rc = db_begin(db);
	if (rc == 0)
		rc = stats_add_views(db, t->views, t->n);
	if (rc == 0 && t->cur.fd >= 0) {
		struct stats_log_pos p = {.dev = t->cur.dev, .ino = t->cur.ino, .off = t->cur.off};
		rc = stats_log_pos_set(db, &p) < 0 ? -1 : 0;
	}
	if (rc == 0) {
		char today[TIME_BUFSZ];
		time_ymd(time(NULL), today);
		stats_forget_visitors(db, today);
		rc = db_commit(db);
	}
	if (rc < 0) {
		log_warn("stats: writing %d views from %s failed, read again next time: %s", t->n, t->path,
		         db_errmsg(db));
		db_rollback(db);
	}
	return rc;
}

/* Reads and writes everything new: false when the database refused (read again next time). */
static bool ingest(struct tail *t, struct db *db)
{
	for (;;) {
		long long cur_off = t->cur.off, old_off = t->old.off;
		t->n = 0;
		reader_drain(t, &t->old);
		reader_drain(t, &t->cur);
		if (t->n == 0 && t->cur.off == cur_off && t->old.off == old_off)
			return true;
		if (commit(t, db) < 0) {
			t->cur.off = cur_off;
			t->old.off = old_off;
			t->cur.len = t->old.len = 0;
			return false;
		}
		if (t->n < LOG_BATCH_VIEWS)
			return true;
	}
}

void *stats_log_main(void *arg)
{
	const struct stats_log_args *a = arg;
	const struct site *site = a->site;
	struct db db;
	char err[512];
	struct tail *t = calloc(1, sizeof *t);
	struct stats_view *views = calloc(LOG_BATCH_VIEWS, sizeof *views);
	if (!t || !views) {
		log_msg("stats: views log: out of memory: not reading it");
		goto out_mem;
	}
	if (db_open(&db, site->cfg.db, DB_OPEN_EXISTING, err, sizeof err) < 0) {
		log_msg("stats: views log: %s", err);
		goto out_mem;
	}
	t->site = site;
	t->path = site->cfg.stats_log;
	t->views = views;
	t->cur.fd = t->old.fd = -1;
	resume(t, &db);
	log_info("stats: counting views from nginx's log %s", t->path);
	while (!*a->stopping) {
		/* a database deleted or replaced under quire is not written to */
		if (file_state(site->cfg.db, &site->db_id) == FILE_OK) {
			follow(t, time(NULL));
			ingest(t, &db);
		}
		for (int i = 0; i < LOG_POLL_MS / 100 && !*a->stopping; i++) {
			struct timespec ts = {0, 100 * 1000000L};
			nanosleep(&ts, NULL);
		}
	}
	/* what nginx wrote up to now is counted before quire goes */
	if (file_state(site->cfg.db, &site->db_id) == FILE_OK)
		ingest(t, &db);
	reader_close(&t->cur);
	reader_close(&t->old);
	db_close(&db);
out_mem:
	free(views);
	free(t);
	return NULL;
}
