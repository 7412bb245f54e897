/*
 * serialize.c: one post as Discourse's PostSerializer shapes it for a
 * viewer, and the small pieces the reading endpoints share (read.h).
 */
#include "config.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/HTMLparser.h>

#include "ambtd/ambtd.h"
#include "ambtd/read.h"

#define ACTION_LIKE 2

bool
viewer_is_staff(const struct user_ref *v)
{
	return v->admin || v->moderator;
}

void
bind_viewer(sqlite3_stmt *st, const struct user_ref *v)
{
	int uid = sqlite3_bind_parameter_index(st, ":uid");
	int staff = sqlite3_bind_parameter_index(st, ":staff");

	if (uid > 0)
		sqlite3_bind_int64(st, uid, v->id);
	if (staff > 0)
		sqlite3_bind_int(st, staff, viewer_is_staff(v));
}

json_t *
user_basic_from_row(sqlite3_stmt *st, int id_col, int username_col,
                    int name_col)
{
	const char *username =
	    (const char *)sqlite3_column_text(st, username_col);
	char *avatar = username ? avatar_template(username) : NULL;
	json_t *j = NULL;

	if (avatar)
		j = json_pack("{s:I, s:s, s:o, s:s}", "id",
		              (json_int_t)sqlite3_column_int64(st, id_col),
		              "username", username, "name",
		              json_col_text(st, name_col), "avatar_template",
		              avatar);
	free(avatar);
	return j;
}

json_t *
user_basic_json(int64_t user_id)
{
	sqlite3_stmt *st = db_stmt(ambtd->db, "SELECT id, username, name "
	                                      "FROM users WHERE id = ?");

	if (!st)
		return NULL;
	sqlite3_bind_int64(st, 1, user_id);
	if (sqlite3_step(st) != SQLITE_ROW)
		return NULL;
	return user_basic_from_row(st, 0, 1, 2);
}

json_t *
int_or_null(sqlite3_stmt *st, int col)
{
	if (sqlite3_column_type(st, col) == SQLITE_NULL)
		return json_null();
	return json_integer(sqlite3_column_int64(st, col));
}

