/*
 * view_profile.c: a member's profile: name, title, bio, where and since
 * when, counts, trust level, badges and recent activity, scrollable. Three
 * requests (/u/NAME.json, its summary, /user_actions.json) fill it in as
 * they answer; the lines are laid out again when data arrives or the
 * width changes.
 */
#include "config.h"

#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ambt/i18n.h"
#include "ambt/util.h"
#include "tui/core.h"
#include "tui/tui.h"

struct profile_line {
	char *text; /* sanitized; NULL for a rendered line */
	int attr;
	const struct render_line *rendered;
	int64_t topic_id; /* activity lines: Enter opens the post */
	int post_number;
};

struct view_profile {
	struct view base;
	struct tui *tui;
	char *username;
	char *title;
	struct user_profile *user;
	struct user_summary *summary;
	struct user_action_list *actions;
	struct http_req *user_req, *summary_req, *actions_req;
	/* Layout. */
	struct rendered *bio;
	struct profile_line *lines;
	size_t n_lines;
	int width; /* 0: lay out again */
	size_t top;
	int rows;
};

static struct view_profile *
as_profile(struct view *view)
{
	return (struct view_profile *)view;
}

static char *
clean(const char *s)
{
	return utf8_sanitize(s ? s : "", s ? strlen(s) : 0);
}

/* ---- Layout ---- */

static void
add_line(struct view_profile *v, char *text, int attr)
{
	v->lines = xreallocarray(v->lines, v->n_lines + 1, sizeof *v->lines);
	v->lines[v->n_lines++] =
	    (struct profile_line){.text = text, .attr = attr};
}

/* "Label: value" when value is given. */
static void
add_field(struct view_profile *v, const char *label, const char *value)
{
	char *c;

	if (value == NULL || *value == '\0')
		return;
	c = clean(value);
	add_line(v, xasprintf("%-12s %s", label, c), tui_attr(TE_NORMAL));
	free(c);
}

static void
add_date(struct view_profile *v, const char *label, int64_t t)
{
	char when[96] = "", age[16];
	time_t at = (time_t)t;
	struct tm tm;

	if (t == 0 || localtime_r(&at, &tm) == NULL)
		return;
	strftime(when, sizeof when, "%e %b %Y", &tm);
	add_line(v,
	         xasprintf(_("%-12s %s (%s ago)"), label, when,
	                   tui_age(t, age, sizeof age)),
	         tui_attr(TE_NORMAL));
}

static const char *
trust_name(int level)
{
	static const char *names[] = {N_("new user"), N_("basic user"),
	                              N_("member"), N_("regular"),
	                              N_("leader")};

	return level >= 0 && level < 5 ? _(names[level]) : "?";
}

static void
layout_head(struct view_profile *v)
{
	const struct user_profile *u = v->user;
	char *name = clean(u->name), *user = clean(u->username);

	add_line(v,
	         *name ? xasprintf("%s  @%s", name, user)
	               : xasprintf("@%s", user),
	         tui_attr(TE_HEADING) | A_BOLD);
	free(name);
	free(user);
	if (u->title && *u->title)
		add_line(v, clean(u->title), tui_attr(TE_DIM));
	add_line(v, xstrdup(""), 0);
}

static void
layout_bio(struct view_profile *v, int cols)
{
	struct render_options o = {.width = cols - 2,
	                           .base_url = tui_base_url(v->tui)};
	const char *html = v->user->bio_cooked;

	rendered_free(v->bio);
	v->bio = NULL;
	if (html == NULL || *html == '\0')
		return;
	v->bio = render_html(html, strlen(html), &o);
	for (size_t i = 0; i < v->bio->n_lines; i++) {
		add_line(v, NULL, 0);
		v->lines[v->n_lines - 1].rendered = &v->bio->lines[i];
	}
	add_line(v, xstrdup(""), 0);
}

/* "Activity:    12 posts · 3 topics · 40 likes received · 90 days
 * visited", each counted in the user's language; only the posts when
 * there is no summary. */
