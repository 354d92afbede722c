/* form_token: "time.nonce.mac" tokens, signed with the site's form key. */
#include "form_token.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PLACEHOLDER_TEXT "\x01quire-comment-form-token-placeholder----------------------\x01"
_Static_assert(sizeof PLACEHOLDER_TEXT == FORM_TOKEN_LEN + 1, "the placeholder is as long as a token");
const char FORM_TOKEN_PLACEHOLDER[FORM_TOKEN_LEN + 1] = PLACEHOLDER_TEXT;

#define NONCE_BYTES 8
#define MAC_HEX_BYTES 16
#define TOKEN_CLOCK_SKEW 60 /* seconds a token may come from the future */

/* The MAC of a form (nonce given) or of a moderation link (nonce NULL), hex of 16 bytes. */
static void token_mac(const struct site *s, sqlite3_int64 post_id, long long ts, const char *nonce,
                      char hex[2 * MAC_HEX_BYTES + 1])
{
	char msg[96];
	unsigned char mac[crypto_auth_BYTES];
	int n = nonce ? snprintf(msg, sizeof msg, "comment:%lld:%lld:%s", (long long)post_id, ts, nonce)
	              : snprintf(msg, sizeof msg, "comment:%lld:%lld", (long long)post_id, ts);
	crypto_auth(mac, (const unsigned char *)msg, (unsigned long long)n, s->form_key);
	sodium_bin2hex(hex, 2 * MAC_HEX_BYTES + 1, mac, MAC_HEX_BYTES);
}

/* The random nonce makes every page's token its own, even two rendered for the same post in the
 * same second, so that single use never refuses another reader. */
static void form_token(const struct site *s, time_t now, sqlite3_int64 post_id, char out[FORM_TOKEN_LEN + 1])
{
	unsigned char raw[NONCE_BYTES];
	char nonce[2 * NONCE_BYTES + 1], hex[2 * MAC_HEX_BYTES + 1];
	randombytes_buf(raw, sizeof raw);
	sodium_bin2hex(nonce, sizeof nonce, raw, sizeof raw);
	token_mac(s, post_id, (long long)now, nonce, hex);
	snprintf(out, FORM_TOKEN_LEN + 1, "%010lld.%s.%s", (long long)now, nonce, hex);
}

static bool token_shape_ok(const char *t)
{
	return t && strlen(t) == FORM_TOKEN_LEN && strspn(t, "0123456789") == 10 && t[10] == '.' &&
	       strspn(t + 11, "0123456789abcdef") == 16 && t[27] == '.' &&
	       strspn(t + 28, "0123456789abcdef") == 32;
}

const char *form_token_check(const struct site *s, time_t now, sqlite3_int64 post_id, const char *token)
{
	const struct config *c = &s->cfg;
	if (!token_shape_ok(token))
		return "token";
	long long ts = strtoll(token, NULL, 10);
	char nonce[2 * NONCE_BYTES + 1], hex[2 * MAC_HEX_BYTES + 1];
	memcpy(nonce, token + 11, 2 * NONCE_BYTES);
	nonce[2 * NONCE_BYTES] = '\0';
	token_mac(s, post_id, ts, nonce, hex);
	if (sodium_memcmp(hex, token + 28, 2 * MAC_HEX_BYTES) != 0)
		return "token";
	if (now - ts < c->min_seconds)
		return "too-fast";
	if (now - ts > c->max_age || ts > now + TOKEN_CLOCK_SKEW)
		return "too-old";
	return NULL;
}

void form_token_claim_of(const struct site *s, const char *remote_addr, const char *token,
                         struct token_claim *claim)
{
	/* one use per token and reader address: a page kept by a shared cache (nginx, a CDN) hands
	 * the same token to every reader, and each may still comment once with it */
	crypto_generichash_state h;
	crypto_generichash_init(&h, NULL, 0, sizeof claim->hash);
	crypto_generichash_update(&h, (const unsigned char *)token, strlen(token) + 1);
	crypto_generichash_update(&h, (const unsigned char *)remote_addr, strlen(remote_addr));
	crypto_generichash_final(&h, claim->hash, sizeof claim->hash);
	/* kept while form_token_check could still accept it; afterwards it is refused as too old */
	claim->expires = (time_t)strtoll(token, NULL, 10) + s->cfg.max_age + 1;
}

void moderation_hash(const struct site *s, sqlite3_int64 comment_id, char out[MODERATION_HASH_HEX])
{
	token_mac(s, -comment_id, 0, NULL, out);
}

void form_token_fill(const struct site *s, time_t now, struct resp *r)
{
	char token[FORM_TOKEN_LEN + 1];
	form_token(s, now, r->token_post, token);
	for (char *p = r->body.p; p && (p = strstr(p, FORM_TOKEN_PLACEHOLDER));)
		memcpy(p, token, FORM_TOKEN_LEN);
}
