/*
 * notifications.c: the caller's notifications (GET /notifications.json),
 * their counts (GET /notifications/totals.json) and marking them read
 * (PUT /notifications/mark-read.json), as Discourse's
 * NotificationsController answers.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ambtd/ambtd.h"
#include "ambtd/message_bus.h"
#include "ambtd/read.h"

#define MAX_LIMIT 60
#define RECENT_LIMIT 15 /* recent=true: the user menu's list */
#define RECENT_MAX 50
#define TYPE_PRIVATE_MESSAGE 6

static const char list_sql[] =
    "SELECT n.id, n.notification_type, n.read, n.high_priority,"
    " n.created_at, n.post_number, n.topic_id, n.data, t.title, t.slug,"
    " COUNT(*) OVER () FROM notifications n LEFT JOIN topics t ON"
    " t.id = n.topic_id WHERE n.user_id = :user AND"
    " (:filter = 0 OR (:filter = 1 AND n.read) OR (:filter = 2 AND"
    " NOT n.read))"
    " ORDER BY n.high_priority AND NOT n.read DESC, n.created_at DESC,"
    " n.id DESC"
    " LIMIT :limit OFFSET :offset";

/* The data column, parsed; an empty object when it is not JSON. */
static json_t *
notification_data(sqlite3_stmt *st, int col)
{
	const char *text = (const char *)sqlite3_column_text(st, col);
	json_t *data = text ? json_loads(text, 0, NULL) : NULL;

	if (!json_is_object(data)) {
		json_decref(data);
		data = json_object();
	}
	return data;
}

/* Whose action it was, from the data, for the avatar Discourse adds. */
static void
add_acting_user(json_t *n, json_t *data)
{
	const char *username =
	    json_string_value(json_object_get(data, "original_username"));
	sqlite3_stmt *st;
	char *avatar;

	if (!username)
		return;
	st = db_stmt(ambtd->db, "SELECT name FROM users WHERE username = ?");
	if (!st)
		return;
	sqlite3_bind_text(st, 1, username, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(st) != SQLITE_ROW)
		return;
	avatar = avatar_template(username);
	json_object_set_new(n, "acting_user_avatar_template",
	                    json_str_or_null(avatar));
	json_object_set_new(n, "acting_user_name", json_col_text(st, 0));
	free(avatar);
}

static json_t *
notification_json(sqlite3_stmt *st, int64_t user_id)
{
	const char *title = (const char *)sqlite3_column_text(st, 8);
	json_t *data = notification_data(st, 7);
	json_t *n = json_pack(
	    "{s:I, s:I, s:n, s:i, s:b, s:b, s:o, s:o, s:o, s:o, s:o, s:o}",
	    "id", (json_int_t)sqlite3_column_int64(st, 0), "user_id",
	    (json_int_t)user_id, "external_id", "notification_type",
	    sqlite3_column_int(st, 1), "read", sqlite3_column_int(st, 2),
	    "high_priority", sqlite3_column_int(st, 3), "created_at",
	    json_time(sqlite3_column_int64(st, 4)), "post_number",
	    int_or_null(st, 5), "topic_id", int_or_null(st, 6), "fancy_title",
	    title ? topic_fancy_title(title) : json_null(), "slug",
	    json_col_text(st, 9), "data", data);

	if (n)
		add_acting_user(n, json_object_get(n, "data"));
	return n;
}

/* filter=read|unread as 1 or 2, 0 for all; -1 for anything else. */
static int
read_filter(const char *filter)
{
	if (!filter)
		return 0;
	if (strcmp(filter, "read") == 0)
		return 1;
	if (strcmp(filter, "unread") == 0)
		return 2;
	return -1;
}

/* The newest notification the user has seen: the newest one read. */
static int64_t
seen_notification_id(int64_t user_id)
{
	sqlite3_stmt *st =
	    db_stmt(ambtd->db, "SELECT COALESCE(MAX(id), 0) FROM "
	                       "notifications WHERE user_id = ? AND read");

	if (!st)
		return 0;
	sqlite3_bind_int64(st, 1, user_id);
	return sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
}

