/*
 * message_bus.h: Discourse's MessageBus in ambtd: channels with a backlog
 * of 100 messages each, kept in memory (as Discourse keeps them in Redis,
 * lost on a restart), long polls held without holding a server thread,
 * and the messages ambtd publishes.
 *
 * Handlers queue messages during their transaction (mb_queue and the
 * mb_publish_* helpers); server.c publishes the queue once the handler
 * answered with a success, after its transaction committed, and drops it
 * otherwise.
 */
#ifndef AMBTD_MESSAGE_BUS_H
#define AMBTD_MESSAGE_BUS_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "ambtd/ambtd.h"

#define MB_BACKLOG 100         /* message_bus_max_backlog_size */
#define MB_HOLD_MS 25000       /* long_polling_interval */
#define MB_MAX_GROUPS 32       /* groups of one poller that count */
#define MB_MAX_CHANNELS 64     /* channels of one poll */
#define MB_MAX_PARTICIPANTS 32 /* of a private message (Discourse: 30) */

/* Who may see a message, as MessageBus's user_ids and group_ids: public,
 * or one user, or the members of one group; staff see group messages. */
struct mb_audience {
	int64_t user_id;  /* > 0: only this user */
	int64_t group_id; /* > 0: only its members and staff */
	bool staff_only;  /* a private message's topic: staff (and user_id) */
	/* a private message's: its participants too */
	int64_t participants[MB_MAX_PARTICIPANTS];
	size_t n_participants;
};

/* Who polls: anonymous when user_id is 0. */
struct mb_subscriber {
	int64_t user_id;
	bool staff;
	int64_t group_ids[MB_MAX_GROUPS];
	size_t n_groups;
};

/* ---- The bus (message_bus.c) ---- */
/* Start the bus and its timer thread; hold_ms 0 takes MB_HOLD_MS. */
int mb_start(unsigned hold_ms);
/* Answer every held poll with what it has and stop the timer. */
void mb_stop(void);
unsigned mb_hold_ms(void);
/* Queue a message (data taken) for after the transaction. */
void mb_queue(const char *channel, json_t *data, const struct mb_audience *);
void mb_flush_queue(void);   /* publish what this thread queued */
void mb_discard_queue(void); /* a failed request: forget it */
/* The last message id of a channel (0 when it has none). */
int64_t mb_last_id(const char *channel);
void mb_free(void); /* the backlogs, once the server stopped */

/* One poll: its subscriptions, and what it has to send. */
struct mb_poll;
struct mb_poll *mb_poll_new(const struct mb_subscriber *);
/* Answer in chunks (separated by "\r\n|\r\n") until the hold ends,
 * rather than once. */
void mb_poll_set_chunked(struct mb_poll *);
void mb_poll_free(struct mb_poll *);
/* Subscribe from position last_id (-1: from now, < -1: relative). */
int mb_poll_subscribe(struct mb_poll *, const char *channel, int64_t last_id);
/* Collect the backlog (and /__status) into the poll's pending array;
 * true when something is pending. */
bool mb_poll_backlog(struct mb_poll *);
bool mb_poll_pending(struct mb_poll *);
/* The pending messages as a JSON text (newly allocated), cleared. */
char *mb_poll_take(struct mb_poll *);
/*
 * Wait for messages: sleep(arg) is called at once and wake(arg) later
 * (both under the bus lock, so a wake never comes before its sleep; wake
 * from the publishing or the timer thread) when one arrives or the hold
 * is over. False, with neither called, when something is pending already
 * or the poll is done (then answer at once).
 */
bool mb_poll_wait(struct mb_poll *, void (*sleep)(void *), void (*wake)(void *),
                  void *arg);
/* The hold is over or the bus stops: the poll ends after this answer. */
bool mb_poll_done(const struct mb_poll *);
/* Stop waiting (the connection goes away). */
void mb_poll_cancel(struct mb_poll *);

/* ---- The HTTP side (message_bus_poll.c) ---- */
/* POST /message-bus/{client_id}/poll: hands the poll to server.c in
 * resp->poll, or answers at once (?dlp=t). */
extern const struct route routes_message_bus[];
/* Whether the request is a poll. */
bool mb_is_poll(const struct req *);
/* server.c's side, with libmicrohttpd: a held or streamed answer. */
struct MHD_Connection;
struct mb_http;
/* Start answering the poll (taken) on conn: at once when it has
 * something, else held, or streamed when the client speaks HTTP version
 * 1.1 and sent no Dont-Chunk. MHD_YES or MHD_NO, as an access handler
 * returns. */
int mb_http_start(struct MHD_Connection *, const char *version,
                  struct mb_poll *, struct mb_http **state);
/* The access handler's call after a resume: answer now. */
int mb_http_resume(struct MHD_Connection *, struct mb_http *);
void mb_http_free(struct mb_http *);

/* ---- What ambtd publishes (message_bus_publish.c) ---- */
/* The audience of a topic's messages. */
void mb_topic_audience(int64_t topic_id, struct mb_audience *);
/* /topic/{id}: a post created, revised, liked... */
void mb_publish_post(int64_t post_id, const char *type);
/* /latest and, for a new topic, /new. */
void mb_publish_topic_bump(int64_t topic_id, bool new_topic);
/* /notification/{user_id}: the counts and the newest notification. */
void mb_publish_notification_state(int64_t user_id);
/* /notification-alert/{user_id} for a notification just created. */
void mb_publish_notification_alert(int64_t notification_id);
/* /discourse-post-event/{topic_id}: the event of that post changed. */
void mb_publish_event(int64_t post_id);

/* ---- A user's notification counts (notifications.c) ---- */
struct notification_counts {
	int64_t unread_all, unread_high_priority, unread_low_priority;
	int64_t unread_private_messages; /* private_message, unread */
	int64_t seen_id;                 /* the newest read */
	bool any_read;
	json_t *grouped; /* {"type": unread count}; the caller's */
};
int notification_counts_load(int64_t user_id, struct notification_counts *);

#endif
