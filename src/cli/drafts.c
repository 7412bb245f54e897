/*
 * drafts.c: ambt drafts [list | send KEY [--category SLUG] | discard KEY]:
 * the texts kept in the state store that no server has confirmed yet.
 * When logged in, list first brings in the drafts kept on the server (a
 * reply begun in the browser), as the web composer would find them.
 * Sending a kept draft first looks in its topic for an earlier attempt
 * that did arrive, so a draft left by a kill or a lost answer is never
 * posted twice.
 */
#include "config.h"

#include <getopt.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ambt/i18n.h"
#include "ambt/send.h"
#include "ambt/util.h"
#include "cli/cli.h"

static const struct option drafts_options[] = {
    {"category", required_argument, NULL, 'c'},
    {NULL, 0, NULL, 0},
};

static int
drafts_option(int c, const char *arg, void *ctx)
{
	(void)c;
	*(const char **)ctx = arg;
	return 0;
}

/* The settings' server, without connecting: drafts are kept by it. */
static int
settings_server(struct cli *cli)
{
	int rc = cli_connect(cli);

	if (rc == CLI_OK && cli->cfg.server == NULL)
		rc = CLI_FAIL;
	return rc;
}

static json_t *
draft_json(const struct draft *d)
{
	return json_pack(
	    "{s:s, s:s, s:s?, s:I, s:I, s:I}", "key", d->key, "text", d->text,
	    "title", d->title, "reply_to_post_number",
	    (json_int_t)d->reply_to_post_number, "category_id",
	    (json_int_t)d->category_id, "saved_at", (json_int_t)d->saved_at);
}

static int
print_drafts(const struct cli *cli, const struct draft *d, size_t n)
{
	static const char *const headers[] = {N_("KEY"), N_("SAVED"),
	                                      N_("TEXT")};
	struct table t;
	char date[32];
	json_t *list;

	if (cli->json) {
		list = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(list, draft_json(&d[i]));
		return cli_print_json_value(list);
	}
	fprintf(stderr, P_("%zu unsent draft\n", "%zu unsent drafts\n", n), n);
	table_init(&t, 3, headers, NULL);
	for (size_t i = 0; i < n; i++) {
		char *text = d[i].title
		                 ? xasprintf("%s: %s", d[i].title, d[i].text)
		                 : xstrdup(d[i].text);

		table_add(&t,
		          (const char *const[]){
		              d[i].key,
		              cli_date_time(d[i].saved_at, date, sizeof date),
		              text});
		free(text);
	}
	if (n > 0)
		table_print(&t, stdout, cli_width());
	table_free(&t);
	return CLI_OK;
}

static const char *
login_name(const struct cli *cli)
{
	return cli->cfg.api_username ? cli->cfg.api_username
	                             : cli->cfg.username;
}

struct sync_wait {
	bool done;
	bool failed;
	struct ambt_error err;
};

static void
synced(int n_imported, const struct ambt_error *err, void *arg)
{
	struct sync_wait *w = arg;

	(void)n_imported;
	w->done = true;
	w->failed = err != NULL;
	if (err != NULL)
		w->err = *err;
}

/* The server's drafts into the store; without them the list still shows
 * ours, with a warning. */
static void
sync_from_server(struct cli *cli, struct store *state)
{
	struct send_env env = {cli->api, state, cli->cfg.server,
	                       login_name(cli)};
	struct sync_wait w = {0};

	if (env.username == NULL ||
	    send_sync_server_drafts(&env, synced, &w, &w.err) < 0)
		return;
	while (!w.done && http_pending(api_http(cli->api)) > 0)
		http_poll(api_http(cli->api), NULL, 0, -1);
	if (w.failed) {
		fputs(_("ambt: warning: the server's drafts are not listed: "),
		      stderr);
		cli_report_error(cli, &w.err);
	}
}

