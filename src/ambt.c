/*
 * ambt.c: the entry point: global options, then one subcommand, or the
 * demo (ambt --demo) that starts its own ambtd first.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "ambt/i18n.h"
#include "ambt/theme.h"
#include "ambt/util.h"
#include "cli/cli.h"

const struct cli_command cli_commands[] = {
    {"latest", "[--category SLUG] [--page N] [--json]",
     N_("List the newest topics, of the forum or of one category"),
     N_("  --category SLUG  only this category's topics\n"
        "  --page N         the Nth page, counting from 0\n"),
     cli_latest},
    {"categories", "[--json]", N_("List the categories"), "", cli_categories},
    {"read", "TOPIC [--from N] [--width N] [--json]",
     N_("Print a topic, every post rendered as text"),
     N_("  --from N         start at post number N\n"
        "  --width N        wrap at N columns (else the terminal's, or 80)\n"),
     cli_read},
    {"user", "NAME [--json]", N_("Show a member's profile and activity"), "",
     cli_user},
    {"search", "[--page N] [--json] QUERY...",
     N_("Search posts; QUERY may use Discourse's filters (@user, #category)"),
     N_("  --page N         the Nth page of results, counting from 1\n"),
     cli_search},
    {"digest",
     "[--since 7d] [--match WORD]... [--format text|markdown|html|json]",
     N_("Report the posts that name the words you monitor"),
     N_("  --since WHEN     from 7d, 24h, 2w ago or a date YYYY-MM-DD (else "
        "7d)\n"
        "  --match WORD     look for WORD (repeatable; else the config's\n"
        "                   'monitor' words)\n"
        "  --format FORMAT  text, markdown, html (a whole page) or json\n"),
     cli_digest},
    {"notifications", "[--json]",
     N_("List your notifications (needs an API key)"), "", cli_notifications},
    {"events", "[--upcoming|--past] [--ics [FILE]] [--json]",
     N_("List the forum's events, or export them to iCalendar"),
     N_("  --upcoming       only events from today on\n"
        "  --past           only events before today\n"
        "  --ics [FILE]     write an iCalendar file (RFC 5545); no FILE or -:\n"
        "                   standard output\n"),
     cli_events},
    {"watch", "[--interval SECONDS] [--no-notify] [--once]",
     N_("Watch the forum and notify the desktop of what is new for you"),
     N_("  --interval SECONDS  seconds between polls (at least 15; else 'set\n"
        "                   notify_interval', 60)\n"
        "  --no-notify      no desktop notices: one line each on stderr\n"
        "  --once           poll once and exit (for cron and tests)\n"),
     cli_watch},
    {"members", "[--page N] [--json]", N_("List the forum's members"),
     N_("  --page N         the Nth page, counting from 0\n"), cli_members},
    {"login", "[--password | --device | --browser] [--username NAME]",
     N_("Log in to the server; what is kept goes to "
        "~/.config/ambt/credentials"),
     N_("  --password       log in with username and password (the default);\n"
        "                   the password is read without echo, or from\n"
        "                   standard input when it is not a terminal\n"
        "  --device         get a User API key: enter the code shown in any\n"
        "                   browser, and ambt waits for the approval\n"
        "  --browser        get a User API key: open the address shown in any\n"
        "                   browser, authorize, paste back the text it shows\n"
        "  --username NAME  the member to log in as (else 'set username')\n"),
     cli_login},
    {"logout", "", N_("End the login kept for the server and forget it"), "",
     cli_logout},
    {"reply", "TOPIC [--to N] [-m TEXT | -F FILE] [--json]",
     N_("Reply in a topic; the text is kept as a draft until it is posted"),
     N_("  --to N           a reply to post number N (no quote is added)\n"
        "  -m, --message TEXT  the text; else -F's, else standard input's\n"
        "  -F, --file FILE  read the text from FILE (- is standard input)\n"),
     cli_reply},
    {"post", "--category SLUG --title TITLE [-m TEXT | -F FILE] [--json]",
     N_("Start a topic; the text is kept as a draft until it is posted"),
     N_("  --category SLUG  the category ('ambt categories' lists them)\n"
        "  --title TITLE    the topic's title\n"
        "  -m, --message TEXT  the text; else -F's, else standard input's\n"
        "  -F, --file FILE  read the text from FILE (- is standard input)\n"),
     cli_post},
    {"like", "POST_ID [--undo] [--json]",
     N_("Like a post, or take the like back"),
     N_("  --undo           take your like back\n"), cli_like},
    {"flag", "POST_ID --reason off_topic|inappropriate|spam|other [-m TEXT]",
     N_("Report a post to the moderators"),
     N_("  --reason REASON  off_topic, inappropriate, spam, or other (needs "
        "-m)\n"
        "  -m, --message TEXT  what the moderators should know\n"),
     cli_flag},
    {"drafts", "[list | send KEY [--category SLUG] | discard KEY] [--json]",
     N_("List, send or discard the drafts not yet posted"),
     N_("  --category SLUG  for sending a new topic's draft (new_topic)\n"),
     cli_drafts},
    {"tui", "[URL | TOPIC[/POST]]",
     N_("Read the forum full-screen (what ambt alone does)"),
     N_("  URL, TOPIC[/POST]  open at that post: a post's address on this "
        "server\n"
        "                     (https://host/t/slug/42/7, /t/42/7) or 42/7\n"),
     cli_tui},
    {"keys", "",
     N_("List the TUI's keys: view, key, action and description, "
        "tab-separated"),
     "", cli_keys},
};
const size_t cli_n_commands = AMBT_ARRAY_LEN(cli_commands);

const struct cli_command *
cli_find_command(const char *name)
{
	for (size_t i = 0; i < cli_n_commands; i++) {
		if (strcmp(cli_commands[i].name, name) == 0)
			return &cli_commands[i];
	}
	return NULL;
}

int
cli_dispatch(struct cli *cli, int argc, char **argv)
{
	const struct cli_command *cmd = cli_find_command(argv[0]);

	if (cmd == NULL)
		return cli_usage_error(NULL, _("unknown command '%s'"),
		                       argv[0]);
	return cmd->run(cli, argc, argv);
}

static void
print_help(void)
{
	fputs(_("Usage: ambt [OPTION]... [COMMAND [ARG]...]\n"
	        "       ambt --demo [COMMAND [ARG]...]\n"
	        "A terminal client for Discourse forums. Without a command it "
	        "reads the\nforum full-screen.\n\nCommands:\n"),
	      stdout);
	for (size_t i = 0; i < cli_n_commands; i++)
		printf("  %-14s %s\n", cli_commands[i].name,
		       _(cli_commands[i].summary));
	fputs(
	    _("\nOptions:\n"
	      "  --server URL        the forum (else AMBT_SERVER or 'set "
	      "server' in\n"
	      "                      ~/.config/ambt/config)\n"
	      "  --api-key KEY       an API key (else AMBT_API_KEY)\n"
	      "  --api-username NAME the user the key acts as (else "
	      "AMBT_API_USERNAME)\n"
	      "  --json              print results as JSON\n"
	      "  --theme NAME        the TUI's colours (else 'set theme')\n"
	      "  --no-notify         no desktop notices (else 'set notify')\n"
	      "  --demo              start a local demo forum (ambtd) and use "
	      "it\n"
	      "  --help              show this help\n"
	      "  --version           show the version\n\n"
	      "'ambt COMMAND --help' describes one command.\n"
	      "Exit status: 0 success, 1 failure, 2 usage error.\n"),
	    stdout);
}

enum {
	OPT_SERVER = 0x100,
	OPT_API_KEY,
	OPT_API_USERNAME,
	OPT_JSON,
	OPT_DEMO,
	OPT_HELP,
	OPT_VERSION,
	OPT_THEME,
	OPT_NO_NOTIFY,
	/* Hidden: what shell completion asks for, from the tables here. */
	OPT_LIST_COMMANDS,
	OPT_LIST_OPTIONS,
	OPT_LIST_THEMES,
};

