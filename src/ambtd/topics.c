/*
 * topics.c: topic lists (/latest.json, /c/...) as Discourse's
 * TopicListSerializer shapes them, and the route list of the topic family
 * (the topic view itself is in topic_view.c).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ambtd/ambtd.h"
#include "ambtd/read.h"

#define DEFAULT_PER_PAGE 30
#define MAX_PER_PAGE 100
#define MAX_POSTERS 5

/* Columns of the list query, in order. */
enum {
	L_ID,
	L_TITLE,
	L_SLUG,
	L_CATEGORY,
	L_CREATED,
	L_BUMPED,
	L_LAST_POSTED,
	L_VIEWS,
	L_CLOSED,
	L_ARCHIVED,
	L_PINNED,
	L_VISIBLE,
	L_ARCHETYPE,
	L_LIKES,
	L_POSTS,
	L_HIGHEST,
	L_OP_LIKES,
	L_LAST_POSTER,
	L_HAS_ROW,
	L_LAST_READ,
	L_LEVEL,
	L_BOOKMARKED,
	L_LIKED,
	L_FIRST_COOKED,
};

/* The counts come from the topic's row (db.c keeps them); "liked" walks
 * the viewer's likes (the CROSS JOIN keeps SQLite from
 * walking every post of each topic instead). */
#define LIST_SELECT                                                            \
	"SELECT t.id, t.title, t.slug, t.category_id, t.created_at,"           \
	" t.bumped_at, t.last_posted_at, t.views, t.closed, t.archived,"       \
	" t.pinned, t.visible, t.archetype, t.like_count,"                     \
	" t.posts_count AS posts_count, t.highest_post_number,"                \
	" (SELECT COUNT(*) FROM post_actions a JOIN posts p ON"                \
	"  p.id = a.post_id WHERE p.topic_id = t.id AND p.post_number = 1"     \
	"  AND a.post_action_type_id = 2),"                                    \
	" (SELECT u.username FROM users u WHERE u.id = t.last_post_user_id),"  \
	" tu.topic_id IS NOT NULL, tu.last_read_post_number,"                  \
	" tu.notification_level, tu.bookmarked,"                               \
	" EXISTS (SELECT 1 FROM post_actions a CROSS JOIN posts p ON"          \
	"  p.id = a.post_id WHERE a.user_id = :uid AND"                        \
	"  a.post_action_type_id = 2 AND p.topic_id = t.id),"                  \
	" (SELECT p.cooked FROM posts p WHERE p.topic_id = t.id AND"           \
	"  p.post_number = 1)"                                                 \
	" FROM topics t LEFT JOIN topic_users tu ON tu.topic_id = t.id AND"    \
	"  tu.user_id = :uid"                                                  \
	" WHERE t.visible AND (CASE WHEN :filter = 3 THEN"                     \
	"  t.archetype = 'private_message' AND EXISTS (SELECT 1 FROM"          \
	"  topic_allowed_users ta WHERE ta.topic_id = t.id AND"                \
	"  ta.user_id = :uid) ELSE " VISIBLE_TOPIC_SQL " END)"                 \
	" AND (:category IS NULL OR t.category_id = :category)"                \
	" AND (:filter IN (0, 3) OR (:filter = 1 AND tu.topic_id IS NULL) OR"  \
	"  (:filter = 2 AND tu.notification_level >= 2 AND"                    \
	"  tu.last_read_post_number < t.highest_post_number))"

/* The orders ?order= may ask for, as SQL. Others fall back to activity. */
static const struct {
	const char *name, *sql;
} orders[] = {
    {"default", "t.bumped_at"},    {"activity", "t.bumped_at"},
    {"created", "t.created_at"},   {"views", "t.views"},
    {"posts", "posts_count"},      {"likes", "t.like_count"},
    {"category", "t.category_id"},
};

/* Which topics a list holds, as Discourse's filters. */
enum list_filter {
	LIST_LATEST,
	LIST_NEW,      /* never opened by the viewer (at any age, unlike
	                  Discourse, whose "new" ends after two days) */
	LIST_UNREAD,   /* tracked or watched, with posts after the last read */
	LIST_MESSAGES, /* the private messages the viewer takes part in */
};

