/* import_disqus: a Disqus export. The whole file is read first (threads and posts may come in any
 * order), then each thread is matched to a post once, with a few indexed lookups, and each post
 * (comment) is stored after its parent, so a reply listed before its parent stays a reply. Deleted
 * threads, deleted and spam posts are skipped and counted; unmatched threads are logged by URL. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_import.h"
#include "html2md.h"
#include "import.h"
#include "log.h"
#include "text.h"
#include "timefmt.h"

#define DQ_MAP_FIRST 256 /* slots of an id index at first; doubled at half full */
#define DQ_PATH_MAX 1024 /* bytes of a thread link's path */
#define DQ_BATCH 500     /* comments per transaction: one commit each made 20,000 comments slow */

struct dq_thread {
	const char *id, *link, *ident; /* ident: the WordPress plugin's "123 http://old/?p=123" */
	bool deleted;
	sqlite3_int64 post; /* 0: no post matches */
	long lost;          /* comments that would have been kept but have no post */
};

struct dq_post {
	const char *id, *thread, *parent, *name, *email, *created, *message;
	bool deleted, spam, done;
	size_t too_big; /* bytes of a message over XML_TEXT_MAX: skipped and named, never cut */
};

/* An index from a Disqus id to a position in one of the arrays: open addressing. */
struct dq_map {
	struct dq_ent {
		const char *key;
		size_t val;
	} * e;
	size_t cap, n;
};

struct dq {
	struct db *db;
	struct import_stats *st;
	struct arena a; /* every string of the file, kept until the end */
	struct dq_thread *threads;
	size_t nthreads, tcap;
	struct dq_post *posts;
	size_t nposts, pcap;
	struct dq_map tmap, pmap;
	struct dq_thread t; /* the thread being read */
	struct dq_post p;   /* the post being read */
	int failures;
	bool oom;
};

static uint64_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL; /* FNV-1a */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static bool map_get(const struct dq_map *m, const char *key, size_t *val)
{
	if (!m->cap || !key || !*key)
		return false;
	for (size_t i = hash(key) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
		if (!m->e[i].key)
			return false;
		if (strcmp(m->e[i].key, key) == 0) {
			*val = m->e[i].val;
			return true;
		}
	}
}

/* Adds key unless present (the first of two equal ids wins); 0, or -1 out of memory. */
static int map_put(struct dq_map *m, const char *key, size_t val)
{
	if ((m->n + 1) * 2 > m->cap) {
		size_t ncap = m->cap ? m->cap * 2 : DQ_MAP_FIRST;
		struct dq_ent *e = calloc(ncap, sizeof *e);
		if (!e)
			return -1;
		for (size_t i = 0; i < m->cap; i++) {
			if (!m->e[i].key)
				continue;
			size_t j = hash(m->e[i].key) & (ncap - 1);
			while (e[j].key)
				j = (j + 1) & (ncap - 1);
			e[j] = m->e[i];
		}
		free(m->e);
		m->e = e;
		m->cap = ncap;
	}
	size_t i = hash(key) & (m->cap - 1);
	for (; m->e[i].key; i = (i + 1) & (m->cap - 1))
		if (strcmp(m->e[i].key, key) == 0)
			return 0;
	m->e[i].key = key;
	m->e[i].val = val;
	m->n++;
	return 0;
}

static const char *attr(const struct xml_attr *a, int n, const char *name)
{
	for (int i = 0; i < n; i++)
		if (strcmp(a[i].name, name) == 0)
			return a[i].value;
	return "";
}

static const char *keep(struct dq *q, const char *s)
{
	char *c = arena_strdup(&q->a, s);
	if (!c)
		q->oom = true;
	return c ? c : "";
}

