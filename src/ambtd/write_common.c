/* write_common.c: lookups and notifications the writing endpoints share. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ambtd/ambtd.h"
#include "ambtd/message_bus.h"
#include "ambtd/write.h"

int
post_ref_visible(int64_t post_id, const struct user_ref *viewer,
                 struct post_ref *out)
{
	sqlite3_stmt *st =
	    db_stmt(ambtd->db, "SELECT topic_id, user_id, post_number "
	                       "FROM posts WHERE id = ? AND "
	                       "deleted_at IS NULL");

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, post_id);
	if (sqlite3_step(st) != SQLITE_ROW)
		return -1;
	out->id = post_id;
	out->topic_id = sqlite3_column_int64(st, 0);
	out->user_id = sqlite3_column_int64(st, 1);
	out->post_number = sqlite3_column_int64(st, 2);
	sqlite3_reset(st);
	return user_can_see_topic(viewer, out->topic_id) ? 0 : -1;
}

int64_t
user_id_by_name(const char *name, size_t len)
{
	sqlite3_stmt *st =
	    db_stmt(ambtd->db, "SELECT id FROM users WHERE username = ?");
	int64_t id = 0;

	if (st == NULL)
		return 0;
	sqlite3_bind_text(st, 1, name, (int)len, SQLITE_TRANSIENT);
	if (sqlite3_step(st) == SQLITE_ROW)
		id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return id;
}

bool
user_ref_load(int64_t user_id, struct user_ref *out)
{
	sqlite3_stmt *st =
	    db_stmt(ambtd->db, "SELECT username, admin, moderator, "
	                       "trust_level FROM users WHERE id = ?");

	memset(out, 0, sizeof(*out));
	if (st == NULL)
		return false;
	sqlite3_bind_int64(st, 1, user_id);
	if (sqlite3_step(st) != SQLITE_ROW)
		return false;
	out->id = user_id;
	snprintf(out->username, sizeof(out->username), "%s",
	         (const char *)sqlite3_column_text(st, 0));
	out->admin = sqlite3_column_int(st, 1) != 0;
	out->moderator = sqlite3_column_int(st, 2) != 0;
	out->trust_level = sqlite3_column_int(st, 3);
	sqlite3_reset(st);
	return true;
}

static char *
topic_title(int64_t topic_id)
{
	sqlite3_stmt *st =
	    db_stmt(ambtd->db, "SELECT title FROM topics WHERE id = ?");
	char *title = NULL;

	if (st == NULL)
		return NULL;
	sqlite3_bind_int64(st, 1, topic_id);
	if (sqlite3_step(st) == SQLITE_ROW)
		title = strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_reset(st);
	return title;
}

/* The data Discourse's PostAlerter stores with a post notification. */
static char *
notification_data(enum notification_type type, const struct post_ref *p,
                  const struct user_ref *actor)
{
	char *title = topic_title(p->topic_id);
	json_t *data = json_pack(
	    "{s:s, s:I, s:i, s:s, s:n, s:s}", "topic_title", title ? title : "",
	    "original_post_id", (json_int_t)p->id, "original_post_type", 1,
	    "original_username", actor->username, "revision_number",
	    "display_username", actor->username);
	char *text;

	if (data && type == NT_LIKED) /* the liker, as PostAlerter */
		json_object_set_new(data, "username",
		                    json_string(actor->username));
	text = data ? json_dumps(data, JSON_COMPACT) : NULL;

	json_decref(data);
	free(title);
	return text;
}

/* What the user's clients hear of a new notification: the alert and the
 * counts; a like also shows on the topic (PostActionCreator publishes
 * "liked"; post_actions.c notifies of each like, so it is done here). */
static void
publish_notification(int64_t user_id, enum notification_type type,
                     const struct post_ref *p)
{
	mb_publish_notification_alert(
	    sqlite3_last_insert_rowid(db_handle(ambtd->db)));
	mb_publish_notification_state(user_id);
	if (type == NT_LIKED)
		mb_publish_post(p->id, "liked");
}

int
notify_user(int64_t user_id, enum notification_type type,
            const struct post_ref *p, const struct user_ref *actor)
{
	sqlite3_stmt *st = db_stmt(
	    ambtd->db, "INSERT INTO notifications(user_id, notification_type,"
	               " topic_id, post_number, data, created_at,"
	               " high_priority) VALUES (?, ?, ?, ?, ?, ?, ?)");
	char *data = notification_data(type, p, actor);
	int rc;

	if (st == NULL || data == NULL) {
		free(data);
		return -1;
	}
	sqlite3_bind_int64(st, 1, user_id);
	sqlite3_bind_int(st, 2, (int)type);
	sqlite3_bind_int64(st, 3, p->topic_id);
	sqlite3_bind_int64(st, 4, p->post_number);
	sqlite3_bind_text(st, 5, data, -1, free);
	sqlite3_bind_int64(st, 6, db_now());
	/* Notification.high_priority_types */
	sqlite3_bind_int(st, 7, type == NT_PRIVATE_MESSAGE);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
	sqlite3_reset(st);
	if (rc == 0)
		publish_notification(user_id, type, p);
	return rc;
}

int
topic_user_ensure(int64_t topic_id, int64_t user_id)
{
	sqlite3_stmt *st =
	    db_stmt(ambtd->db, "INSERT INTO topic_users(topic_id, user_id)"
	                       " VALUES (?, ?) ON CONFLICT DO NOTHING");
	int rc;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, topic_id);
	sqlite3_bind_int64(st, 2, user_id);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
	sqlite3_reset(st);
	return rc;
}
