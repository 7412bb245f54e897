/*
 * ambtd.h: the inside of ambtd, a small Discourse-compatible server.
 *
 * A request goes: libmicrohttpd (server.c) -> struct req, with the body
 * parsed into params whether it came form-encoded or as JSON (request.c)
 * -> who is asking (auth.c) -> the route table (routes.c) -> one handler in
 * the file of its endpoint family -> struct resp -> libmicrohttpd.
 *
 * All database work runs under a lock taken by server.c around each
 * handler: exclusive (db_lock) for POST, PUT and DELETE, shared
 * (db_lock_shared) for GET, whose handlers run in parallel, each thread on
 * its own SQLite connection (db_handle), in WAL mode with foreign keys on;
 * statements are prepared once per connection and cached (db_stmt). So a
 * GET handler keeps no state outside its own stack and the database.
 *
 * The schema (db.c, versioned with PRAGMA user_version):
 *   users(id, username UNIQUE COLLATE NOCASE, name, title, bio_raw,
 *         bio_cooked, location, website, organisation, trust_level, admin,
 *         moderator, created_at, last_seen_at, last_posted_at,
 *         profile_view_count, password_hash)
 *   groups(id, name UNIQUE)         group_users(group_id, user_id)
 *   categories(id, name, slug UNIQUE, color, text_color, description,
 *         parent_id, position, read_group_id NULL = public)
 *   topics(id, title, slug, category_id, user_id, archetype, created_at,
 *         bumped_at, last_posted_at, views, closed, archived, pinned,
 *         visible, like_count)
 *   tags(id, name UNIQUE)           topic_tags(topic_id, tag_id)
 *   posts(id, topic_id, post_number, user_id, raw, cooked, post_type,
 *         action_code, reply_to_post_number NULL, created_at, updated_at,
 *         version, reads, deleted_at NULL; UNIQUE(topic_id, post_number))
 *   post_actions(id, post_id, user_id, post_action_type_id, created_at;
 *         UNIQUE(post_id, user_id, post_action_type_id))
 *   topic_users(topic_id, user_id, last_read_post_number,
 *         notification_level, bookmarked, posted, total_msecs_viewed;
 *         PRIMARY KEY(topic_id, user_id))
 *   notifications(id, user_id, notification_type, topic_id, post_number,
 *         data JSON text, read, high_priority, created_at)
 *   drafts(user_id, draft_key, data, sequence, updated_at;
 *         PRIMARY KEY(user_id, draft_key))
 *   events(id = post id, name, starts_at, ends_at, timezone, status,
 *         location, url, description)
 *   invitees(id, event_id, user_id, status; UNIQUE(event_id, user_id))
 *   badges(id, name, description)   user_badges(user_id, badge_id, granted_at)
 *   user_second_factors, sessions, user_api_keys, user_api_key_hits,
 *         device_requests: logging in (db.c's migration 4, accounts.h)
 * Times are Unix seconds (INTEGER); the JSON carries ISO 8601 with "Z".
 */
#ifndef AMBTD_H
#define AMBTD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>
#include <sqlite3.h>

#define AMBTD_MAX_BODY (1024 * 1024) /* request bodies above are 413 */
#define AMBTD_CHUNK_SIZE 20          /* posts per chunk, as Discourse */
#define AMBTD_MEGA_TOPIC 10000       /* posts from which a topic is "mega" */

/* ---- Database (db.c) ---- */
struct db;
struct db *db_open(const char *path, char **errmsg);
void db_close(struct db *);
sqlite3 *db_handle(struct db *);
void db_lock(struct db *);
/* For a request that only reads (GET): many run at once, each thread on
 * its own connection; db_lock waits for them and keeps them out. */
void db_lock_shared(struct db *);
void db_unlock(struct db *);
/* A cached prepared statement, reset and with bindings cleared. NULL on a
 * SQL error (logged). Never finalize it. */
sqlite3_stmt *db_stmt(struct db *, const char *sql);
int db_exec(struct db *, const char *sql); /* 0 or -1 (logged) */
int db_begin(struct db *);
int db_commit(struct db *);
void db_rollback(struct db *);
int64_t db_now(void); /* Unix seconds */

