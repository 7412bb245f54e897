/*
 * colors.c: a theme as curses colour pairs and attributes, with each
 * colour mapped to the nearest one the terminal has (8, 16 or 256).
 * Without colour (NO_COLOR, a vt100) only the attributes are used, from
 * the mono theme.
 */
#include "config.h"

#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>

#include "tui/core.h"

static int element_attrs[TE_COUNT];

static int
curses_attrs(unsigned attrs)
{
	int a = 0;

	if (attrs & TA_BOLD)
		a |= A_BOLD;
	if (attrs & TA_UNDERLINE)
		a |= A_UNDERLINE;
	if (attrs & TA_REVERSE)
		a |= A_REVERSE;
	if (attrs & TA_DIM)
		a |= A_DIM;
	if (attrs & TA_ITALIC)
		a |= A_ITALIC;
	if (attrs & TA_STANDOUT)
		a |= A_STANDOUT;
	return a;
}

static int
palette_size(void)
{
	if (COLORS >= 256)
		return 256;
	return COLORS >= 16 ? 16 : 8;
}

void
colors_init(const struct theme *theme, bool use_color)
{
	struct theme mono = {0};
	int n_colors;

	use_color = use_color && has_colors() && start_color() == OK &&
	            COLORS >= 8 && COLOR_PAIRS > TE_COUNT;
	if (!use_color) {
		theme_init_mono(&mono);
		for (int e = 0; e < TE_COUNT; e++)
			element_attrs[e] = curses_attrs(mono.styles[e].attrs);
		theme_clear(&mono);
		return;
	}
	use_default_colors();
	n_colors = palette_size();
	for (int e = 0; e < TE_COUNT; e++) {
		const struct theme_style *s = &theme->styles[e];
		int attrs = curses_attrs(s->attrs);

		/* Default on default needs no pair: it sends no colour. */
		if (s->fg.kind != TC_DEFAULT || s->bg.kind != TC_DEFAULT) {
			init_pair((short)(e + 1),
			          (short)theme_nearest_color(&s->fg, n_colors),
			          (short)theme_nearest_color(&s->bg, n_colors));
			attrs |= COLOR_PAIR(e + 1);
		}
		element_attrs[e] = attrs;
	}
}

int
colors_attr(enum theme_element e)
{
	return e < TE_COUNT ? element_attrs[e] : 0;
}
