/*
 * user_actions.c: a member's recent activity, /user_actions.json
 * ({"user_actions": [...]}). post_id is null for some action types.
 */
#include "config.h"

#include <stdlib.h>

#include "ambt/api.h"
#include "ambt/util.h"
#include "api/decode.h"

#define A(key, kind, member) JD_FIELD(struct user_action, key, kind, member)
static const struct jd_field action_fields[] = {
    JD_REQUIRED_FIELD(struct user_action, "action_type", JD_INT, action_type),
    A("topic_id", JD_INT64, topic_id),
    A("post_id", JD_INT64, post_id),
    A("post_number", JD_INT, post_number),
    A("created_at", JD_TIME, created_at),
    A("title", JD_STR, title),
    A("excerpt", JD_STR, excerpt),
    A("username", JD_STR, username),
    A("acting_username", JD_STR, acting_username),
    A("category_id", JD_INT64, category_id),
};
#undef A

static int
decode_action(struct jd *d, const json_t *o, void *elem, void *arg)
{
	(void)arg;
	return jd_fields(d, o, action_fields, AMBT_ARRAY_LEN(action_fields),
	                 elem);
}

static int
actions_root(struct jd *d, const json_t *root, void *arg)
{
	struct user_action_list *l = arg;
	const json_t *items;

	if (jd_array(d, root, "user_actions", &items, JD_REQUIRED) < 0)
		return -1;
	return jd_objects(d, root, "user_actions", &l->items, &l->n,
	                  sizeof *l->items, decode_action, NULL);
}

int
api_decode_user_actions(const char *body, size_t len,
                        struct user_action_list **out, struct ambt_error *err)
{
	struct user_action_list *l = xcalloc(1, sizeof *l);

	*out = NULL;
	if (jd_decode(body, len, err, actions_root, l) < 0) {
		user_action_list_free(l);
		return -1;
	}
	*out = l;
	return 0;
}
