/*
 * test_http.c: the HTTP layer against tests/faultserver.py.
 *
 * The group setup starts the fault server (and a second one over TLS with
 * a certificate made by openssl at test time) on 127.0.0.1, port 0, and
 * reads their URLs from their stdout; the teardown stops them with SIGTERM.
 * Retries use a 10 ms base so the whole file runs in seconds.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <setjmp.h>
#include <cmocka.h>
#include <jansson.h>

#include "ambt/http.h"
#include "ambt/util.h"
#include "http_int.h"
#include "faultserver_util.h"

#define OK_BODY                                                                \
	"{\"topic_list\":{\"topics\":[{\"id\":42,\"title\":\"Héllo\"}]}}"

static struct faultserver plain, tls;
static char tmpdir[] = "/tmp/test_http.XXXXXX";

/* ---- the servers ---- */

static char *
tmp_path(const char *name)
{
	return xasprintf("%s/%s", tmpdir, name);
}

static int
make_cert(void)
{
	char *cmd =
	    xasprintf("openssl req -x509 -newkey rsa:2048 -nodes -days 1 "
	              "-subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 "
	              "-keyout %s/key.pem -out %s/cert.pem 2>/dev/null",
	              tmpdir, tmpdir);
	int rc = system(cmd);

	free(cmd);
	return rc == 0 ? 0 : -1;
}

static int
group_setup(void **state)
{
	char *map, *cert, *key;
	int rc;

	(void)state;
	if (mkdtemp(tmpdir) == NULL)
		return -1;
	write_file_in(tmpdir, "ok.json", OK_BODY);
	map = xasprintf("/latest.json=%s/ok.json", tmpdir);
	rc = faultserver_start(
	    &plain, (char *[]){"--root", tmpdir, "--map", map, NULL});
	cert = tmp_path("cert.pem");
	key = tmp_path("key.pem");
	if (rc == 0)
		rc = make_cert();
	if (rc == 0)
		rc =
		    faultserver_start(&tls, (char *[]){"--tls-cert", cert,
		                                       "--tls-key", key, NULL});
	free(map);
	free(cert);
	free(key);
	return rc;
}

static int
group_teardown(void **state)
{
	(void)state;
	faultserver_stop(&plain);
	faultserver_stop(&tls);
	remove_tree(tmpdir);
	return 0;
}

/* ---- requests and what their callbacks saw ---- */

struct result {
	bool done;
	long status;
	char *body;
	size_t len;
	char *content_type;
	char *etag;
	int retry_after;
	int attempts;
	struct ambt_error err;
};

static void
on_done(const struct http_response *res, void *arg)
{
	struct result *r = arg;

	assert_false(r->done); /* exactly once */
	r->done = true;
	r->status = res->status;
	assert_non_null(res->body);
	r->body = xstrndup(res->body, res->len);
	r->len = res->len;
	r->content_type = xstrdup(res->content_type);
	r->etag = xstrdup(res->etag);
	r->retry_after = res->retry_after;
	r->attempts = res->attempts;
	r->err = res->err;
}

static void
result_free(struct result *r)
{
	free(r->body);
	free(r->content_type);
	free(r->etag);
	memset(r, 0, sizeof *r);
}

static struct http_options
options(const char *url)
{
	struct http_options o;

	memset(&o, 0, sizeof o);
	o.base_url = url;
	o.retry_base_ms = 10;
	o.max_retries = -1;
	return o;
}

static struct http *
new_http(const struct http_options *o)
{
	struct ambt_error err;
	struct http *h = http_new(o, &err);

	assert_non_null(h);
	return h;
}

/* GET path on a fresh handle with default options, to completion. */
static void
get(const char *path, const char *if_none_match, struct result *r)
{
	struct http_options o = options(plain.url);
	struct http *h = new_http(&o);

	assert_non_null(http_get(h, path, if_none_match, on_done, r));
	http_run(h);
	assert_true(r->done);
	http_free(h);
}

/* How many requests the server saw for key. */
static long
server_count(const char *key)
{
	struct result r = {0};
	json_t *j;
	char *path = xasprintf("/count/%s", key);
	long n;

	get(path, NULL, &r);
	free(path);
	j = json_loads(r.body, 0, NULL);
	assert_non_null(j);
	n = (long)json_integer_value(json_object_get(j, "count"));
	json_decref(j);
	result_free(&r);
	return n;
}

