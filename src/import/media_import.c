/* media_import: collecting an export's media, bringing each file home once, and rewriting posts. */
#include "media_import.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "db_media.h"
#include "image.h"
#include "imgsize.h"
#include "log.h"
#include "media_fetch.h"
#include "media_file.h"
#include "media_variants.h"
#include "media_url.h"
#include "mime.h"
#include "text.h"
#include "xml_import.h"

#define MEDIA_FIRST_CAP 64
#define MEDIA_LOCAL_MAX (MEDIA_NAME_MAX + 8) /* "/media/NAME" */
#define MEDIA_PATH_MAX 4096
#define MEDIA_ORIG_MAX 120    /* bytes of the old file name kept for the library */
#define MEDIA_VARIANT_DEPTH 4 /* a-1x1-2x2.jpg -> a-1x1.jpg -> a.jpg: a few steps, never a deep chain */

enum item_state { ITEM_PENDING, ITEM_OK, ITEM_FAILED };

struct item {
	char *key;       /* the URL without query or fragment: what is fetched and remembered */
	long long wp_id; /* an attachment's WordPress id, else 0 */
	char *page;      /* an attachment page's old path, else NULL */
	char *title;     /* an attachment's title (a gallery's alt text), else NULL */
	enum item_state state;
	bool busy; /* being resolved: a variant's original is never itself again */
	char local[MEDIA_LOCAL_MAX];
	char reason[MEDIA_REASON_MAX];
};

struct media_import {
	struct media_opts o;
	struct media_fetcher f;
	bool fetcher_ready;
	struct db *db;
	char old_host[256];
	struct item *items;
	size_t n, cap;
	long fetched, known, mapped, failed;
	struct buf data; /* the bytes of the file in hand */
	/* the export's current item, during the collecting pass */
	char *type, *att_url, *post_id, *link, *title;
	int errors; /* items that could not be remembered (out of memory, database) */
	int depth;  /* variants being resolved, one inside the other */
};

struct media_import *media_import_new(const struct media_opts *o)
{
	struct media_import *m = calloc(1, sizeof *m);
	if (m)
		m->o = *o;
	return m;
}

static void item_clear(struct media_import *m)
{
	free(m->type);
	free(m->att_url);
	free(m->post_id);
	free(m->link);
	free(m->title);
	m->type = m->att_url = m->post_id = m->link = m->title = NULL;
}

void media_import_free(struct media_import *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->n; i++) {
		free(m->items[i].key);
		free(m->items[i].page);
		free(m->items[i].title);
	}
	free(m->items);
	item_clear(m);
	buf_free(&m->data);
	if (m->fetcher_ready)
		media_fetcher_free(&m->f);
	free(m);
}

/* Appends an item for the first n bytes of url (without its query); -1 when out of memory. */
static int add(struct media_import *m, const char *url, size_t n, long long wp_id, const char *page,
               const char *title)
{
	if (m->n == m->cap) {
		size_t ncap = m->cap ? m->cap * 2 : MEDIA_FIRST_CAP;
		struct item *it = realloc(m->items, ncap * sizeof *it);
		if (!it)
			return -1;
		m->items = it;
		m->cap = ncap;
	}
	struct item *it = &m->items[m->n];
	memset(it, 0, sizeof *it);
	it->key = strndup(url, media_url_key_len(url, n));
	it->wp_id = wp_id;
	it->page = page ? strdup(page) : NULL;
	it->title = title ? strdup(title) : NULL;
	if (!it->key || (page && !it->page) || (title && !it->title)) {
		free(it->key);
		free(it->page);
		free(it->title);
		return -1;
	}
	m->n++;
	return 0;
}

/* Every media URL on the old host in a post's HTML (src, href, srcset alike). */
static void scan_content(struct media_import *m, const char *html)
{
	char url[MEDIA_URL_MAX];
	for (const char *p = html; (p = strstr(p, "http"));) {
		size_t n = (p == html || !isalnum((unsigned char)p[-1])) ? media_url_len(p) : 0;
		if (n == 0 || n >= sizeof url) {
			p += n ? n : 4;
			continue;
		}
		memcpy(url, p, n);
		url[n] = '\0';
		if (media_url_wanted(url, m->old_host) && add(m, url, n, 0, NULL, NULL) < 0)
			m->errors++;
		p += n;
	}
}

