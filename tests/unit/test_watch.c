/* test_watch.c: the watcher's planner over a simulated day (plain polls,
 * and long polls with an active/idle mix), MessageBus answers (hostile
 * ones too) and the fallback decision, its text rules, coalescing, quiet
 * hours, the first-run rule and its settings. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "ambt/config.h"
#include "ambt/util.h"
#include "ambt/watch.h"
#include "faultserver_util.h"
#include "watch_int.h"

/* ---- the planner ---- */

/* Every request the simulated watcher made, by second. */
static int requests_at[86400];

/* A tiny deterministic generator, so a failure can be replayed. */
static unsigned
next_random(unsigned *seed)
{
	*seed = *seed * 1103515245u + 12345u;
	return (*seed >> 16) & 0x7fff;
}

/* One cycle as watch_poll.c makes it: each request only when the plan
 * allows it; a session check after a reconnect; up to 5 topic fetches. */
static bool
simulate_cycle(struct watch_plan *plan, int64_t now, unsigned *seed,
               bool *check_session)
{
	int want = 3 + (int)(next_random(seed) % 6) + (*check_session ? 1 : 0);
	bool failed = next_random(seed) % 10 == 0;

	for (int i = 0; i < want; i++) {
		if (!watch_plan_allows(plan, now, 1))
			break;
		watch_plan_spend(plan, now, 1);
		requests_at[now]++;
	}
	*check_session = plan->errors > 0 && !failed;
	return !failed;
}

static void
assert_within_limits(void)
{
	int minute = 0, day = 0, worst = 0;

	for (int t = 0; t < 86400; t++) {
		minute += requests_at[t];
		if (t >= 60)
			minute -= requests_at[t - 60];
		if (minute > worst)
			worst = minute;
		day += requests_at[t];
	}
	assert_true(worst <= WATCH_MINUTE_LIMIT);
	assert_true(day <= WATCH_DAY_LIMIT);
	/* It did watch: at least a poll every five minutes on average. */
	assert_true(day >= 288);
}

static void
run_day(int interval, unsigned seed)
{
	struct watch_plan *plan = xcalloc(1, sizeof *plan);
	bool check_session = true;
	int64_t t = 0;

	memset(requests_at, 0, sizeof requests_at);
	watch_plan_init(plan, interval);
	while (t < 86400) {
		bool ok = simulate_cycle(plan, t, &seed, &check_session);

		watch_plan_result(plan, ok);
		t = watch_plan_next(plan, t, 3);
		assert_true(t > 0);
	}
	assert_within_limits();
	free(plan);
}

static void
test_plan_day(void **state)
{
	(void)state;
	run_day(60, 1);
	run_day(15, 7);
	run_day(15, 12345);
}

/* What the user does at second t of the simulated day: at the screen in
 * the morning and afternoon, away at lunch and at night, and the hours
 * before 7 and after 22 left to `ambt watch`, which says nothing. */
static enum watch_activity
activity_at(int64_t t)
{
	int hour = (int)(t / 3600);

	if (hour < 7 || hour >= 22)
		return WATCH_UNSAID;
	if ((hour >= 9 && hour < 12) || (hour >= 13 && hour < 17))
		return WATCH_ACTIVE;
	return WATCH_IDLE;
}

/* Spend up to n requests at now as far as the plan allows. */
static void
spend_allowed(struct watch_plan *plan, int64_t now, int n)
{
	for (int i = 0; i < n && watch_plan_allows(plan, now, 1); i++) {
		watch_plan_spend(plan, now, 1);
		requests_at[now]++;
	}
}

/* One long poll from now: held 25 s unless a message comes first (then
 * the fetches it asks for follow), or answered at once by a server that
 * does not hold. Returns when the next cycle is due. */
