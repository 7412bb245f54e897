/*
 * posts.c: writing and reading single posts, as Discourse's
 * PostsController: POST /posts.json (a reply or a new topic), PUT
 * /posts/{id}.json, GET /posts/{id}.json and GET /raw/{topic}/{number}.
 *
 * Each write runs in one transaction: the post, the topic's bump, the
 * writer's topic_users row, the post's event, the notifications and the
 * draft sequence commit together or not at all.
 *
 * Posting is rate-limited per user (staff exempt), counted from the posts
 * table so it holds across restarts: at most N posts in S seconds, set with
 * the environment variable AMBTD_POST_RATE="N/S" (default "10/60").
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ambtd/ambtd.h"
#include "ambtd/message_bus.h"
#include "ambtd/write.h"

/* Discourse's site setting defaults. */
#define MIN_POST_LENGTH 20
#define MAX_POST_LENGTH 32000
#define MIN_TITLE_LENGTH 15
#define MAX_TITLE_LENGTH 255

struct new_post {
	struct post_ref p;
	int64_t category_id; /* 0: none */
	int64_t reply_to;    /* post number, 0: none */
	const char *title;   /* NULL: a reply */
	const char *raw;
	char *cooked;
	bool private_message; /* archetype=private_message: to recipients */
	struct pm_recipients recipients;
};

static bool
is_staff(const struct user_ref *u)
{
	return u->admin || u->moderator;
}

/* ---- Validation ---- */

