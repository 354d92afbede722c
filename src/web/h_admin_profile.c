/* h_admin_profile: every user's own page: name, email, bio, password (the current one asked
 * for; the other sessions end) and the author photo. */
#include <stdio.h>
#include <string.h>

#include "auth.h"
#include "form.h"
#include "handlers.h"
#include "log.h"
#include "media_file.h"
#include "photo.h"
#include "site.h"
#include "users.h"

#define PROFILE_EMAIL_MAX 254 /* bytes */

static void server_error(struct req *q, struct resp *r)
{
	page_error(q, r, 500, "Something went wrong on our side; it has been logged.");
}

static const char *done_notice(struct req *q)
{
	char *v = NULL;
	if (query_get(q->a, q->query, "done", 10, &v) != 1)
		return NULL;
	if (strcmp(v, "saved") == 0)
		return "Your profile was saved.";
	if (strcmp(v, "password") == 0)
		return "Your password was changed; your other sessions have ended.";
	if (strcmp(v, "photo") == 0)
		return "Your photo was saved: it shows in the author box of your posts.";
	if (strcmp(v, "nophoto") == 0)
		return "Your photo was removed: the generated picture shows instead.";
	return NULL;
}

/* The profile page; f: the details as typed (NULL: as stored); which form the error belongs to. */
static void profile_page(struct req *q, struct resp *r, int status, const struct field_val *f,
                         const char *error, const char *error_of)
{
	struct user_info u;
	int found = user_get(&q->w->db, q->a, q->session->user_id, &u);
	if (found <= 0)
		return server_error(q, r);
	struct tobj *ctx = page_ctx(q, "Your profile");
	tset_str(ctx, "name", f ? f[0].s : u.name);
	tset_str(ctx, "email", f ? f[1].s : u.email);
	tset_str(ctx, "bio", f ? f[2].s : u.bio);
	tset_str(ctx, "role", u.role);
	tset_str(ctx, "slug", u.slug);
	tset_str(ctx, "photo_url", *u.photo ? arena_printf(q->a, "/media/%s", u.photo) : NULL);
	tset_int(ctx, "photo_size", PHOTO_SIZE);
	tset_int(ctx, "password_min", PASSWORD_MIN);
	tset_str(ctx, "notice", done_notice(q));
	tset_str(ctx, "error_details", error_of && !strcmp(error_of, "details") ? error : NULL);
	tset_str(ctx, "error_password", error_of && !strcmp(error_of, "password") ? error : NULL);
	tset_str(ctx, "error_photo", error_of && !strcmp(error_of, "photo") ? error : NULL);
	r->status = status;
	page_render(q, r, "admin_profile", ctx);
}

void h_admin_profile(struct req *q, struct resp *r)
{
	profile_page(q, r, 200, NULL, NULL, NULL);
}

void h_admin_profile_save(struct req *q, struct resp *r)
{
	static const struct field_spec fields[] = {
	    {"name", FIELD_LINE, USER_NAME_MAX, FIELD_REQUIRED},
	    {"email", FIELD_EMAIL, PROFILE_EMAIL_MAX, FIELD_REQUIRED},
	    {"bio", FIELD_TEXT, USER_BIO_MAX, 0},
	};
	struct field_val v[3];
	int bad = form_read(q->form, fields, 3, v);
	if (bad >= 0)
		return profile_page(q, r, 422, v,
		                    bad == 0   ? "Your name must be 1 to 100 characters."
		                    : bad == 1 ? "That is not an email address."
		                               : "The bio is too long or holds control characters.",
		                    "details");
	char err[200];
	if (user_update(&q->w->db, q->session->user_id, v[0].s, v[1].s, v[2].s, err, sizeof err) < 0) {
		if (strncmp(err, "sqlite", 6) == 0)
			return server_error(q, r);
		return profile_page(q, r, 422, v, arena_printf(q->a, "Not saved: %s.", err), "details");
	}
	log_audit("audit: user=%lld action=profile name=%s email=%s", (long long)q->session->user_id, v[0].s,
	          v[1].s);
	resp_redirect(r, 303, "/admin/profile?done=saved");
}

