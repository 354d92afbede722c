/* listen_fds: accepts only what sd_listen_fds(3) promises: the variables must name this very
 * process (a child started by quire must not take its parent's sockets) and fd 3 must already be
 * a listening stream socket, so a stray LISTEN_FDS in a shell cannot make quire serve a file. */
#include "listen_fds.h"

#include <errno.h>
#include <netdb.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

/* A decimal number that is the whole string, or -1. */
static long whole_number(const char *s)
{
	if (!s || !*s)
		return -1;
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	return errno || *end || v < 0 ? -1 : v;
}

static void forget(void)
{
	unsetenv("LISTEN_PID");
	unsetenv("LISTEN_FDS");
	unsetenv("LISTEN_FDNAMES");
}

int listen_fds_take(char *err, size_t errsz)
{
	long pid = whole_number(getenv("LISTEN_PID"));
	long n = whole_number(getenv("LISTEN_FDS"));
	if (pid < 0 || n < 0 || pid != (long)getpid())
		return -2;
	forget();
	if (n == 0)
		return -2;
	if (n > 1) {
		snprintf(err, errsz,
		         "systemd passed %ld sockets (LISTEN_FDS); quire serves exactly one: "
		         "keep one ListenStream= in quire.socket",
		         n);
		return -1;
	}
	int fd = LISTEN_FDS_START, type = 0, listening = 0;
	socklen_t len = sizeof type;
	if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) < 0) {
		snprintf(err, errsz, "LISTEN_FDS=1 but fd 3 is not a socket: %s", strerror(errno));
		return -1;
	}
	len = sizeof listening;
	if (type != SOCK_STREAM || getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &len) < 0 ||
	    !listening) {
		snprintf(err, errsz,
		         "the socket systemd passed (fd 3) is not a listening stream socket "
		         "(quire.socket needs ListenStream=, Accept=no)");
		return -1;
	}
	int flags = fcntl(fd, F_GETFD);
	if (flags < 0 || fcntl(fd, F_SETFD, flags | FD_CLOEXEC) < 0) {
		snprintf(err, errsz, "fd 3: %s", strerror(errno));
		return -1;
	}
	return fd;
}

#define HOST_MAX 256

int listen_unix(const char *path, int backlog, char *err, size_t errsz)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	if (strlen(path) >= sizeof sa.sun_path) {
		snprintf(err, errsz, "%s: a socket path must be shorter than %zu bytes", path,
		         sizeof sa.sun_path);
		return -1;
	}
	memcpy(sa.sun_path, path, strlen(path) + 1);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0 || listen(fd, backlog) < 0) {
		snprintf(err, errsz, "cannot listen on %s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

/* The first address of res that binds and listens, or -1 with errno. */
static int bind_first(const struct addrinfo *res, int backlog)
{
	int e = EADDRNOTAVAIL;
	for (const struct addrinfo *ai = res; ai; ai = ai->ai_next) {
		int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
		int one = 1;
		if (fd >= 0 && setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) == 0 &&
		    bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 && listen(fd, backlog) == 0)
			return fd;
		e = errno;
		if (fd >= 0)
			close(fd);
	}
	errno = e;
	return -1;
}

int listen_tcp(const char *hostport, int backlog, char *err, size_t errsz)
{
	const char *colon = strrchr(hostport, ':');
	char host[HOST_MAX];
	size_t hl = colon ? (size_t)(colon - hostport) : 0;
	const char *h = hostport;
	if (hl >= 2 && h[0] == '[' && h[hl - 1] == ']')
		h++, hl -= 2; /* [::1] */
	if (!colon || !colon[1] || hl >= sizeof host) {
		snprintf(err, errsz, "%s: expected HOST:PORT", hostport);
		return -1;
	}
	memcpy(host, h, hl);
	host[hl] = '\0';
	struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM, .ai_flags = AI_PASSIVE};
	struct addrinfo *res = NULL;
	int rc = getaddrinfo(hl ? host : NULL, colon + 1, &hints, &res);
	if (rc != 0) {
		snprintf(err, errsz, "cannot listen on %s: %s", hostport, gai_strerror(rc));
		return -1;
	}
	int fd = bind_first(res, backlog);
	if (fd < 0)
		snprintf(err, errsz, "cannot listen on %s: %s%s", hostport, strerror(errno),
		         errno == EADDRINUSE ? " (is another quire, or another server, running there?)" : "");
	freeaddrinfo(res);
	return fd;
}

bool unix_socket_alive(const char *path)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	if (strlen(path) >= sizeof sa.sun_path)
		return false;
	memcpy(sa.sun_path, path, strlen(path) + 1);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return false;
	bool alive = connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0;
	close(fd);
	return alive;
}
