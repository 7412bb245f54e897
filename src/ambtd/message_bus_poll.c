/*
 * message_bus_poll.c: POST /message-bus/{client_id}/poll, as the
 * message_bus gem's middleware answers it.
 *
 * The body (form or JSON) maps channels to positions. With ?dlp=t the
 * answer is the backlog at once. Otherwise it is a long poll: with
 * Dont-Chunk (or HTTP/1.0) one JSON array, at once when there is a
 * backlog, else when a message comes or after the hold; without it, a
 * chunked text/plain stream: "[]" at once, then each batch of messages,
 * and "[]" when the hold ends, each followed by "\r\n|\r\n". JSON as
 * jansson writes it never holds a raw CR or LF, so the separator cannot
 * occur inside a batch and needs no escaping.
 *
 * A held poll holds no thread: its connection is suspended
 * (MHD_suspend_connection) and resumed by the publishing thread or by
 * the bus's timer.
 */
#include "config.h"

#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ambtd/message_bus.h"

#define SEPARATOR "\r\n|\r\n"

static void
subscriber_load(const struct user_ref *u, struct mb_subscriber *w)
{
	sqlite3_stmt *st;

	memset(w, 0, sizeof *w);
	w->user_id = u->id;
	w->staff = u->admin || u->moderator;
	if (u->id == 0)
		return;
	st = db_stmt(ambtd->db,
	             "SELECT group_id FROM group_users WHERE user_id = ?");
	if (!st)
		return;
	sqlite3_bind_int64(st, 1, u->id);
	while (w->n_groups < MB_MAX_GROUPS && sqlite3_step(st) == SQLITE_ROW)
		w->group_ids[w->n_groups++] = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
}

/* A channel's position: "" is where the channel is now (no status),
 * anything not a number 0, as Ruby's to_i reads it. */
static int64_t
position(const char *channel, const char *value)
{
	int64_t n;

	if (*value == '\0')
		return mb_last_id(channel);
	return parse_int64(value, &n) == 0 ? n : 0;
}

static int
subscribe_all(const struct req *r, struct mb_poll *p)
{
	for (size_t i = 0; i < r->n_params; i++) {
		const struct param *pa = &r->params[i];

		if (pa->name[0] != '/')
			continue; /* dlp, __seq */
		if (mb_poll_subscribe(p, pa->name,
		                      position(pa->name, pa->value)) < 0)
			return -1;
	}
	return 0;
}

static void
resp_messages(struct resp *out, char *text)
{
	out->status = 200;
	out->body = text;
	out->body_len = strlen(text);
	out->content_type = "application/json; charset=utf-8";
}

static void
poll_route(struct req *r, struct resp *out)
{
	struct mb_subscriber who;
	struct mb_poll *p;
	const char *dlp = req_param(r, "dlp");
	char *text;

	subscriber_load(&r->user, &who);
	p = mb_poll_new(&who);
	if (!p || subscribe_all(r, p) < 0) {
		mb_poll_free(p);
		resp_error(out, 400, "invalid_parameters",
		           "Too many channels in one poll.");
		return;
	}
	if (!dlp || strcmp(dlp, "t") != 0) {
		out->status = 200;
		out->poll = p;
		return;
	}
	mb_poll_backlog(p);
	text = mb_poll_take(p);
	mb_poll_free(p);
	if (!text) {
		resp_error(out, 500, "server_error", "No answer.");
		return;
	}
	resp_messages(out, text);
}

bool
mb_is_poll(const struct req *r)
{
	size_t n = strlen(r->path);

	return strcmp(r->method, "POST") == 0 &&
	       strncmp(r->path, "/message-bus/", 13) == 0 && n > 18 &&
	       strcmp(r->path + n - 5, "/poll") == 0;
}

const struct route routes_message_bus[] = {
    {"POST", "/message-bus/{client_id}/poll", poll_route, false},
    {NULL, NULL, NULL, false},
};

/* ---- Held and streamed answers ---- */

struct mb_http {
	struct mb_poll *poll;
	struct MHD_Connection *conn;
	char *buf; /* the chunk being sent */
	size_t len, off;
	bool chunked, started, finished;
};

