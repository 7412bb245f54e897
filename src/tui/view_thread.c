/*
 * view_thread.c: reading a topic. The first chunk comes with /t/{id}.json;
 * the rest by post id (or by post number in a mega topic) as the reader
 * nears them, at most VT_MAX_CHUNKS requests at a time, one chunk ahead.
 * It opens at the first unread post and reports what was on screen, and
 * for how long, to /topics/timings: every few seconds of reading (the
 * tui's tick, so a reader who only reads is counted) and when the view is
 * left, never waiting for the answer. The layout lives in
 * view_thread_layout.c.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ambt/i18n.h"
#include "ambt/util.h"
#include "tui/view_thread.h"

#define FLUSH_MS 5000 /* report reading time this often */
/* The tui ticks every second while the view is on top: a longer gap is
 * time it was covered (a profile on top) or the terminal was lent to
 * $BROWSER, and none of that is reading. */
#define MAX_TICK_MS 3000
/* No key for this long: the reader has left (Discourse's own screen
 * tracker stops counting after three minutes without scrolling). */
#define IDLE_MS (3 * 60 * 1000)

static struct view_thread *
as_thread(struct view *view)
{
	return (struct view_thread *)view;
}

/* ---- Reading time ---- */

static int64_t
ms_between(const struct timespec *a, const struct timespec *b)
{
	return (int64_t)(b->tv_sec - a->tv_sec) * 1000 +
	       (b->tv_nsec - a->tv_nsec) / 1000000;
}

/* Credit the time since the last tick to the posts the screen showed. */
static void
read_tick(struct view_thread *v)
{
	struct timespec now;
	int64_t ms;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = ms_between(&v->last_tick, &now);
	v->last_tick = now;
	if (v->thread == NULL || v->n_visible == 0 || ms <= 0 ||
	    ms > MAX_TICK_MS || ms_between(&v->last_key, &now) > IDLE_MS)
		return;
	thread_read_tick(v->thread, v->visible, v->n_visible, (int)ms);
}

static void
timings_done(struct api_reply *r, void *arg)
{
	/* Nothing to show: a lost report only means reading it again. */
	(void)r;
	(void)arg;
}

static void
save_position(struct view_thread *v)
{
	struct store *state = tui_state(v->tui);

	if (state && v->thread->highest_seen > 0)
		store_read_position_set(state, tui_base_url(v->tui),
		                        v->topic_id, v->thread->highest_seen,
		                        NULL);
}

static void
flush_timings(struct view_thread *v, bool force)
{
	struct timespec now;
	int *numbers, *ms, topic_ms;
	size_t n;

	clock_gettime(CLOCK_MONOTONIC, &now);
	if (v->thread == NULL ||
	    (!force && ms_between(&v->last_flush, &now) < FLUSH_MS))
		return;
	v->last_flush = now;
	n = thread_take_timings(v->thread, &numbers, &ms, &topic_ms);
	if (n == 0)
		return;
	api_post_timings(tui_api(v->tui), v->topic_id, numbers, ms, n, topic_ms,
	                 timings_done, NULL);
	save_position(v);
	free(numbers);
	free(ms);
}

/* ---- Where the reader is ---- */

/* The post under the top of the screen (the first for the header). */
static long
current_slot(struct view_thread *v)
{
	size_t item = vt_anchor_item(v);

	if (item == 0)
		item = 1;
	return vt_item_slot(v, item);
}

static const struct post *
current_post(struct view_thread *v)
{
	long slot = current_slot(v);

	return slot < 0 ? NULL : v->thread->slots[slot].post;
}

/* Put post n on top, or its best guess until its chunk is in. The first
 * post shows with the topic's header above it. */
static void
goto_post(struct view_thread *v, int n)
{
	size_t slot;

	v->want_post = thread_locate(v->thread, n, &slot) ? 0 : n;
	vt_order(v);
	v->at_end = false;
	if (v->thread->n == 0 || v->row_of_slot[slot] == 0)
		v->anchor_key = VT_HEADER_KEY;
	else
		v->anchor_key = thread_slot_key(v->thread, slot);
	v->anchor_line = 0;
}