struct list_query {
	enum list_filter filter;
	int64_t category_id; /* 0: all */
	int64_t page, per_page;
	const char *order_sql;
	bool ascending;
	bool pinned_first;    /* a category's pinned topics lead its list */
	const char *base_url; /* "/latest", "/c/sociale-media/1/l/latest" */
};

static const char *
known_order(const char *name)
{
	for (size_t i = 0; name && i < sizeof orders / sizeof orders[0]; i++)
		if (strcmp(orders[i].name, name) == 0)
			return orders[i].sql;
	return NULL;
}

static const char *
order_sql(const char *name)
{
	const char *sql = known_order(name);

	return sql ? sql : "t.bumped_at";
}

/* Discourse's fancy_title: the title with HTML's special characters
 * escaped. */
json_t *
topic_fancy_title(const char *title)
{
	size_t n = 0;
	char *out = malloc(strlen(title) * 6 + 1);
	json_t *j;

	if (!out)
		return json_string(title);
	for (const char *s = title; *s; s++) {
		const char *rep = *s == '&'   ? "&amp;"
		                  : *s == '<' ? "&lt;"
		                  : *s == '>' ? "&gt;"
		                  : *s == '"' ? "&quot;"
		                              : NULL;

		if (rep) {
			memcpy(out + n, rep, strlen(rep));
			n += strlen(rep);
		} else {
			out[n++] = *s;
		}
	}
	out[n] = '\0';
	j = json_string(out);
	free(out);
	return j;
}

/* A poster entry and its user id in the sideload set. */
static void
add_poster(json_t *posters, json_t *user_ids, int64_t user_id,
           const char *description, const char *extras)
{
	json_array_append_new(
	    posters,
	    json_pack("{s:o, s:s, s:I, s:n}", "extras",
	              json_str_or_null(extras), "description", description,
	              "user_id", (json_int_t)user_id, "primary_group_id"));
	json_array_append_new(user_ids, json_integer(user_id));
}

/*
 * Discourse's TopicPostersSummary: the original poster first, then the
 * most frequent posters, the most recent poster last (extras "latest",
 * "latest single" when the topic has one poster), five at most. Discourse
 * reads the frequent ones from columns it updates now and then; ambtd
 * counts them over the last RECENT_POSTS posts, so that a topic of 10,000
 * posts costs no more than one of 500.
 */
#define RECENT_POSTS "500"
static json_t *
topic_posters(int64_t topic_id, json_t *user_ids)
{
	sqlite3_stmt *st =
	    db_stmt(ambtd->db,
	            "SELECT user_id, "
	            " (SELECT user_id FROM posts WHERE topic_id = :t AND"
	            "  deleted_at IS NULL ORDER BY post_number LIMIT 1),"
	            " (SELECT user_id FROM posts WHERE topic_id = :t AND"
	            "  deleted_at IS NULL ORDER BY post_number DESC LIMIT 1)"
	            " FROM (SELECT user_id, post_number FROM posts WHERE"
	            "  topic_id = :t AND deleted_at IS NULL"
	            "  ORDER BY post_number DESC LIMIT " RECENT_POSTS ")"
	            " GROUP BY user_id ORDER BY COUNT(*) DESC, MIN(post_number)"
	            " LIMIT 24");
	json_t *posters = json_array();
	int64_t ids[24], op = 0, last = 0;
	size_t n = 0;

	if (!st || !posters)
		return posters;
	sqlite3_bind_int64(st, 1, topic_id);
	while (n < 24 && sqlite3_step(st) == SQLITE_ROW) {
		ids[n++] = sqlite3_column_int64(st, 0);
		op = sqlite3_column_int64(st, 1);
		last = sqlite3_column_int64(st, 2);
	}
	if (n == 0)
		return posters;
	if (op == last) {
		add_poster(posters, user_ids, op,
		           "Original Poster, Most Recent Poster",
		           n == 1 ? "latest single" : "latest");
	} else {
		add_poster(posters, user_ids, op, "Original Poster", NULL);
	}
	for (size_t i = 0, shown = 1; i < n && shown < MAX_POSTERS - 1; i++) {
		if (ids[i] == op || ids[i] == last)
			continue;
		add_poster(posters, user_ids, ids[i], "Frequent Poster", NULL);
		shown++;
	}
	if (op != last)
		add_poster(posters, user_ids, last, "Most Recent Poster",
		           "latest");
	return posters;
}

