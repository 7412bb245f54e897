/*
 * render_int.h: what the renderer's files share.
 *
 * render_walk.c walks libxml2's tree without recursion and keeps a stack
 * of frames, one per open element, that say how text inside it is laid
 * out; render_block.c begins the block elements. render_wrap.c turns text
 * into lines: words gathered across inline elements and wrapped at the
 * width, code lines clipped, blank lines between blocks. render_inline.c
 * holds links, images and emoji; render_table.c collects a table's cells
 * and lays them out in columns.
 */
#ifndef AMBT_RENDER_INT_H
#define AMBT_RENDER_INT_H

#include <libxml/hash.h>
#include <libxml/tree.h>

#include "ambt/render.h"
#include "ambt/util.h"

/* Where a frame's text goes. */
enum render_mode {
	MODE_FLOW,  /* wrapped at word boundaries */
	MODE_PRE,   /* kept as is, clipped at the width */
	MODE_TABLE, /* between cells: dropped */
	MODE_CELL,  /* into the current table cell */
};

/* What an open element does when it closes. */
enum frame_kind {
	FK_PLAIN, /* nothing: inline styles, unknown elements */
	FK_BLOCK, /* ends a line; sep: and a blank line */
	FK_PRE,
	FK_QUOTE, /* blockquote or aside.quote */
	FK_LIST,  /* ul, ol */
	FK_ITEM,  /* li */
	FK_LINK,  /* a with a number to print after its text */
	FK_TABLE,
	FK_DETAILS,
};

struct frame {
	xmlNode *node;
	enum frame_kind kind;
	enum render_mode mode;
	unsigned style;     /* enum render_style bits for text inside */
	int depth;          /* quote depth */
	size_t indent;      /* columns before every line of text inside */
	bool sep;           /* FK_BLOCK...: a blank line after it */
	bool ordered;       /* FK_LIST: ol */
	bool collapsed;     /* FK_DETAILS: only the summary shows */
	bool aside;         /* FK_QUOTE: an aside.quote (its blockquote adds no
	                       depth) */
	int number;         /* FK_LIST: the next item's number; FK_LINK: [n] */
	int level;          /* lists around this one */
	size_t marker_cols; /* FK_LIST: width of the item markers */
};

/* Where a style run starts in a line or word buffer. */
struct mark {
	size_t off;
	size_t cols;
	unsigned style;
};

struct marks {
	struct mark *v;
	size_t n, cap;
};

struct table_acc;

struct render {
	int width;
	const char *base_url;
	struct rendered *out;
	size_t lines_cap, links_cap;
	xmlHashTablePtr link_ids; /* absolute URL -> number */

	struct frame *frames;
	size_t n_frames, frames_cap;

	/* The line being built. */
	struct buf line;
	struct marks line_marks;
	size_t cols;       /* columns used, indent included */
	size_t start_cols; /* columns of the indent and marker */
	int line_depth;    /* quote depth, fixed when the line starts */
	bool started;      /* indent (and marker) are in */
	bool has_text;     /* something visible besides the indent */
	bool clipped;      /* pre or table: the rest of the line is dropped */

	/* The word being gathered, across inline elements. */
	struct buf word;
	struct marks word_marks;
	size_t word_cols;
	bool space; /* whitespace came before the word */

	bool blank;      /* a blank line before the next text */
	bool fresh;      /* nothing yet in a new container: no blank */
	char marker[48]; /* a list item's bullet or number, to come */
	unsigned marker_style;
	size_t marker_indent;
	bool has_marker;

	bool pre_start; /* the first text of a pre: drop one newline */
	bool pre_nl;    /* a newline in a pre waits for more text */

	struct table_acc *table;
};

/* render_walk.c */
void render_walk(struct render *, xmlNode *root);
struct frame *render_top(const struct render *);
struct frame *render_push(struct render *, xmlNode *, enum frame_kind);
bool render_has_class(xmlNode *, const char *name);
char *render_attr(xmlNode *, const char *name); /* sanitized, or NULL */

/* render_block.c: each returns true when it pushed a frame for n. */
bool enter_block(struct render *, xmlNode *n, unsigned style, bool sep);
bool enter_div(struct render *, xmlNode *n, unsigned style);
bool enter_pre(struct render *, xmlNode *n);
bool enter_blockquote(struct render *, xmlNode *n);
bool enter_aside(struct render *, xmlNode *n, unsigned style);
bool enter_list(struct render *, xmlNode *n, bool ordered);
bool enter_item(struct render *, xmlNode *n);
bool enter_table(struct render *, xmlNode *n);
bool enter_row(struct render *, xmlNode *n);
bool enter_cell(struct render *, xmlNode *n, bool header);
bool enter_details(struct render *, xmlNode *n);
bool enter_summary(struct render *, xmlNode *n);
void render_rule(struct render *);
/* A line of its own, such as "name wrote:". */
void render_header_line(struct render *, const char *text, unsigned style);

/* render_wrap.c */
/* Text (sanitized UTF-8) in the top frame's mode, styled with style. */
void render_text(struct render *, const char *s, size_t len, unsigned style);
void render_flush(struct render *); /* the word, then the line */
void render_break(struct render *); /* <br> */
void render_block_begin(struct render *, bool sep);
void render_block_end(struct render *, bool sep);
void render_pre_end(struct render *);
/* Put text on the current line without wrapping, clipped at the width. */
void render_put_clipped(struct render *, const char *s, size_t len,
                        unsigned style);
void render_start_line(struct render *);
void render_finish_line(struct render *);
/* s as utf8_sanitize makes it: s itself when nothing needs to change,
 * else a copy left in *owned for the caller to free. */
const char *render_sanitize(const char *s, size_t len, char **owned);
size_t render_text_cols(const struct render *); /* columns for spans */
/* Columns of blank quote margin that start the line. */
size_t render_margin_cols(const struct render *);
size_t render_cols(const char *s, size_t len); /* utf8_width of a slice */
size_t render_char_len(const char *s, size_t len);
bool render_can_nest(const struct render *, int depth, size_t indent);

/* render_inline.c */
int render_link_number(struct render *, const char *href, const char *text);
char *render_absolute_url(const struct render *, const char *href);
char *render_collapse(const char *s); /* whitespace runs as one space */
char *render_node_text(xmlNode *);    /* sanitized and collapsed */
void render_image(struct render *, xmlNode *img);
bool render_link_enter(struct render *, xmlNode *a);
void render_link_leave(struct render *, const struct frame *);
void render_onebox(struct render *, xmlNode *aside);
void render_link_list(struct render *);

/* render_table.c */
struct table_acc *table_acc_new(void);
void table_acc_free(struct table_acc *);
void table_acc_row(struct table_acc *);
void table_acc_cell(struct table_acc *, bool header);
void table_acc_text(struct table_acc *, const char *s, size_t len);
void table_acc_layout(struct render *, struct table_acc *);

#endif
