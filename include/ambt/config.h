/*
 * config.h: the user's settings.
 *
 * The file is $XDG_CONFIG_HOME/ambt/config, one statement a line:
 *
 *     # a comment
 *     set server https://forum.example.org
 *     set ca_file /etc/ssl/private-ca.pem
 *     set username jan
 *     set theme dark
 *     bind thread J next-unread
 *     set quiet_hours 22:30-07:00
 *     monitor Woo
 *
 * Values may be quoted with "..." (\" and \\ escape). Settings override in
 * order: built-in defaults, the file, the environment (AMBT_SERVER,
 * AMBT_API_KEY, AMBT_API_USERNAME), then the command line. An error in the
 * file names its line and the rest of the file still applies.
 */
#ifndef AMBT_CONFIG_H
#define AMBT_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "ambt/error.h"

struct config_binding {
	char *view;
	char *key;
	char *action;
};

struct config {
	char *server; /* base URL, no trailing slash */
	char *api_key;
	char *api_username;
	char *user_api_key;
	char *username;
	char *ca_file;
	char *theme;
	char *start_sections; /* "latest,events,notifications" */
	struct config_binding *bindings;
	size_t n_bindings;
	/* The watcher (watch.h). */
	bool notify;           /* desktop notices; default true */
	int notify_interval;   /* seconds between polls; default 60, >= 15 */
	int quiet_start;       /* quiet hours in minutes after midnight, */
	int quiet_end;         /* start..end, may wrap; -1: none */
	int event_reminder;    /* minutes before an event; 0: off */
	char *notify_command;  /* run with a notice's URL, or NULL */
	unsigned notify_kinds; /* bit 1u << k for each enum notice_kind k
	                          (notify.h) that is notified */
	char **monitor_words;  /* "monitor WORD": whole word, any case */
	size_t n_monitor_words;
	/* Problems met while reading, one line each ("config:3: unknown
	 * setting 'sevrer'"); the CLI prints them as warnings. */
	char **warnings;
	size_t n_warnings;
};

/* One documented setting, for the parser and the man page. */
struct config_setting {
	const char *name;
	const char *description;
};
extern const struct config_setting config_settings[];
extern const size_t config_n_settings;

void config_init(struct config *);
void config_clear(struct config *);
/* Read a file; a missing file is not an error. Returns -1 only when the
 * file exists but cannot be read. */
int config_load_file(struct config *, const char *path, struct ambt_error *);
/* Parse text (for tests); name is used in warnings. */
void config_load_string(struct config *, const char *name, const char *text);
/* Apply AMBT_SERVER, AMBT_API_KEY, AMBT_API_USERNAME. */
void config_load_env(struct config *);
/* Set one setting by name; -1 with err when the name or value is bad. */
int config_set(struct config *, const char *name, const char *value,
               struct ambt_error *err);
/* The default path: $XDG_CONFIG_HOME/ambt/config (newly allocated). */
char *config_default_path(void);

#endif
