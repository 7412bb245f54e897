/* test_store.c: the cache and state databases, their migrations, and
 * what a killed writer leaves behind. */
#include <config.h>

#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "ambt/store.h"
#include "ambt/util.h"

#define SERVER "https://forum.example.org"
#define OTHER "https://other.example.net"

/* Each test gets its own directory, removed afterwards. */
static int
setup(void **state)
{
	char *dir = xstrdup("/tmp/ambt-test-store-XXXXXX");

	if (mkdtemp(dir) == NULL)
		return -1;
	*state = dir;
	return 0;
}

static int
teardown(void **state)
{
	char *cmd = xasprintf("rm -rf '%s'", (char *)*state);
	int rc = system(cmd);

	free(cmd);
	free(*state);
	return rc == 0 ? 0 : -1;
}

static char *
path_in(void **state, const char *name)
{
	return xasprintf("%s/%s", (char *)*state, name);
}

/* Run SQL on a file directly, as another program (or an old ambt) would. */
static void
raw_exec(const char *path, const char *sql)
{
	sqlite3 *db;
	char *msg = NULL;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg);
	assert_int_equal(sqlite3_close(db), SQLITE_OK);
}

static char *
raw_text(const char *path, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *stmt;
	char *out;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &stmt, NULL),
	                 SQLITE_OK);
	assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
	out = xstrdup((const char *)sqlite3_column_text(stmt, 0));
	sqlite3_finalize(stmt);
	sqlite3_close(db);
	return out;
}

static char *
read_file(const char *path, size_t *len)
{
	struct buf b;
	char chunk[4096];
	size_t n;
	FILE *f = fopen(path, "rb");

	assert_non_null(f);
	buf_init(&b);
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_append(&b, chunk, n);
	fclose(f);
	*len = b.len;
	return buf_steal(&b);
}

static void
assert_mode(const char *path, unsigned mode)
{
	struct stat st;

	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, mode);
}

static void
test_migrate_from_empty(void **state)
{
	struct ambt_error err = {0};
	char *cache = path_in(state, "cache.sqlite3");
	char *stpath = path_in(state, "state.sqlite3");
	char *mode;
	struct store *st;

	umask(022);
	st = store_open(cache, STORE_CACHE, &err);
	assert_non_null(st);
	assert_int_equal(store_schema_version(st), 2);
	assert_int_equal(store_latest_version(STORE_CACHE), 2);
	store_close(st);
	st = store_open(stpath, STORE_STATE, &err);
	assert_non_null(st);
	assert_int_equal(store_schema_version(st), 3);
	assert_int_equal(store_latest_version(STORE_STATE), 3);
	store_close(st);
	/* Private files, in WAL mode. */
	assert_mode(cache, 0600);
	assert_mode(stpath, 0600);
	mode = raw_text(stpath, "PRAGMA journal_mode");
	assert_string_equal(mode, "wal");
	free(mode);
	/* Opening again changes nothing. */
	st = store_open(stpath, STORE_STATE, &err);
	assert_non_null(st);
	assert_int_equal(store_schema_version(st), 3);
	store_close(st);
	free(cache);
	free(stpath);
}

/* The state schema as version 1 shipped it. */
static const char state_v1[] =
    "CREATE TABLE read_positions (server TEXT NOT NULL,"
    " topic_id INTEGER NOT NULL, post_number INTEGER NOT NULL,"
    " updated_at INTEGER NOT NULL, PRIMARY KEY (server, topic_id));"
    "CREATE TABLE drafts (server TEXT NOT NULL, key TEXT NOT NULL,"
    " text TEXT NOT NULL, reply_to_post_number INTEGER NOT NULL DEFAULT 0,"
    " saved_at INTEGER NOT NULL, PRIMARY KEY (server, key));"
    "INSERT INTO read_positions VALUES ('" SERVER "', 42, 7, 1700000000);"
    "INSERT INTO drafts VALUES ('" SERVER "', 'topic_42', 'Beste collega''s',"
    " 3, 1700000001);"
    "PRAGMA user_version = 1;";

