/*
 * message_bus.c: the channels, their backlogs and the polls waiting on
 * them, as the message_bus gem keeps them: a global id over all
 * channels, a message id per channel, the last MB_BACKLOG messages of a
 * channel (older ones are gone without a trace, as in Discourse), and
 * each message with its audience. Everything is behind one mutex; a
 * timer thread ends the holds that nothing answered.
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ambtd/message_bus.h"

struct message {
	int64_t message_id;
	char
	    *text; /* {"global_id":..,"message_id":..,"channel":..,"data":..} */
	struct mb_audience audience;
};

struct channel {
	char *name;
	int64_t last_id;
	struct message ring[MB_BACKLOG];
	size_t start, count;
	struct channel *next;
};

struct sub {
	char *channel;
	int64_t last_id;
	bool status; /* owes a /__status entry */
};

struct mb_poll {
	struct mb_subscriber who;
	bool chunked;
	struct sub subs[MB_MAX_CHANNELS];
	size_t n_subs;
	char *pending; /* messages joined by "," */
	size_t pending_len;
	bool listed, armed, done;
	void (*wake)(void *);
	void *arg;
	struct timespec deadline;
	struct mb_poll *next;
};

static struct {
	pthread_mutex_t lock;
	pthread_cond_t timer_cond;
	pthread_t timer;
	bool running, stopping;
	unsigned hold_ms;
	int64_t global_id;
	struct channel *channels;
	struct mb_poll *waiters;
} bus = {.lock = PTHREAD_MUTEX_INITIALIZER,
         .timer_cond = PTHREAD_COND_INITIALIZER};

static struct channel *
channel_find(const char *name, bool create)
{
	struct channel *c;

	for (c = bus.channels; c; c = c->next)
		if (strcmp(c->name, name) == 0)
			return c;
	if (!create || !(c = calloc(1, sizeof *c)))
		return NULL;
	c->name = strdup(name);
	if (!c->name) {
		free(c);
		return NULL;
	}
	c->next = bus.channels;
	bus.channels = c;
	return c;
}

static struct message *
channel_at(struct channel *c, size_t i)
{
	return &c->ring[(c->start + i) % MB_BACKLOG];
}

static bool
allowed(const struct mb_audience *a, const struct mb_subscriber *w)
{
	if (a->user_id == 0 && a->group_id == 0 && !a->staff_only)
		return true;
	if (a->user_id > 0 && a->user_id == w->user_id)
		return true;
	for (size_t i = 0; w->user_id > 0 && i < a->n_participants; i++)
		if (a->participants[i] == w->user_id)
			return true;
	if ((a->group_id > 0 || a->staff_only) && w->staff)
		return true;
	for (size_t i = 0; a->group_id > 0 && i < w->n_groups; i++)
		if (w->group_ids[i] == a->group_id)
			return true;
	return false;
}

/* ---- Pending answers ---- */

static void
pending_add(struct mb_poll *p, const char *text)
{
	size_t n = strlen(text);
	char *grown = realloc(p->pending, p->pending_len + n + 2);

	if (!grown)
		return; /* the client resyncs from the next message's id */
	p->pending = grown;
	if (p->pending_len > 0)
		p->pending[p->pending_len++] = ',';
	memcpy(p->pending + p->pending_len, text, n + 1);
	p->pending_len += n;
}

/* The /__status message for the subscriptions that owe one. */
static void
pending_add_status(struct mb_poll *p)
{
	json_t *data = json_object(), *msg;
	char *text;

	for (size_t i = 0; i < p->n_subs; i++) {
		if (!p->subs[i].status)
			continue;
		p->subs[i].status = false;
		json_object_set_new(data, p->subs[i].channel,
		                    json_integer(p->subs[i].last_id));
	}
	if (json_object_size(data) == 0) {
		json_decref(data);
		return;
	}
	msg = json_pack("{s:i, s:i, s:s, s:o}", "global_id", -1, "message_id",
	                -1, "channel", "/__status", "data", data);
	text = msg ? json_dumps(msg, JSON_COMPACT) : NULL;
	if (text)
		pending_add(p, text);
	free(text);
	json_decref(msg);
}

