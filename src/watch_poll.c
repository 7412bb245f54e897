/*
 * watch_poll.c: one cycle's requests and what their answers tell the
 * watcher: new notifications by id, topics whose highest post number grew
 * (and then their new posts), events that start soon, and whether the
 * server still takes the key. Each request is a job, so watch_free can
 * cancel what is in flight.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <jansson.h>

#include "ambt/i18n.h"
#include "ambt/notification_types.h"
#include "ambt/util.h"
#include "watch_int.h"

/* Topics whose posts one cycle fetches at most; the rest wait. */
#define MAX_TOPIC_FETCHES 5
/* Events are fetched every this many seconds. */
#define EVENTS_EVERY 300

struct watch_job {
	struct watch *w;
	struct http_req *req;
	struct watch_job *next;
	bool starting, finished;
	int64_t topic_id; /* a topic's posts: which, from where, up to */
	int known;
	int target;
	int level;
	char *title;
};

static void
job_unlink(struct watch_job *job)
{
	struct watch_job **p = &job->w->jobs;

	while (*p != NULL && *p != job)
		p = &(*p)->next;
	if (*p == job)
		*p = job->next;
}

static void
job_free(struct watch_job *job)
{
	free(job->title);
	free(job);
}

static struct watch_job *
job_new(struct watch *w)
{
	struct watch_job *job = xcalloc(1, sizeof *job);

	job->w = w;
	job->next = w->jobs;
	w->jobs = job;
	job->starting = true;
	w->in_flight++;
	return job;
}

static void job_done(struct watch_job *job, bool ok);

/* After the start call: a job whose answer came at once is done; one
 * that could not start (no answer will come) failed. */
static void
job_started(struct watch_job *job, struct http_req *req)
{
	job->starting = false;
	if (job->finished)
		job_free(job);
	else if (req == NULL) {
		watch_status(job->w, "%s",
		             _("watch: a request could not start"));
		job_done(job, false);
	} else
		job->req = req;
}

/* The answer is handled: forget the job and tell the cycle. */
static void
job_done(struct watch_job *job, bool ok)
{
	struct watch *w = job->w;

	job_unlink(job);
	if (job->starting)
		job->finished = true;
	else
		job_free(job);
	watch_request_done(w, ok);
}

void
watch_cancel_jobs(struct watch *w)
{
	while (w->jobs != NULL) {
		struct watch_job *job = w->jobs;

		http_cancel(api_http(w->api), job->req);
		/* Not pending after all: no answer will come for it. */
		if (w->jobs == job) {
			job_unlink(job);
			job_free(job);
		}
	}
}

static bool
reply_ok(struct watch *w, const struct api_reply *reply)
{
	if (reply->err.kind == AMBT_OK && !reply->offline)
		return true;
	if (reply->err.kind != AMBT_E_CANCELLED && w->plan.errors == 0)
		watch_status(w, "watch: %s", reply->err.msg);
	return false;
}

static char *
post_url(const struct watch *w, int64_t topic_id, int post_number)
{
	return xasprintf("%s/t/%" PRId64 "/%d", w->opt.server, topic_id,
	                 post_number);
}

static int64_t
state_int(struct watch *w, const char *name, int64_t *value)
{
	struct ambt_error err = {0};

	return store_watch_get_int(w->opt.state, w->opt.server, name, value,
	                           &err);
}

static void
set_state_int(struct watch *w, const char *name, int64_t value)
{
	struct ambt_error err = {0};

	store_watch_set_int(w->opt.state, w->opt.server, name, value, &err);
}

/* ---- /notifications.json ---- */

static bool
notification_kind(int type, enum notice_kind *kind)
{
	switch (type) {
	case NT_MENTIONED:
	case NT_QUOTED:
	case NT_GROUP_MENTIONED:
		*kind = NOTICE_MENTION;
		return true;
	case NT_REPLIED:
		*kind = NOTICE_REPLY;
		return true;
	case NT_PRIVATE_MESSAGE:
	case NT_INVITED_TO_PM:
		*kind = NOTICE_MESSAGE;
		return true;
	case NT_POSTED:
	case NT_WATCHING_FIRST_POST:
	case NT_WATCHING_CATEGORY_OR_TAG:
		/* A watched topic's, category's or tag's new post. */
		*kind = NOTICE_POST;
		return true;
	}
	return false;
}