static int64_t
simulate_poll(struct watch_plan *plan, int64_t now, unsigned *seed,
              bool *polled)
{
	unsigned r = next_random(seed) % 20;
	int64_t end = now + 25;
	bool news = r < 3;

	*polled = true;
	spend_allowed(plan, now, 1);
	if (news)
		end = now + (int64_t)(next_random(seed) % 25);
	else if (r == 3)
		end = now; /* answered at once with nothing */
	if (end >= 86400)
		return end;
	if (news) /* the fetches, in the cycle after */
		spend_allowed(plan, end, 1 + (int)(next_random(seed) % 3));
	return watch_plan_next_poll(plan, end, now, news);
}

static void
run_bus_day(unsigned seed, bool always_active)
{
	struct watch_plan *plan = xcalloc(1, sizeof *plan);
	int64_t t = 0;
	int polls = 0, idle_requests = 0;

	memset(requests_at, 0, sizeof requests_at);
	watch_plan_init(plan, 60);
	while (t < 86400) {
		enum watch_activity a =
		    always_active ? WATCH_ACTIVE : activity_at(t);
		bool polled = false;

		if (watch_plan_may_long_poll(plan, t, a))
			t = simulate_poll(plan, t, &seed, &polled);
		else {
			spend_allowed(plan, t, 3);
			idle_requests += a == WATCH_IDLE ? 3 : 0;
			t = watch_plan_next(plan, t, 3);
		}
		polls += polled;
		assert_true(watch_plan_minute_count(plan, t) <=
		            WATCH_MINUTE_LIMIT);
	}
	assert_within_limits();
	/* It long polled, and an idle user's hours made no long polls. */
	assert_true(polls > 1000);
	assert_true(always_active || idle_requests > 0);
	free(plan);
}

/* A day of long polls while active, plain polls while idle, paced long
 * polls unattended: within 20 a minute and 2,880 a day; and a user at
 * the screen all day long still keeps to the day. */
static void
test_plan_bus_day(void **state)
{
	(void)state;
	run_bus_day(3, false);
	run_bus_day(99, false);
	run_bus_day(5, true);
}

/* A server that answers every poll at once cannot make it spin. */
static void
test_plan_poll_gap(void **state)
{
	struct watch_plan plan;

	(void)state;
	watch_plan_init(&plan, 60);
	assert_true(watch_plan_next_poll(&plan, 1000, 1000, false) >= 1015);
	assert_true(watch_plan_next_poll(&plan, 1000, 1000, true) > 1000);
	/* A poll that was held: the next at once. */
	assert_int_equal(watch_plan_next_poll(&plan, 1030, 1005, false), 1030);
	assert_false(watch_plan_may_long_poll(&plan, 1000, WATCH_IDLE));
	assert_true(watch_plan_may_long_poll(&plan, 1000, WATCH_ACTIVE));
	for (int i = 0; i < WATCH_DAY_PACE / 24; i++)
		watch_plan_spend(&plan, 1000 + i * 25, 1);
	assert_false(
	    watch_plan_may_long_poll(&plan, 1000 + 2700, WATCH_UNSAID));
	assert_true(watch_plan_may_long_poll(&plan, 1000 + 2700, WATCH_ACTIVE));
	plan.unbudgeted = true;
	assert_true(watch_plan_may_long_poll(&plan, 1000, WATCH_IDLE));
}

static void
test_plan_backoff(void **state)
{
	struct watch_plan plan;
	int64_t last = 60;

	(void)state;
	watch_plan_init(&plan, 60);
	assert_int_equal(watch_plan_next(&plan, 0, 1), 60);
	for (int i = 0; i < 12; i++) {
		int64_t next;

		watch_plan_result(&plan, false);
		next = watch_plan_next(&plan, 0, 1);
		assert_true(next >= last);
		assert_true(next <= WATCH_MAX_BACKOFF);
		last = next;
	}
	assert_int_equal(last, WATCH_MAX_BACKOFF);
	watch_plan_result(&plan, true);
	assert_int_equal(watch_plan_next(&plan, 0, 1), 60);
}

