/*
 * notify.c: notices to the desktop through libnotify, else to the
 * caller's fallback.
 *
 * libnotify talks to org.freedesktop.Notifications over the session bus.
 * Its calls are synchronous with GDBus's default timeout (25 s), so a bus
 * that is not there must be seen before any call: no
 * DBUS_SESSION_BUS_ADDRESS and no $XDG_RUNTIME_DIR/bus means no desktop,
 * and libnotify is never initialised (GLib would otherwise try to
 * autolaunch a bus). The "Open" action's reply arrives as a D-Bus signal
 * that GDBus queues on GLib's default main context: notifier_pollfds()
 * hands out that context's descriptors (its wakeup fd) and
 * notifier_dispatch() runs what is pending, without blocking.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#ifdef HAVE_LIBNOTIFY
#include <libnotify/notify.h>
#endif

#include "ambt/i18n.h"
#include "ambt/notify.h"
#include "ambt/util.h"
#include "notify_int.h"

/* Without a terminal emulator to run ambt in, the post's address opens
 * in the user's browser. */
#define FALLBACK_OPEN_COMMAND "xdg-open"
#define SUMMARY_COLS 120
#define BODY_COLS 200
#define MAX_GFDS 16

struct notifier {
	bool enabled;
	char **open_argv; /* the command split on spaces, NULL-terminated */
	size_t open_argc;
	notice_fallback_fn fallback;
	void *fallback_arg;
	bool desktop; /* libnotify initialised and the last notice got there */
	bool actions; /* the server offers actions */
	bool markup;  /* the server reads body markup */
	bool inited;  /* counted in desktop_users */
	bool owner;   /* holds GLib's default main context */
#ifdef HAVE_LIBNOTIFY
	GPollFD gfds[MAX_GFDS];
	/* Shown and not yet closed: held so that Open still works, and let
	 * go when the server closes them or the notifier goes. */
	GSList *live;
#endif
};

static char **
split_command(const char *cmd, size_t *argc)
{
	char *copy = xstrdup(cmd);
	char **argv = xcalloc(strlen(cmd) / 2 + 3, sizeof *argv);
	size_t n = 0;

	for (char *save, *w = strtok_r(copy, " ", &save); w;
	     w = strtok_r(NULL, " ", &save))
		argv[n++] = xstrdup(w);
	free(copy);
	*argc = n;
	return argv;
}

/* Is an executable called name on $PATH? */
static bool
on_path(const char *name)
{
	const char *path = getenv("PATH");
	char *copy = xstrdup(path ? path : "/usr/bin:/bin");
	bool found = false;

	for (char *save, *d = strtok_r(copy, ":", &save); d && !found;
	     d = strtok_r(NULL, ":", &save)) {
		char *file = xasprintf("%s/%s", d, name);

		found = access(file, X_OK) == 0;
		free(file);
	}
	free(copy);
	return found;
}

/* The default Open: ambt opening the post in a new terminal
 * (x-terminal-emulator -e ambt tui URL), the ambt that runs now when it
 * is beside this program; else xdg-open URL. Built as argv, not split,
 * so a path with spaces stays whole. */
static char **
default_open_argv(size_t *argc)
{
	char **argv = xcalloc(5, sizeof *argv);
	char *dir, *ambt;

	if (!on_path("x-terminal-emulator")) {
		argv[0] = xstrdup(FALLBACK_OPEN_COMMAND);
		*argc = 1;
		return argv;
	}
	dir = exe_dir();
	ambt = dir ? xasprintf("%s/ambt", dir) : NULL;
	free(dir);
	if (ambt == NULL || access(ambt, X_OK) != 0) {
		free(ambt);
		ambt = xstrdup("ambt");
	}
	argv[0] = xstrdup("x-terminal-emulator");
	argv[1] = xstrdup("-e");
	argv[2] = ambt;
	argv[3] = xstrdup("tui");
	*argc = 4;
	return argv;
}