static void
add_viewer_fields(json_t *j, sqlite3_stmt *st, const struct user_ref *v)
{
	int highest = sqlite3_column_int(st, L_HIGHEST);

	if (v->id == 0) {
		json_object_set_new(j, "unseen", json_false());
		json_object_set_new(j, "bookmarked", json_null());
		json_object_set_new(j, "liked", json_null());
		return;
	}
	json_object_set_new(j, "bookmarked",
	                    json_boolean(sqlite3_column_int(st, L_BOOKMARKED)));
	json_object_set_new(j, "liked",
	                    json_boolean(sqlite3_column_int(st, L_LIKED)));
	if (!sqlite3_column_int(st, L_HAS_ROW)) {
		json_object_set_new(j, "unseen", json_true());
		return;
	}
	json_object_set_new(j, "unseen", json_false());
	json_object_set_new(j, "last_read_post_number",
	                    json_integer(sqlite3_column_int(st, L_LAST_READ)));
	json_object_set_new(
	    j, "unread_posts",
	    json_integer(highest > sqlite3_column_int(st, L_LAST_READ)
	                     ? highest - sqlite3_column_int(st, L_LAST_READ)
	                     : 0));
	json_object_set_new(j, "notification_level",
	                    json_integer(sqlite3_column_int(st, L_LEVEL)));
}

static json_t *
list_item(sqlite3_stmt *st, const struct user_ref *v, json_t *user_ids)
{
	const char *title = (const char *)sqlite3_column_text(st, L_TITLE);
	const char *cooked =
	    (const char *)sqlite3_column_text(st, L_FIRST_COOKED);
	int64_t id = sqlite3_column_int64(st, L_ID);
	int posts = sqlite3_column_int(st, L_POSTS);
	char *excerpt = plain_excerpt(cooked ? cooked : "", 200);
	json_t *j = json_pack(
	    "{s:I, s:s, s:o, s:o, s:i, s:i, s:i, s:n, s:o, s:o, s:b, s:o,"
	    " s:o, s:b, s:n, s:b, s:b, s:b, s:o, s:i, s:i, s:i, s:b, s:o,"
	    " s:o, s:b, s:n, s:o}",
	    "id", (json_int_t)id, "title", title, "fancy_title",
	    topic_fancy_title(title), "slug", json_col_text(st, L_SLUG),
	    "posts_count", posts, "reply_count", posts > 0 ? posts - 1 : 0,
	    "highest_post_number", sqlite3_column_int(st, L_HIGHEST),
	    "image_url", "created_at",
	    json_time(sqlite3_column_int64(st, L_CREATED)), "last_posted_at",
	    json_time(sqlite3_column_int64(st, L_LAST_POSTED)), "bumped", 1,
	    "bumped_at", json_time(sqlite3_column_int64(st, L_BUMPED)),
	    "archetype", json_col_text(st, L_ARCHETYPE), "pinned",
	    sqlite3_column_int(st, L_PINNED), "unpinned", "visible",
	    sqlite3_column_int(st, L_VISIBLE), "closed",
	    sqlite3_column_int(st, L_CLOSED), "archived",
	    sqlite3_column_int(st, L_ARCHIVED), "excerpt",
	    json_str_or_null(excerpt), "views", sqlite3_column_int(st, L_VIEWS),
	    "like_count", sqlite3_column_int(st, L_LIKES), "op_like_count",
	    sqlite3_column_int(st, L_OP_LIKES), "has_summary", 0,
	    "last_poster_username", json_col_text(st, L_LAST_POSTER),
	    "category_id", int_or_null(st, L_CATEGORY), "pinned_globally", 0,
	    "featured_link", "tags", topic_tag_names(id));

	free(excerpt);
	if (!j)
		return NULL;
	add_viewer_fields(j, st, v);
	json_object_set_new(j, "posters", topic_posters(id, user_ids));
	return j;
}

/* Each user once, in the order first seen. */
static json_t *
sideload_users(json_t *user_ids)
{
	json_t *users = json_array(), *seen = json_object();
	size_t i;
	json_t *id;

	json_array_foreach(user_ids, i, id)
	{
		char key[24];
		json_t *u;

		snprintf(key, sizeof key, "%lld",
		         (long long)json_integer_value(id));
		if (json_object_get(seen, key))
			continue;
		json_object_set_new(seen, key, json_true());
		u = user_basic_json(json_integer_value(id));
		if (u)
			json_array_append_new(users, u);
	}
	json_decref(seen);
	return users;
}

