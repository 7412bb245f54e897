/*
 * send_sync.c: the server's drafts brought into the state store, so that a
 * reply begun in the browser shows in ambt and can be sent from it. A
 * server's draft is taken when we have none for its key or ours is older;
 * ours is never overwritten by an older copy.
 */
#include "config.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "ambt/i18n.h"
#include "ambt/send.h"
#include "ambt/util.h"

struct sync_op {
	struct store *state;
	char *server;
	void (*done)(int n_imported, const struct ambt_error *err, void *arg);
	void *arg;
};

static char *
member_text(json_t *o, const char *name)
{
	const char *s = json_string_value(json_object_get(o, name));

	return s && *s ? xstrdup(s) : NULL;
}

/* The composer's data as a draft; 0, or -1 when it holds no text. */
static int
draft_from_server(const struct server_draft *sd, struct draft *d)
{
	json_t *j = json_loads(sd->data, 0, NULL);

	memset(d, 0, sizeof *d);
	d->text = member_text(j, "reply");
	if (d->text == NULL) {
		json_decref(j);
		return -1;
	}
	d->key = xstrdup(sd->key);
	d->title = member_text(j, "title");
	d->category_id = json_integer_value(json_object_get(j, "categoryId"));
	d->reply_to_post_number =
	    json_integer_value(json_object_get(j, "replyToPostNumber"));
	d->sequence = sd->sequence;
	d->saved_at = sd->updated_at;
	json_decref(j);
	return 0;
}

/* Only what ambt can send: replies and new topics. */
static bool
sendable_key(const char *key)
{
	return send_draft_topic(key) != 0 || strcmp(key, "new_topic") == 0;
}

/* 1 when sd was taken, 0 when ours stays, -1 with err. */
static int
import_one(struct sync_op *op, const struct server_draft *sd,
           struct ambt_error *err)
{
	struct draft ours, theirs;
	int have, rc = 0;

	if (!sendable_key(sd->key) || draft_from_server(sd, &theirs) < 0)
		return 0;
	have = store_draft_load(op->state, op->server, sd->key, &ours, err);
	if (have < 0) {
		rc = -1;
	} else if (have == 0 || ours.saved_at < theirs.saved_at) {
		rc = store_draft_import(op->state, op->server, &theirs, err);
		rc = rc < 0 ? -1 : 1;
	} else if (ours.sequence != theirs.sequence) {
		/* Ours is newer, but the server's sequence is the one to
		 * send with it. */
		rc = store_draft_set_sequence(op->state, op->server, sd->key,
		                              theirs.sequence, err);
	}
	draft_clear(&ours);
	draft_clear(&theirs);
	return rc;
}

static void
on_drafts(struct api_reply *reply, void *arg)
{
	struct sync_op *op = arg;
	struct server_draft_list *l = reply->data;
	struct ambt_error err = reply->err;
	int n = 0, rc = 0;

	for (size_t i = 0; l != NULL && !reply->offline && i < l->n; i++) {
		rc = import_one(op, &l->items[i], &err);
		if (rc < 0)
			break;
		n += rc;
	}
	server_draft_list_free(l);
	op->done(n, err.kind == AMBT_OK && rc >= 0 ? NULL : &err, op->arg);
	free(op->server);
	free(op);
}

int
send_sync_server_drafts(const struct send_env *env,
                        void (*done)(int n_imported,
                                     const struct ambt_error *err, void *arg),
                        void *arg, struct ambt_error *err)
{
	struct sync_op *op;

	if (env->username == NULL || env->api == NULL)
		return ambt_error_set(
		    err, AMBT_E_USAGE,
		    _("not logged in: no drafts on the server"));
	op = xcalloc(1, sizeof *op);
	op->state = env->state;
	op->server = xstrdup(env->server);
	op->done = done;
	op->arg = arg;
	api_get_server_drafts(env->api, on_drafts, op);
	return 0;
}
