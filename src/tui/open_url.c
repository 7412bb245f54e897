/*
 * open_url.c: open link [n] of a post. $BROWSER may be a text browser, so
 * it gets the terminal and the screen is restored after it (mutt's and
 * newsboat's way); without it xdg-open runs detached, in its own session
 * with stdio on /dev/null, so a desktop browser never writes over the
 * screen and no zombie is left behind.
 */
#include "config.h"

#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ambt/i18n.h"
#include "tui/core.h"

/* In a child: run argv with stdio on /dev/null, in its own session. */
static void
exec_detached(char *const argv[])
{
	int devnull = open("/dev/null", O_RDWR);

	setsid();
	dup2(devnull, STDIN_FILENO);
	dup2(devnull, STDOUT_FILENO);
	dup2(devnull, STDERR_FILENO);
	execvp(argv[0], argv);
	_exit(127);
}

/* xdg-open, detached: a grandchild, so no zombie is left behind. */
static int
open_detached(const char *url)
{
	char *argv[] = {"xdg-open", (char *)url, NULL};
	pid_t pid = fork();
	int status;

	if (pid == 0) {
		if (fork() == 0)
			exec_detached(argv);
		_exit(0);
	}
	if (pid < 0)
		return -1;
	waitpid(pid, &status, 0);
	return 0;
}

/* $BROWSER may be a text browser (w3m, lynx): it gets the terminal, as
 * in mutt and newsboat, and the screen comes back after it. */
static int
open_in_terminal(const char *browser, const char *url)
{
	pid_t pid;
	int status = 0;

	def_prog_mode();
	endwin();
	pid = fork();
	if (pid == 0) {
		execlp(browser, browser, url, (char *)NULL);
		_exit(127);
	}
	while (pid > 0 && waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	reset_prog_mode();
	clearok(curscr, TRUE);
	refresh();
	if (pid < 0)
		return -1;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

void
tui_open_url(struct tui *t, const char *url)
{
	const char *browser = getenv("BROWSER");
	int rc;

	if (url == NULL || (strncmp(url, "http://", 7) != 0 &&
	                    strncmp(url, "https://", 8) != 0)) {
		tui_error(t, _("not a web link: %s"), url ? url : "");
		return;
	}
	if (browser != NULL && browser[0] != '\0')
		rc = open_in_terminal(browser, url);
	else
		rc = open_detached(url);
	tui_dirty(t);
	if (rc < 0)
		tui_error(t, _("cannot open %s with %s"), url,
		          browser && browser[0] ? browser : "xdg-open");
	else
		tui_message(t, _("Opened %s"), url);
}
