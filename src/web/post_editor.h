/* post_editor: the admin's post editor, shared by h_admin_posts and h_admin_media: its form read
 * as a table, its checks and messages, its template values, the preview, and the save (one
 * transaction with the announcement mail). */
#ifndef QUIRE_POST_EDITOR_H
#define QUIRE_POST_EDITOR_H
#include <sqlite3.h>
#include <stdbool.h>
#include <time.h>

#include "db_admin.h"
#include "http.h"
#include "tmpl.h"

#define POST_BODY_MAX 100000  /* characters */
#define EXCERPT_FIELD_MAX 500 /* characters */
#define TAGS_FIELD_MAX 1200   /* characters */
#define MENU_ORDER_MAX 9999   /* a page's place in the header menu: 0..MENU_ORDER_MAX */

/* A post as the editor shows and submits it: all strings, as typed. */
struct post_form {
	sqlite3_int64 id; /* 0: a new post */
	const char *title, *slug, *body, *excerpt, *tags, *date;
	const char *status; /* "draft", "scheduled" or "published" (display) */
	sqlite3_int64 published_at;
	bool comments_closed;
	bool sticky; /* pinned to the top of the home page */
	const char *author_name, *author_email, *author_bio, *author_slug;
	bool is_page;               /* a static page */
	sqlite3_int64 parent;       /* a page's parent page, 0: none */
	const char *menu_order;     /* as typed: "" not in the menu, else 0..MENU_ORDER_MAX */
	const char *featured_image; /* an address (/media/NAME or http(s)://...), "" for none */
	bool no_email;              /* "Don't email subscribers about this post" */
	bool announced;             /* published already: subscribers were mailed then, or not */
	long mails;                 /* notifications queued when it was announced */
	long long version;          /* the post's version the form was loaded from, 0: not checked */
	sqlite3_int64 author_id;    /* the author (0: none, or the session's user for a new post) */
	bool author_chosen;         /* the form chose author_id (editor_may_choose_author) */
};

/* One message per field the editor shows; NULL where the field is fine. */
struct post_errors {
	const char *title, *slug, *body, *excerpt, *tags, *date, *image, *form, *parent, *menu_order;
	const char *featured_image;
};

/* ACT_TEST: "Send a test to me": saved as it stands (a draft stays a draft), then the
 * notification is mailed to the logged-in author alone. */
enum post_action { ACT_DRAFT, ACT_PUBLISH, ACT_SCHEDULE, ACT_UNPUBLISH, ACT_PREVIEW, ACT_TEST };

/* The editor's values of a stored post (status as the admin sees it at now, the date as
 * <input type=datetime-local> takes it). */
void post_form_of(struct arena *a, const struct post_edit *e, time_t now, struct post_form *f);
/* The stored mail choice and history of f's post (f->id set); false when it cannot be read. */
bool post_form_mail(struct req *q, struct post_form *f);
/* The logged-in author's address into *to, and the seconds before another test may be sent
 * (0: now); -1 on error. */
long editor_test_wait(struct req *q, const char **to);
/* Queues the test mail of post to the logged-in author: 1 queued, 0 too soon, -1 error. */
int editor_send_test(struct req *q, sqlite3_int64 post, const char **to);
/* The session's user as the author of a new post (left empty when it cannot be read). */
void post_form_author(struct req *q, struct post_form *f);
/* Reads the submitted editor into f (over what f holds) and the action; then checks it, with
 * the resolved slug and date in out_slug / out_time. False, with e filled, when something is
 * wrong. */
bool editor_read(struct req *q, struct post_form *f, enum post_action *act, struct post_errors *e,
                 char **out_slug, time_t *out_time);
/* The editor page's title for f. */
const char *editor_title(const struct post_form *f);
/* Adds the editor's template values for f to ctx (the page's, from page_ctx: this file stays
 * below site.c), with e's messages. */
void editor_set(struct req *q, struct tobj *ctx, const struct post_form *f, const struct post_errors *e);
/* The reader's view of the post in f, for previews (when: its date, 0 for the stored one). */
struct tobj *reader_post(struct req *q, const struct post_form *f, time_t when);
#define POST_STALE (-3) /* post_form_save: the post was saved since the form was loaded */
/* Renders f's body, then writes the post and queues its announcement in one transaction; with
 * revision, keeps it as a revision too (an autosave of a draft does not). A form whose version
 * is not the stored one is refused. Returns the id, POST_GONE, POST_STALE, or -1. */
sqlite3_int64 post_form_save(struct req *q, const struct post_form *f, enum post_action act, const char *slug,
                             time_t when, bool revision);

#endif
