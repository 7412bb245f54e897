/*
 * watch.h: the watcher: what the forum has for the user, as notices.
 *
 * Each cycle polls /notifications.json (replies, mentions, messages),
 * /latest.json (compared with the highest post number kept per topic; the
 * new posts of a watched topic, or of any topic when words are monitored,
 * are fetched) and, every few cycles, the upcoming events. What was
 * notified is kept in the state store (seen + watch_state): a restart
 * repeats nothing and a first run only records where the forum is now.
 * The user's own posts are never notified; more than WATCH_COALESCE_MAX
 * notices from one cycle become one summary; in quiet hours notices are
 * counted and summed up in one notice when the quiet hours end.
 *
 * Nothing blocks: the requests go through the api's http, which the
 * caller drives from its own loop (http_poll), and watch_tick() says how
 * long the caller may sleep. A TUI drives it the same way as `ambt watch`.
 *
 * Where the server offers MessageBus (Discourse and ambtd do), cycles
 * after the first are long polls on /latest and the user's notification
 * channels (watch_bus.c), their positions kept in watch_state; a message
 * brings the fetches above. The first poll answered 404/405 or with no
 * JSON array: plain polling, said once through the status callback.
 *
 * Requests are planned within the budget of a User API key (20 a minute,
 * 2,880 a day; Discourse answers silently as anonymous beyond it): the
 * interval is stretched so a day of polling fits; long polls are made
 * while the user is active (watch_set_active) within the day's pace, in
 * `ambt watch` (which says nothing) within an hour's share of it; an idle
 * user gets looks at /notifications/totals.json, the lists fetched only
 * when they moved. Errors back off exponentially up to WATCH_MAX_BACKOFF,
 * and after a reconnect /session/current.json checks that the key is
 * still accepted. An admin Api-Key has no budget.
 */
#ifndef AMBT_WATCH_H
#define AMBT_WATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ambt/api.h"
#include "ambt/config.h"
#include "ambt/notify.h"
#include "ambt/store.h"

#define WATCH_MINUTE_LIMIT 20
#define WATCH_DAY_LIMIT 2880
/* The day's pace leaves a tenth of the budget for the user's own use. */
#define WATCH_DAY_PACE (WATCH_DAY_LIMIT * 9 / 10)
#define WATCH_MIN_INTERVAL 15
/* The least pause between an idle user's looks at the totals. */
#define WATCH_IDLE_INTERVAL 120
#define WATCH_MAX_BACKOFF 900
#define WATCH_COALESCE_MAX 3
#define WATCH_DAY_BUCKETS 1441

/* ---- The planner: pure, so tests run a day on a fake clock ---- */
struct watch_plan {
	int interval; /* seconds between cycles, as asked */
	int errors;   /* failed cycles in a row */
	int64_t minute_times[WATCH_MINUTE_LIMIT]; /* the last requests */
	size_t minute_next;
	/* A day and a minute of buckets, one a minute, so the day counted
	 * always covers the last 86,400 seconds whole. */
	int64_t day_minute[WATCH_DAY_BUCKETS]; /* which minute it counts */
	int day_count[WATCH_DAY_BUCKETS];
	bool unbudgeted; /* an admin Api-Key: no limits to keep */
};

void watch_plan_init(struct watch_plan *, int interval);
/* Would n more requests at now stay within both limits? */
bool watch_plan_allows(const struct watch_plan *, int64_t now, int n);
/* Count n requests made at now (the caller checked allows first). */
void watch_plan_spend(struct watch_plan *, int64_t now, int n);
/* Requests in the minute and the day ending at now. */
int watch_plan_minute_count(const struct watch_plan *, int64_t now);
int watch_plan_day_count(const struct watch_plan *, int64_t now);
/* Requests in the 60 whole minutes up to now's (the hour's share of the
 * day's pace is what the watcher's long polls keep to unattended). */
int watch_plan_hour_count(const struct watch_plan *, int64_t now);
/* Is the user at the screen? The TUI says (watch_set_active); `ambt
 * watch` says nothing. */
enum watch_activity { WATCH_UNSAID, WATCH_ACTIVE, WATCH_IDLE };
/* May a long poll start now? Without a budget always; for a user at the
 * screen while the day keeps to its pace; unsaid while the last hour
 * kept to an hour's share of it; for an idle user never (plain polls). */
bool watch_plan_may_long_poll(const struct watch_plan *, int64_t now,
                              enum watch_activity);
/* When the next long poll may start, the last having started at
 * last_start: soon after one that brought news, else not before a
 * pause, so a server that answers at once cannot make the watcher spin. */
int64_t watch_plan_next_poll(const struct watch_plan *, int64_t now,
                             int64_t last_start, bool news);
/* A cycle ended: ok resets the backoff, a failure doubles it. */
void watch_plan_result(struct watch_plan *, bool ok);
/* When a cycle of cost requests may start, at or after now. */
int64_t watch_plan_next(const struct watch_plan *, int64_t now, int cost);

/* ---- Text rules ---- */
/* Is minute-of-day m within start..end (which may wrap midnight)? */
bool watch_in_quiet_hours(int start, int end, int m);
/* Does text contain word as a whole word, case-insensitively (ASCII and
 * UTF-8 letters count as word characters)? */
bool watch_word_matches(const char *text, const char *word);
/* The first of words that text contains, or NULL. */
const char *watch_monitored_word(const char *text, char *const *words,
                                 size_t n);
/* "7 new posts in 3 topics" (newly allocated, translated). */
char *watch_summary_text(size_t n_notices, size_t n_topics);

/* ---- The engine ---- */
typedef void (*watch_notice_fn)(const struct notice *, void *arg);
/* A line about the watcher itself: backing off, answered anonymously. */
typedef void (*watch_status_fn)(const char *line, void *arg);

struct watch_options {
	const char *server;       /* the base URL: the key in the store */
	const char *username;     /* the user, whose posts are never notified;
	                             NULL: not logged in (no notifications) */
	const struct config *cfg; /* kinds, quiet hours, words, reminder */
	int interval;             /* seconds; 0: cfg->notify_interval */
	struct store *state;      /* seen and watch_state */
	watch_notice_fn notice;
	watch_status_fn status;
	void *arg;              /* for both */
	int64_t (*clock)(void); /* NULL: time() */
};

struct watch;

struct watch *watch_new(struct api *, const struct watch_options *);
void watch_free(struct watch *); /* cancels what is in flight */
/* Start a cycle when one is due; returns the milliseconds until the next
 * is due, or -1 while a cycle's requests are in flight (http_poll may
 * wait for the network). */
int watch_tick(struct watch *);
/* Cycles finished since watch_new. */
int watch_cycles(const struct watch *);
/* Is a cycle's request in flight? */
bool watch_busy(const struct watch *);
/* Did the last finished cycle fail (a request not answered)? */
bool watch_last_failed(const struct watch *);
/* Is the user at the screen (the TUI in use)? An active watcher may hold
 * long polls; an idle one polls slowly, so the day's budget lasts. */
void watch_set_active(struct watch *, bool active);

#endif
