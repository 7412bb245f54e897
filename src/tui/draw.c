/*
 * draw.c: the drawing helpers every view uses. Text is cut and padded by
 * terminal columns (wcwidth), never by bytes, so wide characters never
 * spill into the next cell or off the screen.
 */
#include "config.h"

#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ambt/util.h"
#include "tui/core.h"

int
tui_attr(enum theme_element e)
{
	return colors_attr(e);
}

/* Never past the screen's right edge. */
static int
clip_cols(int x, int cols)
{
	int max = COLS - x;

	if (cols > max)
		cols = max;
	return cols < 0 ? 0 : cols;
}

void
tui_put(int y, int x, int cols, const char *text, int attr, bool pad)
{
	char *fit;

	cols = clip_cols(x, cols);
	if (cols == 0 || y < 0 || y >= LINES || x < 0)
		return;
	fit = utf8_fit(text ? text : "", (size_t)cols, pad);
	attrset(attr);
	mvaddstr(y, x, fit);
	attrset(A_NORMAL);
	free(fit);
}

static enum theme_element
span_element(unsigned style)
{
	static const struct {
		unsigned bit;
		enum theme_element e;
	} order[] = {
	    {RS_LINK_NUM, TE_LINK_NUM}, {RS_LINK, TE_LINK},
	    {RS_MENTION, TE_MENTION},   {RS_CODE, TE_CODE},
	    {RS_HEADING, TE_HEADING},   {RS_QUOTE_HEAD, TE_QUOTE_HEAD},
	    {RS_IMAGE, TE_IMAGE},       {RS_MARKER, TE_MARKER},
	    {RS_SMALL_ACTION, TE_DIM},  {RS_QUOTE, TE_QUOTE},
	};

	for (size_t i = 0; i < AMBT_ARRAY_LEN(order); i++) {
		if (style & order[i].bit)
			return order[i].e;
	}
	return TE_NORMAL;
}

static int
span_attr(unsigned style)
{
	int a = tui_attr(span_element(style));

	if (style & RS_BOLD)
		a |= A_BOLD;
	if (style & RS_ITALIC)
		a |= A_ITALIC;
	if (style & RS_STRIKE)
		a |= A_DIM;
	return a;
}

/* Quote bars over the blank margin the renderer leaves for each level. */
static void
draw_quote_bars(int y, int x, int cols, const struct render_line *line)
{
	const char *first = line->n_spans ? line->spans[0].text : "";
	int attr = tui_attr(TE_QUOTE);

	for (int d = 0; d < line->quote_depth && 2 * d < cols; d++) {
		if (first[2 * d] != ' ' || first[2 * d + 1] != ' ')
			break;
		tui_put(y, x + 2 * d, 1, "\u2502", attr, false);
	}
}

void
tui_put_rendered(int y, int x, int cols, const struct render_line *line)
{
	int used = 0;

	cols = clip_cols(x, cols);
	for (size_t i = 0; i < line->n_spans && used < cols; i++) {
		const char *text =
		    line->spans[i].text ? line->spans[i].text : "";
		int w = (int)utf8_width(text);

		tui_put(y, x + used, cols - used, text,
		        span_attr(line->spans[i].style), false);
		used += w;
	}
	if (line->quote_depth > 0)
		draw_quote_bars(y, x, cols, line);
}

void
tui_clear_rows(int top, int rows, int cols)
{
	int attr = tui_attr(TE_NORMAL);

	attrset(attr);
	for (int y = top; y < top + rows && y < LINES; y++) {
		move(y, 0);
		for (int x = 0; x < cols && x < COLS; x++)
			addch(' ');
	}
	attrset(A_NORMAL);
}

const char *
tui_age(int64_t t, char *buf, size_t size)
{
	const char *age =
	    t == 0 ? "" : time_age(t, (int64_t)time(NULL), buf, size);

	/* Always into buf: callers draw buf, not only the return value. */
	if (age != buf)
		snprintf(buf, size, "%s", age);
	return buf;
}
