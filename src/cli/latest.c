/*
 * latest.c: ambt latest [--category SLUG] [--page N]: the newest topics,
 * of the whole forum or of one category.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>

#include "ambt/i18n.h"
#include "ambt/util.h"
#include "cli/cli.h"

static const struct option latest_options[] = {
    {"category", required_argument, NULL, 'c'},
    {"page", required_argument, NULL, 'p'},
    {NULL, 0, NULL, 0},
};

static int
latest_option(int c, const char *arg, void *ctx)
{
	struct list_query *q = ctx;

	if (c == 'c') {
		q->category_slug = arg;
		return 0;
	}
	q->page = cli_parse_count(arg);
	if (q->page < 0)
		return cli_usage_error(
		    "latest", _("latest: --page wants a number, not '%s'"),
		    arg);
	return 0;
}

static void
print_topics(const struct topic_list *list)
{
	static const char *const headers[] = {
	    N_("ID"), N_("REPLIES"), N_("VIEWS"), N_("ACTIVITY"), N_("TITLE")};
	static const bool right[] = {true, true, true, true, false};
	struct table t;

	table_init(&t, AMBT_ARRAY_LEN(headers), headers, right);
	for (size_t i = 0; i < list->n_topics; i++) {
		const struct topic_entry *e = &list->topics[i];
		char id[24], replies[16], views[16], age[16];
		int64_t active =
		    e->bumped_at ? e->bumped_at : e->last_posted_at;

		snprintf(id, sizeof id, "%lld", (long long)e->id);
		snprintf(replies, sizeof replies, "%d", e->reply_count);
		snprintf(views, sizeof views, "%d", e->views);
		table_add(&t, (const char *const[]){
		                  id, replies, views,
		                  cli_age(active, age, sizeof age), e->title});
	}
	if (list->n_topics == 0)
		puts(_("(no topics)"));
	else
		table_print(&t, stdout, cli_width());
	table_free(&t);
}

int
cli_latest(struct cli *cli, int argc, char **argv)
{
	struct list_query q = {0};
	struct api_sync sync = {0};
	int first;
	int rc = cli_parse(cli, cli_find_command("latest"), argc, argv,
	                   latest_options, latest_option, &q, &first);

	if (rc != 0)
		return rc < 0 ? CLI_OK : rc;
	if (first < argc)
		return cli_usage_error("latest", _("latest: unexpected '%s'"),
		                       argv[first]);
	rc = cli_connect(cli);
	if (rc != CLI_OK)
		return rc;
	api_get_latest(cli->api, &q, api_sync_done, &sync);
	rc = cli_wait(cli, &sync);
	if (rc == CLI_OK && cli->json)
		rc = cli_print_json(api_encode_topic_list(sync.reply.data));
	else if (rc == CLI_OK)
		print_topics(sync.reply.data);
	topic_list_free(sync.reply.data);
	cli_disconnect(cli);
	return rc;
}