static char *
notification_body(const struct notification *n, enum notice_kind kind)
{
	const char *who = n->display_username ? n->display_username : "?";

	if (kind == NOTICE_REPLY)
		return xasprintf(_("%s replied"), who);
	if (kind == NOTICE_MESSAGE)
		return xasprintf(_("%s sent you a message"), who);
	return xasprintf(_("%s mentioned you"), who);
}

static void fetch_posts(struct watch *, int64_t topic_id, int known, int target,
                        int level, const char *title);

/* Are a topic's posts being fetched already (found by the notifications
 * and by /latest.json in the same cycle)? */
static bool
fetching(const struct watch *w, int64_t topic_id)
{
	for (const struct watch_job *job = w->jobs; job; job = job->next)
		if (job->topic_id == topic_id)
			return true;
	return false;
}

/* A new post in a watched topic, category or tag: its text is fetched,
 * so the notice says who wrote what, as for the topics of /latest.json
 * (and the post is notified once, whichever finds it first). */
static void
fetch_notified_post(struct watch *w, const struct notification *n,
                    const char *title)
{
	int64_t known = 0;
	char name[40];

	snprintf(name, sizeof name, "topic/%" PRId64, n->topic_id);
	if (state_int(w, name, &known) != 1)
		known = n->post_number - 1;
	if (n->topic_id > 0 && n->post_number > known &&
	    !fetching(w, n->topic_id) && watch_spend(w))
		fetch_posts(w, n->topic_id, (int)known, n->post_number,
		            NOTIFY_LEVEL_WATCHING, title);
}

static void
take_notification(struct watch *w, const struct notification *n)
{
	enum notice_kind kind;
	const char *title = n->topic_title ? n->topic_title : n->fancy_title;

	if (n->read || n->created_at < w->since ||
	    !notification_kind(n->notification_type, &kind) ||
	    !watch_wants(w, kind))
		return;
	if (kind == NOTICE_POST) {
		fetch_notified_post(w, n, title);
		return;
	}
	watch_add(w, kind, n->topic_id, n->post_number,
	          xstrdup(title ? title : ""), notification_body(n, kind),
	          post_url(w, n->topic_id, n->post_number));
}

static void
on_notifications(struct api_reply *reply, void *arg)
{
	struct watch_job *job = arg;
	struct watch *w = job->w;
	struct notification_list *list = reply->data;
	bool ok = reply_ok(w, reply);
	int64_t last = 0, newest;

	if (ok) {
		state_int(w, "notification_id", &last);
		newest = last;
		for (size_t i = 0; i < list->n; i++) {
			const struct notification *n = &list->items[i];

			if (n->id > last && !w->baseline)
				take_notification(w, n);
			if (n->id > newest)
				newest = n->id;
		}
		if (newest != last)
			set_state_int(w, "notification_id", newest);
	}
	notification_list_free(list);
	job_done(job, ok);
}

/* ---- /t/ID/posts.json after the highest post number known ---- */

/* The text of cooked HTML without its tags, for the monitored words. */
static char *
strip_tags(const char *html)
{
	struct buf b;
	bool in_tag = false;

	buf_init(&b);
	for (const char *p = html ? html : ""; *p; p++) {
		if (*p == '<')
			in_tag = true;
		else if (*p == '>')
			in_tag = false, buf_putc(&b, ' ');
		else if (!in_tag)
			buf_putc(&b, *p);
	}
	buf_putc(&b, '\0');
	return buf_steal(&b);
}

static bool
is_own(const struct watch *w, const char *username)
{
	return w->opt.username != NULL && username != NULL &&
	       strcasecmp(w->opt.username, username) == 0;
}

