/*
 * render_walk.c: the walk over libxml2's tree.
 *
 * The walk follows the tree's own parent/next links, so a post of 10,000
 * nested elements costs a frame each on a heap stack, not a C stack frame.
 * Each element is looked up in one table that says what it is; entering
 * it lays out what comes before its content (render_block.c,
 * render_inline.c) and pushes a frame; leaving it pops the frame and ends
 * what the element began.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ambt/i18n.h"
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
		return enter_div(r, n, t->style);
	case T_PARA:
		return enter_block(r, n, t->style, true);
	case T_PRE:
		return enter_pre(r, n);
	case T_BLOCKQUOTE:
		return enter_blockquote(r, n);
	case T_ASIDE:
		return enter_aside(r, n, t->style);
	case T_LIST:
	case T_ORDERED:
		return enter_list(r, n, t->kind == T_ORDERED);
	case T_ITEM:
		return enter_item(r, n);
	case T_BR:
		render_break(r);
		return false;
	case T_HR:
		render_rule(r);
		return false;
	case T_IMG:
		render_image(r, n);
		return false;
	case T_A:
		return render_link_enter(r, n);
	case T_TABLE:
		return enter_table(r, n);
	case T_ROW:
		return enter_row(r, n);
	case T_CELL:
	case T_HEAD_CELL:
		return enter_cell(r, n, t->kind == T_HEAD_CELL);
	case T_DETAILS:
		return enter_details(r, n);
	case T_SUMMARY:
		return enter_summary(r, n);
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
			render_header_line(r, _("[+] Details"), RS_MARKER);
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
