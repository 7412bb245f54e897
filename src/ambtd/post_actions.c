/*
 * post_actions.c: likes and flags, as Discourse's PostActionsController.
 * POST /post_actions.json (id = the post, post_action_type_id = 2 for a
 * like; 3 off_topic, 4 inappropriate, 8 spam, 7 notify_moderators, which
 * needs a message, for a flag) and DELETE
 * /post_actions/{post_id}.json?post_action_type_id=2; both answer with the
 * post. Acting on one's own post or taking the same action twice is 403
 * invalid_access (Guardian#post_can_act?); unliking what was not liked is
 * 404. A flag's message is kept for the review queue (review.c).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "ambtd/ambtd.h"
#include "ambtd/message_bus.h"
#include "ambtd/write.h"

#define ACTION_LIKE 2
#define ACTION_NOTIFY_MODERATORS 7
#define MAX_MESSAGE_LENGTH 32000

/* The flags ambtd takes: PostActionType.flag_types, notify_user aside. */
static bool
is_flag(int64_t type)
{
	return type == 3 || type == 4 || type == 8 ||
	       type == ACTION_NOTIFY_MODERATORS;
}

static bool
acted(const struct post_ref *p, int64_t user_id, int64_t type)
{
	sqlite3_stmt *st =
	    db_stmt(ambtd->db, "SELECT 1 FROM post_actions WHERE "
	                       "post_id = ? AND user_id = ? AND "
	                       "post_action_type_id = ?");
	bool yes;

	if (st == NULL)
		return false;
	sqlite3_bind_int64(st, 1, p->id);
	sqlite3_bind_int64(st, 2, user_id);
	sqlite3_bind_int64(st, 3, type);
	yes = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_reset(st);
	return yes;
}

static bool
liked(const struct post_ref *p, int64_t user_id)
{
	return acted(p, user_id, ACTION_LIKE);
}

static int
run(sqlite3_stmt *st)
{
	int rc = st && sqlite3_step(st) == SQLITE_DONE ? 0 : -1;

	if (st)
		sqlite3_reset(st);
	return rc;
}

/* Add (delta 1) or take back (-1) a like, with the topic's like_count
 * and the author's "liked" notification, in one transaction. */
static int
store_like(const struct post_ref *p, const struct user_ref *u, int delta)
{
	sqlite3_stmt *act =
	    delta > 0
	        ? db_stmt(ambtd->db,
	                  "INSERT INTO post_actions(post_id, user_id,"
	                  " post_action_type_id, created_at)"
	                  " VALUES (?1, ?2, 2, ?3)")
	        : db_stmt(ambtd->db,
	                  "DELETE FROM post_actions WHERE post_id = ?1 AND"
	                  " user_id = ?2 AND post_action_type_id = 2"
	                  " AND ?3 IS NOT NULL");
	sqlite3_stmt *count = db_stmt(
	    ambtd->db, "UPDATE topics SET like_count = MAX(0, like_count + ?)"
	               " WHERE id = ?");
	sqlite3_stmt *unnotify =
	    db_stmt(ambtd->db, "DELETE FROM notifications WHERE user_id = ? AND"
	                       " notification_type = 5 AND topic_id = ? AND"
	                       " post_number = ? AND"
	                       " json_extract(data, '$.display_username') = ?");

	if (act == NULL || count == NULL || unnotify == NULL ||
	    db_begin(ambtd->db) < 0)
		return -1;
	sqlite3_bind_int64(act, 1, p->id);
	sqlite3_bind_int64(act, 2, u->id);
	sqlite3_bind_int64(act, 3, db_now());
	sqlite3_bind_int(count, 1, delta);
	sqlite3_bind_int64(count, 2, p->topic_id);
	sqlite3_bind_int64(unnotify, 1, p->user_id);
	sqlite3_bind_int64(unnotify, 2, p->topic_id);
	sqlite3_bind_int64(unnotify, 3, p->post_number);
	sqlite3_bind_text(unnotify, 4, u->username, -1, SQLITE_TRANSIENT);
	if (run(act) < 0 || run(count) < 0 ||
	    (delta > 0 ? notify_user(p->user_id, NT_LIKED, p, u)
	               : run(unnotify)) < 0 ||
	    db_commit(ambtd->db) < 0) {
		db_rollback(ambtd->db);
		return -1;
	}
	return 0;
}

/* The viewer's flags in actions_summary, as PostSerializer shows a flag
 * one has made: acted, and not undone here. */
