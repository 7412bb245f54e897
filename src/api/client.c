/*
 * client.c: the client half of api.h.
 *
 * One request goes: build the path -> look for a cached copy (its ETag is
 * sent as If-None-Match) -> http -> judge the status -> decode -> store the
 * body in the cache -> the caller's callback. A 304 and an unreachable
 * server are both answered from the cache when it has a copy.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ambt/i18n.h"
#include "ambt/api.h"
#include "ambt/util.h"
#include "api/client_int.h"

ERASED_DECODER(topic_list, struct topic_list)
ERASED_DECODER(categories, struct category_list)
ERASED_DECODER(topic, struct topic)
ERASED_DECODER(post_list, struct post_list)
ERASED_DECODER(post, struct post)
ERASED_DECODER(user, struct user_profile)
ERASED_DECODER(user_summary, struct user_summary)
ERASED_DECODER(notifications, struct notification_list)
ERASED_DECODER(search, struct search_result)
ERASED_DECODER(site, struct site)

static const struct endpoint ep_latest = {decode_topic_list, NULL};
static const struct endpoint ep_category_topics = {
    decode_topic_list, N_("no such category, or it is private")};
static const struct endpoint ep_categories = {decode_categories, NULL};
static const struct endpoint ep_topic = {decode_topic,
                                         N_("no such topic, or it is private")};
static const struct endpoint ep_post_list = {
    decode_post_list, N_("no such topic, or it is private")};
static const struct endpoint ep_post = {decode_post,
                                        N_("no such post, or it is private")};
static const struct endpoint ep_user = {decode_user, N_("no such user")};
static const struct endpoint ep_user_summary = {
    decode_user_summary, N_("no such user, or the profile is hidden")};
static const struct endpoint ep_notifications = {decode_notifications, NULL};
static const struct endpoint ep_search = {decode_search, NULL};
static const struct endpoint ep_site = {decode_site, NULL};

/* One request in flight. */
struct call {
	struct api *api;
	const struct endpoint *ep;
	char *path;
	struct cache_entry cached;
	bool have_cached;
	bool is_write; /* never answered from or stored in the cache */
	api_done_fn done;
	void *arg;
};

struct api *
api_new(struct http *http, struct store *cache, const char *base_url)
{
	struct api *api = xcalloc(1, sizeof *api);
	size_t len = strlen(base_url);

	while (len > 0 && base_url[len - 1] == '/')
		len--;
	api->http = http;
	api->cache = cache;
	api->base_url = xstrndup(base_url, len);
	return api;
}

void
api_free(struct api *api)
{
	if (api == NULL)
		return;
	free(api->base_url);
	free(api);
}

struct http *
api_http(struct api *api)
{
	return api->http;
}

static void
call_free(struct call *call)
{
	cache_entry_clear(&call->cached);
	free(call->path);
	free(call);
}

/* Hand the reply to the caller and forget the call. */
static void
call_finish(struct call *call, struct api_reply *reply)
{
	call->done(reply, call->arg);
	call_free(call);
}

static void
call_fail(struct call *call, const struct ambt_error *err)
{
	struct api_reply reply = {0};

	reply.err = *err;
	call_finish(call, &reply);
}

static void
cache_store(struct call *call, const char *body, size_t len, const char *etag)
{
	struct ambt_error err = {0};

	/* A cache that cannot be written only costs the offline copy. */
	if (call->api->cache != NULL)
		store_cache_put(call->api->cache, call->api->base_url,
		                call->path, body, len, etag, &err);
}

/*
 * Decode body and finish; a decode error names the URL it came from.
 * fresh: the response to cache once it decodes, or NULL for a cached copy.
 */
static void
call_decode(struct call *call, const char *body, size_t len, bool offline,
            const struct http_response *fresh)
{
	struct api_reply reply = {0};
	struct ambt_error derr = {0};

	if (call->ep->decode == NULL) {
		reply.data = NULL; /* only the status matters */
	} else if (call->ep->decode(body, len, &reply.data, &derr) < 0) {
		ambt_error_set(&reply.err, AMBT_E_DECODE,
		               _("%s%s: unexpected response: %s (is %s a "
		                 "Discourse forum?)"),
		               call->api->base_url, call->path, derr.msg,
		               call->api->base_url);
		reply.data = NULL;
	} else {
		reply.offline = offline;
		if (offline)
			reply.fetched_at = call->cached.fetched_at;
		if (fresh != NULL && !call->is_write)
			cache_store(call, fresh->body, fresh->len, fresh->etag);
	}
	call_finish(call, &reply);
}