/* Characters (not bytes) once leading and trailing space is stripped. */
static size_t
stripped_chars(const char *s)
{
	const char *end = s + strlen(s);
	size_t n = 0;

	while (*s && isspace((unsigned char)*s))
		s++;
	while (end > s && isspace((unsigned char)end[-1]))
		end--;
	for (; s < end; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

static void
check_length(json_t *errors, const char *what, const char *text, size_t min,
             size_t max)
{
	size_t n = stripped_chars(text);
	char msg[128];

	if (n < min)
		snprintf(msg, sizeof(msg),
		         "%s is too short (minimum is %zu characters)", what,
		         min);
	else if (n > max)
		snprintf(msg, sizeof(msg),
		         "%s is too long (maximum is %zu characters)", what,
		         max);
	else
		return;
	json_array_append_new(errors, json_string(msg));
}

/* 422 {"action": "create_post", "errors": [...]} when raw or the title
 * break Discourse's length rules; false then. */
static bool
validate(struct resp *out, const char *action, const char *title,
         const char *raw)
{
	json_t *errors = json_array();

	if (title != NULL && stripped_chars(title) == 0)
		json_array_append_new(errors,
		                      json_string("Title can't be blank"));
	else if (title != NULL)
		check_length(errors, "Title", title, MIN_TITLE_LENGTH,
		             MAX_TITLE_LENGTH);
	check_length(errors, "Body", raw, MIN_POST_LENGTH, MAX_POST_LENGTH);
	if (json_array_size(errors) == 0) {
		json_decref(errors);
		return true;
	}
	if (action)
		resp_json(out, 422,
		          json_pack("{s:s, s:o}", "action", action, "errors",
		                    errors));
	else
		resp_json(out, 422, json_pack("{s:o}", "errors", errors));
	return false;
}

/* Rails' ParameterMissing: 400 without an error_type. */
static void
resp_param_missing(struct resp *out, const char *name)
{
	char msg[128];

	snprintf(msg, sizeof(msg), "param is missing or the value is empty: %s",
	         name);
	resp_json(out, 400, json_pack("{s:[s]}", "errors", msg));
}

/* ---- Rate limit ---- */

static void
post_rate(int64_t *count, int64_t *seconds)
{
	const char *env = getenv("AMBTD_POST_RATE");
	long long c, s;
	char extra;

	*count = 10;
	*seconds = 60;
	if (env && sscanf(env, "%lld/%lld%c", &c, &s, &extra) == 2 && c > 0 &&
	    s > 0) {
		*count = c;
		*seconds = s;
	}
}

/* Seconds u must wait before posting again, 0 when u may post now. */
static int64_t
post_wait(const struct user_ref *u)
{
	sqlite3_stmt *st =
	    db_stmt(ambtd->db, "SELECT created_at FROM posts WHERE "
	                       "user_id = ? AND created_at > ? "
	                       "ORDER BY created_at DESC LIMIT 1 OFFSET ?");
	int64_t count, seconds, now = db_now(), wait = 0;

	if (is_staff(u) || st == NULL)
		return 0;
	post_rate(&count, &seconds);
	sqlite3_bind_int64(st, 1, u->id);
	sqlite3_bind_int64(st, 2, now - seconds);
	sqlite3_bind_int64(st, 3, count - 1);
	if (sqlite3_step(st) == SQLITE_ROW)
		wait = sqlite3_column_int64(st, 0) + seconds - now;
	sqlite3_reset(st);
	return wait > 0 ? wait : 0;
}

/* Discourse's RateLimiter::LimitExceeded answer, with Retry-After. */
static void
resp_rate_limited(struct resp *out, int64_t wait)
{
	char left[32], msg[160];

	if (wait < 60)
		snprintf(left, sizeof(left), "%lld second%s", (long long)wait,
		         wait == 1 ? "" : "s");
	else
		snprintf(left, sizeof(left), "%lld minute%s",
		         (long long)(wait / 60), wait / 60 == 1 ? "" : "s");
	snprintf(msg, sizeof(msg),
	         "You\u2019ve performed this action too many times. Please "
	         "wait %s before trying again.",
	         left);
	resp_json(out, 429,
	          json_pack("{s:[s], s:s, s:{s:I, s:s}}", "errors", msg,
	                    "error_type", "rate_limit", "extras",
	                    "wait_seconds", (json_int_t)wait, "time_left",
	                    left));
	out->retry_after = (int)wait;
}

/* ---- Creating ---- */

static int
step_done(sqlite3_stmt *st)
{
	int rc = st && sqlite3_step(st) == SQLITE_DONE ? 0 : -1;

	if (st)
		sqlite3_reset(st);
	return rc;
}

static int
insert_topic(struct new_post *np, const struct user_ref *u, int64_t now)
{
	sqlite3_stmt *st = db_stmt(
	    ambtd->db, "INSERT INTO topics(title, slug, category_id, user_id,"
	               " created_at, bumped_at, last_posted_at, archetype)"
	               " VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
	char *slug = slugify(np->title);

	if (st == NULL || slug == NULL) {
		free(slug);
		return -1;
	}
	sqlite3_bind_text(st, 1, np->title, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, slug, -1, free);
	if (np->category_id > 0)
		sqlite3_bind_int64(st, 3, np->category_id);
	sqlite3_bind_int64(st, 4, u->id);
	sqlite3_bind_int64(st, 5, now);
	sqlite3_bind_int64(st, 6, now);
	sqlite3_bind_int64(st, 7, now);
	sqlite3_bind_text(st, 8,
	                  np->private_message ? "private_message" : "regular",
	                  -1, SQLITE_STATIC);
	if (step_done(st) < 0)
		return -1;
	np->p.topic_id = sqlite3_last_insert_rowid(db_handle(ambtd->db));
	return np->private_message
	           ? pm_add_participants(np->p.topic_id, u->id, &np->recipients)
	           : 0;
}

static int64_t
next_post_number(int64_t topic_id)
{
	sqlite3_stmt *st =
	    db_stmt(ambtd->db, "SELECT COALESCE(MAX(post_number), 0) + 1 "
	                       "FROM posts WHERE topic_id = ?");
	int64_t n = -1;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, topic_id);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return n;
}

/* The author of post number n of the topic, 0 when there is none. */
static int64_t
post_author(int64_t topic_id, int64_t n)
{
	sqlite3_stmt *st =
	    db_stmt(ambtd->db, "SELECT user_id FROM posts WHERE "
	                       "topic_id = ? AND post_number = ? AND "
	                       "deleted_at IS NULL");
	int64_t id = 0;

	if (st == NULL)
		return 0;
	sqlite3_bind_int64(st, 1, topic_id);
	sqlite3_bind_int64(st, 2, n);
	if (sqlite3_step(st) == SQLITE_ROW)
		id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return id;
}

static int
insert_post(struct new_post *np, const struct user_ref *u, int64_t now)
{
	sqlite3_stmt *st = db_stmt(
	    ambtd->db, "INSERT INTO posts(topic_id, post_number, user_id, raw,"
	               " cooked, reply_to_post_number, created_at, updated_at)"
	               " VALUES (?, ?, ?, ?, ?, ?, ?, ?)");

	np->p.post_number = next_post_number(np->p.topic_id);
	if (st == NULL || np->p.post_number < 1)
		return -1;
	sqlite3_bind_int64(st, 1, np->p.topic_id);
	sqlite3_bind_int64(st, 2, np->p.post_number);
	sqlite3_bind_int64(st, 3, u->id);
	sqlite3_bind_text(st, 4, np->raw, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, np->cooked, -1, SQLITE_STATIC);
	if (np->reply_to > 0)
		sqlite3_bind_int64(st, 6, np->reply_to);
	sqlite3_bind_int64(st, 7, now);
	sqlite3_bind_int64(st, 8, now);
	if (step_done(st) < 0)
		return -1;
	np->p.id = sqlite3_last_insert_rowid(db_handle(ambtd->db));
	np->p.user_id = u->id;
	return 0;
}

/* Bump the topic, stamp the writer, and have the writer track (reply)
 * or watch (new topic) it as Discourse's auto-tracking does. */
static int
bump(const struct new_post *np, const struct user_ref *u, int64_t now)
{
	sqlite3_stmt *topic =
	    db_stmt(ambtd->db, "UPDATE topics SET bumped_at = ?, "
	                       "last_posted_at = ? WHERE id = ?");
	sqlite3_stmt *user = db_stmt(
	    ambtd->db, "UPDATE users SET last_posted_at = ? WHERE id = ?");
	sqlite3_stmt *tu = db_stmt(
	    ambtd->db,
	    "INSERT INTO topic_users(topic_id, user_id, posted,"
	    " last_read_post_number, notification_level)"
	    " VALUES (?, ?, 1, ?, ?) ON CONFLICT(topic_id, user_id) DO UPDATE"
	    " SET posted = 1, last_read_post_number ="
	    " MAX(COALESCE(last_read_post_number, 0),"
	    " excluded.last_read_post_number),"
	    " notification_level = CASE WHEN notification_level = 1"
	    " THEN excluded.notification_level ELSE notification_level END");

	if (topic == NULL || user == NULL || tu == NULL)
		return -1;
	sqlite3_bind_int64(topic, 1, now);
	sqlite3_bind_int64(topic, 2, now);
	sqlite3_bind_int64(topic, 3, np->p.topic_id);
	sqlite3_bind_int64(user, 1, now);
	sqlite3_bind_int64(user, 2, u->id);
	sqlite3_bind_int64(tu, 1, np->p.topic_id);
	sqlite3_bind_int64(tu, 2, u->id);
	sqlite3_bind_int64(tu, 3, np->p.post_number);
	sqlite3_bind_int(tu, 4, np->title ? 3 : 2);
	return step_done(topic) < 0 || step_done(user) < 0 || step_done(tu) < 0
	           ? -1
	           : 0;
}

/* Clear the writer's draft for this topic and advance its sequence, as
 * PostCreator does; the new sequence, or -1. */
static int64_t
advance_draft(const struct new_post *np, const struct user_ref *u, int64_t now)
{
	sqlite3_stmt *st =
	    db_stmt(ambtd->db,
	            "INSERT INTO drafts(user_id, draft_key, data, sequence,"
	            " updated_at) VALUES (?, ?, '', 1, ?)"
	            " ON CONFLICT(user_id, draft_key) DO UPDATE SET data = '',"
	            " sequence = sequence + 1, updated_at = excluded.updated_at"
	            " RETURNING sequence");
	char key[40];
	int64_t seq = -1;

	if (st == NULL)
		return -1;
	if (np->title)
		snprintf(key, sizeof(key), "new_topic");
	else
		snprintf(key, sizeof(key), "topic_%lld",
		         (long long)np->p.topic_id);
	sqlite3_bind_int64(st, 1, u->id);
	sqlite3_bind_text(st, 2, key, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 3, now);
	if (sqlite3_step(st) == SQLITE_ROW)
		seq = sqlite3_column_int64(st, 0);
	if (sqlite3_step(st) != SQLITE_DONE)
		seq = -1;
	sqlite3_reset(st);
	return seq;
}

/* ---- POST /posts.json ---- */

static void
resp_server_error(struct resp *out)
{
	resp_error(out, 500, "unknown", "Internal server error");
}

/* Write everything in one transaction; the new draft sequence, or -1
 * with the answer in out. */
static int64_t
store_new_post(struct new_post *np, const struct user_ref *u, struct resp *out)
{
	int64_t now = db_now(), seq;
	char *err = NULL;

	if (db_begin(ambtd->db) < 0) {
		resp_server_error(out);
		return -1;
	}
	if ((np->title && insert_topic(np, u, now) < 0) ||
	    insert_post(np, u, now) < 0 || bump(np, u, now) < 0)
		goto fail;
	if (events_sync_post(np->p.id, np->raw, &err) < 0) {
		db_rollback(ambtd->db);
		resp_json(out, 422,
		          json_pack("{s:s, s:[s]}", "action", "create_post",
		                    "errors", err ? err : "Invalid event"));
		free(err);
		return -1;
	}
	seq = advance_draft(np, u, now);
	if (seq < 0 ||
	    alert_new_post(&np->p, np->cooked,
	                   np->reply_to > 0
	                       ? post_author(np->p.topic_id, np->reply_to)
	                       : 0,
	                   u) < 0 ||
	    db_commit(ambtd->db) < 0)
		goto fail;
	mb_publish_post(np->p.id, "created");
	mb_publish_topic_bump(np->p.topic_id, np->title != NULL);
	return seq;
fail:
	db_rollback(ambtd->db);
	resp_server_error(out);
	return -1;
}

/* The topic to reply to must be visible, and open unless one is staff. */
static bool
check_reply_topic(const struct req *r, struct new_post *np, struct resp *out)
{
	sqlite3_stmt *st = db_stmt(ambtd->db, "SELECT closed OR archived "
	                                      "FROM topics WHERE id = ?");
	bool closed = false;

	if (!user_can_see_topic(&r->user, np->p.topic_id)) {
		resp_not_found(out);
		return false;
	}
	if (st != NULL) {
		sqlite3_bind_int64(st, 1, np->p.topic_id);
		closed = sqlite3_step(st) == SQLITE_ROW &&
		         sqlite3_column_int(st, 0) != 0;
		sqlite3_reset(st);
	}
	if (closed && !is_staff(&r->user)) {
		resp_invalid_access(out);
		return false;
	}
	if (req_param_int(r, "reply_to_post_number", &np->reply_to) < 0 ||
	    post_author(np->p.topic_id, np->reply_to) == 0)
		np->reply_to = 0;
	return true;
}

static bool
is_private_message(const struct req *r)
{
	const char *archetype = req_param(r, "archetype");

	return archetype && strcmp(archetype, "private_message") == 0;
}

/* A private message has recipients and no category. */
static bool
read_recipients(const struct req *r, struct new_post *np, struct resp *out)
{
	np->private_message = true;
	return pm_read_recipients(r, &np->recipients, out) &&
	       validate(out, "create_post", np->title, np->raw);
}

/* Read and check the request into np; false with the answer in out. */
static bool
read_new_post(const struct req *r, struct new_post *np, struct resp *out)
{
	const char *topic = req_param(r, "topic_id");

	np->raw = req_param(r, "raw");
	if (np->raw == NULL || *np->raw == '\0') {
		resp_param_missing(out, "raw");
		return false;
	}
	if (topic != NULL && *topic != '\0') {
		if (parse_int64(topic, &np->p.topic_id) < 0) {
			resp_bad_param(out, "topic_id");
			return false;
		}
		return check_reply_topic(r, np, out) &&
		       validate(out, "create_post", NULL, np->raw);
	}
	np->title = req_param(r, "title");
	if (np->title == NULL)
		np->title = "";
	if (is_private_message(r))
		return read_recipients(r, np, out);
	if (req_param(r, "category") != NULL &&
	    req_param_int(r, "category", &np->category_id) < 0) {
		resp_bad_param(out, "category");
		return false;
	}
	if (np->category_id > 0 &&
	    !user_can_see_category(&r->user, np->category_id)) {
		resp_invalid_access(out);
		return false;
	}
	return validate(out, "create_post", np->title, np->raw);
}

static int64_t
posts_count(int64_t topic_id)
{
	sqlite3_stmt *st =
	    db_stmt(ambtd->db, "SELECT COUNT(*) FROM posts WHERE "
	                       "topic_id = ? AND deleted_at IS NULL");
	int64_t n = 0;

	if (st == NULL)
		return 0;
	sqlite3_bind_int64(st, 1, topic_id);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return n;
}

/*
 * Shape a single post the way PostsController answers for one: with
 * post_url and posts_count (and draft_sequence on writes, < 0: leave it
 * out), without what PostSerializer only sends inside a topic view
 * (include_read?, include_link_counts?).
 */
static void
single_post_fields(json_t *j, const struct post_ref *p, int64_t draft_seq)
{
	json_t *slug = json_object_get(j, "topic_slug");
	char url[160];

	snprintf(url, sizeof(url), "/t/%s/%lld/%lld",
	         json_is_string(slug) ? json_string_value(slug) : "topic",
	         (long long)p->topic_id, (long long)p->post_number);
	json_object_del(j, "read");
	json_object_del(j, "link_counts");
	if (draft_seq >= 0)
		json_object_set_new(j, "draft_sequence",
		                    json_integer(draft_seq));
	if (!json_object_get(j, "post_url"))
		json_object_set_new(j, "post_url", json_string(url));
	if (!json_object_get(j, "posts_count"))
		json_object_set_new(j, "posts_count",
		                    json_integer(posts_count(p->topic_id)));
}

/* The viewer's draft sequence for replies in the topic (0: none yet). */
static int64_t
reply_draft_sequence(int64_t user_id, int64_t topic_id)
{
	sqlite3_stmt *st =
	    db_stmt(ambtd->db, "SELECT sequence FROM drafts WHERE "
	                       "user_id = ? AND draft_key = 'topic_' || ?");
	int64_t seq = 0;

	if (st == NULL)
		return 0;
	sqlite3_bind_int64(st, 1, user_id);
	sqlite3_bind_int64(st, 2, topic_id);
	if (sqlite3_step(st) == SQLITE_ROW)
		seq = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return seq;
}

static void
posts_create(struct req *r, struct resp *out)
{
	struct new_post np = {.p = {0}};
	int64_t wait, seq;
	json_t *j;

	if (!read_new_post(r, &np, out))
		return;
	wait = post_wait(&r->user);
	if (wait > 0) {
		resp_rate_limited(out, wait);
		return;
	}
	np.cooked = cook(np.raw);
	seq = store_new_post(&np, &r->user, out);
	free(np.cooked);
	if (seq < 0)
		return;
	j = serialize_post(np.p.id, &r->user, true);
	if (j == NULL) {
		resp_server_error(out);
		return;
	}
	single_post_fields(j, &np.p, seq);
	resp_json(out, 200, j);
}

/* ---- GET /posts/{id}.json, GET /raw/{topic_id}/{post_number} ---- */

static void
post_show(struct req *r, struct resp *out)
{
	struct post_ref p;
	json_t *j;

	if (post_ref_visible(req_arg_int(r, 0), &r->user, &p) < 0 ||
	    (j = serialize_post(p.id, &r->user, true)) == NULL) {
		resp_not_found(out);
		return;
	}
	single_post_fields(j, &p, -1);
	resp_json(out, 200, j);
}

static void
raw_show(struct req *r, struct resp *out)
{
	sqlite3_stmt *st =
	    db_stmt(ambtd->db, "SELECT raw FROM posts WHERE topic_id = ? "
	                       "AND post_number = ? AND deleted_at IS NULL");
	int64_t topic_id = req_arg_int(r, 0);

	if (st == NULL || !user_can_see_topic(&r->user, topic_id)) {
		resp_not_found(out);
		return;
	}
	sqlite3_bind_int64(st, 1, topic_id);
	sqlite3_bind_int64(st, 2, req_arg_int(r, 1));
	if (sqlite3_step(st) != SQLITE_ROW) {
		resp_not_found(out);
		return;
	}
	resp_text(out, 200, (const char *)sqlite3_column_text(st, 0));
}

/* ---- PUT /posts/{id}.json ---- */

static char *
current_cooked(int64_t post_id)
{
	sqlite3_stmt *st =
	    db_stmt(ambtd->db, "SELECT cooked FROM posts WHERE id = ?");
	char *cooked = NULL;

	if (st == NULL)
		return NULL;
	sqlite3_bind_int64(st, 1, post_id);
	if (sqlite3_step(st) == SQLITE_ROW)
		cooked = strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_reset(st);
	return cooked;
}

/* Store the new raw, re-cooked, and tell the newly mentioned. */
static int
update_post(const struct post_ref *p, const char *raw)
{
	sqlite3_stmt *st = db_stmt(
	    ambtd->db, "UPDATE posts SET raw = ?1, cooked = ?2,"
	               " version = version + (raw != ?1), updated_at = ?3"
	               " WHERE id = ?4");
	char *old = current_cooked(p->id);
	char *cooked = cook(raw);
	int rc = -1;

	if (st != NULL && old != NULL) {
		sqlite3_bind_text(st, 1, raw, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, cooked, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 3, db_now());
		sqlite3_bind_int64(st, 4, p->id);
		rc = step_done(st);
	}
	if (rc == 0)
		rc = alert_edited_post(p, old, cooked);
	free(old);
	free(cooked);
	return rc;
}

/* A new title for post 1's topic, when one was sent. */
static int
update_title(const struct post_ref *p, const char *title)
{
	sqlite3_stmt *st = db_stmt(ambtd->db, "UPDATE topics SET title = ?, "
	                                      "slug = ? WHERE id = ?");
	char *slug = slugify(title);

	if (st == NULL || slug == NULL) {
		free(slug);
		return -1;
	}
	sqlite3_bind_text(st, 1, title, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, slug, -1, free);
	sqlite3_bind_int64(st, 3, p->topic_id);
	return step_done(st);
}

static bool
may_edit(const struct req *r, const struct post_ref *p, struct resp *out)
{
	if (p->user_id != r->user.id && !is_staff(&r->user)) {
		resp_invalid_access(out);
		return false;
	}
	return true;
}

/* 409 when the client edited from a raw that is no longer the post's. */
static bool
check_original(const struct req *r, const struct post_ref *p, struct resp *out)
{
	const char *orig = req_param(r, "post[original_text]");
	sqlite3_stmt *st =
	    db_stmt(ambtd->db, "SELECT raw = ? FROM posts WHERE id = ?");
	bool same = true;

	if (orig == NULL || st == NULL)
		return true;
	sqlite3_bind_text(st, 1, orig, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, p->id);
	if (sqlite3_step(st) == SQLITE_ROW)
		same = sqlite3_column_int(st, 0) != 0;
	sqlite3_reset(st);
	if (!same)
		resp_error(out, 409, "edit_conflict",
		           "This post was edited by someone else in the "
		           "meantime.");
	return same;
}

static int
store_edit(const struct post_ref *p, const char *raw, const char *title,
           struct resp *out)
{
	char *err = NULL;

	if (db_begin(ambtd->db) < 0 || update_post(p, raw) < 0 ||
	    (title && update_title(p, title) < 0)) {
		db_rollback(ambtd->db);
		resp_server_error(out);
		return -1;
	}
	if (events_sync_post(p->id, raw, &err) < 0) {
		db_rollback(ambtd->db);
		resp_json(out, 422,
		          json_pack("{s:[s]}", "errors",
		                    err ? err : "Invalid event"));
		free(err);
		return -1;
	}
	if (db_commit(ambtd->db) < 0) {
		db_rollback(ambtd->db);
		resp_server_error(out);
		return -1;
	}
	mb_publish_post(p->id, "revised");
	return 0;
}

static void
post_update(struct req *r, struct resp *out)
{
	const char *raw = req_param(r, "post[raw]");
	const char *title = req_param(r, "title");
	struct post_ref p;
	json_t *j;

	if (raw == NULL)
		raw = req_param(r, "raw");
	if (post_ref_visible(req_arg_int(r, 0), &r->user, &p) < 0) {
		resp_not_found(out);
		return;
	}
	if (!may_edit(r, &p, out))
		return;
	if (raw == NULL || *raw == '\0') {
		resp_param_missing(out, "post");
		return;
	}
	if (p.post_number != 1)
		title = NULL;
	if (!validate(out, NULL, title, raw) || !check_original(r, &p, out) ||
	    store_edit(&p, raw, title, out) < 0)
		return;
	j = serialize_post(p.id, &r->user, true);
	if (j == NULL) {
		resp_server_error(out);
		return;
	}
	single_post_fields(j, &p, reply_draft_sequence(r->user.id, p.topic_id));
	resp_json(out, 200, json_pack("{s:o}", "post", j));
}

const struct route routes_posts[] = {
    {"POST", "/posts.json", posts_create, true},
    {"GET", "/posts/{id}.json", post_show, false},
    {"PUT", "/posts/{id}.json", post_update, true},
    {"GET", "/raw/{topic_id}/{post_number}", raw_show, false},
    {"POST", "/post_actions.json", post_action_create, true},
    {"DELETE", "/post_actions/{id}.json", post_action_destroy, true},
    {NULL, NULL, NULL, false},
};
