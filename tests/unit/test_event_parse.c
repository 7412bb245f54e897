/* test_event_parse.c: the [event] block parser of ambtd (events_parse.c). */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ambtd/events_parse.h"

/* 2026-11-25 09:00 in Brussels is 08:00 UTC (CET, +01:00). */
#define NOV25_0800Z INT64_C(1795593600)

static void
test_no_block(void **state)
{
	struct event_block ev;
	char *err = NULL;

	(void)state;
	assert_int_equal(event_block_parse("Gewoon een bericht.", &ev, &err),
	                 0);
	assert_int_equal(event_block_parse("", &ev, &err), 0);
	assert_int_equal(event_block_parse(NULL, &ev, &err), 0);
	/* Inline, not at the start of a line: no block. */
	assert_int_equal(event_block_parse("zie [event start=\"2026-11-25\"]"
	                                   "[/event]",
	                                   &ev, &err),
	                 0);
	/* No closing tag: Discourse makes no event either. */
	assert_int_equal(event_block_parse(
	                     "[event start=\"2026-11-25 09:00\"]\n", &ev, &err),
	                 0);
	/* Inside fenced code it is an example, not an event. */
	assert_int_equal(event_block_parse("```\n[event start=\"2026-11-25\"]\n"
	                                   "[/event]\n```\n",
	                                   &ev, &err),
	                 0);
	/* A longer tag name is not an event. */
	assert_int_equal(event_block_parse("[events start=\"2026-11-25\"]"
	                                   "[/events]",
	                                   &ev, &err),
	                 0);
	assert_null(err);
}

static void
test_full_block(void **state)
{
	struct event_block ev;
	char *err = NULL;
	const char *raw =
	    "Kom naar de studiedag!\n\n"
	    "[event start=\"2026-11-25 09:00\" end=\"2026-11-25 17:00\" "
	    "timezone=\"Europe/Brussels\" status=\"public\" "
	    "name=\"Studiedag Grimbergen\" location=\"Grimbergen\" "
	    "url=\"https://example.org/studiedag\" "
	    "allowedGroups=\"trust_level_0\" "
	    "reminders=\"notification.1.hours\"]\n"
	    "  Plenaire sessie en workshops.  \n"
	    "[/event]\n"
	    "[event start=\"2027-01-01 10:00\"]\n[/event]\n";

	(void)state;
	assert_int_equal(event_block_parse(raw, &ev, &err), 1);
	assert_null(err);
	assert_int_equal(ev.starts_at, NOV25_0800Z);
	assert_int_equal(ev.ends_at, NOV25_0800Z + 8 * 3600);
	assert_string_equal(ev.timezone, "Europe/Brussels");
	assert_string_equal(ev.status, "public");
	assert_string_equal(ev.name, "Studiedag Grimbergen");
	assert_string_equal(ev.location, "Grimbergen");
	assert_string_equal(ev.url, "https://example.org/studiedag");
	assert_string_equal(ev.description, "Plenaire sessie en workshops.");
	event_block_clear(&ev);
	assert_null(ev.name);
}

static void
test_defaults(void **state)
{
	struct event_block ev;
	char *err = NULL;

	(void)state;
	/* No zone: UTC; no status: standalone; bare values; empty body. */
	assert_int_equal(event_block_parse("[event start=2026-11-25T08:00]"
	                                   "[/event]",
	                                   &ev, &err),
	                 1);
	assert_int_equal(ev.starts_at, NOV25_0800Z);
	assert_int_equal(ev.ends_at, 0);
	assert_null(ev.timezone);
	assert_string_equal(ev.status, "standalone");
	assert_null(ev.name);
	assert_null(ev.description);
	event_block_clear(&ev);
	/* After a closed code fence, a block counts again. */
	assert_int_equal(
	    event_block_parse("~~~\n[event start=2020-01-01]\n~~~\n"
	                      "[event start=2026-11-25T08:00]\n"
	                      "[/event]",
	                      &ev, &err),
	    1);
	assert_int_equal(ev.starts_at, NOV25_0800Z);
	event_block_clear(&ev);
}

