/*
 * render_block.c: the walk over libxml2's tree and the block elements.
 *
 * The walk follows the tree's own parent/next links, so a post of 10,000
 * nested elements costs a frame each on a heap stack, not a C stack frame.
 * Entering an element lays out what comes before its content (a bullet, a
 * "name wrote:" header) and pushes a frame that says how text inside is
 * styled, indented and quoted; leaving it pops the frame and ends what the
 * element began.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render_int.h"

enum tag_kind {
	T_INLINE,
	T_DIV,
	T_PARA,
	T_PRE,
	T_BLOCKQUOTE,
	T_ASIDE,
	T_LIST,
	T_ORDERED,
	T_ITEM,
	T_BR,
	T_HR,
	T_IMG,
	T_A,
	T_TABLE,
	T_ROW,
	T_CELL,
	T_HEAD_CELL,
	T_DETAILS,
	T_SUMMARY,
	T_SKIP,
};

struct tag {
	const char *name;
	enum tag_kind kind;
	unsigned style;
};

/* Sorted by name for bsearch. Elements not listed are inline and plain. */
static const struct tag tags[] = {
    {"a", T_A, 0},
    {"article", T_DIV, 0},
    {"aside", T_ASIDE, 0},
    {"audio", T_SKIP, 0},
    {"b", T_INLINE, RS_BOLD},
    {"blockquote", T_BLOCKQUOTE, RS_QUOTE},
    {"br", T_BR, 0},
    {"button", T_SKIP, 0},
    {"center", T_DIV, 0},
    {"code", T_INLINE, RS_CODE},
    {"dd", T_DIV, 0},
    {"del", T_INLINE, RS_STRIKE},
    {"details", T_DETAILS, 0},
    {"div", T_DIV, 0},
    {"dl", T_PARA, 0},
    {"dt", T_DIV, RS_BOLD},
    {"em", T_INLINE, RS_ITALIC},
    {"figcaption", T_DIV, 0},
    {"figure", T_PARA, 0},
    {"footer", T_DIV, 0},
    {"h1", T_PARA, RS_HEADING},
    {"h2", T_PARA, RS_HEADING},
    {"h3", T_PARA, RS_HEADING},
    {"h4", T_PARA, RS_HEADING},
    {"h5", T_PARA, RS_HEADING},
    {"h6", T_PARA, RS_HEADING},
    {"head", T_SKIP, 0},
    {"header", T_DIV, 0},
    {"hr", T_HR, 0},
    {"i", T_INLINE, RS_ITALIC},
    {"iframe", T_SKIP, 0},
    {"img", T_IMG, 0},
    {"input", T_SKIP, 0},
    {"kbd", T_INLINE, RS_CODE},
    {"li", T_ITEM, 0},
    {"main", T_DIV, 0},
    {"nav", T_DIV, 0},
    {"noscript", T_SKIP, 0},
    {"ol", T_ORDERED, 0},
    {"p", T_PARA, 0},
    {"pre", T_PRE, RS_CODE},
    {"s", T_INLINE, RS_STRIKE},
    {"samp", T_INLINE, RS_CODE},
    {"script", T_SKIP, 0},
    {"section", T_DIV, 0},
    {"select", T_SKIP, 0},
    {"strike", T_INLINE, RS_STRIKE},
    {"strong", T_INLINE, RS_BOLD},
    {"style", T_SKIP, 0},
    {"summary", T_SUMMARY, 0},
    {"svg", T_SKIP, 0},
    {"table", T_TABLE, 0},
    {"td", T_CELL, 0},
    {"template", T_SKIP, 0},
    {"textarea", T_SKIP, 0},
    {"th", T_HEAD_CELL, RS_BOLD},
    {"title", T_SKIP, 0},
    {"tr", T_ROW, 0},
    {"tt", T_INLINE, RS_CODE},
    {"ul", T_LIST, 0},
    {"video", T_SKIP, 0},
};

static int
tag_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct tag *)elem)->name);
}

static const struct tag *
tag_find(const xmlNode *n)
{
	static const struct tag plain = {"", T_INLINE, 0};
	const struct tag *t = bsearch(n->name, tags, AMBT_ARRAY_LEN(tags),
	                              sizeof tags[0], tag_cmp);

	return t ? t : &plain;
}

struct frame *
render_top(const struct render *r)
{
	return &r->frames[r->n_frames - 1];
}

