/* test_util.c: time, UTF-8, buffers, XDG paths and URL escaping. */
#include <config.h>

#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "ambt/util.h"

#define T_2026_11_25_0900Z INT64_C(1795597200)

static void
assert_time(const char *s, int64_t want)
{
	int64_t t = -1;

	if (time_parse_iso8601(s, &t) != 0)
		fail_msg("'%s' was refused", s);
	assert_int_equal(t, want);
}

static void
test_iso8601_valid(void **state)
{
	(void)state;
	assert_time("2026-11-25T09:00:00Z", T_2026_11_25_0900Z);
	assert_time("2026-11-25T09:00:00.123Z", T_2026_11_25_0900Z);
	assert_time("2026-11-25T09:00:00.5+00:00", T_2026_11_25_0900Z);
	assert_time("2026-11-25T10:00:00+01:00", T_2026_11_25_0900Z);
	assert_time("2026-11-25T10:00:00.000+0100", T_2026_11_25_0900Z);
	assert_time("2026-11-25T03:30:00-05:30", T_2026_11_25_0900Z);
	assert_time("2026-11-25T00:30:00-08:30", T_2026_11_25_0900Z);
	assert_time("2026-11-25", T_2026_11_25_0900Z - 9 * 3600);
	assert_time("2024-02-29", INT64_C(1709164800));
	assert_time("1970-01-01T00:00:00Z", 0);
	assert_time("1969-12-31T23:59:59Z", -1);
}

static void
test_iso8601_invalid(void **state)
{
	static const char *bad[] = {
	    "",
	    "garbage",
	    "2026-11-25T09:00:00",       /* no zone */
	    "2026-11-25T09:00Z",         /* no seconds */
	    "2026-11-25 09:00:00Z",      /* space for T */
	    "2026-11-25T09:00:00Zjunk",  /* trailing text */
	    "2026-11-25T09:00:00.Z",     /* empty fraction */
	    "2026-11-25T09:00:00+1:00",  /* one-digit hour */
	    "2026-11-25T09:00:00+01:0",  /* one-digit minute */
	    "2026-11-25T09:00:00+24:00", /* offset hour */
	    "2026-11-25T09:00:00+01:60", /* offset minute */
	    "2026-13-01",
	    "2026-00-10",
	    "2026-02-29", /* not a leap year */
	    "2026-04-31",
	    "2026-11-00",
	    "2026-11-25T24:00:00Z",
	    "2026-11-25T09:60:00Z",
	    "2026-11-25T09:00:60Z",
	    "26-11-25",
	    "2026-1-25",
	    "2026-11-25T",
	    "2026-11-25junk",
	    "0000-01-01",
	    " 2026-11-25",
	    "2026-11-25T-9:00:00Z",
	};
	int64_t t = 42;

	(void)state;
	for (size_t i = 0; i < AMBT_ARRAY_LEN(bad); i++) {
		if (time_parse_iso8601(bad[i], &t) != -1)
			fail_msg("'%s' was accepted", bad[i]);
	}
	assert_int_equal(time_parse_iso8601(NULL, &t), -1);
}

static void
test_iso8601_format(void **state)
{
	char buf[32];
	int64_t t;

	(void)state;
	time_format_iso8601(T_2026_11_25_0900Z, buf, sizeof buf);
	assert_string_equal(buf, "2026-11-25T09:00:00Z");
	assert_int_equal(time_parse_iso8601(buf, &t), 0);
	assert_int_equal(t, T_2026_11_25_0900Z);
	time_format_iso8601(0, buf, sizeof buf);
	assert_string_equal(buf, "1970-01-01T00:00:00Z");
	/* Too small a buffer gives an empty string, not a cut date. */
	time_format_iso8601(0, buf, 10);
	assert_string_equal(buf, "");
}

static void
assert_sanitized(const char *in, size_t len, const char *want)
{
	char *got = utf8_sanitize(in, len);

	assert_string_equal(got, want);
	assert_true(utf8_valid(got, strlen(got)));
	free(got);
}

