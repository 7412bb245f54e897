/*
 * common.c: what every subcommand shares: option parsing, the settings and
 * connection, waiting for a reply, the one-line error report, and small
 * formatting helpers.
 */
#include "config.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "ambt/i18n.h"
#include "ambt/credentials.h"
#include "ambt/util.h"
#include "cli/cli.h"

enum {
	OPT_JSON = 0x100,
	OPT_HELP,
	MAX_OPTIONS = 16,
};

int
cli_usage_error(const char *command, const char *fmt, ...)
{
	va_list ap;

	fputs("ambt: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	fprintf(stderr, _("Try 'ambt %s%s--help'.\n"), command ? command : "",
	        command ? " " : "");
	return CLI_USAGE;
}

int
cli_parse_count(const char *s)
{
	char *end;
	long v;

	if (s == NULL || *s < '0' || *s > '9')
		return -1;
	v = strtol(s, &end, 10);
	if (*end != '\0' || v > 1000000)
		return -1;
	return (int)v;
}

void
cli_print_command_help(const struct cli_command *cmd, FILE *f)
{
	/* gettext("") would be the catalogue's header. */
	fprintf(f, _("Usage: ambt %s %s\n%s.\n\nOptions:\n%s"), cmd->name,
	        cmd->usage, _(cmd->summary), cmd->help[0] ? _(cmd->help) : "");
	fputs(_("  --json           print the result as JSON\n"
	        "  --help           show this help\n"),
	      f);
}

/* The name of the option that getopt_long just refused. */
static const char *
refused_option(char **argv, char *buf, size_t size)
{
	const char *arg = argv[optind - 1];

	if (strncmp(arg, "--", 2) == 0 || optopt == 0 || optopt >= 0x100)
		return arg;
	snprintf(buf, size, "-%c", optopt);
	return buf;
}

/* ambt COMMAND --list-options, for shell completion: the options this
 * parser takes, one a line, "=" after those that need a value. */
static int
list_options(const struct option *all)
{
	for (size_t i = 0; all[i].name != NULL; i++)
		printf("--%s%s\n", all[i].name,
		       all[i].has_arg == required_argument ? "=" : "");
	return -1;
}

int
cli_parse(struct cli *cli, const struct cli_command *cmd, int argc, char **argv,
          const struct option *opts, cli_opt_fn on_opt, void *ctx,
          int *first_arg)
{
	struct option all[MAX_OPTIONS];
	char namebuf[8];
	size_t n = 0;
	int c;

	while (opts != NULL && opts[n].name != NULL && n < MAX_OPTIONS - 3) {
		all[n] = opts[n];
		n++;
	}
	all[n++] = (struct option){"json", no_argument, NULL, OPT_JSON};
	all[n++] = (struct option){"help", no_argument, NULL, OPT_HELP};
	all[n] = (struct option){NULL, 0, NULL, 0};
	if (argc == 2 && strcmp(argv[1], "--list-options") == 0)
		return list_options(all);
	/* ':': we report errors ourselves, naming the subcommand. Long
	 * options only; optind 0 restarts getopt for this argv. */
	optind = 0;
	while ((c = getopt_long(argc, argv, ":", all, NULL)) != -1) {
		int rc = 0;

		if (c == OPT_JSON) {
			cli->json = true;
		} else if (c == OPT_HELP) {
			cli_print_command_help(cmd, stdout);
			return -1;
		} else if (c == '?') {
			return cli_usage_error(
			    cmd->name, _("%s: unknown option '%s'"), cmd->name,
			    refused_option(argv, namebuf, sizeof namebuf));
		} else if (c == ':') {
			return cli_usage_error(
			    cmd->name, _("%s: option '%s' needs a value"),
			    cmd->name,
			    refused_option(argv, namebuf, sizeof namebuf));
		} else {
			rc = on_opt(c, optarg, ctx);
		}
		if (rc != 0)
			return rc;
	}
	*first_arg = optind;
	return 0;
}

/* The hidden knobs tests use to make failures quick; unset means default. */
static long
env_number(const char *name)
{
	const char *s = getenv(name);

	return s ? strtol(s, NULL, 10) : 0;
}

void
cli_http_options(const struct cli *cli, struct http_options *o)
{
	memset(o, 0, sizeof *o);
	o->base_url = cli->cfg.server;
	o->api_key = cli->cfg.api_key;
	o->api_username = cli->cfg.api_username;
	o->user_api_key = cli->cfg.user_api_key;
	o->ca_file = cli->cfg.ca_file;
	o->max_retries = -1;
	/* Hidden knobs, for tests only, so failures come quickly:
	 * AMBT_HTTP_CONNECT_TIMEOUT (ms), AMBT_HTTP_STALL_TIMEOUT (s) and
	 * AMBT_HTTP_RETRY_BASE_MS (the backoff base). Unset: the defaults. */
	o->connect_timeout_ms = env_number("AMBT_HTTP_CONNECT_TIMEOUT");
	o->stall_timeout_s = env_number("AMBT_HTTP_STALL_TIMEOUT");
	o->retry_base_ms = env_number("AMBT_HTTP_RETRY_BASE_MS");
}

