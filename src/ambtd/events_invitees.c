/*
 * events_invitees.c: answering an event's invitation (RSVP), as the
 * discourse-post-event plugin's invitees controller does.
 *
 * One invitee row per user and event; its status is going, interested or
 * not_going. Answering also sets how the user follows the event's topic
 * (going: watching, interested: tracking, not going: regular), as the
 * plugin's Invitee#update_topic_tracking! does.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ambtd/ambtd.h"
#include "ambtd/events.h"
#include "ambtd/message_bus.h"

#define INVITEES_MAX 200 /* the plugin's page size */

/* Topic notification levels (Discourse's TopicUser.notification_levels) */
#define LEVEL_REGULAR 1
#define LEVEL_TRACKING 2
#define LEVEL_WATCHING 3

static bool
status_valid(const char *s)
{
	return s != NULL &&
	       (strcmp(s, "going") == 0 || strcmp(s, "interested") == 0 ||
	        strcmp(s, "not_going") == 0);
}

int
event_stats_get(int64_t event_id, struct event_stats *out)
{
	sqlite3_stmt *st = db_stmt(
	    ambtd->db, "SELECT COALESCE(SUM(status = 'going'), 0),"
	               " COALESCE(SUM(status = 'interested'), 0),"
	               " COALESCE(SUM(status = 'not_going'), 0), COUNT(*)"
	               " FROM invitees WHERE event_id = ?");
	int rc = -1;

	memset(out, 0, sizeof *out);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, event_id);
	if (sqlite3_step(st) == SQLITE_ROW) {
		out->going = sqlite3_column_int(st, 0);
		out->interested = sqlite3_column_int(st, 1);
		out->not_going = sqlite3_column_int(st, 2);
		out->invited = sqlite3_column_int(st, 3);
		rc = 0;
	}
	sqlite3_reset(st);
	return rc;
}

json_t *
event_stats_json(const struct event_stats *s)
{
	return json_pack("{s:i, s:i, s:i, s:i}", "going", s->going,
	                 "interested", s->interested, "not_going", s->not_going,
	                 "invited", s->invited);
}

/* What invitee_json reads of one row, copied so the statement can go. */
struct invitee_row {
	int64_t id, event_id, user_id;
	char status[16]; /* "" for none */
	char username[64];
	char *name;
};

static int
invitee_row_read(int64_t invitee_id, struct invitee_row *row)
{
	sqlite3_stmt *st = db_stmt(
	    ambtd->db, "SELECT i.event_id, i.user_id, i.status, u.username,"
	               " u.name FROM invitees i"
	               " JOIN users u ON u.id = i.user_id WHERE i.id = ?");
	const char *text;
	int rc = -1;

	memset(row, 0, sizeof *row);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, invitee_id);
	if (sqlite3_step(st) == SQLITE_ROW) {
		row->id = invitee_id;
		row->event_id = sqlite3_column_int64(st, 0);
		row->user_id = sqlite3_column_int64(st, 1);
		text = (const char *)sqlite3_column_text(st, 2);
		snprintf(row->status, sizeof row->status, "%s",
		         text ? text : "");
		text = (const char *)sqlite3_column_text(st, 3);
		snprintf(row->username, sizeof row->username, "%s",
		         text ? text : "");
		text = (const char *)sqlite3_column_text(st, 4);
		row->name = text ? strdup(text) : NULL;
		rc = 0;
	}
	sqlite3_reset(st);
	return rc;
}

json_t *
invitee_json(int64_t invitee_id)
{
	struct invitee_row row;
	struct event_stats stats;
	char *avatar;
	json_t *j;

	if (invitee_row_read(invitee_id, &row) < 0)
		return NULL;
	event_stats_get(row.event_id, &stats);
	avatar = avatar_template(row.username);
	j = json_pack(
	    "{s:I, s:o, s:I, s:I,"
	    " s:{s:I, s:s, s:o, s:s},"
	    " s:{s:b, s:o}}",
	    "id", (json_int_t)row.id, "status",
	    row.status[0] ? json_string(row.status) : json_null(), "user_id",
	    (json_int_t)row.user_id, "post_id", (json_int_t)row.event_id,
	    "user", "id", (json_int_t)row.user_id, "username", row.username,
	    "name", json_str_or_null(row.name), "avatar_template",
	    avatar ? avatar : "", "meta", "event_should_display_invitees",
	    stats.invited > 0, "event_stats", event_stats_json(&stats));
	free(avatar);
	free(row.name);
	return j;
}

