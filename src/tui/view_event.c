/*
 * view_event.c: one event: its fields, its description and the text of
 * the post that carries it (an event's id is its post's id), scrollable.
 * y/i/x answer it when logged in, e exports it to an .ics file, Enter
 * opens its topic and a the post's author.
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

/* A line: owned text with an attribute, or one of a rendered text's. */
struct event_line {
	char *text;
	int attr;
	const struct render_line *rendered;
};

struct event_view {
	struct view v;
	struct tui *tui;
	int64_t id;
	char *title;
	struct event *event;
	struct post *post;
	struct http_req *event_req, *post_req, *rsvp_req;
	/* Layout, made again when data arrives or the width changes. */
	struct rendered *description, *body;
	struct event_line *lines;
	size_t n_lines;
	int width; /* 0: lay out again */
	size_t top;
	int rows;
};

/* ---- layout ---- */

static void
add_line(struct event_view *ev, char *text, int attr)
{
	ev->lines =
	    xreallocarray(ev->lines, ev->n_lines + 1, sizeof *ev->lines);
	ev->lines[ev->n_lines++] = (struct event_line){text, attr, NULL};
}

static void
add_field(struct event_view *ev, const char *label, const char *value)
{
	char *c;

	if (value == NULL || *value == '\0')
		return;
	c = event_clean(value);
	add_line(ev, xasprintf("%-13s%s", label, c), tui_attr(TE_NORMAL));
	free(c);
}

static void
add_rendered(struct event_view *ev, const struct rendered *r)
{
	for (size_t i = 0; r != NULL && i < r->n_lines; i++) {
		add_line(ev, NULL, 0);
		ev->lines[ev->n_lines - 1].rendered = &r->lines[i];
	}
}

static void
lines_clear(struct event_view *ev)
{
	for (size_t i = 0; i < ev->n_lines; i++)
		free(ev->lines[i].text);
	free(ev->lines);
	ev->lines = NULL;
	ev->n_lines = 0;
	rendered_free(ev->description);
	rendered_free(ev->body);
	ev->description = ev->body = NULL;
}

/* Plain text as a paragraph of HTML, so the renderer wraps it. */
static struct rendered *
render_text(const char *text, int width)
{
	struct render_options o = {.width = width};
	struct buf html;
	struct rendered *r;

	buf_init(&html);
	buf_puts(&html, "<p>");
	for (const char *p = text; *p != '\0'; p++) {
		if (*p == '<')
			buf_puts(&html, "&lt;");
		else if (*p == '>')
			buf_puts(&html, "&gt;");
		else if (*p == '&')
			buf_puts(&html, "&amp;");
		else if (*p == '\n')
			buf_puts(&html, "<br>");
		else
			buf_putc(&html, *p);
	}
	buf_puts(&html, "</p>");
	r = render_html(html.data, html.len, &o);
	buf_free(&html);
	return r;
}

static void
layout_event(struct event_view *ev, int width)
{
	const struct event *e = ev->event;
	char when[160], counts[96];
	char *zoned;

	add_line(ev, event_clean(e->name ? e->name : e->topic_title),
	         tui_attr(TE_HEADING));
	ical_when_local(e, when, sizeof when);
	zoned = e->timezone ? xasprintf("%s (%s)", when, e->timezone)
	                    : xstrdup(when);
	add_field(ev, _("When:"), zoned);
	free(zoned);
	add_field(ev, _("Where:"), e->location);
	add_field(ev, _("Status:"), e->status);
	add_field(ev, _("Link:"), e->url);
	snprintf(counts, sizeof counts,
	         _("%d going, %d interested, %d not going"), e->going,
	         e->interested, e->not_going);
	add_field(ev, _("Answers:"), counts);
	if (tui_username(ev->tui) != NULL)
		add_field(ev, _("Your answer:"),
		          e->rsvp == RSVP_NONE
		              ? _("none (y going, i interested, x not going)")
		              : event_rsvp_label(e->rsvp));
	add_field(ev, _("Topic:"), e->topic_title);
	if (e->description != NULL && *e->description != '\0') {
		add_line(ev, xstrdup(""), 0);
		ev->description = render_text(e->description, width);
		add_rendered(ev, ev->description);
	}
}

static void
layout_post(struct event_view *ev, int width)
{
	const struct post *p = ev->post;
	struct render_options o = {.width = width,
	                           .base_url = tui_base_url(ev->tui)};
	char date[32];
	char *who = event_clean(p->name && *p->name ? p->name : p->username);
	char *user = event_clean(p->username);

	add_line(ev, xstrdup(""), 0);
	add_line(ev,
	         xasprintf("%s @%s, %s", who, user,
	                   tui_age(p->created_at, date, sizeof date)),
	         tui_attr(TE_POST_HEADER));
	free(user);
	free(who);
	if (p->cooked != NULL) {
		ev->body = render_html(p->cooked, strlen(p->cooked), &o);
		add_rendered(ev, ev->body);
	}
}

static void
layout(struct event_view *ev, int cols)
{
	int width = cols > 4 ? cols - 4 : 10;

	lines_clear(ev);
	ev->width = cols;
	if (ev->event == NULL) {
		add_line(ev, xstrdup(_("Loading the event...")),
		         tui_attr(TE_DIM));
		return;
	}
	layout_event(ev, width);
	if (ev->post != NULL)
		layout_post(ev, width);
}

/* ---- the view ---- */

