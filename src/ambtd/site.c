/*
 * site.c: /site.json (the enumerations, groups, user fields and the
 * categories a client needs to start) and /categories.json, both with
 * only the categories the viewer may see.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ambtd/ambtd.h"
#include "ambtd/read.h"

#define PERMISSION_FULL 1
#define PERMISSION_READONLY 3

/* Notification types, as Discourse's Notification.types numbers them. */
static const struct {
	const char *name;
	int id;
} notification_types[] = {
    {"mentioned", 1},
    {"replied", 2},
    {"quoted", 3},
    {"edited", 4},
    {"liked", 5},
    {"private_message", 6},
    {"invited_to_private_message", 7},
    {"invitee_accepted", 8},
    {"posted", 9},
    {"moved_post", 10},
    {"linked", 11},
    {"granted_badge", 12},
    {"invited_to_topic", 13},
    {"custom", 14},
    {"group_mentioned", 15},
    {"group_message_summary", 16},
    {"watching_first_post", 17},
    {"topic_reminder", 18},
    {"liked_consolidated", 19},
    {"post_approved", 20},
    {"code_review_commit_approved", 21},
    {"membership_request_accepted", 22},
    {"membership_request_consolidated", 23},
    {"bookmark_reminder", 24},
    {"reaction", 25},
    {"votes_released", 26},
    {"event_reminder", 27},
    {"event_invitation", 28},
    {"chat_mention", 29},
    {"chat_message", 30},
    {"chat_invitation", 31},
    {"chat_group_mention", 32},
    {"chat_quoted", 33},
    {"assigned", 34},
    {"question_answer_user_commented", 35},
    {"watching_category_or_tag", 36},
    {"new_features", 37},
    {"admin_problems", 38},
    {"linked_consolidated", 39},
    {"chat_watched_thread", 40},
    {"following", 800},
    {"following_created_topic", 801},
    {"following_replied", 802},
    {"circles_activity", 900},
};

/* Columns of categories_sql. */
enum {
	C_ID,
	C_NAME,
	C_SLUG,
	C_COLOR,
	C_TEXT_COLOR,
	C_DESCRIPTION,
	C_PARENT,
	C_POSITION,
	C_RESTRICTED,
	C_TOPICS,
	C_POSTS,
	C_CHILDREN,
	C_WEEK,
	C_MONTH,
	C_YEAR,
	C_DAY,
};

static const char categories_sql[] =
    "SELECT c.id, c.name, c.slug, c.color, c.text_color, c.description,"
    " c.parent_id, c.position, c.read_group_id IS NOT NULL,"
    " (SELECT COUNT(*) FROM topics t WHERE t.category_id = c.id AND"
    "  t.visible),"
    " (SELECT COUNT(*) FROM posts p JOIN topics t ON t.id = p.topic_id"
    "  WHERE t.category_id = c.id AND p.deleted_at IS NULL),"
    " (SELECT COUNT(*) FROM categories s WHERE s.parent_id = c.id),"
    " (SELECT COUNT(*) FROM topics t WHERE t.category_id = c.id AND"
    "  t.created_at > :now - 7 * 86400),"
    " (SELECT COUNT(*) FROM topics t WHERE t.category_id = c.id AND"
    "  t.created_at > :now - 30 * 86400),"
    " (SELECT COUNT(*) FROM topics t WHERE t.category_id = c.id AND"
    "  t.created_at > :now - 365 * 86400),"
    " (SELECT COUNT(*) FROM topics t WHERE t.category_id = c.id AND"
    "  t.created_at > :now - 86400)"
    " FROM categories c WHERE " VISIBLE_CATEGORY_SQL
    " ORDER BY c.position, c.id";

/* The fields CategorySerializer gives everywhere. The description is
 * written as plain text; it goes out as a paragraph of HTML too. */