static int64_t
invitee_id_of(int64_t event_id, int64_t user_id)
{
	sqlite3_stmt *st =
	    db_stmt(ambtd->db, "SELECT id FROM invitees"
	                       " WHERE event_id = ? AND user_id = ?");
	int64_t id = 0;

	if (st == NULL)
		return 0;
	sqlite3_bind_int64(st, 1, event_id);
	sqlite3_bind_int64(st, 2, user_id);
	if (sqlite3_step(st) == SQLITE_ROW)
		id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return id;
}

json_t *
watching_invitee_json(int64_t event_id, const struct user_ref *viewer)
{
	int64_t id = viewer->id != 0 ? invitee_id_of(event_id, viewer->id) : 0;
	json_t *j = id != 0 ? invitee_json(id) : NULL;

	return j ? j : json_null();
}

/* Ids of an event's invitees, ordered by status then username as the
 * plugin lists them; type and filter narrow the list (NULL: all). */
static size_t
invitee_ids(int64_t event_id, const char *type, const char *filter,
            int64_t *ids, size_t max)
{
	sqlite3_stmt *st = db_stmt(
	    ambtd->db,
	    "SELECT i.id FROM invitees i JOIN users u ON u.id = i.user_id"
	    " WHERE i.event_id = ?1 AND (?2 IS NULL OR i.status = ?2)"
	    " AND (?3 IS NULL OR instr(lower(u.username), lower(?3)) > 0"
	    " OR instr(lower(COALESCE(u.name, '')), lower(?3)) > 0)"
	    " ORDER BY CASE i.status WHEN 'going' THEN 0"
	    " WHEN 'interested' THEN 1 WHEN 'not_going' THEN 2 ELSE 3 END,"
	    " u.username COLLATE NOCASE LIMIT ?4");
	size_t n = 0;

	if (st == NULL)
		return 0;
	sqlite3_bind_int64(st, 1, event_id);
	if (type != NULL)
		sqlite3_bind_text(st, 2, type, -1, SQLITE_TRANSIENT);
	if (filter != NULL && *filter != '\0')
		sqlite3_bind_text(st, 3, filter, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)max);
	while (n < max && sqlite3_step(st) == SQLITE_ROW)
		ids[n++] = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return n;
}

static json_t *
invitees_array(const int64_t *ids, size_t n)
{
	json_t *list = json_array();

	for (size_t i = 0; i < n; i++) {
		json_t *inv = invitee_json(ids[i]);
		if (inv != NULL)
			json_array_append_new(list, inv);
	}
	return list;
}

json_t *
sample_invitees_json(int64_t event_id, int max)
{
	int64_t ids[INVITEES_MAX];
	size_t n =
	    invitee_ids(event_id, NULL, NULL, ids,
	                (size_t)(max < INVITEES_MAX ? max : INVITEES_MAX));

	return invitees_array(ids, n);
}

/* GET .../events/{id}/invitees.json[?type=going&filter=name] */
void
invitees_index(struct req *r, struct resp *out)
{
	const char *type = req_param(r, "type");
	struct event_info ev;
	int64_t ids[INVITEES_MAX];
	size_t n;

	if (event_lookup(req_arg_int(r, 0), &r->user, &ev) < 0) {
		resp_not_found(out);
		return;
	}
	if (type != NULL && *type == '\0')
		type = NULL;
	if (type != NULL && !status_valid(type)) {
		resp_bad_param(out, "type");
		return;
	}
	n = invitee_ids(ev.id, type, req_param(r, "filter"), ids, INVITEES_MAX);
	resp_json(out, 200,
	          json_pack("{s:o}", "invitees", invitees_array(ids, n)));
}

/* invitee[status] as the plugin's forms send it; a bare status too. */
static const char *
status_param(const struct req *r)
{
	const char *s = req_param(r, "invitee[status]");

	return s != NULL ? s : req_param(r, "status");
}

static int
follow_topic(int64_t topic_id, int64_t user_id, const char *status)
{
	sqlite3_stmt *st = db_stmt(
	    ambtd->db,
	    "INSERT INTO topic_users(topic_id, user_id, notification_level)"
	    " VALUES (?, ?, ?) ON CONFLICT(topic_id, user_id)"
	    " DO UPDATE SET notification_level = excluded.notification_level");
	int level = LEVEL_REGULAR, rc;

	if (strcmp(status, "going") == 0)
		level = LEVEL_WATCHING;
	else if (strcmp(status, "interested") == 0)
		level = LEVEL_TRACKING;
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, topic_id);
	sqlite3_bind_int64(st, 2, user_id);
	sqlite3_bind_int(st, 3, level);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* Set user's answer (a second answer replaces the first) and return the
 * invitee's id, or 0 on a database error. */
