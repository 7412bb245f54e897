/*
 * notify_probe: show one notice through the notifier, for
 * tests/integration/notify.py (the notifier without the watcher).
 *
 *   notify_probe [--disabled] [--command CMD] [--kind KIND] [--wait]
 *                [--again] SUMMARY BODY [URL]
 *   notify_probe --post-body AUTHOR COOKED COLS
 *
 * Prints "desktop" or "fallback: SUMMARY | BODY" on stdout. With --wait it
 * then serves the notifier's descriptors in a poll loop (so an Open action
 * runs) until its stdin closes. With --again it shows the notice a second
 * time when a line comes on stdin (a server that came later).
 */
#include "config.h"

#include <getopt.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ambt/notify.h"

static const char *const kind_names[] = {
    "post", "reply", "mention", "message", "monitored", "event", "summary",
};

static void
print_fallback(const struct notice *notice, void *arg)
{
	(void)arg;
	printf("fallback: %s | %s\n", notice->summary, notice->body);
}

static int
kind_of(const char *name)
{
	for (size_t i = 0; i < sizeof kind_names / sizeof *kind_names; i++) {
		if (strcmp(kind_names[i], name) == 0)
			return (int)i;
	}
	return -1;
}

/* Until stdin closes: stdin and the notifier's descriptors in one poll. */
static void
serve(struct notifier *n)
{
	for (;;) {
		struct pollfd fds[17] = {
		    {.fd = STDIN_FILENO, .events = POLLIN}};
		size_t count = 1 + notifier_pollfds(n, fds + 1, 16);

		if (poll(fds, count, -1) < 0)
			return;
		if (fds[0].revents) {
			char c;
			if (read(STDIN_FILENO, &c, 1) <= 0)
				return;
		}
		notifier_dispatch(n);
	}
}

static void
show(struct notifier *n, const struct notice *notice)
{
	if (notifier_show(n, notice) == 0)
		printf("desktop\n");
	fflush(stdout);
}

static int
post_body(char **argv)
{
	char *body = notice_post_body(argv[0], argv[1],
	                              (size_t)strtoul(argv[2], NULL, 10));
	printf("%s\n", body);
	free(body);
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"disabled", no_argument, NULL, 'd'},
	    {"command", required_argument, NULL, 'c'},
	    {"kind", required_argument, NULL, 'k'},
	    {"wait", no_argument, NULL, 'w'},
	    {"again", no_argument, NULL, 'a'},
	    {"post-body", no_argument, NULL, 'p'},
	    {NULL, 0, NULL, 0},
	};
	struct notifier_options o = {.enabled = true,
	                             .fallback = print_fallback};
	struct notice notice = {.kind = NOTICE_POST};
	bool wait = false, again = false;
	int c, kind;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			o.enabled = false;
			break;
		case 'c':
			o.open_command = optarg;
			break;
		case 'k':
			if ((kind = kind_of(optarg)) < 0)
				return 2;
			notice.kind = (enum notice_kind)kind;
			break;
		case 'w':
			wait = true;
			break;
		case 'a':
			again = true;
			break;
		case 'p':
			return argc - optind == 3 ? post_body(argv + optind)
			                          : 2;
		default:
			return 2;
		}
	}
	if (argc - optind < 2)
		return 2;
	notice.summary = argv[optind];
	notice.body = argv[optind + 1];
	notice.url = argc - optind > 2 ? argv[optind + 2] : NULL;

	struct notifier *n = notifier_new(&o);
	show(n, &notice);
	if (again && getchar() != EOF)
		show(n, &notice);
	if (wait)
		serve(n);
	notifier_free(n);
	return 0;
}
