/* log: one-line messages on stderr, prefixed "quire: ", with control characters escaped. */
#ifndef QUIRE_LOG_H
#define QUIRE_LOG_H

void log_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
