/*
 * login.c: ambt login: username and password through Discourse's session
 * login, a second-factor code when the server asks for one, and the
 * session's cookie jar noted in the credentials file. The password is
 * read without echo from the terminal, or as a line of standard input
 * when that is not a terminal (scripts, tests); it is never stored.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "ambt/i18n.h"
#include "ambt/credentials.h"
#include "ambt/login.h"
#include "ambt/util.h"
#include "cli/cli.h"

enum {
	OPT_PASSWORD = 0x200,
	OPT_BROWSER,
	OPT_DEVICE,
	OPT_USERNAME,
};

struct login_opts {
	const char *username;
	bool browser;
	bool device;
};

static int
on_login_opt(int c, const char *arg, void *ctx)
{
	struct login_opts *o = ctx;

	if (c == OPT_USERNAME)
		o->username = arg;
	else if (c == OPT_BROWSER)
		o->browser = true;
	else if (c == OPT_DEVICE)
		o->device = true;
	return 0;
}

/* One line of standard input without its newline, or NULL at the end. */
static char *
read_line(void)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n = getline(&line, &cap, stdin);

	if (n < 0) {
		free(line);
		return NULL;
	}
	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	return line;
}

/* Ask on stderr (stdout may be a pipe) and read the answer; with
 * secret, the terminal does not echo it. */
static char *
ask(const char *prompt, bool secret)
{
	struct termios old, quiet;
	bool tty = isatty(STDIN_FILENO);
	bool hidden = false;
	char *line;

	if (tty) {
		fputs(prompt, stderr);
		fflush(stderr);
	}
	if (tty && secret && tcgetattr(STDIN_FILENO, &old) == 0) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		hidden = tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
	}
	line = read_line();
	if (hidden) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
		fputc('\n', stderr);
	}
	return line;
}

static void
wipe_free(char *s)
{
	if (s != NULL)
		memset(s, 0, strlen(s));
	free(s);
}

/* The password, then a code when the server asks for one. */
static enum login_status
log_in(const struct http_options *base, const char *jar, const char *name,
       char **username, struct ambt_error *err)
{
	char *password = ask(_("Password: "), true), *code;
	enum login_status st;

	if (password == NULL) {
		ambt_error_set(err, AMBT_E_USAGE, _("no password given"));
		return LOGIN_FAILED;
	}
	st = login_password(base, jar, name, password, NULL, username, err);
	if (st == LOGIN_NEED_SECOND_FACTOR) {
		code = ask(_("Second-factor code: "), false);
		if (code == NULL) {
			ambt_error_set(err, AMBT_E_USAGE,
			               _("the server asks for a second-factor "
			                 "code and none was given"));
			unlink(jar);
			st = LOGIN_FAILED;
		} else {
			st = login_password(base, jar, name, password, code,
			                    username, err);
		}
		free(code);
	}
	wipe_free(password);
	return st;
}

/* Put c in the credentials file, in place of the server's old entry,
 * whose login ends: a new login leaves no old one valid behind it. */
static int
keep(const struct cli *cli, const struct credential *c, struct ambt_error *err)
{
	struct http_options base;

	cli_http_options(cli, &base);
	return login_keep(&base, c, err);
}

/* Note the session in the credentials file. */
static int
keep_session(const struct cli *cli, const char *username, const char *jar,
             struct ambt_error *err)
{
	struct credential c = {.server = cli->cfg.server,
	                       .username = (char *)username,
	                       .cookie_file = (char *)jar};

	return keep(cli, &c, err);
}

/* A credentials file that would be refused is found before the password
 * is asked for, not after the server has made a session. */
static int
credentials_usable(struct ambt_error *err)
{
	struct credentials creds;
	char *path = credentials_default_path();
	int rc;

	credentials_init(&creds);
	rc = credentials_load(&creds, path, err);
	credentials_clear(&creds);
	free(path);
	return rc;
}

/* The member's name: the option, the settings, or asked. */
static char *
login_name(const struct cli *cli, const struct login_opts *o)
{
	if (o->username != NULL)
		return xstrdup(o->username);
	if (cli->cfg.username != NULL)
		return xstrdup(cli->cfg.username);
	return ask(_("Username: "), false);
}

/* Log in and keep the session; err says why not. */
static int
login_session(struct cli *cli, const struct login_opts *o, char **username,
              struct ambt_error *err)
{
	struct http_options base;
	char *name, *jar;
	int rc = -1;

	if (credentials_usable(err) < 0)
		return -1; /* err says how to fix the file */
	/* A jar of its own: a failed login leaves the session one had, and
	 * a new one lets login_keep end the old. */
	jar = login_new_cookie_path(cli->cfg.server);
	name = login_name(cli, o);
	cli_http_options(cli, &base);
	if (jar == NULL)
		ambt_error_set(err, AMBT_E_USAGE, _("%s is not a URL"),
		               cli->cfg.server);
	else if (name == NULL || name[0] == '\0')
		ambt_error_set(err, AMBT_E_USAGE, _("no username given"));
	else
		rc = log_in(&base, jar, name, username, err) == LOGIN_OK ? 0
		                                                         : -1;
	if (rc == 0)
		rc = keep_session(cli, *username, jar, err);
	if (rc < 0 && *username != NULL)
		unlink(jar); /* logged in, but it could not be kept */
	free(jar);
	free(name);
	return rc;
}

