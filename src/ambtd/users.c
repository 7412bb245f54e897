/*
 * users.c: a member's profile (/u/{username}.json, UserSerializer) and
 * summary (/u/{username}/summary.json), and the route list of the user
 * family (the activity stream and directory are in user_actions.c).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ambtd/ambtd.h"
#include "ambtd/read.h"

#define SUMMARY_TOP "6" /* entries in each summary list, as Discourse */

/* Columns of the profile query. */
enum {
	U_ID,
	U_USERNAME,
	U_NAME,
	U_TITLE,
	U_BIO_RAW,
	U_BIO_COOKED,
	U_LOCATION,
	U_WEBSITE,
	U_ORGANISATION,
	U_TRUST,
	U_ADMIN,
	U_MODERATOR,
	U_CREATED,
	U_LAST_SEEN,
	U_LAST_POSTED,
	U_VIEWS,
	U_BADGES,
	U_POSTS,
	U_MSECS,
};

static const char profile_sql[] =
    "SELECT u.id, u.username, u.name, u.title, u.bio_raw, u.bio_cooked,"
    " u.location, u.website, u.organisation, u.trust_level, u.admin,"
    " u.moderator, u.created_at, u.last_seen_at, u.last_posted_at,"
    " u.profile_view_count,"
    " (SELECT COUNT(*) FROM user_badges b WHERE b.user_id = u.id),"
    " (SELECT COUNT(*) FROM posts p WHERE p.user_id = u.id AND"
    "  p.deleted_at IS NULL),"
    " (SELECT COALESCE(SUM(total_msecs_viewed), 0) FROM topic_users tu"
    "  WHERE tu.user_id = u.id)"
    " FROM users u WHERE u.username = ?";

/* The user named in the path, stepped to its row; NULL after a 404. */
static sqlite3_stmt *
find_user(struct req *r, struct resp *out, const char *sql)
{
	sqlite3_stmt *st = db_stmt(ambtd->db, sql);

	if (st) {
		sqlite3_bind_text(st, 1, r->args[0], -1, SQLITE_TRANSIENT);
		if (sqlite3_step(st) == SQLITE_ROW)
			return st;
	}
	resp_not_found(out);
	return NULL;
}

/* Untrusted text attributes: only when not blank (UserCardSerializer). */
static void
set_if_text(json_t *j, const char *key, sqlite3_stmt *st, int col)
{
	const char *s = (const char *)sqlite3_column_text(st, col);

	if (s && *s)
		json_object_set_new(j, key, json_string(s));
}

static void
add_about(json_t *u, sqlite3_stmt *st)
{
	const char *cooked =
	    (const char *)sqlite3_column_text(st, U_BIO_COOKED);
	const char *website = (const char *)sqlite3_column_text(st, U_WEBSITE);

	set_if_text(u, "bio_raw", st, U_BIO_RAW);
	set_if_text(u, "bio_cooked", st, U_BIO_COOKED);
	if (cooked && *cooked) {
		char *excerpt = plain_excerpt(cooked, 300);

		json_object_set_new(u, "bio_excerpt",
		                    json_str_or_null(excerpt));
		free(excerpt);
	}
	set_if_text(u, "location", st, U_LOCATION);
	set_if_text(u, "website", st, U_WEBSITE);
	if (website && *website) {
		const char *host = strstr(website, "://");

		host = host ? host + 3 : website;
		json_object_set_new(u, "website_name",
		                    json_stringn(host, strcspn(host, "/")));
	}
	/* The organisation is the site's user field 1 (see site.json). */
	json_object_set_new(u, "user_fields",
	                    json_pack("{s:o, s:n}", "1",
	                              json_col_text(st, U_ORGANISATION), "2"));
}

