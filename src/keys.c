/*
 * keys.c: the one table of keybindings, and the live keymap (the table
 * with the config's bind lines applied).
 *
 * Lookup order in a view: the view's own binds, the view's defaults, then
 * global binds and global defaults. So `bind thread n next-unread` shadows
 * the global n only in the thread view.
 */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ambt/i18n.h"
#include "ambt/keys.h"
#include "ambt/util.h"

#define KV_READ (KV_THREAD | KV_PROFILE | KV_EVENT)

const struct key_binding key_bindings[] = {
    {ACT_DOWN,
     "down",
     KV_GLOBAL,
     {"j", "Down", "C-n"},
     N_("Move down one line or entry")},
    {ACT_UP,
     "up",
     KV_GLOBAL,
     {"k", "Up", "C-p"},
     N_("Move up one line or entry")},
    {ACT_PAGE_DOWN,
     "page-down",
     KV_GLOBAL,
     {"Space", "PageDown", "C-f"},
     N_("Move down one page")},
    {ACT_PAGE_UP,
     "page-up",
     KV_GLOBAL,
     {"b", "PageUp", "C-b", "-"},
     N_("Move up one page")},
    {ACT_HALF_DOWN,
     "half-down",
     KV_GLOBAL,
     {"d", "C-d"},
     N_("Move down half a page")},
    {ACT_HALF_UP,
     "half-up",
     KV_GLOBAL,
     {"u", "C-u"},
     N_("Move up half a page")},
    {ACT_TOP, "top", KV_GLOBAL, {"g", "Home"}, N_("Go to the top")},
    {ACT_BOTTOM, "bottom", KV_GLOBAL, {"G", "End"}, N_("Go to the bottom")},
    {ACT_SELECT,
     "select",
     KV_GLOBAL,
     {"Enter", "Right", "l"},
     N_("Open the selected entry")},
    {ACT_BACK,
     "back",
     KV_GLOBAL,
     {"q", "Left", "h"},
     N_("Go back to the previous view (quit from the last one)")},
    {ACT_QUIT, "quit", KV_GLOBAL, {"Q"}, N_("Quit ambt")},
    {ACT_HELP,
     "help",
     KV_GLOBAL,
     {"?", "F1"},
     N_("Show the keys of this view")},
    {ACT_REFRESH,
     "refresh",
     KV_GLOBAL,
     {"R", "F5", "C-r"},
     N_("Load this view again from the server")},
    {ACT_CANCEL,
     "cancel",
     KV_GLOBAL,
     {"Esc"},
     N_("Cancel what this view is loading")},
    {ACT_SEARCH, "search", KV_GLOBAL, {"/"}, N_("Search the forum")},
    {ACT_SEARCH_NEXT,
     "search-next",
     KV_GLOBAL,
     {"n"},
     N_("Find the next match of the last search")},
    {ACT_SEARCH_PREV,
     "search-prev",
     KV_GLOBAL,
     {"N"},
     N_("Find the previous match of the last search")},
    {ACT_GO_START, "go-start", KV_GLOBAL, {"1"}, N_("Go to the start page")},
    {ACT_GO_LATEST,
     "go-latest",
     KV_GLOBAL,
     {"2"},
     N_("Go to the latest topics")},
    {ACT_GO_CATEGORIES,
     "go-categories",
     KV_GLOBAL,
     {"3", "c"},
     N_("Go to the categories")},
    {ACT_GO_UNREAD,
     "go-unread",
     KV_GLOBAL,
     {"4"},
     N_("Go to the topics with unread posts")},
    {ACT_GO_NEW, "go-new", KV_GLOBAL, {"5"}, N_("Go to the new topics")},
    {ACT_GO_NOTIFICATIONS,
     "go-notifications",
     KV_GLOBAL,
     {"6"},
     N_("Go to your notifications")},
    {ACT_GO_EVENTS, "go-events", KV_GLOBAL, {"7", "E"}, N_("Go to the events")},
    {ACT_GO_MEMBERS,
     "go-members",
     KV_GLOBAL,
     {"8", "M"},
     N_("Go to the members list")},
    {ACT_GO_PROFILE_BY_NAME,
     "go-profile",
     KV_GLOBAL,
     {"@"},
     N_("Show a member's profile by name")},
    {ACT_NEXT_POST,
     "next-post",
     KV_THREAD,
     {"J", "]"},
     N_("Go to the next post")},
    {ACT_PREV_POST,
     "prev-post",
     KV_THREAD,
     {"K", "["},
     N_("Go to the previous post")},
    {ACT_NEXT_UNREAD,
     "next-unread",
     KV_THREAD | KV_LIST,
     {"Tab"},
     N_("Go to the next unread post or topic")},
    {ACT_GOTO_POST,
     "goto-post",
     KV_THREAD,
     {"#", ":"},
     N_("Go to post number N")},
    {ACT_FIRST_POST,
     "first-post",
     KV_THREAD,
     {"^"},
     N_("Go to the first post")},
    {ACT_LAST_POST, "last-post", KV_THREAD, {"$"}, N_("Go to the last post")},
    {ACT_FOLLOW_REPLY,
     "follow-reply",
     KV_THREAD,
     {"p"},
     N_("Go to the post this one replies to")},
    {ACT_SHOW_RAW,
     "show-raw",
     KV_THREAD,
     {"v"},
     N_("Show the post's Markdown source")},
    {ACT_OPEN_LINK,
     "open-link",
     KV_READ,
     {"o"},
     N_("Open link [n] in the browser")},
    {ACT_TOGGLE_TREE,
     "toggle-tree",
     KV_THREAD,
     {"t"},
     N_("Switch between the flat view and the reply tree")},
    {ACT_COLLAPSE,
     "collapse",
     KV_THREAD,
     {"z"},
     N_("Collapse or expand a branch of the reply tree")},
    {ACT_AUTHOR_PROFILE,
     "author-profile",
     KV_THREAD | KV_EVENT,
     {"a"},
     N_("Show the profile of the post's author")},
    {ACT_RSVP_GOING,
     "rsvp-going",
     KV_EVENT | KV_LIST,
     {"y"},
     N_("Answer an event: going")},
    {ACT_RSVP_INTERESTED,
     "rsvp-interested",
     KV_EVENT | KV_LIST,
     {"i"},
     N_("Answer an event: interested")},
    {ACT_RSVP_NOT_GOING,
     "rsvp-not-going",
     KV_EVENT | KV_LIST,
     {"x"},
     N_("Answer an event: not going")},
    {ACT_EXPORT_ICS,
     "export-ics",
     KV_EVENT | KV_LIST,
     {"e"},
     N_("Export the event, or all events, to an iCalendar file")},
    /* Writing. In a thread these shadow global keys: c, E, l, and R and
     * b, so there refresh is F5 and C-r and page up is PageUp, C-b and -
     * (R and b keep those jobs in the lists). F (tin's follow-up) and B
     * stay as second keys for the quoting reply and the bookmark. */
    {ACT_REPLY, "reply", KV_THREAD, {"r"}, N_("Reply to the topic")},
    {ACT_REPLY_QUOTE,
     "reply-quote",
     KV_THREAD,
     {"R", "F"},
     N_("Reply to the post under the cursor, quoting it")},
    {ACT_NEW_TOPIC,
     "new-topic",
     KV_THREAD,
     {"c"},
     N_("Start a new topic (category, title, text)")},
    {ACT_EDIT_POST, "edit-post", KV_THREAD, {"E"}, N_("Edit your own post")},
    {ACT_LIKE, "like", KV_THREAD, {"l"}, N_("Like or unlike the post")},
    {ACT_BOOKMARK,
     "bookmark",
     KV_THREAD,
     {"b", "B"},
     N_("Bookmark the post, or remove its bookmark")},
    {ACT_NOTIFY_LEVEL,
     "notify-level",
     KV_THREAD,
     {"w"},
     N_("Watch, track, mute or set the topic to normal")},
    {ACT_FLAG,
     "flag",
     KV_THREAD,
     {"!"},
     N_("Report the post to the moderators")},
    {ACT_LOGIN,
     "login",
     KV_GLOBAL,
     {"L"},
     N_("Log in with a username and password")},
};
const size_t key_n_bindings = AMBT_ARRAY_LEN(key_bindings);

