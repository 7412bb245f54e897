/*
 * tui.c: the screen, the one event loop and the stack of views.
 *
 * Each turn draws what is dirty, then waits in http_poll() on curl's
 * sockets, the terminal and a self-pipe that the signal handlers write
 * to. http_poll() knows curl's own timers (retries, timeouts), so the
 * loop waits with no timeout of its own and never spins, unless the top
 * view wants a tick: then it wakes once a second.
 */
#include "config.h"

#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>
#include <wctype.h>

#include "ambt/i18n.h"
#include "ambt/util.h"
#include "tui/compose.h"
#include "tui/core.h"
#include "tui/notices.h"

/* At this size and below only "window too small" is drawn. */
#define MIN_COLS 20
#define MIN_ROWS 5
/* How often a view with a tick gets it. */
#define TICK_MS 1000
/* Descriptors of the notifier (D-Bus) polled beside ours. */
#define MAX_NOTIFY_FDS 8

struct tui {
	struct tui_options opt;
	struct keymap *keymap;
	struct view **views;
	size_t n_views;
	bool dirty;
	bool quit;
	char *message;
	char *last_search; /* for n and N */
	bool message_error;
	bool offline;
	int64_t offline_at;
	size_t shown_pending; /* loading() at the last draw */
	/* While tui_prompt() reads a line. */
	const char *question;
	struct buf *answer;
	bool secret;       /* the answer is not shown (a password) */
	struct site *site; /* category names */
	struct http_req *site_req;
	struct timespec last_tick;
	/* After a login in the TUI (login.c): its own connection, which
	 * replaces the one it was given, and the member's name. */
	struct http *own_http;
	struct api *own_api;
	char *own_username;
	struct tui_notices *notices; /* the watcher, or NULL */
};

static int signal_pipe[2] = {-1, -1};

static void
on_signal(int sig)
{
	unsigned char c = (unsigned char)sig;
	int saved = errno;

	/* Full pipe: a signal of that kind is already waiting. */
	if (write(signal_pipe[1], &c, 1) < 0)
		errno = saved;
	errno = saved;
}

static int
signals_init(void)
{
	struct sigaction sa;
	const int sigs[] = {SIGWINCH, SIGTERM, SIGINT, SIGHUP};

	if (pipe2(signal_pipe, O_CLOEXEC | O_NONBLOCK) < 0)
		return -1;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	for (size_t i = 0; i < AMBT_ARRAY_LEN(sigs); i++)
		sigaction(sigs[i], &sa, NULL);
	return 0;
}

static void
signals_done(void)
{
	const int sigs[] = {SIGWINCH, SIGTERM, SIGINT, SIGHUP};

	for (size_t i = 0; i < AMBT_ARRAY_LEN(sigs); i++)
		signal(sigs[i], SIG_DFL);
	for (int i = 0; i < 2; i++) {
		if (signal_pipe[i] >= 0)
			close(signal_pipe[i]);
		signal_pipe[i] = -1;
	}
}

/* ---- Accessors ---- */

struct api *
tui_api(struct tui *t)
{
	return t->opt.api;
}

struct store *
tui_state(struct tui *t)
{
	return t->opt.state;
}

const struct config *
tui_config(struct tui *t)
{
	return t->opt.cfg;
}

const char *
tui_base_url(struct tui *t)
{
	return t->opt.base_url;
}

const char *
tui_username(struct tui *t)
{
	return t->opt.username;
}

const struct keymap *
tui_keymap(struct tui *t)
{
	return t->keymap;
}

struct tui_notices *
tui_notices(struct tui *t)
{
	return t->notices;
}

void
tui_cancel(struct tui *t, struct http_req *req)
{
	http_cancel(api_http(t->opt.api), req);
}

void
tui_dirty(struct tui *t)
{
	t->dirty = true;
}

