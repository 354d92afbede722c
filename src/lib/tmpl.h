/* tmpl: HTML templates with variables, sections and includes; every value is escaped
 * unless it was built as trusted HTML (tval_html: the output of cmark or of quire itself).
 *
 * Syntax: {{name}} {{a.b}}  {{#sec}}...{{/sec}}  {{^sec}}...{{/sec}}  {{>partial}}  {{! note }}
 * {{%name}} writes the value as JSON (inside <script type="application/ld+json">): a string
 * quoted, with " \\ control characters < > & ' U+2028 U+2029 as escapes, a number, true/false,
 * or null when unset; the only way a template writes JSON, so nothing is concatenated by hand.
 * A section over a list repeats per item; over an object it enters it; over a scalar it
 * renders when the scalar is true / non-empty / non-zero. {{{raw}}} is refused. */
#ifndef QUIRE_TMPL_H
#define QUIRE_TMPL_H
#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "buf.h"

#define TMPL_MAX_DEPTH 32 /* nested sections and includes */
#define TMPL_MAX_FILE (1 << 20)
#define TMPL_MAX_COUNT 64

/* --- values: built per request in an arena --- */
enum tval_type { TV_NULL, TV_STR, TV_HTML, TV_INT, TV_BOOL, TV_LIST, TV_OBJ };
struct tobj;
struct tlist;
struct tval {
	enum tval_type t;
	union {
		const char *s;
		long long i;
		bool b;
		struct tlist *l;
		struct tobj *o;
	} u;
};

struct tobj *tobj_new(struct arena *a);
/* The setters copy strings into the arena. A later set of the same key wins. */
void tset_str(struct tobj *o, const char *key, const char *s);
void tset_strn(struct tobj *o, const char *key, const char *s, size_t n);
void tset_html(struct tobj *o, const char *key, const char *html); /* trusted, unescaped */
void tset_int(struct tobj *o, const char *key, long long v);
void tset_bool(struct tobj *o, const char *key, bool v);
void tset_obj(struct tobj *o, const char *key, struct tobj *child);
struct tlist *tset_list(struct tobj *o, const char *key);
/* Appends a new empty object to the list and returns it. */
struct tobj *tlist_add(struct tlist *l);
size_t tlist_len(const struct tlist *l);
/* The string (or HTML) value of key directly in o, or NULL. */
const char *tget_str(const struct tobj *o, const char *key);
/* The integer value of key directly in o, or dflt. */
long long tget_int(const struct tobj *o, const char *key, long long dflt);
struct arena *tobj_arena(struct tobj *o);
/* Set when an allocation failed anywhere in this object's arena use. */
bool tobj_failed(const struct tobj *o);

/* --- templates --- */
struct tmpl_set;
struct tmpl_set *tmpl_set_new(void);
/* Parses text as template `name` (file is used in error messages); -1 with "file:line: why". */
int tmpl_add(struct tmpl_set *set, const char *name, const char *file, const char *text, char *err,
             size_t errsz);
/* Loads every *.html and *.xml file of dir (name = file name without extension) and
 * resolves includes; -1 with err naming file:line. */
int tmpl_load_dir(struct tmpl_set *set, const char *dir, char *err, size_t errsz);
/* Resolves {{>name}} includes; -1 with err if one names no template. */
int tmpl_link(struct tmpl_set *set, char *err, size_t errsz);
bool tmpl_has(const struct tmpl_set *set, const char *name);
/* Renders template name with ctx into out; -1 if there is no such template. */
int tmpl_render(const struct tmpl_set *set, const char *name, struct tobj *ctx, struct buf *out);
/* The same for plain text (mail bodies): values are written as they are, never escaped. */
int tmpl_render_text(const struct tmpl_set *set, const char *name, struct tobj *ctx, struct buf *out);
void tmpl_set_free(struct tmpl_set *set);
/* Writes s[0..n) as a JSON string literal, quotes included, safe inside an HTML script element
 * (bytes that are not UTF-8 become U+FFFD). */
void tmpl_esc_json(struct buf *out, const char *s, size_t n);
/* Strict rendering (the tests turn it on with QUIRE_TMPL_STRICT=1): a {{variable}} that no one
 * set is logged with file:line and the render fails, so a renamed key cannot go unnoticed. */
void tmpl_strict(bool on);

#endif
