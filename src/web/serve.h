/* serve: the FastCGI server: a listening socket, N worker threads, clean shutdown. */
#ifndef QUIRE_SERVE_H
#define QUIRE_SERVE_H

#include "site.h"

/* Serves until SIGTERM/SIGINT, then lets requests in flight finish. Returns an exit code. */
int serve_run(const struct site *site);

#endif
