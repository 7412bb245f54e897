/*
 * seed.c: load the demo community (seed_data.c) into an empty database, in
 * one transaction, so a second start, or a crash halfway, never leaves half
 * a community. Raw Markdown is the source of truth; cooked HTML comes from
 * cook() and events from events_sync_post(), as for a post sent over HTTP.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ambtd/accounts.h"
#include "ambtd/ambtd.h"
#include "ambtd/seed.h"

/* Post action types and notification levels, as on Discourse. */
#define ACTION_BOOKMARK 1
#define ACTION_LIKE 2
#define LEVEL_TRACKING 2
#define LEVEL_WATCHING 3
/* How long a member takes to read a post, for time_read. */
#define MSECS_PER_POST 15000

/* "YYYY-MM-DD HH:MM" in UTC -> Unix seconds; 0 if it is no such time. */
static int64_t
seed_time(const char *text)
{
	struct tm tm = {0};

	if (!text || sscanf(text, "%d-%d-%d %d:%d", &tm.tm_year, &tm.tm_mon,
	                    &tm.tm_mday, &tm.tm_hour, &tm.tm_min) != 5)
		return 0;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	return (int64_t)timegm(&tm);
}

/* Step a statement that returns no rows; 0 or -1 (logged). */
static int
step_done(struct db *db, sqlite3_stmt *st)
{
	if (!st)
		return -1;
	if (sqlite3_step(st) != SQLITE_DONE) {
		fprintf(stderr, "ambtd: seed: %s\n",
		        sqlite3_errmsg(db_handle(db)));
		return -1;
	}
	return 0;
}

/* The id that a one-column, one-row query with one text parameter gives;
 * 0 when there is no row. */
static int64_t
lookup_id(struct db *db, const char *sql, const char *key)
{
	sqlite3_stmt *st = db_stmt(db, sql);

	if (!st)
		return 0;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	return sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
}

static int64_t
user_id(struct db *db, const char *username)
{
	return lookup_id(db, "SELECT id FROM users WHERE username = ?",
	                 username);
}

/* The id of post post_number of the n-th seeded topic (its id is n). */
static int64_t
post_id(struct db *db, int topic, int post_number)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT id FROM posts WHERE "
	                               "topic_id = ? AND post_number = ?");

	if (!st)
		return 0;
	sqlite3_bind_int(st, 1, topic);
	sqlite3_bind_int(st, 2, post_number);
	return sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
}

