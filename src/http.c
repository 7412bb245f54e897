/*
 * http.c: the multi handle, submitting and cancelling requests, and the
 * poll loop that drives them.
 *
 * Every request is an easy handle on one multi handle, so connections are
 * kept alive and shared (HTTP/2 streams where the server offers them). A
 * request waiting to be retried leaves the multi handle and sits in a
 * timer list, soonest first; http_poll() never waits past its due time.
 *
 * curl_global_init() runs in the first http_new() and curl_global_cleanup()
 * in the last http_free(): a plain counter, as ambt is single-threaded and
 * nothing else in it uses libcurl.
 */
#include "config.h"

#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ambt/i18n.h"
#include "http_int.h"

static unsigned curl_users;

int64_t
http_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Copies the options, strings included, and fills in the defaults. */
static void
copy_options(struct http *h, const struct http_options *o)
{
	struct http_options *c = &h->opts;
	size_t n;

	*c = *o;
	h->base_url = xstrdup(o->base_url);
	n = strlen(h->base_url);
	while (n > 0 && h->base_url[n - 1] == '/')
		h->base_url[--n] = '\0';
	c->base_url = h->base_url;
	c->api_key = h->api_key = xstrdup(o->api_key);
	c->api_username = h->api_username = xstrdup(o->api_username);
	c->user_api_key = h->user_api_key = xstrdup(o->user_api_key);
	c->ca_file = h->ca_file = xstrdup(o->ca_file);
	c->cookie_file = h->cookie_file = xstrdup(o->cookie_file);
	c->user_api_client_id = h->user_api_client_id =
	    xstrdup(o->user_api_client_id);
	c->csrf_token = h->csrf_token = xstrdup(o->csrf_token);
	if (c->connect_timeout_ms <= 0)
		c->connect_timeout_ms = 10000;
	if (c->stall_timeout_s <= 0)
		c->stall_timeout_s = 30;
	if (c->retry_base_ms <= 0)
		c->retry_base_ms = 500;
	if (c->max_retries < 0 || c->max_retries > HTTP_MAX_RETRIES)
		c->max_retries = HTTP_MAX_RETRIES;
}

/* curl writes a missing cookie jar with the umask's mode, but keeps the
 * mode of one that exists; session cookies are credentials, so the jar is
 * made first, readable by its owner alone. */
static void
cookie_jar_create(const char *path)
{
	int fd;

	if (path == NULL)
		return;
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd >= 0)
		close(fd);
}

static int
curl_acquire(struct ambt_error *err)
{
	if (curl_users == 0 && curl_global_init(CURL_GLOBAL_DEFAULT) != 0)
		return ambt_error_set(err, AMBT_E_NET,
		                      _("cannot initialise libcurl"));
	curl_users++;
	return 0;
}

static void
curl_release(void)
{
	if (--curl_users == 0)
		curl_global_cleanup();
}

