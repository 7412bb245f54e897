/* test_config.c: the settings file, the environment and config_set. */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "ambt/config.h"
#include "ambt/util.h"

static void
clear_env(void)
{
	unsetenv("AMBT_SERVER");
	unsetenv("AMBT_API_KEY");
	unsetenv("AMBT_API_USERNAME");
}

static void
test_good_file(void **state)
{
	static const char text[] = "# ambt settings\n"
	                           "\n"
	                           "set server https://forum.ambtenaar20.nl/\n"
	                           "  set username jan   # trailing comment\n"
	                           "set api_key 0123abcd\r\n"
	                           "set api_username system\n"
	                           "set user_api_key u-key\n"
	                           "\tset ca_file /etc/ssl/private-ca.pem\n"
	                           "set theme dark\n"
	                           "bind thread J next-unread\n"
	                           "bind list ^R refresh";
	struct config cfg;

	(void)state;
	config_init(&cfg);
	config_load_string(&cfg, "config", text);
	assert_int_equal(cfg.n_warnings, 0);
	assert_string_equal(cfg.server, "https://forum.ambtenaar20.nl");
	assert_string_equal(cfg.username, "jan");
	assert_string_equal(cfg.api_key, "0123abcd");
	assert_string_equal(cfg.api_username, "system");
	assert_string_equal(cfg.user_api_key, "u-key");
	assert_string_equal(cfg.ca_file, "/etc/ssl/private-ca.pem");
	assert_string_equal(cfg.theme, "dark");
	assert_int_equal(cfg.n_bindings, 2);
	assert_string_equal(cfg.bindings[0].view, "thread");
	assert_string_equal(cfg.bindings[0].key, "J");
	assert_string_equal(cfg.bindings[0].action, "next-unread");
	assert_string_equal(cfg.bindings[1].view, "list");
	assert_string_equal(cfg.bindings[1].key, "^R");
	assert_string_equal(cfg.bindings[1].action, "refresh");
	config_clear(&cfg);
	assert_null(cfg.server);
	assert_int_equal(cfg.n_bindings, 0);
}

static void
test_bad_lines(void **state)
{
	static const char text[] = "set server https://a.example.org\n"
	                           "set theme light\n"
	                           "set sevrer https://b.example.org\n"
	                           "set username piet\n"
	                           "set server ftp://c.example.org\n"
	                           "bind thread J\n"
	                           "server = https://d.example.org\n"
	                           "set theme \"dark\n"
	                           "set theme\n"
	                           "set ca_file \"\"\n"
	                           "set api_key \"abc\"def\n"
	                           "bind list q quit\n";
	static const char *const want[] = {
	    "config:3: unknown setting 'sevrer'",
	    "config:5: invalid server 'ftp://c.example.org': use an http:// "
	    "or https:// URL such as https://forum.example.org",
	    "config:6: usage: bind VIEW KEY ACTION",
	    "config:7: unknown command 'server'",
	    "config:8: unterminated quote",
	    "config:9: usage: set NAME VALUE",
	    "config:10: setting 'ca_file' needs a value",
	    "config:11: text after a closing quote",
	};
	struct config cfg;

	(void)state;
	config_init(&cfg);
	config_load_string(&cfg, "config", text);
	assert_int_equal(cfg.n_warnings, AMBT_ARRAY_LEN(want));
	for (size_t i = 0; i < AMBT_ARRAY_LEN(want); i++)
		assert_string_equal(cfg.warnings[i], want[i]);
	/* The good lines around them all applied. */
	assert_string_equal(cfg.server, "https://a.example.org");
	assert_string_equal(cfg.theme, "light");
	assert_string_equal(cfg.username, "piet");
	assert_null(cfg.ca_file);
	assert_null(cfg.api_key);
	assert_int_equal(cfg.n_bindings, 1);
	assert_string_equal(cfg.bindings[0].action, "quit");
	config_clear(&cfg);
}

