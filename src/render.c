/*
 * render.c: render_html(), the entry point of the renderer, and what
 * callers do with its result.
 *
 * The HTML is made safe before libxml2 sees it: invalid UTF-8 would make
 * the parser fall back to Latin-1 for the whole post, and it silently
 * drops control characters, while a post's escape sequences must stay
 * visible. Text from entities (&#27;) is sanitized again run by run.
 */
#include "config.h"

#include <libxml/HTMLparser.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "render_int.h"

#define MIN_WIDTH 10
#define DEFAULT_WIDTH 80

/*
 * HTML's own newline normalization (CR LF and CR are LF) and form feed as
 * the whitespace it is, so neither becomes a visible "^M" or "^L"; then
 * utf8_sanitize for everything else.
 */
static char *
clean_input(const char *html, size_t len)
{
	struct buf b;
	char *clean;

	buf_init(&b);
	for (size_t i = 0; i < len;) {
		size_t run = i;

		while (run < len && html[run] != '\r' && html[run] != '\f')
			run++;
		buf_append(&b, html + i, run - i);
		if (run < len) {
			buf_putc(&b, html[run] == '\f' ? ' ' : '\n');
			if (html[run] == '\r' && run + 1 < len &&
			    html[run + 1] == '\n')
				run++;
			run++;
		}
		i = run;
	}
	render_sanitize(b.data, b.len, &clean);
	if (clean == NULL)
		return buf_steal(&b);
	buf_free(&b);
	return clean;
}

static void
render_init(struct render *r, const struct render_options *opts,
            struct rendered *out)
{
	memset(r, 0, sizeof *r);
	r->width = opts && opts->width > 0 ? opts->width : DEFAULT_WIDTH;
	if (r->width < MIN_WIDTH)
		r->width = MIN_WIDTH;
	r->base_url = opts ? opts->base_url : NULL;
	r->out = out;
	r->link_ids = xmlHashCreate(64);
	buf_init(&r->line);
	buf_init(&r->word);
	render_push(r, NULL, FK_PLAIN);
}

static void
render_clear(struct render *r)
{
	xmlHashFree(r->link_ids, NULL);
	buf_free(&r->line);
	buf_free(&r->word);
	free(r->line_marks.v);
	free(r->word_marks.v);
	free(r->frames);
	table_acc_free(r->table);
}

static void
parse_and_walk(struct render *r, const char *html, size_t len)
{
	/* HUGE: libxml2 otherwise stops at 256 nested elements and drops
	 * the whole post, and refuses text nodes over 10 MB. Nothing in
	 * HTML expands entities, and the walk needs no C stack. */
	const int flags = HTML_PARSE_RECOVER | HTML_PARSE_NOERROR |
	                  HTML_PARSE_NOWARNING | HTML_PARSE_NONET |
	                  XML_PARSE_HUGE;
	char *clean = clean_input(html, len);
	size_t n = strlen(clean);
	htmlDocPtr doc;
	xmlNode *root;

	doc = n > 0 && n <= INT_MAX
	          ? htmlReadMemory(clean, (int)n, NULL, "UTF-8", flags)
	          : NULL;
	root = doc ? xmlDocGetRootElement(doc) : NULL;
	if (root != NULL)
		render_walk(r, root);
	render_flush(r);
	xmlFreeDoc(doc);
	free(clean);
}

struct rendered *
render_html(const char *html, size_t len, const struct render_options *opts)
{
	struct rendered *out = xcalloc(1, sizeof *out);
	struct render r;

	render_init(&r, opts, out);
	if (html != NULL && len > 0)
		parse_and_walk(&r, html, len);
	if (!(opts && opts->no_link_list))
		render_link_list(&r);
	render_clear(&r);
	return out;
}

void
rendered_free(struct rendered *rd)
{
	if (rd == NULL)
		return;
	for (size_t i = 0; i < rd->n_lines; i++) {
		for (size_t j = 0; j < rd->lines[i].n_spans; j++)
			free(rd->lines[i].spans[j].text);
		free(rd->lines[i].spans);
	}
	for (size_t i = 0; i < rd->n_links; i++) {
		free(rd->links[i].url);
		free(rd->links[i].text);
	}
	free(rd->lines);
	free(rd->links);
	free(rd);
}

/* The blank margin of a quoted line shows as "> " per level. */
char *
rendered_to_text(const struct rendered *rd)
{
	struct buf b;

	buf_init(&b);
	for (size_t i = 0; i < rd->n_lines; i++) {
		const struct render_line *l = &rd->lines[i];
		size_t skip = RENDER_QUOTE_COLS * (size_t)l->quote_depth;
		size_t start = b.len;

		for (int d = 0; d < l->quote_depth; d++)
			buf_puts(&b, "> ");
		for (size_t j = 0; j < l->n_spans; j++) {
			const char *t = l->spans[j].text;

			while (skip > 0 && *t == ' ') {
				t++;
				skip--;
			}
			buf_puts(&b, t);
		}
		while (b.len > start && b.data[b.len - 1] == ' ')
			b.data[--b.len] = '\0';
		buf_putc(&b, '\n');
	}
	return buf_steal(&b);
}
