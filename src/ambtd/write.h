/*
 * write.h: what ambtd's writing endpoints (posts.c, post_actions.c,
 * topic_actions.c, drafts.c) share.
 */
#ifndef AMBTD_WRITE_H
#define AMBTD_WRITE_H

#include <stdbool.h>
#include <stdint.h>

#include "ambt/notification_types.h"
#include "ambtd/ambtd.h"

/* A live (not deleted) post. */
struct post_ref {
	int64_t id;
	int64_t topic_id;
	int64_t user_id;
	int64_t post_number;
};
/* The id of the member named by the len bytes at name (any case), or 0. */
int64_t user_id_by_name(const char *name, size_t len);
/* 0, or -1 when the post does not exist, is deleted or viewer cannot
 * see its topic (all three answered as 404). */
int post_ref_visible(int64_t post_id, const struct user_ref *viewer,
                     struct post_ref *out);

/*
 * Notify user_id about post p (of topic_id), caused by actor, with
 * Discourse's data (topic_title, original_post_id, display_username...).
 * 0 or -1 (SQL error).
 */
int notify_user(int64_t user_id, enum notification_type type,
                const struct post_ref *p, const struct user_ref *actor);

/* The user with this id as a user_ref; false if there is none. */
bool user_ref_load(int64_t user_id, struct user_ref *out);

/* Make sure the viewer has a topic_users row for the topic: 0 or -1. */
int topic_user_ensure(int64_t topic_id, int64_t user_id);

/* post_alerts.c: notify those a new post mentions, replies to or quotes,
 * and those watching its topic; after an edit, those newly mentioned.
 * 0 or -1 (SQL error). */
int alert_new_post(const struct post_ref *p, const char *cooked,
                   int64_t replied_user_id, const struct user_ref *writer);
int alert_edited_post(const struct post_ref *p, const char *old_cooked,
                      const char *new_cooked);

/* private_messages.c: a new private message's recipients. */
#define PM_MAX_RECIPIENTS 30 /* max_allowed_message_recipients */
struct pm_recipients {
	int64_t ids[PM_MAX_RECIPIENTS];
	size_t n;
};
/* target_recipients (or target_usernames) of the request into pm: true,
 * or false with a 422 in out (none, or a name no member has). */
bool pm_read_recipients(const struct req *, struct pm_recipients *,
                        struct resp *out);
/* The author and the recipients become the topic's participants, the
 * recipients watching it: 0 or -1. */
int pm_add_participants(int64_t topic_id, int64_t author_id,
                        const struct pm_recipients *);

/* post_actions.c */
void post_action_create(struct req *, struct resp *);
void post_action_destroy(struct req *, struct resp *);

#endif
