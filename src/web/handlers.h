/* handlers: one function per page; the route table in route.c names them. */
#ifndef QUIRE_HANDLERS_H
#define QUIRE_HANDLERS_H
#include "http.h"

/* h_read.c */
void h_home(struct req *q, struct resp *r);
void h_home_page(struct req *q, struct resp *r);
void h_article(struct req *q, struct resp *r);
void h_tag(struct req *q, struct resp *r);
void h_tags(struct req *q, struct resp *r);
void h_author(struct req *q, struct resp *r);
/* lookup routes (src/web/lookup.c): a static page, a date archive */
void h_page(struct req *q, struct resp *r);
void h_archive(struct req *q, struct resp *r);
/* h_feed.c */
void h_feed(struct req *q, struct resp *r);
void h_sitemap(struct req *q, struct resp *r);
void h_robots(struct req *q, struct resp *r);
void h_healthz(struct req *q, struct resp *r);

/* h_search.c */
void h_search(struct req *q, struct resp *r);
/* h_comment.c */
void h_comment_post(struct req *q, struct resp *r);
void h_comments_feed(struct req *q, struct resp *r);
void h_post_comments_feed(struct req *q, struct resp *r);
/* h_admin_comments.c */
void h_admin_comments(struct req *q, struct resp *r);
void h_admin_comments_bulk(struct req *q, struct resp *r);
void h_admin_comment_action(struct req *q, struct resp *r);
void h_admin_comment_reply(struct req *q, struct resp *r);
void h_admin_comment_edit_form(struct req *q, struct resp *r);
void h_admin_comment_edit(struct req *q, struct resp *r);
/* h_subscribe.c */
void h_subscribe(struct req *q, struct resp *r);
void h_subscribe_form(struct req *q, struct resp *r);
void h_subscribe_confirm_form(struct req *q, struct resp *r);
void h_subscribe_confirm(struct req *q, struct resp *r);
void h_unsubscribe_form(struct req *q, struct resp *r);
void h_unsubscribe(struct req *q, struct resp *r);
/* h_admin_subscribers.c */
void h_admin_subscribers(struct req *q, struct resp *r);
void h_admin_subscribers_csv(struct req *q, struct resp *r);
void h_admin_subscriber_delete(struct req *q, struct resp *r);
void h_admin_outbox_retry(struct req *q, struct resp *r);
/* h_admin_settings.c */
void h_admin_settings(struct req *q, struct resp *r);
void h_admin_settings_save(struct req *q, struct resp *r);
/* h_admin_stats.c */
void h_admin_stats(struct req *q, struct resp *r);
/* The SVG chart of n days (oldest first) into b: views as bars, visitors as a line. */
struct stats_day;
void admin_stats_chart(struct buf *b, const struct stats_day *d, int n);
/* h_admin.c */
void h_admin_login_form(struct req *q, struct resp *r);
void h_admin_login(struct req *q, struct resp *r);
void h_admin_logout(struct req *q, struct resp *r);
void h_admin_slash(struct req *q, struct resp *r);
void h_admin_dashboard(struct req *q, struct resp *r);
/* h_admin_posts.c */
void h_admin_posts(struct req *q, struct resp *r);
void h_admin_post_new(struct req *q, struct resp *r);
void h_admin_post_edit(struct req *q, struct resp *r);
void h_admin_post_save(struct req *q, struct resp *r);
void h_admin_post_preview(struct req *q, struct resp *r);
void h_admin_post_delete_form(struct req *q, struct resp *r);
void h_admin_post_delete(struct req *q, struct resp *r);
void h_admin_post_autosave(struct req *q, struct resp *r);
void h_admin_autosave_dismiss(struct req *q, struct resp *r);
void h_admin_post_upload(struct req *q, struct resp *r);
void h_admin_revisions(struct req *q, struct resp *r);
void h_admin_revision(struct req *q, struct resp *r);
void h_admin_revision_restore(struct req *q, struct resp *r);
/* h_admin_media.c */
void h_admin_media(struct req *q, struct resp *r);
/* h_admin_users.c */
void h_admin_users(struct req *q, struct resp *r);
void h_admin_user_add(struct req *q, struct resp *r);
void h_admin_user_action(struct req *q, struct resp *r);
void h_admin_user_delete_form(struct req *q, struct resp *r);
void h_admin_user_delete(struct req *q, struct resp *r);
/* h_admin_profile.c */
void h_admin_profile(struct req *q, struct resp *r);
void h_admin_profile_save(struct req *q, struct resp *r);
void h_admin_profile_password(struct req *q, struct resp *r);
void h_admin_profile_photo(struct req *q, struct resp *r);
/* h_admin_forgot.c */
void h_admin_forgot_form(struct req *q, struct resp *r);
void h_admin_forgot(struct req *q, struct resp *r);
void h_admin_reset_form(struct req *q, struct resp *r);
void h_admin_reset(struct req *q, struct resp *r);
/* h_admin_library.c */
void h_admin_library(struct req *q, struct resp *r);
void h_admin_media_alt(struct req *q, struct resp *r);
void h_admin_media_delete_form(struct req *q, struct resp *r);
void h_admin_media_delete(struct req *q, struct resp *r);

#endif