static void
test_plan_minute_full(void **state)
{
	struct watch_plan plan;

	(void)state;
	watch_plan_init(&plan, 15);
	watch_plan_spend(&plan, 100, WATCH_MINUTE_LIMIT);
	assert_false(watch_plan_allows(&plan, 100, 1));
	assert_false(watch_plan_allows(&plan, 159, 1));
	assert_true(watch_plan_allows(&plan, 160, 1));
	assert_int_equal(watch_plan_minute_count(&plan, 100), 20);
	assert_int_equal(watch_plan_day_count(&plan, 100 + 86399), 20);
	assert_int_equal(watch_plan_day_count(&plan, 100 + 86520), 0);
}

/* ---- text rules ---- */

static void
test_quiet_hours(void **state)
{
	int start = 22 * 60 + 30, end = 7 * 60;

	(void)state;
	assert_true(watch_in_quiet_hours(start, end, 23 * 60));
	assert_true(watch_in_quiet_hours(start, end, 0));
	assert_true(watch_in_quiet_hours(start, end, 3 * 60));
	assert_true(watch_in_quiet_hours(start, end, start));
	assert_false(watch_in_quiet_hours(start, end, end));
	assert_false(watch_in_quiet_hours(start, end, 12 * 60));
	assert_false(watch_in_quiet_hours(start, end, start - 1));
	assert_true(watch_in_quiet_hours(12 * 60, 13 * 60, 12 * 60 + 30));
	assert_false(watch_in_quiet_hours(12 * 60, 13 * 60, 11 * 60));
	assert_false(watch_in_quiet_hours(-1, -1, 0));
}

static void
test_monitored_words(void **state)
{
	char *words[] = {"Woo", "SELOR", "één"};

	(void)state;
	assert_true(watch_word_matches("Een Woo-verzoek", "woo"));
	assert_true(watch_word_matches("de WOO.", "Woo"));
	assert_false(watch_word_matches("Wooden shoes", "Woo"));
	assert_false(watch_word_matches("bewoonbaar", "woo"));
	assert_true(watch_word_matches("Één keer", "één"));
	assert_true(watch_word_matches("nog één keer", "ÉÉN"));
	assert_false(watch_word_matches("éénmalig", "één"));
	assert_false(watch_word_matches("caféën", "café"));
	assert_true(watch_word_matches("in het café.", "CAFÉ"));
	assert_false(watch_word_matches("", "woo"));
	assert_string_equal(watch_monitored_word("bij selor!", words, 3),
	                    "SELOR");
	assert_null(watch_monitored_word("niets hier", words, 3));
}

static void
test_summary_text(void **state)
{
	char *s = watch_summary_text(7, 3);

	(void)state;
	assert_string_equal(s, "7 new posts in 3 topics");
	free(s);
	s = watch_summary_text(1, 1);
	assert_string_equal(s, "1 new post in 1 topic");
	free(s);
}

/* ---- the engine's delivery, without a network ---- */

struct seen_notices {
	int n;
	enum notice_kind kind[64];
	char summary[64][80];
};

static void
record_notice(const struct notice *n, void *arg)
{
	struct seen_notices *s = arg;

	if (s->n < 64) {
		s->kind[s->n] = n->kind;
		snprintf(s->summary[s->n], sizeof s->summary[0], "%s",
		         n->summary);
	}
	s->n++;
}

static int64_t fake_now;

static int64_t
fake_clock(void)
{
	return fake_now;
}

struct fixture {
	char dir[64];
	char path[96];
	struct store *state;
	struct config cfg;
	struct seen_notices seen;
};

static struct watch *
new_watch(struct fixture *f)
{
	struct watch_options o = {
	    .server = "http://127.0.0.1:1",
	    .username = "jan",
	    .cfg = &f->cfg,
	    .state = f->state,
	    .notice = record_notice,
	    .arg = &f->seen,
	    .clock = fake_clock,
	};

	return watch_new(NULL, &o);
}

