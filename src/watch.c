/*
 * watch.c: the watcher's cycle: when one is due, what it found, and how
 * that is shown: coalesced, held back in quiet hours, never twice.
 */
#include "config.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ambt/i18n.h"
#include "ambt/util.h"
#include "watch_int.h"

/* A cycle costs notifications, latest and now and then events. */
#define CYCLE_COST 3

int64_t
watch_now(const struct watch *w)
{
	return w->opt.clock ? w->opt.clock() : (int64_t)time(NULL);
}

bool
watch_wants(const struct watch *w, enum notice_kind kind)
{
	return (w->opt.cfg->notify_kinds & (1u << kind)) != 0;
}

void
watch_status(struct watch *w, const char *fmt, ...)
{
	va_list ap;
	char line[512];

	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	if (w->opt.status != NULL)
		w->opt.status(line, w->opt.arg);
}

bool
watch_spend(struct watch *w)
{
	int64_t now = watch_now(w);

	if (!watch_plan_allows(&w->plan, now, 1))
		return false;
	watch_plan_spend(&w->plan, now, 1);
	return true;
}

/* Posts are keyed "at" by topic and number, so a reply notified from
 * /notifications.json is not notified again from the topic's posts. */
static int64_t
post_key(int64_t topic_id, int post_number)
{
	return topic_id * 1000000 + post_number;
}

static bool
already_said(struct watch *w, int64_t topic_id, int post_number)
{
	struct ambt_error err = {0};
	int64_t key = post_key(topic_id, post_number);

	for (size_t i = 0; i < w->n_items; i++) {
		if (w->items[i].topic_id == topic_id &&
		    w->items[i].post_number == post_number)
			return true;
	}
	if (store_seen_has(w->opt.state, w->opt.server, "at", key, &err) == 1)
		return true;
	store_seen_add(w->opt.state, w->opt.server, "at", key, &err);
	return false;
}

void
watch_add(struct watch *w, enum notice_kind kind, int64_t topic_id,
          int post_number, char *summary, char *body, char *url)
{
	struct pending *p;

	if (post_number > 0 && already_said(w, topic_id, post_number)) {
		free(summary);
		free(body);
		free(url);
		return;
	}
	w->items = xreallocarray(w->items, w->n_items + 1, sizeof *w->items);
	p = &w->items[w->n_items++];
	*p = (struct pending){kind, topic_id, post_number, summary, body, url};
}

static void
clear_items(struct watch *w)
{
	for (size_t i = 0; i < w->n_items; i++) {
		free(w->items[i].summary);
		free(w->items[i].body);
		free(w->items[i].url);
	}
	free(w->items);
	w->items = NULL;
	w->n_items = 0;
}

static void
show(struct watch *w, enum notice_kind kind, const char *summary,
     const char *body, const char *url)
{
	struct notice n = {kind, summary, body, url};

	w->opt.notice(&n, w->opt.arg);
}

static size_t
count_topics(const struct watch *w, size_t *n_posts)
{
	size_t topics = 0;

	*n_posts = 0;
	for (size_t i = 0; i < w->n_items; i++) {
		bool again = false;

		if (w->items[i].kind == NOTICE_EVENT)
			continue;
		(*n_posts)++;
		for (size_t j = 0; j < i && !again; j++)
			again = w->items[j].kind != NOTICE_EVENT &&
			        w->items[j].topic_id == w->items[i].topic_id;
		topics += !again;
	}
	return topics;
}

/* One notice for many: the count, and the first topics' titles. */
static void
show_coalesced(struct watch *w, size_t n_posts, size_t n_topics)
{
	char *summary = watch_summary_text(n_posts, n_topics);
	char *url = xasprintf("%s/latest", w->opt.server);
	struct buf body;

	buf_init(&body);
	for (size_t i = 0; i < w->n_items && body.len < 200; i++) {
		if (w->items[i].kind != NOTICE_EVENT &&
		    strstr(body.data ? body.data : "", w->items[i].summary) ==
		        NULL)
			buf_printf(&body, "%s%s", body.len ? ", " : "",
			           w->items[i].summary);
	}
	show(w, NOTICE_SUMMARY, summary, body.data ? body.data : "", url);
	buf_free(&body);
	free(summary);
	free(url);
}

/* In local time, asked each time: a watcher that runs for weeks meets
 * the change to and from summer time. */
static bool
quiet_now(const struct watch *w)
{
	time_t now = (time_t)watch_now(w);
	struct tm tm;

	if (localtime_r(&now, &tm) == NULL)
		return false;
	return watch_in_quiet_hours(w->opt.cfg->quiet_start,
	                            w->opt.cfg->quiet_end,
	                            tm.tm_hour * 60 + tm.tm_min);
}

/* Quiet hours hold notices back as a count in the state; the first
 * cycle after them says how many there were. */
