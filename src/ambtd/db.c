/*
 * db.c: ambtd's SQLite database: its schema, one connection per thread,
 * and a statement cache per connection.
 *
 * Handlers run between db_lock (writers: one at a time, nothing else
 * running) or db_lock_shared (GET: many at once) and db_unlock; server.c
 * takes them. Each thread uses its own connection, opened on its first
 * request, so readers run in parallel in WAL mode. Statements are
 * prepared once per connection and kept, keyed by their SQL text;
 * db_unlock resets the ones a request used, so no half-stepped statement
 * holds a read transaction open between requests. Dynamic SQL is fine as
 * long as its variants are few (the cache never evicts).
 */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ambtd/ambtd.h"

struct cached_stmt {
	char *sql;
	sqlite3_stmt *stmt;
	struct cached_stmt *next; /* hash chain */
	bool in_use;              /* handed out since the last db_unlock */
};

#define STMT_BUCKETS 256

/* One thread's connection and its statements. */
struct conn {
	sqlite3 *handle;
	struct cached_stmt *buckets[STMT_BUCKETS];
	struct cached_stmt **used; /* handed out during this request */
	size_t n_used, cap_used;
	struct conn *next; /* all the connections of the db */
};

struct db {
	char *path;
	pthread_key_t key; /* the calling thread's struct conn */
	pthread_mutex_t conns_mutex;
	struct conn *conns;
	/* Writers wait for the readers to finish and block new ones, so a
	 * stream of GETs cannot starve a POST. */
	pthread_rwlock_t rwlock;
};

/* The default for creation times: Unix seconds, as every time column. */
#define NOW "(CAST(strftime('%s', 'now') AS INTEGER))"

/* The SET list that counts the live posts of topic id again. */
#define TOPIC_RECOUNT(id)                                                      \
	"posts_count = (SELECT COUNT(*) FROM posts p WHERE p.topic_id = " id   \
	" AND p.deleted_at IS NULL), highest_post_number = (SELECT"            \
	" COALESCE(MAX(p.post_number), 0) FROM posts p WHERE p.topic_id = " id \
	" AND p.deleted_at IS NULL), last_post_user_id = (SELECT p.user_id"    \
	" FROM posts p WHERE p.topic_id = " id " AND p.deleted_at IS NULL"     \
	" ORDER BY p.post_number DESC LIMIT 1)"

/*
 * Schema versions, applied in order; PRAGMA user_version counts how many
 * ran. Add a new entry to change the schema: never edit a shipped one, a
 * second start on an old database must keep its data.
 */