struct http *
http_new(const struct http_options *opts, struct ambt_error *err)
{
	struct http *h;

	if (opts == NULL || opts->base_url == NULL || opts->base_url[0] == 0) {
		ambt_error_set(err, AMBT_E_USAGE,
		               _("no server address is set"));
		return NULL;
	}
	if (curl_acquire(err) < 0)
		return NULL;
	h = xcalloc(1, sizeof *h);
	h->multi = curl_multi_init();
	h->share = curl_share_init();
	if (h->multi == NULL || h->share == NULL) {
		ambt_error_set(err, AMBT_E_NOMEM, _("cannot set up libcurl"));
		http_free(h);
		return NULL;
	}
	curl_share_setopt(h->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_COOKIE);
	curl_share_setopt(h->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
	curl_share_setopt(h->share, CURLSHOPT_SHARE,
	                  CURL_LOCK_DATA_SSL_SESSION);
	copy_options(h, opts);
	cookie_jar_create(h->cookie_file);
	h->user_agent = xasprintf("ambt/%s", PACKAGE_VERSION);
	h->rng = (uint64_t)http_now_ms() * 2654435761u ^ (uint64_t)getpid();
	if (h->rng == 0)
		h->rng = 1;
	return h;
}

static char *
make_url(struct http *h, const char *path)
{
	if (strncmp(path, "http://", 7) == 0 ||
	    strncmp(path, "https://", 8) == 0)
		return xstrdup(path);
	return xasprintf("%s%s%s", h->base_url, path[0] == '/' ? "" : "/",
	                 path);
}

static void
req_free(struct http_req *req)
{
	if (req->easy != NULL)
		curl_easy_cleanup(req->easy);
	curl_slist_free_all(req->headers);
	buf_free(&req->body);
	free(req->etag);
	free(req->retry_after);
	free(req->foreign_host);
	free(req->url);
	free(req);
}

static struct http_req *
req_new(struct http *h, const char *path, bool is_get, http_done_fn done,
        void *arg)
{
	struct http_req *req;

	if (h == NULL || path == NULL || done == NULL)
		return NULL;
	req = xcalloc(1, sizeof *req);
	req->http = h;
	req->is_get = is_get;
	req->done = done;
	req->arg = arg;
	req->url = make_url(h, path);
	buf_init(&req->body);
	req->easy = http_easy_new(h, req);
	if (req->easy == NULL) {
		req_free(req);
		return NULL;
	}
	return req;
}

/* Starts an attempt: adds the handle to the multi handle. */
static int
req_start(struct http_req *req)
{
	if (curl_multi_add_handle(req->http->multi, req->easy) != CURLM_OK)
		return -1;
	req->in_multi = true;
	req->attempts++;
	return 0;
}

/* Makes a new request pending and starts it, or frees it. */
static struct http_req *
req_submit(struct http_req *req)
{
	struct http *h = req->http;

	if (req_start(req) < 0) {
		req_free(req);
		return NULL;
	}
	req->next = h->reqs;
	if (h->reqs != NULL)
		h->reqs->prev = req;
	h->reqs = req;
	h->pending++;
	return req;
}

struct http_req *
http_get(struct http *h, const char *path, const char *if_none_match,
         http_done_fn done, void *arg)
{
	struct http_req *req = req_new(h, path, true, done, arg);

	if (req == NULL)
		return NULL;
	curl_easy_setopt(req->easy, CURLOPT_HTTPGET, 1L);
	curl_easy_setopt(req->easy, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(req->easy, CURLOPT_MAXREDIRS, HTTP_MAX_REDIRECTS);
	if (if_none_match != NULL)
		http_easy_header(req, "If-None-Match", if_none_match);
	return req_submit(req);
}

static bool
method_allowed(const char *method)
{
	static const char *const allowed[] = {"POST", "PUT", "DELETE", "PATCH"};

	for (size_t i = 0; i < AMBT_ARRAY_LEN(allowed); i++)
		if (strcmp(method, allowed[i]) == 0)
			return true;
	return false;
}

struct http_req *
http_send(struct http *h, const char *method, const char *path,
          const char *content_type, const char *body, size_t len,
          http_done_fn done, void *arg)
{
	return http_send_extra(h, method, path, content_type, body, len, NULL,
	                       done, arg);
}

static void
apply_extra(struct http_req *req, const struct http_extra *extra)
{
	if (extra == NULL)
		return;
	for (size_t i = 0; extra->headers && extra->headers[i]; i++)
		req->headers =
		    curl_slist_append(req->headers, extra->headers[i]);
	curl_easy_setopt(req->easy, CURLOPT_HTTPHEADER, req->headers);
	if (extra->stall_timeout_s > 0)
		curl_easy_setopt(req->easy, CURLOPT_LOW_SPEED_TIME,
		                 extra->stall_timeout_s);
}

struct http_req *
http_send_extra(struct http *h, const char *method, const char *path,
                const char *content_type, const char *body, size_t len,
                const struct http_extra *extra, http_done_fn done, void *arg)
{
	struct http_req *req;

	if (method == NULL || !method_allowed(method))
		return NULL;
	req = req_new(h, path, false, done, arg);
	if (req == NULL)
		return NULL;
	if (strcmp(method, "POST") == 0)
		curl_easy_setopt(req->easy, CURLOPT_POST, 1L);
	else
		curl_easy_setopt(req->easy, CURLOPT_CUSTOMREQUEST, method);
	/* A DELETE may go without a body; POST and PUT always say its size. */
	if (body != NULL || strcmp(method, "DELETE") != 0) {
		curl_easy_setopt(req->easy, CURLOPT_POSTFIELDSIZE_LARGE,
		                 (curl_off_t)(body ? len : 0));
		curl_easy_setopt(req->easy, CURLOPT_COPYPOSTFIELDS,
		                 body ? body : "");
	}
	if (content_type != NULL)
		http_easy_header(req, "Content-Type", content_type);
	apply_extra(req, extra);
	return req_submit(req);
}

size_t
http_pending(struct http *h)
{
	return h ? h->pending : 0;
}

static void
timer_remove(struct http *h, struct http_req *req)
{
	struct http_req **p;

	for (p = &h->timers; *p != NULL; p = &(*p)->next_timer) {
		if (*p == req) {
			*p = req->next_timer;
			req->next_timer = NULL;
			return;
		}
	}
}

/* Waits delay_ms before the next attempt. */
static void
timer_add(struct http *h, struct http_req *req, long delay_ms)
{
	struct http_req **p = &h->timers;

	req->due_ms = http_now_ms() + delay_ms;
	while (*p != NULL && (*p)->due_ms <= req->due_ms)
		p = &(*p)->next_timer;
	req->next_timer = *p;
	*p = req;
}

/* Takes the request out of every list and the multi handle. */
static void
req_detach(struct http *h, struct http_req *req)
{
	if (req->in_multi)
		curl_multi_remove_handle(h->multi, req->easy);
	req->in_multi = false;
	timer_remove(h, req);
	if (req->prev != NULL)
		req->prev->next = req->next;
	else
		h->reqs = req->next;
	if (req->next != NULL)
		req->next->prev = req->prev;
	h->pending--;
}

/* Runs the callback with *res (err and status already set) and frees. */
static void
req_finish(struct http_req *req, struct http_response *res)
{
	struct http *h = req->http;
	char *ctype = NULL;

	req_detach(h, req);
	if (res->err.kind != AMBT_OK)
		buf_reset(&req->body); /* half a body helps nobody */
	res->len = req->body.len;
	res->body = buf_steal(&req->body);
	curl_easy_getinfo(req->easy, CURLINFO_CONTENT_TYPE, &ctype);
	res->content_type = xstrdup(ctype);
	res->etag = req->etag;
	req->etag = NULL;
	res->attempts = req->attempts;
	req->finishing = true;
	req->done(res, req->arg);
	free(res->body);
	free(res->content_type);
	free(res->etag);
	req_free(req);
}

/* Finishes with an error that is not curl's (cancelled, poll failed). */
static void
req_fail(struct http_req *req, enum ambt_error_kind kind, const char *why)
{
	struct http_response res;

	memset(&res, 0, sizeof res);
	ambt_error_set(&res.err, kind, "%s: %s", req->url, why);
	req_finish(req, &res);
}

/* A write over a cookie session may become a second request (the CSRF
 * token first), so a caller may hold a request that has already ended. */
static bool
req_pending(const struct http *h, const struct http_req *req)
{
	for (const struct http_req *r = h->reqs; r != NULL; r = r->next)
		if (r == req)
			return true;
	return false;
}

void
http_cancel(struct http *h, struct http_req *req)
{
	if (h == NULL || req == NULL || !req_pending(h, req) || req->finishing)
		return;
	req_fail(req, AMBT_E_CANCELLED, _("cancelled"));
}

const struct http_options *
http_options_of(const struct http *h)
{
	return &h->opts;
}

void
http_set_csrf_token(struct http *h, const char *token)
{
	free(h->csrf_token);
	h->opts.csrf_token = h->csrf_token = xstrdup(token);
}

/* A transfer ended: report it, or wait and try again. */
static void
req_settle(struct http *h, struct http_req *req, CURLcode code)
{
	struct http_response res;
	long delay_ms = 0;

	memset(&res, 0, sizeof res);
	if (http_judge(req, code, &res, &delay_ms) == HTTP_DONE) {
		req_finish(req, &res);
		return;
	}
	curl_multi_remove_handle(h->multi, req->easy);
	req->in_multi = false;
	http_easy_restart(req);
	timer_add(h, req, delay_ms);
}

static void
collect_finished(struct http *h)
{
	struct http_req *req;
	CURLMsg *msg;
	CURLcode code;
	void *priv;
	int left;

	while ((msg = curl_multi_info_read(h->multi, &left)) != NULL) {
		if (msg->msg != CURLMSG_DONE)
			continue;
		code = msg->data.result;
		curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &priv);
		req = priv;
		req_settle(h, req, code);
	}
}

/* Starts the retries that are due. */
static void
start_due(struct http *h)
{
	int64_t now = http_now_ms();
	struct http_req *req;

	while ((req = h->timers) != NULL && req->due_ms <= now) {
		h->timers = req->next_timer;
		req->next_timer = NULL;
		if (req_start(req) < 0)
			req_fail(req, AMBT_E_NET,
			         _("cannot start the request"));
	}
}

/* The caller's timeout, shortened to the next retry. INT_MAX: none. */
static int
wait_ms(struct http *h, int timeout_ms)
{
	int64_t due;
	int wait = timeout_ms < 0 ? INT_MAX : timeout_ms;

	if (h->timers != NULL) {
		due = h->timers->due_ms - http_now_ms();
		if (due < 0)
			due = 0;
		if (due < wait)
			wait = (int)due;
	}
	return wait;
}

/* Hands the caller's fds to curl_multi_poll as curl_waitfds. */
static void
set_waitfds(struct http *h, const struct pollfd *extra, unsigned n)
{
	if (n > h->wait_cap) {
		h->wait = xreallocarray(h->wait, n, sizeof *h->wait);
		h->wait_cap = n;
	}
	for (unsigned i = 0; i < n; i++) {
		h->wait[i].fd = extra[i].fd;
		h->wait[i].events = 0;
		if (extra[i].events & POLLIN)
			h->wait[i].events |= CURL_WAIT_POLLIN;
		if (extra[i].events & POLLPRI)
			h->wait[i].events |= CURL_WAIT_POLLPRI;
		if (extra[i].events & POLLOUT)
			h->wait[i].events |= CURL_WAIT_POLLOUT;
		h->wait[i].revents = 0;
	}
}

/* curl's revents drop POLLHUP and POLLERR, so ask poll() itself, without
 * waiting: a hung-up terminal must not look like "nothing happened". */
static int
extra_ready(struct pollfd *extra, unsigned n)
{
	int ready;

	if (n == 0)
		return 0;
	ready = poll(extra, n, 0);
	if (ready < 0) {
		for (unsigned i = 0; i < n; i++)
			extra[i].revents = 0;
		return 0;
	}
	return ready;
}

int
http_poll(struct http *h, struct pollfd *extra, unsigned n_extra,
          int timeout_ms)
{
	int running, ready;

	start_due(h);
	/* Nothing could wake us: do not sleep forever. */
	if (h->pending == 0 && n_extra == 0 && timeout_ms < 0)
		return 0;
	set_waitfds(h, extra, n_extra);
	if (curl_multi_poll(h->multi, h->wait, n_extra, wait_ms(h, timeout_ms),
	                    NULL) != CURLM_OK)
		return -1;
	ready = extra_ready(extra, n_extra);
	if (curl_multi_perform(h->multi, &running) != CURLM_OK)
		return -1;
	collect_finished(h);
	start_due(h);
	return ready;
}

/* Fails every pending request (callbacks may submit new ones). */
static void
fail_all(struct http *h, enum ambt_error_kind kind, const char *why)
{
	while (h->reqs != NULL)
		req_fail(h->reqs, kind, why);
}

void
http_run(struct http *h)
{
	while (http_pending(h) > 0) {
		if (http_poll(h, NULL, 0, -1) < 0)
			fail_all(h, AMBT_E_NET,
			         _("waiting for the network failed"));
	}
}

void
http_free(struct http *h)
{
	if (h == NULL)
		return;
	fail_all(h, AMBT_E_CANCELLED, _("cancelled"));
	/* Easy handles are gone (cookies written): now the shared parts. */
	if (h->multi != NULL)
		curl_multi_cleanup(h->multi);
	if (h->share != NULL)
		curl_share_cleanup(h->share);
	free(h->base_url);
	free(h->api_key);
	free(h->api_username);
	free(h->user_api_key);
	free(h->ca_file);
	free(h->cookie_file);
	free(h->user_api_client_id);
	free(h->csrf_token);
	free(h->user_agent);
	free(h->wait);
	free(h);
	curl_release();
}
