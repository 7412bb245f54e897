/*
 * core.h: what the TUI's own files share and views do not need: key
 * names from curses key codes (input.c), colour pairs (colors.c) and the
 * cursor of a list (list.c).
 */
#ifndef AMBT_TUI_CORE_H
#define AMBT_TUI_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>

#include "tui/tui.h"

/* Push the view make(t, ...) returns. (It stood in while some views had
 * not landed; view_event.c, view_events.c and view_members.c use it.) */
#define TUI_PUSH_OTHER(t, make, ...) tui_push((t), (make)((t), __VA_ARGS__))

/* ---- input.c ---- */
void input_init(void);
/* The key name (as keys.h spells them) of what get_wch() returned, in
 * buf (at least 16 bytes), or NULL for codes without a name. */
const char *input_key_name(int ret, wint_t ch, char *buf, size_t size);

enum input_mouse_kind {
	MOUSE_NONE,
	MOUSE_WHEEL_UP,
	MOUSE_WHEEL_DOWN,
	MOUSE_CLICK,
};
/* After KEY_MOUSE: what happened, and the screen row of a click. */
enum input_mouse_kind input_mouse(int *row);

/* ---- colors.c ---- */
/* Colour pairs for the theme, or attributes only when use_color is
 * false or the terminal has fewer than 8 colours. */
void colors_init(const struct theme *, bool use_color);
int colors_attr(enum theme_element);

/* ---- list.c: a selection in a list of n rows ---- */
/* How far a moving action (j, k, pages, half pages, g, G) goes in a view
 * of `rows` rows showing n rows or lines in all: negative is up. False
 * when the action does not move. */
bool tui_move_delta(enum key_action, int rows, size_t n, long *delta);
/* The first line to show after scrolling by delta, kept within n_lines. */
size_t tui_scroll_top(size_t top, long delta, size_t n_lines, int rows);
struct list_nav {
	size_t n;   /* rows */
	size_t sel; /* the selected row */
	size_t top; /* the first row shown */
	int rows;   /* rows on screen at the last draw */
};
/* Rows that cannot be selected (section headings) are skipped. */
typedef bool (*list_selectable_fn)(void *ctx, size_t row);
/* Handle a moving action; false when it is not one. */
bool list_nav_action(struct list_nav *, enum key_action,
                     list_selectable_fn selectable, void *ctx);
/* Keep the selection on screen in `rows` rows and on a selectable row. */
void list_nav_fit(struct list_nav *, int rows, list_selectable_fn selectable,
                  void *ctx);
/* A click on screen row `row` (from the list's top) selects that row;
 * true when it was selected already, so the view opens it. */
bool list_nav_click(struct list_nav *, int row, list_selectable_fn, void *);
/* n and N: select the next (dir 1) or previous (dir -1) row whose text
 * holds the last search, case-insensitively, and say so when none does.
 * True when the action was one of them. */
typedef const char *(*list_text_fn)(void *ctx, size_t row);
bool list_nav_find(struct list_nav *, struct tui *, enum key_action,
                   list_text_fn text, void *ctx);
/* Select row `row` (after new data: the row of the remembered id). */
void list_nav_select(struct list_nav *, size_t row);

/* ---- tui.c ---- */
/* tui_prompt() without showing what is typed (a password). */
char *tui_prompt_secret(struct tui *, const char *question);
/* The server's own words in a failed request's error (a 422's "Body is
 * too short", after "URL: HTTP 422: "), or the whole message: the status
 * line is short and the URL is not news. */
const char *tui_error_words(const struct ambt_error *);
/* Draw now, before a call that blocks for a moment ("Logging in..."). */
void tui_flush(struct tui *);
/* Go on as the member just logged in: every view is closed (what the old
 * connection still runs is let finish), http and api become the TUI's
 * (freed at the end or at the next login), and the start page opens. */
void tui_switch_login(struct tui *, struct http *http, struct api *api,
                      const char *username);

/* ---- login.c ---- */
/* L: ask a username, a password and, when the server wants one, a
 * second-factor code; keep the session (login_keep) and switch to it. */
void tui_login(struct tui *);

/* The last query given to / (for n and N), or NULL. */
const char *tui_last_search(struct tui *);
/* A category's name from /site.json (fetched once at start), or NULL. */
const char *tui_category_name(struct tui *, int64_t id);

/* ---- view_topics.c: a topic as a list row ---- */
void topic_row_draw(struct tui *, int y, int cols, const struct topic_entry *,
                    bool selected);

/* "3d", "5h", "now" ("" for no time) for a list column, written into
 * buf (16 bytes) and returned. */
const char *tui_age(int64_t t, char *buf, size_t size);

#endif
