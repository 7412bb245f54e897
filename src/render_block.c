/*
 * render_block.c: the block elements: what each lays out before its
 * content (a bullet, a "name wrote:" header, an event's marker) and the
 * frame it pushes, which says how text inside is styled, indented and
 * quoted. render_walk.c calls them and ends what they began.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ambt/i18n.h"
#include "render_int.h"

void
render_header_line(struct render *r, const char *text, unsigned style)
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
		char *head = xasprintf(_("%s wrote:"), name);

		render_header_line(r, head, RS_QUOTE_HEAD);
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
	buf_printf(&b, "[%s ", _("event:"));
	if (name != NULL && *name != '\0')
		buf_printf(&b, "%s%s", name, start ? ", " : "");
	buf_printf(&b, "%s]", start ? start : "");
	render_block_begin(r, true);
	render_header_line(r, b.data, RS_MARKER);
	buf_free(&b);
	free(name);
	free(start);
	f = render_push(r, n, FK_BLOCK);
	f->sep = true;
	r->fresh = true;
	return true;
}

bool
enter_block(struct render *r, xmlNode *n, unsigned style, bool sep)
{
	struct frame *f;

	render_block_begin(r, sep);
	f = render_push(r, n, FK_BLOCK);
	f->sep = sep;
	f->style |= style;
	return true;
}

bool
enter_div(struct render *r, xmlNode *n, unsigned style)
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
	return enter_block(r, n, style, false);
}

bool
enter_pre(struct render *r, xmlNode *n)
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

bool
enter_list(struct render *r, xmlNode *n, bool ordered)
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

bool
enter_item(struct render *r, xmlNode *n)
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

void
render_rule(struct render *r)
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

bool
enter_table(struct render *r, xmlNode *n)
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

/* Rows and cells outside the table being gathered (a table in a cell is
 * flattened) are only a space; true then. */
static bool
flattened_table_part(struct render *r, xmlNode *n)
{
	if (render_top(r)->mode == MODE_TABLE)
		return false;
	render_block_begin(r, false);
	render_push(r, n, FK_PLAIN);
	return true;
}

bool
enter_row(struct render *r, xmlNode *n)
{
	if (!flattened_table_part(r, n)) {
		table_acc_row(r->table);
		render_push(r, n, FK_PLAIN);
	}
	return true;
}

bool
enter_cell(struct render *r, xmlNode *n, bool header)
{
	if (!flattened_table_part(r, n)) {
		table_acc_cell(r->table, header);
		render_push(r, n, FK_PLAIN)->mode = MODE_CELL;
	}
	return true;
}

bool
enter_details(struct render *r, xmlNode *n)
{
	struct frame *f;

	render_block_begin(r, true);
	f = render_push(r, n, FK_DETAILS);
	f->sep = true;
	f->collapsed = true;
	return true;
}

/* "[+] summary": the summary of a collapsed details, once. */
bool
enter_summary(struct render *r, xmlNode *n)
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

bool
enter_aside(struct render *r, xmlNode *n, unsigned style)
{
	if (render_has_class(n, "quote"))
		return quote_enter(r, n, true);
	if (render_has_class(n, "onebox")) {
		render_onebox(r, n);
		return false;
	}
	return enter_block(r, n, style, true);
}

bool
enter_blockquote(struct render *r, xmlNode *n)
{
	const struct frame *top = render_top(r);

	/* aside.quote's own blockquote: the aside quoted it already. */
	if (top->kind == FK_QUOTE && top->aside && top->node == n->parent) {
		render_push(r, n, FK_PLAIN);
		return true;
	}
	return quote_enter(r, n, false);
}
