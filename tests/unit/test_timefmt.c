/* test_timefmt: strict date parsing and the three output forms. */
#include "timefmt.h"
#include "tap.h"

int main(void)
{
	time_t t;
	char b[TIME_BUFSZ];
	ok(time_parse("2026-11-25", &t) && t == 1795564800, "date only is midnight UTC");
	ok(time_parse("2026-11-25T10:30:00Z", &t) && t == 1795564800 + 37800, "RFC 3339 UTC");
	ok(time_parse("2026-11-25T12:30:00+02:00", &t) && t == 1795564800 + 37800, "offset applied");
	ok(time_parse("2026-11-25 10:30", &t) && t == 1795564800 + 37800, "space and no seconds");
	ok(time_parse("2026-11-25T10:30:00.123Z", &t), "fraction accepted");
	ok(!time_parse("2026-02-30", &t), "no 30 February");
	ok(time_parse("2024-02-29", &t) && !time_parse("2025-02-29", &t), "leap years");
	ok(!time_parse("25/11/2026", &t) && !time_parse("2026-11-25T", &t) && !time_parse("2026-11-25x", &t),
	   "garbage refused");
	time_rfc3339(1795564800, b);
	is_str(b, "2026-11-25T00:00:00Z", "rfc3339 out");
	time_http(1795564800, b);
	is_str(b, "Wed, 25 Nov 2026 00:00:00 GMT", "http date out");
	ok(time_parse_http(b, &t) && t == 1795564800, "http date round trip");
	ok(!time_parse_http("Wed, 25 Nov 2026 00:00:00 UTC", &t), "http date must be GMT");
	time_human(1795564800, b);
	is_str(b, "November 25, 2026", "human date");
	return tap_done();
}