/*
 * recent=true asks for the user menu's list: 15 by default, at most 50
 * (a larger limit is cut, not refused), without the paging fields.
 * Discourse also marks them seen unless silent is given; ambtd's seen id
 * is the newest read one, which a list never changes, so silent has
 * nothing to hold back.
 */
static int
read_limits(const struct req *r, bool recent, int64_t *limit, int64_t *offset)
{
	const char *asked = req_param(r, "limit");

	if (!recent) {
		if (param_in_range(r, "limit", 1, MAX_LIMIT, MAX_LIMIT, limit) <
		    0)
			return -1;
		return param_in_range(r, "offset", 0, INT32_MAX, 0, offset);
	}
	*offset = 0;
	*limit = RECENT_LIMIT;
	if (asked && (parse_int64(asked, limit) < 0 || *limit < 1))
		return -1;
	if (*limit > RECENT_MAX)
		*limit = RECENT_MAX;
	return 0;
}

static void
notifications_index(struct req *r, struct resp *out)
{
	sqlite3_stmt *st = db_stmt(ambtd->db, list_sql);
	int filter = read_filter(req_param(r, "filter"));
	const char *recent_param = req_param(r, "recent");
	bool recent = recent_param && *recent_param;
	int64_t limit, offset, total = 0;
	char more[160];
	json_t *list, *j;

	if (filter < 0 || read_limits(r, recent, &limit, &offset) < 0) {
		resp_bad_param(out, filter < 0 ? "filter" : "limit");
		return;
	}
	if (!st) {
		resp_error(out, 500, "server_error", "No notifications.");
		return;
	}
	sqlite3_bind_int64(st, sqlite3_bind_parameter_index(st, ":user"),
	                   r->user.id);
	sqlite3_bind_int(st, sqlite3_bind_parameter_index(st, ":filter"),
	                 filter);
	sqlite3_bind_int64(st, sqlite3_bind_parameter_index(st, ":limit"),
	                   limit);
	sqlite3_bind_int64(st, sqlite3_bind_parameter_index(st, ":offset"),
	                   offset);
	list = json_array();
	while (sqlite3_step(st) == SQLITE_ROW) {
		json_t *n = notification_json(st, r->user.id);

		total = sqlite3_column_int64(st, 10);
		if (n)
			json_array_append_new(list, n);
	}
	j = json_pack("{s:o, s:I}", "notifications", list,
	              "seen_notification_id",
	              (json_int_t)seen_notification_id(r->user.id));
	if (j && !recent) {
		snprintf(more, sizeof more,
		         "/notifications?offset=%lld&username=%s",
		         (long long)(offset + limit), r->user.username);
		json_object_set_new(j, "total_rows_notifications",
		                    json_integer(total));
		json_object_set_new(j, "load_more_notifications",
		                    json_string(more));
	}
	resp_json(out, 200, j);
}

/* id=N marks that one (if it is the caller's), nothing marks them all. */
static void
mark_read(struct req *r, struct resp *out)
{
	bool one = req_param(r, "id") != NULL;
	int64_t id = 0;
	sqlite3_stmt *st;

	if (one && req_param_int(r, "id", &id) < 0) {
		resp_bad_param(out, "id");
		return;
	}
	st = db_stmt(ambtd->db,
	             "UPDATE notifications SET read = 1 WHERE "
	             "user_id = ? AND NOT read AND (? = 0 OR id = ?)");
	if (!st) {
		resp_error(out, 500, "server_error", "Nothing was marked.");
		return;
	}
	sqlite3_bind_int64(st, 1, r->user.id);
	sqlite3_bind_int(st, 2, one);
	sqlite3_bind_int64(st, 3, id);
	if (sqlite3_step(st) != SQLITE_DONE) {
		resp_error(out, 500, "server_error", "Nothing was marked.");
		return;
	}
	mb_publish_notification_state(r->user.id);
	resp_json(out, 200, json_pack("{s:s}", "success", "OK"));
}