static void start(struct xml_reader *x, const char *name, const struct xml_attr *attrs, int n)
{
	struct dq *q = x->user;
	const char *id = attr(attrs, n, "dsq:id");
	if (!strcmp(name, "thread") && xml_parent_is(x, "disqus")) {
		q->t = (struct dq_thread){.id = keep(q, id), .link = "", .ident = ""};
	} else if (!strcmp(name, "post") && xml_parent_is(x, "disqus")) {
		q->p =
		    (struct dq_post){.id = keep(q, id), .thread = "", .name = "", .email = "", .created = ""};
	} else if (!strcmp(name, "thread") && xml_parent_is(x, "post")) {
		q->p.thread = keep(q, id);
	} else if (!strcmp(name, "parent") && xml_parent_is(x, "post")) {
		q->p.parent = keep(q, id);
	}
}

/* Grows *arr (of *cap elements of size) to hold one more; 0, or -1 out of memory. */
static int grow(void **arr, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return 0;
	size_t ncap = *cap ? *cap * 2 : 64;
	void *p = realloc(*arr, ncap * size);
	if (!p)
		return -1;
	*arr = p;
	*cap = ncap;
	return 0;
}

static void end(struct xml_reader *x, const char *name, const char *text)
{
	struct dq *q = x->user;
	bool top_child = x->depth == 3; /* an element of a <thread> or <post> directly under <disqus> */
	if (top_child && xml_parent_is(x, "thread")) {
		if (!strcmp(name, "link"))
			q->t.link = keep(q, trim((char *)text));
		else if (!strcmp(name, "id"))
			q->t.ident = keep(q, trim((char *)text));
		else if (!strcmp(name, "isDeleted"))
			q->t.deleted = strcmp(trim((char *)text), "true") == 0;
	} else if (!strcmp(name, "thread") && xml_parent_is(x, "disqus")) {
		if (grow((void **)&q->threads, &q->tcap, q->nthreads, sizeof *q->threads) < 0 ||
		    map_put(&q->tmap, q->t.id, q->nthreads) < 0) {
			q->oom = true;
			return;
		}
		q->threads[q->nthreads++] = q->t;
	} else if (xml_parent_is(x, "author") && x->depth >= 3 && !strcmp(x->path[x->depth - 3], "post")) {
		if (!strcmp(name, "name"))
			q->p.name = keep(q, trim((char *)text));
		else if (!strcmp(name, "email"))
			q->p.email = keep(q, trim((char *)text));
	} else if (top_child && xml_parent_is(x, "post")) {
		if (!strcmp(name, "message") && xml_text_over(x))
			q->p.too_big = x->text_size;
		else if (!strcmp(name, "message"))
			q->p.message = keep(q, text);
		else if (!strcmp(name, "createdAt"))
			q->p.created = keep(q, trim((char *)text));
		else if (!strcmp(name, "isDeleted"))
			q->p.deleted = strcmp(trim((char *)text), "true") == 0;
		else if (!strcmp(name, "isSpam"))
			q->p.spam = strcmp(trim((char *)text), "true") == 0;
	} else if (!strcmp(name, "post") && xml_parent_is(x, "disqus")) {
		if (grow((void **)&q->posts, &q->pcap, q->nposts, sizeof *q->posts) < 0 ||
		    map_put(&q->pmap, q->p.id, q->nposts) < 0) {
			q->oom = true;
			return;
		}
		q->posts[q->nposts++] = q->p;
	}
}

/* The post that path (or its /amp/ page) names, as a quire path or a stored old address, with its
 * escapes in either case or decoded; 0 if none, -1 on error. */
static sqlite3_int64 by_path(struct db *d, const char *path)
{
	char variants[4][DQ_PATH_MAX];
	size_t n = strlen(path);
	snprintf(variants[0], sizeof variants[0], "%.*s",
	         (int)(n >= 4 && !strcmp(path + n - 4, "/amp") ? n - 4 : n), path);
	memcpy(variants[1], variants[0], sizeof variants[0]);
	memcpy(variants[2], variants[0], sizeof variants[0]);
	url_hex_case(variants[1], true);
	url_hex_case(variants[2], false);
	if (url_decode(variants[3], variants[0], strlen(variants[0]), false) < 0)
		variants[3][0] = '\0';
	for (int i = 0; i < 4; i++) {
		sqlite3_int64 id = 0;
		int r = variants[i][0] ? db_import_post_by_path(d, variants[i], &id) : 0;
		if (r != 0)
			return r < 0 ? -1 : id;
	}
	return 0;
}

