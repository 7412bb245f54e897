/*
 * members.c: the members list, /directory_items.json
 * ({"directory_items": [{counts..., "user": {...}}], "meta": {...}}).
 * encode.c gives its --json form.
 */
#include "config.h"

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
