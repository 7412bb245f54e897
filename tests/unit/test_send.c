/*
 * test_send.c: the draft-safe send pipeline's decisions, against
 * tests/faultserver.py playing the forum: a confirmed post deletes the
 * draft; a 500, a 422 or no server keeps it; a cut answer is followed by a
 * check of the topic that finds the post (draft gone, no second POST) or
 * does not (kept); a check asked for first finds an earlier attempt
 * without posting; and the list of unsent drafts.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <setjmp.h>
#include <cmocka.h>
#include <jansson.h>

#include "ambt/send.h"
#include "ambt/util.h"
#include "faultserver_util.h"

#define TEXT "Een antwoord dat lang genoeg is voor Discourse."

/* The topic (ids 1..3), its newest posts, and post 3 by demo with TEXT. */
#define TOPIC_BODY                                                             \
	"{\"id\":1,\"highest_post_number\":3,"                                 \
	"\"post_stream\":{\"stream\":[1,2,3],\"posts\":[]}}"
#define POSTS_BODY                                                             \
	"{\"post_stream\":{\"posts\":["                                        \
	"{\"id\":2,\"topic_id\":1,\"post_number\":2,\"username\":\"els\"},"    \
	"{\"id\":3,\"topic_id\":1,\"post_number\":3,\"username\":\"demo\"}]}}"
#define POST3_BODY                                                             \
	"{\"id\":3,\"topic_id\":1,\"post_number\":3,\"username\":\"demo\","    \
	"\"raw\":\"" TEXT "\\n\"}"
#define CREATED_BODY                                                           \
	"{\"id\":4,\"topic_id\":1,\"post_number\":4,\"username\":\"demo\"}"

struct fixture {
	char dir[64];
	struct faultserver server;
	struct http *http;
	struct store *state;
	struct api *api;
	struct send_env env;
	bool done;
	struct send_result result;
};

static int
setup(void **state)
{
	struct fixture *f = xcalloc(1, sizeof *f);
	struct ambt_error err = {0};
	char *path;

	strcpy(f->dir, "/tmp/test_send.XXXXXX");
	if (mkdtemp(f->dir) == NULL)
		return -1;
	write_file_in(f->dir, "topic.json", TOPIC_BODY);
	write_file_in(f->dir, "posts.json", POSTS_BODY);
	write_file_in(f->dir, "post3.json", POST3_BODY);
	write_file_in(f->dir, "created.json", CREATED_BODY);
	path = xasprintf("%s/state.sqlite3", f->dir);
	f->state = store_open(path, STORE_STATE, &err);
	free(path);
	*state = f;
	return f->state ? 0 : -1;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	post_free(f->result.post);
	api_free(f->api);
	http_free(f->http);
	faultserver_stop(&f->server);
	store_close(f->state);
	remove_tree(f->dir);
	free(f);
	return 0;
}

/* A faultserver with the fixture's files on their paths, /posts.json
 * answered by posts (a TARGET of --map), and a client of it. NULL posts
 * and no server: a client of a port nothing listens on. */
static void
start(struct fixture *f, const char *posts, const char *topic)
{
	struct ambt_error err = {0};
	struct http_options o = {0};
	char *maps[5];
	const char *url = "http://127.0.0.1:9";

	if (posts != NULL) {
		maps[0] = xasprintf("/posts.json=%s", posts);
		maps[1] = topic ? xasprintf("/t/1.json=%s", topic)
		                : xasprintf("/t/1.json=%s/topic.json", f->dir);
		maps[2] = xasprintf("/t/1/posts.json=%s/posts.json", f->dir);
		maps[3] = xasprintf("/posts/3.json=%s/post3.json", f->dir);
		maps[4] = xasprintf("/created=%s/created.json", f->dir);
		assert_int_equal(
		    faultserver_start(&f->server,
		                      (char *[]){"--map", maps[0], "--map",
		                                 maps[1], "--map", maps[2],
		                                 "--map", maps[3], "--map",
		                                 maps[4], NULL}),
		    0);
		for (size_t i = 0; i < 5; i++)
			free(maps[i]);
		url = f->server.url;
	}
	o.base_url = url;
	o.max_retries = 0;
	o.connect_timeout_ms = 2000;
	o.stall_timeout_s = 5;
	f->http = http_new(&o, &err);
	assert_non_null(f->http);
	f->api = api_new(f->http, NULL, url);
	f->env = (struct send_env){f->api, f->state, url, "demo"};
}

static void
finished(struct send_result *r, void *arg)
{
	struct fixture *f = arg;

	f->result = *r;
	f->done = true;
}

/* Send TEXT as a reply in topic 1 and wait for the outcome. */
static void
send_reply(struct fixture *f, const char *text, bool check_first)
{
	struct ambt_error err = {0};
	struct draft d = {.key = "topic_1", .text = (char *)text};

	assert_int_equal(
	    send_post(&f->env, &d, 0, check_first, finished, f, &err), 0);
	while (!f->done && http_pending(f->http) > 0)
		http_poll(f->http, NULL, 0, -1);
	assert_true(f->done);
	http_run(f->http);
}

static bool
draft_kept(struct fixture *f, const char *text)
{
	struct draft d = {0};
	int found =
	    store_draft_load(f->state, f->env.server, "topic_1", &d, NULL);
	bool same = found == 1 && strcmp(d.text, text) == 0;

	draft_clear(&d);
	return same;
}

static void
count_done(const struct http_response *res, void *arg)
{
	json_t *j = json_loadb(res->body, res->len, 0, NULL);

	*(int *)arg = (int)json_integer_value(json_object_get(j, "count"));
	json_decref(j);
}

