/*
 * store.c: opening the cache and state databases, and what is kept in
 * them. Every value reaches SQL through a bound parameter. The state runs
 * with synchronous=FULL, so a write that returned survives a crash or a
 * power cut; the cache, which may be lost, with NORMAL.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ambt/i18n.h"
#include "ambt/util.h"
#include "store_int.h"

/* How long to wait for another ambt (the TUI, `ambt watch`) to finish. */
#define BUSY_TIMEOUT_MS 5000

int
store_fail(struct store *st, struct ambt_error *err)
{
	int code = sqlite3_errcode(st->db) & 0xff;
	/* Losing the cache costs nothing but a refetch; say so. */
	const char *hint =
	    st->kind == STORE_CACHE ? "; it is only a cache: delete it" : "";

	if (code == SQLITE_NOTADB)
		return ambt_error_set(err, AMBT_E_IO,
		                      "%s: not an SQLite database%s", st->path,
		                      hint);
	if (code == SQLITE_CORRUPT)
		return ambt_error_set(err, AMBT_E_IO,
		                      "%s: the database is corrupt (%s)%s",
		                      st->path, sqlite3_errmsg(st->db), hint);
	return ambt_error_set(err, AMBT_E_IO, "%s: %s", st->path,
	                      sqlite3_errmsg(st->db));
}

/* Create a missing file with mode 0600 before SQLite does (it would use
 * 0644); SQLite gives the -wal and -shm files the same mode. */
static int
create_private(const char *path, struct ambt_error *err)
{
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);

	if (fd < 0)
		return ambt_error_set(err, AMBT_E_IO, _("cannot open %s: %s"),
		                      path, strerror(errno));
	close(fd);
	return 0;
}

static int
configure(struct store *st, struct ambt_error *err)
{
	const char *sql = st->kind == STORE_STATE
	                      ? "PRAGMA journal_mode = WAL;"
	                        "PRAGMA synchronous = FULL;"
	                        "PRAGMA foreign_keys = ON;"
	                      : "PRAGMA journal_mode = WAL;"
	                        "PRAGMA synchronous = NORMAL;"
	                        "PRAGMA foreign_keys = ON;";

	sqlite3_busy_timeout(st->db, BUSY_TIMEOUT_MS);
	if (sqlite3_exec(st->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return store_fail(st, err);
	return 0;
}

/* Parse the whole schema once, so a damaged file is found at open. */
static int
check_schema(struct store *st, struct ambt_error *err)
{
	if (sqlite3_exec(st->db, "SELECT count(*) FROM sqlite_master", NULL,
	                 NULL, NULL) != SQLITE_OK)
		return store_fail(st, err);
	return 0;
}

struct store *
store_open(const char *path, enum store_kind kind, struct ambt_error *err)
{
	struct store *st;

	if (create_private(path, err) != 0)
		return NULL;
	st = xcalloc(1, sizeof *st);
	st->kind = kind;
	st->path = xstrdup(path);
	if (sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READWRITE, NULL) !=
	    SQLITE_OK) {
		store_fail(st, err);
		store_close(st);
		return NULL;
	}
	sqlite3_extended_result_codes(st->db, 1);
	if (store_check_file(st, err) != 0 || configure(st, err) != 0 ||
	    store_migrate(st, err) != 0 || check_schema(st, err) != 0) {
		store_close(st);
		return NULL;
	}
	return st;
}

struct store *
store_open_default(enum store_kind kind, struct ambt_error *err)
{
	char *dir = kind == STORE_CACHE ? xdg_cache_dir() : xdg_state_dir();
	char *path = NULL;
	struct store *st = NULL;

	if (mkdir_p(dir, err) == 0) {
		path = xasprintf("%s/%s", dir,
		                 kind == STORE_CACHE ? "cache.sqlite3"
		                                     : "state.sqlite3");
		st = store_open(path, kind, err);
	}
	free(path);
	free(dir);
	return st;
}

void
store_close(struct store *st)
{
	if (st == NULL)
		return;
	sqlite3_close(st->db);
	free(st->path);
	free(st);
}

int
store_schema_version(struct store *st)
{
	int version;

	if (store_read_version(st, &version, NULL) != 0)
		return -1;
	return version;
}

static sqlite3_stmt *
prepare(struct store *st, const char *sql, struct ambt_error *err)
{
	sqlite3_stmt *stmt = NULL;

	if (sqlite3_prepare_v2(st->db, sql, -1, &stmt, NULL) != SQLITE_OK) {
		store_fail(st, err);
		sqlite3_finalize(stmt);
		return NULL;
	}
	return stmt;
}

/* Run a statement that returns no rows, then finalize it. */
static int
run(struct store *st, sqlite3_stmt *stmt, struct ambt_error *err)
{
	int rc = sqlite3_step(stmt);

	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE)
		return store_fail(st, err);
	return 0;
}

