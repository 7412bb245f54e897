/*
 * server.c: GNU libmicrohttpd in front of the route table.
 *
 * A small thread pool accepts and reads requests; GET handlers run in
 * parallel under db_lock_shared, the others one at a time under db_lock,
 * and responses are serialized after the lock is let go. The raw URI
 * comes from MHD's URI log callback, so the path and query are decoded
 * here, once, by our own rules (no NUL, valid UTF-8, no "." or ".."
 * segments).
 */
#include "config.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "ambt/util.h"
#include "ambtd/ambtd.h"
#include "ambtd/message_bus.h"

#define SERVER_THREADS 4

struct server {
	struct MHD_Daemon *daemon;
	unsigned port;
};

/* One request's state, from its URI to its completion. */
struct conn_state {
	char *uri; /* raw, as the client sent it */
	char *body;
	size_t body_len, body_cap;
	bool too_big;
	bool headers_seen; /* the access handler's first call is done */
	char client_ip[INET6_ADDRSTRLEN];
	struct timespec started;
	struct mb_http *poll; /* a MessageBus poll held or streamed */
};

static void *
on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
	struct conn_state *cs = calloc(1, sizeof *cs);

	(void)cls;
	(void)conn;
	if (cs) {
		cs->uri = strdup(uri);
		clock_gettime(CLOCK_MONOTONIC, &cs->started);
	}
	return cs;
}

static void
on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
             enum MHD_RequestTerminationCode code)
{
	struct conn_state *cs = *con_cls;

	(void)cls;
	(void)conn;
	(void)code;
	if (cs) {
		mb_http_free(cs->poll);
		free(cs->uri);
		free(cs->body);
		free(cs);
		*con_cls = NULL;
	}
}

/* Append a piece of the body, or note that the body is over the cap. */
static void
take_body(struct conn_state *cs, const char *data, size_t n)
{
	if (cs->too_big || n > AMBTD_MAX_BODY - cs->body_len) {
		cs->too_big = true;
		return;
	}
	if (cs->body_len + n + 1 > cs->body_cap) {
		size_t cap = cs->body_cap ? cs->body_cap : 4096;
		char *body;

		while (cap < cs->body_len + n + 1)
			cap *= 2;
		body = realloc(cs->body, cap);
		if (!body) {
			cs->too_big = true;
			return;
		}
		cs->body = body;
		cs->body_cap = cap;
	}
	memcpy(cs->body + cs->body_len, data, n);
	cs->body_len += n;
	cs->body[cs->body_len] = '\0';
}

static bool
declared_too_big(struct MHD_Connection *conn)
{
	const char *len = MHD_lookup_connection_value(
	    conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
	int64_t n;

	return len && parse_int64(len, &n) == 0 && n > AMBTD_MAX_BODY;
}

/* The decoded path, or NULL (and a 4xx in out) when it cannot be one. */
static char *
decode_path(const char *raw, size_t n, struct resp *out)
{
	char *path = percent_decode(raw, n, false);

	if (!path || path[0] != '/') {
		free(path);
		resp_error(out, 400, "invalid_parameters",
		           "The request path is not valid.");
		return NULL;
	}
	/* "." and ".." segments, also from %2e%2e: nothing lives there */
	for (const char *s = path; (s = strchr(s, '/')); s++) {
		size_t seg = strcspn(s + 1, "/");

		if ((seg == 1 && s[1] == '.') ||
		    (seg == 2 && s[1] == '.' && s[2] == '.')) {
			free(path);
			resp_not_found(out);
			return NULL;
		}
	}
	return path;
}

static void
fill_client_ip(struct conn_state *cs, struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *info =
	    MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = info ? info->client_addr : NULL;

	if (sa && sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr,
		          cs->client_ip, sizeof cs->client_ip);
	else if (sa && sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6,
		          &((const struct sockaddr_in6 *)sa)->sin6_addr,
		          cs->client_ip, sizeof cs->client_ip);
}

static void
fill_headers(struct req *r, struct MHD_Connection *conn, struct conn_state *cs)
{
	r->content_type = MHD_lookup_connection_value(
	    conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
	r->header_api_key =
	    MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Api-Key");
	r->header_api_username =
	    MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Api-Username");
	r->header_user_api_key =
	    MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "User-Api-Key");
	r->header_user_api_client_id = MHD_lookup_connection_value(
	    conn, MHD_HEADER_KIND, "User-Api-Client-Id");
	r->header_csrf_token =
	    MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-CSRF-Token");
	r->cookie = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
	                                        MHD_HTTP_HEADER_COOKIE);
	fill_client_ip(cs, conn);
	r->client_ip = cs->client_ip;
}

