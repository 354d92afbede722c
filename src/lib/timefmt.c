/* timefmt: strict hand-written date parsers (no strptime locale surprises). */
#include "timefmt.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

static bool digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

static bool valid_ymd(int y, int m, int d)
{
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (y < 1970 || y > 9999 || m < 1 || m > 12 || d < 1)
		return false;
	int max = mdays[m - 1];
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		max = 29;
	return d <= max;
}

static time_t make_utc(int y, int mo, int d, int h, int mi, int s)
{
	struct tm tm = {0};
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = s;
	return timegm(&tm);
}

bool time_parse(const char *s, time_t *out)
{
	int y, mo, d, h = 0, mi = 0, sec = 0, off = 0;
	size_t n = strlen(s);
	if (n < 10 || !digits(s, 4, &y) || s[4] != '-' || !digits(s + 5, 2, &mo) || s[7] != '-' ||
	    !digits(s + 8, 2, &d) || !valid_ymd(y, mo, d))
		return false;
	const char *p = s + 10;
	if (*p == 'T' || *p == ' ') {
		p++;
		if (!digits(p, 2, &h) || p[2] != ':' || !digits(p + 3, 2, &mi) || h > 23 || mi > 59)
			return false;
		p += 5;
		if (*p == ':') {
			if (!digits(p + 1, 2, &sec) || sec > 60)
				return false;
			p += 3;
			if (*p == '.') {
				p++;
				if (!isdigit((unsigned char)*p))
					return false;
				while (isdigit((unsigned char)*p))
					p++;
			}
		}
		if (*p == 'Z' || *p == 'z') {
			p++;
		} else if (*p == '+' || *p == '-') {
			int oh, om;
			int sign = *p == '-' ? -1 : 1;
			if (!digits(p + 1, 2, &oh) || p[3] != ':' || !digits(p + 4, 2, &om) || oh > 23 ||
			    om > 59)
				return false;
			off = sign * (oh * 3600 + om * 60);
			p += 6;
		}
	}
	if (*p != '\0')
		return false;
	*out = make_utc(y, mo, d, h, mi, sec == 60 ? 59 : sec) - off;
	return true;
}

static const char *const months[] = {"January", "February", "March",     "April",   "May",      "June",
                                     "July",    "August",   "September", "October", "November", "December"};
static const char *const wdays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};

bool time_parse_http(const char *s, time_t *out)
{
	/* "Sun, 06 Nov 1994 08:49:37 GMT" */
	int d, y, h, mi, sec;
	if (strlen(s) != 29 || s[3] != ',' || s[4] != ' ' || !digits(s + 5, 2, &d) || s[7] != ' ' ||
	    s[11] != ' ' || !digits(s + 12, 4, &y) || s[16] != ' ' || !digits(s + 17, 2, &h) ||
	    s[19] != ':' || !digits(s + 20, 2, &mi) || s[22] != ':' || !digits(s + 23, 2, &sec) ||
	    strcmp(s + 25, " GMT") != 0)
		return false;
	int mo = 0;
	for (int i = 0; i < 12; i++)
		if (strncmp(s + 8, months[i], 3) == 0)
			mo = i + 1;
	if (!mo || !valid_ymd(y, mo, d) || h > 23 || mi > 59 || sec > 60)
		return false;
	*out = make_utc(y, mo, d, h, mi, sec);
	return true;
}

void time_rfc3339(time_t t, char out[TIME_BUFSZ])
{
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, TIME_BUFSZ, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void time_http(time_t t, char out[TIME_BUFSZ])
{
	struct tm tm;
	gmtime_r(&t, &tm);
	/* by hand: strftime's %a/%b follow the locale */
	static const char *const mon3[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	snprintf(out, TIME_BUFSZ, "%s, %02d %s %04d %02d:%02d:%02d GMT", wdays[tm.tm_wday], tm.tm_mday,
	         mon3[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

void time_human(time_t t, char out[TIME_BUFSZ])
{
	struct tm tm;
	gmtime_r(&t, &tm);
	snprintf(out, TIME_BUFSZ, "%s %d, %d", months[tm.tm_mon], tm.tm_mday, tm.tm_year + 1900);
}

void time_ymd(time_t t, char out[TIME_BUFSZ])
{
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, TIME_BUFSZ, "%Y-%m-%d", &tm);
}
