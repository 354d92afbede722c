/* outbox: every mail is a row. The queue (queue.h) decides who gets what, inside the caller's
 * transaction; the sender (sender.h) delivers; subscribe.h starts a double opt-in. One header
 * for the callers of all three. */
#ifndef QUIRE_OUTBOX_H
#define QUIRE_OUTBOX_H

#include "queue.h"
#include "sender.h"
#include "subscribe.h"

#endif
