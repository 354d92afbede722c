/* log: one-line messages on stderr, prefixed "quire: ", with control characters escaped, each
 * at a level ([server] log_level); to journald with its priority prefix (sd-daemon(3)). */
#ifndef QUIRE_LOG_H
#define QUIRE_LOG_H

#include <stdbool.h>

/* In order: a level shows its own lines and those of the levels before it. */
enum log_level { LOG_LEVEL_ERROR, LOG_LEVEL_WARN, LOG_LEVEL_INFO, LOG_LEVEL_DEBUG };

#define LOG_MSG_MAX 2048 /* a message longer than this is cut */

/* The level below which lines are dropped (default LOG_LEVEL_INFO); set once at start. */
void log_set_level(enum log_level level);
/* True if a line at level would be written: to skip building a line nobody reads. */
bool log_enabled(enum log_level level);
/* [server] log_ip: readers' addresses in the lines about their requests (default off). */
void log_set_ip(bool on);
/* addr when log_ip is on, else "-": for lines about a reader's request. */
const char *log_addr(const char *addr);
/* Whether stderr is the journal (JOURNAL_STREAM names it): lines then begin with "<N>", the
 * priority journald reads. Found at the first line; call again after replacing stderr. */
void log_detect_journal(void);

void log_at(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* log_msg is an error, as the many lines written before there were levels are. */
void log_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* An "audit:" line (an admin's action, a login): written at every level, priority notice. */
void log_audit(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
