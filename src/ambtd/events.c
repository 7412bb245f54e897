/*
 * events.c: events as the discourse-post-event plugin serves them.
 *
 * An event is a post holding an [event ...] block and shares its id. The
 * block is read when the post is written (events_sync_post); the JSON
 * follows the plugin's serializers in the field set of its newest schemas
 * (BasicEventSerializer for the index, EventSerializer with details), with
 * UTC timestamps as the standalone plugin sends them.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ambt/util.h"
#include "ambtd/ambtd.h"
#include "ambtd/events.h"
#include "ambtd/events_parse.h"
#include "ambtd/message_bus.h"
#include "ambtd/read.h"

#define EVENTS_LIMIT_MAX 200  /* the plugin's cap (and default) */
#define DEFAULT_DURATION 3600 /* an event without an end lasts an hour */
#define SAMPLE_INVITEES 10

/* One event joined with its post, topic and category. */
#define EVENT_SELECT                                                           \
	"SELECT e.id, e.name, e.starts_at, e.ends_at, e.timezone, e.status,"   \
	" e.location, e.url, e.description, p.post_number, p.user_id,"         \
	" t.id, t.title, t.slug, t.category_id, c.slug"                        \
	" FROM events e"                                                       \
	" JOIN posts p ON p.id = e.id AND p.deleted_at IS NULL"                \
	" JOIN topics t ON t.id = p.topic_id"                                  \
	" LEFT JOIN categories c ON c.id = t.category_id"

enum event_col {
	COL_ID,
	COL_NAME,
	COL_STARTS,
	COL_ENDS,
	COL_TIMEZONE,
	COL_STATUS,
	COL_LOCATION,
	COL_URL,
	COL_DESCRIPTION,
	COL_POST_NUMBER,
	COL_AUTHOR,
	COL_TOPIC_ID,
	COL_TOPIC_TITLE,
	COL_TOPIC_SLUG,
	COL_CATEGORY_ID,
	COL_CATEGORY_SLUG,
};

/* ---- Keeping events in step with their posts ---- */

static void
bind_text_or_null(sqlite3_stmt *st, int i, const char *s)
{
	if (s != NULL)
		sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

static int
event_store(int64_t post_id, const struct event_block *ev)
{
	sqlite3_stmt *st = db_stmt(
	    ambtd->db,
	    "INSERT INTO events(id, name, starts_at, ends_at, timezone,"
	    " status, location, url, description)"
	    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
	    " ON CONFLICT(id) DO UPDATE SET name = excluded.name,"
	    " starts_at = excluded.starts_at, ends_at = excluded.ends_at,"
	    " timezone = excluded.timezone, status = excluded.status,"
	    " location = excluded.location, url = excluded.url,"
	    " description = excluded.description");
	int rc;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, post_id);
	bind_text_or_null(st, 2, ev->name);
	sqlite3_bind_int64(st, 3, ev->starts_at);
	if (ev->ends_at != 0)
		sqlite3_bind_int64(st, 4, ev->ends_at);
	else
		sqlite3_bind_null(st, 4);
	bind_text_or_null(st, 5, ev->timezone);
	bind_text_or_null(st, 6, ev->status);
	bind_text_or_null(st, 7, ev->location);
	bind_text_or_null(st, 8, ev->url);
	bind_text_or_null(st, 9, ev->description);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

static int
event_remove(int64_t post_id)
{
	sqlite3_stmt *st =
	    db_stmt(ambtd->db, "DELETE FROM events WHERE id = ?");
	int rc;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, post_id);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

int
events_sync_post(int64_t post_id, const char *raw, char **errmsg)
{
	struct event_block ev;
	int rc = event_block_parse(raw, &ev, errmsg);
	bool has_event = rc > 0;

	if (rc < 0)
		return -1;
	rc = has_event ? event_store(post_id, &ev) : event_remove(post_id);
	event_block_clear(&ev);
	if (rc == 0 && has_event) /* sent once the post's commit is done */
		mb_publish_event(post_id);
	if (rc < 0 && errmsg != NULL)
		*errmsg = strdup("The post's event could not be saved.");
	return rc;
}

/* ---- Permissions ---- */

int
event_lookup(int64_t event_id, const struct user_ref *viewer,
             struct event_info *out)
{
	sqlite3_stmt *st = db_stmt(ambtd->db, EVENT_SELECT " WHERE e.id = ?");
	const char *status;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, event_id);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		return -1;
	}
	memset(out, 0, sizeof *out);
	out->id = event_id;
	out->topic_id = sqlite3_column_int64(st, COL_TOPIC_ID);
	out->author_id = sqlite3_column_int64(st, COL_AUTHOR);
	out->starts_at = sqlite3_column_int64(st, COL_STARTS);
	out->ends_at = sqlite3_column_int64(st, COL_ENDS);
	status = (const char *)sqlite3_column_text(st, COL_STATUS);
	snprintf(out->status, sizeof out->status, "%s", status ? status : "");
	sqlite3_reset(st);
	return user_can_see_topic(viewer, out->topic_id) ? 0 : -1;
}

