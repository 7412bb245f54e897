/*
 * model.h: the plain structs every layer passes around.
 *
 * Ownership: a struct owns every string and array it points to. Strings are
 * NUL-terminated UTF-8 or NULL when the server sent none. Arrays are a
 * pointer plus a count. Each aggregate has a *_free() that releases what it
 * owns and the struct itself, and a *_clear() that releases the contents of
 * an embedded struct. Times are Unix seconds (UTC); 0 means "not given".
 * Numbers the server may leave out use the sentinel named beside them.
 */
#ifndef AMBT_MODEL_H
#define AMBT_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Topic and category notification levels, as Discourse numbers them. */
enum notification_level {
	NOTIFY_LEVEL_UNKNOWN = -1,
	NOTIFY_LEVEL_MUTED = 0,
	NOTIFY_LEVEL_REGULAR = 1,
	NOTIFY_LEVEL_TRACKING = 2,
	NOTIFY_LEVEL_WATCHING = 3,
	NOTIFY_LEVEL_WATCHING_FIRST_POST = 4,
};

/* Post types. */
enum post_type {
	POST_TYPE_REGULAR = 1,
	POST_TYPE_MODERATOR_ACTION = 2,
	POST_TYPE_SMALL_ACTION = 3,
	POST_TYPE_WHISPER = 4,
};

/* A member as lists sideload them (users[], participants, created_by). */
struct user_brief {
	int64_t id;
	char *username;
	char *name;
	char *avatar_template;
	int post_count;  /* participants only; 0 elsewhere */
	int trust_level; /* -1 when not given */
	bool admin;
	bool moderator;
};

struct category {
	int64_t id;
	char *name;
	char *slug;
	char *color; /* "0088CC", no '#' */
	char *text_color;
	char *description_text;
	int64_t parent_id; /* 0 for a top-level category */
	int topic_count;
	int post_count;
	int position;
	bool read_restricted;
	int notification_level; /* enum notification_level */
};

struct category_list {
	struct category *items;
	size_t n;
	bool can_create_topic;
};

/* One entry of a topic list's topic_list.topics[].posters[]. */
struct poster {
	int64_t user_id;
	char *description; /* "Original Poster, Most Recent Poster" */
	char *extras;      /* "latest", "latest single" or NULL */
};

/* A topic as topic lists and search results show it. */
struct topic_entry {
	int64_t id;
	char *title;
	char *fancy_title;
	char *slug;
	int posts_count;
	int reply_count;
	int highest_post_number;
	int views;
	int like_count;
	int64_t category_id;
	int64_t created_at;
	int64_t last_posted_at;
	int64_t bumped_at;
	char *last_poster_username;
	char *excerpt;
	char *archetype;
	bool pinned, closed, archived, visible, unseen, bookmarked, liked;
	/* Logged-in only; -1 when the server sent none. */
	int last_read_post_number;
	int unread_posts;
	int new_posts;
	int notification_level;
	char **tags;
	size_t n_tags;
	struct poster *posters;
	size_t n_posters;
};

struct topic_list {
	struct user_brief *users; /* sideloaded, joined by posters[].user_id */
	size_t n_users;
	struct topic_entry *topics;
	size_t n_topics;
	char *more_topics_url; /* NULL on the last page */
	int per_page;
	bool can_create_topic;
};

struct post {
	int64_t id;
	int64_t topic_id;
	int post_number;
	int post_type; /* enum post_type */
	int64_t user_id;
	char *username;
	char *name;
	char *avatar_template;
	char *user_title;
	int64_t created_at;
	int64_t updated_at;
	char *cooked;
	char *raw;         /* only when the endpoint sends it */
	char *action_code; /* small actions: "closed.enabled" ... */
	char *topic_slug;
	char *topic_title;        /* /posts.json and search only */
	int reply_to_post_number; /* 0 when not a reply to a post */
	char *reply_to_username;
	int reply_count;
	int quote_count;
	int reads;
	int version;
	int trust_level; /* -1 when not given */
	int like_count;  /* actions_summary id 2 */
	bool liked;      /* actions_summary id 2: acted */
	bool can_like;   /* actions_summary id 2: can_act */
	bool can_unlike; /* actions_summary id 2: can_undo */
	bool yours, can_edit, can_delete, bookmarked, read, hidden, wiki;
	int64_t event_id; /* the post carries an event when non-zero */
};

/* A whole topic, as /t/{id}.json sends it. */
struct topic {
	int64_t id;
	char *title;
	char *fancy_title;
	char *slug;
	int64_t category_id;
	int posts_count;
	int reply_count;
	int highest_post_number;
	int views;
	int like_count;
	int participant_count;
	int chunk_size;
	int64_t created_at;
	int64_t last_posted_at;
	bool closed, archived, pinned, visible, bookmarked;
	char *archetype;
	char **tags;
	size_t n_tags;
	/* Logged-in only; -1 when not given. */
	int last_read_post_number;
	int notification_level;
	char *draft_key;
	int draft_sequence;
	struct user_brief created_by;
	struct user_brief last_poster;
	struct user_brief *participants;
	size_t n_participants;
	/* The inline chunk of posts. */
	struct post *posts;
	size_t n_posts;
	/* Every post id in order; empty for mega topics. */
	int64_t *stream;
	size_t n_stream;
	bool is_mega_topic;
	int64_t last_id; /* mega topics only */
};