static void
site_done(struct api_reply *r, void *arg)
{
	struct tui *t = arg;

	t->site_req = NULL;
	if (r->data == NULL)
		return;
	site_free(t->site);
	t->site = r->data;
	t->dirty = true;
}

const char *
tui_category_name(struct tui *t, int64_t id)
{
	const struct category *c = t->site ? site_category(t->site, id) : NULL;

	return c ? c->name : NULL;
}

/* The requests in flight for the views: the watcher's (a long poll is
 * nearly always waiting) are no "Loading". */
static size_t
loading(struct tui *t)
{
	size_t n = http_pending(api_http(t->opt.api));
	size_t bg = notices_in_flight(t->notices);

	return n > bg ? n - bg : 0;
}

/* ---- The view stack ---- */

static struct view *
top_view(struct tui *t)
{
	return t->n_views ? t->views[t->n_views - 1] : NULL;
}

static void
view_free(struct view *v)
{
	if (v != NULL && v->ops->free != NULL)
		v->ops->free(v);
}

void
tui_push(struct tui *t, struct view *v)
{
	if (v == NULL)
		return;
	t->views = xreallocarray(t->views, t->n_views + 1, sizeof *t->views);
	t->views[t->n_views++] = v;
	t->dirty = true;
}

void
tui_pop(struct tui *t)
{
	if (t->n_views == 0)
		return;
	view_free(t->views[--t->n_views]);
	t->dirty = true;
}

void
tui_reset(struct tui *t, struct view *v)
{
	if (v == NULL)
		return;
	while (t->n_views > 0)
		tui_pop(t);
	tui_push(t, v);
}

/* ---- Messages ---- */

static void
set_message(struct tui *t, bool error, const char *fmt, va_list ap)
{
	char *raw, *clean;

	free(t->message);
	if (vasprintf(&raw, fmt, ap) < 0)
		raw = xstrdup("?");
	/* Messages may quote a server; one safe line only. */
	clean = utf8_sanitize(raw, strlen(raw));
	for (char *p = clean; *p; p++) {
		if (*p == '\n' || *p == '\t' || *p == '\r')
			*p = ' ';
	}
	free(raw);
	t->message = clean;
	t->message_error = error;
	t->dirty = true;
}

void
tui_message(struct tui *t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	set_message(t, false, fmt, ap);
	va_end(ap);
}

void
tui_note(struct tui *t, const char *text)
{
	if (t->message == NULL)
		tui_message(t, "%s", text);
}

void
tui_error(struct tui *t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	set_message(t, true, fmt, ap);
	va_end(ap);
}

static void
clear_message(struct tui *t)
{
	if (t->message != NULL)
		t->dirty = true;
	free(t->message);
	t->message = NULL;
}

const char *
tui_error_words(const struct ambt_error *err)
{
	char tag[32];
	const char *at;

	if (err->kind != AMBT_E_HTTP)
		return err->msg;
	snprintf(tag, sizeof tag, "HTTP %ld: ", err->http_status);
	at = strstr(err->msg, tag);
	return at != NULL ? at + strlen(tag) : err->msg;
}

bool
tui_reply_ok(struct tui *t, const struct api_reply *r)
{
	if (r->err.kind == AMBT_E_CANCELLED)
		return false;
	if (r->err.kind == AMBT_E_NET) {
		tui_error(t, _("the server cannot be reached: %s"), r->err.msg);
		return false;
	}
	if (r->err.kind != AMBT_OK) {
		tui_error(t, "%s", r->err.msg);
		return false;
	}
	t->offline = r->offline;
	t->offline_at = r->fetched_at;
	t->dirty = true;
	return true;
}

/* ---- Drawing ---- */

static bool
too_small(void)
{
	return COLS <= MIN_COLS || LINES <= MIN_ROWS;
}

/* The first key of an action in a view, for hints; "" when unbound. */
static char *
first_key(struct tui *t, struct view *v, enum key_action a)
{
	char *keys = keymap_keys_for(t->keymap, v->ops->key_view, a);
	char *comma = strstr(keys, ", ");

	if (comma != NULL)
		*comma = '\0';
	return keys;
}