static json_t *
body_json(const struct result *r)
{
	json_t *j = json_loadb(r->body, r->len, 0, NULL);

	assert_non_null(j);
	return j;
}

static const char *
echoed_header(json_t *echo, const char *name)
{
	return json_string_value(
	    json_object_get(json_object_get(echo, "headers"), name));
}

/* ---- success ---- */

static void
test_get_json(void **state)
{
	struct result r = {0};

	(void)state;
	get("/json/ok.json", NULL, &r);
	assert_int_equal(r.err.kind, AMBT_OK);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.body, OK_BODY);
	assert_int_equal(r.len, strlen(OK_BODY));
	assert_string_equal(r.content_type, "application/json");
	assert_int_equal(r.attempts, 1);
	result_free(&r);

	get("/latest.json", NULL, &r); /* through --map */
	assert_int_equal(r.status, 200);
	assert_string_equal(r.body, OK_BODY);
	result_free(&r);
}

static void
test_many_in_flight(void **state)
{
	struct http_options o = options(plain.url);
	struct http *h = new_http(&o);
	struct result r[8];
	char *path;

	(void)state;
	memset(r, 0, sizeof r);
	for (int i = 0; i < 8; i++) {
		path = xasprintf("/slow?delay=0.2&key=many%d", i);
		assert_non_null(http_get(h, path, NULL, on_done, &r[i]));
		free(path);
	}
	assert_int_equal(http_pending(h), 8);
	http_run(h);
	assert_int_equal(http_pending(h), 0);
	for (int i = 0; i < 8; i++) {
		assert_true(r[i].done);
		assert_int_equal(r[i].status, 200);
		assert_string_equal(r[i].body, "{\"ok\": true}");
		result_free(&r[i]);
	}
	http_free(h);
}

static void
test_headers(void **state)
{
	struct http_options o = options(plain.url);
	struct result r = {0};
	struct http *h;
	json_t *echo;

	(void)state;
	o.api_key = "key-123";
	o.api_username = "anna";
	h = new_http(&o);
	http_get(h, "/echo?x=1", NULL, on_done, &r);
	http_run(h);
	echo = body_json(&r);
	assert_string_equal(echoed_header(echo, "api-key"), "key-123");
	assert_string_equal(echoed_header(echo, "api-username"), "anna");
	assert_string_equal(echoed_header(echo, "user-agent"),
	                    "ambt/" PACKAGE_VERSION);
	assert_string_equal(echoed_header(echo, "accept"), "application/json");
	assert_null(echoed_header(echo, "user-api-key"));
	assert_string_equal(json_string_value(json_object_get(echo, "query")),
	                    "x=1");
	json_decref(echo);
	result_free(&r);
	http_free(h);
}

static void
test_user_api_key(void **state)
{
	struct http_options o = options(plain.url);
	struct result r = {0};
	struct http *h;
	json_t *echo;

	(void)state;
	o.user_api_key = "uak-9";
	h = new_http(&o);
	http_get(h, "/echo", NULL, on_done, &r);
	http_run(h);
	echo = body_json(&r);
	assert_string_equal(echoed_header(echo, "user-api-key"), "uak-9");
	assert_null(echoed_header(echo, "api-key"));
	json_decref(echo);
	result_free(&r);
	http_free(h);
}

static void
send_and_check(struct http *h, const char *method, const char *body)
{
	struct result r = {0};
	json_t *echo;

	assert_non_null(http_send(h, method, "/echo", "application/json", body,
	                          body ? strlen(body) : 0, on_done, &r));
	http_run(h);
	assert_int_equal(r.err.kind, AMBT_OK);
	assert_int_equal(r.status, 200);
	echo = body_json(&r);
	assert_string_equal(json_string_value(json_object_get(echo, "method")),
	                    method);
	assert_string_equal(json_string_value(json_object_get(echo, "body")),
	                    body ? body : "");
	if (body != NULL)
		assert_string_equal(echoed_header(echo, "content-type"),
		                    "application/json");
	json_decref(echo);
	result_free(&r);
}

