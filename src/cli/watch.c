/*
 * watch.c: ambt watch: the watcher in the foreground, notices to the
 * desktop (or one line each on stderr), until SIGTERM or SIGINT, after
 * which it exits 0 with its state saved (every write commits at once).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ambt/i18n.h"
#include "ambt/notify.h"
#include "ambt/util.h"
#include "ambt/watch.h"
#include "cli/cli.h"

enum {
	OPT_INTERVAL = 1000,
	OPT_NO_NOTIFY,
	OPT_ONCE,
};

struct watch_args {
	int interval; /* 0: notify_interval */
	bool no_notify;
	bool once;
};

/* The write end of the pipe that turns a signal into a readable fd. */
static int signal_fd = -1;

static void
on_signal(int sig)
{
	int saved = errno;
	char c = (char)sig;

	if (write(signal_fd, &c, 1) < 0) {
		/* The pipe is full: a stop is already waiting. */
	}
	errno = saved;
}

static int
catch_signals(int pipefd[2])
{
	struct sigaction sa;

	if (pipe(pipefd) < 0)
		return -1;
	for (int i = 0; i < 2; i++)
		fcntl(pipefd[i], F_SETFD, FD_CLOEXEC);
	fcntl(pipefd[1], F_SETFL, O_NONBLOCK);
	signal_fd = pipefd[1];
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	return 0;
}

static int
on_option(int c, const char *optarg, void *ctx)
{
	struct watch_args *a = ctx;

	if (c == OPT_NO_NOTIFY) {
		a->no_notify = true;
	} else if (c == OPT_ONCE) {
		a->once = true;
	} else {
		a->interval = cli_parse_count(optarg);
		if (a->interval < WATCH_MIN_INTERVAL)
			return cli_usage_error(
			    "watch",
			    _("watch: --interval needs %d seconds or "
			      "more, not '%s'"),
			    WATCH_MIN_INTERVAL, optarg);
	}
	return 0;
}

/* Without a desktop: "ambt: SUMMARY: BODY <URL>" on stderr. */
static void
print_notice(const struct notice *n, void *arg)
{
	char *summary = cli_clean(n->summary ? n->summary : "");
	char *body = cli_clean(n->body ? n->body : "");

	(void)arg;
	fprintf(stderr, "ambt: %s%s%s%s%s%s\n", summary, body[0] ? ": " : "",
	        body, n->url ? " <" : "", n->url ? n->url : "",
	        n->url ? ">" : "");
	free(summary);
	free(body);
}

static void
print_status(const char *line, void *arg)
{
	char *clean = cli_clean(line);

	(void)arg;
	fprintf(stderr, "ambt: %s\n", clean);
	free(clean);
}

static void
show_notice(const struct notice *n, void *arg)
{
	notifier_show(arg, n);
}

/* Drive the watcher and the notifier until a signal or, with --once,
 * the first cycle's end. */
static void
run(struct cli *cli, struct watch *w, struct notifier *nt, int stop_fd,
    bool once)
{
	struct pollfd fds[8];
	size_t n;
	int timeout;

	for (;;) {
		timeout = watch_tick(w);
		if (once && watch_cycles(w) > 0)
			return;
		fds[0] = (struct pollfd){.fd = stop_fd, .events = POLLIN};
		n = 1 + notifier_pollfds(nt, fds + 1, AMBT_ARRAY_LEN(fds) - 1);
		if (http_poll(cli->http, fds, (unsigned)n, timeout) < 0 &&
		    errno != EINTR)
			return;
		if (fds[0].revents & POLLIN)
			return;
		for (size_t i = 1; i < n; i++) {
			if (fds[i].revents) {
				notifier_dispatch(nt);
				break;
			}
		}
	}
}

static int
watch_with(struct cli *cli, const struct watch_args *a, struct store *state,
           int stop_fd)
{
	struct notifier_options no = {
	    .enabled = !a->no_notify && !cli->no_notify && cli->cfg.notify,
	    .open_command = cli->cfg.notify_command,
	    .fallback = print_notice,
	};
	struct notifier *nt = notifier_new(&no);
	struct watch_options wo = {
	    .server = cli->cfg.server,
	    .username =
	        cli->cfg.username ? cli->cfg.username : cli->cfg.api_username,
	    .cfg = &cli->cfg,
	    .interval = a->interval,
	    .state = state,
	    .notice = show_notice,
	    .status = print_status,
	    .arg = nt,
	};
	struct watch *w;
	bool failed;

	w = watch_new(cli->api, &wo);
	run(cli, w, nt, stop_fd, a->once);
	failed = a->once && watch_last_failed(w);
	watch_free(w);
	notifier_free(nt);
	return failed ? CLI_FAIL : CLI_OK;
}

int
cli_watch(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"interval", required_argument, NULL, OPT_INTERVAL},
	    {"no-notify", no_argument, NULL, OPT_NO_NOTIFY},
	    {"once", no_argument, NULL, OPT_ONCE},
	    {NULL, 0, NULL, 0},
	};
	struct watch_args a = {0};
	struct ambt_error err = {0};
	struct store *state;
	int first, pipefd[2];
	int rc = cli_parse(cli, cli_find_command("watch"), argc, argv, opts,
	                   on_option, &a, &first);

	if (rc != 0)
		return rc < 0 ? CLI_OK : rc;
	if (first < argc)
		return cli_usage_error("watch", _("watch: unexpected '%s'"),
		                       argv[first]);
	rc = cli_connect(cli);
	if (rc != CLI_OK)
		return rc;
	state = store_open_default(STORE_STATE, &err);
	if (state == NULL || catch_signals(pipefd) < 0) {
		fprintf(stderr, "ambt: %s\n",
		        state ? strerror(errno) : err.msg);
		store_close(state);
		cli_disconnect(cli);
		return CLI_FAIL;
	}
	rc = watch_with(cli, &a, state, pipefd[0]);
	store_close(state);
	cli_disconnect(cli);
	close(pipefd[0]);
	close(pipefd[1]);
	return rc;
}
