/*
 * store_watch.c: the watcher's named values in the state database's
 * watch_state table (schema 3). Each write commits before it returns, so
 * a watcher stopped at any moment repeats nothing it has already said.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "ambt/store.h"
#include "ambt/util.h"
#include "store_int.h"

static sqlite3_stmt *
prepare(struct store *st, const char *sql, struct ambt_error *err)
{
	sqlite3_stmt *stmt = NULL;

	if (sqlite3_prepare_v2(st->db, sql, -1, &stmt, NULL) != SQLITE_OK) {
		store_fail(st, err);
		return NULL;
	}
	return stmt;
}

int
store_watch_get(struct store *st, const char *server, const char *name,
                char **value, struct ambt_error *err)
{
	sqlite3_stmt *stmt = prepare(
	    st, "SELECT value FROM watch_state WHERE server = ?1 AND name = ?2",
	    err);
	int rc;

	*value = NULL;
	if (stmt == NULL)
		return -1;
	sqlite3_bind_text(stmt, 1, server, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 2, name, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		*value = xstrdup((const char *)sqlite3_column_text(stmt, 0));
	sqlite3_finalize(stmt);
	if (rc == SQLITE_ROW)
		return 1;
	return rc == SQLITE_DONE ? 0 : store_fail(st, err);
}

int
store_watch_set(struct store *st, const char *server, const char *name,
                const char *value, struct ambt_error *err)
{
	sqlite3_stmt *stmt =
	    prepare(st,
	            "INSERT OR REPLACE INTO watch_state "
	            "(server, name, value, updated_at) VALUES (?1, ?2, ?3, ?4)",
	            err);
	int rc;

	if (stmt == NULL)
		return -1;
	sqlite3_bind_text(stmt, 1, server, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 2, name, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 3, value, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(stmt, 4, (sqlite3_int64)time(NULL));
	rc = sqlite3_step(stmt);
	sqlite3_finalize(stmt);
	return rc == SQLITE_DONE ? 0 : store_fail(st, err);
}

int
store_watch_get_int(struct store *st, const char *server, const char *name,
                    int64_t *value, struct ambt_error *err)
{
	char *text = NULL, *end;
	int found = store_watch_get(st, server, name, &text, err);

	*value = 0;
	if (found == 1) {
		long long n = strtoll(text, &end, 10);

		if (end != text && *end == '\0')
			*value = n;
	}
	free(text);
	return found;
}

int
store_watch_set_int(struct store *st, const char *server, const char *name,
                    int64_t value, struct ambt_error *err)
{
	char text[24];

	snprintf(text, sizeof text, "%" PRId64, value);
	return store_watch_set(st, server, name, text, err);
}