static json_t *
groups_of(int64_t user_id, json_t **group_users)
{
	sqlite3_stmt *st = db_stmt(
	    ambtd->db,
	    "SELECT g.id, g.name, (SELECT COUNT(*) FROM group_users x"
	    " WHERE x.group_id = g.id) FROM groups g JOIN group_users gu"
	    " ON gu.group_id = g.id WHERE gu.user_id = ? ORDER BY g.name");
	json_t *groups = json_array();

	*group_users = json_array();
	if (!st)
		return groups;
	sqlite3_bind_int64(st, 1, user_id);
	while (sqlite3_step(st) == SQLITE_ROW) {
		json_int_t gid = sqlite3_column_int64(st, 0);
		const char *name = (const char *)sqlite3_column_text(st, 1);

		json_array_append_new(
		    groups,
		    json_pack("{s:I, s:b, s:s, s:s, s:i, s:i, s:i, s:i, s:b,"
		              " s:n, s:n, s:n, s:b, s:n, s:n, s:n, s:n,"
		              " s:n, s:n, s:b, s:b, s:b, s:n, s:i, s:n,"
		              " s:i, s:b, s:b, s:b}",
		              "id", gid, "automatic", 0, "name", name,
		              "display_name", name, "user_count",
		              sqlite3_column_int(st, 2), "mentionable_level", 0,
		              "messageable_level", 0, "visibility_level", 2,
		              "primary_group", 0, "title", "grant_trust_level",
		              "incoming_email", "has_messages", 0, "flair_url",
		              "flair_bg_color", "flair_color", "bio_raw",
		              "bio_cooked", "bio_excerpt", "public_admission",
		              0, "public_exit", 0, "allow_membership_requests",
		              0, "full_name", "default_notification_level", 3,
		              "membership_request_template",
		              "members_visibility_level", 2, "can_see_members",
		              1, "can_admin_group", 0, "publish_read_state",
		              0));
		json_array_append_new(
		    *group_users,
		    json_pack("{s:I, s:I, s:i, s:b}", "group_id", gid,
		              "user_id", (json_int_t)user_id,
		              "notification_level", 3, "owner", 0));
	}
	return groups;
}

/* Eight to five, every day: Discourse's default schedule, switched off. */
static json_t *
notification_schedule(void)
{
	json_t *s = json_pack("{s:b}", "enabled", 0);

	for (int day = 0; day < 7; day++) {
		char key[24];

		snprintf(key, sizeof key, "day_%d_start_time", day);
		json_object_set_new(s, key, json_integer(480));
		snprintf(key, sizeof key, "day_%d_end_time", day);
		json_object_set_new(s, key, json_integer(1020));
	}
	return s;
}

static json_t *
user_option(int64_t user_id)
{
	json_t *o = json_pack(
	    "{s:I, s:b, s:i, s:b, s:i, s:i, s:b, s:n, s:n, s:b, s:b, s:b,"
	    " s:b, s:i, s:b, s:i, s:i, s:i, s:i, s:b, s:i, s:b, s:[], s:i,"
	    " s:b, s:b, s:n, s:b, s:b, s:b, s:s, s:i, s:s, s:s, s:b, s:b}",
	    "user_id", (json_int_t)user_id, "mailing_list_mode", 0,
	    "mailing_list_mode_frequency", 1, "email_digests", 1, "email_level",
	    1, "email_messages_level", 0, "external_links_in_new_tab", 0,
	    "color_scheme_id", "dark_scheme_id", "dynamic_favicon", 0,
	    "enable_quoting", 1, "enable_smart_lists", 1, "enable_defer", 0,
	    "digest_after_minutes", 10080, "automatically_unpin_topics", 1,
	    "auto_track_topics_after_msecs", 240000,
	    "notification_level_when_replying", 2, "new_topic_duration_minutes",
	    2880, "email_previous_replies", 2, "email_in_reply_to", 1,
	    "like_notification_frequency", 1, "include_tl0_in_digests", 0,
	    "theme_ids", "theme_key_seq", 0, "allow_private_messages", 1,
	    "enable_allowed_pm_users", 0, "homepage_id",
	    "hide_profile_and_presence", 0, "hide_profile", 0, "hide_presence",
	    0, "text_size", "normal", "text_size_seq", 0, "title_count_mode",
	    "notifications", "timezone", "Europe/Amsterdam",
	    "skip_new_user_tips", 0, "topics_unread_when_closed", 1);

	return o;
}

