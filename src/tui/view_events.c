/*
 * view_events.c: the forum's events, upcoming then past, each with its
 * date range (local time zone and locale), place, status and how many go
 * or are interested. Enter opens the event; y/i/x answer it; e exports
 * them all to an .ics file.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ambt/i18n.h"
#include "ambt/ical.h"
#include "ambt/util.h"
#include "tui/core.h"
#include "tui/view_events.h"

enum { SECTION_UPCOMING, SECTION_PAST, N_SECTIONS };
static const char *const section_titles[N_SECTIONS] = {N_("Upcoming"),
                                                       N_("Past")};

/* A row: a section's heading (event NULL) or an event. */
struct events_row {
	int section;
	struct event *event;
};

struct events_view {
	struct view v;
	struct tui *tui;
	struct event_list *lists[N_SECTIONS];
	struct http_req *reqs[N_SECTIONS];
	struct http_req *rsvp_req;
	struct events_row *rows;
	struct list_nav nav;
};

/* ---- shared with view_event.c ---- */

char *
event_clean(const char *s)
{
	char *c = utf8_sanitize(s ? s : "", s ? strlen(s) : 0);

	for (char *p = c; *p != '\0'; p++)
		if (*p == '\n' || *p == '\t')
			*p = ' ';
	return c;
}

const char *
event_counts(const struct event *e, char *buf, size_t size)
{
	snprintf(buf, size, _("%d going, %d interested"), e->going,
	         e->interested);
	return buf;
}

const char *
event_rsvp_label(enum rsvp_status s)
{
	switch (s) {
	case RSVP_GOING:
		return _("going");
	case RSVP_INTERESTED:
		return _("interested");
	case RSVP_NOT_GOING:
		/* TRANSLATORS: the events plugin's name for the answer. */
		return _("not_going");
	case RSVP_NONE:
		break;
	}
	return _("none");
}

/* "~/x" is $HOME/x. */
static char *
expand_home(const char *path)
{
	const char *home = getenv("HOME");

	if (strncmp(path, "~/", 2) == 0 && home != NULL)
		return xasprintf("%s/%s", home, path + 2);
	return xstrdup(path);
}

char *
events_ask_path(struct tui *t, const char *default_name)
{
	char *question = xasprintf(_("Export to (~/%s): "), default_name);
	char *answer = tui_prompt(t, question);
	char *fallback = xasprintf("~/%s", default_name);
	char *path = NULL;

	if (answer != NULL) /* NULL: cancelled */
		path = expand_home(*answer ? answer : fallback);
	free(fallback);
	free(answer);
	free(question);
	return path;
}

void
events_save(struct tui *t, const struct event *events, size_t n,
            const char *path)
{
	struct ical_options o = {.base_url = tui_base_url(t)};
	struct ambt_error err = {0};
	char *text = ical_export(events, n, &o);

	if (ical_save(path, text, &err) == 0)
		tui_message(t,
		            P_("Exported %zu event to %s",
		               "Exported %zu events to %s", n),
		            n, path);
	else
		tui_error(t, "%s", err.msg);
	free(text);
}

struct http_req *
events_rsvp(struct tui *t, const struct event *e, enum key_action a,
            api_done_fn done, void *arg)
{
	enum rsvp_status status = a == ACT_RSVP_GOING        ? RSVP_GOING
	                          : a == ACT_RSVP_INTERESTED ? RSVP_INTERESTED
	                                                     : RSVP_NOT_GOING;

	if (tui_username(t) == NULL) {
		tui_error(t, _("answering an event needs a login (set api_key "
		               "and api_username)"));
		return NULL;
	}
	if (!e->can_act) {
		tui_error(t, _("this event takes no answers (closed, past or "
		               "private)"));
		return NULL;
	}
	tui_message(t, _("Answering: %s..."), event_rsvp_label(status));
	return api_rsvp(tui_api(t), e->id, e->invitee_id, status, done, arg);
}

bool
events_rsvp_apply(struct tui *t, struct event *e, struct api_reply *r)
{
	const struct event *got = r->data;
	char counts[64];

	if (!tui_reply_ok(t, r))
		return false;
	e->rsvp = got->rsvp;
	e->invitee_id = got->invitee_id;
	if (got->going >= 0) {
		e->going = got->going;
		e->interested = got->interested;
		e->not_going = got->not_going;
	}
	tui_message(t, _("Your answer: %s (%s)"), event_rsvp_label(e->rsvp),
	            event_counts(e, counts, sizeof counts));
	return true;
}

/* ---- the list ---- */

static bool
row_selectable(void *ctx, size_t row)
{
	const struct events_view *ev = ctx;

	return ev->rows[row].event != NULL;
}

