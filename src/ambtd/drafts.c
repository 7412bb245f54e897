/*
 * drafts.c: a user's drafts on the server, as Discourse's DraftsController.
 * GET /drafts.json lists them, GET /drafts/{key}.json shows one, POST
 * /drafts.json saves one (data is a JSON text inside the JSON), DELETE
 * /drafts/{key}.json drops it.
 *
 * A drafts row also carries the key's sequence, as DraftSequence does on
 * Discourse: posting advances it (posts.c) and leaves the row with empty
 * data, which means "no draft". A save with a sequence older than the
 * current one is a 409: another window posted or saved in between.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ambtd/ambtd.h"
#include "ambtd/write.h"

#define MAX_KEY_LENGTH 40
#define MAX_DRAFT_LENGTH 400000 /* max_draft_length */
#define LIST_LIMIT 50

/* One draft as DraftSerializer shapes it, with its topic when the key
 * names one ("topic_<id>"). */
static const char list_sql[] =
    "SELECT d.draft_key, d.data, d.sequence, d.updated_at, t.id, t.title,"
    " t.slug, t.category_id, t.archetype, t.closed, t.archived,"
    " u.id, u.username, u.name"
    " FROM drafts d JOIN users u ON u.id = d.user_id"
    " LEFT JOIN topics t ON d.draft_key = 'topic_' || t.id"
    " WHERE d.user_id = ? AND d.data != ''"
    " ORDER BY d.updated_at DESC, d.draft_key LIMIT ? OFFSET ?";

static json_t *
draft_json(sqlite3_stmt *st, const struct user_ref *viewer)
{
	const char *username = (const char *)sqlite3_column_text(st, 12);
	bool has_topic =
	    sqlite3_column_type(st, 4) != SQLITE_NULL &&
	    user_can_see_topic(viewer, sqlite3_column_int64(st, 4));
	char *avatar = avatar_template(username);
	json_t *j = json_object();

	json_object_set_new(j, "draft_key", json_col_text(st, 0));
	json_object_set_new(j, "data", json_col_text(st, 1));
	json_object_set_new(j, "sequence",
	                    json_integer(sqlite3_column_int64(st, 2)));
	json_object_set_new(j, "created_at",
	                    json_time(sqlite3_column_int64(st, 3)));
	json_object_set_new(j, "updated_at",
	                    json_time(sqlite3_column_int64(st, 3)));
	json_object_set_new(j, "topic_id",
	                    has_topic
	                        ? json_integer(sqlite3_column_int64(st, 4))
	                        : json_null());
	json_object_set_new(j, "title",
	                    has_topic ? json_col_text(st, 5) : json_null());
	json_object_set_new(j, "slug",
	                    has_topic ? json_col_text(st, 6) : json_null());
	json_object_set_new(j, "category_id",
	                    has_topic &&
	                            sqlite3_column_type(st, 7) == SQLITE_INTEGER
	                        ? json_integer(sqlite3_column_int64(st, 7))
	                        : json_null());
	json_object_set_new(j, "archetype",
	                    has_topic ? json_col_text(st, 8)
	                              : json_string("regular"));
	json_object_set_new(
	    j, "closed", json_boolean(has_topic && sqlite3_column_int(st, 9)));
	json_object_set_new(
	    j, "archived",
	    json_boolean(has_topic && sqlite3_column_int(st, 10)));
	json_object_set_new(j, "user_id",
	                    json_integer(sqlite3_column_int64(st, 11)));
	json_object_set_new(j, "username", json_col_text(st, 12));
	json_object_set_new(j, "name", json_col_text(st, 13));
	json_object_set_new(j, "avatar_template", json_str_or_null(avatar));
	free(avatar);
	return j;
}

