/*
 * message_bus_publish.c: the messages ambtd publishes, with the payloads
 * Discourse's models publish (TopicTrackingState, Post, User,
 * PostAlerter, the events plugin) and the audience Discourse gives them:
 * a topic's messages to those who may read the topic, a user's
 * notifications to that user alone. Called inside the writing
 * transaction; the messages go out after it (mb_queue).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ambtd/message_bus.h"
#include "ambtd/read.h"

#define EXCERPT_LENGTH 400 /* PostAlerter's excerpt */
#define RECENT_NOTIFICATIONS 10

/* A private message's participants into its audience. */
static void
add_participants(int64_t topic_id, struct mb_audience *a)
{
	sqlite3_stmt *st = db_stmt(ambtd->db, "SELECT user_id FROM"
	                                      " topic_allowed_users WHERE"
	                                      " topic_id = ? LIMIT ?");

	if (!st)
		return;
	sqlite3_bind_int64(st, 1, topic_id);
	sqlite3_bind_int(st, 2, MB_MAX_PARTICIPANTS);
	while (a->n_participants < MB_MAX_PARTICIPANTS &&
	       sqlite3_step(st) == SQLITE_ROW)
		a->participants[a->n_participants++] =
		    sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
}

void
mb_topic_audience(int64_t topic_id, struct mb_audience *a)
{
	bool is_pm = false;

	sqlite3_stmt *st = db_stmt(
	    ambtd->db, "SELECT c.read_group_id, t.archetype, t.user_id FROM "
	               "topics t LEFT JOIN categories c ON c.id = "
	               "t.category_id WHERE t.id = ?");

	memset(a, 0, sizeof *a);
	a->staff_only = true; /* a topic that cannot be read: staff only */
	if (!st)
		return;
	sqlite3_bind_int64(st, 1, topic_id);
	if (sqlite3_step(st) == SQLITE_ROW) {
		a->staff_only = false;
		if (sqlite3_column_type(st, 0) != SQLITE_NULL)
			a->group_id = sqlite3_column_int64(st, 0);
		if (strcmp((const char *)sqlite3_column_text(st, 1),
		           "private_message") == 0) {
			a->staff_only = true;
			a->user_id = sqlite3_column_int64(st, 2);
			is_pm = true;
		}
	}
	sqlite3_reset(st);
	if (is_pm)
		add_participants(topic_id, a);
}

static void
queue_topic_message(const char *channel, int64_t topic_id, json_t *data)
{
	struct mb_audience a;

	mb_topic_audience(topic_id, &a);
	mb_queue(channel, data, &a);
}

/* A channel of one topic's, "/topic/12". */
static void
queue_per_topic(const char *prefix, int64_t topic_id, json_t *data)
{
	char channel[64];

	snprintf(channel, sizeof channel, "%s%lld", prefix,
	         (long long)topic_id);
	queue_topic_message(channel, topic_id, data);
}

/* Post#publish_change_to_clients! */
void
mb_publish_post(int64_t post_id, const char *type)
{
	sqlite3_stmt *st =
	    db_stmt(ambtd->db, "SELECT topic_id, post_number, user_id, version "
	                       "FROM posts WHERE id = ?");
	json_t *data = NULL;
	int64_t topic_id = 0;

	if (!st)
		return;
	sqlite3_bind_int64(st, 1, post_id);
	if (sqlite3_step(st) == SQLITE_ROW) {
		topic_id = sqlite3_column_int64(st, 0);
		data = json_pack(
		    "{s:I, s:I, s:o, s:I, s:I, s:s, s:I}", "id",
		    (json_int_t)post_id, "post_number",
		    (json_int_t)sqlite3_column_int64(st, 1), "updated_at",
		    json_time(db_now()), "user_id",
		    (json_int_t)sqlite3_column_int64(st, 2), "last_editor_id",
		    (json_int_t)sqlite3_column_int64(st, 2), "type", type,
		    "version", (json_int_t)sqlite3_column_int64(st, 3));
	}
	sqlite3_reset(st);
	if (data)
		queue_per_topic("/topic/", topic_id, data);
}