static const struct option global_options[] = {
    {"server", required_argument, NULL, OPT_SERVER},
    {"api-key", required_argument, NULL, OPT_API_KEY},
    {"api-username", required_argument, NULL, OPT_API_USERNAME},
    {"json", no_argument, NULL, OPT_JSON},
    {"demo", no_argument, NULL, OPT_DEMO},
    {"help", no_argument, NULL, OPT_HELP},
    {"version", no_argument, NULL, OPT_VERSION},
    {"theme", required_argument, NULL, OPT_THEME},
    {"no-notify", no_argument, NULL, OPT_NO_NOTIFY},
    {"list-commands", no_argument, NULL, OPT_LIST_COMMANDS},
    {"list-options", no_argument, NULL, OPT_LIST_OPTIONS},
    {"list-themes", no_argument, NULL, OPT_LIST_THEMES},
    {NULL, 0, NULL, 0},
};

/* A theme that cannot be found is a usage error naming those that can;
 * one with bad lines is not (the TUI says so and uses the default). */
static int
check_theme(const char *name)
{
	struct theme t = {0};
	struct ambt_error err = {0};
	int rc = theme_load_named(&t, name, &err);

	theme_clear(&t);
	return rc < 0 ? cli_usage_error(NULL, "%s", err.msg) : 0;
}

