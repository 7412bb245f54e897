/*
 * search.c: ambt search [--page N] QUERY...: posts that match, each with
 * its topic's title and the matching words around it.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "ambt/i18n.h"
#include "ambt/util.h"
#include "cli/cli.h"

static const struct option search_options[] = {
    {"page", required_argument, NULL, 'p'},
    {NULL, 0, NULL, 0},
};

static int
search_option(int c, const char *arg, void *ctx)
{
	int *page = ctx;

	(void)c;
	*page = cli_parse_count(arg);
	if (*page < 1)
		return cli_usage_error(
		    "search",
		    _("search: --page wants a number from 1, not '%s'"), arg);
	return 0;
}

static const char *
topic_title(const struct search_result *r, int64_t topic_id)
{
	for (size_t i = 0; i < r->n_topics; i++) {
		if (r->topics[i].id == topic_id)
			return r->topics[i].title;
	}
	return NULL;
}

static void
print_results(const struct search_result *r)
{
	static const char *const headers[] = {
	    N_("TOPIC"), N_("POST"), N_("USER"), N_("AGE"), N_("TITLE: TEXT")};
	static const bool right[] = {true, true, false, true, false};
	struct table t;

	table_init(&t, AMBT_ARRAY_LEN(headers), headers, right);
	for (size_t i = 0; i < r->n_posts; i++) {
		const struct search_post *p = &r->posts[i];
		const char *title = topic_title(r, p->topic_id);
		char topic[24], post[16], age[16];
		char *text =
		    xasprintf("%s%s%s", title ? title : "", title ? ": " : "",
		              p->blurb ? p->blurb : "");

		snprintf(topic, sizeof topic, "%lld", (long long)p->topic_id);
		snprintf(post, sizeof post, "#%d", p->post_number);
		table_add(&t,
		          (const char *const[]){
		              topic, post, p->username,
		              cli_age(p->created_at, age, sizeof age), text});
		free(text);
	}
	if (r->n_posts == 0)
		puts(_("(no results)"));
	else
		table_print(&t, stdout, cli_width());
	table_free(&t);
}

/* The words of the query as one string, as a shell user typed them. */
static char *
join_words(int argc, char **argv)
{
	struct buf b;

	buf_init(&b);
	for (int i = 0; i < argc; i++) {
		if (i > 0)
			buf_putc(&b, ' ');
		buf_puts(&b, argv[i]);
	}
	return buf_steal(&b);
}

int
cli_search(struct cli *cli, int argc, char **argv)
{
	struct api_sync sync = {0};
	int page = 0;
	int first;
	char *query;
	int rc = cli_parse(cli, cli_find_command("search"), argc, argv,
	                   search_options, search_option, &page, &first);

	if (rc != 0)
		return rc < 0 ? CLI_OK : rc;
	if (first == argc)
		return cli_usage_error("search",
		                       _("search: what should I look for?"));
	rc = cli_connect(cli);
	if (rc != CLI_OK)
		return rc;
	query = join_words(argc - first, argv + first);
	api_search(cli->api, query, page, api_sync_done, &sync);
	rc = cli_wait(cli, &sync);
	if (rc == CLI_OK && cli->json)
		rc = cli_print_json(api_encode_search(sync.reply.data));
	else if (rc == CLI_OK)
		print_results(sync.reply.data);
	search_result_free(sync.reply.data);
	free(query);
	cli_disconnect(cli);
	return rc;
}