static void
rows_build(struct events_view *ev)
{
	int64_t selected = 0;
	size_t n = 0;

	if (ev->nav.sel < ev->nav.n && ev->rows[ev->nav.sel].event)
		selected = ev->rows[ev->nav.sel].event->id;
	free(ev->rows);
	ev->rows = NULL;
	for (int s = 0; s < N_SECTIONS; s++)
		n += 1 + (ev->lists[s] ? ev->lists[s]->n : 0);
	ev->rows = xcalloc(n, sizeof *ev->rows);
	n = 0;
	for (int s = 0; s < N_SECTIONS; s++) {
		ev->rows[n++] = (struct events_row){s, NULL};
		for (size_t i = 0; ev->lists[s] && i < ev->lists[s]->n; i++) {
			struct event *e = &ev->lists[s]->items[i];

			if (e->id == selected)
				ev->nav.sel = n;
			ev->rows[n++] = (struct events_row){s, e};
		}
	}
	ev->nav.n = n;
}

static void
list_done(struct events_view *ev, int section, struct api_reply *r)
{
	ev->reqs[section] = NULL;
	if (!tui_reply_ok(ev->tui, r)) {
		event_list_free(r->data);
		return;
	}
	event_list_free(ev->lists[section]);
	ev->lists[section] = r->data;
	rows_build(ev);
	tui_dirty(ev->tui);
}

static void
upcoming_done(struct api_reply *r, void *arg)
{
	list_done(arg, SECTION_UPCOMING, r);
}

static void
past_done(struct api_reply *r, void *arg)
{
	list_done(arg, SECTION_PAST, r);
}

static void
draw_heading(struct events_view *ev, int y, int cols, int section)
{
	const struct event_list *l = ev->lists[section];
	char *text;

	if (l == NULL)
		text = xasprintf(_("%s (loading)"), _(section_titles[section]));
	else if (l->n == 0)
		text = xasprintf(_("%s: none"), _(section_titles[section]));
	else
		text = xstrdup(_(section_titles[section]));
	tui_put(y, 0, cols, text, tui_attr(TE_HEADING), true);
	free(text);
}

/* The right-hand column, as much of it as leaves the name room: status
 * and both counts, both counts, or how many go. */
static char *
event_right(const struct event *e, int room, int name_cols)
{
	char counts[64];
	char *status = event_clean(e->status);
	char *right = NULL;
	int want = name_cols < 40 ? name_cols : 40;

	for (int detail = 2; detail >= 0; detail--) {
		free(right);
		if (detail == 2 && *status)
			right =
			    xasprintf("%s  %s", status,
			              event_counts(e, counts, sizeof counts));
		else if (detail >= 1)
			right = xstrdup(event_counts(e, counts, sizeof counts));
		else
			right = xasprintf(_("%d going"), e->going);
		if (room - (int)utf8_width(right) - 2 >= want)
			break;
	}
	free(status);
	return right;
}

/* when  name @ place [*]  [status]  N going, M interested */
static void
draw_event(int y, int cols, const struct event *e, bool selected)
{
	char when[128];
	char *name = event_clean(e->name ? e->name : e->topic_title);
	char *place = event_clean(e->location);
	char *left = xasprintf("%s%s%s%s", name, *place ? " @ " : "", place,
	                       e->rsvp != RSVP_NONE ? " *" : "");
	int attr = selected ? tui_attr(TE_SELECTED) : tui_attr(TE_NORMAL);
	int dim = selected ? attr : tui_attr(TE_DIM);
	int when_cols = cols >= 70 ? 29 : 0;
	int room = cols - when_cols - 1;
	char *right = event_right(e, room, (int)utf8_width(name));
	int wide = (int)utf8_width(right);

	tui_put(y, 0, cols, "", attr, true);
	if (when_cols > 0)
		tui_put(y, 1, when_cols, ical_when_local(e, when, sizeof when),
		        dim, false);
	if (room - wide - 2 > 10) {
		tui_put(y, 1 + when_cols, room - wide - 2, left, attr, false);
		tui_put(y, cols - wide - 1, wide, right, dim, false);
	} else {
		tui_put(y, 1 + when_cols, room - 1, left, attr, false);
	}
	free(right);
	free(left);
	free(place);
	free(name);
}

static void
events_draw(struct view *v, struct tui *t, int top, int rows, int cols)
{
	struct events_view *ev = (struct events_view *)v;

	(void)t;
	list_nav_fit(&ev->nav, rows, row_selectable, ev);
	for (int r = 0; r < rows && ev->nav.top + (size_t)r < ev->nav.n; r++) {
		size_t i = ev->nav.top + (size_t)r;
		const struct events_row *row = &ev->rows[i];

		if (row->event == NULL)
			draw_heading(ev, top + r, cols, row->section);
		else
			draw_event(top + r, cols, row->event, i == ev->nav.sel);
	}
}