static int64_t
event_end(int64_t starts_at, int64_t ends_at)
{
	return ends_at != 0 ? ends_at : starts_at + DEFAULT_DURATION;
}

static bool
event_expired(int64_t starts_at, int64_t ends_at)
{
	return db_now() >= event_end(starts_at, ends_at);
}

bool
event_attendance_open(const struct event_info *ev,
                      const struct user_ref *viewer)
{
	return viewer->id != 0 && strcmp(ev->status, "standalone") != 0 &&
	       !event_expired(ev->starts_at, ev->ends_at);
}

/* The post's author and staff may edit the event (and so act on it). */
static bool
can_act_on_event(int64_t author_id, const struct user_ref *viewer)
{
	return viewer->id != 0 &&
	       (viewer->admin || viewer->moderator || viewer->id == author_id);
}

/* ---- Serializing ---- */

/* post{id, post_number, url, category_slug, topic{...}}; the row's
 * statement must stay on its row until this returns. */
static json_t *
event_post_json(sqlite3_stmt *st)
{
	int64_t topic_id = sqlite3_column_int64(st, COL_TOPIC_ID);
	const char *slug =
	    (const char *)sqlite3_column_text(st, COL_TOPIC_SLUG);
	const char *cslug =
	    (const char *)sqlite3_column_text(st, COL_CATEGORY_SLUG);
	int post_number = sqlite3_column_int(st, COL_POST_NUMBER);
	char url[512];

	snprintf(url, sizeof url, "/t/%s/%lld/%d", slug ? slug : "topic",
	         (long long)topic_id, post_number);
	return json_pack(
	    "{s:I, s:i, s:s, s:s, s:{s:I, s:o, s:s, s:o, s:{}}}", "id",
	    (json_int_t)sqlite3_column_int64(st, COL_ID), "post_number",
	    post_number, "url", url, "category_slug", cslug ? cslug : "",
	    "topic", "id", (json_int_t)topic_id, "title",
	    json_col_text(st, COL_TOPIC_TITLE), "slug", slug ? slug : "",
	    "tags", topic_tag_names(topic_id), "tags_descriptions");
}

static json_t *
column_int_or_null(sqlite3_stmt *st, int col)
{
	if (sqlite3_column_type(st, col) == SQLITE_NULL)
		return json_null();
	return json_integer(sqlite3_column_int64(st, col));
}

