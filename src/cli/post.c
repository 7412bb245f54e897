/*
 * post.c: ambt post --category SLUG --title TITLE [-m TEXT | -F FILE]: a
 * new topic, sent through the draft-safe pipeline under the "new_topic"
 * draft key. The category slug is looked up in /site.json.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ambt/i18n.h"
#include "ambt/send.h"
#include "ambt/util.h"
#include "cli/cli.h"

struct post_opts {
	const char *category;
	const char *title;
	const char *text;
	const char *file;
};

static const struct option post_options[] = {
    {"category", required_argument, NULL, 'c'},
    {"title", required_argument, NULL, 't'},
    {"message", required_argument, NULL, 'm'},
    {"file", required_argument, NULL, 'F'},
    {NULL, 0, NULL, 0},
};

static int
post_option(int c, const char *arg, void *ctx)
{
	struct post_opts *o = ctx;

	switch (c) {
	case 'c':
		o->category = arg;
		break;
	case 't':
		o->title = arg;
		break;
	case 'm':
		o->text = arg;
		break;
	default:
		o->file = arg;
	}
	return 0;
}

int
cli_category_id(struct cli *cli, const char *slug, int64_t *id)
{
	struct api_sync sync = {0};
	const struct site *site;
	int rc;

	api_get_site(cli->api, api_sync_done, &sync);
	rc = cli_wait(cli, &sync);
	if (rc != CLI_OK)
		return rc;
	site = sync.reply.data;
	*id = 0;
	for (size_t i = 0; i < site->n_categories; i++)
		if (site->categories[i].slug != NULL &&
		    strcmp(site->categories[i].slug, slug) == 0)
			*id = site->categories[i].id;
	site_free(sync.reply.data);
	if (*id != 0)
		return CLI_OK;
	fprintf(stderr,
	        _("ambt: no category '%s' ('ambt categories' lists them)\n"),
	        slug);
	return CLI_FAIL;
}

static int
post_send(struct cli *cli, const struct post_opts *o)
{
	struct draft d = {0};
	struct store *state;
	int64_t category = 0;
	int rc;

	d.text = cli_body("post", o->text, o->file);
	if (d.text == NULL)
		return CLI_FAIL;
	d.key = send_draft_key(0);
	d.title = xstrdup(o->title);
	state = cli_open_state();
	rc = state ? cli_connect(cli) : CLI_FAIL;
	if (rc == CLI_OK) {
		rc = cli_category_id(cli, o->category, &category);
		if (rc == CLI_OK)
			rc = cli_send(cli, state, &d, category, false);
		cli_disconnect(cli);
	}
	draft_clear(&d);
	store_close(state);
	return rc;
}

int
cli_post(struct cli *cli, int argc, char **argv)
{
	struct post_opts o = {NULL, NULL, NULL, NULL};
	int first, rc;

	cli_short_text_options(argc, argv);
	rc = cli_parse(cli, cli_find_command("post"), argc, argv, post_options,
	               post_option, &o, &first);
	if (rc != 0)
		return rc < 0 ? CLI_OK : rc;
	if (first < argc)
		return cli_usage_error("post", _("post: unexpected '%s'"),
		                       argv[first]);
	if (o.category == NULL || o.title == NULL ||
	    o.title[strspn(o.title, " \t")] == '\0')
		return cli_usage_error(
		    "post", _("post: --category and --title are needed"));
	if (o.text != NULL && o.file != NULL)
		return cli_usage_error("post",
		                       _("post: -m and -F cannot go together"));
	return post_send(cli, &o);
}