/* A new frame that inherits style, depth, indent and mode. */
struct frame *
render_push(struct render *r, xmlNode *n, enum frame_kind kind)
{
	struct frame *f;

	if (r->n_frames == r->frames_cap) {
		r->frames_cap = r->frames_cap ? r->frames_cap * 2 : 32;
		r->frames =
		    xreallocarray(r->frames, r->frames_cap, sizeof *r->frames);
	}
	f = &r->frames[r->n_frames];
	if (r->n_frames > 0)
		*f = r->frames[r->n_frames - 1];
	else
		memset(f, 0, sizeof *f);
	r->n_frames++;
	f->node = n;
	f->kind = kind;
	f->sep = f->ordered = f->collapsed = f->aside = false;
	f->number = 0;
	f->marker_cols = 0;
	return f;
}

char *
render_attr(xmlNode *n, const char *name)
{
	xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
	char *clean;

	if (v == NULL)
		return NULL;
	clean = utf8_sanitize((const char *)v, strlen((const char *)v));
	xmlFree(v);
	return clean;
}

bool
render_has_class(xmlNode *n, const char *name)
{
	char *cls = render_attr(n, "class");
	size_t len = strlen(name);
	bool found = false;

	for (char *p = cls; p != NULL && *p != '\0' && !found;) {
		size_t w = strcspn(p, " \t\n\r\f");

		found = w == len && strncmp(p, name, len) == 0;
		p += w + strspn(p + w, " \t\n\r\f");
	}
	free(cls);
	return found;
}

/* A header line of its own, such as "name wrote:". */
static void
header_line(struct render *r, const char *text, unsigned style)
{
	render_text(r, text, strlen(text), render_top(r)->style | style);
	render_flush(r);
}

/* The quoted author: data-username, else the text of div.title. */
static char *
quote_author(xmlNode *aside)
{
	char *name = render_attr(aside, "data-username");
	size_t len;

	if (name != NULL && *name != '\0')
		return name;
	free(name);
	for (xmlNode *c = aside->children; c != NULL; c = c->next) {
		if (c->type == XML_ELEMENT_NODE &&
		    render_has_class(c, "title")) {
			name = render_node_text(c);
			len = strlen(name);
			if (len > 0 && name[len - 1] == ':')
				name[len - 1] = '\0';
			return name;
		}
	}
	return NULL;
}

static bool
quote_enter(struct render *r, xmlNode *n, bool aside)
{
	char *name = aside ? quote_author(n) : NULL;
	struct frame *f;

	render_block_begin(r, true);
	if (render_top(r)->mode == MODE_FLOW && name != NULL && *name) {
		char *head = xasprintf("%s wrote:", name);

		header_line(r, head, RS_QUOTE_HEAD);
		free(head);
	}
	free(name);
	f = render_push(r, n, FK_QUOTE);
	f->sep = true;
	f->aside = aside;
	f->style |= RS_QUOTE;
	if (render_can_nest(r, f->depth + 1, f->indent))
		f->depth++;
	r->fresh = true;
	return true;
}

/* "[event: NAME, START]" for the events plugin's div, then its text. */
static bool
event_enter(struct render *r, xmlNode *n)
{
	char *name = render_attr(n, "data-name");
	char *start = render_attr(n, "data-start");
	struct buf b;
	struct frame *f;

	buf_init(&b);
	buf_puts(&b, "[event: ");
	if (name != NULL && *name != '\0')
		buf_printf(&b, "%s%s", name, start ? ", " : "");
	buf_printf(&b, "%s]", start ? start : "");
	render_block_begin(r, true);
	header_line(r, b.data, RS_MARKER);
	buf_free(&b);
	free(name);
	free(start);
	f = render_push(r, n, FK_BLOCK);
	f->sep = true;
	r->fresh = true;
	return true;
}

static bool
block_enter(struct render *r, xmlNode *n, const struct tag *t, bool sep)
{
	struct frame *f;

	render_block_begin(r, sep);
	f = render_push(r, n, FK_BLOCK);
	f->sep = sep;
	f->style |= t->style;
	return true;
}

static bool
div_enter(struct render *r, xmlNode *n, const struct tag *t)
{
	const struct frame *top = render_top(r);

	if (render_has_class(n, "discourse-post-event"))
		return event_enter(r, n);
	/* The avatar and name of aside.quote (the header says it), and a
	 * lightbox's file name and size. */
	if ((top->kind == FK_QUOTE && top->aside &&
	     render_has_class(n, "title")) ||
	    render_has_class(n, "meta") ||
	    render_has_class(n, "quote-controls"))
		return false;
	return block_enter(r, n, t, false);
}

static bool
pre_enter(struct render *r, xmlNode *n)
{
	struct frame *f;

	render_block_begin(r, true);
	if (render_top(r)->mode != MODE_FLOW) {
		f = render_push(r, n, FK_PLAIN);
	} else {
		f = render_push(r, n, FK_PRE);
		f->mode = MODE_PRE;
		r->pre_start = true;
		r->pre_nl = false;
	}
	f->style |= RS_CODE;
	return true;
}

