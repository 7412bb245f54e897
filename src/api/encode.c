/*
 * encode.c: the model as JSON for --json. Field names are the model's own
 * (snake_case, stable whatever Discourse calls them); times are ISO 8601
 * UTC; a missing string, time, reference or "-1 = not given" number is
 * null. The text is pretty-printed and released with free().
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "ambt/api.h"
#include "ambt/util.h"

enum je_kind {
	JE_INT,
	JE_INT_OPT, /* -1: not given */
	JE_INT64,
	JE_REF, /* an id where 0 means none */
	JE_BOOL,
	JE_STR,
	JE_TIME,
};

struct je_field {
	const char *name;
	enum je_kind kind;
	size_t offset;
};

/* The JSON name is the member's name. */
#define JE(type, member, kind)                                                 \
	{                                                                      \
#member, kind, offsetof(type, member)                          \
	}

/* The JSON name is another than the member's (one of a nested struct). */
#define JE_AS(name, type, member, kind)                                        \
	{                                                                      \
		name, kind, offsetof(type, member)                             \
	}

/* A string, or null for NULL. Text that is not UTF-8 (a model built from
 * elsewhere than a decoder) is repaired rather than dropped. */
static json_t *
je_str(const char *s)
{
	json_t *v;
	char *clean;

	if (s == NULL)
		return json_null();
	v = json_string(s);
	if (v != NULL)
		return v;
	clean = utf8_sanitize(s, strlen(s));
	v = json_string(clean);
	free(clean);
	return v;
}

static json_t *
je_time(int64_t t)
{
	char iso[32];

	if (t == 0)
		return json_null();
	time_format_iso8601(t, iso, sizeof iso);
	return json_string(iso);
}

static json_t *
je_value(const struct je_field *f, const void *src)
{
	const char *at = (const char *)src + f->offset;
	int i;
	int64_t i64;

	switch (f->kind) {
	case JE_INT:
	case JE_INT_OPT:
		i = *(const int *)(const void *)at;
		return f->kind == JE_INT_OPT && i < 0 ? json_null()
		                                      : json_integer(i);
	case JE_INT64:
	case JE_REF:
		i64 = *(const int64_t *)(const void *)at;
		return f->kind == JE_REF && i64 == 0 ? json_null()
		                                     : json_integer(i64);
	case JE_BOOL:
		return json_boolean(*(const bool *)(const void *)at);
	case JE_STR:
		return je_str(*(char *const *)(const void *)at);
	case JE_TIME:
		return je_time(*(const int64_t *)(const void *)at);
	}
	return json_null();
}

static json_t *
je_object(const struct je_field *fields, size_t n, const void *src)
{
	json_t *o = json_object();

	for (size_t i = 0; i < n; i++)
		json_object_set_new(o, fields[i].name,
		                    je_value(&fields[i], src));
	return o;
}

typedef json_t *(*je_item_fn)(const void *item, const void *arg);

static json_t *
je_array(const void *items, size_t n, size_t size, je_item_fn fn,
         const void *arg)
{
	json_t *a = json_array();

	for (size_t i = 0; i < n; i++)
		json_array_append_new(a,
		                      fn((const char *)items + i * size, arg));
	return a;
}

static json_t *
je_strings(char *const *v, size_t n)
{
	json_t *a = json_array();

	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, je_str(v[i]));
	return a;
}

static char *
je_dump(json_t *root)
{
	char *text = json_dumps(root, JSON_INDENT(2));

	json_decref(root);
	if (text == NULL)
		abort(); /* only on allocation failure, as x*alloc */
	return text;
}

#define UB(m, k) JE(struct user_brief, m, k)
static const struct je_field user_brief_fields[] = {
    UB(id, JE_INT64),       UB(username, JE_STR),
    UB(name, JE_STR),       UB(avatar_template, JE_STR),
    UB(post_count, JE_INT), UB(trust_level, JE_INT_OPT),
    UB(admin, JE_BOOL),     UB(moderator, JE_BOOL),
};
#undef UB

