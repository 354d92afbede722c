/* tmpl: a small mustache-like engine compiled to a node tree at load time. */
#include "tmpl.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "text.h"

/* ---------- values ---------- */

struct tfield {
	const char *key;
	struct tval v;
	struct tfield *next;
};
struct tobj {
	struct arena *a;
	struct tfield *head;
	bool *failed; /* shared by every object of the same tree */
};
struct titem {
	struct tobj *o;
	struct titem *next;
};
struct tlist {
	struct tobj *owner;
	struct titem *head, *tail;
	size_t n;
};

struct tobj *tobj_new(struct arena *a)
{
	struct tobj *o = arena_calloc(a, 1, sizeof *o);
	if (!o)
		return NULL;
	o->a = a;
	o->failed = arena_calloc(a, 1, sizeof *o->failed);
	return o->failed ? o : NULL;
}

static struct tobj *tobj_child(struct tobj *parent)
{
	struct tobj *o = arena_calloc(parent->a, 1, sizeof *o);
	if (!o) {
		*parent->failed = true;
		return NULL;
	}
	o->a = parent->a;
	o->failed = parent->failed;
	return o;
}

static void tset(struct tobj *o, const char *key, struct tval v)
{
	if (!o)
		return;
	struct tfield *f = arena_alloc(o->a, sizeof *f);
	if (!f) {
		*o->failed = true;
		return;
	}
	f->key = key; /* keys are string literals */
	f->v = v;
	f->next = o->head;
	o->head = f;
}

void tset_strn(struct tobj *o, const char *key, const char *s, size_t n)
{
	if (!o)
		return;
	struct tval v = {.t = TV_STR};
	v.u.s = arena_strndup(o->a, s ? s : "", s ? n : 0);
	if (!v.u.s) {
		*o->failed = true;
		return;
	}
	tset(o, key, v);
}

void tset_str(struct tobj *o, const char *key, const char *s)
{
	tset_strn(o, key, s, s ? strlen(s) : 0);
}

void tset_html(struct tobj *o, const char *key, const char *html)
{
	if (!o)
		return;
	struct tval v = {.t = TV_HTML};
	v.u.s = arena_strdup(o->a, html ? html : "");
	if (!v.u.s) {
		*o->failed = true;
		return;
	}
	tset(o, key, v);
}

void tset_int(struct tobj *o, const char *key, long long i)
{
	struct tval v = {.t = TV_INT, .u.i = i};
	tset(o, key, v);
}

void tset_bool(struct tobj *o, const char *key, bool b)
{
	struct tval v = {.t = TV_BOOL, .u.b = b};
	tset(o, key, v);
}

void tset_obj(struct tobj *o, const char *key, struct tobj *child)
{
	struct tval v = {.t = child ? TV_OBJ : TV_NULL, .u.o = child};
	tset(o, key, v);
}

struct tlist *tset_list(struct tobj *o, const char *key)
{
	if (!o)
		return NULL;
	struct tlist *l = arena_calloc(o->a, 1, sizeof *l);
	if (!l) {
		*o->failed = true;
		return NULL;
	}
	l->owner = o;
	struct tval v = {.t = TV_LIST, .u.l = l};
	tset(o, key, v);
	return l;
}

struct tobj *tlist_add(struct tlist *l)
{
	if (!l)
		return NULL;
	struct tobj *o = tobj_child(l->owner);
	struct titem *it = o ? arena_calloc(l->owner->a, 1, sizeof *it) : NULL;
	if (!it) {
		*l->owner->failed = true;
		return NULL;
	}
	it->o = o;
	if (l->tail)
		l->tail->next = it;
	else
		l->head = it;
	l->tail = it;
	l->n++;
	return o;
}

size_t tlist_len(const struct tlist *l)
{
	return l ? l->n : 0;
}

struct arena *tobj_arena(struct tobj *o)
{
	return o->a;
}

bool tobj_failed(const struct tobj *o)
{
	return !o || *o->failed;
}

/* ---------- templates ---------- */