static void
test_send_bodies(void **state)
{
	struct http_options o = options(plain.url);
	struct http *h = new_http(&o);
	struct result r = {0};

	(void)state;
	send_and_check(h, "POST", "{\"raw\":\"Dag allemaal\"}");
	send_and_check(h, "PUT", "{\"title\":\"Nieuw\"}");
	send_and_check(h, "DELETE", NULL);
	send_and_check(h, "DELETE", "{\"why\":\"spam\"}");
	send_and_check(h, "POST", NULL);
	/* Only the methods that carry a body. */
	assert_null(http_send(h, "GET", "/echo", NULL, NULL, 0, on_done, &r));
	assert_false(r.done);
	http_free(h);
}

/* ---- retries ---- */

static void
test_500_not_retried(void **state)
{
	struct result r = {0};
	json_t *j;

	(void)state;
	get("/status/500?key=s500", NULL, &r);
	assert_int_equal(r.err.kind, AMBT_OK);
	assert_int_equal(r.status, 500);
	assert_int_equal(r.attempts, 1);
	j = body_json(&r); /* the Discourse error body reaches the caller */
	assert_true(json_is_array(json_object_get(j, "errors")));
	json_decref(j);
	result_free(&r);
	assert_int_equal(server_count("s500"), 1);
}

static void
test_flaky_get_retried(void **state)
{
	struct result r = {0};

	(void)state;
	get("/flaky/fg?fail=2", NULL, &r);
	assert_int_equal(r.err.kind, AMBT_OK);
	assert_int_equal(r.status, 200);
	assert_int_equal(r.attempts, 3);
	result_free(&r);
	assert_int_equal(server_count("fg"), 3);
}

static void
test_flaky_gives_up(void **state)
{
	struct result r = {0};

	(void)state;
	get("/flaky/fz?fail=10", NULL, &r);
	assert_int_equal(r.status, 503);
	assert_int_equal(r.attempts, 1 + HTTP_MAX_RETRIES);
	result_free(&r);
	assert_int_equal(server_count("fz"), 1 + HTTP_MAX_RETRIES);
}

static void
test_flaky_post_not_retried(void **state)
{
	struct http_options o = options(plain.url);
	struct http *h = new_http(&o);
	struct result r = {0};

	(void)state;
	http_send(h, "POST", "/flaky/fp?fail=2", "application/json", "{}", 2,
	          on_done, &r);
	http_run(h);
	assert_int_equal(r.status, 503);
	assert_int_equal(r.attempts, 1);
	result_free(&r);
	http_free(h);
	assert_int_equal(server_count("fp"), 1);
}

static void
test_retries_disabled(void **state)
{
	struct http_options o = options(plain.url);
	struct http *h;
	struct result r = {0};

	(void)state;
	o.max_retries = 0;
	h = new_http(&o);
	http_get(h, "/flaky/f0?fail=1", NULL, on_done, &r);
	http_run(h);
	assert_int_equal(r.status, 503);
	assert_int_equal(r.attempts, 1);
	result_free(&r);
	http_free(h);
}

static void
test_429_waits(void **state)
{
	struct result r = {0};

	(void)state;
	get("/429?after=1&key=r1", NULL, &r);
	assert_int_equal(r.err.kind, AMBT_OK);
	assert_int_equal(r.status, 200);
	assert_int_equal(r.attempts, 2);
	result_free(&r);
	assert_int_equal(server_count("r1"), 2);

	get("/429?after=1&date=1&key=r2", NULL, &r); /* an HTTP-date */
	assert_int_equal(r.status, 200);
	assert_int_equal(r.attempts, 2);
	result_free(&r);
}

static void
test_429_too_long_reported(void **state)
{
	struct result r = {0};

	(void)state;
	get("/429?after=120&key=r3", NULL, &r);
	assert_int_equal(r.err.kind, AMBT_OK);
	assert_int_equal(r.status, 429);
	assert_int_equal(r.retry_after, 120);
	assert_int_equal(r.attempts, 1);
	result_free(&r);
}

static void
test_retry_after_parse(void **state)
{
	(void)state;
	assert_int_equal(http_parse_retry_after("7"), 7);
	assert_int_equal(http_parse_retry_after("0"), 0);
	assert_int_equal(
	    http_parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"),
	    0); /* in the past */
	assert_int_equal(http_parse_retry_after("soon"), -1);
	assert_int_equal(http_parse_retry_after("-3"), -1);
}