static void
bind_text_or_null(sqlite3_stmt *st, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

static int
seed_user(struct db *db, const struct seed_user *u)
{
	sqlite3_stmt *st = db_stmt(
	    db, "INSERT INTO users (username, name, title, bio_raw, "
	        "bio_cooked, location, website, organisation, trust_level, "
	        "admin, moderator, created_at, last_seen_at, "
	        "profile_view_count) VALUES "
	        "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
	char *bio_cooked = cook(u->bio);
	int64_t created = seed_time(u->created);
	int rc;

	if (!st || !bio_cooked) {
		free(bio_cooked);
		return -1;
	}
	sqlite3_bind_text(st, 1, u->username, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, u->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, u->title, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, u->bio, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, bio_cooked, -1, SQLITE_STATIC);
	bind_text_or_null(st, 6, u->location);
	bind_text_or_null(st, 7, u->website);
	bind_text_or_null(st, 8, u->organisation);
	sqlite3_bind_int(st, 9, u->trust_level);
	sqlite3_bind_int(st, 10, u->admin);
	sqlite3_bind_int(st, 11, u->moderator);
	sqlite3_bind_int64(st, 12, created);
	sqlite3_bind_int64(st, 13, created);
	sqlite3_bind_int(st, 14, u->profile_views);
	rc = step_done(db, st);
	free(bio_cooked);
	return rc;
}

static int
seed_groups(struct db *db)
{
	for (const struct seed_group_member *m = seed_group_members; m->group;
	     m++) {
		sqlite3_stmt *st = db_stmt(
		    db, "INSERT OR IGNORE INTO groups (name) VALUES (?)");

		if (!st)
			return -1;
		sqlite3_bind_text(st, 1, m->group, -1, SQLITE_STATIC);
		if (step_done(db, st) < 0)
			return -1;
		st = db_stmt(db, "INSERT INTO group_users (group_id, user_id) "
		                 "SELECT g.id, u.id FROM groups g, users u "
		                 "WHERE g.name = ? AND u.username = ?");
		if (!st)
			return -1;
		sqlite3_bind_text(st, 1, m->group, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, m->username, -1, SQLITE_STATIC);
		if (step_done(db, st) < 0)
			return -1;
	}
	return 0;
}

static int
load_categories(struct db *db)
{
	int position = 0;

	for (const struct seed_category *c = seed_categories; c->name; c++) {
		sqlite3_stmt *st = db_stmt(
		    db, "INSERT INTO categories (name, slug, color, "
		        "text_color, description, position, read_group_id) "
		        "VALUES (?, ?, ?, ?, ?, ?, "
		        "(SELECT id FROM groups WHERE name = ?))");

		if (!st)
			return -1;
		sqlite3_bind_text(st, 1, c->name, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, c->slug, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, c->color, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, c->text_color, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, c->description, -1, SQLITE_STATIC);
		sqlite3_bind_int(st, 6, position++);
		bind_text_or_null(st, 7, c->read_group);
		if (step_done(db, st) < 0)
			return -1;
	}
	return 0;
}

static int
load_badges(struct db *db)
{
	for (const struct seed_badge *b = seed_badges; b->name; b++) {
		sqlite3_stmt *st = db_stmt(db, "INSERT INTO badges (name, "
		                               "description) VALUES (?, ?)");

		if (!st)
			return -1;
		sqlite3_bind_text(st, 1, b->name, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, b->description, -1, SQLITE_STATIC);
		if (step_done(db, st) < 0)
			return -1;
	}
	for (const struct seed_user_badge *ub = seed_user_badges; ub->username;
	     ub++) {
		sqlite3_stmt *st = db_stmt(
		    db, "INSERT INTO user_badges (user_id, badge_id, "
		        "granted_at) SELECT u.id, b.id, ? FROM users u, "
		        "badges b WHERE u.username = ? AND b.name = ?");

		if (!st)
			return -1;
		sqlite3_bind_int64(st, 1, seed_time(ub->granted));
		sqlite3_bind_text(st, 2, ub->username, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, ub->badge, -1, SQLITE_STATIC);
		if (step_done(db, st) < 0)
			return -1;
	}
	return 0;
}

static int
seed_tags(struct db *db, int64_t topic_id, const char *tags)
{
	char *list = strdup(tags ? tags : ""), *save = NULL;
	int rc = list ? 0 : -1;

	for (char *tag = list ? strtok_r(list, ",", &save) : NULL;
	     tag && rc == 0; tag = strtok_r(NULL, ",", &save)) {
		sqlite3_stmt *st =
		    db_stmt(db, "INSERT OR IGNORE INTO tags (name) "
		                "VALUES (?)");

		if (!st) {
			rc = -1;
			break;
		}
		sqlite3_bind_text(st, 1, tag, -1, SQLITE_TRANSIENT);
		rc = step_done(db, st);
		st = db_stmt(db, "INSERT INTO topic_tags (topic_id, tag_id) "
		                 "SELECT ?, id FROM tags WHERE name = ?");
		if (rc < 0 || !st) {
			rc = -1;
			break;
		}
		sqlite3_bind_int64(st, 1, topic_id);
		sqlite3_bind_text(st, 2, tag, -1, SQLITE_TRANSIENT);
		rc = step_done(db, st);
	}
	free(list);
	return rc;
}

/* One action (a like, a bookmark) of a user on a post, an hour after the
 * post was written. */
static int
seed_action(struct db *db, int64_t post, const char *username, int type,
            int64_t when)
{
	sqlite3_stmt *st =
	    db_stmt(db, "INSERT INTO post_actions (post_id, user_id, "
	                "post_action_type_id, created_at) "
	                "SELECT ?, id, ?, ? FROM users WHERE username = ?");

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, post);
	sqlite3_bind_int(st, 2, type);
	sqlite3_bind_int64(st, 3, when + 3600);
	sqlite3_bind_text(st, 4, username, -1, SQLITE_STATIC);
	return step_done(db, st);
}

static int
seed_likes(struct db *db, int64_t post, const char *likers, int64_t when)
{
	char *list = strdup(likers ? likers : ""), *save = NULL;
	int rc = list ? 0 : -1;

	for (char *name = list ? strtok_r(list, " ", &save) : NULL;
	     name && rc == 0; name = strtok_r(NULL, " ", &save))
		rc = seed_action(db, post, name, ACTION_LIKE, when);
	free(list);
	return rc;
}

/* A poster has read the topic up to their own post and tracks it; its
 * creator watches it. */
static int
seed_poster_reading(struct db *db, int64_t topic_id, int64_t user,
                    int post_number)
{
	sqlite3_stmt *st = db_stmt(
	    db, "INSERT INTO topic_users (topic_id, user_id, "
	        "last_read_post_number, notification_level, posted, "
	        "total_msecs_viewed) VALUES (?, ?, ?, ?, 1, ?) "
	        "ON CONFLICT (topic_id, user_id) DO UPDATE SET "
	        "last_read_post_number = excluded.last_read_post_number, "
	        "total_msecs_viewed = excluded.total_msecs_viewed");

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, topic_id);
	sqlite3_bind_int64(st, 2, user);
	sqlite3_bind_int(st, 3, post_number);
	sqlite3_bind_int(st, 4,
	                 post_number == 1 ? LEVEL_WATCHING : LEVEL_TRACKING);
	sqlite3_bind_int(st, 5, post_number * MSECS_PER_POST);
	return step_done(db, st);
}

