/*
 * view_thread_write.c: the thread's writing keys. Replies and edits go to
 * compose.c; a like, a bookmark, the topic's notification level and a
 * flag are one request each, confirmed in the status line. A like's
 * count changes in place from the post the server sends back.
 */
#include "config.h"

#include <stdlib.h>

#include "ambt/i18n.h"
#include "ambt/util.h"
#include "tui/compose.h"
#include "tui/core.h"
#include "tui/view_thread.h"

/* A reply or an edit has landed: show the thread's end with it. */
static void
posted(void *arg)
{
	struct view_thread *v = arg;

	v->at_end = true;
	v->base.ops->reload(&v->base, v->tui);
}

static struct compose_owner
owner(struct view_thread *v)
{
	return (struct compose_owner){
	    .slot = &v->compose, .posted = posted, .arg = v};
}

static long
slot_of(const struct thread *t, const struct post *p)
{
	return t->mega ? thread_slot_of_key(t, p->post_number)
	               : thread_slot_of_id(t, p->id);
}

static void
like_done(struct api_reply *r, void *arg)
{
	struct view_thread *v = arg;
	struct post *p = r->data;
	long slot;

	v->write_req = NULL;
	if (!tui_reply_ok(v->tui, r)) {
		post_free(p);
		return;
	}
	slot = slot_of(v->thread, p);
	if (slot >= 0 && v->thread->slots[slot].post != NULL) {
		struct thread_slot *s = &v->thread->slots[slot];
		struct post_ui *ui = s->ui;

		s->post->like_count = p->like_count;
		s->post->liked = p->liked;
		s->post->can_unlike = p->can_unlike;
		if (ui != NULL)
			ui->width = -1; /* its meta line says the count */
	}
	tui_message(v->tui,
	            p->liked ? P_("Liked #%d (%d like)", "Liked #%d (%d likes)",
	                          p->like_count)
	                     : P_("Unliked #%d (%d like)",
	                          "Unliked #%d (%d likes)", p->like_count),
	            p->post_number, p->like_count);
	post_free(p);
	tui_dirty(v->tui);
}

static void
like(struct view_thread *v, const struct post *p)
{
	if (p->yours) {
		tui_error(v->tui, _("You cannot like your own post"));
		return;
	}
	if (p->liked)
		v->write_req = api_unlike(tui_api(v->tui), p->id, like_done, v);
	else
		v->write_req = api_like(tui_api(v->tui), p->id, like_done, v);
}

static void
bookmark_done(struct api_reply *r, void *arg)
{
	struct view_thread *v = arg;

	v->write_req = NULL;
	if (!tui_reply_ok(v->tui, r))
		return;
	v->topic->bookmarked = !v->topic->bookmarked;
	tui_message(v->tui, v->topic->bookmarked ? _("Topic bookmarked")
	                                         : _("Bookmark removed"));
}

static void
bookmark(struct view_thread *v)
{
	struct api *api = tui_api(v->tui);

	if (v->topic->bookmarked)
		v->write_req =
		    api_remove_bookmarks(api, v->topic_id, bookmark_done, v);
	else
		v->write_req =
		    api_bookmark_topic(api, v->topic_id, bookmark_done, v);
}

static const char *
level_name(int level)
{
	static const char *const names[] = {N_("muted"), N_("normal"),
	                                    N_("tracking"), N_("watching")};

	return _(level >= 0 && level < 4 ? names[level] : names[1]);
}

/* w cycles watching -> tracking -> normal -> muted -> watching. */
static int
next_level(int level)
{
	switch (level) {
	case NOTIFY_LEVEL_WATCHING:
	case NOTIFY_LEVEL_WATCHING_FIRST_POST:
		return NOTIFY_LEVEL_TRACKING;
	case NOTIFY_LEVEL_TRACKING:
		return NOTIFY_LEVEL_REGULAR;
	case NOTIFY_LEVEL_MUTED:
		return NOTIFY_LEVEL_WATCHING;
	default:
		return NOTIFY_LEVEL_MUTED;
	}
}

static void
level_done(struct api_reply *r, void *arg)
{
	struct view_thread *v = arg;

	v->write_req = NULL;
	if (!tui_reply_ok(v->tui, r))
		return;
	v->topic->notification_level = next_level(v->topic->notification_level);
	tui_message(v->tui, _("This topic: %s (w: next level)"),
	            level_name(v->topic->notification_level));
}

