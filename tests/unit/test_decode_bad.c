/*
 * test_decode_bad.c: bytes no decoder should accept, and values of the
 * wrong type, must fail cleanly (no crash, no leak under ASan) with an
 * AMBT_E_DECODE message naming where; nulls wherever a value may be
 * missing must decode.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "ambt/api.h"
#include "decode_util.h"

#define N_SAMPLES (sizeof samples / sizeof samples[0])
#define N_DECODERS (sizeof decoders / sizeof decoders[0])

/* Decode body expecting failure; returns the message (static). */
static const char *
decode_fails(const struct decoder *dec, const char *body, size_t len)
{
	static struct ambt_error err;
	void *out = NULL;

	memset(&err, 0, sizeof err);
	if (dec->decode(body, len, &out, &err) == 0) {
		dec->free(out);
		fail_msg("%s accepted a bad body", dec->name);
	}
	assert_null(out);
	assert_int_equal(err.kind, AMBT_E_DECODE);
	assert_true(err.msg[0] != '\0');
	return err.msg;
}

/* Decode body; 0 and the model freed, or -1 with the message in msg. */
static int
decode_try(const struct decoder *dec, const char *body, size_t len,
           struct ambt_error *err)
{
	void *out = NULL;

	memset(err, 0, sizeof *err);
	if (dec->decode(body, len, &out, err) == 0) {
		assert_non_null(out);
		dec->free(out);
		return 0;
	}
	assert_null(out);
	assert_int_equal(err->kind, AMBT_E_DECODE);
	return -1;
}

static void
test_every_prefix_fails(void **state)
{
	(void)state;
	for (size_t s = 0; s < N_SAMPLES; s++) {
		size_t len;
		char *body = read_sample(&samples[s], &len);
		const struct decoder *dec = decoder_named(samples[s].decoder);
		size_t end = len;

		/* Only the final brace makes the text whole. */
		while (end > 0 && body[end - 1] != '}')
			end--;
		assert_true(end > 0);
		for (size_t n = 0; n < end; n++)
			decode_fails(dec, body, n);
		free(body);
	}
}

/* Parse a sample, for editing. */
static json_t *
load_sample(const struct sample *s)
{
	size_t len;
	char *body = read_sample(s, &len);
	json_t *root = json_loadb(body, len, 0, NULL);

	assert_non_null(root);
	free(body);
	return root;
}

/* The value at a dotted path ("post_stream.posts.0.id") and its parent. */
static json_t *
walk(json_t *root, const char *path, char *last, size_t size)
{
	char buf[256];
	char *save = NULL, *part, *next;
	json_t *at = root;

	snprintf(buf, sizeof buf, "%s", path);
	part = strtok_r(buf, ".", &save);
	while ((next = strtok_r(NULL, ".", &save)) != NULL) {
		if (json_is_array(at))
			at = json_array_get(at, strtoul(part, NULL, 10));
		else
			at = json_object_get(at, part);
		assert_non_null(at);
		part = next;
	}
	snprintf(last, size, "%s", part);
	return at;
}

/* Set path (creating the last key) to value (JSON text) and decode. */
static int
decode_edited(const struct sample *s, const char *path, const char *value,
              struct ambt_error *err)
{
	json_t *root = load_sample(s);
	char last[64];
	json_t *parent = walk(root, path, last, sizeof last);
	json_t *v = json_loads(value, JSON_DECODE_ANY, NULL);
	char *text;
	int rc;

	assert_non_null(v);
	if (json_is_array(parent))
		assert_int_equal(
		    json_array_set_new(parent, strtoul(last, NULL, 10), v), 0);
	else
		assert_int_equal(json_object_set_new(parent, last, v), 0);
	text = json_dumps(root, JSON_COMPACT);
	json_decref(root);
	rc = decode_try(decoder_named(s->decoder), text, strlen(text), err);
	free(text);
	return rc;
}

static const struct sample *
sample_named(const char *file)
{
	for (size_t i = 0; i < N_SAMPLES; i++)
		if (strcmp(samples[i].file, file) == 0)
			return &samples[i];
	fail_msg("no sample %s", file);
	return NULL;
}