static void
event_draw(struct view *v, struct tui *t, int top, int rows, int cols)
{
	struct event_view *ev = (struct event_view *)v;

	(void)t;
	if (ev->width != cols)
		layout(ev, cols);
	ev->rows = rows;
	if (ev->top + (size_t)rows > ev->n_lines)
		ev->top =
		    ev->n_lines > (size_t)rows ? ev->n_lines - (size_t)rows : 0;
	for (int y = 0; y < rows; y++) {
		size_t i = ev->top + (size_t)y;

		tui_put(top + y, 0, cols, "", tui_attr(TE_NORMAL), true);
		if (i >= ev->n_lines)
			continue;
		if (ev->lines[i].rendered != NULL)
			tui_put_rendered(top + y, 2, cols - 2,
			                 ev->lines[i].rendered);
		else
			tui_put(top + y, 1, cols - 1, ev->lines[i].text,
			        ev->lines[i].attr, false);
	}
}

static void
relayout(struct event_view *ev)
{
	ev->width = 0;
	tui_dirty(ev->tui);
}

static void
post_done(struct api_reply *r, void *arg)
{
	struct event_view *ev = arg;

	ev->post_req = NULL;
	if (!tui_reply_ok(ev->tui, r)) {
		post_free(r->data);
		return;
	}
	post_free(ev->post);
	ev->post = r->data;
	relayout(ev);
}

static void
event_done(struct api_reply *r, void *arg)
{
	struct event_view *ev = arg;

	ev->event_req = NULL;
	if (!tui_reply_ok(ev->tui, r)) {
		event_free(r->data);
		return;
	}
	event_free(ev->event);
	ev->event = r->data;
	free(ev->title);
	ev->title = event_clean(ev->event->name ? ev->event->name
	                                        : ev->event->topic_title);
	relayout(ev);
}

static void
rsvp_done(struct api_reply *r, void *arg)
{
	struct event_view *ev = arg;

	ev->rsvp_req = NULL;
	if (ev->event != NULL && events_rsvp_apply(ev->tui, ev->event, r)) {
		relayout(ev);
		/* The server's counts, whatever the answer told. */
		if (ev->event_req == NULL)
			ev->event_req = api_get_event(tui_api(ev->tui), ev->id,
			                              event_done, ev);
	} else if (ev->event == NULL) {
		tui_reply_ok(ev->tui, r);
	}
	event_free(r->data);
}

static bool
scroll_action(struct event_view *ev, enum key_action a)
{
	long delta;

	if (!tui_move_delta(a, ev->rows, ev->n_lines, &delta))
		return false;
	ev->top = tui_scroll_top(ev->top, delta, ev->n_lines, ev->rows);
	tui_dirty(ev->tui);
	return true;
}

static void
export_one(struct event_view *ev)
{
	char *name = xasprintf("ambt-event-%lld.ics", (long long)ev->id);
	char *path = events_ask_path(ev->tui, name);

	/* Looked up after the prompt: a reload may have replaced it. */
	if (path != NULL && ev->event != NULL)
		events_save(ev->tui, ev->event, 1, path);
	free(path);
	free(name);
}

static bool
event_action(struct view *v, struct tui *t, enum key_action a)
{
	struct event_view *ev = (struct event_view *)v;

	if (scroll_action(ev, a))
		return true;
	if (ev->event == NULL)
		return false;
	switch (a) {
	case ACT_RSVP_GOING:
	case ACT_RSVP_INTERESTED:
	case ACT_RSVP_NOT_GOING:
		if (ev->rsvp_req == NULL)
			ev->rsvp_req =
			    events_rsvp(t, ev->event, a, rsvp_done, ev);
		return true;
	case ACT_EXPORT_ICS:
		export_one(ev);
		return true;
	case ACT_SELECT:
		if (ev->event->topic_id > 0)
			TUI_PUSH_OTHER(t, view_thread_new, ev->event->topic_id,
			               ev->event->post_number);
		return true;
	case ACT_AUTHOR_PROFILE:
		if (ev->post != NULL && ev->post->username != NULL)
			TUI_PUSH_OTHER(t, view_profile_new, ev->post->username);
		return true;
	default:
		return false;
	}
}

static void
event_cancel(struct view *v, struct tui *t)
{
	struct event_view *ev = (struct event_view *)v;

	tui_cancel(t, ev->event_req);
	tui_cancel(t, ev->post_req);
	tui_cancel(t, ev->rsvp_req);
	ev->event_req = ev->post_req = ev->rsvp_req = NULL;
}

static void
event_reload(struct view *v, struct tui *t)
{
	struct event_view *ev = (struct event_view *)v;

	if (ev->event_req == NULL)
		ev->event_req =
		    api_get_event(tui_api(t), ev->id, event_done, ev);
	if (ev->post_req == NULL)
		ev->post_req = api_get_post(tui_api(t), ev->id, post_done, ev);
}

static const char *
event_title(struct view *v)
{
	struct event_view *ev = (struct event_view *)v;

	return ev->title ? ev->title : _("Event");
}

static void
event_view_free(struct view *v)
{
	struct event_view *ev = (struct event_view *)v;

	event_cancel(v, ev->tui);
	lines_clear(ev);
	event_free(ev->event);
	post_free(ev->post);
	free(ev->title);
	free(ev);
}

static const struct view_ops event_ops = {
    .name = "event",
    .key_view = KV_EVENT,
    .title = event_title,
    .draw = event_draw,
    .action = event_action,
    .click = NULL,
    .reload = event_reload,
    .cancel = event_cancel,
    .free = event_view_free,
};

struct view *
view_event_new(struct tui *t, int64_t event_id)
{
	struct event_view *ev = xcalloc(1, sizeof *ev);

	ev->v.ops = &event_ops;
	ev->tui = t;
	ev->id = event_id;
	event_reload(&ev->v, t);
	return &ev->v;
}
