/*
 * user_actions.c: a member's activity stream (/user_actions.json), worked
 * out from posts and likes as Discourse's UserAction records them, and
 * the members list (/directory_items.json).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ambtd/ambtd.h"
#include "ambtd/read.h"

#define DEFAULT_LIMIT 30
#define MAX_LIMIT 100
#define DIRECTORY_PAGE 50

/* The action types ambtd can tell from its tables (UserAction). */
static const int action_types[] = {1, 2, 4, 5, 6, 7, 9};
#define N_ACTION_TYPES (sizeof action_types / sizeof action_types[0])

/*
 * One row per action: its type, when, the post and who acted. :user is the
 * member whose stream it is; :f<type> switch each kind on. Mentions and
 * quotes are read from the raw, as Discourse finds them when cooking.
 */
static const char actions_sql[] =
    "SELECT a.type, a.at, p.id, p.post_number, p.reply_to_post_number,"
    " p.cooked, p.post_type, p.action_code, t.id, t.title, t.slug,"
    " t.category_id, t.closed, t.archived, au.id, au.username, au.name,"
    " ac.id, ac.username, ac.name, tu.id, tu.username, tu.name FROM ("
    " SELECT 1 AS type, x.created_at AS at, x.post_id AS post,"
    "  x.user_id AS actor FROM post_actions x WHERE :f1 AND"
    "  x.user_id = :user AND x.post_action_type_id = 2"
    " UNION ALL SELECT 2, x.created_at, x.post_id, x.user_id FROM"
    "  post_actions x JOIN posts y ON y.id = x.post_id WHERE :f2 AND"
    "  y.user_id = :user AND x.post_action_type_id = 2"
    " UNION ALL SELECT CASE WHEN y.post_number = 1 THEN 4 ELSE 5 END,"
    "  y.created_at, y.id, y.user_id FROM posts y WHERE"
    "  y.user_id = :user AND ((y.post_number = 1 AND :f4) OR"
    "  (y.post_number > 1 AND :f5))"
    " UNION ALL SELECT 6, y.created_at, y.id, y.user_id FROM posts y"
    "  JOIN posts z ON z.topic_id = y.topic_id AND z.post_number ="
    "  y.reply_to_post_number WHERE :f6 AND z.user_id = :user AND"
    "  y.user_id <> :user"
    " UNION ALL SELECT 7, y.created_at, y.id, y.user_id FROM posts y"
    "  WHERE :f7 AND y.user_id <> :user AND y.raw LIKE"
    "  '%@' || :name || '%'"
    " UNION ALL SELECT 9, y.created_at, y.id, y.user_id FROM posts y"
    "  WHERE :f9 AND y.user_id <> :user AND y.raw LIKE"
    "  '%[quote=\"' || :name || ',%'"
    ") a JOIN posts p ON p.id = a.post JOIN topics t ON t.id = p.topic_id"
    " JOIN users au ON au.id = p.user_id JOIN users ac ON ac.id = a.actor"
    " JOIN users tu ON tu.id = :user"
    " WHERE p.deleted_at IS NULL AND " VISIBLE_TOPIC_SQL
    " ORDER BY a.at DESC, p.id DESC LIMIT :limit OFFSET :offset";

/* Switch on the types named in filter ("4,5"), or all without one; -1
 * when it names something else. */
static int
bind_filter(sqlite3_stmt *st, const char *filter)
{
	for (size_t i = 0; i < N_ACTION_TYPES; i++) {
		char name[8];
		bool on = filter == NULL;

		snprintf(name, sizeof name, ":f%d", action_types[i]);
		for (const char *s = filter; s && *s;) {
			size_t len = strcspn(s, ",");
			char *end;
			long type = strtol(s, &end, 10);

			if (end == s || (size_t)(end - s) != len)
				return -1;
			on = on || type == action_types[i];
			s += len + (s[len] == ',');
		}
		sqlite3_bind_int(st, sqlite3_bind_parameter_index(st, name),
		                 on);
	}
	return 0;
}