enum ntype { N_TEXT, N_VAR, N_JSON, N_SECTION, N_INVERTED, N_PARTIAL };
struct tnode {
	enum ntype t;
	char *s; /* text, or the name */
	size_t n;
	int line;
	struct tnode *child, *next;
	const struct tmpl *partial;
};
struct tmpl {
	char *name, *file;
	struct tnode *root;
};
struct tmpl_set {
	struct tmpl t[TMPL_MAX_COUNT];
	int n;
};

struct tmpl_set *tmpl_set_new(void)
{
	return calloc(1, sizeof(struct tmpl_set));
}

static void free_nodes(struct tnode *n)
{
	while (n) {
		struct tnode *next = n->next;
		free_nodes(n->child);
		free(n->s);
		free(n);
		n = next;
	}
}

void tmpl_set_free(struct tmpl_set *set)
{
	if (!set)
		return;
	for (int i = 0; i < set->n; i++) {
		free_nodes(set->t[i].root);
		free(set->t[i].name);
		free(set->t[i].file);
	}
	free(set);
}

static const struct tmpl *find(const struct tmpl_set *set, const char *name)
{
	for (int i = 0; i < set->n; i++)
		if (strcmp(set->t[i].name, name) == 0)
			return &set->t[i];
	return NULL;
}

bool tmpl_has(const struct tmpl_set *set, const char *name)
{
	return find(set, name) != NULL;
}

static struct tnode *node_new(enum ntype t, const char *s, size_t n, int line)
{
	struct tnode *nd = calloc(1, sizeof *nd);
	if (!nd)
		return NULL;
	nd->s = malloc(n + 1);
	if (!nd->s) {
		free(nd);
		return NULL;
	}
	memcpy(nd->s, s, n);
	nd->s[n] = '\0';
	nd->t = t;
	nd->n = n;
	nd->line = line;
	return nd;
}

static bool valid_name(const char *s, size_t n)
{
	if (n == 0 || n > 64)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '.'))
			return false;
	}
	return true;
}

static int count_lines(const char *from, const char *to)
{
	int k = 0;
	for (const char *p = from; p < to; p++)
		k += *p == '\n';
	return k;
}

/* Parses text into a node list. The open sections are kept on an explicit stack:
 * tails[d] is where the next node at depth d is linked. */
static int parse(const char *file, const char *text, struct tnode **root, char *err, size_t errsz)
{
	struct tnode **tails[TMPL_MAX_DEPTH + 1];
	struct tnode *open[TMPL_MAX_DEPTH + 1];
	int depth = 0, line = 1;
	*root = NULL;
	tails[0] = root;
	const char *p = text;
	while (*p) {
		const char *o = strstr(p, "{{");
		size_t textlen = o ? (size_t)(o - p) : strlen(p);
		if (textlen) {
			struct tnode *nd = node_new(N_TEXT, p, textlen, line);
			if (!nd)
				goto oom;
			*tails[depth] = nd;
			tails[depth] = &nd->next;
			line += count_lines(p, p + textlen);
		}
		if (!o)
			break;
		const char *c = strstr(o + 2, "}}");
		if (!c) {
			snprintf(err, errsz, "%s:%d: unclosed '{{'", file, line);
			return -1;
		}
		const char *in = o + 2, *end = c;
		char sigil = *in;
		if (sigil == '{') {
			snprintf(err, errsz, "%s:%d: '{{{' (raw output) is not allowed", file, line);
			return -1;
		}
		if (sigil == '!') {
			line += count_lines(o, c);
			p = c + 2;
			continue;
		}
		if (sigil == '#' || sigil == '^' || sigil == '/' || sigil == '>' || sigil == '%')
			in++;
		while (in < end && (*in == ' ' || *in == '\t'))
			in++;
		while (end > in && (end[-1] == ' ' || end[-1] == '\t'))
			end--;
		size_t nlen = (size_t)(end - in);
		if (!valid_name(in, nlen)) {
			snprintf(err, errsz, "%s:%d: bad tag name '%.*s'", file, line, (int)(c - o - 2),
			         o + 2);
			return -1;
		}
		if (sigil == '/') {
			if (depth == 0 || open[depth]->n != nlen || memcmp(open[depth]->s, in, nlen) != 0) {
				snprintf(err, errsz, "%s:%d: '{{/%.*s}}' closes nothing open", file, line,
				         (int)nlen, in);
				return -1;
			}
			depth--;
		} else {
			enum ntype t = sigil == '#'   ? N_SECTION
			               : sigil == '^' ? N_INVERTED
			               : sigil == '>' ? N_PARTIAL
			               : sigil == '%' ? N_JSON
			                              : N_VAR;
			struct tnode *nd = node_new(t, in, nlen, line);
			if (!nd)
				goto oom;
			*tails[depth] = nd;
			tails[depth] = &nd->next;
			if (t == N_SECTION || t == N_INVERTED) {
				if (depth == TMPL_MAX_DEPTH) {
					snprintf(err, errsz, "%s:%d: sections nested too deep", file, line);
					return -1;
				}
				open[++depth] = nd;
				tails[depth] = &nd->child;
			}
		}
		p = c + 2;
	}
	if (depth > 0) {
		snprintf(err, errsz, "%s:%d: unclosed section '%s'", file, open[depth]->line, open[depth]->s);
		return -1;
	}
	return 0;
oom:
	snprintf(err, errsz, "%s: out of memory", file);
	return -1;
}

