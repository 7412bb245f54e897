/*
 * test_theme_contrast.c: the WCAG 2 contrast ratio of every text colour
 * pair of the high-contrast, rijkshuisstijl and vlaanderen themes is at
 * least 4.5:1 (success criterion 1.4.3, AA for normal text).
 *
 * Colours are resolved as the TUI resolves them: #rrggbb as written, and
 * the 256-colour palette entry colors.c picks for it on a 256-colour
 * terminal (theme_nearest_color), both checked; a number is a palette
 * entry, taken with xterm's default RGB values (theme_palette_rgb). The
 * 16 system colours (names, 0-15) differ from one terminal to the next,
 * and "default" is whatever the terminal shows, so these themes use
 * neither: the test fails when they do. Terminals of 8 or 16 colours are
 * not checked: their palette is the user's.
 */
#include <config.h>

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include "ambt/theme.h"
#include "ambt/util.h"

#define MIN_RATIO 4.5

/* One sRGB channel (0-255) to linear light, as WCAG 2 defines it. */
static double
linear(unsigned v)
{
	double c = v / 255.0;

	return c <= 0.03928 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
}

static double
luminance(uint32_t rgb)
{
	return 0.2126 * linear(rgb >> 16 & 0xff) +
	       0.7152 * linear(rgb >> 8 & 0xff) + 0.0722 * linear(rgb & 0xff);
}

static double
contrast_ratio(uint32_t a, uint32_t b)
{
	double la = luminance(a), lb = luminance(b);

	return la > lb ? (la + 0.05) / (lb + 0.05) : (lb + 0.05) / (la + 0.05);
}

/* The colour as written; -1 for what the terminal decides. */
static long
exact_rgb(const struct theme_color *c)
{
	if (c->kind == TC_RGB)
		return (long)c->rgb;
	if (c->kind == TC_INDEX && c->index >= 16)
		return (long)theme_palette_rgb(c->index);
	return -1;
}

/* The colour a 256-colour terminal shows for it. */
static uint32_t
shown_rgb(const struct theme_color *c)
{
	return theme_palette_rgb(theme_nearest_color(c, 256));
}

static void
test_ratio(void **state)
{
	(void)state;
	/* The extremes, and WCAG's own examples around the AA limit. */
	assert_true(fabs(contrast_ratio(0xffffff, 0x000000) - 21.0) < 1e-9);
	assert_true(fabs(contrast_ratio(0x123456, 0x123456) - 1.0) < 1e-9);
	assert_true(contrast_ratio(0x767676, 0xffffff) >= MIN_RATIO);
	assert_true(contrast_ratio(0x777777, 0xffffff) < MIN_RATIO);
	assert_true(fabs(contrast_ratio(0x000000, 0xffe615) -
	                 contrast_ratio(0xffe615, 0x000000)) < 1e-12);
}

/* Every element: both colours fixed, not dimmed, at MIN_RATIO or more
 * as written and as shown. A failure names the theme and element. */
static int
check_theme(const char *name)
{
	char *path =
	    xasprintf("%s/themes/%s.theme",
	              getenv("top_srcdir") ? getenv("top_srcdir") : ".", name);
	struct theme t = {0};
	struct ambt_error err = {0};
	int bad = 0;

	assert_int_equal(theme_load_file(&t, path, &err), 0);
	assert_int_equal(t.n_warnings, 0);
	for (int e = 0; e < TE_COUNT; e++) {
		const struct theme_style *s = &t.styles[e];
		long fg = exact_rgb(&s->fg), bg = exact_rgb(&s->bg);
		double written =
		    fg < 0 || bg < 0
		        ? 0
		        : contrast_ratio((uint32_t)fg, (uint32_t)bg);
		double shown =
		    contrast_ratio(shown_rgb(&s->fg), shown_rgb(&s->bg));

		if (written < MIN_RATIO || shown < MIN_RATIO ||
		    (s->attrs & TA_DIM)) {
			print_error("%s: %s: %.2f:1 as written, %.2f:1 as "
			            "shown%s\n",
			            name, theme_element_name(e), written, shown,
			            s->attrs & TA_DIM ? ", dimmed" : "");
			bad++;
		}
	}
	theme_clear(&t);
	free(path);
	return bad;
}

static void
test_high_contrast(void **state)
{
	(void)state;
	assert_int_equal(check_theme("high-contrast"), 0);
}

static void
test_rijkshuisstijl(void **state)
{
	(void)state;
	assert_int_equal(check_theme("rijkshuisstijl"), 0);
}

static void
test_vlaanderen(void **state)
{
	(void)state;
	assert_int_equal(check_theme("vlaanderen"), 0);
}

/* The check can fail: a theme of low contrast is caught. */
static void
test_catches_low_contrast(void **state)
{
	struct theme t = {0};
	const struct theme_style *s;

	(void)state;
	theme_load_string(&t, "grey.theme", "normal #777777 #ffffff\n");
	s = &t.styles[TE_NORMAL];
	assert_true(contrast_ratio((uint32_t)exact_rgb(&s->fg),
	                           (uint32_t)exact_rgb(&s->bg)) < MIN_RATIO);
	assert_int_equal(exact_rgb(&t.styles[TE_TITLE].fg), -1);
	theme_clear(&t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_ratio),
	    cmocka_unit_test(test_high_contrast),
	    cmocka_unit_test(test_rijkshuisstijl),
	    cmocka_unit_test(test_vlaanderen),
	    cmocka_unit_test(test_catches_low_contrast),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
