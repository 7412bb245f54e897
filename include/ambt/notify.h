/*
 * notify.h: desktop notifications.
 *
 * A notice goes to the desktop through libnotify (D-Bus,
 * org.freedesktop.Notifications) when a session bus and a notification
 * server are there, and otherwise to the caller's fallback: `ambt watch`
 * writes one line to stderr, the TUI shows it in its status line and its
 * notifications view. No D-Bus at all is not an error and never a crash.
 *
 * Where the server supports actions, a notice that has a URL carries an
 * "Open" action; choosing it runs the configured command with the URL
 * (by default ambt opening that post). Action replies arrive over D-Bus:
 * the caller adds notifier_pollfds() to its poll loop and calls
 * notifier_dispatch() when they are readable, so nothing spins.
 *
 * No ncurses and no JSON here: the watcher (watch.h) decides what to say.
 */
#ifndef AMBT_NOTIFY_H
#define AMBT_NOTIFY_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What a notice is about; it sets the urgency and the icon. */
enum notice_kind {
	NOTICE_POST,      /* a new post in a watched topic or category */
	NOTICE_REPLY,     /* a reply to the user */
	NOTICE_MENTION,   /* @user, or a quote of the user */
	NOTICE_MESSAGE,   /* a private message */
	NOTICE_MONITORED, /* a post with a word the user monitors */
	NOTICE_EVENT,     /* an event that starts soon */
	NOTICE_SUMMARY,   /* several coalesced into one */
};

enum notice_urgency {
	NOTICE_LOW,
	NOTICE_NORMAL,
	NOTICE_CRITICAL,
};

struct notice {
	enum notice_kind kind;
	const char *summary; /* plain text, e.g. the topic's title */
	const char *body;    /* plain text, e.g. "annelies: Beste collega's" */
	const char *url;     /* the post's address for Open, or NULL */
};

/* Where notices go when the desktop cannot take them. */
typedef void (*notice_fallback_fn)(const struct notice *, void *arg);

struct notifier_options {
	bool enabled;              /* false: --no-notify, fallback only */
	const char *open_command;  /* run with the URL as its last argument
	                              (split on spaces, no shell); NULL: the
	                              default, ambt opening the post */
	notice_fallback_fn fallback;
	void *fallback_arg;
};

struct notifier;

/* Never NULL: without D-Bus it only uses the fallback. */
struct notifier *notifier_new(const struct notifier_options *);
void notifier_free(struct notifier *);
/* Is a notification server there (the last notice reached it)? */
bool notifier_has_desktop(const struct notifier *);
/* Show a notice: 0 when the desktop took it, 1 when it went to the
 * fallback (no desktop, disabled, or the server failed). */
int notifier_show(struct notifier *, const struct notice *);

/* The descriptors to poll for D-Bus replies (actions); 0 when none. */
size_t notifier_pollfds(struct notifier *, struct pollfd *fds, size_t max);
/* Handle what arrived on them: runs the Open command when chosen. */
void notifier_dispatch(struct notifier *);

enum notice_urgency notice_urgency_of(enum notice_kind);
/* A short plain-text body from a post: "author: first line", the first
 * line rendered from cooked HTML, control characters made inert, cut to
 * max_cols columns with "…" (newly allocated). */
char *notice_post_body(const char *author, const char *cooked,
                       size_t max_cols);

#endif
