/*
 * client_drafts.c: the server's copies of drafts (discourse/api-notes.md,
 * "Drafts"): the list, a key's sequence, and saving one with the sequence
 * the server gave, so that a save after a post is not refused as stale.
 */
#include "config.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "ambt/api.h"
#include "ambt/util.h"
#include "api/client_csrf.h"

/* {"draft_sequence": N, ...} as a newly allocated int64_t. */
static int
decode_sequence(const char *body, size_t len, void **out,
                struct ambt_error *err)
{
	json_t *root = json_loadb(body, len, 0, NULL);
	json_t *seq = json_object_get(root, "draft_sequence");
	int64_t *n;

	*out = NULL;
	if (!json_is_integer(seq)) {
		json_decref(root);
		return ambt_error_set(err, AMBT_E_DECODE,
		                      "draft_sequence: expected integer");
	}
	n = xcalloc(1, sizeof *n);
	*n = json_integer_value(seq);
	json_decref(root);
	*out = n;
	return 0;
}

static void
server_draft_clear(struct server_draft *d)
{
	free(d->key);
	free(d->data);
}

void
server_draft_list_free(struct server_draft_list *l)
{
	if (l == NULL)
		return;
	for (size_t i = 0; i < l->n; i++)
		server_draft_clear(&l->items[i]);
	free(l->items);
	free(l);
}

/* One entry of "drafts"; 0, or -1 when it lacks its key or data. */
static int
decode_entry(const json_t *o, struct server_draft *d)
{
	const char *key = json_string_value(json_object_get(o, "draft_key"));
	const char *data = json_string_value(json_object_get(o, "data"));
	const char *at = json_string_value(json_object_get(o, "updated_at"));

	if (key == NULL || data == NULL)
		return -1;
	d->key = xstrdup(key);
	d->data = xstrdup(data);
	d->sequence = json_integer_value(json_object_get(o, "sequence"));
	d->topic_id = json_integer_value(json_object_get(o, "topic_id"));
	if (at == NULL || time_parse_iso8601(at, &d->updated_at) < 0)
		d->updated_at = 0;
	return 0;
}

static int
decode_drafts(const char *body, size_t len, void **out, struct ambt_error *err)
{
	json_t *root = json_loadb(body, len, 0, NULL);
	json_t *items = json_object_get(root, "drafts");
	struct server_draft_list *l;
	size_t i;
	json_t *o;

	*out = NULL;
	if (!json_is_array(items)) {
		json_decref(root);
		return ambt_error_set(err, AMBT_E_DECODE,
		                      "drafts: expected array");
	}
	l = xcalloc(1, sizeof *l);
	l->items = xcalloc(json_array_size(items) + 1, sizeof *l->items);
	json_array_foreach(items, i, o)
	{
		if (decode_entry(o, &l->items[l->n]) == 0)
			l->n++;
	}
	json_decref(root);
	*out = l;
	return 0;
}

static const struct endpoint ep_sequence = {decode_sequence, NULL};
static const struct endpoint ep_drafts = {decode_drafts, NULL};

struct http_req *
api_save_server_draft(struct api *api, const char *key, const char *data,
                      int sequence, api_done_fn done, void *arg)
{
	struct buf form;
	char *k = url_escape(key), *d = url_escape(data);
	struct http_req *req;

	buf_init(&form);
	buf_printf(&form, "draft_key=%s&data=%s&sequence=%d", k, d, sequence);
	req = api_send_csrf(api, &ep_sequence, "POST", xstrdup("/drafts.json"),
	                    form.data, done, arg);
	buf_free(&form);
	free(k);
	free(d);
	return req;
}

struct http_req *
api_get_server_drafts(struct api *api, api_done_fn done, void *arg)
{
	return api_start(api, &ep_drafts, xstrdup("/drafts.json"), done, arg);
}

struct http_req *
api_get_server_draft_sequence(struct api *api, const char *key,
                              api_done_fn done, void *arg)
{
	return api_start(api, &ep_sequence,
	                 api_path_segment("/drafts/", key, ".json"), done, arg);
}