/* The unread ones by type, as grouped_unread_notifications. */
static json_t *
unread_by_type(int64_t user_id)
{
	sqlite3_stmt *st = db_stmt(
	    ambtd->db, "SELECT notification_type, COUNT(*) FROM notifications"
	               " WHERE user_id = ? AND NOT read GROUP BY 1");
	json_t *grouped = json_object();
	char key[24];

	if (!st)
		return grouped;
	sqlite3_bind_int64(st, 1, user_id);
	while (sqlite3_step(st) == SQLITE_ROW) {
		snprintf(key, sizeof key, "%d", sqlite3_column_int(st, 0));
		json_object_set_new(grouped, key,
		                    json_integer(sqlite3_column_int64(st, 1)));
	}
	sqlite3_reset(st);
	return grouped;
}

int
notification_counts_load(int64_t user_id, struct notification_counts *c)
{
	sqlite3_stmt *st = db_stmt(
	    ambtd->db,
	    "SELECT COUNT(*) FILTER (WHERE NOT read),"
	    " COUNT(*) FILTER (WHERE NOT read AND high_priority),"
	    " COUNT(*) FILTER (WHERE NOT read AND notification_type = ?2),"
	    " COALESCE(MAX(id) FILTER (WHERE read), 0),"
	    " COUNT(*) FILTER (WHERE read) FROM notifications"
	    " WHERE user_id = ?1");

	memset(c, 0, sizeof *c);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, user_id);
	sqlite3_bind_int(st, 2, TYPE_PRIVATE_MESSAGE);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		return -1;
	}
	c->unread_all = sqlite3_column_int64(st, 0);
	c->unread_high_priority = sqlite3_column_int64(st, 1);
	c->unread_low_priority = c->unread_all - c->unread_high_priority;
	c->unread_private_messages = sqlite3_column_int64(st, 2);
	c->seen_id = sqlite3_column_int64(st, 3);
	c->any_read = sqlite3_column_int64(st, 4) > 0;
	sqlite3_reset(st);
	c->grouped = unread_by_type(user_id);
	return 0;
}

/* Topics the viewer never opened (new) and tracked ones with posts
 * after the last read (unread), as the topic lists count them. */
static json_t *
topic_tracking(const struct user_ref *u)
{
	sqlite3_stmt *st = db_stmt(
	    ambtd->db,
	    "SELECT COUNT(*) FILTER (WHERE tu.topic_id IS NULL),"
	    " COUNT(*) FILTER (WHERE tu.notification_level >= 2 AND"
	    " tu.last_read_post_number < t.highest_post_number)"
	    " FROM topics t LEFT JOIN topic_users tu ON tu.topic_id = t.id"
	    " AND tu.user_id = :uid WHERE t.visible AND " VISIBLE_TOPIC_SQL);
	int64_t fresh = 0, unread = 0;

	if (st) {
		bind_viewer(st, u);
		if (sqlite3_step(st) == SQLITE_ROW) {
			fresh = sqlite3_column_int64(st, 0);
			unread = sqlite3_column_int64(st, 1);
		}
		sqlite3_reset(st);
	}
	return json_pack("{s:I, s:I}", "new", (json_int_t)fresh, "unread",
	                 (json_int_t)unread);
}

/* UserNotificationTotalSerializer: the unread notifications less the
 * private messages, which count on their own. */
static void
totals(struct req *r, struct resp *out)
{
	struct notification_counts c;

	if (notification_counts_load(r->user.id, &c) < 0) {
		resp_error(out, 500, "server_error", "No totals.");
		return;
	}
	json_decref(c.grouped);
	resp_json(
	    out, 200,
	    json_pack("{s:I, s:I, s:i, s:o, s:[]}", "unread_notifications",
	              (json_int_t)(c.unread_all - c.unread_private_messages),
	              "unread_personal_messages",
	              (json_int_t)c.unread_private_messages,
	              "unseen_reviewables", 0, "topic_tracking",
	              topic_tracking(&r->user), "group_inboxes"));
}

const struct route routes_notifications[] = {
    {"GET", "/notifications.json", notifications_index, true},
    {"PUT", "/notifications/mark-read.json", mark_read, true},
    {"GET", "/notifications/totals.json", totals, true},
    {NULL, NULL, NULL, false},
};
