/* form_token: the signed, single-use token of a comment form, and the hash of a moderation link.
 * Below both site.c (which writes the token into every page that holds a form, cached or not)
 * and the comment views and handlers; it reads only the site's settings, never the worker. */
#ifndef QUIRE_FORM_TOKEN_H
#define QUIRE_FORM_TOKEN_H
#include <sqlite3.h>
#include <time.h>

#include "db_comments.h"
#include "http.h"
#include "settings.h"

#define FORM_TOKEN_LEN 60 /* 10-digit time, '.', 16 hex of nonce, '.', 32 hex of MAC */
#define MODERATION_HASH_HEX 33

/* Stands in for the token while a page is hashed (so its ETag stays stable): control bytes
 * never occur in stored text. */
extern const char FORM_TOKEN_PLACEHOLDER[FORM_TOKEN_LEN + 1];

/* Writes a fresh token of post r->token_post where r's body (maybe from the cache) has the
 * placeholder. */
void form_token_fill(const struct site *s, time_t now, struct resp *r);
/* NULL when token is a form of this post made between max_age and min_seconds ago; else the
 * reason ("token", "too-fast", "too-old"). */
const char *form_token_check(const struct site *s, time_t now, sqlite3_int64 post_id, const char *token);
/* What comment_insert needs to use up a token that passed form_token_check, for this reader
 * address. */
void form_token_claim_of(const struct site *s, const char *remote_addr, const char *token,
                         struct token_claim *claim);
/* The hex hash that lets a commenter see their own held comment. */
void moderation_hash(const struct site *s, sqlite3_int64 comment_id, char out[MODERATION_HASH_HEX]);

#endif
