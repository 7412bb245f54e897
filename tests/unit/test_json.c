/* test_json.c: the typed access layer the decoders stand on. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ambt/json.h"

struct fixture {
	struct ambt_error err;
	struct jd d;
	json_t *root;
};

/* Parse text (which must be an object) into f. */
static void
load(struct fixture *f, const char *text)
{
	memset(f, 0, sizeof *f);
	f->root = jd_parse(text, strlen(text), &f->err);
	assert_non_null(f->root);
	jd_init(&f->d, &f->err);
}

static void
unload(struct fixture *f)
{
	json_decref(f->root);
}

static void
assert_parse_fails(const char *text, size_t len, const char *start)
{
	struct ambt_error err = {0};

	assert_null(jd_parse(text, len, &err));
	assert_int_equal(err.kind, AMBT_E_DECODE);
	if (strncmp(err.msg, start, strlen(start)) != 0)
		fail_msg("message \"%s\" does not start with \"%s\"", err.msg,
		         start);
}

struct nested {
	int c;
};

static int
nested_item(struct jd *d, const json_t *o, size_t i, void *arg)
{
	struct nested *n = arg;

	(void)i;
	return jd_int(d, o, "c", &n->c, JD_OPTIONAL);
}

static int
nested_a(struct jd *d, const json_t *o, void *arg)
{
	return jd_each(d, o, "b", nested_item, arg);
}

static void
test_path_names_the_value(void **state)
{
	struct fixture f;
	struct nested n = {0};

	(void)state;
	load(&f, "{\"a\": {\"b\": [{\"c\": 1}, {\"c\": 2}, {\"c\": \"x\"}]}}");
	assert_int_equal(jd_with(&f.d, f.root, "a", nested_a, &n, JD_OPTIONAL),
	                 -1);
	assert_int_equal(f.err.kind, AMBT_E_DECODE);
	assert_string_equal(f.err.msg,
	                    "a.b[2].c: expected integer, got string");
	assert_int_equal(n.c, 2);
	unload(&f);
}

static void
test_path_is_restored_after_success(void **state)
{
	struct fixture f;
	struct nested n = {0};
	bool b = false;

	(void)state;
	load(&f, "{\"a\": {\"b\": [{\"c\": 1}]}, \"z\": 3}");
	assert_int_equal(jd_with(&f.d, f.root, "a", nested_a, &n, JD_OPTIONAL),
	                 0);
	assert_int_equal(n.c, 1);
	assert_int_equal(f.d.len, 0);
	assert_int_equal(jd_bool(&f.d, f.root, "z", &b, JD_OPTIONAL), -1);
	assert_string_equal(f.err.msg, "z: expected boolean, got integer");
	unload(&f);
}

static void
test_int_ranges(void **state)
{
	struct fixture f;
	int i = 0;
	int64_t l = 0;

	(void)state;
	load(&f,
	     "{\"max\": 2147483647, \"min\": -2147483648, "
	     "\"over\": 2147483648, \"under\": -2147483649, "
	     "\"big\": 9223372036854775807, \"neg\": -9223372036854775808}");
	assert_int_equal(jd_int(&f.d, f.root, "max", &i, JD_REQUIRED), 0);
	assert_int_equal(i, 2147483647);
	assert_int_equal(jd_int(&f.d, f.root, "min", &i, JD_REQUIRED), 0);
	assert_int_equal(i, -2147483647 - 1);
	assert_int_equal(jd_int(&f.d, f.root, "over", &i, JD_REQUIRED), -1);
	assert_string_equal(f.err.msg, "over: integer 2147483648 out of range");
	assert_int_equal(jd_int(&f.d, f.root, "under", &i, JD_REQUIRED), -1);
	assert_string_equal(f.err.msg,
	                    "under: integer -2147483649 out of range");
	assert_int_equal(jd_int64(&f.d, f.root, "big", &l, JD_REQUIRED), 0);
	assert_true(l == INT64_MAX);
	assert_int_equal(jd_int64(&f.d, f.root, "neg", &l, JD_REQUIRED), 0);
	assert_true(l == INT64_MIN);
	unload(&f);
}

static void
test_beyond_int64_is_refused(void **state)
{
	const char *text = "{\"id\": 9223372036854775808}";

	(void)state;
	assert_parse_fails(text, strlen(text), "invalid JSON at line 1");
	text = "{\"x\": 1e400}";
	assert_parse_fails(text, strlen(text), "invalid JSON at line 1");
}