static void
take_post(struct watch *w, const struct watch_job *job, const struct post *p)
{
	const struct config *cfg = w->opt.cfg;
	char *text = strip_tags(p->cooked);
	bool monitored = watch_wants(w, NOTICE_MONITORED) &&
	                 watch_monitored_word(text, cfg->monitor_words,
	                                      cfg->n_monitor_words) != NULL;
	bool watched =
	    job->level == NOTIFY_LEVEL_WATCHING && watch_wants(w, NOTICE_POST);

	free(text);
	if (!monitored && !watched)
		return;
	watch_add(w, monitored ? NOTICE_MONITORED : NOTICE_POST, job->topic_id,
	          p->post_number, xstrdup(job->title),
	          notice_post_body(p->username, p->cooked, 100),
	          post_url(w, job->topic_id, p->post_number));
}

static void
on_posts(struct api_reply *reply, void *arg)
{
	struct watch_job *job = arg;
	struct watch *w = job->w;
	struct post_list *list = reply->data;
	bool ok = reply_ok(w, reply);
	int highest = job->known;
	char name[40];

	for (size_t i = 0; ok && i < list->n_posts; i++) {
		const struct post *p = &list->posts[i];

		if (p->post_number <= job->known)
			continue;
		if (p->post_number > highest)
			highest = p->post_number;
		if (p->post_type == POST_TYPE_REGULAR &&
		    !is_own(w, p->username) && p->created_at >= w->since)
			take_post(w, job, p);
	}
	if (ok && highest > job->known) {
		snprintf(name, sizeof name, "topic/%" PRId64, job->topic_id);
		set_state_int(w, name, highest);
		/* A page holds 20: the rest in this cycle too, so that many
		 * posts at once make one summary. */
		if (highest < job->target && watch_spend(w))
			fetch_posts(w, job->topic_id, highest, job->target,
			            job->level, job->title);
	}
	post_list_free(list);
	job_done(job, ok);
}

static void
fetch_posts(struct watch *w, int64_t topic_id, int known, int target, int level,
            const char *title)
{
	struct watch_job *job = job_new(w);

	job->topic_id = topic_id;
	job->known = known;
	job->target = target;
	job->level = level;
	job->title = xstrdup(title ? title : "");
	job_started(job, api_get_posts_near(w->api, topic_id, known, true,
	                                    on_posts, job));
}

/* ---- /latest.json ---- */

static bool
worth_reading(const struct watch *w, const struct topic_entry *t)
{
	return (t->notification_level == NOTIFY_LEVEL_WATCHING &&
	        watch_wants(w, NOTICE_POST)) ||
	       (w->opt.cfg->n_monitor_words > 0 &&
	        watch_wants(w, NOTICE_MONITORED));
}

/* The watched topics, so a /latest message about one is followed up. */
static void
note_watched(struct watch *w, const struct topic_list *list)
{
	w->n_watched = 0;
	for (size_t i = 0; i < list->n_topics; i++) {
		if (list->topics[i].notification_level != NOTIFY_LEVEL_WATCHING)
			continue;
		w->watched = xreallocarray(w->watched, w->n_watched + 1,
		                           sizeof *w->watched);
		w->watched[w->n_watched++] = list->topics[i].id;
	}
}

static void
take_topics(struct watch *w, const struct topic_list *list)
{
	int fetches = 0;
	int64_t known;
	char name[40];

	for (size_t i = 0; i < list->n_topics; i++) {
		const struct topic_entry *t = &list->topics[i];

		snprintf(name, sizeof name, "topic/%" PRId64, t->id);
		if (state_int(w, name, &known) != 1)
			known = 0;
		if (t->highest_post_number <= known)
			continue;
		/* A first run, or a topic not worth a request: remember
		 * where it is now. A fetch the budget refuses waits. */
		if (w->baseline || t->last_posted_at < w->since ||
		    !worth_reading(w, t))
			set_state_int(w, name, t->highest_post_number);
		else if (fetches < MAX_TOPIC_FETCHES && !fetching(w, t->id) &&
		         watch_spend(w)) {
			fetches++;
			fetch_posts(w, t->id, (int)known,
			            t->highest_post_number,
			            t->notification_level, t->title);
		}
	}
}

