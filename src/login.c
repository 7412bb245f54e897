/*
 * login.c: session login and logout, and revoking a User API key
 * (include/ambt/login.h). Each exchange runs on a handle of its own, so
 * the cookie jar is written to disk when the handle is freed and the
 * next handle (which carries the CSRF token) reads it back.
 */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curl/curl.h>
#include <jansson.h>

#include "ambt/i18n.h"
#include "ambt/login.h"
#include "ambt/util.h"

/* One finished request, copied out of the callback. */
struct exchange {
	long status;
	char *body;
	struct ambt_error err;
};

static void
on_done(const struct http_response *res, void *arg)
{
	struct exchange *x = arg;

	x->status = res->status;
	x->body = xstrndup(res->body ? res->body : "", res->len);
	x->err = res->err;
}

/* Options for one exchange: base's connection settings, no other auth. */
static struct http_options
options_for(const struct http_options *base, const char *cookie_file,
            const char *csrf)
{
	struct http_options o;

	memset(&o, 0, sizeof o);
	o.base_url = base->base_url;
	o.ca_file = base->ca_file;
	o.connect_timeout_ms = base->connect_timeout_ms;
	o.stall_timeout_s = base->stall_timeout_s;
	o.retry_base_ms = base->retry_base_ms;
	o.max_retries = base->max_retries;
	o.cookie_file = cookie_file;
	o.csrf_token = csrf;
	return o;
}

/*
 * Run one request (GET when method is NULL) to the end. -1 with err when
 * it could not be made or the server answered other than 2xx; the body
 * is kept in x either way.
 */
static int
run_typed(const struct http_options *o, const char *method, const char *path,
          const char *type, const char *body, struct exchange *x,
          struct ambt_error *err)
{
	struct http *h = http_new(o, err);
	struct http_req *req;

	memset(x, 0, sizeof *x);
	if (h == NULL)
		return -1;
	if (method == NULL)
		req = http_get(h, path, NULL, on_done, x);
	else
		req = http_send(h, method, path, type, body,
		                body ? strlen(body) : 0, on_done, x);
	if (req != NULL)
		http_run(h);
	http_free(h); /* writes the cookie jar */
	if (req == NULL)
		return ambt_error_set(err, AMBT_E_USAGE,
		                      _("cannot start a request to %s"), path);
	if (x->err.kind != AMBT_OK) {
		if (err != NULL)
			*err = x->err;
		return -1;
	}
	if (x->status < 200 || x->status > 299) {
		ambt_error_set(err, AMBT_E_HTTP,
		               _("%s: the server answered %ld"), path,
		               x->status);
		if (err != NULL)
			err->http_status = x->status;
		return -1;
	}
	return 0;
}

/* run_typed with a form body (or none). */
static int
run(const struct http_options *o, const char *method, const char *path,
    const char *form, struct exchange *x, struct ambt_error *err)
{
	return run_typed(o, method, path,
	                 form ? "application/x-www-form-urlencoded" : NULL,
	                 form, x, err);
}

static void
exchange_free(struct exchange *x)
{
	free(x->body);
	x->body = NULL;
}

/* A string member of a JSON object, or NULL. */
static const char *
member(json_t *obj, const char *name)
{
	return json_string_value(json_object_get(obj, name));
}