void h_admin_profile_password(struct req *q, struct resp *r)
{
	static const struct field_spec fields[] = {
	    {"current", FIELD_TEXT, PASSWORD_MAX, 0},
	    {"password", FIELD_TEXT, PASSWORD_MAX, 0},
	    {"password2", FIELD_TEXT, PASSWORD_MAX, 0},
	};
	struct field_val v[3];
	form_read(q->form, fields, 3, v);
	struct db *db = &q->w->db;
	sqlite3_int64 me = q->session->user_id;
	int ok = v[0].err == FIELD_GOOD ? user_password_ok(db, me, v[0].s) : 0;
	if (ok < 0)
		return server_error(q, r);
	if (!ok) {
		log_audit("audit: user=%lld action=password-change-refused ip=%s", (long long)me,
		          q->remote_addr);
		return profile_page(q, r, 422, NULL,
		                    "Your current password is not that one: nothing was changed.",
		                    "password");
	}
	if (v[1].err != FIELD_GOOD || strcmp(v[1].s, v[2].s) != 0)
		return profile_page(q, r, 422, NULL, "The two new passwords differ: type the same one twice.",
		                    "password");
	char err[200], hash[PASSWORD_HASH_SIZE];
	/* argon2 takes a while: hashed before the write lock is taken */
	if (user_hash_password(v[1].s, hash, err, sizeof err) < 0)
		return profile_page(q, r, 422, NULL,
		                    arena_printf(q->a, "The password was not changed: %s.", err), "password");
	if (db_begin(db) < 0)
		return server_error(q, r);
	/* this browser stays logged in; every other session of the account ends */
	if (user_set_hash(db, me, hash, err, sizeof err) < 0 ||
	    sessions_end(db, me, cookie_get(q->a, q->cookie, SESSION_COOKIE)) < 0 || db_commit(db) < 0) {
		db_rollback(db);
		return server_error(q, r);
	}
	log_audit("audit: user=%lld action=password-change ip=%s", (long long)me, q->remote_addr);
	resp_redirect(r, 303, "/admin/profile?done=password");
}

/* The photo a user replaced or removed: quire wrote it (a random name) and nothing else names it. */
static void forget_photo(struct req *q, const char *old)
{
	if (*old && media_name_ours(old) && user_photo_named(&q->w->db, old) == 0)
		media_unlink(q->w->site->cfg.media_dir, old);
}

void h_admin_profile_photo(struct req *q, struct resp *r)
{
	sqlite3_int64 me = q->session->user_id;
	char old[MEDIA_NAME_MAX];
	if (form_get(q->form, "remove")) {
		if (user_set_photo(&q->w->db, me, "", q->now, old, sizeof old) < 0)
			return server_error(q, r);
		log_audit("audit: user=%lld action=photo-remove media=%s", (long long)me, old);
		forget_photo(q, old);
		return resp_redirect(r, 303, "/admin/profile?done=nophoto");
	}
	const struct form_field *img = form_file(q->form, "photo");
	if (!img || img->len == 0)
		return profile_page(q, r, 422, NULL, "Choose an image file to upload.", "photo");
	struct buf out = BUF_INIT;
	const char *ext = NULL;
	char err[200], name[MEDIA_NAME_MAX];
	if (photo_square((const unsigned char *)img->value, img->len, PHOTO_SIZE, &out, &ext, err,
	                 sizeof err) < 0) {
		buf_free(&out);
		return profile_page(q, r, 422, NULL, arena_printf(q->a, "The photo was not saved: %s.", err),
		                    "photo");
	}
	int stored = media_store(q->w->site->cfg.media_dir, out.p, out.len, ext, name);
	buf_free(&out);
	if (stored < 0)
		return page_error(q, r, 500, "The photo could not be stored; it has been logged.");
	if (user_set_photo(&q->w->db, me, name, q->now, old, sizeof old) < 0)
		return server_error(q, r);
	log_audit("audit: user=%lld action=photo media=%s old=%s bytes=%zu", (long long)me, name, old,
	          img->len);
	forget_photo(q, old);
	resp_redirect(r, 303, "/admin/profile?done=photo");
}