/* ---- Polls ---- */

struct mb_poll *
mb_poll_new(const struct mb_subscriber *who)
{
	struct mb_poll *p = calloc(1, sizeof *p);

	if (p)
		p->who = *who;
	return p;
}

void
mb_poll_set_chunked(struct mb_poll *p)
{
	p->chunked = true;
}

static void
unlist(struct mb_poll *p)
{
	for (struct mb_poll **pp = &bus.waiters; *pp; pp = &(*pp)->next) {
		if (*pp == p) {
			*pp = p->next;
			break;
		}
	}
	p->listed = false;
	p->armed = false;
}

void
mb_poll_cancel(struct mb_poll *p)
{
	pthread_mutex_lock(&bus.lock);
	if (p->listed)
		unlist(p);
	pthread_mutex_unlock(&bus.lock);
}

void
mb_poll_free(struct mb_poll *p)
{
	if (!p)
		return;
	mb_poll_cancel(p);
	for (size_t i = 0; i < p->n_subs; i++)
		free(p->subs[i].channel);
	free(p->pending);
	free(p);
}

int
mb_poll_subscribe(struct mb_poll *p, const char *channel, int64_t last_id)
{
	struct sub *s;

	if (p->n_subs == MB_MAX_CHANNELS)
		return -1;
	s = &p->subs[p->n_subs];
	s->channel = strdup(channel);
	if (!s->channel)
		return -1;
	s->last_id = last_id;
	p->n_subs++;
	return 0;
}

/* One subscription's backlog, as message_bus's Client#backlog: -1 and
 * a position ahead of the channel give a status; < -1 counts back. */
static void
sub_backlog(struct mb_poll *p, struct sub *s)
{
	struct channel *c = channel_find(s->channel, false);
	int64_t last = c ? c->last_id : 0;

	if (s->last_id == -1 || s->last_id > last) {
		s->last_id = last;
		s->status = true;
		return;
	}
	if (s->last_id < -1)
		s->last_id =
		    last + s->last_id + 1 > 0 ? last + s->last_id + 1 : 0;
	for (size_t i = 0; c && i < c->count; i++) {
		struct message *m = channel_at(c, i);

		if (m->message_id <= s->last_id)
			continue;
		if (allowed(&m->audience, &p->who))
			pending_add(p, m->text);
		else
			s->status = true; /* filtered out: adopt the id */
	}
	s->last_id = last;
}

static void
deadline_in(struct timespec *ts, unsigned ms)
{
	clock_gettime(CLOCK_MONOTONIC, ts);
	ts->tv_sec += ms / 1000;
	ts->tv_nsec += (long)(ms % 1000) * 1000000L;
	if (ts->tv_nsec >= 1000000000L) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000L;
	}
}

/* Under the lock: from now on the poll hears of new messages, until its
 * hold ends. */
static void
enlist(struct mb_poll *p)
{
	if (p->listed || bus.stopping)
		return;
	deadline_in(&p->deadline, bus.hold_ms);
	p->next = bus.waiters;
	bus.waiters = p;
	p->listed = true;
	pthread_cond_signal(&bus.timer_cond);
}

/* The backlog and the listing in one step, so that nothing published in
 * between is lost. */
bool
mb_poll_backlog(struct mb_poll *p)
{
	bool pending;

	pthread_mutex_lock(&bus.lock);
	for (size_t i = 0; i < p->n_subs; i++)
		sub_backlog(p, &p->subs[i]);
	pending_add_status(p);
	enlist(p);
	pending = p->pending_len > 0;
	pthread_mutex_unlock(&bus.lock);
	return pending;
}

bool
mb_poll_pending(struct mb_poll *p)
{
	bool pending;

	pthread_mutex_lock(&bus.lock);
	pending = p->pending_len > 0;
	pthread_mutex_unlock(&bus.lock);
	return pending;
}