/* ---- Requests ---- */

static void
chunk_done(struct api_reply *r, void *arg)
{
	struct vt_chunk_req *c = arg;
	struct view_thread *v = c->v;
	struct post_list *list = r->data;

	c->req = NULL;
	if (r->err.kind == AMBT_E_CANCELLED || !tui_reply_ok(v->tui, r)) {
		thread_chunk_failed(v->thread, &c->chunk);
		if (r->err.kind != AMBT_E_CANCELLED) {
			v->load_failed = true;
			v->offline = r->err.kind == AMBT_E_NET;
			tui_dirty(v->tui);
		}
		post_list_free(list);
		return;
	}
	v->offline = false;
	thread_chunk_done(v->thread, &c->chunk, list->posts, list->n_posts);
	post_list_free(list);
	v->order_stale = true;
	if (v->want_post > 0)
		goto_post(v, v->want_post);
	tui_dirty(v->tui);
}

static void
start_chunk(struct view_thread *v, struct vt_chunk_req *c)
{
	struct api *api = tui_api(v->tui);

	c->v = v;
	if (c->chunk.mega)
		c->req =
		    api_get_posts_near(api, v->topic_id, c->chunk.post_number,
		                       c->chunk.asc, chunk_done, c);
	else
		c->req = api_get_posts(api, v->topic_id, c->chunk.ids,
		                       c->chunk.n, chunk_done, c);
}

static struct vt_chunk_req *
free_chunk_req(struct view_thread *v)
{
	for (size_t i = 0; i < VT_MAX_CHUNKS; i++)
		if (v->chunks[i].req == NULL)
			return &v->chunks[i];
	return NULL;
}

/* Ask for what the screen shows and the chunk after it. */
static void
load_near_screen(struct view_thread *v)
{
	size_t item = vt_anchor_item(v);
	struct vt_chunk_req *c;

	if (v->load_failed)
		return;
	for (; item <= v->last_item && item < vt_n_items(v); item++) {
		long slot = vt_item_slot(v, item);

		if (slot < 0)
			continue;
		while ((c = free_chunk_req(v)) != NULL &&
		       thread_next_chunk(v->thread, (size_t)slot, &c->chunk))
			start_chunk(v, c);
		if (c == NULL || v->load_failed)
			return;
	}
}

static void
open_thread(struct view_thread *v, struct topic *topic)
{
	struct store *state = tui_state(v->tui);
	int local = 0;

	if (state && store_read_position_get(state, tui_base_url(v->tui),
	                                     v->topic_id, &local, NULL) != 1)
		local = 0;
	v->thread = thread_new(topic, local, post_ui_free);
	v->order_stale = true;
	goto_post(v,
	          v->open_at > 0 ? v->open_at : thread_open_number(v->thread));
}

static void
topic_done(struct api_reply *r, void *arg)
{
	struct view_thread *v = arg;
	struct topic *topic = r->data;

	v->topic_req = NULL;
	if (!tui_reply_ok(v->tui, r)) {
		if (r->err.kind != AMBT_E_CANCELLED)
			v->offline = r->err.kind == AMBT_E_NET;
		topic_free(topic);
		return;
	}
	if (v->thread == NULL)
		open_thread(v, topic);
	else
		thread_update(v->thread, topic);
	v->order_stale = true;
	topic_free(v->topic);
	v->topic = topic;
	free(v->title);
	v->title = utf8_sanitize(topic->title ? topic->title : "",
	                         topic->title ? strlen(topic->title) : 0);
	tui_dirty(v->tui);
}

static void
site_done(struct api_reply *r, void *arg)
{
	struct view_thread *v = arg;

	v->site_req = NULL;
	/* The category's name is a nicety: no error for it. */
	if (r->err.kind != AMBT_OK) {
		site_free(r->data);
		return;
	}
	site_free(v->site);
	v->site = r->data;
	tui_dirty(v->tui);
}

