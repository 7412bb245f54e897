/*
 * keys.c: ambt keys: the keybinding table with the config's binds
 * applied, one "view<TAB>key<TAB>action<TAB>description" line per key,
 * for scripts and the man page's KEYS section.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ambt/i18n.h"
#include "ambt/keys.h"
#include "ambt/util.h"
#include "cli/cli.h"

static const unsigned views[] = {KV_GLOBAL,  KV_LIST,  KV_THREAD,
                                 KV_PROFILE, KV_EVENT, KV_HELP};

/* keys is "a, b, ,": split at ", " only, since "," is a key too. */
static void
print_keys(const char *view, const struct key_binding *b, const char *keys)
{
	while (keys[0] != '\0') {
		const char *sep = strstr(keys + 1, ", ");
		size_t n = sep ? (size_t)(sep - keys) : strlen(keys);

		printf("%s\t%.*s\t%s\t%s\n", view, (int)n, keys, b->name,
		       _(b->description));
		keys += sep ? n + 2 : n;
	}
}

static void
print_view(const struct keymap *km, unsigned view)
{
	for (size_t i = 0; i < key_n_bindings; i++) {
		char *keys = keymap_keys_in(km, view, key_bindings[i].action);

		print_keys(key_view_name(view), &key_bindings[i], keys);
		free(keys);
	}
}

int
cli_keys(struct cli *cli, int argc, char **argv)
{
	struct ambt_error err = {0};
	struct config cfg;
	struct keymap *km;
	char *path;
	int first;
	int rc = cli_parse(cli, cli_find_command("keys"), argc, argv, NULL,
	                   NULL, NULL, &first);

	if (rc != 0)
		return rc < 0 ? CLI_OK : rc;
	if (first < argc)
		return cli_usage_error("keys", _("keys: unexpected '%s'"),
		                       argv[first]);
	config_init(&cfg);
	path = config_default_path();
	if (!cli->no_config && config_load_file(&cfg, path, &err) < 0)
		fprintf(stderr, _("ambt: warning: %s\n"), err.msg);
	km = keymap_new(&cfg, &err);
	if (err.kind != AMBT_OK)
		fprintf(stderr, _("ambt: warning: %s\n"), err.msg);
	for (size_t i = 0; i < AMBT_ARRAY_LEN(views); i++)
		print_view(km, views[i]);
	keymap_free(km);
	config_clear(&cfg);
	free(path);
	return fflush(stdout) == 0 ? CLI_OK : CLI_FAIL;
}