static void
give_fallback(const struct notifier *n, const struct notice *notice)
{
	if (n->fallback)
		n->fallback(notice, n->fallback_arg);
}

#ifdef HAVE_LIBNOTIFY
/*
 * Run the open command with the URL, detached: a child starts a new
 * session and forks the command, then exits at once so it is reaped here
 * and the command, orphaned, is reaped by init. No shell sees the URL.
 */
static void
run_open_command(const struct notifier *n, const char *url)
{
	if (n->open_argc == 0)
		return;
	char **argv = xcalloc(n->open_argc + 2, sizeof *argv);
	memcpy(argv, n->open_argv, n->open_argc * sizeof *argv);
	argv[n->open_argc] = (char *)url;

	pid_t pid = fork();
	if (pid == 0) {
		setsid();
		if (fork() != 0)
			_exit(0);
		int devnull = open("/dev/null", O_RDWR);
		if (devnull >= 0)
			dup2(devnull, STDIN_FILENO);
		execvp(argv[0], argv);
		_exit(127);
	}
	if (pid > 0) {
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
	}
	free(argv);
}

/* Is there a session bus to talk to, without starting one? */
static bool
session_bus_present(void)
{
	const char *addr = getenv("DBUS_SESSION_BUS_ADDRESS");
	if (addr && *addr)
		return true;
	const char *run = getenv("XDG_RUNTIME_DIR");
	if (!run || !*run)
		return false;
	char *path = xasprintf("%s/bus", run);
	struct stat st;
	bool there = stat(path, &st) == 0 && S_ISSOCK(st.st_mode);
	free(path);
	return there;
}

/* notify_init once per process, shared by the notifiers alive; the last
 * one to go lets libnotify free its connection. */
static unsigned desktop_users;

static bool
desktop_init(void)
{
	if (!notify_is_initted() && !notify_init("ambt"))
		return false;
	desktop_users++;
	return true;
}

static void
desktop_release(struct notifier *n)
{
	for (GSList *l = n->live; l; l = l->next) {
		g_signal_handlers_disconnect_by_data(l->data, n);
		g_object_unref(l->data);
	}
	g_slist_free(n->live);
	n->live = NULL;
	if (--desktop_users == 0)
		notify_uninit();
}

/* Is a notification server there, and what can it do? Asked again after
 * a failure, so a server that comes (back) later is used. */
static void
desktop_probe(struct notifier *n)
{
	GList *caps = notify_get_server_caps();

	n->desktop = caps != NULL;
	n->actions = n->markup = false;
	for (GList *c = caps; c; c = c->next) {
		if (strcmp(c->data, "actions") == 0)
			n->actions = true;
		else if (strcmp(c->data, "body-markup") == 0)
			n->markup = true;
	}
	g_list_free_full(caps, g_free);
	/* GLib signals the context's wakeup fd (what the caller polls)
	 * when a D-Bus signal is queued only while some thread owns the
	 * context: this one does, until free. */
	if (n->desktop && !n->owner)
		n->owner = g_main_context_acquire(g_main_context_default());
}

static void
on_open(NotifyNotification *nn, char *action, gpointer arg)
{
	const struct notifier *n = arg;
	const char *url = g_object_get_data(G_OBJECT(nn), "ambt-url");

	(void)action;
	if (url)
		run_open_command(n, url);
	notify_notification_close(nn, NULL);
}

static void
on_closed(NotifyNotification *nn, gpointer arg)
{
	struct notifier *n = arg;

	n->live = g_slist_remove(n->live, nn);
	g_object_unref(nn);
}

static NotifyUrgency
urgency_level(enum notice_kind kind)
{
	switch (notice_urgency_of(kind)) {
	case NOTICE_LOW:
		return NOTIFY_URGENCY_LOW;
	case NOTICE_CRITICAL:
		return NOTIFY_URGENCY_CRITICAL;
	case NOTICE_NORMAL:
		break;
	}
	return NOTIFY_URGENCY_NORMAL;
}

