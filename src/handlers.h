/* handlers: one function per page; the route table in route.c names them. */
#ifndef QUIRE_HANDLERS_H
#define QUIRE_HANDLERS_H
#include "http.h"

/* h_read.c */
void h_home(struct req *q, struct resp *r);
void h_home_page(struct req *q, struct resp *r);
void h_article(struct req *q, struct resp *r);
void h_tag(struct req *q, struct resp *r);
void h_author(struct req *q, struct resp *r);
/* h_feed.c */
void h_feed(struct req *q, struct resp *r);
void h_sitemap(struct req *q, struct resp *r);
void h_robots(struct req *q, struct resp *r);
void h_healthz(struct req *q, struct resp *r);

#endif