/* What to try after an HTTP error status; NULL when nothing helps. */
static const char *
status_hint(const struct call *call, long status, int retry_after, char *buf,
            size_t size)
{
	switch (status) {
	case 401:
	case 403:
		return _("log in or check the API key");
	case 404:
		return call->ep->not_found ? _(call->ep->not_found) : NULL;
	case 429:
		if (retry_after <= 0)
			return _("rate limited; try again later");
		snprintf(buf, size, _("rate limited; try again in %d s"),
		         retry_after);
		return buf;
	}
	return status >= 500 ? _("the server failed; try again later") : NULL;
}

/* Fill err for a status outside 2xx, with the server's own words. */
static void
status_error(const struct call *call, const struct http_response *res,
             struct ambt_error *err)
{
	char *said = api_decode_error_message(res->body, res->len);
	char *clean = said ? utf8_sanitize(said, strlen(said)) : NULL;
	char hintbuf[128];
	const char *hint = status_hint(call, res->status, res->retry_after,
	                               hintbuf, sizeof hintbuf);

	ambt_error_set(err, AMBT_E_HTTP, "%s%s: HTTP %ld%s%s%s%s%s",
	               call->api->base_url, call->path, res->status,
	               clean ? ": " : "", clean ? clean : "", hint ? " (" : "",
	               hint ? hint : "", hint ? ")" : "");
	err->http_status = res->status;
	err->retry_after = res->retry_after;
	free(clean);
	free(said);
}

static void
on_response(const struct http_response *res, void *arg)
{
	struct call *call = arg;
	struct ambt_error err = {0};

	if (res->err.kind != AMBT_OK) {
		if (res->err.kind == AMBT_E_NET && call->have_cached)
			call_decode(call, call->cached.body, call->cached.len,
			            true, NULL);
		else
			call_fail(call, &res->err);
		return;
	}
	if (res->status == 304 && call->have_cached) {
		/* Stored again so fetched_at says when it was last confirmed.
		 */
		cache_store(call, call->cached.body, call->cached.len,
		            call->cached.etag);
		call_decode(call, call->cached.body, call->cached.len, false,
		            NULL);
		return;
	}
	if (res->status < 200 || res->status > 299) {
		status_error(call, res, &err);
		call_fail(call, &err);
		return;
	}
	call_decode(call, res->body, res->len, false, res);
}

/* A call for path, which it takes over. */
static struct call *
call_new(struct api *api, const struct endpoint *ep, char *path,
         api_done_fn done, void *arg)
{
	struct call *call = xcalloc(1, sizeof *call);

	call->api = api;
	call->ep = ep;
	call->path = path;
	call->done = done;
	call->arg = arg;
	return call;
}

/* The request http started for call; when it could not, the call ends. */
static struct http_req *
call_started(struct call *call, struct http_req *req)
{
	struct ambt_error err = {0};

	if (req == NULL) {
		ambt_error_set(&err, AMBT_E_NET,
		               _("%s%s: cannot start the request"),
		               call->api->base_url, call->path);
		call_fail(call, &err);
	}
	return req;
}

/* Start a GET of path (which the call takes over). */
struct http_req *
api_start(struct api *api, const struct endpoint *ep, char *path,
          api_done_fn done, void *arg)
{
	struct call *call = call_new(api, ep, path, done, arg);
	const char *etag = NULL;

	if (api->cache != NULL &&
	    store_cache_get(api->cache, api->base_url, path, &call->cached,
	                    NULL) == 1) {
		call->have_cached = true;
		etag = call->cached.etag;
	}
	return call_started(call,
	                    http_get(api->http, path, etag, on_response, call));
}

/* Start a write: never cached, and http never retries it. */
struct http_req *
api_send(struct api *api, const struct endpoint *ep, const char *method,
         char *path, const char *form, api_done_fn done, void *arg)
{
	struct call *call = call_new(api, ep, path, done, arg);

	call->is_write = true;
	return call_started(
	    call, http_send(api->http, method, path,
	                    form ? "application/x-www-form-urlencoded" : NULL,
	                    form, form ? strlen(form) : 0, on_response, call));
}

void
api_query_add(struct buf *b, const char *name, const char *value)
{
	char *escaped = url_escape(value);

	buf_printf(b, "%c%s=%s", strchr(b->data, '?') ? '&' : '?', name,
	           escaped);
	free(escaped);
}