static int
drafts_list(struct cli *cli, struct store *state)
{
	struct ambt_error err = {0};
	struct draft *d;
	size_t n;
	int rc;

	sync_from_server(cli, state);
	if (send_unsent_drafts(state, cli->cfg.server, &d, &n, &err) < 0) {
		fprintf(stderr, "ambt: %s\n", err.msg);
		return CLI_FAIL;
	}
	rc = print_drafts(cli, d, n);
	send_drafts_free(d, n);
	return rc;
}

static int
load(struct cli *cli, struct store *state, const char *key, struct draft *d)
{
	struct ambt_error err = {0};
	int found = store_draft_load(state, cli->cfg.server, key, d, &err);

	if (found == 1)
		return CLI_OK;
	if (found < 0)
		fprintf(stderr, "ambt: %s\n", err.msg);
	else
		fprintf(stderr,
		        _("ambt: no draft %s ('ambt drafts' lists them)\n"),
		        key);
	return CLI_FAIL;
}

static int
drafts_send(struct cli *cli, struct store *state, const char *key,
            const char *category)
{
	struct draft d = {0};
	int64_t category_id = 0;
	int rc = load(cli, state, key, &d);

	if (rc == CLI_OK && send_draft_topic(key) == 0 && category == NULL)
		category_id = d.category_id; /* the one it was begun in */
	if (rc == CLI_OK && send_draft_topic(key) == 0 && category_id == 0) {
		if (category == NULL) {
			draft_clear(&d);
			return cli_usage_error("drafts",
			                       _("drafts: a new topic needs "
			                         "--category SLUG"));
		}
		rc = cli_category_id(cli, category, &category_id);
	}
	if (rc == CLI_OK)
		rc = cli_send(cli, state, &d, category_id, true);
	draft_clear(&d);
	return rc;
}

static int
drafts_discard(struct cli *cli, struct store *state, const char *key)
{
	struct ambt_error err = {0};
	struct draft d = {0};
	struct send_env env = {cli->api, state, cli->cfg.server,
	                       login_name(cli)};
	int rc = load(cli, state, key, &d);

	draft_clear(&d);
	if (rc != CLI_OK)
		return rc;
	if (send_discard_draft(&env, key, &err) < 0) {
		fprintf(stderr, "ambt: %s\n", err.msg);
		return CLI_FAIL;
	}
	http_run(api_http(cli->api));
	return CLI_OK;
}

static int
drafts_run(struct cli *cli, int argc, char **argv, const char *category)
{
	const char *verb = argc > 0 ? argv[0] : "list";
	struct store *state;
	int rc;

	if (strcmp(verb, "list") == 0 ? argc > 1 : argc != 2)
		return cli_usage_error(
		    "drafts", "drafts: %s",
		    argc > 2 ? _("one KEY at a time")
		             : _("list, send KEY or discard KEY"));
	if (strcmp(verb, "list") && strcmp(verb, "send") &&
	    strcmp(verb, "discard"))
		return cli_usage_error("drafts", _("drafts: unknown '%s'"),
		                       verb);
	state = cli_open_state();
	if (state == NULL)
		return CLI_FAIL;
	rc = settings_server(cli);
	if (rc == CLI_OK) {
		if (strcmp(verb, "list") == 0)
			rc = drafts_list(cli, state);
		else if (strcmp(verb, "send") == 0)
			rc = drafts_send(cli, state, argv[1], category);
		else
			rc = drafts_discard(cli, state, argv[1]);
		cli_disconnect(cli);
	}
	store_close(state);
	return rc;
}

int
cli_drafts(struct cli *cli, int argc, char **argv)
{
	const char *category = NULL;
	int first;
	int rc = cli_parse(cli, cli_find_command("drafts"), argc, argv,
	                   drafts_options, drafts_option, &category, &first);

	if (rc != 0)
		return rc < 0 ? CLI_OK : rc;
	return drafts_run(cli, argc - first, argv + first, category);
}
