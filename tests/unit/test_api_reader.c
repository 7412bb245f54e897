/*
 * test_api_reader.c: the reader's additions to the api: the members, user
 * actions and invitee decoders on bodies captured from ambtd --seed demo
 * (tests/data/decode/), bad inputs that must name their JSON path, the
 * members encoder, and the requests of client_reader.c.
 *
 * The requests go to a listening socket the test answers itself, inside
 * the client's own http_poll(), so it sees the exact request line, headers
 * and form body and chooses the answer: no second process, no timing.
 */
#include "config.h"

#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <jansson.h>

#include "ambt/api.h"
#include "ambt/util.h"
#include "decode_util.h"

/* ---- decoders ---- */

static void
test_members(void **state)
{
	struct ambt_error err = {0};
	struct member_list *l = NULL;
	size_t len;
	char *body = read_data("members.json", &len);

	(void)state;
	assert_int_equal(api_decode_members(body, len, &l, &err), 0);
	assert_int_equal(l->n, 11);
	assert_int_equal(l->total_rows, 11);
	assert_int_equal(l->items[0].user.id, 1);
	assert_string_equal(l->items[0].user.username, "annelies");
	assert_string_equal(l->items[0].user.name, "Annelies de Vries");
	assert_string_equal(l->items[0].title, "Communitymanager");
	assert_int_equal(l->items[0].post_count, 7);
	assert_int_equal(l->items[0].topic_count, 3);
	assert_int_equal(l->items[0].likes_received, 16);
	assert_int_equal(l->items[0].likes_given, 11);
	assert_int_equal(l->items[0].days_visited, 7);
	assert_string_equal(l->items[2].title, "Co\xc3\xb6rdinator open data");
	member_list_free(l);
	free(body);
}

static void
test_user_actions(void **state)
{
	struct ambt_error err = {0};
	struct user_action_list *l = NULL;
	size_t len;
	char *body = read_data("user_actions.json", &len);
	int64_t when;

	(void)state;
	assert_int_equal(api_decode_user_actions(body, len, &l, &err), 0);
	assert_true(l->n >= 2);
	assert_int_equal(l->items[0].action_type, 5);
	assert_int_equal(l->items[0].topic_id, 2);
	assert_int_equal(l->items[0].post_id, 13);
	assert_int_equal(l->items[0].post_number, 6);
	assert_int_equal(l->items[0].category_id, 3);
	assert_string_equal(l->items[0].username, "annelies");
	assert_string_equal(l->items[0].acting_username, "annelies");
	assert_string_equal(l->items[0].title,
	                    "Studiedag Ambtenaar 2.0 in Grimbergen op 25 "
	                    "november");
	assert_non_null(strstr(l->items[0].excerpt, "@koen"));
	assert_int_equal(time_parse_iso8601("2026-11-26T09:30:00Z", &when), 0);
	assert_int_equal(l->items[0].created_at, when);
	user_action_list_free(l);
	free(body);
}

static void
test_invitee(void **state)
{
	struct ambt_error err = {0};
	struct event *e = NULL;
	size_t len;
	char *body = read_data("invitee.json", &len);

	(void)state;
	assert_int_equal(api_decode_invitee(body, len, &e, &err), 0);
	assert_int_equal(e->id, 14);
	assert_int_equal(e->invitee_id, 14);
	assert_int_equal(e->rsvp, RSVP_INTERESTED);
	assert_int_equal(e->going, 1);
	assert_int_equal(e->interested, 3);
	assert_int_equal(e->not_going, 1);
	event_free(e);
	free(body);
}

/* An invitee without stats leaves the counts unknown. */
static void
test_invitee_no_stats(void **state)
{
	static const char body[] =
	    "{\"invitee\": {\"id\": 7, \"status\": null}}";
	struct ambt_error err = {0};
	struct event *e = NULL;

	(void)state;
	assert_int_equal(api_decode_invitee(body, sizeof body - 1, &e, &err),
	                 0);
	assert_int_equal(e->invitee_id, 7);
	assert_int_equal(e->rsvp, RSVP_NONE);
	assert_int_equal(e->going, -1);
	assert_int_equal(e->interested, -1);
	event_free(e);
}

typedef int (*raw_decode)(const char *, size_t, void **, struct ambt_error *);

static int
members_any(const char *b, size_t n, void **out, struct ambt_error *e)
{
	return api_decode_members(b, n, (struct member_list **)out, e);
}

