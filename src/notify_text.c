/*
 * notify_text.c: what a notice says, independent of where it goes: the
 * urgency of each kind, a post's one-line body, and escaping for the
 * notification spec's body markup.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ambt/notify.h"
#include "ambt/render.h"
#include "ambt/util.h"
#include "notify_int.h"

enum notice_urgency
notice_urgency_of(enum notice_kind kind)
{
	switch (kind) {
	case NOTICE_POST:
	case NOTICE_SUMMARY:
		return NOTICE_LOW;
	case NOTICE_REPLY:
	case NOTICE_MENTION:
	case NOTICE_MESSAGE:
	case NOTICE_MONITORED:
		return NOTICE_NORMAL;
	case NOTICE_EVENT:
		/* It is about to start: the one kind worth interrupting for. */
		return NOTICE_CRITICAL;
	}
	return NOTICE_NORMAL;
}

/* A rendered line's text, or NULL for a blank line or one in a quote
 * (the first line of a reply that quotes is what the author wrote). */
static char *
line_text(const struct render_line *line)
{
	struct buf b;

	if (line->quote_depth > 0)
		return NULL;
	buf_init(&b);
	buf_puts(&b, "");
	for (size_t i = 0; i < line->n_spans; i++) {
		/* A notice has no link list for "[1]" to point into. */
		if (!(line->spans[i].style & RS_LINK_NUM))
			buf_puts(&b, line->spans[i].text);
	}
	const char *s = b.data + strspn(b.data, " \t");
	if (*s == '\0') {
		buf_free(&b);
		return NULL;
	}
	char *text = xstrdup(s);
	buf_free(&b);
	return text;
}

static char *
first_line(const char *cooked)
{
	/* Wide enough that the first paragraph stays one line to cut. */
	struct render_options opts = {.width = 400, .no_link_list = true};
	struct rendered *r = render_html(cooked, strlen(cooked), &opts);
	char *text = NULL;

	for (size_t i = 0; i < r->n_lines && !text; i++)
		text = line_text(&r->lines[i]);
	rendered_free(r);
	return text;
}

char *
notice_post_body(const char *author, const char *cooked, size_t max_cols)
{
	char *line = first_line(cooked ? cooked : "");
	char *joined;

	if (author && *author)
		joined = xasprintf("%s: %s", author, line ? line : "");
	else
		joined = xstrdup(line ? line : "");
	free(line);
	char *clean = notice_clean(joined, max_cols);
	free(joined);
	return clean;
}

char *
notice_clean(const char *text, size_t max_cols)
{
	char *safe = utf8_sanitize(text, strlen(text));

	/* One line: a newline in a summary or body would break the layout. */
	for (char *p = safe; *p; p++) {
		if (*p == '\n' || *p == '\t')
			*p = ' ';
	}
	char *fit = utf8_fit(safe, max_cols, false);
	free(safe);
	return fit;
}

char *
notice_markup_escape(const char *text)
{
	struct buf b;

	buf_init(&b);
	for (const char *p = text; *p; p++) {
		switch (*p) {
		case '&':
			buf_puts(&b, "&amp;");
			break;
		case '<':
			buf_puts(&b, "&lt;");
			break;
		case '>':
			buf_puts(&b, "&gt;");
			break;
		default:
			buf_putc(&b, *p);
		}
	}
	return buf_steal(&b);
}
