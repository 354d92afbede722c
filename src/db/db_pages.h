/* db_pages: static pages (posts of kind 'page', sql/013_pages.sql): their addresses, the header
 * menu, the editor's parent choices, and what the WordPress import sets on them. */
#ifndef QUIRE_DB_PAGES_H
#define QUIRE_DB_PAGES_H
#include <sqlite3.h>
#include <time.h>

#include "arena.h"
#include "db.h"
#include "pagepath.h"

#define PAGE_STR_(x) #x
#define PAGE_STR(x) PAGE_STR_(x)
/* SQL: the address of page P below the root ("about/team"), NULL when a parent is not a page,
 * the chain is deeper than PAGE_DEPTH_MAX or loops. P is the alias of a posts row. */
#define PAGE_PATH_SQL(P)                                                                                     \
	"(WITH RECURSIVE ch(par, path, d) AS (SELECT " P ".parent_id, " P ".slug, 1 UNION ALL "              \
	"SELECT q.parent_id, q.slug || '/' || ch.path, ch.d + 1 FROM posts q JOIN ch ON q.id = ch.par "      \
	"AND q.kind = 'page' WHERE ch.d < " PAGE_STR(                                                        \
	    PAGE_DEPTH_MAX) ") SELECT path FROM ch WHERE par IS NULL)"

/* A page of the header menu: a published top-level page with a menu order. */
struct menu_item {
	const char *title, *slug;
};
/* The menu in order (menu_order, then title) as an arena array in *out: the number, or -1. */
long page_menu(struct db *d, time_t now, struct arena *a, struct menu_item **out);

/* The address below the root ("about/team") of the visible page with that slug into *path:
 * 1, 0 when slug is no visible page (or a post, or its chain is broken), -1 on error. */
int page_path(struct db *d, time_t now, const char *slug, struct arena *a, const char **path);

/* A page the editor offers as a parent. */
struct page_choice {
	sqlite3_int64 id;
	const char *title;
};
/* Top-level pages other than except, by title, as an arena array in *out: the number, or -1. */
long page_parent_choices(struct db *d, sqlite3_int64 except, struct arena *a, struct page_choice **out);
/* True when page id has child pages (it cannot become a post); false also on error. */
bool page_has_children(struct db *d, sqlite3_int64 id);
/* True when id is a top-level page (a parent the editor accepts); false also on error. */
bool page_is_top_level(struct db *d, sqlite3_int64 id);

/* Import: post id becomes a page with that menu order, inside the caller's transaction; a page
 * already so is left alone (a re-import changes nothing). 0 or -1. */
int db_import_page_set(struct db *d, sqlite3_int64 id, long long menu_order);
/* Import: the page imported as WordPress wp_id gets the page imported as wp_parent as its parent
 * (none when wp_parent is 0 or was not imported as a page). 0 or -1. */
int db_import_page_parent(struct db *d, long long wp_id, long long wp_parent);

#endif
