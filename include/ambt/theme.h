/*
 * theme.h: colours and attributes per UI element, read from theme files.
 *
 * A theme file has one line per element: `element fg bg attrs...`, colours
 * by name (default, black, red, green, yellow, blue, magenta, cyan, white,
 * and bright variants "brightred"), by number 0-255, or as #rrggbb; attrs
 * are bold, underline, reverse, dim, italic, standout or none. Lines
 * starting with # are comments. Themes are found by name in
 * $XDG_CONFIG_HOME/ambt/themes/NAME.theme, then in the installed
 * themes directory. No ncurses here: the TUI maps these to colour pairs,
 * picking the nearest colour the terminal has (theme_nearest_color).
 */
#ifndef AMBT_THEME_H
#define AMBT_THEME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ambt/error.h"

enum theme_element {
	TE_NORMAL,
	TE_TITLE,  /* the header bar */
	TE_STATUS, /* the status line */
	TE_STATUS_ERROR,
	TE_SELECTED, /* the cursor line in lists */
	TE_UNREAD,   /* unread counts and topics with unread posts */
	TE_NEW,
	TE_DIM, /* dates, counts, secondary text */
	TE_CATEGORY,
	TE_AUTHOR,
	TE_POST_HEADER,
	TE_QUOTE,
	TE_QUOTE_HEAD,
	TE_CODE,
	TE_LINK,
	TE_LINK_NUM,
	TE_MENTION,
	TE_HEADING,
	TE_MARKER,
	TE_IMAGE,
	TE_EVENT,
	TE_OFFLINE,
	TE_COUNT
};

enum theme_attr {
	TA_BOLD = 1 << 0,
	TA_UNDERLINE = 1 << 1,
	TA_REVERSE = 1 << 2,
	TA_DIM = 1 << 3,
	TA_ITALIC = 1 << 4,
	TA_STANDOUT = 1 << 5,
};

enum theme_color_kind {
	TC_DEFAULT,
	TC_INDEX, /* 0-255 */
	TC_RGB,
};

struct theme_color {
	enum theme_color_kind kind;
	int index;    /* TC_INDEX */
	uint32_t rgb; /* TC_RGB: 0xRRGGBB */
};

struct theme_style {
	struct theme_color fg;
	struct theme_color bg;
	unsigned attrs; /* enum theme_attr bits */
};

struct theme {
	char *name;
	struct theme_style styles[TE_COUNT];
	char **warnings; /* "dark.theme:4: unknown colour 'purpel'" */
	size_t n_warnings;
};

/* Element names as theme files spell them ("status_error"). */
const char *theme_element_name(enum theme_element);
/* The built-in mono theme: attributes only, for NO_COLOR and vt100. */
void theme_init_mono(struct theme *);
void theme_clear(struct theme *);
/* Parse theme text over what *t holds (elements not named keep theirs). */
void theme_load_string(struct theme *, const char *name, const char *text);
int theme_load_file(struct theme *, const char *path, struct ambt_error *);
/*
 * Find NAME.theme in the user's and the installed theme directories. A
 * file with bad lines is not half applied: the default theme is loaded
 * instead, its warnings kept ("x.theme:4: unknown colour 'purpel'") with
 * one more saying so. An unknown name's error lists the themes found.
 */
int theme_load_named(struct theme *, const char *name, struct ambt_error *);
/* The names of the themes found (the built-in default always), sorted;
 * free with theme_names_free. */
char **theme_names(size_t *n);
void theme_names_free(char **names, size_t n);
/* A palette entry's colour (0-255) as an xterm shows it by default: the
 * 16 system colours, the 6x6x6 cube and 24 greys. */
uint32_t theme_palette_rgb(int index);
/* The nearest colour index among the first n_colors (8, 16 or 256). */
int theme_nearest_color(const struct theme_color *, int n_colors);

#endif
