/*
 * demo.c: ambt --demo [COMMAND ...]: start a private ambtd seeded with the
 * Ambtenaar 2.0 community on a loopback port, use it as the server with a
 * random admin key acting as the demo member, and stop it afterwards.
 *
 * ambtd must never outlive ambt, however ambt ends: it is told to die with
 * its parent (PR_SET_PDEATHSIG), which also covers SIGKILL and crashes.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ambt/i18n.h"
#include "ambt/util.h"
#include "ambtd/ambtd.h"
#include "cli/cli.h"

#define DEMO_START_TIMEOUT_MS 30000
#define DEMO_STOP_TIMEOUT_MS 5000

struct demo {
	pid_t pid;
	int out; /* ambtd's stdout, kept open so it never writes to a
	            closed pipe */
	char *db;
	char *log;    /* ambtd's stderr */
	char *beside; /* ambtd beside this ambt, or NULL */
	char key[33];
	char url[256];
};

/* A fresh admin key: 16 random bytes as hex. */
static int
random_key(char *key, size_t size)
{
	unsigned char bytes[16];
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, bytes, sizeof bytes);

	if (fd >= 0)
		close(fd);
	if (n != (ssize_t)sizeof bytes || size < 2 * sizeof bytes + 1)
		return -1;
	for (size_t i = 0; i < sizeof bytes; i++)
		snprintf(key + 2 * i, 3, "%02x", bytes[i]);
	return 0;
}

/* The ambtd beside this ambt: in the build tree, or the same bin dir. */
static char *
beside_self(void)
{
	char *dir = exe_dir();
	char *path = dir ? xasprintf("%s/ambtd", dir) : NULL;

	free(dir);
	return path;
}

/* In the child: never returns. */
static void
exec_ambtd(const struct demo *d, pid_t parent, int out, int log)
{
	char *args[] = {
	    "ambtd",  "--listen", "127.0.0.1:0",     "--db",         d->db,
	    "--seed", "demo",     "--admin-api-key", (char *)d->key, NULL};
	int devnull = open("/dev/null", O_RDONLY);

	/* Die with ambt; if ambt is already gone, do not start at all. */
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (getppid() != parent)
		_exit(1);
	/* Its own process group: a ^C meant for the client is not for it. */
	setpgid(0, 0);
	dup2(devnull, STDIN_FILENO);
	dup2(out, STDOUT_FILENO);
	dup2(log, STDERR_FILENO);
	if (d->beside != NULL && access(d->beside, X_OK) == 0)
		execv(d->beside, args);
	execv(AMBT_BINDIR "/ambtd", args);
	execvp("ambtd", args);
	fprintf(stderr, _("cannot run ambtd: %s\n"), strerror(errno));
	_exit(127);
}

/* Read ambtd's first line: "listening on URL". */
static int
read_url(struct demo *d)
{
	static const char prefix[] = "listening on ";
	char line[sizeof d->url];
	size_t len = 0;
	struct pollfd p = {.fd = d->out, .events = POLLIN};

	while (len < sizeof line - 1) {
		ssize_t n;

		if (poll(&p, 1, DEMO_START_TIMEOUT_MS) <= 0)
			return -1;
		n = read(d->out, line + len, 1);
		if (n <= 0)
			return -1;
		if (line[len] == '\n')
			break;
		len++;
	}
	line[len] = '\0';
	if (strncmp(line, prefix, sizeof prefix - 1) != 0)
		return -1;
	snprintf(d->url, sizeof d->url, "%s", line + sizeof prefix - 1);
	return 0;
}

/* The last line ambtd wrote to its log, to say why it did not start. */
static void
report_start_failure(const struct demo *d)
{
	char line[512] = "", last[512] = "";
	FILE *f = fopen(d->log, "r");

	while (f != NULL && fgets(line, sizeof line, f) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		if (line[0] != '\0')
			snprintf(last, sizeof last, "%s", line);
	}
	if (f != NULL)
		fclose(f);
	fprintf(
	    stderr,
	    _("ambt: the demo server (ambtd) did not start: %s (log: %s)\n"),
	    last[0] != '\0' ? last : _("no message"), d->log);
}

static void
demo_stop(struct demo *d)
{
	int status;

	if (d->pid > 0) {
		kill(d->pid, SIGTERM);
		for (int waited = 0; waitpid(d->pid, &status, WNOHANG) == 0;
		     waited += 50) {
			if (waited >= DEMO_STOP_TIMEOUT_MS) {
				kill(d->pid, SIGKILL);
				waitpid(d->pid, &status, 0);
				break;
			}
			nanosleep(&(struct timespec){0, 50 * 1000 * 1000},
			          NULL);
		}
	}
	if (d->out >= 0)
		close(d->out);
	free(d->db);
	free(d->log);
	free(d->beside);
}

/* Paths under the XDG data directory, created when missing. */
static int
demo_paths(struct demo *d)
{
	struct ambt_error err = {0};
	char *dir = xdg_data_dir();
	int rc = mkdir_p(dir, &err);

	if (rc < 0)
		fprintf(stderr, "ambt: %s\n", err.msg);
	d->db = xasprintf("%s/demo.sqlite3", dir);
	d->log = xasprintf("%s/demo.log", dir);
	d->beside = beside_self();
	free(dir);
	return rc;
}

static int
demo_start(struct demo *d)
{
	int pipefd[2], log;
	pid_t parent = getpid();

	if (demo_paths(d) < 0)
		return -1;
	if (random_key(d->key, sizeof d->key) < 0) {
		fputs(_("ambt: cannot read /dev/urandom for a key\n"), stderr);
		return -1;
	}
	log = open(d->log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (log < 0 || pipe2(pipefd, O_CLOEXEC) < 0) {
		fprintf(stderr, "ambt: %s: %s\n", d->log, strerror(errno));
		if (log >= 0)
			close(log);
		return -1;
	}
	d->pid = fork();
	if (d->pid == 0)
		exec_ambtd(d, parent, pipefd[1], log);
	close(pipefd[1]);
	close(log);
	d->out = pipefd[0];
	if (d->pid < 0 || read_url(d) < 0) {
		report_start_failure(d);
		return -1;
	}
	return 0;
}

int
cli_demo(struct cli *cli, int argc, char **argv)
{
	static char *tui[] = {"tui", NULL};
	struct demo d = {.out = -1};
	int rc = CLI_FAIL;

	if (argc > 0 && cli_find_command(argv[0]) == NULL)
		return cli_usage_error(NULL, _("unknown command '%s'"),
		                       argv[0]);
	if (demo_start(&d) == 0) {
		cli->server = d.url;
		cli->api_key = d.key;
		cli->api_username = DEMO_USERNAME;
		cli->no_cache = true;
		cli->no_config = true;
		if (argc == 0) {
			argc = 1;
			argv = tui;
		}
		rc = cli_dispatch(cli, argc, argv);
		/* All output is out before the server goes: a reader that
		 * stalls us holds a live server, never a half-stopped one. */
		fflush(stdout);
	}
	demo_stop(&d);
	return rc;
}