/* The settings and lists UserSerializer sends (empty: ambtd keeps no
 * muting, tags or tokens). */
static void
add_settings(json_t *u, int64_t user_id, bool can_edit, bool staff)
{
	static const char *const empty_lists[] = {
	    "muted_category_ids",
	    "regular_category_ids",
	    "watched_tags",
	    "watching_first_post_tags",
	    "tracked_tags",
	    "muted_tags",
	    "tracked_category_ids",
	    "watched_category_ids",
	    "watched_first_post_category_ids",
	    "muted_usernames",
	    "ignored_usernames",
	    "allowed_pm_usernames",
	    "user_auth_tokens",
	    "featured_user_badge_ids",
	    NULL,
	};
	static const char *const editing[] = {
	    "can_edit",
	    "can_edit_username",
	    "can_edit_email",
	    "can_edit_name",
	    "can_upload_profile_header",
	    "can_upload_user_card_background",
	    "can_change_bio",
	    "can_change_location",
	    "can_change_website",
	    "can_change_tracking_preferences",
	    NULL,
	};

	for (size_t i = 0; empty_lists[i]; i++)
		json_object_set_new(u, empty_lists[i], json_array());
	for (size_t i = 0; editing[i]; i++)
		json_object_set_new(u, editing[i], json_boolean(can_edit));
	json_object_update_new(
	    u,
	    json_pack("{s:b, s:b, s:b, s:b, s:n, s:n, s:n, s:n, s:n, s:n,"
	              " s:n, s:b, s:n, s:b, s:i, s:b, s:n, s:n, s:i,"
	              " s:n, s:b, s:n, s:o, s:o, s:o}",
	              "ignored", 0, "muted", 0, "can_ignore_user", 0,
	              "can_mute_user", 0, "primary_group_id",
	              "primary_group_name", "flair_group_id", "flair_name",
	              "flair_url", "flair_bg_color", "flair_color", "staged", 0,
	              "featured_topic", "has_title_badges", 0, "pending_count",
	              0, "second_factor_enabled", 0, "uploaded_avatar_id",
	              "locale", "mailing_list_posts_per_day", 0,
	              "system_avatar_upload_id", "use_logo_small_as_avatar", 0,
	              "user_api_keys", "custom_fields", json_object(),
	              "user_notification_schedule", notification_schedule(),
	              "user_option", user_option(user_id)));
	json_object_set_new(u, "can_be_deleted", json_boolean(staff));
	json_object_set_new(u, "can_delete_all_posts", json_boolean(staff));
	json_object_set_new(u, "invited_by", json_null());
}