#define FFFD "\xEF\xBF\xBD"

static void
test_time_age(void **state)
{
	const int64_t now = 1795600000;
	char buf[16];

	(void)state;
	assert_string_equal(time_age(now, now, buf, sizeof buf), "now");
	assert_string_equal(time_age(now - 59, now, buf, sizeof buf), "now");
	assert_string_equal(time_age(now - 60, now, buf, sizeof buf), "1m");
	assert_string_equal(time_age(now - 7199, now, buf, sizeof buf), "1h");
	assert_string_equal(time_age(now - 3 * 86400, now, buf, sizeof buf),
	                    "3d");
	assert_string_equal(time_age(now - 61 * 86400, now, buf, sizeof buf),
	                    "2mo");
	assert_string_equal(time_age(now - 800 * 86400, now, buf, sizeof buf),
	                    "2y");
	/* A clock behind the server's: not "-5m", just now. */
	assert_string_equal(time_age(now + 300, now, buf, sizeof buf), "now");
}

static void
test_sanitize_controls(void **state)
{
	(void)state;
	assert_sanitized("plain", 5, "plain");
	assert_sanitized("tab\tand\nnewline", 15, "tab\tand\nnewline");
	/* Clear screen. */
	assert_sanitized("\x1b[2Jhi", 6, "^[[2Jhi");
	/* OSC 52 writes the clipboard; OSC 0 sets the title. */
	assert_sanitized("\x1b]52;c;aGk=\x07", 12, "^[]52;c;aGk=^G");
	assert_sanitized("\x1b]0;pwned\x1b\\", 11, "^[]0;pwned^[\\");
	assert_sanitized("cr\rdel\x7f", 7, "cr^Mdel^?");
	/* An embedded NUL is shown, and the rest is kept. */
	assert_sanitized("a\0b", 3, "a^@b");
	/* C1 controls, raw and UTF-8 encoded (CSI is 0x9b). */
	assert_sanitized("\x9b"
	                 "2J",
	                 3, FFFD "2J");
	assert_sanitized("\xC2\x9B"
	                 "2J",
	                 4, FFFD "2J");
	assert_sanitized("\xC2\x85", 2, FFFD);
	assert_sanitized("\xC2\xA0", 2, "\xC2\xA0"); /* NBSP is printable */
}

static void
test_sanitize_invalid(void **state)
{
	(void)state;
	assert_sanitized("caf\xC3\xA9", 5, "caf\xC3\xA9");
	assert_sanitized("\xF0\x9F\x98\x80", 4, "\xF0\x9F\x98\x80");
	assert_sanitized("a\xFF"
	                 "b",
	                 3, "a" FFFD "b");
	/* Overlong encodings of '/' and of NUL. */
	assert_sanitized("\xC0\xAF", 2, FFFD FFFD);
	assert_sanitized("\xE0\x80\xAF", 3, FFFD FFFD FFFD);
	assert_sanitized("\xC0\x80", 2, FFFD FFFD);
	/* UTF-16 surrogates encoded in UTF-8. */
	assert_sanitized("\xED\xA0\x80", 3, FFFD FFFD FFFD);
	/* Past U+10FFFF. */
	assert_sanitized("\xF4\x90\x80\x80", 4, FFFD FFFD FFFD FFFD);
	/* A truncated sequence is one replacement, then the next char. */
	assert_sanitized("\xE2\x82x", 3, FFFD "x");
	assert_sanitized("\xE2\x82", 2, FFFD);
	assert_sanitized("\x80\x80", 2, FFFD FFFD);
}

static void
test_utf8_valid(void **state)
{
	(void)state;
	assert_true(utf8_valid("", 0));
	assert_true(utf8_valid("h\xC3\xA9 \xE6\x97\xA5 \xF0\x9F\x98\x80", 12));
	assert_true(utf8_valid("\xEF\xBF\xBF", 3));
	assert_false(utf8_valid("\xC0\xAF", 2));
	assert_false(utf8_valid("\xED\xBF\xBF", 3));
	assert_false(utf8_valid("\xF4\x90\x80\x80", 4));
	assert_false(utf8_valid("\xE6\x97", 2));
	assert_false(utf8_valid("\xFE", 1));
}

