/* editor_extra: the editor's pages around post_editor: a post loaded into the form, the
 * editor page, revisions and autosaves in and out of the form, the autosave banner. */
#ifndef QUIRE_EDITOR_EXTRA_H
#define QUIRE_EDITOR_EXTRA_H
#include <stdbool.h>

#include "db_revisions.h"
#include "editor_util.h"
#include "post_editor.h"

/* The autosave banner of a post when an autosave newer than its last save exists. */
void editor_autosave_banner(struct req *q, struct tobj *ctx, const struct post_form *f);
/* Loads post id into f for the editor (with its mail choice): 1, 0 no such post, -1 error. */
int editor_load(struct req *q, sqlite3_int64 id, struct post_form *f);
/* The editor page's context for f, with e's messages (may be NULL). */
struct tobj *editor_page(struct req *q, const struct post_form *f, const struct post_errors *e);
/* f's typed fields as a revision of its post (for an autosave). */
void editor_revision_of(struct req *q, const struct post_form *f, struct revision *r);
/* Puts a revision's fields into the form (title, body, excerpt, tags; with all, also slug, date
 * and featured image, as an autosave keeps them). */
void editor_apply_revision(struct post_form *f, const struct revision *r, bool all);

#endif
