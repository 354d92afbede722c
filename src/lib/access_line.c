/* access_line: one info line per request, formatted before the answer is flushed and written
 * after it, so the reader never waits for the log. */
#include "access_line.h"

#include <stdio.h>
#include <string.h>

#include "log.h"

/* Routes whose links carry a secret (the token is in the query string, which is never logged):
 * a path that goes on after one (a client that put the token in the path) is cut there. */
static const char *const token_routes[] = {"/subscribe/confirm", "/unsubscribe", "/admin/reset"};

static bool plain(unsigned char c)
{
	return c > 0x20 && c < 0x7F && c != '\\';
}

size_t access_path(char *out, size_t outsz, const char *path, size_t max)
{
	size_t o = 0, len = strlen(path), keep = len;
	const char *tail = "";
	for (size_t i = 0; i < sizeof token_routes / sizeof token_routes[0]; i++) {
		size_t n = strlen(token_routes[i]);
		if (len > n && strncmp(path, token_routes[i], n) == 0) {
			keep = n;
			tail = "[redacted]";
			break;
		}
	}
	/* an encoded '?': what follows is a query in disguise */
	for (size_t i = 0; i + 2 < keep; i++)
		if (path[i] == '%' && path[i + 1] == '3' && (path[i + 2] == 'F' || path[i + 2] == 'f')) {
			keep = i + 3;
			tail = "[redacted]";
			break;
		}
	if (keep > max) {
		keep = max;
		tail = "...";
	}
	for (size_t i = 0; i < keep && o + 5 < outsz; i++) {
		unsigned char c = (unsigned char)path[i];
		if (plain(c))
			out[o++] = (char)c;
		else
			o += (size_t)snprintf(out + o, outsz - o, "\\x%02x", c);
	}
	if (*tail && o + strlen(tail) < outsz) {
		memcpy(out + o, tail, strlen(tail));
		o += strlen(tail);
	}
	if (outsz)
		out[o < outsz ? o : outsz - 1] = '\0';
	return o;
}

void access_start(struct access_rec *a)
{
	a->on = log_enabled(LOG_LEVEL_INFO);
	if (a->on)
		clock_gettime(CLOCK_MONOTONIC, &a->t0);
}

void access_note(struct access_rec *a, const struct req *q, const struct resp *r, bool oom)
{
	if (!a->on)
		return;
	char method[4 * ACCESS_METHOD_MAX + 16];
	access_path(method, sizeof method, q->method ? q->method : "-", ACCESS_METHOD_MAX);
	size_t n = (size_t)snprintf(a->line, sizeof a->line, "%s ", method);
	if (n < sizeof a->line)
		n += access_path(a->line + n, sizeof a->line - n, q->raw_path ? q->raw_path : "/",
		                 ACCESS_PATH_MAX);
	int status = oom ? 500 : r->status;
	bool bodyless = oom || status == 304 || (q->method && strcmp(q->method, "HEAD") == 0);
	if (n < sizeof a->line)
		snprintf(a->line + n, sizeof a->line - n, " %d %zu B", status,
		         bodyless ? (size_t)0 : r->body.len);
	a->addr[0] = '\0';
	const char *addr = log_addr(q->remote_addr);
	if (strcmp(addr, "-") != 0)
		access_path(a->addr, sizeof a->addr, addr, ACCESS_ADDR_SHOWN);
}

void access_write(const struct access_rec *a)
{
	if (!a->on)
		return;
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double ms = (double)(t1.tv_sec - a->t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - a->t0.tv_nsec) / 1e6;
	log_info(ms < 1 ? "%s %.2f ms%s%s" : "%s %.1f ms%s%s", a->line, ms, a->addr[0] ? " " : "", a->addr);
}