static void
test_migrate_state_from_v1(void **state)
{
	struct ambt_error err = {0};
	char *path = path_in(state, "state.sqlite3");
	struct draft d;
	struct draft nt = {
	    .key = "new_topic", .text = "Body", .title = "Open data"};
	struct store *st;
	int pos = 0;

	raw_exec(path, state_v1);
	st = store_open(path, STORE_STATE, &err);
	if (st == NULL)
		fail_msg("%s", err.msg);
	assert_int_equal(store_schema_version(st), 3);
	/* The old data is kept. */
	assert_int_equal(store_read_position_get(st, SERVER, 42, &pos, &err),
	                 1);
	assert_int_equal(pos, 7);
	assert_int_equal(store_draft_load(st, SERVER, "topic_42", &d, &err), 1);
	assert_string_equal(d.text, "Beste collega's");
	assert_null(d.title);
	assert_int_equal(d.reply_to_post_number, 3);
	assert_int_equal(d.saved_at, 1700000001);
	draft_clear(&d);
	/* And what version 2 added works. */
	assert_int_equal(store_draft_save(st, SERVER, &nt, &err), 0);
	assert_int_equal(store_draft_load(st, SERVER, "new_topic", &d, &err),
	                 1);
	assert_string_equal(d.title, "Open data");
	draft_clear(&d);
	assert_int_equal(store_seen_add(st, SERVER, "post", 9, &err), 0);
	assert_int_equal(store_seen_has(st, SERVER, "post", 9, &err), 1);
	store_close(st);
	free(path);
}

static void
test_migrate_cache_from_v1(void **state)
{
	struct ambt_error err = {0};
	char *path = path_in(state, "cache.sqlite3");
	struct cache_entry e;
	struct store *st;

	raw_exec(path, "CREATE TABLE cache (server TEXT NOT NULL,"
	               " path TEXT NOT NULL, body BLOB NOT NULL,"
	               " fetched_at INTEGER NOT NULL,"
	               " PRIMARY KEY (server, path));"
	               "INSERT INTO cache VALUES ('" SERVER "',"
	               " '/latest.json', '{\"topic_list\":{}}', 1700000000);"
	               "PRAGMA user_version = 1;");
	st = store_open(path, STORE_CACHE, &err);
	if (st == NULL)
		fail_msg("%s", err.msg);
	assert_int_equal(store_schema_version(st), 2);
	assert_int_equal(store_cache_get(st, SERVER, "/latest.json", &e, &err),
	                 1);
	assert_string_equal(e.body, "{\"topic_list\":{}}");
	assert_null(e.etag);
	assert_int_equal(e.fetched_at, 1700000000);
	cache_entry_clear(&e);
	store_close(st);
	free(path);
}

static void
test_refuse_newer(void **state)
{
	struct ambt_error err = {0};
	char *path = path_in(state, "state.sqlite3");
	char *wal = path_in(state, "state.sqlite3-wal");
	char *before, *after;
	size_t len_before, len_after;

	raw_exec(path, "CREATE TABLE future (x);"
	               "PRAGMA user_version = 99;");
	before = read_file(path, &len_before);
	assert_null(store_open(path, STORE_STATE, &err));
	assert_int_equal(err.kind, AMBT_E_IO);
	assert_non_null(strstr(err.msg, path));
	assert_non_null(strstr(err.msg, "newer"));
	/* Not a byte written, not even a WAL file. */
	after = read_file(path, &len_after);
	assert_int_equal(len_before, len_after);
	assert_memory_equal(before, after, len_before);
	assert_int_equal(access(wal, F_OK), -1);
	free(before);
	free(after);
	free(wal);
	free(path);
}

/* A negative version is no version of ours: refused, not half-migrated. */
static void
test_refuse_negative_version(void **state)
{
	struct ambt_error err = {0};
	char *path = path_in(state, "cache.sqlite3");

	raw_exec(path, "PRAGMA user_version = -1;");
	assert_null(store_open(path, STORE_CACHE, &err));
	assert_int_equal(err.kind, AMBT_E_IO);
	assert_non_null(strstr(err.msg, "schema version -1"));
	free(path);
}

