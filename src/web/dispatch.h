/* dispatch: the top of the web layer: a request through the route table's gate to its handler. */
#ifndef QUIRE_DISPATCH_H
#define QUIRE_DISPATCH_H

#include "http.h"
#include "page.h"

/* Runs one request: the gate (length, encoding, 404/405), then the handler. Never fails:
 * any error becomes an error page in r. */
void site_handle(struct req *q, struct resp *r);

#endif
