/*
 * api.h: Discourse's JSON API as model structs.
 *
 * Two halves. The decoders turn one endpoint family's body into a model
 * struct: they check every field's type, ignore unknown fields, accept null
 * where a value may be missing, and on a wrong type fail with a message that
 * names the JSON path ("post_stream.posts[3].post_number: expected integer,
 * got string"). They are pure functions, so tests feed them bytes.
 *
 * The client (struct api) builds the request for an endpoint, sends it with
 * http, judges the status, decodes the body and hands the model to a
 * callback. With a cache store it answers conditional requests from the
 * cache (ETag) and, when the server cannot be reached, serves the cached
 * copy with api_reply.offline set.
 */
#ifndef AMBT_API_H
#define AMBT_API_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ambt/error.h"
#include "ambt/http.h"
#include "ambt/model.h"
#include "ambt/store.h"

/* ---- Decoders: 0 on success, -1 with err (AMBT_E_DECODE) ---- */
int api_decode_topic_list(const char *body, size_t len, struct topic_list **out,
                          struct ambt_error *err);
int api_decode_categories(const char *body, size_t len,
                          struct category_list **out, struct ambt_error *err);
int api_decode_topic(const char *body, size_t len, struct topic **out,
                     struct ambt_error *err);
int api_decode_post_list(const char *body, size_t len, struct post_list **out,
                         struct ambt_error *err);
int api_decode_post(const char *body, size_t len, struct post **out,
                    struct ambt_error *err);
int api_decode_user(const char *body, size_t len, struct user_profile **out,
                    struct ambt_error *err);
int api_decode_user_summary(const char *body, size_t len,
                            struct user_summary **out, struct ambt_error *err);
int api_decode_notifications(const char *body, size_t len,
                             struct notification_list **out,
                             struct ambt_error *err);
int api_decode_search(const char *body, size_t len, struct search_result **out,
                      struct ambt_error *err);
int api_decode_site(const char *body, size_t len, struct site **out,
                    struct ambt_error *err);
int api_decode_events(const char *body, size_t len, struct event_list **out,
                      struct ambt_error *err);
int api_decode_event(const char *body, size_t len, struct event **out,
                     struct ambt_error *err);
int api_decode_members(const char *body, size_t len, struct member_list **out,
                       struct ambt_error *err);
int api_decode_user_actions(const char *body, size_t len,
                            struct user_action_list **out,
                            struct ambt_error *err);
/* An RSVP's answer ({"invitee": {...}}) as the event fields it tells: id,
 * invitee_id, rsvp and the counts (-1 when the answer has none). */
int api_decode_invitee(const char *body, size_t len, struct event **out,
                       struct ambt_error *err);
/* A Discourse error body ({"errors": [...]}, {"error": "..."}) as one line,
 * or NULL when the body is not one. */
char *api_decode_error_message(const char *body, size_t len);

/* ---- Encoders for --json: the model with stable field names ---- */
/* Each returns a newly allocated, pretty-printed JSON text. */
char *api_encode_topic_list(const struct topic_list *);
char *api_encode_categories(const struct category_list *);
char *api_encode_topic(const struct topic *);
char *api_encode_user(const struct user_profile *, const struct user_summary *);
char *api_encode_notifications(const struct notification_list *);
char *api_encode_search(const struct search_result *);
char *api_encode_events(const struct event_list *);
char *api_encode_members(const struct member_list *);

/* ---- The client ---- */
struct api;

struct api_reply {
	void *data;            /* the decoded model; the callback owns it */
	bool offline;          /* served from the cache: the server was down */
	int64_t fetched_at;    /* when offline: when the copy was fetched */
	struct ambt_error err; /* kind AMBT_OK on success; data is NULL else */
};
typedef void (*api_done_fn)(struct api_reply *reply, void *arg);

/* cache may be NULL. The api keeps pointers to both; free it first. */
struct api *api_new(struct http *http, struct store *cache,
                    const char *base_url);
void api_free(struct api *);
struct http *api_http(struct api *);

struct list_query {
	const char *category_slug; /* NULL: /latest.json */
	int64_t category_id;       /* 0: looked up from /site.json is the
	                              caller's job; the path is /c/SLUG.json */
	int page;                  /* 0-based */
	int per_page;              /* 0: the server's default */
	/* NULL: latest. "unread" or "new": Discourse's lists of the topics
	 * with unread posts or never opened, from the server's tracking
	 * state (a login is needed: 403 otherwise). With a category and its
	 * id the path is /c/SLUG/ID/l/FILTER.json. */
	const char *filter;
};