static char *take(const char *text)
{
	const char *s = text + strspn(text, " \t\r\n");
	size_t n = strlen(s);
	while (n && strchr(" \t\r\n", s[n - 1]))
		n--;
	return strndup(s, n);
}

static void pre_end(struct xml_reader *x, const char *name, const char *text)
{
	struct media_import *m = x->user;
	if (!strcmp(name, "item")) {
		if (m->type && !strcmp(m->type, "attachment") && m->att_url && media_url_len(m->att_url)) {
			char page[1024] = "";
			if (m->link)
				url_path(m->link, page, sizeof page);
			long long id = m->post_id ? strtoll(m->post_id, NULL, 10) : 0;
			if (add(m, m->att_url, strlen(m->att_url), id > 0 ? id : 0,
			        page[0] && strcmp(page, "/") ? page : NULL, m->title) < 0)
				m->errors++;
		}
		item_clear(m);
	} else if (xml_parent_is(x, "channel")) {
		/* the old site's own host: the site's, else the blog's, else the channel's link */
		bool site = !strcmp(name, "wp:base_site_url"), blog = !strcmp(name, "wp:base_blog_url");
		if ((site || ((blog || !strcmp(name, "link")) && !m->old_host[0])) && *text) {
			char *t = take(text);
			if (t)
				mime_url_host(t, m->old_host, sizeof m->old_host);
			free(t);
		}
	} else if (xml_parent_is(x, "item")) {
		char **slot = !strcmp(name, "wp:post_type")        ? &m->type
		              : !strcmp(name, "wp:attachment_url") ? &m->att_url
		              : !strcmp(name, "wp:post_id")        ? &m->post_id
		              : !strcmp(name, "link")              ? &m->link
		              : !strcmp(name, "title")             ? &m->title
		                                                   : NULL;
		if (slot) {
			free(*slot);
			*slot = take(text);
		} else if (!strcmp(name, "content:encoded") && m->old_host[0]) {
			scan_content(m, text);
		}
	}
}

static int by_key(const void *a, const void *b)
{
	return strcmp(((const struct item *)a)->key, ((const struct item *)b)->key);
}

/* Sorts the items by key and merges each key's duplicates (an attachment's id and page kept). */
static void dedupe(struct media_import *m)
{
	if (m->n)
		qsort(m->items, m->n, sizeof *m->items, by_key);
	size_t w = 0;
	for (size_t i = 0; i < m->n; i++) {
		struct item *it = &m->items[i];
		if (w > 0 && strcmp(m->items[w - 1].key, it->key) == 0) {
			struct item *keep = &m->items[w - 1];
			if (!keep->wp_id)
				keep->wp_id = it->wp_id;
			if (!keep->page) {
				keep->page = it->page;
				it->page = NULL;
			}
			if (!keep->title) {
				keep->title = it->title;
				it->title = NULL;
			}
			free(it->key);
			free(it->page);
			free(it->title);
			continue;
		}
		m->items[w++] = *it;
	}
	m->n = w;
}

static struct item *find(struct media_import *m, const char *key)
{
	struct item k = {.key = (char *)key};
	return m->n ? bsearch(&k, m->items, m->n, sizeof *m->items, by_key) : NULL;
}

/* The bytes of key into m->data, checked to be an image, stored: 0 with name, or -1 and reason. */
struct lib_add {
	struct db *db;
	const char *name;
};

static int variant_row(void *arg, int width, int height, const char *file)
{
	struct lib_add *l = arg;
	return media_variant_add(l->db, l->name, width, height, file);
}

/* The media library's row and smaller copies of a file just brought home (a failure is logged:
 * the file still serves, and quire media resize makes the copies later). */