static long
slot_of_post(const struct thread *t, const struct post *p)
{
	return t->mega ? thread_slot_of_key(t, p->post_number)
	               : thread_slot_of_id(t, p->id);
}

/* Show a slot's raw Markdown (or its render again). */
static void
set_raw(struct view_thread *v, size_t slot, bool raw)
{
	struct thread_slot *s = &v->thread->slots[slot];
	struct post_ui *ui = s->ui;

	if (ui == NULL)
		ui = s->ui = xcalloc(1, sizeof *ui);
	ui->raw = raw;
	ui->width = -1; /* lay it out again */
}

static void
raw_done(struct api_reply *r, void *arg)
{
	struct view_thread *v = arg;
	struct post *p = r->data;
	long slot;

	v->raw_req = NULL;
	if (!tui_reply_ok(v->tui, r)) {
		post_free(p);
		return;
	}
	slot = slot_of_post(v->thread, p);
	if (slot >= 0 && v->thread->slots[slot].post && p->raw) {
		free(v->thread->slots[slot].post->raw);
		v->thread->slots[slot].post->raw = p->raw;
		p->raw = NULL;
		set_raw(v, (size_t)slot, true);
		tui_message(v->tui,
		            _("The raw text of #%d (v: rendered again)"),
		            p->post_number);
	}
	post_free(p);
	tui_dirty(v->tui);
}

static void
cancel_all(struct view_thread *v)
{
	if (v->topic_req)
		tui_cancel(v->tui, v->topic_req);
	if (v->site_req)
		tui_cancel(v->tui, v->site_req);
	if (v->raw_req)
		tui_cancel(v->tui, v->raw_req);
	for (size_t i = 0; i < VT_MAX_CHUNKS; i++)
		if (v->chunks[i].req)
			tui_cancel(v->tui, v->chunks[i].req);
}

/* ---- Actions ---- */

static void
next_unread(struct view_thread *v)
{
	const struct post *p = current_post(v);
	int n = thread_next_unread(v->thread, p ? p->post_number : 0);

	if (n == 0)
		tui_message(v->tui, _("No unread posts after this one"));
	else
		goto_post(v, n);
}

static void
prompt_goto(struct view_thread *v)
{
	char *answer = tui_prompt(v->tui, _("Go to post number: "));
	char *end;
	long n;

	if (answer == NULL)
		return;
	n = strtol(answer, &end, 10);
	if (end == answer || *end != '\0' || n < 1 || n > INT32_MAX)
		tui_error(v->tui, _("Not a post number: %s"), answer);
	else if (v->thread)
		goto_post(v, (int)n);
	free(answer);
}

static void
jump_back(struct view_thread *v)
{
	v->anchor_key = v->jumps[--v->n_jumps];
	v->anchor_line = 0;
	v->jumped_to = 0; /* no post has key 0 */
	tui_message(v->tui, _("Back"));
}

/* Follow "in reply to"; the same key on the post it led to goes back. */
static void
follow_reply(struct view_thread *v)
{
	const struct post *p = current_post(v);

	if (v->n_jumps > 0 && v->jumped_to == v->anchor_key) {
		jump_back(v);
		return;
	}
	if (p == NULL || p->reply_to_post_number <= 0) {
		if (v->n_jumps > 0)
			jump_back(v);
		else
			tui_message(v->tui, _("This post replies to no post"));
		return;
	}
	if (v->n_jumps == VT_MAX_JUMPS)
		memmove(v->jumps, v->jumps + 1,
		        (VT_MAX_JUMPS - 1) * sizeof *v->jumps);
	else
		v->n_jumps++;
	v->jumps[v->n_jumps - 1] = v->anchor_key;
	goto_post(v, p->reply_to_post_number);
	v->jumped_to = v->anchor_key;
}

static void
show_raw(struct view_thread *v)
{
	long slot = current_slot(v);
	const struct thread_slot *s;

	if (slot < 0 || v->thread->slots[slot].post == NULL)
		return;
	s = &v->thread->slots[slot];
	if (s->ui && ((struct post_ui *)s->ui)->raw) {
		set_raw(v, (size_t)slot, false);
	} else if (s->post->raw) {
		set_raw(v, (size_t)slot, true);
	} else if (v->raw_req == NULL) {
		v->raw_req =
		    api_get_post(tui_api(v->tui), s->post->id, raw_done, v);
		tui_message(v->tui, _("Fetching the raw text of #%d"),
		            s->post->post_number);
	}
}