/* ---- network failures ---- */

static void
get_with(struct http_options *o, const char *path, struct result *r)
{
	struct http *h = new_http(o);

	http_get(h, path, NULL, on_done, r);
	http_run(h);
	assert_true(r->done);
	http_free(h);
}

static void
test_stall_timeout(void **state)
{
	struct http_options o = options(plain.url);
	struct result r = {0};

	(void)state;
	o.stall_timeout_s = 1;
	o.max_retries = 1;
	get_with(&o, "/slow?delay=8&key=slow1", &r);
	assert_int_equal(r.err.kind, AMBT_E_NET);
	assert_string_equal(r.err.msg,
	                    "the server stopped sending (no data for 1 s); "
	                    "try again later");
	assert_int_equal(r.attempts, 2);
	assert_string_equal(r.body, "");
	result_free(&r);

	get_with(&o, "/stall", &r); /* headers and a bit, then nothing */
	assert_int_equal(r.err.kind, AMBT_E_NET);
	assert_non_null(strstr(r.err.msg, "stopped sending"));
	result_free(&r);
}

static void
test_cut(void **state)
{
	struct result r = {0};

	(void)state;
	get("/cut?key=cut1", NULL, &r);
	assert_int_equal(r.err.kind, AMBT_E_NET);
	assert_string_equal(r.err.msg,
	                    "connection cut after 100 of 1000 bytes; try "
	                    "again later");
	assert_int_equal(r.attempts, 1 + HTTP_MAX_RETRIES);
	result_free(&r);
	assert_int_equal(server_count("cut1"), 1 + HTTP_MAX_RETRIES);
}

static void
test_too_big(void **state)
{
	struct result r = {0};

	(void)state;
	get("/big?mb=33", NULL, &r); /* refused by its Content-Length */
	assert_int_equal(r.err.kind, AMBT_E_TOO_BIG);
	assert_non_null(strstr(r.err.msg, "over 32 MiB"));
	assert_int_equal(r.attempts, 1);
	assert_int_equal(r.len, 0);
	result_free(&r);

	get("/big?mb=33&chunked=1", NULL, &r); /* no length: while reading */
	assert_int_equal(r.err.kind, AMBT_E_TOO_BIG);
	assert_int_equal(r.attempts, 1);
	result_free(&r);

	get("/big?mb=2", NULL, &r); /* under the cap: intact */
	assert_int_equal(r.err.kind, AMBT_OK);
	assert_int_equal(r.len, 2u << 20);
	result_free(&r);
}

/* A port nothing listens on: bound, then closed. */
static int
closed_port(void)
{
	struct sockaddr_in a;
	socklen_t len = sizeof a;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
	close(fd);
	return ntohs(a.sin_port);
}

static void
test_refused(void **state)
{
	char url[64], want[128];
	int port = closed_port();
	struct http_options o;
	struct result r = {0};

	(void)state;
	snprintf(url, sizeof url, "http://127.0.0.1:%d", port);
	o = options(url);
	get_with(&o, "/latest.json", &r);
	assert_int_equal(r.err.kind, AMBT_E_NET);
	snprintf(want, sizeof want,
	         "cannot connect to 127.0.0.1:%d: Connection refused", port);
	assert_string_equal(r.err.msg, want);
	assert_int_equal(r.status, 0);
	assert_int_equal(r.attempts, 1 + HTTP_MAX_RETRIES);
	result_free(&r);
}

/* A name under the reserved .invalid TLD never resolves (RFC 6761). */
static void
test_dns_failure(void **state)
{
	struct http_options o = options("http://ambt-test.invalid");
	struct result r = {0};

	(void)state;
	get_with(&o, "/latest.json", &r);
	assert_int_equal(r.err.kind, AMBT_E_NET);
	assert_string_equal(r.err.msg,
	                    "cannot find the server ambt-test.invalid (check "
	                    "the address and the network)");
	assert_int_equal(r.attempts, 1); /* a wrong name stays wrong */
	result_free(&r);
}

/* http_proxy from the environment: the request for a name that does not
 * resolve reaches the fault server, which answers it as the proxy. */
