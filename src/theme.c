/*
 * theme.c: theme files (format in include/ambt/theme.h), the built-in
 * mono theme, and the nearest colour of a palette of 8, 16 or 256.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "ambt/i18n.h"
#include "ambt/theme.h"
#include "ambt/util.h"

static const char *const element_names[TE_COUNT] = {
    [TE_NORMAL] = "normal",
    [TE_TITLE] = "title",
    [TE_STATUS] = "status",
    [TE_STATUS_ERROR] = "status_error",
    [TE_SELECTED] = "selected",
    [TE_UNREAD] = "unread",
    [TE_NEW] = "new",
    [TE_DIM] = "dim",
    [TE_CATEGORY] = "category",
    [TE_AUTHOR] = "author",
    [TE_POST_HEADER] = "post_header",
    [TE_QUOTE] = "quote",
    [TE_QUOTE_HEAD] = "quote_head",
    [TE_CODE] = "code",
    [TE_LINK] = "link",
    [TE_LINK_NUM] = "link_num",
    [TE_MENTION] = "mention",
    [TE_HEADING] = "heading",
    [TE_MARKER] = "marker",
    [TE_IMAGE] = "image",
    [TE_EVENT] = "event",
    [TE_OFFLINE] = "offline",
};

static const char *const color_names[8] = {
    "black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
};

static const struct {
	const char *name;
	unsigned bit;
} attr_names[] = {
    {"bold", TA_BOLD}, {"underline", TA_UNDERLINE}, {"reverse", TA_REVERSE},
    {"dim", TA_DIM},   {"italic", TA_ITALIC},       {"standout", TA_STANDOUT},
    {"none", 0},
};

const char *
theme_element_name(enum theme_element e)
{
	return e < TE_COUNT ? element_names[e] : NULL;
}

void
theme_clear(struct theme *t)
{
	free(t->name);
	for (size_t i = 0; i < t->n_warnings; i++)
		free(t->warnings[i]);
	free(t->warnings);
	memset(t, 0, sizeof *t);
}

void
theme_init_mono(struct theme *t)
{
	static const struct {
		enum theme_element e;
		unsigned attrs;
	} mono[] = {
	    {TE_TITLE, TA_REVERSE | TA_BOLD},
	    {TE_STATUS, TA_REVERSE},
	    {TE_STATUS_ERROR, TA_REVERSE | TA_BOLD},
	    {TE_SELECTED, TA_REVERSE},
	    {TE_UNREAD, TA_BOLD},
	    {TE_NEW, TA_BOLD},
	    {TE_AUTHOR, TA_BOLD},
	    {TE_POST_HEADER, TA_BOLD},
	    {TE_QUOTE_HEAD, TA_BOLD},
	    {TE_LINK, TA_UNDERLINE},
	    {TE_MENTION, TA_BOLD},
	    {TE_HEADING, TA_BOLD | TA_UNDERLINE},
	    {TE_EVENT, TA_BOLD},
	    {TE_OFFLINE, TA_REVERSE | TA_BOLD},
	};

	theme_clear(t);
	t->name = xstrdup("mono");
	for (size_t i = 0; i < AMBT_ARRAY_LEN(mono); i++)
		t->styles[mono[i].e].attrs = mono[i].attrs;
}

static void
warn(struct theme *t, const char *name, int line, const char *what,
     const char *word)
{
	t->warnings =
	    xreallocarray(t->warnings, t->n_warnings + 1, sizeof *t->warnings);
	t->warnings[t->n_warnings++] =
	    xasprintf("%s:%d: %s '%s'", name, line, what, word);
}

static int
parse_hex_rgb(const char *s, struct theme_color *c)
{
	uint32_t v = 0;

	if (strlen(s) != 7)
		return -1;
	for (int i = 1; i < 7; i++) {
		char ch = s[i];
		int d;

		if (ch >= '0' && ch <= '9')
			d = ch - '0';
		else if (ch >= 'a' && ch <= 'f')
			d = ch - 'a' + 10;
		else if (ch >= 'A' && ch <= 'F')
			d = ch - 'A' + 10;
		else
			return -1;
		v = v << 4 | (uint32_t)d;
	}
	c->kind = TC_RGB;
	c->rgb = v;
	return 0;
}

static int
parse_number(const char *s, struct theme_color *c)
{
	char *end;
	long n;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	n = strtol(s, &end, 10);
	if (*end != '\0' || errno != 0 || n > 255)
		return -1;
	c->kind = TC_INDEX;
	c->index = (int)n;
	return 0;
}

/* "default", a name ("red", "brightred"), 0-255 or #rrggbb. */
static int
parse_color(const char *s, struct theme_color *c)
{
	int bright = strncasecmp(s, "bright", 6) == 0 ? 8 : 0;

	memset(c, 0, sizeof *c);
	if (strcasecmp(s, "default") == 0)
		return 0;
	if (s[0] == '#')
		return parse_hex_rgb(s, c);
	if (parse_number(s, c) == 0)
		return 0;
	for (int i = 0; i < 8; i++) {
		if (strcasecmp(s + (bright ? 6 : 0), color_names[i]) == 0) {
			c->kind = TC_INDEX;
			c->index = i + bright;
			return 0;
		}
	}
	return -1;
}

