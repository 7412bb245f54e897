/*
 * view_members.c: the forum's members, the most active first, a page at a
 * time as the selection nears the end. Enter opens a member's profile.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ambt/i18n.h"
#include "ambt/util.h"
#include "tui/core.h"
#include "tui/view_events.h"

struct members_view {
	struct view v;
	struct tui *tui;
	struct member *items; /* every page loaded so far */
	size_t n;
	int total;     /* -1: unknown */
	int next_page; /* the page to load next */
	bool at_end;   /* a page came back short or empty */
	struct list_nav nav;
	struct http_req *req;
};

static void
take_page(struct members_view *mv, struct member_list *l)
{
	mv->items =
	    xreallocarray(mv->items, mv->n + l->n + 1, sizeof *mv->items);
	memcpy(mv->items + mv->n, l->items, l->n * sizeof *l->items);
	mv->n += l->n;
	mv->total = l->total_rows;
	mv->at_end =
	    l->n == 0 || (l->total_rows >= 0 && mv->n >= (size_t)l->total_rows);
	/* The strings now belong to mv->items. */
	free(l->items);
	free(l);
	mv->next_page++;
	mv->nav.n = mv->n;
}

static void
members_done(struct api_reply *r, void *arg)
{
	struct members_view *mv = arg;

	mv->req = NULL;
	if (!tui_reply_ok(mv->tui, r)) {
		member_list_free(r->data);
		return;
	}
	take_page(mv, r->data);
	tui_dirty(mv->tui);
}

static void
load_next(struct members_view *mv)
{
	if (mv->req == NULL && !mv->at_end)
		mv->req = api_get_members(tui_api(mv->tui), mv->next_page,
		                          members_done, mv);
}

/* username  name  title  N posts  M topics, the title dropped first */
static void
draw_member(int y, int cols, const struct member *m, bool selected)
{
	char *user = event_clean(m->user.username);
	char *name = event_clean(m->user.name);
	char *title = event_clean(m->title);
	char *posts = xasprintf(P_("%4d post", "%4d posts", m->post_count),
	                        m->post_count);
	char *counts =
	    xasprintf(P_("%s %3d topic", "%s %3d topics", m->topic_count),
	              posts, m->topic_count);
	int attr = tui_attr(selected ? TE_SELECTED : TE_NORMAL);
	int right = (int)utf8_width(counts) + 1;
	int name_x = 18, title_x = 18 + 22;

	tui_put(y, 0, cols, "", attr, true);
	tui_put(y, 1, 16, user, selected ? attr : tui_attr(TE_AUTHOR), false);
	if (cols - right - title_x > 10) {
		tui_put(y, name_x, 21, name, attr, false);
		tui_put(y, title_x, cols - right - title_x - 1, title,
		        selected ? attr : tui_attr(TE_DIM), false);
		tui_put(y, cols - right, right, counts,
		        selected ? attr : tui_attr(TE_DIM), false);
	} else if (cols > name_x + 1) {
		tui_put(y, name_x, cols - name_x - 1, name, attr, false);
	}
	free(posts);
	free(counts);
	free(title);
	free(name);
	free(user);
}

static void
members_draw(struct view *v, struct tui *t, int top, int rows, int cols)
{
	struct members_view *mv = (struct members_view *)v;

	(void)t;
	list_nav_fit(&mv->nav, rows, NULL, NULL);
	if (mv->n == 0 && mv->at_end)
		tui_put(top, 1, cols - 1, _("(no members)"), tui_attr(TE_DIM),
		        false);
	for (int r = 0; r < rows && mv->nav.top + (size_t)r < mv->n; r++) {
		size_t i = mv->nav.top + (size_t)r;

		draw_member(top + r, cols, &mv->items[i], i == mv->nav.sel);
	}
}

static void
open_selected(struct members_view *mv)
{
	if (mv->nav.sel < mv->n && mv->items[mv->nav.sel].user.username)
		TUI_PUSH_OTHER(mv->tui, view_profile_new,
		               mv->items[mv->nav.sel].user.username);
}

static bool
members_action(struct view *v, struct tui *t, enum key_action a)
{
	struct members_view *mv = (struct members_view *)v;

	(void)t;
	if (list_nav_action(&mv->nav, a, NULL, NULL)) {
		/* The next page before the reader gets there. */
		if (mv->nav.sel + 10 >= mv->n)
			load_next(mv);
		return true;
	}
	if (a == ACT_SELECT) {
		open_selected(mv);
		return true;
	}
	return false;
}

static void
members_click(struct view *v, struct tui *t, int row)
{
	struct members_view *mv = (struct members_view *)v;

	(void)t;
	if (list_nav_click(&mv->nav, row, NULL, NULL))
		open_selected(mv);
}

static void
members_cancel(struct view *v, struct tui *t)
{
	struct members_view *mv = (struct members_view *)v;

	tui_cancel(t, mv->req);
	mv->req = NULL;
}

static void
items_clear(struct members_view *mv)
{
	for (size_t i = 0; i < mv->n; i++) {
		user_brief_clear(&mv->items[i].user);
		free(mv->items[i].title);
	}
	free(mv->items);
	mv->items = NULL;
	mv->n = mv->nav.n = 0;
}

/* From the first page again. */
static void
members_reload(struct view *v, struct tui *t)
{
	struct members_view *mv = (struct members_view *)v;

	members_cancel(v, t);
	items_clear(mv);
	mv->next_page = 0;
	mv->at_end = false;
	load_next(mv);
}

static const char *
members_title(struct view *v)
{
	(void)v;
	return _("Members");
}

static void
members_free(struct view *v)
{
	struct members_view *mv = (struct members_view *)v;

	members_cancel(v, mv->tui);
	items_clear(mv);
	free(mv);
}

static const struct view_ops members_ops = {
    .name = "members",
    .key_view = KV_LIST,
    .title = members_title,
    .draw = members_draw,
    .action = members_action,
    .click = members_click,
    .reload = members_reload,
    .cancel = members_cancel,
    .free = members_free,
};

struct view *
view_members_new(struct tui *t)
{
	struct members_view *mv = xcalloc(1, sizeof *mv);

	mv->v.ops = &members_ops;
	mv->tui = t;
	mv->total = -1;
	load_next(mv);
	return &mv->v;
}