static void
test_utf8_width(void **state)
{
	(void)state;
	assert_int_equal(utf8_width(""), 0);
	assert_int_equal(utf8_width("abc"), 3);
	assert_int_equal(utf8_width("caf\xC3\xA9"), 4);
	assert_int_equal(utf8_width("e\xCC\x81"), 1); /* combining acute */
	assert_int_equal(utf8_width("\xE6\x97\xA5\xE6\x9C\xAC"), 4);
	assert_int_equal(utf8_width("\xF0\x9F\x98\x80"), 2); /* emoji */
	assert_int_equal(utf8_width("\x01"), 1);
	assert_int_equal(utf8_width("a\xFF"), 2);
}

static void
assert_fit(const char *s, size_t cols, bool pad, const char *want)
{
	char *got = utf8_fit(s, cols, pad);

	assert_string_equal(got, want);
	if (pad)
		assert_int_equal(utf8_width(got), cols);
	else
		assert_true(utf8_width(got) <= cols);
	free(got);
}

#define NIHONGO "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E" /* 6 columns */
#define ELLIPSIS "\xE2\x80\xA6"

static void
test_utf8_fit(void **state)
{
	(void)state;
	assert_fit("abc", 5, false, "abc");
	assert_fit("abc", 5, true, "abc  ");
	assert_fit("abcdef", 4, false, "abc" ELLIPSIS);
	assert_fit("abcd", 4, false, "abcd");
	assert_fit(NIHONGO, 6, false, NIHONGO);
	assert_fit(NIHONGO, 5, false, "\xE6\x97\xA5\xE6\x9C\xAC" ELLIPSIS);
	/* A wide char never gets split: 3 columns leave room for one. */
	assert_fit(NIHONGO, 4, false, "\xE6\x97\xA5" ELLIPSIS);
	assert_fit(NIHONGO, 4, true, "\xE6\x97\xA5" ELLIPSIS " ");
	assert_fit(NIHONGO, 1, false, ELLIPSIS);
	assert_fit(NIHONGO, 0, true, "");
	assert_fit("\xF0\x9F\x98\x80\xF0\x9F\x98\x80", 3, false,
	           "\xF0\x9F\x98\x80" ELLIPSIS);
}

static void
test_buf(void **state)
{
	struct buf b;
	char *s;

	(void)state;
	buf_init(&b);
	buf_puts(&b, "ab");
	buf_putc(&b, 'c');
	buf_append(&b, "d\0e", 3);
	assert_int_equal(b.len, 6);
	assert_memory_equal(b.data, "abcd\0e", 7);
	buf_reset(&b);
	assert_int_equal(b.len, 0);
	assert_string_equal(b.data, "");
	for (int i = 0; i < 1000; i++)
		buf_printf(&b, "%d,", i);
	assert_int_equal(b.len, 3890);
	assert_memory_equal(b.data + b.len - 4, "999,", 5);
	s = buf_steal(&b);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	assert_string_equal(s + 3886, "999,");
	free(s);
	/* An empty buffer still gives a string. */
	s = buf_steal(&b);
	assert_string_equal(s, "");
	free(s);
	buf_free(&b);
}

static void
test_strings(void **state)
{
	char *s;

	(void)state;
	assert_null(xstrdup(NULL));
	s = xstrndup("abcdef", 3);
	assert_string_equal(s, "abc");
	free(s);
	s = xstrndup("ab", 10);
	assert_string_equal(s, "ab");
	free(s);
	s = xasprintf("%s/%d", "topic", 42);
	assert_string_equal(s, "topic/42");
	free(s);
	s = url_escape("a b/\xC3\xBC~-._?&=%");
	assert_string_equal(s, "a%20b%2F%C3%BC~-._%3F%26%3D%25");
	free(s);
	s = url_escape("");
	assert_string_equal(s, "");
	free(s);
}