/* Discourse's "reads" of a post: about a fifth of the topic's views, a
 * little less for later posts. */
static int
post_reads(const struct seed_topic *t, int post_number)
{
	int reads = t->views / 5 - post_number;

	return reads > 1 ? reads : 1;
}

static int
seed_post(struct db *db, int64_t topic_id, const struct seed_topic *t,
          const struct seed_post *p, int post_number)
{
	sqlite3_stmt *st = db_stmt(
	    db, "INSERT INTO posts (topic_id, post_number, user_id, raw, "
	        "cooked, reply_to_post_number, created_at, updated_at, "
	        "reads) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
	int64_t author = user_id(db, p->username), when = seed_time(p->created);
	char *cooked = cook(p->raw), *err = NULL;
	int64_t id;

	if (!st || !cooked || author == 0) {
		free(cooked);
		return -1;
	}
	sqlite3_bind_int64(st, 1, topic_id);
	sqlite3_bind_int(st, 2, post_number);
	sqlite3_bind_int64(st, 3, author);
	sqlite3_bind_text(st, 4, p->raw, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, cooked, -1, SQLITE_STATIC);
	if (p->reply_to > 0)
		sqlite3_bind_int(st, 6, p->reply_to);
	else
		sqlite3_bind_null(st, 6);
	sqlite3_bind_int64(st, 7, when);
	sqlite3_bind_int64(st, 8, when);
	sqlite3_bind_int(st, 9, post_reads(t, post_number));
	if (step_done(db, st) < 0) {
		free(cooked);
		return -1;
	}
	free(cooked);
	id = sqlite3_last_insert_rowid(db_handle(db));
	if (strstr(p->raw, "[event") && events_sync_post(id, p->raw, &err)) {
		fprintf(stderr, "ambtd: seed: event of post %lld: %s\n",
		        (long long)id, err ? err : "?");
		free(err);
		return -1;
	}
	if (seed_likes(db, id, p->likers, when) < 0)
		return -1;
	return seed_poster_reading(db, topic_id, author, post_number);
}

static int
seed_topic(struct db *db, int64_t topic_id, const struct seed_topic *t)
{
	sqlite3_stmt *st = db_stmt(
	    db, "INSERT INTO topics (id, title, slug, category_id, "
	        "user_id, created_at, bumped_at, last_posted_at, views, "
	        "pinned) VALUES (?, ?, ?, (SELECT id FROM categories "
	        "WHERE slug = ?), ?, ?, ?, ?, ?, ?)");
	char *slug = slugify(t->title);
	int64_t first = seed_time(t->posts[0].created), last = first;
	int n = 0, rc;

	for (const struct seed_post *p = t->posts; p->username; p++, n++)
		if (seed_time(p->created) > last)
			last = seed_time(p->created);
	if (!st || !slug) {
		free(slug);
		return -1;
	}
	sqlite3_bind_int64(st, 1, topic_id);
	sqlite3_bind_text(st, 2, t->title, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, slug, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, t->category, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, user_id(db, t->posts[0].username));
	sqlite3_bind_int64(st, 6, first);
	sqlite3_bind_int64(st, 7, last);
	sqlite3_bind_int64(st, 8, last);
	sqlite3_bind_int(st, 9, t->views);
	sqlite3_bind_int(st, 10, t->pinned);
	rc = step_done(db, st);
	free(slug);
	if (rc < 0 || seed_tags(db, topic_id, t->tags) < 0)
		return -1;
	for (int i = 0; i < n; i++)
		if (seed_post(db, topic_id, t, &t->posts[i], i + 1) < 0)
			return -1;
	return 0;
}

/* The demo user's reading state: where they stopped, what they watch and
 * bookmarked, so that unread counts and bookmarks show. */
static int
seed_demo_reading_state(struct db *db, int64_t demo)
{
	for (const struct seed_reading *r = seed_demo_reading; r->topic; r++) {
		sqlite3_stmt *st = db_stmt(
		    db, "INSERT INTO topic_users (topic_id, user_id, "
		        "last_read_post_number, notification_level, "
		        "bookmarked, total_msecs_viewed) "
		        "VALUES (?, ?, ?, ?, ?, ?) "
		        "ON CONFLICT (topic_id, user_id) DO UPDATE SET "
		        "last_read_post_number = "
		        "excluded.last_read_post_number, "
		        "notification_level = excluded.notification_level, "
		        "bookmarked = excluded.bookmarked, "
		        "total_msecs_viewed = excluded.total_msecs_viewed");

		if (!st)
			return -1;
		sqlite3_bind_int(st, 1, r->topic);
		sqlite3_bind_int64(st, 2, demo);
		sqlite3_bind_int(st, 3, r->last_read);
		sqlite3_bind_int(st, 4, r->notification_level);
		sqlite3_bind_int(st, 5, r->bookmarked);
		sqlite3_bind_int(st, 6, r->last_read * MSECS_PER_POST);
		if (step_done(db, st) < 0)
			return -1;
	}
	for (const struct seed_post_ref *b = seed_demo_post_bookmarks; b->topic;
	     b++)
		if (seed_action(db, post_id(db, b->topic, b->post_number),
		                DEMO_USERNAME, ACTION_BOOKMARK, db_now()) < 0)
			return -1;
	return 0;
}

/* The data of a notification, as Discourse fills it for each type. */
static json_t *
notification_data(struct db *db, const struct seed_notification *n)
{
	sqlite3_stmt *st;
	json_t *data;

	if (n->type == 12) { /* granted_badge: actor is the badge */
		char *slug = slugify(n->actor);

		data = json_pack("{s:I, s:s, s:s, s:b, s:s}", "badge_id",
		                 (json_int_t)lookup_id(db,
		                                       "SELECT id FROM badges "
		                                       "WHERE name = ?",
		                                       n->actor),
		                 "badge_name", n->actor, "badge_slug",
		                 slug ? slug : "", "badge_title", 0, "username",
		                 DEMO_USERNAME);
		free(slug);
		return data;
	}
	st = db_stmt(db, "SELECT t.title, u.name FROM topics t, users u "
	                 "WHERE t.id = ? AND u.username = ?");
	if (!st)
		return NULL;
	sqlite3_bind_int(st, 1, n->topic);
	sqlite3_bind_text(st, 2, n->actor, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_ROW)
		return NULL;
	data = json_pack("{s:s, s:I, s:i, s:s, s:n, s:s}", "topic_title",
	                 (const char *)sqlite3_column_text(st, 0),
	                 "original_post_id",
	                 (json_int_t)post_id(db, n->topic, n->post_number),
	                 "original_post_type", 1, "original_username", n->actor,
	                 "revision_number", "display_username", n->actor);
	if (data && n->type == 5) /* liked */
		json_object_set_new(data, "username", json_string(n->actor));
	return data;
}

static int
seed_notification(struct db *db, int64_t demo,
                  const struct seed_notification *n)
{
	sqlite3_stmt *st;
	json_t *data = notification_data(db, n);
	char *text = data ? json_dumps(data, JSON_COMPACT) : NULL;
	int rc;

	json_decref(data);
	st = db_stmt(db, "INSERT INTO notifications (user_id, "
	                 "notification_type, topic_id, post_number, data, "
	                 "read, high_priority, created_at) "
	                 "VALUES (?, ?, ?, ?, ?, ?, 0, ?)");
	if (!st || !text) {
		free(text);
		return -1;
	}
	sqlite3_bind_int64(st, 1, demo);
	sqlite3_bind_int(st, 2, n->type);
	if (n->topic) {
		sqlite3_bind_int(st, 3, n->topic);
		sqlite3_bind_int(st, 4, n->post_number);
	}
	sqlite3_bind_text(st, 5, text, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 6, n->read);
	sqlite3_bind_int64(st, 7, seed_time(n->created));
	rc = step_done(db, st);
	free(text);
	return rc;
}

/* RSVPs on the events, which live on the first post of their topic. */
static int
load_invitees(struct db *db)
{
	for (const struct seed_invitee *i = seed_invitees; i->topic; i++) {
		sqlite3_stmt *st = db_stmt(
		    db, "INSERT INTO invitees (event_id, user_id, status) "
		        "SELECT e.id, u.id, ? FROM events e, users u "
		        "WHERE e.id = ? AND u.username = ?");

		if (!st)
			return -1;
		sqlite3_bind_text(st, 1, i->status, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, post_id(db, i->topic, 1));
		sqlite3_bind_text(st, 3, i->username, -1, SQLITE_STATIC);
		if (step_done(db, st) < 0)
			return -1;
	}
	return 0;
}

/* What follows from the posts: each user's last post, each topic's likes. */
static int
seed_totals(struct db *db)
{
	if (db_exec(db, "UPDATE users SET last_posted_at = (SELECT "
	                "MAX(created_at) FROM posts WHERE user_id = "
	                "users.id), last_seen_at = MAX(last_seen_at, "
	                "COALESCE((SELECT MAX(created_at) FROM posts "
	                "WHERE user_id = users.id), 0) + 1800)") < 0)
		return -1;
	return db_exec(db, "UPDATE topics SET like_count = (SELECT COUNT(*) "
	                   "FROM post_actions a JOIN posts p ON p.id = "
	                   "a.post_id WHERE p.topic_id = topics.id AND "
	                   "a.post_action_type_id = 2)");
}

/*
 * Every demo member logs in with the password "ambtenaar2026". koen also
 * has a TOTP second factor (authenticator apps take the base32 secret
 * KOENAMBTENAAR234), so a client's second-factor prompt can be tried.
 */
#define DEMO_PASSWORD "ambtenaar2026"
#define DEMO_TOTP_USERNAME "koen"
#define DEMO_TOTP_SECRET "KOENAMBTENAAR234"

static int
seed_passwords(struct db *db)
{
	char hash[PASSWORD_HASH_MAX];
	sqlite3_stmt *st;

	/* One salted hash for all: the password is public anyway, and each
	 * hash is slow by design; a start should not pay for eleven. */
	st = db_stmt(db, "UPDATE users SET password_hash = ?");
	if (!st || password_hash(DEMO_PASSWORD, hash) < 0)
		return -1;
	sqlite3_bind_text(st, 1, hash, -1, SQLITE_TRANSIENT);
	if (step_done(db, st) < 0)
		return -1;
	st = db_stmt(db, "INSERT INTO user_second_factors (user_id, data) "
	                 "SELECT id, ? FROM users WHERE username = ?");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, DEMO_TOTP_SECRET, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, DEMO_TOTP_USERNAME, -1, SQLITE_STATIC);
	return step_done(db, st);
}