static int
parse_attr(const char *s, unsigned *attrs)
{
	for (size_t i = 0; i < AMBT_ARRAY_LEN(attr_names); i++) {
		if (strcasecmp(s, attr_names[i].name) == 0) {
			*attrs |= attr_names[i].bit;
			return 0;
		}
	}
	return -1;
}

static int
find_element(const char *s)
{
	for (int i = 0; i < TE_COUNT; i++) {
		if (strcmp(element_names[i], s) == 0)
			return i;
	}
	return -1;
}

/* One line, already split into words; the style changes only when the
 * whole line is good, so a typo never half-applies. */
static void
parse_line(struct theme *t, const char *name, int lineno, char **w, int n)
{
	struct theme_style style = {0};
	int e = find_element(w[0]);

	if (e < 0) {
		warn(t, name, lineno, "unknown element", w[0]);
		return;
	}
	if (n < 3) {
		warn(t, name, lineno,
		     "a foreground and a background are needed for", w[0]);
		return;
	}
	for (int i = 1; i < 3; i++) {
		if (parse_color(w[i], i == 1 ? &style.fg : &style.bg) < 0) {
			warn(t, name, lineno, "unknown colour", w[i]);
			return;
		}
	}
	for (int i = 3; i < n; i++) {
		if (parse_attr(w[i], &style.attrs) < 0) {
			warn(t, name, lineno, "unknown attribute", w[i]);
			return;
		}
	}
	t->styles[e] = style;
}

#define MAX_WORDS 12

/* '#' starts a comment, except where a colour goes (#rrggbb). */
static bool
starts_comment(const char *word, int position)
{
	if (word[0] != '#')
		return false;
	return position == 0 || position >= 3 || word[1] == '\0';
}

void
theme_load_string(struct theme *t, const char *name, const char *text)
{
	char *copy = xstrdup(text ? text : "");
	char *line, *save = NULL;
	int lineno = 0;

	if (name != NULL) {
		free(t->name);
		t->name = xstrdup(name);
	}
	/* strtok_r would skip empty lines and miscount; split by hand. */
	for (line = copy; line != NULL; line = save) {
		char *words[MAX_WORDS], *wsave = NULL, *word;
		int n = 0;

		save = strchr(line, '\n');
		if (save != NULL)
			*save++ = '\0';
		lineno++;
		for (word = strtok_r(line, " \t\r", &wsave);
		     word != NULL && !starts_comment(word, n) && n < MAX_WORDS;
		     word = strtok_r(NULL, " \t\r", &wsave))
			words[n++] = word;
		if (n > 0)
			parse_line(t, name ? name : "theme", lineno, words, n);
	}
	free(copy);
}

int
theme_load_file(struct theme *t, const char *path, struct ambt_error *err)
{
	FILE *f = fopen(path, "r");
	struct buf text;
	char chunk[4096];
	size_t n;
	const char *base = strrchr(path, '/');

	if (f == NULL)
		return ambt_error_set(err, AMBT_E_IO, _("cannot read %s: %s"),
		                      path, strerror(errno));
	buf_init(&text);
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_append(&text, chunk, n);
	fclose(f);
	theme_load_string(t, base ? base + 1 : path, text.data);
	buf_free(&text);
	return 0;
}

