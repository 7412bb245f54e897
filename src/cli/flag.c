/*
 * flag.c: ambt flag POST_ID --reason off_topic|inappropriate|spam|other
 * [-m MESSAGE]: report a post to the moderators, as the web client's
 * "Een probleem rapporteren" does. "other" is Discourse's
 * notify_moderators, which says why in a message.
 */
#include "config.h"

#include <getopt.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "ambt/i18n.h"
#include "ambt/util.h"
#include "cli/cli.h"

struct flag_opts {
	const char *reason;
	const char *message;
};

static const struct {
	const char *name;
	enum post_action type;
} reasons[] = {
    {"off_topic", POST_ACTION_OFF_TOPIC},
    {"inappropriate", POST_ACTION_INAPPROPRIATE},
    {"spam", POST_ACTION_SPAM},
    {"other", POST_ACTION_NOTIFY_MODERATORS},
};

static const struct option flag_options[] = {
    {"reason", required_argument, NULL, 'r'},
    {"message", required_argument, NULL, 'm'},
    {NULL, 0, NULL, 0},
};

static int
flag_option(int c, const char *arg, void *ctx)
{
	struct flag_opts *o = ctx;

	if (c == 'r')
		o->reason = arg;
	else
		o->message = arg;
	return 0;
}

/* The reason's action type, or 0 after a usage message. */
static enum post_action
reason_type(const struct flag_opts *o)
{
	for (size_t i = 0; i < AMBT_ARRAY_LEN(reasons); i++) {
		if (o->reason == NULL || strcmp(o->reason, reasons[i].name))
			continue;
		if (reasons[i].type == POST_ACTION_NOTIFY_MODERATORS &&
		    (o->message == NULL || o->message[0] == '\0')) {
			cli_usage_error("flag",
			                _("flag: --reason other needs "
			                  "-m MESSAGE for the moderators"));
			return 0;
		}
		return reasons[i].type;
	}
	if (o->reason)
		cli_usage_error("flag",
		                _("flag: unknown reason '%s' (off_topic, "
		                  "inappropriate, spam or other)"),
		                o->reason);
	else
		cli_usage_error("flag", _("flag: --reason is needed"));
	return 0;
}

static int
print_flagged(const struct cli *cli, const struct post *p, const char *reason)
{
	if (!cli->json) {
		printf(_("Reported post %lld to the moderators (%s).\n"),
		       (long long)p->id, reason);
		return CLI_OK;
	}
	return cli_print_json_value(
	    json_pack("{s:I, s:s}", "id", (json_int_t)p->id, "reason", reason));
}

static int
flag_post(struct cli *cli, int64_t id, enum post_action type,
          const struct flag_opts *o)
{
	struct api_sync sync = {0};
	int rc = cli_connect(cli);

	if (rc != CLI_OK)
		return rc;
	api_flag(cli->api, id, type, o->message, api_sync_done, &sync);
	rc = cli_wait(cli, &sync);
	if (rc == CLI_OK)
		rc = print_flagged(cli, sync.reply.data, o->reason);
	post_free(sync.reply.data);
	cli_disconnect(cli);
	return rc;
}

int
cli_flag(struct cli *cli, int argc, char **argv)
{
	struct flag_opts o = {NULL, NULL};
	enum post_action type;
	int64_t id;
	int first;
	int rc;

	cli_short_text_options(argc, argv);
	rc = cli_parse(cli, cli_find_command("flag"), argc, argv, flag_options,
	               flag_option, &o, &first);
	if (rc != 0)
		return rc < 0 ? CLI_OK : rc;
	if (first >= argc)
		return cli_usage_error("flag", _("flag: which post?"));
	if (first + 1 < argc)
		return cli_usage_error("flag", _("flag: unexpected '%s'"),
		                       argv[first + 1]);
	if (cli_parse_id("flag", "POST_ID", argv[first], &id) != 0)
		return CLI_USAGE;
	type = reason_type(&o);
	if (type == 0)
		return CLI_USAGE;
	return flag_post(cli, id, type, &o);
}