static const char *const migrations[] = {
    /* 1: the schema described in ambtd.h */
    "CREATE TABLE users ("
    " id INTEGER PRIMARY KEY,"
    " username TEXT NOT NULL UNIQUE COLLATE NOCASE,"
    " name TEXT, title TEXT, bio_raw TEXT, bio_cooked TEXT,"
    " location TEXT, website TEXT, organisation TEXT,"
    " trust_level INTEGER NOT NULL DEFAULT 1,"
    " admin INTEGER NOT NULL DEFAULT 0,"
    " moderator INTEGER NOT NULL DEFAULT 0,"
    " created_at INTEGER NOT NULL DEFAULT " NOW ","
    " last_seen_at INTEGER, last_posted_at INTEGER,"
    " profile_view_count INTEGER NOT NULL DEFAULT 0,"
    " password_hash TEXT);"
    "CREATE TABLE groups ("
    " id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);"
    "CREATE TABLE group_users ("
    " group_id INTEGER NOT NULL REFERENCES groups(id) ON DELETE CASCADE,"
    " user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
    " PRIMARY KEY(group_id, user_id));"
    "CREATE INDEX group_users_user ON group_users(user_id);"
    "CREATE TABLE categories ("
    " id INTEGER PRIMARY KEY, name TEXT NOT NULL,"
    " slug TEXT NOT NULL UNIQUE,"
    " color TEXT NOT NULL DEFAULT '0088CC',"
    " text_color TEXT NOT NULL DEFAULT 'FFFFFF',"
    " description TEXT,"
    " parent_id INTEGER REFERENCES categories(id),"
    " position INTEGER NOT NULL DEFAULT 0,"
    " read_group_id INTEGER REFERENCES groups(id));"
    "CREATE TABLE topics ("
    " id INTEGER PRIMARY KEY, title TEXT NOT NULL, slug TEXT NOT NULL,"
    " category_id INTEGER REFERENCES categories(id),"
    " user_id INTEGER NOT NULL REFERENCES users(id),"
    " archetype TEXT NOT NULL DEFAULT 'regular',"
    " created_at INTEGER NOT NULL DEFAULT " NOW ","
    " bumped_at INTEGER NOT NULL DEFAULT " NOW ","
    " last_posted_at INTEGER,"
    " views INTEGER NOT NULL DEFAULT 0,"
    " closed INTEGER NOT NULL DEFAULT 0,"
    " archived INTEGER NOT NULL DEFAULT 0,"
    " pinned INTEGER NOT NULL DEFAULT 0,"
    " visible INTEGER NOT NULL DEFAULT 1,"
    " like_count INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX topics_bumped ON topics(bumped_at);"
    "CREATE INDEX topics_category ON topics(category_id, bumped_at);"
    "CREATE TABLE tags (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);"
    "CREATE TABLE topic_tags ("
    " topic_id INTEGER NOT NULL REFERENCES topics(id) ON DELETE CASCADE,"
    " tag_id INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,"
    " PRIMARY KEY(topic_id, tag_id));"
    "CREATE INDEX topic_tags_tag ON topic_tags(tag_id);"
    "CREATE TABLE posts ("
    " id INTEGER PRIMARY KEY,"
    " topic_id INTEGER NOT NULL REFERENCES topics(id) ON DELETE CASCADE,"
    " post_number INTEGER NOT NULL,"
    " user_id INTEGER NOT NULL REFERENCES users(id),"
    " raw TEXT NOT NULL DEFAULT '', cooked TEXT NOT NULL DEFAULT '',"
    " post_type INTEGER NOT NULL DEFAULT 1,"
    " action_code TEXT,"
    " reply_to_post_number INTEGER,"
    " created_at INTEGER NOT NULL DEFAULT " NOW ","
    " updated_at INTEGER NOT NULL DEFAULT " NOW ","
    " version INTEGER NOT NULL DEFAULT 1,"
    " reads INTEGER NOT NULL DEFAULT 0,"
    " deleted_at INTEGER,"
    " UNIQUE(topic_id, post_number));"
    "CREATE INDEX posts_user ON posts(user_id, created_at);"
    "CREATE TABLE post_actions ("
    " id INTEGER PRIMARY KEY,"
    " post_id INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,"
    " user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
    " post_action_type_id INTEGER NOT NULL,"
    " created_at INTEGER NOT NULL DEFAULT " NOW ","
    " UNIQUE(post_id, user_id, post_action_type_id));"
    "CREATE INDEX post_actions_post ON post_actions(post_id);"
    "CREATE INDEX post_actions_user ON post_actions(user_id);"
    "CREATE TABLE topic_users ("
    " topic_id INTEGER NOT NULL REFERENCES topics(id) ON DELETE CASCADE,"
    " user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
    " last_read_post_number INTEGER,"
    " notification_level INTEGER NOT NULL DEFAULT 1,"
    " bookmarked INTEGER NOT NULL DEFAULT 0,"
    " posted INTEGER NOT NULL DEFAULT 0,"
    " total_msecs_viewed INTEGER NOT NULL DEFAULT 0,"
    " PRIMARY KEY(topic_id, user_id));"
    "CREATE INDEX topic_users_user ON topic_users(user_id);"
    "CREATE TABLE notifications ("
    " id INTEGER PRIMARY KEY,"
    " user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
    " notification_type INTEGER NOT NULL,"
    " topic_id INTEGER REFERENCES topics(id) ON DELETE CASCADE,"
    " post_number INTEGER,"
    " data TEXT NOT NULL DEFAULT '{}',"
    " read INTEGER NOT NULL DEFAULT 0,"
    " high_priority INTEGER NOT NULL DEFAULT 0,"
    " created_at INTEGER NOT NULL DEFAULT " NOW ");"
    "CREATE INDEX notifications_user ON notifications(user_id, id);"
    "CREATE TABLE drafts ("
    " user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
    " draft_key TEXT NOT NULL, data TEXT NOT NULL,"
    " sequence INTEGER NOT NULL DEFAULT 0,"
    " updated_at INTEGER NOT NULL DEFAULT " NOW ","
    " PRIMARY KEY(user_id, draft_key));"
    "CREATE TABLE events ("
    " id INTEGER PRIMARY KEY REFERENCES posts(id) ON DELETE CASCADE,"
    " name TEXT, starts_at INTEGER NOT NULL, ends_at INTEGER,"
    " timezone TEXT, status TEXT NOT NULL DEFAULT 'public',"
    " location TEXT, url TEXT, description TEXT);"
    "CREATE INDEX events_starts ON events(starts_at);"
    "CREATE TABLE invitees ("
    " id INTEGER PRIMARY KEY,"
    " event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,"
    " user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
    " status TEXT,"
    " UNIQUE(event_id, user_id));"
    "CREATE TABLE badges ("
    " id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, description TEXT);"
    "CREATE TABLE user_badges ("
    " user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
    " badge_id INTEGER NOT NULL REFERENCES badges(id) ON DELETE CASCADE,"
    " granted_at INTEGER NOT NULL DEFAULT " NOW ","
    " PRIMARY KEY(user_id, badge_id));",
    /* 2: the live posts of a topic, index-only (deleted_at too, or
     * SQLite reads the row to check it): counts, the highest post number,
     * participants and the stream without reading the posts' text (4x
     * faster topic lists with a 20,000-post topic). */
    "CREATE INDEX posts_topic_live ON posts(topic_id, post_number,"
    " user_id, created_at, deleted_at) WHERE deleted_at IS NULL;"
    /* and a post's replies (reply_count), without a scan of the topic */
    "CREATE INDEX posts_replies ON posts(topic_id, reply_to_post_number,"
    " deleted_at) WHERE deleted_at IS NULL;",
    /* 3: a topic's live post count, highest post number and last poster,
     * kept by triggers in the transaction that writes the post, so a
     * topic list does not count the posts of each topic (a 20,000-post
     * topic made /latest.json ten times slower). A new post adds to
     * them; anything else recounts its topic. */
    "ALTER TABLE topics ADD COLUMN posts_count INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE topics ADD COLUMN highest_post_number INTEGER NOT NULL"
    " DEFAULT 0;"
    "ALTER TABLE topics ADD COLUMN last_post_user_id INTEGER;"
    "UPDATE topics SET " TOPIC_RECOUNT(
        "topics.id") ";"
                     "CREATE TRIGGER posts_counted AFTER INSERT ON posts"
                     " WHEN NEW.deleted_at IS NULL BEGIN"
                     " UPDATE topics SET posts_count = posts_count + 1,"
                     " last_post_user_id = CASE WHEN NEW.post_number > "
                     "highest_post_number"
                     " THEN NEW.user_id ELSE last_post_user_id END,"
                     " highest_post_number = MAX(highest_post_number, "
                     "NEW.post_number)"
                     " WHERE id = NEW.topic_id; END;"
                     "CREATE TRIGGER posts_recounted AFTER UPDATE OF topic_id, "
                     "post_number,"
                     " user_id, deleted_at ON posts BEGIN"
                     " UPDATE topics SET " TOPIC_RECOUNT(
                         "topics.id") " WHERE id IN (OLD.topic_id, "
                                      "NEW.topic_id); END;"
                                      "CREATE TRIGGER posts_uncounted AFTER "
                                      "DELETE ON posts BEGIN"
                                      " UPDATE topics SET " TOPIC_RECOUNT(
                                          "topics.id") " WHERE id = "
                                                       "OLD.topic_id; END;",
    /* 4: accounts. A member's TOTP secret (base32) as Discourse's
     * user_second_factors keeps it (method 1 = TOTP); browser sessions
     * and User API keys by the SHA-256 of their secret; each key's
     * requests of the last day, for its limits; device-flow requests
     * until they are collected. IF NOT EXISTS: a database rolled back
     * to an older user_version (ambtd_core.py's downgrade) may have them. */
    "CREATE TABLE IF NOT EXISTS user_second_factors ("
    " user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
    " method INTEGER NOT NULL DEFAULT 1, data TEXT NOT NULL,"
    " PRIMARY KEY(user_id, method));"
    "CREATE TABLE IF NOT EXISTS sessions ("
    " token_hash TEXT PRIMARY KEY, csrf TEXT NOT NULL,"
    " user_id INTEGER REFERENCES users(id) ON DELETE CASCADE,"
    " created_at INTEGER NOT NULL);"
    "CREATE TABLE IF NOT EXISTS user_api_keys ("
    " id INTEGER PRIMARY KEY,"
    " user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
    " client_id TEXT NOT NULL, application_name TEXT,"
    " key_hash TEXT NOT NULL UNIQUE, scopes TEXT NOT NULL,"
    " created_at INTEGER NOT NULL, revoked_at INTEGER);"
    "CREATE TABLE IF NOT EXISTS user_api_key_hits ("
    " key_id INTEGER NOT NULL REFERENCES user_api_keys(id)"
    " ON DELETE CASCADE, at INTEGER NOT NULL);"
    "CREATE INDEX IF NOT EXISTS user_api_key_hits_key"
    " ON user_api_key_hits(key_id, at);"
    "CREATE TABLE IF NOT EXISTS device_requests ("
    " device_code TEXT PRIMARY KEY, user_code TEXT NOT NULL UNIQUE,"
    " client_id TEXT NOT NULL, application_name TEXT NOT NULL,"
    " scopes TEXT NOT NULL, public_key TEXT, nonce TEXT, padding TEXT,"
    " expires_at INTEGER NOT NULL,"
    " status TEXT NOT NULL DEFAULT 'authorization_pending',"
    " answer TEXT);",
    /* 5: a member's notification level of a category (muted 0 ...
     * watching 3, watching_first_post 4), as Discourse's category_users */
    "CREATE TABLE IF NOT EXISTS category_users ("
    " category_id INTEGER NOT NULL REFERENCES categories(id)"
    " ON DELETE CASCADE,"
    " user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
    " notification_level INTEGER NOT NULL,"
    " PRIMARY KEY(category_id, user_id));",
    /* 6: the message a flag gives the moderators (PostActionCreator's
     * message), for the review queue. IF NOT EXISTS: ambtd made it on
     * first use before it was a migration. */
    "CREATE TABLE IF NOT EXISTS post_action_messages ("
    " post_action_id INTEGER PRIMARY KEY"
    " REFERENCES post_actions(id) ON DELETE CASCADE,"
    " message TEXT NOT NULL);",
    /* 7: who takes part in a private message, as Discourse's
     * topic_allowed_users: its author and the recipients (IF NOT
     * EXISTS, for ambtd_core.py's downgrade) */
    "CREATE TABLE IF NOT EXISTS topic_allowed_users ("
    " topic_id INTEGER NOT NULL REFERENCES topics(id) ON DELETE CASCADE,"
    " user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
    " PRIMARY KEY(topic_id, user_id));",
};

