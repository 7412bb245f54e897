/*
 * logout.c: ambt logout: revoke the User API key or end the session kept
 * for the server, then forget it. What was kept is deleted even when the
 * server cannot be told (the exit status says so): a user who logs out
 * wants nothing left behind on this machine.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "ambt/i18n.h"
#include "ambt/credentials.h"
#include "ambt/login.h"
#include "ambt/util.h"
#include "cli/cli.h"

/* Tell the server; -1 with err when it could not be told. */
static int
end_on_server(const struct cli *cli, const struct credential *c,
              struct ambt_error *err)
{
	struct http_options base;

	cli_http_options(cli, &base);
	if (c->user_api_key != NULL)
		return logout_user_api_key(&base, c->user_api_key, c->client_id,
		                           err);
	if (c->cookie_file != NULL && c->username != NULL)
		return logout_session(&base, c->cookie_file, c->username, err);
	if (c->cookie_file != NULL)
		unlink(c->cookie_file);
	return 0;
}

static int
log_out(const struct cli *cli, const char *path, struct credentials *creds)
{
	struct ambt_error err = {0}, save_err = {0};
	const struct credential *c = credentials_find(creds, cli->cfg.server);
	int told, saved;

	if (c == NULL) {
		fprintf(stderr, _("ambt: not logged in to %s\n"),
		        cli->cfg.server);
		return CLI_FAIL;
	}
	told = end_on_server(cli, c, &err);
	credentials_remove(creds, cli->cfg.server);
	saved = credentials_save(creds, path, &save_err);
	if (told < 0) {
		fputs(_("ambt: warning: the server was not told: "), stderr);
		cli_report_error(cli, &err);
	}
	if (saved < 0)
		cli_report_error(cli, &save_err);
	else
		printf(_("Logged out of %s.\n"), cli->cfg.server);
	return told < 0 || saved < 0 ? CLI_FAIL : CLI_OK;
}

int
cli_logout(struct cli *cli, int argc, char **argv)
{
	struct ambt_error err = {0};
	struct credentials creds;
	char *path;
	int first;
	int rc = cli_parse(cli, cli_find_command("logout"), argc, argv, NULL,
	                   NULL, NULL, &first);

	if (rc != 0)
		return rc < 0 ? CLI_OK : rc;
	if (first < argc)
		return cli_usage_error("logout", _("logout: unexpected '%s'"),
		                       argv[first]);
	cli->no_credentials = true;
	rc = cli_connect(cli);
	if (rc != CLI_OK)
		return rc;
	path = credentials_default_path();
	credentials_init(&creds);
	if (credentials_load(&creds, path, &err) < 0) {
		cli_report_error(cli, &err);
		rc = CLI_FAIL;
	} else {
		rc = log_out(cli, path, &creds);
	}
	credentials_clear(&creds);
	free(path);
	cli_disconnect(cli);
	return rc;
}
