/*
 * view_thread_write.c: the thread's writing keys. Replies and edits go to
 * compose.c; a like, a bookmark, the topic's notification level and a
 * flag are one request each, confirmed in the status line. A like's
 * count changes in place from the post the server sends back.
 */
#include "config.h"

#include <stdlib.h>

#include "ambt/util.h"
#include "tui/compose.h"
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
	            p->liked ? "Liked #%d (%d likes)"
	                     : "Unliked #%d (%d likes)",
	            p->post_number, p->like_count);
	post_free(p);
	tui_dirty(v->tui);
}

static void
like(struct view_thread *v, const struct post *p)
{
	if (p->yours) {
		tui_error(v->tui, "You cannot like your own post");
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
	tui_message(v->tui, v->topic->bookmarked ? "Topic bookmarked"
	                                         : "Bookmark removed");
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
	static const char *const names[] = {"muted", "normal", "tracking",
	                                    "watching"};

	return level >= 0 && level < 4 ? names[level] : "normal";
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
	tui_message(v->tui, "This topic: %s (w: next level)",
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
	if (tui_reply_ok(v->tui, r))
		tui_message(v->tui, "Reported to the moderators");
	post_free(r->data);
}

static void
flag(struct view_thread *v, const struct post *p)
{
	char *why = tui_prompt(v->tui, "Een probleem rapporteren: why? ");

	if (why == NULL || why[0] == '\0') {
		free(why);
		tui_message(v->tui, "Not reported");
		return;
	}
	v->write_req =
	    api_flag(tui_api(v->tui), p->id, POST_ACTION_NOTIFY_MODERATORS, why,
	             flag_done, v);
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
		tui_error(v->tui, "Log in to write (ambt login)");
		return true;
	}
	if (v->compose != NULL || v->write_req != NULL) {
		tui_error(v->tui, "Still sending the last one");
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
