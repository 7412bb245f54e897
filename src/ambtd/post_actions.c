/*
 * post_actions.c: likes, as Discourse's PostActionsController. POST
 * /post_actions.json (id = the post, post_action_type_id = 2) and DELETE
 * /post_actions/{post_id}.json?post_action_type_id=2; both answer with
 * the post. Liking one's own post or liking twice is 403 invalid_access
 * (Guardian#post_can_act?); unliking what was not liked is 404.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "ambtd/ambtd.h"
#include "ambtd/write.h"

#define ACTION_LIKE 2

static bool
liked(const struct post_ref *p, int64_t user_id)
{
	sqlite3_stmt *st =
	    db_stmt(ambtd->db, "SELECT 1 FROM post_actions WHERE "
	                       "post_id = ? AND user_id = ? AND "
	                       "post_action_type_id = 2");
	bool yes;

	if (st == NULL)
		return false;
	sqlite3_bind_int64(st, 1, p->id);
	sqlite3_bind_int64(st, 2, user_id);
	yes = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_reset(st);
	return yes;
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
	    (delta > 0 ? notify_user(p->user_id, NOTIFY_LIKED, p, u)
	               : run(unnotify)) < 0 ||
	    db_commit(ambtd->db) < 0) {
		db_rollback(ambtd->db);
		return -1;
	}
	return 0;
}

static void
answer_post(const struct post_ref *p, const struct user_ref *u,
            struct resp *out)
{
	json_t *j = serialize_post(p->id, u, false);

	if (j == NULL)
		resp_not_found(out);
	else
		resp_json(out, 200, j);
}

/* Only likes are supported; flags and the rest are a 400. */
static bool
check_type(const struct req *r, struct resp *out)
{
	int64_t type;

	if (req_param_int(r, "post_action_type_id", &type) < 0 ||
	    type != ACTION_LIKE) {
		resp_bad_param(out, "post_action_type_id");
		return false;
	}
	return true;
}

void
post_action_create(struct req *r, struct resp *out)
{
	struct post_ref p;
	int64_t id;

	if (!check_type(r, out))
		return;
	if (req_param_int(r, "id", &id) < 0) {
		resp_bad_param(out, "id");
		return;
	}
	if (post_ref_visible(id, &r->user, &p) < 0) {
		resp_not_found(out);
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

	if (!check_type(r, out))
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
	answer_post(&p, &r->user, out);
}