static void
test_refuse_garbage(void **state)
{
	static const char junk[] = "This is not a database, it is a poem.\n"
	                           "It goes on for a while, line after line, "
	                           "longer than SQLite's header of 100 "
	                           "bytes.\n";
	struct ambt_error err = {0};
	char *path = path_in(state, "cache.sqlite3");
	char *after;
	size_t len;
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	fputs(junk, f);
	fclose(f);
	assert_null(store_open(path, STORE_CACHE, &err));
	assert_int_equal(err.kind, AMBT_E_IO);
	assert_non_null(strstr(err.msg, path));
	assert_non_null(strstr(err.msg, "not an SQLite database"));
	after = read_file(path, &len);
	assert_int_equal(len, strlen(junk));
	assert_memory_equal(after, junk, len);
	free(after);
	free(path);
}

static void
test_refuse_corrupt(void **state)
{
	struct ambt_error err = {0};
	char *path = path_in(state, "state.sqlite3");
	struct store *st = store_open(path, STORE_STATE, &err);
	char junk[512];
	FILE *f;

	assert_non_null(st);
	store_close(st);
	/* Trash the schema table on page 1, past the 100-byte header. */
	memset(junk, 0xA5, sizeof junk);
	f = fopen(path, "r+b");
	assert_non_null(f);
	assert_int_equal(fseek(f, 100, SEEK_SET), 0);
	assert_int_equal(fwrite(junk, 1, sizeof junk, f), sizeof junk);
	fclose(f);
	assert_null(store_open(path, STORE_STATE, &err));
	assert_int_equal(err.kind, AMBT_E_IO);
	assert_non_null(strstr(err.msg, path));
	assert_non_null(strstr(err.msg, "corrupt"));
	free(path);
}

static void
test_refuse_other_kind(void **state)
{
	struct ambt_error err = {0};
	char *path = path_in(state, "state.sqlite3");
	struct store *st = store_open(path, STORE_STATE, &err);

	assert_non_null(st);
	store_close(st);
	assert_null(store_open(path, STORE_CACHE, &err));
	assert_non_null(strstr(err.msg, "not an ambt cache database"));
	free(path);
}

static void
test_unopenable(void **state)
{
	struct ambt_error err = {0};
	char *path = path_in(state, "missing-dir/state.sqlite3");

	assert_null(store_open(path, STORE_STATE, &err));
	assert_int_equal(err.kind, AMBT_E_IO);
	assert_non_null(strstr(err.msg, path));
	free(path);
}

static void
test_cache(void **state)
{
	struct ambt_error err = {0};
	char *path = path_in(state, "cache.sqlite3");
	struct store *st = store_open(path, STORE_CACHE, &err);
	struct cache_entry e;
	static const char bin[] = {'a', '\0', 'b'};

	assert_non_null(st);
	assert_int_equal(store_cache_get(st, SERVER, "/t/1.json", &e, &err), 0);
	assert_null(e.body);
	assert_int_equal(store_cache_put(st, SERVER, "/t/1.json", "{\"id\":1}",
	                                 8, "W/\"abc\"", &err),
	                 0);
	assert_int_equal(store_cache_get(st, SERVER, "/t/1.json", &e, &err), 1);
	assert_int_equal(e.len, 8);
	assert_string_equal(e.body, "{\"id\":1}");
	assert_string_equal(e.etag, "W/\"abc\"");
	assert_true(e.fetched_at > 0);
	cache_entry_clear(&e);
	/* Overwrite, without an ETag this time; bytes are kept exactly. */
	assert_int_equal(
	    store_cache_put(st, SERVER, "/t/1.json", bin, 3, NULL, &err), 0);
	assert_int_equal(store_cache_get(st, SERVER, "/t/1.json", &e, &err), 1);
	assert_int_equal(e.len, 3);
	assert_memory_equal(e.body, bin, 3);
	assert_null(e.etag);
	cache_entry_clear(&e);
	/* An empty body is still a body. */
	assert_int_equal(store_cache_put(st, SERVER, "/e", "", 0, NULL, &err),
	                 0);
	assert_int_equal(store_cache_get(st, SERVER, "/e", &e, &err), 1);
	assert_int_equal(e.len, 0);
	assert_string_equal(e.body, "");
	cache_entry_clear(&e);
	store_close(st);
	free(path);
}

