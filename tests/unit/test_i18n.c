/*
 * test_i18n.c: times and dates in the user's language. Under nl_BE.UTF-8
 * and nl_NL.UTF-8, with the catalogue the build made (po/locale under
 * $top_builddir), ages and relative times are Dutch with Dutch plurals and
 * an event's date has Dutch day and month names; under C they are English.
 */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "ambt/i18n.h"
#include "ambt/ical.h"
#include "ambt/model.h"
#include "ambt/util.h"

/* 25 November 2026 08:30 UTC: the study day in Grimbergen, 09:30 there. */
#define STUDY_DAY INT64_C(1795595400)
#define NOW INT64_C(1800000000)
#define DAY INT64_C(86400)

/* Switch the whole process to lang, as ambt does at start from $LANG. */
static void
use_language(const char *lang)
{
	static char localedir[4096];
	const char *top = getenv("top_builddir");

	snprintf(localedir, sizeof localedir, "%s/po/locale",
	         top != NULL ? top : ".");
	setenv("AMBT_LOCALEDIR", localedir, 1);
	setenv("LC_ALL", lang, 1);
	unsetenv("LANGUAGE");
	i18n_init();
}

static void
assert_ago(int64_t seconds, const char *want)
{
	char buf[48];

	assert_string_equal(time_ago(NOW - seconds, NOW, buf, sizeof buf),
	                    want);
}

static void
assert_age(int64_t seconds, const char *want)
{
	char buf[16];

	assert_string_equal(time_age(NOW - seconds, NOW, buf, sizeof buf),
	                    want);
}

static void
assert_event_when(const char *want)
{
	struct event e = {.starts_at = STUDY_DAY,
	                  .ends_at = STUDY_DAY + 7 * 3600 + 1800};
	char buf[96];

	assert_string_equal(ical_when_local(&e, buf, sizeof buf), want);
}

static void
test_dutch(const char *lang)
{
	use_language(lang);
	assert_ago(3 * DAY, "3 dagen geleden");
	assert_ago(DAY, "1 dag geleden");
	assert_ago(2 * 3600, "2 uur geleden");
	assert_ago(60, "1 minuut geleden");
	assert_ago(5 * 60, "5 minuten geleden");
	assert_ago(2 * 30 * DAY, "2 maanden geleden");
	assert_ago(365 * DAY, "1 jaar geleden");
	assert_ago(10, "zojuist");
	assert_age(3 * DAY, "3d");
	assert_age(2 * 3600, "2u");
	assert_age(2 * 30 * DAY, "2mnd");
	assert_age(2 * 365 * DAY, "2j");
	assert_age(10, "nu");
	assert_event_when("wo 25 nov 2026 09:30-17:00");
}

static void
test_flemish(void **state)
{
	(void)state;
	test_dutch("nl_BE.UTF-8");
}

static void
test_netherlands(void **state)
{
	(void)state;
	test_dutch("nl_NL.UTF-8");
}

static void
test_english(void **state)
{
	(void)state;
	use_language("C");
	assert_ago(3 * DAY, "3 days ago");
	assert_ago(DAY, "1 day ago");
	assert_ago(3600, "1 hour ago");
	assert_ago(5 * 60, "5 minutes ago");
	assert_ago(10, "just now");
	assert_age(3 * DAY, "3d");
	assert_age(2 * 30 * DAY, "2mo");
	assert_age(10, "now");
	assert_event_when("Wed 25 Nov 2026 09:30-17:00");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_flemish),
	    cmocka_unit_test(test_netherlands),
	    cmocka_unit_test(test_english),
	};

	/* Where the study day was held. */
	setenv("TZ", "Europe/Brussels", 1);
	tzset();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