static void
add_user_triplet(json_t *j, const char *prefix, sqlite3_stmt *st, int col)
{
	char key[48];
	const char *username = (const char *)sqlite3_column_text(st, col + 1);
	char *avatar = avatar_template(username);

	snprintf(key, sizeof key, "%suser_id", prefix);
	json_object_set_new(j, key,
	                    json_integer(sqlite3_column_int64(st, col)));
	snprintf(key, sizeof key, "%susername", prefix);
	json_object_set_new(j, key, json_string(username));
	snprintf(key, sizeof key, "%sname", prefix);
	json_object_set_new(j, key, json_col_text(st, col + 2));
	snprintf(key, sizeof key, "%savatar_template", prefix);
	if (*prefix)
		json_object_set_new(j, key, json_str_or_null(avatar));
	free(avatar);
}

static json_t *
action_json(sqlite3_stmt *st)
{
	const char *cooked = (const char *)sqlite3_column_text(st, 5);
	char *excerpt = plain_excerpt(cooked ? cooked : "", 300);
	json_t *j = json_pack(
	    "{s:i, s:o, s:o, s:I, s:i, s:o, s:i, s:o, s:I, s:o, s:o, s:o,"
	    " s:b, s:b, s:b, s:n}",
	    "action_type", sqlite3_column_int(st, 0), "created_at",
	    json_time(sqlite3_column_int64(st, 1)), "excerpt",
	    json_str_or_null(excerpt), "post_id",
	    (json_int_t)sqlite3_column_int64(st, 2), "post_number",
	    sqlite3_column_int(st, 3), "reply_to_post_number",
	    int_or_null(st, 4), "post_type", sqlite3_column_int(st, 6),
	    "action_code", json_col_text(st, 7), "topic_id",
	    (json_int_t)sqlite3_column_int64(st, 8), "title",
	    json_col_text(st, 9), "slug", json_col_text(st, 10), "category_id",
	    int_or_null(st, 11), "closed", sqlite3_column_int(st, 12),
	    "archived", sqlite3_column_int(st, 13), "deleted", 0, "hidden");

	free(excerpt);
	if (!j)
		return NULL;
	/* the post's author as username/name/user_id with its avatar */
	add_user_triplet(j, "", st, 14);
	{
		char *avatar =
		    avatar_template((const char *)sqlite3_column_text(st, 15));

		json_object_set_new(j, "avatar_template",
		                    json_str_or_null(avatar));
		free(avatar);
	}
	add_user_triplet(j, "acting_", st, 17);
	add_user_triplet(j, "target_", st, 20);
	json_object_del(j, "target_avatar_template");
	return j;
}

void
user_actions(struct req *r, struct resp *out)
{
	const char *username = req_param(r, "username");
	sqlite3_stmt *user = db_stmt(ambtd->db, "SELECT id, username FROM "
	                                        "users WHERE username = ?");
	sqlite3_stmt *st;
	int64_t limit, offset, uid;
	char name[64];
	json_t *list;

	if (!username) {
		resp_bad_param(out, "username");
		return;
	}
	if (param_in_range(r, "limit", 1, MAX_LIMIT, DEFAULT_LIMIT, &limit) <
	        0 ||
	    param_in_range(r, "offset", 0, INT32_MAX, 0, &offset) < 0) {
		resp_bad_param(out, "limit");
		return;
	}
	if (user)
		sqlite3_bind_text(user, 1, username, -1, SQLITE_TRANSIENT);
	if (!user || sqlite3_step(user) != SQLITE_ROW) {
		resp_not_found(out);
		return;
	}
	uid = sqlite3_column_int64(user, 0);
	snprintf(name, sizeof name, "%s", sqlite3_column_text(user, 1));
	st = db_stmt(ambtd->db, actions_sql);
	if (!st || bind_filter(st, req_param(r, "filter")) < 0) {
		resp_bad_param(out, "filter");
		return;
	}
	bind_viewer(st, &r->user);
	sqlite3_bind_int64(st, sqlite3_bind_parameter_index(st, ":user"), uid);
	sqlite3_bind_text(st, sqlite3_bind_parameter_index(st, ":name"), name,
	                  -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, sqlite3_bind_parameter_index(st, ":limit"),
	                   limit);
	sqlite3_bind_int64(st, sqlite3_bind_parameter_index(st, ":offset"),
	                   offset);
	list = json_array();
	while (sqlite3_step(st) == SQLITE_ROW) {
		json_t *a = action_json(st);

		if (a)
			json_array_append_new(list, a);
	}
	resp_json(out, 200, json_pack("{s:o}", "user_actions", list));
}

/* ---- The directory ---- */

