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

#endif
