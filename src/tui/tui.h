/*
 * tui.h: the ncurses interface: one event loop, a stack of views.
 *
 * tui.c owns the screen and the loop. Each turn it draws what is dirty,
 * then waits in http_poll() on the network, the terminal and a self-pipe
 * for signals (SIGWINCH, SIGTERM), so the screen never freezes on the
 * network. Keys become key names, then actions through the keymap
 * (ambt/keys.h); the top view gets the action first and tui.c handles
 * what it does not (quit, help, go-to views, cancel).
 *
 * The screen: row 0 is the header (the view's title), the last row the
 * status line (what is loading, the last message or error, "offline"),
 * and the view draws the rows between.
 *
 * Views never see JSON or HTTP: they call the api (ambt/api.h) with a
 * callback and get model structs. A view that starts requests keeps their
 * handles and cancels them (tui_cancel) first thing in its free(); a
 * callback that gets AMBT_E_CANCELLED only releases the reply's data.
 */
#ifndef AMBT_TUI_H
#define AMBT_TUI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ambt/api.h"
#include "ambt/config.h"
#include "ambt/keys.h"
#include "ambt/render.h"
#include "ambt/store.h"
#include "ambt/theme.h"

struct tui;
struct view;

struct view_ops {
	const char *name;  /* "thread" */
	unsigned key_view; /* enum key_view bit for the keymap and help */
	/* The header text; may change as data arrives. */
	const char *(*title)(struct view *);
	/* Draw rows [top, top + rows) of stdscr, cols wide. */
	void (*draw)(struct view *, struct tui *, int top, int rows, int cols);
	/* Handle an action; false lets tui.c handle it. */
	bool (*action)(struct view *, struct tui *, enum key_action);
	/* A mouse click on a row of the view's area (row from its top), or
	 * NULL. Wheel scrolling arrives as ACT_DOWN/ACT_UP. */
	void (*click)(struct view *, struct tui *, int row);
	/* Load again (ACT_REFRESH, or on push when it is NULL-safe). */
	void (*reload)(struct view *, struct tui *);
	/* Cancel the view's requests (Esc). */
	void (*cancel)(struct view *, struct tui *);
	void (*free)(struct view *);
	/* What the view is loading, for the status line ("latest topics"
	 * gives "Loading latest topics..."), or NULL to use the title. */
	const char *(*loading)(struct view *);
	/* Called about once a second while the view is on top, keys or
	 * not, or NULL: for what goes on while the reader only reads (the
	 * thread's reading time). */
	void (*tick)(struct view *, struct tui *);
};

/* Embed as the first member of each view's struct. */
struct view {
	const struct view_ops *ops;
};

/* ---- tui.c ---- */
struct tui_options {
	struct api *api;
	struct store *state; /* read positions, drafts; may be NULL */
	const struct config *cfg;
	const char *base_url;
	const char *username; /* who is logged in, or NULL */
	bool notify;          /* run the watcher (no --no-notify) */
	int64_t open_topic;   /* ambt tui 42/7: open this topic, or 0 */
	int open_post;        /* at this post (0: the first unread) */
};
int tui_run(const struct tui_options *); /* exit status */

void tui_push(struct tui *, struct view *); /* takes ownership */
void tui_pop(struct tui *);                 /* frees the top view */
/* Replace every view with one (the "go to" actions). */
void tui_reset(struct tui *, struct view *);
void tui_dirty(struct tui *); /* redraw soon */
void tui_message(struct tui *, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void tui_error(struct tui *, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Report a failed reply: offline copies say so, errors go to the status
 * line. Returns true when the reply has data to show. */
bool tui_reply_ok(struct tui *, const struct api_reply *);
/* Read a line at the status line ("Go to post: "). Keeps the network
 * running. Returns a new string, or NULL when cancelled with Esc. */
char *tui_prompt(struct tui *, const char *question);
/* Cancel a request a view started (NULL does nothing): its callback runs
 * at once with AMBT_E_CANCELLED. Only tui.c talks to the http layer. */
void tui_cancel(struct tui *, struct http_req *);
/* Ask y/n; true for yes. */
bool tui_confirm(struct tui *, const char *question);

struct api *tui_api(struct tui *);
struct store *tui_state(struct tui *);
const struct config *tui_config(struct tui *);
const char *tui_base_url(struct tui *);
const char *tui_username(struct tui *);
const struct keymap *tui_keymap(struct tui *);
/* Open a URL with $BROWSER or xdg-open, detached. */
void tui_open_url(struct tui *, const char *url);

/* ---- draw.c: drawing helpers every view uses ---- */
/* The curses attribute (colour pair and attrs) of a theme element. */
int tui_attr(enum theme_element);
/* Draw text at (y, x), cut to cols columns (wide characters measured),
 * padded with spaces when pad. The text must be sanitized already. */
void tui_put(int y, int x, int cols, const char *text, int attr, bool pad);
/* Draw one rendered line with its spans styled by the theme. */
void tui_put_rendered(int y, int x, int cols, const struct render_line *);
/* A list row: selected rows in TE_SELECTED. */
void tui_clear_rows(int top, int rows, int cols);

/* ---- the views: one file each; each returns a view to push ---- */
struct view *view_start_new(struct tui *); /* view_start.c */
struct view *view_topics_new(struct tui *, const char *what,
                             const char *category_slug,
                             int64_t category_id); /* view_topics.c:
                                               what = "latest",
                                               "unread", "new" */
struct view *view_categories_new(struct tui *);    /* view_categories.c */
struct view *view_search_new(struct tui *,
                             const char *query);   /* view_search.c */
struct view *view_notifications_new(struct tui *); /* view_notifications.c */
struct view *view_thread_new(struct tui *, int64_t topic_id,
                             int post_number); /* view_thread.c; 0: first
                                                  unread */
struct view *view_profile_new(struct tui *,
                              const char *username); /* view_profile.c */
struct view *view_members_new(struct tui *);         /* view_members.c */
struct view *view_events_new(struct tui *);          /* view_events.c */
struct view *view_event_new(struct tui *, int64_t event_id); /* view_event.c */
struct view *view_help_new(struct tui *, unsigned key_view); /* view_help.c */

#endif
