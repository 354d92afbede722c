/* outbox: the queue of mail; claims are single UPDATE statements, so two senders never share a row. */
#include "outbox.h"

#include <sodium.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "mail_render.h"
#include "mime.h"
#include "settings.h"
#include "smtp.h"

#define BACKOFF_MAX (6 * 3600)
#define MARK_SENT_TRIES 60 /* tries, a second apart (each waits for the lock first) */

int outbox_add(struct db *d, const char *kind, const char *recipient, sqlite3_int64 ref, const char *payload,
               time_t now)
{
	sqlite3_stmt *st =
	    db_prep(d, "INSERT INTO outbox(recipient, kind, payload, ref_id, next_attempt, created_at) "
	               "VALUES(?1, ?2, ?3, ?4, ?5, ?5) ON CONFLICT DO NOTHING");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, recipient, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, payload ? payload : "", -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, ref);
	sqlite3_bind_int64(st, 5, now);
	int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
	sqlite3_reset(st);
	return rc;
}

long outbox_post_published(struct db *d, sqlite3_int64 post, time_t now)
{
	sqlite3_stmt *st =
	    db_prep(d, "UPDATE posts SET notified_at = ?2 WHERE id = ?1 AND status = 'published' "
	               "AND published_at <= ?2 AND notified_at IS NULL");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, post);
	sqlite3_bind_int64(st, 2, now);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return -1;
	if (sqlite3_changes(d->h) == 0)
		return 0; /* not visible yet, or announced before: never twice */
	st = db_prep(d, "INSERT INTO outbox(recipient, kind, payload, ref_id, next_attempt, created_at) "
	                "SELECT email, 'post', '', ?1, ?2, ?2 FROM subscribers WHERE status = 'confirmed' "
	                "AND wants_posts = 1 "
	                "ORDER BY id ON CONFLICT DO NOTHING");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, post);
	sqlite3_bind_int64(st, 2, now);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? sqlite3_changes(d->h) : -1;
}

long outbox_due_posts(struct db *d, time_t now)
{
	long total = 0;
	for (;;) {
		sqlite3_stmt *st =
		    db_prep(d, "SELECT id FROM posts WHERE status = 'published' AND published_at <= ?1 "
		               "AND notified_at IS NULL LIMIT 1");
		if (!st)
			return -1;
		sqlite3_bind_int64(st, 1, now);
		sqlite3_int64 id = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
		sqlite3_reset(st);
		if (!id)
			return total;
		if (db_begin(d) < 0)
			return -1;
		long n = outbox_post_published(d, id, now);
		if (n < 0 || db_commit(d) < 0) {
			db_rollback(d);
			return -1;
		}
		log_msg("outbox: post %lld is visible: %ld notifications queued", (long long)id, n);
		total += n;
	}
}

int outbox_comment_events(struct db *d, sqlite3_int64 comment, const char *status, time_t now)
{
	const char *sql =
	    strcmp(status, "approved") == 0
	        ? "SELECT p.author_email FROM comments c JOIN comments p ON p.id = c.parent_id "
	          "JOIN subscribers s ON s.email = p.author_email AND s.status = 'confirmed' "
	          "WHERE c.id = ?1 AND p.notify = 1 AND p.author_email != c.author_email COLLATE NOCASE"
	    : strcmp(status, "pending") == 0
	        ? "SELECT u.email FROM comments c JOIN posts po ON po.id = c.post_id "
	          "JOIN users u ON u.id = po.author_id WHERE c.id = ?1"
	        : NULL;
	if (!sql)
		return 0;
	sqlite3_stmt *st = db_prep(d, sql);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, comment);
	char to[300] = "";
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		snprintf(to, sizeof to, "%s", db_text(st, 0));
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return -1;
	if (!*to)
		return 0;
	return outbox_add(d, *status == 'a' ? "reply" : "moderation", to, comment, "", now);
}

struct row {
	sqlite3_int64 id, ref;
	char recipient[300], kind[16], payload[256];
	long attempts;
};

/* Takes the oldest due row: 1 claimed, 0 none due, -1 error. */
static int claim(struct db *d, time_t now, struct row *r)
{
	sqlite3_stmt *st = db_prep(
	    d, "UPDATE outbox SET state = 'sending', attempts = attempts + 1 WHERE id = "
	       "(SELECT id FROM outbox WHERE state = 'queued' AND next_attempt <= ?1 ORDER BY id LIMIT 1) "
	       "RETURNING id, recipient, kind, ref_id, payload, attempts");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, now);
	int rc = sqlite3_step(st), got = rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
	if (got == 1) {
		r->id = sqlite3_column_int64(st, 0);
		snprintf(r->recipient, sizeof r->recipient, "%s", db_text(st, 1));
		snprintf(r->kind, sizeof r->kind, "%s", db_text(st, 2));
		r->ref = sqlite3_column_int64(st, 3);
		snprintf(r->payload, sizeof r->payload, "%s", db_text(st, 4));
		r->attempts = sqlite3_column_int(st, 5);
	}
	/* the RETURNING statement commits when it is reset */
	sqlite3_reset(st);
	if (got < 0)
		log_msg("outbox: claim: sqlite: %s", db_errmsg(d));
	return got;
}

