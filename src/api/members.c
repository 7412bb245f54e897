/*
 * members.c: the members list, /directory_items.json
 * ({"directory_items": [{counts..., "user": {...}}], "meta": {...}}), and
 * its --json form.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "ambt/api.h"
#include "ambt/util.h"
#include "api/decode.h"

#define M(key, kind, field) JD_FIELD(struct member, key, kind, field)
static const struct jd_field member_fields[] = {
    M("likes_received", JD_INT, likes_received),
    M("likes_given", JD_INT, likes_given),
    M("topic_count", JD_INT, topic_count),
    M("post_count", JD_INT, post_count),
    M("days_visited", JD_INT, days_visited),
};
#undef M

/* The user object: a brief, plus the title Discourse puts beside it. */
static int
member_user(struct jd *d, const json_t *o, void *arg)
{
	struct member *m = arg;

	if (decode_user_brief(d, o, &m->user, NULL) < 0)
		return -1;
	return jd_str(d, o, "title", &m->title, JD_OPTIONAL);
}

static int
decode_member(struct jd *d, const json_t *o, void *elem, void *arg)
{
	struct member *m = elem;

	(void)arg;
	m->user.trust_level = -1;
	if (jd_fields(d, o, member_fields, AMBT_ARRAY_LEN(member_fields), m) <
	    0)
		return -1;
	return jd_with(d, o, "user", member_user, m, JD_REQUIRED);
}

static int
members_meta(struct jd *d, const json_t *o, void *arg)
{
	struct member_list *l = arg;

	return jd_int(d, o, "total_rows_directory_items", &l->total_rows,
	              JD_OPTIONAL);
}

static int
members_root(struct jd *d, const json_t *root, void *arg)
{
	struct member_list *l = arg;
	const json_t *items;

	l->total_rows = -1;
	/* Without the key this is not the directory answering. */
	if (jd_array(d, root, "directory_items", &items, JD_REQUIRED) < 0 ||
	    jd_objects(d, root, "directory_items", &l->items, &l->n,
	               sizeof *l->items, decode_member, NULL) < 0)
		return -1;
	return jd_with(d, root, "meta", members_meta, l, JD_OPTIONAL);
}

int
api_decode_members(const char *body, size_t len, struct member_list **out,
                   struct ambt_error *err)
{
	struct member_list *l = xcalloc(1, sizeof *l);

	*out = NULL;
	if (jd_decode(body, len, err, members_root, l) < 0) {
		member_list_free(l);
		return -1;
	}
	*out = l;
	return 0;
}

/* A string, or null for NULL; text that is not UTF-8 is repaired. */
static json_t *
str_or_null(const char *s)
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
member_json(const struct member *m)
{
	return json_pack(
	    "{s:I, s:o, s:o, s:o, s:i, s:i, s:i, s:i, s:i}", "id",
	    (json_int_t)m->user.id, "username", str_or_null(m->user.username),
	    "name", str_or_null(m->user.name), "title", str_or_null(m->title),
	    "post_count", m->post_count, "topic_count", m->topic_count,
	    "likes_received", m->likes_received, "likes_given", m->likes_given,
	    "days_visited", m->days_visited);
}

char *
api_encode_members(const struct member_list *l)
{
	json_t *items = json_array();
	json_t *root;
	char *text;

	for (size_t i = 0; i < l->n; i++)
		json_array_append_new(items, member_json(&l->items[i]));
	root = json_pack("{s:o, s:o}", "members", items, "total_rows",
	                 l->total_rows < 0 ? json_null()
	                                   : json_integer(l->total_rows));
	text = json_dumps(root, JSON_INDENT(2));
	json_decref(root);
	if (text == NULL)
		abort(); /* only on allocation failure, as x*alloc */
	return text;
}
