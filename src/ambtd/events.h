/*
 * events.h: what events.c (events, their sync with posts) and
 * events_invitees.c (RSVP) share inside ambtd.
 */
#ifndef AMBTD_EVENTS_H
#define AMBTD_EVENTS_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "ambtd/ambtd.h"

/* An event as the permission checks need it. */
struct event_info {
	int64_t id; /* == the post's id */
	int64_t topic_id;
	int64_t author_id; /* the post's author */
	int64_t starts_at;
	int64_t ends_at; /* 0 when open-ended */
	char status[16]; /* "public", "private", "standalone" */
};

/* The event of a live post that viewer may see: 0, or -1 (404 it). */
int event_lookup(int64_t event_id, const struct user_ref *viewer,
                 struct event_info *out);
/* Whether viewer may answer the event's invitation, as the plugin's
 * can_user_update_attendance: logged in, not standalone, not over. */
bool event_attendance_open(const struct event_info *,
                           const struct user_ref *viewer);

struct event_stats {
	int going, interested, not_going, invited;
};
int event_stats_get(int64_t event_id, struct event_stats *out);
json_t *event_stats_json(const struct event_stats *);

/* One invitee as the plugin's InviteeSerializer shapes it; NULL if none. */
json_t *invitee_json(int64_t invitee_id);
/* The viewer's invitee of the event as JSON, or null. */
json_t *watching_invitee_json(int64_t event_id, const struct user_ref *viewer);
/* Up to max invitees, going first, for sample_invitees. */
json_t *sample_invitees_json(int64_t event_id, int max);

void invitees_index(struct req *, struct resp *);
void invitee_create(struct req *, struct resp *);
void invitee_update(struct req *, struct resp *);
void invitee_destroy(struct req *, struct resp *);

#endif
