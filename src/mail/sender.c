/* sender: one row at a time, claimed by a single UPDATE, so two senders never share a row. */
#include "sender.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "mail_render.h"
#include "mime.h"
#include "settings.h"
#include "smtp.h"
#include "subscribers.h"

#define BACKOFF_MAX (6 * 3600)
#define MARK_SENT_TRIES 60 /* tries, a second apart (each waits for the lock first) */
#define CONFIG_HASH_BYTES 16
#define CONFIG_HASH_SIZE (2 * CONFIG_HASH_BYTES + 1)

/* A hash of every [mail] setting a configuration error can depend on (the CA file's size and
 * time too: replacing its contents is a fix); a pause holds only while it is unchanged. */
static void config_hash(const struct config *c, char out[CONFIG_HASH_SIZE])
{
	crypto_generichash_state h;
	unsigned char md[CONFIG_HASH_BYTES];
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
	sodium_bin2hex(out, CONFIG_HASH_SIZE, md, sizeof md);
}

/* Records the last error; paused 1 pauses under the current settings, 0 lifts a pause, -1
 * leaves it as it is. */
static int set_state(struct db *d, const struct site *site, const char *error, int paused, time_t now)
{
	char hash[CONFIG_HASH_SIZE];
	config_hash(&site->cfg, hash);
	return db_mail_state_set(d, error, paused, hash, now);
}

int outbox_resume(struct db *d)
{
	return db_mail_state_resume(d);
}

int outbox_state(struct db *d, const struct site *site, struct mail_state *ms)
{
	char hash[CONFIG_HASH_SIZE];
	config_hash(&site->cfg, hash);
	return db_mail_state_get(d, hash, ms);
}

void outbox_smtp_cfg(const struct site *site, atomic_int *stop, char *helo, size_t helosz,
                     struct smtp_cfg *out)
{
	smtp_cfg_from_config(&site->cfg, helo, helosz, out);
	out->stop = stop;
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
		log_warn(
		    "outbox: warning: [mail] starttls = no: the password of %s is sent to %s without TLS",
		    c->smtp_username, c->smtp_url);
	struct mail_state ms;
	if (outbox_state(d, site, &ms) < 0)
		return;
	if (ms.paused && ms.config_changed) {
		outbox_resume(d);
		log_info("outbox: the [mail] settings changed since sending was paused: sending resumes");
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
		if (db_outbox_mark(d, id, "sent", now, NULL, now) == 0)
			return;
		if (i == 0)
			log_warn("outbox: %lld was delivered but cannot be marked sent yet: %s",
			         (long long)id, db_errmsg(d));
		struct timespec ts = {1, 0};
		nanosleep(&ts, NULL);
	}
	log_msg("outbox: %lld was delivered but could not be marked sent: it may go out twice",
	        (long long)id);
}

/* Sends one claimed row and records the outcome. */
static enum smtp_result deliver(struct db *d, const struct site *site, struct smtp *smtp,
                                const struct outbox_row *r, struct outbox_progress *p)
{
	struct buf msg = BUF_INIT;
	char err[512] = "";
	time_t now = time(NULL);
	int rr = mail_render(d, site, r->kind, r->recipient, r->ref, r->payload, now, &msg, err, sizeof err);
	if (rr != 0) {
		/* nothing to send any more (unsubscribed, deleted) or cannot be built: not retried */
		db_outbox_mark(d, r->id, "failed", now, err, now);
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
		db_outbox_unclaim(d, r->id, NULL);
	} else if (res == SMTP_CONFIG) {
		/* no message can pass: the queue waits for the operator instead of failing row by row */
		db_outbox_unclaim(d, r->id, err);
		set_state(d, site, err, 1, now);
		log_msg("outbox: sending paused: %s; fix [mail] and restart quire", err);
	} else if (res == SMTP_PERMANENT || res == SMTP_RECIPIENT || r->attempts >= site->cfg.max_attempts) {
		db_outbox_mark(d, r->id, "failed", now, err, now);
		set_state(d, site, err, -1, now);
		/* 550/551/553 to RCPT TO: the mailbox does not exist, a hard bounce (the same codes to
		 * MAIL FROM or after DATA say nothing about the address) */
		if (res == SMTP_RECIPIENT && (code == 550 || code == 551 || code == 553))
			subscriber_mark_bouncing(d, r->recipient, now);
		log_warn("outbox: %lld to %s failed: %s", (long long)r->id, r->recipient, err);
		p->failed++;
	} else {
		long delay = site->cfg.retry_base << (r->attempts - 1 < 16 ? r->attempts - 1 : 16);
		db_outbox_mark(d, r->id, "queued", now + (delay > BACKOFF_MAX ? BACKOFF_MAX : delay), err,
		               now);
		set_state(d, site, err, -1, now);
		log_warn("outbox: %lld to %s will be retried: %s", (long long)r->id, r->recipient, err);
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
	log_info("outbox: the [mail] settings changed since sending was paused: sending resumes");
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
		struct outbox_row r;
		int got = db_outbox_claim(d, time(NULL), &r);
		if (got < 0) {
			handled = -1;
			break;
		}
		if (got == 0)
			break;
		if (!smtp && !(smtp = smtp_open(&sc))) {
			db_outbox_mark(d, r.id, "queued", time(NULL), "out of memory", time(NULL));
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
	return db_outbox_requeue_sending(d);
}

int outbox_counts(struct db *d, long counts[4])
{
	struct outbox_totals t;
	if (db_outbox_totals(d, &t) < 0)
		return -1;
	counts[0] = t.queued;
	counts[1] = t.sending;
	counts[2] = t.sent;
	counts[3] = t.failed;
	return 0;
}

long outbox_retry_failed(struct db *d, time_t now)
{
	return db_outbox_retry_failed(d, now);
}
