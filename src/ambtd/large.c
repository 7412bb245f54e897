/*
 * large.c: one topic of many posts, for benchmarks and for the mega-topic
 * path (AMBTD_MEGA_TOPIC posts or more). One transaction, prepared
 * statements: 100,000 posts take a second or two.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ambtd/ambtd.h"

#define LARGE_MAX_AUTHORS 64

/* The authors: the seed's members, or one of our own on an empty
 * database. Returns how many ids went into ids. */
static size_t
pick_authors(struct db *db, int64_t *ids)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT id FROM users WHERE id > 0 "
	                               "ORDER BY id LIMIT 64");
	size_t n = 0;

	while (st && n < LARGE_MAX_AUTHORS && sqlite3_step(st) == SQLITE_ROW)
		ids[n++] = sqlite3_column_int64(st, 0);
	if (n > 0)
		return n;
	st = db_stmt(db, "INSERT INTO users (username, name) "
	                 "VALUES ('lang', 'Lange Lijst')");
	if (!st || sqlite3_step(st) != SQLITE_DONE)
		return 0;
	ids[0] = sqlite3_last_insert_rowid(db_handle(db));
	return 1;
}

/* A public category for the topic, or NULL (0) when there is none. */
static int64_t
pick_category(struct db *db)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT id FROM categories WHERE "
	                               "read_group_id IS NULL ORDER BY "
	                               "position, id LIMIT 1");

	return st && sqlite3_step(st) == SQLITE_ROW
	           ? sqlite3_column_int64(st, 0)
	           : 0;
}

static int64_t
insert_topic(struct db *db, const char *title, int64_t author, int64_t category,
             int64_t start, int n)
{
	sqlite3_stmt *st = db_stmt(
	    db, "INSERT INTO topics (title, slug, category_id, user_id, "
	        "created_at, bumped_at, last_posted_at) "
	        "VALUES (?, ?, ?, ?, ?, ?, ?)");
	char *slug = slugify(title);
	int rc;

	if (!st || !slug) {
		free(slug);
		return -1;
	}
	sqlite3_bind_text(st, 1, title, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, slug, -1, SQLITE_STATIC);
	if (category > 0)
		sqlite3_bind_int64(st, 3, category);
	sqlite3_bind_int64(st, 4, author);
	sqlite3_bind_int64(st, 5, start);
	sqlite3_bind_int64(st, 6, start + (int64_t)n * 60);
	sqlite3_bind_int64(st, 7, start + (int64_t)n * 60);
	rc = sqlite3_step(st);
	free(slug);
	return rc == SQLITE_DONE ? sqlite3_last_insert_rowid(db_handle(db))
	                         : -1;
}

/* Post i (1-based): plain text raw and its cooked paragraph. */
static int
insert_post(sqlite3_stmt *st, int64_t topic, int i, int64_t author, int64_t at)
{
	char raw[128], cooked[160];

	snprintf(raw, sizeof raw,
	         "Bericht %d in het lange onderwerp: nog steeds on-topic.", i);
	snprintf(cooked, sizeof cooked, "<p>%s</p>", raw);
	sqlite3_reset(st);
	sqlite3_bind_int64(st, 1, topic);
	sqlite3_bind_int(st, 2, i);
	sqlite3_bind_int64(st, 3, author);
	sqlite3_bind_text(st, 4, raw, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 5, cooked, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 6, at);
	sqlite3_bind_int64(st, 7, at);
	return sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
}

static bool
already_there(struct db *db, const char *title)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT 1 FROM topics WHERE title = ?");

	if (!st)
		return false;
	sqlite3_bind_text(st, 1, title, -1, SQLITE_STATIC);
	return sqlite3_step(st) == SQLITE_ROW;
}

static int
fill_topic(struct db *db, const char *title, int n_posts)
{
	int64_t authors[LARGE_MAX_AUTHORS], topic, start = db_now() - 86400;
	size_t n_authors = pick_authors(db, authors);
	sqlite3_stmt *st;

	if (n_authors == 0)
		return -1;
	start -= (int64_t)n_posts * 60;
	topic = insert_topic(db, title, authors[0], pick_category(db), start,
	                     n_posts);
	st = db_stmt(db, "INSERT INTO posts (topic_id, post_number, user_id, "
	                 "raw, cooked, created_at, updated_at) "
	                 "VALUES (?, ?, ?, ?, ?, ?, ?)");
	if (topic < 0 || !st)
		return -1;
	for (int i = 1; i <= n_posts; i++)
		if (insert_post(st, topic, i,
		                authors[(size_t)(i - 1) % n_authors],
		                start + (int64_t)i * 60) < 0)
			return -1;
	return 0;
}

/* Adds the topic once: a restart with the same --large-topic N keeps the
 * one it made before. */
int
seed_large_topic(struct db *db, int n_posts)
{
	char title[96];

	snprintf(title, sizeof title, "Een lang onderwerp van %d berichten",
	         n_posts);
	if (already_there(db, title))
		return 0;
	if (db_begin(db) < 0)
		return -1;
	if (fill_topic(db, title, n_posts) < 0) {
		fprintf(stderr, "ambtd: large topic: %s\n",
		        sqlite3_errmsg(db_handle(db)));
		db_rollback(db);
		return -1;
	}
	return db_commit(db);
}