static char *
activity_text(const struct user_summary *s, int posts)
{
	struct buf b;

	buf_init(&b);
	buf_printf(&b, "%-12s ", _("Activity:"));
	buf_printf(&b, P_("%d post", "%d posts", posts), posts);
	if (s == NULL)
		return buf_steal(&b);
	buf_puts(&b, " \u00b7 ");
	buf_printf(&b, P_("%d topic", "%d topics", s->topic_count),
	           s->topic_count);
	buf_puts(&b, " \u00b7 ");
	buf_printf(
	    &b, P_("%d like received", "%d likes received", s->likes_received),
	    s->likes_received);
	buf_puts(&b, " \u00b7 ");
	buf_printf(&b, P_("%d day visited", "%d days visited", s->days_visited),
	           s->days_visited);
	return buf_steal(&b);
}

static void
layout_facts(struct view_profile *v)
{
	const struct user_profile *u = v->user;
	const struct user_summary *s = v->summary;
	int posts = s ? s->post_count : u->post_count;

	add_field(v, _("Location:"), u->location);
	add_field(v, _("Website:"),
	          u->website_name && *u->website_name ? u->website_name
	                                              : u->website);
	add_date(v, _("Joined:"), u->created_at);
	add_date(v, _("Last post:"), u->last_posted_at);
	add_date(v, _("Last seen:"), u->last_seen_at);
	if (s || posts >= 0)
		add_line(v, activity_text(s, posts), tui_attr(TE_NORMAL));
	if (u->trust_level >= 0)
		add_line(v,
		         xasprintf("%-12s %d (%s)%s", _("Trust level:"),
		                   u->trust_level, trust_name(u->trust_level),
		                   u->admin       ? _(" \u00b7 admin")
		                   : u->moderator ? _(" \u00b7 moderator")
		                                  : ""),
		         tui_attr(TE_NORMAL));
}

static void
layout_badges(struct view_profile *v)
{
	if (v->user->n_badges == 0)
		return;
	add_line(v, xstrdup(""), 0);
	add_line(v, xasprintf(_("Badges (%zu)"), v->user->n_badges),
	         tui_attr(TE_HEADING));
	for (size_t i = 0; i < v->user->n_badges; i++) {
		char *name = clean(v->user->badges[i].name);

		add_line(v, xasprintf("  \u2022 %s", name),
		         tui_attr(TE_NORMAL));
		free(name);
	}
}

static const char *
action_verb(int type)
{
	switch (type) {
	case 1:
		return _("liked");
	case 4:
		return _("started");
	case 5:
		return _("replied in");
	default:
		return _("posted in");
	}
}

static void
layout_activity(struct view_profile *v)
{
	if (v->actions == NULL || v->actions->n == 0)
		return;
	add_line(v, xstrdup(""), 0);
	add_line(v, xstrdup(_("Recent activity (Enter opens)")),
	         tui_attr(TE_HEADING));
	for (size_t i = 0; i < v->actions->n; i++) {
		const struct user_action *a = &v->actions->items[i];
		char age[16], *title = clean(a->title);

		add_line(v,
		         xasprintf("  %-4s %s \u201c%s\u201d #%d",
		                   tui_age(a->created_at, age, sizeof age),
		                   action_verb(a->action_type), title,
		                   a->post_number),
		         tui_attr(TE_NORMAL));
		v->lines[v->n_lines - 1].topic_id = a->topic_id;
		v->lines[v->n_lines - 1].post_number = a->post_number;
		free(title);
	}
}

static void
lines_clear(struct view_profile *v)
{
	for (size_t i = 0; i < v->n_lines; i++)
		free(v->lines[i].text);
	free(v->lines);
	v->lines = NULL;
	v->n_lines = 0;
}

static void
layout(struct view_profile *v, int cols)
{
	lines_clear(v);
	v->width = cols;
	if (v->user == NULL)
		return;
	layout_head(v);
	layout_bio(v, cols);
	layout_facts(v);
	layout_badges(v);
	layout_activity(v);
}

/* ---- Requests ---- */

static void
user_done(struct api_reply *r, void *arg)
{
	struct view_profile *v = arg;

	v->user_req = NULL;
	if (!tui_reply_ok(v->tui, r))
		return;
	user_profile_free(v->user);
	v->user = r->data;
	v->width = 0;
}

static void
summary_done(struct api_reply *r, void *arg)
{
	struct view_profile *v = arg;

	v->summary_req = NULL;
	/* The profile stands without its summary: no error for it. */
	if (r->err.kind != AMBT_OK) {
		user_summary_free(r->data);
		return;
	}
	user_summary_free(v->summary);
	v->summary = r->data;
	v->width = 0;
	tui_dirty(v->tui);
}

