/*
 * watch_plan.c: the watcher's request budget. Both windows are sliding:
 * the minute keeps the times of the last WATCH_MINUTE_LIMIT requests, the
 * day one counter per minute, so a check never scans more than a day.
 */
#include "config.h"

#include <string.h>

#include "ambt/watch.h"

/* Requests a day kept for the user's own use while long polling. */
#define DAY_RESERVE 60
/* A poll answered at once waits this long after the last one started, so
 * a server that does not hold (or sends nothing but /__status) cannot
 * make the watcher spin; one with messages, or one from -1 (answered at
 * once with /__status), waits a little. */
#define EMPTY_POLL_GAP 15
#define NEWS_POLL_GAP 2

void
watch_plan_init(struct watch_plan *plan, int interval)
{
	memset(plan, 0, sizeof *plan);
	plan->interval =
	    interval < WATCH_MIN_INTERVAL ? WATCH_MIN_INTERVAL : interval;
	for (size_t i = 0; i < WATCH_MINUTE_LIMIT; i++)
		plan->minute_times[i] = INT64_MIN;
	for (size_t i = 0; i < WATCH_DAY_BUCKETS; i++)
		plan->day_minute[i] = INT64_MIN;
}

int
watch_plan_minute_count(const struct watch_plan *plan, int64_t now)
{
	int n = 0;

	for (size_t i = 0; i < WATCH_MINUTE_LIMIT; i++) {
		if (plan->minute_times[i] != INT64_MIN &&
		    now - plan->minute_times[i] < 60)
			n++;
	}
	return n;
}

static int64_t
minute_of(int64_t t)
{
	return t >= 0 ? t / 60 : (t - 59) / 60;
}

/* Requests in the buckets of the last `minutes` minutes up to now's. */
static int
count_minutes(const struct watch_plan *plan, int64_t now, int64_t minutes)
{
	int64_t m = minute_of(now);
	int n = 0;

	for (size_t i = 0; i < WATCH_DAY_BUCKETS; i++) {
		if (plan->day_minute[i] != INT64_MIN &&
		    m - plan->day_minute[i] < minutes)
			n += plan->day_count[i];
	}
	return n;
}

int
watch_plan_day_count(const struct watch_plan *plan, int64_t now)
{
	return count_minutes(plan, now, WATCH_DAY_BUCKETS);
}

int
watch_plan_hour_count(const struct watch_plan *plan, int64_t now)
{
	return count_minutes(plan, now, 60);
}

bool
watch_plan_allows(const struct watch_plan *plan, int64_t now, int n)
{
	if (plan->unbudgeted)
		return true;
	return n <= WATCH_MINUTE_LIMIT &&
	       watch_plan_minute_count(plan, now) + n <= WATCH_MINUTE_LIMIT &&
	       watch_plan_day_count(plan, now) + n <= WATCH_DAY_LIMIT;
}

void
watch_plan_spend(struct watch_plan *plan, int64_t now, int n)
{
	int64_t m = minute_of(now);
	size_t b = (size_t)(m % WATCH_DAY_BUCKETS);

	for (int i = 0; i < n; i++) {
		plan->minute_times[plan->minute_next] = now;
		plan->minute_next =
		    (plan->minute_next + 1) % WATCH_MINUTE_LIMIT;
	}
	if (plan->day_minute[b] != m) {
		plan->day_minute[b] = m;
		plan->day_count[b] = 0;
	}
	plan->day_count[b] += n;
}

void
watch_plan_result(struct watch_plan *plan, bool ok)
{
	if (ok)
		plan->errors = 0;
	else if (plan->errors < 30)
		plan->errors++;
}

/* The pause before the next cycle: the interval, stretched so a day of
 * cycles of this cost keeps to the day's pace (when there is a budget),
 * doubled per error up to the cap (or the interval, when longer). */
static int64_t
pause_for(const struct watch_plan *plan, int cost)
{
	int64_t pause = plan->interval;
	int64_t paced = (int64_t)cost * 86400 / WATCH_DAY_PACE;
	int64_t cap = plan->interval > WATCH_MAX_BACKOFF ? plan->interval
	                                                 : WATCH_MAX_BACKOFF;

	if (paced > pause && !plan->unbudgeted)
		pause = paced;
	for (int i = 0; i < plan->errors && pause < cap; i++)
		pause *= 2;
	return plan->errors > 0 && pause > cap ? cap : pause;
}

int64_t
watch_plan_next(const struct watch_plan *plan, int64_t now, int cost)
{
	int64_t t = now + pause_for(plan, cost);

	/* The windows slide, so a later moment always allows it: the minute
	 * frees within seconds, the day a minute's bucket at a time. */
	while (!watch_plan_allows(plan, t, cost) && t < now + 2 * 86400) {
		if (watch_plan_minute_count(plan, t) + cost >
		    WATCH_MINUTE_LIMIT)
			t += 1;
		else
			t += 60;
	}
	return t;
}

bool
watch_plan_may_long_poll(const struct watch_plan *plan, int64_t now,
                         enum watch_activity activity)
{
	if (plan->unbudgeted)
		return true;
	switch (activity) {
	case WATCH_ACTIVE:
		return watch_plan_day_count(plan, now) + 1 + DAY_RESERVE <=
		       WATCH_DAY_PACE;
	case WATCH_UNSAID:
		return watch_plan_hour_count(plan, now) + 1 <=
		       WATCH_DAY_PACE / 24;
	case WATCH_IDLE:
		break;
	}
	return false;
}

int64_t
watch_plan_next_poll(const struct watch_plan *plan, int64_t now,
                     int64_t last_start, bool news)
{
	int64_t t = last_start + (news ? NEWS_POLL_GAP : EMPTY_POLL_GAP);

	if (t < now)
		t = now;
	while (!watch_plan_allows(plan, t, 1))
		t++;
	return t;
}