static json_t *
category_base(sqlite3_stmt *st, const struct user_ref *v)
{
	const char *text = (const char *)sqlite3_column_text(st, C_DESCRIPTION);
	const char *slug = (const char *)sqlite3_column_text(st, C_SLUG);
	char *html = text ? cook(text) : NULL;
	char url[192];
	json_t *j;

	snprintf(url, sizeof url, "/c/%s/%lld", slug,
	         (long long)sqlite3_column_int64(st, C_ID));
	j = json_pack(
	    "{s:I, s:o, s:o, s:o, s:s, s:i, s:i, s:i, s:o, s:o, s:o, s:s,"
	    " s:b, s:i, s:i, s:b, s:n, s:b, s:o, s:n, s:n, s:b, s:i, s:n,"
	    " s:s, s:s, s:s, s:i, s:b, s:n, s:n, s:n, s:n}",
	    "id", (json_int_t)sqlite3_column_int64(st, C_ID), "name",
	    json_col_text(st, C_NAME), "color", json_col_text(st, C_COLOR),
	    "text_color", json_col_text(st, C_TEXT_COLOR), "slug", slug,
	    "topic_count", sqlite3_column_int(st, C_TOPICS), "post_count",
	    sqlite3_column_int(st, C_POSTS), "position",
	    sqlite3_column_int(st, C_POSITION), "description",
	    json_str_or_null(html), "description_text",
	    json_col_text(st, C_DESCRIPTION), "description_excerpt",
	    json_col_text(st, C_DESCRIPTION), "topic_url", url,
	    "read_restricted", sqlite3_column_int(st, C_RESTRICTED),
	    "permission", v->id != 0 ? PERMISSION_FULL : PERMISSION_READONLY,
	    "notification_level", 1, "can_edit", viewer_is_staff(v),
	    "topic_template", "has_children",
	    sqlite3_column_int(st, C_CHILDREN) > 0, "subcategory_count",
	    json_integer(sqlite3_column_int(st, C_CHILDREN)), "sort_order",
	    "sort_ascending", "show_subcategory_list", 0, "num_featured_topics",
	    3, "default_view", "subcategory_list_style",
	    "rows_with_featured_topics", "default_top_period", "all",
	    "default_list_filter", "all", "minimum_required_tags", 0,
	    "navigate_to_first_post_after_read", 0, "uploaded_logo",
	    "uploaded_logo_dark", "uploaded_background",
	    "uploaded_background_dark");

	free(html);
	return j;
}

/* The visible categories, each from category_base plus what add gives. */
static json_t *
categories_json(const struct user_ref *v, void (*add)(json_t *, sqlite3_stmt *))
{
	sqlite3_stmt *st = db_stmt(ambtd->db, categories_sql);
	json_t *list = json_array();

	if (!st || !list)
		return list;
	bind_viewer(st, v);
	sqlite3_bind_int64(st, sqlite3_bind_parameter_index(st, ":now"),
	                   db_now());
	while (sqlite3_step(st) == SQLITE_ROW) {
		json_t *c = category_base(st, v);

		if (!c)
			continue;
		add(c, st);
		json_array_append_new(list, c);
	}
	return list;
}

/* site.json's categories name their parent and their tag rules. */
static void
add_site_fields(json_t *c, sqlite3_stmt *st)
{
	if (sqlite3_column_type(st, C_PARENT) != SQLITE_NULL)
		json_object_set_new(c, "parent_category_id",
		                    int_or_null(st, C_PARENT));
	json_object_update_new(
	    c, json_pack("{s:[], s:[], s:b, s:[], s:n}", "allowed_tags",
	                 "allowed_tag_groups", "allow_global_tags", 0,
	                 "required_tag_groups", "read_only_banner"));
}

/* categories.json's count topics by period and list the children. */
static void
add_list_fields(json_t *c, sqlite3_stmt *st)
{
	json_object_update_new(
	    c, json_pack("{s:i, s:i, s:i, s:i, s:i, s:[]}", "topics_day",
	                 sqlite3_column_int(st, C_DAY), "topics_week",
	                 sqlite3_column_int(st, C_WEEK), "topics_month",
	                 sqlite3_column_int(st, C_MONTH), "topics_year",
	                 sqlite3_column_int(st, C_YEAR), "topics_all_time",
	                 sqlite3_column_int(st, C_TOPICS), "subcategory_ids"));
}

static void
categories(struct req *r, struct resp *out)
{
	json_t *list = categories_json(&r->user, add_list_fields);

	resp_json(out, 200,
	          json_pack("{s:{s:b, s:b, s:o}}", "category_list",
	                    "can_create_category", viewer_is_staff(&r->user),
	                    "can_create_topic", r->user.id != 0, "categories",
	                    list));
}

static json_t *
notification_types_json(void)
{
	json_t *j = json_object();

	for (size_t i = 0;
	     i < sizeof notification_types / sizeof notification_types[0]; i++)
		json_object_set_new(j, notification_types[i].name,
		                    json_integer(notification_types[i].id));
	return j;
}