/* Each starts one request and returns it (for http_cancel), or NULL after
 * calling done with an error. The reply's data type is named beside each. */
struct http_req *api_get_latest(struct api *, const struct list_query *,
                                api_done_fn done, void *arg); /* topic_list */
struct http_req *api_get_categories(struct api *, api_done_fn done,
                                    void *arg); /* category_list */
struct http_req *api_get_topic(struct api *, int64_t topic_id, api_done_fn done,
                               void *arg); /* topic */
struct http_req *api_get_posts(struct api *, int64_t topic_id,
                               const int64_t *post_ids, size_t n,
                               api_done_fn done, void *arg); /* post_list */
struct http_req *api_get_post(struct api *, int64_t post_id, api_done_fn done,
                              void *arg); /* post */
struct http_req *api_get_user(struct api *, const char *username,
                              api_done_fn done, void *arg); /* user_profile */
struct http_req *api_get_user_summary(struct api *, const char *username,
                                      api_done_fn done,
                                      void *arg); /* user_summary */
struct http_req *api_get_notifications(struct api *, api_done_fn done,
                                       void *arg); /* notification_list */
struct http_req *api_search(struct api *, const char *query, int page,
                            api_done_fn done, void *arg); /* search_result */
struct http_req *api_get_site(struct api *, api_done_fn done,
                              void *arg); /* site */

/* ---- The reader's requests (client_reader.c) ---- */
/* Mega topics: the 20 posts after (asc) or before post_number. */
struct http_req *api_get_posts_near(struct api *, int64_t topic_id,
                                    int post_number, bool asc, api_done_fn done,
                                    void *arg); /* post_list */
/* Report reading time: ms per post number (POST /topics/timings). The
 * reply's data is NULL; only err matters. */
struct http_req *api_post_timings(struct api *, int64_t topic_id,
                                  const int *post_numbers, const int *ms,
                                  size_t n, int topic_time_ms, api_done_fn done,
                                  void *arg);
struct http_req *api_get_members(struct api *, int page, api_done_fn done,
                                 void *arg); /* member_list */
struct http_req *api_get_user_actions(struct api *, const char *username,
                                      api_done_fn done,
                                      void *arg); /* user_action_list */
struct event_query {
	bool upcoming;       /* starting today (UTC) or later */
	bool past;           /* starting before today; neither or both: all */
	int64_t category_id; /* 0: all */
	int limit;           /* 0: the server's default */
};
struct http_req *api_get_events(struct api *, const struct event_query *,
                                api_done_fn done, void *arg); /* event_list */
struct http_req *api_get_event(struct api *, int64_t event_id, api_done_fn done,
                               void *arg); /* event */
/* RSVP: creates the caller's invitee or changes it (invitee_id != 0);
 * RSVP_NONE deletes it. The reply's data is an event with what the answer
 * tells (api_decode_invitee): id, invitee_id, rsvp and the counts, -1 when
 * unknown (always after RSVP_NONE); api_get_event fetches the rest. */
struct http_req *api_rsvp(struct api *, int64_t event_id, int64_t invitee_id,
                          enum rsvp_status status, api_done_fn done,
                          void *arg); /* event */

/* ---- Writing (client_write.c) ----
 * Each needs a login. A 422's Discourse errors array becomes err.msg. */
struct new_post {
	int64_t topic_id;         /* reply into this topic; 0: a new topic */
	int reply_to_post_number; /* 0: a reply to the topic */
	const char *title;        /* a new topic's title */
	int64_t category_id;      /* a new topic's category; 0: none */
	const char *raw;          /* the Markdown body */
};
struct http_req *api_create_post(struct api *, const struct new_post *,
                                 api_done_fn done, void *arg); /* post */
struct http_req *api_edit_post(struct api *, int64_t post_id, const char *raw,
                               api_done_fn done, void *arg); /* post */
/* Discourse's post_action_type_id values. */
enum post_action {
	POST_ACTION_LIKE = 2,
	POST_ACTION_OFF_TOPIC = 3,
	POST_ACTION_INAPPROPRIATE = 4,
	POST_ACTION_NOTIFY_MODERATORS = 7, /* with a message */
	POST_ACTION_SPAM = 8,
};
struct http_req *api_like(struct api *, int64_t post_id, api_done_fn done,
                          void *arg); /* post */
