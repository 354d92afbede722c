/* editor_util: what the editor needs below post_editor: dates in the site's time zone, the
 * automatic excerpt, the cursor insert, the image and author choices, uploads, JSON. */
#include "editor_util.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "auth.h"
#include "db_media.h"
#include "db_revisions.h"
#include "form.h"
#include "imgsize.h"
#include "log.h"
#include "markdown.h"
#include "media_file.h"
#include "media_store.h"
#include "site.h"
#include "text.h"

/* Only an admin gives a post to another author; an author's form never carries the choice. */
bool editor_may_choose_author(struct req *q)
{
	return q->session && q->session->is_admin;
}

void local_date_format(time_t t, char out[EDITOR_DATE_LEN + 1])
{
	struct tm tm;
	out[0] = '\0';
	if (t && localtime_r(&t, &tm))
		strftime(out, EDITOR_DATE_LEN + 1, "%Y-%m-%dT%H:%M", &tm);
}

static int days_in(int y, int m)
{
	static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return m == 2 && leap ? 29 : d[m - 1];
}

static bool same_wall(const struct tm *a, const struct tm *b)
{
	return a->tm_year == b->tm_year && a->tm_mon == b->tm_mon && a->tm_mday == b->tm_mday &&
	       a->tm_hour == b->tm_hour && a->tm_min == b->tm_min && a->tm_sec == b->tm_sec;
}

int local_date_parse(const char *s, time_t *out)
{
	int y, mo, d, h, mi, sec = 0, n = 0;
	size_t len = strlen(s);
	if (len != EDITOR_DATE_LEN && len != EDITOR_DATE_LEN + 3)
		return 0;
	if (len == EDITOR_DATE_LEN
	        ? sscanf(s, "%4d-%2d-%2dT%2d:%2d%n", &y, &mo, &d, &h, &mi, &n) != 5
	        : sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &sec, &n) != 6)
		return 0;
	if ((size_t)n != len || s[4] != '-' || s[7] != '-' || s[10] != 'T' ||
	    strspn(s, "0123456789-T:") != len)
		return 0;
	if (y < 1970 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > days_in(y, mo) || h > 23 || mi > 59 ||
	    sec > 59)
		return -1;
	struct tm want = {
	    .tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d, .tm_hour = h, .tm_min = mi, .tm_sec = sec};
	/* the wall time may exist twice (clocks going back): the earlier of the two */
	time_t best = (time_t)-1;
	for (int dst = 1; dst >= 0; dst--) {
		struct tm t = want, back;
		t.tm_isdst = dst;
		time_t x = mktime(&t);
		if (x != (time_t)-1 && localtime_r(&x, &back) && same_wall(&back, &want) &&
		    back.tm_isdst == dst && (best == (time_t)-1 || x < best))
			best = x;
	}
	if (best == (time_t)-1) {
		/* not a wall time here (the hour skipped): mktime moves it on by the gap */
		struct tm t = want;
		t.tm_isdst = -1;
		best = mktime(&t);
		if (best == (time_t)-1)
			return -1;
	}
	*out = best;
	return 1;
}

const char *editor_timezone(struct req *q)
{
	const char *tz = q->w->site->cfg.timezone;
	if (tz && *tz)
		return tz;
	const char *env = getenv("TZ");
	if (env && *env)
		return env[0] == ':' ? env + 1 : env;
	struct tm tm;
	time_t now = q->now;
	static const char fallback[] = "the server's local time";
	char zone[16];
	if (localtime_r(&now, &tm) && strftime(zone, sizeof zone, "%Z", &tm))
		return arena_strdup(q->a, zone);
	return fallback;
}

const char *excerpt_auto(struct arena *a, const char *body)
{
	struct buf b = BUF_INIT;
	const char *s = body ? body : "";
	const char *r = md_excerpt(s, strlen(s), &b) < 0 ? "" : arena_strdup(a, buf_cstr(&b));
	buf_free(&b);
	return r ? r : "";
}

char *body_insert(struct arena *a, const char *body, const char *cursor, const char *text)
{
	body = body ? body : "";
	size_t n = strlen(body), at = n;
	sqlite3_int64 want = cursor && *cursor && strspn(cursor, "0123456789") == strlen(cursor) &&
	                             strlen(cursor) <= CURSOR_FIELD_MAX
	                         ? id_parse(cursor)
	                         : -1;
	if (cursor && strcmp(cursor, "0") == 0)
		want = 0;
	if (want >= 0) {
		sqlite3_int64 units = 0;
		size_t i = 0;
		while (i < n && units < want) {
			unsigned char c = (unsigned char)body[i];
			if (c == '\r' && body[i + 1] == '\n') {
				i++; /* the browser counts "\r\n" as its one "\n" */
				continue;
			}
			size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
			units += len == 4 ? 2 : 1;
			i += len;
		}
		if (units == want && i <= n)
			at = i;
	}
	/* on its own line: not glued to the text before or after it */
	const char *before = at > 0 && body[at - 1] != '\n' ? "\n" : "";
	const char *after = at < n && body[at] != '\n' && body[at] != '\r' ? "\n" : "";
	return arena_printf(a, "%.*s%s%s%s%s", (int)at, body, before, text, after, body + at);
}

