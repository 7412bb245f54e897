/*
 * notices.h: the watcher inside the TUI (issue 6).
 *
 * While the TUI runs logged in with notices on, the watcher (ambt/watch.h)
 * runs in the TUI's own loop: its requests go through the TUI's http, the
 * notifier's D-Bus descriptors join the poll set. Each notice goes to the
 * desktop and, always, to the status line and to the list of notices
 * "new since you opened" at the top of the notifications view, so nothing
 * is lost without a desktop.
 */
#ifndef AMBT_TUI_NOTICES_H
#define AMBT_TUI_NOTICES_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ambt/notify.h"
#include "tui/tui.h"

/* A notice as the TUI keeps it (all strings owned). */
struct tui_notice {
	enum notice_kind kind;
	char *summary;
	char *body;
	char *url;        /* may be NULL */
	int64_t topic_id; /* from the URL, or 0 */
	int post_number;
	int64_t at;
};

struct tui_notices;

/* Start the watcher as the TUI's member (not logged in: at a login).
 * NULL when notices are off (on false: --no-notify; or set notify no) or
 * there is no state store. */
struct tui_notices *notices_start(struct tui *, bool on);
/* A login in the TUI: the old connection's watcher goes first (pause),
 * then the new member's starts (resume); the notices received so far are
 * kept. Started without a login, the watcher waits for one this way. */
void notices_pause(struct tui_notices *);
void notices_resume(struct tui_notices *);
void notices_stop(struct tui_notices *); /* cancels what is in flight */

/* Run what is due; the milliseconds until it wants to run again, or -1. */
int notices_tick(struct tui_notices *);
/* The notifier's descriptors, and handling them after a poll. */
size_t notices_pollfds(struct tui_notices *, struct pollfd *fds, size_t max);
void notices_dispatch(struct tui_notices *, const struct pollfd *fds, size_t n);
/* The watcher's requests in flight, as far as it says (watch_busy(): at
 * least one), for a status line that shows the views' loading only. */
size_t notices_in_flight(const struct tui_notices *);
/* A key was pressed: the user is at the screen. */
void notices_user_active(struct tui_notices *);

/* The notices received since the TUI started, newest first; NULL (and
 * *n = 0) without a watcher. */
const struct tui_notice *notices_list(const struct tui_notices *, size_t *n);
/* tui.c: the TUI's watcher, or NULL; and a line in the status line
 * that gives way: shown only where no other message is. */
struct tui_notices *tui_notices(struct tui *);
void tui_note(struct tui *, const char *text);

#endif
