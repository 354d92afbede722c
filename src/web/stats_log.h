/* stats_log: page views counted from nginx's views log ([stats] access_log), for pages nginx
 * answers from its micro-cache (conf/nginx-quire-cache.conf) without asking quire. */
#ifndef QUIRE_STATS_LOG_H
#define QUIRE_STATS_LOG_H
#include <stdatomic.h>

#include "stats.h"

#define STATS_LOG_TAG "qv1" /* the first field of each line: the log_format's version */

struct site;

/* What stats_log_main needs: the site, and the flag that stops it. */
struct stats_log_args {
	const struct site *site;
	atomic_int *stopping;
};

/* Splits one line of the log_format quire_views (without its newline) in place, undoing nginx's
 * \xHH escapes, into h: 1 for a view (GET answered 200), 0 for another line (HEAD, a 304),
 * -1 for a line that is not of that format. */
int stats_log_parse(char *line, struct stats_hit *h);

/* The thread of `quire serve` that reads the log every second until *stopping. */
void *stats_log_main(void *arg);

#endif
