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

#include "ambt/i18n.h"
#include "ambt/config.h"
#include "ambt/util.h"

const struct config_setting config_settings[] = {
    {"server", N_("Base URL of the Discourse forum, http:// or https://.")},
    {"username", N_("Your username on the forum, for views of your own.")},
    {"api_key", N_("An admin or user API key (sent as Api-Key).")},
    {"api_username", N_("The user an Api-Key acts as (Api-Username).")},
    {"user_api_key", N_("A User API key from ambt login (User-Api-Key).")},
    {"ca_file", N_("PEM file of the CA that signs the server's certificate.")},
    {"theme", N_("Colour theme: a name from the themes directories.")},
    {"start_sections",
     N_("The start page's sections, in order: latest, events, notifications.")},
    {"notify_command",
     N_("Command run with a notice's URL when Open is chosen (no shell).")},
    {"notify", N_("Desktop notices from ambt watch: yes or no (default yes).")},
    {"notify_interval",
     N_("Seconds between ambt watch's polls (default 60, at least 15).")},
    {"quiet_hours",
     N_("HH:MM-HH:MM, may wrap midnight: no desktop notices then; they are "
        "counted and summed up once the quiet hours end.")},
    {"event_reminder",
     N_("Minutes before an event starts to remind of it (default 60; 0 off).")},
    {"notify_kinds",
     N_("What is notified, comma-separated: posts, replies, mentions, "
        "messages, monitored, events (default all).")},
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
    offsetof(struct config, notify_command),
};
/* The settings after the string ones have typed fields and parsers. */
#define N_STRING_SETTINGS AMBT_ARRAY_LEN(setting_offsets)

/* The names of notify_kinds, in the order of notify.h's notice kinds. */
static const char *const notify_kind_names[] = {
    "posts", "replies", "mentions", "messages", "monitored", "events",
};

void
config_init(struct config *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	cfg->notify = true;
	cfg->notify_interval = 60;
	cfg->quiet_start = -1;
	cfg->quiet_end = -1;
	cfg->event_reminder = 60;
	cfg->notify_kinds = (1u << AMBT_ARRAY_LEN(notify_kind_names)) - 1;
}