static void
drafts_index(struct req *r, struct resp *out)
{
	sqlite3_stmt *st = db_stmt(ambtd->db, list_sql);
	int64_t offset = 0, limit = LIST_LIMIT;
	json_t *list;

	if (st == NULL) {
		resp_error(out, 500, "unknown", "Internal server error");
		return;
	}
	if (req_param(r, "offset") &&
	    (req_param_int(r, "offset", &offset) < 0 || offset < 0)) {
		resp_bad_param(out, "offset");
		return;
	}
	if (req_param(r, "limit") && (req_param_int(r, "limit", &limit) < 0 ||
	                              limit < 1 || limit > LIST_LIMIT)) {
		resp_bad_param(out, "limit");
		return;
	}
	sqlite3_bind_int64(st, 1, r->user.id);
	sqlite3_bind_int64(st, 2, limit);
	sqlite3_bind_int64(st, 3, offset);
	list = json_array();
	while (sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(list, draft_json(st, &r->user));
	resp_json(out, 200, json_pack("{s:o}", "drafts", list));
}

/* The key's current sequence: 0 when it has none yet. */
static int64_t
draft_sequence(int64_t user_id, const char *key)
{
	sqlite3_stmt *st =
	    db_stmt(ambtd->db, "SELECT sequence FROM drafts "
	                       "WHERE user_id = ? AND draft_key = ?");
	int64_t seq = 0;

	if (st == NULL)
		return 0;
	sqlite3_bind_int64(st, 1, user_id);
	sqlite3_bind_text(st, 2, key, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(st) == SQLITE_ROW)
		seq = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return seq;
}

static void
draft_show(struct req *r, struct resp *out)
{
	sqlite3_stmt *st =
	    db_stmt(ambtd->db, "SELECT NULLIF(data, ''), sequence FROM "
	                       "drafts WHERE user_id = ? AND draft_key = ?");
	json_t *j;

	if (st == NULL) {
		resp_error(out, 500, "unknown", "Internal server error");
		return;
	}
	sqlite3_bind_int64(st, 1, r->user.id);
	sqlite3_bind_text(st, 2, r->args[0], -1, SQLITE_TRANSIENT);
	if (sqlite3_step(st) == SQLITE_ROW)
		j = json_pack("{s:o, s:I}", "draft", json_col_text(st, 0),
		              "draft_sequence",
		              (json_int_t)sqlite3_column_int64(st, 1));
	else
		j = json_pack("{s:n, s:i}", "draft", "draft_sequence", 0);
	resp_json(out, 200, j);
}

/* data must be a JSON object of bounded size. */
static bool
valid_data(const char *data)
{
	json_t *j;
	bool ok;

	if (data == NULL || strlen(data) > MAX_DRAFT_LENGTH)
		return false;
	j = json_loads(data, 0, NULL);
	ok = json_is_object(j);
	json_decref(j);
	return ok;
}

static int
save_draft(int64_t user_id, const char *key, const char *data, int64_t seq)
{
	sqlite3_stmt *st = db_stmt(
	    ambtd->db, "INSERT INTO drafts(user_id, draft_key, data, sequence,"
	               " updated_at) VALUES (?, ?, ?, ?, ?)"
	               " ON CONFLICT(user_id, draft_key) DO UPDATE SET"
	               " data = excluded.data, sequence = excluded.sequence,"
	               " updated_at = excluded.updated_at");
	int rc;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, user_id);
	sqlite3_bind_text(st, 2, key, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, data, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 4, seq);
	sqlite3_bind_int64(st, 5, db_now());
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
	sqlite3_reset(st);
	return rc;
}

static void
resp_conflict(struct resp *out)
{
	static const char msg[] = "Draft is being edited in another window. "
	                          "Please reload this page.";

	resp_json(out, 409,
	          json_pack("{s:[s], s:{s:s}}", "errors", msg, "extras",
	                    "description", msg));
}

static void
draft_create(struct req *r, struct resp *out)
{
	const char *key = req_param(r, "draft_key");
	const char *data = req_param(r, "data");
	int64_t seq = 0;

	if (key == NULL || *key == '\0' || strlen(key) > MAX_KEY_LENGTH) {
		resp_bad_param(out, "draft_key");
		return;
	}
	if (!valid_data(data)) {
		resp_bad_param(out, "data");
		return;
	}
	if (req_param(r, "sequence") &&
	    (req_param_int(r, "sequence", &seq) < 0 || seq < 0)) {
		resp_bad_param(out, "sequence");
		return;
	}
	if (seq < draft_sequence(r->user.id, key)) {
		resp_conflict(out);
		return;
	}
	if (save_draft(r->user.id, key, data, seq) < 0) {
		resp_error(out, 500, "unknown", "Internal server error");
		return;
	}
	resp_json(out, 200,
	          json_pack("{s:s, s:I}", "success", "OK", "draft_sequence",
	                    (json_int_t)seq));
}

/* The draft goes; its sequence stays (Draft.clear). */
static void
draft_destroy(struct req *r, struct resp *out)
{
	sqlite3_stmt *st =
	    db_stmt(ambtd->db, "UPDATE drafts SET data = '' WHERE "
	                       "user_id = ? AND draft_key = ?");

	if (st == NULL) {
		resp_error(out, 500, "unknown", "Internal server error");
		return;
	}
	sqlite3_bind_int64(st, 1, r->user.id);
	sqlite3_bind_text(st, 2, r->args[0], -1, SQLITE_TRANSIENT);
	if (sqlite3_step(st) != SQLITE_DONE) {
		resp_error(out, 500, "unknown", "Internal server error");
		return;
	}
	resp_json(out, 200, json_pack("{s:s}", "success", "OK"));
}

const struct route routes_drafts[] = {
    {"GET", "/drafts.json", drafts_index, true},
    {"GET", "/drafts/{key}.json", draft_show, true},
    {"POST", "/drafts.json", draft_create, true},
    {"DELETE", "/drafts/{key}.json", draft_destroy, true},
    {NULL, NULL, NULL, false},
};
