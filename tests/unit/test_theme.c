/* test_theme.c: theme files, the mono theme and the nearest colour. */
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

#include "ambt/theme.h"
#include "ambt/util.h"

static void
test_parse(void **state)
{
	struct theme t = {0};

	(void)state;
	theme_load_string(&t, "x.theme",
	                  "# a comment\n"
	                  "\n"
	                  "title  white  blue  bold underline\n"
	                  "  status 244 default   # a comment after\n"
	                  "link #00AaFf default none\n"
	                  "quote brightred 0 italic dim reverse standout\n");
	assert_int_equal(t.n_warnings, 0);
	assert_string_equal(t.name, "x.theme");
	assert_int_equal(t.styles[TE_TITLE].fg.kind, TC_INDEX);
	assert_int_equal(t.styles[TE_TITLE].fg.index, 7);
	assert_int_equal(t.styles[TE_TITLE].bg.index, 4);
	assert_int_equal(t.styles[TE_TITLE].attrs, TA_BOLD | TA_UNDERLINE);
	assert_int_equal(t.styles[TE_STATUS].fg.index, 244);
	assert_int_equal(t.styles[TE_STATUS].bg.kind, TC_DEFAULT);
	assert_int_equal(t.styles[TE_LINK].fg.kind, TC_RGB);
	assert_int_equal(t.styles[TE_LINK].fg.rgb, 0x00aaff);
	assert_int_equal(t.styles[TE_LINK].attrs, 0);
	assert_int_equal(t.styles[TE_QUOTE].fg.index, 9);
	assert_int_equal(t.styles[TE_QUOTE].bg.index, 0);
	assert_int_equal(t.styles[TE_QUOTE].attrs,
	                 TA_ITALIC | TA_DIM | TA_REVERSE | TA_STANDOUT);
	/* Not named: untouched. */
	assert_int_equal(t.styles[TE_CODE].fg.kind, TC_DEFAULT);
	theme_clear(&t);
}

static void
test_bad_lines(void **state)
{
	struct theme t = {0};

	(void)state;
	theme_init_mono(&t);
	theme_load_string(&t, "bad.theme",
	                  "titel white blue\n"
	                  "status purpel default\n"
	                  "selected 256 default\n"
	                  "code #12345 default\n"
	                  "link blue default blink\n"
	                  "unread red\n"
	                  "new green default bold\n");
	assert_int_equal(t.n_warnings, 6);
	assert_string_equal(t.warnings[0],
	                    "bad.theme:1: unknown element 'titel'");
	assert_string_equal(t.warnings[1],
	                    "bad.theme:2: unknown colour 'purpel'");
	assert_string_equal(t.warnings[2], "bad.theme:3: unknown colour '256'");
	assert_string_equal(t.warnings[3],
	                    "bad.theme:4: unknown colour '#12345'");
	assert_string_equal(t.warnings[4],
	                    "bad.theme:5: unknown attribute 'blink'");
	assert_non_null(strstr(t.warnings[5], "bad.theme:6:"));
	/* A bad line changes nothing; the good one applies. */
	assert_int_equal(t.styles[TE_STATUS].attrs, TA_REVERSE);
	assert_int_equal(t.styles[TE_SELECTED].attrs, TA_REVERSE);
	assert_int_equal(t.styles[TE_LINK].attrs, TA_UNDERLINE);
	assert_int_equal(t.styles[TE_NEW].fg.index, 2);
	theme_clear(&t);
}

static void
test_mono(void **state)
{
	struct theme t = {0};

	(void)state;
	theme_init_mono(&t);
	for (int e = 0; e < TE_COUNT; e++) {
		assert_int_equal(t.styles[e].fg.kind, TC_DEFAULT);
		assert_int_equal(t.styles[e].bg.kind, TC_DEFAULT);
		assert_non_null(theme_element_name(e));
	}
	assert_true(t.styles[TE_SELECTED].attrs & TA_REVERSE);
	assert_string_equal(theme_element_name(TE_STATUS_ERROR),
	                    "status_error");
	theme_clear(&t);
}

