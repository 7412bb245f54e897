/*
 * client_write.c: the requests that change the forum: posts, edits, likes,
 * flags, bookmarks, a topic's notification level and the server's copy of
 * drafts. Paths and form bodies as discourse/api-notes.md section 4 says.
 * client.c turns a 422's errors array into the error's message.
 */
#include "config.h"

#include <inttypes.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "ambt/i18n.h"
#include "ambt/api.h"
#include "ambt/util.h"
#include "api/client_csrf.h"

ERASED_DECODER(post, struct post)

/* PUT /posts/{id}.json wraps the post: {"post": {...}}. */
static int
decode_wrapped_post(const char *body, size_t len, void **out,
                    struct ambt_error *err)
{
	json_t *root = json_loadb(body, len, 0, NULL);
	json_t *post = json_object_get(root, "post");
	char *inner = json_is_object(post) ? json_dumps(post, 0) : NULL;
	int rc;

	json_decref(root);
	if (inner == NULL) {
		*out = NULL;
		return ambt_error_set(err, AMBT_E_DECODE,
		                      "post: expected object, got none");
	}
	rc = decode_post(inner, strlen(inner), out, err);
	free(inner);
	return rc;
}

static const struct endpoint ep_create = {decode_post,
                                          N_("no such topic or category")};
static const struct endpoint ep_edit = {decode_wrapped_post,
                                        N_("no such post")};
static const struct endpoint ep_action = {decode_post, N_("no such post")};
static const struct endpoint ep_topic_write = {NULL, N_("no such topic")};
static const struct endpoint ep_draft = {NULL, N_("no such draft")};

static void
form_add(struct buf *form, const char *name, const char *value)
{
	char *escaped = url_escape(value);

	buf_printf(form, "%s%s=%s", form->len ? "&" : "", name, escaped);
	free(escaped);
}

static void
form_add_int(struct buf *form, const char *name, int64_t value)
{
	buf_printf(form, "%s%s=%" PRId64, form->len ? "&" : "", name, value);
}

static struct http_req *
send_form(struct api *api, const struct endpoint *ep, const char *method,
          char *path, struct buf *form, api_done_fn done, void *arg)
{
	struct http_req *req =
	    api_send_csrf(api, ep, method, path, form->data, done, arg);

	buf_free(form);
	return req;
}

struct http_req *
api_create_post(struct api *api, const struct new_post *p, api_done_fn done,
                void *arg)
{
	struct buf form;

	buf_init(&form);
	form_add(&form, "raw", p->raw);
	if (p->topic_id != 0) {
		form_add_int(&form, "topic_id", p->topic_id);
		if (p->reply_to_post_number > 0)
			form_add_int(&form, "reply_to_post_number",
			             p->reply_to_post_number);
	} else {
		form_add(&form, "title", p->title ? p->title : "");
		if (p->category_id != 0)
			form_add_int(&form, "category", p->category_id);
	}
	return send_form(api, &ep_create, "POST", xstrdup("/posts.json"), &form,
	                 done, arg);
}

struct http_req *
api_edit_post(struct api *api, int64_t post_id, const char *raw,
              api_done_fn done, void *arg)
{
	struct buf form;

	buf_init(&form);
	form_add(&form, "post%5Braw%5D", raw);
	return send_form(api, &ep_edit, "PUT",
	                 xasprintf("/posts/%" PRId64 ".json", post_id), &form,
	                 done, arg);
}

static struct http_req *
post_action(struct api *api, int64_t post_id, enum post_action type,
            const char *message, api_done_fn done, void *arg)
{
	struct buf form;

	buf_init(&form);
	form_add_int(&form, "id", post_id);
	form_add_int(&form, "post_action_type_id", type);
	if (message != NULL)
		form_add(&form, "message", message);
	return send_form(api, &ep_action, "POST", xstrdup("/post_actions.json"),
	                 &form, done, arg);
}

struct http_req *
api_like(struct api *api, int64_t post_id, api_done_fn done, void *arg)
{
	return post_action(api, post_id, POST_ACTION_LIKE, NULL, done, arg);
}

struct http_req *
api_unlike(struct api *api, int64_t post_id, api_done_fn done, void *arg)
{
	return api_send_csrf(api, &ep_action, "DELETE",
	                     xasprintf("/post_actions/%" PRId64
	                               ".json?post_action_type_id=%d",
	                               post_id, POST_ACTION_LIKE),
	                     NULL, done, arg);
}

struct http_req *
api_flag(struct api *api, int64_t post_id, enum post_action type,
         const char *message, api_done_fn done, void *arg)
{
	return post_action(api, post_id, type, message, done, arg);
}

struct http_req *
api_bookmark_topic(struct api *api, int64_t topic_id, api_done_fn done,
                   void *arg)
{
	return api_send_csrf(
	    api, &ep_topic_write, "PUT",
	    xasprintf("/t/%" PRId64 "/bookmark.json", topic_id), NULL, done,
	    arg);
}

struct http_req *
api_remove_bookmarks(struct api *api, int64_t topic_id, api_done_fn done,
                     void *arg)
{
	return api_send_csrf(
	    api, &ep_topic_write, "PUT",
	    xasprintf("/t/%" PRId64 "/remove_bookmarks.json", topic_id), NULL,
	    done, arg);
}

struct http_req *
api_set_notification_level(struct api *api, int64_t topic_id, int level,
                           api_done_fn done, void *arg)
{
	struct buf form;

	buf_init(&form);
	form_add_int(&form, "notification_level", level);
	return send_form(
	    api, &ep_topic_write, "POST",
	    xasprintf("/t/%" PRId64 "/notifications.json", topic_id), &form,
	    done, arg);
}

struct http_req *
api_delete_server_draft(struct api *api, const char *key, int sequence,
                        api_done_fn done, void *arg)
{
	char *path = api_path_segment("/drafts/", key, ".json");
	struct buf b;

	buf_init(&b);
	buf_puts(&b, path);
	free(path);
	api_query_add_int(&b, "sequence", sequence);
	return api_send_csrf(api, &ep_draft, "DELETE", buf_steal(&b), NULL,
	                     done, arg);
}
