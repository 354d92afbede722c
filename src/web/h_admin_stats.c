/* h_admin_stats: /admin/stats: views and visitors per day as an SVG chart drawn here (no
 * script, no chart library), top posts, top referrers and sources, for 7, 30 or 365 days. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_stats.h"
#include "handlers.h"
#include "site.h"
#include "stats.h"
#include "text.h"
#include "timefmt.h"

#define CHART_W 720
#define CHART_H 240
#define CHART_PAD 36
#define TOP_N 10
#define DAYS_DEFAULT 30
#define DAYS_LISTED_MAX 31 /* a longer range has the chart but no table of days */
#define DAYS_PARAM_MAX 4   /* characters of ?days= read */

static void server_error(struct req *q, struct resp *r)
{
	page_error(q, r, 500, "Something went wrong on our side; it has been logged.");
}

/* days[0..n) (oldest first, ending today) with their totals; days without data are zero. */
static int load_days(struct req *q, struct stats_day *days, int n)
{
	for (int i = 0; i < n; i++)
		time_ymd(q->now - (time_t)(n - 1 - i) * 86400, days[i].day);
	return stats_daily(&q->w->db, days, n);
}

/* Bars for views, a line for visitors, the scale on the left, first and last day below (the
 * dashboard draws its week with it too). */
void admin_stats_chart(struct buf *b, const struct stats_day *d, int n)
{
	long max = 1;
	for (int i = 0; i < n; i++)
		if (d[i].views > max)
			max = d[i].views;
	double w = (double)(CHART_W - 2 * CHART_PAD) / n, h = CHART_H - 2 * CHART_PAD;
	buf_addf(
	    b,
	    "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" role=\"img\" "
	    "aria-labelledby=\"chart-title\"><title id=\"chart-title\">Views (bars) and visitors (line) per "
	    "day, "
	    "%s to %s</title>",
	    CHART_W, CHART_H, d[0].day, d[n - 1].day);
	buf_addf(b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" class=\"axis\"/>", CHART_PAD,
	         CHART_H - CHART_PAD, CHART_W - CHART_PAD, CHART_H - CHART_PAD);
	buf_addf(b, "<text x=\"%d\" y=\"%d\" class=\"label\" text-anchor=\"end\">%ld</text>", CHART_PAD - 4,
	         CHART_PAD + 4, max);
	buf_addf(b, "<text x=\"%d\" y=\"%d\" class=\"label\" text-anchor=\"end\">0</text>", CHART_PAD - 4,
	         CHART_H - CHART_PAD + 4);
	for (int i = 0; i < n; i++) {
		double bh = h * (double)d[i].views / (double)max;
		buf_addf(b,
		         "<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
		         "height=\"%.1f\"><title>%s: %ld views, %ld visitors</title></rect>",
		         CHART_PAD + i * w + w * 0.1, CHART_H - CHART_PAD - bh, w * 0.8, bh, d[i].day,
		         d[i].views, d[i].visitors);
	}
	buf_adds(b, "<polyline class=\"line\" fill=\"none\" points=\"");
	for (int i = 0; i < n; i++)
		buf_addf(b, "%.1f,%.1f ", CHART_PAD + i * w + w / 2,
		         CHART_H - CHART_PAD - h * (double)d[i].visitors / (double)max);
	buf_adds(b, "\"/>");
	buf_addf(b, "<text x=\"%d\" y=\"%d\" class=\"label\">%s</text>", CHART_PAD, CHART_H - 10, d[0].day);
	buf_addf(b, "<text x=\"%d\" y=\"%d\" class=\"label\" text-anchor=\"end\">%s</text></svg>",
	         CHART_W - CHART_PAD, CHART_H - 10, d[n - 1].day);
}

/* The view of a top list of kind since day: label, views and title per row. */
static int top(struct req *q, enum stats_top_kind kind, const char *since, struct tlist *list)
{
	struct stats_top rows[TOP_N];
	int n = stats_top(&q->w->db, q->a, kind, since, rows, TOP_N);
	for (int i = 0; i < n; i++) {
		struct tobj *o = tlist_add(list);
		tset_str(o, "label", rows[i].label);
		tset_int(o, "views", rows[i].views);
		tset_str(o, "title", rows[i].title);
	}
	return n < 0 ? -1 : 0;
}

/* The totals, the table of days (oldest last) and the chart. */
static void days_view(struct tobj *ctx, const struct stats_day *days, int n)
{
	long views = 0, visitors = 0;
	struct tlist *rows = tset_list(ctx, "days");
	for (int i = n - 1; i >= 0; i--) {
		views += days[i].views;
		visitors += days[i].visitors;
		if (n <= DAYS_LISTED_MAX) {
			struct tobj *o = tlist_add(rows);
			tset_str(o, "day", days[i].day);
			tset_int(o, "views", days[i].views);
			tset_int(o, "visitors", days[i].visitors);
		}
	}
	tset_int(ctx, "views", views);
	tset_int(ctx, "visitors", visitors);
	tset_int(ctx, "days_n", n);
	struct buf svg = BUF_INIT;
	admin_stats_chart(&svg, days, n);
	tset_html(ctx, "chart_svg", buf_cstr(&svg));
	buf_free(&svg);
}

void h_admin_stats(struct req *q, struct resp *r)
{
	char *v = NULL;
	int n = DAYS_DEFAULT;
	if (query_get(q->a, q->query, "days", DAYS_PARAM_MAX, &v) == 1)
		n = strcmp(v, "7") == 0 ? 7 : strcmp(v, "365") == 0 ? 365 : DAYS_DEFAULT;
	struct stats_day *days = arena_calloc(q->a, (size_t)n, sizeof *days);
	/* views still in memory are written first, so the page shows everything counted */
	if (!days || stats_flush(&q->w->db, q->w->site, true) < 0 || load_days(q, days, n) < 0)
		return server_error(q, r);
	struct tobj *ctx = page_ctx(q, "Statistics");
	days_view(ctx, days, n);
	struct tlist *ranges = tset_list(ctx, "ranges");
	static const int choices[] = {7, 30, 365};
	for (size_t i = 0; i < sizeof choices / sizeof choices[0]; i++) {
		struct tobj *o = tlist_add(ranges);
		tset_int(o, "n", choices[i]);
		tset_bool(o, "current", choices[i] == n);
	}
	const char *since = days[0].day;
	if (top(q, STATS_TOP_POSTS, since, tset_list(ctx, "top_posts")) < 0 ||
	    top(q, STATS_TOP_REFERRERS, since, tset_list(ctx, "top_referrers")) < 0 ||
	    top(q, STATS_TOP_SOURCES, since, tset_list(ctx, "top_sources")) < 0)
		return server_error(q, r);
	page_render(q, r, "admin_stats", ctx);
}
