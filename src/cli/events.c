/*
 * events.c: ambt events [--upcoming|--past] [--ics [FILE]]: the forum's
 * events (the discourse-post-event plugin) as an aligned list with their
 * dates in the local time zone, or as an iCalendar file.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "ambt/ical.h"
#include "ambt/i18n.h"
#include "ambt/util.h"
#include "cli/cli.h"

struct events_opts {
	struct event_query q;
	bool ics;
	const char *ics_path; /* NULL or "-": stdout */
};

static const struct option events_options[] = {
    {"upcoming", no_argument, NULL, 'u'},
    {"past", no_argument, NULL, 'p'},
    {"ics", optional_argument, NULL, 'i'},
    {NULL, 0, NULL, 0},
};

static int
events_option(int c, const char *arg, void *ctx)
{
	struct events_opts *o = ctx;

	if (c == 'u')
		o->q.upcoming = true;
	else if (c == 'p')
		o->q.past = true;
	else {
		o->ics = true;
		o->ics_path = arg;
	}
	if (o->q.upcoming && o->q.past)
		return cli_usage_error(
		    "events",
		    _("events: --upcoming and --past exclude each other"));
	return 0;
}

static void
print_events(const struct event_list *l)
{
	static const char *const headers[] = {N_("ID"),    N_("WHEN"),
	                                      N_("GOING"), N_("INTERESTED"),
	                                      N_("NAME"),  N_("LOCATION")};
	static const bool right[] = {true, false, true, true, false, false};
	struct table t;

	table_init(&t, AMBT_ARRAY_LEN(headers), headers, right);
	for (size_t i = 0; i < l->n; i++) {
		const struct event *e = &l->items[i];
		char id[24], when[128], going[16], interested[16];

		snprintf(id, sizeof id, "%lld", (long long)e->id);
		snprintf(going, sizeof going, "%d", e->going);
		snprintf(interested, sizeof interested, "%d", e->interested);
		table_add(&t,
		          (const char *const[]){
		              id, ical_when_local(e, when, sizeof when), going,
		              interested, e->name ? e->name : e->topic_title,
		              e->location});
	}
	if (l->n == 0)
		puts(_("(no events)"));
	else
		table_print(&t, stdout, cli_width());
	table_free(&t);
}

static int
export_events(const struct cli *cli, const struct event_list *l,
              const char *path)
{
	struct ical_options o = {.base_url = cli->cfg.server};
	struct ambt_error err = {0};
	char *text = ical_export(l->items, l->n, &o);
	int rc = ical_save(path ? path : "-", text, &err);

	free(text);
	if (rc < 0) {
		cli_report_error(cli, &err);
		return CLI_FAIL;
	}
	return CLI_OK;
}

int
cli_events(struct cli *cli, int argc, char **argv)
{
	struct events_opts o = {0};
	struct api_sync sync = {0};
	int first;
	int rc = cli_parse(cli, cli_find_command("events"), argc, argv,
	                   events_options, events_option, &o, &first);

	if (rc != 0)
		return rc < 0 ? CLI_OK : rc;
	/* "--ics FILE" as well as "--ics=FILE". */
	if (o.ics && o.ics_path == NULL && first < argc)
		o.ics_path = argv[first++];
	if (first < argc)
		return cli_usage_error("events", _("events: unexpected '%s'"),
		                       argv[first]);
	rc = cli_connect(cli);
	if (rc != CLI_OK)
		return rc;
	api_get_events(cli->api, &o.q, api_sync_done, &sync);
	rc = cli_wait(cli, &sync);
	if (rc == CLI_OK) {
		if (o.ics)
			rc = export_events(cli, sync.reply.data, o.ics_path);
		else if (cli->json)
			rc = cli_print_json(api_encode_events(sync.reply.data));
		else
			print_events(sync.reply.data);
	}
	event_list_free(sync.reply.data);
	cli_disconnect(cli);
	return rc;
}
