/* listen_fds: the listening socket: the one systemd passes to a socket-activated service (sd_listen_fds(3):
 * LISTEN_PID names this process, LISTEN_FDS counts the sockets, the first is fd 3). Written
 * here rather than linking libsystemd for one documented, stable protocol of a few lines. */
#ifndef QUIRE_LISTEN_FDS_H
#define QUIRE_LISTEN_FDS_H

#include <stdbool.h>
#include <stddef.h>

#define LISTEN_FDS_START 3

/* The passed listening socket (fd 3), made close-on-exec, and the variables removed from the
 * environment; -2 when nothing was passed to this process; -1 with err when something was passed
 * but is not usable (not one listening stream socket). */
int listen_fds_take(char *err, size_t errsz);

/* A listening stream socket of our own, close-on-exec: on a unix socket path, or on "HOST:PORT"
 * ("[::1]:PORT" for IPv6, ":PORT" for every address). Made here rather than by libfcgi's
 * FCGX_OpenSocket, which on a port already in use prints to stderr and calls exit(). The fd, or
 * -1 with err naming the address and the reason. */
int listen_unix(const char *path, int backlog, char *err, size_t errsz);
int listen_tcp(const char *hostport, int backlog, char *err, size_t errsz);

/* True when a server accepts connections on the unix socket at path: a socket found there is
 * then in use and must not be replaced (quire serve) or reported as stale (quire check). */
bool unix_socket_alive(const char *path);

#endif