static json_t *
je_user_brief(const void *item, const void *arg)
{
	(void)arg;
	return je_object(user_brief_fields, AMBT_ARRAY_LEN(user_brief_fields),
	                 item);
}

#define C(m, k) JE(struct category, m, k)
static const struct je_field category_fields[] = {
    C(id, JE_INT64),
    C(name, JE_STR),
    C(slug, JE_STR),
    C(color, JE_STR),
    C(text_color, JE_STR),
    C(description_text, JE_STR),
    C(parent_id, JE_REF),
    C(topic_count, JE_INT),
    C(post_count, JE_INT),
    C(position, JE_INT),
    C(read_restricted, JE_BOOL),
    C(notification_level, JE_INT_OPT),
};
#undef C

static json_t *
je_category(const void *item, const void *arg)
{
	(void)arg;
	return je_object(category_fields, AMBT_ARRAY_LEN(category_fields),
	                 item);
}

#define TE(m, k) JE(struct topic_entry, m, k)
static const struct je_field topic_entry_fields[] = {
    TE(id, JE_INT64),
    TE(title, JE_STR),
    TE(fancy_title, JE_STR),
    TE(slug, JE_STR),
    TE(posts_count, JE_INT),
    TE(reply_count, JE_INT),
    TE(highest_post_number, JE_INT),
    TE(views, JE_INT),
    TE(like_count, JE_INT),
    TE(category_id, JE_REF),
    TE(created_at, JE_TIME),
    TE(last_posted_at, JE_TIME),
    TE(bumped_at, JE_TIME),
    TE(last_poster_username, JE_STR),
    TE(excerpt, JE_STR),
    TE(archetype, JE_STR),
    TE(pinned, JE_BOOL),
    TE(closed, JE_BOOL),
    TE(archived, JE_BOOL),
    TE(visible, JE_BOOL),
    TE(unseen, JE_BOOL),
    TE(bookmarked, JE_BOOL),
    TE(liked, JE_BOOL),
    TE(last_read_post_number, JE_INT_OPT),
    TE(unread_posts, JE_INT_OPT),
    TE(new_posts, JE_INT_OPT),
    TE(notification_level, JE_INT_OPT),
};
#undef TE

/* A poster, with the username joined from the list's users when known. */
static json_t *
je_poster(const void *item, const void *arg)
{
	const struct poster *p = item;
	const struct topic_list *l = arg;
	const struct user_brief *u =
	    l != NULL ? topic_list_user(l, p->user_id) : NULL;

	return json_pack("{s:I, s:o, s:o, s:o}", "user_id",
	                 (json_int_t)p->user_id, "username",
	                 je_str(u != NULL ? u->username : NULL), "description",
	                 je_str(p->description), "extras", je_str(p->extras));
}

static json_t *
je_topic_entry(const void *item, const void *arg)
{
	const struct topic_entry *t = item;
	json_t *o = je_object(topic_entry_fields,
	                      AMBT_ARRAY_LEN(topic_entry_fields), t);

	json_object_set_new(o, "tags", je_strings(t->tags, t->n_tags));
	json_object_set_new(o, "posters",
	                    je_array(t->posters, t->n_posters,
	                             sizeof *t->posters, je_poster, arg));
	return o;
}

char *
api_encode_topic_list(const struct topic_list *l)
{
	return je_dump(
	    json_pack("{s:o, s:o, s:o, s:i, s:b}", "topics",
	              je_array(l->topics, l->n_topics, sizeof *l->topics,
	                       je_topic_entry, l),
	              "users",
	              je_array(l->users, l->n_users, sizeof *l->users,
	                       je_user_brief, NULL),
	              "more_topics_url", je_str(l->more_topics_url), "per_page",
	              l->per_page, "can_create_topic", l->can_create_topic));
}

char *
api_encode_categories(const struct category_list *l)
{
	return je_dump(json_pack(
	    "{s:o, s:b}", "categories",
	    je_array(l->items, l->n, sizeof *l->items, je_category, NULL),
	    "can_create_topic", l->can_create_topic));
}

