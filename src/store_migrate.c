/*
 * store_migrate.c: the schemas of the cache and the state, as ordered
 * migrations. Migration i takes a database from user_version i to i + 1;
 * a released migration is never edited, only followed by a new one.
 */
#include <config.h>

#include <stdio.h>

#include "ambt/util.h"
#include "store_int.h"

/* PRAGMA application_id marks our files: "ambc" and "ambs". */
#define CACHE_APP_ID 0x616d6263
#define STATE_APP_ID 0x616d6273

static const char *const cache_migrations[] = {
    /* 1: response bodies by server and path. */
    "CREATE TABLE cache ("
    " server TEXT NOT NULL,"
    " path TEXT NOT NULL,"
    " body BLOB NOT NULL,"
    " fetched_at INTEGER NOT NULL,"
    " PRIMARY KEY (server, path));",
    /* 2: ETags, for conditional requests. */
    "ALTER TABLE cache ADD COLUMN etag TEXT;",
};

static const char *const state_migrations[] = {
    /* 1: read positions and drafts. */
    "CREATE TABLE read_positions ("
    " server TEXT NOT NULL,"
    " topic_id INTEGER NOT NULL,"
    " post_number INTEGER NOT NULL,"
    " updated_at INTEGER NOT NULL,"
    " PRIMARY KEY (server, topic_id));"
    "CREATE TABLE drafts ("
    " server TEXT NOT NULL,"
    " key TEXT NOT NULL,"
    " text TEXT NOT NULL,"
    " reply_to_post_number INTEGER NOT NULL DEFAULT 0,"
    " saved_at INTEGER NOT NULL,"
    " PRIMARY KEY (server, key));",
    /* 2: titles of new-topic drafts, and the ids already notified. */
    "ALTER TABLE drafts ADD COLUMN title TEXT;"
    "CREATE TABLE seen ("
    " server TEXT NOT NULL,"
    " kind TEXT NOT NULL,"
    " id INTEGER NOT NULL,"
    " seen_at INTEGER NOT NULL,"
    " PRIMARY KEY (server, kind, id));",
    /* 3: a new topic's category and the server's draft sequence (a reply
     * begun in the browser is finished here with the sequence the server
     * expects), and the watcher's own state (message bus positions, the
     * newest post seen, the request budget), as names and values. */
    "ALTER TABLE drafts ADD COLUMN category_id INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE drafts ADD COLUMN sequence INTEGER NOT NULL DEFAULT 0;"
    "CREATE TABLE watch_state ("
    " server TEXT NOT NULL,"
    " name TEXT NOT NULL,"
    " value TEXT NOT NULL,"
    " updated_at INTEGER NOT NULL,"
    " PRIMARY KEY (server, name));",
};

static const char *const *
migrations(enum store_kind kind, size_t *n)
{
	if (kind == STORE_CACHE) {
		*n = AMBT_ARRAY_LEN(cache_migrations);
		return cache_migrations;
	}
	*n = AMBT_ARRAY_LEN(state_migrations);
	return state_migrations;
}

int
store_latest_version(enum store_kind kind)
{
	size_t n;

	migrations(kind, &n);
	return (int)n;
}

static const char *
kind_name(enum store_kind kind)
{
	return kind == STORE_CACHE ? "cache" : "state";
}

static int
read_int_pragma(struct store *st, const char *sql, int *out,
                struct ambt_error *err)
{
	sqlite3_stmt *stmt;
	int rc;

	if (sqlite3_prepare_v2(st->db, sql, -1, &stmt, NULL) != SQLITE_OK)
		return store_fail(st, err);
	rc = sqlite3_step(stmt);
	if (rc != SQLITE_ROW) {
		sqlite3_finalize(stmt);
		return store_fail(st, err);
	}
	*out = sqlite3_column_int(stmt, 0);
	sqlite3_finalize(stmt);
	return 0;
}

int
store_read_version(struct store *st, int *version, struct ambt_error *err)
{
	return read_int_pragma(st, "PRAGMA user_version", version, err);
}

int
store_check_file(struct store *st, struct ambt_error *err)
{
	int want = st->kind == STORE_CACHE ? CACHE_APP_ID : STATE_APP_ID;
	int app_id, version, latest = store_latest_version(st->kind);

	if (read_int_pragma(st, "PRAGMA application_id", &app_id, err) != 0 ||
	    store_read_version(st, &version, err) != 0)
		return -1;
	if (app_id != 0 && app_id != want)
		return ambt_error_set(err, AMBT_E_IO,
		                      "%s: not an ambt %s database", st->path,
		                      kind_name(st->kind));
	if (version < 0)
		return ambt_error_set(
		    err, AMBT_E_IO,
		    "%s: schema version %d is not one of ambt's", st->path,
		    version);
	if (version > latest)
		return ambt_error_set(
		    err, AMBT_E_IO,
		    "%s: schema version %d is newer than this ambt knows (%d); "
		    "use a newer ambt or another file",
		    st->path, version, latest);
	return 0;
}

/* Run migration number `from` unless another process got there first. */
static int
migrate_one(struct store *st, int from, const char *sql, struct ambt_error *err)
{
	char set_version[96];
	int version;

	if (sqlite3_exec(st->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) !=
	    SQLITE_OK)
		return store_fail(st, err);
	if (store_read_version(st, &version, err) != 0)
		goto fail;
	if (version == from) {
		/* PRAGMA takes no bound parameters; the number is ours. */
		snprintf(set_version, sizeof set_version,
		         "PRAGMA user_version = %d; PRAGMA application_id = %d",
		         from + 1,
		         st->kind == STORE_CACHE ? CACHE_APP_ID : STATE_APP_ID);
		if (sqlite3_exec(st->db, sql, NULL, NULL, NULL) != SQLITE_OK ||
		    sqlite3_exec(st->db, set_version, NULL, NULL, NULL) !=
		        SQLITE_OK) {
			store_fail(st, err);
			goto fail;
		}
	}
	if (sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		store_fail(st, err);
		goto fail;
	}
	return 0;
fail:
	sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

int
store_migrate(struct store *st, struct ambt_error *err)
{
	const char *const *sql;
	size_t n;
	int version;

	sql = migrations(st->kind, &n);
	if (store_read_version(st, &version, err) != 0)
		return -1;
	for (; (size_t)version < n; version++) {
		if (migrate_one(st, version, sql[version], err) != 0)
			return -1;
	}
	return 0;
}