/* /t/{id}/posts.json: a chunk of posts. */
struct post_list {
	int64_t topic_id;
	struct post *posts;
	size_t n_posts;
};

struct badge {
	int64_t id;
	char *name;
	char *description;
	int grant_count;
};

struct user_profile {
	int64_t id;
	char *username;
	char *name;
	char *title;
	char *avatar_template;
	char *bio_cooked;
	char *bio_raw;
	char *location;
	char *website;
	char *website_name;
	int64_t created_at;
	int64_t last_posted_at;
	int64_t last_seen_at;
	int trust_level; /* -1 when not given */
	int badge_count;
	int profile_view_count;
	int post_count; /* -1 when not given */
	bool admin, moderator;
	struct badge *badges;
	size_t n_badges;
};

/* /u/{username}/summary.json */
struct user_summary {
	int likes_given;
	int likes_received;
	int topics_entered;
	int posts_read_count;
	int days_visited;
	int topic_count;
	int post_count;
	int64_t time_read; /* seconds */
	struct topic_entry *top_topics;
	size_t n_top_topics;
	struct post
	    *top_replies; /* post_number, like_count, created_at, topic_title */
	size_t n_top_replies;
};

struct notification {
	int64_t id;
	int notification_type;
	bool read;
	bool high_priority;
	int64_t created_at;
	int64_t topic_id; /* 0 when not about a topic */
	int post_number;  /* 0 when not about a post */
	char *slug;
	char *fancy_title;
	char *display_username; /* data.display_username */
	char *topic_title;      /* data.topic_title */
	char *badge_name;       /* data.badge_name */
};

struct notification_list {
	struct notification *items;
	size_t n;
	int total_rows; /* -1 when not given */
	int64_t seen_notification_id;
	char *load_more_url;
};

struct search_post {
	int64_t id;
	int64_t topic_id;
	int post_number;
	char *username;
	char *name;
	char *blurb;
	int64_t created_at;
	int like_count;
};

struct search_result {
	struct search_post *posts;
	size_t n_posts;
	struct topic_entry *topics;
	size_t n_topics;
	struct user_brief *users;
	size_t n_users;
	struct category *categories;
	size_t n_categories;
	bool more_posts;
	char *term;
};

/* name -> number pairs from /site.json (notification_types, trust_levels). */
struct name_value {
	char *name;
	int value;
};

struct site {
	struct category *categories; /* flat, with parent_id */
	size_t n_categories;
	struct name_value *notification_types;
	size_t n_notification_types;
	struct name_value *trust_levels;
	size_t n_trust_levels;
	int64_t uncategorized_category_id;
	char *default_archetype;
	bool can_create_tag;
};

/* The discourse-post-event plugin's event. Its id is its post's id. */
enum rsvp_status {
	RSVP_NONE = 0,
	RSVP_GOING,
	RSVP_INTERESTED,
	RSVP_NOT_GOING,
};

struct event {
	int64_t id; /* == post id */
	int64_t topic_id;
	int post_number;
	int64_t category_id;
	char *name;
	char *topic_title;
	char *status;   /* "public", "private", "standalone" */
	char *timezone; /* IANA name or NULL */
	char *location;
	char *url;
	char *description;
	int64_t starts_at;
	int64_t ends_at; /* 0 when open-ended */
	int going;
	int interested;
	int not_going;
	int64_t invitee_id;    /* the caller's invitee row, 0 when none */
	enum rsvp_status rsvp; /* the caller's answer */
	bool can_act;
};

struct event_list {
	struct event *items;
	size_t n;
};

/* /directory_items.json: the members list. */
struct member {
	struct user_brief user;
	char *title;
	int likes_received;
	int likes_given;
	int topic_count;
	int post_count;
	int days_visited;
};

struct member_list {
	struct member *items;
	size_t n;
	int total_rows; /* -1 when not given */
};

/* /user_actions.json: a member's recent activity. */
struct user_action {
	int action_type; /* 1 like, 4 new topic, 5 reply, ... */
	int64_t topic_id;
	int64_t post_id;
	int post_number;
	int64_t created_at;
	char *title;
	char *excerpt;
	char *username;        /* who acted */
	char *acting_username; /* for likes: who liked */
	int64_t category_id;
};

struct user_action_list {
	struct user_action *items;
	size_t n;
};

/* Release what each struct owns. *_clear() leaves the struct zeroed. */
void user_brief_clear(struct user_brief *);
void category_clear(struct category *);
void category_list_free(struct category_list *);
void topic_entry_clear(struct topic_entry *);
void topic_list_free(struct topic_list *);
void post_clear(struct post *);
void post_free(struct post *);
void post_list_free(struct post_list *);
void topic_free(struct topic *);
void user_profile_free(struct user_profile *);
void user_summary_free(struct user_summary *);
void notification_clear(struct notification *);
void notification_list_free(struct notification_list *);
void search_result_free(struct search_result *);
void site_free(struct site *);
void event_clear(struct event *);
void event_free(struct event *);
void event_list_free(struct event_list *);
void member_list_free(struct member_list *);
void user_action_list_free(struct user_action_list *);

/* Lookups that join sideloaded data; NULL when absent. */
const struct user_brief *topic_list_user(const struct topic_list *, int64_t id);
const struct category *site_category(const struct site *, int64_t id);

const char *rsvp_status_name(enum rsvp_status);       /* "going" ... */
enum rsvp_status rsvp_status_parse(const char *name); /* RSVP_NONE if unknown */

#endif
