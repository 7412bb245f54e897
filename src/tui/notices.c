/*
 * notices.c: the watcher and the desktop notifier driven by the TUI's
 * loop. tui.c asks notices_tick() how long it may wait, adds the
 * notifier's descriptors to its poll and tells of every key, so the
 * watcher long-polls while the user is at the screen and slows down when
 * nobody is.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ambt/i18n.h"
#include "ambt/util.h"
#include "ambt/watch.h"
#include "tui/notices.h"
#include "tui/post_ref.h"

/* Without a key for this long the user is away (seconds). */
#define IDLE_AFTER 300
/* Notices kept for the notifications view; older ones drop off. */
#define MAX_KEPT 100

struct tui_notices {
	struct tui *tui;
	struct notifier *notifier;
	struct watch *watch;      /* NULL while not logged in */
	struct tui_notice *items; /* newest first, MAX_KEPT allocated */
	size_t n;
	int64_t last_key;
	bool active;
};

static int64_t
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec;
}

static void
notice_clear(struct tui_notice *k)
{
	free(k->summary);
	free(k->body);
	free(k->url);
}

static void
keep(struct tui_notices *tn, const struct notice *n)
{
	struct tui_notice *k;

	if (tn->n == MAX_KEPT)
		notice_clear(&tn->items[--tn->n]);
	memmove(tn->items + 1, tn->items, tn->n * sizeof *tn->items);
	k = &tn->items[0];
	*k = (struct tui_notice){
	    .kind = n->kind,
	    .summary = xstrdup(n->summary ? n->summary : ""),
	    .body = xstrdup(n->body ? n->body : ""),
	    .url = n->url ? xstrdup(n->url) : NULL,
	    .at = (int64_t)time(NULL),
	};
	if (n->url != NULL)
		post_ref_parse(n->url, NULL, &k->topic_id, &k->post_number);
	tn->n++;
}

/* Every notice: kept for the view, said in the status line, and sent to
 * the desktop (which may not be there). */
static void
on_notice(const struct notice *n, void *arg)
{
	struct tui_notices *tn = arg;

	keep(tn, n);
	notifier_show(tn->notifier, n);
	if (n->body != NULL && n->body[0] != '\0')
		tui_message(tn->tui, _("New: %s: %s"), tn->items[0].summary,
		            n->body);
	else
		tui_message(tn->tui, _("New: %s"), tn->items[0].summary);
}

static void
on_status(const char *line, void *arg)
{
	struct tui_notices *tn = arg;

	/* About the watcher, not the forum: it never hides what the
	 * reader's own actions said. */
	tui_note(tn->tui, line);
}

static void
start_watch(struct tui_notices *tn)
{
	struct tui *t = tn->tui;
	struct watch_options wo = {
	    .server = tui_base_url(t),
	    .username = tui_username(t),
	    .cfg = tui_config(t),
	    .state = tui_state(t),
	    .notice = on_notice,
	    .status = on_status,
	    .arg = tn,
	};

	if (wo.username == NULL || wo.server == NULL)
		return;
	tn->watch = watch_new(tui_api(t), &wo);
	watch_set_active(tn->watch, tn->active);
}

struct tui_notices *
notices_start(struct tui *t, bool on)
{
	const struct config *cfg = tui_config(t);
	struct notifier_options no = {.enabled = true};
	struct tui_notices *tn;

	if (!on || cfg == NULL || !cfg->notify || tui_state(t) == NULL)
		return NULL;
	no.open_command = cfg->notify_command;
	tn = xcalloc(1, sizeof *tn);
	tn->tui = t;
	tn->items = xcalloc(MAX_KEPT, sizeof *tn->items);
	tn->notifier = notifier_new(&no);
	tn->last_key = now_s();
	tn->active = true;
	start_watch(tn);
	return tn;
}

void
notices_pause(struct tui_notices *tn)
{
	if (tn == NULL)
		return;
	watch_free(tn->watch);
	tn->watch = NULL;
}

void
notices_resume(struct tui_notices *tn)
{
	if (tn != NULL && tn->watch == NULL)
		start_watch(tn);
}

void
notices_stop(struct tui_notices *tn)
{
	if (tn == NULL)
		return;
	watch_free(tn->watch);
	notifier_free(tn->notifier);
	for (size_t i = 0; i < tn->n; i++)
		notice_clear(&tn->items[i]);
	free(tn->items);
	free(tn);
}

int
notices_tick(struct tui_notices *tn)
{
	int64_t idle;
	int ms;

	if (tn == NULL || tn->watch == NULL)
		return -1;
	idle = now_s() - tn->last_key;
	if (tn->active && idle >= IDLE_AFTER) {
		tn->active = false;
		watch_set_active(tn->watch, false);
	}
	ms = watch_tick(tn->watch);
	/* Wake when the user becomes idle, to tell the watcher. */
	if (tn->active) {
		int to_idle = (int)(IDLE_AFTER - idle) * 1000;

		if (ms < 0 || to_idle < ms)
			ms = to_idle;
	}
	return ms;
}

size_t
notices_pollfds(struct tui_notices *tn, struct pollfd *fds, size_t max)
{
	return tn ? notifier_pollfds(tn->notifier, fds, max) : 0;
}

void
notices_dispatch(struct tui_notices *tn, const struct pollfd *fds, size_t n)
{
	for (size_t i = 0; tn != NULL && i < n; i++) {
		if (fds[i].revents) {
			notifier_dispatch(tn->notifier);
			return;
		}
	}
}

size_t
notices_in_flight(const struct tui_notices *tn)
{
	return tn && tn->watch && watch_busy(tn->watch) ? 1 : 0;
}

void
notices_user_active(struct tui_notices *tn)
{
	if (tn == NULL)
		return;
	tn->last_key = now_s();
	if (!tn->active && tn->watch != NULL)
		watch_set_active(tn->watch, true);
	tn->active = true;
}

const struct tui_notice *
notices_list(const struct tui_notices *tn, size_t *n)
{
	*n = tn ? tn->n : 0;
	return tn ? tn->items : NULL;
}
