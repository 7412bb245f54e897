/*
 * user.c: ambt user NAME: a member's profile and activity summary, fetched
 * side by side.
 */
#include "config.h"

#include <libxml/HTMLparser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ambt/i18n.h"
#include "ambt/util.h"
#include "cli/cli.h"

/* The bio as plain text: the Markdown source when sent, else the text of
 * the server's HTML. */
static char *
bio_text(const struct user_profile *u)
{
	htmlDocPtr doc;
	xmlChar *text;
	char *out;

	if (u->bio_raw != NULL || u->bio_cooked == NULL)
		return xstrdup(u->bio_raw);
	doc = htmlReadMemory(
	    u->bio_cooked, (int)strlen(u->bio_cooked), NULL, "UTF-8",
	    HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
	if (doc == NULL)
		return NULL;
	text = xmlNodeGetContent(xmlDocGetRootElement(doc));
	out = xstrdup((const char *)text);
	xmlFree(text);
	xmlFreeDoc(doc);
	return out;
}

static void
add_field(struct table *t, const char *name, const char *value)
{
	if (value != NULL && *value != '\0')
		table_add(t, (const char *const[]){name, value});
}

static void
add_number(struct table *t, const char *name, long long value)
{
	char num[24];

	snprintf(num, sizeof num, "%lld", value);
	table_add(t, (const char *const[]){name, num});
}

static void
add_profile(struct table *t, const struct user_profile *u)
{
	char date[16], age[48];
	char *bio = bio_text(u);
	const char *seen = u->last_seen_at
	                       ? time_ago(u->last_seen_at, (int64_t)time(NULL),
	                                  age, sizeof age)
	                       : NULL;

	add_field(t, _("title"), u->title);
	add_field(t, _("location"), u->location);
	add_field(t, _("website"), u->website);
	add_field(t, _("joined"), cli_date(u->created_at, date, sizeof date));
	add_field(t, _("last seen"), seen);
	if (u->trust_level >= 0)
		add_number(t, _("trust level"), u->trust_level);
	add_field(t, _("role"),
	          u->admin       ? _("admin")
	          : u->moderator ? _("moderator")
	                         : NULL);
	add_field(t, _("bio"), bio);
	free(bio);
}

static void
add_summary(struct table *t, const struct user_summary *s)
{
	/* TRANSLATORS: hours and minutes spent reading: "3h 05m". */
	char *read =
	    xasprintf(_("%lldh %02lldm"), (long long)s->time_read / 3600,
	              (long long)s->time_read / 60 % 60);

	add_number(t, _("topics"), s->topic_count);
	add_number(t, _("posts"), s->post_count);
	add_number(t, _("likes given"), s->likes_given);
	add_number(t, _("likes received"), s->likes_received);
	add_number(t, _("days visited"), s->days_visited);
	add_field(t, _("read time"), read);
	free(read);
}

/* Discourse sends these topics with little more than title and likes. */
static void
print_top_topics(const struct user_summary *s)
{
	static const char *const headers[] = {N_("ID"), N_("LIKES"),
	                                      N_("CREATED"), N_("TITLE")};
	static const bool right[] = {true, true, false, false};
	struct table t;

	if (s->n_top_topics == 0)
		return;
	table_init(&t, AMBT_ARRAY_LEN(headers), headers, right);
	for (size_t i = 0; i < s->n_top_topics; i++) {
		const struct topic_entry *e = &s->top_topics[i];
		char id[24], likes[16], date[16];

		snprintf(id, sizeof id, "%lld", (long long)e->id);
		snprintf(likes, sizeof likes, "%d", e->like_count);
		table_add(&t, (const char *const[]){
		                  id, likes,
		                  cli_date(e->created_at, date, sizeof date),
		                  e->title});
	}
	printf("\n%s\n", _("top topics:"));
	table_print(&t, stdout, cli_width());
	table_free(&t);
}

static void
print_user(const struct user_profile *u, const struct user_summary *s)
{
	char *username = cli_clean(u->username);
	char *name = cli_clean(u->name);
	struct table t;

	if (*name != '\0' && strcmp(name, username) != 0)
		printf("%s (%s)\n", username, name);
	else
		printf("%s\n", username);
	table_init(&t, 2, NULL, NULL);
	add_profile(&t, u);
	add_summary(&t, s);
	table_print(&t, stdout, cli_width());
	table_free(&t);
	print_top_topics(s);
	free(name);
	free(username);
}

int
cli_user(struct cli *cli, int argc, char **argv)
{
	struct api_sync profile = {0}, summary = {0};
	int first;
	int rc = cli_parse(cli, cli_find_command("user"), argc, argv, NULL,
	                   NULL, NULL, &first);

	if (rc != 0)
		return rc < 0 ? CLI_OK : rc;
	if (argc - first != 1)
		return cli_usage_error("user", _("user: give one username"));
	rc = cli_connect(cli);
	if (rc != CLI_OK)
		return rc;
	api_get_user(cli->api, argv[first], api_sync_done, &profile);
	api_get_user_summary(cli->api, argv[first], api_sync_done, &summary);
	api_sync_wait(cli->api, &profile);
	api_sync_wait(cli->api, &summary);
	rc = cli_wait(cli, &profile);
	if (rc == CLI_OK)
		rc = cli_wait(cli, &summary);
	if (rc == CLI_OK && cli->json)
		rc = cli_print_json(
		    api_encode_user(profile.reply.data, summary.reply.data));
	else if (rc == CLI_OK)
		print_user(profile.reply.data, summary.reply.data);
	user_profile_free(profile.reply.data);
	user_summary_free(summary.reply.data);
	cli_disconnect(cli);
	return rc;
}