static void
add_flags_acted(json_t *post, const struct post_ref *p,
                const struct user_ref *u)
{
	sqlite3_stmt *st = db_stmt(
	    ambtd->db, "SELECT post_action_type_id FROM post_actions WHERE "
	               "post_id = ? AND user_id = ? AND "
	               "post_action_type_id IN (3, 4, 7, 8) "
	               "ORDER BY post_action_type_id");
	json_t *list = json_object_get(post, "actions_summary");

	if (st == NULL || !json_is_array(list))
		return;
	sqlite3_bind_int64(st, 1, p->id);
	sqlite3_bind_int64(st, 2, u->id);
	while (sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(
		    list, json_pack("{s:I, s:b, s:b}", "id",
		                    (json_int_t)sqlite3_column_int64(st, 0),
		                    "acted", 1, "can_undo", 0));
	sqlite3_reset(st);
}

static void
answer_post(const struct post_ref *p, const struct user_ref *u,
            struct resp *out)
{
	json_t *j = serialize_post(p->id, u, false);

	if (j == NULL) {
		resp_not_found(out);
		return;
	}
	add_flags_acted(j, p, u);
	resp_json(out, 200, j);
}

/* A like (both ways) or, with flags true, one of the flags; the rest are
 * a 400. */
static bool
check_type(const struct req *r, struct resp *out, bool flags, int64_t *type)
{
	if (req_param_int(r, "post_action_type_id", type) < 0 ||
	    (*type != ACTION_LIKE && !(flags && is_flag(*type)))) {
		resp_bad_param(out, "post_action_type_id");
		return false;
	}
	return true;
}

/* The flag's row and its message, in one transaction. */
static int
store_flag(const struct post_ref *p, const struct user_ref *u, int64_t type,
           const char *message)
{
	sqlite3_stmt *act, *msg;

	act = db_stmt(ambtd->db,
	              "INSERT INTO post_actions(post_id, user_id,"
	              " post_action_type_id, created_at) VALUES (?, ?, ?, ?)");
	msg = db_stmt(ambtd->db,
	              "INSERT INTO post_action_messages(post_action_id,"
	              " message) VALUES (last_insert_rowid(), ?)");
	if (act == NULL || msg == NULL || db_begin(ambtd->db) < 0)
		return -1;
	sqlite3_bind_int64(act, 1, p->id);
	sqlite3_bind_int64(act, 2, u->id);
	sqlite3_bind_int64(act, 3, type);
	sqlite3_bind_int64(act, 4, db_now());
	sqlite3_bind_text(msg, 1, message ? message : "", -1, SQLITE_TRANSIENT);
	if (run(act) < 0 || (message != NULL && run(msg) < 0) ||
	    db_commit(ambtd->db) < 0) {
		db_rollback(ambtd->db);
		return -1;
	}
	return 0;
}

/* notify_moderators says why in a message (PostActionCreator); the others
 * may add one. */
static bool
check_message(const struct req *r, int64_t type, struct resp *out)
{
	const char *message = req_param(r, "message");
	bool blank =
	    message == NULL || message[strspn(message, " \t\r\n")] == '\0';

	if (type == ACTION_NOTIFY_MODERATORS && blank) {
		resp_error(out, 422, "invalid_parameters",
		           "A message is required to notify the moderators.");
		return false;
	}
	if (message != NULL && strlen(message) > MAX_MESSAGE_LENGTH) {
		resp_error(out, 422, "invalid_parameters",
		           "The message is too long.");
		return false;
	}
	return true;
}

static void
flag_create(struct req *r, const struct post_ref *p, int64_t type,
            struct resp *out)
{
	const char *message = req_param(r, "message");

	if (!check_message(r, type, out))
		return;
	if (p->user_id == r->user.id || acted(p, r->user.id, type)) {
		resp_invalid_access(out);
		return;
	}
	if (store_flag(p, &r->user, type,
	               message && *message ? message : NULL) < 0) {
		resp_error(out, 500, "unknown", "Internal server error");
		return;
	}
	mb_publish_post(p->id, "acted"); /* PostActionCreator's, for a flag */
	answer_post(p, &r->user, out);
}

void
post_action_create(struct req *r, struct resp *out)
{
	struct post_ref p;
	int64_t id, type;

	if (!check_type(r, out, true, &type))
		return;
	if (req_param_int(r, "id", &id) < 0) {
		resp_bad_param(out, "id");
		return;
	}
	if (post_ref_visible(id, &r->user, &p) < 0) {
		resp_not_found(out);
		return;
	}
	if (type != ACTION_LIKE) {
		flag_create(r, &p, type, out);
		return;
	}
	if (p.user_id == r->user.id || liked(&p, r->user.id)) {
		resp_invalid_access(out);
		return;
	}
	if (store_like(&p, &r->user, 1) < 0) {
		resp_error(out, 500, "unknown", "Internal server error");
		return;
	}
	answer_post(&p, &r->user, out);
}

void
post_action_destroy(struct req *r, struct resp *out)
{
	struct post_ref p;
	int64_t type;

	if (!check_type(r, out, false, &type))
		return;
	if (post_ref_visible(req_arg_int(r, 0), &r->user, &p) < 0 ||
	    !liked(&p, r->user.id)) {
		resp_not_found(out);
		return;
	}
	if (store_like(&p, &r->user, -1) < 0) {
		resp_error(out, 500, "unknown", "Internal server error");
		return;
	}
	mb_publish_post(p.id, "unliked"); /* as PostActionDestroyer does */
	answer_post(&p, &r->user, out);
}