static void
test_drafts(void **state)
{
	struct ambt_error err = {0};
	char *path = path_in(state, "state.sqlite3");
	struct store *st = store_open(path, STORE_STATE, &err);
	struct draft in = {.key = "topic_42",
	                   .text = "Eerste versie",
	                   .reply_to_post_number = 5};
	struct draft out;

	assert_non_null(st);
	assert_int_equal(store_draft_load(st, SERVER, "topic_42", &out, &err),
	                 0);
	assert_int_equal(store_draft_save(st, SERVER, &in, &err), 0);
	assert_int_equal(store_draft_load(st, SERVER, "topic_42", &out, &err),
	                 1);
	assert_string_equal(out.key, "topic_42");
	assert_string_equal(out.text, "Eerste versie");
	assert_null(out.title);
	assert_int_equal(out.reply_to_post_number, 5);
	assert_true(out.saved_at > 0);
	draft_clear(&out);
	in.text = "Tweede versie; DROP TABLE drafts; --'";
	assert_int_equal(store_draft_save(st, SERVER, &in, &err), 0);
	assert_int_equal(store_draft_load(st, SERVER, "topic_42", &out, &err),
	                 1);
	assert_string_equal(out.text, in.text);
	draft_clear(&out);
	assert_int_equal(store_draft_delete(st, SERVER, "topic_42", &err), 0);
	assert_int_equal(store_draft_load(st, SERVER, "topic_42", &out, &err),
	                 0);
	/* Deleting what is not there is fine. */
	assert_int_equal(store_draft_delete(st, SERVER, "topic_42", &err), 0);
	in.text = NULL;
	assert_int_equal(store_draft_save(st, SERVER, &in, &err), -1);
	assert_int_equal(err.kind, AMBT_E_USAGE);
	store_close(st);
	free(path);
}

/* Schema 3's columns, a copy from the server keeping its time, a new
 * sequence leaving the text, and the listing newest first. */
static void
test_draft_sequence_and_list(void **state)
{
	struct ambt_error err = {0};
	char *path = path_in(state, "state.sqlite3");
	struct store *st = store_open(path, STORE_STATE, &err);
	struct draft topic = {.key = "new_topic",
	                      .text = "Een onderwerp",
	                      .title = "Titel",
	                      .category_id = 7,
	                      .sequence = 3};
	struct draft browser = {.key = "topic_9",
	                        .text = "Uit de browser",
	                        .saved_at = 1000,
	                        .sequence = 4};
	struct draft out, *list;
	size_t n;

	assert_non_null(st);
	assert_int_equal(store_draft_save(st, SERVER, &topic, &err), 0);
	assert_int_equal(store_draft_import(st, SERVER, &browser, &err), 0);
	assert_int_equal(store_draft_load(st, SERVER, "new_topic", &out, &err),
	                 1);
	assert_int_equal(out.category_id, 7);
	assert_int_equal(out.sequence, 3);
	draft_clear(&out);
	assert_int_equal(
	    store_draft_set_sequence(st, SERVER, "topic_9", 5, &err), 0);
	assert_int_equal(store_draft_load(st, SERVER, "topic_9", &out, &err),
	                 1);
	assert_int_equal(out.saved_at, 1000);
	assert_int_equal(out.sequence, 5);
	assert_string_equal(out.text, "Uit de browser");
	draft_clear(&out);
	assert_int_equal(store_draft_list(st, SERVER, &list, &n, &err), 0);
	assert_int_equal(n, 2);
	assert_string_equal(list[0].key, "new_topic"); /* saved now */
	assert_string_equal(list[0].title, "Titel");
	assert_string_equal(list[1].key, "topic_9");
	for (size_t i = 0; i < n; i++)
		draft_clear(&list[i]);
	free(list);
	assert_int_equal(store_draft_list(st, "http://elders", &list, &n, &err),
	                 0);
	assert_int_equal(n, 0);
	free(list);
	store_close(st);
	free(path);
}

