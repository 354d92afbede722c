/* html2md_out: the converter's state and the Markdown writer (text, emphasis, code, captions,
 * embed links), used by html2md.c (libxml2 SAX events and comments), html2md_sc.c (shortcodes)
 * and html2md_table.c (pipe tables). */
#ifndef QUIRE_HTML2MD_OUT_H
#define QUIRE_HTML2MD_OUT_H
#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

#define ATTR_MAX 2048
#define EMPH_MAX 16             /* open emphasis tracked */
#define OL_START_MAX 999999999L /* nine digits, as CommonMark */
#define LIST_NUM_DIGITS 9
#define SHORTCODE_NAME_MAX 32
#define COLSPAN_MAX 64 /* columns one table cell may span */
/* Lists and quotes deeper than this are written at this depth (flattened, never dropped): each
 * line's prefix is bounded, so the Markdown stays linear in the size of the HTML. */
#define NEST_MAX 16
#define LIST_MAX NEST_MAX /* list levels numbered and indented */

enum mark { MARK_EM, MARK_STRONG, MARK_DEL };

/* A pipe table being collected: rows of cells, each cell NUL-terminated in cells. */
struct table {
	struct buf cells; /* cell texts, each followed by '\0' */
	struct buf rows;  /* per row: the number of cells, as an int */
	int row_cells;    /* cells in the row being read */
	bool in_row;      /* a <tr> is open */
	bool in_cell;     /* a <td>/<th>/<caption> is open: its text goes to out from cell_at */
	bool caption;     /* the open cell is the table's <caption> */
	size_t cell_at;   /* where the open cell's text starts in out */
	struct buf caption_text;
	int nested; /* tables inside a cell: their cells become text */
	int span;   /* the open cell's colspan */
};

struct conv {
	struct buf *out;
	int list_depth;
	bool ordered[LIST_MAX];
	long item_no[LIST_MAX];
	int marker_len[LIST_MAX]; /* "- " or "12. ": a nested item is indented by its parents' */
	int quote;                /* blockquote depth */
	bool pre;                 /* inside <pre>: text as is */
	size_t pre_at;            /* where its opening fence is in out */
	bool at_line_start;
	bool blank;      /* a block break was just written */
	bool pending_nl; /* a hard break if text follows */
	char href[ATTR_MAX];
	bool text_only;
	/* where code, emphasis, caption text start in out: rewritten at the end */
	bool code;
	size_t code_at;
	size_t emph_at[EMPH_MAX];
	enum mark emph_kind[EMPH_MAX];
	int emph_n;
	bool caption, cap_after_a;                         /* in [caption]; its image is in a link */
	size_t cap_at;                                     /* 0 before the image */
	void (*on_shortcode)(const char *name, void *arg); /* html2md_shortcode_fn */
	void *arg;
	/* SAX state */
	struct buf pend; /* text not yet written: shortcodes need whole runs */
	int skip;        /* depth inside an element dropped with its content */
	bool skip_embed; /* skipping an iframe/video/audio: its link is written at the end */
	char embed_url[ATTR_MAX], embed_title[ATTR_MAX];
	bool skip_to_block_end; /* inside a Gutenberg embed block, up to its closing comment */
	long last_block_end;    /* where the input's last "<!-- /wp:" starts, -1 if none */
	void *parser;           /* libxml2's parser context, for the position read */
	bool table_on;          /* tbl is in use (a table is open) */
	struct table tbl;
	int sup; /* inside <sup> (1) or <sub> (-1): digits become super/subscripts */
};

void h2m_put(struct conv *c, const char *s, size_t n);
void h2m_puts(struct conv *c, const char *s);
void h2m_resync(struct conv *c);
void h2m_line_prefix(struct conv *c);
void h2m_inline_start(struct conv *c);
void h2m_block_break(struct conv *c);
void h2m_drop_quote_blank(struct conv *c);
/* Removes the lines of out that hold nothing but spaces and no-break spaces (WordPress's
 * "&nbsp;" paragraphs, kept as spacers), outside code fences, and the blank line after each. */
void h2m_drop_space_lines(struct buf *out);
void h2m_text(struct conv *c, const char *s, size_t n);
void h2m_md_url(struct conv *c, const char *u);
void h2m_cut(struct conv *c, size_t from, struct buf *t);
size_t h2m_ws_front(const char *s, size_t n);
size_t h2m_ws_back(const char *s, size_t n);
void h2m_emph_open(struct conv *c, enum mark kind);
void h2m_emph_close(struct conv *c, enum mark kind);
void h2m_code_open(struct conv *c);
void h2m_code_close(struct conv *c);
void h2m_caption_end(struct conv *c);
void h2m_embed_link(struct conv *c, const char *title, const char *url);

/* True inside a table cell: blocks become spaces there. */
static inline bool h2m_in_cell(const struct conv *c)
{
	return c->table_on && c->tbl.in_cell;
}

#endif
