/* topic.c: /t/{id}.json, /t/{id}/posts.json, /posts/{id}.json. */
#include <stdlib.h>

#include "ambt/api.h"
#include "ambt/util.h"
#include "api/decode.h"

/* Post action type 2 is the like, on every Discourse. */
#define POST_ACTION_LIKE 2

#define P(key, kind, member) JD_FIELD(struct post, key, kind, member)
static const struct jd_field post_fields[] = {
    JD_REQUIRED_FIELD(struct post, "id", JD_INT64, id),
    P("topic_id", JD_INT64, topic_id),
    P("post_number", JD_INT, post_number),
    P("post_type", JD_INT, post_type),
    P("user_id", JD_INT64, user_id),
    P("username", JD_STR, username),
    P("name", JD_STR, name),
    P("avatar_template", JD_STR, avatar_template),
    P("user_title", JD_STR, user_title),
    P("created_at", JD_TIME, created_at),
    P("updated_at", JD_TIME, updated_at),
    P("cooked", JD_STR, cooked),
    P("raw", JD_STR, raw),
    P("action_code", JD_STR, action_code),
    P("topic_slug", JD_STR, topic_slug),
    P("topic_title", JD_STR, topic_title),
    P("reply_to_post_number", JD_INT, reply_to_post_number),
    P("reply_count", JD_INT, reply_count),
    P("quote_count", JD_INT, quote_count),
    P("reads", JD_INT, reads),
    P("version", JD_INT, version),
    P("trust_level", JD_INT, trust_level),
    P("yours", JD_BOOL, yours),
    P("can_edit", JD_BOOL, can_edit),
    P("can_delete", JD_BOOL, can_delete),
    P("bookmarked", JD_BOOL, bookmarked),
    P("read", JD_BOOL, read),
    P("hidden", JD_BOOL, hidden),
    P("wiki", JD_BOOL, wiki),
};

/* The like entry of actions_summary; the others are flags. */
static const struct jd_field like_fields[] = {
    P("count", JD_INT, like_count),
    P("acted", JD_BOOL, liked),
    P("can_act", JD_BOOL, can_like),
    P("can_undo", JD_BOOL, can_unlike),
};
#undef P

static int
action_summary(struct jd *d, const json_t *o, size_t i, void *arg)
{
	int64_t id = 0;

	(void)i;
	if (jd_int64(d, o, "id", &id, JD_REQUIRED) < 0)
		return -1;
	if (id != POST_ACTION_LIKE)
		return 0;
	return jd_fields(d, o, like_fields, AMBT_ARRAY_LEN(like_fields), arg);
}

static int
reply_to_user(struct jd *d, const json_t *o, void *arg)
{
	struct post *p = arg;

	return jd_str(d, o, "username", &p->reply_to_username, JD_OPTIONAL);
}

static int
post_event(struct jd *d, const json_t *o, void *arg)
{
	struct post *p = arg;

	return jd_int64(d, o, "id", &p->event_id, JD_REQUIRED);
}

int
decode_post(struct jd *d, const json_t *o, void *elem, void *arg)
{
	struct post *p = elem;

	(void)arg;
	p->post_type = POST_TYPE_REGULAR;
	p->trust_level = -1;
	if (jd_fields(d, o, post_fields, AMBT_ARRAY_LEN(post_fields), p) < 0 ||
	    jd_each(d, o, "actions_summary", action_summary, p) < 0 ||
	    jd_with(d, o, "reply_to_user", reply_to_user, p, JD_OPTIONAL) < 0)
		return -1;
	return jd_with(d, o, "event", post_event, p, JD_OPTIONAL);
}

static int
user_brief_at(struct jd *d, const json_t *o, void *arg)
{
	return decode_user_brief(d, o, arg, NULL);
}

static int
topic_details(struct jd *d, const json_t *o, void *arg)
{
	struct topic *t = arg;

	if (jd_int(d, o, "notification_level", &t->notification_level,
	           JD_OPTIONAL) < 0 ||
	    jd_with(d, o, "created_by", user_brief_at, &t->created_by,
	            JD_OPTIONAL) < 0 ||
	    jd_with(d, o, "last_poster", user_brief_at, &t->last_poster,
	            JD_OPTIONAL) < 0)
		return -1;
	return jd_objects(d, o, "participants", &t->participants,
	                  &t->n_participants, sizeof *t->participants,
	                  decode_user_brief, NULL);
}

