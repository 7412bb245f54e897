/*
 * test_ical.c: the iCalendar export (src/ical.c): escaping, folding at 75
 * octets without splitting a UTF-8 character, CRLF line ends, the VEVENT's
 * properties, an open-ended event, and the atomic save.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "ambt/ical.h"
#include "ambt/util.h"

static void
test_escape(void **state)
{
	char *s;

	(void)state;
	s = ical_escape_text("a\\b;c,d\ne\r\nf\x01g\th");
	assert_string_equal(s, "a\\\\b\\;c\\,d\\ne\\nfg\th");
	free(s);
	/* Invalid UTF-8 is replaced, not passed on. */
	s = ical_escape_text("caf\xc3");
	assert_true(utf8_valid(s, strlen(s)));
	assert_int_equal(strncmp(s, "caf", 3), 0);
	free(s);
}

/* Every line of text: ends in CRLF, at most 75 octets, valid UTF-8, and
 * continuation lines start with a space. Returns the unfolded text. */
static char *
check_lines(const char *text)
{
	struct buf out;
	const char *p = text;

	buf_init(&out);
	while (*p != '\0') {
		const char *end = strstr(p, "\r\n");
		size_t n;

		assert_non_null(end);
		n = (size_t)(end - p);
		if (n > 75)
			fail_msg("line of %zu octets: %.*s", n, (int)n, p);
		assert_null(memchr(p, '\n', n));
		assert_true(utf8_valid(p, n));
		if (*p == ' ')
			buf_append(&out, p + 1, n - 1);
		else {
			if (out.len > 0)
				buf_putc(&out, '\n');
			buf_append(&out, p, n);
		}
		p = end + 2;
	}
	return buf_steal(&out);
}

static void
test_fold_exactly_75(void **state)
{
	char value[200];
	struct buf b;

	(void)state;
	/* "SUMMARY:" is 8 octets: 67 more make exactly 75, not folded. */
	memset(value, 'x', 67);
	value[67] = '\0';
	buf_init(&b);
	ical_line(&b, "SUMMARY", value);
	assert_int_equal(b.len, 77);
	assert_string_equal(b.data + 75, "\r\n");
	buf_free(&b);

	/* One more octet folds: 75, then CRLF, space and the last one. */
	strcat(value, "y");
	buf_init(&b);
	ical_line(&b, "SUMMARY", value);
	assert_int_equal(b.len, 75 + 2 + 1 + 1 + 2);
	assert_memory_equal(b.data + 75, "\r\n y\r\n", 6);
	buf_free(&b);
}

static void
test_fold_multibyte(void **state)
{
	struct buf b, want;
	char *unfolded;

	(void)state;
	/* 8 + 66 = 74 octets, then a 2-octet "ë" would end at 76: it must
	 * move whole to the next line, which is then " ë". */
	buf_init(&want);
	for (int i = 0; i < 66; i++)
		buf_putc(&want, 'a');
	buf_puts(&want, "\xc3\xab");
	buf_init(&b);
	ical_line(&b, "SUMMARY", want.data);
	assert_int_equal(strncmp(b.data + 74, "\r\n \xc3\xab\r\n", 7), 0);
	buf_free(&b);

	/* A long line of 3- and 4-octet characters folds on boundaries. */
	buf_reset(&want);
	for (int i = 0; i < 60; i++)
		buf_puts(&want, i % 2 ? "\xe2\x82\xac" : "\xf0\x9f\x93\x85");
	buf_init(&b);
	ical_line(&b, "DESCRIPTION", want.data);
	unfolded = check_lines(b.data);
	assert_int_equal(strncmp(unfolded, "DESCRIPTION:", 12), 0);
	assert_string_equal(unfolded + 12, want.data);
	free(unfolded);
	buf_free(&b);
	buf_free(&want);
}

static struct event
study_day(void)
{
	struct event e = {0};

	e.id = 8;
	e.topic_id = 2;
	e.post_number = 1;
	e.name = "Studiedag Ambtenaar 2.0";
	e.location = "Grimbergen (bij Brussel)";
	e.description =
	    "Plenaire sessie; daarna workshops, lunch\nen netwerken";
	time_parse_iso8601("2026-11-25T08:30:00Z", &e.starts_at);
	time_parse_iso8601("2026-11-25T16:00:00Z", &e.ends_at);
	return e;
}

