/*
 * message_bus.c: MessageBus long polling as Discourse's message_bus gem
 * serves it (see api.h). Only what the watcher needs of each message is
 * kept: its channel, its position, and the topic it is about.
 */
#include "config.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "ambt/api.h"
#include "ambt/util.h"

#define STATUS_CHANNEL "/__status"
/* A channel name longer than this is no channel of ours. */
#define MAX_CHANNEL 200
/* The hold, and time for the answer to travel, before a stall. */
#define POLL_STALL_S (API_BUS_HOLD_S + 35)

void
bus_batch_free(struct bus_batch *b)
{
	if (b == NULL)
		return;
	for (size_t i = 0; i < b->n; i++)
		free(b->items[i].channel);
	free(b->items);
	free(b);
}

static void
batch_add(struct bus_batch *b, const char *channel, int64_t id,
          int64_t topic_id, bool status)
{
	struct bus_message *m;

	b->items = xreallocarray(b->items, b->n + 1, sizeof *b->items);
	m = &b->items[b->n++];
	*m = (struct bus_message){xstrdup(channel), id, topic_id, status};
}

static bool
channel_ok(const char *channel)
{
	return channel != NULL && channel[0] == '/' &&
	       strlen(channel) <= MAX_CHANNEL;
}

/* /__status's data: {"/channel": last_id, ...}. */
static int
take_status(struct bus_batch *b, const json_t *data, size_t i,
            struct ambt_error *err)
{
	const char *channel;
	json_t *id;

	if (!json_is_object(data))
		return ambt_error_set(err, AMBT_E_DECODE,
		                      "[%zu].data: expected object", i);
	json_object_foreach((json_t *)data, channel, id)
	{
		if (!channel_ok(channel) || !json_is_integer(id))
			return ambt_error_set(
			    err, AMBT_E_DECODE,
			    "[%zu].data: expected channel: integer", i);
		batch_add(b, channel, json_integer_value(id), 0, true);
	}
	return 0;
}

static int
take_message(struct bus_batch *b, const json_t *m, size_t i,
             struct ambt_error *err)
{
	const char *channel = json_string_value(json_object_get(m, "channel"));
	const json_t *id = json_object_get(m, "message_id");
	const json_t *data = json_object_get(m, "data");
	const json_t *topic = json_object_get(data, "topic_id");

	if (!channel_ok(channel))
		return ambt_error_set(err, AMBT_E_DECODE,
		                      "[%zu].channel: expected a channel", i);
	if (strcmp(channel, STATUS_CHANNEL) == 0)
		return take_status(b, data, i, err);
	if (!json_is_integer(id))
		return ambt_error_set(err, AMBT_E_DECODE,
		                      "[%zu].message_id: expected integer", i);
	batch_add(b, channel, json_integer_value(id),
	          json_is_integer(topic) ? json_integer_value(topic) : 0,
	          false);
	return 0;
}

int
api_decode_bus(const char *body, size_t len, struct bus_batch **out,
               struct ambt_error *err)
{
	json_t *root = json_loadb(body ? body : "", len, 0, NULL);
	struct bus_batch *b = xcalloc(1, sizeof *b);
	int rc = 0;

	*out = NULL;
	if (!json_is_array(root))
		rc = ambt_error_set(err, AMBT_E_DECODE,
		                    "the message bus answered no JSON array");
	for (size_t i = 0; rc == 0 && i < json_array_size(root); i++) {
		const json_t *m = json_array_get(root, i);

		rc = json_is_object(m)
		         ? take_message(b, m, i, err)
		         : ambt_error_set(err, AMBT_E_DECODE,
		                          "[%zu]: expected object", i);
	}
	json_decref(root);
	if (rc < 0) {
		bus_batch_free(b);
		return -1;
	}
	*out = b;
	return 0;
}

struct bus_call {
	api_done_fn done;
	void *arg;
};

static void
on_poll(const struct http_response *res, void *arg)
{
	struct bus_call *call = arg;
	struct api_reply reply = {0};
	struct bus_batch *batch = NULL;

	if (res->err.kind != AMBT_OK)
		reply.err = res->err;
	else if (res->status != 200) {
		ambt_error_set(&reply.err, AMBT_E_HTTP,
		               "the message bus answered HTTP %ld",
		               res->status);
		reply.err.http_status = res->status;
	} else if (api_decode_bus(res->body, res->len, &batch, &reply.err) == 0)
		reply.data = batch;
	call->done(&reply, call->arg);
	free(call);
}

static char *
positions_form(const struct bus_position *pos, size_t n)
{
	struct buf form;

	buf_init(&form);
	for (size_t i = 0; i < n; i++) {
		char *channel = url_escape(pos[i].channel);

		buf_printf(&form, "%s%s=%" PRId64, i ? "&" : "", channel,
		           pos[i].id);
		free(channel);
	}
	buf_putc(&form, '\0');
	return buf_steal(&form);
}

struct http_req *
api_bus_poll(struct api *api, const char *client_id,
             const struct bus_position *pos, size_t n, api_done_fn done,
             void *arg)
{
	static const char *const headers[] = {"Dont-Chunk: true",
	                                      "X-SILENCE-LOGGER: true", NULL};
	const struct http_extra extra = {headers, POLL_STALL_S};
	struct bus_call *call = xcalloc(1, sizeof *call);
	char *id = url_escape(client_id);
	char *path = xasprintf("/message-bus/%s/poll", id);
	char *form = positions_form(pos, n);
	struct http_req *req;

	call->done = done;
	call->arg = arg;
	req = http_send_extra(api_http(api), "POST", path,
	                      "application/x-www-form-urlencoded", form,
	                      strlen(form), &extra, on_poll, call);
	if (req == NULL)
		free(call);
	free(id);
	free(path);
	free(form);
	return req;
}