/* BasicEventSerializer's fields: what every event in the index has. */
static json_t *
event_basic_json(sqlite3_stmt *st)
{
	int64_t starts = sqlite3_column_int64(st, COL_STARTS);
	int64_t ends = sqlite3_column_int64(st, COL_ENDS);

	return json_pack("{s:I, s:o, s:o, s:n, s:n, s:o, s:o, s:b, s:o, s:o,"
	                 " s:[{s:o, s:o}]}",
	                 "id", (json_int_t)sqlite3_column_int64(st, COL_ID),
	                 "category_id", column_int_or_null(st, COL_CATEGORY_ID),
	                 "name", json_col_text(st, COL_NAME), "recurrence",
	                 "recurrence_until", "starts_at", json_time(starts),
	                 "ends_at", json_time(ends), "show_local_time", 0,
	                 "timezone", json_col_text(st, COL_TIMEZONE), "post",
	                 event_post_json(st), "occurrences", "starts_at",
	                 json_time(starts), "ends_at", json_time(ends));
}

static json_t *
creator_json(int64_t user_id)
{
	sqlite3_stmt *st = db_stmt(
	    ambtd->db, "SELECT id, username, name FROM users WHERE id = ?");
	json_t *j = NULL;
	char *avatar;

	if (st == NULL)
		return json_null();
	sqlite3_bind_int64(st, 1, user_id);
	if (sqlite3_step(st) == SQLITE_ROW) {
		avatar =
		    avatar_template((const char *)sqlite3_column_text(st, 1));
		j = json_pack("{s:I, s:o, s:o, s:s}", "id", (json_int_t)user_id,
		              "username", json_col_text(st, 1), "name",
		              json_col_text(st, 2), "avatar_template",
		              avatar ? avatar : "");
		free(avatar);
	}
	sqlite3_reset(st);
	return j ? j : json_null();
}

/* The status flags and the viewer's rights, from EventSerializer. */
static void
add_state(json_t *j, const struct event_info *ev, const struct user_ref *viewer,
          const struct event_stats *stats)
{
	int64_t now = db_now();
	bool standalone = strcmp(ev->status, "standalone") == 0;
	bool public = strcmp(ev->status, "public") == 0;

	json_object_set_new(j, "status", json_string(ev->status));
	json_object_set_new(j, "is_public", json_boolean(public));
	json_object_set_new(j, "is_private",
	                    json_boolean(strcmp(ev->status, "private") == 0));
	json_object_set_new(j, "is_standalone", json_boolean(standalone));
	json_object_set_new(j, "is_closed", json_false());
	json_object_set_new(
	    j, "is_expired",
	    json_boolean(event_expired(ev->starts_at, ev->ends_at)));
	json_object_set_new(
	    j, "is_ongoing",
	    json_boolean(now >= ev->starts_at &&
	                 now < event_end(ev->starts_at, ev->ends_at)));
	json_object_set_new(
	    j, "can_act_on_discourse_post_event",
	    json_boolean(can_act_on_event(ev->author_id, viewer)));
	json_object_set_new(j, "can_update_attendance",
	                    json_boolean(event_attendance_open(ev, viewer)));
	json_object_set_new(j, "should_display_invitees",
	                    json_boolean(!standalone && stats->invited > 0));
	json_object_set_new(j, "raw_invitees",
	                    public ? json_pack("[s]", "trust_level_0")
	                           : json_null());
}

/* EventSerializer's fields on top of the basic ones. */
static void
add_details(json_t *j, sqlite3_stmt *st, const struct user_ref *viewer)
{
	struct event_info ev = {0};
	struct event_stats stats = {0};
	const char *status = (const char *)sqlite3_column_text(st, COL_STATUS);

	ev.id = sqlite3_column_int64(st, COL_ID);
	ev.topic_id = sqlite3_column_int64(st, COL_TOPIC_ID);
	ev.author_id = sqlite3_column_int64(st, COL_AUTHOR);
	ev.starts_at = sqlite3_column_int64(st, COL_STARTS);
	ev.ends_at = sqlite3_column_int64(st, COL_ENDS);
	snprintf(ev.status, sizeof ev.status, "%s", status ? status : "");
	json_object_set_new(j, "description",
	                    json_col_text(st, COL_DESCRIPTION));
	json_object_set_new(j, "location", json_col_text(st, COL_LOCATION));
	if (sqlite3_column_type(st, COL_URL) != SQLITE_NULL)
		json_object_set_new(j, "url", json_col_text(st, COL_URL));
	/* Done with the row: what follows runs other statements. */
	event_stats_get(ev.id, &stats);
	add_state(j, &ev, viewer, &stats);
	json_object_set_new(j, "creator", creator_json(ev.author_id));
	json_object_set_new(j, "stats", event_stats_json(&stats));
	json_object_set_new(j, "sample_invitees",
	                    sample_invitees_json(ev.id, SAMPLE_INVITEES));
	json_object_set_new(j, "watching_invitee",
	                    watching_invitee_json(ev.id, viewer));
	json_object_set_new(j, "minimal", json_false());
	json_object_set_new(j, "chat_enabled", json_false());
	json_object_set_new(j, "reminders", json_array());
	json_object_set_new(j, "custom_fields", json_object());
	json_object_set_new(j, "max_attendees", json_null());
	json_object_set_new(j, "at_capacity", json_false());
}