static void
test_summer_time(void **state)
{
	int64_t t;

	(void)state;
	/* 1 July 2026 12:00 in Brussels is CEST, +02:00. */
	assert_int_equal(
	    event_local_to_utc("2026-07-01 12:00", "Europe/Brussels", &t), 0);
	assert_int_equal(t, INT64_C(1782900000));
	/* A bare date is midnight in the zone. */
	assert_int_equal(
	    event_local_to_utc("2026-11-25", "Europe/Brussels", &t), 0);
	assert_int_equal(t, NOV25_0800Z - 9 * 3600);
	/* The zone swap leaves the process's TZ as it was. */
	setenv("TZ", "America/New_York", 1);
	assert_int_equal(
	    event_local_to_utc("2026-11-25 09:00", "Asia/Tokyo", &t), 0);
	assert_int_equal(t, NOV25_0800Z - 8 * 3600);
	assert_string_equal(getenv("TZ"), "America/New_York");
	unsetenv("TZ");
}

static void
expect_error(const char *raw, const char *words)
{
	struct event_block ev;
	char *err = NULL;

	assert_int_equal(event_block_parse(raw, &ev, &err), -1);
	assert_non_null(err);
	assert_non_null(strstr(err, words));
	assert_null(ev.status);
	free(err);
}

static void
test_errors(void **state)
{
	(void)state;
	expect_error("[event name=\"Geen datum\"]\n[/event]", "start date");
	expect_error("[event start=\"25-11-2026 09:00\"]\n[/event]",
	             "start date");
	expect_error("[event start=\"2026-02-30 09:00\"]\n[/event]",
	             "start date");
	expect_error("[event start=\"2026-11-25 25:00\"]\n[/event]",
	             "start date");
	expect_error("[event start=\"2026-11-25 09:00\" end=\"morgen\"]"
	             "[/event]",
	             "end date");
	expect_error("[event start=\"2026-11-25 09:00\" "
	             "end=\"2026-11-25 08:00\"][/event]",
	             "end before");
	expect_error("[event start=\"2026-11-25 09:00\" "
	             "timezone=\"Europe/Grimbergen\"][/event]",
	             "time zone");
	expect_error("[event start=\"2026-11-25 09:00\" "
	             "timezone=\"../../etc/passwd\"][/event]",
	             "time zone");
	expect_error("[event start=\"2026-11-25 09:00\" status=\"secret\"]"
	             "[/event]",
	             "status");
}

static void
test_timezone_names(void **state)
{
	(void)state;
	assert_true(event_timezone_valid("Europe/Brussels"));
	assert_true(event_timezone_valid("UTC"));
	assert_false(event_timezone_valid("Europe"));
	assert_false(event_timezone_valid("/etc/localtime"));
	assert_false(event_timezone_valid("Europe/../UTC"));
	assert_false(event_timezone_valid(""));
	assert_false(event_timezone_valid(NULL));
}

/* Every prefix of a block, in a buffer of exactly its size (so ASan sees
 * any read past the end): no crash, a sane answer, nothing leaked. */
static void
test_truncations(void **state)
{
	const char *raw = "[event start=\"2026-11-25 09:00\" end='2026-11-25 "
	                  "17:00' timezone=Europe/Brussels name=\"Dag\"]\n"
	                  "Tekst\n[/event]";
	size_t len = strlen(raw);

	(void)state;
	for (size_t n = 0; n <= len; n++) {
		struct event_block ev;
		char *err = NULL, *buf = malloc(n + 1);
		int rc;

		assert_non_null(buf);
		memcpy(buf, raw, n);
		buf[n] = '\0';
		rc = event_block_parse(buf, &ev, &err);
		assert_true(rc == 0 || rc == 1 || rc == -1);
		assert_int_equal(rc == 1, n == len);
		event_block_clear(&ev);
		free(err);
		free(buf);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_no_block),
	    cmocka_unit_test(test_full_block),
	    cmocka_unit_test(test_defaults),
	    cmocka_unit_test(test_summer_time),
	    cmocka_unit_test(test_errors),
	    cmocka_unit_test(test_timezone_names),
	    cmocka_unit_test(test_truncations),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
