/* test_ambtd_core.c: ambtd's request parameters, error bodies and JSON
 * helpers (src/ambtd/request.c, response.c, json_out.c), and the message
 * bus's backlogs, audiences and waits (message_bus.c). */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "ambt/util.h"
#include "ambtd/ambtd.h"
#include "ambtd/message_bus.h"

static void
expect_decoded(const char *in, bool plus, const char *want)
{
	char *got = percent_decode(in, strlen(in), plus);

	if (want == NULL) {
		if (got)
			fail_msg("\"%s\" decoded to \"%s\"; want NULL", in,
			         got);
		return;
	}
	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

static void
test_percent_decode(void **state)
{
	(void)state;
	expect_decoded("a%20b+c", true, "a b c");
	expect_decoded("a%20b+c", false, "a b+c");
	expect_decoded("caf%C3%A9", true, "caf\xc3\xa9");
	expect_decoded("%zz", true, NULL);
	expect_decoded("%4", true, NULL);
	expect_decoded("%", true, NULL);
	expect_decoded("a%00b", true, NULL);
	expect_decoded("%ff%fe", true, NULL);
	expect_decoded("%C0%AE", true, NULL); /* overlong "." */
	expect_decoded("", true, "");
}

static void
test_utf8_valid(void **state)
{
	(void)state;
	assert_true(utf8_valid("Grimbergen \xc3\xa9\xe2\x82\xac", 16));
	assert_true(utf8_valid("\xf0\x9f\x98\x80", 4));
	assert_false(utf8_valid("\xc0\xae", 2));         /* overlong */
	assert_false(utf8_valid("\xed\xa0\x80", 3));     /* surrogate */
	assert_false(utf8_valid("\xf4\x90\x80\x80", 4)); /* > U+10FFFF */
	assert_false(utf8_valid("\xc3", 1));             /* cut short */
	assert_false(utf8_valid("\xc3\x28", 2));
}

/* "name=value name=value ..." of all params, in order. */
static void
expect_params(const struct req *r, const char *want)
{
	char got[1024] = "";

	for (size_t i = 0; i < r->n_params; i++) {
		size_t n = strlen(got);

		snprintf(got + n, sizeof got - n, "%s%s=%s", i ? " " : "",
		         r->params[i].name, r->params[i].value);
	}
	assert_string_equal(got, want);
}

static int
parse(struct req *r, const char *query, const char *type, const char *body,
      char **err)
{
	memset(r, 0, sizeof *r);
	r->content_type = type;
	r->body = strdup(body ? body : "");
	r->body_len = strlen(r->body);
	return req_parse_params(r, query, err);
}

static void
test_form_params(void **state)
{
	struct req r;
	char *err;

	(void)state;
	assert_int_equal(
	    parse(&r, "a=1&b=%C3%A9&c&&post_ids%5B%5D=7", NULL, NULL, &err), 0);
	expect_params(&r, "a=1 b=\xc3\xa9 c= post_ids[]=7");
	req_clear(&r);
	assert_int_equal(parse(&r, "page=2",
	                       "application/x-www-form-urlencoded; "
	                       "charset=UTF-8",
	                       "raw=Hallo+allemaal%21&topic_id=3", &err),
	                 0);
	expect_params(&r, "page=2 raw=Hallo allemaal! topic_id=3");
	req_clear(&r);
	assert_int_equal(parse(&r, NULL, "text/plain", "raw=x", &err), 0);
	expect_params(&r, ""); /* as Rails: another type is not params */
	req_clear(&r);
	assert_int_equal(parse(&r, "q=%ff", NULL, NULL, &err), -1);
	assert_non_null(err);
	free(err);
	req_clear(&r);
}

static void
test_json_params(void **state)
{
	struct req r;
	char *err;

	(void)state;
	assert_int_equal(
	    parse(&r, "x=0", "application/json",
	          "{\"a\": 1, \"b\": [1, 2], \"t\": {\"3\": 500}, \"n\": null,"
	          " \"f\": true, \"s\": \"caf\xc3\xa9\", \"r\": 1.5,"
	          " \"o\": {\"p\": [{\"q\": false}]}}",
	          &err),
	    0);
	expect_params(&r, "x=0 a=1 b[]=1 b[]=2 t[3]=500 f=true "
	                  "s=caf\xc3\xa9 r=1.5 o[p][][q]=false");
	req_clear(&r);
	assert_int_equal(
	    parse(&r, NULL, "application/json", "{\"raw\": \"ha", &err), -1);
	assert_non_null(strstr(err, "JSON"));
	free(err);
	req_clear(&r);
	assert_int_equal(parse(&r, NULL, "application/json", "[1, 2]", &err),
	                 -1);
	free(err);
	req_clear(&r);
	assert_int_equal(
	    parse(&r, NULL, "application/json", "{\"raw\": \"\\u0000\"}", &err),
	    -1);
	free(err);
	req_clear(&r);
}

static void
test_param_access(void **state)
{
	struct req r;
	const char **values;
	int64_t v = 0;
	char *err;

	(void)state;
	assert_int_equal(
	    parse(&r,
	          "n=42&neg=-3&x=42x&e=&sp=%2042&big=99999999999999999999"
	          "&post_ids[]=5&post_ids[]=6&n=43",
	          NULL, NULL, &err),
	    0);
	assert_string_equal(req_param(&r, "n"), "42");
	assert_null(req_param(&r, "missing"));
	assert_int_equal(req_param_int(&r, "n", &v), 0);
	assert_int_equal(v, 42);
	assert_int_equal(req_param_int(&r, "neg", &v), 0);
	assert_int_equal(v, -3);
	assert_int_equal(req_param_int(&r, "x", &v), -1);
	assert_int_equal(req_param_int(&r, "e", &v), -1);
	assert_int_equal(req_param_int(&r, "sp", &v), -1);
	assert_int_equal(req_param_int(&r, "big", &v), -1);
	assert_int_equal(req_param_int(&r, "missing", &v), -1);
	assert_int_equal(req_param_all(&r, "post_ids[]", &values), 2);
	assert_string_equal(values[0], "5");
	assert_string_equal(values[1], "6");
	free(values);
	assert_int_equal(req_param_all(&r, "none[]", &values), 0);
	r.args[0] = strdup("17");
	r.args[1] = strdup("17.json");
	r.n_args = 2;
	assert_int_equal(req_arg_int(&r, 0), 17);
	assert_int_equal(req_arg_int(&r, 1), -1);
	assert_int_equal(req_arg_int(&r, 2), -1);
	req_clear(&r);
}

static void
test_error_bodies(void **state)
{
	struct resp r = {0};

	(void)state;
	resp_not_found(&r);
	resp_finish(&r);
	assert_int_equal(r.status, 404);
	assert_string_equal(r.body, "{\"errors\":[\"The requested URL or "
	                            "resource could not be found.\"],"
	                            "\"error_type\":\"not_found\"}");
	assert_int_equal(r.body_len, strlen(r.body));
	resp_not_logged_in(&r);
	resp_finish(&r);
	assert_int_equal(r.status, 403);
	assert_non_null(strstr(r.body, "\"error_type\":\"not_logged_in\""));
	resp_bad_param(&r, "topic_id");
	resp_finish(&r);
	assert_int_equal(r.status, 400);
	assert_non_null(strstr(r.body, "the value is invalid: topic_id\""));
	resp_error(&r, 422, "record_invalid", "Body is too short (%d)", 20);
	resp_finish(&r);
	assert_string_equal(r.body, "{\"errors\":[\"Body is too short (20)\"],"
	                            "\"error_type\":\"record_invalid\"}");
	resp_clear(&r);
	assert_null(r.body);
	resp_json(&r, 200, json_pack("{s:i}", "a", 1));
	assert_null(r.body); /* not dumped yet: that runs outside the lock */
	resp_finish(&r);
	assert_string_equal(r.body, "{\"a\":1}");
	resp_json(&r, 200, json_pack("[i]", 2)); /* replaces the first */
	resp_clear(&r); /* and a pending document is freed */
	resp_json(&r, 200, NULL);
	assert_int_equal(r.status, 500);
	assert_non_null(strstr(r.body, "\"errors\""));
	resp_clear(&r);
}

static void
expect_slug(const char *title, const char *want)
{
	char *got = slugify(title);

	assert_string_equal(got, want);
	free(got);
}

static void
test_slugify(void **state)
{
	(void)state;
	expect_slug("Studiedag in Grimbergen", "studiedag-in-grimbergen");
	expect_slug("\xc3\x89\xc3\xa9n caf\xc3\xa9, na\xc3\xaf"
	            "ef & co\xc3\xb6"
	            "peratie!",
	            "een-cafe-naief-cooperatie");
	expect_slug("  Open   data -- 2026  ", "open-data-2026");
	expect_slug("!!!", "topic");
	expect_slug("\xe6\x97\xa5\xe6\x9c\xac", "topic");
}

static void
test_json_helpers(void **state)
{
	json_t *j;
	char *a;

	(void)state;
	j = json_time(1795597200);
	assert_string_equal(json_string_value(j), "2026-11-25T09:00:00.000Z");
	json_decref(j);
	j = json_time(0);
	assert_true(json_is_null(j));
	j = json_str_or_null(NULL);
	assert_true(json_is_null(j));
	a = avatar_template("Jan");
	assert_int_equal(strncmp(a, "/letter_avatar_proxy/v4/letter/j/", 33),
	                 0);
	assert_non_null(strstr(a, "/{size}.png"));
	free(a);
}

/* json_dump_compact must give jansson's bytes exactly. */
static void
expect_same_dump(json_t *j)
{
	char *want = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);
	size_t len = 0;
	char *got = json_dump_compact(j, &len);

	assert_non_null(want);
	assert_non_null(got);
	assert_int_equal(len, strlen(want));
	assert_memory_equal(got, want, len);
	free(want);
	free(got);
	json_decref(j);
}