struct wrong {
	const char *file;
	const char *path;
	const char *value;
	const char *msg;
};

static const struct wrong wrongs[] = {
    {"api_GET_t_id.example-2016.json", "post_stream.posts.0.post_number",
     "\"1\"",
     "post_stream.posts[0].post_number: expected integer, got "
     "string"},
    {"api_GET_t_id.legacy-gem-fixture-2014.json",
     "post_stream.posts.3.actions_summary.0.count", "true",
     "post_stream.posts[3].actions_summary[0].count: expected integer, "
     "got boolean"},
    {"api_GET_t_id.example-2016.json", "post_stream.stream.0", "\"16\"",
     "post_stream.stream[0]: expected integer, got string"},
    {"api_GET_t_id.example-2016.json", "details.created_by", "[]",
     "details.created_by: expected object, got array"},
    {"api_GET_t_id.example-2016.json", "details.participants.0.id", "1.5",
     "details.participants[0].id: expected integer, got 1.5"},
    {"api_GET_t_id.example-2016.json",
     "post_stream.posts.0.reply_to_post_number", "\"3\"",
     "post_stream.posts[0].reply_to_post_number: expected integer, got "
     "string"},
    {"topic_mega.json", "post_stream.posts.1.reply_to_user.username", "7",
     "post_stream.posts[1].reply_to_user.username: expected string, got "
     "integer"},
    {"topic_mega.json", "tags.1", "3",
     "tags[1]: expected string or object, got integer"},
    {"topic_mega.json", "post_stream.isMegaTopic", "\"yes\"",
     "post_stream.isMegaTopic: expected boolean, got string"},
    {"api_GET_latest.example-2016.json",
     "topic_list.topics.2.posters.0.user_id", "\"x\"",
     "topic_list.topics[2].posters[0].user_id: expected integer, got "
     "string"},
    {"api_GET_latest.example-2016.json", "topic_list.topics", "{}",
     "topic_list.topics: expected array, got object"},
    {"api_GET_latest.example-2016.json", "users.0", "\"system\"",
     "users[0]: expected object, got string"},
    {"api_GET_latest.example-2016.json", "topic_list.topics.1.created_at",
     "\"yesterday\"",
     "topic_list.topics[1].created_at: expected ISO 8601 time, got "
     "\"yesterday\""},
    {"api_GET_notifications.example-2019.json",
     "notifications.1.data.topic_title", "5",
     "notifications[1].data.topic_title: expected string, got integer"},
    {"api_GET_u_username.example-2016.json", "user.created_at", "5",
     "user.created_at: expected ISO 8601 time, got integer"},
    {"api_GET_u_username.example-2016.json", "user.admin", "1",
     "user.admin: expected boolean, got integer"},
    {"api_GET_search.example-2016.json", "grouped_search_result.more_posts",
     "\"yes\"",
     "grouped_search_result.more_posts: expected boolean, got string"},
    {"api_GET_posts_id.example-2016.json", "actions_summary",
     "[{\"id\": 2, \"acted\": \"true\"}]",
     "actions_summary[0].acted: expected boolean, got string"},
    {"discourse-post-event_events.json.example-plugin-2025-07.json",
     "events.0.post.topic.id", "\"18449\"",
     "events[0].post.topic.id: expected integer, got string"},
    {"event.json", "event.stats.going", "\"12\"",
     "event.stats.going: expected integer, got string"},
    {"site.json", "trust_levels.leader", "\"4\"",
     "trust_levels.leader: expected integer, got string"},
    {"site.json", "categories.2.parent_category_id", "false",
     "categories[2].parent_category_id: expected integer, got boolean"},
    {"categories.json", "category_list.categories.1.name", "{}",
     "category_list.categories[1].name: expected string, got object"},
    {"user_summary.json", "user_summary.topic_ids.1", "null",
     "user_summary.topic_ids[1]: expected integer, got null"},
    {"post_list.json", "post_stream.posts.1.raw", "[\"x\"]",
     "post_stream.posts[1].raw: expected string, got array"},
    {"latest_old.json", "topic_list.topics.0.unread", "\"2\"",
     "topic_list.topics[0].unread: expected integer, got string"},
};