/* "?:help q:back", from the keymap, so a rebound key shows as it is. */
static char *
header_hint(struct tui *t, struct view *v)
{
	char *help = first_key(t, v, ACT_HELP);
	char *back = first_key(t, v, ACT_BACK);
	char *hint =
	    xasprintf("%s%s%s%s%s%s%s ", help, help[0] ? ":" : "",
	              help[0] ? _("help") : "", help[0] && back[0] ? " " : "",
	              back, back[0] ? ":" : "", back[0] ? _("back") : "");

	free(help);
	free(back);
	return hint;
}

static void
draw_header(struct tui *t, struct view *v)
{
	const char *title = v->ops->title ? v->ops->title(v) : NULL;
	char *text = xasprintf(" %s", title ? title : "ambt");
	char *hint = header_hint(t, v);
	int hint_w = (int)utf8_width(hint);
	int attr = tui_attr(TE_TITLE);

	if (COLS > hint_w + 30) {
		tui_put(0, 0, COLS - hint_w - 1, text, attr, true);
		tui_put(0, COLS - hint_w - 1, 1, " ", attr, true);
		tui_put(0, COLS - hint_w, hint_w, hint, attr, true);
	} else {
		tui_put(0, 0, COLS, text, attr, true);
	}
	free(text);
	free(hint);
}

/* "offline (cached 14:05)" */
static char *
offline_note(struct tui *t)
{
	char when[16] = "?";
	time_t at = (time_t)t->offline_at;
	struct tm tm;

	if (at != 0 && localtime_r(&at, &tm) != NULL)
		strftime(when, sizeof when, "%H:%M", &tm);
	return xasprintf(_("offline (cached %s)"), when);
}

/* Who is reading where: "demo @ forum.example.org". */
static char *
idle_status(struct tui *t)
{
	const char *url = t->opt.base_url ? t->opt.base_url : "";
	const char *host = strstr(url, "://");

	host = host ? host + 3 : url;
	if (t->opt.username != NULL)
		return xasprintf("%s @ %s", t->opt.username, host);
	return xasprintf(_("%s (not logged in)"), host);
}

static char *
status_text(struct tui *t, struct view *v, int *attr)
{
	const char *what = NULL;

	if (v != NULL && v->ops->loading != NULL)
		what = v->ops->loading(v);
	else if (v != NULL && v->ops->title != NULL)
		what = v->ops->title(v);
	*attr = tui_attr(TE_STATUS);
	if (t->question != NULL)
		return xasprintf("%s%s", t->question,
		                 t->secret || t->answer->data == NULL
		                     ? ""
		                     : t->answer->data);
	if (t->message != NULL && t->message_error) {
		*attr = tui_attr(TE_STATUS_ERROR);
		return xstrdup(t->message);
	}
	if (loading(t) > 0)
		return xasprintf(_("Loading %s\u2026"), what ? what : "");
	if (t->message != NULL)
		return xstrdup(t->message);
	return idle_status(t);
}

static void
draw_status(struct tui *t, struct view *v)
{
	int attr, y = LINES - 1, width = COLS;
	char *text = status_text(t, v, &attr);
	char *note = t->offline ? offline_note(t) : NULL;

	if (note != NULL && width > (int)strlen(note) + 10) {
		width -= (int)strlen(note) + 1;
		tui_put(y, width, COLS - width, " ", tui_attr(TE_STATUS), true);
		tui_put(y, width + 1, COLS - width - 1, note,
		        tui_attr(TE_OFFLINE), true);
	}
	tui_put(y, 0, width, text, attr, true);
	if (t->question != NULL) {
		int x = (int)utf8_width(text);

		move(y, x < COLS ? x : COLS - 1);
	}
	free(text);
	free(note);
}