/* For completion: one name a line, straight from the tables. */
static void
list_commands(void)
{
	for (size_t i = 0; i < cli_n_commands; i++)
		puts(cli_commands[i].name);
}

static void
list_options(void)
{
	for (const struct option *o = global_options; o->name != NULL; o++) {
		if (strncmp(o->name, "list-", 5) != 0)
			printf("--%s%s\n", o->name,
			       o->has_arg == required_argument ? "=" : "");
	}
}

static void
list_themes(void)
{
	size_t n;
	char **names = theme_names(&n);

	for (size_t i = 0; i < n; i++)
		puts(names[i]);
	theme_names_free(names, n);
}

static int
list(int c)
{
	if (c == OPT_LIST_COMMANDS)
		list_commands();
	else if (c == OPT_LIST_OPTIONS)
		list_options();
	else
		list_themes();
	return -1;
}

/* One global option; -1 means "exit 0 now" (help, version, lists). */
static int
global_option(struct cli *cli, int c, bool *demo)
{
	switch (c) {
	case OPT_SERVER:
		cli->server = optarg;
		return 0;
	case OPT_API_KEY:
		cli->api_key = optarg;
		return 0;
	case OPT_API_USERNAME:
		cli->api_username = optarg;
		return 0;
	case OPT_JSON:
		cli->json = true;
		return 0;
	case OPT_DEMO:
		*demo = true;
		return 0;
	case OPT_THEME:
		cli->theme = optarg;
		return check_theme(optarg);
	case OPT_NO_NOTIFY:
		cli->no_notify = true;
		return 0;
	case OPT_LIST_COMMANDS:
	case OPT_LIST_OPTIONS:
	case OPT_LIST_THEMES:
		return list(c);
	case OPT_HELP:
		print_help();
		return -1;
	case OPT_VERSION:
		puts("ambt " PACKAGE_VERSION);
		return -1;
	}
	return CLI_USAGE;
}

int
main(int argc, char **argv)
{
	struct cli cli = {0};
	bool demo = false;
	int c, rc;

	i18n_init();
	/* '+': stop at the command, whose options are its own. */
	while ((c = getopt_long(argc, argv, "+:", global_options, NULL)) !=
	       -1) {
		if (c == '?' || c == ':')
			return cli_usage_error(
			    NULL,
			    c == '?' ? _("unknown option '%s'")
			             : _("option '%s' needs a value"),
			    argv[optind - 1]);
		rc = global_option(&cli, c, &demo);
		if (rc != 0)
			return rc < 0 ? CLI_OK : rc;
	}
	if (demo)
		return cli_demo(&cli, argc - optind, argv + optind);
	if (optind == argc)
		return cli_tui(&cli, 0, NULL);
	return cli_dispatch(&cli, argc - optind, argv + optind);
}
