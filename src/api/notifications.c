/* notifications.c: /notifications.json. */
#include <stdlib.h>

#include "ambt/api.h"
#include "ambt/util.h"
#include "api/decode.h"

#define N(key, kind, member) JD_FIELD(struct notification, key, kind, member)
static const struct jd_field notification_fields[] = {
    JD_REQUIRED_FIELD(struct notification, "id", JD_INT64, id),
    N("notification_type", JD_INT, notification_type),
    N("read", JD_BOOL, read),
    N("high_priority", JD_BOOL, high_priority),
    N("created_at", JD_TIME, created_at),
    N("topic_id", JD_INT64, topic_id),
    N("post_number", JD_INT, post_number),
    N("slug", JD_STR, slug),
    N("fancy_title", JD_STR, fancy_title),
};

/* data is free-form per notification type; these are the common keys. */
static const struct jd_field data_fields[] = {
    N("display_username", JD_STR, display_username),
    N("topic_title", JD_STR, topic_title),
    N("badge_name", JD_STR, badge_name),
};
#undef N

static int
notification_data(struct jd *d, const json_t *o, void *arg)
{
	return jd_fields(d, o, data_fields, AMBT_ARRAY_LEN(data_fields), arg);
}

static int
decode_notification(struct jd *d, const json_t *o, void *elem, void *arg)
{
	(void)arg;
	if (jd_fields(d, o, notification_fields,
	              AMBT_ARRAY_LEN(notification_fields), elem) < 0)
		return -1;
	return jd_with(d, o, "data", notification_data, elem, JD_OPTIONAL);
}

static int
notifications_root(struct jd *d, const json_t *root, void *arg)
{
	static const struct jd_field fields[] = {
	    JD_FIELD(struct notification_list, "total_rows_notifications",
	             JD_INT, total_rows),
	    JD_FIELD(struct notification_list, "seen_notification_id", JD_INT64,
	             seen_notification_id),
	    JD_FIELD(struct notification_list, "load_more_notifications",
	             JD_STR, load_more_url),
	};
	struct notification_list *l = arg;

	l->total_rows = -1; /* recent=true lists leave it out */
	if (jd_fields(d, root, fields, AMBT_ARRAY_LEN(fields), l) < 0)
		return -1;
	return jd_objects(d, root, "notifications", &l->items, &l->n,
	                  sizeof *l->items, decode_notification, NULL);
}

int
api_decode_notifications(const char *body, size_t len,
                         struct notification_list **out, struct ambt_error *err)
{
	struct notification_list *l = xcalloc(1, sizeof *l);

	*out = NULL;
	if (jd_decode(body, len, err, notifications_root, l) < 0) {
		notification_list_free(l);
		return -1;
	}
	*out = l;
	return 0;
}
