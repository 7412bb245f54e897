/*
 * cli.h: the subcommands of ambt and what they share.
 *
 * main() parses the global options into struct cli, picks a subcommand and
 * hands it the rest of argv. A subcommand parses its own options first (a
 * usage error costs no network), then calls cli_connect() and one or more
 * api requests, and prints plain aligned text or, with --json, the model
 * re-encoded. Every string from a server goes through cli_clean() before it
 * reaches the terminal.
 */
#ifndef AMBT_CLI_H
#define AMBT_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "ambt/api.h"
#include "ambt/config.h"

/* Exit statuses, as GNU tools use them. */
enum {
	CLI_OK = 0,
	CLI_FAIL = 1,
	CLI_USAGE = 2,
};

struct cli {
	/* From the command line; NULL when not given. */
	const char *server;
	const char *api_key;
	const char *api_username;
	bool json;
	const char *theme;   /* --theme: beats 'set theme' in the config */
	bool no_notify;      /* --no-notify: no desktop notices (tui, watch) */
	bool no_cache;       /* --demo: its port changes every run */
	bool no_config;      /* --demo: the user's file names another server */
	bool no_credentials; /* login, logout: they read the file themselves */
	/* Set up by cli_connect(). */
	struct config cfg;
	char *config_path;
	struct http *http;
	struct store *cache;
	struct api *api;
	bool offline_noted; /* said once, however many replies were cached */
};

struct cli_command {
	const char *name;
	const char *usage;   /* after "ambt NAME " */
	const char *summary; /* one line for ambt --help */
	const char *help;    /* the options, for ambt NAME --help */
	int (*run)(struct cli *, int argc, char **argv);
};

extern const struct cli_command cli_commands[];
extern const size_t cli_n_commands;
const struct cli_command *cli_find_command(const char *name);

int cli_latest(struct cli *, int argc, char **argv);
int cli_categories(struct cli *, int argc, char **argv);
int cli_user(struct cli *, int argc, char **argv);
int cli_search(struct cli *, int argc, char **argv);
int cli_digest(struct cli *, int argc, char **argv);
int cli_notifications(struct cli *, int argc, char **argv);
int cli_events(struct cli *, int argc, char **argv);
int cli_watch(struct cli *, int argc, char **argv);
int cli_members(struct cli *, int argc, char **argv);
int cli_read(struct cli *, int argc, char **argv);
/* Writing: ambt reply, post, like, drafts. */
int cli_reply(struct cli *, int argc, char **argv);
int cli_post(struct cli *, int argc, char **argv);
int cli_like(struct cli *, int argc, char **argv);
int cli_flag(struct cli *, int argc, char **argv);
int cli_drafts(struct cli *, int argc, char **argv);
/* The full-screen reader (ambt with no subcommand), and its keys. */
int cli_tui(struct cli *, int argc, char **argv);
int cli_keys(struct cli *, int argc, char **argv);
int cli_login(struct cli *, int argc, char **argv);
int cli_logout(struct cli *, int argc, char **argv);
/* ambt --demo [SUBCOMMAND ...]: argv starts at the subcommand. */
int cli_demo(struct cli *, int argc, char **argv);
/* Run argv[0] as a subcommand (or report it unknown). */
int cli_dispatch(struct cli *, int argc, char **argv);

/* ---- common.c ---- */
/*
 * Parse a subcommand's long options: --json and --help always, plus those
 * in opts (may be NULL). Each other option found calls on_opt(val, optarg,
 * ctx), which returns 0 or CLI_USAGE after a message. Returns 0 with
 * *first_arg = the index of the first operand, -1 after --help was printed
 * (exit 0), or CLI_USAGE.
 */
struct option;
typedef int (*cli_opt_fn)(int c, const char *optarg, void *ctx);
int cli_parse(struct cli *, const struct cli_command *, int argc, char **argv,
              const struct option *opts, cli_opt_fn on_opt, void *ctx,
              int *first_arg);