static void
on_latest(struct api_reply *reply, void *arg)
{
	struct watch_job *job = arg;
	struct watch *w = job->w;
	bool ok = reply_ok(w, reply);

	if (ok) {
		note_watched(w, reply->data);
		take_topics(w, reply->data);
	}
	topic_list_free(reply->data);
	job_done(job, ok);
}

/* ---- /discourse-post-event/events.json ---- */

static char *
event_body(const struct event *e, int64_t now)
{
	long minutes = (long)((e->starts_at - now + 59) / 60);
	char *starts = xasprintf(
	    P_("Starts in %ld minute", "Starts in %ld minutes", minutes),
	    minutes);
	char *body;

	if (e->location == NULL || e->location[0] == '\0')
		return starts;
	body = xasprintf("%s, %s", starts, e->location);
	free(starts);
	return body;
}

static void
take_event(struct watch *w, const struct event *e, int64_t now)
{
	struct ambt_error err = {0};
	int64_t ahead = (int64_t)w->opt.cfg->event_reminder * 60;
	const char *name = e->name ? e->name : e->topic_title;

	if (e->starts_at <= now || e->starts_at - now > ahead ||
	    store_seen_has(w->opt.state, w->opt.server, "event", e->id, &err))
		return;
	store_seen_add(w->opt.state, w->opt.server, "event", e->id, &err);
	watch_add(w, NOTICE_EVENT, e->topic_id, 0, xstrdup(name ? name : ""),
	          event_body(e, now),
	          e->url ? xstrdup(e->url)
	                 : post_url(w, e->topic_id, e->post_number));
}

static void
on_events(struct api_reply *reply, void *arg)
{
	struct watch_job *job = arg;
	struct watch *w = job->w;
	struct event_list *list = reply->data;
	bool ok = reply_ok(w, reply);
	int64_t now = watch_now(w);

	for (size_t i = 0; ok && i < list->n; i++)
		take_event(w, &list->items[i], now);
	event_list_free(list);
	job_done(job, ok);
}

static bool
events_due(const struct watch *w)
{
	return w->opt.cfg->event_reminder > 0 && watch_wants(w, NOTICE_EVENT) &&
	       (w->events_at == 0 ||
	        watch_now(w) - w->events_at >= EVENTS_EVERY);
}

/* ---- /session/current.json: is the key still taken? ---- */

static void
on_session(const struct http_response *res, void *arg)
{
	struct watch_job *job = arg;
	struct watch *w = job->w;
	json_t *root = NULL;
	bool user = false;

	if (res->err.kind == AMBT_OK && res->status == 200) {
		root = json_loadb(res->body, res->len, 0, NULL);
		user = json_is_object(json_object_get(root, "current_user"));
		w->user_id = json_integer_value(json_object_get(
		    json_object_get(root, "current_user"), "id"));
		json_decref(root);
	}
	if (res->err.kind != AMBT_OK && res->err.kind != AMBT_E_CANCELLED)
		watch_status(w, "watch: %s", res->err.msg);
	else if (res->err.kind == AMBT_OK && !user)
		watch_status(w,
		             _("watch: the server answers as an anonymous "
		               "visitor (HTTP %ld): the key was refused or "
		               "is over its limit; no replies, mentions or "
		               "messages until it is taken again"),
		             res->status);
	job_done(job,
	         res->err.kind == AMBT_OK || res->err.kind == AMBT_E_CANCELLED);
}

void
watch_start_session(struct watch *w)
{
	struct watch_job *job;

	if (w->check_session && watch_spend(w)) {
		w->check_session = false;
		job = job_new(w);
		job_started(job,
		            http_get(api_http(w->api), "/session/current.json",
		                     NULL, on_session, job));
	}
}

void
watch_start_notifications(struct watch *w)
{
	struct watch_job *job;

	if (w->opt.username != NULL && watch_spend(w)) {
		job = job_new(w);
		job_started(
		    job, api_get_notifications(w->api, on_notifications, job));
	}
}