static void
test_nearest(void **state)
{
	struct theme_color c = {.kind = TC_RGB, .rgb = 0xff0000};

	(void)state;
	assert_int_equal(theme_nearest_color(&c, 256), 196);
	assert_int_equal(theme_nearest_color(&c, 16), 9);
	assert_int_equal(theme_nearest_color(&c, 8), 1);
	c.rgb = 0x808080;
	assert_int_equal(theme_nearest_color(&c, 256), 244);
	assert_int_equal(theme_nearest_color(&c, 16), 8);
	c.rgb = 0x0a0a0a; /* a grey, near black */
	assert_int_equal(theme_nearest_color(&c, 8), 0);
	assert_int_equal(theme_nearest_color(&c, 256), 232);
	/* An index the terminal has is kept; one it lacks is mapped. */
	c = (struct theme_color){.kind = TC_INDEX, .index = 12};
	assert_int_equal(theme_nearest_color(&c, 16), 12);
	assert_int_equal(theme_nearest_color(&c, 8), 4);
	c.index = 196;
	assert_int_equal(theme_nearest_color(&c, 256), 196);
	assert_int_equal(theme_nearest_color(&c, 16), 9);
	c.index = 244;
	assert_int_equal(theme_nearest_color(&c, 8), 7);
	c.kind = TC_DEFAULT;
	assert_int_equal(theme_nearest_color(&c, 256), -1);
}

static void
test_shipped_themes(void **state)
{
	static const char *const names[] = {"default", "light", "dark", "mono"};
	char *dir = xasprintf(
	    "%s/themes", getenv("top_srcdir") ? getenv("top_srcdir") : ".");

	(void)state;
	setenv("AMBT_THEMES_DIR", dir, 1);
	setenv("XDG_CONFIG_HOME", "/nonexistent", 1);
	for (size_t i = 0; i < AMBT_ARRAY_LEN(names); i++) {
		struct theme t = {0};
		struct ambt_error err = {0};

		assert_int_equal(theme_load_named(&t, names[i], &err), 0);
		assert_int_equal(t.n_warnings, 0);
		assert_string_equal(t.name, names[i]);
		theme_clear(&t);
	}
	{
		struct theme t = {0};
		struct ambt_error err = {0};

		assert_int_equal(theme_load_named(&t, "nope", &err), -1);
		assert_non_null(strstr(err.msg, "no theme 'nope'"));
		assert_int_equal(theme_load_named(&t, "../x", &err), -1);
		theme_clear(&t);
	}
	free(dir);
}

static void
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

/* $XDG_CONFIG_HOME/ambt/themes/ comes first: a theme of the user's own,
 * and one named like a shipped theme that wins over it. */
static void
test_user_themes(void **state)
{
	char tmpl[] = "/tmp/ambt-theme-XXXXXX";
	char *base = mkdtemp(tmpl), *dirs[3], *mine, *dark;
	struct theme t = {0};
	struct ambt_error err = {0};

	(void)state;
	assert_non_null(base);
	dirs[0] = xasprintf("%s/ambt", base);
	dirs[1] = xasprintf("%s/ambt/themes", base);
	dirs[2] = NULL;
	for (size_t i = 0; dirs[i] != NULL; i++)
		assert_int_equal(mkdir(dirs[i], 0700), 0);
	mine = xasprintf("%s/mine.theme", dirs[1]);
	dark = xasprintf("%s/dark.theme", dirs[1]);
	write_file(mine, "title #123456 default bold\n");
	write_file(dark, "title 202 default none\n");
	setenv("XDG_CONFIG_HOME", base, 1);
	assert_int_equal(theme_load_named(&t, "mine", &err), 0);
	assert_int_equal(t.styles[TE_TITLE].fg.kind, TC_RGB);
	assert_int_equal(t.styles[TE_TITLE].fg.rgb, 0x123456);
	theme_clear(&t);
	memset(&t, 0, sizeof t);
	assert_int_equal(theme_load_named(&t, "dark", &err), 0);
	assert_int_equal(t.styles[TE_TITLE].fg.kind, TC_INDEX);
	assert_int_equal(t.styles[TE_TITLE].fg.index, 202);
	theme_clear(&t);
	unlink(mine);
	unlink(dark);
	rmdir(dirs[1]);
	rmdir(dirs[0]);
	rmdir(base);
	free(mine);
	free(dark);
	free(dirs[0]);
	free(dirs[1]);
}

