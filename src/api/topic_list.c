/* topic_list.c: /latest.json, /c/{slug}/{id}.json and the other lists. */
#include <stdlib.h>

#include "ambt/api.h"
#include "ambt/util.h"
#include "api/decode.h"

int
decode_user_brief(struct jd *d, const json_t *o, void *elem, void *arg)
{
	static const struct jd_field fields[] = {
	    JD_REQUIRED_FIELD(struct user_brief, "id", JD_INT64, id),
	    JD_FIELD(struct user_brief, "username", JD_STR, username),
	    JD_FIELD(struct user_brief, "name", JD_STR, name),
	    JD_FIELD(struct user_brief, "avatar_template", JD_STR,
	             avatar_template),
	    JD_FIELD(struct user_brief, "post_count", JD_INT, post_count),
	    JD_FIELD(struct user_brief, "trust_level", JD_INT, trust_level),
	    JD_FIELD(struct user_brief, "admin", JD_BOOL, admin),
	    JD_FIELD(struct user_brief, "moderator", JD_BOOL, moderator),
	};
	struct user_brief *u = elem;

	(void)arg;
	u->trust_level = -1;
	return jd_fields(d, o, fields, AMBT_ARRAY_LEN(fields), u);
}

static int
decode_tag(struct jd *d, const json_t *v, char **out)
{
	if (json_is_object(v))
		return jd_str(d, v, "name", out, JD_REQUIRED);
	if (!json_is_string(v))
		return jd_fail(d, NULL, "expected string or object, got %s",
		               jd_type_name(v));
	*out = xstrdup(json_string_value(v));
	return 0;
}

int
decode_tags(struct jd *d, const json_t *o, char ***tags, size_t *n)
{
	const json_t *arr;
	size_t mark, inside;
	int rc = 0;

	if (jd_array(d, o, "tags", &arr, JD_OPTIONAL) < 0)
		return -1;
	if (arr == NULL)
		return 0;
	*n = json_array_size(arr);
	*tags = *n > 0 ? xcalloc(*n, sizeof **tags) : NULL;
	mark = jd_enter(d, "tags");
	inside = d->len;
	for (size_t i = 0; i < *n && rc == 0; i++) {
		jd_enter_index(d, i);
		rc = decode_tag(d, json_array_get(arr, i), &(*tags)[i]);
		jd_leave(d, inside);
	}
	jd_leave(d, mark);
	return rc;
}

static int
decode_poster(struct jd *d, const json_t *o, void *elem, void *arg)
{
	static const struct jd_field fields[] = {
	    JD_FIELD(struct poster, "user_id", JD_INT64, user_id),
	    JD_FIELD(struct poster, "description", JD_STR, description),
	    JD_FIELD(struct poster, "extras", JD_STR, extras),
	};

	(void)arg;
	return jd_fields(d, o, fields, AMBT_ARRAY_LEN(fields), elem);
}

#define TE(key, kind, member) JD_FIELD(struct topic_entry, key, kind, member)
static const struct jd_field topic_entry_fields[] = {
    JD_REQUIRED_FIELD(struct topic_entry, "id", JD_INT64, id),
    TE("title", JD_STR, title),
    TE("fancy_title", JD_STR, fancy_title),
    TE("slug", JD_STR, slug),
    TE("posts_count", JD_INT, posts_count),
    TE("reply_count", JD_INT, reply_count),
    TE("highest_post_number", JD_INT, highest_post_number),
    TE("views", JD_INT, views),
    TE("like_count", JD_INT, like_count),
    TE("category_id", JD_INT64, category_id),
    TE("created_at", JD_TIME, created_at),
    TE("last_posted_at", JD_TIME, last_posted_at),
    TE("bumped_at", JD_TIME, bumped_at),
    TE("last_poster_username", JD_STR, last_poster_username),
    TE("excerpt", JD_STR, excerpt),
    TE("archetype", JD_STR, archetype),
    TE("pinned", JD_BOOL, pinned),
    TE("closed", JD_BOOL, closed),
    TE("archived", JD_BOOL, archived),
    TE("visible", JD_BOOL, visible),
    TE("unseen", JD_BOOL, unseen),
    TE("bookmarked", JD_BOOL, bookmarked),
    TE("liked", JD_BOOL, liked),
    TE("last_read_post_number", JD_INT, last_read_post_number),
    /* Older servers call it "unread"; the newer name wins. */
    TE("unread", JD_INT, unread_posts),
    TE("unread_posts", JD_INT, unread_posts),
    TE("new_posts", JD_INT, new_posts),
    TE("notification_level", JD_INT, notification_level),
};
#undef TE

int
decode_topic_entry(struct jd *d, const json_t *o, void *elem, void *arg)
{
	struct topic_entry *t = elem;

	(void)arg;
	t->last_read_post_number = -1;
	t->unread_posts = -1;
	t->new_posts = -1;
	t->notification_level = -1;
	if (jd_fields(d, o, topic_entry_fields,
	              AMBT_ARRAY_LEN(topic_entry_fields), t) < 0 ||
	    decode_tags(d, o, &t->tags, &t->n_tags) < 0)
		return -1;
	return jd_objects(d, o, "posters", &t->posters, &t->n_posters,
	                  sizeof *t->posters, decode_poster, NULL);
}

static int
topic_list_body(struct jd *d, const json_t *o, void *arg)
{
	static const struct jd_field fields[] = {
	    JD_FIELD(struct topic_list, "more_topics_url", JD_STR,
	             more_topics_url),
	    JD_FIELD(struct topic_list, "per_page", JD_INT, per_page),
	    JD_FIELD(struct topic_list, "can_create_topic", JD_BOOL,
	             can_create_topic),
	};
	struct topic_list *l = arg;

	if (jd_fields(d, o, fields, AMBT_ARRAY_LEN(fields), l) < 0)
		return -1;
	return jd_objects(d, o, "topics", &l->topics, &l->n_topics,
	                  sizeof *l->topics, decode_topic_entry, NULL);
}

static int
topic_list_root(struct jd *d, const json_t *root, void *arg)
{
	struct topic_list *l = arg;

	if (jd_objects(d, root, "users", &l->users, &l->n_users,
	               sizeof *l->users, decode_user_brief, NULL) < 0)
		return -1;
	return jd_with(d, root, "topic_list", topic_list_body, l, JD_REQUIRED);
}

int
api_decode_topic_list(const char *body, size_t len, struct topic_list **out,
                      struct ambt_error *err)
{
	struct topic_list *l = xcalloc(1, sizeof *l);

	*out = NULL;
	if (jd_decode(body, len, err, topic_list_root, l) < 0) {
		topic_list_free(l);
		return -1;
	}
	*out = l;
	return 0;
}