json_t *
topic_tag_names(int64_t topic_id)
{
	sqlite3_stmt *st =
	    db_stmt(ambtd->db, "SELECT g.name FROM topic_tags tt JOIN tags "
	                       "g ON g.id = tt.tag_id WHERE tt.topic_id = ? "
	                       "ORDER BY g.name");
	json_t *tags = json_array();

	if (!st || !tags)
		return tags;
	sqlite3_bind_int64(st, 1, topic_id);
	while (sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(tags, json_col_text(st, 0));
	return tags;
}

int
param_in_range(const struct req *r, const char *name, int64_t lo, int64_t hi,
               int64_t def, int64_t *out)
{
	if (!req_param(r, name)) {
		*out = def;
		return 0;
	}
	if (req_param_int(r, name, out) < 0 || *out < lo || *out > hi)
		return -1;
	return 0;
}

/* ---- Excerpts ---- */

static bool
skipped_element(const xmlNode *n)
{
	static const char *const skip[] = {"aside", "script", "style", "img",
	                                   NULL};

	for (size_t i = 0; skip[i]; i++)
		if (xmlStrcasecmp(n->name, (const xmlChar *)skip[i]) == 0)
			return true;
	return false;
}

/* Append the text under n to buf, whitespace collapsed to single spaces. */
static void
collect_text(const xmlNode *n, char *buf, size_t size, size_t *len)
{
	for (; n && *len + 1 < size; n = n->next) {
		if (n->type == XML_ELEMENT_NODE && !skipped_element(n)) {
			collect_text(n->children, buf, size, len);
			if (*len > 0 && buf[*len - 1] != ' ' && *len + 1 < size)
				buf[(*len)++] = ' '; /* between blocks */
		} else if (n->type == XML_TEXT_NODE && n->content) {
			for (const xmlChar *c = n->content;
			     *c && *len + 1 < size; c++) {
				bool space = *c == ' ' || *c == '\n' ||
				             *c == '\t' || *c == '\r';

				if (space &&
				    (*len == 0 || buf[*len - 1] == ' '))
					continue;
				buf[(*len)++] = space ? ' ' : (char)*c;
			}
		}
	}
	buf[*len] = '\0';
}

void
cut_excerpt(char *text, size_t max)
{
	size_t len = strlen(text), cut = max;

	if (len <= max)
		return;
	while (cut > 0 && text[cut] != ' ')
		cut--;
	if (cut == 0) {
		cut = max;
		while (cut > 0 && ((unsigned char)text[cut] & 0xC0) == 0x80)
			cut--;
	}
	memcpy(text + cut, "\xE2\x80\xA6", 4); /* "…" and the NUL */
}

/* How much of html to parse for max bytes of text: markup seldom takes
 * more than seven bytes in eight, and a cut tag at the end is harmless;
 * never cut inside a UTF-8 sequence. */
static size_t
html_prefix(const char *html, size_t max)
{
	size_t len = strlen(html), enough = max * 8 + 256;

	if (len <= enough)
		return len;
	while (enough > 0 && ((unsigned char)html[enough] & 0xC0) == 0x80)
		enough--;
	return enough;
}

/* The excerpt of the first n bytes of html, parsed. */
static char *
excerpt_of(const char *html, size_t n, size_t max)
{
	size_t size = max * 2 + 8, len = 0;
	char *buf = malloc(size);
	htmlDocPtr doc;

	if (!buf)
		return NULL;
	buf[0] = '\0';
	doc = htmlReadMemory(html, (int)n, NULL, "UTF-8",
	                     HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
	                         HTML_PARSE_NONET);
	if (doc) {
		collect_text(xmlDocGetRootElement(doc), buf, size, &len);
		xmlFreeDoc(doc);
	}
	while (len > 0 && buf[len - 1] == ' ')
		buf[--len] = '\0';
	cut_excerpt(buf, max);
	return buf;
}

/*
 * Excerpts already made, by the HTML they come from: a topic list parses
 * the first post of each of its topics, and they seldom change. Keyed by
 * the whole prefix that was parsed, so a hit gives exactly what a parse
 * would.
 */
#define EXCERPT_SLOTS 256

static struct excerpt_slot {
	char *html, *text;
	size_t len, max;
} excerpts[EXCERPT_SLOTS];
static pthread_mutex_t excerpts_lock = PTHREAD_MUTEX_INITIALIZER;

static size_t
excerpt_slot(const char *html, size_t len, size_t max)
{
	uint64_t h = 14695981039346656037u ^ max; /* FNV-1a */

	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)html[i]) * 1099511628211u;
	return (size_t)(h % EXCERPT_SLOTS);
}

static char *
excerpt_cached(size_t slot, const char *html, size_t len, size_t max)
{
	struct excerpt_slot *e = &excerpts[slot];
	char *text = NULL;

	pthread_mutex_lock(&excerpts_lock);
	if (e->html && e->len == len && e->max == max &&
	    memcmp(e->html, html, len) == 0)
		text = strdup(e->text);
	pthread_mutex_unlock(&excerpts_lock);
	return text;
}

static void
excerpt_keep(size_t slot, const char *html, size_t len, size_t max,
             const char *text)
{
	struct excerpt_slot *e = &excerpts[slot];
	char *html_copy = malloc(len), *text_copy = strdup(text);

	if (!html_copy || !text_copy) {
		free(html_copy);
		free(text_copy);
		return;
	}
	memcpy(html_copy, html, len);
	pthread_mutex_lock(&excerpts_lock);
	free(e->html);
	free(e->text);
	*e = (struct excerpt_slot){html_copy, text_copy, len, max};
	pthread_mutex_unlock(&excerpts_lock);
}

char *
plain_excerpt(const char *html, size_t max)
{
	size_t len = html_prefix(html, max);
	size_t slot = excerpt_slot(html, len, max);
	char *text = excerpt_cached(slot, html, len, max);

	if (text)
		return text;
	text = excerpt_of(html, len, max);
	if (text)
		excerpt_keep(slot, html, len, max, text);
	return text;
}

/* ---- Posts ---- */

/* Columns of post_sql, in order. */
enum {
	P_ID,
	P_TOPIC,
	P_NUMBER,
	P_USER,
	P_RAW,
	P_COOKED,
	P_TYPE,
	P_ACTION_CODE,
	P_REPLY_TO,
	P_CREATED,
	P_UPDATED,
	P_VERSION,
	P_READS,
	P_USERNAME,
	P_NAME,
	P_TITLE,
	P_ADMIN,
	P_MODERATOR,
	P_TRUST,
	P_SLUG,
	P_REPLIES,
	P_LIKES,
	P_LIKED,
	P_BOOKMARKED,
	P_LAST_READ,
	P_REPLY_USER_ID,
	P_REPLY_USERNAME,
	P_REPLY_NAME,
	P_HAS_EVENT,
};