/* Without any themes directory "default" is the built-in copy of
 * themes/default.theme: the same styles. */
static void
test_builtin_default(void **state)
{
	struct theme file = {0}, builtin = {0};
	struct ambt_error err = {0};
	char *path =
	    xasprintf("%s/themes/default.theme",
	              getenv("top_srcdir") ? getenv("top_srcdir") : ".");

	(void)state;
	assert_int_equal(theme_load_file(&file, path, &err), 0);
	setenv("AMBT_THEMES_DIR", "/nonexistent", 1);
	setenv("XDG_CONFIG_HOME", "/nonexistent", 1);
	assert_int_equal(theme_load_named(&builtin, "default", &err), 0);
	assert_int_equal(builtin.n_warnings, 0);
	assert_memory_equal(builtin.styles, file.styles, sizeof file.styles);
	theme_clear(&file);
	theme_clear(&builtin);
	free(path);
}

/* A file with a bad line gives way to the default theme, and the warning
 * names its file and line; an unknown name lists the themes found. */
static void
test_broken_falls_back(void **state)
{
	char tmpl[] = "/tmp/ambt-theme-XXXXXX";
	char *base = mkdtemp(tmpl), *dir, *themes, *broken;
	struct theme t = {0}, def = {0};
	struct ambt_error err = {0};

	(void)state;
	assert_non_null(base);
	dir = xasprintf("%s/ambt", base);
	themes = xasprintf("%s/ambt/themes", base);
	broken = xasprintf("%s/broken.theme", themes);
	assert_int_equal(mkdir(dir, 0700), 0);
	assert_int_equal(mkdir(themes, 0700), 0);
	write_file(broken, "# mine\ntitle white blue bold\nnew purpel "
	                   "default\n");
	setenv("XDG_CONFIG_HOME", base, 1);
	setenv("AMBT_THEMES_DIR", "/nonexistent", 1);
	theme_init_mono(&t);
	assert_int_equal(theme_load_named(&t, "broken", &err), 0);
	assert_string_equal(t.name, "default");
	assert_int_equal(t.n_warnings, 2);
	assert_string_equal(t.warnings[0],
	                    "broken.theme:3: unknown colour 'purpel'");
	assert_non_null(strstr(t.warnings[1], "'broken'"));
	assert_int_equal(theme_load_named(&def, "default", &err), 0);
	assert_memory_equal(t.styles, def.styles, sizeof def.styles);
	theme_clear(&t);
	theme_clear(&def);
	unlink(broken);
	rmdir(themes);
	rmdir(dir);
	rmdir(base);
	free(broken);
	free(themes);
	free(dir);
}

static void
test_names(void **state)
{
	char *dir = xasprintf(
	    "%s/themes", getenv("top_srcdir") ? getenv("top_srcdir") : ".");
	struct theme t = {0};
	struct ambt_error err = {0};
	size_t n;
	char **names;

	(void)state;
	setenv("XDG_CONFIG_HOME", "/nonexistent", 1);
	setenv("AMBT_THEMES_DIR", dir, 1);
	names = theme_names(&n);
	assert_int_equal(n, 7);
	assert_string_equal(names[0], "dark");
	assert_string_equal(names[1], "default");
	assert_string_equal(names[2], "high-contrast");
	assert_string_equal(names[6], "vlaanderen");
	theme_names_free(names, n);
	assert_int_equal(theme_load_named(&t, "rijkshuisstijl", &err), 0);
	assert_int_equal(t.n_warnings, 0);
	assert_int_equal(theme_load_named(&t, "nosuch", &err), -1);
	assert_int_equal(err.kind, AMBT_E_USAGE);
	assert_non_null(strstr(err.msg, "'nosuch'"));
	assert_non_null(strstr(err.msg, "high-contrast, light, mono"));
	theme_clear(&t);
	free(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse),
	    cmocka_unit_test(test_bad_lines),
	    cmocka_unit_test(test_mono),
	    cmocka_unit_test(test_nearest),
	    cmocka_unit_test(test_shipped_themes),
	    cmocka_unit_test(test_builtin_default),
	    cmocka_unit_test(test_user_themes),
	    cmocka_unit_test(test_broken_falls_back),
	    cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
