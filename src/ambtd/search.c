/*
 * search.c: /search.json?q=...&page=N, a case-insensitive substring search
 * over titles and raw Markdown, answered in the shape of Discourse's
 * GroupedSearchResultSerializer. Only what the viewer may see is searched.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "ambtd/ambtd.h"
#include "ambtd/read.h"

#define PER_PAGE 50
#define MIN_TERM 3 /* Discourse's min_search_term_length */
#define MAX_TERM 200
#define BLURB 200

/* The term as a LIKE pattern, with %, _ and the escape character itself
 * escaped: "%50\%%" finds "50%" and nothing more. */
static char *
like_pattern(const char *term)
{
	size_t n = strlen(term);
	char *p = malloc(2 * n + 3), *o = p;

	if (!p)
		return NULL;
	*o++ = '%';
	for (const char *s = term; *s; s++) {
		if (*s == '%' || *s == '_' || *s == '\\')
			*o++ = '\\';
		*o++ = *s;
	}
	*o++ = '%';
	*o = '\0';
	return p;
}

/* Columns of posts_sql. */
enum {
	S_POST,
	S_NUMBER,
	S_CREATED,
	S_COOKED,
	S_USER,
	S_USERNAME,
	S_NAME,
	S_LIKES,
	S_TOPIC,
};

/* The posts query; %s is the order. Each filter is off when NULL. */
static const char posts_sql[] =
    "SELECT p.id, p.post_number, p.created_at, p.cooked, u.id,"
    " u.username, u.name, (SELECT COUNT(*) FROM post_actions a WHERE"
    " a.post_id = p.id AND a.post_action_type_id = 2), t.id"
    " FROM posts p JOIN topics t ON t.id = p.topic_id"
    " JOIN users u ON u.id = p.user_id"
    " WHERE p.deleted_at IS NULL AND p.post_type = 1 AND t.visible "
    "AND " VISIBLE_TOPIC_SQL " AND (:author IS NULL OR u.username = :author)"
    " AND (:category IS NULL OR EXISTS (SELECT 1 FROM categories qc WHERE"
    " qc.id = t.category_id AND qc.slug = :category))"
    " AND (:pat IS NULL OR (NOT :titles AND p.raw LIKE :pat ESCAPE '\\')"
    " OR (p.post_number = 1 AND t.title LIKE :pat ESCAPE '\\'))"
    " AND (:after IS NULL OR p.created_at > :after)"
    " AND (:before IS NULL OR p.created_at < :before)"
    " ORDER BY %s LIMIT :limit OFFSET :offset";

/* order:... as SQL; relevance (title matches first) by default. */
static const struct {
	const char *name, *sql;
} orders[] = {
    {"latest", "p.created_at DESC, p.id DESC"},
    {"likes", "8 DESC, p.created_at DESC, p.id DESC"},
    {"views", "t.views DESC, p.created_at DESC, p.id DESC"},
    {NULL, "t.title LIKE :pat ESCAPE '\\' DESC, p.created_at DESC,"
           " p.id DESC"},
};

/*
 * What q asks for: words, and the operators of Discourse's search that
 * ambtd knows: @username, #category-slug, in:title, order:latest|likes|
 * views, after:DATE and before:DATE. Other operators are searched for as
 * words.
 */
struct query {
	char *text;              /* the words, or "" */
	char *author, *category; /* or NULL */
	bool titles_only;
	int64_t after, before; /* created_at bounds (exclusive), or 0 */
	const char *order_sql;
};

static void
query_clear(struct query *q)
{
	free(q->text);
	free(q->author);
	free(q->category);
}

/*
 * A date of after: or before: as Discourse's Search.word_to_date reads
 * it, at midnight UTC: YYYY-MM-DD, YYYY-MM, YYYY, or a number of days
 * ago (at most 3 digits). 0 when it is none of these: the operator is
 * then dropped, as Discourse drops it.
 */
