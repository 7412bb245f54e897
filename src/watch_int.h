/* watch_int.h: what watch.c (the cycle, delivery) and watch_poll.c (the
 * requests and their answers) share. */
#ifndef AMBT_WATCH_INT_H
#define AMBT_WATCH_INT_H

#include "ambt/watch.h"

/* A notice of this cycle, not yet shown. */
struct pending {
	enum notice_kind kind;
	int64_t topic_id;
	int post_number;
	char *summary;
	char *body;
	char *url;
};

struct watch_job;

struct watch {
	struct api *api;
	struct watch_options opt;
	struct watch_plan plan;
	int64_t next_at;   /* when the next cycle is due */
	int64_t since;     /* nothing created before is notified */
	int64_t events_at; /* when the events were last fetched */
	int in_flight;     /* this cycle's requests not yet answered */
	bool starting;     /* starting requests: do not end the cycle */
	bool cycle_failed;
	bool baseline;      /* a first run: only record where things are */
	bool check_session; /* at start and after a reconnect */
	/* MessageBus (watch_bus.c) */
	enum watch_activity activity;
	enum { BUS_UNTRIED, BUS_ON, BUS_OFF } bus;
	char client_id[33];
	int64_t user_id;      /* from /session/current.json; 0: not yet */
	int64_t poll_started; /* when the last long poll started */
	bool poll_cycle;      /* this cycle is a long poll */
	bool poll_had_news;   /* and it brought messages */
	bool want_notifications, want_latest; /* what the messages ask */
	int64_t *watched; /* the watched topics /latest.json listed last */
	size_t n_watched;
	bool totals_cycle; /* this cycle looked at the totals only */
	bool no_totals;    /* the server has no /notifications/totals.json */
	int cycles;
	struct watch_job *jobs; /* in flight, for watch_free */
	struct pending *items;
	size_t n_items;
};

int64_t watch_now(const struct watch *);
bool watch_wants(const struct watch *, enum notice_kind);
/* Queue a notice about post_number of topic_id (0: not about a post)
 * unless that post was notified before; takes summary, body and url. */
void watch_add(struct watch *, enum notice_kind, int64_t topic_id,
               int post_number, char *summary, char *body, char *url);
void watch_status(struct watch *, const char *fmt, ...) AMBT_PRINTF(2, 3);
/* Count one request against the budget; false when it does not fit. */
bool watch_spend(struct watch *);
/* A request of this cycle ended (ok or not); may end the cycle. */
void watch_request_done(struct watch *, bool ok);

/* watch_poll.c: start this cycle's requests. */
void watch_start_requests(struct watch *);
void watch_cancel_jobs(struct watch *);
/* The plain polling cycle's requests, one by one. */
void watch_start_session(struct watch *);
void watch_start_notifications(struct watch *);
void watch_start_latest(struct watch *);
void watch_start_events(struct watch *); /* when they are due */
void watch_start_bus_poll(struct watch *, const struct bus_position *,
                          size_t n);

/* watch_bus.c: a cycle over MessageBus, when it is the one to make:
 * true when it started one (a long poll, or the fetches the last poll's
 * messages asked for). */
bool watch_bus_start(struct watch *);
/* A finished cycle's next start when the bus plans it, or -1. */
int64_t watch_bus_next(struct watch *, int64_t now);
void watch_bus_init(struct watch *);
/* A long poll's answer: takes its messages; false when it failed. */
bool watch_bus_answer(struct watch *, const struct api_reply *);

#endif
