/*
 * faultserver_util.h: tests/faultserver.py as the child of a unit test,
 * and the temporary directory that holds the files it serves. Include
 * after cmocka.h.
 */
#ifndef AMBT_TEST_FAULTSERVER_UTIL_H
#define AMBT_TEST_FAULTSERVER_UTIL_H

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ambt/util.h"

struct faultserver {
	pid_t pid;
	char url[128];
};

/* Runs argv with stdout on a pipe and reads the URL from its first line. */
static inline int
faultserver_spawn(struct faultserver *s, char *const argv[])
{
	int fds[2];
	FILE *out;
	char line[256];

	if (pipe(fds) < 0)
		return -1;
	s->pid = fork();
	if (s->pid == 0) {
		dup2(fds[1], STDOUT_FILENO);
		close(fds[0]);
		close(fds[1]);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(fds[1]);
	out = fdopen(fds[0], "r");
	if (s->pid < 0 || out == NULL ||
	    fgets(line, sizeof line, out) == NULL ||
	    sscanf(line, "listening on %127s", s->url) != 1) {
		if (out != NULL)
			fclose(out);
		return -1;
	}
	fclose(out); /* the server prints nothing more */
	return 0;
}

/* faultserver.py (with $PYTHON3, from $top_srcdir) and its options, which
 * end with NULL. */
static inline int
faultserver_start(struct faultserver *s, char *const options[])
{
	const char *py = getenv("PYTHON3"), *src = getenv("top_srcdir");
	char *script = xasprintf("%s/tests/faultserver.py", src ? src : ".");
	size_t n = 0;
	char **argv;
	int rc;

	while (options[n] != NULL)
		n++;
	argv = xcalloc(n + 3, sizeof *argv);
	argv[0] = (char *)(py != NULL && py[0] != '\0' ? py : "python3");
	argv[1] = script;
	memcpy(argv + 2, options, n * sizeof *argv);
	rc = faultserver_spawn(s, argv);
	free(argv);
	free(script);
	return rc;
}

static inline void
faultserver_stop(struct faultserver *s)
{
	int status;

	if (s->pid > 0) {
		kill(s->pid, SIGTERM);
		waitpid(s->pid, &status, 0);
		s->pid = 0;
	}
}

static inline void
write_file_in(const char *dir, const char *name, const char *text)
{
	char *path = xasprintf("%s/%s", dir, name);
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	free(path);
}

static inline void
remove_tree(const char *dir)
{
	char *cmd = xasprintf("rm -rf '%s'", dir);

	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", dir);
	free(cmd);
}

#endif