static void
test_proxy_from_environment(void **state)
{
	struct http_options o = options("http://ambt-proxied.invalid");
	struct result r = {0};
	json_t *echo;

	(void)state;
	setenv("http_proxy", plain.url, 1);
	get_with(&o, "/echo", &r);
	unsetenv("http_proxy");
	assert_int_equal(r.err.kind, AMBT_OK);
	assert_int_equal(r.status, 200);
	echo = body_json(&r);
	assert_string_equal(echoed_header(echo, "host"),
	                    "ambt-proxied.invalid");
	json_decref(echo);
	result_free(&r);
}

/* A listener whose accept queue is full: Linux then drops the SYNs of
 * further connects, so they neither succeed nor fail until a timeout. */
static int
full_listener(int *port, int fill[3])
{
	struct sockaddr_in a;
	socklen_t len = sizeof a;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
	assert_int_equal(listen(fd, 0), 0);
	for (int i = 0; i < 3; i++) {
		fill[i] = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
		connect(fill[i], (struct sockaddr *)&a, sizeof a);
	}
	*port = ntohs(a.sin_port);
	return fd;
}

static void
test_connect_timeout(void **state)
{
	char url[64], want[128];
	int port, fill[3], fd = full_listener(&port, fill);
	struct http_options o;
	struct result r = {0};

	(void)state;
	snprintf(url, sizeof url, "http://127.0.0.1:%d", port);
	o = options(url);
	o.connect_timeout_ms = 300;
	o.max_retries = 0;
	get_with(&o, "/latest.json", &r);
	assert_int_equal(r.err.kind, AMBT_E_NET);
	snprintf(want, sizeof want,
	         "timed out after 0.3 s connecting to 127.0.0.1:%d", port);
	assert_string_equal(r.err.msg, want);
	result_free(&r);
	for (int i = 0; i < 3; i++)
		close(fill[i]);
	close(fd);
}

static void
test_redirects(void **state)
{
	struct result r = {0};

	(void)state;
	get("/redirect?to=/json/ok.json", NULL, &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.body, OK_BODY);
	result_free(&r);

	get("/redirect", NULL, &r); /* to itself */
	assert_int_equal(r.err.kind, AMBT_E_NET);
	assert_non_null(strstr(r.err.msg, "redirected more than 5 times"));
	result_free(&r);
}

/* The API key goes along a redirect on the same host, never to another:
 * "localhost" is the same server by another name, so curl would send it. */
static void
test_redirect_keeps_the_key_home(void **state)
{
	struct http_options o = options(plain.url);
	const char *port = strrchr(plain.url, ':') + 1;
	char *away = xasprintf("/redirect?to=http://localhost:%s/echo", port);
	struct result r = {0};
	json_t *echo;

	(void)state;
	o.api_key = "key-123";
	o.api_username = "anna";
	get_with(&o, "/redirect?to=/echo", &r);
	assert_int_equal(r.status, 200);
	echo = body_json(&r);
	assert_string_equal(echoed_header(echo, "api-key"), "key-123");
	json_decref(echo);
	result_free(&r);

	get_with(&o, away, &r);
	assert_int_equal(r.err.kind, AMBT_E_NET);
	assert_non_null(strstr(r.err.msg, "redirected to another server "
	                                  "(localhost); not followed"));
	assert_int_equal(r.attempts, 1);
	result_free(&r);

	o.api_key = o.api_username = NULL; /* nothing to leak: followed */
	get_with(&o, away, &r);
	assert_int_equal(r.status, 200);
	echo = body_json(&r);
	assert_null(echoed_header(echo, "api-key"));
	json_decref(echo);
	result_free(&r);
	free(away);
}

/* ---- the caller's control ---- */

static void
test_cancel(void **state)
{
	struct http_options o = options(plain.url);
	struct http *h = new_http(&o);
	struct result a = {0}, b = {0};
	struct http_req *req;

	(void)state;
	req = http_get(h, "/slow?delay=5&key=cancel1", NULL, on_done, &a);
	http_get(h, "/json/ok.json", NULL, on_done, &b);
	http_poll(h, NULL, 0, 50);
	http_cancel(h, req);
	assert_true(a.done);
	assert_int_equal(a.err.kind, AMBT_E_CANCELLED);
	http_run(h); /* the other one is untouched */
	assert_int_equal(b.status, 200);
	result_free(&a);
	result_free(&b);
	http_free(h);
}