static void
test_read_positions_and_seen(void **state)
{
	struct ambt_error err = {0};
	char *path = path_in(state, "state.sqlite3");
	struct store *st = store_open(path, STORE_STATE, &err);
	int pos = -1;

	assert_non_null(st);
	assert_int_equal(store_read_position_get(st, SERVER, 42, &pos, &err),
	                 0);
	assert_int_equal(store_read_position_set(st, SERVER, 42, 5, &err), 0);
	/* Reading an older post does not move the position back. */
	assert_int_equal(store_read_position_set(st, SERVER, 42, 3, &err), 0);
	assert_int_equal(store_read_position_get(st, SERVER, 42, &pos, &err),
	                 1);
	assert_int_equal(pos, 5);
	assert_int_equal(store_read_position_set(st, SERVER, 42, 8, &err), 0);
	assert_int_equal(store_read_position_get(st, SERVER, 42, &pos, &err),
	                 1);
	assert_int_equal(pos, 8);

	assert_int_equal(store_seen_has(st, SERVER, "post", 100, &err), 0);
	assert_int_equal(store_seen_add(st, SERVER, "post", 100, &err), 0);
	assert_int_equal(store_seen_add(st, SERVER, "post", 100, &err), 0);
	assert_int_equal(store_seen_has(st, SERVER, "post", 100, &err), 1);
	assert_int_equal(store_seen_has(st, SERVER, "event", 100, &err), 0);
	store_close(st);
	free(path);
}

static void
test_servers_never_mix(void **state)
{
	struct ambt_error err = {0};
	char *spath = path_in(state, "state.sqlite3");
	char *cpath = path_in(state, "cache.sqlite3");
	struct store *st = store_open(spath, STORE_STATE, &err);
	struct store *cache = store_open(cpath, STORE_CACHE, &err);
	struct draft a = {.key = "new_topic", .text = "for the first"};
	struct draft b = {.key = "new_topic", .text = "for the second"};
	struct draft out;
	struct cache_entry e;
	int pos;

	assert_non_null(st);
	assert_non_null(cache);
	assert_int_equal(store_draft_save(st, SERVER, &a, &err), 0);
	assert_int_equal(store_draft_save(st, OTHER, &b, &err), 0);
	assert_int_equal(store_draft_load(st, SERVER, "new_topic", &out, &err),
	                 1);
	assert_string_equal(out.text, "for the first");
	draft_clear(&out);
	assert_int_equal(store_draft_delete(st, OTHER, "new_topic", &err), 0);
	assert_int_equal(store_draft_load(st, SERVER, "new_topic", &out, &err),
	                 1);
	draft_clear(&out);

	assert_int_equal(store_read_position_set(st, SERVER, 1, 10, &err), 0);
	assert_int_equal(store_read_position_get(st, OTHER, 1, &pos, &err), 0);
	assert_int_equal(store_seen_add(st, SERVER, "post", 1, &err), 0);
	assert_int_equal(store_seen_has(st, OTHER, "post", 1, &err), 0);

	assert_int_equal(
	    store_cache_put(cache, SERVER, "/latest.json", "1", 1, NULL, &err),
	    0);
	assert_int_equal(
	    store_cache_get(cache, OTHER, "/latest.json", &e, &err), 0);
	store_close(cache);
	store_close(st);
	free(spath);
	free(cpath);
}

