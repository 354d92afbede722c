/* comment_write: the comment writes that set off mail. Each is one transaction opened here, above
 * the db and mail layers, so an outbox row always lands with the change that causes it. */
#ifndef QUIRE_COMMENT_WRITE_H
#define QUIRE_COMMENT_WRITE_H
#include <time.h>

#include "db.h"
#include "db_comments.h"

/* Claims the token (claim NULL: an admin's reply), stores c, queues its reply or moderation mail
 * and, when c asks for replies, the subscription request. Returns the new id,
 * COMMENT_TOKEN_USED (nothing stored) or -1. */
sqlite3_int64 comment_store(struct db *d, const struct comment *c, const struct token_claim *claim,
                            time_t now);
/* comment_moderate and the mail the new status sets off: 1 done, 0 no such comment, -1 error. */
int comment_moderate_notify(struct db *d, sqlite3_int64 id, const char *action, time_t now);

#endif