static json_t *
profile_json(sqlite3_stmt *st, const struct user_ref *v)
{
	int64_t id = sqlite3_column_int64(st, U_ID);
	const char *username =
	    (const char *)sqlite3_column_text(st, U_USERNAME);
	char *avatar = avatar_template(username);
	bool self = v->id == id, staff = viewer_is_staff(v);
	json_t *group_users, *groups = groups_of(id, &group_users);
	int64_t secs = sqlite3_column_int64(st, U_MSECS) / 1000;
	json_t *u = json_pack(
	    "{s:I, s:s, s:o, s:s, s:o, s:o, s:o, s:o, s:i, s:b, s:b, s:b,"
	    " s:b, s:i, s:I, s:I, s:i, s:i, s:s, s:o, s:o}",
	    "id", (json_int_t)id, "username", username, "name",
	    json_col_text(st, U_NAME), "avatar_template", avatar ? avatar : "",
	    "title", json_col_text(st, U_TITLE), "created_at",
	    json_time(sqlite3_column_int64(st, U_CREATED)), "last_seen_at",
	    json_time(sqlite3_column_int64(st, U_LAST_SEEN)), "last_posted_at",
	    json_time(sqlite3_column_int64(st, U_LAST_POSTED)), "trust_level",
	    sqlite3_column_int(st, U_TRUST), "moderator",
	    sqlite3_column_int(st, U_MODERATOR), "admin",
	    sqlite3_column_int(st, U_ADMIN), "can_send_private_messages",
	    v->id != 0, "can_send_private_message_to_user", v->id != 0 && !self,
	    "badge_count", sqlite3_column_int(st, U_BADGES), "time_read",
	    (json_int_t)secs, "recent_time_read", (json_int_t)secs,
	    "profile_view_count", sqlite3_column_int(st, U_VIEWS), "post_count",
	    sqlite3_column_int(st, U_POSTS), "system_avatar_template",
	    avatar ? avatar : "", "groups", groups, "group_users", group_users);

	free(avatar);
	if (!u)
		return NULL;
	add_about(u, st);
	add_settings(u, id, self || staff, staff);
	return u;
}

/* A badge as BadgeSerializer shapes it, from id, name, description and
 * the number of grants. */
static json_t *
badge_json(sqlite3_stmt *st)
{
	const char *name = (const char *)sqlite3_column_text(st, 1);
	char *slug = slugify(name);
	json_t *b = json_pack(
	    "{s:I, s:s, s:o, s:i, s:b, s:b, s:s, s:n, s:b, s:b, s:i, s:b,"
	    " s:s, s:b, s:i}",
	    "id", (json_int_t)sqlite3_column_int64(st, 0), "name", name,
	    "description", json_col_text(st, 2), "grant_count",
	    sqlite3_column_int(st, 3), "allow_title", 0, "multiple_grant", 0,
	    "icon", "fa-certificate", "image_url", "listable", 1, "enabled", 1,
	    "badge_grouping_id", 1, "system", 0, "slug", slug ? slug : "",
	    "manually_grantable", 1, "badge_type_id", 3);

	free(slug);
	return b;
}

/* The user's badges: user_badges[] and the badges[] they point into. */
static void
add_badges(json_t *root, int64_t user_id)
{
	sqlite3_stmt *st =
	    db_stmt(ambtd->db,
	            "SELECT b.id, b.name, b.description, (SELECT COUNT(*) FROM"
	            " user_badges x WHERE x.badge_id = b.id), ub.granted_at,"
	            " ub.rowid FROM user_badges ub JOIN badges b ON"
	            " b.id = ub.badge_id WHERE ub.user_id = ?"
	            " ORDER BY ub.granted_at DESC");
	json_t *user_badges = json_array(), *badges = json_array();

	if (st) {
		sqlite3_bind_int64(st, 1, user_id);
		while (sqlite3_step(st) == SQLITE_ROW) {
			json_array_append_new(
			    user_badges,
			    json_pack("{s:I, s:o, s:n, s:b, s:b, s:I, s:n,"
			              " s:I}",
			              "id",
			              (json_int_t)sqlite3_column_int64(st, 5),
			              "granted_at",
			              json_time(sqlite3_column_int64(st, 4)),
			              "grouping_position", "is_favorite", 0,
			              "can_favorite", 0, "user_id",
			              (json_int_t)user_id, "granted_by_id",
			              "badge_id",
			              (json_int_t)sqlite3_column_int64(st, 0)));
			json_array_append_new(badges, badge_json(st));
		}
	}
	json_object_set_new(root, "user_badges", user_badges);
	json_object_set_new(root, "badges", badges);
	json_object_set_new(
	    root, "badge_types",
	    json_pack("[{s:i, s:s, s:i}, {s:i, s:s, s:i}, {s:i, s:s, s:i}]",
	              "id", 1, "name", "Gold", "sort_order", 9, "id", 2, "name",
	              "Silver", "sort_order", 8, "id", 3, "name", "Bronze",
	              "sort_order", 7));
}