/* The columns ?order= may sort by. */
static const char *const directory_orders[] = {
    "likes_received", "likes_given", "topics_entered", "topic_count",
    "post_count",     "posts_read",  "days_visited",   NULL,
};

static const char directory_sql[] =
    "SELECT u.id, u.username, u.name, u.title,"
    " (SELECT COUNT(*) FROM post_actions a JOIN posts p ON p.id ="
    "  a.post_id WHERE p.user_id = u.id AND a.post_action_type_id = 2)"
    "  AS likes_received,"
    " (SELECT COUNT(*) FROM post_actions a WHERE a.user_id = u.id AND"
    "  a.post_action_type_id = 2) AS likes_given,"
    " (SELECT COUNT(*) FROM topic_users x WHERE x.user_id = u.id)"
    "  AS topics_entered,"
    " (SELECT COUNT(*) FROM topics x WHERE x.user_id = u.id)"
    "  AS topic_count,"
    " (SELECT COUNT(*) FROM posts x WHERE x.user_id = u.id AND"
    "  x.deleted_at IS NULL) AS post_count,"
    " (SELECT COALESCE(SUM(last_read_post_number), 0) FROM topic_users x"
    "  WHERE x.user_id = u.id) AS posts_read,"
    " (SELECT COUNT(DISTINCT x.created_at / 86400) FROM posts x WHERE"
    "  x.user_id = u.id) AS days_visited,"
    " COUNT(*) OVER () FROM users u WHERE u.id > 0";

static json_t *
directory_item(sqlite3_stmt *st)
{
	char *avatar =
	    avatar_template((const char *)sqlite3_column_text(st, 1));
	json_t *j = json_pack(
	    "{s:I, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:{s:I, s:s, s:o,"
	    " s:s, s:o}}",
	    "id", (json_int_t)sqlite3_column_int64(st, 0), "likes_received",
	    sqlite3_column_int(st, 4), "likes_given", sqlite3_column_int(st, 5),
	    "topics_entered", sqlite3_column_int(st, 6), "topic_count",
	    sqlite3_column_int(st, 7), "post_count", sqlite3_column_int(st, 8),
	    "posts_read", sqlite3_column_int(st, 9), "days_visited",
	    sqlite3_column_int(st, 10), "user", "id",
	    (json_int_t)sqlite3_column_int64(st, 0), "username",
	    (const char *)sqlite3_column_text(st, 1), "name",
	    json_col_text(st, 2), "avatar_template", avatar ? avatar : "",
	    "title", json_col_text(st, 3));

	free(avatar);
	return j;
}

static const char *
directory_order(const char *name)
{
	for (size_t i = 0; name && directory_orders[i]; i++)
		if (strcmp(name, directory_orders[i]) == 0)
			return directory_orders[i];
	return name ? NULL : directory_orders[0];
}

void
directory_items(struct req *r, struct resp *out)
{
	const char *order = directory_order(req_param(r, "order"));
	const char *asc = req_param(r, "asc");
	const char *period = req_param(r, "period");
	char sql[sizeof directory_sql + 128], more[256];
	int64_t page, total = 0;
	sqlite3_stmt *st;
	json_t *items;

	if (!order || param_in_range(r, "page", 0, INT32_MAX, 0, &page) < 0) {
		resp_bad_param(out, order ? "page" : "order");
		return;
	}
	snprintf(sql, sizeof sql,
	         "%s ORDER BY %s %s, u.username LIMIT %d "
	         "OFFSET ?",
	         directory_sql, order,
	         asc && strcmp(asc, "true") == 0 ? "ASC" : "DESC",
	         DIRECTORY_PAGE);
	st = db_stmt(ambtd->db, sql);
	if (!st) {
		resp_error(out, 500, "server_error", "No directory.");
		return;
	}
	sqlite3_bind_int64(st, 1, page * DIRECTORY_PAGE);
	items = json_array();
	while (sqlite3_step(st) == SQLITE_ROW) {
		json_array_append_new(items, directory_item(st));
		total = sqlite3_column_int64(st, 11);
	}
	snprintf(more, sizeof more,
	         "/directory_items?order=%s&page=%lld&period=%s", order,
	         (long long)page + 1, period ? period : "all");
	resp_json(out, 200,
	          json_pack("{s:o, s:{s:n, s:I, s:s}}", "directory_items",
	                    items, "meta", "last_updated_at",
	                    "total_rows_directory_items", (json_int_t)total,
	                    "load_more_directory_items", more));
}
