/* site.c: /site.json, the flat category list and the name -> number maps. */
#include <stdlib.h>

#include "ambt/api.h"
#include "ambt/util.h"
#include "api/decode.h"

/* obj[key] as {"name": integer, ...}, in the server's order. */
static int
name_values(struct jd *d, const json_t *o, const char *key,
            struct name_value **out, size_t *n)
{
	const json_t *map, *v;
	const char *name;
	size_t mark;
	int rc = 0;

	if (jd_object(d, o, key, &map, JD_OPTIONAL) < 0)
		return -1;
	if (map == NULL || json_object_size(map) == 0)
		return 0;
	*out = xcalloc(json_object_size(map), sizeof **out);
	mark = jd_enter(d, key);
	json_object_foreach((json_t *)map, name, v)
	{
		struct name_value *nv = &(*out)[(*n)++];

		nv->name = xstrdup(name);
		rc = jd_int(d, map, name, &nv->value, JD_REQUIRED);
		if (rc < 0)
			break;
	}
	jd_leave(d, mark);
	return rc;
}

static int
site_root(struct jd *d, const json_t *root, void *arg)
{
	static const struct jd_field fields[] = {
	    JD_FIELD(struct site, "uncategorized_category_id", JD_INT64,
	             uncategorized_category_id),
	    JD_FIELD(struct site, "default_archetype", JD_STR,
	             default_archetype),
	    JD_FIELD(struct site, "can_create_tag", JD_BOOL, can_create_tag),
	};
	struct site *s = arg;

	if (jd_fields(d, root, fields, AMBT_ARRAY_LEN(fields), s) < 0 ||
	    name_values(d, root, "notification_types", &s->notification_types,
	                &s->n_notification_types) < 0 ||
	    name_values(d, root, "trust_levels", &s->trust_levels,
	                &s->n_trust_levels) < 0)
		return -1;
	return jd_objects(d, root, "categories", &s->categories,
	                  &s->n_categories, sizeof *s->categories,
	                  decode_category, NULL);
}

int
api_decode_site(const char *body, size_t len, struct site **out,
                struct ambt_error *err)
{
	struct site *s = xcalloc(1, sizeof *s);

	*out = NULL;
	if (jd_decode(body, len, err, site_root, s) < 0) {
		site_free(s);
		return -1;
	}
	*out = s;
	return 0;
}