static void
user_show(struct req *r, struct resp *out)
{
	sqlite3_stmt *st = find_user(r, out, profile_sql);
	json_t *user, *root;
	int64_t id;

	if (!st)
		return;
	id = sqlite3_column_int64(st, U_ID);
	user = profile_json(st, &r->user);
	if (!user) {
		resp_error(out, 500, "server_error", "The profile failed.");
		return;
	}
	root = json_pack("{s:o, s:[], s:[]}", "user", user, "users", "topics");
	add_badges(root, id);
	resp_json(out, 200, root);
}

/* ---- The summary ---- */

static int64_t
count_of(const char *sql, int64_t user_id)
{
	sqlite3_stmt *st = db_stmt(ambtd->db, sql);

	if (!st)
		return 0;
	sqlite3_bind_int64(st, 1, user_id);
	return sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
}

static void
add_summary_counts(json_t *s, int64_t uid)
{
	static const struct {
		const char *key, *sql;
	} counts[] = {
	    {"likes_given", "SELECT COUNT(*) FROM post_actions WHERE "
	                    "user_id = ? AND post_action_type_id = 2"},
	    {"likes_received",
	     "SELECT COUNT(*) FROM post_actions a JOIN posts p ON p.id = "
	     "a.post_id WHERE p.user_id = ? AND a.post_action_type_id = 2"},
	    {"topics_entered",
	     "SELECT COUNT(*) FROM topic_users WHERE user_id = ?"},
	    {"posts_read_count",
	     "SELECT COALESCE(SUM(last_read_post_number), 0) FROM "
	     "topic_users WHERE user_id = ?"},
	    {"days_visited",
	     "SELECT COUNT(DISTINCT created_at / 86400) FROM (SELECT "
	     "created_at FROM posts WHERE user_id = ?1 UNION ALL SELECT "
	     "created_at FROM post_actions WHERE user_id = ?1)"},
	    {"topic_count", "SELECT COUNT(*) FROM topics WHERE user_id = ?"},
	    {"post_count", "SELECT COUNT(*) FROM posts WHERE user_id = ? "
	                   "AND deleted_at IS NULL"},
	    {"bookmark_count",
	     "SELECT (SELECT COUNT(*) FROM post_actions WHERE user_id = ?1 "
	     "AND post_action_type_id = 1) + (SELECT COUNT(*) FROM "
	     "topic_users WHERE user_id = ?1 AND bookmarked)"},
	    {"time_read", "SELECT COALESCE(SUM(total_msecs_viewed), 0) / "
	                  "1000 FROM topic_users WHERE user_id = ?"},
	};

	for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++)
		json_object_set_new(s, counts[i].key,
		                    json_integer(count_of(counts[i].sql, uid)));
	json_object_set_new(
	    s, "recent_time_read",
	    json_integer(json_integer_value(json_object_get(s, "time_read"))));
	json_object_set_new(s, "can_see_summary_stats", json_true());
}

/* The user's most liked topics (ids in the summary, the topics
 * sideloaded), visible to the viewer. */