static void
draw(struct tui *t)
{
	struct view *v = top_view(t);

	t->dirty = false;
	t->shown_pending = loading(t);
	erase();
	if (too_small()) {
		curs_set(0);
		tui_put(0, 0, COLS, _("window too small"), A_NORMAL, false);
		refresh();
		return;
	}
	if (v == NULL)
		return;
	draw_header(t, v);
	tui_clear_rows(1, LINES - 2, COLS);
	if (v->ops->draw != NULL)
		v->ops->draw(v, t, 1, LINES - 2, COLS);
	draw_status(t, v);
	curs_set(t->question != NULL ? 1 : 0);
	refresh();
}

/* ---- Waiting ---- */

static void
on_resize(struct tui *t)
{
	struct winsize ws;

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 &&
	    ws.ws_col > 0)
		resizeterm(ws.ws_row, ws.ws_col);
	clearok(curscr, TRUE);
	t->dirty = true;
}

static void
read_signals(struct tui *t)
{
	unsigned char sigs[16];
	ssize_t n;

	while ((n = read(signal_pipe[0], sigs, sizeof sigs)) > 0) {
		for (ssize_t i = 0; i < n; i++) {
			if (sigs[i] == SIGWINCH)
				on_resize(t);
			else
				t->quit = true;
		}
	}
}

/* Give the top view its tick when one is due; returns the ms to the next
 * (-1: the view wants none). */
static int
tick_view(struct tui *t)
{
	struct view *v = top_view(t);
	struct timespec now;
	int64_t ms;

	if (v == NULL || v->ops->tick == NULL)
		return -1;
	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (int64_t)(now.tv_sec - t->last_tick.tv_sec) * 1000 +
	     (now.tv_nsec - t->last_tick.tv_nsec) / 1000000;
	if (ms >= 0 && ms < TICK_MS)
		return (int)(TICK_MS - ms);
	t->last_tick = now;
	v->ops->tick(v, t);
	return TICK_MS;
}

/* The sooner of two timeouts, -1 being none. */
static int
sooner(int a, int b)
{
	if (a < 0)
		return b;
	return b < 0 || a < b ? a : b;
}

/* Draw if needed, then wait for the terminal, a signal, the network, the
 * watcher or the top view's tick. */
static void
wait_event(struct tui *t)
{
	struct pollfd fds[2 + MAX_NOTIFY_FDS] = {
	    {.fd = STDIN_FILENO, .events = POLLIN},
	    {.fd = signal_pipe[0], .events = POLLIN},
	};
	struct http *http = api_http(t->opt.api);
	int timeout = sooner(tick_view(t), notices_tick(t->notices));
	size_t n = 2 + notices_pollfds(t->notices, fds + 2, MAX_NOTIFY_FDS);

	if (t->dirty || loading(t) != t->shown_pending)
		draw(t);
	if (http_poll(http, fds, (unsigned)n, timeout) < 0 && errno != EINTR) {
		/* Not even poll works: stop rather than spin. */
		t->quit = true;
		return;
	}
	if (fds[1].revents & POLLIN)
		read_signals(t);
	notices_dispatch(t->notices, fds + 2, n - 2);
	/* The terminal is gone (a closed window): nobody is reading, and a
	 * hung-up terminal stays readable, so waiting on would spin. */
	if (fds[0].revents & (POLLHUP | POLLERR | POLLNVAL))
		t->quit = true;
}

bool
tui_should_stop(struct tui *t)
{
	struct pollfd fd = {.fd = STDIN_FILENO, .events = POLLIN};

	if (poll(&fd, 1, 0) == 1 &&
	    (fd.revents & (POLLHUP | POLLERR | POLLNVAL)))
		t->quit = true;
	read_signals(t);
	return t->quit;
}

/* ---- Prompt ---- */

static void
answer_backspace(struct buf *b)
{
	/* Back over continuation bytes to the start of the character. */
	while (b->len > 0) {
		unsigned char c = (unsigned char)b->data[--b->len];

		if ((c & 0xc0) != 0x80)
			break;
	}
	b->data[b->len] = '\0';
}

