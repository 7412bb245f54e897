/*
 * view_notifications.c: your notifications, unread ones marked; Enter
 * opens the thread at the post a notification is about. Above them, under
 * "New since you opened", the notices the TUI's watcher gave (tui/
 * notices.h): posts in watched topics and monitored words are no
 * notifications on the server, and without a desktop this is where they
 * stay.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ambt/i18n.h"
#include "ambt/util.h"
#include "tui/core.h"
#include "tui/notices.h"

struct notifications_view {
	struct view v;
	struct tui *tui;
	struct notification_list *list;
	struct list_nav nav;
	struct http_req *req;
};

/* The watcher's notices, and the row the server's list starts at: with
 * notices, a heading, the notices and a heading come first. */
static const struct tui_notice *
new_notices(const struct notifications_view *nv, size_t *n, size_t *head)
{
	const struct tui_notice *items = notices_list(tui_notices(nv->tui), n);

	*head = *n > 0 ? *n + 2 : 0;
	return items;
}

/* The rows as they are now: notices may have come since the last turn. */
static void
count_rows(struct notifications_view *nv)
{
	size_t n, head;

	new_notices(nv, &n, &head);
	nv->nav.n = head + (nv->list ? nv->list->n : 0);
}

static bool
is_heading(void *ctx, size_t row)
{
	size_t n, head;

	new_notices(ctx, &n, &head);
	return head > 0 && (row == 0 || row == n + 1);
}

static bool
selectable(void *ctx, size_t row)
{
	return !is_heading(ctx, row);
}

/* The server's notification at a row, or NULL. */
static const struct notification *
server_item(const struct notifications_view *nv, size_t row)
{
	size_t n, head;

	new_notices(nv, &n, &head);
	if (nv->list == NULL || row < head || row - head >= nv->list->n)
		return NULL;
	return &nv->list->items[row - head];
}

/* The watcher's notice at a row, or NULL. */
static const struct tui_notice *
notice_item(const struct notifications_view *nv, size_t row)
{
	size_t n, head;
	const struct tui_notice *items = new_notices(nv, &n, &head);

	return row >= 1 && row <= n ? &items[row - 1] : NULL;
}

static void
notifications_done(struct api_reply *r, void *arg)
{
	struct notifications_view *nv = arg;
	const struct notification *sel;
	int64_t selected;
	size_t n, head;

	nv->req = NULL;
	if (!tui_reply_ok(nv->tui, r)) {
		notification_list_free(r->data);
		return;
	}
	sel = server_item(nv, nv->nav.sel);
	selected = sel ? sel->id : 0;
	notification_list_free(nv->list);
	nv->list = r->data;
	count_rows(nv);
	new_notices(nv, &n, &head);
	for (size_t i = 0; selected != 0 && i < nv->list->n; i++) {
		if (nv->list->items[i].id == selected)
			list_nav_select(&nv->nav, head + i);
	}
	tui_dirty(nv->tui);
}

static char *
describe(const struct notification *n)
{
	const char *title = n->fancy_title ? n->fancy_title : n->topic_title;

	if (n->badge_name != NULL)
		return xasprintf(_("badge: %s"), n->badge_name);
	return xasprintf("%s%s%s",
	                 n->display_username ? n->display_username : "",
	                 n->display_username ? ": " : "", title ? title : "");
}

static void
draw_item(int y, int cols, const char *mark, const char *text, int64_t at,
          int attr, int age_attr)
{
	char age[16];

	tui_put(y, 0, cols, "", attr, true);
	tui_put(y, 1, 2, mark, attr, false);
	tui_put(y, 4, cols - 10, text, attr, false);
	tui_put(y, cols - 5, 5, tui_age(at, age, sizeof age), age_attr, false);
}

/* "summary: body", made safe for the screen. */
static char *
notice_text(const struct tui_notice *k)
{
	char *raw =
	    xasprintf("%s%s%s", k->summary, k->body[0] ? ": " : "", k->body);
	char *safe = utf8_sanitize(raw, strlen(raw));

	free(raw);
	return safe;
}

static void
draw_row(struct notifications_view *nv, size_t i, int y, int cols)
{
	const struct notification *n = server_item(nv, i);
	const struct tui_notice *k = notice_item(nv, i);
	bool is_sel = i == nv->nav.sel;
	int sel = tui_attr(TE_SELECTED);
	int age_attr = is_sel ? sel : tui_attr(TE_DIM);
	char *text;

	if (is_heading(nv, i)) {
		tui_put(y, 1, cols - 1,
		        i == 0 ? _("New since you opened") : _("Notifications"),
		        tui_attr(TE_HEADING), false);
	} else if (k != NULL) {
		text = notice_text(k);
		draw_item(y, cols, "+", text, k->at,
		          is_sel ? sel : tui_attr(TE_NEW), age_attr);
		free(text);
	} else if (n != NULL) {
		text = describe(n);
		draw_item(y, cols, n->read ? "" : "\u2022", text, n->created_at,
		          is_sel ? sel
		                 : tui_attr(n->read ? TE_NORMAL : TE_UNREAD),
		          age_attr);
		free(text);
	}
}

static void
notifications_draw(struct view *v, struct tui *t, int top, int rows, int cols)
{
	struct notifications_view *nv = (struct notifications_view *)v;

	(void)t;
	count_rows(nv);
	list_nav_fit(&nv->nav, rows, selectable, nv);
	if (nv->nav.n == 0 && nv->list != NULL)
		tui_put(top, 1, cols - 1, _("(no notifications)"),
		        tui_attr(TE_DIM), false);
	for (int r = 0; r < rows && nv->nav.top + (size_t)r < nv->nav.n; r++)
		draw_row(nv, nv->nav.top + (size_t)r, top + r, cols);
}

static void
open_topic(struct notifications_view *nv, int64_t topic_id, int post_number)
{
	if (topic_id == 0) {
		tui_message(nv->tui,
		            _("This notification is not about a topic"));
		return;
	}
	tui_push(nv->tui, view_thread_new(nv->tui, topic_id, post_number));
}

static void
open_selected(struct notifications_view *nv)
{
	const struct notification *n = server_item(nv, nv->nav.sel);
	const struct tui_notice *k = notice_item(nv, nv->nav.sel);

	if (k != NULL && k->topic_id == 0 && k->url != NULL)
		tui_open_url(nv->tui, k->url);
	else if (k != NULL)
		open_topic(nv, k->topic_id, k->post_number);
	else if (n != NULL)
		open_topic(nv, n->topic_id, n->post_number);
}

static const char *
notification_text(void *ctx, size_t row)
{
	const struct notification *n = server_item(ctx, row);
	const struct tui_notice *k = notice_item(ctx, row);

	if (k != NULL)
		return k->summary;
	if (n == NULL)
		return "";
	return n->fancy_title ? n->fancy_title : n->topic_title;
}

static bool
notifications_action(struct view *v, struct tui *t, enum key_action a)
{
	struct notifications_view *nv = (struct notifications_view *)v;

	count_rows(nv);
	if (list_nav_action(&nv->nav, a, selectable, nv))
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
	count_rows(nv);
	if (list_nav_click(&nv->nav, row, selectable, nv))
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
		tui_error(t, _("notifications need a login (set api_key and "
		               "api_username)"));
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
	return _("Notifications");
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
	return _("your notifications");
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