static int mark(struct db *d, sqlite3_int64 id, const char *state, time_t next, const char *error, time_t now)
{
	sqlite3_stmt *st =
	    db_prep(d, "UPDATE outbox SET state = ?2, next_attempt = ?3, last_error = ?4, "
	               "sent_at = CASE WHEN ?2 = 'sent' THEN ?5 END, "
	               "payload = CASE WHEN ?2 = 'sent' THEN '' ELSE payload END WHERE id = ?1");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, state, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, next);
	sqlite3_bind_text(st, 4, error ? error : "", -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 5, now);
	int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
	sqlite3_reset(st);
	return rc;
}

/* Back to the queue as if never claimed: a stop or a configuration error is no fault of the
 * message, so it costs no attempt. error NULL keeps the row's last error. */
static int unclaim(struct db *d, sqlite3_int64 id, const char *error)
{
	sqlite3_stmt *st = db_prep(d, "UPDATE outbox SET state = 'queued', attempts = max(attempts - 1, 0), "
	                              "last_error = coalesce(?2, last_error) WHERE id = ?1");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	if (error)
		sqlite3_bind_text(st, 2, error, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, 2);
	int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
	sqlite3_reset(st);
	return rc;
}

static void mark_bouncing(struct db *d, const char *addr, time_t now)
{
	sqlite3_stmt *st =
	    db_prep(d, "UPDATE subscribers SET status = 'bouncing', bounced_at = ?2, updated_at = ?2 "
	               "WHERE email = ?1 AND status = 'confirmed'");
	if (!st)
		return;
	sqlite3_bind_text(st, 1, addr, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, now);
	sqlite3_step(st);
	sqlite3_reset(st);
}

/* A hash of every [mail] setting a configuration error can depend on (the CA file's size and
 * time too: replacing its contents is a fix); a pause holds only while it is unchanged. */
static void config_hash(const struct config *c, char out[33])
{
	crypto_generichash_state h;
	unsigned char md[16];
	struct stat sb = {0};
	char meta[64];
	if (*c->ca_file)
		stat(c->ca_file, &sb);
	snprintf(meta, sizeof meta, "%lld/%lld", (long long)sb.st_size, (long long)sb.st_mtime);
	const char *parts[] = {
	    c->smtp_url, c->smtp_username, c->smtp_password, config_starttls_name(c->starttls), c->ca_file,
	    meta,        c->mail_from,     c->base_url};
	crypto_generichash_init(&h, NULL, 0, sizeof md);
	for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
		crypto_generichash_update(&h, (const unsigned char *)parts[i], strlen(parts[i]) + 1);
	crypto_generichash_final(&h, md, sizeof md);
	sodium_bin2hex(out, 33, md, sizeof md);
}

/* Records the last error; paused 1 pauses under the current settings, 0 lifts a pause, -1
 * leaves it as it is. */