static int64_t
word_to_date(const char *word, size_t len)
{
	char buf[16];
	int y, m = 1, d = 1, days, end = 0;
	struct tm tm = {0};

	if (len == 0 || len >= sizeof buf || !isdigit((unsigned char)*word))
		return 0;
	memcpy(buf, word, len);
	buf[len] = '\0';
	if (len <= 3 && sscanf(buf, "%3d%n", &days, &end) == 1 &&
	    (size_t)end == len)
		return (db_now() / 86400 - days) * 86400;
	if (sscanf(buf, "%4d%n-%2d%n-%2d%n", &y, &end, &m, &end, &d, &end) <
	        1 ||
	    (size_t)end != len || y < 1970 || m < 1 || m > 12 || d < 1 ||
	    d > 31)
		return 0;
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	return (int64_t)timegm(&tm);
}

/* after:DATE or before:DATE; false when word is neither. */
static bool
query_date(struct query *q, const char *word, size_t len)
{
	if (len > 6 && strncmp(word, "after:", 6) == 0) {
		q->after = word_to_date(word + 6, len - 6);
		return true;
	}
	if (len > 7 && strncmp(word, "before:", 7) == 0) {
		q->before = word_to_date(word + 7, len - 7);
		return true;
	}
	return false;
}

/* Take one operator word; false when it is an ordinary word. */
static bool
query_operator(struct query *q, const char *word, size_t len)
{
	if (query_date(q, word, len))
		return true;
	if (len > 1 && word[0] == '@' && !q->author) {
		q->author = strndup(word + 1, len - 1);
		return true;
	}
	if (len > 1 && word[0] == '#' && !q->category) {
		q->category = strndup(word + 1, len - 1);
		return true;
	}
	if (len == 8 && strncmp(word, "in:title", 8) == 0) {
		q->titles_only = true;
		return true;
	}
	for (size_t i = 0; orders[i].name; i++)
		if (len == 6 + strlen(orders[i].name) &&
		    strncmp(word, "order:", 6) == 0 &&
		    strncmp(word + 6, orders[i].name, len - 6) == 0) {
			q->order_sql = orders[i].sql;
			return true;
		}
	return false;
}

static int
query_parse(const char *term, struct query *q)
{
	size_t n = 0;

	memset(q, 0, sizeof *q);
	q->order_sql = orders[sizeof orders / sizeof orders[0] - 1].sql;
	q->text = calloc(1, strlen(term) + 1);
	if (!q->text)
		return -1;
	for (const char *s = term; *s;) {
		size_t len;

		s += strspn(s, " \t");
		len = strcspn(s, " \t");
		if (len > 0 && !query_operator(q, s, len)) {
			if (n > 0)
				q->text[n++] = ' ';
			memcpy(q->text + n, s, len);
			n += len;
		}
		s += len;
	}
	q->text[n] = '\0';
	return 0;
}

/* Where term first occurs in text, ignoring ASCII case; NULL if not. */
static const char *
find_term(const char *text, const char *term)
{
	size_t n = strlen(term);

	for (const char *s = text; *s; s++)
		if (strncasecmp(s, term, n) == 0)
			return s;
	return NULL;
}

/* Plain text around the first match, as Discourse's blurb. */
static char *
blurb(const char *cooked, const char *term)
{
	char *text = plain_excerpt(cooked ? cooked : "", 20000);
	const char *hit = text ? find_term(text, term) : NULL;
	size_t start = 0, len;
	char *out;

	if (!text)
		return NULL;
	if (hit && (size_t)(hit - text) > BLURB / 2)
		start = (size_t)(hit - text) - BLURB / 2;
	while (start > 0 && text[start] != ' ') /* a word boundary */
		start--;
	len = strlen(text + start);
	out = malloc(len + 8);
	if (out) {
		snprintf(out, len + 8, "%s%s", start > 0 ? "… " : "",
		         text + start);
		cut_excerpt(out, BLURB);
	}
	free(text);
	return out;
}