/* The WordPress id in a link's query (?p=123); 0 if none. */
static long long wp_id_of_link(const char *link)
{
	for (const char *p = strchr(link, '?'); p; p = strchr(p + 1, '&'))
		if (!strncmp(p + 1, "p=", 2))
			return strtoll(p + 3, NULL, 10);
	return 0;
}

/* The WordPress id of the Disqus plugin's thread identifier ("123 http://old/?p=123"); 0 if none. */
static long long wp_id_of_ident(const char *ident)
{
	char *endp = NULL;
	long long id = strtoll(ident, &endp, 10);
	return endp != ident && (*endp == ' ' || *endp == '\0') && id > 0 ? id : 0;
}

/* Finds thread t's post: its link as a path, its WordPress id, or the link's last segment as a slug. */
static int match_thread(struct dq *q, struct dq_thread *t)
{
	char path[DQ_PATH_MAX];
	url_path(t->link, path, sizeof path);
	sqlite3_int64 id = *t->link ? by_path(q->db, path) : 0;
	long long wp[2] = {wp_id_of_link(t->link), wp_id_of_ident(t->ident)};
	for (int i = 0; i < 2 && id == 0; i++)
		if (wp[i] > 0 && db_import_post_by_wp_id(q->db, wp[i], &id) < 0)
			id = -1;
	if (id == 0 && *t->link)
		id = import_find_post(q->db, t->link);
	if (id < 0) {
		log_msg("import: disqus thread %s (%s): sqlite: %s", t->id, t->link, db_errmsg(q->db));
		return -1;
	}
	t->post = id;
	return 0;
}

static void save_post(struct dq *q, struct dq_post *p)
{
	size_t ti = 0;
	struct dq_thread *t = map_get(&q->tmap, p->thread, &ti) ? &q->threads[ti] : NULL;
	p->done = true;
	if (p->too_big && !p->deleted && !p->spam) {
		log_warn("import: disqus post %s: %zu bytes of text, over the limit of %d: skipped", p->id,
		         p->too_big, XML_TEXT_MAX);
		q->st->comments_skipped++;
		q->st->comments_too_big++;
		return;
	}
	if (p->deleted || (t && t->deleted) || p->spam || !p->message) {
		q->st->comments_skipped++;
		if (p->spam)
			q->st->comments_spam++;
		else if (p->deleted || (t && t->deleted))
			q->st->comments_trash++;
		return;
	}
	if (!t || !t->post) {
		if (t)
			t->lost++;
		else
			log_warn("import: disqus post %s: thread %s is not in the file, skipped", p->id,
			         p->thread);
		q->st->comments_skipped++;
		return;
	}
	struct buf body = BUF_INIT;
	html2md(p->message, strlen(p->message), &body);
	time_t when = 0;
	time_parse(p->created, &when);
	char key[160], parent[160];
	snprintf(key, sizeof key, "disqus:%s", p->id);
	snprintf(parent, sizeof parent, "disqus:%s", p->parent ? p->parent : "");
	struct import_comment c = {.key = key,
	                           .parent_key = p->parent && *p->parent ? parent : NULL,
	                           .post_id = t->post,
	                           .name = p->name,
	                           .email = email_valid(p->email) ? p->email : "",
	                           .url = "",
	                           .body_md = buf_cstr(&body),
	                           .created_at = when};
	if (body.oom || import_save_comment(q->db, &c, q->st) < 0) {
		log_msg("import: disqus post %s: %s", p->id, body.oom ? "out of memory" : db_errmsg(q->db));
		q->failures++;
	}
	buf_free(&body);
}

