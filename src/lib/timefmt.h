/* timefmt: parsing and printing the dates quire deals in (all stored as UTC epoch seconds). */
#ifndef QUIRE_TIMEFMT_H
#define QUIRE_TIMEFMT_H
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

/* Parses YYYY-MM-DD, or ISO 8601 / RFC 3339 date-time (T or space, optional
 * seconds and fraction, Z or +-HH:MM; no zone means UTC). False on anything else. */
bool time_parse(const char *s, time_t *out);
/* Parses an HTTP date (RFC 7231 IMF-fixdate only). */
bool time_parse_http(const char *s, time_t *out);

#define TIME_BUFSZ 40
void time_rfc3339(time_t t, char out[TIME_BUFSZ]); /* 2026-11-25T12:00:00Z */
void time_http(time_t t, char out[TIME_BUFSZ]);    /* Wed, 25 Nov 2026 12:00:00 GMT */
void time_human(time_t t, char out[TIME_BUFSZ]);   /* November 25, 2026 */
void time_ymd(time_t t, char out[TIME_BUFSZ]);     /* 2026-11-25 */

#endif