/* How many requests the faultserver saw for path. */
static int
count_of(struct fixture *f, const char *path)
{
	char *escaped = url_escape(path);
	char *count_path = xasprintf("/count/%s", escaped);
	int n = -1;

	assert_non_null(http_get(f->http, count_path, NULL, count_done, &n));
	http_run(f->http);
	free(count_path);
	free(escaped);
	return n;
}

static void
test_keys(void **state)
{
	char *key = send_draft_key(42);

	(void)state;
	assert_string_equal(key, "topic_42");
	assert_int_equal(send_draft_topic(key), 42);
	free(key);
	key = send_draft_key(0);
	assert_string_equal(key, "new_topic");
	assert_int_equal(send_draft_topic(key), 0);
	free(key);
	assert_int_equal(send_draft_topic("topic_"), 0);
	assert_int_equal(send_draft_topic("topic_07"), 0);
	assert_int_equal(send_draft_topic("topic_4x"), 0);
}

static void
test_posted_deletes_draft(void **state)
{
	struct fixture *f = *state;
	char *created = xasprintf("%s/created.json", f->dir);

	start(f, created, NULL);
	free(created);
	send_reply(f, TEXT, false);
	assert_int_equal(f->result.outcome, SEND_POSTED);
	assert_int_equal(f->result.post->id, 4);
	assert_false(draft_kept(f, TEXT));
}

static void
test_500_keeps_draft(void **state)
{
	struct fixture *f = *state;

	start(f, "status:500", NULL);
	send_reply(f, TEXT, false);
	assert_int_equal(f->result.outcome, SEND_KEPT);
	assert_int_equal(f->result.err.http_status, 500);
	assert_null(f->result.post);
	assert_true(draft_kept(f, TEXT));
}

static void
test_422_keeps_draft_with_message(void **state)
{
	struct fixture *f = *state;

	start(f, "status:422", NULL);
	send_reply(f, TEXT, false);
	assert_int_equal(f->result.outcome, SEND_KEPT);
	assert_int_equal(f->result.err.http_status, 422);
	/* The server's own words ("422: as asked") reach the message. */
	assert_non_null(strstr(f->result.err.msg, "as asked"));
	assert_true(draft_kept(f, TEXT));
}

static void
test_no_server_keeps_draft(void **state)
{
	struct fixture *f = *state;

	start(f, NULL, NULL);
	send_reply(f, TEXT, false);
	/* Refused and cut look alike to curl: the check could not tell. */
	assert_int_equal(f->result.outcome, SEND_UNCERTAIN);
	assert_true(draft_kept(f, TEXT));
}

static void
test_cut_then_found(void **state)
{
	struct fixture *f = *state;

	start(f, "route:/cut", NULL);
	send_reply(f, TEXT, false);
	assert_int_equal(f->result.outcome, SEND_FOUND);
	assert_int_equal(f->result.post->id, 3);
	assert_false(draft_kept(f, TEXT));
	assert_int_equal(count_of(f, "/posts.json"), 1);
}

static void
test_cut_not_arrived_keeps(void **state)
{
	struct fixture *f = *state;
	const char *other = "Een ander antwoord, dat niet is aangekomen.";

	start(f, "route:/cut", NULL);
	send_reply(f, other, false);
	assert_int_equal(f->result.outcome, SEND_KEPT);
	assert_non_null(strstr(f->result.err.msg, "did not arrive"));
	assert_true(draft_kept(f, other));
	assert_int_equal(count_of(f, "/posts.json"), 1);
}

static void
test_cut_check_fails_uncertain(void **state)
{
	struct fixture *f = *state;

	start(f, "route:/cut", "status:404");
	send_reply(f, TEXT, false);
	assert_int_equal(f->result.outcome, SEND_UNCERTAIN);
	assert_true(draft_kept(f, TEXT));
}

static void
test_check_first_finds_without_posting(void **state)
{
	struct fixture *f = *state;

	start(f, "status:500", NULL);
	send_reply(f, TEXT, true);
	assert_int_equal(f->result.outcome, SEND_FOUND);
	assert_false(draft_kept(f, TEXT));
	assert_int_equal(count_of(f, "/posts.json"), 0);
}

static void
test_unsent_drafts_listed(void **state)
{
	struct fixture *f = *state;
	struct draft a = {.key = "topic_1", .text = "een"};
	struct draft b = {.key = "new_topic", .text = "twee", .title = "T"};
	struct draft c = {.key = "topic_9", .text = "elders"};
	struct draft *list;
	size_t n;

	assert_int_equal(store_draft_save(f->state, "http://a", &a, NULL), 0);
	assert_int_equal(store_draft_save(f->state, "http://a", &b, NULL), 0);
	assert_int_equal(store_draft_save(f->state, "http://b", &c, NULL), 0);
	assert_int_equal(
	    send_unsent_drafts(f->state, "http://a", &list, &n, NULL), 0);
	assert_int_equal(n, 2);
	/* Same second: by key. */
	assert_string_equal(list[0].key, "new_topic");
	assert_string_equal(list[0].title, "T");
	assert_string_equal(list[1].text, "een");
	send_drafts_free(list, n);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_keys),
	    cmocka_unit_test_setup_teardown(test_posted_deletes_draft, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_500_keeps_draft, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_422_keeps_draft_with_message,
	                                    setup, teardown),
	    cmocka_unit_test_setup_teardown(test_no_server_keeps_draft, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_cut_then_found, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_cut_not_arrived_keeps, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_cut_check_fails_uncertain,
	                                    setup, teardown),
	    cmocka_unit_test_setup_teardown(
	        test_check_first_finds_without_posting, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_unsent_drafts_listed, setup,
	                                    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