json_t *
serialize_event(int64_t post_id, const struct user_ref *viewer, bool details)
{
	sqlite3_stmt *st = db_stmt(ambtd->db, EVENT_SELECT " WHERE e.id = ?");
	json_t *j = NULL;

	if (st == NULL)
		return NULL;
	sqlite3_bind_int64(st, 1, post_id);
	if (sqlite3_step(st) == SQLITE_ROW) {
		j = event_basic_json(st);
		if (j != NULL && details)
			add_details(j, st, viewer);
	}
	sqlite3_reset(st);
	return j;
}

/*
 * ---- GET /discourse-post-event/events.json ----
 * Parameters as the plugin in core takes them: include_details, after and
 * before (ISO 8601 or "now", on starts_at; no date filter without them),
 * category_id (+ include_subcategories), attending_user (going), limit
 * (1..200, default 200) and order (asc|desc by starts_at).
 */

struct events_query {
	bool details;
	bool subcategories;
	bool have_after, have_before, have_category;
	const char *attending_user; /* only events this user is going to */
	int64_t after, before, category_id;
	int64_t limit;
	bool desc;
};

static bool
param_true(const struct req *r, const char *name)
{
	const char *v = req_param(r, name);

	return v != NULL && strcmp(v, "true") == 0;
}

/* An ISO 8601 date or time, or "now" as the plugin accepts. */
static int
param_time(const struct req *r, const char *name, bool *have, int64_t *out)
{
	const char *v = req_param(r, name);

	*have = v != NULL && *v != '\0';
	if (!*have)
		return 0;
	if (strcmp(v, "now") == 0) {
		*out = db_now();
		return 0;
	}
	return time_parse_iso8601(v, out);
}

static int
events_query_read(const struct req *r, struct events_query *q, struct resp *out)
{
	const char *order = req_param(r, "order");

	memset(q, 0, sizeof *q);
	q->details = param_true(r, "include_details");
	q->subcategories = param_true(r, "include_subcategories");
	q->limit = EVENTS_LIMIT_MAX;
	if (param_time(r, "after", &q->have_after, &q->after) < 0) {
		resp_bad_param(out, "after");
		return -1;
	}
	if (param_time(r, "before", &q->have_before, &q->before) < 0) {
		resp_bad_param(out, "before");
		return -1;
	}
	q->attending_user = req_param(r, "attending_user");
	q->have_category = req_param(r, "category_id") != NULL;
	if (q->have_category &&
	    req_param_int(r, "category_id", &q->category_id) < 0) {
		resp_bad_param(out, "category_id");
		return -1;
	}
	if (req_param(r, "limit") != NULL &&
	    (req_param_int(r, "limit", &q->limit) < 0 || q->limit < 1 ||
	     q->limit > EVENTS_LIMIT_MAX)) {
		resp_bad_param(out, "limit");
		return -1;
	}
	if (order != NULL && strcmp(order, "asc") != 0 &&
	    strcmp(order, "desc") != 0) {
		resp_bad_param(out, "order");
		return -1;
	}
	q->desc = order != NULL && strcmp(order, "desc") == 0;
	return 0;
}