/* Items in an ol, to size the numbers' column. */
static int
count_items(xmlNode *list)
{
	int n = 0;

	for (xmlNode *c = list->children; c != NULL; c = c->next)
		n += c->type == XML_ELEMENT_NODE &&
		     strcmp((const char *)c->name, "li") == 0;
	return n;
}

static bool
list_enter(struct render *r, xmlNode *n, bool ordered)
{
	bool nested = render_top(r)->level > 0;
	struct frame *f;
	char *start = ordered ? render_attr(n, "start") : NULL;
	char digits[32];

	render_block_begin(r, !nested);
	f = render_push(r, n, FK_LIST);
	f->sep = !nested;
	f->ordered = ordered;
	f->level++;
	f->number = start ? atoi(start) : 1;
	f->marker_cols = 2;
	if (ordered) {
		int last = f->number + count_items(n) - 1;

		f->marker_cols =
		    2 + (size_t)snprintf(
		            digits, sizeof digits, "%d",
		            abs(last) > abs(f->number) ? last : f->number);
	}
	free(start);
	return true;
}

static bool
item_enter(struct render *r, xmlNode *n)
{
	static const char *const bullets[] = {"\xE2\x80\xA2 ", "\xE2\x97\xA6 ",
	                                      "\xE2\x96\xAA "};
	struct frame *list = render_top(r);
	struct frame *f;
	size_t cols = 2;

	render_block_begin(r, false);
	/* Numbers too wide for a quarter of the line fall back to bullets,
	 * so a marker always leaves room for text after it. */
	if (list->kind == FK_LIST && list->ordered &&
	    list->marker_cols <= (size_t)r->width / 4) {
		cols = list->marker_cols;
		snprintf(r->marker, sizeof r->marker, "%*d. ", (int)cols - 2,
		         list->number++);
	} else {
		int level = list->level > 0 ? list->level - 1 : 0;

		snprintf(r->marker, sizeof r->marker, "%s",
		         bullets[level % AMBT_ARRAY_LEN(bullets)]);
	}
	r->has_marker = true;
	r->marker_indent = list->indent;
	r->marker_style = RS_MARKER;
	f = render_push(r, n, FK_ITEM);
	if (render_can_nest(r, f->depth, f->indent + cols))
		f->indent += cols;
	r->fresh = true;
	return true;
}

static void
rule(struct render *r)
{
	struct buf line;

	render_block_begin(r, true);
	if (render_top(r)->mode != MODE_FLOW)
		return;
	render_start_line(r);
	buf_init(&line);
	for (size_t n = render_text_cols(r) - r->cols; n > 0; n--)
		buf_puts(&line, "\xE2\x94\x80");
	render_put_clipped(r, line.data, line.len, RS_MARKER);
	buf_free(&line);
	render_finish_line(r);
	render_block_end(r, true);
}

static bool
table_enter(struct render *r, xmlNode *n)
{
	struct frame *f;

	/* A table in a table (or in code) is flattened into its cell. */
	if (r->table != NULL || render_top(r)->mode != MODE_FLOW) {
		render_block_begin(r, false);
		render_push(r, n, FK_PLAIN);
		return true;
	}
	render_block_begin(r, true);
	r->table = table_acc_new();
	f = render_push(r, n, FK_TABLE);
	f->mode = MODE_TABLE;
	return true;
}

static bool
cell_enter(struct render *r, xmlNode *n, const struct tag *t)
{
	struct frame *f;

	if (render_top(r)->mode != MODE_TABLE) {
		render_block_begin(r, false);
		render_push(r, n, FK_PLAIN);
		return true;
	}
	if (t->kind == T_ROW) {
		table_acc_row(r->table);
		render_push(r, n, FK_PLAIN);
		return true;
	}
	table_acc_cell(r->table, t->kind == T_HEAD_CELL);
	f = render_push(r, n, FK_PLAIN);
	f->mode = MODE_CELL;
	return true;
}

static bool
details_enter(struct render *r, xmlNode *n)
{
	struct frame *f;

	render_block_begin(r, true);
	f = render_push(r, n, FK_DETAILS);
	f->sep = true;
	f->collapsed = true;
	return true;
}

/* "[+] summary": the summary of a collapsed details, once. */
static bool
summary_enter(struct render *r, xmlNode *n)
{
	struct frame *top = render_top(r);
	struct frame *f;

	if (top->kind == FK_DETAILS && top->collapsed) {
		if (top->number++ > 0)
			return false;
		render_text(r, "[+] ", 4, RS_MARKER);
	}
	f = render_push(r, n, FK_PLAIN);
	f->collapsed = false;
	return true;
}

