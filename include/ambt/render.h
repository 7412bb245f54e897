/*
 * render.h: a post's cooked HTML as styled, width-aware lines.
 *
 * Discourse sends each post as HTML ("cooked"). render_html() parses it
 * with libxml2's HTML parser and lays it out for a terminal of a given
 * width: paragraphs wrapped at word boundaries (columns measured with
 * wcwidth), code blocks kept unwrapped and clipped with a marker, quotes
 * and Discourse's aside.quote indented with a "name wrote:" header, lists,
 * headings, rules, simple tables, images as "[image: alt]", emoji as
 * ":name:", oneboxes as title and URL, details collapsed to their summary,
 * mentions, and links numbered "[1]" with the list under the post.
 *
 * Every text run is sanitized (utf8_sanitize): invalid UTF-8 is replaced
 * and control characters and escape sequences made visible and inert, so
 * no post can move the cursor, set the title or touch the clipboard. The
 * result holds no ncurses: the TUI maps style bits to its theme, the CLI
 * prints plain text.
 */
#ifndef AMBT_RENDER_H
#define AMBT_RENDER_H

#include <stdbool.h>
#include <stddef.h>

/* Style bits of a span; a span may carry several. */
enum render_style {
	RS_BOLD = 1 << 0,
	RS_ITALIC = 1 << 1,
	RS_CODE = 1 << 2,     /* inline code and code blocks */
	RS_LINK = 1 << 3,     /* link text */
	RS_LINK_NUM = 1 << 4, /* the "[n]" after a link */
	RS_MENTION = 1 << 5,
	RS_HEADING = 1 << 6,
	RS_QUOTE = 1 << 7,      /* text inside a quote */
	RS_QUOTE_HEAD = 1 << 8, /* "name wrote:" */
	RS_IMAGE = 1 << 9,      /* "[image: alt]" */
	RS_MARKER = 1 << 10,    /* clip marks, list bullets, rules, "[+]" */
	RS_STRIKE = 1 << 11,
	RS_SMALL_ACTION = 1 << 12,
};

struct render_span {
	char *text;     /* sanitized UTF-8 */
	unsigned style; /* enum render_style bits */
};

struct render_line {
	struct render_span *spans;
	size_t n_spans;
	int quote_depth; /* for a quote bar in the margin */
	size_t width;    /* columns used */
};

/* A quoted line starts with RENDER_QUOTE_COLS blank columns per level in
 * its first span (a blank line in a quote has only those): the TUI draws
 * its bar over them, rendered_to_text prints "> " instead. width counts
 * them and never passes the width asked for; deep nesting stops adding
 * levels and indents at half of it. */
#define RENDER_QUOTE_COLS 2

struct render_link {
	char *url; /* absolute when base_url was given */
	char *text;
};

struct rendered {
	struct render_line *lines;
	size_t n_lines;
	struct render_link *links; /* links[0] is "[1]" */
	size_t n_links;
};

struct render_options {
	int width;            /* columns; at least 10 is used */
	const char *base_url; /* to make "/t/slug/1" absolute, or NULL */
	bool no_link_list;    /* leave out the numbered list under the post */
};

/* Never NULL for any input: bad HTML renders as what could be read. */
struct rendered *render_html(const char *html, size_t len,
                             const struct render_options *opts);
void rendered_free(struct rendered *);
/* The lines as plain text, one '\n' after each (for the CLI and tests). */
char *rendered_to_text(const struct rendered *);

#endif
