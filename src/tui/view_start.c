/*
 * view_start.c: the start page ("persoonlijke startpagina"): the latest
 * topics with their unread and new counts, the upcoming events and the
 * unread notifications, in the order `set start_sections` names them.
 * Each section loads on its own; the selection is kept by what it points
 * at (section and id), so data arriving never moves it.
 */
#include "config.h"

#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ambt/i18n.h"
#include "ambt/util.h"
#include "tui/compose.h"
#include "tui/core.h"

#define START_TOPICS 12
#define START_EVENTS 6
#define DEFAULT_SECTIONS "latest,events,notifications"

enum section { SEC_LATEST, SEC_EVENTS, SEC_NOTIFICATIONS, SEC_COUNT };

static const char *const section_names[SEC_COUNT] = {"latest", "events",
                                                     "notifications"};
static const char *const section_titles[SEC_COUNT] = {
    N_("Latest topics"), N_("Upcoming events"), N_("Unread notifications")};

enum row_kind {
	ROW_HEADING,
	ROW_ITEM,
	ROW_NOTE, /* "(nothing)", "loading" */
};

struct row {
	enum row_kind kind;
	enum section sec;
	size_t item; /* index into the section's data */
};

struct start_view {
	struct view v;
	struct tui *tui;
	enum section order[SEC_COUNT];
	size_t n_sections;
	struct topic_list *latest;
	struct event_list *events;
	struct notification_list *notes;
	struct http_req *req[SEC_COUNT];
	bool failed[SEC_COUNT];
	struct row *rows;
	size_t n_rows;
	struct list_nav nav;
	bool moved; /* the reader has moved: keep the selection */
};

/* ---- Sections from the config ---- */

static void
parse_sections(struct start_view *sv, const char *spec)
{
	char *copy = xstrdup(spec ? spec : DEFAULT_SECTIONS);
	char *save = NULL;

	for (char *w = strtok_r(copy, ", ", &save); w != NULL;
	     w = strtok_r(NULL, ", ", &save)) {
		bool known = false;

		for (int s = 0; s < SEC_COUNT; s++) {
			bool dup = false;

			if (strcmp(w, section_names[s]) != 0)
				continue;
			known = true;
			for (size_t i = 0; i < sv->n_sections; i++)
				dup = dup || sv->order[i] == (enum section)s;
			if (!dup)
				sv->order[sv->n_sections++] = (enum section)s;
		}
		if (!known)
			tui_error(sv->tui,
			          _("start_sections: unknown section '%s' "
			            "(latest, events, notifications)"),
			          w);
	}
	free(copy);
}

/* ---- Rows ---- */

static size_t
section_count(const struct start_view *sv, enum section s)
{
	size_t n = 0;

	switch (s) {
	case SEC_LATEST:
		n = sv->latest ? sv->latest->n_topics : 0;
		return n < START_TOPICS ? n : START_TOPICS;
	case SEC_EVENTS:
		n = sv->events ? sv->events->n : 0;
		return n < START_EVENTS ? n : START_EVENTS;
	case SEC_NOTIFICATIONS:
		for (size_t i = 0; sv->notes && i < sv->notes->n; i++)
			n += !sv->notes->items[i].read;
		return n;
	case SEC_COUNT:
		break;
	}
	return 0;
}

/* Notifications show only the unread ones: the k-th unread's index. */
static size_t
unread_note(const struct start_view *sv, size_t k)
{
	for (size_t i = 0; i < sv->notes->n; i++) {
		if (!sv->notes->items[i].read && k-- == 0)
			return i;
	}
	return 0;
}

static void
add_row(struct start_view *sv, enum row_kind kind, enum section s, size_t i)
{
	sv->rows = xreallocarray(sv->rows, sv->n_rows + 1, sizeof *sv->rows);
	sv->rows[sv->n_rows++] = (struct row){kind, s, i};
}

