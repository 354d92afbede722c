/* listen_fds: the listening socket systemd passes to a socket-activated service (sd_listen_fds(3):
 * LISTEN_PID names this process, LISTEN_FDS counts the sockets, the first is fd 3). Written
 * here rather than linking libsystemd for one documented, stable protocol of a few lines. */
#ifndef QUIRE_LISTEN_FDS_H
#define QUIRE_LISTEN_FDS_H

#include <stddef.h>

#define LISTEN_FDS_START 3

/* The passed listening socket (fd 3), made close-on-exec, and the variables removed from the
 * environment; -2 when nothing was passed to this process; -1 with err when something was passed
 * but is not usable (not one listening stream socket). */
int listen_fds_take(char *err, size_t errsz);

#endif
