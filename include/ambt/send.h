/*
 * send.h: sending a post so that its text is never lost and never posted
 * twice.
 *
 * The text goes into the state store (committed) before anything is sent,
 * keyed by Discourse's draft key ("topic_42", "new_topic"). It is deleted
 * only when the server has confirmed the post, or when a check of the
 * topic's newest posts finds that an earlier attempt did arrive. A network
 * failure, a 5xx or a 422 keeps it. A timeout or a cut connection (the
 * server may have accepted the post) is followed by that check before the
 * caller is told to offer sending again.
 *
 * When logged in (env.username set) drafts also go to the server's
 * /drafts.json, as the web composer does, best effort.
 */
#ifndef AMBT_SEND_H
#define AMBT_SEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ambt/api.h"
#include "ambt/model.h"
#include "ambt/store.h"

struct send_env {
	struct api *api;
	struct store *state;  /* the state store: where drafts live */
	const char *server;   /* the server's base URL: the store's key */
	const char *username; /* the login, or NULL: no server drafts, and the
	                         check matches on the text alone */
};

enum send_outcome {
	SEND_POSTED,    /* the server confirmed; the draft is gone */
	SEND_FOUND,     /* an earlier attempt had arrived; the draft is gone */
	SEND_KEPT,      /* not posted (err says why); the draft is kept and
	                   may be sent again */
	SEND_UNCERTAIN, /* the post may have arrived and the check could not
	                   tell (err says why); the draft is kept, and sending
	                   it again checks first */
};

struct send_result {
	enum send_outcome outcome;
	struct post *post; /* POSTED, FOUND: the post; the callback owns it */
	struct ambt_error err;
};
typedef void (*send_done_fn)(struct send_result *result, void *arg);

/* "topic_42" for a reply in topic 42, "new_topic" for topic_id 0. */
char *send_draft_key(int64_t topic_id);
/* The topic a draft key replies in, or 0 ("new_topic", anything else). */
int64_t send_draft_topic(const char *key);

/* Keep a draft: in the state store (committed before returning), and when
 * logged in also on the server, best effort (its answer is not awaited
 * beyond http's own loop), with the sequence the server gave for the key
 * (asked for first when none is known). The env's store must outlive the
 * api's pending requests. */
int send_save_draft(const struct send_env *, const struct draft *,
                    struct ambt_error *err);
/* Keep d in the state store only; a sequence or category d lacks is taken
 * from the stored draft of its key. */
int send_keep_draft(const struct send_env *, struct draft *d,
                    struct ambt_error *err);
/* Forget a draft here and, when logged in, on the server. */
int send_discard_draft(const struct send_env *, const char *key,
                       struct ambt_error *err);

/*
 * Save draft (its key says reply or new topic; category_id is for a new
 * topic), then send it and call done once with the outcome. With
 * check_first, a reply first looks for an earlier attempt in the topic (for
 * a draft left by a crash, a kill or a timeout). The env's strings must
 * outlive the call; draft is copied. Returns 0, or -1 with err when the
 * draft could not be saved (nothing was sent; done is not called).
 */
int send_post(const struct send_env *, const struct draft *,
              int64_t category_id, bool check_first, send_done_fn done,
              void *arg, struct ambt_error *err);

/*
 * Bring the server's drafts (GET /drafts.json) into the state store: those
 * we lack and those newer than ours, as far as ambt can send them (replies
 * and new topics). done is called once, from the http loop, with how many
 * were taken, and err (or NULL). -1 with err when not logged in (nothing
 * is asked; done is not called).
 */
int send_sync_server_drafts(const struct send_env *,
                            void (*done)(int n_imported,
                                         const struct ambt_error *err,
                                         void *arg),
                            void *arg, struct ambt_error *err);

/* The drafts not yet sent to a server, newest first ("N niet verzonden
 * concept(en)" at start). *out is an array of n drafts. */
int send_unsent_drafts(struct store *, const char *server, struct draft **out,
                       size_t *n, struct ambt_error *err);
void send_drafts_free(struct draft *, size_t n);

#endif