static NotifyNotification *
build(struct notifier *n, const struct notice *notice)
{
	char *summary =
	    notice_clean(notice->summary ? notice->summary : "", SUMMARY_COLS);
	char *body = notice_clean(notice->body ? notice->body : "", BODY_COLS);
	if (n->markup) {
		char *escaped = notice_markup_escape(body);
		free(body);
		body = escaped;
	}
	NotifyNotification *nn = notify_notification_new(summary, body, NULL);
	free(summary);
	free(body);
	notify_notification_set_urgency(nn, urgency_level(notice->kind));
	notify_notification_set_category(nn, "im.received");
	if (n->actions && notice->url && n->open_argc > 0) {
		g_object_set_data_full(G_OBJECT(nn), "ambt-url",
		                       g_strdup(notice->url), g_free);
		notify_notification_add_action(nn, "open", _("Open"), on_open,
		                               n, NULL);
	}
	return nn;
}

static bool
desktop_show(struct notifier *n, const struct notice *notice)
{
	NotifyNotification *nn = build(n, notice);
	GError *error = NULL;

	if (!notify_notification_show(nn, &error)) {
		g_clear_error(&error);
		g_object_unref(nn);
		return false;
	}
	g_signal_connect(nn, "closed", G_CALLBACK(on_closed), n);
	n->live = g_slist_prepend(n->live, nn);
	return true;
}
#endif

struct notifier *
notifier_new(const struct notifier_options *opt)
{
	struct notifier *n = xcalloc(1, sizeof *n);

	n->enabled = opt->enabled;
	n->fallback = opt->fallback;
	n->fallback_arg = opt->fallback_arg;
	n->open_argv = opt->open_command
	                   ? split_command(opt->open_command, &n->open_argc)
	                   : default_open_argv(&n->open_argc);
#ifdef HAVE_LIBNOTIFY
	if (n->enabled && session_bus_present() && desktop_init()) {
		n->inited = true;
		desktop_probe(n);
	}
#endif
	return n;
}

void
notifier_free(struct notifier *n)
{
	if (!n)
		return;
#ifdef HAVE_LIBNOTIFY
	if (n->owner)
		g_main_context_release(g_main_context_default());
	if (n->inited)
		desktop_release(n);
#endif
	for (size_t i = 0; i < n->open_argc; i++)
		free(n->open_argv[i]);
	free(n->open_argv);
	free(n);
}

bool
notifier_has_desktop(const struct notifier *n)
{
	return n->desktop;
}

int
notifier_show(struct notifier *n, const struct notice *notice)
{
#ifdef HAVE_LIBNOTIFY
	if (n->inited && !n->desktop)
		desktop_probe(n);
	if (n->enabled && n->desktop) {
		n->desktop = desktop_show(n, notice);
		if (n->desktop)
			return 0;
	}
#endif
	give_fallback(n, notice);
	return 1;
}

size_t
notifier_pollfds(struct notifier *n, struct pollfd *fds, size_t max)
{
#ifdef HAVE_LIBNOTIFY
	GMainContext *ctx = g_main_context_default();
	gint prio, timeout;

	if (!n->owner)
		return 0;
	g_main_context_prepare(ctx, &prio);
	gint count =
	    g_main_context_query(ctx, G_MAXINT, &timeout, n->gfds, MAX_GFDS);
	size_t got = 0;
	for (gint i = 0; i < count && i < MAX_GFDS && got < max; i++) {
		fds[got].fd = n->gfds[i].fd;
		fds[got].events = (short)n->gfds[i].events;
		fds[got].revents = 0;
		got++;
	}
	return got;
#else
	(void)n, (void)fds, (void)max;
	return 0;
#endif
}

void
notifier_dispatch(struct notifier *n)
{
#ifdef HAVE_LIBNOTIFY
	if (!n->owner)
		return;
	/* Non-blocking: only what is already there. */
	while (g_main_context_iteration(NULL, FALSE))
		;
#else
	(void)n;
#endif
}