/* A file name quire gave an image (32 hex digits and an image extension). */
static bool media_name_ok(const char *name)
{
	size_t n = strspn(name, "0123456789abcdef");
	const char *ext = name + n;
	return n == 32 && (!strcmp(ext, ".png") || !strcmp(ext, ".jpg") || !strcmp(ext, ".gif") ||
	                   !strcmp(ext, ".webp"));
}

struct image_file {
	char name[40];
	time_t mtime;
};

static int newer_first(const void *a, const void *b)
{
	const struct image_file *x = a, *y = b;
	return x->mtime < y->mtime ? 1 : x->mtime > y->mtime ? -1 : strcmp(x->name, y->name);
}

/* The newest images of media_dir, into the list "images" of edit. */
static void recent_images(struct req *q, struct tobj *edit)
{
	struct tlist *l = tset_list(edit, "images");
	const char *dir = q->w->site->cfg.media_dir;
	DIR *dh = dir && *dir ? opendir(dir) : NULL;
	if (!dh)
		return;
	struct image_file *files = arena_alloc(q->a, MEDIA_SCAN_MAX * sizeof *files);
	size_t n = 0, seen = 0;
	struct dirent *de;
	while (files && (de = readdir(dh)) && seen++ < MEDIA_SCAN_MAX) {
		struct stat st;
		if (!media_name_ok(de->d_name) || fstatat(dirfd(dh), de->d_name, &st, 0) != 0)
			continue;
		size_t len = strlen(de->d_name); /* media_name_ok: at most 37 */
		memcpy(files[n].name, de->d_name, len + 1);
		files[n++].mtime = st.st_mtime;
	}
	closedir(dh);
	if (!n)
		return;
	qsort(files, n, sizeof *files, newer_first);
	for (size_t i = 0; i < n && i < RECENT_IMAGES_MAX; i++)
		tset_str(tlist_add(l), "url", arena_printf(q->a, "/media/%s", files[i].name));
}

static void authors(struct req *q, struct tobj *edit, sqlite3_int64 id, sqlite3_int64 author_id)
{
	bool choose = editor_may_choose_author(q);
	tset_bool(edit, "choose_author", choose);
	if (!choose)
		return;
	struct author_choice *c = NULL;
	long n = author_choices(&q->w->db, q->a, &c);
	struct tlist *l = tset_list(edit, "authors");
	sqlite3_int64 current = author_id ? author_id : id ? 0 : q->session->user_id;
	for (long i = 0; i < n; i++) {
		struct tobj *o = tlist_add(l);
		tset_int(o, "id", c[i].id);
		tset_str(o, "name", c[i].name);
		tset_bool(o, "selected", c[i].id == current);
	}
}

void editor_choices_set(struct req *q, struct tobj *edit, sqlite3_int64 id, const char *body,
                        long long version, sqlite3_int64 author_id)
{
	tset_str(edit, "timezone", editor_timezone(q));
	tset_str(edit, "excerpt_auto", excerpt_auto(q->a, body));
	tset_int(edit, "version", version);
	tset_str(edit, "autosave_url",
	         id ? arena_printf(q->a, "/admin/posts/%lld/autosave", (long long)id)
	            : "/admin/posts/new/autosave");
	tset_str(edit, "upload_url",
	         id ? arena_printf(q->a, "/admin/posts/%lld/upload", (long long)id)
	            : "/admin/posts/new/upload");
	recent_images(q, edit);
	authors(q, edit, id, author_id);
}

/* Through the media library's own path (media_store.c): the EXIF location is stripped, the
 * srcset copies are made and the image is listed in /admin/media, as from the library. */
int editor_store_image(struct req *q, char name[64], const char **why)
{
	const struct form_field *img = form_file(q->form, "image");
	*why = NULL;
	if (!img || img->len == 0) {
		*why = "Choose an image file to upload.";
		return -1;
	}
	const char *stored = NULL;
	if (media_keep(q, img->filename, (const unsigned char *)img->value, img->len, &stored, why) < 0)
		return -1;
	snprintf(name, 64, "%s", stored);
	return 0;
}

void json_answer(struct resp *r, int status, const char *json)
{
	r->status = status;
	r->ctype = "application/json; charset=utf-8";
	buf_reset(&r->body);
	buf_adds(&r->body, json);
	buf_adds(&r->body, "\n");
}

const char *json_str(struct arena *a, const char *s)
{
	struct buf b = BUF_INIT;
	tmpl_esc_json(&b, s ? s : "", s ? strlen(s) : 0);
	const char *r = arena_strdup(a, buf_cstr(&b));
	buf_free(&b);
	return r ? r : "\"\"";
}