/* Settings from the file and environment, then the command line. */
static int
load_settings(struct cli *cli)
{
	struct ambt_error err = {0};
	const char *names[] = {"server", "api_key", "api_username"};
	const char *values[] = {cli->server, cli->api_key, cli->api_username};

	config_init(&cli->cfg);
	if (!cli->no_config) {
		cli->config_path = config_default_path();
		if (config_load_file(&cli->cfg, cli->config_path, &err) < 0)
			fprintf(stderr, _("ambt: warning: %s\n"), err.msg);
		config_load_env(&cli->cfg);
	}
	for (size_t i = 0; i < cli->cfg.n_warnings; i++)
		fprintf(stderr, _("ambt: warning: %s\n"), cli->cfg.warnings[i]);
	for (size_t i = 0; i < AMBT_ARRAY_LEN(names); i++) {
		if (values[i] != NULL &&
		    config_set(&cli->cfg, names[i], values[i], &err) < 0)
			return cli_usage_error(NULL, "%s", err.msg);
	}
	if (cli->cfg.server == NULL) {
		fputs(_("ambt: no server set: use --server URL, AMBT_SERVER or "
		        "'set server URL' in ~/.config/ambt/config, or try "
		        "'ambt --demo'\n"),
		      stderr);
		return CLI_FAIL;
	}
	return CLI_OK;
}

/*
 * What ambt login kept for this server, unless the settings name a key
 * (AMBT_API_KEY for bots wins). A file others can read is not used, with
 * ssh's warning; the command goes on without a login. A session's CSRF
 * token is the api's business: it fetches it for the first write.
 */
static void
use_credentials(struct cli *cli, struct credentials *creds,
                struct http_options *o)
{
	struct ambt_error err = {0};
	const struct credential *c;
	char *path;

	if (cli->cfg.api_key != NULL || cli->cfg.user_api_key != NULL ||
	    cli->no_config || cli->no_credentials)
		return;
	path = credentials_default_path();
	if (credentials_load(creds, path, &err) < 0)
		fprintf(stderr, _("ambt: warning: %s\n"), err.msg);
	free(path);
	c = credentials_find(creds, cli->cfg.server);
	if (c == NULL)
		return;
	if (c->user_api_key != NULL) {
		o->user_api_key = c->user_api_key;
		o->user_api_client_id = c->client_id;
	} else {
		o->cookie_file = c->cookie_file;
	}
	if (cli->cfg.username == NULL && c->username != NULL)
		config_set(&cli->cfg, "username", c->username, &err);
}

int
cli_connect(struct cli *cli)
{
	struct ambt_error err = {0};
	struct http_options opts;
	struct credentials creds;
	int rc = load_settings(cli);

	if (rc != CLI_OK) {
		cli_disconnect(cli);
		return rc;
	}
	cli_http_options(cli, &opts);
	credentials_init(&creds);
	use_credentials(cli, &creds, &opts);
	cli->http = http_new(&opts, &err); /* it copies the strings */
	credentials_clear(&creds);
	if (cli->http == NULL) {
		fprintf(stderr, "ambt: %s\n", err.msg);
		cli_disconnect(cli);
		return CLI_FAIL;
	}
	if (!cli->no_cache) {
		/* Without a cache ambt still works, only not offline. */
		cli->cache = store_open_default(STORE_CACHE, &err);
		if (cli->cache == NULL)
			fprintf(stderr, _("ambt: warning: no cache: %s\n"),
			        err.msg);
	}
	cli->api = api_new(cli->http, cli->cache, cli->cfg.server);
	return CLI_OK;
}

void
cli_disconnect(struct cli *cli)
{
	api_free(cli->api);
	http_free(cli->http);
	store_close(cli->cache);
	config_clear(&cli->cfg);
	free(cli->config_path);
	cli->api = NULL;
	cli->http = NULL;
	cli->cache = NULL;
	cli->config_path = NULL;
}

/* The config file's path for messages, with ~ for the home directory. */
static char *
config_path_shown(const struct cli *cli)
{
	const char *home = getenv("HOME");
	const char *path = cli->config_path;
	size_t n = home ? strlen(home) : 0;

	if (path == NULL)
		return xstrdup("~/.config/ambt/config");
	if (n > 1 && strncmp(path, home, n) == 0 && path[n] == '/')
		return xasprintf("~%s", path + n);
	return xstrdup(path);
}

/*
 * An error that means the server was never reached (http.c marks it, so
 * this works in any language): the reason to print after "cannot reach
 * SERVER: " (without the host the line already names, or http.c's own
 * hint) and what to try, which names the config file. Not for other
 * network errors (a cut, a stall, TLS).
 */