/* ---- Who is asking (auth.c) ---- */
struct user_ref {
	int64_t id; /* 0: anonymous */
	char username[64];
	bool admin;
	bool moderator;
	int trust_level;
};

/* ---- A request (request.c) ---- */
struct param {
	char *name; /* "topic_id", "post_ids[]", "timings[3]" */
	char *value;
};

struct req {
	const char *method;   /* "GET", "POST", ... */
	char *path;           /* decoded path, without the query */
	struct param *params; /* query string, then body, in order */
	size_t n_params;
	char *body; /* raw body, NUL-terminated (may be empty) */
	size_t body_len;
	const char *content_type;
	const char *header_api_key;
	const char *header_api_username;
	const char *header_user_api_key;
	const char *header_user_api_client_id;
	const char *header_csrf_token; /* X-CSRF-Token */
	const char *cookie;
	const char *client_ip;
	struct user_ref user; /* filled by auth before the handler */
	/* Path arguments captured by the route, in order ("{id}", "{slug}"). */
	char *args[4];
	size_t n_args;
	struct ambtd *srv;
};

/* First value of a parameter, or NULL. */
const char *req_param(const struct req *, const char *name);
/* Integer parameter: 0 and *out set; -1 when absent or not an integer. */
int req_param_int(const struct req *, const char *name, int64_t *out);
/* Every value of a repeated parameter ("post_ids[]"); returns the count and
 * sets *values to a newly allocated array of borrowed pointers. */
size_t req_param_all(const struct req *, const char *name,
                     const char ***values);
int64_t req_arg_int(const struct req *, size_t i); /* -1 if not a number */

/*
 * Parse the query string and body into params. JSON bodies are flattened:
 * {"a": 1, "b": [1, 2], "t": {"3": 500}} gives a=1, b[]=1, b[]=2, t[3]=500,
 * the way Rails reads the same form body. Returns 0, or -1 with a message
 * for a 400 (malformed JSON, invalid UTF-8, bad percent-encoding).
 */
int req_parse_params(struct req *, const char *query, char **errmsg);
/* Append a parameter, taking ownership of name and value (both freed on
 * failure); server.c adds multipart/form-data fields this way. 0 or -1. */
int req_add_param(struct req *, char *name, char *value);
void req_clear(struct req *);