static void
test_dump_edge_cases(void **state)
{
	char ctl[40];

	(void)state;
	for (int i = 0; i < 32; i++)
		ctl[i] = (char)(i + 1 < 32 ? i + 1 : 0x7f);
	memcpy(ctl + 32, "\"\\/<>\xc3\xa9", 8);
	expect_same_dump(json_stringn(ctl, 40));
	expect_same_dump(json_stringn("a\0b", 3));
	expect_same_dump(json_pack("{s:f,s:f,s:f,s:f,s:f,s:f}", "a", 0.1, "b",
	                           1.0, "c", 1e20, "d", 1e-5, "e", -2.5e-300,
	                           "f", 123456789012.0));
	expect_same_dump(json_pack("[I,I,i,b,b,n]", (json_int_t)INT64_MAX,
	                           (json_int_t)INT64_MIN, 0, 1, 0));
	expect_same_dump(json_pack("{s:{},s:[],s:[{}],s:{s:[[]]}}", "o", "a",
	                           "ao", "n", "x"));
	expect_same_dump(json_pack("{s:s}", "k\"\n\xe2\x80\xa8", "v"));
	/* what needs escaping at each place of the eight-byte words */
	for (size_t at = 0; at < 20; at++) {
		static const char special[] = "\"\\\n\x01\x1f";

		for (size_t k = 0; k < sizeof special - 1; k++) {
			char s[] = "0123456789abcdefghijklmn";

			s[at] = special[k];
			expect_same_dump(json_string(s));
		}
	}
}

