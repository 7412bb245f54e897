/*
 * notifications.c: ambt notifications: the logged-in member's
 * notifications, newest first, unread ones marked. /site.json is fetched
 * beside them for the names of the notification types.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ambt/i18n.h"
#include "ambt/util.h"
#include "cli/cli.h"

/* Discourse's names of the common notification types, shown in the
 * user's language; another type shows its name as the server sends it. */
static const char *
type_label(const char *name)
{
	/* TRANSLATORS: Discourse's notification types, as the TYPE column of
	 * "ambt notifications" shows them: a word or two each. */
	static const char *const known[] = {
	    N_("mentioned"),
	    N_("replied"),
	    N_("quoted"),
	    N_("edited"),
	    N_("liked"),
	    N_("private_message"),
	    N_("invited_to_private_message"),
	    N_("invitee_accepted"),
	    N_("posted"),
	    N_("moved_post"),
	    N_("linked"),
	    N_("granted_badge"),
	    N_("invited_to_topic"),
	    N_("group_mentioned"),
	    N_("watching_first_post"),
	    N_("topic_reminder"),
	    N_("liked_consolidated"),
	    N_("post_approved"),
	    N_("bookmark_reminder"),
	    N_("reaction"),
	    N_("event_reminder"),
	    N_("event_invitation"),
	    N_("watching_category_or_tag"),
	};

	for (size_t i = 0; name != NULL && i < AMBT_ARRAY_LEN(known); i++)
		if (strcmp(name, known[i]) == 0)
			return _(known[i]);
	return name;
}

static const char *
type_name(const struct site *site, int type, char *buf, size_t size)
{
	for (size_t i = 0; i < site->n_notification_types; i++) {
		if (site->notification_types[i].value == type)
			return type_label(site->notification_types[i].name);
	}
	snprintf(buf, size, _("type %d"), type);
	return buf;
}

static void
print_notifications(const struct notification_list *list,
                    const struct site *site)
{
	static const char *const headers[] = {"", N_("AGE"), N_("TYPE"),
	                                      N_("FROM"), N_("TOPIC")};
	static const bool right[] = {false, true, false, false, false};
	struct table t;

	table_init(&t, AMBT_ARRAY_LEN(headers), headers, right);
	for (size_t i = 0; i < list->n; i++) {
		const struct notification *n = &list->items[i];
		char age[16], type[24];
		/* fancy_title carries HTML entities; topic_title is text. */
		const char *topic = n->topic_title   ? n->topic_title
		                    : n->fancy_title ? n->fancy_title
		                                     : n->badge_name;

		table_add(&t, (const char *const[]){
		                  n->read ? " " : "*",
		                  cli_age(n->created_at, age, sizeof age),
		                  type_name(site, n->notification_type, type,
		                            sizeof type),
		                  n->display_username, topic});
	}
	if (list->n == 0)
		puts(_("(no notifications)"));
	else
		table_print(&t, stdout, cli_width());
	table_free(&t);
}

int
cli_notifications(struct cli *cli, int argc, char **argv)
{
	struct api_sync list = {0}, site = {0};
	int first;
	int rc = cli_parse(cli, cli_find_command("notifications"), argc, argv,
	                   NULL, NULL, NULL, &first);

	if (rc != 0)
		return rc < 0 ? CLI_OK : rc;
	if (first < argc)
		return cli_usage_error("notifications",
		                       _("notifications: unexpected '%s'"),
		                       argv[first]);
	rc = cli_connect(cli);
	if (rc != CLI_OK)
		return rc;
	api_get_notifications(cli->api, api_sync_done, &list);
	if (!cli->json)
		api_get_site(cli->api, api_sync_done, &site);
	rc = cli_wait(cli, &list);
	if (rc == CLI_OK && cli->json) {
		rc = cli_print_json(api_encode_notifications(list.reply.data));
	} else {
		api_sync_wait(cli->api, &site);
		if (rc == CLI_OK)
			rc = cli_wait(cli, &site);
		if (rc == CLI_OK)
			print_notifications(list.reply.data, site.reply.data);
	}
	notification_list_free(list.reply.data);
	site_free(site.reply.data);
	cli_disconnect(cli);
	return rc;
}
