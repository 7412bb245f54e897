/*
 * digest.c: ambt digest [--since 7d] [--match WORD]... [--format FORMAT]:
 * the monitoring report (digest.h) of what the forum said about the words
 * one watches, by default the config's `monitor` words.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "ambt/digest.h"
#include "ambt/i18n.h"
#include "ambt/util.h"
#include "cli/cli.h"

enum { OPT_SINCE = 1000, OPT_MATCH, OPT_FORMAT };

static const struct option digest_options[] = {
    {"since", required_argument, NULL, OPT_SINCE},
    {"match", required_argument, NULL, OPT_MATCH},
    {"format", required_argument, NULL, OPT_FORMAT},
    {NULL, 0, NULL, 0},
};

struct digest_args {
	int64_t now, since;
	const char **words; /* --match, in order */
	size_t n_words;
	enum digest_format format;
	bool format_given;
};

static int
digest_option(int c, const char *arg, void *ctx)
{
	struct digest_args *a = ctx;

	switch (c) {
	case OPT_SINCE:
		if (digest_parse_since(arg, a->now, &a->since) == 0)
			return 0;
		return cli_usage_error("digest",
		                       _("digest: --since wants 7d, 24h, 2w or "
		                         "a date (YYYY-MM-DD), not '%s'"),
		                       arg);
	case OPT_MATCH:
		if (*arg == '\0')
			return cli_usage_error(
			    "digest", _("digest: --match wants a word"));
		a->words =
		    xreallocarray(a->words, a->n_words + 1, sizeof *a->words);
		a->words[a->n_words++] = arg;
		return 0;
	case OPT_FORMAT:
		a->format_given = true;
		if (digest_parse_format(arg, &a->format) == 0)
			return 0;
		return cli_usage_error("digest",
		                       _("digest: --format is text, markdown, "
		                         "html or json, not '%s'"),
		                       arg);
	}
	return CLI_USAGE;
}

static int
run_digest(struct cli *cli, const struct digest_args *a,
           const char *const *words, size_t n_words)
{
	struct digest_query q = {
	    .since = a->since,
	    .until = a->now,
	    .words = words,
	    .n_words = n_words,
	    .base_url = cli->cfg.server,
	};
	struct ambt_error err = {0};
	struct digest *d;

	if (digest_collect(cli->api, &q, &d, &err) != 0) {
		cli_report_error(cli, &err);
		return CLI_FAIL;
	}
	/* --json is the global way to ask for JSON; --format says more. */
	enum digest_format f =
	    cli->json && !a->format_given ? DIGEST_JSON : a->format;
	char *text = digest_render(d, f);
	fputs(text, stdout);
	free(text);
	digest_free(d);
	return fflush(stdout) == 0 ? CLI_OK : CLI_FAIL;
}

int
cli_digest(struct cli *cli, int argc, char **argv)
{
	struct digest_args a = {.now = (int64_t)time(NULL)};
	int first;

	a.since = a.now - 7 * 86400;
	int rc = cli_parse(cli, cli_find_command("digest"), argc, argv,
	                   digest_options, digest_option, &a, &first);
	if (rc == 0 && first < argc)
		rc = cli_usage_error("digest",
		                     _("digest: unexpected '%s' (words go "
		                       "after --match)"),
		                     argv[first]);
	if (rc != 0) {
		free(a.words);
		return rc < 0 ? CLI_OK : rc;
	}
	rc = cli_connect(cli);
	if (rc == CLI_OK && a.n_words == 0 && cli->cfg.n_monitor_words == 0)
		rc = cli_usage_error(
		    "digest",
		    _("digest: no words to look for: give --match "
		      "WORD, or add 'monitor WORD' lines to the config"));
	else if (rc == CLI_OK && a.n_words > 0)
		rc = run_digest(cli, &a, a.words, a.n_words);
	else if (rc == CLI_OK)
		rc = run_digest(cli, &a,
		                (const char *const *)cli->cfg.monitor_words,
		                cli->cfg.n_monitor_words);
	free(a.words);
	cli_disconnect(cli);
	return rc;
}