static int64_t
row_id(const struct start_view *sv, const struct row *r)
{
	if (r->kind != ROW_ITEM)
		return 0;
	switch (r->sec) {
	case SEC_LATEST:
		return sv->latest->topics[r->item].id;
	case SEC_EVENTS:
		return sv->events->items[r->item].id;
	case SEC_NOTIFICATIONS:
		return sv->notes->items[r->item].id;
	case SEC_COUNT:
		break;
	}
	return 0;
}

/* Rebuild the rows; the selected item stays selected. */
static void
build_rows(struct start_view *sv)
{
	struct row old = {ROW_NOTE, SEC_LATEST, 0};
	int64_t old_id = 0;

	/* Until the reader moves, the selection is the first entry, in
	 * whichever order the sections arrive. */
	if (!sv->moved)
		sv->nav.sel = 0;
	else if (sv->nav.sel < sv->n_rows) {
		old = sv->rows[sv->nav.sel];
		old_id = row_id(sv, &old);
	}
	sv->n_rows = 0;
	for (size_t k = 0; k < sv->n_sections; k++) {
		enum section s = sv->order[k];
		size_t n = section_count(sv, s);

		add_row(sv, ROW_HEADING, s, 0);
		for (size_t i = 0; i < n; i++)
			add_row(sv, ROW_ITEM, s,
			        s == SEC_NOTIFICATIONS ? unread_note(sv, i)
			                               : i);
		if (n == 0)
			add_row(sv, ROW_NOTE, s, 0);
	}
	sv->nav.n = sv->n_rows;
	for (size_t i = 0; old_id != 0 && i < sv->n_rows; i++) {
		if (sv->rows[i].sec == old.sec &&
		    row_id(sv, &sv->rows[i]) == old_id)
			list_nav_select(&sv->nav, i);
	}
	tui_dirty(sv->tui);
}

static bool
selectable(void *ctx, size_t row)
{
	struct start_view *sv = ctx;

	return row < sv->n_rows && sv->rows[row].kind == ROW_ITEM;
}

/* ---- Loading ---- */

static void
latest_done(struct api_reply *r, void *arg)
{
	struct start_view *sv = arg;

	sv->req[SEC_LATEST] = NULL;
	sv->failed[SEC_LATEST] = !tui_reply_ok(sv->tui, r);
	if (!sv->failed[SEC_LATEST]) {
		topic_list_free(sv->latest);
		sv->latest = r->data;
		build_rows(sv);
	} else {
		topic_list_free(r->data);
	}
}

static void
events_done(struct api_reply *r, void *arg)
{
	struct start_view *sv = arg;

	sv->req[SEC_EVENTS] = NULL;
	sv->failed[SEC_EVENTS] = !tui_reply_ok(sv->tui, r);
	if (!sv->failed[SEC_EVENTS]) {
		event_list_free(sv->events);
		sv->events = r->data;
		build_rows(sv);
	} else {
		event_list_free(r->data);
	}
}

static void
notes_done(struct api_reply *r, void *arg)
{
	struct start_view *sv = arg;

	sv->req[SEC_NOTIFICATIONS] = NULL;
	sv->failed[SEC_NOTIFICATIONS] = !tui_reply_ok(sv->tui, r);
	if (!sv->failed[SEC_NOTIFICATIONS]) {
		notification_list_free(sv->notes);
		sv->notes = r->data;
		build_rows(sv);
	} else {
		notification_list_free(r->data);
	}
}

static void
load_section(struct start_view *sv, enum section s)
{
	struct api *api = tui_api(sv->tui);
	struct list_query q = {0};
	struct event_query eq = {.upcoming = true};

	if (sv->req[s] != NULL)
		return;
	switch (s) {
	case SEC_LATEST:
		sv->req[s] = api_get_latest(api, &q, latest_done, sv);
		break;
	case SEC_EVENTS:
		sv->req[s] = api_get_events(api, &eq, events_done, sv);
		break;
	case SEC_NOTIFICATIONS:
		/* Only a member has notifications. */
		if (tui_username(sv->tui) != NULL)
			sv->req[s] = api_get_notifications(api, notes_done, sv);
		break;
	case SEC_COUNT:
		break;
	}
}