static int set_state(struct db *d, const struct site *site, const char *error, int paused, time_t now)
{
	char hash[33];
	config_hash(&site->cfg, hash);
	sqlite3_stmt *st =
	    db_prep(d, "UPDATE mail_state SET last_error = coalesce(?1, last_error), "
	               "last_error_at = CASE WHEN ?1 IS NULL THEN last_error_at ELSE ?2 END, "
	               "paused = CASE WHEN ?3 < 0 THEN paused ELSE ?3 END, "
	               "paused_config = CASE WHEN ?3 = 1 THEN ?4 WHEN ?3 = 0 THEN '' ELSE paused_config END");
	if (!st)
		return -1;
	if (error)
		sqlite3_bind_text(st, 1, error, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, 1);
	sqlite3_bind_int64(st, 2, now);
	sqlite3_bind_int(st, 3, paused);
	sqlite3_bind_text(st, 4, hash, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
	sqlite3_reset(st);
	return rc;
}

int outbox_resume(struct db *d)
{
	return db_exec(d, "UPDATE mail_state SET paused = 0, paused_config = ''");
}

int outbox_state(struct db *d, const struct site *site, struct mail_state *ms)
{
	char hash[33];
	config_hash(&site->cfg, hash);
	memset(ms, 0, sizeof *ms);
	sqlite3_stmt *st =
	    db_prep(d, "SELECT last_error, last_error_at, paused, paused_config != ?1, "
	               "(SELECT coalesce(min(next_attempt), 0) FROM outbox WHERE state = 'queued') "
	               "FROM mail_state WHERE id = 1");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, hash, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		snprintf(ms->last_error, sizeof ms->last_error, "%s", db_text(st, 0));
		ms->last_error_at = (time_t)sqlite3_column_int64(st, 1);
		ms->paused = sqlite3_column_int(st, 2) != 0;
		ms->config_changed = ms->paused && sqlite3_column_int(st, 3) != 0;
		ms->next_attempt = (time_t)sqlite3_column_int64(st, 4);
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 0 : -1;
}

void outbox_smtp_cfg(const struct site *site, atomic_int *stop, char *helo, size_t helosz,
                     struct smtp_cfg *out)
{
	const struct config *c = &site->cfg;
	mime_url_host(c->base_url, helo, helosz);
	*out = (struct smtp_cfg){.url = c->smtp_url,
	                         .username = c->smtp_username,
	                         .password = c->smtp_password,
	                         .starttls = config_starttls_name(c->starttls),
	                         .from = c->mail_from,
	                         .ca_file = c->ca_file,
	                         .helo = helo,
	                         .timeout = c->mail_timeout,
	                         .stop = stop};
}

int outbox_sender_lock(const char *db_path)
{
	char path[4200];
	if ((size_t)snprintf(path, sizeof path, "%s-sender.lock", db_path) >= sizeof path)
		return -1;
	/* created once, never truncated or removed: the lock is the flock, not the file */
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0) {
		log_msg("outbox: %s: %s", path, strerror(errno));
		return -1;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) == 0)
		return fd;
	int e = errno;
	close(fd);
	if (e != EWOULDBLOCK)
		log_msg("outbox: lock %s: %s", path, strerror(e));
	return e == EWOULDBLOCK ? -2 : -1;
}

void outbox_startup(struct db *d, const struct site *site)
{
	const struct config *c = &site->cfg;
	outbox_requeue_stale(d);
	if (*c->smtp_username && c->starttls == STARTTLS_NO && strncmp(c->smtp_url, "smtps://", 8) != 0)
		log_msg("outbox: warning: [mail] starttls = no: the password of %s is sent to %s without TLS",
		        c->smtp_username, c->smtp_url);
	struct mail_state ms;
	if (outbox_state(d, site, &ms) < 0)
		return;
	if (ms.paused && ms.config_changed) {
		outbox_resume(d);
		log_msg("outbox: the [mail] settings changed since sending was paused: sending resumes");
	} else if (ms.paused) {
		log_msg(
		    "outbox: sending is paused: %s; fix [mail] and restart quire (or run quire mail test)",
		    ms.last_error);
	}
}

/* Records a message the relay accepted. A lock held elsewhere must not leave the row 'sending'
 * (it would go out again after a restart): the mark is retried for a while. */
static void mark_sent(struct db *d, sqlite3_int64 id, time_t now)
{
	for (int i = 0; i < MARK_SENT_TRIES; i++) {
		if (mark(d, id, "sent", now, NULL, now) == 0)
			return;
		if (i == 0)
			log_msg("outbox: %lld was delivered but cannot be marked sent yet: %s", (long long)id,
			        db_errmsg(d));
		struct timespec ts = {1, 0};
		nanosleep(&ts, NULL);
	}
	log_msg("outbox: %lld was delivered but could not be marked sent: it may go out twice",
	        (long long)id);
}

/* Sends one claimed row and records the outcome. */
static enum smtp_result deliver(struct db *d, const struct site *site, struct smtp *smtp, const struct row *r,
                                struct outbox_progress *p)
{
	struct buf msg = BUF_INIT;
	char err[512] = "";
	time_t now = time(NULL);
	int rr = mail_render(d, site, r->kind, r->recipient, r->ref, r->payload, now, &msg, err, sizeof err);
	if (rr != 0) {
		/* nothing to send any more (unsubscribed, deleted) or cannot be built: not retried */
		mark(d, r->id, "failed", now, err, now);
		p->failed++;
		buf_free(&msg);
		return SMTP_PERMANENT;
	}
	long code = 0;
	enum smtp_result res = smtp_send(smtp, r->recipient, msg.p, msg.len, err, sizeof err, &code);
	buf_free(&msg);
	now = time(NULL);
	if (res == SMTP_SENT) {
		mark_sent(d, r->id, now);
		p->sent++;
	} else if (res == SMTP_STOPPED) {
		unclaim(d, r->id, NULL);
	} else if (res == SMTP_CONFIG) {
		/* no message can pass: the queue waits for the operator instead of failing row by row */
		unclaim(d, r->id, err);
		set_state(d, site, err, 1, now);
		log_msg("outbox: sending paused: %s; fix [mail] and restart quire", err);
	} else if (res == SMTP_PERMANENT || res == SMTP_RECIPIENT || r->attempts >= site->cfg.max_attempts) {
		mark(d, r->id, "failed", now, err, now);
		set_state(d, site, err, -1, now);
		/* 550/551/553 to RCPT TO: the mailbox does not exist, a hard bounce (the same codes to
		 * MAIL FROM or after DATA say nothing about the address) */
		if (res == SMTP_RECIPIENT && (code == 550 || code == 551 || code == 553))
			mark_bouncing(d, r->recipient, now);
		log_msg("outbox: %lld to %s failed: %s", (long long)r->id, r->recipient, err);
		p->failed++;
	} else {
		long delay = site->cfg.retry_base << (r->attempts - 1 < 16 ? r->attempts - 1 : 16);
		mark(d, r->id, "queued", now + (delay > BACKOFF_MAX ? BACKOFF_MAX : delay), err, now);
		set_state(d, site, err, -1, now);
		log_msg("outbox: %lld to %s will be retried: %s", (long long)r->id, r->recipient, err);
		p->retried++;
	}
	return res;
}

