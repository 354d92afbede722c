/* import_disqus: a Disqus export: threads are matched to posts by their URL, then every post
 * (comment) that is neither deleted nor spam is stored with its thread. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "html2md.h"
#include "import.h"
#include "log.h"
#include "text.h"
#include "timefmt.h"

struct thread_map {
	char id[128];
	sqlite3_int64 post;
};

struct dq {
	struct db *db;
	struct import_stats *st;
	struct arena a;
	struct thread_map *threads;
	size_t nthreads, cap;
	char thread_id[128], thread_link[1024];
	/* the current comment */
	char post_id[128], post_thread[128], parent[128], name[128], email[256], created[64];
	char *message;
	bool deleted, spam;
	int unmatched, failures;
};

static const char *attr(const struct xml_attr *a, int n, const char *name)
{
	for (int i = 0; i < n; i++)
		if (strcmp(a[i].name, name) == 0)
			return a[i].value;
	return "";
}

static void start(struct xml_reader *x, const char *name, const struct xml_attr *attrs, int n)
{
	struct dq *q = x->user;
	const char *id = attr(attrs, n, "dsq:id");
	if (!strcmp(name, "thread") && xml_parent_is(x, "disqus")) {
		snprintf(q->thread_id, sizeof q->thread_id, "%s", id);
		q->thread_link[0] = '\0';
	} else if (!strcmp(name, "post") && xml_parent_is(x, "disqus")) {
		snprintf(q->post_id, sizeof q->post_id, "%s", id);
		q->post_thread[0] = q->parent[0] = q->name[0] = q->email[0] = q->created[0] = '\0';
		q->message = NULL;
		q->deleted = q->spam = false;
	} else if (!strcmp(name, "thread") && xml_parent_is(x, "post")) {
		snprintf(q->post_thread, sizeof q->post_thread, "%s", id);
	} else if (!strcmp(name, "parent") && xml_parent_is(x, "post")) {
		snprintf(q->parent, sizeof q->parent, "%s", id);
	}
}

static sqlite3_int64 thread_post(struct dq *q, const char *id)
{
	for (size_t i = 0; i < q->nthreads; i++)
		if (strcmp(q->threads[i].id, id) == 0)
			return q->threads[i].post;
	return 0;
}

static void save_post(struct dq *q)
{
	sqlite3_int64 post = thread_post(q, q->post_thread);
	if (q->deleted || q->spam || !q->message) {
		q->st->comments_skipped++;
		return;
	}
	if (!post) {
		q->unmatched++;
		q->st->comments_skipped++;
		return;
	}
	struct buf body = BUF_INIT;
	html2md(q->message, strlen(q->message), &body);
	time_t t = 0;
	time_parse(q->created, &t);
	struct import_comment c = {.key = arena_printf(&q->a, "disqus:%s", q->post_id),
	                           .parent_key =
	                               q->parent[0] ? arena_printf(&q->a, "disqus:%s", q->parent) : NULL,
	                           .post_id = post,
	                           .name = q->name,
	                           .email = email_valid(q->email) ? q->email : "",
	                           .url = "",
	                           .body_md = buf_cstr(&body),
	                           .created_at = t};
	if (import_save_comment(q->db, &c, q->st) < 0) {
		log_msg("import: disqus post %s: sqlite: %s", q->post_id, db_errmsg(q->db));
		q->failures++;
	}
	buf_free(&body);
	arena_reset(&q->a);
}

static void end(struct xml_reader *x, const char *name, const char *text)
{
	struct dq *q = x->user;
	if (!strcmp(name, "link") && xml_parent_is(x, "thread")) {
		snprintf(q->thread_link, sizeof q->thread_link, "%s", trim((char *)text));
	} else if (!strcmp(name, "thread") && xml_parent_is(x, "disqus")) {
		if (q->nthreads == q->cap) {
			size_t ncap = q->cap ? q->cap * 2 : 64;
			struct thread_map *m = realloc(q->threads, ncap * sizeof *m);
			if (!m)
				return;
			q->threads = m;
			q->cap = ncap;
		}
		struct thread_map *t = &q->threads[q->nthreads++];
		snprintf(t->id, sizeof t->id, "%s", q->thread_id);
		t->post = import_find_post(q->db, q->thread_link);
	} else if (xml_parent_is(x, "author") && x->depth >= 3 && !strcmp(x->path[x->depth - 3], "post")) {
		if (!strcmp(name, "name"))
			snprintf(q->name, sizeof q->name, "%s", trim((char *)text));
		else if (!strcmp(name, "email"))
			snprintf(q->email, sizeof q->email, "%s", trim((char *)text));
	} else if (xml_parent_is(x, "post")) {
		if (!strcmp(name, "message"))
			q->message = arena_strdup(&q->a, text);
		else if (!strcmp(name, "createdAt"))
			snprintf(q->created, sizeof q->created, "%s", trim((char *)text));
		else if (!strcmp(name, "isDeleted"))
			q->deleted = strcmp(trim((char *)text), "true") == 0;
		else if (!strcmp(name, "isSpam"))
			q->spam = strcmp(trim((char *)text), "true") == 0;
	} else if (!strcmp(name, "post") && xml_parent_is(x, "disqus")) {
		save_post(q);
	}
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
	if (rc == 0 && q->unmatched)
		log_msg("import: %d comments belong to threads whose URL matches no post", q->unmatched);
	if (rc == 0 && q->failures) {
		snprintf(err, errsz, "%d comments could not be saved (see the log above)", q->failures);
		rc = -1;
	}
	arena_free(&q->a);
	free(q->threads);
	free(q);
	return rc;
}