static struct event *
selected_event(struct events_view *ev)
{
	if (ev->nav.sel >= ev->nav.n)
		return NULL;
	return ev->rows[ev->nav.sel].event;
}

static void
open_selected(struct events_view *ev)
{
	struct event *e = selected_event(ev);

	if (e != NULL)
		TUI_PUSH_OTHER(ev->tui, view_event_new, e->id);
}

static void
rsvp_done(struct api_reply *r, void *arg)
{
	struct events_view *ev = arg;
	struct event *got = r->data;

	ev->rsvp_req = NULL;
	for (size_t i = 0; got && i < ev->nav.n; i++) {
		struct event *e = ev->rows[i].event;

		if (e != NULL && e->id == got->id) {
			events_rsvp_apply(ev->tui, e, r);
			break;
		}
	}
	if (got == NULL)
		tui_reply_ok(ev->tui, r);
	event_free(got);
	tui_dirty(ev->tui);
}

/* Every event of both sections. The path is asked first: data that
 * arrives while the prompt waits may replace the lists. */
static void
export_all(struct events_view *ev)
{
	char *path = events_ask_path(ev->tui, "ambt-events.ics");
	struct event *all;
	size_t n = 0;

	if (path == NULL)
		return;
	all = xcalloc(ev->nav.n + 1, sizeof *all);
	for (size_t i = 0; i < ev->nav.n; i++)
		if (ev->rows[i].event != NULL)
			all[n++] = *ev->rows[i].event; /* shallow: only read */
	if (n == 0)
		tui_message(ev->tui, _("No events to export"));
	else
		events_save(ev->tui, all, n, path);
	free(all);
	free(path);
}

static bool
events_action(struct view *v, struct tui *t, enum key_action a)
{
	struct events_view *ev = (struct events_view *)v;
	struct event *e;

	(void)t;
	if (list_nav_action(&ev->nav, a, row_selectable, ev))
		return true;
	switch (a) {
	case ACT_SELECT:
		open_selected(ev);
		return true;
	case ACT_EXPORT_ICS:
		export_all(ev);
		return true;
	case ACT_RSVP_GOING:
	case ACT_RSVP_INTERESTED:
	case ACT_RSVP_NOT_GOING:
		e = selected_event(ev);
		if (e != NULL && ev->rsvp_req == NULL)
			ev->rsvp_req =
			    events_rsvp(ev->tui, e, a, rsvp_done, ev);
		return true;
	default:
		return false;
	}
}

static void
events_click(struct view *v, struct tui *t, int row)
{
	struct events_view *ev = (struct events_view *)v;

	(void)t;
	if (list_nav_click(&ev->nav, row, row_selectable, ev))
		open_selected(ev);
}

static void
events_cancel(struct view *v, struct tui *t)
{
	struct events_view *ev = (struct events_view *)v;

	for (int s = 0; s < N_SECTIONS; s++) {
		tui_cancel(t, ev->reqs[s]);
		ev->reqs[s] = NULL;
	}
	tui_cancel(t, ev->rsvp_req);
	ev->rsvp_req = NULL;
}

static void
events_reload(struct view *v, struct tui *t)
{
	struct events_view *ev = (struct events_view *)v;
	const struct event_query upcoming = {.upcoming = true};
	const struct event_query past = {.past = true};

	if (ev->reqs[SECTION_UPCOMING] == NULL)
		ev->reqs[SECTION_UPCOMING] =
		    api_get_events(tui_api(t), &upcoming, upcoming_done, ev);
	if (ev->reqs[SECTION_PAST] == NULL)
		ev->reqs[SECTION_PAST] =
		    api_get_events(tui_api(t), &past, past_done, ev);
}

static const char *
events_title(struct view *v)
{
	(void)v;
	return _("Events");
}

static void
events_free(struct view *v)
{
	struct events_view *ev = (struct events_view *)v;

	events_cancel(v, ev->tui);
	for (int s = 0; s < N_SECTIONS; s++)
		event_list_free(ev->lists[s]);
	free(ev->rows);
	free(ev);
}

static const struct view_ops events_ops = {
    .name = "events",
    .key_view = KV_LIST,
    .title = events_title,
    .draw = events_draw,
    .action = events_action,
    .click = events_click,
    .reload = events_reload,
    .cancel = events_cancel,
    .free = events_free,
};

struct view *
view_events_new(struct tui *t)
{
	struct events_view *ev = xcalloc(1, sizeof *ev);

	ev->v.ops = &events_ops;
	ev->tui = t;
	rows_build(ev);
	events_reload(&ev->v, t);
	return &ev->v;
}