static void
start_reload(struct view *v, struct tui *t)
{
	struct start_view *sv = (struct start_view *)v;

	(void)t;
	for (size_t k = 0; k < sv->n_sections; k++)
		load_section(sv, sv->order[k]);
}

static void
start_cancel(struct view *v, struct tui *t)
{
	struct start_view *sv = (struct start_view *)v;

	for (int s = 0; s < SEC_COUNT; s++) {
		tui_cancel(t, sv->req[s]);
		sv->req[s] = NULL;
	}
}

/* ---- Drawing ---- */

static void
draw_event(struct start_view *sv, int y, int cols, const struct event *e,
           bool sel)
{
	char when[32] = "";
	time_t at = (time_t)e->starts_at;
	struct tm tm;
	char *text;
	int attr = sel ? tui_attr(TE_SELECTED) : tui_attr(TE_EVENT);

	(void)sv;
	if (at != 0 && localtime_r(&at, &tm) != NULL)
		strftime(when, sizeof when, "%a %e %b %H:%M", &tm);
	text = xasprintf(
	    "%s  %s%s%s", when,
	    e->name ? e->name : (e->topic_title ? e->topic_title : ""),
	    e->location ? " \u2014 " : "", e->location ? e->location : "");
	tui_put(y, 0, cols, "", attr, true);
	tui_put(y, 5, cols - 5, text, attr, false);
	free(text);
}

static void
draw_note(int y, int cols, const struct notification *n, bool sel)
{
	const char *title = n->fancy_title ? n->fancy_title : n->topic_title;
	char *text =
	    xasprintf("%s%s%s", n->display_username ? n->display_username : "",
	              n->display_username ? ": " : "",
	              title ? title : (n->badge_name ? n->badge_name : ""));
	int attr = sel ? tui_attr(TE_SELECTED) : tui_attr(TE_UNREAD);

	tui_put(y, 0, cols, "", attr, true);
	tui_put(y, 5, cols - 5, text, attr, false);
	free(text);
}

static void
draw_heading(struct start_view *sv, int y, int cols, enum section s)
{
	tui_put(y, 0, cols, _(section_titles[s]), tui_attr(TE_HEADING), true);
	(void)sv;
}

static void
draw_placeholder(struct start_view *sv, int y, int cols, enum section s)
{
	const char *text = _("(nothing)");

	if (sv->req[s] != NULL)
		text = _("loading\u2026");
	else if (sv->failed[s])
		text = _("(could not be loaded: R tries again)");
	else if (s == SEC_NOTIFICATIONS && tui_username(sv->tui) == NULL)
		text = _("(log in to see your notifications)");
	tui_put(y, 5, cols - 5, text, tui_attr(TE_DIM), false);
}

static void
draw_row(struct start_view *sv, struct tui *t, int y, int cols, size_t i)
{
	const struct row *r = &sv->rows[i];
	bool sel = i == sv->nav.sel;

	if (r->kind == ROW_HEADING)
		draw_heading(sv, y, cols, r->sec);
	else if (r->kind == ROW_NOTE)
		draw_placeholder(sv, y, cols, r->sec);
	else if (r->sec == SEC_LATEST)
		topic_row_draw(t, y, cols, &sv->latest->topics[r->item], sel);
	else if (r->sec == SEC_EVENTS)
		draw_event(sv, y, cols, &sv->events->items[r->item], sel);
	else
		draw_note(y, cols, &sv->notes->items[r->item], sel);
}

static void
start_draw(struct view *v, struct tui *t, int top, int rows, int cols)
{
	struct start_view *sv = (struct start_view *)v;

	list_nav_fit(&sv->nav, rows, selectable, sv);
	for (int r = 0; r < rows && sv->nav.top + (size_t)r < sv->n_rows; r++)
		draw_row(sv, t, top + r, cols, sv->nav.top + (size_t)r);
}

/* ---- Keys ---- */

