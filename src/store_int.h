/* store_int.h: what store.c and store_migrate.c share. */
#ifndef AMBT_STORE_INT_H
#define AMBT_STORE_INT_H

#include <sqlite3.h>

#include "ambt/store.h"

struct store {
	sqlite3 *db;
	enum store_kind kind;
	char *path;
};

/* Fill err from the connection's last error, naming the file. */
int store_fail(struct store *, struct ambt_error *err);
/* Read PRAGMA user_version; -1 with err set when the file is unreadable. */
int store_read_version(struct store *, int *version, struct ambt_error *err);
/* Refuse a file of another program or kind, or a schema newer than ours,
 * before anything is written to it. */
int store_check_file(struct store *, struct ambt_error *err);
/* Apply the missing migrations, each in its own transaction. */
int store_migrate(struct store *, struct ambt_error *err);

#endif