/* Post action types: 1 bookmark, 2 like. */
static const char post_sql[] =
    "SELECT p.id, p.topic_id, p.post_number, p.user_id,"
    " CASE WHEN :raw THEN p.raw END, p.cooked,"
    " p.post_type, p.action_code, p.reply_to_post_number, p.created_at,"
    " p.updated_at, p.version, p.reads, u.username, u.name, u.title,"
    " u.admin, u.moderator, u.trust_level, t.slug,"
    " (SELECT COUNT(*) FROM posts r WHERE r.topic_id = p.topic_id AND"
    "  r.reply_to_post_number = p.post_number AND r.deleted_at IS NULL),"
    " (SELECT COUNT(*) FROM post_actions a WHERE a.post_id = p.id AND"
    "  a.post_action_type_id = 2),"
    " EXISTS (SELECT 1 FROM post_actions a WHERE a.post_id = p.id AND"
    "  a.post_action_type_id = 2 AND a.user_id = :uid),"
    " EXISTS (SELECT 1 FROM post_actions a WHERE a.post_id = p.id AND"
    "  a.post_action_type_id = 1 AND a.user_id = :uid)"
    "  OR (p.post_number = 1 AND COALESCE(tu.bookmarked, 0)),"
    " tu.last_read_post_number, ru.id, ru.username, ru.name,"
    " EXISTS (SELECT 1 FROM events e WHERE e.id = p.id)"
    " FROM json_each(:ids) j CROSS JOIN posts p ON p.id = j.value"
    " JOIN users u ON u.id = p.user_id"
    " JOIN topics t ON t.id = p.topic_id"
    " LEFT JOIN topic_users tu ON tu.topic_id = p.topic_id AND"
    "  tu.user_id = :uid"
    " LEFT JOIN posts rp ON rp.topic_id = p.topic_id AND"
    "  rp.post_number = p.reply_to_post_number"
    " LEFT JOIN users ru ON ru.id = rp.user_id"
    " WHERE p.deleted_at IS NULL ORDER BY j.key";

/* The quotes the post holds, as cooked (raw is read only when asked:
 * it is the longest column). */
static int
count_quotes(const char *cooked)
{
	int n = 0;

	for (const char *s = cooked;
	     s && (s = strstr(s, "<aside class=\"quote")); s++)
		n++;
	return n;
}

/* Likes as actions_summary: an entry only when there are likes or the
 * viewer can like; count left out when 0 (PostSerializer). */
static json_t *
actions_summary(sqlite3_stmt *st, const struct user_ref *v, bool yours)
{
	int likes = sqlite3_column_int(st, P_LIKES);
	bool acted = sqlite3_column_int(st, P_LIKED) != 0;
	bool can_act = v->id != 0 && !yours && !acted;
	json_t *list = json_array(), *like;

	if (!list || (likes == 0 && !can_act))
		return list;
	like = json_pack("{s:i, s:b}", "id", ACTION_LIKE, "can_act", can_act);
	if (likes > 0)
		json_object_set_new(like, "count", json_integer(likes));
	if (acted) {
		json_object_set_new(like, "acted", json_true());
		json_object_set_new(like, "can_undo", json_true());
	}
	json_array_append_new(list, like);
	return list;
}

/* Who wrote it, as the post repeats it. */
static void
add_author(json_t *j, sqlite3_stmt *st)
{
	const char *username =
	    (const char *)sqlite3_column_text(st, P_USERNAME);
	char *avatar = avatar_template(username);
	bool admin = sqlite3_column_int(st, P_ADMIN) != 0;
	bool moderator = sqlite3_column_int(st, P_MODERATOR) != 0;

	json_object_set_new(j, "name", json_col_text(st, P_NAME));
	json_object_set_new(j, "username", json_string(username));
	json_object_set_new(j, "display_username", json_col_text(st, P_NAME));
	json_object_set_new(j, "avatar_template", json_str_or_null(avatar));
	json_object_set_new(j, "user_title", json_col_text(st, P_TITLE));
	json_object_set_new(j, "user_id",
	                    json_integer(sqlite3_column_int64(st, P_USER)));
	json_object_set_new(j, "admin", json_boolean(admin));
	json_object_set_new(j, "moderator", json_boolean(moderator));
	json_object_set_new(j, "staff", json_boolean(admin || moderator));
	json_object_set_new(j, "trust_level",
	                    json_integer(sqlite3_column_int(st, P_TRUST)));
	json_object_set_new(j, "primary_group_name", json_null());
	json_object_set_new(j, "flair_name", json_null());
	json_object_set_new(j, "flair_url", json_null());
	json_object_set_new(j, "flair_bg_color", json_null());
	json_object_set_new(j, "flair_color", json_null());
	json_object_set_new(j, "user_deleted", json_false());
	free(avatar);
}