static void
add_top_topics(json_t *s, json_t *root, int64_t uid, const struct user_ref *v)
{
	sqlite3_stmt *st = db_stmt(
	    ambtd->db, "SELECT t.id, t.title, t.slug, t.like_count,"
	               " t.created_at, t.category_id FROM topics t"
	               " WHERE t.user_id = :user AND " VISIBLE_TOPIC_SQL
	               " ORDER BY t.like_count DESC, t.id LIMIT " SUMMARY_TOP);
	json_t *ids = json_array(), *topics = json_array();

	if (st) {
		bind_viewer(st, v);
		sqlite3_bind_int64(
		    st, sqlite3_bind_parameter_index(st, ":user"), uid);
		while (sqlite3_step(st) == SQLITE_ROW) {
			const char *title =
			    (const char *)sqlite3_column_text(st, 1);

			json_array_append_new(
			    ids, json_integer(sqlite3_column_int64(st, 0)));
			json_array_append_new(
			    topics,
			    json_pack("{s:I, s:s, s:o, s:o, s:i, s:o, s:o}",
			              "id",
			              (json_int_t)sqlite3_column_int64(st, 0),
			              "title", title, "fancy_title",
			              topic_fancy_title(title), "slug",
			              json_col_text(st, 2), "like_count",
			              sqlite3_column_int(st, 3), "created_at",
			              json_time(sqlite3_column_int64(st, 4)),
			              "category_id", int_or_null(st, 5)));
		}
	}
	json_object_set_new(s, "topic_ids", ids);
	json_object_set_new(root, "topics", topics);
}