void
api_query_add_int(struct buf *b, const char *name, int64_t value)
{
	char num[24];

	snprintf(num, sizeof num, "%" PRId64, value);
	api_query_add(b, name, num);
}

char *
api_path_segment(const char *prefix, const char *segment, const char *suffix)
{
	char *escaped = url_escape(segment);
	char *path = xasprintf("%s%s%s", prefix, escaped, suffix);

	free(escaped);
	return path;
}

struct http_req *
api_get_latest(struct api *api, const struct list_query *q, api_done_fn done,
               void *arg)
{
	struct buf b;

	buf_init(&b);
	if (q == NULL || q->category_slug == NULL) {
		buf_printf(&b, "/%s.json",
		           q && q->filter ? q->filter : "latest");
	} else {
		char *slug = url_escape(q->category_slug);

		buf_printf(&b, "/c/%s", slug);
		if (q->category_id > 0)
			buf_printf(&b, "/%" PRId64, q->category_id);
		if (q->category_id > 0 && q->filter != NULL)
			buf_printf(&b, "/l/%s", q->filter);
		buf_puts(&b, ".json");
		free(slug);
	}
	if (q != NULL && q->page > 0)
		api_query_add_int(&b, "page", q->page);
	if (q != NULL && q->per_page > 0)
		api_query_add_int(&b, "per_page", q->per_page);
	return api_start(
	    api, q && q->category_slug ? &ep_category_topics : &ep_latest,
	    buf_steal(&b), done, arg);
}

struct http_req *
api_get_categories(struct api *api, api_done_fn done, void *arg)
{
	return api_start(api, &ep_categories, xstrdup("/categories.json"), done,
	                 arg);
}

struct http_req *
api_get_topic(struct api *api, int64_t topic_id, api_done_fn done, void *arg)
{
	return api_start(api, &ep_topic,
	                 xasprintf("/t/%" PRId64 ".json", topic_id), done, arg);
}

struct http_req *
api_get_posts(struct api *api, int64_t topic_id, const int64_t *post_ids,
              size_t n, api_done_fn done, void *arg)
{
	struct buf b;

	buf_init(&b);
	buf_printf(&b, "/t/%" PRId64 "/posts.json", topic_id);
	for (size_t i = 0; i < n; i++)
		api_query_add_int(&b, "post_ids[]", post_ids[i]);
	return api_start(api, &ep_post_list, buf_steal(&b), done, arg);
}

struct http_req *
api_get_post(struct api *api, int64_t post_id, api_done_fn done, void *arg)
{
	return api_start(api, &ep_post,
	                 xasprintf("/posts/%" PRId64 ".json", post_id), done,
	                 arg);
}

struct http_req *
api_get_user(struct api *api, const char *username, api_done_fn done, void *arg)
{
	return api_start(api, &ep_user,
	                 api_path_segment("/u/", username, ".json"), done, arg);
}

struct http_req *
api_get_user_summary(struct api *api, const char *username, api_done_fn done,
                     void *arg)
{
	return api_start(api, &ep_user_summary,
	                 api_path_segment("/u/", username, "/summary.json"),
	                 done, arg);
}

struct http_req *
api_get_notifications(struct api *api, api_done_fn done, void *arg)
{
	return api_start(api, &ep_notifications, xstrdup("/notifications.json"),
	                 done, arg);
}

struct http_req *
api_search(struct api *api, const char *query, int page, api_done_fn done,
           void *arg)
{
	struct buf b;

	buf_init(&b);
	buf_puts(&b, "/search.json");
	api_query_add(&b, "q", query);
	/* Discourse counts search pages from 1. */
	if (page > 1)
		api_query_add_int(&b, "page", page);
	return api_start(api, &ep_search, buf_steal(&b), done, arg);
}

struct http_req *
api_get_site(struct api *api, api_done_fn done, void *arg)
{
	return api_start(api, &ep_site, xstrdup("/site.json"), done, arg);
}

void
api_sync_done(struct api_reply *reply, void *arg)
{
	struct api_sync *sync = arg;

	sync->reply = *reply;
	sync->done = true;
}

void
api_sync_wait(struct api *api, struct api_sync *sync)
{
	while (!sync->done && http_pending(api->http) > 0)
		http_poll(api->http, NULL, 0, -1);
	if (!sync->done) {
		sync->done = true;
		ambt_error_set(&sync->reply.err, AMBT_E_CANCELLED,
		               _("the request ended without an answer"));
	}
}