/* What the viewer may do with it and has done to it. */
static void
add_viewer_state(json_t *j, sqlite3_stmt *st, const struct user_ref *v)
{
	bool yours = v->id != 0 && v->id == sqlite3_column_int64(st, P_USER);
	bool staff = viewer_is_staff(v);
	int number = sqlite3_column_int(st, P_NUMBER);

	json_object_set_new(j, "yours", json_boolean(yours));
	json_object_set_new(j, "can_edit", json_boolean(yours || staff));
	json_object_set_new(j, "can_delete",
	                    json_boolean((yours && number > 1) || staff));
	json_object_set_new(j, "can_recover", json_false());
	json_object_set_new(j, "can_wiki", json_boolean(staff));
	json_object_set_new(j, "can_view_edit_history", json_true());
	json_object_set_new(j, "bookmarked",
	                    json_boolean(sqlite3_column_int(st, P_BOOKMARKED)));
	json_object_set_new(j, "actions_summary",
	                    actions_summary(st, v, yours));
}

/* What PostSerializer adds only inside a topic view: whether the viewer
 * has read the post (anonymous readers have read everything) and the
 * links' click counts (ambtd counts no clicks). */
static void
add_topic_view_fields(json_t *j, sqlite3_stmt *st, const struct user_ref *v)
{
	bool read = v->id == 0 ||
	            (sqlite3_column_type(st, P_LAST_READ) != SQLITE_NULL &&
	             sqlite3_column_int(st, P_NUMBER) <=
	                 sqlite3_column_int(st, P_LAST_READ));

	json_object_set_new(j, "read", json_boolean(read));
	json_object_set_new(j, "link_counts", json_array());
}

static void
add_reply_to(json_t *j, sqlite3_stmt *st)
{
	json_t *reply_user;

	if (sqlite3_column_type(st, P_REPLY_TO) == SQLITE_NULL) {
		json_object_set_new(j, "reply_to_post_number", json_null());
		return;
	}
	json_object_set_new(j, "reply_to_post_number",
	                    json_integer(sqlite3_column_int(st, P_REPLY_TO)));
	if (sqlite3_column_type(st, P_REPLY_USERNAME) == SQLITE_NULL)
		return;
	reply_user = user_basic_from_row(st, P_REPLY_USER_ID, P_REPLY_USERNAME,
	                                 P_REPLY_NAME);
	if (reply_user)
		json_object_del(reply_user, "id");
	json_object_set_new(j, "reply_to_user", reply_user);
}

/* Counts Discourse keeps per post: reads include the author, readers do
 * not; the score weighs likes, replies and reads as its ScoreCalculator. */
static void
add_counts(json_t *j, sqlite3_stmt *st)
{
	int reads = sqlite3_column_int(st, P_READS);
	int likes = sqlite3_column_int(st, P_LIKES);
	int replies = sqlite3_column_int(st, P_REPLIES);

	json_object_set_new(j, "reply_count", json_integer(replies));
	json_object_set_new(
	    j, "quote_count",
	    json_integer(
	        count_quotes((const char *)sqlite3_column_text(st, P_COOKED))));
	json_object_set_new(j, "incoming_link_count", json_integer(0));
	json_object_set_new(j, "reads", json_integer(reads));
	json_object_set_new(j, "readers_count",
	                    json_integer(reads > 0 ? reads - 1 : 0));
	json_object_set_new(
	    j, "score", json_real(15.0 * likes + 5.0 * replies + 0.2 * reads));
}

