/*
 * watch_bus.c: the watcher over MessageBus. While the server offers it,
 * a cycle is one long poll on /latest and the user's /notification and
 * /notification-alert channels; a poll that brings messages is followed
 * by a cycle of the fetches they ask for (the same requests as plain
 * polling, so a notice is made one way only). The first answer decides:
 * a 404/405 or no JSON array, and the watcher polls plainly from then on.
 *
 * The budget: a User API key may make 20 requests a minute and 2,880 a
 * day, and a poll held 25 s all day would be ~3,456. So long polls are
 * made while the user is at the screen (within the day's pace), in
 * `ambt watch` (which says nothing of the user) only as long as the last
 * hour kept to an hour's share of that pace, and never when the TUI says
 * the user is away: then the slower plain cycle runs. An admin Api-Key
 * has no such budget.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "ambt/i18n.h"
#include "ambt/util.h"
#include "watch_int.h"

#define N_CHANNELS 3
/* A position kept longer than this is past the server's backlog (the
 * message_bus gem keeps 7 days at most): start from now instead, as the
 * cycle's REST requests resync. */
#define POSITION_MAX_AGE (7 * 86400)

void
watch_bus_init(struct watch *w)
{
	const struct http_options *o =
	    w->api ? http_options_of(api_http(w->api)) : NULL;
	unsigned char bytes[16];

	/* A random id per run, as message_bus.js makes one per page; the
	 * time and the clock make do when there is no randomness. */
	if (getrandom(bytes, sizeof bytes, GRND_NONBLOCK) !=
	    (ssize_t)sizeof bytes)
		snprintf(w->client_id, sizeof w->client_id, "%016llx%016lx",
		         (unsigned long long)watch_now(w),
		         (unsigned long)clock());
	else
		for (size_t i = 0; i < sizeof bytes; i++)
			snprintf(w->client_id + 2 * i, 3, "%02x", bytes[i]);
	w->plan.unbudgeted = o != NULL && o->api_key != NULL;
}

static size_t
channels(const struct watch *w, char names[N_CHANNELS][48])
{
	size_t n = 0;

	snprintf(names[n++], 48, "/latest");
	if (w->opt.username != NULL && w->user_id > 0) {
		snprintf(names[n++], 48, "/notification/%" PRId64, w->user_id);
		snprintf(names[n++], 48, "/notification-alert/%" PRId64,
		         w->user_id);
	}
	return n;
}

static void
position_name(char *out, size_t size, const char *channel)
{
	snprintf(out, size, "bus:%s", channel);
}

/* The kept position of a channel, or -1 (from now) when there is none or
 * it is older than the server's backlog. */
static int64_t
kept_position(struct watch *w, const char *channel)
{
	struct ambt_error err = {0};
	char name[160];
	int64_t id = -1, at = 0;

	position_name(name, sizeof name, channel);
	if (store_watch_get_int(w->opt.state, w->opt.server, name, &id, &err) !=
	    1)
		return -1;
	store_watch_get_int(w->opt.state, w->opt.server, "bus_at", &at, &err);
	return watch_now(w) - at > POSITION_MAX_AGE ? -1 : id;
}

static void
keep_position(struct watch *w, const char *channel, int64_t id)
{
	struct ambt_error err = {0};
	char name[160];

	position_name(name, sizeof name, channel);
	store_watch_set_int(w->opt.state, w->opt.server, name, id, &err);
	store_watch_set_int(w->opt.state, w->opt.server, "bus_at", watch_now(w),
	                    &err);
}

static bool
bus_ready(const struct watch *w)
{
	return w->bus != BUS_OFF && !w->baseline &&
	       (w->opt.username == NULL || w->user_id > 0);
}

static bool
start_fetches(struct watch *w)
{
	if (!w->want_notifications && !w->want_latest)
		return false;
	if (w->want_notifications)
		watch_start_notifications(w);
	if (w->want_latest)
		watch_start_latest(w);
	w->want_notifications = w->want_latest = false;
	watch_start_events(w);
	return true;
}