/* Step a lookup: 1 with a row to read, 0 when there is none (and the
 * statement is finalized), -1 on error (finalized too). */
static int
lookup(struct store *st, sqlite3_stmt *stmt, struct ambt_error *err)
{
	int rc = sqlite3_step(stmt);

	if (rc == SQLITE_ROW)
		return 1;
	sqlite3_finalize(stmt);
	if (rc == SQLITE_DONE)
		return 0;
	return store_fail(st, err);
}

static void
bind_text(sqlite3_stmt *stmt, int i, const char *s)
{
	if (s == NULL)
		sqlite3_bind_null(stmt, i);
	else
		sqlite3_bind_text(stmt, i, s, -1, SQLITE_STATIC);
}

/* A column as a new NUL-terminated copy of all its bytes (a cached body
 * may hold NULs), or NULL when it is NULL. */
static char *
column_text(sqlite3_stmt *stmt, int i, size_t *len)
{
	const void *p;
	size_t n;
	char *out;

	if (sqlite3_column_type(stmt, i) == SQLITE_NULL)
		return NULL;
	p = sqlite3_column_blob(stmt, i);
	n = (size_t)sqlite3_column_bytes(stmt, i);
	out = xmalloc(n + 1);
	if (n > 0)
		memcpy(out, p, n);
	out[n] = '\0';
	if (len != NULL)
		*len = n;
	return out;
}

void
cache_entry_clear(struct cache_entry *e)
{
	free(e->body);
	free(e->etag);
	memset(e, 0, sizeof *e);
}

int
store_cache_put(struct store *st, const char *server, const char *path,
                const char *body, size_t len, const char *etag,
                struct ambt_error *err)
{
	sqlite3_stmt *stmt =
	    prepare(st,
	            "INSERT OR REPLACE INTO cache (server, path, body, etag, "
	            "fetched_at) VALUES (?1, ?2, ?3, ?4, ?5)",
	            err);

	if (stmt == NULL)
		return -1;
	bind_text(stmt, 1, server);
	bind_text(stmt, 2, path);
	/* A non-NULL pointer keeps an empty body a blob, not NULL. */
	sqlite3_bind_blob64(stmt, 3, len > 0 ? body : "", len, SQLITE_STATIC);
	bind_text(stmt, 4, etag);
	sqlite3_bind_int64(stmt, 5, (sqlite3_int64)time(NULL));
	return run(st, stmt, err);
}

int
store_cache_get(struct store *st, const char *server, const char *path,
                struct cache_entry *out, struct ambt_error *err)
{
	sqlite3_stmt *stmt = prepare(st,
	                             "SELECT body, etag, fetched_at FROM cache "
	                             "WHERE server = ?1 AND path = ?2",
	                             err);
	int found;

	memset(out, 0, sizeof *out);
	if (stmt == NULL)
		return -1;
	bind_text(stmt, 1, server);
	bind_text(stmt, 2, path);
	found = lookup(st, stmt, err);
	if (found != 1)
		return found;
	out->body = column_text(stmt, 0, &out->len);
	out->etag = column_text(stmt, 1, NULL);
	out->fetched_at = sqlite3_column_int64(stmt, 2);
	sqlite3_finalize(stmt);
	return 1;
}

