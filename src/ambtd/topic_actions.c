/*
 * topic_actions.c: what a reader does to a topic, as Discourse's
 * TopicsController: bookmark it (PUT /t/{id}/bookmark.json), drop the
 * bookmarks (PUT or DELETE /t/{id}/remove_bookmarks.json), set the
 * notification level (POST /t/{id}/notifications.json) and report what was
 * read (POST /topics/timings). All need a login and a visible topic; the
 * state lives in the reader's topic_users row.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ambtd/ambtd.h"
#include "ambtd/message_bus.h"
#include "ambtd/write.h"

#define MAX_TIMING_MS 60000 /* per post and batch, as PostTiming */

static void
resp_success(struct resp *out)
{
	resp_json(out, 200, json_pack("{s:s}", "success", "OK"));
}

/* The topic of the path, when the caller sees it and has a topic_users
 * row; 0 with a 404 (or 500) in out otherwise. */
static int64_t
visible_topic(struct req *r, int64_t topic_id, struct resp *out)
{
	if (topic_id <= 0 || !user_can_see_topic(&r->user, topic_id)) {
		resp_not_found(out);
		return 0;
	}
	if (topic_user_ensure(topic_id, r->user.id) < 0) {
		resp_error(out, 500, "unknown", "Internal server error");
		return 0;
	}
	return topic_id;
}

/* Run one statement bound to (topic, user[, value]). */
static int
run_topic_user(const char *sql, int64_t topic_id, int64_t user_id,
               int64_t value)
{
	sqlite3_stmt *st = db_stmt(ambtd->db, sql);
	int rc;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, topic_id);
	sqlite3_bind_int64(st, 2, user_id);
	if (sqlite3_bind_parameter_count(st) >= 3)
		sqlite3_bind_int64(st, 3, value);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
	sqlite3_reset(st);
	return rc;
}

static void
answer(int rc, struct resp *out)
{
	if (rc < 0)
		resp_error(out, 500, "unknown", "Internal server error");
	else
		resp_success(out);
}

/* Actions Discourse answers with `render body: nil`. */
static void
answer_empty(int rc, struct resp *out)
{
	if (rc < 0)
		resp_error(out, 500, "unknown", "Internal server error");
	else
		resp_empty(out, 200);
}

static bool
bookmarked(int64_t topic_id, int64_t user_id)
{
	sqlite3_stmt *st =
	    db_stmt(ambtd->db, "SELECT bookmarked FROM topic_users WHERE "
	                       "topic_id = ? AND user_id = ?");
	bool yes = false;

	if (st == NULL)
		return false;
	sqlite3_bind_int64(st, 1, topic_id);
	sqlite3_bind_int64(st, 2, user_id);
	yes = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	return yes;
}

/* 200 with an empty body, as TopicsController#bookmark; a second
 * bookmark is the BookmarkManager's 400. */
static void
topic_bookmark(struct req *r, struct resp *out)
{
	int64_t topic = visible_topic(r, req_arg_int(r, 0), out);

	if (topic == 0)
		return;
	if (bookmarked(topic, r->user.id)) {
		resp_json(out, 400,
		          json_pack("{s:[s]}", "errors",
		                    "You cannot bookmark the same topic "
		                    "twice."));
		return;
	}
	answer_empty(run_topic_user("UPDATE topic_users SET bookmarked = 1"
	                            " WHERE topic_id = ?1 AND user_id = ?2",
	                            topic, r->user.id, 0),
	             out);
}

/* The topic's bookmark and any bookmarked posts (action type 1) go. */
static void
topic_remove_bookmarks(struct req *r, struct resp *out)
{
	int64_t topic = visible_topic(r, req_arg_int(r, 0), out);
	int rc;

	if (topic == 0)
		return;
	if (db_begin(ambtd->db) < 0) {
		answer(-1, out);
		return;
	}
	rc = run_topic_user("UPDATE topic_users SET bookmarked = 0"
	                    " WHERE topic_id = ?1 AND user_id = ?2",
	                    topic, r->user.id, 0);
	if (rc == 0)
		rc = run_topic_user(
		    "DELETE FROM post_actions WHERE user_id = ?2 AND"
		    " post_action_type_id = 1 AND post_id IN"
		    " (SELECT id FROM posts WHERE topic_id = ?1)",
		    topic, r->user.id, 0);
	if (rc == 0)
		rc = db_commit(ambtd->db);
	if (rc < 0)
		db_rollback(ambtd->db);
	answer_empty(rc, out);
}

/* muted 0, regular 1, tracking 2, watching 3 */
static void
topic_notification_level(struct req *r, struct resp *out)
{
	int64_t level, topic;

	if (req_param_int(r, "notification_level", &level) < 0 || level < 0 ||
	    level > 3) {
		resp_bad_param(out, "notification_level");
		return;
	}
	topic = visible_topic(r, req_arg_int(r, 0), out);
	if (topic == 0)
		return;
	answer(run_topic_user("UPDATE topic_users SET notification_level = ?3"
	                      " WHERE topic_id = ?1 AND user_id = ?2",
	                      topic, r->user.id, level),
	       out);
}

/* ---- POST /topics/timings ---- */

/* The highest post number among timings[N]=ms, and the milliseconds
 * (each capped) they add up to. */
