/*
 * client_reader.c: the requests the reader adds to client.c: mega-topic
 * paging, reading time, members, activity, events and RSVP. Paths and form
 * bodies are as discourse/api-notes.md and events-auth-live.md describe.
 */
#include "config.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ambt/i18n.h"
#include "ambt/api.h"
#include "ambt/util.h"
#include "api/client_int.h"

ERASED_DECODER(post_list, struct post_list)
ERASED_DECODER(members, struct member_list)
ERASED_DECODER(user_actions, struct user_action_list)
ERASED_DECODER(events, struct event_list)
ERASED_DECODER(event, struct event)
ERASED_DECODER(invitee, struct event)

static const struct endpoint ep_posts_near = {
    decode_post_list, N_("no such topic, or it is private")};
static const struct endpoint ep_timings = {
    NULL, N_("no such topic, or it is private")};
static const struct endpoint ep_members = {decode_members, NULL};
static const struct endpoint ep_user_actions = {decode_user_actions,
                                                N_("no such user")};
static const struct endpoint ep_events = {
    decode_events, N_("this forum has no events (the plugin is not there)")};
static const struct endpoint ep_event = {decode_event,
                                         N_("no such event, or it is private")};
static const struct endpoint ep_invitee = {decode_invitee,
                                           N_("no such event or answer")};
static const struct endpoint ep_invitee_gone = {NULL,
                                                N_("no such event or answer")};

#define EVENTS_PATH "/discourse-post-event/events"

struct http_req *
api_get_posts_near(struct api *api, int64_t topic_id, int post_number, bool asc,
                   api_done_fn done, void *arg)
{
	struct buf b;

	buf_init(&b);
	buf_printf(&b, "/t/%" PRId64 "/posts.json", topic_id);
	api_query_add_int(&b, "post_number", post_number);
	api_query_add(&b, "asc", asc ? "true" : "false");
	return api_start(api, &ep_posts_near, buf_steal(&b), done, arg);
}

struct http_req *
api_post_timings(struct api *api, int64_t topic_id, const int *post_numbers,
                 const int *ms, size_t n, int topic_time_ms, api_done_fn done,
                 void *arg)
{
	struct http_req *req;
	struct buf form;

	buf_init(&form);
	buf_printf(&form, "topic_id=%" PRId64 "&topic_time=%d", topic_id,
	           topic_time_ms);
	for (size_t i = 0; i < n; i++)
		buf_printf(&form, "&timings%%5B%d%%5D=%d", post_numbers[i],
		           ms[i]);
	req = api_send(api, &ep_timings, "POST", xstrdup("/topics/timings"),
	               form.data, done, arg);
	buf_free(&form);
	return req;
}

struct http_req *
api_get_members(struct api *api, int page, api_done_fn done, void *arg)
{
	struct buf b;

	buf_init(&b);
	buf_puts(&b, "/directory_items.json?period=all&order=post_count");
	api_query_add_int(&b, "page", page);
	return api_start(api, &ep_members, buf_steal(&b), done, arg);
}

struct http_req *
api_get_user_actions(struct api *api, const char *username, api_done_fn done,
                     void *arg)
{
	struct buf b;

	buf_init(&b);
	buf_puts(&b, "/user_actions.json");
	api_query_add(&b, "username", username);
	/* New topics and replies; the comma is the list's own syntax. */
	buf_puts(&b, "&filter=4,5");
	return api_start(api, &ep_user_actions, buf_steal(&b), done, arg);
}

/* Today's date in UTC, "2026-11-25": a day-long key keeps the cache small
 * and counts today's events, started or not, as upcoming. */
static void
today_iso(char *buf, size_t size)
{
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(buf, size, "%Y-%m-%d", &tm);
}

struct http_req *
api_get_events(struct api *api, const struct event_query *q, api_done_fn done,
               void *arg)
{
	bool upcoming = q && q->upcoming && !q->past;
	bool past = q && q->past && !q->upcoming;
	char today[16];
	struct buf b;

	today_iso(today, sizeof today);
	buf_init(&b);
	buf_puts(&b, EVENTS_PATH ".json?include_details=true");
	if (upcoming)
		api_query_add(&b, "after", today);
	else /* older plugins hide finished events unless asked */
		api_query_add(&b, "include_expired", "true");
	if (past)
		api_query_add(&b, "before", today);
	if (q && q->category_id > 0)
		api_query_add_int(&b, "category_id", q->category_id);
	if (q && q->limit > 0)
		api_query_add_int(&b, "limit", q->limit);
	/* The past from the most recent back. */
	api_query_add(&b, "order", past ? "desc" : "asc");
	return api_start(api, &ep_events, buf_steal(&b), done, arg);
}

struct http_req *
api_get_event(struct api *api, int64_t event_id, api_done_fn done, void *arg)
{
	return api_start(api, &ep_event,
	                 xasprintf(EVENTS_PATH "/%" PRId64 ".json", event_id),
	                 done, arg);
}

/* An RSVP in flight: the answer is completed into the event it is for. */
struct rsvp_call {
	int64_t event_id;
	api_done_fn done;
	void *arg;
};

static void
rsvp_done(struct api_reply *reply, void *arg)
{
	struct rsvp_call rc = *(struct rsvp_call *)arg;
	struct event *e = reply->data;

	free(arg);
	if (reply->err.kind == AMBT_OK) {
		if (e == NULL) { /* a deletion answers only "OK" */
			e = xcalloc(1, sizeof *e);
			e->going = e->interested = e->not_going = -1;
			e->rsvp = RSVP_NONE;
		}
		if (e->id == 0)
			e->id = rc.event_id;
		reply->data = e;
	}
	rc.done(reply, rc.arg);
}

struct http_req *
api_rsvp(struct api *api, int64_t event_id, int64_t invitee_id,
         enum rsvp_status status, api_done_fn done, void *arg)
{
	struct rsvp_call *rc;
	char *form;
	struct http_req *req;

	if (status == RSVP_NONE && invitee_id == 0) {
		struct api_reply reply = {0};

		ambt_error_set(&reply.err, AMBT_E_USAGE,
		               _("there is no answer to withdraw"));
		done(&reply, arg);
		return NULL;
	}
	rc = xcalloc(1, sizeof *rc);
	*rc = (struct rsvp_call){event_id, done, arg};
	if (status == RSVP_NONE)
		return api_send(api, &ep_invitee_gone, "DELETE",
		                xasprintf(EVENTS_PATH "/%" PRId64
		                                      "/invitees/%" PRId64
		                                      ".json",
		                          event_id, invitee_id),
		                NULL, rsvp_done, rc);
	form = xasprintf("invitee%%5Bstatus%%5D=%s", rsvp_status_name(status));
	if (invitee_id != 0)
		req =
		    api_send(api, &ep_invitee, "PUT",
		             xasprintf(EVENTS_PATH "/%" PRId64
		                                   "/invitees/%" PRId64 ".json",
		                       event_id, invitee_id),
		             form, rsvp_done, rc);
	else
		req =
		    api_send(api, &ep_invitee, "POST",
		             xasprintf(EVENTS_PATH "/%" PRId64 "/invitees.json",
		                       event_id),
		             form, rsvp_done, rc);
	free(form);
	return req;
}
