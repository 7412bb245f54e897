/*
 * send_drafts.c: drafts by Discourse's key, kept in the state store and,
 * when logged in, mirrored to the server's /drafts.json as the web
 * composer does. Listing reads the store's drafts table directly: store.h
 * has no listing, and this is the one caller.
 */
#include "config.h"

#include <inttypes.h>
#include <jansson.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "ambt/send.h"
#include "ambt/util.h"
#include "store_int.h"

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

static void
ignore_reply(struct api_reply *reply, void *arg)
{
	(void)arg;
	free(reply->data);
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
	if (d->reply_to_post_number > 0)
		json_object_set_new(j, "replyToPostNumber",
		                    json_integer(d->reply_to_post_number));
	text = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	return text;
}

int
send_save_draft(const struct send_env *env, const struct draft *d,
                struct ambt_error *err)
{
	char *data;

	if (store_draft_save(env->state, env->server, d, err) < 0)
		return -1;
	if (env->username == NULL || env->api == NULL)
		return 0;
	data = server_draft_data(d);
	if (data != NULL)
		api_save_server_draft(env->api, d->key, data, 0, ignore_reply,
		                      NULL);
	free(data);
	return 0;
}

int
send_discard_draft(const struct send_env *env, const char *key,
                   struct ambt_error *err)
{
	if (store_draft_delete(env->state, env->server, key, err) < 0)
		return -1;
	if (env->username != NULL && env->api != NULL)
		api_delete_server_draft(env->api, key, 0, ignore_reply, NULL);
	return 0;
}

static char *
column_text(sqlite3_stmt *stmt, int col)
{
	const unsigned char *s = sqlite3_column_text(stmt, col);

	return s ? xstrdup((const char *)s) : NULL;
}

int
send_unsent_drafts(struct store *st, const char *server, struct draft **out,
                   size_t *n, struct ambt_error *err)
{
	sqlite3_stmt *stmt;
	size_t cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (sqlite3_prepare_v2(st->db,
	                       "SELECT key, text, title, reply_to_post_number, "
	                       "saved_at FROM drafts WHERE server = ?1 "
	                       "ORDER BY saved_at DESC, key",
	                       -1, &stmt, NULL) != SQLITE_OK)
		return store_fail(st, err);
	sqlite3_bind_text(stmt, 1, server, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		struct draft *d;

		if (*n == cap) {
			cap = cap ? cap * 2 : 4;
			*out = xrealloc(*out, cap * sizeof **out);
		}
		d = &(*out)[(*n)++];
		d->key = column_text(stmt, 0);
		d->text = column_text(stmt, 1);
		d->title = column_text(stmt, 2);
		d->reply_to_post_number = sqlite3_column_int64(stmt, 3);
		d->saved_at = sqlite3_column_int64(stmt, 4);
	}
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE) {
		send_drafts_free(*out, *n);
		*out = NULL;
		*n = 0;
		return store_fail(st, err);
	}
	return 0;
}

void
send_drafts_free(struct draft *drafts, size_t n)
{
	for (size_t i = 0; i < n; i++)
		draft_clear(&drafts[i]);
	free(drafts);
}