/* What the answers of one cycle found, then its end. */
static void
cycle_with(struct watch *w, int n_posts, int n_topics, int first_number)
{
	w->in_flight = 1;
	for (int i = 0; i < n_posts; i++)
		watch_add(w, NOTICE_POST, 10 + i % n_topics, first_number + i,
		          xasprintf("Topic %d", 10 + i % n_topics),
		          xstrdup("annelies: hallo"), NULL);
	watch_request_done(w, true);
}

static int
setup(void **state)
{
	struct fixture *f = xcalloc(1, sizeof *f);
	struct ambt_error err = {0};

	snprintf(f->dir, sizeof f->dir, "/tmp/test_watch.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof f->path, "%s/state.sqlite3", f->dir);
	f->state = store_open(f->path, STORE_STATE, &err);
	assert_non_null(f->state);
	config_init(&f->cfg);
	fake_now = 1764000000; /* 2025-11-24 16:00 UTC */
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;
	char *wal = xasprintf("%s-wal", f->path),
	     *shm = xasprintf("%s-shm", f->path);

	store_close(f->state);
	unlink(f->path);
	unlink(wal);
	unlink(shm);
	rmdir(f->dir);
	free(wal);
	free(shm);
	config_clear(&f->cfg);
	free(f);
	return 0;
}

static void
test_coalesce(void **state)
{
	struct fixture *f = *state;
	struct watch *w = new_watch(f);

	cycle_with(w, 2, 2, 2);
	assert_int_equal(f->seen.n, 2);
	assert_int_equal(f->seen.kind[0], NOTICE_POST);
	cycle_with(w, 25, 3, 100);
	assert_int_equal(f->seen.n, 3);
	assert_int_equal(f->seen.kind[2], NOTICE_SUMMARY);
	assert_string_equal(f->seen.summary[2], "25 new posts in 3 topics");
	watch_free(w);
}

static void
test_restart_repeats_nothing(void **state)
{
	struct fixture *f = *state;
	struct watch *w = new_watch(f);

	assert_true(w->baseline); /* a first run only records */
	cycle_with(w, 1, 1, 5);
	assert_false(w->baseline);
	assert_int_equal(f->seen.n, 1);
	watch_free(w);
	w = new_watch(f);
	assert_false(w->baseline);
	cycle_with(w, 1, 1, 5); /* the same post, after the restart */
	assert_int_equal(f->seen.n, 1);
	cycle_with(w, 1, 1, 6);
	assert_int_equal(f->seen.n, 2);
	watch_free(w);
}

static void
test_quiet_hours_held(void **state)
{
	struct fixture *f = *state;
	struct watch *w;
	struct ambt_error err = {0};

	/* 16:00 UTC is in 15:00-17:00 and not in 17:00-18:00. */
	assert_int_equal(
	    config_set(&f->cfg, "quiet_hours", "15:00-17:00", &err), 0);
	w = new_watch(f);
	cycle_with(w, 2, 1, 2);
	cycle_with(w, 1, 1, 4);
	assert_int_equal(f->seen.n, 0);
	fake_now += 3600;
	cycle_with(w, 0, 1, 0);
	assert_int_equal(f->seen.n, 1);
	assert_int_equal(f->seen.kind[0], NOTICE_SUMMARY);
	assert_string_equal(f->seen.summary[0],
	                    "3 notices during the quiet hours");
	cycle_with(w, 0, 1, 0);
	assert_int_equal(f->seen.n, 1);
	watch_free(w);
}

/* ---- the settings ---- */

static void
test_settings(void **state)
{
	struct config cfg;

	(void)state;
	config_init(&cfg);
	assert_true(cfg.notify);
	assert_int_equal(cfg.notify_interval, 60);
	assert_int_equal(cfg.event_reminder, 60);
	assert_int_equal(cfg.quiet_start, -1);
	assert_int_equal(cfg.notify_kinds, 0x3f);
	config_load_string(&cfg, "config",
	                   "set notify no\n"
	                   "set notify_interval 10\n"
	                   "set quiet_hours 22:30-07:00\n"
	                   "set event_reminder 0\n"
	                   "set notify_kinds replies,events\n"
	                   "set notify_kinds posts,bogus\n"
	                   "monitor Woo\n"
	                   "monitor \"SELOR\"\n"
	                   "monitor\n"
	                   "set notify_command \"ambt read\"\n"
	                   "set quiet_hours 24:00-01:00\n");
	assert_false(cfg.notify);
	assert_int_equal(cfg.notify_interval, 60);
	assert_int_equal(cfg.quiet_start, 22 * 60 + 30);
	assert_int_equal(cfg.quiet_end, 7 * 60);
	assert_int_equal(cfg.event_reminder, 0);
	assert_int_equal(cfg.notify_kinds,
	                 (1u << NOTICE_REPLY) | (1u << NOTICE_EVENT));
	assert_int_equal(cfg.n_monitor_words, 2);
	assert_string_equal(cfg.monitor_words[1], "SELOR");
	assert_string_equal(cfg.notify_command, "ambt read");
	assert_int_equal(cfg.n_warnings, 4);
	assert_non_null(strstr(cfg.warnings[0], "config:2:"));
	assert_non_null(strstr(cfg.warnings[1], "config:6:"));
	assert_non_null(strstr(cfg.warnings[2], "config:9:"));
	assert_non_null(strstr(cfg.warnings[3], "config:11:"));
	config_clear(&cfg);
}

/* ---- MessageBus answers ---- */

static struct bus_batch *
decode_ok(const char *body)
{
	struct bus_batch *b = NULL;
	struct ambt_error err = {0};

	assert_int_equal(api_decode_bus(body, strlen(body), &b, &err), 0);
	assert_non_null(b);
	return b;
}

static void
test_bus_decode(void **state)
{
	struct bus_batch *b;

	(void)state;
	b = decode_ok(
	    "[{\"global_id\":-1,\"message_id\":-1,\"channel\":\"/__status\","
	    "\"data\":{\"/latest\":12,\"/notification/5\":3}},"
	    "{\"global_id\":40,\"message_id\":13,\"channel\":\"/latest\","
	    "\"data\":{\"topic_id\":7,\"message_type\":\"latest\"}},"
	    "{\"global_id\":41,\"message_id\":4,\"channel\":"
	    "\"/notification-alert/5\",\"data\":{\"excerpt\":\"x\"},"
	    "\"extra\":[1,2]}]");
	assert_int_equal(b->n, 4);
	assert_true(b->items[0].status && b->items[1].status);
	assert_string_equal(b->items[0].channel, "/latest");
	assert_int_equal(b->items[0].message_id, 12);
	assert_int_equal(b->items[1].message_id, 3);
	assert_false(b->items[2].status);
	assert_int_equal(b->items[2].topic_id, 7);
	assert_int_equal(b->items[2].message_id, 13);
	assert_string_equal(b->items[3].channel, "/notification-alert/5");
	assert_int_equal(b->items[3].topic_id, 0);
	bus_batch_free(b);
	b = decode_ok("[]");
	assert_int_equal(b->n, 0);
	bus_batch_free(b);
}

/* Each is refused whole, with an error: never a crash or half a batch. */
static void
test_bus_decode_hostile(void **state)
{
	static const char *const bodies[] = {
	    "",
	    "<html>Not found</html>",
	    "{\"errors\":[\"not found\"]}",
	    "null",
	    "[1]",
	    "[[]]",
	    "[{\"message_id\":1}]",
	    "[{\"channel\":7,\"message_id\":1}]",
	    "[{\"channel\":\"latest\",\"message_id\":1}]",
	    "[{\"channel\":\"/latest\",\"message_id\":\"1\"}]",
	    "[{\"channel\":\"/latest\",\"message_id\":1.5}]",
	    "[{\"channel\":\"/__status\",\"data\":[1]}]",
	    "[{\"channel\":\"/__status\",\"data\":{\"/latest\":\"x\"}}]",
	    "[{\"channel\":\"/__status\",\"data\":{\"\":1}}]",
	    "[{\"channel\":\"/latest\",\"message_id\":1},",
	};
	char long_channel[400];
	char *body;

	(void)state;
	for (size_t i = 0; i < AMBT_ARRAY_LEN(bodies); i++) {
		struct bus_batch *b = (struct bus_batch *)1;
		struct ambt_error err = {0};

		assert_int_equal(
		    api_decode_bus(bodies[i], strlen(bodies[i]), &b, &err), -1);
		assert_null(b);
		assert_int_equal(err.kind, AMBT_E_DECODE);
	}
	memset(long_channel, 'a', sizeof long_channel - 1);
	long_channel[0] = '/';
	long_channel[sizeof long_channel - 1] = '\0';
	body =
	    xasprintf("[{\"channel\":\"%s\",\"message_id\":1}]", long_channel);
	{
		struct bus_batch *b = NULL;
		struct ambt_error err = {0};

		assert_int_equal(api_decode_bus(body, strlen(body), &b, &err),
		                 -1);
		assert_null(b);
	}
	free(body);
}

static int status_lines;

static void
count_status(const char *line, void *arg)
{
	(void)line;
	(void)arg;
	status_lines++;
}

/* A watcher past its first cycle, with the user's id known. */
static struct watch *
bus_watch(struct fixture *f)
{
	struct watch *w = new_watch(f);

	w->opt.status = count_status;
	w->baseline = false;
	w->user_id = 5;
	status_lines = 0;
	return w;
}

static void
test_bus_fallback(void **state)
{
	struct fixture *f = *state;
	struct watch *w = bus_watch(f);
	struct api_reply reply = {0};

	/* The first poll cannot connect: no decision yet, a failure. */
	ambt_error_set(&reply.err, AMBT_E_NET, "refused");
	assert_false(watch_bus_answer(w, &reply));
	assert_int_equal(w->bus, BUS_UNTRIED);
	/* Then a 404: polling from now on, said once, not a failure. */
	ambt_error_set(&reply.err, AMBT_E_HTTP, "HTTP 404");
	reply.err.http_status = 404;
	assert_true(watch_bus_answer(w, &reply));
	assert_int_equal(w->bus, BUS_OFF);
	assert_int_equal(status_lines, 2);
	assert_int_equal(watch_bus_next(w, fake_now), -1);
	watch_free(w);

	/* No JSON array at first: the same. */
	w = bus_watch(f);
	ambt_error_set(&reply.err, AMBT_E_DECODE, "no array");
	assert_true(watch_bus_answer(w, &reply));
	assert_int_equal(w->bus, BUS_OFF);
	assert_int_equal(status_lines, 1);
	watch_free(w);

	/* After answers, a 404 is an error to back off from, not the end. */
	w = bus_watch(f);
	w->bus = BUS_ON;
	ambt_error_set(&reply.err, AMBT_E_HTTP, "HTTP 404");
	reply.err.http_status = 404;
	assert_false(watch_bus_answer(w, &reply));
	assert_int_equal(w->bus, BUS_ON);
	watch_free(w);
}

static void
test_bus_messages(void **state)
{
	struct fixture *f = *state;
	struct watch *w = bus_watch(f);
	struct api_reply reply = {0};
	struct ambt_error err = {0};
	int64_t kept = 0;

	reply.data =
	    decode_ok("[{\"channel\":\"/__status\",\"data\":{\"/latest\":30}},"
	              "{\"channel\":\"/notification-alert/5\",\"message_id\":9,"
	              "\"data\":{}}]");
	w->poll_cycle = true;
	w->poll_started = fake_now;
	assert_true(watch_bus_answer(w, &reply));
	bus_batch_free(reply.data);
	assert_int_equal(w->bus, BUS_ON);
	assert_true(w->want_notifications);
	/* Positions from "now" are followed by one round of fetches: a post
	 * made since the baseline's REST cycle is not lost. */
	assert_true(w->want_latest);
	assert_int_equal(store_watch_get_int(f->state, w->opt.server,
	                                     "bus:/latest", &kept, &err),
	                 1);
	assert_int_equal(kept, 30);
	store_watch_get_int(f->state, w->opt.server,
	                    "bus:/notification-alert/5", &kept, &err);
	assert_int_equal(kept, 9);
	/* The fetches it asks for come within seconds. */
	assert_in_range(watch_bus_next(w, fake_now + 3), fake_now + 3,
	                fake_now + 5);
	/* An idle user: no long polls after them. */
	w->want_notifications = w->want_latest = false;
	watch_set_active(w, false);
	assert_int_equal(watch_bus_next(w, fake_now + 3), -1);

	/* /latest about a topic not watched, no words monitored: nothing to
	 * fetch; about a watched one: /latest.json. */
	w->watched = xcalloc(1, sizeof *w->watched);
	w->watched[0] = 2;
	w->n_watched = 1;
	reply.data = decode_ok("[{\"channel\":\"/latest\",\"message_id\":31,"
	                       "\"data\":{\"topic_id\":8}}]");
	assert_true(watch_bus_answer(w, &reply));
	bus_batch_free(reply.data);
	assert_false(w->want_latest);
	/* Another channel (not subscribed) changes nothing. */
	reply.data = decode_ok("[{\"channel\":\"/notification/6\","
	                       "\"message_id\":1,\"data\":{}}]");
	assert_true(watch_bus_answer(w, &reply));
	bus_batch_free(reply.data);
	assert_false(w->want_notifications);
	assert_int_equal(store_watch_get_int(f->state, w->opt.server,
	                                     "bus:/notification/6", &kept,
	                                     &err),
	                 0);
	reply.data = decode_ok("[{\"channel\":\"/latest\",\"message_id\":32,"
	                       "\"data\":{\"topic_id\":2}}]");
	assert_true(watch_bus_answer(w, &reply));
	bus_batch_free(reply.data);
	assert_true(w->want_latest);
	store_watch_get_int(f->state, w->opt.server, "bus:/latest", &kept,
	                    &err);
	assert_int_equal(kept, 32);
	watch_free(w);
}

/* ---- An idle user against ambtd: totals first, lists when they move ---- */

struct idle_run {
	struct fixture *f;
	struct http *http;
	struct api *api;
	struct watch *w;
};

static int64_t real_clock_offset;

/* The watcher's clock runs ahead by what the test skips, so a cycle is
 * due at once while http keeps real time. */
static int64_t
skipping_clock(void)
{
	return (int64_t)time(NULL) + real_clock_offset;
}

/* Run cycles until n more have finished. */
static void
run_cycles(struct idle_run *r, int n)
{
	int until = watch_cycles(r->w) + n;

	while (watch_cycles(r->w) < until) {
		int wait = watch_tick(r->w);

		if (wait >= 0) {
			real_clock_offset += wait / 1000 + 1;
			continue;
		}
		http_poll(r->http, NULL, 0, 1000);
	}
}

static void
on_posted(const struct http_response *res, void *arg)
{
	long *status = arg;

	*status = res->status;
}

static void
post_as(const char *url, const char *user, const char *form)
{
	struct http_options o = {
	    .base_url = url, .api_key = "k", .api_username = user};
	struct ambt_error err = {0};
	struct http *h = http_new(&o, &err);
	long status = -1;

	assert_non_null(http_send(h, "POST", "/posts.json",
	                          "application/x-www-form-urlencoded", form,
	                          strlen(form), on_posted, &status));
	http_run(h);
	assert_int_equal(status, 200);
	http_free(h);
}

static void
remove_forum(const char *db)
{
	static const char *const suffixes[] = {"", "-wal", "-shm"};

	for (size_t i = 0; i < AMBT_ARRAY_LEN(suffixes); i++) {
		char *path = xasprintf("%s%s", db, suffixes[i]);

		unlink(path);
		free(path);
	}
}

static void
test_idle_totals(void **state)
{
	struct fixture *f = *state;
	const char *top = getenv("top_builddir");
	char *ambtd = xasprintf("%s/ambtd", top ? top : ".");
	char *db = xasprintf("%s/forum.sqlite3", f->dir);
	char *argv[] = {ambtd,    "--listen", "127.0.0.1:0",     "--db", db,
	                "--seed", "demo",     "--admin-api-key", "k",    NULL};
	struct faultserver srv = {0};
	struct ambt_error err = {0};
	struct idle_run r = {.f = f};
	char *totals = NULL;

	assert_int_equal(faultserver_spawn(&srv, argv), 0);
	r.http = http_new(&(struct http_options){.base_url = srv.url,
	                                         .api_key = "k",
	                                         .api_username = "annelies"},
	                  &err);
	r.api = api_new(r.http, NULL, srv.url);
	r.w = watch_new(r.api, &(struct watch_options){
	                           .server = srv.url,
	                           .username = "annelies",
	                           .cfg = &f->cfg,
	                           .state = f->state,
	                           .notice = record_notice,
	                           .arg = &f->seen,
	                           .clock = skipping_clock,
	                       });
	/* As with a User API key: the admin key's lack of a budget would
	 * have it long poll even for an idle user. */
	r.w->plan.unbudgeted = false;
	watch_set_active(r.w, false);
	run_cycles(&r, 1); /* the first run records */
	run_cycles(&r, 1); /* the totals, new to it: the lists too */
	assert_true(r.w->totals_cycle);
	assert_int_equal(
	    store_watch_get(f->state, srv.url, "totals", &totals, &err), 1);
	assert_non_null(strstr(totals, "unread_notifications"));
	post_as(srv.url, "koen",
	        "topic_id=2&raw=Wie+brengt+de+beamer+mee+naar+de+studiedag%3F");
	run_cycles(&r, 1); /* annelies watches topic 2: the totals moved */
	assert_int_equal(f->seen.n, 1);
	assert_int_equal(f->seen.kind[0], NOTICE_POST);
	run_cycles(&r, 1); /* nothing moved: nothing more */
	assert_int_equal(f->seen.n, 1);
	watch_free(r.w);
	api_free(r.api);
	http_free(r.http);
	faultserver_stop(&srv);
	remove_forum(db);
	free(totals);
	free(ambtd);
	free(db);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_plan_day),
	    cmocka_unit_test(test_plan_bus_day),
	    cmocka_unit_test(test_plan_poll_gap),
	    cmocka_unit_test(test_bus_decode),
	    cmocka_unit_test(test_bus_decode_hostile),
	    cmocka_unit_test_setup_teardown(test_bus_fallback, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_bus_messages, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_idle_totals, setup, teardown),
	    cmocka_unit_test(test_plan_backoff),
	    cmocka_unit_test(test_plan_minute_full),
	    cmocka_unit_test(test_quiet_hours),
	    cmocka_unit_test(test_monitored_words),
	    cmocka_unit_test(test_summary_text),
	    cmocka_unit_test_setup_teardown(test_coalesce, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_restart_repeats_nothing, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_quiet_hours_held, setup,
	                                    teardown),
	    cmocka_unit_test(test_settings),
	};

	/* Quiet hours are in local time: the tests' times are UTC. */
	setenv("TZ", "UTC", 1);
	tzset();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
