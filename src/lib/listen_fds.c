/* listen_fds: accepts only what sd_listen_fds(3) promises: the variables must name this very
 * process (a child started by quire must not take its parent's sockets) and fd 3 must already be
 * a listening stream socket, so a stray LISTEN_FDS in a shell cannot make quire serve a file. */
#include "listen_fds.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
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
