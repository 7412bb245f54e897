/*
 * login.c: L logs in from the TUI, with Discourse's session login
 * (login.h): a username, a password that is not shown, and a
 * second-factor code when the server asks for one. The session is kept
 * (login_keep, which ends the one kept before) and the running TUI goes
 * on with it at once, so writing works without a restart.
 *
 * login_password() blocks; on a working server that is a moment, and
 * "Logging in..." is on screen first.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ambt/credentials.h"
#include "ambt/i18n.h"
#include "ambt/login.h"
#include "ambt/util.h"
#include "tui/core.h"

/* The connection settings of the server the TUI reads, no login. */
static void
base_options(struct tui *t, struct http_options *o)
{
	const struct config *cfg = tui_config(t);

	memset(o, 0, sizeof *o);
	o->base_url = tui_base_url(t);
	o->ca_file = cfg != NULL ? cfg->ca_file : NULL;
	o->max_retries = -1;
}

static void
forget(char *secret)
{
	if (secret == NULL)
		return;
	explicit_bzero(secret, strlen(secret));
	free(secret);
}

/* Password, then a code if the server asks: LOGIN_OK or LOGIN_FAILED
 * (err set; Esc at a prompt sets AMBT_E_CANCELLED). */
static enum login_status
ask_and_log_in(struct tui *t, const struct http_options *o, const char *jar,
               const char *login, char **username, struct ambt_error *err)
{
	char *password = tui_prompt_secret(t, _("Password: "));
	char *code = NULL;
	enum login_status st = LOGIN_FAILED;

	if (password == NULL) {
		ambt_error_set(err, AMBT_E_CANCELLED, "%s", _("cancelled"));
		return LOGIN_FAILED;
	}
	tui_message(t, _("Logging in\u2026"));
	tui_flush(t);
	st = login_password(o, jar, login, password, NULL, username, err);
	if (st == LOGIN_NEED_SECOND_FACTOR) {
		code = tui_prompt(t, _("Second-factor code: "));
		if (code == NULL) {
			ambt_error_set(err, AMBT_E_CANCELLED, "%s",
			               _("cancelled"));
			st = LOGIN_FAILED;
		} else {
			tui_message(t, _("Logging in\u2026"));
			tui_flush(t);
			st = login_password(o, jar, login, password, code,
			                    username, err);
		}
	}
	forget(password);
	forget(code);
	if (st == LOGIN_NEED_SECOND_FACTOR) {
		ambt_error_set(err, AMBT_E_USAGE, "%s",
		               _("the server asked for a second code again"));
		st = LOGIN_FAILED;
	}
	return st;
}

/* A connection of the TUI's own for the new session; cookie sessions
 * write with Discourse's CSRF token. NULL with err. */
static struct api *
connect_session(struct tui *t, const struct http_options *base, const char *jar,
                struct http **http, struct ambt_error *err)
{
	struct http_options o = *base;
	char *csrf;

	o.cookie_file = jar;
	csrf = login_session_csrf(&o, jar, err);
	if (csrf == NULL)
		return NULL;
	o.csrf_token = csrf;
	*http = http_new(&o, err); /* it copies the strings */
	free(csrf);
	if (*http == NULL)
		return NULL;
	return api_new(*http, NULL, tui_base_url(t));
}

/* Keep the login for later runs; the TUI uses it even when that fails. */
static void
keep(struct tui *t, const struct http_options *o, const char *jar,
     const char *username)
{
	struct ambt_error err = {0};
	struct credential c = {
	    .server = (char *)tui_base_url(t),
	    .username = (char *)username,
	    .cookie_file = (char *)jar,
	};

	if (login_keep(o, &c, &err) < 0)
		tui_error(t, _("Logged in as %s, but not kept: %s"), username,
		          err.msg);
	else
		tui_message(t, _("Logged in as %s"), username);
}

static void
log_in_as(struct tui *t, const char *login)
{
	struct ambt_error err = {0};
	struct http_options o;
	struct http *http = NULL;
	struct api *api;
	char *jar = login_new_cookie_path(tui_base_url(t));
	char *username = NULL;

	base_options(t, &o);
	if (jar == NULL) {
		tui_error(t, _("Cannot log in: the server is not a URL"));
		return;
	}
	if (ask_and_log_in(t, &o, jar, login, &username, &err) != LOGIN_OK) {
		if (err.kind != AMBT_E_CANCELLED)
			tui_error(t, _("Not logged in: %s"), err.msg);
		else
			tui_message(t, _("Not logged in"));
		free(jar);
		return;
	}
	api = connect_session(t, &o, jar, &http, &err);
	if (api == NULL) {
		tui_error(t, _("Logged in, but cannot go on with it: %s"),
		          err.msg);
		http_free(http);
		unlink(jar); /* nothing keeps it */
	} else {
		tui_switch_login(t, http, api, username);
		keep(t, &o, jar, username);
	}
	free(username);
	free(jar);
}

void
tui_login(struct tui *t)
{
	char *login = tui_prompt(t, _("Log in as (username or email): "));

	if (login == NULL || login[0] == '\0') {
		free(login);
		tui_message(t, _("Not logged in"));
		return;
	}
	log_in_as(t, login);
	free(login);
}
