/*
 * render_table.c: simple tables. The cells' text is gathered (whitespace
 * collapsed, markup flattened), then each column is as wide as its widest
 * cell; when the row passes the width every column is capped at the same
 * limit, found by bisection, and cells past it are cut with an ellipsis.
 * A row is one line, never wrapped; a header row is underlined.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "render_int.h"

#define COL_GAP 2
#define RULE "\xE2\x94\x80"

struct cell {
	char *text;
	bool header;
};

struct table_acc {
	struct cell *cells;
	size_t n_cells, cells_cap;
	size_t *rows; /* index of each row's first cell */
	size_t n_rows, rows_cap;
	struct buf cur;
	bool open, header, space;
};

struct table_acc *
table_acc_new(void)
{
	struct table_acc *t = xcalloc(1, sizeof *t);

	buf_init(&t->cur);
	return t;
}

void
table_acc_free(struct table_acc *t)
{
	if (t == NULL)
		return;
	for (size_t i = 0; i < t->n_cells; i++)
		free(t->cells[i].text);
	free(t->cells);
	free(t->rows);
	buf_free(&t->cur);
	free(t);
}

static void
close_cell(struct table_acc *t)
{
	if (!t->open)
		return;
	if (t->n_cells == t->cells_cap) {
		t->cells_cap = t->cells_cap ? t->cells_cap * 2 : 16;
		t->cells =
		    xreallocarray(t->cells, t->cells_cap, sizeof *t->cells);
	}
	t->cells[t->n_cells++] = (struct cell){buf_steal(&t->cur), t->header};
	t->open = false;
}

void
table_acc_row(struct table_acc *t)
{
	close_cell(t);
	if (t->n_rows == t->rows_cap) {
		t->rows_cap = t->rows_cap ? t->rows_cap * 2 : 8;
		t->rows = xreallocarray(t->rows, t->rows_cap, sizeof *t->rows);
	}
	t->rows[t->n_rows++] = t->n_cells;
}

void
table_acc_cell(struct table_acc *t, bool header)
{
	close_cell(t);
	if (t->n_rows == 0)
		table_acc_row(t);
	t->open = true;
	t->header = header;
	t->space = false;
}

void
table_acc_text(struct table_acc *t, const char *s, size_t len)
{
	if (!t->open)
		return;
	for (size_t i = 0; i < len; i++) {
		if (strchr(" \t\n\r\f", s[i]) != NULL) {
			t->space = t->cur.len > 0;
			continue;
		}
		if (t->space)
			buf_putc(&t->cur, ' ');
		t->space = false;
		buf_putc(&t->cur, s[i]);
	}
}

static size_t
row_end(const struct table_acc *t, size_t row)
{
	return row + 1 < t->n_rows ? t->rows[row + 1] : t->n_cells;
}

static size_t
capped_sum(const size_t *w, size_t n, size_t cap)
{
	size_t sum = (n - 1) * COL_GAP;

	for (size_t i = 0; i < n; i++)
		sum += w[i] < cap ? w[i] : cap;
	return sum;
}

/* The widest a column may be for the row to fit avail (at least 1). */
static size_t
column_cap(const size_t *w, size_t n, size_t avail)
{
	size_t lo = 1, hi = 1;

	for (size_t i = 0; i < n; i++)
		hi = w[i] > hi ? w[i] : hi;
	while (lo < hi) {
		size_t mid = lo + (hi - lo + 1) / 2;

		if (capped_sum(w, n, mid) <= avail)
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo;
}

static void
put_row(struct render *r, const struct table_acc *t, size_t row,
        const size_t *w)
{
	size_t first = t->rows[row], n = row_end(t, row) - first;
	unsigned style = render_top(r)->style;

	render_start_line(r);
	for (size_t c = 0; c < n; c++) {
		const struct cell *cell = &t->cells[first + c];
		/* No padding after the row's last cell: no trailing blanks. */
		char *fit = utf8_fit(cell->text, w[c], c + 1 < n);

		if (c > 0)
			render_put_clipped(r, "  ", COL_GAP, style);
		render_put_clipped(r, fit, strlen(fit),
		                   style | (cell->header ? RS_BOLD : 0));
		free(fit);
	}
	render_finish_line(r);
}

static bool
header_row(const struct table_acc *t, size_t row)
{
	size_t end = row_end(t, row);

	for (size_t i = t->rows[row]; i < end; i++) {
		if (!t->cells[i].header)
			return false;
	}
	return end > t->rows[row];
}

static void
put_rule(struct render *r, size_t cols)
{
	struct buf line;

	buf_init(&line);
	for (size_t i = 0; i < cols; i++)
		buf_puts(&line, RULE);
	render_start_line(r);
	render_put_clipped(r, line.data, line.len, RS_MARKER);
	render_finish_line(r);
	buf_free(&line);
}

void
table_acc_layout(struct render *r, struct table_acc *t)
{
	size_t n_cols = 0, *w, avail, cap, total;

	close_cell(t);
	for (size_t row = 0; row < t->n_rows; row++) {
		size_t n = row_end(t, row) - t->rows[row];

		n_cols = n > n_cols ? n : n_cols;
	}
	if (n_cols == 0)
		return;
	w = xcalloc(n_cols, sizeof *w);
	for (size_t row = 0; row < t->n_rows; row++) {
		for (size_t i = t->rows[row]; i < row_end(t, row); i++) {
			size_t cw = utf8_width(t->cells[i].text);
			size_t c = i - t->rows[row];

			w[c] = cw > w[c] ? cw : w[c];
		}
	}
	avail =
	    render_text_cols(r) - render_margin_cols(r) - render_top(r)->indent;
	cap = column_cap(w, n_cols, avail);
	for (size_t c = 0; c < n_cols; c++)
		w[c] = w[c] < cap ? w[c] : cap;
	total = capped_sum(w, n_cols, cap);
	for (size_t row = 0; row < t->n_rows; row++) {
		if (row_end(t, row) == t->rows[row])
			continue;
		put_row(r, t, row, w);
		if (row == 0 && header_row(t, row))
			put_rule(r, total < avail ? total : avail);
	}
	free(w);
}