static json_t *
post_from_row(sqlite3_stmt *st, const struct user_ref *v, bool include_raw,
              bool in_topic_view)
{
	json_t *j = json_object();
	int64_t id = sqlite3_column_int64(st, P_ID);

	if (!j)
		return NULL;
	json_object_set_new(j, "id", json_integer(id));
	add_author(j, st);
	json_object_set_new(j, "created_at",
	                    json_time(sqlite3_column_int64(st, P_CREATED)));
	json_object_set_new(j, "cooked", json_col_text(st, P_COOKED));
	json_object_set_new(j, "post_number",
	                    json_integer(sqlite3_column_int(st, P_NUMBER)));
	json_object_set_new(j, "post_type",
	                    json_integer(sqlite3_column_int(st, P_TYPE)));
	if (sqlite3_column_type(st, P_ACTION_CODE) != SQLITE_NULL)
		json_object_set_new(j, "action_code",
		                    json_col_text(st, P_ACTION_CODE));
	json_object_set_new(j, "updated_at",
	                    json_time(sqlite3_column_int64(st, P_UPDATED)));
	add_reply_to(j, st);
	add_counts(j, st);
	json_object_set_new(j, "topic_id",
	                    json_integer(sqlite3_column_int64(st, P_TOPIC)));
	json_object_set_new(j, "topic_slug", json_col_text(st, P_SLUG));
	json_object_set_new(j, "version",
	                    json_integer(sqlite3_column_int(st, P_VERSION)));
	add_viewer_state(j, st, v);
	json_object_set_new(j, "hidden", json_false());
	json_object_set_new(j, "deleted_at", json_null());
	json_object_set_new(j, "edit_reason", json_null());
	json_object_set_new(j, "wiki", json_false());
	json_object_set_new(j, "reviewable_id", json_integer(0));
	json_object_set_new(j, "reviewable_score_count", json_integer(0));
	json_object_set_new(j, "reviewable_score_pending_count",
	                    json_integer(0));
	if (in_topic_view)
		add_topic_view_fields(j, st, v);
	if (include_raw)
		json_object_set_new(j, "raw", json_col_text(st, P_RAW));
	return j;
}

/* The live posts among ids (a JSON array), in its order, in one
 * statement; the events after it, as serialize_event runs statements of
 * its own. */
static json_t *
posts_json(json_t *ids, const struct user_ref *viewer, bool include_raw,
           bool in_topic_view)
{
	sqlite3_stmt *st = db_stmt(ambtd->db, post_sql);
	char *list = json_dumps(ids, JSON_COMPACT);
	json_t *posts = json_array(), *j;
	size_t i;

	if (!st || !list || !posts) {
		free(list);
		return posts;
	}
	bind_viewer(st, viewer);
	sqlite3_bind_int(st, sqlite3_bind_parameter_index(st, ":raw"),
	                 include_raw);
	sqlite3_bind_text(st, sqlite3_bind_parameter_index(st, ":ids"), list,
	                  -1, free);
	while (sqlite3_step(st) == SQLITE_ROW) {
		j = post_from_row(st, viewer, include_raw, in_topic_view);
		if (j && sqlite3_column_int(st, P_HAS_EVENT))
			json_object_set_new(j, "event", json_true());
		if (j)
			json_array_append_new(posts, j);
	}
	sqlite3_reset(st);
	json_array_foreach(posts, i, j)
	{
		json_t *event;

		if (!json_object_get(j, "event"))
			continue;
		/* the plugin adds the full EventSerializer to a post */
		event = serialize_event(
		    json_integer_value(json_object_get(j, "id")), viewer, true);
		if (event)
			json_object_set_new(j, "event", event);
		else
			json_object_del(j, "event");
	}
	return posts;
}

static json_t *
post_json(int64_t post_id, const struct user_ref *viewer, bool include_raw,
          bool in_topic_view)
{
	json_t *ids = json_pack("[I]", (json_int_t)post_id);
	json_t *posts =
	    ids ? posts_json(ids, viewer, include_raw, in_topic_view) : NULL;
	json_t *j = json_incref(json_array_get(posts, 0));

	json_decref(ids);
	json_decref(posts);
	return j;
}

json_t *
serialize_post(int64_t post_id, const struct user_ref *viewer, bool include_raw)
{
	return post_json(post_id, viewer, include_raw, false);
}

json_t *
serialize_topic_posts(json_t *ids, const struct user_ref *viewer,
                      bool include_raw)
{
	return posts_json(ids, viewer, include_raw, true);
}