int tmpl_add(struct tmpl_set *set, const char *name, const char *file, const char *text, char *err,
             size_t errsz)
{
	if (set->n == TMPL_MAX_COUNT) {
		snprintf(err, errsz, "%s: too many templates", file);
		return -1;
	}
	if (find(set, name)) {
		snprintf(err, errsz, "%s: template '%s' defined twice", file, name);
		return -1;
	}
	struct tmpl *t = &set->t[set->n];
	memset(t, 0, sizeof *t);
	if (parse(file, text, &t->root, err, errsz) < 0) {
		free_nodes(t->root);
		t->root = NULL;
		return -1;
	}
	t->name = strdup(name);
	t->file = strdup(file);
	if (!t->name || !t->file) {
		free_nodes(t->root);
		free(t->name);
		free(t->file);
		snprintf(err, errsz, "%s: out of memory", file);
		return -1;
	}
	set->n++;
	return 0;
}

static int link_nodes(struct tmpl_set *set, const struct tmpl *t, struct tnode *n, char *err, size_t errsz)
{
	for (; n; n = n->next) {
		if (n->t == N_PARTIAL) {
			n->partial = find(set, n->s);
			if (!n->partial) {
				snprintf(err, errsz, "%s:%d: no template '%s' to include", t->file, n->line,
				         n->s);
				return -1;
			}
		}
		if (link_nodes(set, t, n->child, err, errsz) < 0)
			return -1;
	}
	return 0;
}

int tmpl_link(struct tmpl_set *set, char *err, size_t errsz)
{
	for (int i = 0; i < set->n; i++)
		if (link_nodes(set, &set->t[i], set->t[i].root, err, errsz) < 0)
			return -1;
	return 0;
}

static char *read_file(const char *path, char *err, size_t errsz)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		return NULL;
	}
	struct buf b = BUF_INIT;
	char chunk[8192];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0 && b.len <= TMPL_MAX_FILE)
		buf_add(&b, chunk, n);
	bool bad = ferror(f) || b.oom || b.len > TMPL_MAX_FILE;
	fclose(f);
	if (bad || !utf8_valid(buf_cstr(&b), b.len)) {
		snprintf(err, errsz, "%s: unreadable, too large or not UTF-8", path);
		buf_free(&b);
		return NULL;
	}
	return buf_detach(&b);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int tmpl_load_dir(struct tmpl_set *set, const char *dir, char *err, size_t errsz)
{
	DIR *d = opendir(dir);
	if (!d) {
		snprintf(err, errsz, "%s: %s", dir, strerror(errno));
		return -1;
	}
	char *names[TMPL_MAX_COUNT];
	int count = 0, rc = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		const char *dot = strrchr(e->d_name, '.');
		if (e->d_name[0] == '.' || !dot ||
		    (strcmp(dot, ".html") && strcmp(dot, ".xml") && strcmp(dot, ".txt")))
			continue;
		if (count == TMPL_MAX_COUNT) {
			snprintf(err, errsz, "%s: too many templates", dir);
			rc = -1;
			break;
		}
		names[count] = strdup(e->d_name);
		if (!names[count]) {
			rc = -1;
			break;
		}
		count++;
	}
	closedir(d);
	qsort(names, (size_t)count, sizeof names[0], by_name);
	for (int i = 0; i < count && rc == 0; i++) {
		char path[4096], name[256];
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		snprintf(name, sizeof name, "%.*s", (int)(strrchr(names[i], '.') - names[i]), names[i]);
		char *text = read_file(path, err, errsz);
		if (!text || tmpl_add(set, name, path, text, err, errsz) < 0)
			rc = -1;
		free(text);
	}
	for (int i = 0; i < count; i++)
		free(names[i]);
	if (rc == 0)
		rc = tmpl_link(set, err, errsz);
	return rc;
}