char *
login_cookie_path(const char *server)
{
	CURLU *u = curl_url();
	char *host = NULL, *port = NULL, *dir, *path = NULL;

	if (u != NULL && server != NULL &&
	    curl_url_set(u, CURLUPART_URL, server, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK) {
		curl_url_get(u, CURLUPART_PORT, &port, 0);
		dir = xdg_state_dir();
		/* A host never holds '/'; an IPv6 one holds ':'. */
		for (char *p = host; *p != '\0'; p++)
			if (*p == ':' || *p == '[' || *p == ']')
				*p = '_';
		path = xasprintf("%s/cookies-%s%s%s.txt", dir, host,
		                 port ? "_" : "", port ? port : "");
		free(dir);
	}
	curl_free(host);
	curl_free(port);
	curl_url_cleanup(u);
	return path;
}

/* GET /session/csrf.json with the jar: the token the session expects. */
char *
login_session_csrf(const struct http_options *base, const char *cookie_file,
                   struct ambt_error *err)
{
	struct http_options o = options_for(base, cookie_file, NULL);
	struct exchange x;
	json_t *root;
	char *csrf = NULL;

	if (run(&o, NULL, "/session/csrf.json", NULL, &x, err) < 0) {
		exchange_free(&x);
		return NULL;
	}
	root = json_loads(x.body, 0, NULL);
	csrf = xstrdup(member(root, "csrf"));
	if (csrf == NULL)
		ambt_error_set(err, AMBT_E_DECODE,
		               _("/session/csrf.json: no \"csrf\" token in the "
		                 "answer"));
	json_decref(root);
	exchange_free(&x);
	return csrf;
}

static char *
login_form(const char *login, const char *password, const char *code)
{
	char *l = url_escape(login), *p = url_escape(password), *form;

	if (code != NULL) {
		char *c = url_escape(code);

		/* Method 1 is TOTP, as in Discourse's web client. */
		form = xasprintf("login=%s&password=%s&second_factor_token=%s"
		                 "&second_factor_method=1",
		                 l, p, c);
		free(c);
	} else {
		form = xasprintf("login=%s&password=%s", l, p);
	}
	/* The form held the password: wipe it before it is freed. */
	memset(p, 0, strlen(p));
	free(l);
	free(p);
	return form;
}

/* Judge the answer to POST /session.json. */
static enum login_status
judge_login(json_t *root, const char *code, char **username,
            struct ambt_error *err)
{
	const char *error = member(root, "error");
	const char *reason = member(root, "reason");
	const char *name;

	if (error != NULL) {
		if (reason != NULL &&
		    strcmp(reason, "invalid_second_factor") == 0 &&
		    code == NULL)
			return LOGIN_NEED_SECOND_FACTOR;
		ambt_error_set(err, AMBT_E_HTTP, _("login refused: %s"), error);
		return LOGIN_FAILED;
	}
	name = member(json_object_get(root, "user"), "username");
	if (name == NULL) {
		ambt_error_set(err, AMBT_E_DECODE,
		               _("/session.json: the answer names no user"));
		return LOGIN_FAILED;
	}
	*username = xstrdup(name);
	return LOGIN_OK;
}

static enum login_status
post_login(const struct http_options *base, const char *cookie_file,
           const char *csrf, const char *form, const char *code,
           char **username, struct ambt_error *err)
{
	struct http_options o = options_for(base, cookie_file, csrf);
	struct exchange x;
	enum login_status st = LOGIN_FAILED;
	json_t *root;

	if (run(&o, "POST", "/session.json", form, &x, err) == 0) {
		root = json_loads(x.body, 0, NULL);
		if (json_is_object(root))
			st = judge_login(root, code, username, err);
		else
			ambt_error_set(err, AMBT_E_DECODE,
			               _("/session.json: the answer is not a "
			                 "JSON object"));
		json_decref(root);
	}
	exchange_free(&x);
	return st;
}

static int
make_jar_dir(const char *cookie_file, struct ambt_error *err)
{
	const char *slash = strrchr(cookie_file, '/');
	char *dir;
	int rc = 0;

	if (slash != NULL && slash != cookie_file) {
		dir = xstrndup(cookie_file, (size_t)(slash - cookie_file));
		rc = mkdir_p(dir, err);
		free(dir);
	}
	return rc;
}

enum login_status
login_password(const struct http_options *base, const char *cookie_file,
               const char *login, const char *password,
               const char *second_factor, char **username,
               struct ambt_error *err)
{
	enum login_status st = LOGIN_FAILED;
	char *csrf, *form;

	*username = NULL;
	if (make_jar_dir(cookie_file, err) < 0)
		return LOGIN_FAILED;
	/* A fresh login starts from a fresh session. */
	if (second_factor == NULL)
		unlink(cookie_file);
	csrf = login_session_csrf(base, cookie_file, err);
	if (csrf != NULL) {
		form = login_form(login, password, second_factor);
		st = post_login(base, cookie_file, csrf, form, second_factor,
		                username, err);
		memset(form, 0, strlen(form));
		free(form);
		free(csrf);
	}
	if (st == LOGIN_FAILED)
		unlink(cookie_file);
	return st;
}

int
logout_session(const struct http_options *base, const char *cookie_file,
               const char *username, struct ambt_error *err)
{
	struct http_options o;
	struct exchange x;
	char *csrf = login_session_csrf(base, cookie_file, err);
	char *name, *path;
	int rc = -1;

	if (csrf != NULL) {
		o = options_for(base, cookie_file, csrf);
		name = url_escape(username);
		path = xasprintf("/session/%s.json", name);
		rc = run(&o, "DELETE", path, NULL, &x, err);
		exchange_free(&x);
		free(path);
		free(name);
		free(csrf);
	}
	if (unlink(cookie_file) < 0 && errno != ENOENT && rc == 0)
		rc = ambt_error_set(err, AMBT_E_IO, _("cannot remove %s: %s"),
		                    cookie_file, strerror(errno));
	return rc;
}

int
logout_user_api_key(const struct http_options *base, const char *key,
                    const char *client_id, struct ambt_error *err)
{
	struct http_options o = options_for(base, NULL, NULL);
	struct exchange x;
	int rc;

	o.user_api_key = key;
	o.user_api_client_id = client_id;
	rc = run(&o, "POST", "/user-api-key/revoke", NULL, &x, err);
	exchange_free(&x);
	return rc;
}

char *
login_key_username(const struct http_options *base, const char *key,
                   const char *client_id, struct ambt_error *err)
{
	struct http_options o = options_for(base, NULL, NULL);
	struct exchange x;
	json_t *root;
	char *name = NULL;

	o.user_api_key = key;
	o.user_api_client_id = client_id;
	if (run(&o, NULL, "/session/current.json", NULL, &x, err) == 0) {
		root = json_loads(x.body, 0, NULL);
		name = xstrdup(
		    member(json_object_get(root, "current_user"), "username"));
		if (name == NULL)
			ambt_error_set(err, AMBT_E_DECODE,
			               _("/session/current.json: the answer "
			                 "names no user"));
		json_decref(root);
	}
	exchange_free(&x);
	return name;
}

/* POST a JSON body (the device flow's endpoints demand JSON); the
 * answer's object, or NULL with err. */
static json_t *
post_json(const struct http_options *base, const char *path, const char *body,
          struct ambt_error *err)
{
	struct http_options o = options_for(base, NULL, NULL);
	struct exchange x;
	json_t *root = NULL;

	if (run_typed(&o, "POST", path, "application/json", body, &x, err) ==
	    0) {
		root = json_loads(x.body, 0, NULL);
		if (!json_is_object(root)) {
			json_decref(root);
			root = NULL;
			ambt_error_set(err, AMBT_E_DECODE,
			               _("%s: the answer is not a JSON object"),
			               path);
		}
	}
	exchange_free(&x);
	return root;
}

int
login_device_start(const struct http_options *base, const struct login_key *k,
                   struct login_device *d, struct ambt_error *err)
{
	char *body = login_key_device_request(k);
	json_t *root = post_json(base, "/user-api-key/device.json", body, err);

	free(body);
	memset(d, 0, sizeof *d);
	if (root == NULL)
		return -1;
	d->device_code = xstrdup(member(root, "device_code"));
	d->user_code = xstrdup(member(root, "user_code"));
	d->verification_uri = xstrdup(member(root, "verification_uri"));
	d->interval =
	    (int)json_integer_value(json_object_get(root, "interval"));
	d->expires_in =
	    (int)json_integer_value(json_object_get(root, "expires_in"));
	json_decref(root);
	if (d->interval <= 0)
		d->interval = 5;
	if (d->device_code && d->user_code && d->verification_uri)
		return 0;
	login_device_clear(d);
	return ambt_error_set(err, AMBT_E_DECODE,
	                      _("/user-api-key/device.json: no device_code, "
	                        "user_code or verification_uri in the answer"));
}

/* What a poll's status means: 0 pending, 1 authorized, -1 with err. */
static int
poll_status(const struct login_key *k, json_t *root, char **key,
            struct ambt_error *err)
{
	const char *status = member(root, "status");
	const char *payload = member(root, "payload");

	if (status == NULL)
		status = "";
	if (strcmp(status, "authorization_pending") == 0)
		return 0;
	if (strcmp(status, "authorized") == 0 && payload != NULL) {
		*key = login_key_decrypt(k, payload, err);
		return *key ? 1 : -1;
	}
	if (strcmp(status, "access_denied") == 0)
		return ambt_error_set(err, AMBT_E_HTTP,
		                      _("the login was denied"));
	if (strcmp(status, "expired_token") == 0)
		return ambt_error_set(
		    err, AMBT_E_HTTP,
		    _("the code expired: run ambt login again"));
	return ambt_error_set(err, AMBT_E_DECODE,
	                      _("/user-api-key/device/poll.json: an unknown "
	                        "status '%s'"),
	                      status);
}

int
login_device_poll(const struct http_options *base, const struct login_key *k,
                  const struct login_device *d, char **key,
                  struct ambt_error *err)
{
	json_t *req = json_pack("{s:s}", "device_code", d->device_code);
	char *body = json_dumps(req, JSON_COMPACT);
	json_t *root =
	    post_json(base, "/user-api-key/device/poll.json", body, err);
	int rc = -1;

	*key = NULL;
	if (root != NULL)
		rc = poll_status(k, root, key, err);
	free(body);
	json_decref(req);
	json_decref(root);
	return rc;
}

void
login_device_clear(struct login_device *d)
{
	free(d->device_code);
	free(d->user_code);
	free(d->verification_uri);
	memset(d, 0, sizeof *d);
}