int
store_read_position_set(struct store *st, const char *server, int64_t topic_id,
                        int post_number, struct ambt_error *err)
{
	/* Positions only move forward: reading an old post again must not
	 * make the newer ones unread. */
	sqlite3_stmt *stmt = prepare(
	    st,
	    "INSERT INTO read_positions (server, topic_id, post_number, "
	    "updated_at) VALUES (?1, ?2, ?3, ?4) "
	    "ON CONFLICT (server, topic_id) DO UPDATE SET "
	    "post_number = max(post_number, excluded.post_number), "
	    "updated_at = excluded.updated_at",
	    err);

	if (stmt == NULL)
		return -1;
	bind_text(stmt, 1, server);
	sqlite3_bind_int64(stmt, 2, topic_id);
	sqlite3_bind_int(stmt, 3, post_number);
	sqlite3_bind_int64(stmt, 4, (sqlite3_int64)time(NULL));
	return run(st, stmt, err);
}

int
store_read_position_get(struct store *st, const char *server, int64_t topic_id,
                        int *post_number, struct ambt_error *err)
{
	sqlite3_stmt *stmt = prepare(st,
	                             "SELECT post_number FROM read_positions "
	                             "WHERE server = ?1 AND topic_id = ?2",
	                             err);
	int found;

	if (stmt == NULL)
		return -1;
	bind_text(stmt, 1, server);
	sqlite3_bind_int64(stmt, 2, topic_id);
	found = lookup(st, stmt, err);
	if (found != 1)
		return found;
	*post_number = sqlite3_column_int(stmt, 0);
	sqlite3_finalize(stmt);
	return 1;
}

void
draft_clear(struct draft *d)
{
	free(d->key);
	free(d->text);
	free(d->title);
	memset(d, 0, sizeof *d);
}

static int
draft_put(struct store *st, const char *server, const struct draft *draft,
          int64_t saved_at, struct ambt_error *err)
{
	sqlite3_stmt *stmt;

	if (draft->key == NULL || draft->text == NULL)
		return ambt_error_set(err, AMBT_E_USAGE,
		                      "a draft needs a key and a text");
	stmt = prepare(st,
	               "INSERT OR REPLACE INTO drafts (server, key, text, "
	               "title, reply_to_post_number, saved_at, category_id, "
	               "sequence) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
	               err);
	if (stmt == NULL)
		return -1;
	bind_text(stmt, 1, server);
	bind_text(stmt, 2, draft->key);
	bind_text(stmt, 3, draft->text);
	bind_text(stmt, 4, draft->title);
	sqlite3_bind_int64(stmt, 5, draft->reply_to_post_number);
	sqlite3_bind_int64(stmt, 6, saved_at);
	sqlite3_bind_int64(stmt, 7, draft->category_id);
	sqlite3_bind_int64(stmt, 8, draft->sequence);
	return run(st, stmt, err);
}

int
store_draft_save(struct store *st, const char *server,
                 const struct draft *draft, struct ambt_error *err)
{
	return draft_put(st, server, draft, (int64_t)time(NULL), err);
}

int
store_draft_import(struct store *st, const char *server,
                   const struct draft *draft, struct ambt_error *err)
{
	return draft_put(st, server, draft, draft->saved_at, err);
}

int
store_draft_set_sequence(struct store *st, const char *server, const char *key,
                         int64_t sequence, struct ambt_error *err)
{
	sqlite3_stmt *stmt = prepare(
	    st,
	    "UPDATE drafts SET sequence = ?3 WHERE server = ?1 AND key = ?2",
	    err);

	if (stmt == NULL)
		return -1;
	bind_text(stmt, 1, server);
	bind_text(stmt, 2, key);
	sqlite3_bind_int64(stmt, 3, sequence);
	return run(st, stmt, err);
}

