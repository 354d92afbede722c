/* access_line: the one log line per request, at info level, written once the answer is sent:
 *   quire: GET /2024/05/hello 200 5123 B 1.23 ms [ADDRESS with log_ip = on]
 * method, path as sent (no query string: tokens travel there), status, body bytes, time. */
#ifndef QUIRE_ACCESS_LINE_H
#define QUIRE_ACCESS_LINE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "http.h"

#define ACCESS_METHOD_MAX 16 /* bytes of the method shown */
#define ACCESS_PATH_MAX 384  /* bytes of the path shown; a longer one ends in "..." */
#define ACCESS_ADDR_SHOWN 64 /* bytes of the client address shown (an IPv6 one is at most 45) */
#define ACCESS_LINE_MAX (4 * (ACCESS_METHOD_MAX + ACCESS_PATH_MAX) + 64)

struct access_rec {
	bool on; /* info lines are written: nothing else is done when not */
	struct timespec t0;
	char line[ACCESS_LINE_MAX];            /* "GET /path 200 5123 B" */
	char addr[4 * ACCESS_ADDR_SHOWN + 16]; /* "" unless log_ip is on */
};

/* At the request's start: takes the time. */
void access_start(struct access_rec *a);
/* Once the answer is written, while q's strings are still valid (before FCGX_Finish_r): notes
 * the request and the answer (oom: the 500 that replaced it). */
void access_note(struct access_rec *a, const struct req *q, const struct resp *r, bool oom);
/* After the answer is sent: writes the line with the milliseconds since access_start. */
void access_write(const struct access_rec *a);

/* The path as the line shows it, NUL-terminated in out (at least 4 * ACCESS_PATH_MAX + 16
 * bytes): bytes outside printable ASCII, spaces and backslashes as \xNN (a line has a fixed
 * number of fields, and a request cannot write a line of its own); nothing after an encoded
 * '?' (%3F); the part after a route that takes a secret token (/unsubscribe/...) as
 * "[redacted]". Returns the length. */
size_t access_path(char *out, size_t outsz, const char *path, size_t max);

#endif
