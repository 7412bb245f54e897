/*
 * tui.c: ambt with no subcommand (or `ambt tui`): the full-screen reader.
 * It connects as every subcommand does, opens the state store for read
 * positions and drafts, and hands both to the TUI's loop.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "ambt/util.h"
#include "cli/cli.h"
#include "tui/tui.h"

int
cli_tui(struct cli *cli, int argc, char **argv)
{
	struct ambt_error err = {0};
	struct tui_options opt = {0};
	struct store *state;
	int first = argc, rc;

	if (argc > 0) {
		rc = cli_parse(cli, cli_find_command("tui"), argc, argv, NULL,
		               NULL, NULL, &first);
		if (rc != 0)
			return rc < 0 ? CLI_OK : rc;
	}
	if (first < argc)
		return cli_usage_error("tui", "tui: unexpected '%s'",
		                       argv[first]);
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fputs("ambt: the full-screen reader needs a terminal; for "
		      "scripts try 'ambt latest'\n",
		      stderr);
		return CLI_FAIL;
	}
	rc = cli_connect(cli);
	if (rc != CLI_OK)
		return rc;
	if (cli->theme != NULL) {
		free(cli->cfg.theme);
		cli->cfg.theme = xstrdup(cli->theme);
	}
	/* Without the state the reader still reads; it only forgets. */
	state = store_open_default(STORE_STATE, &err);
	opt.api = cli->api;
	opt.state = state;
	opt.cfg = &cli->cfg;
	opt.base_url = cli->cfg.server;
	opt.username =
	    cli->cfg.username ? cli->cfg.username : cli->cfg.api_username;
	rc = tui_run(&opt);
	store_close(state);
	if (state == NULL)
		fprintf(stderr, "ambt: warning: read positions not kept: %s\n",
		        err.msg);
	cli_disconnect(cli);
	return rc == 0 ? CLI_OK : CLI_FAIL;
}
