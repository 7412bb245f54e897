/*
 * members.c: ambt members [--page N]: the forum's members (its directory),
 * the most active first.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>

#include "ambt/i18n.h"
#include "ambt/util.h"
#include "cli/cli.h"

static const struct option members_options[] = {
    {"page", required_argument, NULL, 'p'},
    {NULL, 0, NULL, 0},
};

static int
members_option(int c, const char *arg, void *ctx)
{
	int *page = ctx;

	(void)c;
	*page = cli_parse_count(arg);
	if (*page < 0)
		return cli_usage_error(
		    "members", _("members: --page wants a number, not '%s'"),
		    arg);
	return 0;
}

static void
print_members(const struct member_list *l)
{
	static const char *const headers[] = {N_("USERNAME"), N_("POSTS"),
	                                      N_("TOPICS"),   N_("LIKES"),
	                                      N_("NAME"),     N_("TITLE")};
	static const bool right[] = {false, true, true, true, false, false};
	struct table t;

	table_init(&t, AMBT_ARRAY_LEN(headers), headers, right);
	for (size_t i = 0; i < l->n; i++) {
		const struct member *m = &l->items[i];
		char posts[16], topics[16], likes[16];

		snprintf(posts, sizeof posts, "%d", m->post_count);
		snprintf(topics, sizeof topics, "%d", m->topic_count);
		snprintf(likes, sizeof likes, "%d", m->likes_received);
		table_add(&t,
		          (const char *const[]){m->user.username, posts, topics,
		                                likes, m->user.name, m->title});
	}
	if (l->n == 0)
		puts(_("(no members)"));
	else
		table_print(&t, stdout, cli_width());
	table_free(&t);
}

int
cli_members(struct cli *cli, int argc, char **argv)
{
	struct api_sync sync = {0};
	int page = 0, first;
	int rc = cli_parse(cli, cli_find_command("members"), argc, argv,
	                   members_options, members_option, &page, &first);

	if (rc != 0)
		return rc < 0 ? CLI_OK : rc;
	if (first < argc)
		return cli_usage_error("members", _("members: unexpected '%s'"),
		                       argv[first]);
	rc = cli_connect(cli);
	if (rc != CLI_OK)
		return rc;
	api_get_members(cli->api, page, api_sync_done, &sync);
	rc = cli_wait(cli, &sync);
	if (rc == CLI_OK) {
		if (cli->json)
			rc =
			    cli_print_json(api_encode_members(sync.reply.data));
		else
			print_members(sync.reply.data);
	}
	member_list_free(sync.reply.data);
	cli_disconnect(cli);
	return rc;
}