static void library_add(struct media_import *m, const char *key, const char *name, const struct buf *data,
                        const struct image_info *info)
{
	const char *slash = strrchr(key, '/');
	const char *base = slash ? slash + 1 : key;
	char orig[MEDIA_ORIG_MAX];
	snprintf(orig, sizeof orig, "%s", utf8_valid(base, strlen(base)) ? base : "");
	struct media_new row = {.name = name,
	                        .orig_name = orig,
	                        .mime = media_mime(info->kind),
	                        .bytes = (long long)data->len,
	                        .created_at = (long long)time(NULL),
	                        .width = info->width,
	                        .height = info->height,
	                        .owned = true};
	struct lib_add l = {m->db, name};
	if (media_add(m->db, &row) < 0) {
		log_msg("import: media: %s: library: sqlite: %s", name, db_errmsg(m->db));
		m->errors++;
	} else if (media_variants_make(m->o.media_dir, name, (const unsigned char *)data->p, data->len, info,
	                               NULL, variant_row, &l) < 0) {
		log_warn("import: media: %s: smaller copies not made now (quire media resize makes them)",
		         name);
	}
}

static int bring(struct media_import *m, const char *key, char name[MEDIA_NAME_MAX], char *reason, size_t rsz)
{
	int rc = m->o.mode == MEDIA_FROM_DIR
	             ? media_read_local(m->o.from_dir, key, m->f.max_bytes, &m->data, reason, rsz)
	             : media_fetch(&m->f, key, &m->data, reason, rsz);
	if (rc < 0)
		return -1;
	const char *ext = media_image_kind((const unsigned char *)m->data.p, m->data.len);
	if (!ext) {
		snprintf(reason, rsz, "not an image (PNG, JPEG, GIF or WebP)");
		return -1;
	}
	/* as an upload: EXIF location stripped when the file can be read */
	struct image_info info;
	const char *why;
	struct buf clean = BUF_INIT;
	bool cleaned = image_probe((const unsigned char *)m->data.p, m->data.len, &info, &why) == 0 &&
	               image_clean((const unsigned char *)m->data.p, m->data.len, &info, &clean) == 0;
	const struct buf *keep = cleaned ? &clean : &m->data;
	rc = media_store(m->o.media_dir, keep->p, keep->len, ext, name);
	if (rc < 0)
		snprintf(reason, rsz, "could not be stored in media_dir");
	else if (cleaned)
		library_add(m, key, name, keep, &info);
	buf_free(&clean);
	return rc;
}

/* Whether media_dir still holds the file name. */
static bool still_there(const struct media_import *m, const char *name)
{
	if (!m->o.media_dir)
		return true; /* MEDIA_KNOWN without media_dir: the record is all there is to go by */
	char path[MEDIA_PATH_MAX];
	struct stat sb;
	return snprintf(path, sizeof path, "%s/%s", m->o.media_dir, name) < (int)sizeof path &&
	       stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}

static void remember(struct media_import *m, struct item *it, const char *name)
{
	snprintf(it->local, sizeof it->local, "/media/%s", name);
	it->state = ITEM_OK;
	char path[MEDIA_PATH_MAX];
	int w, h;
	/* its pixel size, for <img width height> (sql/017_meta.sql) */
	if (m->o.media_dir && snprintf(path, sizeof path, "%s/%s", m->o.media_dir, name) < (int)sizeof path &&
	    img_size_file(path, &w, &h) == 0 && media_size_put(m->db, name, w, h) < 0) {
		log_msg("import: media: %s: size: sqlite: %s", name, db_errmsg(m->db));
		m->errors++;
	}
	if (db_media_put(m->db, it->key, name, it->wp_id, it->page) < 0) {
		log_msg("import: media: %.200s: sqlite: %s", it->key, db_errmsg(m->db));
		m->errors++;
	}
}

static void resolve(struct media_import *m, struct item *it);