/* One key for the prompt: 1 done, -1 cancelled, 0 go on. */
static int
prompt_key(struct tui *t, int ret, wint_t ch)
{
	char name[16];
	const char *key = input_key_name(ret, ch, name, sizeof name);

	t->dirty = true;
	if (key == NULL)
		return 0;
	if (strcmp(key, "Enter") == 0)
		return 1;
	if (strcmp(key, "Esc") == 0 || strcmp(key, "C-g") == 0)
		return -1;
	if (strcmp(key, "Backspace") == 0)
		answer_backspace(t->answer);
	else if (strcmp(key, "C-u") == 0)
		buf_reset(t->answer);
	else if (strcmp(key, "Space") == 0)
		buf_putc(t->answer, ' ');
	else if (ret == OK && iswprint(ch) && t->answer->len < 1024)
		buf_puts(t->answer, key);
	return 0;
}

char *
tui_prompt(struct tui *t, const char *question)
{
	struct buf answer;
	int done = 0;
	wint_t ch;
	int ret;

	if (t->question != NULL)
		return NULL; /* one prompt at a time */
	buf_init(&answer);
	t->question = question;
	t->answer = &answer;
	t->dirty = true;
	while (done == 0 && !t->quit) {
		wait_event(t);
		while (done == 0 && (ret = get_wch(&ch)) != ERR)
			done = prompt_key(t, ret, ch);
	}
	t->question = NULL;
	t->answer = NULL;
	t->dirty = true;
	if (done != 1) {
		buf_free(&answer);
		return NULL;
	}
	return buf_steal(&answer);
}

char *
tui_prompt_secret(struct tui *t, const char *question)
{
	char *answer;

	t->secret = true;
	answer = tui_prompt(t, question);
	t->secret = false;
	return answer;
}

bool
tui_confirm(struct tui *t, const char *question)
{
	char *q = xasprintf("%s (y/n) ", question);
	char *a = tui_prompt(t, q);
	bool yes = a != NULL &&
	           (a[0] == 'y' || a[0] == 'Y' || a[0] == 'j' || a[0] == 'J');

	free(q);
	free(a);
	return yes;
}

/* ---- Actions tui.c handles for every view ---- */

static void
cancel_loads(struct tui *t, struct view *v)
{
	struct http *http = api_http(t->opt.api);
	size_t before = http_pending(http);

	if (v->ops->cancel != NULL)
		v->ops->cancel(v, t);
	if (http_pending(http) < before)
		tui_message(t, _("Cancelled"));
}

/* A go-to view sits on the start page, so q comes back to it. */
static void
go_to(struct tui *t, struct view *v)
{
	if (v == NULL)
		return;
	tui_reset(t, view_start_new(t));
	tui_push(t, v);
}

static void
search_prompt(struct tui *t)
{
	char *q = tui_prompt(t, _("Search: "));

	if (q != NULL && q[0] != '\0') {
		free(t->last_search);
		t->last_search = xstrdup(q);
		tui_push(t, view_search_new(t, q));
	}
	free(q);
}

const char *
tui_last_search(struct tui *t)
{
	return t->last_search;
}

static void
profile_prompt(struct tui *t)
{
	char *name = tui_prompt(t, _("Member: @"));

	if (name != NULL && name[0] != '\0')
		tui_push(t, view_profile_new(t, name));
	free(name);
}

