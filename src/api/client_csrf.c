/*
 * client_csrf.c: Discourse refuses a cookie-authenticated POST, PUT or
 * DELETE without the session's X-CSRF-Token (api-notes.md, "Sessions").
 * The token is fetched the first time a write needs it and kept on the
 * http handle for the writes after it.
 */
#include "config.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "ambt/http.h"
#include "ambt/i18n.h"
#include "ambt/util.h"
#include "api/client_csrf.h"

/* A write waiting for, or sent with, the token. */
struct csrf_write {
	struct api *api;
	const struct endpoint *ep;
	char *method, *path, *form;
	bool refetched; /* a BAD CSRF is answered by one new token only */
	api_done_fn done;
	void *arg;
};

static void
write_free(struct csrf_write *w)
{
	free(w->method);
	free(w->path);
	free(w->form);
	free(w);
}

static void
write_fail(struct csrf_write *w, const struct ambt_error *err)
{
	struct api_reply reply = {0};

	reply.err = *err;
	w->done(&reply, w->arg);
	write_free(w);
}

static struct http_req *fetch_token(struct csrf_write *w);

static bool
bad_csrf(const struct api_reply *reply)
{
	return reply->err.kind == AMBT_E_HTTP &&
	       reply->err.http_status == 403 &&
	       strstr(reply->err.msg, "BAD CSRF") != NULL;
}

static void
on_written(struct api_reply *reply, void *arg)
{
	struct csrf_write *w = arg;

	if (bad_csrf(reply) && !w->refetched) {
		w->refetched = true;
		fetch_token(w);
		return;
	}
	w->done(reply, w->arg);
	write_free(w);
}

static struct http_req *
send_write(struct csrf_write *w)
{
	return api_send(w->api, w->ep, w->method, xstrdup(w->path), w->form,
	                on_written, w);
}

/* {"csrf": "..."}, or NULL. */
static char *
token_of(const struct http_response *res)
{
	json_t *root = json_loadb(res->body, res->len, 0, NULL);
	const char *token = json_string_value(json_object_get(root, "csrf"));
	char *copy = token && *token ? xstrdup(token) : NULL;

	json_decref(root);
	return copy;
}

static void
on_token(const struct http_response *res, void *arg)
{
	struct csrf_write *w = arg;
	struct ambt_error err = {0};
	char *token = NULL;

	if (res->err.kind != AMBT_OK) {
		write_fail(w, &res->err);
		return;
	}
	if (res->status == 200)
		token = token_of(res);
	if (token == NULL) {
		ambt_error_set(
		    &err, AMBT_E_HTTP,
		    _("%s/session/csrf.json: HTTP %ld: no CSRF token "
		      "(log in again)"),
		    http_options_of(api_http(w->api))->base_url, res->status);
		err.http_status = res->status;
		write_fail(w, &err);
		return;
	}
	http_set_csrf_token(api_http(w->api), token);
	free(token);
	send_write(w);
}

static struct http_req *
fetch_token(struct csrf_write *w)
{
	struct http_req *req =
	    http_get(api_http(w->api), "/session/csrf.json", NULL, on_token, w);
	struct ambt_error err = {0};

	if (req == NULL) {
		ambt_error_set(
		    &err, AMBT_E_NET,
		    _("%s/session/csrf.json: cannot start the request"),
		    http_options_of(api_http(w->api))->base_url);
		write_fail(w, &err);
	}
	return req;
}

struct http_req *
api_send_csrf(struct api *api, const struct endpoint *ep, const char *method,
              char *path, const char *form, api_done_fn done, void *arg)
{
	const struct http_options *o = http_options_of(api_http(api));
	struct csrf_write *w;

	if (o->cookie_file == NULL || o->api_key != NULL ||
	    o->user_api_key != NULL)
		return api_send(api, ep, method, path, form, done, arg);
	w = xcalloc(1, sizeof *w);
	w->api = api;
	w->ep = ep;
	w->method = xstrdup(method);
	w->path = path;
	w->form = xstrdup(form);
	w->done = done;
	w->arg = arg;
	return o->csrf_token ? send_write(w) : fetch_token(w);
}