void
watch_start_latest(struct watch *w)
{
	struct watch_job *job;

	if (watch_spend(w)) {
		job = job_new(w);
		job_started(job, api_get_latest(w->api, &(struct list_query){0},
		                                on_latest, job));
	}
}

void
watch_start_events(struct watch *w)
{
	struct event_query q = {.upcoming = true, .limit = 50};
	struct watch_job *job;

	if (events_due(w) && watch_spend(w)) {
		w->events_at = watch_now(w);
		job = job_new(w);
		job_started(job, api_get_events(w->api, &q, on_events, job));
	}
}

static void
on_bus_poll(struct api_reply *reply, void *arg)
{
	struct watch_job *job = arg;
	bool ok = watch_bus_answer(job->w, reply);

	bus_batch_free(reply->data);
	job_done(job, ok);
}

void
watch_start_bus_poll(struct watch *w, const struct bus_position *pos, size_t n)
{
	struct watch_job *job = job_new(w);

	job_started(
	    job, api_bus_poll(w->api, w->client_id, pos, n, on_bus_poll, job));
}

/* ---- /notifications/totals.json: the idle user's cheap look ---- */

static void
start_latest_if_monitoring(struct watch *w)
{
	if (w->opt.cfg->n_monitor_words > 0 && watch_wants(w, NOTICE_MONITORED))
		watch_start_latest(w);
}

/* Did the counts change since the last look? They are kept whole: any
 * change (a notification, a new or unread topic) is worth the fetches. */
static bool
totals_changed(struct watch *w, const struct http_response *res)
{
	struct ambt_error err = {0};
	char *kept = NULL;
	bool changed;

	store_watch_get(w->opt.state, w->opt.server, "totals", &kept, &err);
	changed = kept == NULL || strcmp(kept, res->body) != 0;
	if (changed)
		store_watch_set(w->opt.state, w->opt.server, "totals",
		                res->body, &err);
	free(kept);
	return changed;
}

static void
on_totals(const struct http_response *res, void *arg)
{
	struct watch_job *job = arg;
	struct watch *w = job->w;
	bool ok = res->err.kind == AMBT_OK && res->status == 200;

	if (res->err.kind == AMBT_OK && res->status == 404) {
		/* A server without totals: plain polls from now on. */
		w->no_totals = true;
		ok = true;
	} else if (res->err.kind == AMBT_OK && !ok && w->plan.errors == 0)
		watch_status(w, _("watch: the totals: HTTP %ld"), res->status);
	if (ok && (w->no_totals || totals_changed(w, res))) {
		watch_start_notifications(w);
		watch_start_latest(w);
	} else if (ok)
		start_latest_if_monitoring(w);
	if (res->err.kind != AMBT_OK && res->err.kind != AMBT_E_CANCELLED &&
	    w->plan.errors == 0)
		watch_status(w, "watch: %s", res->err.msg);
	job_done(job, ok || res->err.kind == AMBT_E_CANCELLED);
}

/* Totals instead of the lists: for a user away from the TUI, and for
 * `ambt watch` when the budget has paused its long polls. */
static bool
totals_will_do(const struct watch *w)
{
	return w->opt.username != NULL && !w->baseline && !w->no_totals &&
	       (w->activity == WATCH_IDLE ||
	        (w->activity == WATCH_UNSAID && w->bus == BUS_ON));
}

void
watch_start_requests(struct watch *w)
{
	struct watch_job *job;

	watch_start_session(w);
	w->totals_cycle = false;
	if (watch_bus_start(w))
		return;
	if (totals_will_do(w)) {
		if (watch_spend(w)) {
			w->totals_cycle = true;
			job = job_new(w);
			job_started(job, http_get(api_http(w->api),
			                          "/notifications/totals.json",
			                          NULL, on_totals, job));
		}
	} else {
		watch_start_notifications(w);
		watch_start_latest(w);
	}
	watch_start_events(w);
}