/* A text column as a JSON string when it is UTF-8, as null when not,
 * wherever in the eight-byte words its characters fall. */
static void
test_col_text(void **state)
{
	static const struct {
		const char *text;
		bool valid;
	} cases[] = {
	    {"plain ASCII, longer than a word", true},
	    {"Grimbergen \xc3\xa9\xe2\x82\xac and \xf0\x9f\x98\x80 too", true},
	    {"abcdefg\xc3\xa9", true},
	    {"abcdefgh\xc0\xae overlong", false},
	    {"abcdefghijklmno\xed\xa0\x80 surrogate", false},
	    {"abc\x80 lone continuation", false},
	    {"cut at the end \xe2\x82", false},
	    {"\xf4\x90\x80\x80 past U+10FFFF", false},
	};
	sqlite3 *db;

	(void)state;
	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		sqlite3_stmt *st;
		json_t *j;

		assert_int_equal(
		    sqlite3_prepare_v2(db, "SELECT ?", -1, &st, NULL),
		    SQLITE_OK);
		sqlite3_bind_text(st, 1, cases[i].text, -1, SQLITE_STATIC);
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		j = json_col_text(st, 0);
		if (cases[i].valid)
			assert_string_equal(json_string_value(j),
			                    cases[i].text);
		else
			assert_true(json_is_null(j));
		json_decref(j);
		sqlite3_finalize(st);
	}
	sqlite3_close(db);
}