static const struct {
	unsigned bit;
	const char *name;
} view_names[] = {
    {KV_GLOBAL, "global"},   {KV_LIST, "list"},   {KV_THREAD, "thread"},
    {KV_PROFILE, "profile"}, {KV_EVENT, "event"}, {KV_HELP, "help"},
};

static const char *const named_keys[] = {
    "Space", "Enter",  "Tab",    "Esc",     "Backspace", "Up",
    "Down",  "Left",   "Right",  "PageUp",  "PageDown",  "Home",
    "End",   "Insert", "Delete", "BackTab",
};

const struct key_binding *
key_binding_by_name(const char *name)
{
	for (size_t i = 0; i < key_n_bindings; i++) {
		if (strcmp(key_bindings[i].name, name) == 0)
			return &key_bindings[i];
	}
	return NULL;
}

const struct key_binding *
key_binding_by_action(enum key_action action)
{
	for (size_t i = 0; i < key_n_bindings; i++) {
		if (key_bindings[i].action == action)
			return &key_bindings[i];
	}
	return NULL;
}

/* "^R" (as less and tin write it) is "C-r". */
static bool
is_caret_key(const char *name)
{
	char c = name[1];

	return name[0] == '^' && name[2] == '\0' &&
	       ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
}

static char *
caret_key(const char *name)
{
	char c = name[1];

	if (!is_caret_key(name))
		return xstrdup(name);
	return xasprintf("C-%c", c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
}

/* One UTF-8 character, printable (not a control or a space). */
static bool
one_printable_char(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len;

	if (p[0] <= 0x20 || p[0] == 0x7f)
		return false;
	if (p[0] < 0x80)
		len = 1;
	else if ((p[0] & 0xe0) == 0xc0)
		len = 2;
	else if ((p[0] & 0xf0) == 0xe0)
		len = 3;
	else if ((p[0] & 0xf8) == 0xf0)
		len = 4;
	else
		return false;
	return strlen(s) == len && utf8_valid(s, len);
}

int
key_name_valid(const char *name)
{
	char *end;
	long n;

	if (name == NULL || name[0] == '\0')
		return 0;
	if (one_printable_char(name) || is_caret_key(name))
		return 1;
	for (size_t i = 0; i < AMBT_ARRAY_LEN(named_keys); i++) {
		if (strcmp(named_keys[i], name) == 0)
			return 1;
	}
	if (name[0] == 'C' && name[1] == '-' && name[2] >= 'a' &&
	    name[2] <= 'z' && name[3] == '\0')
		return 1;
	if (name[0] == 'F' && name[1] >= '1' && name[1] <= '9') {
		n = strtol(name + 1, &end, 10);
		return *end == '\0' && n >= 1 && n <= 12;
	}
	return 0;
}

unsigned
key_view_parse(const char *name)
{
	for (size_t i = 0; i < AMBT_ARRAY_LEN(view_names); i++) {
		if (strcmp(view_names[i].name, name) == 0)
			return view_names[i].bit;
	}
	return 0;
}

const char *
key_view_name(unsigned view_bit)
{
	for (size_t i = 0; i < AMBT_ARRAY_LEN(view_names); i++) {
		if (view_names[i].bit == view_bit)
			return view_names[i].name;
	}
	return NULL;
}

/* ---- The keymap ---- */

struct key_entry {
	unsigned views;
	char *key;
	enum key_action action; /* ACT_NONE: unbound by "bind ... noop" */
};

struct keymap {
	struct key_entry *binds; /* from the config, last one wins */
	size_t n_binds;
};

/* "noop" unbinds a key, as in mutt. */
static int
parse_action(const char *name, enum key_action *out)
{
	const struct key_binding *b;

	if (strcmp(name, "noop") == 0) {
		*out = ACT_NONE;
		return 0;
	}
	b = key_binding_by_name(name);
	if (b == NULL)
		return -1;
	*out = b->action;
	return 0;
}

/* Problems are listed one after the other, separated by "; ". */
static void
next_problem(struct buf *problems)
{
	if (problems->len > 0)
		buf_puts(problems, "; ");
}

/* Check one bind line; adds it to the map or describes what is wrong. */
static void
apply_bind(struct keymap *km, const struct config_binding *cb,
           struct buf *problems)
{
	unsigned view = key_view_parse(cb->view);
	enum key_action action;
	struct key_entry *e;

	if (view == 0) {
		next_problem(problems);
		buf_printf(problems,
		           _("bind: unknown view '%s' (global, list, thread, "
		             "profile, event, help)"),
		           cb->view);
		return;
	}
	if (!key_name_valid(cb->key)) {
		next_problem(problems);
		buf_printf(problems,
		           _("bind: unknown key '%s' (try x, C-x, Enter, "
		             "PageDown, F1)"),
		           cb->key);
		return;
	}
	if (parse_action(cb->action, &action) < 0) {
		next_problem(problems);
		buf_printf(problems,
		           _("bind: unknown action '%s' ('ambt keys' lists "
		             "them)"),
		           cb->action);
		return;
	}
	km->binds =
	    xreallocarray(km->binds, km->n_binds + 1, sizeof *km->binds);
	e = &km->binds[km->n_binds++];
	e->views = view;
	e->key = caret_key(cb->key);
	e->action = action;
}

struct keymap *
keymap_new(const struct config *cfg, struct ambt_error *err)
{
	struct keymap *km = xcalloc(1, sizeof *km);
	struct buf problems;

	buf_init(&problems);
	for (size_t i = 0; cfg != NULL && i < cfg->n_bindings; i++)
		apply_bind(km, &cfg->bindings[i], &problems);
	if (problems.len > 0)
		ambt_error_set(err, AMBT_E_USAGE, "%s", problems.data);
	buf_free(&problems);
	return km;
}

void
keymap_free(struct keymap *km)
{
	if (km == NULL)
		return;
	for (size_t i = 0; i < km->n_binds; i++)
		free(km->binds[i].key);
	free(km->binds);
	free(km);
}

/* A bind for key in exactly these views; the last one given wins. */
static const struct key_entry *
find_bind(const struct keymap *km, unsigned view, const char *key)
{
	for (size_t i = km->n_binds; i-- > 0;) {
		if ((km->binds[i].views & view) &&
		    strcmp(km->binds[i].key, key) == 0)
			return &km->binds[i];
	}
	return NULL;
}

static const struct key_binding *
find_default(unsigned view, const char *key)
{
	for (size_t i = 0; i < key_n_bindings; i++) {
		if (!(key_bindings[i].views & view))
			continue;
		for (size_t k = 0; k < AMBT_ARRAY_LEN(key_bindings[i].keys) &&
		                   key_bindings[i].keys[k];
		     k++) {
			if (strcmp(key_bindings[i].keys[k], key) == 0)
				return &key_bindings[i];
		}
	}
	return NULL;
}

/* The action of key in one view, without falling back to global; true
 * when the view decides (a bind to noop decides too). */
static bool
lookup_in(const struct keymap *km, unsigned view, const char *key,
          enum key_action *out)
{
	const struct key_entry *e = find_bind(km, view, key);
	const struct key_binding *b;

	if (e != NULL) {
		*out = e->action;
		return true;
	}
	b = find_default(view, key);
	if (b != NULL) {
		*out = b->action;
		return true;
	}
	return false;
}

enum key_action
keymap_lookup(const struct keymap *km, unsigned view, const char *key)
{
	enum key_action action = ACT_NONE;

	if (key == NULL)
		return ACT_NONE;
	view &= ~(unsigned)KV_GLOBAL;
	if (view != 0 && lookup_in(km, view, key, &action))
		return action;
	lookup_in(km, KV_GLOBAL, key, &action);
	return action;
}

static void
add_key(struct buf *out, const char *key)
{
	/* The same key may come from a bind and a default: list it once. */
	const char *p = out->data;
	size_t n = strlen(key);

	while (p != NULL && (p = strstr(p, key)) != NULL) {
		if ((p == out->data || p[-1] == ' ') &&
		    (p[n] == ',' || p[n] == '\0'))
			return;
		p += n;
	}
	if (out->len > 0)
		buf_puts(out, ", ");
	buf_puts(out, key);
}

/* Keys that bind action in view: candidates from the binds and the
 * defaults of `where`, kept when the lookup in view agrees. */
static void
collect_keys(const struct keymap *km, unsigned where, unsigned view,
             enum key_action action, struct buf *out)
{
	for (size_t i = 0; i < km->n_binds; i++) {
		if ((km->binds[i].views & where) &&
		    km->binds[i].action == action &&
		    keymap_lookup(km, view, km->binds[i].key) == action)
			add_key(out, km->binds[i].key);
	}
	for (size_t i = 0; i < key_n_bindings; i++) {
		const struct key_binding *b = &key_bindings[i];

		if (!(b->views & where) || b->action != action)
			continue;
		for (size_t k = 0; k < AMBT_ARRAY_LEN(b->keys) && b->keys[k];
		     k++) {
			if (keymap_lookup(km, view, b->keys[k]) == action)
				add_key(out, b->keys[k]);
		}
	}
}

char *
keymap_keys_in(const struct keymap *km, unsigned view, enum key_action action)
{
	struct buf out;

	buf_init(&out);
	collect_keys(km, view, view, action, &out);
	return buf_steal(&out);
}

char *
keymap_keys_for(const struct keymap *km, unsigned view, enum key_action action)
{
	struct buf out;

	buf_init(&out);
	collect_keys(km, view, view, action, &out);
	collect_keys(km, KV_GLOBAL, view, action, &out);
	return buf_steal(&out);
}