static void
test_free_cancels_waiting_retry(void **state)
{
	struct http_options o = options(plain.url);
	struct http *h;
	struct result r = {0};

	(void)state;
	o.retry_base_ms = 60000; /* the retry waits in the timer list */
	h = new_http(&o);
	http_get(h, "/flaky/fw?fail=5", NULL, on_done, &r);
	while (server_count("fw") == 0 || h->timers == NULL)
		http_poll(h, NULL, 0, 100);
	assert_false(r.done);
	assert_int_equal(http_pending(h), 1);
	http_free(h);
	assert_true(r.done);
	assert_int_equal(r.err.kind, AMBT_E_CANCELLED);
	result_free(&r);
}

static void
test_extra_fd(void **state)
{
	struct http_options o = options(plain.url);
	struct http *h = new_http(&o);
	struct result r = {0};
	struct pollfd pfd;
	int fds[2];
	char c;

	(void)state;
	assert_int_equal(pipe(fds), 0);
	http_get(h, "/slow?delay=5&key=fd1", NULL, on_done, &r);
	assert_int_equal(write(fds[1], "x", 1), 1);
	pfd.fd = fds[0];
	pfd.events = POLLIN;
	assert_int_equal(http_poll(h, &pfd, 1, -1), 1);
	assert_true(pfd.revents & POLLIN);
	assert_false(r.done);

	/* A hang-up is reported too (curl alone would drop it). */
	close(fds[1]);
	assert_int_equal(read(fds[0], &c, 1), 1);
	pfd.events = POLLIN;
	assert_int_equal(http_poll(h, &pfd, 1, -1), 1);
	assert_true(pfd.revents & POLLHUP);
	assert_int_equal(http_pending(h), 1);

	/* With no request at all, the fd still wakes the poll. */
	http_free(h);
	assert_int_equal(r.err.kind, AMBT_E_CANCELLED);
	h = new_http(&o);
	assert_int_equal(http_poll(h, &pfd, 1, 1000), 1);
	assert_true(pfd.revents & POLLHUP);
	close(fds[0]);
	result_free(&r);
	http_free(h);
}

static void
test_etag(void **state)
{
	struct result r = {0};

	(void)state;
	get("/etag?tag=t1", NULL, &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.etag, "\"t1\"");
	result_free(&r);

	get("/etag?tag=t1", "\"t1\"", &r);
	assert_int_equal(r.status, 304);
	assert_int_equal(r.len, 0);
	result_free(&r);

	get("/etag?tag=t2", "\"t1\"", &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.etag, "\"t2\"");
	result_free(&r);
}

static void
test_cookies(void **state)
{
	struct http_options o = options(plain.url);
	struct result r = {0};
	char *jar = tmp_path("cookies.txt"), text[4096];
	struct http *h;
	json_t *echo;
	struct stat st;
	FILE *f;
	size_t n;

	(void)state;
	o.cookie_file = jar;
	h = new_http(&o);
	http_get(h, "/cookie?_forum_session=s3cr3t", NULL, on_done, &r);
	http_run(h);
	result_free(&r);
	http_get(h, "/echo", NULL, on_done, &r); /* sent back */
	http_run(h);
	echo = body_json(&r);
	assert_string_equal(echoed_header(echo, "cookie"),
	                    "_forum_session=s3cr3t");
	json_decref(echo);
	result_free(&r);
	http_free(h);

	f = fopen(jar, "r"); /* and kept for the next run */
	assert_non_null(f);
	n = fread(text, 1, sizeof text - 1, f);
	text[n] = '\0';
	fclose(f);
	assert_non_null(strstr(text, "s3cr3t"));
	assert_int_equal(stat(jar, &st), 0); /* a credential: ours alone */
	assert_int_equal(st.st_mode & 077, 0);
	free(jar);
}

/* ---- TLS ---- */