static bool
is_private_message(json_t *latest)
{
	json_t *payload = json_object_get(latest, "payload");

	return strcmp(json_string_value(json_object_get(payload, "archetype")),
	              "private_message") == 0;
}

/* TopicTrackingState.publish_latest and publish_new */
void
mb_publish_topic_bump(int64_t topic_id, bool new_topic)
{
	sqlite3_stmt *st = db_stmt(
	    ambtd->db, "SELECT bumped_at, category_id, archetype, created_at "
	               "FROM topics WHERE id = ?");
	json_t *latest = NULL, *fresh = NULL;

	if (!st)
		return;
	sqlite3_bind_int64(st, 1, topic_id);
	if (sqlite3_step(st) == SQLITE_ROW) {
		latest = json_pack(
		    "{s:I, s:s, s:{s:o, s:o, s:s}}", "topic_id",
		    (json_int_t)topic_id, "message_type", "latest", "payload",
		    "bumped_at", json_time(sqlite3_column_int64(st, 0)),
		    "category_id", int_or_null(st, 1), "archetype",
		    (const char *)sqlite3_column_text(st, 2));
		if (new_topic)
			fresh = json_pack(
			    "{s:I, s:s, s:{s:n, s:i, s:o, s:o, s:s, s:b}}",
			    "topic_id", (json_int_t)topic_id, "message_type",
			    "new_topic", "payload", "last_read_post_number",
			    "highest_post_number", 1, "created_at",
			    json_time(sqlite3_column_int64(st, 3)),
			    "category_id", int_or_null(st, 1), "archetype",
			    (const char *)sqlite3_column_text(st, 2),
			    "created_in_new_period", 1);
	}
	sqlite3_reset(st);
	if (latest && is_private_message(latest)) {
		/* TopicTrackingState publishes regular topics only */
		json_decref(latest);
		json_decref(fresh);
		return;
	}
	if (latest)
		queue_topic_message("/latest", topic_id, latest);
	if (fresh)
		queue_topic_message("/new", topic_id, fresh);
}

static void
queue_user_channel(const char *prefix, int64_t user_id, json_t *data)
{
	struct mb_audience a = {.user_id = user_id};
	char channel[64];

	snprintf(channel, sizeof channel, "%s%lld", prefix, (long long)user_id);
	mb_queue(channel, data, &a);
}

/* A notification row as User#publish_notifications_state's
 * last_notification holds it. */
static json_t *
last_notification(int64_t user_id)
{
	sqlite3_stmt *st = db_stmt(
	    ambtd->db,
	    "SELECT n.id, n.notification_type, n.read, n.high_priority,"
	    " n.created_at, n.post_number, n.topic_id, t.slug, n.data FROM"
	    " notifications n LEFT JOIN topics t ON t.id = n.topic_id"
	    " WHERE n.user_id = ? ORDER BY n.id DESC LIMIT 1");
	json_t *n = NULL, *data;

	if (!st)
		return json_null();
	sqlite3_bind_int64(st, 1, user_id);
	if (sqlite3_step(st) == SQLITE_ROW) {
		data = json_loads((const char *)sqlite3_column_text(st, 8), 0,
		                  NULL);
		n = json_pack(
		    "{s:{s:I, s:I, s:i, s:b, s:b, s:o, s:o, s:o, s:o, s:o}}",
		    "notification", "id",
		    (json_int_t)sqlite3_column_int64(st, 0), "user_id",
		    (json_int_t)user_id, "notification_type",
		    sqlite3_column_int(st, 1), "read",
		    sqlite3_column_int(st, 2), "high_priority",
		    sqlite3_column_int(st, 3), "created_at",
		    json_time(sqlite3_column_int64(st, 4)), "post_number",
		    int_or_null(st, 5), "topic_id", int_or_null(st, 6), "slug",
		    json_col_text(st, 7), "data", data ? data : json_object());
	}
	sqlite3_reset(st);
	return n ? n : json_null();
}

