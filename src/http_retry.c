/*
 * http_retry.c: judging a finished attempt.
 *
 * GETs are retried (at most max_retries times, with exponential backoff
 * and jitter) on connection errors, timeouts, cut transfers and
 * 502/503/504; other methods never are, since the server may have acted
 * on them. A 429 is the exception: the server refused the request without
 * acting on it, so any method waits for its Retry-After when that is at
 * most 60 s. Errors get one line a user can act on.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ambt/i18n.h"
#include "http_int.h"

#define RETRY_AFTER_CAP 60 /* seconds; a longer wait is the caller's call */
#define BACKOFF_CAP_MS 30000

/* Seconds from a Retry-After value (delta-seconds or an HTTP-date), or
 * -1 when it is neither. A date in the past is 0. */
int
http_parse_retry_after(const char *value)
{
	time_t when;
	char *end;
	long secs;

	errno = 0;
	secs = strtol(value, &end, 10);
	if (end != value && *end == '\0' && errno == 0 && secs >= 0)
		return secs > 86400 ? 86400 : (int)secs;
	when = curl_getdate(value, NULL);
	if (when == -1)
		return -1;
	when -= time(NULL);
	if (when < 0)
		return 0;
	return when > 86400 ? 86400 : (int)when;
}

/* base * 2^(attempt-1), with "equal jitter": half fixed, half random, so
 * clients that failed together do not come back together. */
static long
backoff_ms(struct http *h, int attempt)
{
	long d = h->opts.retry_base_ms;
	uint64_t x = h->rng;

	for (int i = 1; i < attempt && d < BACKOFF_CAP_MS; i++)
		d *= 2;
	if (d > BACKOFF_CAP_MS)
		d = BACKOFF_CAP_MS;
	x ^= x << 13; /* xorshift64 */
	x ^= x >> 7;
	x ^= x << 17;
	h->rng = x;
	return d / 2 + (long)(x % (uint64_t)(d / 2 + 1));
}

/* "host:port" of the URL the transfer last went to. */
static void
host_port(struct http_req *req, char *out, size_t size, bool with_port)
{
	char *url = NULL, *host = NULL, *port = NULL;
	CURLU *u = curl_url();

	curl_easy_getinfo(req->easy, CURLINFO_EFFECTIVE_URL, &url);
	snprintf(out, size, "%s", url ? url : req->url);
	if (u != NULL && url != NULL &&
	    curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) ==
	        CURLUE_OK) {
		if (with_port)
			snprintf(out, size, "%s:%s", host, port);
		else
			snprintf(out, size, "%s", host);
	}
	curl_free(host);
	curl_free(port);
	curl_url_cleanup(u);
}

/* curl's own words for the failure. OpenSSL's may end in blanks or a
 * newline; the message is one line, so they go. */
static const char *
curl_detail(struct http_req *req, CURLcode code)
{
	size_t n = strlen(req->errbuf);

	while (n > 0 && isspace((unsigned char)req->errbuf[n - 1]))
		req->errbuf[--n] = '\0';
	return n > 0 ? req->errbuf : curl_easy_strerror(code);
}

static void
describe_timeout(struct http_req *req, struct ambt_error *err)
{
	const struct http_options *o = &req->http->opts;
	curl_off_t connect_us = 0, pretransfer_us = 0;
	char where[300];

	curl_easy_getinfo(req->easy, CURLINFO_CONNECT_TIME_T, &connect_us);
	curl_easy_getinfo(req->easy, CURLINFO_PRETRANSFER_TIME_T,
	                  &pretransfer_us);
	if (connect_us > 0 || pretransfer_us > 0) {
		ambt_error_set(
		    err, AMBT_E_NET,
		    _("the server stopped sending (no data for %ld s); "
		      "try again later"),
		    o->stall_timeout_s);
		return;
	}
	host_port(req, where, sizeof where, true);
	ambt_error_set(err, AMBT_E_NET,
	               _("timed out after %g s connecting to %s"),
	               (double)o->connect_timeout_ms / 1000, where);
	err->unreachable = AMBT_UNREACH_TIMEOUT;
}

static void
describe_cut(struct http_req *req, struct ambt_error *err)
{
	curl_off_t got = 0, want = -1;

	curl_easy_getinfo(req->easy, CURLINFO_SIZE_DOWNLOAD_T, &got);
	curl_easy_getinfo(req->easy, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &want);
	if (want >= 0)
		ambt_error_set(err, AMBT_E_NET,
		               _("connection cut after %lld of %lld bytes; try "
		                 "again later"),
		               (long long)got, (long long)want);
	else
		ambt_error_set(
		    err, AMBT_E_NET,
		    _("connection cut after %lld bytes; try again later"),
		    (long long)got);
}

static void
describe_connect(struct http_req *req, CURLcode code, struct ambt_error *err)
{
	long os_errno = 0;
	char where[300];

	curl_easy_getinfo(req->easy, CURLINFO_OS_ERRNO, &os_errno);
	host_port(req, where, sizeof where, true);
	ambt_error_set(err, AMBT_E_NET, _("cannot connect to %s: %s"), where,
	               os_errno ? strerror((int)os_errno)
	                        : curl_detail(req, code));
	err->unreachable = AMBT_UNREACH_CONNECT;
}