void
config_clear(struct config *cfg)
{
	for (size_t i = 0; i < N_STRING_SETTINGS; i++)
		free(*(char **)((char *)cfg + setting_offsets[i]));
	for (size_t i = 0; i < cfg->n_monitor_words; i++)
		free(cfg->monitor_words[i]);
	free(cfg->monitor_words);
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
		ambt_error_set(
		    err, AMBT_E_USAGE,
		    _("invalid server '%s': use an http:// or "
		      "https:// URL such as https://forum.example.org"),
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

/* A whole decimal number in [min, max]. */
static int
parse_number(const char *name, const char *value, long min, long max, int *out,
             struct ambt_error *err)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(value, &end, 10);
	if (errno != 0 || end == value || *end != '\0' || n < min || n > max)
		return ambt_error_set(
		    err, AMBT_E_USAGE,
		    _("setting '%s' needs a number from %ld to "
		      "%ld, not '%s'"),
		    name, min, max, value);
	*out = (int)n;
	return 0;
}

static int
set_notify(struct config *cfg, const char *value, struct ambt_error *err)
{
	if (strcmp(value, "yes") == 0 || strcmp(value, "no") == 0) {
		cfg->notify = strcmp(value, "yes") == 0;
		return 0;
	}
	return ambt_error_set(err, AMBT_E_USAGE,
	                      _("setting 'notify' is yes or no, not '%s'"),
	                      value);
}

static int
set_notify_interval(struct config *cfg, const char *value,
                    struct ambt_error *err)
{
	return parse_number("notify_interval", value, 15, 86400,
	                    &cfg->notify_interval, err);
}

static int
set_event_reminder(struct config *cfg, const char *value,
                   struct ambt_error *err)
{
	return parse_number("event_reminder", value, 0, 7 * 24 * 60,
	                    &cfg->event_reminder, err);
}

/* "HH:MM" to minutes after midnight, or -1. */
static int
clock_minutes(const char *s, size_t len)
{
	if (len != 5 || s[2] != ':')
		return -1;
	for (size_t i = 0; i < 5; i++) {
		if (i != 2 && (s[i] < '0' || s[i] > '9'))
			return -1;
	}
	int h = (s[0] - '0') * 10 + (s[1] - '0');
	int m = (s[3] - '0') * 10 + (s[4] - '0');
	return h < 24 && m < 60 ? h * 60 + m : -1;
}

static int
set_quiet_hours(struct config *cfg, const char *value, struct ambt_error *err)
{
	const char *dash = strchr(value, '-');
	int start = -1, end = -1;

	if (dash != NULL) {
		start = clock_minutes(value, (size_t)(dash - value));
		end = clock_minutes(dash + 1, strlen(dash + 1));
	}
	if (start < 0 || end < 0 || start == end)
		return ambt_error_set(err, AMBT_E_USAGE,
		                      _("setting 'quiet_hours' is HH:MM-HH:MM, "
		                        "such as 22:30-07:00, not '%s'"),
		                      value);
	cfg->quiet_start = start;
	cfg->quiet_end = end;
	return 0;
}

static int
kind_bit(const char *name, size_t len)
{
	for (size_t k = 0; k < AMBT_ARRAY_LEN(notify_kind_names); k++) {
		if (strlen(notify_kind_names[k]) == len &&
		    strncmp(notify_kind_names[k], name, len) == 0)
			return (int)k;
	}
	return -1;
}

static int
set_notify_kinds(struct config *cfg, const char *value, struct ambt_error *err)
{
	unsigned kinds = 0;
	const char *p = value;
	size_t len;
	int k;

	for (;;) {
		len = strcspn(p, ",");
		k = kind_bit(p, len);
		if (k < 0)
			return ambt_error_set(
			    err, AMBT_E_USAGE,
			    _("unknown kind '%.*s' in notify_kinds: use posts, "
			      "replies, mentions, messages, monitored, events"),
			    (int)len, p);
		kinds |= 1u << k;
		if (p[len] == '\0')
			break;
		p += len + 1;
	}
	cfg->notify_kinds = kinds;
	return 0;
}

typedef int (*typed_setter)(struct config *, const char *, struct ambt_error *);

/* In the order of config_settings[] after the string settings. */
static const typed_setter typed_setters[] = {
    set_notify,         set_notify_interval, set_quiet_hours,
    set_event_reminder, set_notify_kinds,
};
_Static_assert(N_STRING_SETTINGS + AMBT_ARRAY_LEN(typed_setters) ==
                   AMBT_ARRAY_LEN(config_settings),
               "one offset or parser per setting");

int
config_set(struct config *cfg, const char *name, const char *value,
           struct ambt_error *err)
{
	int i = find_setting(name);
	char **field, *v;

	if (i < 0)
		return ambt_error_set(err, AMBT_E_USAGE,
		                      _("unknown setting '%s'"), name);
	if (value[0] == '\0')
		return ambt_error_set(err, AMBT_E_USAGE,
		                      _("setting '%s' needs a value"), name);
	if (has_control(value))
		return ambt_error_set(err, AMBT_E_USAGE,
		                      _("setting '%s' has a control character"),
		                      name);
	if ((size_t)i >= N_STRING_SETTINGS)
		return typed_setters[(size_t)i - N_STRING_SETTINGS](cfg, value,
		                                                    err);
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
		ambt_error_set(err, AMBT_E_USAGE, _("unterminated quote"));
		return NULL;
	}
	s++;
	if (s < end && *s != ' ' && *s != '\t') {
		buf_free(&b);
		ambt_error_set(err, AMBT_E_USAGE,
		               _("text after a closing quote"));
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
			                      _("too many words"));
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
			                      _("usage: set NAME VALUE"));
		return config_set(cfg, ws->w[1], ws->w[2], err);
	}
	if (strcmp(cmd, "monitor") == 0) {
		if (ws->n != 2 || ws->w[1][0] == '\0' || has_control(ws->w[1]))
			return ambt_error_set(err, AMBT_E_USAGE,
			                      _("usage: monitor WORD"));
		cfg->monitor_words =
		    xreallocarray(cfg->monitor_words, cfg->n_monitor_words + 1,
		                  sizeof *cfg->monitor_words);
		cfg->monitor_words[cfg->n_monitor_words++] = xstrdup(ws->w[1]);
		return 0;
	}
	if (strcmp(cmd, "bind") == 0) {
		if (ws->n != 4)
			return ambt_error_set(err, AMBT_E_USAGE,
			                      _("usage: bind VIEW KEY ACTION"));
		add_binding(cfg, ws->w);
		return 0;
	}
	return ambt_error_set(err, AMBT_E_USAGE, _("unknown command '%s'"),
	                      cmd);
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
		return ambt_error_set(err, AMBT_E_IO, _("cannot read %s: %s"),
		                      path, strerror(errno));
	buf_init(&text);
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_append(&text, chunk, n);
	failed = ferror(f);
	fclose(f);
	if (failed) {
		buf_free(&text);
		return ambt_error_set(err, AMBT_E_IO, _("cannot read %s: %s"),
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