static void
open_link(struct view_thread *v)
{
	long slot = current_slot(v);
	const struct rendered *body =
	    slot < 0 ? NULL : vt_body(v, (size_t)slot);
	size_t n = 1;

	if (body == NULL || body->n_links == 0) {
		tui_message(v->tui, _("This post has no links"));
		return;
	}
	if (body->n_links > 1) {
		char *q = xasprintf(_("Open link [1-%zu]: "), body->n_links);
		char *answer = tui_prompt(v->tui, q), *end = NULL;

		free(q);
		if (answer == NULL)
			return;
		n = strtoul(answer, &end, 10);
		if (end == answer || *end != '\0')
			n = 0;
		free(answer);
		/* The prompt ran the network: look again. */
		body = vt_body(v, (size_t)slot);
	}
	if (body == NULL || n < 1 || n > body->n_links) {
		tui_error(v->tui, _("No such link"));
		return;
	}
	tui_open_url(v->tui, body->links[n - 1].url);
}

static void
collapse(struct view_thread *v)
{
	long slot = current_slot(v);
	long row = slot < 0 ? -1 : v->row_of_slot[slot];

	if (!v->tree) {
		tui_message(v->tui, _("Branches fold in the reply tree (t)"));
		return;
	}
	if (row < 0 || !v->rows[row].has_replies) {
		tui_message(v->tui, _("No replies to fold here"));
		return;
	}
	v->thread->slots[slot].collapsed = !v->thread->slots[slot].collapsed;
	v->order_stale = true;
}

static void
author_profile(struct view_thread *v)
{
	const struct post *p = current_post(v);

	if (p && p->username)
		tui_push(v->tui, view_profile_new(v->tui, p->username));
}

static void
step_post(struct view_thread *v, int dir)
{
	size_t item = vt_anchor_item(v);

	if (dir > 0 && item + 1 < vt_n_items(v))
		vt_set_anchor(v, item + 1, 0);
	else if (dir < 0 && v->anchor_line == 0 && item > 0)
		vt_set_anchor(v, item - 1, 0);
	else if (dir < 0)
		vt_set_anchor(v, item, 0);
}

static bool
move_action(struct view_thread *v, enum key_action a)
{
	int page = v->rows_shown > 1 ? v->rows_shown - 1 : 1;

	switch (a) {
	case ACT_DOWN:
	case ACT_SELECT:
		vt_scroll(v, 1);
		break;
	case ACT_UP:
		vt_scroll(v, -1);
		break;
	case ACT_PAGE_DOWN:
		vt_scroll(v, page);
		break;
	case ACT_PAGE_UP:
		vt_scroll(v, -page);
		break;
	case ACT_HALF_DOWN:
		vt_scroll(v, (page + 1) / 2);
		break;
	case ACT_HALF_UP:
		vt_scroll(v, -(page + 1) / 2);
		break;
	case ACT_TOP:
	case ACT_FIRST_POST:
		vt_set_anchor(v, 0, 0);
		break;
	case ACT_BOTTOM:
		v->at_end = true;
		vt_scroll_to_end(v);
		return true;
	case ACT_LAST_POST:
		goto_post(v, v->thread->highest_post_number);
		break;
	case ACT_NEXT_POST:
	case ACT_PREV_POST:
		step_post(v, a == ACT_NEXT_POST ? 1 : -1);
		break;
	default:
		return false;
	}
	v->want_post = 0;
	v->at_end = false;
	return true;
}