/* The URL of the next page, without .json, as Discourse builds it: the
 * same list with page + 1 and the per_page and order that were asked. */
static json_t *
more_topics_url(const struct list_query *q, const struct req *r)
{
	char url[512];
	const char *order = req_param(r, "order");
	int n = snprintf(url, sizeof url, "%s?page=%lld", q->base_url,
	                 (long long)q->page + 1);

	if (req_param(r, "per_page") && n > 0 && (size_t)n < sizeof url)
		n += snprintf(url + n, sizeof url - (size_t)n, "&per_page=%lld",
		              (long long)q->per_page);
	if (order && known_order(order) && n > 0 && (size_t)n < sizeof url)
		snprintf(url + n, sizeof url - (size_t)n, "&order=%s", order);
	return json_string(url);
}

static sqlite3_stmt *
list_statement(const struct list_query *q)
{
	char sql[sizeof LIST_SELECT + 256];

	snprintf(sql, sizeof sql,
	         LIST_SELECT " ORDER BY %s%s %s, t.id DESC LIMIT :limit "
	                     "OFFSET :offset",
	         q->pinned_first ? "t.pinned DESC, " : "", q->order_sql,
	         q->ascending ? "ASC" : "DESC");
	return db_stmt(ambtd->db, sql);
}

static json_t *
topic_list_json(const struct list_query *q, const struct req *r)
{
	sqlite3_stmt *st = list_statement(q);
	json_t *topics = json_array(), *user_ids = json_array(), *list, *j;

	if (!st) {
		json_decref(topics);
		json_decref(user_ids);
		return NULL;
	}
	bind_viewer(st, &r->user);
	sqlite3_bind_int(st, sqlite3_bind_parameter_index(st, ":filter"),
	                 (int)q->filter);
	if (q->category_id)
		sqlite3_bind_int64(
		    st, sqlite3_bind_parameter_index(st, ":category"),
		    q->category_id);
	sqlite3_bind_int64(st, sqlite3_bind_parameter_index(st, ":limit"),
	                   q->per_page);
	sqlite3_bind_int64(st, sqlite3_bind_parameter_index(st, ":offset"),
	                   q->page * q->per_page);
	while (sqlite3_step(st) == SQLITE_ROW) {
		json_t *item = list_item(st, &r->user, user_ids);

		if (item)
			json_array_append_new(topics, item);
	}
	list =
	    json_pack("{s:b, s:n, s:s, s:i, s:I}", "can_create_topic",
	              r->user.id != 0, "draft", "draft_key", "new_topic",
	              "draft_sequence", 0, "per_page", (json_int_t)q->per_page);
	if ((int64_t)json_array_size(topics) == q->per_page)
		json_object_set_new(list, "more_topics_url",
		                    more_topics_url(q, r));
	json_object_set_new(list, "topics", topics);
	j = json_pack("{s:o, s:[], s:o}", "users", sideload_users(user_ids),
	              "primary_groups", "topic_list", list);
	json_decref(user_ids);
	return j;
}

/* page, per_page, order and ascending from the query; -1 after a 400. */
static int
read_list_params(const struct req *r, struct resp *out, struct list_query *q)
{
	const char *asc = req_param(r, "ascending");

	if (param_in_range(r, "page", 0, INT32_MAX, 0, &q->page) < 0) {
		resp_bad_param(out, "page");
		return -1;
	}
	if (param_in_range(r, "per_page", 1, MAX_PER_PAGE, DEFAULT_PER_PAGE,
	                   &q->per_page) < 0) {
		resp_bad_param(out, "per_page");
		return -1;
	}
	q->order_sql = order_sql(req_param(r, "order"));
	q->ascending = asc && strcmp(asc, "true") == 0;
	return 0;
}

static void
send_list(struct req *r, struct resp *out, struct list_query *q)
{
	json_t *j;

	if (read_list_params(r, out, q) < 0)
		return;
	j = topic_list_json(q, r);
	if (!j) {
		resp_error(out, 500, "server_error", "The list failed.");
		return;
	}
	resp_json(out, 200, j);
}