/* themes/default.theme, for a binary run where no themes directory is
 * (a build tree): the default always works. test_theme checks that the
 * two agree. */
static const char builtin_default[] = "normal default default\n"
                                      "title white blue bold\n"
                                      "status black cyan\n"
                                      "status_error white red bold\n"
                                      "selected black cyan\n"
                                      "unread default default bold\n"
                                      "new green default bold\n"
                                      "dim brightblack default\n"
                                      "category cyan default\n"
                                      "author yellow default bold\n"
                                      "post_header default default bold\n"
                                      "quote brightblack default\n"
                                      "quote_head cyan default\n"
                                      "code green default\n"
                                      "link blue default underline\n"
                                      "link_num brightblack default\n"
                                      "mention yellow default\n"
                                      "heading default default bold underline\n"
                                      "marker brightblack default\n"
                                      "image magenta default\n"
                                      "event magenta default bold\n"
                                      "offline black yellow bold\n";

/* Where themes are looked for, in order; NULL entries are skipped. */
#define THEME_DIRS 4

static void
theme_dirs(char *dirs[THEME_DIRS])
{
	const char *env = getenv("AMBT_THEMES_DIR");
	char *config = xdg_config_dir();
	char *exe = exe_dir();

	dirs[0] = xasprintf("%s/themes", config);
	dirs[1] = env && env[0] ? xstrdup(env) : NULL;
	dirs[2] = xstrdup(AMBT_DATADIR "/themes");
	dirs[3] = exe ? xasprintf("%s/themes", exe) : NULL;
	free(config);
	free(exe);
}

/* NAME.theme from the first directory that has it; -1 when none does. */
static int
load_from_dirs(struct theme *t, const char *name, struct ambt_error *err)
{
	char *dirs[THEME_DIRS];
	int rc = -1;

	theme_dirs(dirs);
	for (size_t i = 0; i < THEME_DIRS; i++) {
		char *path;

		if (rc == 0 || dirs[i] == NULL)
			continue;
		path = xasprintf("%s/%s.theme", dirs[i], name);
		if (access(path, R_OK) == 0)
			rc = theme_load_file(t, path, err);
		free(path);
	}
	for (size_t i = 0; i < THEME_DIRS; i++)
		free(dirs[i]);
	return rc;
}

static void
load_default(struct theme *t)
{
	struct ambt_error ignored = {0};

	if (load_from_dirs(t, "default", &ignored) < 0 || t->n_warnings > 0)
		theme_load_string(t, "default", builtin_default);
}

/* A theme with bad lines gives way to the default; its warnings stay, so
 * the status line can name the file and line. */
static void
fall_back(struct theme *t, const char *name)
{
	char **warnings = t->warnings;
	size_t n = t->n_warnings;

	t->warnings = NULL;
	t->n_warnings = 0;
	memset(t->styles, 0, sizeof t->styles);
	load_default(t);
	for (size_t i = 0; i < t->n_warnings; i++)
		free(t->warnings[i]);
	warnings = xreallocarray(warnings, n + 1, sizeof *warnings);
	warnings[n++] =
	    xasprintf(_("theme '%s' not used: the default instead"), name);
	free(t->warnings);
	t->warnings = warnings;
	t->n_warnings = n;
}

static int
unknown_theme(const char *name, struct ambt_error *err)
{
	size_t n;
	char **names = theme_names(&n);
	struct buf list;

	buf_init(&list);
	for (size_t i = 0; i < n; i++)
		buf_printf(&list, "%s%s", i ? ", " : "", names[i]);
	theme_names_free(names, n);
	ambt_error_set(err, AMBT_E_USAGE, _("no theme '%s'; themes: %s"), name,
	               list.data);
	buf_free(&list);
	return -1;
}

