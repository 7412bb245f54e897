/*
 * list.c: the selection in a list view. Views keep the selected entry's
 * id and find its row again after new data (list_nav_select), so a
 * refresh never moves the reader; this file only moves within rows.
 * The text views (a profile, an event) scroll with the same keys and
 * the same steps, by tui_move_delta().
 */
#include "config.h"

#include <string.h>

#include "ambt/i18n.h"
#include "tui/core.h"

static bool
can_select(list_selectable_fn selectable, void *ctx, size_t row)
{
	return selectable == NULL || selectable(ctx, row);
}

/* From row, step by dir (+1/-1) to a selectable row; row itself when
 * none is found that way. */
static size_t
find_selectable(const struct list_nav *l, size_t row, int dir,
                list_selectable_fn selectable, void *ctx)
{
	size_t r = row;

	while (r < l->n && !can_select(selectable, ctx, r)) {
		if ((dir < 0 && r == 0) || (dir > 0 && r + 1 >= l->n))
			return row;
		r = dir < 0 ? r - 1 : r + 1;
	}
	return r < l->n ? r : row;
}

static void
move_by(struct list_nav *l, long delta, list_selectable_fn selectable,
        void *ctx)
{
	long target = (long)l->sel + delta;
	size_t r;

	if (l->n == 0)
		return;
	if (target < 0)
		target = 0;
	if (target >= (long)l->n)
		target = (long)l->n - 1;
	r = find_selectable(l, (size_t)target, delta < 0 ? -1 : 1, selectable,
	                    ctx);
	if (!can_select(selectable, ctx, r))
		r = find_selectable(l, (size_t)target, delta < 0 ? 1 : -1,
		                    selectable, ctx);
	if (can_select(selectable, ctx, r))
		l->sel = r;
}

bool
tui_move_delta(enum key_action a, int rows, size_t n, long *delta)
{
	/* A page keeps one row of the last in view, as less does. */
	long page = rows > 1 ? rows - 1 : 1;

	switch (a) {
	case ACT_DOWN:
	case ACT_UP:
		*delta = 1;
		break;
	case ACT_PAGE_DOWN:
	case ACT_PAGE_UP:
		*delta = page;
		break;
	case ACT_HALF_DOWN:
	case ACT_HALF_UP:
		*delta = page / 2 + 1;
		break;
	case ACT_TOP:
	case ACT_BOTTOM:
		*delta = (long)n;
		break;
	default:
		return false;
	}
	if (a == ACT_UP || a == ACT_PAGE_UP || a == ACT_HALF_UP || a == ACT_TOP)
		*delta = -*delta;
	return true;
}

size_t
tui_scroll_top(size_t top, long delta, size_t n_lines, int rows)
{
	long max = (long)n_lines - (rows > 0 ? rows : 1);
	long to = (long)top + delta;

	if (to > max)
		to = max;
	return to < 0 ? 0 : (size_t)to;
}

bool
list_nav_action(struct list_nav *l, enum key_action a,
                list_selectable_fn selectable, void *ctx)
{
	long delta;

	if (!tui_move_delta(a, l->rows, l->n, &delta))
		return false;
	move_by(l, delta, selectable, ctx);
	return true;
}

void
list_nav_fit(struct list_nav *l, int rows, list_selectable_fn selectable,
             void *ctx)
{
	l->rows = rows;
	if (l->n == 0) {
		l->sel = l->top = 0;
		return;
	}
	if (l->sel >= l->n)
		l->sel = l->n - 1;
	if (!can_select(selectable, ctx, l->sel))
		move_by(l, 1, selectable, ctx);
	if (rows <= 0)
		return;
	if (l->sel < l->top)
		l->top = l->sel;
	if (l->sel >= l->top + (size_t)rows)
		l->top = l->sel - (size_t)rows + 1;
	/* A heading right above the selection stays in view with it. */
	if (l->top > 0 && l->top == l->sel &&
	    !can_select(selectable, ctx, l->top - 1) && rows > 1)
		l->top--;
}

bool
list_nav_click(struct list_nav *l, int row, list_selectable_fn selectable,
               void *ctx)
{
	size_t r = l->top + (size_t)row;
	bool again = r == l->sel;

	if (row < 0 || r >= l->n || !can_select(selectable, ctx, r))
		return false;
	l->sel = r;
	return again;
}

void
list_nav_select(struct list_nav *l, size_t row)
{
	if (row < l->n)
		l->sel = row;
}

bool
list_nav_find(struct list_nav *l, struct tui *t, enum key_action a,
              list_text_fn text, void *ctx)
{
	const char *term = tui_last_search(t);
	int dir = a == ACT_SEARCH_PREV ? -1 : 1;

	if (a != ACT_SEARCH_NEXT && a != ACT_SEARCH_PREV)
		return false;
	if (term == NULL) {
		tui_message(t, _("Nothing to find yet: / searches"));
		return true;
	}
	/* Around the list once, starting after the selection. */
	for (size_t k = 1; k <= l->n; k++) {
		size_t r =
		    dir > 0 ? (l->sel + k) % l->n : (l->sel + l->n - k) % l->n;
		const char *s = text(ctx, r);

		if (s != NULL && strcasestr(s, term) != NULL) {
			l->sel = r;
			return true;
		}
	}
	tui_message(t, _("Not found in this list: %s"), term);
	return true;
}