bool
watch_bus_start(struct watch *w)
{
	char names[N_CHANNELS][48];
	struct bus_position pos[N_CHANNELS];
	size_t n;
	int64_t now = watch_now(w);

	w->poll_cycle = false;
	if (!bus_ready(w))
		return false;
	if (start_fetches(w))
		return true;
	if (!watch_plan_may_long_poll(&w->plan, now, w->activity))
		return false;
	if (!watch_spend(w))
		return true; /* the minute is full: an empty cycle waits */
	n = channels(w, names);
	w->poll_had_news = false;
	for (size_t i = 0; i < n; i++) {
		pos[i] =
		    (struct bus_position){names[i], kept_position(w, names[i])};
		/* A -1 is answered at once by design: poll again soon. */
		w->poll_had_news = w->poll_had_news || pos[i].id < 0;
	}
	w->poll_cycle = true;
	w->poll_started = now;
	watch_start_bus_poll(w, pos, n);
	watch_start_events(w);
	return true;
}

/* Is a /latest message worth /latest.json: about a watched topic, or
 * any topic when words are monitored or no notifications tell more? A
 * post in a watched topic also comes as a notification. */
static bool
latest_worth_it(const struct watch *w, const struct bus_message *m)
{
	if ((w->opt.cfg->n_monitor_words > 0 &&
	     watch_wants(w, NOTICE_MONITORED)) ||
	    w->opt.username == NULL)
		return true;
	for (size_t i = 0; i < w->n_watched; i++)
		if (w->watched[i] == m->topic_id)
			return watch_wants(w, NOTICE_POST);
	return false;
}

static void
take_message(struct watch *w, const struct bus_message *m)
{
	keep_position(w, m->channel, m->message_id);
	w->poll_had_news = true;
	if (m->status) {
		/* A position from "now" leaves a gap since the REST cycle
		 * that set the baseline: one round of fetches closes it, so a
		 * post made in between is not lost. */
		if (strncmp(m->channel, "/notification", 13) == 0)
			w->want_notifications = true;
		else
			w->want_latest = true;
		return;
	}
	if (strncmp(m->channel, "/notification", 13) == 0)
		w->want_notifications = true;
	else if (strcmp(m->channel, "/latest") == 0)
		w->want_latest = w->want_latest || latest_worth_it(w, m);
}

/* Only our channels' positions are kept: a server's other channels
 * (or a hostile one's) leave the state alone. */
static bool
subscribed(const struct watch *w, const char *channel)
{
	char names[N_CHANNELS][48];
	size_t n = channels(w, names);

	for (size_t i = 0; i < n; i++)
		if (strcmp(names[i], channel) == 0)
			return true;
	return false;
}

static bool
no_bus_here(const struct api_reply *reply)
{
	return reply->err.kind == AMBT_E_DECODE ||
	       (reply->err.kind == AMBT_E_HTTP &&
	        (reply->err.http_status == 404 ||
	         reply->err.http_status == 405));
}

bool
watch_bus_answer(struct watch *w, const struct api_reply *reply)
{
	const struct bus_batch *batch = reply->data;

	if (reply->err.kind == AMBT_OK) {
		if (w->bus == BUS_UNTRIED)
			watch_status(w, "%s",
			             _("watch: following the forum by long "
			               "polling (MessageBus)"));
		w->bus = BUS_ON;
		for (size_t i = 0; i < batch->n; i++)
			if (subscribed(w, batch->items[i].channel))
				take_message(w, &batch->items[i]);
		return true;
	}
	if (w->bus == BUS_UNTRIED && no_bus_here(reply)) {
		w->bus = BUS_OFF;
		watch_status(w,
		             _("watch: the server offers no MessageBus (%s); "
		               "polling every %d s instead"),
		             reply->err.msg, w->plan.interval);
		return true;
	}
	if (reply->err.kind != AMBT_E_CANCELLED && w->plan.errors == 0)
		watch_status(w, "watch: %s", reply->err.msg);
	return reply->err.kind == AMBT_E_CANCELLED;
}

int64_t
watch_bus_next(struct watch *w, int64_t now)
{
	if (w->cycle_failed || !bus_ready(w))
		return -1;
	if (w->want_notifications || w->want_latest)
		return watch_plan_next_poll(&w->plan, now, now, true);
	if (!watch_plan_may_long_poll(&w->plan, now, w->activity))
		return -1;
	if (!w->poll_cycle)
		return watch_plan_next_poll(&w->plan, now, now, true);
	return watch_plan_next_poll(&w->plan, now, w->poll_started,
	                            w->poll_had_news);
}
