/* commenter: the proof is HMAC-SHA512-256(form key, "commenter:EXPIRY:email in lower case"). */
#include "commenter.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "settings.h"

static void proof_mac(const struct site *s, const char *email, long long expiry, char hex[65])
{
	char low[256], msg[300];
	size_t i = 0;
	for (; email && email[i] && i < sizeof low - 1; i++)
		low[i] = email[i] >= 'A' && email[i] <= 'Z' ? (char)(email[i] + 32) : email[i];
	low[i] = '\0';
	/* callers refuse addresses over 255 bytes, so the cut above never makes two alike */
	int n = snprintf(msg, sizeof msg, "commenter:%010lld:%s", expiry, low);
	unsigned char mac[crypto_auth_BYTES];
	crypto_auth(mac, (const unsigned char *)msg, (unsigned long long)(n < 0 ? 0 : n), s->form_key);
	sodium_bin2hex(hex, 65, mac, sizeof mac);
}

void commenter_proof(const struct site *s, const char *email, time_t now, char out[COMMENTER_PROOF_CHARS])
{
	char hex[65];
	long long expiry = (long long)now + COMMENTER_TTL;
	proof_mac(s, email, expiry, hex);
	/* the expiry has ten digits until the year 2286: written whole, then cut to the format */
	char whole[96];
	snprintf(whole, sizeof whole, "%010lld.%s", expiry, hex);
	snprintf(out, COMMENTER_PROOF_CHARS, "%.*s", COMMENTER_PROOF_CHARS - 1, whole);
}

bool commenter_proof_ok(const struct site *s, const char *value, const char *email, time_t now)
{
	if (!value || !email || !*email || strlen(email) > 255 ||
	    strlen(value) != COMMENTER_PROOF_CHARS - 1 || strspn(value, "0123456789") != 10 ||
	    value[10] != '.')
		return false;
	long long expiry = strtoll(value, NULL, 10);
	if (expiry < (long long)now)
		return false;
	char hex[65];
	proof_mac(s, email, expiry, hex);
	return sodium_memcmp(hex, value + 11, 64) == 0;
}

void commenter_cookie(const struct site *s, const char *email, time_t now, char *out, size_t n)
{
	char proof[COMMENTER_PROOF_CHARS];
	commenter_proof(s, email, now, proof);
	snprintf(out, n, "%s=%s; Path=/posts; Max-Age=%d; HttpOnly; SameSite=Lax%s", COMMENTER_COOKIE, proof,
	         COMMENTER_TTL, s->secure_cookies ? "; Secure" : "");
}