/* ---------- rendering ---------- */

/* The length of the well-formed UTF-8 sequence at s (at most n bytes), or 0 when it is not one. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	size_t k = s[0] < 0x80             ? 1
	           : (s[0] & 0xE0) == 0xC0 ? 2
	           : (s[0] & 0xF0) == 0xE0 ? 3
	           : (s[0] & 0xF8) == 0xF0 ? 4
	                                   : 0;
	return k && k <= n && utf8_valid((const char *)s, k) ? k : 0;
}

void tmpl_esc_json(struct buf *out, const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	buf_addc(out, '"');
	for (size_t i = 0; i < n;) {
		unsigned char c = s[i];
		size_t k = utf8_seq(s + i, n - i);
		if (!k) {
			buf_adds(out, "\\ufffd"); /* a byte that is not UTF-8 */
			i++;
			continue;
		}
		if (k == 3 && c == 0xE2 && s[i + 1] == 0x80 && (s[i + 2] == 0xA8 || s[i + 2] == 0xA9)) {
			buf_adds(out, s[i + 2] == 0xA8 ? "\\u2028" : "\\u2029"); /* line ends to JavaScript */
		} else if (k > 1) {
			buf_add(out, str + i, k);
		} else if (c == '"' || c == '\\') {
			buf_addc(out, '\\');
			buf_addc(out, (char)c);
		} else if (c == '\n') {
			buf_adds(out, "\\n");
		} else if (c == '\r') {
			buf_adds(out, "\\r");
		} else if (c == '\t') {
			buf_adds(out, "\\t");
		} else if (c < 0x20 || c == 0x7F || c == '<' || c == '>' || c == '&' || c == '\'') {
			/* < > & ' as \u escapes: no </script>, <!-- or entity inside a script element */
			buf_addf(out, "\\u%04x", c);
		} else {
			buf_addc(out, (char)c);
		}
		i += k;
	}
	buf_addc(out, '"');
}

static bool strict; /* tests: a {{variable}} nobody set fails the render */

void tmpl_strict(bool on)
{
	strict = on;
}

struct rstate {
	struct tobj *stack[TMPL_MAX_DEPTH * 2 + 1];
	int top;
	const char *file; /* the template being rendered, for messages */
	bool missing;     /* strict mode met a variable with no value */
	int depth;        /* include depth, against include loops */
	bool text;        /* plain text output (mail): nothing is escaped */
	struct buf *out;
};

static const struct tval *lookup_in(const struct tobj *o, const char *key, size_t n)
{
	for (const struct tfield *f = o ? o->head : NULL; f; f = f->next)
		if (strncmp(f->key, key, n) == 0 && f->key[n] == '\0')
			return &f->v;
	return NULL;
}

const char *tget_str(const struct tobj *o, const char *key)
{
	const struct tval *v = lookup_in(o, key, strlen(key));
	return v && (v->t == TV_STR || v->t == TV_HTML) ? v->u.s : NULL;
}

long long tget_int(const struct tobj *o, const char *key, long long dflt)
{
	const struct tval *v = lookup_in(o, key, strlen(key));
	return v && v->t == TV_INT ? v->u.i : dflt;
}

static const struct tval *lookup(const struct rstate *rs, const char *name)
{
	static const struct tval null = {.t = TV_NULL};
	const char *dot = strchr(name, '.');
	size_t n = dot ? (size_t)(dot - name) : strlen(name);
	const struct tval *v = NULL;
	for (int i = rs->top; i >= 0 && !v; i--)
		v = lookup_in(rs->stack[i], name, n);
	while (v && dot) {
		if (v->t != TV_OBJ)
			return &null;
		name = dot + 1;
		dot = strchr(name, '.');
		n = dot ? (size_t)(dot - name) : strlen(name);
		v = lookup_in(v->u.o, name, n);
	}
	return v ? v : &null;
}