static void
describe_tls(struct http_req *req, CURLcode code, struct ambt_error *err)
{
	const char *ca = req->http->opts.ca_file;
	char host[300];

	host_port(req, host, sizeof host, false);
	if (code == CURLE_SSL_CACERT_BADFILE)
		ambt_error_set(err, AMBT_E_NET, _("cannot use ca_file %s: %s"),
		               ca ? ca : _("(system)"), curl_detail(req, code));
	else if (strstr(req->errbuf, "subject name") != NULL)
		ambt_error_set(
		    err, AMBT_E_NET,
		    _("TLS certificate of %s is for another name (%s)"), host,
		    req->errbuf);
	else if (code == CURLE_PEER_FAILED_VERIFICATION)
		ambt_error_set(
		    err, AMBT_E_NET,
		    _("TLS certificate of %s not trusted (set ca_file "
		      "for a private CA)"),
		    host);
	else
		ambt_error_set(err, AMBT_E_NET,
		               _("TLS handshake with %s failed: %s"), host,
		               curl_detail(req, code));
}

/* Fills *err with what went wrong, in words a user can act on. */
static void
describe(struct http_req *req, CURLcode code, struct ambt_error *err)
{
	char where[300];

	host_port(req, where, sizeof where, false);
	switch (code) {
	case CURLE_COULDNT_RESOLVE_HOST:
		ambt_error_set(err, AMBT_E_NET,
		               _("cannot find the server %s (check the address "
		                 "and the network)"),
		               where);
		err->unreachable = AMBT_UNREACH_RESOLVE;
		break;
	case CURLE_COULDNT_CONNECT:
		describe_connect(req, code, err);
		break;
	case CURLE_OPERATION_TIMEDOUT:
		describe_timeout(req, err);
		break;
	case CURLE_PARTIAL_FILE:
		describe_cut(req, err);
		break;
	case CURLE_GOT_NOTHING:
		ambt_error_set(err, AMBT_E_NET,
		               _("%s closed the connection without answering; "
		                 "try again later"),
		               where);
		break;
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_SSL_CACERT_BADFILE:
		describe_tls(req, code, err);
		break;
	case CURLE_FILESIZE_EXCEEDED:
		ambt_error_set(
		    err, AMBT_E_TOO_BIG,
		    _("the response from %s is over %u MiB; refused"), where,
		    HTTP_MAX_BODY >> 20);
		break;
	case CURLE_TOO_MANY_REDIRECTS:
		ambt_error_set(err, AMBT_E_NET,
		               _("%s redirected more than %ld times"), req->url,
		               HTTP_MAX_REDIRECTS);
		break;
	case CURLE_UNSUPPORTED_PROTOCOL:
		ambt_error_set(err, AMBT_E_NET,
		               _("refused %s: only http and https are allowed"),
		               req->url);
		break;
	default:
		if (code == CURLE_WRITE_ERROR && req->foreign_host != NULL)
			ambt_error_set(
			    err, AMBT_E_NET,
			    _("%s redirected to another server (%s); "
			      "not followed, as it would get the API key"),
			    req->url, req->foreign_host);
		else if (code == CURLE_WRITE_ERROR && req->too_big)
			ambt_error_set(err, AMBT_E_TOO_BIG,
			               _("the response from %s is over %u MiB; "
			                 "refused"),
			               where, HTTP_MAX_BODY >> 20);
		else
			ambt_error_set(err, AMBT_E_NET,
			               _("request to %s failed: %s"), req->url,
			               curl_detail(req, code));
	}
}

/* Worth trying again: the next attempt may well work. */
static bool
transient(CURLcode code)
{
	switch (code) {
	case CURLE_COULDNT_CONNECT:
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_PARTIAL_FILE:
	case CURLE_GOT_NOTHING:
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
		return true;
	default:
		return false;
	}
}

/* Judges a transfer that completed with an HTTP status. */
static enum http_verdict
judge_status(struct http_req *req, const struct http_response *res,
             bool may_retry, long *delay_ms)
{
	int ra =
	    req->retry_after ? http_parse_retry_after(req->retry_after) : -1;

	if (!may_retry)
		return HTTP_DONE;
	if (res->status == 429) {
		/* Without a usable Retry-After, the caller decides. */
		if (ra < 0 || ra > RETRY_AFTER_CAP)
			return HTTP_DONE;
		*delay_ms = ra * 1000L;
		return HTTP_RETRY;
	}
	if (req->is_get &&
	    (res->status == 502 || res->status == 503 || res->status == 504)) {
		if (ra >= 0 && ra <= RETRY_AFTER_CAP)
			*delay_ms = ra * 1000L;
		else
			*delay_ms = backoff_ms(req->http, req->attempts);
		return HTTP_RETRY;
	}
	return HTTP_DONE;
}

enum http_verdict
http_judge(struct http_req *req, CURLcode code, struct http_response *res,
           long *delay_ms)
{
	bool may_retry = req->attempts <= req->http->opts.max_retries;
	long status = 0;
	int ra;

	curl_easy_getinfo(req->easy, CURLINFO_RESPONSE_CODE, &status);
	res->status = status;
	ra = req->retry_after ? http_parse_retry_after(req->retry_after) : -1;
	res->retry_after = ra > 0 ? ra : 0;
	ambt_error_clear(&res->err);
	if (code == CURLE_OK)
		return judge_status(req, res, may_retry, delay_ms);
	describe(req, code, &res->err);
	if (req->is_get && may_retry && transient(code)) {
		*delay_ms = backoff_ms(req->http, req->attempts);
		return HTTP_RETRY;
	}
	return HTTP_DONE;
}