/* ---- A response (response.c) ---- */
struct resp {
	unsigned status;
	char *body;
	size_t body_len;
	const char *content_type; /* static string */
	int retry_after;          /* > 0: send Retry-After */
	char *location;           /* redirects */
	char set_cookie[256];     /* a Set-Cookie value, or "" */
	/* resp_json's document: server.c dumps it into body with resp_finish
	 * after db_unlock, so serializing runs in parallel. */
	json_t *json;
	/* A MessageBus poll for server.c to hold or stream (message_bus.h),
	 * instead of body. */
	struct mb_poll *poll;
};
/* Take ownership of j (json_decref'd here, or by resp_finish). */
void resp_json(struct resp *, unsigned status, json_t *j);
void resp_text(struct resp *, unsigned status, const char *text);
void resp_empty(struct resp *, unsigned status);
/* Discourse's error shape: {"errors": [msg], "error_type": type}. */
void resp_error(struct resp *, unsigned status, const char *error_type,
                const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void resp_clear(struct resp *);
/* Dump a pending JSON document into body (tests call it before reading
 * body after resp_json). */
void resp_finish(struct resp *);
/* The standard answers. */
void resp_not_found(struct resp *);      /* 404 not_found */
void resp_not_logged_in(struct resp *);  /* 403 not_logged_in */
void resp_invalid_access(struct resp *); /* 403 invalid_access */
void resp_bad_param(struct resp *,
                    const char *name); /* 400 invalid_parameters */

/* ---- Routing (routes.c) ---- */
typedef void (*handler_fn)(struct req *, struct resp *);
struct route {
	const char *method;
	const char *pattern; /* "/t/{id}.json", "/c/{slug}/{id}.json" */
	handler_fn handler;
	bool needs_login; /* 403 not_logged_in before the handler */
};
/* Match and run; 404 when no route matches, 405 never (Discourse 404s). */
void route_dispatch(struct req *, struct resp *);

/* ---- The server (server.c, main.c) ---- */
struct ambtd {
	struct db *db;
	char *admin_api_key; /* or NULL */
	char *base_url;      /* "http://127.0.0.1:PORT" */
};
extern struct ambtd *ambtd; /* the one server of this process */

/* ---- JSON helpers shared by the handlers (json_out.c) ---- */
json_t *json_time(int64_t t);                   /* ISO 8601 or null for 0 */
json_t *json_str_or_null(const char *s);        /* null for NULL */
json_t *json_col_text(sqlite3_stmt *, int col); /* text or null */
char *slugify(const char *title);               /* "Studiedag in Grimbergen" ->
                                                   "studiedag-in-grimbergen" */
char *avatar_template(const char *username);
/* json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY), byte for byte, but fast;
 * NULL on failure. Newly allocated; *len set. */
char *json_dump_compact(const json_t *j, size_t *len);

/* ---- Cooking Markdown into Discourse's HTML (cook.c) ---- */
/*
 * raw Markdown -> cooked HTML, as Discourse renders it: cmark for the
 * Markdown, raw HTML escaped (nothing a user writes runs), then
 * [quote="name, post:N, topic:M"] blocks as <aside class="quote"> and
 * @mentions as <a class="mention" href="/u/name">@name</a>. Newly allocated.
 */
char *cook(const char *raw);

/* ---- Visibility (auth.c) ---- */
/* Public categories are readable by all; one with read_group_id by the
 * members of that group and staff. Private categories 404 like missing. */
bool user_can_see_category(const struct user_ref *, int64_t category_id);
bool user_can_see_topic(const struct user_ref *, int64_t topic_id);

/* ---- Serializers shared between endpoint families ---- */
/* serialize.c: one post as Discourse's PostSerializer shapes it, for the
 * viewer (yours, can_edit, actions_summary with acted/can_act, read, ...),
 * with "raw" when include_raw, and "event" when the post holds one.
 * NULL when the post does not exist or is deleted. */
json_t *serialize_post(int64_t post_id, const struct user_ref *viewer,
                       bool include_raw);
/* events.c: the event a post holds, as the discourse-post-event plugin
 * serializes it (with stats and the viewer's watching_invitee when
 * details), or NULL when the post holds none. */
json_t *serialize_event(int64_t post_id, const struct user_ref *viewer,
                        bool details);
/* events.c: after a post is created or edited, create, update or remove
 * its event from the [event ...] block in raw. 0, or -1 with a message
 * for a 422 (a bad start date, say). */
int events_sync_post(int64_t post_id, const char *raw, char **errmsg);

/* ---- Endpoint families: each file exports its route list ---- */
extern const struct route routes_topics[]; /* topics.c: lists, /t/ */
extern const struct route routes_posts[];  /* posts.c: posts, raw, actions */
extern const struct route routes_topic_actions[]; /* topic_actions.c:
                                        bookmark, notification level, timings */
extern const struct route routes_users[];         /* users.c: /u/, directory */
extern const struct route routes_site[];          /* site.c: site, categories */
extern const struct route routes_search[];        /* search.c */
extern const struct route routes_notifications[]; /* notifications.c */
extern const struct route routes_drafts[];        /* drafts.c */
extern const struct route routes_events[];        /* events.c */
/* Each list ends with an entry whose method is NULL. */

/* ---- Seeds (seed.c, large.c) ---- */
int seed_demo(struct db *); /* only when the database is empty */
int seed_large_topic(struct db *, int n_posts);
#define DEMO_USERNAME "demo"

/* ---- Inside the core (server.c, request.c, auth.c) ---- */
/* %XX-decode n bytes ("+" as a space when asked); NULL for a bad escape,
 * a NUL byte or invalid UTF-8 (ambt/util.h's utf8_valid). Newly
 * allocated. */
char *percent_decode(const char *s, size_t n, bool plus_is_space);
/* The whole string a decimal int64: 0, or -1. */
int parse_int64(const char *s, int64_t *out);
/* Fill req->user from the headers; 0, or -1 with the 403 in resp. Runs
 * under db_lock. */
int auth_identify(struct req *, struct resp *);
/* Serve on addr:port (port 0: a free one) until server_stop. NULL with a
 * message on failure. */
struct server;
struct server *server_start(const char *addr, unsigned port, char **errmsg);
unsigned server_port(const struct server *);
void server_stop(struct server *);

#endif