static json_t *
post_result(sqlite3_stmt *st, const char *term, const char *title)
{
	char *text =
	    blurb((const char *)sqlite3_column_text(st, S_COOKED), term);
	char *avatar =
	    avatar_template((const char *)sqlite3_column_text(st, S_USERNAME));
	json_t *j = json_pack(
	    "{s:I, s:o, s:o, s:o, s:o, s:i, s:o, s:i, s:s, s:I}", "id",
	    (json_int_t)sqlite3_column_int64(st, S_POST), "name",
	    json_col_text(st, S_NAME), "username",
	    json_col_text(st, S_USERNAME), "avatar_template",
	    json_str_or_null(avatar), "created_at",
	    json_time(sqlite3_column_int64(st, S_CREATED)), "like_count",
	    sqlite3_column_int(st, S_LIKES), "blurb", json_str_or_null(text),
	    "post_number", sqlite3_column_int(st, S_NUMBER),
	    "topic_title_headline", title, "topic_id",
	    (json_int_t)sqlite3_column_int64(st, S_TOPIC));

	free(text);
	free(avatar);
	return j;
}

/* The topic of a result, as the search sideloads it. */
static json_t *
topic_result(int64_t topic_id)
{
	sqlite3_stmt *st = db_stmt(
	    ambtd->db,
	    "SELECT t.title, t.slug, t.created_at, t.last_posted_at,"
	    " t.bumped_at, t.archetype, t.pinned, t.visible, t.closed,"
	    " t.archived, t.category_id, (SELECT COUNT(*) FROM posts p"
	    " WHERE p.topic_id = t.id AND p.deleted_at IS NULL),"
	    " (SELECT MAX(post_number) FROM posts p WHERE p.topic_id ="
	    " t.id AND p.deleted_at IS NULL) FROM topics t WHERE t.id = ?");
	const char *title;
	int posts;

	if (!st)
		return NULL;
	sqlite3_bind_int64(st, 1, topic_id);
	if (sqlite3_step(st) != SQLITE_ROW)
		return NULL;
	title = (const char *)sqlite3_column_text(st, 0);
	posts = sqlite3_column_int(st, 11);
	return json_pack(
	    "{s:I, s:s, s:o, s:o, s:i, s:i, s:i, s:o, s:o, s:b, s:o, s:o,"
	    " s:b, s:b, s:n, s:b, s:b, s:b, s:n, s:n, s:o, s:{}, s:o}",
	    "id", (json_int_t)topic_id, "title", title, "fancy_title",
	    topic_fancy_title(title), "slug", json_col_text(st, 1),
	    "posts_count", posts, "reply_count", posts > 0 ? posts - 1 : 0,
	    "highest_post_number", sqlite3_column_int(st, 12), "created_at",
	    json_time(sqlite3_column_int64(st, 2)), "last_posted_at",
	    json_time(sqlite3_column_int64(st, 3)), "bumped", 1, "bumped_at",
	    json_time(sqlite3_column_int64(st, 4)), "archetype",
	    json_col_text(st, 5), "unseen", 0, "pinned",
	    sqlite3_column_int(st, 6), "unpinned", "visible",
	    sqlite3_column_int(st, 7), "closed", sqlite3_column_int(st, 8),
	    "archived", sqlite3_column_int(st, 9), "bookmarked", "liked",
	    "tags", topic_tag_names(topic_id), "tags_descriptions",
	    "category_id", int_or_null(st, 10));
}

struct results {
	json_t *posts, *post_ids, *topics, *topic_seen;
	bool more;
};

static void
add_topic_once(struct results *res, int64_t topic_id, json_t **title)
{
	char key[24];
	json_t *t;

	snprintf(key, sizeof key, "%lld", (long long)topic_id);
	t = json_object_get(res->topic_seen, key);
	if (!t) {
		t = topic_result(topic_id);
		if (!t)
			return;
		json_array_append_new(res->topics, t);
		json_object_set(res->topic_seen, key, t);
	}
	*title = json_object_get(t, "title");
}

