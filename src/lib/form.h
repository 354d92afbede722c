/* form: request bodies (urlencoded and multipart/form-data) parsed into named fields,
 * and the validators handlers use on them. */
#ifndef QUIRE_FORM_H
#define QUIRE_FORM_H
#include <stdbool.h>
#include <stddef.h>

#include "arena.h"

#define FORM_MAX_FIELDS 64
#define FORM_BODY_MAX (256 * 1024)         /* a form without files */
#define UPLOAD_BODY_MAX (12 * 1024 * 1024) /* a form with one image: nginx allows 12m */

struct form_field {
	const char *name;
	const char *value; /* NUL-terminated; files may hold NULs, see len */
	size_t len;
	const char *filename; /* NULL unless a file part */
	const char *ctype;
	bool bad_utf8; /* the value held invalid UTF-8, replaced by U+FFFD */
};

struct form {
	struct form_field f[FORM_MAX_FIELDS];
	int n;
};

/* Parses body by content type. A text value with invalid UTF-8 is kept with U+FFFD in place
 * of the bad bytes and flagged, so the form can come back with a message. Returns 0, or -1
 * when the body is malformed (bad escape, bad multipart framing, too many fields, bad names). */
int form_parse(struct form *f, struct arena *a, const char *ctype, char *body, size_t len);
/* The value of the first field called name, or NULL. */
const char *form_get(const struct form *f, const char *name);
const struct form_field *form_file(const struct form *f, const char *name);
/* True when the text field name arrived with invalid UTF-8. */
bool form_bad_utf8(const struct form *f, const char *name);
/* A text value of at most max characters, with no control characters other than
 * newline/tab (and none at all when single_line). NULL value counts as "". */
bool field_ok(const char *v, size_t max, bool single_line);

/* A form described as a table, read in one call into typed, bounded values (kcgi's kvalid way):
 *   static const struct field_spec fields[] = {
 *       {"email", FIELD_EMAIL, EMAIL_MAX, FIELD_REQUIRED},
 *       {"notify", FIELD_BOOL, 0, 0},
 *   };
 *   struct field_val v[2];
 *   form_read(q->form, fields, 2, v);  -> v[0].s is the trimmed address, v[0].err says why not
 */
enum field_kind {
	FIELD_LINE,  /* one line of text, trimmed; max in characters */
	FIELD_TEXT,  /* text with newlines and tabs, kept as typed; max in characters */
	FIELD_EMAIL, /* an email address, trimmed; max in bytes */
	FIELD_URL,   /* empty or an http(s) address (url_web_ok), trimmed; max in characters */
	FIELD_ID,    /* a positive integer id, as typed (0 when absent or not one: " 1" is not) */
	FIELD_BOOL,  /* present (a checkbox that is ticked) or not */
};
#define FIELD_REQUIRED 1u /* empty (after trimming) is FIELD_EMPTY */
#define FIELD_RAW 2u      /* a line or email kept untrimmed */

enum field_err {
	FIELD_GOOD,
	FIELD_EMPTY,    /* required and absent or blank */
	FIELD_BAD_UTF8, /* arrived with bytes that are not UTF-8 (replaced by U+FFFD in s) */
	FIELD_TOO_LONG, /* more than max */
	FIELD_BAD,      /* control characters, a line break in a line, or not an address/URL/id */
};

struct field_spec {
	const char *name;
	enum field_kind kind;
	size_t max;
	unsigned flags;
};

struct field_val {
	const char *s; /* the text ("" when absent), trimmed unless FIELD_TEXT, FIELD_ID or FIELD_RAW */
	long long id;  /* FIELD_ID: the id, or 0 */
	bool on;       /* FIELD_BOOL: present; others: present and not blank */
	enum field_err err;
};

/* Reads the n fields of spec from f (NULL: an empty form) into val. The index of the first
 * field in error, or -1 when all are good. Values point into the form (trimmed in place). */
int form_read(const struct form *f, const struct field_spec *spec, size_t n, struct field_val *val);

#endif