char *
mb_poll_take(struct mb_poll *p)
{
	char *text;

	pthread_mutex_lock(&bus.lock);
	if (asprintf(&text, "[%s]", p->pending ? p->pending : "") < 0)
		text = NULL;
	free(p->pending);
	p->pending = NULL;
	p->pending_len = 0;
	pthread_mutex_unlock(&bus.lock);
	return text;
}

bool
mb_poll_wait(struct mb_poll *p, void (*sleep)(void *), void (*wake)(void *),
             void *arg)
{
	bool waits;

	pthread_mutex_lock(&bus.lock);
	waits = p->pending_len == 0 && !p->done && !bus.stopping;
	if (waits) {
		enlist(p);
		p->wake = wake;
		p->arg = arg;
		p->armed = true;
		sleep(arg);
	}
	pthread_mutex_unlock(&bus.lock);
	return waits;
}

bool
mb_poll_done(const struct mb_poll *p)
{
	bool done;

	pthread_mutex_lock(&bus.lock);
	done = p->done || bus.stopping;
	pthread_mutex_unlock(&bus.lock);
	return done;
}

/* Under the lock: wake the poll if it sleeps. A plain long poll answers
 * once, so it leaves the list; a chunked one stays until its hold ends. */
static void
wake_up(struct mb_poll *p)
{
	bool armed = p->armed;

	p->armed = false;
	if (!p->chunked || p->done)
		unlist(p);
	if (armed)
		p->wake(p->arg);
}

/* ---- Publishing ---- */

static char *
message_text(int64_t global_id, int64_t message_id, const char *channel,
             const char *data)
{
	json_t *chan = json_string(channel);
	char *name = chan ? json_dumps(chan, JSON_ENCODE_ANY) : NULL, *text;

	json_decref(chan);
	if (!name || asprintf(&text,
	                      "{\"global_id\":%lld,\"message_id\":%lld,"
	                      "\"channel\":%s,\"data\":%s}",
	                      (long long)global_id, (long long)message_id, name,
	                      data) < 0)
		text = NULL;
	free(name);
	return text;
}

static void
deliver(const struct channel *c, const struct message *m)
{
	struct mb_poll *p = bus.waiters, *next;

	for (; p; p = next) {
		bool got = false;

		next = p->next;
		for (size_t i = 0; i < p->n_subs; i++) {
			struct sub *s = &p->subs[i];

			if (strcmp(s->channel, c->name) != 0 ||
			    s->last_id >= m->message_id)
				continue;
			s->last_id = m->message_id;
			if (allowed(&m->audience, &p->who)) {
				pending_add(p, m->text);
				got = true;
			}
		}
		if (got)
			wake_up(p);
	}
}

static void
publish(const char *channel, const char *data, const struct mb_audience *a)
{
	struct channel *c;
	struct message *m;
	char *text;

	pthread_mutex_lock(&bus.lock);
	c = channel_find(channel, true);
	text =
	    c ? message_text(bus.global_id + 1, c->last_id + 1, channel, data)
	      : NULL;
	if (!text) {
		pthread_mutex_unlock(&bus.lock);
		return;
	}
	bus.global_id++;
	c->last_id++;
	if (c->count == MB_BACKLOG) { /* the oldest goes */
		free(channel_at(c, 0)->text);
		c->start = (c->start + 1) % MB_BACKLOG;
		c->count--;
	}
	m = channel_at(c, c->count++);
	m->message_id = c->last_id;
	m->text = text;
	m->audience = *a;
	deliver(c, m);
	pthread_mutex_unlock(&bus.lock);
}

int64_t
mb_last_id(const char *channel)
{
	struct channel *c;
	int64_t id;

	pthread_mutex_lock(&bus.lock);
	c = channel_find(channel, false);
	id = c ? c->last_id : 0;
	pthread_mutex_unlock(&bus.lock);
	return id;
}

/* ---- The queue of a request, published after its commit ---- */

struct queued {
	char *channel;
	char *data;
	struct mb_audience audience;
	struct queued *next;
};