static void
test_tls(void **state)
{
	struct http_options o = options(tls.url);
	char *ca = tmp_path("cert.pem");
	struct result r = {0};

	(void)state;
	get_with(&o, "/echo", &r); /* not trusted without ca_file */
	assert_int_equal(r.err.kind, AMBT_E_NET);
	assert_string_equal(r.err.msg,
	                    "TLS certificate of 127.0.0.1 not "
	                    "trusted (set ca_file for a private CA)");
	assert_int_equal(r.attempts, 1);
	result_free(&r);

	o.ca_file = ca;
	get_with(&o, "/echo", &r);
	assert_int_equal(r.err.kind, AMBT_OK);
	assert_int_equal(r.status, 200);
	result_free(&r);
	free(ca);
}

/* https:// to a server that speaks plain HTTP: OpenSSL's words, trimmed
 * to one line a CLI can print as it is. */
static void
test_tls_to_plain_server(void **state)
{
	char *url = xasprintf("https://%s", plain.url + strlen("http://"));
	struct http_options o = options(url);
	struct result r = {0};
	size_t n;

	(void)state;
	get_with(&o, "/echo", &r);
	assert_int_equal(r.err.kind, AMBT_E_NET);
	assert_non_null(
	    strstr(r.err.msg, "TLS handshake with 127.0.0.1 failed"));
	n = strlen(r.err.msg);
	assert_true(n > 0 && r.err.msg[n - 1] != ' ');
	assert_null(strchr(r.err.msg, '\n'));
	result_free(&r);
	free(url);
}

/* Zeros and -1 mean the policy of http.h: 10 s to connect, 30 s of
 * silence, 3 retries from a 500 ms base; more retries are capped. */
static void
test_default_policy(void **state)
{
	struct http_options o;
	struct http *h;

	(void)state;
	memset(&o, 0, sizeof o);
	o.base_url = plain.url;
	o.max_retries = -1;
	h = new_http(&o);
	assert_int_equal(h->opts.connect_timeout_ms, 10000);
	assert_int_equal(h->opts.stall_timeout_s, 30);
	assert_int_equal(h->opts.retry_base_ms, 500);
	assert_int_equal(h->opts.max_retries, 3);
	http_free(h);
	o.max_retries = 10;
	h = new_http(&o);
	assert_int_equal(h->opts.max_retries, HTTP_MAX_RETRIES);
	http_free(h);
}

static void
test_bad_options(void **state)
{
	struct http_options o = options(NULL);
	struct ambt_error err;

	(void)state;
	assert_null(http_new(&o, &err));
	assert_int_equal(err.kind, AMBT_E_USAGE);
	assert_null(http_new(NULL, NULL));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_get_json),
	    cmocka_unit_test(test_many_in_flight),
	    cmocka_unit_test(test_headers),
	    cmocka_unit_test(test_user_api_key),
	    cmocka_unit_test(test_send_bodies),
	    cmocka_unit_test(test_500_not_retried),
	    cmocka_unit_test(test_flaky_get_retried),
	    cmocka_unit_test(test_flaky_gives_up),
	    cmocka_unit_test(test_flaky_post_not_retried),
	    cmocka_unit_test(test_retries_disabled),
	    cmocka_unit_test(test_429_waits),
	    cmocka_unit_test(test_429_too_long_reported),
	    cmocka_unit_test(test_retry_after_parse),
	    cmocka_unit_test(test_stall_timeout),
	    cmocka_unit_test(test_cut),
	    cmocka_unit_test(test_too_big),
	    cmocka_unit_test(test_refused),
	    cmocka_unit_test(test_connect_timeout),
	    cmocka_unit_test(test_dns_failure),
	    cmocka_unit_test(test_proxy_from_environment),
	    cmocka_unit_test(test_redirects),
	    cmocka_unit_test(test_redirect_keeps_the_key_home),
	    cmocka_unit_test(test_cancel),
	    cmocka_unit_test(test_free_cancels_waiting_retry),
	    cmocka_unit_test(test_extra_fd),
	    cmocka_unit_test(test_etag),
	    cmocka_unit_test(test_cookies),
	    cmocka_unit_test(test_tls),
	    cmocka_unit_test(test_tls_to_plain_server),
	    cmocka_unit_test(test_default_policy),
	    cmocka_unit_test(test_bad_options),
	};

	signal(SIGPIPE, SIG_IGN);
	/* A proxy from the environment must not see loopback requests. */
	setenv("no_proxy", "127.0.0.1", 1);
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