/* A resized variant that could not be brought home: its original instead, when that can be. */
static bool variant(struct media_import *m, struct item *it)
{
	char orig[MEDIA_URL_MAX], name[MEDIA_NAME_MAX], why[MEDIA_REASON_MAX];
	if (m->depth >= MEDIA_VARIANT_DEPTH || !media_variant_original(it->key, orig, sizeof orig))
		return false;
	struct item *o = find(m, orig);
	if (o && !o->busy) {
		m->depth++;
		resolve(m, o);
		m->depth--;
		if (o->state != ITEM_OK)
			return false;
		remember(m, it, o->local + strlen("/media/"));
		return true;
	}
	if (o)
		return false;
	int known = db_media_name(m->db, orig, name, sizeof name);
	if (known < 0)
		return false;
	if (known == 0 || !still_there(m, name)) {
		if (bring(m, orig, name, why, sizeof why) < 0)
			return false;
		if (db_media_put(m->db, orig, name, 0, NULL) < 0)
			m->errors++;
		m->fetched++;
	}
	remember(m, it, name);
	return true;
}

static void resolve(struct media_import *m, struct item *it)
{
	if (it->state != ITEM_PENDING)
		return;
	it->busy = true;
	char name[MEDIA_NAME_MAX];
	int known = db_media_name(m->db, it->key, name, sizeof name);
	if (known == 1 && still_there(m, name)) {
		remember(m, it, name); /* adds an attachment's id and page when this import names them */
		m->known++;
	} else if (m->o.mode == MEDIA_KNOWN) {
		/* nothing is brought home: the URL stays as the export has it, unreported */
	} else if (known < 0) {
		snprintf(it->reason, sizeof it->reason, "database error");
		it->state = ITEM_FAILED;
	} else if (bring(m, it->key, name, it->reason, sizeof it->reason) == 0) {
		remember(m, it, name);
		m->fetched++;
	} else if (variant(m, it)) {
		m->mapped++;
	} else {
		it->state = ITEM_FAILED;
	}
	if (it->state == ITEM_FAILED)
		m->failed++;
	it->busy = false;
}

static void progress(const struct media_import *m, size_t done)
{
	if (!m->o.progress || !m->n)
		return;
	int fill = (int)(done * 30 / m->n);
	fprintf(stderr, "\rmedia [%.*s%.*s] %zu/%zu", fill, "##############################", 30 - fill,
	        "..............................", done, m->n);
	if (done == m->n)
		fputc('\n', stderr);
}

int media_prepare(struct media_import *m, struct db *d, const char *path, char *err, size_t errsz)
{
	struct stat sb;
	if (m->o.mode == MEDIA_KNOWN) {
		/* no file is written: media_dir, if named, is only read */
	} else if (stat(m->o.media_dir, &sb) < 0 || access(m->o.media_dir, W_OK) < 0) {
		snprintf(err, errsz, "media_dir %s: %s", m->o.media_dir, strerror(errno));
		return -1;
	} else if (!S_ISDIR(sb.st_mode)) {
		snprintf(err, errsz, "media_dir %s: not a directory", m->o.media_dir);
		return -1;
	}
	m->db = d;
	struct xml_reader x = {.end = pre_end, .user = m};
	if (xml_read_file(&x, path, err, errsz) < 0)
		return -1;
	dedupe(m);
	if (m->o.mode == MEDIA_FETCH) {
		if (media_fetcher_init(&m->f, m->old_host, m->o.timeout_ms, m->o.max_bytes) < 0) {
			snprintf(err, errsz, "libcurl: no handle");
			return -1;
		}
	} else {
		m->f.max_bytes = m->o.max_bytes ? m->o.max_bytes : (size_t)MEDIA_IMPORT_MAX;
	}
	m->fetcher_ready = m->o.mode == MEDIA_FETCH;
	for (size_t i = 0; i < m->n; i++) {
		resolve(m, &m->items[i]);
		progress(m, i + 1);
	}
	buf_free(&m->data);
	if (m->errors)
		log_msg("import: media: %d files could not be remembered (see above)", m->errors);
	return 0;
}

