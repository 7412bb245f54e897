/*
 * seed.h: the demo community as data (seed_data.c), loaded by seed.c.
 * Every array ends with an all-zero entry. Times are "YYYY-MM-DD HH:MM" in
 * UTC; topics and posts are referred to by their 1-based place in
 * seed_topics and in the topic.
 */
#ifndef AMBTD_SEED_H
#define AMBTD_SEED_H

#include <stdbool.h>

struct seed_user {
	const char *username, *name, *title, *bio, *location, *website;
	const char *organisation, *created;
	int trust_level;
	bool admin, moderator;
	int profile_views;
};

struct seed_group_member {
	const char *group, *username;
};

struct seed_category {
	const char *name, *slug, *color, *text_color, *description;
	const char *read_group; /* NULL: public */
};

struct seed_badge {
	const char *name, *description;
};

struct seed_user_badge {
	const char *username, *badge, *granted;
};

struct seed_post {
	const char *username, *created;
	int reply_to;       /* post number replied to, 0 for none */
	const char *likers; /* usernames separated by spaces, or NULL */
	const char *raw;
};

struct seed_topic {
	const char *title, *category; /* category slug */
	const char *tags;             /* comma-separated, or NULL */
	int views;
	bool pinned;
	const struct seed_post *posts;
};

struct seed_reading {
	int topic, last_read, notification_level;
	bool bookmarked;
};

struct seed_post_ref {
	int topic, post_number;
};

struct seed_notification {
	int type, topic, post_number;
	const char *actor; /* username, or the badge's name for granted_badge */
	bool read;
	const char *created;
};

struct seed_invitee {
	int topic;
	const char *username, *status; /* going, interested, not_going */
};

extern const struct seed_user seed_users[];
extern const struct seed_group_member seed_group_members[];
extern const struct seed_category seed_categories[];
extern const struct seed_badge seed_badges[];
extern const struct seed_user_badge seed_user_badges[];
extern const struct seed_topic seed_topics[];
extern const struct seed_reading seed_demo_reading[];
extern const struct seed_post_ref seed_demo_post_bookmarks[];
extern const struct seed_notification seed_demo_notifications[];
extern const struct seed_invitee seed_invitees[];

#endif
