/* config: the INI file (conf/quire.conf.example) read into one struct. */
#ifndef QUIRE_CONFIG_H
#define QUIRE_CONFIG_H
#include <stdbool.h>
#include <stddef.h>

#include "log.h"

#define CONFIG_STR_MAX 1024
#define SOCKET_PATH_MAX 108 /* sun_path of a unix socket, with its NUL */
#define THREADS_MAX 256
#define POSTS_PER_PAGE_MAX 100

/* The settings that take one of a few words, read into enums once (config_name gives the word). */
enum moderation { MOD_FIRST, MOD_ALL, MOD_NONE };              /* comments.moderation */
enum starttls { STARTTLS_TRY, STARTTLS_REQUIRE, STARTTLS_NO }; /* mail.starttls */
enum onoff { OFF, ON };                                        /* stats.enabled, mail.sender */

struct config {
	/* [site] */
	char *title;
	char *description;
	char *base_url; /* without trailing slash */
	long posts_per_page;
	char *language;
	char *timezone; /* an IANA name ("Europe/Berlin"); "" the machine's local time */
	/* [server] */
	char *listen;
	char *db;
	long threads;
	char *templates;  /* directory of templates */
	char *media_dir;  /* uploaded images; nginx serves it as /media/ */
	long cache_mb;    /* the render cache's memory; 0 turns it off */
	long db_cache_kb; /* SQLite's page cache per connection (one per thread) */

	enum log_level log_level; /* lines below it are not written (log.h) */
	enum onoff log_ip;        /* readers' addresses in the log (access lines, comments) */
	/* [comments] */
	enum moderation moderation;
	long close_after_days;  /* 0: never */
	long comments_per_page; /* top-level comments per page */
	long rate_limit;        /* comments per IP per rate_window; 0: off */
	long rate_window;       /* seconds */
	long max_links;         /* more links than this: held */
	char *disallowed_words; /* comma-separated; a match holds the comment */
	long min_seconds;       /* a form sent sooner after rendering is refused */
	long max_age;           /* a form older than this (seconds) is refused */
	/* [stats] */
	enum onoff stats;   /* count views server-side */
	long flush_seconds; /* counts are written at least this often */
	long flush_views;   /* ...or when this many views are waiting */
	char *stats_log;    /* nginx's views log to count from ("": quire counts itself) */
	/* [mail] */
	char *smtp_url;
	char *mail_from;
	char *smtp_username, *smtp_password;
	enum starttls starttls;
	long mail_rate;         /* messages per second; 0: as fast as the server takes them */
	long max_attempts;      /* transient failures before a row is marked failed */
	long retry_base;        /* seconds before the first retry; doubles each time */
	enum onoff mail_sender; /* ON: quire serve runs the sender thread; OFF: quire mail run does */
	char *ca_file;          /* PEM bundle trusted for the relay's certificate; "": the system's */
	long mail_timeout;      /* seconds one message may take (connect, each reply, the whole send) */
};

/* Fills in defaults. */
void config_init(struct config *c);
/* Reads path over the current values; on error writes "path:line: reason" to err and returns -1. */
int config_load(struct config *c, const char *path, char *err, size_t errsz);
/* Sets one value as if read from the file ("site.title"); -1 with err on bad key/value. */
int config_set(struct config *c, const char *section, const char *key, const char *value, char *err,
               size_t errsz);
/* Checks the combination (base_url well-formed, ...); -1 with err. */
int config_check(const struct config *c, char *err, size_t errsz);
void config_free(struct config *c);
/* Makes c's site.timezone the process's local time (setenv TZ, tzset): call once at start,
 * before any thread. Nothing when it is "". 0, or -1 with err. */
int config_apply_timezone(const struct config *c, char *err, size_t errsz);
/* The word of an enum setting ("first", "require", "on"), as the file writes it. */
const char *config_moderation_name(enum moderation m);
const char *config_starttls_name(enum starttls s);
/* The socket path a listen value names ("unix:/run/quire.sock" or "/run/quire.sock"; a
 * "unix:" path may still be relative, which config_check refuses), or NULL for "HOST:PORT". */
const char *config_listen_path(const char *listen);

#endif
