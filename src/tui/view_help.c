/*
 * view_help.c: every key of the view help was asked from, with the
 * config's binds applied, read from the one keymap (so help cannot
 * disagree with what the keys do).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ambt/i18n.h"
#include "ambt/util.h"
#include "tui/core.h"

struct help_row {
	char *keys;
	const struct key_binding *b;
};

struct help_view {
	struct view v;
	struct tui *tui;
	char *title;
	struct help_row *rows;
	struct list_nav nav;
	int keys_w; /* width of the keys column */
};

static void
build_rows(struct help_view *hv, unsigned key_view)
{
	const struct keymap *km = tui_keymap(hv->tui);

	hv->rows = xcalloc(key_n_bindings, sizeof *hv->rows);
	hv->keys_w = 10;
	for (size_t i = 0; i < key_n_bindings; i++) {
		char *keys =
		    keymap_keys_for(km, key_view, key_bindings[i].action);
		int w = (int)utf8_width(keys);

		if (keys[0] == '\0') {
			free(keys);
			continue;
		}
		hv->rows[hv->nav.n].keys = keys;
		hv->rows[hv->nav.n++].b = &key_bindings[i];
		if (w + 2 > hv->keys_w)
			hv->keys_w = w + 2;
	}
	if (hv->keys_w > 24)
		hv->keys_w = 24;
}

static void
help_draw(struct view *v, struct tui *t, int top, int rows, int cols)
{
	struct help_view *hv = (struct help_view *)v;
	int name_w = cols >= 70 ? 18 : 0;

	(void)t;
	list_nav_fit(&hv->nav, rows, NULL, NULL);
	for (int r = 0; r < rows && hv->nav.top + (size_t)r < hv->nav.n; r++) {
		size_t i = hv->nav.top + (size_t)r;
		const struct help_row *row = &hv->rows[i];
		int attr = i == hv->nav.sel ? tui_attr(TE_SELECTED) : 0;
		int x = 1 + hv->keys_w;

		tui_put(top + r, 0, cols, "", attr, true);
		tui_put(top + r, 1, hv->keys_w - 1, row->keys,
		        attr ? attr : tui_attr(TE_HEADING), false);
		if (name_w > 0) {
			tui_put(top + r, x, name_w - 1, row->b->name,
			        attr ? attr : tui_attr(TE_DIM), false);
			x += name_w;
		}
		tui_put(top + r, x, cols - x, _(row->b->description),
		        attr ? attr : tui_attr(TE_NORMAL), false);
	}
}

static const char *
help_text(void *ctx, size_t row)
{
	return _(((struct help_view *)ctx)->rows[row].b->description);
}

static bool
help_action(struct view *v, struct tui *t, enum key_action a)
{
	struct help_view *hv = (struct help_view *)v;

	/* Help over help is no help; everything else passes to tui.c. */
	if (a == ACT_HELP)
		return true;
	if (list_nav_action(&hv->nav, a, NULL, NULL))
		return true;
	return list_nav_find(&hv->nav, t, a, help_text, hv);
}

static const char *
help_title(struct view *v)
{
	return ((struct help_view *)v)->title;
}

static void
help_free(struct view *v)
{
	struct help_view *hv = (struct help_view *)v;

	for (size_t i = 0; i < hv->nav.n; i++)
		free(hv->rows[i].keys);
	free(hv->rows);
	free(hv->title);
	free(hv);
}

static const struct view_ops help_ops = {
    .name = "help",
    .key_view = KV_HELP,
    .title = help_title,
    .draw = help_draw,
    .action = help_action,
    .free = help_free,
};

struct view *
view_help_new(struct tui *t, unsigned key_view)
{
	struct help_view *hv = xcalloc(1, sizeof *hv);
	const char *name = key_view_name(key_view);

	hv->v.ops = &help_ops;
	hv->tui = t;
	hv->title = name ? xasprintf(_("Help: the keys of the %s view"), name)
	                 : xstrdup(_("Help: the keys of this view"));
	build_rows(hv, key_view);
	return &hv->v;
}