static int
actions_any(const char *b, size_t n, void **out, struct ambt_error *e)
{
	return api_decode_user_actions(b, n, (struct user_action_list **)out,
	                               e);
}

static int
invitee_any(const char *b, size_t n, void **out, struct ambt_error *e)
{
	return api_decode_invitee(b, n, (struct event **)out, e);
}

struct bad_case {
	raw_decode decode;
	const char *body;
	const char *message; /* the start of the error */
};

static void
test_bad_inputs(void **state)
{
	static const struct bad_case cases[] = {
	    {members_any, "{}", "directory_items: "},
	    {members_any, "{\"directory_items\": {}}",
	     "directory_items: expected array, got object"},
	    {members_any,
	     "{\"directory_items\": [{\"user\": {\"id\": 1}},"
	     " {\"user\": {\"id\": \"x\"}}]}",
	     "directory_items[1].user.id: expected integer, got string"},
	    {members_any, "{\"directory_items\": [{\"post_count\": 1}]}",
	     "directory_items[0].user: "},
	    {members_any,
	     "{\"directory_items\": [], \"meta\": "
	     "{\"total_rows_directory_items\": \"9\"}}",
	     "meta.total_rows_directory_items: expected integer, got string"},
	    {actions_any, "{\"user_actions\": null}", "user_actions: "},
	    {actions_any,
	     "{\"user_actions\": [{\"action_type\": 4},"
	     " {\"action_type\": 5, \"post_number\": \"2\"}]}",
	     "user_actions[1].post_number: expected integer, got string"},
	    {actions_any, "{\"user_actions\": [{\"title\": \"t\"}]}",
	     "user_actions[0].action_type: "},
	    {invitee_any, "{\"success\": \"OK\"}", "invitee: "},
	    {invitee_any,
	     "{\"invitee\": {\"id\": 1, \"meta\": {\"event_stats\":"
	     " {\"going\": true}}}}",
	     "invitee.meta.event_stats.going: expected integer, got "
	     "boolean"},
	    {members_any, "[1]", ""},
	    {members_any, "{\"directory_items\": [", ""},
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct ambt_error err = {0};
		void *out = (void *)1;

		if (cases[i].decode(cases[i].body, strlen(cases[i].body), &out,
		                    &err) == 0)
			fail_msg("case %zu decoded", i);
		assert_null(out);
		assert_int_equal(err.kind, AMBT_E_DECODE);
		if (strncmp(err.msg, cases[i].message,
		            strlen(cases[i].message)) != 0)
			fail_msg("case %zu: '%s', want '%s...'", i, err.msg,
			         cases[i].message);
	}
}

static void
test_encode_members(void **state)
{
	struct ambt_error err = {0};
	struct member_list *l = NULL;
	size_t len;
	char *body = read_data("members.json", &len);
	char *text;
	json_t *root, *first;

	(void)state;
	assert_int_equal(api_decode_members(body, len, &l, &err), 0);
	text = api_encode_members(l);
	root = json_loads(text, 0, NULL);
	assert_non_null(root);
	assert_int_equal(json_array_size(json_object_get(root, "members")), 11);
	first = json_array_get(json_object_get(root, "members"), 0);
	assert_string_equal(
	    json_string_value(json_object_get(first, "username")), "annelies");
	assert_string_equal(json_string_value(json_object_get(first, "title")),
	                    "Communitymanager");
	assert_int_equal(
	    json_integer_value(json_object_get(first, "post_count")), 7);
	assert_int_equal(
	    json_integer_value(json_object_get(root, "total_rows")), 11);
	json_decref(root);
	free(text);
	member_list_free(l);
	free(body);
}

/* ---- requests: a socket the test answers itself ---- */

struct server {
	int fd;
	char url[64];
	const char *answer; /* the JSON body to answer with */
	int status;
	char *request; /* what arrived: request line, headers, body */
};