static int64_t
invitee_save(const struct event_info *ev, int64_t user_id, const char *status)
{
	sqlite3_stmt *st = db_stmt(
	    ambtd->db,
	    "INSERT INTO invitees(event_id, user_id, status) VALUES (?, ?, ?)"
	    " ON CONFLICT(event_id, user_id) DO UPDATE SET"
	    " status = excluded.status");
	int rc;

	if (st == NULL || db_begin(ambtd->db) < 0)
		return 0;
	sqlite3_bind_int64(st, 1, ev->id);
	sqlite3_bind_int64(st, 2, user_id);
	sqlite3_bind_text(st, 3, status, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE ||
	    follow_topic(ev->topic_id, user_id, status) < 0 ||
	    db_commit(ambtd->db) < 0) {
		db_rollback(ambtd->db);
		return 0;
	}
	mb_publish_event(ev->id); /* the plugin's publish_to_client */
	return invitee_id_of(ev->id, user_id);
}

static void
respond_invitee(struct resp *out, int64_t invitee_id)
{
	json_t *j = invitee_id != 0 ? invitee_json(invitee_id) : NULL;

	if (j == NULL) {
		resp_error(out, 500, "unknown",
		           "The answer could not be saved.");
		return;
	}
	resp_json(out, 200, json_pack("{s:o}", "invitee", j));
}

/* POST .../events/{id}/invitees.json  invitee[status]=going */
void
invitee_create(struct req *r, struct resp *out)
{
	const char *status = status_param(r);
	struct event_info ev;

	if (event_lookup(req_arg_int(r, 0), &r->user, &ev) < 0) {
		resp_not_found(out);
		return;
	}
	if (!status_valid(status)) {
		resp_bad_param(out, "invitee[status]");
		return;
	}
	if (!event_attendance_open(&ev, &r->user)) {
		resp_invalid_access(out);
		return;
	}
	respond_invitee(out, invitee_save(&ev, r->user.id, status));
}

/* The invitee {invitee_id} of event {id}, when the caller may change it
 * (their own, or staff). Answers 404 or 403 itself and returns -1. */
static int
invitee_for_change(struct req *r, struct resp *out, struct event_info *ev,
                   int64_t *user_id)
{
	sqlite3_stmt *st;
	int found;

	if (event_lookup(req_arg_int(r, 0), &r->user, ev) < 0) {
		resp_not_found(out);
		return -1;
	}
	st = db_stmt(ambtd->db, "SELECT user_id FROM invitees"
	                        " WHERE id = ? AND event_id = ?");
	if (st == NULL) {
		resp_not_found(out);
		return -1;
	}
	sqlite3_bind_int64(st, 1, req_arg_int(r, 1));
	sqlite3_bind_int64(st, 2, ev->id);
	found = sqlite3_step(st) == SQLITE_ROW;
	*user_id = found ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	if (!found) {
		resp_not_found(out);
		return -1;
	}
	if (*user_id != r->user.id && !r->user.admin && !r->user.moderator) {
		resp_invalid_access(out);
		return -1;
	}
	return 0;
}

/* PUT .../events/{id}/invitees/{invitee_id}.json  invitee[status]=... */
void
invitee_update(struct req *r, struct resp *out)
{
	const char *status = status_param(r);
	struct event_info ev;
	int64_t user_id;

	if (invitee_for_change(r, out, &ev, &user_id) < 0)
		return;
	if (!status_valid(status)) {
		resp_bad_param(out, "invitee[status]");
		return;
	}
	respond_invitee(out, invitee_save(&ev, user_id, status));
}

/* DELETE .../events/{id}/invitees/{invitee_id}.json */
void
invitee_destroy(struct req *r, struct resp *out)
{
	struct event_info ev;
	sqlite3_stmt *st;
	int64_t user_id;
	int rc;

	if (invitee_for_change(r, out, &ev, &user_id) < 0)
		return;
	st = db_stmt(ambtd->db, "DELETE FROM invitees WHERE id = ?");
	if (st == NULL) {
		resp_error(out, 500, "unknown",
		           "The answer could not be removed.");
		return;
	}
	sqlite3_bind_int64(st, 1, req_arg_int(r, 1));
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		resp_error(out, 500, "unknown",
		           "The answer could not be removed.");
		return;
	}
	mb_publish_event(ev.id);
	resp_json(out, 200, json_pack("{s:s}", "success", "OK"));
}
