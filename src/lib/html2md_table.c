/* html2md_table: <table> to a GFM pipe table. The first row (the <thead>'s, or the first <tr>)
 * is the header; a cell's text is one line ("|" escaped, line breaks and blocks become spaces).
 * What a pipe table cannot hold is written as well as it can be: colspan=N adds N-1 empty cells
 * so later columns stay in place; rowspan is ignored (the cell appears in its first row only);
 * a table inside a cell becomes that cell's text, its cells separated by spaces; lists,
 * paragraphs and quotes inside a cell become its text. Cell texts are never run together. */
#include <string.h>

#include "html2md_table.h"

/* A space between the texts of a nested table's cells. */
static void separate(struct conv *c)
{
	if (c->out->len && c->out->len > c->tbl.cell_at && c->out->p[c->out->len - 1] != ' ')
		h2m_puts(c, " ");
}

static void add_cell(struct table *t, const char *s, size_t n)
{
	buf_add(&t->cells, s, n);
	buf_addc(&t->cells, '\0');
	t->row_cells++;
}

static void end_cell(struct conv *c)
{
	struct table *t = &c->tbl;
	if (!t->in_cell)
		return;
	if (c->code && c->code_at >= t->cell_at)
		h2m_code_close(c);
	while (c->emph_n > 0 && c->emph_n <= EMPH_MAX && c->emph_at[c->emph_n - 1] >= t->cell_at)
		h2m_emph_close(c, c->emph_kind[c->emph_n - 1]); /* left open in the cell */
	if (c->href[0] && c->out->len > t->cell_at) {
		/* a link left open in the cell: closed there */
		h2m_puts(c, "](");
		h2m_md_url(c, c->href);
		h2m_puts(c, ")");
		c->href[0] = '\0';
	}
	struct buf s = BUF_INIT;
	h2m_cut(c, t->cell_at, &s);
	t->in_cell = false;
	c->pending_nl = false;
	const char *p = buf_cstr(&s);
	size_t a = h2m_ws_front(p, s.len);
	size_t b = a < s.len ? s.len - h2m_ws_back(p + a, s.len - a) : s.len;
	if (t->caption) {
		buf_add(&t->caption_text, p + a, b - a);
		t->caption = false;
	} else {
		add_cell(t, p + a, b - a);
		for (int i = 1; i < t->span; i++)
			add_cell(t, "", 0);
	}
	buf_free(&s);
}

static void end_row(struct table *t)
{
	if (t->in_row && t->row_cells > 0)
		buf_add(&t->rows, &t->row_cells, sizeof t->row_cells);
	t->in_row = false;
	t->row_cells = 0;
}

static void start_cell(struct conv *c, bool caption, int colspan)
{
	struct table *t = &c->tbl;
	end_cell(c);
	if (!caption && !t->in_row) {
		t->in_row = true;
		t->row_cells = 0;
	}
	t->in_cell = true;
	t->caption = caption;
	t->span = colspan;
	t->cell_at = c->out->len;
	c->at_line_start = false;
	c->pending_nl = false;
}

static void write_table(struct conv *c)
{
	struct table *t = &c->tbl;
	size_t nrows = t->rows.len / sizeof(int);
	int ncols = 0;
	for (size_t r = 0; r < nrows; r++) {
		int k;
		memcpy(&k, t->rows.p + r * sizeof k, sizeof k);
		if (k > ncols)
			ncols = k;
	}
	h2m_block_break(c);
	if (t->caption_text.len) {
		h2m_line_prefix(c);
		h2m_put(c, t->caption_text.p, t->caption_text.len);
		h2m_block_break(c);
	}
	const char *cell = t->cells.p;
	for (size_t r = 0; r < nrows; r++) {
		int k;
		memcpy(&k, t->rows.p + r * sizeof k, sizeof k);
		h2m_line_prefix(c);
		h2m_puts(c, "|");
		for (int i = 0; i < ncols; i++) {
			h2m_puts(c, " ");
			if (i < k) {
				h2m_puts(c, cell);
				cell += strlen(cell) + 1;
			}
			h2m_puts(c, " |");
		}
		h2m_puts(c, "\n");
		if (r == 0) {
			h2m_line_prefix(c);
			h2m_puts(c, "|");
			for (int i = 0; i < ncols; i++)
				h2m_puts(c, " --- |");
			h2m_puts(c, "\n");
		}
	}
	h2m_block_break(c);
}

bool h2m_table_open(struct conv *c, const char *tag, int colspan)
{
	struct table *t = &c->tbl;
	if (!strcmp(tag, "table")) {
		if (c->table_on) {
			t->nested++;
			separate(c);
			return true;
		}
		h2m_block_break(c);
		memset(t, 0, sizeof *t);
		t->cells = (struct buf)BUF_INIT;
		t->rows = (struct buf)BUF_INIT;
		t->caption_text = (struct buf)BUF_INIT;
		c->table_on = true;
		return true;
	}
	if (!c->table_on)
		return false;
	bool cell = !strcmp(tag, "td") || !strcmp(tag, "th");
	if (!cell && strcmp(tag, "tr") != 0 && strcmp(tag, "caption") != 0 && strcmp(tag, "thead") != 0 &&
	    strcmp(tag, "tbody") != 0 && strcmp(tag, "tfoot") != 0 && strcmp(tag, "colgroup") != 0 &&
	    strcmp(tag, "col") != 0)
		return false;
	if (t->nested > 0 || (t->in_cell && !cell && strcmp(tag, "tr") != 0)) {
		separate(c);
		return true;
	}
	if (!strcmp(tag, "tr")) {
		end_cell(c);
		end_row(t);
		t->in_row = true;
	} else if (cell || !strcmp(tag, "caption")) {
		start_cell(c, !cell, colspan);
	}
	return true;
}

bool h2m_table_close(struct conv *c, const char *tag)
{
	struct table *t = &c->tbl;
	if (!c->table_on)
		return false;
	if (!strcmp(tag, "table")) {
		if (t->nested > 0) {
			t->nested--;
			separate(c);
			return true;
		}
		end_cell(c);
		end_row(t);
		c->table_on = false;
		write_table(c);
		buf_free(&t->cells);
		buf_free(&t->rows);
		buf_free(&t->caption_text);
		return true;
	}
	bool cell = !strcmp(tag, "td") || !strcmp(tag, "th") || !strcmp(tag, "caption");
	if (!cell && strcmp(tag, "tr") != 0 && strcmp(tag, "thead") != 0 && strcmp(tag, "tbody") != 0 &&
	    strcmp(tag, "tfoot") != 0 && strcmp(tag, "colgroup") != 0 && strcmp(tag, "col") != 0)
		return false;
	if (t->nested > 0) {
		separate(c);
		return true;
	}
	if (cell) {
		end_cell(c);
	} else if (!strcmp(tag, "tr")) {
		end_cell(c);
		end_row(t);
	}
	return true;
}

/* A table left open at the end of the input is written as it is. */
void h2m_table_end_all(struct conv *c)
{
	if (!c->table_on)
		return;
	c->tbl.nested = 0;
	h2m_table_close(c, "table");
}