static int
post_stream(struct jd *d, const json_t *o, void *arg)
{
	struct topic *t = arg;

	/* Mega topics send isMegaTopic and lastId instead of stream. */
	if (jd_bool(d, o, "isMegaTopic", &t->is_mega_topic, JD_OPTIONAL) < 0 ||
	    jd_int64(d, o, "lastId", &t->last_id, JD_OPTIONAL) < 0 ||
	    jd_int64s(d, o, "stream", &t->stream, &t->n_stream) < 0)
		return -1;
	return jd_objects(d, o, "posts", &t->posts, &t->n_posts,
	                  sizeof *t->posts, decode_post, NULL);
}

#define T(key, kind, member) JD_FIELD(struct topic, key, kind, member)
static const struct jd_field topic_fields[] = {
    JD_REQUIRED_FIELD(struct topic, "id", JD_INT64, id),
    T("title", JD_STR, title),
    T("fancy_title", JD_STR, fancy_title),
    T("slug", JD_STR, slug),
    T("category_id", JD_INT64, category_id),
    T("posts_count", JD_INT, posts_count),
    T("reply_count", JD_INT, reply_count),
    T("highest_post_number", JD_INT, highest_post_number),
    T("views", JD_INT, views),
    T("like_count", JD_INT, like_count),
    T("participant_count", JD_INT, participant_count),
    T("chunk_size", JD_INT, chunk_size),
    T("created_at", JD_TIME, created_at),
    T("last_posted_at", JD_TIME, last_posted_at),
    T("closed", JD_BOOL, closed),
    T("archived", JD_BOOL, archived),
    T("pinned", JD_BOOL, pinned),
    T("visible", JD_BOOL, visible),
    T("bookmarked", JD_BOOL, bookmarked),
    T("archetype", JD_STR, archetype),
    T("last_read_post_number", JD_INT, last_read_post_number),
    T("draft_key", JD_STR, draft_key),
    T("draft_sequence", JD_INT, draft_sequence),
};
#undef T

static int
topic_root(struct jd *d, const json_t *root, void *arg)
{
	struct topic *t = arg;

	t->last_read_post_number = -1;
	t->notification_level = NOTIFY_LEVEL_UNKNOWN;
	t->created_by.trust_level = -1;
	t->last_poster.trust_level = -1;
	if (jd_fields(d, root, topic_fields, AMBT_ARRAY_LEN(topic_fields), t) <
	        0 ||
	    decode_tags(d, root, &t->tags, &t->n_tags) < 0 ||
	    jd_with(d, root, "details", topic_details, t, JD_OPTIONAL) < 0)
		return -1;
	return jd_with(d, root, "post_stream", post_stream, t, JD_REQUIRED);
}

int
api_decode_topic(const char *body, size_t len, struct topic **out,
                 struct ambt_error *err)
{
	struct topic *t = xcalloc(1, sizeof *t);

	*out = NULL;
	if (jd_decode(body, len, err, topic_root, t) < 0) {
		topic_free(t);
		return -1;
	}
	*out = t;
	return 0;
}

static int
post_list_stream(struct jd *d, const json_t *o, void *arg)
{
	struct post_list *l = arg;

	return jd_objects(d, o, "posts", &l->posts, &l->n_posts,
	                  sizeof *l->posts, decode_post, NULL);
}

static int
post_list_root(struct jd *d, const json_t *root, void *arg)
{
	struct post_list *l = arg;

	if (jd_int64(d, root, "id", &l->topic_id, JD_OPTIONAL) < 0 ||
	    jd_with(d, root, "post_stream", post_list_stream, l, JD_REQUIRED) <
	        0)
		return -1;
	if (l->topic_id == 0 && l->n_posts > 0)
		l->topic_id = l->posts[0].topic_id;
	return 0;
}

int
api_decode_post_list(const char *body, size_t len, struct post_list **out,
                     struct ambt_error *err)
{
	struct post_list *l = xcalloc(1, sizeof *l);

	*out = NULL;
	if (jd_decode(body, len, err, post_list_root, l) < 0) {
		post_list_free(l);
		return -1;
	}
	*out = l;
	return 0;
}

static int
post_root(struct jd *d, const json_t *root, void *arg)
{
	return decode_post(d, root, arg, NULL);
}

int
api_decode_post(const char *body, size_t len, struct post **out,
                struct ambt_error *err)
{
	struct post *p = xcalloc(1, sizeof *p);

	*out = NULL;
	if (jd_decode(body, len, err, post_root, p) < 0) {
		post_free(p);
		return -1;
	}
	*out = p;
	return 0;
}