struct unreachable {
	enum ambt_unreachable why;
	bool after_colon; /* the reason follows "HOST: " */
	const char *try;  /* followed by the config file's path */
	const char *try_after;
};

static const struct unreachable unreachables[] = {
    {AMBT_UNREACH_CONNECT, true, N_("is the server up? check 'set server' in"),
     ""},
    {AMBT_UNREACH_TIMEOUT, false, N_("is the server up? check 'set server' in"),
     ""},
    {AMBT_UNREACH_RESOLVE, false, N_("check the address in 'set server' in"),
     N_(", and the network")},
};

/* The reason, cut from msg (which it changes), or NULL. */
static const struct unreachable *
unreachable_reason(enum ambt_unreachable why, char *msg, const char **reason)
{
	const struct unreachable *u;
	char *p;

	for (size_t i = 0; i < AMBT_ARRAY_LEN(unreachables); i++) {
		u = &unreachables[i];
		if (u->why != why)
			continue;
		*reason = msg;
		if (u->after_colon && (p = strstr(msg, ": ")) != NULL)
			*reason = p + 2;
		if ((p = strstr(*reason, " (")) != NULL)
			*p = '\0'; /* our hint replaces http.c's */
		return u;
	}
	return NULL;
}

static void
report_unreachable(const struct cli *cli, const struct unreachable *u,
                   const char *reason)
{
	char *path = config_path_shown(cli);

	fprintf(stderr, _("ambt: cannot reach %s: %s (%s %s%s)\n"),
	        cli->cfg.server, reason, _(u->try), path,
	        u->try_after[0] ? _(u->try_after) : "");
	free(path);
}

void
cli_report_error(const struct cli *cli, const struct ambt_error *err)
{
	char *msg = cli_clean(err->msg);
	const struct unreachable *u = NULL;
	const char *reason = NULL;

	if (err->kind == AMBT_E_NET)
		u = unreachable_reason(err->unreachable, msg, &reason);
	if (u != NULL)
		report_unreachable(cli, u, reason);
	else if (err->kind == AMBT_E_NET)
		fprintf(stderr, "ambt: %s: %s\n", cli->cfg.server, msg);
	else
		fprintf(stderr, "ambt: %s\n", msg);
	free(msg);
}

int
cli_wait(struct cli *cli, struct api_sync *sync)
{
	char when[32];
	struct tm tm;
	time_t t;

	api_sync_wait(cli->api, sync);
	if (sync->reply.err.kind != AMBT_OK) {
		cli_report_error(cli, &sync->reply.err);
		return CLI_FAIL;
	}
	if (sync->reply.offline && !cli->offline_noted) {
		cli->offline_noted = true;
		t = (time_t)sync->reply.fetched_at;
		localtime_r(&t, &tm);
		strftime(when, sizeof when, "%Y-%m-%d %H:%M", &tm);
		fprintf(stderr,
		        _("ambt: cannot reach %s (offline: cached %s)\n"),
		        cli->cfg.server, when);
	}
	return CLI_OK;
}

int
cli_print_json(char *text)
{
	int rc = CLI_OK;

	if (text == NULL) {
		fputs(_("ambt: cannot encode the result as JSON\n"), stderr);
		return CLI_FAIL;
	}
	if (puts(text) == EOF)
		rc = CLI_FAIL;
	free(text);
	return rc;
}

char *
cli_clean(const char *s)
{
	char *clean;

	if (s == NULL)
		return xstrdup("");
	clean = utf8_sanitize(s, strlen(s));
	for (char *p = clean; *p != '\0'; p++) {
		if (*p == '\t' || *p == '\n' || *p == '\r')
			*p = ' ';
	}
	return clean;
}

const char *
cli_age(int64_t t, char *buf, size_t size)
{
	return t == 0 ? "-" : time_age(t, (int64_t)time(NULL), buf, size);
}

/* Two literal formats, not a format argument: -Wformat=2 checks them. */
static const char *
cli_local_time(int64_t t, bool with_time, char *buf, size_t size)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (t == 0 || localtime_r(&tt, &tm) == NULL)
		return "-";
	if (with_time)
		strftime(buf, size, "%Y-%m-%d %H:%M", &tm);
	else
		strftime(buf, size, "%Y-%m-%d", &tm);
	return buf;
}

const char *
cli_date(int64_t t, char *buf, size_t size)
{
	return cli_local_time(t, false, buf, size);
}

const char *
cli_date_time(int64_t t, char *buf, size_t size)
{
	return cli_local_time(t, true, buf, size);
}

size_t
cli_width(void)
{
	struct winsize ws;

	if (!isatty(STDOUT_FILENO) ||
	    ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) < 0 || ws.ws_col == 0)
		return 0;
	return ws.ws_col;
}
