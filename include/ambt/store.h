/*
 * store.h: what ambt keeps on disk, in SQLite (WAL mode).
 *
 * Two databases with their own schemas, each versioned by PRAGMA
 * user_version and brought up to date by ordered migrations on open:
 *   - the cache, $XDG_CACHE_HOME/ambt/cache.sqlite3: response bodies by
 *     server and path, with their ETag and when they were fetched. It may be
 *     deleted at any time.
 *   - the state, $XDG_STATE_HOME/ambt/state.sqlite3: read positions, drafts
 *     and the ids already notified. Losing it loses user work, so every
 *     write is its own committed transaction before the call returns.
 * Keys carry the server's base URL so several forums never mix.
 * Functions return 0 on success, -1 with err set on failure; lookups return
 * 1 when found and 0 when not.
 */
#ifndef AMBT_STORE_H
#define AMBT_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "ambt/error.h"

enum store_kind {
	STORE_CACHE,
	STORE_STATE,
};

struct store;

struct store *store_open(const char *path, enum store_kind kind,
                         struct ambt_error *err);
/* Open the default file of a kind under the XDG directories, creating the
 * directory (mode 0700) when missing. */
struct store *store_open_default(enum store_kind kind, struct ambt_error *err);
void store_close(struct store *);
int store_schema_version(struct store *);
/* The newest schema version this build knows for a kind. */
int store_latest_version(enum store_kind kind);

/* Cache. */
struct cache_entry {
	char *body;
	size_t len;
	char *etag; /* or NULL */
	int64_t fetched_at;
};
void cache_entry_clear(struct cache_entry *);
int store_cache_put(struct store *, const char *server, const char *path,
                    const char *body, size_t len, const char *etag,
                    struct ambt_error *err);
int store_cache_get(struct store *, const char *server, const char *path,
                    struct cache_entry *out, struct ambt_error *err);

/* Read positions: the highest post number read in a topic. */
int store_read_position_set(struct store *, const char *server,
                            int64_t topic_id, int post_number,
                            struct ambt_error *err);
int store_read_position_get(struct store *, const char *server,
                            int64_t topic_id, int *post_number,
                            struct ambt_error *err);

/* Drafts, by Discourse's draft key ("new_topic", "topic_42"). */
struct draft {
	char *key;
	char *text;
	char *title; /* new topics only, or NULL */
	int64_t reply_to_post_number;
	int64_t saved_at;
	int64_t category_id; /* new topics: the category chosen, or 0 */
	int64_t sequence;    /* the server's draft sequence for the key */
};
void draft_clear(struct draft *);
/* Save draft, saved now. */
int store_draft_save(struct store *, const char *server,
                     const struct draft *draft, struct ambt_error *err);
/* Save draft as saved at draft->saved_at: a copy of the server's. */
int store_draft_import(struct store *, const char *server,
                       const struct draft *draft, struct ambt_error *err);
/* Note the server's sequence for key's draft, the text untouched. */
int store_draft_set_sequence(struct store *, const char *server,
                             const char *key, int64_t sequence,
                             struct ambt_error *err);
/* All of server's drafts, newest first: *out is an array of *n drafts
 * (free each with draft_clear, then the array). */
int store_draft_list(struct store *, const char *server, struct draft **out,
                     size_t *n, struct ambt_error *err);
int store_draft_load(struct store *, const char *server, const char *key,
                     struct draft *out, struct ambt_error *err);
int store_draft_delete(struct store *, const char *server, const char *key,
                       struct ambt_error *err);

/* Ids already notified, by kind ("post", "notification", "event"). */
int store_seen_add(struct store *, const char *server, const char *kind,
                   int64_t id, struct ambt_error *err);
int store_seen_has(struct store *, const char *server, const char *kind,
                   int64_t id, struct ambt_error *err);

/* The watcher's own state (watch_state, store_watch.c): named values such
 * as the last notification id seen or a topic's highest post number. */
int store_watch_get(struct store *, const char *server, const char *name,
                    char **value, struct ambt_error *err); /* 1, 0 or -1 */
int store_watch_set(struct store *, const char *server, const char *name,
                    const char *value, struct ambt_error *err);
/* The same for whole numbers; a missing or unparsable value gives 0. */
int store_watch_get_int(struct store *, const char *server, const char *name,
                        int64_t *value, struct ambt_error *err);
int store_watch_set_int(struct store *, const char *server, const char *name,
                        int64_t value, struct ambt_error *err);

#endif
