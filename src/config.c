/*
 * config.c: the settings file (format in include/ambt/config.h), the
 * environment, and one validated setter that the command line uses too.
 * The line parser knows nothing about files, so the credentials file can
 * share it.
 */
#include <config.h>

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ambt/config.h"
#include "ambt/util.h"

const struct config_setting config_settings[] = {
    {"server", "Base URL of the Discourse forum, http:// or https://."},
    {"username", "Your username on the forum, for views of your own."},
    {"api_key", "An admin or user API key (sent as Api-Key)."},
    {"api_username", "The user an Api-Key acts as (Api-Username)."},
    {"user_api_key", "A User API key from ambt login (User-Api-Key)."},
    {"ca_file", "PEM file of the CA that signs the server's certificate."},
    {"theme", "Colour theme: a name from the themes directories."},
    {"start_sections",
     "The start page's sections, in order: latest, events, notifications."},
};
const size_t config_n_settings = AMBT_ARRAY_LEN(config_settings);

/* Where each setting lives, in the order of config_settings[]. */
static const size_t setting_offsets[] = {
    offsetof(struct config, server),
    offsetof(struct config, username),
    offsetof(struct config, api_key),
    offsetof(struct config, api_username),
    offsetof(struct config, user_api_key),
    offsetof(struct config, ca_file),
    offsetof(struct config, theme),
    offsetof(struct config, start_sections),
};
_Static_assert(AMBT_ARRAY_LEN(setting_offsets) ==
                   AMBT_ARRAY_LEN(config_settings),
               "one offset per setting");

void
config_init(struct config *cfg)
{
	memset(cfg, 0, sizeof *cfg);
}

void
config_clear(struct config *cfg)
{
	for (size_t i = 0; i < config_n_settings; i++)
		free(*(char **)((char *)cfg + setting_offsets[i]));
	for (size_t i = 0; i < cfg->n_bindings; i++) {
		free(cfg->bindings[i].view);
		free(cfg->bindings[i].key);
		free(cfg->bindings[i].action);
	}
	free(cfg->bindings);
	for (size_t i = 0; i < cfg->n_warnings; i++)
		free(cfg->warnings[i]);
	free(cfg->warnings);
	memset(cfg, 0, sizeof *cfg);
}

static void
add_warning(struct config *cfg, char *msg)
{
	cfg->warnings = xreallocarray(cfg->warnings, cfg->n_warnings + 1,
	                              sizeof *cfg->warnings);
	cfg->warnings[cfg->n_warnings++] = msg;
}

/* Values end up in HTTP headers and file names: no control characters,
 * so a stray newline can never add a header. */
static bool
has_control(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p < 0x20 || *p == 0x7f)
			return true;
	}
	return false;
}

static bool
has_prefix_nocase(const char *s, const char *prefix)
{
	return strncasecmp(s, prefix, strlen(prefix)) == 0;
}

/* A server URL: http(s)://host..., kept without trailing slashes. */
static char *
normalize_server(const char *value, struct ambt_error *err)
{
	size_t scheme, len = strlen(value);

	if (has_prefix_nocase(value, "https://"))
		scheme = strlen("https://");
	else if (has_prefix_nocase(value, "http://"))
		scheme = strlen("http://");
	else
		scheme = 0;
	while (len > scheme && value[len - 1] == '/')
		len--;
	if (scheme == 0 || len == scheme || value[scheme] == '/' ||
	    strchr(value, ' ') != NULL) {
		ambt_error_set(err, AMBT_E_USAGE,
		               "invalid server '%s': use an http:// or "
		               "https:// URL such as https://forum.example.org",
		               value);
		return NULL;
	}
	return xstrndup(value, len);
}

/* "~/..." in a file name means the home directory. */
static char *
expand_home(const char *value)
{
	const char *home = getenv("HOME");

	if (strncmp(value, "~/", 2) == 0 && home != NULL && home[0] == '/')
		return xasprintf("%s%s", home, value + 1);
	return xstrdup(value);
}

static int
find_setting(const char *name)
{
	for (size_t i = 0; i < config_n_settings; i++) {
		if (strcmp(config_settings[i].name, name) == 0)
			return (int)i;
	}
	return -1;
}

int
config_set(struct config *cfg, const char *name, const char *value,
           struct ambt_error *err)
{
	int i = find_setting(name);
	char **field, *v;

	if (i < 0)
		return ambt_error_set(err, AMBT_E_USAGE, "unknown setting '%s'",
		                      name);
	if (value[0] == '\0')
		return ambt_error_set(err, AMBT_E_USAGE,
		                      "setting '%s' needs a value", name);
	if (has_control(value))
		return ambt_error_set(err, AMBT_E_USAGE,
		                      "setting '%s' has a control character",
		                      name);
	if (strcmp(name, "server") == 0)
		v = normalize_server(value, err);
	else if (strcmp(name, "ca_file") == 0)
		v = expand_home(value);
	else
		v = xstrdup(value);
	if (v == NULL)
		return -1;
	field = (char **)((char *)cfg + setting_offsets[i]);
	free(*field);
	*field = v;
	return 0;
}

/* A later binding of the same key in the same view replaces the first. */
static void
add_binding(struct config *cfg, char *const *words)
{
	struct config_binding *b;
	size_t i;

	for (i = 0; i < cfg->n_bindings; i++) {
		b = &cfg->bindings[i];
		if (strcmp(b->view, words[1]) == 0 &&
		    strcmp(b->key, words[2]) == 0)
			break;
	}
	if (i == cfg->n_bindings) {
		cfg->bindings =
		    xreallocarray(cfg->bindings, i + 1, sizeof *cfg->bindings);
		cfg->n_bindings++;
		b = &cfg->bindings[i];
		b->view = xstrdup(words[1]);
		b->key = xstrdup(words[2]);
	} else {
		free(b->action);
	}
	b->action = xstrdup(words[3]);
}