static bool
hold_for_quiet(struct watch *w)
{
	struct ambt_error err = {0};
	int64_t held = 0;
	char *line;

	store_watch_get_int(w->opt.state, w->opt.server, "quiet_held", &held,
	                    &err);
	if (quiet_now(w)) {
		if (w->n_items > 0)
			store_watch_set_int(w->opt.state, w->opt.server,
			                    "quiet_held",
			                    held + (int64_t)w->n_items, &err);
		return true;
	}
	if (held > 0) {
		line =
		    xasprintf(P_("%lld notice during the quiet hours",
		                 "%lld notices during the quiet hours", held),
		              (long long)held);
		show(w, NOTICE_SUMMARY, line, "", NULL);
		free(line);
		store_watch_set_int(w->opt.state, w->opt.server, "quiet_held",
		                    0, &err);
	}
	return false;
}

static void
deliver(struct watch *w)
{
	size_t n_posts, n_topics = count_topics(w, &n_posts);

	if (hold_for_quiet(w))
		return;
	if (n_posts > WATCH_COALESCE_MAX)
		show_coalesced(w, n_posts, n_topics);
	for (size_t i = 0; i < w->n_items; i++) {
		struct pending *p = &w->items[i];

		if (p->kind == NOTICE_EVENT || n_posts <= WATCH_COALESCE_MAX)
			show(w, p->kind, p->summary, p->body, p->url);
	}
}

static void
end_cycle(struct watch *w)
{
	struct ambt_error err = {0};
	int64_t now = watch_now(w);
	bool reconnected = w->plan.errors > 0 && !w->cycle_failed;

	if (!w->cycle_failed && w->baseline) {
		store_watch_set_int(w->opt.state, w->opt.server, "since",
		                    w->since, &err);
		w->baseline = false;
	}
	deliver(w);
	clear_items(w);
	watch_plan_result(&w->plan, !w->cycle_failed);
	w->check_session = w->check_session || reconnected;
	w->next_at = watch_bus_next(w, now);
	if (w->next_at < 0)
		w->next_at = watch_plan_next(&w->plan, now, CYCLE_COST);
	/* An idle look at the totals: slower, as message_bus.js polls a
	 * hidden page less often. */
	if (w->totals_cycle && !w->cycle_failed &&
	    w->next_at < now + WATCH_IDLE_INTERVAL)
		w->next_at = now + WATCH_IDLE_INTERVAL;
	if (w->cycle_failed)
		watch_status(w,
		             _("watch: the server did not answer; trying "
		               "again in %lld s"),
		             (long long)(w->next_at - now));
	w->cycles++;
}

void
watch_request_done(struct watch *w, bool ok)
{
	if (!ok)
		w->cycle_failed = true;
	w->in_flight--;
	if (w->in_flight == 0 && !w->starting)
		end_cycle(w);
}

struct watch *
watch_new(struct api *api, const struct watch_options *opt)
{
	struct watch *w = xcalloc(1, sizeof *w);
	struct ambt_error err = {0};
	int interval =
	    opt->interval ? opt->interval : opt->cfg->notify_interval;

	w->api = api;
	w->opt = *opt;
	watch_plan_init(&w->plan, interval);
	w->check_session = opt->username != NULL;
	w->next_at = watch_now(w);
	watch_bus_init(w);
	/* No "since" yet: a first run, which records and says nothing. */
	if (store_watch_get_int(opt->state, opt->server, "since", &w->since,
	                        &err) != 1) {
		w->baseline = true;
		w->since = watch_now(w);
	}
	return w;
}

void
watch_free(struct watch *w)
{
	if (w == NULL)
		return;
	w->starting = true; /* cancelling ends no cycle */
	watch_cancel_jobs(w);
	clear_items(w);
	free(w->watched);
	free(w);
}

int
watch_tick(struct watch *w)
{
	int64_t now = watch_now(w), wait;

	if (w->in_flight > 0)
		return -1;
	if (now >= w->next_at) {
		w->cycle_failed = false;
		w->starting = true;
		watch_start_requests(w);
		w->starting = false;
		if (w->in_flight > 0)
			return -1;
		end_cycle(w);
	}
	wait = w->next_at - now;
	if (wait < 0)
		wait = 0;
	return wait > INT_MAX / 1000 ? INT_MAX : (int)(wait * 1000);
}

int
watch_cycles(const struct watch *w)
{
	return w->cycles;
}

bool
watch_busy(const struct watch *w)
{
	return w->in_flight > 0;
}

bool
watch_last_failed(const struct watch *w)
{
	return w->plan.errors > 0;
}

void
watch_set_active(struct watch *w, bool active)
{
	w->activity = active ? WATCH_ACTIVE : WATCH_IDLE;
}
