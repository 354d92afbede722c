/* text: UTF-8 checks, escaping for HTML/XML and URLs, percent-decoding, slugs. */
#ifndef QUIRE_TEXT_H
#define QUIRE_TEXT_H
#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

/* True if s[0..n) is well-formed UTF-8 (no overlongs, surrogates or NULs). */
bool utf8_valid(const char *s, size_t n);
/* The value of one hex digit, or -1. */
int hexval(int c);
/* s[0..n) onto out with NUL bytes and invalid UTF-8 replaced by U+FFFD: libxml2 would read the
 * rest of its input as Latin-1 after an encoding error and hand back bytes that are not UTF-8. */
void utf8_scrub(const char *s, size_t n, struct buf *out);
/* Number of code points in valid UTF-8. */
size_t utf8_len(const char *s, size_t n);
/* Largest prefix length <= max bytes that ends on a code point boundary. */
size_t utf8_cut(const char *s, size_t n, size_t max);

/* Escapes & < > " ' for HTML text, attributes and XML. */
void esc_html(struct buf *out, const char *s, size_t n);
/* Percent-encodes everything but unreserved characters (RFC 3986), for one path segment or query value. */
void esc_url(struct buf *out, const char *s, size_t n);

/* Decodes %XX (and '+' as space when plus_space); returns the decoded length,
 * or -1 on a malformed escape or a decoded NUL. out must hold n+1 bytes. */
long url_decode(char *out, const char *s, size_t n, bool plus_space);
/* Where needle first occurs in the n bytes at hay (not NUL-terminated), or NULL. */
const char *text_find(const char *hay, size_t n, const char *needle);
/* Sets the hex digits of every %xx escape in s to one case, in place ("%e2%80" and "%E2%80" name
 * the same bytes: WordPress writes one, browsers send the other). */
void url_hex_case(char *s, bool upper);

/* Writes a URL slug of s (lowercase ASCII letters, digits and single dashes; other
 * UTF-8 letters are kept as they are) into out, at most max bytes. */
void slugify(struct buf *out, const char *s, size_t max);
/* True if s is a valid slug as slugify makes them. */
bool slug_valid(const char *s);

/* A practical check of addr-spec syntax: local@domain.tld, at most 254 bytes, no spaces,
 * quotes, angle brackets or control characters. */
bool email_valid(const char *s);
#define ID_DIGITS_MAX 15
/* A positive row id written in decimal digits only (at most ID_DIGITS_MAX), from a path, query
 * or form value; 0 when s is not one. */
long long id_parse(const char *s);
/* True if needle occurs in hay, ignoring ASCII case. */
bool ci_contains(const char *hay, const char *needle);
/* True if s holds a C0 control character other than tab/newline/CR, or DEL. */
bool has_control(const char *s, size_t n);
/* Trims ASCII whitespace in place; returns s. */
char *trim(char *s);

#endif
