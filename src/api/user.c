/* user.c: /u/{username}.json and /u/{username}/summary.json. */
#include <stdlib.h>

#include "ambt/api.h"
#include "ambt/util.h"
#include "api/decode.h"

#define U(key, kind, member) JD_FIELD(struct user_profile, key, kind, member)
static const struct jd_field user_fields[] = {
    JD_REQUIRED_FIELD(struct user_profile, "id", JD_INT64, id),
    U("username", JD_STR, username),
    U("name", JD_STR, name),
    U("title", JD_STR, title),
    U("avatar_template", JD_STR, avatar_template),
    U("bio_cooked", JD_STR, bio_cooked),
    U("bio_raw", JD_STR, bio_raw),
    U("location", JD_STR, location),
    U("website", JD_STR, website),
    U("website_name", JD_STR, website_name),
    U("created_at", JD_TIME, created_at),
    U("last_posted_at", JD_TIME, last_posted_at),
    U("last_seen_at", JD_TIME, last_seen_at),
    U("trust_level", JD_INT, trust_level),
    U("badge_count", JD_INT, badge_count),
    U("profile_view_count", JD_INT, profile_view_count),
    U("post_count", JD_INT, post_count),
    U("admin", JD_BOOL, admin),
    U("moderator", JD_BOOL, moderator),
};
#undef U

static int
user_body(struct jd *d, const json_t *o, void *arg)
{
	return jd_fields(d, o, user_fields, AMBT_ARRAY_LEN(user_fields), arg);
}

static int
decode_badge(struct jd *d, const json_t *o, void *elem, void *arg)
{
	static const struct jd_field fields[] = {
	    JD_REQUIRED_FIELD(struct badge, "id", JD_INT64, id),
	    JD_FIELD(struct badge, "name", JD_STR, name),
	    JD_FIELD(struct badge, "description", JD_STR, description),
	    JD_FIELD(struct badge, "grant_count", JD_INT, grant_count),
	};

	(void)arg;
	return jd_fields(d, o, fields, AMBT_ARRAY_LEN(fields), elem);
}

static int
user_root(struct jd *d, const json_t *root, void *arg)
{
	struct user_profile *u = arg;

	u->trust_level = -1;
	u->post_count = -1; /* staff-only on /u/{username}.json */
	if (jd_with(d, root, "user", user_body, u, JD_REQUIRED) < 0)
		return -1;
	return jd_objects(d, root, "badges", &u->badges, &u->n_badges,
	                  sizeof *u->badges, decode_badge, NULL);
}

int
api_decode_user(const char *body, size_t len, struct user_profile **out,
                struct ambt_error *err)
{
	struct user_profile *u = xcalloc(1, sizeof *u);

	*out = NULL;
	if (jd_decode(body, len, err, user_root, u) < 0) {
		user_profile_free(u);
		return -1;
	}
	*out = u;
	return 0;
}

/* The summary names its topics by id; the topics come sideloaded. */
struct summary_ctx {
	struct user_summary *s;
	int64_t *topic_ids;
	size_t n_topic_ids;
	struct topic_entry *topics;
	size_t n_topics;
};

static int
decode_reply(struct jd *d, const json_t *o, void *elem, void *arg)
{
	static const struct jd_field fields[] = {
	    JD_FIELD(struct post, "post_number", JD_INT, post_number),
	    JD_FIELD(struct post, "like_count", JD_INT, like_count),
	    JD_FIELD(struct post, "created_at", JD_TIME, created_at),
	    JD_FIELD(struct post, "topic_id", JD_INT64, topic_id),
	};
	struct post *p = elem;

	(void)arg;
	p->trust_level = -1;
	return jd_fields(d, o, fields, AMBT_ARRAY_LEN(fields), p);
}

#define S(key, kind, member) JD_FIELD(struct user_summary, key, kind, member)
static const struct jd_field summary_fields[] = {
    S("likes_given", JD_INT, likes_given),
    S("likes_received", JD_INT, likes_received),
    S("topics_entered", JD_INT, topics_entered),
    S("posts_read_count", JD_INT, posts_read_count),
    S("days_visited", JD_INT, days_visited),
    S("topic_count", JD_INT, topic_count),
    S("post_count", JD_INT, post_count),
};
#undef S

static int
summary_body(struct jd *d, const json_t *o, void *arg)
{
	struct summary_ctx *c = arg;
	struct user_summary *s = c->s;

	if (jd_fields(d, o, summary_fields, AMBT_ARRAY_LEN(summary_fields), s) <
	    0)
		return -1;
	/* Very old servers wrote time_read as words ("3 hours"): skip it. */
	if (!json_is_string(json_object_get(o, "time_read")) &&
	    jd_int64(d, o, "time_read", &s->time_read, JD_OPTIONAL) < 0)
		return -1;
	if (jd_int64s(d, o, "topic_ids", &c->topic_ids, &c->n_topic_ids) < 0)
		return -1;
	return jd_objects(d, o, "replies", &s->top_replies, &s->n_top_replies,
	                  sizeof *s->top_replies, decode_reply, NULL);
}

static struct topic_entry *
find_topic(struct summary_ctx *c, int64_t id)
{
	for (size_t i = 0; i < c->n_topics; i++)
		if (c->topics[i].id == id)
			return &c->topics[i];
	return NULL;
}

/* Titles for the replies first, then move the top topics out. */
static void
summary_join(struct summary_ctx *c)
{
	struct user_summary *s = c->s;

	for (size_t i = 0; i < s->n_top_replies; i++) {
		struct post *p = &s->top_replies[i];
		struct topic_entry *t = find_topic(c, p->topic_id);

		if (t != NULL) {
			p->topic_title = xstrdup(t->title);
			p->topic_slug = xstrdup(t->slug);
		}
	}
	if (c->n_topic_ids > 0)
		s->top_topics = xcalloc(c->n_topic_ids, sizeof *s->top_topics);
	for (size_t i = 0; i < c->n_topic_ids; i++) {
		struct topic_entry *t = find_topic(c, c->topic_ids[i]);

		if (t != NULL && t->id != 0) {
			s->top_topics[s->n_top_topics++] = *t;
			*t = (struct topic_entry){0};
		}
	}
}

static int
summary_root(struct jd *d, const json_t *root, void *arg)
{
	struct summary_ctx c = {.s = arg};
	int rc;

	rc = jd_with(d, root, "user_summary", summary_body, &c, JD_REQUIRED);
	if (rc == 0)
		rc = jd_objects(d, root, "topics", &c.topics, &c.n_topics,
		                sizeof *c.topics, decode_topic_entry, NULL);
	if (rc == 0)
		summary_join(&c);
	free(c.topic_ids);
	for (size_t i = 0; i < c.n_topics; i++)
		topic_entry_clear(&c.topics[i]);
	free(c.topics);
	return rc;
}

int
api_decode_user_summary(const char *body, size_t len, struct user_summary **out,
                        struct ambt_error *err)
{
	struct user_summary *s = xcalloc(1, sizeof *s);

	*out = NULL;
	if (jd_decode(body, len, err, summary_root, s) < 0) {
		user_summary_free(s);
		return -1;
	}
	*out = s;
	return 0;
}