static const char *local_of(const char *url, size_t n, void *arg)
{
	struct media_import *m = arg;
	char key[MEDIA_URL_MAX];
	size_t k = media_url_key_len(url, n);
	if (k >= sizeof key)
		return NULL;
	memcpy(key, url, k);
	key[k] = '\0';
	struct item *it = find(m, key);
	return it && it->state == ITEM_OK ? it->local : NULL;
}

/* The attachment with WordPress id wp_id, or NULL. */
static const struct item *attachment(const struct media_import *m, long long wp_id)
{
	for (size_t i = 0; i < m->n; i++)
		if (m->items[i].wp_id == wp_id)
			return &m->items[i];
	return NULL;
}

/* Appends the images of a [gallery ids="..."] (the n bytes at s) to out: how many. */
static int gallery_images(const struct media_import *m, const char *s, size_t n, struct buf *out)
{
	const char *ids = NULL;
	for (size_t i = 0; i + 4 <= n && !ids; i++)
		if (!memcmp(s + i, "ids=", 4) && (i == 0 || s[i - 1] == ' '))
			ids = s + i + 4;
	if (!ids)
		return 0;
	int count = 0;
	for (const char *p = ids; p < s + n && *p != ']' && *p != ' ' && *p != '\\';) {
		if (!isdigit((unsigned char)*p)) {
			p++;
			continue;
		}
		long long id = strtoll(p, NULL, 10);
		while (p < s + n && isdigit((unsigned char)*p))
			p++;
		const struct item *it = attachment(m, id);
		if (!it)
			continue;
		bool home = it->state == ITEM_OK; /* else a link to where it was, as failures stay */
		buf_adds(out, home ? "\n\n![" : "\n\n[");
		for (const char *t = it->title ? it->title : ""; *t; t++) {
			if (strchr("[]\\*_`<>", *t))
				buf_addc(out, '\\');
			buf_addc(out, *t == '\n' ? ' ' : *t);
		}
		buf_addf(out, "](%s)", home ? it->local : it->key);
		count++;
	}
	if (count)
		buf_adds(out, "\n\n");
	return count;
}

/* md with every [gallery ids="..."] html2md kept as text turned into its images (a link for
 * each that did not come home); one that names no attachment of the export stays as it was. */
static void galleries(const struct media_import *m, const char *md, struct buf *out)
{
	for (const char *p = md;;) {
		const char *g = strstr(p, "[gallery");
		const char *end = g ? strchr(g, ']') : NULL;
		if (!end) {
			buf_adds(out, p);
			return;
		}
		const char *start = g > md && g[-1] == '\\' ? g - 1 : g;
		buf_add(out, p, (size_t)(start - p));
		size_t before = out->len;
		if (gallery_images(m, g, (size_t)(end - g), out) == 0) {
			out->len = before;
			buf_add(out, start, (size_t)(end + 1 - start));
		}
		p = end + 1;
	}
}

void media_rewrite_post(struct media_import *m, struct buf *md)
{
	struct buf out = BUF_INIT, mid = BUF_INIT;
	galleries(m, buf_cstr(md), &mid);
	media_rewrite(buf_cstr(&mid), &out, local_of, m);
	buf_free(&mid);
	if (out.oom) {
		log_msg("import: media: out of memory rewriting a post: left as it was");
		buf_free(&out);
		return;
	}
	buf_free(md);
	*md = out;
}

void media_report(const struct media_import *m, FILE *out)
{
	if (m->o.mode == MEDIA_KNOWN) {
		fprintf(out, "media: left where it is; %ld files an earlier import brought home used again\n",
		        m->known);
		return;
	}
	fprintf(
	    out,
	    "media: %ld %s, %ld already here, %ld resized copies mapped to their original, %ld failed%s\n",
	    m->fetched, m->o.mode == MEDIA_FROM_DIR ? "copied" : "fetched", m->known, m->mapped, m->failed,
	    m->failed ? " (left as links):" : "");
	for (size_t i = 0; i < m->n; i++)
		if (m->items[i].state == ITEM_FAILED)
			fprintf(out, "  %s: %s\n", m->items[i].key, m->items[i].reason);
}