static void
test_quoting(void **state)
{
	static const char text[] =
	    "set theme \"dark blue\"\n"
	    "set username \"say \\\"hi\\\" \\\\o/\"\n"
	    "set api_key abc#def\n"
	    "set api_username \"# not a comment\"  # a comment\n"
	    "set ca_file \"C:\\temp\\ca.pem\"\n"
	    "bind thread \" \" page-down\n";
	struct config cfg;

	(void)state;
	config_init(&cfg);
	config_load_string(&cfg, "config", text);
	assert_int_equal(cfg.n_warnings, 0);
	assert_string_equal(cfg.theme, "dark blue");
	assert_string_equal(cfg.username, "say \"hi\" \\o/");
	assert_string_equal(cfg.api_key, "abc#def");
	assert_string_equal(cfg.api_username, "# not a comment");
	/* Other backslashes are kept as they are. */
	assert_string_equal(cfg.ca_file, "C:\\temp\\ca.pem");
	assert_int_equal(cfg.n_bindings, 1);
	assert_string_equal(cfg.bindings[0].key, " ");
	config_clear(&cfg);
}

static void
test_later_wins(void **state)
{
	struct config cfg;

	(void)state;
	config_init(&cfg);
	config_load_string(&cfg, "config",
	                   "set theme a\nset theme b\n"
	                   "bind thread J next\nbind list J down\n"
	                   "bind thread J next-unread\n");
	assert_string_equal(cfg.theme, "b");
	assert_int_equal(cfg.n_bindings, 2);
	assert_string_equal(cfg.bindings[0].view, "thread");
	assert_string_equal(cfg.bindings[0].action, "next-unread");
	assert_string_equal(cfg.bindings[1].action, "down");
	config_clear(&cfg);
}

static void
test_config_set(void **state)
{
	struct ambt_error err = {0};
	struct config cfg;

	(void)state;
	config_init(&cfg);
	assert_int_equal(config_set(&cfg, "nope", "x", &err), -1);
	assert_int_equal(err.kind, AMBT_E_USAGE);
	assert_string_equal(err.msg, "unknown setting 'nope'");
	/* No value may smuggle a header line into a request. */
	assert_int_equal(config_set(&cfg, "api_key", "k\r\nX-Evil: 1", &err),
	                 -1);
	assert_null(cfg.api_key);
	assert_int_equal(config_set(&cfg, "server", "forum.example.org", &err),
	                 -1);
	assert_int_equal(config_set(&cfg, "server", "https://", &err), -1);
	assert_int_equal(config_set(&cfg, "server", "https:///x", &err), -1);
	assert_int_equal(
	    config_set(&cfg, "server", "https://a b.example.org", &err), -1);
	assert_null(cfg.server);
	assert_int_equal(
	    config_set(&cfg, "server", "http://127.0.0.1:8080///", &err), 0);
	assert_string_equal(cfg.server, "http://127.0.0.1:8080");
	assert_int_equal(
	    config_set(&cfg, "server", "HTTPS://forum.example.org/sub/", &err),
	    0);
	assert_string_equal(cfg.server, "HTTPS://forum.example.org/sub");
	setenv("HOME", "/home/jan", 1);
	assert_int_equal(config_set(&cfg, "ca_file", "~/ca.pem", &err), 0);
	assert_string_equal(cfg.ca_file, "/home/jan/ca.pem");
	config_clear(&cfg);
}

/* A value each setting takes: the watcher's settings are typed. */
static const char *
valid_value(const char *name)
{
	static const char *const typed[][2] = {
	    {"notify", "yes"},
	    {"notify_interval", "60"},
	    {"quiet_hours", "22:00-07:00"},
	    {"event_reminder", "30"},
	    {"notify_kinds", "posts,events"},
	};

	for (size_t i = 0; i < AMBT_ARRAY_LEN(typed); i++) {
		if (strcmp(typed[i][0], name) == 0)
			return typed[i][1];
	}
	return "https://x.example.org";
}

