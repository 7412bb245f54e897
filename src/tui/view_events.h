/*
 * view_events.h: what the events list (view_events.c) and one event's
 * view (view_event.c) share: text for an event, the .ics export and RSVP.
 */
#ifndef AMBT_TUI_VIEW_EVENTS_H
#define AMBT_TUI_VIEW_EVENTS_H

#include "tui/tui.h"

/* A server string made safe for the screen and one line; newly allocated. */
char *event_clean(const char *s);
/* "6 going, 2 interested" into buf. */
const char *event_counts(const struct event *, char *buf, size_t size);
/* An answer's name in the user's language (English: the events plugin's
 * own, "not_going"; Dutch: "ik ga niet"). */
const char *event_rsvp_label(enum rsvp_status);

/* Ask where to export (empty: ~/default_name); the path with ~ expanded,
 * or NULL when cancelled. Data may arrive while it waits: look the events
 * up after it returns. */
char *events_ask_path(struct tui *, const char *default_name);
/* Write the n events to path as iCalendar; the status line says where or
 * why not. */
void events_save(struct tui *, const struct event *, size_t n,
                 const char *path);

/* Send an RSVP for e when someone is logged in (else say so); done gets
 * the answer as api_rsvp gives it. Returns the request or NULL. */
struct http_req *events_rsvp(struct tui *, const struct event *e,
                             enum key_action a, api_done_fn done, void *arg);
/* After an RSVP's answer: apply what it tells to e and say so in the
 * status line. Returns false when the reply failed. */
bool events_rsvp_apply(struct tui *, struct event *e, struct api_reply *);

#endif