static void
bind_text_param(sqlite3_stmt *st, const char *name, const char *value)
{
	int i = sqlite3_bind_parameter_index(st, name);

	if (value)
		sqlite3_bind_text(st, i, value, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

/* A time bound, NULL when 0 (none). */
static void
bind_time_param(sqlite3_stmt *st, const char *name, int64_t value)
{
	int i = sqlite3_bind_parameter_index(st, name);

	if (value)
		sqlite3_bind_int64(st, i, value);
	else
		sqlite3_bind_null(st, i);
}

static sqlite3_stmt *
posts_statement(const struct req *r, const struct query *q, int64_t page)
{
	char sql[sizeof posts_sql + 128];
	char *pat = *q->text ? like_pattern(q->text) : NULL;
	sqlite3_stmt *st;

	snprintf(sql, sizeof sql, posts_sql, q->order_sql);
	st = db_stmt(ambtd->db, sql);
	if (!st) {
		free(pat);
		return NULL;
	}
	bind_viewer(st, &r->user);
	bind_text_param(st, ":pat", pat);
	bind_text_param(st, ":author", q->author);
	bind_text_param(st, ":category", q->category);
	sqlite3_bind_int(st, sqlite3_bind_parameter_index(st, ":titles"),
	                 q->titles_only);
	bind_time_param(st, ":after", q->after);
	bind_time_param(st, ":before", q->before);
	sqlite3_bind_int(st, sqlite3_bind_parameter_index(st, ":limit"),
	                 PER_PAGE + 1);
	sqlite3_bind_int64(st, sqlite3_bind_parameter_index(st, ":offset"),
	                   (page - 1) * PER_PAGE);
	free(pat);
	return st;
}

static void
search_posts(const struct req *r, const struct query *q, int64_t page,
             struct results *res)
{
	sqlite3_stmt *st = posts_statement(r, q, page);
	int n = 0;

	while (st && sqlite3_step(st) == SQLITE_ROW) {
		json_t *title = NULL, *post;

		if (++n > PER_PAGE) {
			res->more = true;
			break;
		}
		add_topic_once(res, sqlite3_column_int64(st, S_TOPIC), &title);
		post = post_result(st, q->text,
		                   title ? json_string_value(title) : "");
		if (!post)
			continue;
		json_array_append_new(
		    res->post_ids,
		    json_integer(sqlite3_column_int64(st, S_POST)));
		json_array_append_new(res->posts, post);
	}
}

/* Members whose username or name holds the term (on the first page). */
static json_t *
search_users(const char *term, json_t *ids)
{
	sqlite3_stmt *st =
	    db_stmt(ambtd->db, "SELECT id, username, name FROM users WHERE"
	                       " username LIKE ?1 ESCAPE '\\' OR name LIKE"
	                       " ?1 ESCAPE '\\' ORDER BY username LIMIT 10");
	char *pat = like_pattern(term);
	json_t *list = json_array();

	if (st && pat) {
		sqlite3_bind_text(st, 1, pat, -1, SQLITE_TRANSIENT);
		while (sqlite3_step(st) == SQLITE_ROW) {
			json_t *u = user_basic_from_row(st, 0, 1, 2);

			if (!u)
				continue;
			json_array_append_new(
			    ids, json_integer(sqlite3_column_int64(st, 0)));
			json_array_append_new(list, u);
		}
	}
	free(pat);
	return list;
}

/* Categories the viewer may see whose name holds the term. */
static json_t *
search_categories(const struct req *r, const char *term, json_t *ids)
{
	sqlite3_stmt *st = db_stmt(
	    ambtd->db, "SELECT c.id, c.name, c.color, c.text_color, c.slug,"
	               " c.read_group_id IS NOT NULL, c.parent_id FROM"
	               " categories c WHERE c.name LIKE :pat ESCAPE '\\'"
	               " AND " VISIBLE_CATEGORY_SQL " ORDER BY c.position");
	char *pat = like_pattern(term);
	json_t *list = json_array();

	if (st && pat) {
		bind_viewer(st, &r->user);
		sqlite3_bind_text(st, sqlite3_bind_parameter_index(st, ":pat"),
		                  pat, -1, SQLITE_TRANSIENT);
		while (sqlite3_step(st) == SQLITE_ROW) {
			json_array_append_new(
			    ids, json_integer(sqlite3_column_int64(st, 0)));
			json_array_append_new(
			    list,
			    json_pack(
			        "{s:I, s:o, s:o, s:o, s:o, s:b, s:o}", "id",
			        (json_int_t)sqlite3_column_int64(st, 0), "name",
			        json_col_text(st, 1), "color",
			        json_col_text(st, 2), "text_color",
			        json_col_text(st, 3), "slug",
			        json_col_text(st, 4), "read_restricted",
			        sqlite3_column_int(st, 5), "parent_category_id",
			        int_or_null(st, 6)));
		}
	}
	free(pat);
	return list;
}

static json_t *
grouped_result(const struct req *r, const char *term, json_t *post_ids,
               json_t *user_ids, json_t *category_ids, bool more,
               const char *error)
{
	return json_pack("{s:n, s:n, s:n, s:s, s:i, s:o, s:b, s:o, s:o, s:o,"
	                 " s:o, s:[], s:[]}",
	                 "more_posts", "more_users", "more_categories", "term",
	                 term, "search_log_id", 0, "more_full_page_results",
	                 more ? json_true() : json_null(), "can_create_topic",
	                 r->user.id != 0, "error", json_str_or_null(error),
	                 "post_ids", post_ids, "user_ids", user_ids,
	                 "category_ids", category_ids, "tag_ids", "group_ids");
}

/* The term, trimmed; NULL when there is none (400). */
static char *
read_term(const struct req *r)
{
	const char *q = req_param(r, "q");
	size_t len;

	if (!q)
		q = req_param(r, "term");
	if (!q)
		return NULL;
	while (isspace((unsigned char)*q))
		q++;
	len = strlen(q);
	while (len > 0 && isspace((unsigned char)q[len - 1]))
		len--;
	return strndup(q, len < MAX_TERM ? len : MAX_TERM);
}

/* Posts, users and categories for a valid term. */
static json_t *
search_json(const struct req *r, const char *term, int64_t page)
{
	struct results res = {json_array(), json_array(), json_array(),
	                      json_object(), false};
	json_t *user_ids = json_array(), *category_ids = json_array();
	json_t *users = NULL, *categories = NULL, *j;
	const char *error = NULL;
	struct query q;
	bool words, filtered;

	if (query_parse(term, &q) < 0)
		return NULL;
	words = strlen(q.text) >= MIN_TERM;
	filtered = q.author || q.category || q.after || q.before;
	if (!words && (*q.text || !filtered))
		error = "Je zoekterm is te kort.";
	else
		search_posts(r, &q, page, &res);
	if (words && !filtered && page == 1) {
		users = search_users(q.text, user_ids);
		categories = search_categories(r, q.text, category_ids);
	}
	j = json_pack("{s:o, s:o, s:o, s:[], s:[], s:o}", "posts", res.posts,
	              "users", users ? users : json_array(), "categories",
	              categories ? categories : json_array(), "tags", "groups",
	              "grouped_search_result",
	              grouped_result(r, term, res.post_ids, user_ids,
	                             category_ids, res.more, error));
	/* as Discourse: no "topics" key when no topic matched */
	if (j && json_array_size(res.topics) > 0)
		json_object_set(j, "topics", res.topics);
	json_decref(res.topics);
	json_decref(res.topic_seen);
	query_clear(&q);
	return j;
}

static void
search(struct req *r, struct resp *out)
{
	char *term = read_term(r);
	int64_t page;
	json_t *j;

	if (!term || param_in_range(r, "page", 1, 100, 1, &page) < 0) {
		resp_bad_param(out, term ? "page" : "q");
		free(term);
		return;
	}
	j = search_json(r, term, page);
	free(term);
	if (!j)
		resp_error(out, 500, "server_error", "The search failed.");
	else
		resp_json(out, 200, j);
}

const struct route routes_search[] = {
    {"GET", "/search.json", search, false},
    {"GET", "/search/query.json", search, false},
    {NULL, NULL, NULL, false},
};
