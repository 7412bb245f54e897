/*
 * http.h: asynchronous HTTP on one curl multi handle.
 *
 * Nothing here blocks. A caller submits requests, then drives them from its
 * own loop with http_poll(), which waits on curl's sockets and any extra
 * file descriptors the caller passes (the terminal, a signal pipe) and runs
 * the completion callbacks of finished requests. The CLI simply calls
 * http_run() until nothing is pending.
 *
 * Policy lives here, once: connect timeout 10 s, stall timeout 30 s (less
 * than 1 byte/s for 30 s), at most 3 retries with exponential backoff for
 * GET only (on connection errors, timeouts, 502/503/504), a 429 waits for
 * its Retry-After (when it is at most 60 s, else it is reported), bodies
 * over 32 MiB are refused, TLS is always verified (ca_file adds a private
 * CA), proxies come from the environment, keep-alive and HTTP/2 are used
 * when the server offers them. With an API key set, a redirect to another
 * host is refused: the key never leaves the server it is for.
 */
#ifndef AMBT_HTTP_H
#define AMBT_HTTP_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>

#include "ambt/error.h"

#define HTTP_MAX_BODY (32u * 1024 * 1024)
#define HTTP_MAX_RETRIES 3

struct http;
struct http_req;

struct http_options {
	const char *base_url; /* "https://forum.example"; paths are appended */
	const char *api_key;  /* Api-Key + Api-Username, or NULL */
	const char *api_username;
	const char *user_api_key;       /* User-Api-Key, or NULL */
	const char *user_api_client_id; /* User-Api-Client-Id, or NULL */
	const char *csrf_token;  /* X-CSRF-Token of a cookie session, or NULL */
	const char *ca_file;     /* extra CA bundle, or NULL */
	const char *cookie_file; /* session cookies are kept here, or NULL */
	long connect_timeout_ms; /* 0: 10000 */
	long stall_timeout_s;    /* 0: 30 */
	long retry_base_ms;      /* 0: 500; backoff is base * 2^attempt */
	int max_retries;         /* -1: HTTP_MAX_RETRIES; 0 disables retries */
};

struct http_response {
	long status; /* 0 when no response arrived */
	char *body;  /* NUL-terminated, owned by the library */
	size_t len;
	char *content_type;    /* or NULL */
	char *etag;            /* or NULL */
	int retry_after;       /* seconds, from a 429/503, or 0 */
	int attempts;          /* 1 + retries made */
	struct ambt_error err; /* kind AMBT_OK when the exchange completed */
};

/*
 * Called once per request, from inside http_poll()/http_run(), with
 * err.kind == AMBT_OK for any HTTP status (the caller judges 4xx/5xx),
 * or an error (AMBT_E_NET, AMBT_E_TOO_BIG, AMBT_E_CANCELLED). The response
 * and the request are freed after the callback returns.
 */
typedef void (*http_done_fn)(const struct http_response *res, void *arg);

struct http *http_new(const struct http_options *opts, struct ambt_error *err);
void http_free(struct http *); /* cancels what is pending, with callbacks */

/* GET path (after base_url, or a whole http(s) URL); if_none_match, when
 * not NULL, is sent as If-None-Match. NULL when it cannot be started. */
struct http_req *http_get(struct http *, const char *path,
                          const char *if_none_match, http_done_fn done,
                          void *arg);
/* POST, PUT or DELETE with a body (may be NULL) of the given content type. */
struct http_req *http_send(struct http *, const char *method, const char *path,
                           const char *content_type, const char *body,
                           size_t len, http_done_fn done, void *arg);
/* What one request needs beyond the handle's options. */
struct http_extra {
	const char *const *headers; /* "Name: value" lines, NULL-ended */
	long stall_timeout_s;       /* 0: the handle's; a long poll holds its
	                               answer longer than a stall */
};
/* http_send with extra headers and its own stall timeout (extra may be
 * NULL: then it is http_send). */
struct http_req *http_send_extra(struct http *, const char *method,
                                 const char *path, const char *content_type,
                                 const char *body, size_t len,
                                 const struct http_extra *extra,
                                 http_done_fn done, void *arg);
/* Cancel a pending request: its callback runs with AMBT_E_CANCELLED. A
 * request that is no longer pending (its callback has run) is ignored. */
void http_cancel(struct http *, struct http_req *);
/* The options in use: the handle's own copies, csrf_token as last set. */
const struct http_options *http_options_of(const struct http *);
/* Send token as X-CSRF-Token with the requests started from now on (NULL:
 * none): a cookie session's token, learnt after the handle was made. */
void http_set_csrf_token(struct http *, const char *token);
size_t http_pending(struct http *);

/*
 * Wait up to timeout_ms (-1: until something happens) for network activity
 * or one of the extra fds, do the transfers, and run callbacks. Sets
 * extra[i].revents. Returns the number of extra fds ready, or -1 on error.
 */
int http_poll(struct http *, struct pollfd *extra, unsigned n_extra,
              int timeout_ms);
/* Run until no request is pending. */
void http_run(struct http *);

#endif
