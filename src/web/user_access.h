/* user_access: what an author (users.role 'author', sql/020_users.sql) may do in the admin: their
 * own posts and the comments on them; admins may do everything. dispatch.c asks once per route. */
#ifndef QUIRE_USER_ACCESS_H
#define QUIRE_USER_ACCESS_H
#include <sqlite3.h>
#include <stdbool.h>
#include <time.h>

#include "http.h"

/* The checks the route's flags ask for (R_ADMIN_ONLY, R_OWN_POST, R_OWN_COMMENT) for the session
 * of q: false after answering 403 (or 500). */
bool access_gate(struct req *q, struct resp *r, unsigned flags);
/* Whose posts and comments an admin list shows: 0 (everyone's) for an admin, the user's own id
 * for an author. */
sqlite3_int64 access_list_owner(const struct req *q);
/* A new set-password link for user id (the older one stops working), queued in the outbox as a
 * 'password' mail, in one transaction (h_admin_forgot.c): 0, or -1. */
struct db;
int password_link_send(struct db *db, sqlite3_int64 id, time_t now);

#endif
