/*
 * table.c: columns aligned by terminal cells, not bytes, so names with
 * accents, CJK and emoji line up. Every cell is cleaned when added.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ambt/i18n.h"
#include "ambt/util.h"
#include "cli/cli.h"

void
table_init(struct table *t, size_t n_cols, const char *const *headers,
           const bool *right)
{
	memset(t, 0, sizeof *t);
	t->n_cols = n_cols;
	t->headers = headers;
	t->right = right;
}

void
table_add(struct table *t, const char *const *row)
{
	size_t base = t->n_rows * t->n_cols;

	t->cells = xreallocarray(t->cells, base + t->n_cols, sizeof *t->cells);
	for (size_t i = 0; i < t->n_cols; i++)
		t->cells[base + i] = cli_clean(row[i]);
	t->n_rows++;
}

void
table_free(struct table *t)
{
	for (size_t i = 0; i < t->n_rows * t->n_cols; i++)
		free(t->cells[i]);
	free(t->cells);
	t->cells = NULL;
	t->n_rows = 0;
}

static void
print_padding(FILE *f, size_t n)
{
	while (n-- > 0)
		putc(' ', f);
}

/* One cell; the last column is cut to what is left and never padded. */
static void
print_cell(FILE *f, const char *s, size_t col_width, bool right, bool last,
           size_t room)
{
	size_t w = utf8_width(s);

	if (last) {
		if (room > 0 && w > room) {
			char *cut = utf8_fit(s, room, false);

			fputs(cut, f);
			free(cut);
		} else {
			fputs(s, f);
		}
		return;
	}
	if (right)
		print_padding(f, col_width - w);
	fputs(s, f);
	if (!right)
		print_padding(f, col_width - w);
	fputs("  ", f);
}

static void
print_row(const struct table *t, FILE *f, const char *const *row,
          const size_t *widths, size_t width)
{
	size_t used = 0;

	for (size_t i = 0; i < t->n_cols; i++) {
		bool last = i + 1 == t->n_cols;
		/* At least a few cells of the last column, even when narrow. */
		size_t room = width == 0         ? 0
		              : width > used + 8 ? width - used
		                                 : 8;

		print_cell(f, row[i], widths[i], t->right && t->right[i], last,
		           room);
		used += widths[i] + 2;
	}
	putc('\n', f);
}

/* The headings are marked N_() where they are listed and shown in the
 * user's language; an empty one stays empty (gettext("") is the
 * catalogue's header). */
static const char **
translated_headers(const struct table *t)
{
	const char **out = xcalloc(t->n_cols, sizeof *out);

	for (size_t i = 0; i < t->n_cols; i++)
		out[i] =
		    t->headers[i][0] != '\0' ? _(t->headers[i]) : t->headers[i];
	return out;
}

void
table_print(const struct table *t, FILE *f, size_t width)
{
	size_t *widths = xcalloc(t->n_cols, sizeof *widths);
	const char **headers =
	    t->headers != NULL ? translated_headers(t) : NULL;

	for (size_t i = 0; i < t->n_cols; i++) {
		if (headers != NULL)
			widths[i] = utf8_width(headers[i]);
		for (size_t r = 0; r < t->n_rows; r++) {
			size_t w = utf8_width(t->cells[r * t->n_cols + i]);

			if (w > widths[i])
				widths[i] = w;
		}
	}
	if (headers != NULL)
		print_row(t, f, headers, widths, width);
	for (size_t r = 0; r < t->n_rows; r++)
		print_row(t, f, (const char *const *)&t->cells[r * t->n_cols],
		          widths, width);
	free(headers);
	free(widths);
}
