/*
 * categories.c: ambt categories: the forum's categories, subcategories
 * indented under their parent.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "ambt/i18n.h"
#include "ambt/util.h"
#include "cli/cli.h"

static void
add_category(struct table *t, const struct category *c)
{
	char id[24], topics[16], posts[16];
	char *slug =
	    xasprintf("%s%s", c->parent_id ? "  " : "", c->slug ? c->slug : "");

	snprintf(id, sizeof id, "%lld", (long long)c->id);
	snprintf(topics, sizeof topics, "%d", c->topic_count);
	snprintf(posts, sizeof posts, "%d", c->post_count);
	table_add(t, (const char *const[]){id, slug, topics, posts, c->name,
	                                   c->description_text});
	free(slug);
}

static bool
has_category(const struct category_list *list, int64_t id)
{
	for (size_t i = 0; i < list->n; i++) {
		if (list->items[i].id == id)
			return true;
	}
	return false;
}

static void
print_categories(const struct category_list *list)
{
	static const char *const headers[] = {N_("ID"),     N_("SLUG"),
	                                      N_("TOPICS"), N_("POSTS"),
	                                      N_("NAME"),   N_("DESCRIPTION")};
	static const bool right[] = {true, false, true, true, false, false};
	struct table t;

	table_init(&t, AMBT_ARRAY_LEN(headers), headers, right);
	/* Each top-level category (or orphan), then its children. */
	for (size_t i = 0; i < list->n; i++) {
		if (list->items[i].parent_id != 0 &&
		    has_category(list, list->items[i].parent_id))
			continue;
		add_category(&t, &list->items[i]);
		for (size_t j = 0; j < list->n; j++) {
			if (list->items[j].parent_id == list->items[i].id)
				add_category(&t, &list->items[j]);
		}
	}
	if (list->n == 0)
		puts(_("(no categories)"));
	else
		table_print(&t, stdout, cli_width());
	table_free(&t);
}

int
cli_categories(struct cli *cli, int argc, char **argv)
{
	struct api_sync sync = {0};
	int first;
	int rc = cli_parse(cli, cli_find_command("categories"), argc, argv,
	                   NULL, NULL, NULL, &first);

	if (rc != 0)
		return rc < 0 ? CLI_OK : rc;
	if (first < argc)
		return cli_usage_error("categories",
		                       _("categories: unexpected '%s'"),
		                       argv[first]);
	rc = cli_connect(cli);
	if (rc != CLI_OK)
		return rc;
	api_get_categories(cli->api, api_sync_done, &sync);
	rc = cli_wait(cli, &sync);
	if (rc == CLI_OK && cli->json)
		rc = cli_print_json(api_encode_categories(sync.reply.data));
	else if (rc == CLI_OK)
		print_categories(sync.reply.data);
	category_list_free(sync.reply.data);
	cli_disconnect(cli);
	return rc;
}
