/*
 * http_int.h: what http.c, http_easy.c and http_retry.c share.
 *
 * http.c owns the multi handle, the request lists and the poll loop;
 * http_easy.c configures one easy handle and collects its response;
 * http_retry.c judges a finished transfer: done, retry later, or an error
 * with a message a user can act on.
 */
#ifndef AMBT_HTTP_INT_H
#define AMBT_HTTP_INT_H

#include <stdbool.h>
#include <stdint.h>

#include <curl/curl.h>

#include "ambt/http.h"
#include "ambt/util.h"

#define HTTP_MAX_REDIRECTS 5L

struct http {
	CURLM *multi;
	CURLSH *share; /* cookies, DNS and TLS sessions across requests */
	struct http_options opts; /* its strings point to the copies below */
	char *base_url, *api_key, *api_username, *user_api_key, *ca_file,
	    *cookie_file, *user_api_client_id, *csrf_token;
	char *user_agent;
	struct http_req *reqs;   /* every pending request, in flight or not */
	struct http_req *timers; /* waiting to be retried, soonest first */
	size_t pending;
	uint64_t rng;             /* xorshift state for backoff jitter */
	struct curl_waitfd *wait; /* scratch for http_poll's extra fds */
	unsigned wait_cap;
};

struct http_req {
	struct http *http;
	struct http_req *prev, *next; /* in http->reqs */
	struct http_req *next_timer;  /* in http->timers while waiting */
	CURL *easy;
	struct curl_slist *headers;
	char *url;
	bool is_get;    /* only GETs are retried on network errors/5xx */
	bool in_multi;  /* added to the multi handle right now */
	bool finishing; /* its callback is running: cancel is a no-op */
	int64_t due_ms; /* when waiting: monotonic time of the next try */
	http_done_fn done;
	void *arg;
	/* The response of the current attempt. */
	struct buf body;
	char *etag;
	char *retry_after; /* the header's text; parsed in http_retry.c */
	bool too_big;
	char *foreign_host; /* a redirect to it was refused (see on_header) */
	int attempts;
	char errbuf[CURL_ERROR_SIZE];
};

/* What to do with a finished attempt. */
enum http_verdict {
	HTTP_DONE,  /* report to the caller (success, HTTP status or error) */
	HTTP_RETRY, /* try again after *delay_ms */
};

/* http_easy.c */
CURL *http_easy_new(struct http *, struct http_req *);
void http_easy_restart(struct http_req *); /* clear the last attempt */
void http_easy_header(struct http_req *, const char *name, const char *value);

/* http_retry.c */
enum http_verdict http_judge(struct http_req *, CURLcode,
                             struct http_response *res, long *delay_ms);
int http_parse_retry_after(const char *value);

/* http.c */
int64_t http_now_ms(void);

#endif