static void
actions_done(struct api_reply *r, void *arg)
{
	struct view_profile *v = arg;

	v->actions_req = NULL;
	if (r->err.kind != AMBT_OK) {
		user_action_list_free(r->data);
		return;
	}
	user_action_list_free(v->actions);
	v->actions = r->data;
	v->width = 0;
	tui_dirty(v->tui);
}

static void
load(struct view_profile *v)
{
	struct api *api = tui_api(v->tui);

	if (v->user_req == NULL)
		v->user_req = api_get_user(api, v->username, user_done, v);
	if (v->summary_req == NULL)
		v->summary_req =
		    api_get_user_summary(api, v->username, summary_done, v);
	if (v->actions_req == NULL)
		v->actions_req =
		    api_get_user_actions(api, v->username, actions_done, v);
}

/* ---- The view ---- */

static const char *
vp_title(struct view *view)
{
	return as_profile(view)->title;
}

static void
vp_draw(struct view *view, struct tui *tui, int top, int rows, int cols)
{
	struct view_profile *v = as_profile(view);

	(void)tui;
	v->rows = rows;
	if (v->width != cols)
		layout(v, cols);
	if (v->n_lines == 0) {
		tui_put(top, 0, cols,
		        v->user_req ? _("\u2026 loading the profile")
		                    : _("The profile could not be loaded"),
		        tui_attr(TE_DIM), false);
		return;
	}
	if (v->top >= v->n_lines)
		v->top = v->n_lines - 1;
	for (int y = 0; y < rows && v->top + (size_t)y < v->n_lines; y++) {
		const struct profile_line *l = &v->lines[v->top + (size_t)y];

		if (l->rendered)
			tui_put_rendered(top + y, 2, cols - 2, l->rendered);
		else
			tui_put(top + y, 0, cols, l->text, l->attr, false);
	}
}

/* Enter: the first activity line on screen opens its post. */
static void
open_activity(struct view_profile *v)
{
	for (size_t i = v->top; i < v->n_lines && i < v->top + (size_t)v->rows;
	     i++) {
		if (v->lines[i].topic_id > 0) {
			tui_push(v->tui,
			         view_thread_new(v->tui, v->lines[i].topic_id,
			                         v->lines[i].post_number));
			return;
		}
	}
	tui_message(v->tui, _("No recent activity on screen"));
}

static bool
vp_action(struct view *view, struct tui *tui, enum key_action a)
{
	struct view_profile *v = as_profile(view);
	long delta;

	(void)tui;
	if (tui_move_delta(a, v->rows, v->n_lines, &delta)) {
		v->top = tui_scroll_top(v->top, delta, v->n_lines, v->rows);
		return true;
	}
	if (a != ACT_SELECT)
		return false;
	open_activity(v);
	return true;
}

static void
vp_reload(struct view *view, struct tui *tui)
{
	(void)tui;
	load(as_profile(view));
}

static void
vp_cancel(struct view *view, struct tui *tui)
{
	struct view_profile *v = as_profile(view);

	if (v->user_req)
		tui_cancel(tui, v->user_req);
	if (v->summary_req)
		tui_cancel(tui, v->summary_req);
	if (v->actions_req)
		tui_cancel(tui, v->actions_req);
}

static void
vp_free(struct view *view)
{
	struct view_profile *v = as_profile(view);

	vp_cancel(view, v->tui);
	lines_clear(v);
	rendered_free(v->bio);
	user_profile_free(v->user);
	user_summary_free(v->summary);
	user_action_list_free(v->actions);
	free(v->username);
	free(v->title);
	free(v);
}

static const struct view_ops profile_ops = {
    .name = "profile",
    .key_view = KV_PROFILE,
    .title = vp_title,
    .draw = vp_draw,
    .action = vp_action,
    .click = NULL,
    .reload = vp_reload,
    .cancel = vp_cancel,
    .free = vp_free,
};

struct view *
view_profile_new(struct tui *tui, const char *username)
{
	struct view_profile *v = xcalloc(1, sizeof *v);
	char *user = clean(username);

	v->base.ops = &profile_ops;
	v->tui = tui;
	v->username = xstrdup(username);
	v->title = xasprintf(_("Profile of @%s"), user);
	free(user);
	load(v);
	return &v->base;
}
