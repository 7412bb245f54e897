/* categories.c: /categories.json, and the category shape /site.json shares. */
#include <stdlib.h>

#include "ambt/api.h"
#include "ambt/util.h"
#include "api/decode.h"

#define CAT(key, kind, member) JD_FIELD(struct category, key, kind, member)
static const struct jd_field category_fields[] = {
    JD_REQUIRED_FIELD(struct category, "id", JD_INT64, id),
    CAT("name", JD_STR, name),
    CAT("slug", JD_STR, slug),
    CAT("color", JD_STR, color),
    CAT("text_color", JD_STR, text_color),
    CAT("description_text", JD_STR, description_text),
    CAT("parent_category_id", JD_INT64, parent_id),
    CAT("topic_count", JD_INT, topic_count),
    CAT("post_count", JD_INT, post_count),
    CAT("position", JD_INT, position),
    CAT("read_restricted", JD_BOOL, read_restricted),
    CAT("notification_level", JD_INT, notification_level),
};
#undef CAT

int
decode_category(struct jd *d, const json_t *o, void *elem, void *arg)
{
	struct category *c = elem;

	(void)arg;
	c->notification_level = NOTIFY_LEVEL_UNKNOWN;
	return jd_fields(d, o, category_fields, AMBT_ARRAY_LEN(category_fields),
	                 c);
}

static int
category_list_body(struct jd *d, const json_t *o, void *arg)
{
	struct category_list *l = arg;

	if (jd_bool(d, o, "can_create_topic", &l->can_create_topic,
	            JD_OPTIONAL) < 0)
		return -1;
	return jd_objects(d, o, "categories", &l->items, &l->n,
	                  sizeof *l->items, decode_category, NULL);
}

static int
category_list_root(struct jd *d, const json_t *root, void *arg)
{
	return jd_with(d, root, "category_list", category_list_body, arg,
	               JD_REQUIRED);
}

int
api_decode_categories(const char *body, size_t len, struct category_list **out,
                      struct ambt_error *err)
{
	struct category_list *l = xcalloc(1, sizeof *l);

	*out = NULL;
	if (jd_decode(body, len, err, category_list_root, l) < 0) {
		category_list_free(l);
		return -1;
	}
	*out = l;
	return 0;
}