#define P(m, k) JE(struct post, m, k)
static const struct je_field post_fields[] = {
    P(id, JE_INT64),
    P(topic_id, JE_INT64),
    P(post_number, JE_INT),
    P(post_type, JE_INT),
    P(user_id, JE_INT64),
    P(username, JE_STR),
    P(name, JE_STR),
    P(avatar_template, JE_STR),
    P(user_title, JE_STR),
    P(created_at, JE_TIME),
    P(updated_at, JE_TIME),
    P(cooked, JE_STR),
    P(raw, JE_STR),
    P(action_code, JE_STR),
    P(topic_slug, JE_STR),
    P(topic_title, JE_STR),
    P(reply_to_post_number, JE_REF),
    P(reply_to_username, JE_STR),
    P(reply_count, JE_INT),
    P(quote_count, JE_INT),
    P(reads, JE_INT),
    P(version, JE_INT),
    P(trust_level, JE_INT_OPT),
    P(like_count, JE_INT),
    P(liked, JE_BOOL),
    P(can_like, JE_BOOL),
    P(can_unlike, JE_BOOL),
    P(yours, JE_BOOL),
    P(can_edit, JE_BOOL),
    P(can_delete, JE_BOOL),
    P(bookmarked, JE_BOOL),
    P(read, JE_BOOL),
    P(hidden, JE_BOOL),
    P(wiki, JE_BOOL),
    P(event_id, JE_REF),
};
#undef P

static json_t *
je_post(const void *item, const void *arg)
{
	(void)arg;
	return je_object(post_fields, AMBT_ARRAY_LEN(post_fields), item);
}

#define T(m, k) JE(struct topic, m, k)
static const struct je_field topic_fields[] = {
    T(id, JE_INT64),
    T(title, JE_STR),
    T(fancy_title, JE_STR),
    T(slug, JE_STR),
    T(category_id, JE_REF),
    T(posts_count, JE_INT),
    T(reply_count, JE_INT),
    T(highest_post_number, JE_INT),
    T(views, JE_INT),
    T(like_count, JE_INT),
    T(participant_count, JE_INT),
    T(chunk_size, JE_INT),
    T(created_at, JE_TIME),
    T(last_posted_at, JE_TIME),
    T(closed, JE_BOOL),
    T(archived, JE_BOOL),
    T(pinned, JE_BOOL),
    T(visible, JE_BOOL),
    T(bookmarked, JE_BOOL),
    T(archetype, JE_STR),
    T(last_read_post_number, JE_INT_OPT),
    T(notification_level, JE_INT_OPT),
    T(draft_key, JE_STR),
    T(draft_sequence, JE_INT),
    T(is_mega_topic, JE_BOOL),
    T(last_id, JE_REF),
};
#undef T

static json_t *
je_ids(const int64_t *ids, size_t n)
{
	json_t *a = json_array();

	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_integer(ids[i]));
	return a;
}

char *
api_encode_topic(const struct topic *t)
{
	json_t *o = je_object(topic_fields, AMBT_ARRAY_LEN(topic_fields), t);

	json_object_set_new(o, "tags", je_strings(t->tags, t->n_tags));
	json_object_set_new(o, "created_by",
	                    je_user_brief(&t->created_by, NULL));
	json_object_set_new(o, "last_poster",
	                    je_user_brief(&t->last_poster, NULL));
	json_object_set_new(o, "participants",
	                    je_array(t->participants, t->n_participants,
	                             sizeof *t->participants, je_user_brief,
	                             NULL));
	json_object_set_new(
	    o, "posts",
	    je_array(t->posts, t->n_posts, sizeof *t->posts, je_post, NULL));
	json_object_set_new(o, "stream", je_ids(t->stream, t->n_stream));
	return je_dump(o);
}