static void
test_reals_for_integers(void **state)
{
	struct fixture f;
	int i = 0;
	int64_t l = 0;

	(void)state;
	load(&f, "{\"whole\": 3.0, \"frac\": 3.5, \"huge\": 1e20, "
	         "\"neg\": -12.0}");
	assert_int_equal(jd_int(&f.d, f.root, "whole", &i, JD_REQUIRED), 0);
	assert_int_equal(i, 3);
	assert_int_equal(jd_int64(&f.d, f.root, "neg", &l, JD_REQUIRED), 0);
	assert_int_equal(l, -12);
	assert_int_equal(jd_int(&f.d, f.root, "frac", &i, JD_REQUIRED), -1);
	assert_string_equal(f.err.msg, "frac: expected integer, got 3.5");
	assert_int_equal(jd_int64(&f.d, f.root, "huge", &l, JD_REQUIRED), -1);
	assert_string_equal(f.err.msg, "huge: expected integer, got 1e+20");
	assert_int_equal(jd_int(&f.d, f.root, "huge", &i, JD_REQUIRED), -1);
	unload(&f);
}

static void
test_null_and_missing(void **state)
{
	struct fixture f;
	int i = -1;
	char *s = NULL;
	int64_t t = 0;
	bool b = true;
	const json_t *o = NULL;

	(void)state;
	load(&f, "{\"n\": null}");
	assert_int_equal(jd_int(&f.d, f.root, "n", &i, JD_OPTIONAL), 0);
	assert_int_equal(jd_int(&f.d, f.root, "gone", &i, JD_OPTIONAL), 0);
	assert_int_equal(i, -1);
	assert_int_equal(jd_str(&f.d, f.root, "n", &s, JD_OPTIONAL), 0);
	assert_null(s);
	assert_int_equal(jd_time(&f.d, f.root, "n", &t, JD_OPTIONAL), 0);
	assert_int_equal(t, 0);
	assert_int_equal(jd_bool(&f.d, f.root, "n", &b, JD_OPTIONAL), 0);
	assert_true(b);
	assert_int_equal(jd_object(&f.d, f.root, "n", &o, JD_OPTIONAL), 0);
	assert_null(o);
	assert_int_equal(jd_int(&f.d, f.root, "n", &i, JD_REQUIRED), -1);
	assert_string_equal(f.err.msg, "n: required, but null");
	assert_int_equal(jd_str(&f.d, f.root, "gone", &s, JD_REQUIRED), -1);
	assert_string_equal(f.err.msg, "gone: required, but missing");
	unload(&f);
}

static void
test_strings_are_copied(void **state)
{
	struct fixture f;
	char *s = NULL;

	(void)state;
	load(&f, "{\"s\": \"Grimbergen \\u00e9\\u20ac\", \"n\": 4}");
	assert_int_equal(jd_str(&f.d, f.root, "s", &s, JD_REQUIRED), 0);
	assert_string_equal(s, "Grimbergen \xc3\xa9\xe2\x82\xac");
	assert_ptr_not_equal(s,
	                     json_string_value(json_object_get(f.root, "s")));
	/* A second read replaces, and frees, the first copy. */
	assert_int_equal(jd_str(&f.d, f.root, "s", &s, JD_REQUIRED), 0);
	assert_int_equal(jd_str(&f.d, f.root, "n", &s, JD_REQUIRED), -1);
	assert_string_equal(f.err.msg, "n: expected string, got integer");
	free(s);
	unload(&f);
}

static void
test_times(void **state)
{
	struct fixture f;
	int64_t t = 0;

	(void)state;
	load(&f, "{\"z\": \"2016-10-29T14:14:20.321Z\", "
	         "\"off\": \"2013-02-04T15:26:26.278-05:00\", "
	         "\"wall\": \"2100-02-02T00:00:00\", \"day\": \"2026-11-25\", "
	         "\"bad\": \"yesterday\", \"num\": 1477750460}");
	assert_int_equal(jd_time(&f.d, f.root, "z", &t, JD_REQUIRED), 0);
	assert_int_equal(t, 1477750460);
	assert_int_equal(jd_time(&f.d, f.root, "off", &t, JD_REQUIRED), 0);
	assert_int_equal(t, 1360009586);
	assert_int_equal(jd_time(&f.d, f.root, "wall", &t, JD_REQUIRED), 0);
	assert_int_equal(t, 4105209600);
	assert_int_equal(jd_time(&f.d, f.root, "day", &t, JD_REQUIRED), 0);
	assert_int_equal(t, 1795564800);
	assert_int_equal(jd_time(&f.d, f.root, "bad", &t, JD_REQUIRED), -1);
	assert_string_equal(f.err.msg,
	                    "bad: expected ISO 8601 time, got \"yesterday\"");
	assert_int_equal(jd_time(&f.d, f.root, "num", &t, JD_REQUIRED), -1);
	assert_string_equal(f.err.msg,
	                    "num: expected ISO 8601 time, got integer");
	unload(&f);
}

