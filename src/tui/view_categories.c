/*
 * view_categories.c: the forum's categories, each child under its
 * parent; Enter lists a category's topics.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ambt/i18n.h"
#include "ambt/util.h"
#include "tui/core.h"

struct categories_view {
	struct view v;
	struct tui *tui;
	struct category_list *list;
	size_t *order; /* rows: indexes into list->items, parents first */
	struct list_nav nav;
	struct http_req *req;
};

static bool
has_parent(const struct category_list *l, int64_t id)
{
	for (size_t i = 0; id != 0 && i < l->n; i++) {
		if (l->items[i].id == id)
			return true;
	}
	return false;
}

static void
build_order(struct categories_view *cv)
{
	const struct category_list *l = cv->list;
	size_t n = 0;

	free(cv->order);
	cv->order = xcalloc(l->n + 1, sizeof *cv->order);
	for (size_t i = 0; i < l->n; i++) {
		if (has_parent(l, l->items[i].parent_id))
			continue;
		cv->order[n++] = i;
		for (size_t j = 0; j < l->n; j++) {
			if (l->items[j].parent_id == l->items[i].id && j != i)
				cv->order[n++] = j;
		}
	}
	cv->nav.n = n;
}

static void
categories_done(struct api_reply *r, void *arg)
{
	struct categories_view *cv = arg;
	int64_t selected = 0;

	cv->req = NULL;
	if (!tui_reply_ok(cv->tui, r)) {
		category_list_free(r->data);
		return;
	}
	if (cv->list != NULL && cv->nav.sel < cv->nav.n)
		selected = cv->list->items[cv->order[cv->nav.sel]].id;
	category_list_free(cv->list);
	cv->list = r->data;
	build_order(cv);
	for (size_t i = 0; selected != 0 && i < cv->nav.n; i++) {
		if (cv->list->items[cv->order[i]].id == selected)
			list_nav_select(&cv->nav, i);
	}
	tui_dirty(cv->tui);
}

static void
categories_draw(struct view *v, struct tui *t, int top, int rows, int cols)
{
	struct categories_view *cv = (struct categories_view *)v;
	int sel = tui_attr(TE_SELECTED);

	(void)t;
	list_nav_fit(&cv->nav, rows, NULL, NULL);
	for (int r = 0; r < rows && cv->nav.top + (size_t)r < cv->nav.n; r++) {
		size_t row = cv->nav.top + (size_t)r;
		const struct category *c = &cv->list->items[cv->order[row]];
		bool is_sel = row == cv->nav.sel;
		int indent = c->parent_id ? 4 : 1;
		char count[16];
		int name_w = cols >= 60 ? 28 : cols - 8;

		snprintf(count, sizeof count, "%5d", c->topic_count);
		tui_put(top + r, 0, cols, "", is_sel ? sel : 0, true);
		tui_put(top + r, indent, name_w - indent, c->name,
		        is_sel ? sel : tui_attr(TE_CATEGORY), false);
		tui_put(top + r, name_w, 6, count,
		        is_sel ? sel : tui_attr(TE_DIM), false);
		if (cols > name_w + 8)
			tui_put(top + r, name_w + 7, cols - name_w - 7,
			        c->description_text,
			        is_sel ? sel : tui_attr(TE_DIM), false);
	}
}

static void
open_selected(struct categories_view *cv)
{
	const struct category *c;

	if (cv->nav.sel >= cv->nav.n)
		return;
	c = &cv->list->items[cv->order[cv->nav.sel]];
	tui_push(cv->tui, view_topics_new(cv->tui, "latest", c->slug, c->id));
}

static const char *
category_text(void *ctx, size_t row)
{
	struct categories_view *cv = ctx;

	return cv->list->items[cv->order[row]].name;
}

static bool
categories_action(struct view *v, struct tui *t, enum key_action a)
{
	struct categories_view *cv = (struct categories_view *)v;

	if (list_nav_action(&cv->nav, a, NULL, NULL))
		return true;
	if (a == ACT_SELECT) {
		open_selected(cv);
		return true;
	}
	return list_nav_find(&cv->nav, t, a, category_text, cv);
}

static void
categories_click(struct view *v, struct tui *t, int row)
{
	struct categories_view *cv = (struct categories_view *)v;

	(void)t;
	if (list_nav_click(&cv->nav, row, NULL, NULL))
		open_selected(cv);
}

static void
categories_cancel(struct view *v, struct tui *t)
{
	struct categories_view *cv = (struct categories_view *)v;

	tui_cancel(t, cv->req);
	cv->req = NULL;
}

static void
categories_reload(struct view *v, struct tui *t)
{
	struct categories_view *cv = (struct categories_view *)v;

	if (cv->req == NULL)
		cv->req = api_get_categories(tui_api(t), categories_done, cv);
}

static const char *
categories_title(struct view *v)
{
	(void)v;
	return _("Categories");
}

static void
categories_free(struct view *v)
{
	struct categories_view *cv = (struct categories_view *)v;

	categories_cancel(v, cv->tui);
	category_list_free(cv->list);
	free(cv->order);
	free(cv);
}

static const char *
categories_loading(struct view *v)
{
	(void)v;
	return _("the categories");
}

static const struct view_ops categories_ops = {
    .name = "categories",
    .key_view = KV_LIST,
    .title = categories_title,
    .draw = categories_draw,
    .action = categories_action,
    .click = categories_click,
    .reload = categories_reload,
    .cancel = categories_cancel,
    .free = categories_free,
    .loading = categories_loading,
};

struct view *
view_categories_new(struct tui *t)
{
	struct categories_view *cv = xcalloc(1, sizeof *cv);

	cv->v.ops = &categories_ops;
	cv->tui = t;
	categories_reload(&cv->v, t);
	return &cv->v;
}