int
theme_load_named(struct theme *t, const char *name, struct ambt_error *err)
{
	size_t before = t->n_warnings;

	if (name == NULL || name[0] == '\0' || strchr(name, '/') != NULL)
		return ambt_error_set(err, AMBT_E_USAGE,
		                      _("invalid theme name '%s'"),
		                      name ? name : "");
	if (load_from_dirs(t, name, err) < 0) {
		if (strcmp(name, "default") != 0)
			return unknown_theme(name, err);
		theme_load_string(t, "default", builtin_default);
	}
	if (t->n_warnings > before) {
		fall_back(t, name);
		name = "default";
	}
	free(t->name);
	t->name = xstrdup(name);
	return 0;
}

static int
compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Add the NAME of each NAME.theme in dir. */
static void
scan_dir(const char *dir, char ***names, size_t *n)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	while (d != NULL && (e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);

		if (len <= 6 || e->d_name[0] == '.' ||
		    strcmp(e->d_name + len - 6, ".theme") != 0)
			continue;
		*names = xreallocarray(*names, *n + 1, sizeof **names);
		(*names)[(*n)++] = xstrndup(e->d_name, len - 6);
	}
	if (d != NULL)
		closedir(d);
}

char **
theme_names(size_t *n)
{
	char *dirs[THEME_DIRS], **names = NULL;
	size_t all = 0, kept = 0;

	theme_dirs(dirs);
	names = xreallocarray(NULL, 1, sizeof *names);
	names[all++] = xstrdup("default");
	for (size_t i = 0; i < THEME_DIRS; i++) {
		if (dirs[i] != NULL)
			scan_dir(dirs[i], &names, &all);
		free(dirs[i]);
	}
	qsort(names, all, sizeof *names, compare_names);
	for (size_t i = 0; i < all; i++) {
		if (kept > 0 && strcmp(names[kept - 1], names[i]) == 0)
			free(names[i]);
		else
			names[kept++] = names[i];
	}
	*n = kept;
	return names;
}

void
theme_names_free(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

/* ---- Nearest colour ---- */

/* The xterm palette: 16 system colours, a 6x6x6 cube, 24 greys. */
uint32_t
theme_palette_rgb(int i)
{
	static const uint32_t system[16] = {
	    0x000000, 0x800000, 0x008000, 0x808000, 0x000080, 0x800080,
	    0x008080, 0xc0c0c0, 0x808080, 0xff0000, 0x00ff00, 0xffff00,
	    0x0000ff, 0xff00ff, 0x00ffff, 0xffffff,
	};
	static const int steps[6] = {0, 95, 135, 175, 215, 255};
	int grey;

	if (i < 16)
		return system[i];
	if (i < 232) {
		i -= 16;
		return (uint32_t)steps[i / 36] << 16 |
		       (uint32_t)steps[i / 6 % 6] << 8 | (uint32_t)steps[i % 6];
	}
	grey = 8 + (i - 232) * 10;
	return (uint32_t)grey << 16 | (uint32_t)grey << 8 | (uint32_t)grey;
}

/* Squared distance, weighted for the eye (the "redmean" approximation,
 * in integers). */
static long
distance(uint32_t a, uint32_t b)
{
	long r1 = a >> 16 & 0xff, g1 = a >> 8 & 0xff, b1 = a & 0xff;
	long r2 = b >> 16 & 0xff, g2 = b >> 8 & 0xff, b2 = b & 0xff;
	long rmean = (r1 + r2) / 2, dr = r1 - r2, dg = g1 - g2, db = b1 - b2;

	return ((512 + rmean) * dr * dr >> 8) + 4 * dg * dg +
	       ((767 - rmean) * db * db >> 8);
}

int
theme_nearest_color(const struct theme_color *c, int n_colors)
{
	uint32_t rgb;
	int best = 0, first = 0;
	long best_d = -1;

	if (c->kind == TC_DEFAULT)
		return -1;
	if (n_colors > 256)
		n_colors = 256;
	if (c->kind == TC_INDEX && c->index < n_colors)
		return c->index;
	rgb = c->kind == TC_RGB ? c->rgb : theme_palette_rgb(c->index);
	/* The system colours differ from one terminal to the next; a
	 * 256-colour terminal's cube and greys do not. */
	if (n_colors == 256)
		first = 16;
	for (int i = first; i < n_colors; i++) {
		long d = distance(rgb, theme_palette_rgb(i));

		if (best_d < 0 || d < best_d) {
			best_d = d;
			best = i;
		}
	}
	return best;
}
