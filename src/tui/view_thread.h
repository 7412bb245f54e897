/*
 * view_thread.h: what view_thread.c (requests, keys) and
 * view_thread_layout.c (lines, drawing, scrolling) share.
 *
 * The screen is a list of items: item 0 is the topic's header, item i > 0
 * the post of rows[i - 1] (the flat or the tree order). Each item is some
 * lines. Where the reader is is an anchor: an item's key (the post's id,
 * or its number in a mega topic) and a line within it, never a screen
 * row, so posts loading, a refresh or a resize never move the reader.
 */
#ifndef AMBT_VIEW_THREAD_H
#define AMBT_VIEW_THREAD_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "ambt/thread.h"
#include "tui/tui.h"

#define VT_HEADER_KEY INT64_MIN /* the anchor key of the topic header */
#define VT_MAX_CHUNKS 2         /* chunk requests in flight at once */
#define VT_MAX_JUMPS 32         /* "in reply to" jumps to come back from */

struct vt_chunk_req {
	struct view_thread *v;
	struct http_req *req; /* NULL when the slot is free */
	struct thread_chunk chunk;
};

/* A slot's ui: its lines at one width. */
struct post_ui {
	int width;             /* the width the body was laid out for */
	bool raw;              /* showing the raw Markdown */
	char *head;            /* "#3  Name @user  in reply to @x #2" */
	char *meta;            /* "3d · <date> · 2 likes" */
	struct rendered *body; /* NULL for small actions */
};

struct view_thread {
	struct view base;
	struct tui *tui;
	int64_t topic_id;
	int open_at;         /* post number asked for; 0: first unread */
	struct topic *topic; /* header data (its posts moved to thread) */
	struct thread *thread;
	struct site *site; /* for the category's name */
	char *title;
	/* Reading order. */
	bool tree;
	struct thread_row *rows;
	size_t n_rows;
	long *row_of_slot; /* -1 when hidden */
	bool order_stale;
	/* Where the reader is. */
	int64_t anchor_key;
	int anchor_line;
	int want_post; /* a jump waiting for its post to load */
	int64_t jumps[VT_MAX_JUMPS];
	size_t n_jumps;
	int64_t jumped_to; /* the key the last jump landed on */
	/* What the screen showed last. */
	int cols, rows_shown;
	size_t last_item; /* the last item on screen */
	int *visible;     /* post numbers on screen */
	size_t n_visible;
	struct timespec last_tick, last_flush;
	struct timespec last_key; /* reading stops counting when idle */
	/* Requests. */
	struct http_req *topic_req, *site_req, *raw_req;
	int64_t raw_post_id;
	struct vt_chunk_req chunks[VT_MAX_CHUNKS];
	bool load_failed; /* stop asking until the reader acts */
	bool offline;     /* the last request could not connect */
	bool at_end;      /* G: keep the thread's end in view */
	/* Writing (view_thread_write.c). */
	struct compose *compose;     /* a reply or edit under way, or NULL */
	struct http_req *write_req;  /* a like, bookmark, level or flag */
};

/* ---- view_thread_layout.c ---- */
void vt_order(struct view_thread *); /* rebuild rows if stale */
size_t vt_n_items(const struct view_thread *);
long vt_item_slot(const struct view_thread *, size_t item); /* -1: header */
int64_t vt_item_key(const struct view_thread *, size_t item);
/* The item the anchor is on (0 when its post went away). */
size_t vt_anchor_item(struct view_thread *);
void vt_set_anchor(struct view_thread *, size_t item, int line);
int vt_item_lines(struct view_thread *, size_t item);
/* Move the anchor by n lines (negative: up), kept inside the thread. */
void vt_scroll(struct view_thread *, int n);
/* Put the end of the thread at the bottom of the screen. */
void vt_scroll_to_end(struct view_thread *);
void vt_draw(struct view_thread *, int top, int rows, int cols);
/* Drop the renders of posts far from the screen. */
void vt_drop_renders(struct view_thread *);
void post_ui_free(void *);
/* The rendered body of a slot's post at the current width, or NULL. */
const struct rendered *vt_body(struct view_thread *, size_t slot);

/* ---- view_thread_write.c: r, F, E, c, l, B, w, ! ---- */
/* True when a was a writing action (handled, or refused with a reason). */
bool vt_write_action(struct view_thread *, enum key_action a,
                     const struct post *current);
/* Cancel the view's write request and detach a compose under way. */
void vt_write_free(struct view_thread *);

#endif