/* [[id, read], ...] of the newest notifications. */
static json_t *
recent_notifications(int64_t user_id)
{
	sqlite3_stmt *st =
	    db_stmt(ambtd->db, "SELECT id, read FROM notifications WHERE "
	                       "user_id = ? ORDER BY id DESC LIMIT ?");
	json_t *list = json_array();

	if (!st)
		return list;
	sqlite3_bind_int64(st, 1, user_id);
	sqlite3_bind_int(st, 2, RECENT_NOTIFICATIONS);
	while (sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(
		    list,
		    json_pack("[I, b]", (json_int_t)sqlite3_column_int64(st, 0),
		              sqlite3_column_int(st, 1)));
	sqlite3_reset(st);
	return list;
}

/* User#publish_notifications_state */
void
mb_publish_notification_state(int64_t user_id)
{
	struct notification_counts c;
	json_t *data;

	if (notification_counts_load(user_id, &c) < 0)
		return;
	data = json_pack(
	    "{s:I, s:I, s:b, s:o, s:o, s:I, s:I, s:o, s:I}",
	    "unread_notifications", (json_int_t)c.unread_low_priority,
	    "unread_high_priority_notifications",
	    (json_int_t)c.unread_high_priority, "read_first_notification",
	    c.any_read, "last_notification", last_notification(user_id),
	    "recent", recent_notifications(user_id), "seen_notification_id",
	    (json_int_t)c.seen_id, "all_unread_notifications_count",
	    (json_int_t)c.unread_all, "grouped_unread_notifications", c.grouped,
	    "new_personal_messages_notifications_count",
	    (json_int_t)c.unread_private_messages);
	c.grouped = NULL; /* taken by data */
	if (data)
		queue_user_channel("/notification/", user_id, data);
}

/* PostAlerter#create_notification_alert */
void
mb_publish_notification_alert(int64_t notification_id)
{
	sqlite3_stmt *st = db_stmt(
	    ambtd->db,
	    "SELECT n.user_id, n.notification_type, n.post_number,"
	    " n.topic_id, t.title, t.slug, p.cooked,"
	    " json_extract(n.data, '$.display_username') FROM notifications n"
	    " JOIN topics t ON t.id = n.topic_id JOIN posts p ON"
	    " p.topic_id = n.topic_id AND p.post_number = n.post_number"
	    " WHERE n.id = ?");
	json_t *data = NULL;
	int64_t user_id = 0;
	char url[320], *excerpt;

	if (!st)
		return;
	sqlite3_bind_int64(st, 1, notification_id);
	if (sqlite3_step(st) == SQLITE_ROW) {
		user_id = sqlite3_column_int64(st, 0);
		snprintf(url, sizeof url, "/t/%s/%lld/%lld",
		         (const char *)sqlite3_column_text(st, 5),
		         (long long)sqlite3_column_int64(st, 3),
		         (long long)sqlite3_column_int64(st, 2));
		excerpt = plain_excerpt(
		    (const char *)sqlite3_column_text(st, 6), EXCERPT_LENGTH);
		data = json_pack(
		    "{s:i, s:I, s:s, s:I, s:s?, s:o, s:s}", "notification_type",
		    sqlite3_column_int(st, 1), "post_number",
		    (json_int_t)sqlite3_column_int64(st, 2), "topic_title",
		    (const char *)sqlite3_column_text(st, 4), "topic_id",
		    (json_int_t)sqlite3_column_int64(st, 3), "excerpt", excerpt,
		    "username", json_col_text(st, 7), "post_url", url);
		free(excerpt);
	}
	sqlite3_reset(st);
	if (data)
		queue_user_channel("/notification-alert/", user_id, data);
}

/* The events plugin's publish_to_client: the event's id, on its topic. */
void
mb_publish_event(int64_t post_id)
{
	sqlite3_stmt *st =
	    db_stmt(ambtd->db, "SELECT topic_id FROM posts WHERE id = ?");
	int64_t topic_id = 0;

	if (!st)
		return;
	sqlite3_bind_int64(st, 1, post_id);
	if (sqlite3_step(st) == SQLITE_ROW)
		topic_id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (topic_id > 0)
		queue_per_topic("/discourse-post-event/", topic_id,
		                json_pack("{s:I}", "id", (json_int_t)post_id));
}