#define N_MIGRATIONS (sizeof(migrations) / sizeof(migrations[0]))

static void
log_sql_error(sqlite3 *handle, const char *what, const char *sql)
{
	fprintf(stderr, "ambtd: %s: %s (%.80s)\n", what, sqlite3_errmsg(handle),
	        sql ? sql : "");
}

static int
user_version(sqlite3 *handle)
{
	sqlite3_stmt *stmt;
	int version = -1;

	if (sqlite3_prepare_v2(handle, "PRAGMA user_version", -1, &stmt,
	                       NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(stmt) == SQLITE_ROW)
		version = sqlite3_column_int(stmt, 0);
	sqlite3_finalize(stmt);
	return version;
}

/* Apply the migrations the database has not seen, each in a transaction
 * with its version bump, so a crash leaves a consistent version. */
static int
migrate(sqlite3 *handle, char **errmsg)
{
	int version = user_version(handle);
	char sql[64];

	if (version < 0 || (size_t)version > N_MIGRATIONS) {
		*errmsg = strdup("unknown database schema version");
		return -1;
	}
	for (size_t i = (size_t)version; i < N_MIGRATIONS; i++) {
		char *err = NULL;

		snprintf(sql, sizeof sql, "PRAGMA user_version = %zu", i + 1);
		if (sqlite3_exec(handle, "BEGIN IMMEDIATE", NULL, NULL, &err) ||
		    sqlite3_exec(handle, migrations[i], NULL, NULL, &err) ||
		    sqlite3_exec(handle, sql, NULL, NULL, &err) ||
		    sqlite3_exec(handle, "COMMIT", NULL, NULL, &err)) {
			sqlite3_exec(handle, "ROLLBACK", NULL, NULL, NULL);
			*errmsg = strdup(err ? err : "migration failed");
			sqlite3_free(err);
			return -1;
		}
	}
	return 0;
}

/* WAL with synchronous=FULL: a post that got its 200 survives a SIGKILL or
 * a power cut. */
static const char pragmas[] = "PRAGMA journal_mode = WAL;"
                              "PRAGMA synchronous = FULL;"
                              "PRAGMA foreign_keys = ON;"
                              "PRAGMA busy_timeout = 5000;";

static void
conn_free(struct conn *c)
{
	for (size_t i = 0; i < STMT_BUCKETS; i++) {
		struct cached_stmt *cs = c->buckets[i], *next;

		for (; cs; cs = next) {
			next = cs->next;
			sqlite3_finalize(cs->stmt);
			free(cs->sql);
			free(cs);
		}
	}
	free(c->used);
	sqlite3_close(c->handle);
	free(c);
}

/* A new connection with the pragmas set; NULL and *errmsg on failure. */
static struct conn *
conn_open(const char *path, char **errmsg)
{
	struct conn *c = calloc(1, sizeof *c);
	char *err = NULL;

	if (!c) {
		*errmsg = strdup("out of memory");
		return NULL;
	}
	if (sqlite3_open_v2(path, &c->handle,
	                    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
	                        SQLITE_OPEN_NOMUTEX,
	                    NULL) != SQLITE_OK) {
		*errmsg = strdup(c->handle ? sqlite3_errmsg(c->handle)
		                           : "cannot open the database");
		conn_free(c);
		return NULL;
	}
	if (sqlite3_exec(c->handle, pragmas, NULL, NULL, &err) != SQLITE_OK) {
		*errmsg = strdup(err ? err : "cannot set up the database");
		sqlite3_free(err);
		conn_free(c);
		return NULL;
	}
	return c;
}

static void
conn_register(struct db *db, struct conn *c)
{
	pthread_mutex_lock(&db->conns_mutex);
	c->next = db->conns;
	db->conns = c;
	pthread_mutex_unlock(&db->conns_mutex);
	pthread_setspecific(db->key, c);
}

/* The calling thread's connection, opened on first use. The database
 * opened once already, so failing now means the machine is out of memory
 * or file descriptors: nothing a request could answer. */
static struct conn *
conn_get(struct db *db)
{
	struct conn *c = pthread_getspecific(db->key);
	char *err = NULL;

	if (c)
		return c;
	c = conn_open(db->path, &err);
	if (!c) {
		fprintf(stderr, "ambtd: %s: %s\n", db->path, err);
		abort();
	}
	conn_register(db, c);
	return c;
}

static int
db_init_locks(struct db *db)
{
	pthread_rwlockattr_t attr;

	if (pthread_key_create(&db->key, NULL) != 0)
		return -1;
	pthread_mutex_init(&db->conns_mutex, NULL);
	pthread_rwlockattr_init(&attr);
	pthread_rwlockattr_setkind_np(
	    &attr, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
	pthread_rwlock_init(&db->rwlock, &attr);
	pthread_rwlockattr_destroy(&attr);
	return 0;
}

struct db *
db_open(const char *path, char **errmsg)
{
	struct db *db = calloc(1, sizeof *db);
	struct conn *c;

	*errmsg = NULL;
	/* No allocation statistics: they take a global mutex on every
	 * SQLite malloc, which the parallel readers would fight over. Only
	 * possible before SQLite initializes, so a later db_open is left
	 * as it is. */
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	if (!db || !(db->path = strdup(path)) || db_init_locks(db) < 0) {
		if (db)
			free(db->path);
		free(db);
		*errmsg = strdup("out of memory");
		return NULL;
	}
	c = conn_open(path, errmsg);
	if (c)
		conn_register(db, c);
	if (!c || migrate(c->handle, errmsg) < 0) {
		db_close(db);
		return NULL;
	}
	return db;
}

/* After the server stopped: no thread uses a connection any more. */
void
db_close(struct db *db)
{
	struct conn *c, *next;

	if (!db)
		return;
	for (c = db->conns; c; c = next) {
		next = c->next;
		conn_free(c);
	}
	pthread_key_delete(db->key);
	pthread_rwlock_destroy(&db->rwlock);
	pthread_mutex_destroy(&db->conns_mutex);
	free(db->path);
	free(db);
}

sqlite3 *
db_handle(struct db *db)
{
	return conn_get(db)->handle;
}

void
db_lock(struct db *db)
{
	pthread_rwlock_wrlock(&db->rwlock);
}

void
db_lock_shared(struct db *db)
{
	pthread_rwlock_rdlock(&db->rwlock);
}

/* Reset what the request used and roll back a transaction a handler left
 * open, so the next request starts clean. */
void
db_unlock(struct db *db)
{
	struct conn *c = conn_get(db);

	for (size_t i = 0; i < c->n_used; i++) {
		sqlite3_reset(c->used[i]->stmt);
		c->used[i]->in_use = false;
	}
	c->n_used = 0;
	if (!sqlite3_get_autocommit(c->handle)) {
		fprintf(stderr, "ambtd: a transaction was left open; "
		                "rolled back\n");
		sqlite3_exec(c->handle, "ROLLBACK", NULL, NULL, NULL);
	}
	pthread_rwlock_unlock(&db->rwlock);
}

static unsigned
hash_sql(const char *sql)
{
	unsigned h = 2166136261u; /* FNV-1a */

	for (; *sql; sql++)
		h = (h ^ (unsigned char)*sql) * 16777619u;
	return h % STMT_BUCKETS;
}

static void
mark_used(struct conn *c, struct cached_stmt *cs)
{
	if (cs->in_use)
		return;
	if (c->n_used == c->cap_used) {
		size_t cap = c->cap_used ? c->cap_used * 2 : 16;
		struct cached_stmt **used =
		    realloc(c->used, cap * sizeof *used);

		if (!used)
			return; /* it is still reset on its next use */
		c->used = used;
		c->cap_used = cap;
	}
	c->used[c->n_used++] = cs;
	cs->in_use = true;
}

static struct cached_stmt *
prepare_cached(struct conn *c, const char *sql, unsigned bucket)
{
	struct cached_stmt *cs = calloc(1, sizeof *cs);

	if (!cs)
		return NULL;
	if (sqlite3_prepare_v3(c->handle, sql, -1, SQLITE_PREPARE_PERSISTENT,
	                       &cs->stmt, NULL) != SQLITE_OK) {
		log_sql_error(c->handle, "prepare", sql);
		sqlite3_finalize(cs->stmt);
		free(cs);
		return NULL;
	}
	cs->sql = strdup(sql);
	if (!cs->sql) {
		sqlite3_finalize(cs->stmt);
		free(cs);
		return NULL;
	}
	cs->next = c->buckets[bucket];
	c->buckets[bucket] = cs;
	return cs;
}

sqlite3_stmt *
db_stmt(struct db *db, const char *sql)
{
	struct conn *c = conn_get(db);
	unsigned bucket = hash_sql(sql);
	struct cached_stmt *cs;

	for (cs = c->buckets[bucket]; cs; cs = cs->next)
		if (strcmp(cs->sql, sql) == 0)
			break;
	if (!cs)
		cs = prepare_cached(c, sql, bucket);
	if (!cs)
		return NULL;
	sqlite3_reset(cs->stmt);
	sqlite3_clear_bindings(cs->stmt);
	mark_used(c, cs);
	return cs->stmt;
}

int
db_exec(struct db *db, const char *sql)
{
	sqlite3 *h = db_handle(db);

	if (sqlite3_exec(h, sql, NULL, NULL, NULL) != SQLITE_OK) {
		log_sql_error(h, "exec", sql);
		return -1;
	}
	return 0;
}

int
db_begin(struct db *db)
{
	return db_exec(db, "BEGIN IMMEDIATE");
}

int
db_commit(struct db *db)
{
	return db_exec(db, "COMMIT");
}

void
db_rollback(struct db *db)
{
	sqlite3 *h = db_handle(db);

	if (!sqlite3_get_autocommit(h))
		sqlite3_exec(h, "ROLLBACK", NULL, NULL, NULL);
}

int64_t
db_now(void)
{
	return (int64_t)time(NULL);
}
