/* subscribe: the confirmation token is random and travels only in the mail (the row keeps its
 * hash); unsubscribe links are MACs, so they need no stored secret per subscriber. */
#include "subscribe.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "queue.h"
#include "settings.h"

#define CONFIRM_TOKEN_BYTES 32

/* A pending row for email with a fresh token (into token); 1 when a mail is needed. */
static int request_row(struct db *d, const char *email, bool wants_posts, time_t now,
                       char token[SUBSCRIBER_TOKEN_SIZE], sqlite3_int64 *id)
{
	unsigned char raw[CONFIRM_TOKEN_BYTES];
	randombytes_buf(raw, sizeof raw);
	sodium_bin2base64(token, SUBSCRIBER_TOKEN_SIZE, raw, sizeof raw,
	                  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	return subscriber_save(d, email, wants_posts, token, now, id);
}

int subscriber_request_reply(struct db *d, const char *email, sqlite3_int64 comment, time_t now)
{
	char token[SUBSCRIBER_TOKEN_SIZE];
	sqlite3_int64 id = 0;
	int rc = request_row(d, email, false, now, token, &id);
	if (rc <= 0)
		return rc;
	/* a blog subscription still pending (the same token confirms both) keeps its own words */
	int blog = subscriber_wants_posts(d, email);
	if (blog < 0)
		return -1;
	if (blog)
		return outbox_add(d, "confirm", email, id, token, now);
	/* ref is the comment, so the mail can say which replies it is about */
	return outbox_add(d, "confirm_reply", email, comment, token, now);
}

int subscriber_request(struct db *d, const char *email, enum sub_source src, time_t now)
{
	char token[SUBSCRIBER_TOKEN_SIZE];
	sqlite3_int64 id = 0;
	int rc = request_row(d, email, src == SUB_FORM, now, token, &id);
	if (rc <= 0)
		return rc; /* confirmed already: no mail needed */
	/* the raw token travels only in the mail; the row forgets it once sent */
	return outbox_add(d, "confirm", email, id, token, now);
}

void unsubscribe_token(const struct site *site, sqlite3_int64 id, char out[UNSUBSCRIBE_TOKEN_SIZE])
{
	char msg[64];
	unsigned char mac[crypto_auth_BYTES];
	int n = snprintf(msg, sizeof msg, "unsubscribe:%lld", (long long)id);
	crypto_auth(mac, (const unsigned char *)msg, (unsigned long long)n, site->form_key);
	sodium_bin2hex(out, UNSUBSCRIBE_TOKEN_SIZE, mac, UNSUBSCRIBE_TOKEN_LEN / 2);
}

bool unsubscribe_token_ok(const struct site *site, sqlite3_int64 id, const char *token)
{
	char want[UNSUBSCRIBE_TOKEN_SIZE];
	unsubscribe_token(site, id, want);
	return token && strlen(token) == UNSUBSCRIBE_TOKEN_LEN &&
	       sodium_memcmp(want, token, UNSUBSCRIBE_TOKEN_LEN) == 0;
}

int subscriber_unsubscribe(struct db *d, const struct site *site, sqlite3_int64 id, const char *token,
                           time_t now)
{
	if (!unsubscribe_token_ok(site, id, token))
		return 0;
	int n = subscriber_set_unsubscribed(d, id, now);
	if (n < 0)
		return -1;
	if (n > 0)
		log_info("subscriber %lld unsubscribed", (long long)id);
	return 1;
}