static void
test_open_default(void **state)
{
	struct ambt_error err = {0};
	char *xdg = path_in(state, "xdg-state");
	char *dir = path_in(state, "xdg-state/ambt");
	char *file = path_in(state, "xdg-state/ambt/state.sqlite3");
	struct store *st;

	setenv("XDG_STATE_HOME", xdg, 1);
	umask(022);
	st = store_open_default(STORE_STATE, &err);
	if (st == NULL)
		fail_msg("%s", err.msg);
	assert_int_equal(store_schema_version(st), 3);
	store_close(st);
	assert_mode(dir, 0700);
	assert_mode(file, 0600);
	free(xdg);
	free(dir);
	free(file);
}

#define KILL_AFTER 200

/* The child: save drafts until killed, reporting each committed one. */
static void
write_drafts_forever(const char *path, int fd)
{
	struct ambt_error err = {0};
	struct store *st = store_open(path, STORE_STATE, &err);
	struct buf text;

	if (st == NULL)
		_exit(2);
	buf_init(&text);
	for (int i = 0;; i++) {
		struct draft d = {0};

		buf_reset(&text);
		for (int j = 0; j < 100; j++)
			buf_printf(&text, "draft %d line %d\n", i, j);
		d.key = xasprintf("topic_%d", i);
		d.text = text.data;
		if (store_draft_save(st, SERVER, &d, &err) != 0 ||
		    store_read_position_set(st, SERVER, i, i, &err) != 0)
			_exit(3);
		free(d.key);
		if (write(fd, &i, sizeof i) != sizeof i)
			_exit(4);
	}
}

static int
read_report(int fd, int *i)
{
	size_t got = 0;
	ssize_t n;

	while (got < sizeof *i) {
		n = read(fd, (char *)i + got, sizeof *i - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return 0;
		got += (size_t)n;
	}
	return 1;
}

static void
check_draft(struct store *st, int i)
{
	struct ambt_error err = {0};
	char *key = xasprintf("topic_%d", i);
	char *last = xasprintf("draft %d line 99\n", i);
	struct draft d;
	int pos = -1;

	if (store_draft_load(st, SERVER, key, &d, &err) != 1)
		fail_msg("committed draft %s is lost", key);
	assert_non_null(strstr(d.text, last));
	assert_int_equal(store_read_position_get(st, SERVER, i, &pos, &err), 1);
	assert_int_equal(pos, i);
	draft_clear(&d);
	free(key);
	free(last);
}

static void
test_killed_writer(void **state)
{
	struct ambt_error err = {0};
	char *path = path_in(state, "state.sqlite3");
	int fds[2], i, last = -1, status;
	char *check;
	struct store *st;
	pid_t pid;

	assert_int_equal(pipe(fds), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(fds[0]);
		write_drafts_forever(path, fds[1]);
	}
	close(fds[1]);
	while (last < KILL_AFTER && read_report(fds[0], &i))
		last = i;
	assert_int_equal(last, KILL_AFTER);
	assert_int_equal(kill(pid, SIGKILL), 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status));
	/* Writes reported before the kill landed are committed too. */
	while (read_report(fds[0], &i))
		last = i;
	close(fds[0]);

	check = raw_text(path, "PRAGMA integrity_check");
	assert_string_equal(check, "ok");
	free(check);
	st = store_open(path, STORE_STATE, &err);
	if (st == NULL)
		fail_msg("%s", err.msg);
	for (i = 0; i <= last; i++)
		check_draft(st, i);
	store_close(st);
	free(path);
}

int
main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
	    T(test_migrate_from_empty),
	    T(test_migrate_state_from_v1),
	    T(test_migrate_cache_from_v1),
	    T(test_refuse_newer),
	    T(test_refuse_negative_version),
	    T(test_refuse_garbage),
	    T(test_refuse_corrupt),
	    T(test_refuse_other_kind),
	    T(test_unopenable),
	    T(test_cache),
	    T(test_drafts),
	    T(test_draft_sequence_and_list),
	    T(test_read_positions_and_seen),
	    T(test_servers_never_mix),
	    T(test_open_default),
	    T(test_killed_writer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