#define DRAFT_COLUMNS                                                          \
	"key, text, title, reply_to_post_number, saved_at, category_id, "      \
	"sequence"

/* A row of DRAFT_COLUMNS. */
static void
draft_from_row(sqlite3_stmt *stmt, struct draft *d)
{
	d->key = column_text(stmt, 0, NULL);
	d->text = column_text(stmt, 1, NULL);
	d->title = column_text(stmt, 2, NULL);
	d->reply_to_post_number = sqlite3_column_int64(stmt, 3);
	d->saved_at = sqlite3_column_int64(stmt, 4);
	d->category_id = sqlite3_column_int64(stmt, 5);
	d->sequence = sqlite3_column_int64(stmt, 6);
}

int
store_draft_list(struct store *st, const char *server, struct draft **out,
                 size_t *n, struct ambt_error *err)
{
	sqlite3_stmt *stmt = prepare(st,
	                             "SELECT " DRAFT_COLUMNS " FROM drafts "
	                             "WHERE server = ?1 "
	                             "ORDER BY saved_at DESC, key",
	                             err);
	size_t cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (stmt == NULL)
		return -1;
	bind_text(stmt, 1, server);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 4;
			*out = xrealloc(*out, cap * sizeof **out);
		}
		draft_from_row(stmt, &(*out)[(*n)++]);
	}
	sqlite3_finalize(stmt);
	if (rc == SQLITE_DONE)
		return 0;
	for (size_t i = 0; i < *n; i++)
		draft_clear(&(*out)[i]);
	free(*out);
	*out = NULL;
	*n = 0;
	return store_fail(st, err);
}

int
store_draft_load(struct store *st, const char *server, const char *key,
                 struct draft *out, struct ambt_error *err)
{
	sqlite3_stmt *stmt = prepare(st,
	                             "SELECT " DRAFT_COLUMNS " FROM drafts "
	                             "WHERE server = ?1 AND key = ?2",
	                             err);
	int found;

	memset(out, 0, sizeof *out);
	if (stmt == NULL)
		return -1;
	bind_text(stmt, 1, server);
	bind_text(stmt, 2, key);
	found = lookup(st, stmt, err);
	if (found != 1)
		return found;
	draft_from_row(stmt, out);
	sqlite3_finalize(stmt);
	return 1;
}

int
store_draft_delete(struct store *st, const char *server, const char *key,
                   struct ambt_error *err)
{
	sqlite3_stmt *stmt = prepare(
	    st, "DELETE FROM drafts WHERE server = ?1 AND key = ?2", err);

	if (stmt == NULL)
		return -1;
	bind_text(stmt, 1, server);
	bind_text(stmt, 2, key);
	return run(st, stmt, err);
}

int
store_seen_add(struct store *st, const char *server, const char *kind,
               int64_t id, struct ambt_error *err)
{
	sqlite3_stmt *stmt =
	    prepare(st,
	            "INSERT OR IGNORE INTO seen (server, kind, id, seen_at) "
	            "VALUES (?1, ?2, ?3, ?4)",
	            err);

	if (stmt == NULL)
		return -1;
	bind_text(stmt, 1, server);
	bind_text(stmt, 2, kind);
	sqlite3_bind_int64(stmt, 3, id);
	sqlite3_bind_int64(stmt, 4, (sqlite3_int64)time(NULL));
	return run(st, stmt, err);
}

int
store_seen_has(struct store *st, const char *server, const char *kind,
               int64_t id, struct ambt_error *err)
{
	sqlite3_stmt *stmt = prepare(st,
	                             "SELECT 1 FROM seen WHERE server = ?1 "
	                             "AND kind = ?2 AND id = ?3",
	                             err);
	int found;

	if (stmt == NULL)
		return -1;
	bind_text(stmt, 1, server);
	bind_text(stmt, 2, kind);
	sqlite3_bind_int64(stmt, 3, id);
	found = lookup(st, stmt, err);
	if (found == 1)
		sqlite3_finalize(stmt);
	return found;
}
