/* editor_util: what the editor needs below post_editor: dates in the site's time zone, the
 * automatic excerpt, the image inserted at the cursor, the author and featured image choices,
 * the stored upload, and the JSON answers of its script. */
#ifndef QUIRE_EDITOR_UTIL_H
#define QUIRE_EDITOR_UTIL_H
#include <sqlite3.h>
#include <stdbool.h>
#include <time.h>

#include "http.h"
#include "tmpl.h"

#define EDITOR_DATE_LEN 16   /* YYYY-MM-DDTHH:MM, as <input type=datetime-local> sends it */
#define RECENT_IMAGES_MAX 40 /* images offered as the featured one */
#define MEDIA_SCAN_MAX 5000  /* files of media_dir looked at for them */
#define CURSOR_FIELD_MAX 12

/* Whether the logged-in user may pick another author for a post (true for now: the users
 * slice makes it depend on the role). */
bool editor_may_choose_author(struct req *q);
/* t in the site's time zone as YYYY-MM-DDTHH:MM ("" for 0), into out. */
void local_date_format(time_t t, char out[EDITOR_DATE_LEN + 1]);
/* Reads YYYY-MM-DDTHH:MM[:SS] (no zone) as a time in the site's time zone: 1 with *out set, 0
 * when s has another shape (the caller tries the old formats), -1 for an impossible date. In
 * the hour skipped when clocks go forward, the time is read with the offset before the change
 * (02:30 becomes 03:30 summer time); in the hour repeated when they go back, the first one. */
int local_date_parse(const char *s, time_t *out);
/* The zone the editor's dates are in, for the label ("Europe/Berlin", or the machine's). */
const char *editor_timezone(struct req *q);
/* The excerpt made from body (what readers get when none is typed). */
const char *excerpt_auto(struct arena *a, const char *body);
/* body with text inserted at cursor (a count of UTF-16 units in the text as a browser's
 * textarea holds it, "\r\n" counting as one; NULL, empty, bad or past the end: at the end), on a
 * line of its own: a newline added before and after it where the body has none. */
char *body_insert(struct arena *a, const char *body, const char *cursor, const char *text);
/* The editor's template values beside the post's: timezone, the automatic excerpt of body
 * (the placeholder), the recent images, the authors (author_id selected; for a new post, the
 * session's user), the version, the autosave and upload addresses of post id (0: new). */
void editor_choices_set(struct req *q, struct tobj *edit, sqlite3_int64 id, const char *body,
                        long long version, sqlite3_int64 author_id);

/* Stores the uploaded image of form field "image": its name (NAME of /media/NAME) in name, or
 * a message for the person in *why (and -1). */
int editor_store_image(struct req *q, char name[64], const char **why);

/* A JSON answer: status and the body as given. */
void json_answer(struct resp *r, int status, const char *json);
/* s as a JSON string, quotes included. */
const char *json_str(struct arena *a, const char *s);

#endif