static void
open_row(struct start_view *sv)
{
	const struct row *r;

	if (!selectable(sv, sv->nav.sel))
		return;
	r = &sv->rows[sv->nav.sel];
	if (r->sec == SEC_LATEST) {
		tui_push(sv->tui,
		         view_thread_new(sv->tui,
		                         sv->latest->topics[r->item].id, 0));
	} else if (r->sec == SEC_EVENTS) {
		tui_push(sv->tui, view_event_new(
		                      sv->tui, sv->events->items[r->item].id));
	} else {
		const struct notification *n = &sv->notes->items[r->item];

		if (n->topic_id != 0)
			tui_push(sv->tui, view_thread_new(sv->tui, n->topic_id,
			                                  n->post_number));
	}
}

static const char *
row_text(void *ctx, size_t row)
{
	struct start_view *sv = ctx;
	const struct row *r = &sv->rows[row];
	const struct notification *n;

	if (r->kind != ROW_ITEM)
		return NULL;
	if (r->sec == SEC_LATEST)
		return sv->latest->topics[r->item].title;
	if (r->sec == SEC_EVENTS)
		return sv->events->items[r->item].name;
	n = &sv->notes->items[r->item];
	return n->fancy_title ? n->fancy_title : n->topic_title;
}

/* Tab: the next topic with unread or new posts. */
static void
next_unread(struct start_view *sv)
{
	for (size_t i = sv->nav.sel + 1; i < sv->n_rows; i++) {
		const struct row *r = &sv->rows[i];
		const struct topic_entry *e;

		if (r->kind != ROW_ITEM || r->sec != SEC_LATEST)
			continue;
		e = &sv->latest->topics[r->item];
		if (e->unread_posts > 0 || e->new_posts > 0 || e->unseen) {
			list_nav_select(&sv->nav, i);
			sv->moved = true;
			return;
		}
	}
	tui_message(sv->tui, _("No more unread topics on the start page"));
}

static bool
start_action(struct view *v, struct tui *t, enum key_action a)
{
	struct start_view *sv = (struct start_view *)v;

	if (list_nav_action(&sv->nav, a, selectable, sv)) {
		sv->moved = true;
		return true;
	}
	if (a == ACT_SELECT) {
		open_row(sv);
		return true;
	}
	if (a == ACT_NEXT_UNREAD) {
		next_unread(sv);
		return true;
	}
	if (list_nav_find(&sv->nav, t, a, row_text, sv)) {
		sv->moved = true;
		return true;
	}
	return false;
}

static void
start_click(struct view *v, struct tui *t, int row)
{
	struct start_view *sv = (struct start_view *)v;
	bool again = list_nav_click(&sv->nav, row, selectable, sv);

	(void)t;
	sv->moved = true;
	if (again)
		open_row(sv);
}

static const char *
start_title(struct view *v)
{
	(void)v;
	return _("Start page");
}

static void
start_free(struct view *v)
{
	struct start_view *sv = (struct start_view *)v;

	start_cancel(v, sv->tui);
	topic_list_free(sv->latest);
	event_list_free(sv->events);
	notification_list_free(sv->notes);
	free(sv->rows);
	free(sv);
}

static const char *
start_loading(struct view *v)
{
	(void)v;
	return _("the start page");
}

static const struct view_ops start_ops = {
    .name = "start",
    .key_view = KV_LIST,
    .title = start_title,
    .draw = start_draw,
    .action = start_action,
    .click = start_click,
    .reload = start_reload,
    .cancel = start_cancel,
    .free = start_free,
    .loading = start_loading,
};

struct view *
view_start_new(struct tui *t)
{
	struct start_view *sv = xcalloc(1, sizeof *sv);
	const struct config *cfg = tui_config(t);

	sv->v.ops = &start_ops;
	sv->tui = t;
	parse_sections(sv, cfg ? cfg->start_sections : NULL);
	/* Only unknown names (already reported): an empty start page would
	 * look broken, so show the usual one. */
	if (sv->n_sections == 0)
		parse_sections(sv, NULL);
	build_rows(sv);
	start_reload(&sv->v, t);
	compose_note_drafts(t);
	return &sv->v;
}
