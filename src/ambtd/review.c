/*
 * review.c: the staff's review queue, as Discourse's ReviewablesController
 * names it: GET /review.json lists the flagged posts, newest flag first,
 * each a ReviewableFlaggedPost whose reviewable_scores are its flags (who,
 * which type, the message). Staff only: others get 403 invalid_access.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ambtd/review.h"

#define REVIEW_LIMIT 50

static const char flags_sql[] =
    "SELECT a.post_id, p.topic_id, p.post_number, a.id, a.user_id,"
    " u.username, a.post_action_type_id, m.message, a.created_at"
    " FROM post_actions a JOIN posts p ON p.id = a.post_id"
    " JOIN users u ON u.id = a.user_id"
    " LEFT JOIN post_action_messages m ON m.post_action_id = a.id"
    " WHERE a.post_action_type_id IN (3, 4, 7, 8)"
    " AND a.post_id IN (SELECT post_id FROM post_actions WHERE"
    "  post_action_type_id IN (3, 4, 7, 8) GROUP BY post_id"
    "  ORDER BY MAX(created_at) DESC, post_id DESC LIMIT ?)"
    " ORDER BY a.post_id DESC, a.created_at, a.id";

static const char *const type_names[] = {[3] = "off_topic",
                                         [4] = "inappropriate",
                                         [7] = "notify_moderators",
                                         [8] = "spam"};

/* A flag as a ReviewableScore. */
static json_t *
score_json(sqlite3_stmt *st)
{
	int64_t type = sqlite3_column_int64(st, 6);
	const char *name = type >= 0 && type < 9 ? type_names[type] : NULL;

	return json_pack("{s:I, s:I, s:s, s:{s:I, s:s?}, s:o, s:o}", "id",
	                 (json_int_t)sqlite3_column_int64(st, 3), "user_id",
	                 (json_int_t)sqlite3_column_int64(st, 4), "username",
	                 (const char *)sqlite3_column_text(st, 5), "score_type",
	                 "id", (json_int_t)type, "type", name, "reason",
	                 json_col_text(st, 7), "created_at",
	                 json_time(sqlite3_column_int64(st, 8)));
}

/* A flagged post as a ReviewableFlaggedPost, pending. */
static json_t *
reviewable_json(sqlite3_stmt *st)
{
	return json_pack(
	    "{s:I, s:s, s:s, s:I, s:I, s:I, s:I, s:i, s:o, s:[]}", "id",
	    (json_int_t)sqlite3_column_int64(st, 0), "type",
	    "ReviewableFlaggedPost", "target_type", "Post", "target_id",
	    (json_int_t)sqlite3_column_int64(st, 0), "post_id",
	    (json_int_t)sqlite3_column_int64(st, 0), "topic_id",
	    (json_int_t)sqlite3_column_int64(st, 1), "post_number",
	    (json_int_t)sqlite3_column_int64(st, 2), "status", 0, "created_at",
	    json_time(sqlite3_column_int64(st, 8)), "reviewable_scores");
}

static void
review_index(struct req *r, struct resp *out)
{
	sqlite3_stmt *st;
	json_t *list, *last = NULL;
	int64_t last_post = 0;

	if (!r->user.admin && !r->user.moderator) {
		resp_invalid_access(out);
		return;
	}
	if ((st = db_stmt(ambtd->db, flags_sql)) == NULL) {
		resp_error(out, 500, "unknown", "Internal server error");
		return;
	}
	sqlite3_bind_int(st, 1, REVIEW_LIMIT);
	list = json_array();
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (last == NULL || sqlite3_column_int64(st, 0) != last_post) {
			last_post = sqlite3_column_int64(st, 0);
			last = reviewable_json(st);
			json_array_append_new(list, last);
		}
		json_array_append_new(
		    json_object_get(last, "reviewable_scores"), score_json(st));
	}
	sqlite3_reset(st);
	resp_json(out, 200,
	          json_pack("{s:o, s:{s:I}}", "reviewables", list, "meta",
	                    "total_rows_reviewables",
	                    (json_int_t)json_array_size(list)));
}

const struct route routes_review[] = {
    {"GET", "/review.json", review_index, true},
    {NULL, NULL, NULL, false},
};
