/* mail_render: one outbox row to a complete message, from the mail_* templates. */
#ifndef QUIRE_MAIL_RENDER_H
#define QUIRE_MAIL_RENDER_H
#include <sqlite3.h>
#include <stddef.h>
#include <time.h>

#include "buf.h"
#include "db.h"

struct site;

/* Renders a row of kind (confirm, post, test, reply, moderation) for recipient into msg.
 * Returns 0, 1 when there is nothing to send any more (err says why), -1 on error. */
int mail_render(struct db *d, const struct site *site, const char *kind, const char *recipient,
                sqlite3_int64 ref, const char *payload, time_t now, struct buf *msg, char *err, size_t errsz);

#endif
