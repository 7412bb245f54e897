/*
 * topic_view.c: /t/{id}.json, /t/{id}/{post_number}.json and
 * /t/{id}/posts.json, as Discourse's TopicViewSerializer and its post
 * stream shape them: the first chunk of posts inline, every post id in
 * `stream` (but for a mega topic, which pages by post number instead).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ambtd/ambtd.h"
#include "ambtd/read.h"

#define MAX_POST_IDS 100 /* per /t/{id}/posts.json request */
#define MAX_PARTICIPANTS "24"
#define POSTS_BEFORE (AMBTD_CHUNK_SIZE / 4) /* in a window around a post */

struct topic {
	int64_t id, user_id, category_id, last_poster_id, last_post_id;
	int64_t created_at, last_posted_at, pinned_at;
	char *title, *slug, *archetype;
	int views, like_count, posts_count, highest, participants;
	bool closed, archived, pinned, visible, has_category;
};

static void
topic_clear(struct topic *t)
{
	free(t->title);
	free(t->slug);
	free(t->archetype);
}

static char *
col_strdup(sqlite3_stmt *st, int col)
{
	const char *s = (const char *)sqlite3_column_text(st, col);

	return strdup(s ? s : "");
}

/* What follows from the topic's live posts, in one pass over them. */
static int
topic_load_counts(struct topic *t)
{
	sqlite3_stmt *st =
	    db_stmt(ambtd->db,
	            "SELECT COUNT(*), MAX(post_number), MAX(id),"
	            " COUNT(DISTINCT user_id), (SELECT user_id FROM posts"
	            " WHERE topic_id = ?1 AND deleted_at IS NULL"
	            " ORDER BY post_number DESC LIMIT 1)"
	            " FROM posts WHERE topic_id = ?1 AND deleted_at IS NULL");

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, t->id);
	if (sqlite3_step(st) != SQLITE_ROW)
		return -1;
	t->posts_count = sqlite3_column_int(st, 0);
	t->highest = sqlite3_column_int(st, 1);
	t->last_post_id = sqlite3_column_int64(st, 2);
	t->participants = sqlite3_column_int(st, 3);
	t->last_poster_id = sqlite3_column_int64(st, 4);
	return 0;
}

/* The topic's row and what follows from its posts; -1 when missing. */
static int
topic_load(int64_t id, struct topic *t)
{
	sqlite3_stmt *st =
	    db_stmt(ambtd->db,
	            "SELECT t.id, t.title, t.slug, t.category_id, t.user_id,"
	            " t.archetype, t.created_at, t.last_posted_at, t.views,"
	            " t.closed, t.archived, t.pinned, t.visible, t.like_count"
	            " FROM topics t WHERE t.id = ?");

	memset(t, 0, sizeof *t);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) != SQLITE_ROW)
		return -1;
	t->id = id;
	t->title = col_strdup(st, 1);
	t->slug = col_strdup(st, 2);
	t->has_category = sqlite3_column_type(st, 3) != SQLITE_NULL;
	t->category_id = sqlite3_column_int64(st, 3);
	t->user_id = sqlite3_column_int64(st, 4);
	t->archetype = col_strdup(st, 5);
	t->created_at = sqlite3_column_int64(st, 6);
	t->last_posted_at = sqlite3_column_int64(st, 7);
	t->views = sqlite3_column_int(st, 8);
	t->closed = sqlite3_column_int(st, 9);
	t->archived = sqlite3_column_int(st, 10);
	t->pinned = sqlite3_column_int(st, 11);
	t->visible = sqlite3_column_int(st, 12);
	t->like_count = sqlite3_column_int(st, 13);
	if (!t->title || !t->slug || !t->archetype ||
	    topic_load_counts(t) < 0) {
		topic_clear(t);
		return -1;
	}
	return 0;
}

static bool
is_mega(const struct topic *t)
{
	return t->posts_count >= AMBTD_MEGA_TOPIC;
}

/* The ids a statement's first column gives, bound to the topic as ?1 and
 * to n as ?2. */