/* True when sending is paused under the current settings; a pause set under other settings
 * is lifted here (the operator changed [mail]). */
static bool paused(struct db *d, const struct site *site)
{
	struct mail_state ms;
	if (outbox_state(d, site, &ms) < 0 || !ms.paused)
		return false;
	if (!ms.config_changed)
		return true;
	outbox_resume(d);
	log_msg("outbox: the [mail] settings changed since sending was paused: sending resumes");
	return false;
}

long outbox_drain(struct db *d, const struct site *site, long max, atomic_int *stop, outbox_progress_fn fn,
                  void *arg)
{
	const struct config *c = &site->cfg;
	char helo[256];
	struct smtp_cfg sc;
	outbox_smtp_cfg(site, stop, helo, sizeof helo, &sc);
	struct smtp *smtp = NULL;
	struct outbox_progress p = {0};
	long counts[4];
	if (fn && outbox_counts(d, counts) == 0)
		p.total = counts[0];
	long handled = 0;
	bool resumed = false;
	struct timespec gap = {0, c->mail_rate > 0 ? 1000000000L / c->mail_rate : 0};
	while ((max == 0 || handled < max) && !(stop && *stop) && !paused(d, site)) {
		struct row r;
		int got = claim(d, time(NULL), &r);
		if (got < 0) {
			handled = -1;
			break;
		}
		if (got == 0)
			break;
		if (!smtp && !(smtp = smtp_open(&sc))) {
			mark(d, r.id, "queued", time(NULL), "out of memory", time(NULL));
			handled = -1;
			break;
		}
		enum smtp_result res = deliver(d, site, smtp, &r, &p);
		if (res == SMTP_STOPPED || res == SMTP_CONFIG)
			break;
		handled++;
		if (res == SMTP_SENT && !resumed) {
			/* one success proves the settings work: a pause from another process ends */
			resumed = true;
			set_state(d, site, NULL, 0, time(NULL));
		}
		/* a transient failure is probably the server: stop this round, retry later */
		if (p.retried && !p.sent)
			break;
		if (fn)
			fn(&p, arg);
		if (gap.tv_nsec)
			nanosleep(&gap, NULL);
	}
	if (fn)
		fn(&p, arg);
	smtp_close(smtp);
	return handled;
}

int outbox_requeue_stale(struct db *d)
{
	return db_exec(d, "UPDATE outbox SET state = 'queued' WHERE state = 'sending'");
}

int outbox_counts(struct db *d, long counts[4])
{
	sqlite3_stmt *st =
	    db_prep(d, "SELECT count(*) FILTER (WHERE state = 'queued'), "
	               "count(*) FILTER (WHERE state = 'sending'), count(*) FILTER (WHERE state = 'sent'), "
	               "count(*) FILTER (WHERE state = 'failed') FROM outbox");
	if (!st)
		return -1;
	int rc = -1;
	if (sqlite3_step(st) == SQLITE_ROW) {
		for (int i = 0; i < 4; i++)
			counts[i] = (long)sqlite3_column_int64(st, i);
		rc = 0;
	}
	sqlite3_reset(st);
	return rc;
}

long outbox_retry_failed(struct db *d, time_t now)
{
	sqlite3_stmt *st = db_prep(d, "UPDATE outbox SET state = 'queued', attempts = 0, next_attempt = ?1 "
	                              "WHERE state = 'failed'");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, now);
	long n = sqlite3_step(st) == SQLITE_DONE ? sqlite3_changes(d->h) : -1;
	sqlite3_reset(st);
	return n;
}