static void
server_open(struct server *s, const char *answer)
{
	struct sockaddr_in a = {.sin_family = AF_INET,
	                        .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof a;

	memset(s, 0, sizeof *s);
	s->fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(s->fd >= 0);
	assert_int_equal(bind(s->fd, (struct sockaddr *)&a, sizeof a), 0);
	assert_int_equal(listen(s->fd, 4), 0);
	assert_int_equal(getsockname(s->fd, (struct sockaddr *)&a, &len), 0);
	snprintf(s->url, sizeof s->url, "http://127.0.0.1:%d",
	         ntohs(a.sin_port));
	s->answer = answer;
	s->status = 200;
}

static void
server_close(struct server *s)
{
	close(s->fd);
	free(s->request);
}

/* How long the request in b is, once its headers are in; 0 before. */
static size_t
request_length(const struct buf *b)
{
	const char *end = b->len ? strstr(b->data, "\r\n\r\n") : NULL;
	const char *cl;

	if (end == NULL)
		return 0;
	cl = strstr(b->data, "Content-Length: ");
	return (size_t)(end - b->data) + 4 +
	       (cl && cl < end ? strtoul(cl + 16, NULL, 10) : 0);
}

/* Read one request (headers, then Content-Length bytes of body). */
static char *
read_request(int conn)
{
	struct timeval tv = {5, 0};
	struct buf b;
	char chunk[4096];
	size_t want;

	setsockopt(conn, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	buf_init(&b);
	while ((want = request_length(&b)) == 0 || b.len < want) {
		ssize_t n = read(conn, chunk, sizeof chunk);

		if (n <= 0)
			break;
		buf_append(&b, chunk, (size_t)n);
	}
	return buf_steal(&b);
}

static void
server_answer(struct server *s)
{
	int conn = accept(s->fd, NULL, NULL);
	char *res;

	assert_true(conn >= 0);
	free(s->request);
	s->request = read_request(conn);
	res = xasprintf("HTTP/1.1 %d X\r\nContent-Type: application/json\r\n"
	                "Content-Length: %zu\r\nConnection: close\r\n\r\n%s",
	                s->status, strlen(s->answer), s->answer);
	assert_int_equal(write(conn, res, strlen(res)), (ssize_t)strlen(res));
	free(res);
	close(conn);
}

/* Drive http until the reply is in, answering the socket as it asks. */
static void
serve_until_done(struct server *s, struct http *http, struct api_sync *sync)
{
	for (int turns = 0; !sync->done && turns < 100; turns++) {
		struct pollfd pfd = {.fd = s->fd, .events = POLLIN};

		http_poll(http, &pfd, 1, 100);
		if (pfd.revents & POLLIN)
			server_answer(s);
	}
	assert_true(sync->done);
}

struct client {
	struct http *http;
	struct api *api;
};

static void
client_open(struct client *c, const struct server *s)
{
	struct http_options o = {.base_url = s->url, .max_retries = 0};
	struct ambt_error err = {0};

	c->http = http_new(&o, &err);
	assert_non_null(c->http);
	c->api = api_new(c->http, NULL, s->url);
}

static void
client_close(struct client *c)
{
	api_free(c->api);
	http_free(c->http);
}

/* The request line of what arrived. */
static void
assert_request_line(const struct server *s, const char *line)
{
	size_t n = strlen(line);

	assert_non_null(s->request);
	if (strncmp(s->request, line, n) != 0 || s->request[n] != '\r')
		fail_msg("request '%.*s', want '%s'",
		         (int)strcspn(s->request, "\r"), s->request, line);
}

static const char *
request_body(const struct server *s)
{
	const char *end = strstr(s->request, "\r\n\r\n");

	assert_non_null(end);
	return end + 4;
}

static void
assert_form(const struct server *s, const char *form)
{
	assert_non_null(strstr(
	    s->request, "Content-Type: application/x-www-form-urlencoded\r\n"));
	assert_string_equal(request_body(s), form);
}

static void
test_posts_near(void **state)
{
	struct server s;
	struct client c;
	struct api_sync sync = {0};
	struct post_list *l;

	(void)state;
	server_open(&s, "{\"post_stream\": {\"posts\": [{\"id\": 9, "
	                "\"post_number\": 21}]}}");
	client_open(&c, &s);
	api_get_posts_near(c.api, 42, 20, true, api_sync_done, &sync);
	serve_until_done(&s, c.http, &sync);
	assert_request_line(
	    &s, "GET /t/42/posts.json?post_number=20&asc=true HTTP/1.1");
	l = sync.reply.data;
	assert_non_null(l);
	assert_int_equal(l->n_posts, 1);
	assert_int_equal(l->posts[0].post_number, 21);
	post_list_free(l);

	memset(&sync, 0, sizeof sync);
	api_get_posts_near(c.api, 42, 20, false, api_sync_done, &sync);
	serve_until_done(&s, c.http, &sync);
	assert_request_line(
	    &s, "GET /t/42/posts.json?post_number=20&asc=false HTTP/1.1");
	post_list_free(sync.reply.data);
	client_close(&c);
	server_close(&s);
}

static void
test_timings(void **state)
{
	struct server s;
	struct client c;
	struct api_sync sync = {0};
	const int numbers[] = {1, 2, 3}, ms[] = {5000, 3000, 700};

	(void)state;
	server_open(&s, "");
	client_open(&c, &s);
	api_post_timings(c.api, 7, numbers, ms, 3, 8700, api_sync_done, &sync);
	serve_until_done(&s, c.http, &sync);
	assert_request_line(&s, "POST /topics/timings HTTP/1.1");
	assert_form(&s, "topic_id=7&topic_time=8700&timings%5B1%5D=5000"
	                "&timings%5B2%5D=3000&timings%5B3%5D=700");
	assert_int_equal(sync.reply.err.kind, AMBT_OK);
	assert_null(sync.reply.data);

	/* A refusal is an error, and the write is not retried. */
	memset(&sync, 0, sizeof sync);
	s.status = 403;
	s.answer = "{\"errors\": [\"You are not permitted.\"]}";
	api_post_timings(c.api, 7, numbers, ms, 1, 5000, api_sync_done, &sync);
	serve_until_done(&s, c.http, &sync);
	assert_int_equal(sync.reply.err.kind, AMBT_E_HTTP);
	assert_int_equal(sync.reply.err.http_status, 403);
	assert_non_null(strstr(sync.reply.err.msg, "You are not permitted."));
	assert_form(&s, "topic_id=7&topic_time=5000&timings%5B1%5D=5000");
	client_close(&c);
	server_close(&s);
}

static void
test_members_request(void **state)
{
	struct server s;
	struct client c;
	struct api_sync sync = {0};
	size_t len;
	char *body = read_data("members.json", &len);
	struct member_list *l;

	(void)state;
	server_open(&s, body);
	client_open(&c, &s);
	api_get_members(c.api, 2, api_sync_done, &sync);
	serve_until_done(&s, c.http, &sync);
	assert_request_line(&s, "GET /directory_items.json?period=all"
	                        "&order=post_count&page=2 HTTP/1.1");
	l = sync.reply.data;
	assert_non_null(l);
	assert_int_equal(l->n, 11);
	member_list_free(l);
	client_close(&c);
	server_close(&s);
	free(body);
}

static void
test_user_actions_request(void **state)
{
	struct server s;
	struct client c;
	struct api_sync sync = {0};

	(void)state;
	server_open(&s, "{\"user_actions\": []}");
	client_open(&c, &s);
	api_get_user_actions(c.api, "pieter jan", api_sync_done, &sync);
	serve_until_done(&s, c.http, &sync);
	assert_request_line(&s, "GET /user_actions.json?username=pieter%20jan"
	                        "&filter=4,5 HTTP/1.1");
	assert_int_equal(((struct user_action_list *)sync.reply.data)->n, 0);
	user_action_list_free(sync.reply.data);
	client_close(&c);
	server_close(&s);
}

static void
get_events(struct server *s, struct client *c, const struct event_query *q,
           const char *want_line)
{
	struct api_sync sync = {0};

	api_get_events(c->api, q, api_sync_done, &sync);
	serve_until_done(s, c->http, &sync);
	assert_request_line(s, want_line);
	assert_non_null(sync.reply.data);
	event_list_free(sync.reply.data);
}

static void
test_events_request(void **state)
{
	struct server s;
	struct client c;
	char today[16], *want;
	time_t now = time(NULL);
	struct tm tm;
	struct event_query q = {.upcoming = true};

	(void)state;
	gmtime_r(&now, &tm);
	strftime(today, sizeof today, "%Y-%m-%d", &tm);
	server_open(&s, "{\"events\": []}");
	client_open(&c, &s);

	want = xasprintf("GET /discourse-post-event/events.json?include_details"
	                 "=true&after=%s&order=asc HTTP/1.1",
	                 today);
	get_events(&s, &c, &q, want);
	free(want);

	q = (struct event_query){.past = true, .category_id = 3, .limit = 10};
	want = xasprintf("GET /discourse-post-event/events.json?include_details"
	                 "=true&include_expired=true&before=%s&category_id=3"
	                 "&limit=10&order=desc HTTP/1.1",
	                 today);
	get_events(&s, &c, &q, want);
	free(want);

	get_events(&s, &c, NULL,
	           "GET /discourse-post-event/events.json?include_details=true"
	           "&include_expired=true&order=asc HTTP/1.1");
	client_close(&c);
	server_close(&s);
}

static void
test_event_request(void **state)
{
	struct server s;
	struct client c;
	struct api_sync sync = {0};
	size_t len;
	char *body = read_data("event.json", &len);

	(void)state;
	server_open(&s, body);
	client_open(&c, &s);
	api_get_event(c.api, 120, api_sync_done, &sync);
	serve_until_done(&s, c.http, &sync);
	assert_request_line(
	    &s, "GET /discourse-post-event/events/120.json HTTP/1.1");
	assert_int_equal(((struct event *)sync.reply.data)->id, 120);
	event_free(sync.reply.data);
	client_close(&c);
	server_close(&s);
	free(body);
}

/* One RSVP: the request it makes and the event its reply holds. */
static struct event *
rsvp(struct server *s, int64_t invitee_id, enum rsvp_status status,
     const char *want_line)
{
	struct client c;
	struct api_sync sync = {0};

	client_open(&c, s);
	api_rsvp(c.api, 14, invitee_id, status, api_sync_done, &sync);
	serve_until_done(s, c.http, &sync);
	client_close(&c);
	assert_request_line(s, want_line);
	assert_int_equal(sync.reply.err.kind, AMBT_OK);
	assert_non_null(sync.reply.data);
	return sync.reply.data;
}

static void
test_rsvp_requests(void **state)
{
	struct server s;
	size_t len;
	char *body = read_data("invitee.json", &len);
	struct event *e;

	(void)state;
	server_open(&s, body);
	e = rsvp(&s, 0, RSVP_INTERESTED,
	         "POST /discourse-post-event/events/14/invitees.json HTTP/1.1");
	assert_form(&s, "invitee%5Bstatus%5D=interested");
	assert_int_equal(e->id, 14);
	assert_int_equal(e->invitee_id, 14);
	assert_int_equal(e->rsvp, RSVP_INTERESTED);
	assert_int_equal(e->interested, 3);
	event_free(e);

	e = rsvp(&s, 14, RSVP_GOING,
	         "PUT /discourse-post-event/events/14/invitees/14.json "
	         "HTTP/1.1");
	assert_form(&s, "invitee%5Bstatus%5D=going");
	event_free(e);

	s.answer = "{\"success\": \"OK\"}";
	e = rsvp(&s, 14, RSVP_NONE,
	         "DELETE /discourse-post-event/events/14/invitees/14.json "
	         "HTTP/1.1");
	assert_string_equal(request_body(&s), "");
	assert_int_equal(e->id, 14);
	assert_int_equal(e->invitee_id, 0);
	assert_int_equal(e->rsvp, RSVP_NONE);
	assert_int_equal(e->going, -1);
	event_free(e);
	server_close(&s);
	free(body);
}

/* Withdrawing an answer that was never given asks nothing of the server. */
static void
test_rsvp_nothing_to_withdraw(void **state)
{
	struct server s;
	struct client c;
	struct api_sync sync = {0};

	(void)state;
	server_open(&s, "{}");
	client_open(&c, &s);
	assert_null(api_rsvp(c.api, 14, 0, RSVP_NONE, api_sync_done, &sync));
	assert_true(sync.done);
	assert_int_equal(sync.reply.err.kind, AMBT_E_USAGE);
	assert_int_equal(http_pending(c.http), 0);
	client_close(&c);
	server_close(&s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_members),
	    cmocka_unit_test(test_user_actions),
	    cmocka_unit_test(test_invitee),
	    cmocka_unit_test(test_invitee_no_stats),
	    cmocka_unit_test(test_bad_inputs),
	    cmocka_unit_test(test_encode_members),
	    cmocka_unit_test(test_posts_near),
	    cmocka_unit_test(test_timings),
	    cmocka_unit_test(test_members_request),
	    cmocka_unit_test(test_user_actions_request),
	    cmocka_unit_test(test_events_request),
	    cmocka_unit_test(test_event_request),
	    cmocka_unit_test(test_rsvp_requests),
	    cmocka_unit_test(test_rsvp_nothing_to_withdraw),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
