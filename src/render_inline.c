/*
 * render_inline.c: links, mentions, images, emoji and oneboxes.
 *
 * A link shows its text and then "[n]"; its URL, made absolute, goes into
 * rendered.links, and a URL seen before keeps its first number. Mentions
 * are styled, not numbered: "@name" says where it leads.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ambt/i18n.h"
#include "render_int.h"

char *
render_collapse(const char *s)
{
	struct buf b;
	bool space = false;

	buf_init(&b);
	for (; *s != '\0'; s++) {
		if (strchr(" \t\n\r\f", *s) != NULL) {
			space = b.len > 0;
			continue;
		}
		if (space)
			buf_putc(&b, ' ');
		space = false;
		buf_putc(&b, *s);
	}
	return buf_steal(&b);
}

char *
render_node_text(xmlNode *n)
{
	xmlChar *text = xmlNodeGetContent(n);
	char *clean, *out;

	if (text == NULL)
		return xstrdup("");
	clean = utf8_sanitize((const char *)text, strlen((const char *)text));
	out = render_collapse(clean);
	free(clean);
	xmlFree(text);
	return out;
}

/* The scheme of base ("https:") for protocol-relative links. */
static char *
base_scheme(const char *base)
{
	const char *colon = base ? strstr(base, "://") : NULL;

	if (colon == NULL)
		return xstrdup("https:");
	return xstrndup(base, (size_t)(colon - base) + 1);
}

char *
render_absolute_url(const struct render *r, const char *href)
{
	const char *base = r->base_url;
	size_t n;
	char *scheme, *url;

	if (href[0] == '/' && href[1] == '/') {
		scheme = base_scheme(base);
		url = xasprintf("%s%s", scheme, href);
		free(scheme);
		return url;
	}
	if (href[0] != '/' || base == NULL)
		return xstrdup(href);
	n = strlen(base);
	while (n > 0 && base[n - 1] == '/')
		n--;
	return xasprintf("%.*s%s", (int)n, base, href);
}

int
render_link_number(struct render *r, const char *href, const char *text)
{
	struct rendered *out = r->out;
	char *url = render_absolute_url(r, href);
	void *found = xmlHashLookup(r->link_ids, (const xmlChar *)url);

	if (found != NULL) {
		free(url);
		return (int)(intptr_t)found;
	}
	if (out->n_links == r->links_cap) {
		r->links_cap = r->links_cap ? r->links_cap * 2 : 8;
		out->links =
		    xreallocarray(out->links, r->links_cap, sizeof *out->links);
	}
	out->links[out->n_links].url = url;
	out->links[out->n_links].text = xstrdup(text ? text : "");
	out->n_links++;
	xmlHashAddEntry(r->link_ids, (const xmlChar *)url,
	                (void *)(intptr_t)out->n_links);
	return (int)out->n_links;
}

/* Fragment-only and empty hrefs lead nowhere a terminal can open. */
static bool
numbered_href(const char *href)
{
	return href != NULL && href[0] != '\0' && href[0] != '#';
}

bool
render_link_enter(struct render *r, xmlNode *a)
{
	char *attr = render_attr(a, "href");
	char *href = attr ? render_collapse(attr) : NULL;
	struct frame *f;

	free(attr);
	if (render_has_class(a, "mention") ||
	    render_has_class(a, "mention-group")) {
		f = render_push(r, a, FK_PLAIN);
		f->style |= RS_MENTION;
	} else if (numbered_href(href)) {
		char *text = render_node_text(a);

		f = render_push(r, a, FK_LINK);
		f->style |= RS_LINK;
		f->number = render_link_number(r, href, text);
		free(text);
	} else {
		render_push(r, a, FK_PLAIN);
	}
	free(href);
	return true;
}

static void
link_number_text(struct render *r, int number, unsigned style)
{
	char num[24];
	int len = snprintf(num, sizeof num, "[%d]", number);

	render_text(r, num, (size_t)len, (style & ~RS_LINK) | RS_LINK_NUM);
}

