/*
 * http_easy.c: one curl easy handle per request, configured with the
 * policy of http.h, and the callbacks that collect its response.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "http_int.h"

/* Appends the body, refusing it once it would pass HTTP_MAX_BODY. */
static size_t
on_body(char *data, size_t size, size_t n, void *arg)
{
	struct http_req *req = arg;
	size_t len = size * n;

	if (req->body.len + len > HTTP_MAX_BODY) {
		req->too_big = true;
		return 0; /* curl aborts with CURLE_WRITE_ERROR */
	}
	buf_append(&req->body, data, len);
	return len;
}

/* A header's value without surrounding blanks, or NULL for another name. */
static char *
header_value(const char *line, size_t len, const char *name)
{
	size_t nlen = strlen(name);
	const char *v, *end = line + len;

	if (len <= nlen || line[nlen] != ':' || strncasecmp(line, name, nlen))
		return NULL;
	for (v = line + nlen + 1; v < end && isblank((unsigned char)*v); v++)
		;
	while (end > v && isspace((unsigned char)end[-1]))
		end--;
	return xstrndup(v, (size_t)(end - v));
}

/* The host of ref resolved against base (ref may be relative), or NULL. */
static char *
resolved_host(const char *base, const char *ref)
{
	CURLU *u = curl_url();
	char *host = NULL, *copy = NULL;

	if (u != NULL && curl_url_set(u, CURLUPART_URL, base, 0) == CURLUE_OK &&
	    curl_url_set(u, CURLUPART_URL, ref, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK)
		copy = xstrdup(host);
	curl_free(host);
	curl_url_cleanup(u);
	return copy;
}

/*
 * Api-Key and User-Api-Key are headers of our own, which curl sends
 * wherever a redirect leads (it holds back only Authorization and
 * Cookie). So with a key set, a redirect to another host is refused
 * rather than followed; http_retry.c says so.
 */
static bool
redirect_allowed(struct http_req *req, const char *location)
{
	const struct http_options *o = &req->http->opts;
	long status = 0;
	char *to, *from;
	bool same;

	curl_easy_getinfo(req->easy, CURLINFO_RESPONSE_CODE, &status);
	if (status < 300 || status > 399 ||
	    (o->api_key == NULL && o->user_api_key == NULL))
		return true;
	to = resolved_host(req->url, location);
	from = resolved_host(req->url, req->url);
	same = to != NULL && from != NULL && strcasecmp(to, from) == 0;
	if (!same) {
		free(req->foreign_host);
		req->foreign_host = to != NULL ? to : xstrdup(location);
		to = NULL;
	}
	free(to);
	free(from);
	return same;
}

/* Keeps ETag and Retry-After of the last response (after redirects). */
static size_t
on_header(char *line, size_t size, size_t n, void *arg)
{
	struct http_req *req = arg;
	size_t len = size * n;
	char *v;
	bool allowed;

	if (len >= 5 && strncmp(line, "HTTP/", 5) == 0) {
		/* A new response (a redirect's or a 100's): forget the last. */
		free(req->etag);
		free(req->retry_after);
		req->etag = req->retry_after = NULL;
	} else if ((v = header_value(line, len, "ETag")) != NULL) {
		free(req->etag);
		req->etag = v;
	} else if ((v = header_value(line, len, "Retry-After")) != NULL) {
		free(req->retry_after);
		req->retry_after = v;
	} else if ((v = header_value(line, len, "Location")) != NULL) {
		allowed = redirect_allowed(req, v);
		free(v);
		if (!allowed)
			return 0; /* curl aborts with CURLE_WRITE_ERROR */
	}
	return len;
}

static void
set_timeouts(CURL *easy, const struct http_options *o)
{
	curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS,
	                 o->connect_timeout_ms);
	/* A stall: less than 1 byte/s for stall_timeout_s seconds. */
	curl_easy_setopt(easy, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(easy, CURLOPT_LOW_SPEED_TIME, o->stall_timeout_s);
}

static void
set_security(CURL *easy, const struct http_options *o)
{
	curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, 2L);
	if (o->ca_file != NULL)
		curl_easy_setopt(easy, CURLOPT_CAINFO, o->ca_file);
	curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(easy, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	/* Refuse early when Content-Length says too much; on_body catches
	 * bodies with no length and decompressed ones. */
	curl_easy_setopt(easy, CURLOPT_MAXFILESIZE_LARGE,
	                 (curl_off_t)HTTP_MAX_BODY);
}

/* Auth, Accept and no "Expect: 100-continue" round trip for bodies. */
static struct curl_slist *
base_headers(const struct http_options *o)
{
	struct curl_slist *l = NULL;
	char *h;

	l = curl_slist_append(l, "Accept: application/json");
	l = curl_slist_append(l, "Expect:");
	if (o->api_key != NULL) {
		h = xasprintf("Api-Key: %s", o->api_key);
		l = curl_slist_append(l, h);
		free(h);
		h = xasprintf("Api-Username: %s",
		              o->api_username ? o->api_username : "");
		l = curl_slist_append(l, h);
		free(h);
	} else if (o->user_api_key != NULL) {
		h = xasprintf("User-Api-Key: %s", o->user_api_key);
		l = curl_slist_append(l, h);
		free(h);
		if (o->user_api_client_id != NULL) {
			h = xasprintf("User-Api-Client-Id: %s",
			              o->user_api_client_id);
			l = curl_slist_append(l, h);
			free(h);
		}
	}
	if (o->csrf_token != NULL) {
		/* What Discourse's own web client sends with a session. */
		h = xasprintf("X-CSRF-Token: %s", o->csrf_token);
		l = curl_slist_append(l, h);
		free(h);
		l = curl_slist_append(l, "X-Requested-With: XMLHttpRequest");
	}
	return l;
}

CURL *
http_easy_new(struct http *h, struct http_req *req)
{
	const struct http_options *o = &h->opts;
	CURL *easy = curl_easy_init();

	if (easy == NULL)
		return NULL;
	curl_easy_setopt(easy, CURLOPT_URL, req->url);
	curl_easy_setopt(easy, CURLOPT_PRIVATE, req);
	curl_easy_setopt(easy, CURLOPT_SHARE, h->share);
	curl_easy_setopt(easy, CURLOPT_USERAGENT, h->user_agent);
	curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, req->errbuf);
	curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(easy, CURLOPT_WRITEDATA, req);
	curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(easy, CURLOPT_HEADERDATA, req);
	curl_easy_setopt(easy, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(easy, CURLOPT_HTTP_VERSION,
	                 (long)CURL_HTTP_VERSION_2TLS);
	set_timeouts(easy, o);
	set_security(easy, o);
	if (o->cookie_file != NULL) {
		curl_easy_setopt(easy, CURLOPT_COOKIEFILE, o->cookie_file);
		curl_easy_setopt(easy, CURLOPT_COOKIEJAR, o->cookie_file);
	}
	req->headers = base_headers(o);
	curl_easy_setopt(easy, CURLOPT_HTTPHEADER, req->headers);
	return easy;
}

void
http_easy_restart(struct http_req *req)
{
	buf_reset(&req->body);
	free(req->etag);
	free(req->retry_after);
	req->etag = req->retry_after = NULL;
	req->too_big = false;
	free(req->foreign_host);
	req->foreign_host = NULL;
	req->errbuf[0] = '\0';
}

void
http_easy_header(struct http_req *req, const char *name, const char *value)
{
	char *line = xasprintf("%s: %s", name, value);

	req->headers = curl_slist_append(req->headers, line);
	free(line);
	curl_easy_setopt(req->easy, CURLOPT_HTTPHEADER, req->headers);
}