/* The user's most liked replies. */
static json_t *
top_replies(int64_t uid, const struct user_ref *v)
{
	sqlite3_stmt *st = db_stmt(
	    ambtd->db,
	    "SELECT p.post_number, (SELECT COUNT(*) FROM post_actions a"
	    " WHERE a.post_id = p.id AND a.post_action_type_id = 2) AS"
	    " likes, p.created_at, p.topic_id FROM posts p JOIN topics t"
	    " ON t.id = p.topic_id WHERE p.user_id = :user AND"
	    " p.post_number > 1 AND p.deleted_at IS NULL AND " VISIBLE_TOPIC_SQL
	    " ORDER BY likes DESC, p.created_at DESC LIMIT " SUMMARY_TOP);
	json_t *list = json_array();

	if (!st)
		return list;
	bind_viewer(st, v);
	sqlite3_bind_int64(st, sqlite3_bind_parameter_index(st, ":user"), uid);
	while (sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(
		    list, json_pack("{s:i, s:i, s:o, s:I}", "post_number",
		                    sqlite3_column_int(st, 0), "like_count",
		                    sqlite3_column_int(st, 1), "created_at",
		                    json_time(sqlite3_column_int64(st, 2)),
		                    "topic_id",
		                    (json_int_t)sqlite3_column_int64(st, 3)));
	return list;
}

/* Users and how often, from a query of (id, username, name, count). */
static json_t *
user_counts(const char *sql, int64_t uid)
{
	sqlite3_stmt *st = db_stmt(ambtd->db, sql);
	json_t *list = json_array();

	if (!st)
		return list;
	sqlite3_bind_int64(st, 1, uid);
	while (sqlite3_step(st) == SQLITE_ROW) {
		json_t *u = user_basic_from_row(st, 0, 1, 2);

		if (u) {
			json_object_set_new(
			    u, "count",
			    json_integer(sqlite3_column_int(st, 3)));
			json_array_append_new(list, u);
		}
	}
	return list;
}

static void
add_people(json_t *s, int64_t uid)
{
	json_object_set_new(
	    s, "most_liked_by_users",
	    user_counts("SELECT u.id, u.username, u.name, COUNT(*) AS n"
	                " FROM post_actions a JOIN posts p ON p.id ="
	                " a.post_id JOIN users u ON u.id = a.user_id WHERE"
	                " p.user_id = ? AND a.post_action_type_id = 2"
	                " GROUP BY u.id ORDER BY n DESC, u.username"
	                " LIMIT " SUMMARY_TOP,
	                uid));
	json_object_set_new(
	    s, "most_liked_users",
	    user_counts("SELECT u.id, u.username, u.name, COUNT(*) AS n"
	                " FROM post_actions a JOIN posts p ON p.id ="
	                " a.post_id JOIN users u ON u.id = p.user_id WHERE"
	                " a.user_id = ? AND a.post_action_type_id = 2"
	                " GROUP BY u.id ORDER BY n DESC, u.username"
	                " LIMIT " SUMMARY_TOP,
	                uid));
	json_object_set_new(
	    s, "most_replied_to_users",
	    user_counts("SELECT u.id, u.username, u.name, COUNT(*) AS n"
	                " FROM posts p JOIN posts rp ON rp.topic_id ="
	                " p.topic_id AND rp.post_number ="
	                " p.reply_to_post_number JOIN users u ON u.id ="
	                " rp.user_id WHERE p.user_id = ? AND"
	                " rp.user_id <> p.user_id AND p.deleted_at IS NULL"
	                " GROUP BY u.id ORDER BY n DESC, u.username"
	                " LIMIT " SUMMARY_TOP,
	                uid));
}

/* The categories the user posts in most, visible to the viewer. */
static json_t *
top_categories(int64_t uid, const struct user_ref *v)
{
	sqlite3_stmt *st = db_stmt(
	    ambtd->db,
	    "SELECT c.id, c.name, c.color, c.text_color, c.slug,"
	    " c.read_group_id IS NOT NULL, c.parent_id,"
	    " COUNT(DISTINCT CASE WHEN p.post_number = 1 THEN t.id END),"
	    " COUNT(*) AS n FROM posts p JOIN topics t ON t.id = p.topic_id"
	    " JOIN categories c ON c.id = t.category_id WHERE"
	    " p.user_id = :user AND p.deleted_at IS NULL "
	    "AND " VISIBLE_CATEGORY_SQL
	    " GROUP BY c.id ORDER BY n DESC, c.position LIMIT " SUMMARY_TOP);
	json_t *list = json_array();

	if (!st)
		return list;
	bind_viewer(st, v);
	sqlite3_bind_int64(st, sqlite3_bind_parameter_index(st, ":user"), uid);
	while (sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(
		    list,
		    json_pack("{s:I, s:o, s:o, s:o, s:o, s:b, s:o, s:i,"
		              " s:i}",
		              "id", (json_int_t)sqlite3_column_int64(st, 0),
		              "name", json_col_text(st, 1), "color",
		              json_col_text(st, 2), "text_color",
		              json_col_text(st, 3), "slug",
		              json_col_text(st, 4), "read_restricted",
		              sqlite3_column_int(st, 5), "parent_category_id",
		              int_or_null(st, 6), "topic_count",
		              sqlite3_column_int(st, 7), "post_count",
		              sqlite3_column_int(st, 8)));
	return list;
}

static void
user_summary(struct req *r, struct resp *out)
{
	sqlite3_stmt *st =
	    find_user(r, out, "SELECT id FROM users WHERE username = ?");
	json_t *s, *root;
	int64_t uid;

	if (!st)
		return;
	uid = sqlite3_column_int64(st, 0);
	s = json_object();
	root = json_object();
	add_summary_counts(s, uid);
	add_top_topics(s, root, uid, &r->user);
	json_object_set_new(s, "replies", top_replies(uid, &r->user));
	json_object_set_new(s, "links", json_array());
	add_people(s, uid);
	json_object_set_new(s, "top_categories", top_categories(uid, &r->user));
	add_badges(root, uid);
	/* the summary lists the badges as user_badges under "badges" */
	json_object_set(s, "badges", json_object_get(root, "user_badges"));
	json_object_del(root, "user_badges");
	json_object_set_new(root, "user_summary", s);
	resp_json(out, 200, root);
}

const struct route routes_users[] = {
    {"GET", "/u/{username}/summary.json", user_summary, false},
    {"GET", "/u/{username}.json", user_show, false},
    {"GET", "/users/{username}.json", user_show, false},
    {"GET", "/user_actions.json", user_actions, false},
    {"GET", "/directory_items.json", directory_items, false},
    {NULL, NULL, NULL, false},
};