void
render_link_leave(struct render *r, const struct frame *f)
{
	link_number_text(r, f->number, f->style);
}

void
render_image(struct render *r, xmlNode *img)
{
	unsigned style = render_top(r)->style;
	char *alt, *text;

	if (render_has_class(img, "avatar") ||
	    render_has_class(img, "site-icon"))
		return;
	if (render_has_class(img, "emoji")) {
		/* Discourse sets both to ":name:"; title survives alt edits. */
		char *name = render_attr(img, "title");

		if (name == NULL || *name == '\0') {
			free(name);
			name = render_attr(img, "alt");
		}
		if (name != NULL) {
			text = render_collapse(name);
			render_text(r, text, strlen(text), style);
			free(text);
		}
		free(name);
		return;
	}
	alt = render_attr(img, "alt");
	text = alt ? render_collapse(alt) : xstrdup("");
	free(alt);
	alt = *text ? xasprintf(_("[image: %s]"), text) : xstrdup(_("[image]"));
	render_text(r, alt, strlen(alt), style | RS_IMAGE);
	free(alt);
	free(text);
}

/* The first element named name under root (root itself excluded), found
 * without recursion. */
static xmlNode *
find_element(xmlNode *root, const char *name)
{
	xmlNode *n = root->children;

	while (n != NULL && n != root) {
		if (n->type == XML_ELEMENT_NODE &&
		    strcmp((const char *)n->name, name) == 0)
			return n;
		if (n->children != NULL) {
			n = n->children;
			continue;
		}
		while (n != root && n->next == NULL)
			n = n->parent;
		if (n != root)
			n = n->next;
	}
	return NULL;
}

static char *
onebox_url(xmlNode *aside)
{
	char *url = render_attr(aside, "data-onebox-src");
	xmlNode *a;

	if (url != NULL && *url != '\0')
		return url;
	free(url);
	a = find_element(aside, "a");
	return a ? render_attr(a, "href") : NULL;
}

static char *
onebox_title(xmlNode *aside)
{
	static const char *const names[] = {"h3", "h4", "h2", "h1"};

	for (size_t i = 0; i < AMBT_ARRAY_LEN(names); i++) {
		xmlNode *h = find_element(aside, names[i]);

		if (h != NULL)
			return render_node_text(h);
	}
	return NULL;
}

/* A link preview: its title, numbered, and the URL under it. */
void
render_onebox(struct render *r, xmlNode *aside)
{
	unsigned style = render_top(r)->style;
	char *url = onebox_url(aside);
	char *title = onebox_title(aside);
	int number = 0;

	render_block_begin(r, true);
	if (url != NULL && *url != '\0')
		number = render_link_number(r, url, title);
	if (title != NULL && *title != '\0') {
		render_text(r, title, strlen(title), style | RS_BOLD);
		if (number > 0)
			link_number_text(r, number, style);
		render_flush(r);
	}
	if (number > 0) {
		const char *abs = r->out->links[number - 1].url;

		render_text(r, abs, strlen(abs), style | RS_LINK);
		if (title == NULL || *title == '\0')
			link_number_text(r, number, style);
		render_flush(r);
	}
	render_block_end(r, true);
	free(url);
	free(title);
}

/* "[1] https://..." under the post, the URL hanging after the number. */
void
render_link_list(struct render *r)
{
	struct frame *f = render_top(r);

	render_flush(r);
	r->blank = r->out->n_links > 0;
	r->fresh = false;
	for (size_t i = 0; i < r->out->n_links; i++) {
		const char *url = r->out->links[i].url;

		snprintf(r->marker, sizeof r->marker, "[%zu] ", i + 1);
		r->has_marker = true;
		r->marker_indent = 0;
		r->marker_style = RS_LINK_NUM;
		f->indent = strlen(r->marker);
		if (!render_can_nest(r, f->depth, f->indent))
			f->indent = 0;
		render_text(r, url, strlen(url), RS_LINK);
		render_flush(r);
		r->has_marker = false;
	}
	f->indent = 0;
}
