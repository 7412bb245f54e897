/*
 * send.c: the draft-safe send pipeline (send.h). One send is a small state
 * machine driven by api callbacks: save, [check,] post, then on a cut
 * connection check the topic's newest posts for the one just sent.
 */
#include "config.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "ambt/i18n.h"
#include "ambt/send.h"
#include "ambt/util.h"

/* How many of a topic's newest posts the check looks at. */
#define CHECK_NEWEST 10

struct send_op {
	struct send_env env;
	struct draft draft;
	int64_t topic_id;
	int64_t category_id;
	bool after_cut;        /* the post's answer was lost */
	struct ambt_error cut; /* why */
	struct post_list *candidates;
	size_t next; /* the candidate to look at next, counting down */
	send_done_fn done;
	void *arg;
};

static void check_start(struct send_op *op);
static void post_start(struct send_op *op);

static void
op_free(struct send_op *op)
{
	draft_clear(&op->draft);
	post_list_free(op->candidates);
	free(op);
}

static void
ignore_reply(struct api_reply *reply, void *arg)
{
	(void)arg;
	free(reply->data);
}

static void
finish(struct send_op *op, enum send_outcome outcome, struct post *post,
       const struct ambt_error *err)
{
	struct send_result r = {.outcome = outcome, .post = post};

	if (err != NULL)
		r.err = *err;
	if (outcome == SEND_POSTED || outcome == SEND_FOUND) {
		/* The post is on the server: the draft may go. A failure to
		 * delete it leaves a draft, never loses a post. */
		store_draft_delete(op->env.state, op->env.server, op->draft.key,
		                   NULL);
		if (op->env.username != NULL)
			api_delete_server_draft(op->env.api, op->draft.key, 0,
			                        ignore_reply, NULL);
	}
	op->done(&r, op->arg);
	op_free(op);
}

static void
finish_error(struct send_op *op, enum send_outcome outcome, const char *why,
             const struct ambt_error *cause)
{
	struct ambt_error err = {0};

	ambt_error_set(&err, cause ? cause->kind : AMBT_E_NET, "%s: %s", why,
	               cause ? cause->msg : _("unknown"));
	if (cause != NULL)
		err.http_status = cause->http_status;
	finish(op, outcome, NULL, &err);
}

/* Raw text as the server may have kept it: without surrounding space and
 * with "\r\n" as "\n". */
static bool
same_text(const char *a, const char *b)
{
	while (isspace((unsigned char)*a))
		a++;
	while (isspace((unsigned char)*b))
		b++;
	for (;;) {
		if (*a == '\r')
			a++;
		if (*b == '\r')
			b++;
		if (*a == '\0' || *b == '\0')
			break;
		if (*a++ != *b++)
			return false;
	}
	while (isspace((unsigned char)*a))
		a++;
	while (isspace((unsigned char)*b))
		b++;
	return *a == '\0' && *b == '\0';
}

/* Nothing found: a lost answer means the post did not arrive; a check
 * asked for first means it may be sent now. */
static void
check_not_found(struct send_op *op)
{
	if (op->after_cut)
		finish_error(op, SEND_KEPT,
		             _("the post did not arrive; the draft is kept and "
		               "may be sent again"),
		             &op->cut);
	else
		post_start(op);
}

static void next_candidate(struct send_op *op);

static void
on_post_raw(struct api_reply *reply, void *arg)
{
	struct send_op *op = arg;
	struct post *p = reply->data;

	if (p != NULL && p->raw != NULL && same_text(p->raw, op->draft.text)) {
		finish(op, SEND_FOUND, p, NULL);
		return;
	}
	if (p == NULL) {
		finish_error(op, SEND_UNCERTAIN,
		             _("could not check whether the post arrived"),
		             &reply->err);
		return;
	}
	post_free(p);
	next_candidate(op);
}

static bool
is_candidate(const struct send_op *op, const struct post *p)
{
	if (op->env.username == NULL || p->username == NULL)
		return true;
	return strcasecmp(p->username, op->env.username) == 0;
}

/* Newest first: fetch each candidate's raw (chunks carry only cooked). */
static void
next_candidate(struct send_op *op)
{
	while (op->next > 0) {
		struct post *p = &op->candidates->posts[--op->next];

		if (!is_candidate(op, p))
			continue;
		api_get_post(op->env.api, p->id, on_post_raw, op);
		return;
	}
	check_not_found(op);
}