/* Saves post i after its ancestors not yet saved: walks up, noting each in chain (room for nposts),
 * then saves from the oldest down, so a long thread listed backwards costs one walk. The walk stops
 * after nposts steps, so a cycle of parents in a broken file cannot loop. */
static void save_with_parents(struct dq *q, size_t i, size_t *chain)
{
	size_t n = 0, up = 0;
	for (size_t j = i; n < q->nposts && !q->posts[j].done; j = up) {
		chain[n++] = j;
		if (!map_get(&q->pmap, q->posts[j].parent, &up))
			break;
	}
	while (n--)
		if (!q->posts[chain[n]].done)
			save_post(q, &q->posts[chain[n]]);
}

static int save_all(struct dq *q)
{
	for (size_t i = 0; i < q->nthreads; i++)
		if (!q->threads[i].deleted && match_thread(q, &q->threads[i]) < 0)
			q->failures++;
	size_t *chain = calloc(q->nposts ? q->nposts : 1, sizeof *chain);
	if (!chain) {
		log_msg("import: disqus: out of memory ordering %zu comments", q->nposts);
		return -1;
	}
	/* each comment is one INSERT, so a batch only groups commits; a comment that fails is counted
	 * and the rest of its batch still commits; a re-import finishes an interrupted one by key */
	for (size_t i = 0; i < q->nposts; i += DQ_BATCH) {
		struct import_stats before = *q->st;
		bool tx = db_import_batch_begin(q->db) == 0;
		if (!tx)
			log_warn("import: disqus: begin: %s (saving one by one)", db_errmsg(q->db));
		for (size_t j = i; j < q->nposts && j < i + DQ_BATCH; j++)
			save_with_parents(q, j, chain);
		if (tx && db_import_batch_commit(q->db) < 0) {
			log_msg("import: disqus: comments %zu-%zu not imported, rolled back: %s", i,
			        i + DQ_BATCH - 1, db_errmsg(q->db));
			*q->st = before; /* nothing of the batch is stored: a re-import finishes it by key */
			q->failures++;
		}
	}
	free(chain);
	long unmatched = 0, lost = 0;
	for (size_t i = 0; i < q->nthreads; i++) {
		const struct dq_thread *t = &q->threads[i];
		if (!t->lost)
			continue;
		unmatched++;
		lost += t->lost;
		log_warn("import: disqus thread %s: no post matches %s (%ld comments skipped)", t->id,
		         *t->link ? t->link : "(no link)", t->lost);
	}
	if (unmatched)
		log_warn("import: %ld comments belong to threads whose URL matches no post: %ld threads, "
		         "listed above",
		         lost, unmatched);
	return 0;
}

int import_disqus(struct db *d, const char *path, bool progress, struct import_stats *st, char *err,
                  size_t errsz)
{
	struct dq *q = calloc(1, sizeof *q);
	if (!q) {
		snprintf(err, errsz, "out of memory");
		return -1;
	}
	q->db = d;
	q->st = st;
	struct xml_reader x = {.start = start, .end = end, .user = q, .show_progress = progress};
	int rc = xml_read_file(&x, path, err, errsz);
	if (rc == 0 && q->oom) {
		snprintf(err, errsz, "%s: out of memory reading the export", path);
		rc = -1;
	}
	if (rc == 0 && save_all(q) < 0) {
		snprintf(err, errsz, "%s: out of memory saving the comments", path);
		rc = -1;
	}
	if (rc == 0 && q->failures) {
		snprintf(err, errsz, "%d comments or threads could not be saved (see the log above)",
		         q->failures);
		rc = -1;
	}
	arena_free(&q->a);
	free(q->threads);
	free(q->posts);
	free(q->tmap.e);
	free(q->pmap.e);
	free(q);
	return rc;
}