static json_t *
ids_from(const char *sql, int64_t topic_id, int64_t n, int64_t limit)
{
	sqlite3_stmt *st = db_stmt(ambtd->db, sql);
	json_t *ids = json_array();

	if (!st || !ids)
		return ids;
	sqlite3_bind_int64(st, 1, topic_id);
	sqlite3_bind_int64(st, 2, n);
	sqlite3_bind_int64(st, 3, limit);
	while (sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(
		    ids, json_integer(sqlite3_column_int64(st, 0)));
	return ids;
}

/* Up to limit posts from post number n on (asc) or before it, in order. */
static json_t *
ids_after(int64_t topic_id, int64_t n, int64_t limit)
{
	return ids_from("SELECT id FROM posts WHERE topic_id = ?1 AND "
	                "post_number >= ?2 AND deleted_at IS NULL "
	                "ORDER BY post_number LIMIT ?3",
	                topic_id, n, limit);
}

static json_t *
ids_before(int64_t topic_id, int64_t n, int64_t limit)
{
	return ids_from("SELECT id FROM (SELECT id, post_number FROM posts "
	                "WHERE topic_id = ?1 AND post_number < ?2 AND "
	                "deleted_at IS NULL ORDER BY post_number DESC "
	                "LIMIT ?3) ORDER BY post_number",
	                topic_id, n, limit);
}

/* The posts in a page of the topic (1-based, by position). */
static json_t *
ids_page(int64_t topic_id, int64_t page)
{
	return ids_from("SELECT id FROM posts WHERE topic_id = ?1 AND "
	                "deleted_at IS NULL ORDER BY post_number "
	                "LIMIT ?3 OFFSET ?2",
	                topic_id, (page - 1) * AMBTD_CHUNK_SIZE,
	                AMBTD_CHUNK_SIZE);
}

/* Posts around post_number: POSTS_BEFORE before it, the rest from it on
 * (TopicView#filter_posts_near). */
static json_t *
ids_near(int64_t topic_id, int64_t post_number)
{
	json_t *ids = ids_before(topic_id, post_number, POSTS_BEFORE);
	json_t *after = ids_after(topic_id, post_number,
	                          AMBTD_CHUNK_SIZE - json_array_size(ids));

	json_array_extend(ids, after);
	json_decref(after);
	return ids;
}

/* Every post id, and the timeline: [position, days ago] where the day
 * changes. */
static void
stream_and_timeline(int64_t topic_id, json_t **stream, json_t **timeline)
{
	sqlite3_stmt *st =
	    db_stmt(ambtd->db, "SELECT id, created_at FROM posts WHERE "
	                       "topic_id = ? AND deleted_at IS NULL "
	                       "ORDER BY post_number");
	int64_t now = db_now(), last_days = -1, pos = 0;

	*stream = json_array();
	*timeline = json_array();
	if (!st)
		return;
	sqlite3_bind_int64(st, 1, topic_id);
	while (sqlite3_step(st) == SQLITE_ROW) {
		int64_t days = (now - sqlite3_column_int64(st, 1)) / 86400;

		pos++;
		json_array_append_new(
		    *stream, json_integer(sqlite3_column_int64(st, 0)));
		if (days != last_days)
			json_array_append_new(
			    *timeline,
			    json_pack("[I, I]", (json_int_t)pos,
			              (json_int_t)(days > 0 ? days : 0)));
		last_days = days;
	}
}

static json_t *
participants_json(int64_t topic_id)
{
	sqlite3_stmt *st = db_stmt(
	    ambtd->db,
	    "SELECT u.id, u.username, u.name, u.admin, u.moderator,"
	    " u.trust_level, COUNT(*) FROM posts p JOIN users u ON"
	    " u.id = p.user_id WHERE p.topic_id = ? AND p.deleted_at IS NULL"
	    " GROUP BY u.id ORDER BY COUNT(*) DESC, MIN(p.post_number)"
	    " LIMIT " MAX_PARTICIPANTS);
	json_t *list = json_array();

	if (!st || !list)
		return list;
	sqlite3_bind_int64(st, 1, topic_id);
	while (sqlite3_step(st) == SQLITE_ROW) {
		json_t *u = user_basic_from_row(st, 0, 1, 2);

		if (!u)
			continue;
		json_object_update_new(
		    u, json_pack("{s:i, s:n, s:n, s:n, s:n, s:n, s:b, s:b,"
		                 " s:i}",
		                 "post_count", sqlite3_column_int(st, 6),
		                 "primary_group_name", "flair_name",
		                 "flair_url", "flair_color", "flair_bg_color",
		                 "admin", sqlite3_column_int(st, 3),
		                 "moderator", sqlite3_column_int(st, 4),
		                 "trust_level", sqlite3_column_int(st, 5)));
		json_array_append_new(list, u);
	}
	return list;
}

/* A private message's participants as TopicViewDetailsSerializer's
 * allowed_users (basic users, author first). */
static json_t *
allowed_users_json(int64_t topic_id)
{
	sqlite3_stmt *st = db_stmt(
	    ambtd->db, "SELECT a.user_id FROM topic_allowed_users a JOIN"
	               " topics t ON t.id = a.topic_id WHERE a.topic_id = ?"
	               " ORDER BY a.user_id != t.user_id, a.user_id");
	json_t *list = json_array();

	if (!st || !list)
		return list;
	sqlite3_bind_int64(st, 1, topic_id);
	while (sqlite3_step(st) == SQLITE_ROW) {
		json_t *u = user_basic_json(sqlite3_column_int64(st, 0));

		if (u)
			json_array_append_new(list, u);
	}
	sqlite3_reset(st);
	return list;
}

/* The viewer's row in topic_users, when there is one. */
struct reading {
	bool have;
	int last_read, level;
	bool bookmarked, posted;
};

static struct reading
reading_of(int64_t topic_id, const struct user_ref *v)
{
	sqlite3_stmt *st =
	    db_stmt(ambtd->db, "SELECT last_read_post_number, "
	                       "notification_level, bookmarked, posted "
	                       "FROM topic_users WHERE topic_id = ? AND "
	                       "user_id = ?");
	struct reading rd = {.level = 1};

	if (!st || v->id == 0)
		return rd;
	sqlite3_bind_int64(st, 1, topic_id);
	sqlite3_bind_int64(st, 2, v->id);
	if (sqlite3_step(st) == SQLITE_ROW) {
		rd.have = true;
		rd.last_read = sqlite3_column_int(st, 0);
		rd.level = sqlite3_column_int(st, 1);
		rd.bookmarked = sqlite3_column_int(st, 2);
		rd.posted = sqlite3_column_int(st, 3);
	}
	return rd;
}

static json_t *
details_json(const struct topic *t, const struct user_ref *v,
             const struct reading *rd)
{
	bool staff = viewer_is_staff(v), in = v->id != 0;
	bool owner = in && v->id == t->user_id;
	bool can_post = in && !t->closed && !t->archived;
	json_t *d = json_pack(
	    "{s:b, s:i, s:b, s:b, s:b, s:b, s:b, s:b, s:b, s:b, s:b, s:b,"
	    " s:b, s:b, s:b, s:b, s:b, s:b, s:b, s:I, s:o?, s:o?}",
	    "can_edit", owner || staff, "notification_level", rd->level,
	    "can_move_posts", staff, "can_delete", staff,
	    "can_remove_allowed_users", staff, "can_create_post", can_post,
	    "can_reply_as_new_topic", can_post, "can_flag_topic", in,
	    "can_convert_topic", staff, "can_review_topic", staff,
	    "can_close_topic", staff, "can_archive_topic", staff,
	    "can_split_merge_topic", staff, "can_edit_staff_notes", staff,
	    "can_toggle_topic_visibility", staff, "can_pin_unpin_topic", staff,
	    "can_moderate_category", staff, "can_invite_to", false,
	    "can_invite_via_email", false, "can_remove_self_id",
	    (json_int_t)v->id, "created_by", user_basic_json(t->user_id),
	    "last_poster", user_basic_json(t->last_poster_id));

	if (d && !is_mega(t))
		json_object_set_new(d, "participants",
		                    participants_json(t->id));
	if (d && strcmp(t->archetype, "private_message") == 0) {
		json_object_set_new(d, "allowed_users",
		                    allowed_users_json(t->id));
		json_object_set_new(d, "allowed_groups", json_array());
	}
	return d;
}

/* The viewer's draft of a reply in this topic, and its sequence. */
static void
add_draft(json_t *j, const struct topic *t, const struct user_ref *v)
{
	char key[48];
	sqlite3_stmt *st =
	    db_stmt(ambtd->db, "SELECT data, sequence FROM drafts WHERE "
	                       "user_id = ? AND draft_key = ?");

	snprintf(key, sizeof key, "topic_%lld", (long long)t->id);
	json_object_set_new(j, "draft_key", json_string(key));
	json_object_set_new(j, "draft", json_null());
	json_object_set_new(j, "draft_sequence", json_integer(0));
	if (!st || v->id == 0)
		return;
	sqlite3_bind_int64(st, 1, v->id);
	sqlite3_bind_text(st, 2, key, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(st) == SQLITE_ROW) {
		json_object_set_new(j, "draft", json_col_text(st, 0));
		json_object_set_new(j, "draft_sequence",
		                    json_integer(sqlite3_column_int64(st, 1)));
	}
}

/* The fields every topic view carries that ambtd keeps at their
 * defaults (no timers, thumbnails, slow mode or deleted posts). */
static void
add_fixed_fields(json_t *j)
{
	json_object_update_new(
	    j, json_pack("{s:[], s:o, s:b, s:n, s:n, s:n, s:n, s:n, s:i,"
	                 " s:n, s:b, s:[], s:i, s:[], s:n, s:i, s:b, s:n,"
	                 " s:n, s:n, s:b, s:b}",
	                 "suggested_topics", "tags_descriptions", json_object(),
	                 "has_summary", false, "word_count", "deleted_at",
	                 "featured_link", "pinned_until", "image_url",
	                 "slow_mode_seconds", 0, "deleted_by", "has_deleted",
	                 false, "actions_summary", "chunk_size",
	                 AMBTD_CHUNK_SIZE, "bookmarks", "topic_timer",
	                 "message_bus_last_id", 0, "show_read_indicator", false,
	                 "thumbnails", "slow_mode_enabled_until", "unpinned",
	                 "pinned_globally", false, "summarizable", false));
}

static json_t *
topic_json(const struct topic *t, const struct user_ref *v, json_t *posts,
           const struct reading *rd)
{
	json_t *stream = NULL, *timeline = NULL, *post_stream;
	json_t *j = json_pack(
	    "{s:I, s:s, s:o, s:i, s:o, s:i, s:i, s:i, s:o, s:b, s:b, s:b,"
	    " s:s, s:s, s:o, s:I, s:b, s:o, s:i, s:i, s:b, s:o}",
	    "id", (json_int_t)t->id, "title", t->title, "fancy_title",
	    topic_fancy_title(t->title), "posts_count", t->posts_count,
	    "created_at", json_time(t->created_at), "views", t->views,
	    "reply_count", t->posts_count > 0 ? t->posts_count - 1 : 0,
	    "like_count", t->like_count, "last_posted_at",
	    json_time(t->last_posted_at), "visible", t->visible, "closed",
	    t->closed, "archived", t->archived, "archetype", t->archetype,
	    "slug", t->slug, "category_id",
	    t->has_category ? json_integer(t->category_id) : json_null(),
	    "user_id", (json_int_t)t->user_id, "pinned", t->pinned, "pinned_at",
	    t->pinned ? json_time(t->created_at) : json_null(),
	    "highest_post_number", t->highest, "participant_count",
	    t->participants, "bookmarked", rd->bookmarked, "tags",
	    topic_tag_names(t->id));

	if (!j) {
		json_decref(posts);
		return NULL;
	}
	post_stream = json_pack("{s:o}", "posts", posts);
	if (is_mega(t)) {
		json_object_set_new(post_stream, "isMegaTopic", json_true());
		json_object_set_new(post_stream, "lastId",
		                    json_integer(t->last_post_id));
	} else {
		stream_and_timeline(t->id, &stream, &timeline);
		json_object_set_new(post_stream, "stream", stream);
		json_object_set_new(j, "timeline_lookup", timeline);
	}
	json_object_set_new(j, "post_stream", post_stream);
	add_fixed_fields(j);
	add_draft(j, t, v);
	if (rd->have) {
		json_object_set_new(j, "last_read_post_number",
		                    json_integer(rd->last_read));
		json_object_set_new(j, "posted", json_boolean(rd->posted));
	}
	json_object_set_new(j, "details", details_json(t, v, rd));
	return j;
}

/* A visible topic into *t, or the 404 (the same for a private one). */
static int
load_visible(struct req *r, struct resp *out, int64_t id, struct topic *t)
{
	if (id <= 0 || !user_can_see_topic(&r->user, id) ||
	    topic_load(id, t) < 0) {
		resp_not_found(out);
		return -1;
	}
	return 0;
}

/* ?track_visit=true counts a view, as Discourse counts a visit. */
static void
track_visit(const struct req *r, struct topic *t)
{
	const char *track = req_param(r, "track_visit");
	sqlite3_stmt *st;

	if (!track || strcmp(track, "true") != 0)
		return;
	st = db_stmt(ambtd->db, "UPDATE topics SET views = views + 1 "
	                        "WHERE id = ?");
	if (!st)
		return;
	sqlite3_bind_int64(st, 1, t->id);
	if (sqlite3_step(st) == SQLITE_DONE)
		t->views++;
}

/* The topic view: the posts of ?page=, or those around post_number (> 0),
 * or the first chunk. */
static void
show(struct req *r, struct resp *out, int64_t id, int64_t near)
{
	struct topic t;
	struct reading rd;
	int64_t page = 1;
	json_t *ids, *j;

	if (load_visible(r, out, id, &t) < 0)
		return;
	if (param_in_range(r, "page", 1, INT32_MAX, 1, &page) < 0) {
		topic_clear(&t);
		resp_bad_param(out, "page");
		return;
	}
	if (near > 0 && near > t.highest)
		near = t.highest;
	ids = near > 0 ? ids_near(id, near) : ids_page(id, page);
	if (json_array_size(ids) == 0 && page > 1) {
		json_decref(ids);
		topic_clear(&t);
		resp_not_found(out);
		return;
	}
	track_visit(r, &t);
	rd = reading_of(id, &r->user);
	j = topic_json(&t, &r->user,
	               serialize_topic_posts(
	                   ids, &r->user, req_param(r, "include_raw") != NULL),
	               &rd);
	if (j && near > 0)
		json_object_set_new(j, "current_post_number",
		                    json_integer(near));
	json_decref(ids);
	topic_clear(&t);
	if (!j)
		resp_error(out, 500, "server_error", "The topic failed.");
	else
		resp_json(out, 200, j);
}

void
topic_show(struct req *r, struct resp *out)
{
	show(r, out, req_arg_int(r, 0), 0);
}

/* /t/{a}/{b}.json: a number first is /t/{id}/{post_number} or
 * /t/{id}/last, as Discourse's routes try those before /t/{slug}/{id}. */
void
topic_show_two(struct req *r, struct resp *out)
{
	int64_t a = req_arg_int(r, 0), b = req_arg_int(r, 1);

	if (a > 0 && strcmp(r->args[1], "last") == 0)
		show(r, out, a, INT32_MAX); /* clamped to the last post */
	else if (a > 0 && b >= 0)
		show(r, out, a, b > 0 ? b : 1);
	else if (b > 0)
		show(r, out, b, 0);
	else
		resp_not_found(out);
}

void
topic_show_slug_near(struct req *r, struct resp *out)
{
	int64_t n = req_arg_int(r, 2);

	show(r, out, req_arg_int(r, 1), n > 0 ? n : 1);
}

/* post_ids[] as a JSON array of integers; -1 when one is no id or there
 * are too many. */
static int
requested_ids(const struct req *r, json_t **out)
{
	const char **values;
	size_t n = req_param_all(r, "post_ids[]", &values);
	int rc = n > MAX_POST_IDS ? -1 : 0;

	*out = json_array();
	for (size_t i = 0; i < n && rc == 0; i++) {
		int64_t id;

		if (parse_int64(values[i], &id) < 0)
			rc = -1;
		else
			json_array_append_new(*out, json_integer(id));
	}
	free(values);
	return rc;
}

/* The requested ids that are posts of this topic, in topic order. */
static json_t *
ids_in_topic(int64_t topic_id, json_t *wanted)
{
	char *list = json_dumps(wanted, JSON_COMPACT);
	sqlite3_stmt *st =
	    db_stmt(ambtd->db, "SELECT p.id FROM json_each(?2) j CROSS JOIN "
	                       "posts p ON p.id = j.value WHERE "
	                       "p.topic_id = ?1 AND p.deleted_at IS NULL "
	                       "GROUP BY p.id ORDER BY p.post_number");
	json_t *ids = json_array();

	if (st && list) {
		sqlite3_bind_int64(st, 1, topic_id);
		sqlite3_bind_text(st, 2, list, -1, SQLITE_TRANSIENT);
		while (sqlite3_step(st) == SQLITE_ROW)
			json_array_append_new(
			    ids, json_integer(sqlite3_column_int64(st, 0)));
	}
	free(list);
	return ids;
}

/* Which posts /t/{id}/posts.json asks for; NULL after a 400. */
static json_t *
posts_request_ids(struct req *r, struct resp *out, int64_t topic_id)
{
	const char *asc = req_param(r, "asc");
	json_t *wanted, *ids;
	int64_t n;

	if (req_param(r, "post_ids[]")) {
		if (requested_ids(r, &wanted) < 0) {
			json_decref(wanted);
			resp_bad_param(out, "post_ids");
			return NULL;
		}
		ids = ids_in_topic(topic_id, wanted);
		json_decref(wanted);
		return ids;
	}
	if (!req_param(r, "post_number"))
		return ids_page(topic_id, 1);
	if (param_in_range(r, "post_number", 0, INT32_MAX, 0, &n) < 0) {
		resp_bad_param(out, "post_number");
		return NULL;
	}
	if (asc && strcmp(asc, "false") == 0)
		return ids_before(topic_id, n, AMBTD_CHUNK_SIZE);
	return ids_after(topic_id, n + 1, AMBTD_CHUNK_SIZE);
}

void
topic_posts(struct req *r, struct resp *out)
{
	int64_t id = req_arg_int(r, 0);
	json_t *ids, *posts;

	/* the posts alone: no need for the topic's counts */
	if (id <= 0 || !user_can_see_topic(&r->user, id)) {
		resp_not_found(out);
		return;
	}
	ids = posts_request_ids(r, out, id);
	if (!ids)
		return;
	posts = serialize_topic_posts(ids, &r->user,
	                              req_param(r, "include_raw") != NULL);
	json_decref(ids);
	resp_json(out, 200,
	          json_pack("{s:{s:o}, s:I}", "post_stream", "posts", posts,
	                    "id", (json_int_t)id));
}

/* /t/{id}/post_ids.json?post_number=N: the ids of every post after N, for
 * a client that pages a mega topic by id. */
void
topic_post_ids(struct req *r, struct resp *out)
{
	int64_t id = req_arg_int(r, 0), n;

	if (id <= 0 || !user_can_see_topic(&r->user, id)) {
		resp_not_found(out);
		return;
	}
	if (param_in_range(r, "post_number", 0, INT32_MAX, 0, &n) < 0) {
		resp_bad_param(out, "post_number");
		return;
	}
	resp_json(
	    out, 200,
	    json_pack("{s:o}", "post_ids", ids_after(id, n + 1, INT32_MAX)));
}