static void
suspend(void *arg)
{
	struct mb_http *h = arg;

	MHD_suspend_connection(h->conn);
}

static void
resume(void *arg)
{
	struct mb_http *h = arg;

	MHD_resume_connection(h->conn);
}

static enum MHD_Result
queue(struct MHD_Connection *conn, struct MHD_Response *mr,
      const char *content_type)
{
	enum MHD_Result ret;

	if (!mr)
		return MHD_NO;
	MHD_add_response_header(mr, MHD_HTTP_HEADER_CONTENT_TYPE, content_type);
	MHD_add_response_header(mr, MHD_HTTP_HEADER_CACHE_CONTROL,
	                        "must-revalidate, private, max-age=0");
	ret = MHD_queue_response(conn, MHD_HTTP_OK, mr);
	MHD_destroy_response(mr);
	return ret;
}

/* The whole answer as one JSON array. */
static enum MHD_Result
answer_once(struct mb_http *h)
{
	char *text = mb_poll_take(h->poll);

	if (!text)
		return MHD_NO;
	return queue(h->conn,
	             MHD_create_response_from_buffer(strlen(text), text,
	                                             MHD_RESPMEM_MUST_FREE),
	             "application/json; charset=utf-8");
}

/* The next chunk into h->buf; false when the stream is over or has to
 * wait (suspended, resumed by the bus). */
static bool
next_chunk(struct mb_http *h)
{
	char *text;

	if (h->finished)
		return false;
	if (!h->started) {
		h->started = true;
		text = strdup("[]");
	} else if (mb_poll_pending(h->poll)) {
		text = mb_poll_take(h->poll);
	} else if (mb_poll_done(h->poll)) {
		h->finished = true;
		text = strdup("[]");
	} else if (mb_poll_wait(h->poll, suspend, resume, h)) {
		return false;
	} else {
		return next_chunk(h); /* something came, or the end */
	}
	free(h->buf);
	h->buf = NULL;
	h->off = 0;
	if (!text || asprintf(&h->buf, "%s" SEPARATOR, text) < 0) {
		h->buf = NULL;
		h->finished = true;
	}
	free(text);
	h->len = h->buf ? strlen(h->buf) : 0;
	return h->buf != NULL;
}

static ssize_t
read_stream(void *cls, uint64_t pos, char *out, size_t max)
{
	struct mb_http *h = cls;
	size_t n;

	(void)pos;
	if (h->off == h->len && !next_chunk(h))
		return h->finished && h->off == h->len
		           ? MHD_CONTENT_READER_END_OF_STREAM
		           : 0;
	n = h->len - h->off < max ? h->len - h->off : max;
	memcpy(out, h->buf + h->off, n);
	h->off += n;
	return (ssize_t)n;
}

static bool
wants_chunks(struct MHD_Connection *conn, const char *version)
{
	return !MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
	                                    "Dont-Chunk") &&
	       version && strcmp(version, MHD_HTTP_VERSION_1_1) == 0;
}

int
mb_http_start(struct MHD_Connection *conn, const char *version,
              struct mb_poll *poll, struct mb_http **state)
{
	struct mb_http *h = calloc(1, sizeof *h);

	if (!h) {
		mb_poll_free(poll);
		return MHD_NO;
	}
	h->poll = poll;
	h->conn = conn;
	*state = h;
	h->chunked = wants_chunks(conn, version);
	if (h->chunked)
		mb_poll_set_chunked(poll); /* before it hears of anything */
	mb_poll_backlog(poll);
	if (h->chunked) {
		return queue(conn,
		             MHD_create_response_from_callback(
		                 MHD_SIZE_UNKNOWN, 4096, read_stream, h, NULL),
		             "text/plain; charset=utf-8");
	}
	if (mb_poll_wait(poll, suspend, resume, h))
		return MHD_YES; /* mb_http_resume answers */
	return answer_once(h);
}

int
mb_http_resume(struct MHD_Connection *conn, struct mb_http *h)
{
	(void)conn;
	return answer_once(h);
}

void
mb_http_free(struct mb_http *h)
{
	if (!h)
		return;
	mb_poll_free(h->poll);
	free(h->buf);
	free(h);
}
