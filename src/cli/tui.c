/*
 * tui.c: ambt with no subcommand (or `ambt tui [URL | TOPIC[/POST]]`):
 * the full-screen reader, opened at a post when one is named (the
 * desktop notice's Open runs this). It connects as every subcommand
 * does, opens the state store for read positions and drafts, and hands
 * both to the TUI's loop.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "ambt/i18n.h"
#include "ambt/util.h"
#include "cli/cli.h"
#include "tui/post_ref.h"
#include "tui/tui.h"

/* The post named on the command line, if any, into opt; of any server
 * for now (a usage error costs no network). */
static int
parse_operands(int argc, char **argv, int first, struct tui_options *opt)
{
	if (first < argc - 1)
		return cli_usage_error("tui", _("tui: unexpected '%s'"),
		                       argv[first + 1]);
	if (first < argc && !post_ref_parse(argv[first], NULL, &opt->open_topic,
	                                    &opt->open_post))
		return cli_usage_error(
		    "tui", _("tui: '%s' is no post (URL, TOPIC or TOPIC/POST)"),
		    argv[first]);
	return CLI_OK;
}

/* A full URL must be of this server: its ids mean nothing here
 * otherwise. cli_connect has settled which server that is. */
static int
check_server(const struct cli *cli, const char *ref)
{
	int64_t topic;
	int post;

	if (post_ref_parse(ref, cli->cfg.server, &topic, &post))
		return CLI_OK;
	fprintf(stderr, _("ambt: %s is not an address of %s\n"), ref,
	        cli->cfg.server ? cli->cfg.server : "?");
	return CLI_FAIL;
}

static int
run_tui(struct cli *cli, struct tui_options *opt)
{
	struct ambt_error err = {0};
	struct store *state;
	int rc;

	if (cli->theme != NULL) {
		free(cli->cfg.theme);
		cli->cfg.theme = xstrdup(cli->theme);
	}
	/* Without the state the reader still reads; it only forgets. */
	state = store_open_default(STORE_STATE, &err);
	opt->api = cli->api;
	opt->state = state;
	opt->cfg = &cli->cfg;
	opt->base_url = cli->cfg.server;
	opt->username =
	    cli->cfg.username ? cli->cfg.username : cli->cfg.api_username;
	opt->notify = !cli->no_notify;
	rc = tui_run(opt);
	/* What is still in flight (a send) is cancelled while the store
	 * its callbacks write to is open. */
	cli_disconnect(cli);
	store_close(state);
	if (state == NULL)
		fprintf(stderr,
		        _("ambt: warning: read positions not kept: %s\n"),
		        err.msg);
	return rc == 0 ? CLI_OK : CLI_FAIL;
}

int
cli_tui(struct cli *cli, int argc, char **argv)
{
	struct tui_options opt = {0};
	int first = argc, rc;

	if (argc > 0) {
		rc = cli_parse(cli, cli_find_command("tui"), argc, argv, NULL,
		               NULL, NULL, &first);
		if (rc != 0)
			return rc < 0 ? CLI_OK : rc;
	}
	rc = parse_operands(argc, argv, first, &opt);
	if (rc != CLI_OK)
		return rc;
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fputs(_("ambt: the full-screen reader needs a terminal; for "
		        "scripts try 'ambt latest'\n"),
		      stderr);
		return CLI_FAIL;
	}
	rc = cli_connect(cli);
	if (rc != CLI_OK)
		return rc;
	if (first < argc && check_server(cli, argv[first]) != CLI_OK) {
		cli_disconnect(cli);
		return CLI_FAIL;
	}
	return run_tui(cli, &opt);
}