#define EVENTS_WHERE                                                           \
	"SELECT e.id, p.topic_id FROM events e"                                \
	" JOIN posts p ON p.id = e.id AND p.deleted_at IS NULL"                \
	" JOIN topics t ON t.id = p.topic_id"                                  \
	" LEFT JOIN categories c ON c.id = t.category_id"                      \
	" WHERE (?1 IS NULL OR e.starts_at >= ?1)"                             \
	" AND (?2 IS NULL OR e.starts_at < ?2)"                                \
	" AND (?3 IS NULL OR t.category_id = ?3 OR (?4 AND c.parent_id = ?3))" \
	" AND (?5 IS NULL OR EXISTS (SELECT 1 FROM invitees i"                 \
	" JOIN users u ON u.id = i.user_id WHERE i.event_id = e.id"            \
	" AND i.status = 'going' AND u.username = ?5))"

/* The ids of the events the query asks for that the viewer may see. */
static size_t
events_find(const struct events_query *q, const struct user_ref *viewer,
            int64_t *ids)
{
	sqlite3_stmt *st =
	    db_stmt(ambtd->db, q->desc ? EVENTS_WHERE
	                           " ORDER BY e.starts_at DESC, e.id DESC"
	                               : EVENTS_WHERE
	                           " ORDER BY e.starts_at ASC, e.id ASC");
	size_t n = 0;

	if (st == NULL)
		return 0;
	if (q->have_after)
		sqlite3_bind_int64(st, 1, q->after);
	if (q->have_before)
		sqlite3_bind_int64(st, 2, q->before);
	if (q->have_category)
		sqlite3_bind_int64(st, 3, q->category_id);
	sqlite3_bind_int(st, 4, q->subcategories);
	if (q->attending_user != NULL)
		sqlite3_bind_text(st, 5, q->attending_user, -1,
		                  SQLITE_TRANSIENT);
	while ((int64_t)n < q->limit && sqlite3_step(st) == SQLITE_ROW) {
		if (user_can_see_topic(viewer, sqlite3_column_int64(st, 1)))
			ids[n++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_reset(st);
	return n;
}

static void
events_index(struct req *r, struct resp *out)
{
	struct events_query q;
	int64_t ids[EVENTS_LIMIT_MAX];
	json_t *events;
	size_t n;

	if (events_query_read(r, &q, out) < 0)
		return;
	n = events_find(&q, &r->user, ids);
	events = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *ev = serialize_event(ids[i], &r->user, q.details);
		if (ev != NULL)
			json_array_append_new(events, ev);
	}
	resp_json(out, 200, json_pack("{s:o}", "events", events));
}

/* ---- GET /discourse-post-event/events/{id}.json ---- */

static void
event_show(struct req *r, struct resp *out)
{
	struct event_info ev;
	json_t *j;

	if (event_lookup(req_arg_int(r, 0), &r->user, &ev) < 0) {
		resp_not_found(out);
		return;
	}
	j = serialize_event(ev.id, &r->user, true);
	if (j == NULL) {
		resp_not_found(out);
		return;
	}
	resp_json(out, 200, json_pack("{s:o}", "event", j));
}

const struct route routes_events[] = {
    {"GET", "/discourse-post-event/events.json", events_index, false},
    {"GET", "/discourse-post-event/events/{id}.json", event_show, false},
    {"GET", "/discourse-post-event/events/{id}/invitees.json", invitees_index,
     false},
    {"POST", "/discourse-post-event/events/{id}/invitees.json", invitee_create,
     true},
    {"PUT", "/discourse-post-event/events/{id}/invitees/{invitee_id}.json",
     invitee_update, true},
    {"DELETE", "/discourse-post-event/events/{id}/invitees/{invitee_id}.json",
     invitee_destroy, true},
    {NULL, NULL, NULL, false},
};