/* And on Discourse's own responses (shared/discourse/examples). */
static void
test_dump_examples(void **state)
{
	const char *shared = getenv("AMBT_SHARED");
	static const char *const names[] = {
	    "api_GET_latest.example-2016.json",
	    "api_GET_t_id.example-2016.json",
	    "api_GET_search.example-2016.json",
	    "api_GET_u_username.example-2016.json",
	};
	char path[4096];

	(void)state;
	if (!shared)
		shared = "../shared";
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		json_error_t err;
		json_t *j;

		snprintf(path, sizeof path, "%s/discourse/examples/%s", shared,
		         names[i]);
		j = json_load_file(path, 0, &err);
		if (!j)
			fail_msg("%s: %s", path, err.text);
		expect_same_dump(j);
	}
}

/* ---- The message bus (message_bus.c) ---- */

static const struct mb_audience everyone = {0};

static void
publish_n(const char *channel, int n, const struct mb_audience *a)
{
	for (int i = 1; i <= n; i++)
		mb_queue(channel, json_pack("{s:i}", "n", i), a);
	mb_flush_queue();
}

/* The messages a fresh poll of who on channel from last_id gets. */
static json_t *
backlog_of(const struct mb_subscriber *who, const char *channel,
           int64_t last_id)
{
	struct mb_poll *p = mb_poll_new(who);
	char *text;
	json_t *j;

	assert_non_null(p);
	assert_int_equal(mb_poll_subscribe(p, channel, last_id), 0);
	mb_poll_backlog(p);
	text = mb_poll_take(p);
	mb_poll_free(p);
	assert_non_null(text);
	j = json_loads(text, 0, NULL);
	free(text);
	assert_true(json_is_array(j));
	return j;
}

static int64_t
message_id_at(const json_t *msgs, size_t i)
{
	return json_integer_value(
	    json_object_get(json_array_get(msgs, i), "message_id"));
}

static void
test_bus_backlog(void **state)
{
	struct mb_subscriber anon = {0};
	json_t *msgs;

	(void)state;
	assert_int_equal(mb_start(50), 0);
	publish_n("/t", 105, &everyone);
	assert_int_equal(mb_last_id("/t"), 105);
	msgs = backlog_of(&anon, "/t", 0);
	assert_int_equal(json_array_size(msgs), MB_BACKLOG);
	assert_int_equal(message_id_at(msgs, 0), 6);
	assert_int_equal(message_id_at(msgs, 99), 105);
	json_decref(msgs);
	msgs = backlog_of(&anon, "/t", -3); /* message_bus: the last two */
	assert_int_equal(json_array_size(msgs), 2);
	assert_int_equal(message_id_at(msgs, 0), 104);
	json_decref(msgs);
	msgs = backlog_of(&anon, "/t", -1);
	assert_int_equal(json_array_size(msgs), 1);
	assert_int_equal(message_id_at(msgs, 0), -1);
	assert_int_equal(
	    json_integer_value(json_object_get(
	        json_object_get(json_array_get(msgs, 0), "data"), "/t")),
	    105);
	json_decref(msgs);
	mb_queue("/t", json_pack("{s:i}", "n", 0), &everyone);
	mb_discard_queue(); /* a failed request publishes nothing */
	assert_int_equal(mb_last_id("/t"), 105);
	mb_stop();
	mb_free();
}