static void
test_settings_table(void **state)
{
	struct ambt_error err = {0};
	struct config cfg;

	(void)state;
	config_init(&cfg);
	assert_true(config_n_settings >= 7);
	for (size_t i = 0; i < config_n_settings; i++) {
		assert_true(strlen(config_settings[i].description) > 10);
		if (config_set(&cfg, config_settings[i].name,
		               valid_value(config_settings[i].name), &err) != 0)
			fail_msg("%s: %s", config_settings[i].name, err.msg);
	}
	assert_string_equal(cfg.theme, "https://x.example.org");
	assert_string_equal(cfg.user_api_key, "https://x.example.org");
	config_clear(&cfg);
}

static void
test_env(void **state)
{
	struct config cfg;

	(void)state;
	clear_env();
	config_init(&cfg);
	config_load_string(&cfg, "config",
	                   "set server https://file.example.org\n"
	                   "set api_key from-file\n"
	                   "set api_username file-user\n");
	setenv("AMBT_SERVER", "https://env.example.org/", 1);
	setenv("AMBT_API_KEY", "from-env", 1);
	setenv("AMBT_API_USERNAME", "", 1); /* empty: not set */
	config_load_env(&cfg);
	assert_int_equal(cfg.n_warnings, 0);
	assert_string_equal(cfg.server, "https://env.example.org");
	assert_string_equal(cfg.api_key, "from-env");
	assert_string_equal(cfg.api_username, "file-user");
	/* A bad value is a warning naming the variable, and changes nothing. */
	setenv("AMBT_SERVER", "gopher://old.example.org", 1);
	config_load_env(&cfg);
	assert_int_equal(cfg.n_warnings, 1);
	assert_non_null(strstr(cfg.warnings[0], "AMBT_SERVER: invalid server"));
	assert_string_equal(cfg.server, "https://env.example.org");
	clear_env();
	config_clear(&cfg);
}

static void
test_files(void **state)
{
	char dir[] = "/tmp/ambt-test-config-XXXXXX";
	struct ambt_error err = {0};
	struct config cfg;
	char *path, *missing, *cmd;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	config_init(&cfg);
	/* A missing file is no error. */
	missing = xasprintf("%s/none/config", dir);
	assert_int_equal(config_load_file(&cfg, missing, &err), 0);
	assert_null(cfg.server);
	assert_int_equal(cfg.n_warnings, 0);
	/* Warnings name the file. */
	path = xasprintf("%s/config", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("set server https://forum.example.org\nset bogus 1\n", f);
	fclose(f);
	assert_int_equal(config_load_file(&cfg, path, &err), 0);
	assert_string_equal(cfg.server, "https://forum.example.org");
	assert_int_equal(cfg.n_warnings, 1);
	cmd = xasprintf("%s:2: unknown setting 'bogus'", path);
	assert_string_equal(cfg.warnings[0], cmd);
	free(cmd);
	/* A path that exists but cannot be read is an error naming it. */
	assert_int_equal(config_load_file(&cfg, dir, &err), -1);
	assert_int_equal(err.kind, AMBT_E_IO);
	assert_non_null(strstr(err.msg, dir));
	config_clear(&cfg);
	cmd = xasprintf("rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	free(path);
	free(missing);
}

static void
test_default_path(void **state)
{
	char *path;

	(void)state;
	setenv("XDG_CONFIG_HOME", "/x/conf", 1);
	path = config_default_path();
	assert_string_equal(path, "/x/conf/ambt/config");
	free(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_good_file),
	    cmocka_unit_test(test_bad_lines),
	    cmocka_unit_test(test_quoting),
	    cmocka_unit_test(test_later_wins),
	    cmocka_unit_test(test_config_set),
	    cmocka_unit_test(test_settings_table),
	    cmocka_unit_test(test_env),
	    cmocka_unit_test(test_files),
	    cmocka_unit_test(test_default_path),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