static void
test_scalar_arrays(void **state)
{
	struct fixture f;
	int64_t *ids = NULL;
	char **strs = NULL;
	size_t n = 0;

	(void)state;
	load(&f,
	     "{\"ids\": [16, -1, 9007199254740993], \"bad\": [1, 2, \"3\"], "
	     "\"tags\": [\"a\", \"b\"], \"mixed\": [\"a\", null]}");
	assert_int_equal(jd_int64s(&f.d, f.root, "ids", &ids, &n), 0);
	assert_int_equal(n, 3);
	assert_int_equal(ids[1], -1);
	assert_true(ids[2] == 9007199254740993LL);
	free(ids);
	assert_int_equal(jd_int64s(&f.d, f.root, "bad", &ids, &n), -1);
	assert_string_equal(f.err.msg, "bad[2]: expected integer, got string");
	free(ids);
	assert_int_equal(jd_strs(&f.d, f.root, "tags", &strs, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(strs[1], "b");
	for (size_t i = 0; i < n; i++)
		free(strs[i]);
	free(strs);
	assert_int_equal(jd_strs(&f.d, f.root, "mixed", &strs, &n), -1);
	assert_string_equal(f.err.msg, "mixed[1]: expected string, got null");
	for (size_t i = 0; i < n; i++)
		free(strs[i]);
	free(strs);
	assert_int_equal(jd_int64s(&f.d, f.root, "gone", &ids, &n), 0);
	assert_int_equal(n, 0);
	assert_null(ids);
	unload(&f);
}

struct pair {
	int64_t id;
	char *name;
};

static int
pair_item(struct jd *d, const json_t *o, void *elem, void *arg)
{
	static const struct jd_field fields[] = {
	    JD_REQUIRED_FIELD(struct pair, "id", JD_INT64, id),
	    JD_FIELD(struct pair, "name", JD_STR, name),
	};

	(void)arg;
	return jd_fields(d, o, fields, 2, elem);
}

static void
free_pairs(struct pair *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(p[i].name);
	free(p);
}

static void
test_objects_and_fields(void **state)
{
	struct fixture f;
	struct pair *p = NULL;
	size_t n = 0;

	(void)state;
	load(&f, "{\"ok\": [{\"id\": 1, \"name\": \"a\", \"extra\": [1]}, "
	         "{\"id\": 2, \"name\": null}], "
	         "\"noid\": [{\"id\": 1, \"name\": \"a\"}, {\"name\": \"b\"}], "
	         "\"notobj\": [{\"id\": 1}, 7], \"notarr\": {\"id\": 1}}");
	assert_int_equal(
	    jd_objects(&f.d, f.root, "ok", &p, &n, sizeof *p, pair_item, NULL),
	    0);
	assert_int_equal(n, 2);
	assert_string_equal(p[0].name, "a");
	assert_null(p[1].name);
	assert_int_equal(p[1].id, 2);
	free_pairs(p, n);
	/* On failure the half-filled array is still handed over. */
	assert_int_equal(jd_objects(&f.d, f.root, "noid", &p, &n, sizeof *p,
	                            pair_item, NULL),
	                 -1);
	assert_string_equal(f.err.msg, "noid[1].id: required, but missing");
	assert_int_equal(n, 2);
	assert_string_equal(p[0].name, "a");
	free_pairs(p, n);
	assert_int_equal(jd_objects(&f.d, f.root, "notobj", &p, &n, sizeof *p,
	                            pair_item, NULL),
	                 -1);
	assert_string_equal(f.err.msg,
	                    "notobj[1]: expected object, got integer");
	free_pairs(p, n);
	p = NULL;
	assert_int_equal(jd_objects(&f.d, f.root, "notarr", &p, &n, sizeof *p,
	                            pair_item, NULL),
	                 -1);
	assert_string_equal(f.err.msg, "notarr: expected array, got object");
	assert_null(p);
	unload(&f);
}

static void
test_parse_errors(void **state)
{
	static const char bad_utf8[] = "{\"title\": \"caf\xc3\"}";
	static const char overlong[] = "{\"title\": \"\xc0\xaf\"}";
	static const char nul[] = "{\"title\": \"a\\u0000b\"}";
	static const char raw_nul[] = "{\"title\": \"a\0b\"}";

	(void)state;
	assert_parse_fails(NULL, 0, "empty body");
	assert_parse_fails("", 0, "empty body");
	assert_parse_fails("   \n", 4, "invalid JSON at line 2");
	assert_parse_fails("[1, 2]", 6,
	                   "top level: expected object, got array");
	assert_parse_fails("null", 4, "top level: expected object, got null");
	assert_parse_fails("\"x\"", 3,
	                   "top level: expected object, got string");
	assert_parse_fails("{\"a\": 1} x", 10, "invalid JSON at line 1");
	assert_parse_fails("{\"a\": 1", 7, "invalid JSON at line 1");
	assert_parse_fails(bad_utf8, sizeof bad_utf8 - 1,
	                   "invalid JSON at line 1");
	assert_parse_fails(overlong, sizeof overlong - 1,
	                   "invalid JSON at line 1");
	assert_parse_fails("{\"s\": \"\\ud800\"}", 15,
	                   "invalid JSON at line 1");
	assert_parse_fails(nul, sizeof nul - 1, "invalid JSON at line 1");
	assert_parse_fails(raw_nul, sizeof raw_nul - 1,
	                   "invalid JSON at line 1");
}

/* "{"a":" repeated depth times, a value, then the closing braces. */
static char *
deep_text(size_t depth, bool arrays, size_t *len)
{
	size_t size = depth * 6 + 16;
	char *t = malloc(size);
	size_t n = 0;

	assert_non_null(t);
	t[n++] = '{';
	t[n++] = '"';
	t[n++] = 'a';
	t[n++] = '"';
	t[n++] = ':';
	for (size_t i = 0; i < depth; i++) {
		if (arrays) {
			t[n++] = '[';
		} else {
			memcpy(t + n, "{\"a\":", 5);
			n += 5;
		}
	}
	t[n++] = '1';
	for (size_t i = 0; i < depth; i++)
		t[n++] = arrays ? ']' : '}';
	t[n++] = '}';
	*len = n;
	return t;
}

static void
test_deep_nesting(void **state)
{
	size_t len;
	char *t;

	(void)state;
	t = deep_text(10000, true, &len);
	assert_parse_fails(t, len, "invalid JSON at line 1");
	free(t);
	t = deep_text(10000, false, &len);
	assert_parse_fails(t, len, "invalid JSON at line 1");
	free(t);
}

static void
test_deep_path_is_cut_not_overrun(void **state)
{
	struct fixture f;
	int i;

	(void)state;
	load(&f, "{\"k\": \"v\"}");
	for (int depth = 0; depth < 100; depth++)
		jd_enter(&f.d, "a_long_key_name");
	assert_true(f.d.len < sizeof f.d.path);
	assert_int_equal(jd_int(&f.d, f.root, "k", &i, JD_REQUIRED), -1);
	assert_int_equal(f.err.kind, AMBT_E_DECODE);
	assert_true(strncmp(f.err.msg, "a_long_key_name.a_long_key_name", 31) ==
	            0);
	unload(&f);
}

static void
test_error_may_be_null(void **state)
{
	struct jd d;
	json_t *root;
	int i;

	(void)state;
	assert_null(jd_parse("[]", 2, NULL));
	root = jd_parse("{\"i\": \"x\"}", 10, NULL);
	assert_non_null(root);
	jd_init(&d, NULL);
	assert_int_equal(jd_int(&d, root, "i", &i, JD_REQUIRED), -1);
	json_decref(root);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_path_names_the_value),
	    cmocka_unit_test(test_path_is_restored_after_success),
	    cmocka_unit_test(test_int_ranges),
	    cmocka_unit_test(test_beyond_int64_is_refused),
	    cmocka_unit_test(test_reals_for_integers),
	    cmocka_unit_test(test_null_and_missing),
	    cmocka_unit_test(test_strings_are_copied),
	    cmocka_unit_test(test_times),
	    cmocka_unit_test(test_scalar_arrays),
	    cmocka_unit_test(test_objects_and_fields),
	    cmocka_unit_test(test_parse_errors),
	    cmocka_unit_test(test_deep_nesting),
	    cmocka_unit_test(test_deep_path_is_cut_not_overrun),
	    cmocka_unit_test(test_error_may_be_null),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
