/*
 * compose.h: writing from the TUI. compose.c runs the flow (draft saved
 * before the editor starts and again after it, limits checked, sent
 * through the draft-safe pipeline of ambt/send.h); editor.c edits the
 * text: $VISUAL or $EDITOR with the screen suspended, as mutt does, or
 * the built-in editor when neither is set.
 */
#ifndef AMBT_TUI_COMPOSE_H
#define AMBT_TUI_COMPOSE_H

#include <stdint.h>

#include "tui/tui.h"

/* ---- editor.c ---- */
enum edit_result {
	EDIT_DONE,      /* the file holds the text to send */
	EDIT_CANCELLED, /* built-in editor, Esc: the file holds the text */
	EDIT_FAILED,    /* the editor could not run or failed */
};
/* Has the terminal gone (a closed window) or a signal asked ambt to stop?
 * For loops that read keys without the main loop (the built-in editor). */
bool tui_should_stop(struct tui *);
/* Edit the UTF-8 file at path; the screen is restored afterwards. */
enum edit_result tui_edit_file(struct tui *, const char *path);
/* The whole file as a string, or NULL; and writing one (0 or -1). */
char *edit_read_file(const char *path);
int edit_write_file(const char *path, const char *text);

/* ---- compose.c ---- */
/* Who started a compose: *slot holds it until it ends (then NULL), and
 * posted(arg) runs when the server has confirmed. A view that goes away
 * first calls compose_detach(); the send still ends and keeps its draft. */
struct compose;
struct compose_owner {
	struct compose **slot;
	void (*posted)(void *arg);
	void *arg;
};
/* Reply in a topic; quote (may be NULL) is the post to reply to with a
 * quote of its raw text. A kept draft of the topic is offered first. */
void compose_reply(struct tui *, int64_t topic_id, const struct post *quote,
                   const struct compose_owner *);
/* Edit one's own post (its raw text is fetched first). */
void compose_edit(struct tui *, const struct post *,
                  const struct compose_owner *);
/* Start a topic: a category from site's (fetched when site is NULL), a
 * title, then the text. */
void compose_new_topic(struct tui *, const struct site *,
                       const struct compose_owner *);
void compose_detach(struct compose *);
/* The TUI goes: every compose still waiting for an answer (a send in
 * flight) is detached and forgets the TUI; its answer, or its
 * cancellation when the connection closes, then only frees it. */
void compose_stop_all(void);
/* "1 niet verzonden concept" in the status line when drafts are kept. */
void compose_note_drafts(struct tui *);
/* When logged in: bring the server's drafts (a reply begun in the
 * browser) into the state store, in the background, and say how many are
 * unsent once they are in. compose_sync_stop() before the TUI goes: the
 * answer may come after it. */
void compose_sync_drafts(struct tui *);
void compose_sync_stop(void);

#endif