#define UP(m, k) JE(struct user_profile, m, k)
static const struct je_field user_fields[] = {
    UP(id, JE_INT64),
    UP(username, JE_STR),
    UP(name, JE_STR),
    UP(title, JE_STR),
    UP(avatar_template, JE_STR),
    UP(bio_cooked, JE_STR),
    UP(bio_raw, JE_STR),
    UP(location, JE_STR),
    UP(website, JE_STR),
    UP(website_name, JE_STR),
    UP(created_at, JE_TIME),
    UP(last_posted_at, JE_TIME),
    UP(last_seen_at, JE_TIME),
    UP(trust_level, JE_INT_OPT),
    UP(badge_count, JE_INT),
    UP(profile_view_count, JE_INT),
    UP(post_count, JE_INT_OPT),
    UP(admin, JE_BOOL),
    UP(moderator, JE_BOOL),
};
#undef UP

static const struct je_field badge_fields[] = {
    JE(struct badge, id, JE_INT64),
    JE(struct badge, name, JE_STR),
    JE(struct badge, description, JE_STR),
    JE(struct badge, grant_count, JE_INT),
};

#define S(m, k) JE(struct user_summary, m, k)
static const struct je_field summary_fields[] = {
    S(likes_given, JE_INT),    S(likes_received, JE_INT),
    S(topics_entered, JE_INT), S(posts_read_count, JE_INT),
    S(days_visited, JE_INT),   S(topic_count, JE_INT),
    S(post_count, JE_INT),     S(time_read, JE_INT64),
};
#undef S

static const struct je_field reply_fields[] = {
    JE(struct post, topic_id, JE_INT64),  JE(struct post, post_number, JE_INT),
    JE(struct post, like_count, JE_INT),  JE(struct post, created_at, JE_TIME),
    JE(struct post, topic_title, JE_STR), JE(struct post, topic_slug, JE_STR),
};

static json_t *
je_badge(const void *item, const void *arg)
{
	(void)arg;
	return je_object(badge_fields, AMBT_ARRAY_LEN(badge_fields), item);
}

static json_t *
je_reply(const void *item, const void *arg)
{
	(void)arg;
	return je_object(reply_fields, AMBT_ARRAY_LEN(reply_fields), item);
}

static json_t *
je_summary(const struct user_summary *s)
{
	json_t *o;

	if (s == NULL)
		return json_null();
	o = je_object(summary_fields, AMBT_ARRAY_LEN(summary_fields), s);
	json_object_set_new(o, "top_topics",
	                    je_array(s->top_topics, s->n_top_topics,
	                             sizeof *s->top_topics, je_topic_entry,
	                             NULL));
	json_object_set_new(o, "top_replies",
	                    je_array(s->top_replies, s->n_top_replies,
	                             sizeof *s->top_replies, je_reply, NULL));
	return o;
}

char *
api_encode_user(const struct user_profile *u, const struct user_summary *s)
{
	json_t *user = json_null();

	if (u != NULL) {
		user = je_object(user_fields, AMBT_ARRAY_LEN(user_fields), u);
		json_object_set_new(user, "badges",
		                    je_array(u->badges, u->n_badges,
		                             sizeof *u->badges, je_badge,
		                             NULL));
	}
	return je_dump(
	    json_pack("{s:o, s:o}", "user", user, "summary", je_summary(s)));
}

#define N(m, k) JE(struct notification, m, k)
static const struct je_field notification_fields[] = {
    N(id, JE_INT64),        N(notification_type, JE_INT),
    N(read, JE_BOOL),       N(high_priority, JE_BOOL),
    N(created_at, JE_TIME), N(topic_id, JE_REF),
    N(post_number, JE_REF), N(slug, JE_STR),
    N(fancy_title, JE_STR), N(display_username, JE_STR),
    N(topic_title, JE_STR), N(badge_name, JE_STR),
};
#undef N

static json_t *
je_notification(const void *item, const void *arg)
{
	(void)arg;
	return je_object(notification_fields,
	                 AMBT_ARRAY_LEN(notification_fields), item);
}

