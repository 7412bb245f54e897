/*
 * view_notifications.c: your notifications, unread ones marked; Enter
 * opens the thread at the post a notification is about.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ambt/util.h"
#include "tui/core.h"

struct notifications_view {
	struct view v;
	struct tui *tui;
	struct notification_list *list;
	struct list_nav nav;
	struct http_req *req;
};

static void
notifications_done(struct api_reply *r, void *arg)
{
	struct notifications_view *nv = arg;
	int64_t selected = 0;

	nv->req = NULL;
	if (!tui_reply_ok(nv->tui, r)) {
		notification_list_free(r->data);
		return;
	}
	if (nv->list != NULL && nv->nav.sel < nv->list->n)
		selected = nv->list->items[nv->nav.sel].id;
	notification_list_free(nv->list);
	nv->list = r->data;
	nv->nav.n = nv->list->n;
	for (size_t i = 0; selected != 0 && i < nv->list->n; i++) {
		if (nv->list->items[i].id == selected)
			list_nav_select(&nv->nav, i);
	}
	tui_dirty(nv->tui);
}

static char *
describe(const struct notification *n)
{
	const char *title = n->fancy_title ? n->fancy_title : n->topic_title;

	if (n->badge_name != NULL)
		return xasprintf("badge: %s", n->badge_name);
	return xasprintf("%s%s%s",
	                 n->display_username ? n->display_username : "",
	                 n->display_username ? ": " : "", title ? title : "");
}

static void
notifications_draw(struct view *v, struct tui *t, int top, int rows, int cols)
{
	struct notifications_view *nv = (struct notifications_view *)v;
	int sel = tui_attr(TE_SELECTED);

	(void)t;
	list_nav_fit(&nv->nav, rows, NULL, NULL);
	if (nv->list != NULL && nv->list->n == 0)
		tui_put(top, 1, cols - 1, "(no notifications)",
		        tui_attr(TE_DIM), false);
	for (int r = 0; r < rows && nv->nav.top + (size_t)r < nv->nav.n; r++) {
		size_t i = nv->nav.top + (size_t)r;
		const struct notification *n = &nv->list->items[i];
		bool is_sel = i == nv->nav.sel;
		char age[16];
		char *text = describe(n);
		int attr =
		    is_sel ? sel : tui_attr(n->read ? TE_NORMAL : TE_UNREAD);

		tui_put(top + r, 0, cols, "", attr, true);
		tui_put(top + r, 1, 2, n->read ? "" : "\u2022", attr, false);
		tui_put(top + r, 4, cols - 10, text, attr, false);
		tui_put(top + r, cols - 5, 5,
		        tui_age(n->created_at, age, sizeof age),
		        is_sel ? sel : tui_attr(TE_DIM), false);
		free(text);
	}
}

static void
open_selected(struct notifications_view *nv)
{
	const struct notification *n;

	if (nv->nav.sel >= nv->nav.n)
		return;
	n = &nv->list->items[nv->nav.sel];
	if (n->topic_id == 0) {
		tui_message(nv->tui, "This notification is not about a topic");
		return;
	}
	tui_push(nv->tui,
	         view_thread_new(nv->tui, n->topic_id, n->post_number));
}

static const char *
notification_text(void *ctx, size_t row)
{
	const struct notification *n =
	    &((struct notifications_view *)ctx)->list->items[row];

	return n->fancy_title ? n->fancy_title : n->topic_title;
}

static bool
notifications_action(struct view *v, struct tui *t, enum key_action a)
{
	struct notifications_view *nv = (struct notifications_view *)v;

	if (list_nav_action(&nv->nav, a, NULL, NULL))
		return true;
	if (a == ACT_SELECT) {
		open_selected(nv);
		return true;
	}
	return list_nav_find(&nv->nav, t, a, notification_text, nv);
}

static void
notifications_click(struct view *v, struct tui *t, int row)
{
	struct notifications_view *nv = (struct notifications_view *)v;

	(void)t;
	if (list_nav_click(&nv->nav, row, NULL, NULL))
		open_selected(nv);
}

static void
notifications_cancel(struct view *v, struct tui *t)
{
	struct notifications_view *nv = (struct notifications_view *)v;

	tui_cancel(t, nv->req);
	nv->req = NULL;
}

static void
notifications_reload(struct view *v, struct tui *t)
{
	struct notifications_view *nv = (struct notifications_view *)v;

	if (tui_username(t) == NULL) {
		tui_error(t, "notifications need a login (set api_key and "
		             "api_username)");
		return;
	}
	if (nv->req == NULL)
		nv->req =
		    api_get_notifications(tui_api(t), notifications_done, nv);
}

static const char *
notifications_title(struct view *v)
{
	(void)v;
	return "Notifications";
}

static void
notifications_free(struct view *v)
{
	struct notifications_view *nv = (struct notifications_view *)v;

	notifications_cancel(v, nv->tui);
	notification_list_free(nv->list);
	free(nv);
}

static const char *
notifications_loading(struct view *v)
{
	(void)v;
	return "your notifications";
}

static const struct view_ops notifications_ops = {
    .name = "notifications",
    .key_view = KV_LIST,
    .title = notifications_title,
    .draw = notifications_draw,
    .action = notifications_action,
    .click = notifications_click,
    .reload = notifications_reload,
    .cancel = notifications_cancel,
    .free = notifications_free,
    .loading = notifications_loading,
};

struct view *
view_notifications_new(struct tui *t)
{
	struct notifications_view *nv = xcalloc(1, sizeof *nv);

	nv->v.ops = &notifications_ops;
	nv->tui = t;
	notifications_reload(&nv->v, t);
	return &nv->v;
}