static bool truthy(const struct tval *v)
{
	switch (v->t) {
	case TV_STR:
	case TV_HTML:
		return v->u.s[0] != '\0';
	case TV_INT:
		return v->u.i != 0;
	case TV_BOOL:
		return v->u.b;
	case TV_LIST:
		return v->u.l->n > 0;
	case TV_OBJ:
		return true;
	default:
		return false;
	}
}

static void render_nodes(struct rstate *rs, const struct tnode *n);

static void push_render(struct rstate *rs, struct tobj *o, const struct tnode *body)
{
	if (rs->top + 1 >= (int)(sizeof rs->stack / sizeof rs->stack[0]))
		return;
	rs->stack[++rs->top] = o;
	render_nodes(rs, body);
	rs->top--;
}

static void render_nodes(struct rstate *rs, const struct tnode *n)
{
	for (; n; n = n->next) {
		const struct tval *v;
		switch (n->t) {
		case N_TEXT:
			buf_add(rs->out, n->s, n->n);
			break;
		case N_VAR:
			v = lookup(rs, n->s);
			if (v->t == TV_NULL && strict) {
				log_msg("tmpl: %s:%d: {{%s}} has no value", rs->file, n->line, n->s);
				rs->missing = true;
			}
			if (v->t == TV_STR && rs->text)
				buf_adds(rs->out, v->u.s);
			else if (v->t == TV_STR)
				esc_html(rs->out, v->u.s, strlen(v->u.s));
			else if (v->t == TV_HTML)
				buf_adds(rs->out, v->u.s);
			else if (v->t == TV_INT)
				buf_addf(rs->out, "%lld", v->u.i);
			break;
		case N_JSON:
			/* a JSON value: a string quoted and escaped, a number, true/false, or null */
			v = lookup(rs, n->s);
			if (v->t == TV_NULL && strict) {
				log_msg("tmpl: %s:%d: {{%%%s}} has no value", rs->file, n->line, n->s);
				rs->missing = true;
			}
			if (v->t == TV_STR || v->t == TV_HTML)
				tmpl_esc_json(rs->out, v->u.s, strlen(v->u.s));
			else if (v->t == TV_INT)
				buf_addf(rs->out, "%lld", v->u.i);
			else if (v->t == TV_BOOL)
				buf_adds(rs->out, v->u.b ? "true" : "false");
			else
				buf_adds(rs->out, "null");
			break;
		case N_SECTION:
			v = lookup(rs, n->s);
			if (v->t == TV_LIST) {
				for (const struct titem *it = v->u.l->head; it; it = it->next)
					push_render(rs, it->o, n->child);
			} else if (v->t == TV_OBJ) {
				push_render(rs, v->u.o, n->child);
			} else if (truthy(v)) {
				render_nodes(rs, n->child);
			}
			break;
		case N_INVERTED:
			if (!truthy(lookup(rs, n->s)))
				render_nodes(rs, n->child);
			break;
		case N_PARTIAL:
			if (n->partial && rs->depth < TMPL_MAX_DEPTH) {
				const char *file = rs->file;
				rs->depth++;
				rs->file = n->partial->file;
				render_nodes(rs, n->partial->root);
				rs->file = file;
				rs->depth--;
			}
			break;
		}
	}
}

static int render(const struct tmpl_set *set, const char *name, struct tobj *ctx, struct buf *out, bool text)
{
	const struct tmpl *t = find(set, name);
	if (!t)
		return -1;
	struct rstate rs = {.top = 0, .depth = 0, .out = out, .text = text, .file = t->file};
	rs.stack[0] = ctx;
	render_nodes(&rs, t->root);
	return out->oom || rs.missing ? -1 : 0;
}

int tmpl_render(const struct tmpl_set *set, const char *name, struct tobj *ctx, struct buf *out)
{
	return render(set, name, ctx, out, false);
}

int tmpl_render_text(const struct tmpl_set *set, const char *name, struct tobj *ctx, struct buf *out)
{
	return render(set, name, ctx, out, true);
}