#define MAX_WORDS 8

struct words {
	char *w[MAX_WORDS];
	size_t n;
};

static void
words_clear(struct words *ws)
{
	for (size_t i = 0; i < ws->n; i++)
		free(ws->w[i]);
	ws->n = 0;
}

/* A "..." word, with \" and \\ as escapes; *p is at the opening quote. */
static char *
quoted_word(const char **p, const char *end, struct ambt_error *err)
{
	const char *s = *p + 1;
	struct buf b;

	buf_init(&b);
	for (; s < end && *s != '"'; s++) {
		if (*s == '\\' && s + 1 < end && (s[1] == '"' || s[1] == '\\'))
			s++;
		buf_putc(&b, *s);
	}
	if (s == end) {
		buf_free(&b);
		ambt_error_set(err, AMBT_E_USAGE, "unterminated quote");
		return NULL;
	}
	s++;
	if (s < end && *s != ' ' && *s != '\t') {
		buf_free(&b);
		ambt_error_set(err, AMBT_E_USAGE, "text after a closing quote");
		return NULL;
	}
	*p = s;
	return buf_steal(&b);
}

/* Split one line into words; a word that starts with # starts a comment. */
static int
split_line(const char *p, const char *end, struct words *ws,
           struct ambt_error *err)
{
	const char *start;
	char *word;

	ws->n = 0;
	for (;;) {
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if (p == end || *p == '#')
			return 0;
		if (ws->n == MAX_WORDS)
			return ambt_error_set(err, AMBT_E_USAGE,
			                      "too many words");
		if (*p == '"') {
			word = quoted_word(&p, end, err);
			if (word == NULL)
				return -1;
		} else {
			start = p;
			while (p < end && *p != ' ' && *p != '\t')
				p++;
			word = xstrndup(start, (size_t)(p - start));
		}
		ws->w[ws->n++] = word;
	}
}

static int
run_statement(struct config *cfg, const struct words *ws,
              struct ambt_error *err)
{
	const char *cmd = ws->w[0];

	if (strcmp(cmd, "set") == 0) {
		if (ws->n != 3)
			return ambt_error_set(err, AMBT_E_USAGE,
			                      "usage: set NAME VALUE");
		return config_set(cfg, ws->w[1], ws->w[2], err);
	}
	if (strcmp(cmd, "bind") == 0) {
		if (ws->n != 4)
			return ambt_error_set(err, AMBT_E_USAGE,
			                      "usage: bind VIEW KEY ACTION");
		add_binding(cfg, ws->w);
		return 0;
	}
	return ambt_error_set(err, AMBT_E_USAGE, "unknown command '%s'", cmd);
}

static void
load_line(struct config *cfg, const char *name, int lineno, const char *p,
          const char *end)
{
	struct ambt_error err = {0};
	struct words ws;
	char *msg;

	if (end > p && end[-1] == '\r')
		end--;
	if (split_line(p, end, &ws, &err) == 0 &&
	    (ws.n == 0 || run_statement(cfg, &ws, &err) == 0)) {
		words_clear(&ws);
		return;
	}
	words_clear(&ws);
	/* The message may quote the file; keep it harmless on a terminal. */
	msg = utf8_sanitize(err.msg, strlen(err.msg));
	add_warning(cfg, xasprintf("%s:%d: %s", name, lineno, msg));
	free(msg);
}

void
config_load_string(struct config *cfg, const char *name, const char *text)
{
	const char *p = text, *nl;
	int lineno = 1;

	while (*p != '\0') {
		nl = strchr(p, '\n');
		if (nl == NULL)
			nl = p + strlen(p);
		load_line(cfg, name, lineno++, p, nl);
		p = *nl == '\n' ? nl + 1 : nl;
	}
}

int
config_load_file(struct config *cfg, const char *path, struct ambt_error *err)
{
	FILE *f = fopen(path, "r");
	struct buf text;
	char chunk[4096];
	size_t n;
	int failed;

	if (f == NULL && (errno == ENOENT || errno == ENOTDIR))
		return 0;
	if (f == NULL)
		return ambt_error_set(err, AMBT_E_IO, "cannot read %s: %s",
		                      path, strerror(errno));
	buf_init(&text);
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_append(&text, chunk, n);
	failed = ferror(f);
	fclose(f);
	if (failed) {
		buf_free(&text);
		return ambt_error_set(err, AMBT_E_IO, "cannot read %s: %s",
		                      path, strerror(errno));
	}
	if (text.len > 0)
		config_load_string(cfg, path, text.data);
	buf_free(&text);
	return 0;
}

void
config_load_env(struct config *cfg)
{
	static const char *const vars[][2] = {
	    {"AMBT_SERVER", "server"},
	    {"AMBT_API_KEY", "api_key"},
	    {"AMBT_API_USERNAME", "api_username"},
	};
	struct ambt_error err = {0};
	const char *value;

	for (size_t i = 0; i < AMBT_ARRAY_LEN(vars); i++) {
		value = getenv(vars[i][0]);
		if (value == NULL || value[0] == '\0')
			continue;
		if (config_set(cfg, vars[i][1], value, &err) != 0)
			add_warning(cfg,
			            xasprintf("%s: %s", vars[i][0], err.msg));
	}
}

char *
config_default_path(void)
{
	char *dir = xdg_config_dir();
	char *path = xasprintf("%s/config", dir);

	free(dir);
	return path;
}
