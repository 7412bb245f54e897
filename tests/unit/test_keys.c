/* test_keys.c: the binding table, bind lines and the live keymap. */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ambt/config.h"
#include "ambt/keys.h"
#include "ambt/util.h"

static struct keymap *
keymap_from(const char *text, struct ambt_error *err)
{
	struct config cfg;
	struct keymap *km;

	config_init(&cfg);
	config_load_string(&cfg, "config", text);
	km = keymap_new(&cfg, err);
	config_clear(&cfg);
	return km;
}

static void
test_table_complete(void **state)
{
	(void)state;
	/* Every action but ACT_NONE has one entry, a name and a key. */
	for (int a = ACT_NONE + 1; a < ACT_COUNT; a++) {
		const struct key_binding *b = key_binding_by_action(a);

		assert_non_null(b);
		assert_ptr_equal(key_binding_by_name(b->name), b);
		assert_non_null(b->keys[0]);
		assert_non_null(b->description);
		assert_true(b->views != 0);
		for (size_t k = 0; k < AMBT_ARRAY_LEN(b->keys) && b->keys[k];
		     k++)
			assert_true(key_name_valid(b->keys[k]));
	}
	assert_int_equal(key_n_bindings, ACT_COUNT - 1);
}

static void
test_defaults(void **state)
{
	struct ambt_error err = {0};
	struct keymap *km = keymap_from("", &err);

	(void)state;
	assert_int_equal(err.kind, AMBT_OK);
	assert_int_equal(keymap_lookup(km, KV_LIST, "j"), ACT_DOWN);
	assert_int_equal(keymap_lookup(km, KV_LIST, "Down"), ACT_DOWN);
	assert_int_equal(keymap_lookup(km, KV_THREAD, "k"), ACT_UP);
	assert_int_equal(keymap_lookup(km, KV_LIST, "Space"), ACT_PAGE_DOWN);
	assert_int_equal(keymap_lookup(km, KV_LIST, "PageUp"), ACT_PAGE_UP);
	assert_int_equal(keymap_lookup(km, KV_LIST, "b"), ACT_PAGE_UP);
	assert_int_equal(keymap_lookup(km, KV_LIST, "g"), ACT_TOP);
	assert_int_equal(keymap_lookup(km, KV_LIST, "G"), ACT_BOTTOM);
	assert_int_equal(keymap_lookup(km, KV_LIST, "Enter"), ACT_SELECT);
	assert_int_equal(keymap_lookup(km, KV_HELP, "q"), ACT_BACK);
	assert_int_equal(keymap_lookup(km, KV_LIST, "/"), ACT_SEARCH);
	assert_int_equal(keymap_lookup(km, KV_LIST, "n"), ACT_SEARCH_NEXT);
	assert_int_equal(keymap_lookup(km, KV_LIST, "?"), ACT_HELP);
	assert_int_equal(keymap_lookup(km, KV_LIST, "3"), ACT_GO_CATEGORIES);
	assert_int_equal(keymap_lookup(km, KV_THREAD, "Tab"), ACT_NEXT_UNREAD);
	assert_int_equal(keymap_lookup(km, KV_EVENT, "e"), ACT_EXPORT_ICS);
	assert_int_equal(keymap_lookup(km, KV_LIST, "L"), ACT_LOGIN);
	assert_int_equal(keymap_lookup(km, KV_THREAD, "L"), ACT_LOGIN);
	/* A thread key does nothing in the profile view. */
	assert_int_equal(keymap_lookup(km, KV_PROFILE, "t"), ACT_NONE);
	assert_int_equal(keymap_lookup(km, KV_LIST, "F12"), ACT_NONE);
	assert_int_equal(keymap_lookup(km, KV_LIST, NULL), ACT_NONE);
	keymap_free(km);
}

static void
test_bind_overrides(void **state)
{
	struct ambt_error err = {0};
	struct keymap *km = keymap_from("bind thread n next-unread\n"
	                                "bind global x quit\n"
	                                "bind list j noop\n"
	                                "bind list ^R refresh\n",
	                                &err);
	char *keys;

	(void)state;
	assert_int_equal(err.kind, AMBT_OK);
	/* The view's bind shadows the global n only there. */
	assert_int_equal(keymap_lookup(km, KV_THREAD, "n"), ACT_NEXT_UNREAD);
	assert_int_equal(keymap_lookup(km, KV_LIST, "n"), ACT_SEARCH_NEXT);
	assert_int_equal(keymap_lookup(km, KV_PROFILE, "x"), ACT_QUIT);
	/* noop unbinds; Down still moves. */
	assert_int_equal(keymap_lookup(km, KV_LIST, "j"), ACT_NONE);
	assert_int_equal(keymap_lookup(km, KV_THREAD, "j"), ACT_DOWN);
	assert_int_equal(keymap_lookup(km, KV_LIST, "C-r"), ACT_REFRESH);
	/* Help lists what the keys really do. */
	keys = keymap_keys_for(km, KV_LIST, ACT_DOWN);
	assert_string_equal(keys, "Down, C-n");
	free(keys);
	keys = keymap_keys_for(km, KV_THREAD, ACT_NEXT_UNREAD);
	assert_string_equal(keys, "n, Tab");
	free(keys);
	keys = keymap_keys_for(km, KV_THREAD, ACT_SEARCH_NEXT);
	assert_string_equal(keys, "");
	free(keys);
	keys = keymap_keys_for(km, KV_PROFILE, ACT_QUIT);
	assert_string_equal(keys, "x, Q");
	free(keys);
	/* In lists x is the view's own (an RSVP): the global bind is not. */
	keys = keymap_keys_for(km, KV_LIST, ACT_QUIT);
	assert_string_equal(keys, "Q");
	free(keys);
	/* ambt keys: a view's own keys, not the inherited ones. */
	keys = keymap_keys_in(km, KV_LIST, ACT_REFRESH);
	assert_string_equal(keys, "C-r");
	free(keys);
	keys = keymap_keys_in(km, KV_GLOBAL, ACT_REFRESH);
	assert_string_equal(keys, "R, F5, C-r");
	free(keys);
	keymap_free(km);
}