static void
on_newest(struct api_reply *reply, void *arg)
{
	struct send_op *op = arg;

	if (reply->data == NULL) {
		finish_error(op, SEND_UNCERTAIN,
		             _("could not check whether the post arrived"),
		             &reply->err);
		return;
	}
	op->candidates = reply->data;
	op->next = op->candidates->n_posts;
	next_candidate(op);
}

static void
on_topic(struct api_reply *reply, void *arg)
{
	struct send_op *op = arg;
	struct topic *t = reply->data;
	size_t n, first;

	if (t == NULL || reply->offline) {
		finish_error(op, SEND_UNCERTAIN,
		             _("could not check whether the post arrived"),
		             &reply->err);
		topic_free(t);
		return;
	}
	n = t->n_stream < CHECK_NEWEST ? t->n_stream : CHECK_NEWEST;
	first = t->n_stream - n;
	if (n == 0 && t->highest_post_number > 0) {
		/* A mega topic sends no id list: the last posts by number. */
		api_get_posts_near(op->env.api, op->topic_id,
		                   t->highest_post_number + 1, false, on_newest,
		                   op);
		topic_free(t);
		return;
	}
	if (n == 0) {
		topic_free(t);
		check_not_found(op);
		return;
	}
	api_get_posts(op->env.api, op->topic_id, t->stream + first, n,
	              on_newest, op);
	topic_free(t);
}

static void
check_start(struct send_op *op)
{
	api_get_topic(op->env.api, op->topic_id, on_topic, op);
}

static void
on_posted(struct api_reply *reply, void *arg)
{
	struct send_op *op = arg;

	if (reply->data != NULL) {
		finish(op, SEND_POSTED, reply->data, NULL);
		return;
	}
	if (reply->err.kind != AMBT_E_NET) {
		finish_error(op, SEND_KEPT, _("not posted; the draft is kept"),
		             &reply->err);
		return;
	}
	if (op->topic_id == 0) {
		finish_error(op, SEND_UNCERTAIN,
		             _("the topic may have been created; look before "
		               "sending the kept draft again"),
		             &reply->err);
		return;
	}
	/* The server may have taken the post before the answer was lost. */
	op->after_cut = true;
	op->cut = reply->err;
	check_start(op);
}

static void
post_start(struct send_op *op)
{
	struct new_post p = {
	    .topic_id = op->topic_id,
	    .reply_to_post_number = (int)op->draft.reply_to_post_number,
	    .title = op->draft.title,
	    .category_id = op->category_id,
	    .raw = op->draft.text,
	};

	api_create_post(op->env.api, &p, on_posted, op);
}

static void
draft_copy(struct draft *to, const struct draft *from)
{
	to->key = xstrdup(from->key);
	to->text = xstrdup(from->text);
	to->title = xstrdup(from->title);
	to->reply_to_post_number = from->reply_to_post_number;
	to->saved_at = from->saved_at;
	to->category_id = from->category_id;
	to->sequence = from->sequence;
}

int
send_post(const struct send_env *env, const struct draft *draft,
          int64_t category_id, bool check_first, send_done_fn done, void *arg,
          struct ambt_error *err)
{
	struct draft kept = *draft;
	struct send_op *op;

	if (draft->key == NULL || (send_draft_topic(draft->key) == 0 &&
	                           strcmp(draft->key, "new_topic") != 0))
		return ambt_error_set(err, AMBT_E_USAGE,
		                      _("cannot send a draft with key %s"),
		                      draft->key ? draft->key : "(none)");
	/* First of all: the text is on disk, with its category. Not on the
	 * server: the post is about to make its copy there stale. */
	if (category_id > 0)
		kept.category_id = category_id;
	if (send_keep_draft(env, &kept, err) < 0)
		return -1;
	op = xcalloc(1, sizeof *op);
	op->env = *env;
	draft_copy(&op->draft, &kept);
	op->topic_id = send_draft_topic(draft->key);
	op->category_id = kept.category_id;
	op->done = done;
	op->arg = arg;
	if (check_first && op->topic_id != 0)
		check_start(op);
	else
		post_start(op);
	return 0;
}