static int
seed_all(struct db *db)
{
	int64_t topic_id = 1, demo;

	for (const struct seed_user *u = seed_users; u->username; u++)
		if (seed_user(db, u) < 0)
			return -1;
	if (seed_passwords(db) < 0 || seed_groups(db) < 0 ||
	    load_categories(db) < 0 || load_badges(db) < 0)
		return -1;
	for (const struct seed_topic *t = seed_topics; t->title; t++)
		if (seed_topic(db, topic_id++, t) < 0)
			return -1;
	demo = user_id(db, DEMO_USERNAME);
	if (seed_demo_reading_state(db, demo) < 0)
		return -1;
	for (const struct seed_notification *n = seed_demo_notifications;
	     n->type; n++)
		if (seed_notification(db, demo, n) < 0)
			return -1;
	if (load_invitees(db) < 0)
		return -1;
	return seed_totals(db);
}

static bool
database_is_empty(struct db *db)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT (SELECT COUNT(*) FROM users) + "
	                               "(SELECT COUNT(*) FROM topics)");

	return st && sqlite3_step(st) == SQLITE_ROW &&
	       sqlite3_column_int64(st, 0) == 0;
}

int
seed_demo(struct db *db)
{
	if (!database_is_empty(db))
		return 0;
	if (db_begin(db) < 0)
		return -1;
	if (seed_all(db) < 0) {
		db_rollback(db);
		fprintf(stderr,
		        "ambtd: the demo seed failed; nothing loaded\n");
		return -1;
	}
	return db_commit(db);
}