static bool
thread_action(struct view_thread *v, enum key_action a)
{
	switch (a) {
	case ACT_NEXT_UNREAD:
		next_unread(v);
		return true;
	case ACT_GOTO_POST:
		prompt_goto(v);
		return true;
	case ACT_FOLLOW_REPLY:
		follow_reply(v);
		return true;
	case ACT_SHOW_RAW:
		show_raw(v);
		return true;
	case ACT_OPEN_LINK:
		open_link(v);
		return true;
	case ACT_TOGGLE_TREE:
		v->tree = !v->tree;
		v->order_stale = true;
		tui_message(v->tui, v->tree ? _("Reply tree") : _("In order"));
		return true;
	case ACT_COLLAPSE:
		collapse(v);
		return true;
	case ACT_AUTHOR_PROFILE:
		author_profile(v);
		return true;
	default:
		if (vt_write_action(v, a, current_post(v)))
			return true;
		return move_action(v, a);
	}
}

/* ---- The view ---- */

static const char *
vt_title(struct view *view)
{
	struct view_thread *v = as_thread(view);

	return v->title ? v->title : _("Topic");
}

static void
vt_draw_op(struct view *view, struct tui *tui, int top, int rows, int cols)
{
	struct view_thread *v = as_thread(view);

	(void)tui;
	read_tick(v);
	v->cols = cols;
	if (v->thread == NULL) {
		tui_put(top, 0, cols,
		        v->topic_req ? _("\u2026 loading the topic")
		                     : _("The topic could not be loaded (R "
		                         "tries again)"),
		        tui_attr(TE_DIM), false);
		return;
	}
	if (v->at_end) {
		v->rows_shown = rows;
		vt_order(v);
		vt_scroll_to_end(v);
	}
	vt_draw(v, top, rows, cols);
	load_near_screen(v);
}

static bool
vt_action(struct view *view, struct tui *tui, enum key_action a)
{
	struct view_thread *v = as_thread(view);

	(void)tui;
	read_tick(v);
	clock_gettime(CLOCK_MONOTONIC, &v->last_key);
	flush_timings(v, false);
	v->load_failed = false;
	if (v->thread == NULL)
		return false;
	return thread_action(v, a);
}

static void
vt_tick(struct view *view, struct tui *tui)
{
	struct view_thread *v = as_thread(view);

	(void)tui;
	read_tick(v);
	flush_timings(v, false);
}

static void
vt_reload(struct view *view, struct tui *tui)
{
	struct view_thread *v = as_thread(view);

	v->load_failed = false;
	if (v->topic_req == NULL)
		v->topic_req =
		    api_get_topic(tui_api(tui), v->topic_id, topic_done, v);
}

static void
vt_cancel(struct view *view, struct tui *tui)
{
	struct view_thread *v = as_thread(view);

	(void)tui;
	cancel_all(v);
	v->load_failed = true; /* until the reader moves */
}

static void
vt_free(struct view *view)
{
	struct view_thread *v = as_thread(view);

	read_tick(v);
	flush_timings(v, true);
	cancel_all(v);
	vt_write_free(v);
	thread_free(v->thread);
	topic_free(v->topic);
	site_free(v->site);
	free(v->rows);
	free(v->row_of_slot);
	free(v->visible);
	free(v->title);
	free(v);
}

static const struct view_ops thread_ops = {
    .name = "thread",
    .key_view = KV_THREAD,
    .title = vt_title,
    .draw = vt_draw_op,
    .action = vt_action,
    .click = NULL,
    .reload = vt_reload,
    .cancel = vt_cancel,
    .free = vt_free,
    .tick = vt_tick,
};

struct view *
view_thread_new(struct tui *tui, int64_t topic_id, int post_number)
{
	struct view_thread *v = xcalloc(1, sizeof *v);

	v->base.ops = &thread_ops;
	v->tui = tui;
	v->topic_id = topic_id;
	v->open_at = post_number;
	v->anchor_key = VT_HEADER_KEY;
	v->order_stale = true;
	clock_gettime(CLOCK_MONOTONIC, &v->last_tick);
	v->last_flush = v->last_tick;
	v->last_key = v->last_tick;
	v->topic_req = api_get_topic(tui_api(tui), topic_id, topic_done, v);
	v->site_req = api_get_site(tui_api(tui), site_done, v);
	return &v->base;
}