/* ---- multipart/form-data, through MHD's post processor ---- */

struct multipart {
	struct req *r;
	bool bad;
};

/* One piece of a field: off 0 starts a parameter, later pieces extend it.
 * File parts are not parameters (Discourse takes uploads elsewhere). */
static enum MHD_Result
on_field(void *cls, enum MHD_ValueKind kind, const char *key,
         const char *filename, const char *content_type,
         const char *transfer_encoding, const char *data, uint64_t off,
         size_t size)
{
	struct multipart *mp = cls;
	struct req *r = mp->r;
	struct param *last;
	char *value;
	size_t len;

	(void)kind;
	(void)content_type;
	(void)transfer_encoding;
	if (filename)
		return MHD_YES;
	if (memchr(data, '\0', size) || (off > 0 && r->n_params == 0)) {
		mp->bad = true;
		return MHD_NO;
	}
	if (off == 0) {
		if (req_add_param(r, strdup(key), strndup(data, size)) < 0)
			mp->bad = true;
		return mp->bad ? MHD_NO : MHD_YES;
	}
	last = &r->params[r->n_params - 1];
	len = strlen(last->value);
	value = realloc(last->value, len + size + 1);
	if (!value) {
		mp->bad = true;
		return MHD_NO;
	}
	memcpy(value + len, data, size);
	value[len + size] = '\0';
	last->value = value;
	return MHD_YES;
}

/* The fields of a multipart body as params, checked as the others are:
 * no NUL, valid UTF-8. 0, or -1 for a 400. */
static int
parse_multipart(struct req *r, struct MHD_Connection *conn)
{
	struct multipart mp = {r, false};
	size_t first = r->n_params;
	struct MHD_PostProcessor *pp =
	    MHD_create_post_processor(conn, 16 * 1024, on_field, &mp);

	if (!pp)
		return -1; /* no boundary, say */
	if (MHD_post_process(pp, r->body, r->body_len) != MHD_YES)
		mp.bad = true;
	if (MHD_destroy_post_processor(pp) != MHD_YES)
		mp.bad = true;
	for (size_t i = first; i < r->n_params && !mp.bad; i++)
		mp.bad =
		    !utf8_valid(r->params[i].name, strlen(r->params[i].name)) ||
		    !utf8_valid(r->params[i].value, strlen(r->params[i].value));
	return mp.bad ? -1 : 0;
}

static bool
is_multipart(const char *content_type)
{
	return content_type &&
	       strncasecmp(content_type, "multipart/form-data", 19) == 0;
}

/* GET and HEAD read (a view counter aside, a single statement SQLite
 * serializes itself), so they share the database. */
static bool
read_only(const char *method)
{
	return strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
}

/*
 * A MessageBus poll whose key is refused goes on as anonymous, as on
 * Discourse, whose message_bus user lookup rescues the error: a revoked
 * key or one over its User API limits (20 a minute, 2,880 a day) gets
 * no 403 or 429 from a poll but only the public channels. Each poll
 * counts as one request against those limits, as there, since it
 * passes the same key check (auth_user_api_key) first.
 */
static bool
poll_as_anonymous(struct req *r, struct resp *out)
{
	if (!mb_is_poll(r))
		return false;
	resp_clear(out);
	memset(&r->user, 0, sizeof r->user);
	return true;
}