char *
api_encode_notifications(const struct notification_list *l)
{
	return je_dump(json_pack(
	    "{s:o, s:o, s:I, s:o}", "notifications",
	    je_array(l->items, l->n, sizeof *l->items, je_notification, NULL),
	    "total_rows",
	    l->total_rows < 0 ? json_null() : json_integer(l->total_rows),
	    "seen_notification_id", (json_int_t)l->seen_notification_id,
	    "load_more_url", je_str(l->load_more_url)));
}

#define SP(m, k) JE(struct search_post, m, k)
static const struct je_field search_post_fields[] = {
    SP(id, JE_INT64),        SP(topic_id, JE_INT64), SP(post_number, JE_INT),
    SP(username, JE_STR),    SP(name, JE_STR),       SP(blurb, JE_STR),
    SP(created_at, JE_TIME), SP(like_count, JE_INT),
};
#undef SP

static json_t *
je_search_post(const void *item, const void *arg)
{
	(void)arg;
	return je_object(search_post_fields, AMBT_ARRAY_LEN(search_post_fields),
	                 item);
}

char *
api_encode_search(const struct search_result *r)
{
	return je_dump(
	    json_pack("{s:o, s:o, s:o, s:o, s:b, s:o}", "posts",
	              je_array(r->posts, r->n_posts, sizeof *r->posts,
	                       je_search_post, NULL),
	              "topics",
	              je_array(r->topics, r->n_topics, sizeof *r->topics,
	                       je_topic_entry, NULL),
	              "users",
	              je_array(r->users, r->n_users, sizeof *r->users,
	                       je_user_brief, NULL),
	              "categories",
	              je_array(r->categories, r->n_categories,
	                       sizeof *r->categories, je_category, NULL),
	              "more_posts", r->more_posts, "term", je_str(r->term)));
}

#define E(m, k) JE(struct event, m, k)
static const struct je_field event_fields[] = {
    E(id, JE_INT64),        E(topic_id, JE_REF),    E(post_number, JE_REF),
    E(category_id, JE_REF), E(name, JE_STR),        E(topic_title, JE_STR),
    E(status, JE_STR),      E(timezone, JE_STR),    E(location, JE_STR),
    E(url, JE_STR),         E(description, JE_STR), E(starts_at, JE_TIME),
    E(ends_at, JE_TIME),    E(going, JE_INT),       E(interested, JE_INT),
    E(not_going, JE_INT),   E(invitee_id, JE_REF),  E(can_act, JE_BOOL),
};
#undef E

static json_t *
je_event(const void *item, const void *arg)
{
	const struct event *e = item;
	json_t *o = je_object(event_fields, AMBT_ARRAY_LEN(event_fields), e);

	(void)arg;
	json_object_set_new(o, "rsvp",
	                    e->rsvp == RSVP_NONE
	                        ? json_null()
	                        : json_string(rsvp_status_name(e->rsvp)));
	return o;
}

char *
api_encode_events(const struct event_list *l)
{
	return je_dump(json_pack(
	    "{s:o}", "events",
	    je_array(l->items, l->n, sizeof *l->items, je_event, NULL)));
}

/* Flat: the member's user brief and its counts side by side. */
#define M(m, k) JE(struct member, m, k)
#define MU(m, k) JE_AS(#m, struct member, user.m, k)
static const struct je_field member_fields[] = {
    MU(id, JE_INT64),          MU(username, JE_STR),   MU(name, JE_STR),
    M(title, JE_STR),          M(post_count, JE_INT),  M(topic_count, JE_INT),
    M(likes_received, JE_INT), M(likes_given, JE_INT), M(days_visited, JE_INT),
};
#undef MU
#undef M

static json_t *
je_member(const void *item, const void *arg)
{
	(void)arg;
	return je_object(member_fields, AMBT_ARRAY_LEN(member_fields), item);
}

char *
api_encode_members(const struct member_list *l)
{
	return je_dump(json_pack(
	    "{s:o, s:o}", "members",
	    je_array(l->items, l->n, sizeof *l->items, je_member, NULL),
	    "total_rows",
	    l->total_rows < 0 ? json_null() : json_integer(l->total_rows)));
}