static void
test_bus_audience(void **state)
{
	struct mb_audience to_7 = {.user_id = 7}, group_3 = {.group_id = 3};
	struct mb_subscriber u7 = {.user_id = 7}, u8 = {.user_id = 8};
	struct mb_subscriber member = {
	    .user_id = 9, .group_ids = {3}, .n_groups = 1};
	struct mb_subscriber staff = {.user_id = 10, .staff = true};
	json_t *msgs;

	(void)state;
	assert_int_equal(mb_start(50), 0);
	publish_n("/notification/7", 1, &to_7);
	publish_n("/latest", 1, &group_3);
	msgs = backlog_of(&u7, "/notification/7", 0);
	assert_int_equal(message_id_at(msgs, 0), 1);
	json_decref(msgs);
	msgs = backlog_of(&u8, "/notification/7", 0);
	assert_int_equal(json_array_size(msgs), 1); /* only the status */
	assert_int_equal(message_id_at(msgs, 0), -1);
	json_decref(msgs);
	msgs = backlog_of(&staff, "/notification/7", 0);
	assert_int_equal(message_id_at(msgs, 0), -1);
	json_decref(msgs);
	msgs = backlog_of(&member, "/latest", 0);
	assert_int_equal(message_id_at(msgs, 0), 1);
	json_decref(msgs);
	msgs = backlog_of(&staff, "/latest", 0);
	assert_int_equal(message_id_at(msgs, 0), 1);
	json_decref(msgs);
	msgs = backlog_of(&u8, "/latest", 0);
	assert_int_equal(message_id_at(msgs, 0), -1);
	json_decref(msgs);
	mb_stop();
	mb_free();
}

static atomic_int slept, woken;

static void
count_sleep(void *arg)
{
	(void)arg;
	atomic_fetch_add(&slept, 1);
}

static void
count_wake(void *arg)
{
	(void)arg;
	atomic_fetch_add(&woken, 1);
}

static void
wait_for_wake(int n)
{
	struct timespec tick = {0, 10 * 1000 * 1000};

	for (int i = 0; i < 1000 && atomic_load(&woken) < n; i++)
		nanosleep(&tick, NULL);
	assert_int_equal(atomic_load(&woken), n);
}

static void
test_bus_wait(void **state)
{
	struct mb_subscriber anon = {0};
	struct mb_poll *p;
	char *text;

	(void)state;
	assert_int_equal(mb_start(50), 0);
	p = mb_poll_new(&anon);
	assert_int_equal(mb_poll_subscribe(p, "/w", 0), 0);
	assert_false(mb_poll_backlog(p));
	assert_true(mb_poll_wait(p, count_sleep, count_wake, NULL));
	assert_int_equal(atomic_load(&slept), 1);
	publish_n("/w", 1, &everyone); /* wakes it at once */
	assert_int_equal(atomic_load(&woken), 1);
	assert_false(mb_poll_wait(p, count_sleep, count_wake, NULL));
	text = mb_poll_take(p);
	assert_non_null(strstr(text, "\"channel\":\"/w\""));
	free(text);
	mb_poll_free(p);
	p = mb_poll_new(&anon); /* nothing comes: the timer ends the hold */
	assert_int_equal(mb_poll_subscribe(p, "/w", 1), 0);
	mb_poll_backlog(p);
	assert_true(mb_poll_wait(p, count_sleep, count_wake, NULL));
	wait_for_wake(2);
	assert_true(mb_poll_done(p));
	text = mb_poll_take(p);
	assert_string_equal(text, "[]");
	free(text);
	mb_poll_free(p);
	mb_stop();
	mb_free();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_percent_decode),
	    cmocka_unit_test(test_utf8_valid),
	    cmocka_unit_test(test_form_params),
	    cmocka_unit_test(test_json_params),
	    cmocka_unit_test(test_param_access),
	    cmocka_unit_test(test_error_bodies),
	    cmocka_unit_test(test_slugify),
	    cmocka_unit_test(test_json_helpers),
	    cmocka_unit_test(test_dump_edge_cases),
	    cmocka_unit_test(test_dump_examples),
	    cmocka_unit_test(test_col_text),
	    cmocka_unit_test(test_bus_backlog),
	    cmocka_unit_test(test_bus_audience),
	    cmocka_unit_test(test_bus_wait),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