static bool
aside_enter(struct render *r, xmlNode *n, const struct tag *t)
{
	if (render_has_class(n, "quote"))
		return quote_enter(r, n, true);
	if (render_has_class(n, "onebox")) {
		render_onebox(r, n);
		return false;
	}
	return block_enter(r, n, t, true);
}

static bool
blockquote_enter(struct render *r, xmlNode *n)
{
	const struct frame *top = render_top(r);

	/* aside.quote's own blockquote: the aside quoted it already. */
	if (top->kind == FK_QUOTE && top->aside && top->node == n->parent) {
		render_push(r, n, FK_PLAIN);
		return true;
	}
	return quote_enter(r, n, false);
}

/* Lay out what comes before the element's content; true when a frame was
 * pushed for it. */
static bool
element_enter(struct render *r, xmlNode *n)
{
	const struct tag *t = tag_find(n);
	struct frame *f;

	switch (t->kind) {
	case T_INLINE:
		f = render_push(r, n, FK_PLAIN);
		f->style |= t->style;
		return true;
	case T_DIV:
		return div_enter(r, n, t);
	case T_PARA:
		return block_enter(r, n, t, true);
	case T_PRE:
		return pre_enter(r, n);
	case T_BLOCKQUOTE:
		return blockquote_enter(r, n);
	case T_ASIDE:
		return aside_enter(r, n, t);
	case T_LIST:
	case T_ORDERED:
		return list_enter(r, n, t->kind == T_ORDERED);
	case T_ITEM:
		return item_enter(r, n);
	case T_BR:
		render_break(r);
		return false;
	case T_HR:
		rule(r);
		return false;
	case T_IMG:
		render_image(r, n);
		return false;
	case T_A:
		return render_link_enter(r, n);
	case T_TABLE:
		return table_enter(r, n);
	case T_ROW:
	case T_CELL:
	case T_HEAD_CELL:
		return cell_enter(r, n, t);
	case T_DETAILS:
		return details_enter(r, n);
	case T_SUMMARY:
		return summary_enter(r, n);
	case T_SKIP:
		return false;
	}
	return false;
}

static void
text_node(struct render *r, xmlNode *n)
{
	const char *content = (const char *)n->content;
	const char *clean;
	char *owned;
	size_t len;

	if (content == NULL || render_top(r)->mode == MODE_TABLE)
		return;
	len = strlen(content);
	clean = render_sanitize(content, len, &owned);
	render_text(r, clean, owned ? strlen(owned) : len,
	            render_top(r)->style);
	free(owned);
}

static bool
node_enter(struct render *r, xmlNode *n)
{
	const struct frame *top = render_top(r);

	if (top->collapsed && (n->type != XML_ELEMENT_NODE ||
	                       strcmp((const char *)n->name, "summary") != 0))
		return false;
	if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE)
		text_node(r, n);
	else if (n->type == XML_ELEMENT_NODE)
		return element_enter(r, n);
	return false;
}

/* End what the element began; its frame is already popped. */
static void
frame_leave(struct render *r, const struct frame *f)
{
	switch (f->kind) {
	case FK_PLAIN:
		break;
	case FK_BLOCK:
	case FK_QUOTE:
	case FK_LIST:
		render_block_end(r, f->sep);
		break;
	case FK_PRE:
		render_pre_end(r);
		render_block_end(r, true);
		break;
	case FK_ITEM:
		render_block_end(r, false);
		r->has_marker = false;
		break;
	case FK_LINK:
		render_link_leave(r, f);
		break;
	case FK_TABLE:
		table_acc_layout(r, r->table);
		table_acc_free(r->table);
		r->table = NULL;
		render_block_end(r, true);
		break;
	case FK_DETAILS:
		if (f->number == 0)
			header_line(r, "[+] Details", RS_MARKER);
		render_block_end(r, true);
		break;
	}
}

static void
leave_if_entered(struct render *r, xmlNode *n)
{
	struct frame f;

	if (r->n_frames < 2 || render_top(r)->node != n)
		return;
	f = *render_top(r);
	/* A word still being gathered belongs to the block's indent and
	 * quote; inline elements leave it open ("foo<b>bar</b>" is one). */
	if (f.kind != FK_PLAIN && f.kind != FK_LINK)
		render_flush(r);
	r->n_frames--;
	frame_leave(r, &f);
}

void
render_walk(struct render *r, xmlNode *root)
{
	xmlNode *n = root;

	while (n != NULL) {
		if (node_enter(r, n) && n->children != NULL) {
			n = n->children;
			continue;
		}
		leave_if_entered(r, n);
		while (n != root && n->next == NULL) {
			n = n->parent;
			leave_if_entered(r, n);
		}
		if (n == root)
			break;
		n = n->next;
	}
}
