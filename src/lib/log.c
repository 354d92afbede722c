/* log: escapes control characters so request data can never forge a log line; levels, and
 * journald's priority prefixes when stderr is the journal. */
#include "log.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

/* sd-daemon(3) priorities: SD_ERR, SD_WARNING, SD_NOTICE, SD_INFO, SD_DEBUG */
#define PRIO_ERR 3
#define PRIO_WARNING 4
#define PRIO_NOTICE 5
#define PRIO_INFO 6
#define PRIO_DEBUG 7

static atomic_int level_now = LOG_LEVEL_INFO;
static atomic_bool ip_on = false;
static atomic_int journal = -1; /* -1: not looked at yet; 0 or 1 */

void log_set_level(enum log_level level)
{
	atomic_store(&level_now, (int)level);
}

bool log_enabled(enum log_level level)
{
	return (int)level <= atomic_load_explicit(&level_now, memory_order_relaxed);
}

void log_set_ip(bool on)
{
	atomic_store(&ip_on, on);
}

const char *log_addr(const char *addr)
{
	return atomic_load_explicit(&ip_on, memory_order_relaxed) && addr && *addr ? addr : "-";
}

/* JOURNAL_STREAM is "DEVICE:INODE" of the stream systemd connected to stderr; a child whose
 * stderr was redirected elsewhere inherits the variable but not the stream, hence the fstat. */
void log_detect_journal(void)
{
	const char *js = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat sb;
	int on = js && sscanf(js, "%llu:%llu", &dev, &ino) == 2 && fstat(STDERR_FILENO, &sb) == 0 &&
	         (unsigned long long)sb.st_dev == dev && (unsigned long long)sb.st_ino == ino;
	atomic_store(&journal, on);
}

static void vlog(int prio, const char *fmt, va_list ap)
{
	char line[LOG_MSG_MAX], out[2 * LOG_MSG_MAX];
	vsnprintf(line, sizeof line, fmt, ap);
	size_t o = 0;
	for (const unsigned char *p = (const unsigned char *)line; *p && o + 5 < sizeof out; p++) {
		if (*p < 0x20 || *p == 0x7F)
			o += (size_t)snprintf(out + o, sizeof out - o, "\\x%02x", *p);
		else
			out[o++] = (char)*p;
	}
	out[o] = '\0';
	if (atomic_load_explicit(&journal, memory_order_relaxed) < 0)
		log_detect_journal();
	/* one fprintf, so one write(2): lines of two threads never interleave */
	if (atomic_load_explicit(&journal, memory_order_relaxed) == 1)
		fprintf(stderr, "<%d>quire: %s\n", prio, out);
	else
		fprintf(stderr, "quire: %s\n", out);
}

static const int prio_of[] = {PRIO_ERR, PRIO_WARNING, PRIO_INFO, PRIO_DEBUG};

#define LOG_AT(level)                                                                                        \
	do {                                                                                                 \
		if (!log_enabled(level))                                                                     \
			return;                                                                              \
		va_list ap;                                                                                  \
		va_start(ap, fmt);                                                                           \
		vlog(prio_of[level], fmt, ap);                                                               \
		va_end(ap);                                                                                  \
	} while (0)

void log_at(enum log_level level, const char *fmt, ...)
{
	if ((unsigned)level > LOG_LEVEL_DEBUG)
		level = LOG_LEVEL_ERROR;
	LOG_AT(level);
}

void log_msg(const char *fmt, ...)
{
	LOG_AT(LOG_LEVEL_ERROR);
}

void log_error(const char *fmt, ...)
{
	LOG_AT(LOG_LEVEL_ERROR);
}

void log_warn(const char *fmt, ...)
{
	LOG_AT(LOG_LEVEL_WARN);
}

void log_info(const char *fmt, ...)
{
	LOG_AT(LOG_LEVEL_INFO);
}

void log_debug(const char *fmt, ...)
{
	LOG_AT(LOG_LEVEL_DEBUG);
}

void log_audit(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vlog(PRIO_NOTICE, fmt, ap);
	va_end(ap);
}
