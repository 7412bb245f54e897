/*
 * send_drafts.c: drafts by Discourse's key, kept in the state store and,
 * when logged in, mirrored to the server's /drafts.json as the web
 * composer does, with the sequence the server gave for the key (a stale
 * one is a 409); and brought back from there, so that a reply begun in the
 * browser can be finished here.
 */
#include "config.h"

#include <inttypes.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "ambt/send.h"
#include "ambt/util.h"

#define TOPIC_PREFIX "topic_"

char *
send_draft_key(int64_t topic_id)
{
	if (topic_id == 0)
		return xstrdup("new_topic");
	return xasprintf(TOPIC_PREFIX "%" PRId64, topic_id);
}

int64_t
send_draft_topic(const char *key)
{
	const char *digits;
	char *end;
	long long id;

	if (key == NULL || strncmp(key, TOPIC_PREFIX, strlen(TOPIC_PREFIX)))
		return 0;
	digits = key + strlen(TOPIC_PREFIX);
	if (*digits < '1' || *digits > '9')
		return 0;
	id = strtoll(digits, &end, 10);
	return *end == '\0' && id > 0 ? (int64_t)id : 0;
}

/* The composer's data as the web client saves it. */
static char *
server_draft_data(const struct draft *d)
{
	json_t *j =
	    json_pack("{s:s, s:s, s:s}", "reply", d->text, "action",
	              send_draft_topic(d->key) ? "reply" : "createTopic",
	              "archetypeId", "regular");
	char *text;

	if (d->title != NULL)
		json_object_set_new(j, "title", json_string(d->title));
	if (d->category_id > 0)
		json_object_set_new(j, "categoryId",
		                    json_integer(d->category_id));
	if (d->reply_to_post_number > 0)
		json_object_set_new(j, "replyToPostNumber",
		                    json_integer(d->reply_to_post_number));
	text = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	return text;
}

/* A save to the server on its way: the sequence to learn, the text to
 * send with it. The env's store must outlive the api's requests. */
struct server_save {
	struct store *state;
	struct api *api;
	char *server, *key, *data;
	bool asked; /* the sequence came from GET /drafts/{key}.json */
};

static void
save_free(struct server_save *s)
{
	free(s->server);
	free(s->key);
	free(s->data);
	free(s);
}

static void save_send(struct server_save *s, int64_t sequence);

/* A draft posted (or discarded) meanwhile is not saved again: the
 * server's copy would outlive the post. */
static bool
still_kept(const struct server_save *s)
{
	struct draft d;
	int found = store_draft_load(s->state, s->server, s->key, &d, NULL);

	draft_clear(&d);
	return found == 1;
}

/* The server's sequence now: keep it, and send with it. */
static void
on_sequence(struct api_reply *reply, void *arg)
{
	struct server_save *s = arg;
	int64_t *seq = reply->data;

	if (seq == NULL || reply->offline || !still_kept(s)) {
		free(seq);
		save_free(s);
		return;
	}
	store_draft_set_sequence(s->state, s->server, s->key, *seq, NULL);
	save_send(s, *seq);
	free(seq);
}

static void
save_ask(struct server_save *s)
{
	s->asked = true;
	api_get_server_draft_sequence(s->api, s->key, on_sequence, s);
}

/* Saved: the sequence the server answered is the one to send next. A
 * 409 (a post or another window moved it on) asks for it once. */
static void
on_saved(struct api_reply *reply, void *arg)
{
	struct server_save *s = arg;
	int64_t *seq = reply->data;

	if (seq != NULL)
		store_draft_set_sequence(s->state, s->server, s->key, *seq,
		                         NULL);
	free(seq);
	if (reply->err.http_status == 409 && !s->asked && still_kept(s)) {
		save_ask(s);
		return;
	}
	save_free(s);
}

static void
save_send(struct server_save *s, int64_t sequence)
{
	api_save_server_draft(s->api, s->key, s->data, (int)sequence, on_saved,
	                      s);
}

/* Best effort: a server that refuses or is away costs only its copy. */
static void
save_on_server(const struct send_env *env, const struct draft *d)
{
	struct server_save *s;
	char *data = server_draft_data(d);

	if (data == NULL)
		return;
	s = xcalloc(1, sizeof *s);
	s->state = env->state;
	s->api = env->api;
	s->server = xstrdup(env->server);
	s->key = xstrdup(d->key);
	s->data = data;
	/* Without a sequence from the server, ask for it first. */
	if (d->sequence > 0)
		save_send(s, d->sequence);
	else
		save_ask(s);
}

/* Save d locally, keeping the server's sequence that is known for it. */
int
send_keep_draft(const struct send_env *env, struct draft *d,
                struct ambt_error *err)
{
	struct draft old;

	if (d->sequence == 0 && store_draft_load(env->state, env->server,
	                                         d->key, &old, NULL) == 1) {
		d->sequence = old.sequence;
		if (d->category_id == 0)
			d->category_id = old.category_id;
		draft_clear(&old);
	}
	return store_draft_save(env->state, env->server, d, err);
}

int
send_save_draft(const struct send_env *env, const struct draft *draft,
                struct ambt_error *err)
{
	struct draft d = *draft;

	if (send_keep_draft(env, &d, err) < 0)
		return -1;
	if (env->username != NULL && env->api != NULL)
		save_on_server(env, &d);
	return 0;
}

static void
ignore_reply(struct api_reply *reply, void *arg)
{
	(void)arg;
	free(reply->data);
}

int
send_discard_draft(const struct send_env *env, const char *key,
                   struct ambt_error *err)
{
	struct draft old = {0};
	int64_t seq = 0;

	if (store_draft_load(env->state, env->server, key, &old, NULL) == 1)
		seq = old.sequence;
	draft_clear(&old);
	if (store_draft_delete(env->state, env->server, key, err) < 0)
		return -1;
	if (env->username != NULL && env->api != NULL)
		api_delete_server_draft(env->api, key, (int)seq, ignore_reply,
		                        NULL);
	return 0;
}

int
send_unsent_drafts(struct store *st, const char *server, struct draft **out,
                   size_t *n, struct ambt_error *err)
{
	return store_draft_list(st, server, out, n, err);
}

void
send_drafts_free(struct draft *drafts, size_t n)
{
	for (size_t i = 0; i < n; i++)
		draft_clear(&drafts[i]);
	free(drafts);
}
