/* commenter: the proof a returning commenter carries: a cookie set when they confirmed their
 * address by mail, a keyed MAC of the address and an expiry (nothing else in it). */
#ifndef QUIRE_COMMENTER_H
#define QUIRE_COMMENTER_H
#include <stdbool.h>
#include <time.h>

struct site;

#define COMMENTER_COOKIE "quire_commenter"
#define COMMENTER_TTL (365 * 24 * 3600)
#define COMMENTER_PROOF_CHARS 76 /* 10-digit expiry, '.', 64 hex, NUL */

/* The cookie value proving that this browser confirmed email (case does not matter). */
void commenter_proof(const struct site *s, const char *email, time_t now, char out[COMMENTER_PROOF_CHARS]);
/* True when value is an unexpired proof made by this site for email. */
bool commenter_proof_ok(const struct site *s, const char *value, const char *email, time_t now);
/* The whole Set-Cookie value for email (into out of size n); HttpOnly, SameSite=Lax, Path=/posts. */
void commenter_cookie(const struct site *s, const char *email, time_t now, char *out, size_t n);

#endif