/* Parse, authenticate, route: the whole life of a request but I/O. */
static void
handle(struct req *r, struct conn_state *cs, struct MHD_Connection *conn,
       struct resp *out)
{
	const char *raw = cs->uri ? cs->uri : "";
	size_t path_len = strcspn(raw, "?#");
	char *query = NULL, *err = NULL;

	r->path = decode_path(raw, path_len, out);
	if (!r->path)
		return;
	if (raw[path_len] == '?')
		query = strndup(raw + path_len + 1,
		                strcspn(raw + path_len + 1, "#"));
	r->body = cs->body ? cs->body : strdup("");
	r->body_len = cs->body_len;
	cs->body = NULL;
	if (req_parse_params(r, query, &err) < 0 ||
	    (is_multipart(r->content_type) && r->body_len > 0 &&
	     parse_multipart(r, conn) < 0)) {
		resp_error(out, 400, "invalid_parameters",
		           "You supplied invalid parameters to the request: %s",
		           err ? err
		               : "an unreadable multipart/form-data body");
		free(err);
		free(query);
		return;
	}
	free(query);
	if (read_only(r->method))
		db_lock_shared(ambtd->db);
	else
		db_lock(ambtd->db);
	if (auth_identify(r, out) == 0 || poll_as_anonymous(r, out))
		route_dispatch(r, out);
	db_unlock(ambtd->db);
	/* after the handler's commit; a failed request published nothing */
	if (out->status >= 200 && out->status < 400)
		mb_flush_queue();
	else
		mb_discard_queue();
}

static void
log_request(const char *method, const struct conn_state *cs, unsigned status)
{
	struct timespec now;
	char line[256];
	double ms;
	int n;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (double)(now.tv_sec - cs->started.tv_sec) * 1e3 +
	     (double)(now.tv_nsec - cs->started.tv_nsec) / 1e6;
	n = snprintf(line, sizeof line, "%s %.160s %u %.1fms\n", method,
	             cs->uri ? cs->uri : "-", status, ms);
	if (n > 0 &&
	    write(STDERR_FILENO, line,
	          (size_t)n < sizeof line ? (size_t)n : sizeof line - 1) < 0)
		return; /* nowhere to log to: serve anyway */
}

/* username: who the request acted as (X-Discourse-Username), or NULL. */
static enum MHD_Result
send_resp(struct MHD_Connection *conn, struct resp *out, const char *username)
{
	struct MHD_Response *mr = MHD_create_response_from_buffer(
	    out->body_len, out->body, MHD_RESPMEM_MUST_FREE);
	enum MHD_Result ret;
	char retry[24];

	if (!mr)
		return MHD_NO;
	out->body = NULL; /* MHD frees it */
	if (out->content_type)
		MHD_add_response_header(mr, MHD_HTTP_HEADER_CONTENT_TYPE,
		                        out->content_type);
	if (out->retry_after > 0) {
		snprintf(retry, sizeof retry, "%d", out->retry_after);
		MHD_add_response_header(mr, MHD_HTTP_HEADER_RETRY_AFTER, retry);
	}
	if (out->location)
		MHD_add_response_header(mr, MHD_HTTP_HEADER_LOCATION,
		                        out->location);
	if (out->set_cookie[0])
		MHD_add_response_header(mr, MHD_HTTP_HEADER_SET_COOKIE,
		                        out->set_cookie);
	if (username)
		MHD_add_response_header(mr, "X-Discourse-Username", username);
	ret = MHD_queue_response(conn, out->status ? out->status : 500, mr);
	MHD_destroy_response(mr);
	return ret;
}

static enum MHD_Result
too_large(struct MHD_Connection *conn, const char *method,
          struct conn_state *cs)
{
	struct resp out = {0};
	enum MHD_Result ret;