static void
global_action(struct tui *t, enum key_action a)
{
	struct view *v = top_view(t);

	switch (a) {
	case ACT_BACK:
		if (t->n_views > 1)
			tui_pop(t);
		else
			t->quit = true;
		break;
	case ACT_QUIT:
		t->quit = true;
		break;
	case ACT_HELP:
		if (v->ops->key_view != KV_HELP)
			tui_push(t, view_help_new(t, v->ops->key_view));
		break;
	case ACT_REFRESH:
		if (v->ops->reload != NULL)
			v->ops->reload(v, t);
		break;
	case ACT_CANCEL:
		cancel_loads(t, v);
		break;
	case ACT_SEARCH:
		search_prompt(t);
		break;
	case ACT_GO_START:
		tui_reset(t, view_start_new(t));
		break;
	case ACT_GO_LATEST:
		go_to(t, view_topics_new(t, "latest", NULL, 0));
		break;
	case ACT_GO_UNREAD:
		go_to(t, view_topics_new(t, "unread", NULL, 0));
		break;
	case ACT_GO_NEW:
		go_to(t, view_topics_new(t, "new", NULL, 0));
		break;
	case ACT_GO_CATEGORIES:
		go_to(t, view_categories_new(t));
		break;
	case ACT_GO_NOTIFICATIONS:
		go_to(t, view_notifications_new(t));
		break;
	case ACT_GO_EVENTS:
		go_to(t, view_events_new(t));
		break;
	case ACT_GO_MEMBERS:
		go_to(t, view_members_new(t));
		break;
	case ACT_GO_PROFILE_BY_NAME:
		profile_prompt(t);
		break;
	case ACT_LOGIN:
		tui_login(t);
		break;
	default:
		break;
	}
}

static void
do_action(struct tui *t, enum key_action a)
{
	struct view *v = top_view(t);

	t->dirty = true;
	if (v->ops->action != NULL && v->ops->action(v, t, a))
		return;
	global_action(t, a);
}

static void
on_mouse(struct tui *t)
{
	struct view *v = top_view(t);
	int row = 0;

	switch (input_mouse(&row)) {
	case MOUSE_WHEEL_UP:
		for (int i = 0; i < 3; i++)
			do_action(t, ACT_UP);
		break;
	case MOUSE_WHEEL_DOWN:
		for (int i = 0; i < 3; i++)
			do_action(t, ACT_DOWN);
		break;
	case MOUSE_CLICK:
		if (!too_small() && row >= 1 && row < LINES - 1 &&
		    v->ops->click != NULL) {
			v->ops->click(v, t, row - 1);
			t->dirty = true;
		}
		break;
	case MOUSE_NONE:
		break;
	}
}

static void
on_key(struct tui *t, int ret, wint_t ch)
{
	char buf[16];
	const char *name;
	enum key_action a;

	if (ret == KEY_CODE_YES && ch == KEY_MOUSE) {
		on_mouse(t);
		return;
	}
	if (ret == KEY_CODE_YES && ch == KEY_RESIZE) {
		t->dirty = true;
		return;
	}
	name = input_key_name(ret, ch, buf, sizeof buf);
	if (name == NULL)
		return;
	notices_user_active(t->notices);
	clear_message(t);
	if (too_small() && strcmp(name, "q") != 0 && strcmp(name, "Q") != 0)
		return;
	a = keymap_lookup(t->keymap, top_view(t)->ops->key_view, name);
	if (a == ACT_NONE)
		tui_message(t, _("%s is not bound here; ? lists the keys"),
		            name);
	else
		do_action(t, a);
}

/* ---- A new login ---- */

void
tui_flush(struct tui *t)
{
	draw(t);
}

/* Views hold requests of the old connection: they go first, and what
 * they leave running (a detached send, reading times) is let finish. */
static void
drop_connection(struct tui *t)
{
	struct http *old = api_http(t->opt.api);

	while (t->n_views > 0)
		tui_pop(t);
	http_cancel(old, t->site_req);
	t->site_req = NULL;
	http_run(old);
	api_free(t->own_api);
	http_free(t->own_http);
}