/* the tail starts NULL: a thread-local address is no constant */
static _Thread_local struct queued *queue_head, **queue_tail;

void
mb_queue(const char *channel, json_t *data, const struct mb_audience *a)
{
	struct queued *q = calloc(1, sizeof *q);

	if (q && data) {
		q->channel = strdup(channel);
		q->data = json_dumps(data, JSON_COMPACT | JSON_ENCODE_ANY);
		q->audience = *a;
	}
	json_decref(data);
	if (!q || !q->channel || !q->data) {
		if (q) {
			free(q->channel);
			free(q->data);
		}
		free(q);
		return;
	}
	if (!queue_tail)
		queue_tail = &queue_head;
	*queue_tail = q;
	queue_tail = &q->next;
}

static void
queue_drain(bool send)
{
	struct queued *q = queue_head, *next;

	for (; q; q = next) {
		next = q->next;
		if (send && bus.running)
			publish(q->channel, q->data, &q->audience);
		free(q->channel);
		free(q->data);
		free(q);
	}
	queue_head = NULL;
	queue_tail = &queue_head;
}

void
mb_flush_queue(void)
{
	queue_drain(true);
}

void
mb_discard_queue(void)
{
	queue_drain(false);
}

/* ---- The timer: holds that run out ---- */

static bool
before(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec < b->tv_sec ||
	       (a->tv_sec == b->tv_sec && a->tv_nsec < b->tv_nsec);
}

/* End the holds that are over; the next deadline into *next, false if
 * nothing waits. */
static bool
expire(struct timespec *next)
{
	struct timespec now;
	struct mb_poll *p, *following;
	bool any = false;

	clock_gettime(CLOCK_MONOTONIC, &now);
	for (p = bus.waiters; p; p = following) {
		following = p->next;
		if (!before(&now, &p->deadline)) {
			p->done = true;
			wake_up(p);
			unlist(p);
		} else if (!any || before(&p->deadline, next)) {
			*next = p->deadline;
			any = true;
		}
	}
	return any;
}

static void *
timer_main(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&bus.lock);
	while (!bus.stopping) {
		struct timespec next;

		if (expire(&next))
			pthread_cond_timedwait(&bus.timer_cond, &bus.lock,
			                       &next);
		else
			pthread_cond_wait(&bus.timer_cond, &bus.lock);
	}
	pthread_mutex_unlock(&bus.lock);
	return NULL;
}

int
mb_start(unsigned hold_ms)
{
	pthread_condattr_t attr;

	bus.hold_ms = hold_ms ? hold_ms : MB_HOLD_MS;
	bus.stopping = false;
	/* deadlines are on the monotonic clock, so the wait must be too */
	if (pthread_condattr_init(&attr) != 0 ||
	    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC) != 0 ||
	    pthread_cond_init(&bus.timer_cond, &attr) != 0)
		return -1;
	pthread_condattr_destroy(&attr);
	if (pthread_create(&bus.timer, NULL, timer_main, NULL) != 0)
		return -1;
	bus.running = true;
	return 0;
}

unsigned
mb_hold_ms(void)
{
	return bus.hold_ms;
}

static void
channels_free(void)
{
	struct channel *c = bus.channels, *next;

	for (; c; c = next) {
		next = c->next;
		for (size_t i = 0; i < c->count; i++)
			free(channel_at(c, i)->text);
		free(c->name);
		free(c);
	}
	bus.channels = NULL;
}

void
mb_stop(void)
{
	if (!bus.running)
		return;
	pthread_mutex_lock(&bus.lock);
	bus.stopping = true;
	while (bus.waiters) {
		struct mb_poll *p = bus.waiters;

		p->done = true;
		wake_up(p);
		if (p->listed)
			unlist(p);
	}
	pthread_cond_signal(&bus.timer_cond);
	pthread_mutex_unlock(&bus.lock);
	pthread_join(bus.timer, NULL);
	bus.running = false;
}

void
mb_free(void)
{
	pthread_mutex_lock(&bus.lock);
	channels_free();
	pthread_mutex_unlock(&bus.lock);
}
