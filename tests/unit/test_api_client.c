/*
 * test_api_client.c: the api client (src/api/client.c) against
 * tests/faultserver.py: the URL of each endpoint, how statuses are judged,
 * decoding, and the cache (stored bodies, ETag and 304, offline copies).
 *
 * URLs are checked through the server's 404 for a route it does not know:
 * the client's error names the URL it asked for.
 */
#include "config.h"

#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <unistd.h>

#include <setjmp.h>
#include <cmocka.h>

#include "ambt/api.h"
#include "ambt/util.h"
#include "faultserver_util.h"

#define LIST_BODY                                                              \
	"{\"users\":[],\"topic_list\":{\"topics\":[{\"id\":42,"                \
	"\"title\":\"H\\u00e9llo\"}]}}"

static struct faultserver server;
static char tmpdir[] = "/tmp/test_api_client.XXXXXX";

static int
group_setup(void **state)
{
	char *list_map, *bad_map;
	int rc;

	(void)state;
	if (mkdtemp(tmpdir) == NULL)
		return -1;
	write_file_in(tmpdir, "list.json", LIST_BODY);
	write_file_in(
	    tmpdir, "bad.json",
	    "{\"id\": 1, \"post_stream\": {\"posts\": [{\"id\": \"x\"}]}}");
	list_map = xasprintf("/latest.json=%s/list.json", tmpdir);
	bad_map = xasprintf("/t/1.json=%s/bad.json", tmpdir);
	rc = faultserver_start(
	    &server,
	    (char *[]){"--map", list_map, "--map", bad_map, "--map",
	               "/t/403.json=status:403", "--map",
	               "/t/429.json=route:/status/429?retry_after=3600",
	               "--map", "/t/500.json=status:500", "--map",
	               "/c/etag.json=route:/etag?tag=v1", NULL});
	free(list_map);
	free(bad_map);
	return rc;
}

static int
group_teardown(void **state)
{
	(void)state;
	faultserver_stop(&server);
	remove_tree(tmpdir);
	return 0;
}

/* ---- a client on a base URL, with or without a cache ---- */

struct fixture {
	struct http *http;
	struct store *cache;
	struct api *api;
};

static void
fixture_open(struct fixture *f, const char *url, bool with_cache)
{
	struct http_options o = {
	    .base_url = url, .retry_base_ms = 1, .max_retries = 0};
	struct ambt_error err = {0};
	char *path = xasprintf("%s/cache.sqlite3", tmpdir);

	f->http = http_new(&o, &err);
	assert_non_null(f->http);
	f->cache = with_cache ? store_open(path, STORE_CACHE, &err) : NULL;
	if (with_cache)
		assert_non_null(f->cache);
	f->api = api_new(f->http, f->cache, url);
	free(path);
}

static void
fixture_close(struct fixture *f)
{
	api_free(f->api);
	http_free(f->http);
	store_close(f->cache);
}