void
tui_switch_login(struct tui *t, struct http *http, struct api *api,
                 const char *username)
{
	/* The watcher's long poll would hold drop_connection's http_run. */
	notices_pause(t->notices);
	drop_connection(t);
	t->own_http = http;
	t->own_api = api;
	t->opt.api = api;
	free(t->own_username);
	t->own_username = xstrdup(username);
	t->opt.username = t->own_username;
	t->site_req = api_get_site(api, site_done, t);
	tui_push(t, view_start_new(t));
	compose_sync_drafts(t);
	notices_resume(t->notices);
}

/* ---- Start and stop ---- */

/* Warnings met at start (theme, bind lines), in one status line. */
static void
start_warnings(struct tui *t, const struct theme *theme,
               const struct ambt_error *kerr)
{
	struct buf w;

	buf_init(&w);
	if (kerr->kind != AMBT_OK)
		buf_puts(&w, kerr->msg);
	for (size_t i = 0; i < theme->n_warnings; i++)
		buf_printf(&w, "%s%s", w.len ? "; " : "", theme->warnings[i]);
	for (size_t i = 0; t->opt.cfg && i < t->opt.cfg->n_warnings; i++)
		buf_printf(&w, "%s%s", w.len ? "; " : "",
		           t->opt.cfg->warnings[i]);
	if (w.len > 0)
		tui_error(t, _("warning: %s"), w.data);
	buf_free(&w);
}

static void
load_theme(struct tui *t, struct theme *theme, struct ambt_error *terr)
{
	const char *no_color = getenv("NO_COLOR");
	const char *name =
	    t->opt.cfg && t->opt.cfg->theme ? t->opt.cfg->theme : "default";
	bool color = no_color == NULL || no_color[0] == '\0';

	theme_init_mono(theme);
	if (color && theme_load_named(theme, name, terr) < 0) {
		theme_init_mono(theme);
		color = false;
	}
	colors_init(theme, color);
}

static void
screen_init(struct tui *t)
{
	struct theme theme = {0};
	struct ambt_error kerr = {0}, terr = {0};

	initscr();
	input_init();
	load_theme(t, &theme, &terr);
	t->keymap = keymap_new(t->opt.cfg, &kerr);
	start_warnings(t, &theme, &kerr);
	if (terr.kind != AMBT_OK)
		tui_error(t, "%s", terr.msg);
	theme_clear(&theme);
}

static void
run_loop(struct tui *t)
{
	wint_t ch;
	int ret;

	while (!t->quit && t->n_views > 0) {
		/* Read even when stdin is quiet: curses may hold keys of its
		 * own (the KEY_RESIZE that resizeterm() queues). */
		wait_event(t);
		while (!t->quit && t->n_views > 0 &&
		       (ret = get_wch(&ch)) != ERR)
			on_key(t, ret, ch);
	}
}

int
tui_run(const struct tui_options *opt)
{
	struct tui t = {.opt = *opt, .dirty = true};

	if (signals_init() < 0) {
		fprintf(stderr, _("ambt: cannot make a pipe: %s\n"),
		        strerror(errno));
		return 1;
	}
	screen_init(&t);
	/* Keys are read until none is left, then we poll again. */
	nodelay(stdscr, TRUE);
	t.site_req = api_get_site(t.opt.api, site_done, &t);
	tui_push(&t, view_start_new(&t));
	if (t.opt.open_topic > 0)
		tui_push(
		    &t, view_thread_new(&t, t.opt.open_topic, t.opt.open_post));
	compose_sync_drafts(&t);
	t.notices = notices_start(&t, t.opt.notify);
	run_loop(&t);
	compose_sync_stop();
	notices_stop(t.notices);
	t.notices = NULL;
	while (t.n_views > 0)
		tui_pop(&t);
	http_cancel(api_http(t.opt.api), t.site_req);
	/* Sends in flight outlive their views; not the TUI they report to. */
	compose_stop_all();
	api_free(t.own_api);
	http_free(t.own_http);
	free(t.own_username);
	site_free(t.site);
	endwin();
	signals_done();
	keymap_free(t.keymap);
	free(t.views);
	free(t.message);
	free(t.last_search);
	return 0;
}
