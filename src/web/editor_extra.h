/* editor_extra: the editor's newer parts, beside post_editor: dates in the site's time zone,
 * the automatic excerpt, the author and featured image choices, the image inserted at the
 * cursor, the upload kept inside the post form, and the JSON answers of its script. */
#ifndef QUIRE_EDITOR_EXTRA_H
#define QUIRE_EDITOR_EXTRA_H
#include <stdbool.h>
#include <time.h>

#include "db_revisions.h"
#include "post_editor.h"

#define EDITOR_DATE_LEN 16   /* YYYY-MM-DDTHH:MM, as <input type=datetime-local> sends it */
#define RECENT_IMAGES_MAX 40 /* images offered as the featured one */
#define MEDIA_SCAN_MAX 5000  /* files of media_dir looked at for them */
#define UPLOAD_IMAGE_MAX (5 * 1024 * 1024)
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
 * textarea holds it, "\r\n" counting as one; NULL, empty, bad or past the end: at the end). */
char *body_insert(struct arena *a, const char *body, const char *cursor, const char *text);
/* The editor's template values that post_editor does not set: timezone, the automatic excerpt
 * as placeholder, the recent images, the authors, the version. */
void editor_extra_set(struct req *q, struct tobj *edit, const struct post_form *f);
/* The autosave banner of a post when an autosave newer than its last save exists. */
void editor_autosave_banner(struct req *q, struct tobj *ctx, const struct post_form *f);

/* Stores the uploaded image of form field "image": its name (NAME of /media/NAME) in name, or
 * a message for the person in *why (and -1). */
int editor_store_image(struct req *q, char name[64], const char **why);

/* Loads post id into f for the editor (with its mail choice): 1, 0 no such post, -1 error. */
int editor_load(struct req *q, sqlite3_int64 id, struct post_form *f);
/* The editor page's context for f, with e's messages (may be NULL). */
struct tobj *editor_page(struct req *q, const struct post_form *f, const struct post_errors *e);
/* f's typed fields as a revision of its post (for an autosave). */
void editor_revision_of(struct req *q, const struct post_form *f, struct revision *r);
/* Puts a revision's fields into the form (title, body, excerpt, tags; with all, also slug, date
 * and featured image, as an autosave keeps them). */
void editor_apply_revision(struct post_form *f, const struct revision *r, bool all);

/* A JSON answer: status and the body as given. */
void json_answer(struct resp *r, int status, const char *json);
/* s as a JSON string, quotes included. */
const char *json_str(struct arena *a, const char *s);

#endif