/* "ambt: MESSAGE" and "Try 'ambt NAME --help'." on stderr; CLI_USAGE. */
int cli_usage_error(const char *command, const char *fmt, ...)
    AMBT_PRINTF(2, 3);
/* A non-negative integer option value, or -1. */
int cli_parse_count(const char *s);
void cli_print_command_help(const struct cli_command *, FILE *);

/* Config, http, cache and api from the settings, with what ambt login
 * kept for the server; CLI_OK or CLI_FAIL. */
int cli_connect(struct cli *);
/* The connection settings (server, CA, auth from the settings, test
 * knobs) that cli_connect uses, for a handle of one's own. */
void cli_http_options(const struct cli *, struct http_options *);
void cli_disconnect(struct cli *);
/*
 * Wait for a request started with api_sync_done. On failure print the one
 * error line and return CLI_FAIL; else note an offline copy on stderr and
 * return CLI_OK.
 */
int cli_wait(struct cli *, struct api_sync *);
void cli_report_error(const struct cli *, const struct ambt_error *);
/* Print JSON text (owned, freed) with a newline; CLI_OK or CLI_FAIL. */
int cli_print_json(char *text);

/* A server string made safe and one line (tabs and newlines as spaces). */
char *cli_clean(const char *s);
/* "3d", "5h", "12m", "now"; "-" for 0. buf of 16 bytes. */
const char *cli_age(int64_t t, char *buf, size_t size);
/* "2026-11-28" in local time; "-" for 0. */
const char *cli_date(int64_t t, char *buf, size_t size);
/* "2026-11-28 14:05" in local time; "-" for 0. */
const char *cli_date_time(int64_t t, char *buf, size_t size);
/* Columns the last column may fill: the terminal's width, or 0 (no limit)
 * when stdout is not a terminal. */
size_t cli_width(void);

/* ---- table.c: aligned columns measured in terminal cells ---- */
struct table {
	size_t n_cols;
	const char *const *headers;
	const bool *right; /* right-aligned columns (numbers), may be NULL */
	char **cells;      /* n_rows * n_cols, cleaned */
	size_t n_rows;
};
void table_init(struct table *, size_t n_cols, const char *const *headers,
                const bool *right);
/* Add a row of n_cols strings from a server (NULL shows as ""). */
void table_add(struct table *, const char *const *row);
/* The last column is cut to fit width (0: no limit). */
void table_print(const struct table *, FILE *, size_t width);
void table_free(struct table *);

/* ---- reply.c: what the writing subcommands share ---- */
struct draft;
/* A positive number operand (what: "TOPIC", "POST_ID"), else a usage
 * error (CLI_USAGE). */
int cli_parse_id(const char *command, const char *what, const char *s,
                 int64_t *id);
/* -m and -F as --message and --file (cli_parse knows long options only),
 * up to "--". */
void cli_short_text_options(int argc, char **argv);
/* The text to send: TEXT (-m), else FILE's (-F; "-" is standard input),
 * else standard input's. NULL after a message, when unreadable or empty. */
char *cli_body(const char *command, const char *text, const char *file);
/* post.c: a category's id from its slug (/site.json); CLI_OK, or
 * CLI_FAIL after a message. Needs cli_connect() first. */
int cli_category_id(struct cli *, const char *slug, int64_t *id);
/* Print a JSON value (taken over) as cli_print_json does. */
struct json_t;
int cli_print_json_value(struct json_t *);
/* The state store, where drafts live; NULL after a message. */
struct store *cli_open_state(void);
/* Send a draft with the draft-safe pipeline (send.h) and say what came of
 * it: CLI_OK when the post is on the server, else CLI_FAIL (the draft is
 * kept). Needs cli_connect() first. */
int cli_send(struct cli *, struct store *state, const struct draft *,
             int64_t category_id, bool check_first);

#endif