/* A URL where nothing listens. */
static char *
closed_url(void)
{
	struct sockaddr_in a = {.sin_family = AF_INET,
	                        .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof a;
	int s = socket(AF_INET, SOCK_STREAM, 0);

	assert_int_equal(bind(s, (struct sockaddr *)&a, sizeof a), 0);
	assert_int_equal(getsockname(s, (struct sockaddr *)&a, &len), 0);
	close(s);
	return xasprintf("http://127.0.0.1:%d", ntohs(a.sin_port));
}

/* The error of a request that the server answers 404, which must name
 * the URL server.url + path. */
static void
assert_asked(struct api_sync *s, struct fixture *f, const char *path)
{
	char *want = xasprintf("%s%s: HTTP 404", server.url, path);

	api_sync_wait(f->api, s);
	assert_true(s->done);
	assert_null(s->reply.data);
	assert_int_equal(s->reply.err.kind, AMBT_E_HTTP);
	assert_int_equal(s->reply.err.http_status, 404);
	if (strncmp(s->reply.err.msg, want, strlen(want)) != 0)
		fail_msg("asked for '%s', want '%s'", s->reply.err.msg, want);
	free(want);
	memset(s, 0, sizeof *s);
}

static void
test_urls(void **state)
{
	struct fixture f;
	struct api_sync s = {0};
	const int64_t ids[] = {3, 4};

	(void)state;
	fixture_open(&f, server.url, false);
	api_get_latest(f.api,
	               &(struct list_query){.category_slug = "open data",
	                                    .page = 2,
	                                    .per_page = 30},
	               api_sync_done, &s);
	assert_asked(&s, &f, "/c/open%20data.json?page=2&per_page=30");
	api_get_latest(
	    f.api, &(struct list_query){.category_slug = "x", .category_id = 5},
	    api_sync_done, &s);
	assert_asked(&s, &f, "/c/x/5.json");
	api_get_latest(f.api,
	               &(struct list_query){.filter = "unread", .page = 1},
	               api_sync_done, &s);
	assert_asked(&s, &f, "/unread.json?page=1");
	api_get_latest(f.api,
	               &(struct list_query){.category_slug = "x",
	                                    .category_id = 5,
	                                    .filter = "new"},
	               api_sync_done, &s);
	assert_asked(&s, &f, "/c/x/5/l/new.json");
	api_get_categories(f.api, api_sync_done, &s);
	assert_asked(&s, &f, "/categories.json");
	api_get_topic(f.api, 42, api_sync_done, &s);
	assert_asked(&s, &f, "/t/42.json");
	api_get_posts(f.api, 7, ids, 2, api_sync_done, &s);
	assert_asked(&s, &f, "/t/7/posts.json?post_ids[]=3&post_ids[]=4");
	api_get_post(f.api, 9, api_sync_done, &s);
	assert_asked(&s, &f, "/posts/9.json");
	api_get_user(f.api, "jan de vries/é", api_sync_done, &s);
	assert_asked(&s, &f, "/u/jan%20de%20vries%2F%C3%A9.json");
	api_get_user_summary(f.api, "jan", api_sync_done, &s);
	assert_asked(&s, &f, "/u/jan/summary.json");
	api_get_notifications(f.api, api_sync_done, &s);
	assert_asked(&s, &f, "/notifications.json");
	api_search(f.api, "open data & meer?", 2, api_sync_done, &s);
	assert_asked(&s, &f,
	             "/search.json?q=open%20data%20%26%20meer%3F&page=2");
	api_search(f.api, "x", 1, api_sync_done, &s);
	assert_asked(&s, &f, "/search.json?q=x");
	api_get_site(f.api, api_sync_done, &s);
	assert_asked(&s, &f, "/site.json");
	fixture_close(&f);
}

/* GET a topic whose answer is an error; the message must hold each of the
 * NULL-terminated strings. */
static void
assert_topic_error(struct fixture *f, int64_t id, enum ambt_error_kind kind,
                   ...)
{
	struct api_sync s = {0};
	const char *part;
	va_list ap;

	api_get_topic(f->api, id, api_sync_done, &s);
	api_sync_wait(f->api, &s);
	assert_null(s.reply.data);
	assert_int_equal(s.reply.err.kind, kind);
	va_start(ap, kind);
	while ((part = va_arg(ap, const char *)) != NULL) {
		if (strstr(s.reply.err.msg, part) == NULL)
			fail_msg("'%s' lacks '%s'", s.reply.err.msg, part);
	}
	va_end(ap);
}

static void
test_statuses(void **state)
{
	struct fixture f;

	(void)state;
	fixture_open(&f, server.url, false);
	assert_topic_error(&f, 403, AMBT_E_HTTP, "HTTP 403", "403: as asked",
	                   "(log in or check the API key)", NULL);
	assert_topic_error(&f, 429, AMBT_E_HTTP, "HTTP 429",
	                   "(rate limited; try again in 3600 s)", NULL);
	assert_topic_error(&f, 500, AMBT_E_HTTP, "HTTP 500",
	                   "(the server failed; try again later)", NULL);
	assert_topic_error(&f, 404, AMBT_E_HTTP, "HTTP 404",
	                   "(no such topic, or it is private)", NULL);
	assert_topic_error(&f, 1, AMBT_E_DECODE,
	                   "/t/1.json: unexpected response",
	                   "post_stream.posts[0]", NULL);
	fixture_close(&f);
}

static void
test_429_fields(void **state)
{
	struct fixture f;
	struct api_sync s = {0};

	(void)state;
	fixture_open(&f, server.url, false);
	api_get_topic(f.api, 429, api_sync_done, &s);
	api_sync_wait(f.api, &s);
	assert_int_equal(s.reply.err.http_status, 429);
	assert_int_equal(s.reply.err.retry_after, 3600);
	fixture_close(&f);
}

static void
assert_hello(struct api_sync *s)
{
	struct topic_list *list = s->reply.data;

	assert_int_equal(s->reply.err.kind, AMBT_OK);
	assert_non_null(list);
	assert_int_equal(list->n_topics, 1);
	assert_string_equal(list->topics[0].title, "Héllo");
	topic_list_free(list);
}

/* A decoded body is stored in the cache. */
static void
test_success_is_cached(void **state)
{
	struct fixture f;
	struct api_sync s = {0};
	struct cache_entry e = {0};
	struct ambt_error err = {0};

	(void)state;
	fixture_open(&f, server.url, true);
	api_get_latest(f.api, &(struct list_query){0}, api_sync_done, &s);
	api_sync_wait(f.api, &s);
	assert_false(s.reply.offline);
	assert_hello(&s);
	assert_int_equal(
	    store_cache_get(f.cache, server.url, "/latest.json", &e, &err), 1);
	assert_string_equal(e.body, LIST_BODY);
	cache_entry_clear(&e);
	fixture_close(&f);
}

/* The cached ETag is sent; the 304 is answered with the cached body. */
static void
test_etag_304(void **state)
{
	struct fixture f;
	struct api_sync s = {0};
	struct ambt_error err = {0};

	(void)state;
	fixture_open(&f, server.url, true);
	assert_int_equal(store_cache_put(f.cache, server.url, "/c/etag.json",
	                                 LIST_BODY, strlen(LIST_BODY), "\"v1\"",
	                                 &err),
	                 0);
	api_get_latest(f.api, &(struct list_query){.category_slug = "etag"},
	               api_sync_done, &s);
	api_sync_wait(f.api, &s);
	assert_false(s.reply.offline);
	assert_hello(&s);
	fixture_close(&f);
}

/* Unreachable: the cached copy, marked offline with its time. */
static void
test_offline_copy(void **state)
{
	char *url = closed_url();
	struct fixture f;
	struct api_sync s = {0};
	struct ambt_error err = {0};

	(void)state;
	fixture_open(&f, url, true);
	api_get_topic(f.api, 5, api_sync_done, &s);
	api_sync_wait(f.api, &s);
	assert_int_equal(s.reply.err.kind, AMBT_E_NET);
	assert_null(s.reply.data);
	memset(&s, 0, sizeof s);
	assert_int_equal(store_cache_put(f.cache, url, "/latest.json",
	                                 LIST_BODY, strlen(LIST_BODY), NULL,
	                                 &err),
	                 0);
	api_get_latest(f.api, NULL, api_sync_done, &s);
	api_sync_wait(f.api, &s);
	assert_true(s.reply.offline);
	assert_true(s.reply.fetched_at > 0);
	assert_hello(&s);
	fixture_close(&f);
	free(url);
}

/* An error status is reported even when a copy is cached. */
static void
test_http_error_not_offline(void **state)
{
	struct fixture f;
	struct api_sync s = {0};
	struct ambt_error err = {0};

	(void)state;
	fixture_open(&f, server.url, true);
	assert_int_equal(store_cache_put(f.cache, server.url, "/t/500.json",
	                                 "{}", 2, NULL, &err),
	                 0);
	api_get_topic(f.api, 500, api_sync_done, &s);
	api_sync_wait(f.api, &s);
	assert_false(s.reply.offline);
	assert_int_equal(s.reply.err.kind, AMBT_E_HTTP);
	fixture_close(&f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_urls),
	    cmocka_unit_test(test_statuses),
	    cmocka_unit_test(test_429_fields),
	    cmocka_unit_test(test_success_is_cached),
	    cmocka_unit_test(test_etag_304),
	    cmocka_unit_test(test_offline_copy),
	    cmocka_unit_test(test_http_error_not_offline),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