static json_t *
groups_json(void)
{
	sqlite3_stmt *st =
	    db_stmt(ambtd->db, "SELECT id, name FROM groups ORDER BY name");
	json_t *list = json_array();

	while (st && sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(
		    list, json_pack("{s:I, s:o, s:n, s:n, s:n}", "id",
		                    (json_int_t)sqlite3_column_int64(st, 0),
		                    "name", json_col_text(st, 1), "flair_url",
		                    "flair_bg_color", "flair_color"));
	return list;
}

static json_t *
top_tags_json(void)
{
	sqlite3_stmt *st =
	    db_stmt(ambtd->db, "SELECT g.name FROM tags g JOIN topic_tags tt ON"
	                       " tt.tag_id = g.id GROUP BY g.id"
	                       " ORDER BY COUNT(*) DESC, g.name LIMIT 20");
	json_t *list = json_array();

	while (st && sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(list, json_col_text(st, 0));
	return list;
}

/* Like is the only post action ambtd knows. */
static json_t *
post_action_types_json(void)
{
	return json_pack(
	    "[{s:i, s:s, s:s, s:s, s:s, s:b, s:b, s:b, s:[s],"
	    " s:b, s:i, s:b}]",
	    "id", 2, "name_key", "like", "name", "Vind ik leuk", "description",
	    "Laat zien dat je dit bericht waardeert", "short_description",
	    "Vind ik leuk", "is_flag", 0, "require_message", 0, "enabled", 1,
	    "applies_to", "Post", "is_used", 1, "position", 0,
	    "auto_action_type", 0);
}

/* The organisation (user field 1 on profiles) and a spare field. */
static json_t *
user_fields_json(void)
{
	return json_pack(
	    "[{s:i, s:s, s:s, s:s, s:b, s:b, s:b, s:b, s:b, s:i},"
	    " {s:i, s:s, s:s, s:s, s:b, s:b, s:b, s:b, s:b, s:i}]",
	    "id", 1, "name", "Organisatie", "description",
	    "De overheidsorganisatie waar je werkt", "field_type", "text",
	    "editable", 1, "required", 0, "show_on_profile", 1,
	    "show_on_user_card", 1, "searchable", 1, "position", 1, "id", 2,
	    "name", "Bestuursniveau", "description",
	    "Gemeente, provincie, regio of federaal/rijk", "field_type", "text",
	    "editable", 1, "required", 0, "show_on_profile", 1,
	    "show_on_user_card", 0, "searchable", 0, "position", 2);
}

static json_t *
site_enumerations(void)
{
	return json_pack(
	    "{s:s, s:o, s:{s:i, s:i, s:i, s:i}, s:{s:i, s:i, s:i, s:i, s:i},"
	    " s:[s, s, s, s, s, s, s, s, s], s:[s, s, s, s, s, s],"
	    " s:[s, s, s, s, s], s:[s, s, s], s:[{s:s, s:s, s:[]}]}",
	    "default_archetype", "regular", "notification_types",
	    notification_types_json(), "post_types", "regular", 1,
	    "moderator_action", 2, "small_action", 3, "whisper", 4,
	    "trust_levels", "newuser", 0, "basic", 1, "member", 2, "regular", 3,
	    "leader", 4, "filters", "latest", "unread", "new", "unseen", "top",
	    "read", "posted", "bookmarks", "hot", "periods", "all", "yearly",
	    "quarterly", "monthly", "weekly", "daily", "top_menu_items",
	    "latest", "new", "unread", "categories", "top",
	    "anonymous_top_menu_items", "latest", "categories", "top",
	    "archetypes", "id", "regular", "name", "Onderwerp", "options");
}

static void
site(struct req *r, struct resp *out)
{
	json_t *j = site_enumerations();

	json_object_update_new(
	    j,
	    json_pack("{s:o, s:I, s:i, s:o, s:[], s:b, s:b, s:b, s:s, s:o,"
	              " s:[], s:[{s:i, s:s, s:b, s:n}], s:[], s:n, s:[],"
	              " s:{}, s:n, s:n, s:o, s:o, s:[], s:b, s:b}",
	              "groups", groups_json(), "uncategorized_category_id",
	              (json_int_t)0, "user_field_max_length", 2048,
	              "post_action_types", post_action_types_json(),
	              "topic_flag_types", "can_create_tag", 0, "can_tag_topics",
	              0, "can_tag_pms", 0, "tags_filter_regexp",
	              "[/\\?#\\[\\]@!\\$&'\\(\\)\\*\\+,;=\\.%\\\\`^\\s|"
	              "\\{\\}\"<>]+",
	              "top_tags", top_tags_json(),
	              "topic_featured_link_allowed_category_ids", "user_themes",
	              "theme_id", 1, "name", "Standaard", "default", 1,
	              "color_scheme_id", "user_color_schemes",
	              "default_dark_color_scheme", "censored_regexp",
	              "custom_emoji_translation", "watched_words_replace",
	              "watched_words_link", "categories",
	              categories_json(&r->user, add_site_fields), "user_fields",
	              user_fields_json(), "auth_providers",
	              "full_name_required_for_signup", 1,
	              "full_name_visible_in_signup", 1));
	resp_json(out, 200, j);
}

const struct route routes_site[] = {
    {"GET", "/site.json", site, false},
    {"GET", "/categories.json", categories, false},
    {NULL, NULL, NULL, false},
};