static void
test_wrong_types_name_the_path(void **state)
{
	struct ambt_error err;

	(void)state;
	for (size_t i = 0; i < sizeof wrongs / sizeof wrongs[0]; i++) {
		const struct wrong *w = &wrongs[i];

		if (decode_edited(sample_named(w->file), w->path, w->value,
		                  &err) == 0)
			fail_msg("%s: %s = %s was accepted", w->file, w->path,
			         w->value);
		if (strcmp(err.msg, w->msg) != 0)
			fail_msg("%s: got \"%s\", want \"%s\"", w->file,
			         err.msg, w->msg);
	}
}

struct null_walk {
	const struct sample *s;
	json_t *root;
	size_t ok, required;
};

static bool
ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), t = strlen(tail);

	return n >= t && strcmp(s + n - t, tail) == 0;
}

static void null_each(struct null_walk *w, json_t *v);

/* Set one member to null, decode the whole body, put it back. */
static void
null_member(struct null_walk *w, json_t *obj, const char *key, json_t *v)
{
	struct ambt_error err;
	char *text;

	json_incref(v);
	json_object_set_new(obj, key, json_null());
	text = json_dumps(w->root, JSON_COMPACT);
	if (decode_try(decoder_named(w->s->decoder), text, strlen(text),
	               &err) == 0) {
		w->ok++;
	} else if (ends_with(err.msg, "required, but null")) {
		w->required++;
	} else {
		fail_msg("%s: %s null: %s", w->s->file, key, err.msg);
	}
	free(text);
	json_object_set_new(obj, key, v);
}

static void
null_each(struct null_walk *w, json_t *v)
{
	const char *key;
	json_t *member;
	size_t i;

	if (json_is_object(v)) {
		json_object_foreach(v, key, member)
		{
			null_member(w, v, key, member);
			null_each(w, member);
		}
	} else if (json_is_array(v)) {
		json_array_foreach(v, i, member) null_each(w, member);
	}
}

static void
test_null_anywhere(void **state)
{
	size_t ok = 0, required = 0;

	(void)state;
	for (size_t s = 0; s < N_SAMPLES; s++) {
		struct null_walk w = {&samples[s], load_sample(&samples[s]), 0,
		                      0};

		null_each(&w, w.root);
		json_decref(w.root);
		assert_true(w.ok > 0);
		ok += w.ok;
		required += w.required;
	}
	/* ids and wrappers are required; nearly everything else is not */
	assert_true(required > 0);
	assert_true(ok > 10 * required);
}

static void
test_huge_numbers(void **state)
{
	const struct sample *t = sample_named("api_GET_t_id.example-2016.json");
	struct ambt_error err;

	(void)state;
	assert_int_equal(decode_edited(t, "id", "9223372036854775807", &err),
	                 0);
	assert_int_equal(decode_edited(t, "post_stream.posts.0.id",
	                               "-9223372036854775808", &err),
	                 0);
	assert_int_equal(decode_edited(t, "post_stream.posts.0.post_number",
	                               "2147483648", &err),
	                 -1);
	assert_string_equal(err.msg, "post_stream.posts[0].post_number: "
	                             "integer 2147483648 out of range");
	assert_int_equal(decode_edited(t, "views", "-2147483649", &err), -1);
	assert_string_equal(err.msg, "views: integer -2147483649 out of range");
	assert_int_equal(decode_edited(t, "id", "1e19", &err), -1);
	assert_string_equal(err.msg, "id: expected integer, got 1e+19");
	assert_int_equal(decode_edited(t, "views", "12.0", &err), 0);
}