static int
login_with_password(struct cli *cli, const struct login_opts *o)
{
	struct ambt_error err = {0};
	char *username = NULL;
	int rc = login_session(cli, o, &username, &err);

	if (rc == 0)
		printf(_("Logged in to %s as %s.\n"), cli->cfg.server,
		       username);
	else
		cli_report_error(cli, &err);
	free(username);
	return rc == 0 ? CLI_OK : CLI_FAIL;
}

/* The client id kept for the server, so a new key replaces the old one
 * (Discourse keeps one key per user and client), else a new one. */
static char *
client_id_for(const char *server)
{
	struct credentials creds;
	const struct credential *c;
	char *path = credentials_default_path(), *id = NULL;

	credentials_init(&creds);
	if (credentials_load(&creds, path, NULL) == 0 &&
	    (c = credentials_find(&creds, server)) != NULL)
		id = xstrdup(c->client_id);
	credentials_clear(&creds);
	free(path);
	return id ? id : login_client_id();
}

/* The pasted payload: lines up to an empty one after some text, or the
 * end of input. */
static char *
read_payload(void)
{
	struct buf text;
	char *line;

	buf_init(&text);
	while ((line = read_line()) != NULL) {
		bool blank = line[strspn(line, " \t")] == '\0';

		buf_puts(&text, line);
		free(line);
		if (blank && text.len > 0)
			break;
	}
	return buf_steal(&text);
}

/* How a User API key is obtained: into c->user_api_key, with the
 * username it belongs to in c->username; 0, or -1 with err. */
typedef int (*key_flow_fn)(struct cli *, const struct login_key *,
                           struct credential *, struct ambt_error *);

/* Whose key it is (GET /session/current.json). */
static int
learn_username(struct cli *cli, struct credential *c, struct ambt_error *err)
{
	struct http_options base;

	cli_http_options(cli, &base);
	c->username =
	    login_key_username(&base, c->user_api_key, c->client_id, err);
	return c->username ? 0 : -1;
}

/* The browser flow: the approval page's address out, the pasted payload
 * in, opened with our key. */
static int
browser_key(struct cli *cli, const struct login_key *k, struct credential *c,
            struct ambt_error *err)
{
	char *url = login_key_url(k, cli->cfg.server);
	char *payload;

	printf(_("Open this address in a browser, log in and "
	         "authorize ambt:\n\n%s\n\nThen paste the text the "
	         "page shows, and an empty line:\n"),
	       url);
	fflush(stdout);
	free(url);
	payload = read_payload();
	c->user_api_key = login_key_decrypt(k, payload, err);
	free(payload);
	if (c->user_api_key == NULL)
		return -1;
	return learn_username(cli, c, err);
}

/* The device flow: a code to enter in any browser, then polling until it
 * is approved, denied or expired. */
static int
device_key(struct cli *cli, const struct login_key *k, struct credential *c,
           struct ambt_error *err)
{
	struct http_options base;
	struct login_device d;
	int rc, polls;

	cli_http_options(cli, &base);
	if (login_device_start(&base, k, &d, err) < 0)
		return -1;
	printf(_("Open %s in a browser, log in and enter the code\n\n    "
	         "%s\n\nWaiting for the approval...\n"),
	       d.verification_uri, d.user_code);
	fflush(stdout);
	polls = d.expires_in > 0 ? d.expires_in / d.interval + 1 : 120;
	do {
		sleep((unsigned)d.interval);
		rc = login_device_poll(&base, k, &d, &c->user_api_key, err);
	} while (rc == 0 && --polls > 0);
	if (rc == 0)
		ambt_error_set(err, AMBT_E_HTTP,
		               _("the code expired: run ambt login again"));
	login_device_clear(&d);
	if (rc != 1)
		return -1;
	return learn_username(cli, c, err);
}

/* A User API key by one of the flows, kept when it works. */
static int
login_with_key(struct cli *cli, key_flow_fn flow)
{
	struct ambt_error err = {0};
	struct credential c = {.server = cli->cfg.server};
	struct login_key *k = NULL;
	int rc = credentials_usable(&err);

	c.client_id = rc == 0 ? client_id_for(cli->cfg.server) : NULL;
	if (c.client_id != NULL)
		k = login_key_new(c.client_id, &err);
	rc = k ? flow(cli, k, &c, &err) : -1;
	if (rc == 0)
		rc = keep(cli, &c, &err);
	if (rc == 0)
		printf(_("Logged in to %s as %s.\n"), cli->cfg.server,
		       c.username);
	else
		cli_report_error(cli, &err);
	login_key_free(k);
	free(c.client_id);
	free(c.username);
	wipe_free(c.user_api_key);
	return rc == 0 ? CLI_OK : CLI_FAIL;
}

int
cli_login(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"password", no_argument, NULL, OPT_PASSWORD},
	    {"browser", no_argument, NULL, OPT_BROWSER},
	    {"device", no_argument, NULL, OPT_DEVICE},
	    {"username", required_argument, NULL, OPT_USERNAME},
	    {NULL, 0, NULL, 0},
	};
	struct login_opts o = {0};
	int first;
	int rc = cli_parse(cli, cli_find_command("login"), argc, argv, opts,
	                   on_login_opt, &o, &first);

	if (rc != 0)
		return rc < 0 ? CLI_OK : rc;
	if (first < argc)
		return cli_usage_error("login", _("login: unexpected '%s'"),
		                       argv[first]);
	cli->no_credentials = true;
	rc = cli_connect(cli);
	if (rc != CLI_OK)
		return rc;
	if (o.device)
		rc = login_with_key(cli, device_key);
	else if (o.browser)
		rc = login_with_key(cli, browser_key);
	else
		rc = login_with_password(cli, &o);
	cli_disconnect(cli);
	return rc;
}
