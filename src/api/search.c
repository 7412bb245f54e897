/* search.c: /search.json. A search with no results has no topics key. */
#include <stdlib.h>

#include "ambt/api.h"
#include "ambt/util.h"
#include "api/decode.h"

static int
decode_search_post(struct jd *d, const json_t *o, void *elem, void *arg)
{
#define SP(key, kind, member) JD_FIELD(struct search_post, key, kind, member)
	static const struct jd_field fields[] = {
	    JD_REQUIRED_FIELD(struct search_post, "id", JD_INT64, id),
	    SP("topic_id", JD_INT64, topic_id),
	    SP("post_number", JD_INT, post_number),
	    SP("username", JD_STR, username),
	    SP("name", JD_STR, name),
	    SP("blurb", JD_STR, blurb),
	    SP("created_at", JD_TIME, created_at),
	    SP("like_count", JD_INT, like_count),
	};
#undef SP

	(void)arg;
	return jd_fields(d, o, fields, AMBT_ARRAY_LEN(fields), elem);
}

static int
grouped_result(struct jd *d, const json_t *o, void *arg)
{
	static const struct jd_field fields[] = {
	    JD_FIELD(struct search_result, "more_posts", JD_BOOL, more_posts),
	    JD_FIELD(struct search_result, "term", JD_STR, term),
	};

	return jd_fields(d, o, fields, AMBT_ARRAY_LEN(fields), arg);
}

static int
search_root(struct jd *d, const json_t *root, void *arg)
{
	struct search_result *r = arg;

	if (jd_objects(d, root, "posts", &r->posts, &r->n_posts,
	               sizeof *r->posts, decode_search_post, NULL) < 0 ||
	    jd_objects(d, root, "topics", &r->topics, &r->n_topics,
	               sizeof *r->topics, decode_topic_entry, NULL) < 0 ||
	    jd_objects(d, root, "users", &r->users, &r->n_users,
	               sizeof *r->users, decode_user_brief, NULL) < 0 ||
	    jd_objects(d, root, "categories", &r->categories, &r->n_categories,
	               sizeof *r->categories, decode_category, NULL) < 0)
		return -1;
	return jd_with(d, root, "grouped_search_result", grouped_result, r,
	               JD_OPTIONAL);
}

int
api_decode_search(const char *body, size_t len, struct search_result **out,
                  struct ambt_error *err)
{
	struct search_result *r = xcalloc(1, sizeof *r);

	*out = NULL;
	if (jd_decode(body, len, err, search_root, r) < 0) {
		search_result_free(r);
		return -1;
	}
	*out = r;
	return 0;
}