static void
test_huge_numbers_in_text(void **state)
{
	static const char *const bodies[] = {
	    "{\"post_stream\": {\"posts\": []}, \"id\": "
	    "9223372036854775808}",
	    "{\"post_stream\": {\"posts\": []}, \"id\": "
	    "-9223372036854775809}",
	    "{\"post_stream\": {\"posts\": []}, \"id\": "
	    "123456789012345678901234567890}",
	    "{\"post_stream\": {\"posts\": []}, \"id\": 1e999}",
	};

	(void)state;
	for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
		const char *msg = decode_fails(decoder_named("topic"),
		                               bodies[i], strlen(bodies[i]));

		assert_true(strncmp(msg, "invalid JSON at line 1", 22) == 0);
	}
}

/* "{"k":" then depth '[' or '{"k":', then 1 and the closers. */
static char *
deep_body(size_t depth, bool arrays, size_t *len)
{
	char *t = malloc(depth * 6 + 16);
	size_t n = 0;

	assert_non_null(t);
	memcpy(t, "{\"k\":", 5);
	n = 5;
	for (size_t i = 0; i < depth; i++) {
		memcpy(t + n, arrays ? "[" : "{\"k\":", arrays ? 1 : 5);
		n += arrays ? 1 : 5;
	}
	t[n++] = '1';
	memset(t + n, arrays ? ']' : '}', depth);
	n += depth;
	t[n++] = '}';
	*len = n;
	return t;
}

static void
test_bad_bytes_every_decoder(void **state)
{
	static const char *const bodies[] = {
	    "",
	    " ",
	    "{",
	    "}",
	    "[]",
	    "[{\"id\": 1}]",
	    "null",
	    "42",
	    "\"text\"",
	    "<html><body>502 Bad Gateway</body></html>",
	    "{\"id\": 1,}",
	    "{\"id\": 1} {\"id\": 2}",
	    "{\"title\": \"\xff\xfe\"}",
	    "{\"title\": \"\xed\xa0\x80\"}",
	    "{\"title\": \"a\\u0000b\"}",
	    "{\"title\": \"\\udc00\"}",
	};
	size_t deep_len;
	char *deep_arrays = deep_body(10000, true, &deep_len);
	char *deep_objects;
	size_t deep_objects_len;

	(void)state;
	deep_objects = deep_body(10000, false, &deep_objects_len);
	for (size_t d = 0; d < N_DECODERS; d++) {
		const struct decoder *dec = &decoders[d];

		decode_fails(dec, NULL, 0);
		for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++)
			decode_fails(dec, bodies[i], strlen(bodies[i]));
		decode_fails(dec, deep_arrays, deep_len);
		decode_fails(dec, deep_objects, deep_objects_len);
	}
	assert_string_equal(decode_fails(decoders, "[]", 2),
	                    "top level: expected object, got array");
	assert_string_equal(decode_fails(decoders, "", 0),
	                    "empty body, expected JSON");
	free(deep_arrays);
	free(deep_objects);
}

static void
test_empty_object(void **state)
{
	static const struct {
		const char *decoder, *msg; /* NULL: decodes, empty */
	} want[] = {
	    {"topic_list", "topic_list: required, but missing"},
	    {"categories", "category_list: required, but missing"},
	    {"topic", "id: required, but missing"},
	    {"post_list", "post_stream: required, but missing"},
	    {"post", "id: required, but missing"},
	    {"user", "user: required, but missing"},
	    {"user_summary", "user_summary: required, but missing"},
	    {"notifications", NULL},
	    {"search", NULL},
	    {"site", NULL},
	    {"events", "events: required, but missing"},
	    {"event", "event: required, but missing"},
	};
	struct ambt_error err;

	(void)state;
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		const struct decoder *dec = decoder_named(want[i].decoder);

		if (want[i].msg == NULL)
			assert_int_equal(decode_try(dec, "{}", 2, &err), 0);
		else
			assert_string_equal(decode_fails(dec, "{}", 2),
			                    want[i].msg);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_every_prefix_fails),
	    cmocka_unit_test(test_wrong_types_name_the_path),
	    cmocka_unit_test(test_null_anywhere),
	    cmocka_unit_test(test_huge_numbers),
	    cmocka_unit_test(test_huge_numbers_in_text),
	    cmocka_unit_test(test_bad_bytes_every_decoder),
	    cmocka_unit_test(test_empty_object),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
