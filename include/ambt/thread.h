/*
 * thread.h: a topic as a reader walks it, with no screen attached.
 *
 * A topic is a list of slots, one per post, in the order the server lists
 * them: post_stream.stream's ids for an ordinary topic, or one slot per
 * post number for a mega topic (no stream: paged by post number). A slot
 * holds its post once a chunk brought it. thread_next_chunk() says which
 * chunk of at most THREAD_CHUNK posts to ask for given where the reader
 * is: the posts at that position first, then one chunk ahead, then the
 * chunk behind. The rest answers the reader's questions: where the first
 * unread post is (the higher of the server's last_read_post_number and
 * the local read position wins), where post N is, the reply tree's order
 * (children after their parent, indented by depth, collapsed branches
 * hidden) and what to report as read (ms per post number, batched).
 */
#ifndef AMBT_THREAD_H
#define AMBT_THREAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ambt/model.h"

#define THREAD_CHUNK 20    /* posts per request, as Discourse sends */
#define THREAD_MAX_DEPTH 6 /* the reply tree indents no deeper */

struct thread_slot {
	int64_t id;        /* post id; 0 in a mega topic until loaded */
	int post_number;   /* 0 in an ordinary topic until loaded */
	struct post *post; /* NULL until loaded */
	void *ui;          /* the view's data (a render); freed with ui_free */
	bool requested;    /* in a request now */
	bool absent;       /* no such post (deleted, or a gap in numbers) */
	bool collapsed;    /* reply tree: its replies are hidden */
};

struct thread {
	int64_t topic_id;
	bool mega;
	struct thread_slot *slots;
	size_t n;
	int highest_post_number;
	int last_read;    /* read before this session: server or local */
	int highest_seen; /* the highest post number seen, any session */
	void (*ui_free)(void *);
	/* private */
	struct thread_id_index *by_id; /* sorted (id, slot) */
	size_t n_by_id;
	unsigned char *seen; /* by post number: seen in this session */
	size_t n_seen;
	struct thread_timing *pending; /* ms not yet reported */
	size_t n_pending;
	int pending_topic_ms;
};

/* One request: ids for an ordinary topic, a post number for a mega one. */
struct thread_chunk {
	bool mega;
	int64_t ids[THREAD_CHUNK];
	size_t n;        /* ids */
	int post_number; /* mega: the posts after (asc) or before it */
	bool asc;
	size_t first; /* mega: the slots the request covers */
	size_t count;
};

/* One row of the reading order. */
struct thread_row {
	size_t slot;
	int depth;        /* 0 in the flat view */
	bool has_replies; /* in the tree: it has children (shown or not) */
};

/*
 * A thread from /t/{id}.json. It takes the topic's inline posts (leaving
 * topic->posts empty) and copies the stream. local_read is the local read
 * position (0 when none). ui_free may be NULL.
 */
struct thread *thread_new(struct topic *topic, int local_read,
                          void (*ui_free)(void *));
void thread_free(struct thread *);
/* A refresh: the new stream and posts, keeping what is loaded and every
 * slot's ui (but of posts that changed). Takes topic->posts. */
void thread_update(struct thread *, struct topic *topic);

/* The next request to make for a reader at slot pos, marking its slots
 * requested; false when nothing near pos is missing. */
bool thread_next_chunk(struct thread *, size_t pos, struct thread_chunk *out);
/* A chunk's answer: takes the posts (leaving them zeroed); slots asked for
 * but not answered become absent. */
void thread_chunk_done(struct thread *, const struct thread_chunk *,
                       struct post *posts, size_t n);
void thread_chunk_failed(struct thread *, const struct thread_chunk *);

/* The slot of a post id (ordinary topics) or post number (mega); -1. */
long thread_slot_of_id(const struct thread *, int64_t id);
/* A slot's key that survives thread_update: its id, or in a mega topic
 * its post number. thread_slot_of_key() inverts it (-1 when gone). */
int64_t thread_slot_key(const struct thread *, size_t slot);
long thread_slot_of_key(const struct thread *, int64_t key);

/* The post number to open at: the first unread, or the last post when
 * all are read. */
int thread_open_number(const struct thread *);
/*
 * Where post number n is. True with *slot its slot (or the next post
 * when n is absent) when that is known; false with *slot the best guess
 * among posts not loaded yet: load it and ask again.
 */
bool thread_locate(const struct thread *, int n, size_t *slot);
/* The first unread post number after cur (not read before, not seen
 * now), or 0 when none. */
int thread_next_unread(const struct thread *, int cur);
/* What a small-action post's action_code did ("closed the topic"), or
 * NULL for a code it does not know. The CLI and the TUI both say it. */
const char *thread_action_text(const char *code);

/* The reading order into rows (room for t->n): every present slot, or the
 * reply tree. Returns the number of rows. */
size_t thread_order(const struct thread *, bool tree, struct thread_row *rows);

/* ms of reading with these post numbers on screen. */
void thread_read_tick(struct thread *, const int *post_numbers, size_t n,
                      int ms);
bool thread_was_seen(const struct thread *, int post_number);
/* Take what to report: post numbers and ms (new arrays the caller frees),
 * and the topic time. Returns how many; 0 leaves the arrays NULL. */
size_t thread_take_timings(struct thread *, int **post_numbers, int **ms,
                           int *topic_ms);

#endif