static void
assert_dir(char *(*fn)(void), const char *want)
{
	char *got = fn();

	assert_string_equal(got, want);
	free(got);
}

static void
test_xdg(void **state)
{
	(void)state;
	setenv("HOME", "/home/jan", 1);
	unsetenv("XDG_CONFIG_HOME");
	unsetenv("XDG_CACHE_HOME");
	unsetenv("XDG_STATE_HOME");
	unsetenv("XDG_DATA_HOME");
	assert_dir(xdg_config_dir, "/home/jan/.config/ambt");
	assert_dir(xdg_cache_dir, "/home/jan/.cache/ambt");
	assert_dir(xdg_state_dir, "/home/jan/.local/state/ambt");
	assert_dir(xdg_data_dir, "/home/jan/.local/share/ambt");
	setenv("XDG_CONFIG_HOME", "/x/conf", 1);
	setenv("XDG_CACHE_HOME", "/x/cache", 1);
	setenv("XDG_STATE_HOME", "/x/state", 1);
	setenv("XDG_DATA_HOME", "/x/data", 1);
	assert_dir(xdg_config_dir, "/x/conf/ambt");
	assert_dir(xdg_cache_dir, "/x/cache/ambt");
	assert_dir(xdg_state_dir, "/x/state/ambt");
	assert_dir(xdg_data_dir, "/x/data/ambt");
	/* Relative and empty values are ignored, as the spec says. */
	setenv("XDG_CONFIG_HOME", "relative/conf", 1);
	setenv("XDG_STATE_HOME", "", 1);
	assert_dir(xdg_config_dir, "/home/jan/.config/ambt");
	assert_dir(xdg_state_dir, "/home/jan/.local/state/ambt");
}

static void
test_mkdir_p(void **state)
{
	char tmpl[] = "/tmp/ambt-test-util-XXXXXX";
	struct ambt_error err = {0};
	struct stat st;
	char *deep, *file, *cmd;
	FILE *f;

	(void)state;
	umask(022);
	assert_non_null(mkdtemp(tmpl));
	deep = xasprintf("%s/a/b/c", tmpl);
	assert_int_equal(mkdir_p(deep, &err), 0);
	assert_int_equal(stat(deep, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_int_equal(st.st_mode & 0777, 0700);
	/* Existing directories are fine. */
	assert_int_equal(mkdir_p(deep, &err), 0);
	/* A file in the way is an error naming it. */
	file = xasprintf("%s/file", tmpl);
	f = fopen(file, "w");
	assert_non_null(f);
	fclose(f);
	free(deep);
	deep = xasprintf("%s/sub", file);
	assert_int_equal(mkdir_p(deep, &err), -1);
	assert_int_equal(err.kind, AMBT_E_IO);
	assert_non_null(strstr(err.msg, file));
	cmd = xasprintf("rm -rf '%s'", tmpl);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	free(file);
	free(deep);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_iso8601_valid),
	    cmocka_unit_test(test_iso8601_invalid),
	    cmocka_unit_test(test_iso8601_format),
	    cmocka_unit_test(test_time_age),
	    cmocka_unit_test(test_sanitize_controls),
	    cmocka_unit_test(test_sanitize_invalid),
	    cmocka_unit_test(test_utf8_valid),
	    cmocka_unit_test(test_utf8_width),
	    cmocka_unit_test(test_utf8_fit),
	    cmocka_unit_test(test_buf),
	    cmocka_unit_test(test_strings),
	    cmocka_unit_test(test_xdg),
	    cmocka_unit_test(test_mkdir_p),
	};

	/* Widths follow LC_CTYPE; C.UTF-8 ships with Debian's libc. */
	if (setlocale(LC_ALL, "C.UTF-8") == NULL) {
		fprintf(stderr, "the C.UTF-8 locale is missing\n");
		return 1;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