static void
latest(struct req *r, struct resp *out)
{
	struct list_query q = {.base_url = "/latest"};

	send_list(r, out, &q);
}

static void
list_new(struct req *r, struct resp *out)
{
	struct list_query q = {.filter = LIST_NEW, .base_url = "/new"};

	send_list(r, out, &q);
}

static void
list_unread(struct req *r, struct resp *out)
{
	struct list_query q = {.filter = LIST_UNREAD, .base_url = "/unread"};

	send_list(r, out, &q);
}

/* GET /topics/private-messages/{username}.json: one's own messages
 * (Discourse also shows staff another's; ambtd does not). */
static void
list_messages(struct req *r, struct resp *out)
{
	char base[128];
	struct list_query q = {.filter = LIST_MESSAGES, .base_url = base};

	if (strcasecmp(r->args[0], r->user.username) != 0) {
		resp_invalid_access(out);
		return;
	}
	snprintf(base, sizeof base, "/topics/private-messages/%s",
	         r->user.username);
	send_list(r, out, &q);
}

/* A category by id or slug that the viewer may see: its id and slug, or 0
 * (answer 404, as for one that does not exist). */
static int64_t
visible_category(const struct req *r, int64_t id, const char *slug,
                 char *slug_out, size_t slug_size)
{
	sqlite3_stmt *st = db_stmt(
	    ambtd->db,
	    "SELECT c.id, c.slug FROM categories c "
	    "WHERE (c.id = :id OR c.slug = :slug) AND " VISIBLE_CATEGORY_SQL);
	int64_t found = 0;

	if (!st)
		return 0;
	bind_viewer(st, &r->user);
	sqlite3_bind_int64(st, sqlite3_bind_parameter_index(st, ":id"), id);
	if (slug)
		sqlite3_bind_text(st, sqlite3_bind_parameter_index(st, ":slug"),
		                  slug, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(st) == SQLITE_ROW) {
		found = sqlite3_column_int64(st, 0);
		snprintf(slug_out, slug_size, "%s",
		         (const char *)sqlite3_column_text(st, 1));
	}
	return found;
}

static void
category_list(struct req *r, struct resp *out, int64_t id, const char *slug)
{
	char cat_slug[128], base[192];
	struct list_query q = {.pinned_first = true, .base_url = base};

	q.category_id =
	    visible_category(r, id, slug, cat_slug, sizeof cat_slug);
	if (q.category_id == 0) {
		resp_not_found(out);
		return;
	}
	snprintf(base, sizeof base, "/c/%s/%lld/l/latest", cat_slug,
	         (long long)q.category_id);
	send_list(r, out, &q);
}

/* /c/{slug}/{id}.json and /c/{slug}/{id}/l/latest.json */
static void
category_by_slug_id(struct req *r, struct resp *out)
{
	int64_t id = req_arg_int(r, 1);

	if (id < 0) {
		resp_not_found(out);
		return;
	}
	category_list(r, out, id, NULL);
}

/* /c/{id}.json or /c/{slug}.json */
static void
category_by_id_or_slug(struct req *r, struct resp *out)
{
	int64_t id = req_arg_int(r, 0);

	category_list(r, out, id > 0 ? id : 0, id > 0 ? NULL : r->args[0]);
}

const struct route routes_topics[] = {
    {"GET", "/latest.json", latest, false},
    {"GET", "/new.json", list_new, true},
    {"GET", "/unread.json", list_unread, true},
    {"GET", "/topics/private-messages/{username}.json", list_messages, true},
    {"GET", "/c/{slug}/{id}/l/latest.json", category_by_slug_id, false},
    {"GET", "/c/{slug}/{id}.json", category_by_slug_id, false},
    {"GET", "/c/{id}.json", category_by_id_or_slug, false},
    {"GET", "/t/{id}/posts.json", topic_posts, false},
    {"GET", "/t/{id}/post_ids.json", topic_post_ids, false},
    {"GET", "/t/{slug}/{id}/{n}.json", topic_show_slug_near, false},
    {"GET", "/t/{a}/{b}.json", topic_show_two, false},
    {"GET", "/t/{id}.json", topic_show, false},
    {NULL, NULL, NULL, false},
};