/* In a thread R quotes and b bookmarks, so refresh and page up have
 * other keys there; the lists keep R and b, and help says what is true. */
static void
test_thread_write_keys(void **state)
{
	struct ambt_error err = {0};
	struct keymap *km = keymap_from("", &err);
	char *keys;

	(void)state;
	assert_int_equal(keymap_lookup(km, KV_THREAD, "R"), ACT_REPLY_QUOTE);
	assert_int_equal(keymap_lookup(km, KV_THREAD, "F"), ACT_REPLY_QUOTE);
	assert_int_equal(keymap_lookup(km, KV_THREAD, "b"), ACT_BOOKMARK);
	assert_int_equal(keymap_lookup(km, KV_THREAD, "B"), ACT_BOOKMARK);
	assert_int_equal(keymap_lookup(km, KV_THREAD, "!"), ACT_FLAG);
	assert_int_equal(keymap_lookup(km, KV_LIST, "R"), ACT_REFRESH);
	assert_int_equal(keymap_lookup(km, KV_LIST, "b"), ACT_PAGE_UP);
	keys = keymap_keys_for(km, KV_THREAD, ACT_REFRESH);
	assert_string_equal(keys, "F5, C-r");
	free(keys);
	keys = keymap_keys_for(km, KV_THREAD, ACT_PAGE_UP);
	assert_string_equal(keys, "PageUp, C-b, -");
	free(keys);
	keys = keymap_keys_for(km, KV_LIST, ACT_REFRESH);
	assert_string_equal(keys, "R, F5, C-r");
	free(keys);
	keymap_free(km);
}

static void
test_bind_errors(void **state)
{
	struct ambt_error err = {0};
	struct keymap *km = keymap_from("bind thraed j down\n"
	                                "bind list Ctrl-x down\n"
	                                "bind list x dwon\n"
	                                "bind list y up\n",
	                                &err);

	(void)state;
	assert_int_equal(err.kind, AMBT_E_USAGE);
	assert_non_null(strstr(err.msg, "unknown view 'thraed'"));
	assert_non_null(strstr(err.msg, "unknown key 'Ctrl-x'"));
	assert_non_null(strstr(err.msg, "unknown action 'dwon'"));
	/* The good line still applies. */
	assert_int_equal(keymap_lookup(km, KV_LIST, "y"), ACT_UP);
	assert_int_equal(keymap_lookup(km, KV_LIST, "x"), ACT_RSVP_NOT_GOING);
	keymap_free(km);
}

static void
test_key_names(void **state)
{
	static const char *const good[] = {
	    "j",   "G",   "?",        "Space", "Enter",
	    "Tab", "Esc", "PageDown", "Home",  "F1",
	    "F12", "C-f", "^F",       "é",     "Backspace"};
	static const char *const bad[] = {
	    "",  "jj", "F0",   "F13", "C-", "C-F1", "Pagedown",
	    " ", "\t", "\x1b", "F1x", "^1", "^RR"};

	(void)state;
	for (size_t i = 0; i < AMBT_ARRAY_LEN(good); i++)
		assert_true(key_name_valid(good[i]));
	for (size_t i = 0; i < AMBT_ARRAY_LEN(bad); i++)
		assert_false(key_name_valid(bad[i]));
	assert_false(key_name_valid(NULL));
	assert_int_equal(key_view_parse("thread"), KV_THREAD);
	assert_int_equal(key_view_parse("threads"), 0);
	assert_string_equal(key_view_name(KV_EVENT), "event");
	assert_null(key_view_name(3));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_table_complete),
	    cmocka_unit_test(test_defaults),
	    cmocka_unit_test(test_bind_overrides),
	    cmocka_unit_test(test_thread_write_keys),
	    cmocka_unit_test(test_bind_errors),
	    cmocka_unit_test(test_key_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
