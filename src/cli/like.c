/*
 * like.c: ambt like POST_ID [--undo]: like a post, or take the like back,
 * and print the post's likes as the server counts them after.
 */
#include "config.h"

#include <getopt.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>

#include "ambt/i18n.h"
#include "ambt/util.h"
#include "cli/cli.h"

static const struct option like_options[] = {
    {"undo", no_argument, NULL, 'u'},
    {NULL, 0, NULL, 0},
};

static int
like_option(int c, const char *arg, void *ctx)
{
	(void)c;
	(void)arg;
	*(bool *)ctx = true;
	return 0;
}

static int
print_likes(const struct cli *cli, const struct post *p)
{
	json_t *j;

	if (!cli->json) {
		printf(p->liked ? P_("post %lld: %d like, yours among them\n",
		                     "post %lld: %d likes, yours among them\n",
		                     p->like_count)
		                : P_("post %lld: %d like\n",
		                     "post %lld: %d likes\n", p->like_count),
		       (long long)p->id, p->like_count);
		return CLI_OK;
	}
	j = json_pack("{s:I, s:i, s:b}", "id", (json_int_t)p->id, "like_count",
	              p->like_count, "liked", p->liked);
	return cli_print_json_value(j);
}

int
cli_like(struct cli *cli, int argc, char **argv)
{
	struct api_sync sync = {0};
	bool undo = false;
	int64_t id;
	int first;
	int rc = cli_parse(cli, cli_find_command("like"), argc, argv,
	                   like_options, like_option, &undo, &first);

	if (rc != 0)
		return rc < 0 ? CLI_OK : rc;
	if (first >= argc)
		return cli_usage_error("like", _("like: which post?"));
	if (first + 1 < argc)
		return cli_usage_error("like", _("like: unexpected '%s'"),
		                       argv[first + 1]);
	if (cli_parse_id("like", "POST_ID", argv[first], &id) != 0)
		return CLI_USAGE;
	rc = cli_connect(cli);
	if (rc != CLI_OK)
		return rc;
	if (undo)
		api_unlike(cli->api, id, api_sync_done, &sync);
	else
		api_like(cli->api, id, api_sync_done, &sync);
	rc = cli_wait(cli, &sync);
	if (rc == CLI_OK)
		rc = print_likes(cli, sync.reply.data);
	post_free(sync.reply.data);
	cli_disconnect(cli);
	return rc;
}