struct http_req *api_unlike(struct api *, int64_t post_id, api_done_fn done,
                            void *arg); /* post */
/* Report a post to the moderators; message may be NULL except for
 * POST_ACTION_NOTIFY_MODERATORS. */
struct http_req *api_flag(struct api *, int64_t post_id, enum post_action type,
                          const char *message, api_done_fn done,
                          void *arg); /* post */
/* The reply's data is NULL for these; only err matters. */
struct http_req *api_bookmark_topic(struct api *, int64_t topic_id,
                                    api_done_fn done, void *arg);
struct http_req *api_remove_bookmarks(struct api *, int64_t topic_id,
                                      api_done_fn done, void *arg);
/* level: enum notification_level's values, 0 muted .. 3 watching. */
struct http_req *api_set_notification_level(struct api *, int64_t topic_id,
                                            int level, api_done_fn done,
                                            void *arg);
/* The server's copy of a draft (POST /drafts.json): data is the JSON text
 * the web composer keeps ({"reply": ..., "action": "reply", ...}); sequence
 * is the one the server gave last (a stale one is a 409). The reply's data
 * is an int64_t: the server's draft_sequence now (free() it). */
struct http_req *api_save_server_draft(struct api *, const char *key,
                                       const char *data, int sequence,
                                       api_done_fn done, void *arg);
/* One draft as GET /drafts.json lists it. */
struct server_draft {
	char *key;
	char *data; /* the composer's JSON text */
	int64_t sequence;
	int64_t updated_at;
	int64_t topic_id; /* or 0 */
};
struct server_draft_list {
	struct server_draft *items;
	size_t n;
};
void server_draft_list_free(struct server_draft_list *);
/* The member's drafts on the server (GET /drafts.json, the first 50). */
struct http_req *api_get_server_drafts(struct api *, api_done_fn done,
                                       void *arg); /* server_draft_list */
/* The key's draft sequence on the server now (GET /drafts/{key}.json):
 * the reply's data is an int64_t (free() it). */
struct http_req *api_get_server_draft_sequence(struct api *, const char *key,
                                               api_done_fn done, void *arg);
struct http_req *api_delete_server_draft(struct api *, const char *key,
                                         int sequence, api_done_fn done,
                                         void *arg);

/*
 * ---- MessageBus: POST /message-bus/{client_id}/poll ----
 * The positions go form-encoded (channel=id; -1: from now, answered with
 * /__status at once), with Dont-Chunk: true, so the answer is one JSON
 * array: at once when there is a backlog, else when a message comes or
 * when the server's hold (25 s on Discourse) ends.
 */
#define API_BUS_HOLD_S 25
struct bus_message {
	char *channel;
	int64_t message_id; /* the channel's position after this message */
	int64_t topic_id;   /* data.topic_id where the data has one, else 0 */
	bool status;        /* from /__status: message_id is where the
	                       channel is now, not a message */
};
struct bus_batch {
	struct bus_message *items;
	size_t n;
};
struct bus_position {
	const char *channel;
	int64_t id;
};
/* A JSON array of {global_id, message_id, channel, data}; /__status is
 * unfolded into one status entry per channel. */
int api_decode_bus(const char *body, size_t len, struct bus_batch **out,
                   struct ambt_error *err);
void bus_batch_free(struct bus_batch *);
/* Data: a bus_batch. A server without MessageBus answers AMBT_E_HTTP
 * (404/405) or a body that is no array (AMBT_E_DECODE). */
struct http_req *api_bus_poll(struct api *, const char *client_id,
                              const struct bus_position *, size_t n,
                              api_done_fn done, void *arg);

/*
 * For the CLI: a reply slot and a callback that fills it, then a wait that
 * drives http until it is filled:
 *     struct api_sync s = {0};
 *     api_get_latest(api, &q, api_sync_done, &s);
 *     api_sync_wait(api, &s);   then s.reply.data or s.reply.err
 */
struct api_sync {
	bool done;
	struct api_reply reply;
};
void api_sync_done(struct api_reply *reply, void *arg);
void api_sync_wait(struct api *, struct api_sync *);

#endif