	resp_error(&out, 413, "invalid_parameters",
	           "The request body is too large (over %d bytes).",
	           AMBTD_MAX_BODY);
	resp_finish(&out);
	log_request(method, cs, out.status);
	ret = send_resp(conn, &out, NULL);
	resp_clear(&out);
	return ret;
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *conn, const char *url,
           const char *method, const char *version, const char *upload_data,
           size_t *upload_data_size, void **con_cls)
{
	struct conn_state *cs = *con_cls;
	struct req r = {0};
	struct resp out = {0};
	enum MHD_Result ret;

	(void)cls;
	(void)url;
	if (!cs)
		return MHD_NO; /* out of memory in on_uri */
	if (cs->poll)          /* resumed: the poll has its answer */
		return (enum MHD_Result)mb_http_resume(conn, cs->poll);
	if (!cs->headers_seen) { /* the body, if any, comes next */
		cs->headers_seen = true;
		if (declared_too_big(conn)) {
			cs->too_big = true; /* and MHD closes after the 413 */
			return too_large(conn, method, cs);
		}
		return MHD_YES;
	}
	if (*upload_data_size > 0) {
		take_body(cs, upload_data, *upload_data_size);
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (cs->too_big)
		return too_large(conn, method, cs);
	r.method = method;
	r.srv = ambtd;
	fill_headers(&r, conn, cs);
	handle(&r, cs, conn, &out);
	if (out.poll) {
		log_request(method, cs, out.status);
		ret = (enum MHD_Result)mb_http_start(conn, version, out.poll,
		                                     &cs->poll);
		out.poll = NULL;
		req_clear(&r);
		resp_clear(&out);
		return ret;
	}
	resp_finish(&out); /* outside the lock: threads dump in parallel */
	log_request(method, cs, out.status);
	ret = send_resp(conn, &out, r.user.id != 0 ? r.user.username : NULL);
	req_clear(&r);
	resp_clear(&out);
	return ret;
}

static int
parse_addr(const char *addr, unsigned port, struct sockaddr_in *sa)
{
	memset(sa, 0, sizeof *sa);
	sa->sin_family = AF_INET;
	sa->sin_port = htons((uint16_t)port);
	return inet_pton(AF_INET, addr, &sa->sin_addr) == 1 ? 0 : -1;
}

/* How long a poll is held: AMBTD_LONG_POLL_MS (for tests) or 25 s. */
static unsigned
long_poll_ms(void)
{
	const char *env = getenv("AMBTD_LONG_POLL_MS");
	int64_t ms;

	if (env && parse_int64(env, &ms) == 0 && ms > 0 && ms <= MB_HOLD_MS)
		return (unsigned)ms;
	return MB_HOLD_MS;
}

struct server *
server_start(const char *addr, unsigned port, char **errmsg)
{
	struct server *s = calloc(1, sizeof *s);
	struct sockaddr_in sa;
	const union MHD_DaemonInfo *info;

	*errmsg = NULL;
	if (!s || parse_addr(addr, port, &sa) < 0) {
		free(s);
		*errmsg = strdup("the listen address must be IPv4 ADDR:PORT");
		return NULL;
	}
	s->daemon = MHD_start_daemon(
	    MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
	        MHD_USE_ERROR_LOG | MHD_ALLOW_SUSPEND_RESUME,
	    0, NULL, NULL, on_request, NULL, MHD_OPTION_SOCK_ADDR,
	    (struct sockaddr *)&sa, MHD_OPTION_THREAD_POOL_SIZE,
	    (unsigned)SERVER_THREADS, MHD_OPTION_URI_LOG_CALLBACK, on_uri, NULL,
	    MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(64 * 1024),
	    MHD_OPTION_END);
	if (!s->daemon) {
		free(s);
		*errmsg = strdup("cannot listen there (in use?)");
		return NULL;
	}
	if (mb_start(long_poll_ms()) < 0) {
		MHD_stop_daemon(s->daemon);
		free(s);
		*errmsg = strdup("cannot start the message bus");
		return NULL;
	}
	info = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
	s->port = info ? info->port : port;
	return s;
}

unsigned
server_port(const struct server *s)
{
	return s->port;
}

void
server_stop(struct server *s)
{
	if (!s)
		return;
	mb_stop(); /* held polls answer, so none is suspended */
	MHD_stop_daemon(s->daemon);
	mb_free();
	free(s);
}