static int64_t
highest_timed(const struct req *r, int64_t *msecs)
{
	int64_t highest = 0;

	*msecs = 0;
	for (size_t i = 0; i < r->n_params; i++) {
		const char *name = r->params[i].name;
		size_t len = strlen(name);
		int64_t n, ms;
		char *num;

		if (strncmp(name, "timings[", 8) != 0 || name[len - 1] != ']')
			continue;
		num = strndup(name + 8, len - 9);
		if (num != NULL && parse_int64(num, &n) == 0 && n > 0 &&
		    parse_int64(r->params[i].value, &ms) == 0 && ms >= 0) {
			highest = n > highest ? n : highest;
			*msecs += ms < MAX_TIMING_MS ? ms : MAX_TIMING_MS;
		}
		free(num);
	}
	return highest;
}

/*
 * Raise last_read_post_number to the highest post read (never lower it,
 * never past the topic's last post), count a read on each newly read post
 * and mark the reader's notifications up to there read.
 */
static int
store_timings(int64_t topic, int64_t user, int64_t highest, int64_t msecs)
{
	static const char *const sql[] = {
	    "UPDATE posts SET reads = reads + 1 WHERE topic_id = ?1 AND"
	    " post_number <= ?3 AND post_number > (SELECT"
	    " COALESCE(last_read_post_number, 0) FROM topic_users"
	    " WHERE topic_id = ?1 AND user_id = ?2)",
	    "UPDATE topic_users SET last_read_post_number ="
	    " MAX(COALESCE(last_read_post_number, 0), MIN(?3, (SELECT"
	    " COALESCE(MAX(post_number), 0) FROM posts WHERE topic_id = ?1)))"
	    " WHERE topic_id = ?1 AND user_id = ?2",
	    "UPDATE notifications SET read = 1 WHERE topic_id = ?1 AND"
	    " user_id = ?2 AND post_number <= ?3 AND read = 0",
	};
	int rc = db_begin(ambtd->db);

	for (size_t i = 0; rc == 0 && i < sizeof(sql) / sizeof(sql[0]); i++)
		rc = run_topic_user(sql[i], topic, user, highest);
	/* the last marked notifications read: the user's counts changed */
	if (rc == 0 && sqlite3_changes(db_handle(ambtd->db)) > 0)
		mb_publish_notification_state(user);
	if (rc == 0)
		rc = run_topic_user("UPDATE topic_users SET total_msecs_viewed"
		                    " = total_msecs_viewed + ?3 WHERE"
		                    " topic_id = ?1 AND user_id = ?2",
		                    topic, user, msecs);
	if (rc == 0)
		rc = db_commit(ambtd->db);
	if (rc < 0)
		db_rollback(ambtd->db);
	return rc;
}

static void
topics_timings(struct req *r, struct resp *out)
{
	int64_t topic_id, msecs, highest, topic_time;

	if (req_param_int(r, "topic_id", &topic_id) < 0) {
		resp_bad_param(out, "topic_id");
		return;
	}
	if (visible_topic(r, topic_id, out) == 0)
		return;
	highest = highest_timed(r, &msecs);
	if (req_param_int(r, "topic_time", &topic_time) == 0 &&
	    topic_time > msecs)
		msecs = topic_time < MAX_TIMING_MS ? topic_time : MAX_TIMING_MS;
	if (highest > 0 &&
	    store_timings(topic_id, r->user.id, highest, msecs) < 0) {
		resp_error(out, 500, "unknown", "Internal server error");
		return;
	}
	resp_empty(out, 200);
}

/* ---- POST /category/{id}/notifications ---- */

/* CategoriesController#set_notifications: the level (0-4) of a visible
 * category; watching it (3) notifies of every post there, watching the
 * first post (4) of new topics (post_alerts.c). */
static void
category_notification_level(struct req *r, struct resp *out)
{
	sqlite3_stmt *st = db_stmt(
	    ambtd->db, "INSERT INTO category_users(category_id, user_id,"
	               " notification_level) VALUES (?, ?, ?) ON CONFLICT"
	               " DO UPDATE SET notification_level ="
	               " excluded.notification_level");
	int64_t level, category = req_arg_int(r, 0);
	int rc;

	if (category <= 0 || !user_can_see_category(&r->user, category)) {
		resp_not_found(out);
		return;
	}
	if (req_param_int(r, "notification_level", &level) < 0 || level < 0 ||
	    level > 4) {
		resp_bad_param(out, "notification_level");
		return;
	}
	if (st == NULL) {
		answer(-1, out);
		return;
	}
	sqlite3_bind_int64(st, 1, category);
	sqlite3_bind_int64(st, 2, r->user.id);
	sqlite3_bind_int64(st, 3, level);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
	sqlite3_reset(st);
	if (rc < 0) {
		answer(-1, out);
		return;
	}
	resp_json(out, 200,
	          json_pack("{s:s, s:[]}", "success", "OK",
	                    "indirectly_muted_category_ids"));
}

const struct route routes_topic_actions[] = {
    {"PUT", "/t/{id}/bookmark.json", topic_bookmark, true},
    {"PUT", "/t/{id}/remove_bookmarks.json", topic_remove_bookmarks, true},
    {"DELETE", "/t/{id}/remove_bookmarks.json", topic_remove_bookmarks, true},
    {"POST", "/t/{id}/notifications.json", topic_notification_level, true},
    {"POST", "/topics/timings", topics_timings, true},
    {"POST", "/topics/timings.json", topics_timings, true},
    {"POST", "/category/{id}/notifications", category_notification_level, true},
    {"POST", "/category/{id}/notifications.json", category_notification_level,
     true},
    {NULL, NULL, NULL, false},
};