static void
notify_level(struct view_thread *v)
{
	v->write_req = api_set_notification_level(
	    tui_api(v->tui), v->topic_id,
	    next_level(v->topic->notification_level), level_done, v);
}

static void
flag_done(struct api_reply *r, void *arg)
{
	struct view_thread *v = arg;

	v->write_req = NULL;
	if (r->err.kind == AMBT_OK)
		tui_message(v->tui, _("Reported to the moderators"));
	else if (r->err.kind != AMBT_E_CANCELLED)
		tui_error(v->tui, _("Not reported: %s"),
		          tui_error_words(&r->err));
	post_free(r->data);
}

/* Discourse's reasons, in the order of its "Een probleem rapporteren". */
static const struct {
	enum post_action type;
	const char *name;
} flag_reasons[] = {
    {POST_ACTION_OFF_TOPIC, N_("off-topic")},
    {POST_ACTION_INAPPROPRIATE, N_("inappropriate")},
    {POST_ACTION_SPAM, N_("spam")},
    {POST_ACTION_NOTIFY_MODERATORS, N_("something else")},
};

/* The reason chosen by its number, or -1 (Esc or no such number). */
static int
ask_flag_reason(struct view_thread *v)
{
	struct buf q;
	char *a;
	int n = -1;

	buf_init(&q);
	buf_puts(&q, _("Report post:"));
	for (size_t i = 0; i < AMBT_ARRAY_LEN(flag_reasons); i++)
		buf_printf(&q, " %zu %s,", i + 1, _(flag_reasons[i].name));
	q.data[q.len - 1] = '?';
	buf_putc(&q, ' ');
	a = tui_prompt(v->tui, q.data);
	if (a != NULL && a[0] >= '1' &&
	    a[0] < '1' + (int)AMBT_ARRAY_LEN(flag_reasons) && a[1] == '\0')
		n = a[0] - '1';
	free(a);
	buf_free(&q);
	return n;
}

/* "Something else" goes to the moderators with a message, which
 * Discourse requires; the other reasons need none. */
static void
flag(struct view_thread *v, const struct post *p)
{
	int n = ask_flag_reason(v);
	char *why = NULL;

	if (n < 0) {
		tui_message(v->tui, _("Not reported"));
		return;
	}
	if (flag_reasons[n].type == POST_ACTION_NOTIFY_MODERATORS) {
		why = tui_prompt(v->tui, _("Message to the moderators: "));
		if (why == NULL || why[0] == '\0') {
			free(why);
			tui_error(v->tui, _("Not reported: a message to the "
			                    "moderators is required"));
			return;
		}
	}
	v->write_req = api_flag(tui_api(v->tui), p->id, flag_reasons[n].type,
	                        why, flag_done, v);
	free(why);
}

bool
vt_write_action(struct view_thread *v, enum key_action a, const struct post *p)
{
	struct compose_owner o = owner(v);
	bool needs_post = a == ACT_REPLY_QUOTE || a == ACT_EDIT_POST ||
	                  a == ACT_LIKE || a == ACT_FLAG;

	if (a < ACT_REPLY || a > ACT_FLAG)
		return false;
	if (tui_username(v->tui) == NULL) {
		tui_error(v->tui, _("Log in to write (press L)"));
		return true;
	}
	if (v->compose != NULL || v->write_req != NULL) {
		tui_error(v->tui, _("Still sending the last one"));
		return true;
	}
	if (needs_post && p == NULL)
		return true;
	switch (a) {
	case ACT_REPLY:
		compose_reply(v->tui, v->topic_id, NULL, &o);
		break;
	case ACT_REPLY_QUOTE:
		compose_reply(v->tui, v->topic_id, p, &o);
		break;
	case ACT_EDIT_POST:
		compose_edit(v->tui, p, &o);
		break;
	case ACT_LIKE:
		like(v, p);
		break;
	case ACT_BOOKMARK:
		bookmark(v);
		break;
	case ACT_NOTIFY_LEVEL:
		notify_level(v);
		break;
	case ACT_FLAG:
		flag(v, p);
		break;
	case ACT_NEW_TOPIC:
		compose_new_topic(v->tui, v->site, &o);
		break;
	default:
		break;
	}
	return true;
}

void
vt_write_free(struct view_thread *v)
{
	if (v->write_req != NULL)
		tui_cancel(v->tui, v->write_req);
	if (v->compose != NULL)
		compose_detach(v->compose);
}
