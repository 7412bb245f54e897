/*
 * keys.h: the one table of keybindings.
 *
 * Each action has default keys, a description and the views it works in.
 * The TUI's key handling, the help screen (?), `ambt keys`, the config's
 * `bind VIEW KEY ACTION` and the man page's KEYS section all read this
 * table, so they cannot disagree. Keys are named as in muttrc: a printable
 * character ("j", "G", "?"), "Space", "Enter", "Tab", "Esc", "Backspace",
 * "Up", "Down", "Left", "Right", "PageUp", "PageDown", "Home", "End",
 * "F1".."F12", and control keys as "C-f" (bind also takes "^F"). No
 * ncurses here: the TUI maps its key codes to these names.
 */
#ifndef AMBT_KEYS_H
#define AMBT_KEYS_H

#include <stddef.h>

#include "ambt/config.h"
#include "ambt/error.h"

/* Views, as bits, so one action can serve several. */
enum key_view {
	KV_GLOBAL = 1 << 0, /* everywhere */
	KV_LIST = 1 << 1,   /* start page, topic lists, categories, search,
	                       notifications, members, events */
	KV_THREAD = 1 << 2,
	KV_PROFILE = 1 << 3,
	KV_EVENT = 1 << 4,
	KV_HELP = 1 << 5,
};

enum key_action {
	ACT_NONE = 0,
	/* Moving. */
	ACT_DOWN,
	ACT_UP,
	ACT_PAGE_DOWN,
	ACT_PAGE_UP,
	ACT_HALF_DOWN,
	ACT_HALF_UP,
	ACT_TOP,
	ACT_BOTTOM,
	ACT_SELECT,
	ACT_BACK,
	ACT_QUIT,
	ACT_HELP,
	ACT_REFRESH,
	ACT_CANCEL,
	ACT_SEARCH,
	ACT_SEARCH_NEXT,
	ACT_SEARCH_PREV,
	/* Going places. */
	ACT_GO_START,
	ACT_GO_LATEST,
	ACT_GO_CATEGORIES,
	ACT_GO_UNREAD,
	ACT_GO_NEW,
	ACT_GO_NOTIFICATIONS,
	ACT_GO_EVENTS,
	ACT_GO_MEMBERS,
	ACT_GO_PROFILE_BY_NAME,
	/* Threads. */
	ACT_NEXT_POST,
	ACT_PREV_POST,
	ACT_NEXT_UNREAD,
	ACT_GOTO_POST,
	ACT_FIRST_POST,
	ACT_LAST_POST,
	ACT_FOLLOW_REPLY,
	ACT_SHOW_RAW,
	ACT_OPEN_LINK,
	ACT_TOGGLE_TREE,
	ACT_COLLAPSE,
	ACT_AUTHOR_PROFILE,
	/* Events. */
	ACT_RSVP_GOING,
	ACT_RSVP_INTERESTED,
	ACT_RSVP_NOT_GOING,
	ACT_EXPORT_ICS,
	/* Writing (in a thread). */
	ACT_REPLY,
	ACT_REPLY_QUOTE,
	ACT_NEW_TOPIC,
	ACT_EDIT_POST,
	ACT_LIKE,
	ACT_BOOKMARK,
	ACT_NOTIFY_LEVEL,
	ACT_FLAG,
	/* Accounts. */
	ACT_LOGIN,
	ACT_COUNT
};

struct key_binding {
	enum key_action action;
	const char *name;        /* "next-unread": for bind and the man page */
	unsigned views;          /* enum key_view bits */
	const char *keys[5];     /* default keys, NULL-terminated */
	const char *description; /* one line, English (translated in the UI) */
};

extern const struct key_binding key_bindings[];
extern const size_t key_n_bindings;

const struct key_binding *key_binding_by_name(const char *name);
const struct key_binding *key_binding_by_action(enum key_action);
/* Is this a key name the table understands ("C-f", "PageDown", "x")? */
int key_name_valid(const char *name);
/* View names for bind: "global", "list", "thread", "profile", "event",
 * "help"; 0 when unknown. */
unsigned key_view_parse(const char *name);
const char *key_view_name(unsigned view_bit);

/*
 * The live keymap: the defaults with the config's bind lines applied.
 * key_lookup() finds the action for a key name in a view (the view's own
 * bindings first, then global ones); ACT_NONE when unbound.
 */
struct keymap;
/* Never NULL: bad bind lines are left out and described in err. */
struct keymap *keymap_new(const struct config *cfg, struct ambt_error *err);
void keymap_free(struct keymap *);
enum key_action keymap_lookup(const struct keymap *, unsigned view,
                              const char *key);
/* The keys bound to an action in a view, joined with ", " (for help). */
char *keymap_keys_for(const struct keymap *, unsigned view,
                      enum key_action action);
/* Only the keys the view binds itself, not those it inherits from global
 * (for `ambt keys`, which lists each view apart). */
char *keymap_keys_in(const struct keymap *, unsigned view,
                     enum key_action action);

#endif