static void
test_export(void **state)
{
	struct event e[2];
	struct ical_options o = {.base_url = "https://forum.example:8443"};
	char *text, *lines;

	(void)state;
	e[0] = study_day();
	e[1] = study_day();
	e[1].id = 9;
	e[1].ends_at = 0; /* open-ended */
	e[1].url = "https://example.org/webinar";
	e[1].description = NULL;
	time_parse_iso8601("2026-11-29T12:00:00Z", &o.now);
	text = ical_export(e, 2, &o);
	lines = check_lines(text);
	assert_int_equal(
	    strncmp(lines, "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//ambt//",
	            41),
	    0);
	assert_non_null(strstr(lines, "\nBEGIN:VEVENT\nUID:8@forum.example\n"
	                              "DTSTAMP:20261129T120000Z\n"
	                              "DTSTART:20261125T083000Z\n"
	                              "DTEND:20261125T160000Z\n"
	                              "SUMMARY:Studiedag Ambtenaar 2.0\n"
	                              "LOCATION:Grimbergen (bij Brussel)\n"
	                              "URL:https://forum.example:8443/t/2/1\n"
	                              "DESCRIPTION:Plenaire sessie\\; daarna "
	                              "workshops\\, lunch\\nen netwerken\n"
	                              "END:VEVENT\n"));
	/* The open-ended one has no DTEND and its own link. */
	assert_non_null(strstr(lines, "UID:9@forum.example\n"
	                              "DTSTAMP:20261129T120000Z\n"
	                              "DTSTART:20261125T083000Z\n"
	                              "SUMMARY:Studiedag Ambtenaar 2.0\n"
	                              "LOCATION:Grimbergen (bij Brussel)\n"
	                              "URL:https://example.org/webinar\n"
	                              "END:VEVENT\nEND:VCALENDAR"));
	free(lines);
	free(text);
}

/* No events: still a valid, empty calendar. */
static void
test_export_empty(void **state)
{
	char *text = ical_export(NULL, 0, NULL);

	(void)state;
	assert_non_null(strstr(text, "BEGIN:VCALENDAR\r\n"));
	assert_null(strstr(text, "VEVENT"));
	assert_non_null(strstr(text, "END:VCALENDAR\r\n"));
	free(text);
}

/* Dates in the local zone: same day, across days, open-ended. */
static void
test_when_local(void **state)
{
	struct event e = study_day();
	char buf[128];

	(void)state;
	setenv("TZ", "Europe/Amsterdam", 1);
	tzset();
	assert_string_equal(ical_when_local(&e, buf, sizeof buf),
	                    "Wed 25 Nov 2026 09:30-17:00");
	e.ends_at += 86400;
	assert_string_equal(ical_when_local(&e, buf, sizeof buf),
	                    "Wed 25 Nov 2026 09:30 - Thu 26 Nov 2026 17:00");
	e.ends_at = 0;
	assert_string_equal(ical_when_local(&e, buf, sizeof buf),
	                    "Wed 25 Nov 2026 09:30");
	setenv("TZ", "America/New_York", 1);
	tzset();
	assert_string_equal(ical_when_local(&e, buf, sizeof buf),
	                    "Wed 25 Nov 2026 03:30");
	e.starts_at = 0;
	assert_string_equal(ical_when_local(&e, buf, sizeof buf), "");
}

static void
test_save(void **state)
{
	char dir[] = "/tmp/test_ical.XXXXXX";
	struct ambt_error err = {0};
	char *path, *bad, buf[64];
	struct stat st;
	FILE *f;
	size_t n;

	(void)state;
	assert_non_null(mkdtemp(dir));
	path = xasprintf("%s/out.ics", dir);
	assert_int_equal(ical_save(path, "old", &err), 0);
	assert_int_equal(ical_save(path, "BEGIN:VCALENDAR\r\n", &err), 0);
	f = fopen(path, "r");
	assert_non_null(f);
	n = fread(buf, 1, sizeof buf - 1, f);
	buf[n] = '\0';
	fclose(f);
	assert_string_equal(buf, "BEGIN:VCALENDAR\r\n");
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0644); /* umask 022 */
	/* A directory that is not there: an error, no file left. */
	bad = xasprintf("%s/nope/out.ics", dir);
	assert_int_equal(ical_save(bad, "x", &err), -1);
	assert_int_equal(err.kind, AMBT_E_IO);
	assert_non_null(strstr(err.msg, bad));
	unlink(path);
	assert_int_equal(rmdir(dir), 0); /* nothing else was left behind */
	free(bad);
	free(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_escape),
	    cmocka_unit_test(test_fold_exactly_75),
	    cmocka_unit_test(test_fold_multibyte),
	    cmocka_unit_test(test_export),
	    cmocka_unit_test(test_export_empty),
	    cmocka_unit_test(test_when_local),
	    cmocka_unit_test(test_save),
	};

	umask(022);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
