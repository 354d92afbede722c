/* stats: private analytics. Views are counted in memory and written in batches; unique
 * visitors come from a keyed hash of (IP, User-Agent) whose key exists only in memory and is
 * replaced every day, so no IP address or lasting identifier is ever stored. */
#ifndef QUIRE_STATS_H
#define QUIRE_STATS_H
#include <stdbool.h>
#include <time.h>

#include "db.h"
#include "db_stats.h"
#include "http.h"

#define STATS_BUFFER 4096 /* views held in memory at most */

struct site;

/* True when this User-Agent is a known robot (or empty). */
bool stats_is_bot(const char *ua);
/* The host of a Referer URL in lower case, into out; false when there is none worth keeping. */
bool stats_referrer_host(const char *referer, const char *own_base_url, char out[STATS_HOST_MAX]);
/* One request as the analytics see it, from quire's own request or a line of nginx's log. */
struct stats_hit {
	time_t when;
	const char *path, *query; /* as sent (still percent-encoded), the query without '?' */
	const char *referer, *ua, *ip, *dnt, *gpc;
};

/* Fills v from h by the rules of every counted view (robots out, the referrer's host only,
 * utm_source, the visitor's keyed hash unless DNT or Sec-GPC): false when it does not count. */
bool stats_view_make(const struct site *site, const struct stats_hit *h, struct stats_view *v);
/* Records one view of q's page (call after the response is final: 200, GET). */
void stats_count(const struct site *site, const struct req *q, const char *dnt, const char *gpc,
                 const char *referer);
/* Writes the buffered views when due (force: whatever is waiting). -1 on a database error. */
int stats_flush(struct db *d, const struct site *site, bool force);

#endif
