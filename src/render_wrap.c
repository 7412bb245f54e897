/*
 * render_wrap.c: text to lines.
 *
 * Flowing text is cut into words at HTML whitespace; a word may span
 * several inline elements ("foo<b>bar</b>" is one word in two styles), so
 * it is gathered first and placed whole: on the current line when it fits,
 * else on the next; a word wider than a whole line is broken between
 * characters. Code (pre) and table rows are never wrapped: what passes the
 * width is cut and marked. Everything is appended once, so a post of any
 * size costs time in proportion to its length.
 */
#include "config.h"

#include <string.h>

#include "render_int.h"

#define ELLIPSIS "\xE2\x80\xA6"
#define TAB_STOP 8

static bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

size_t
render_char_len(const char *s, size_t len)
{
	unsigned char c = (unsigned char)s[0];
	size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;

	return n < len ? n : len;
}

size_t
render_cols(const char *s, size_t len)
{
	char small[64];
	char *copy;
	size_t cols;

	if (len < sizeof small) {
		memcpy(small, s, len);
		small[len] = '\0';
		return utf8_width(small);
	}
	copy = xstrndup(s, len);
	cols = utf8_width(copy);
	free(copy);
	return cols;
}

/* True when utf8_sanitize would return s unchanged: valid UTF-8 without
 * C0 (but tab and newline), DEL or C1 controls. Most text is, and the
 * check costs less than the copy. */
static bool
is_clean(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;

	for (size_t i = 0; i < len; i++) {
		if ((p[i] < 0x20 && p[i] != '\t' && p[i] != '\n') ||
		    p[i] == 0x7F ||
		    (p[i] == 0xC2 && i + 1 < len && p[i + 1] >= 0x80 &&
		     p[i + 1] <= 0x9F))
			return false;
	}
	return utf8_valid(s, len);
}

const char *
render_sanitize(const char *s, size_t len, char **owned)
{
	*owned = is_clean(s, len) ? NULL : utf8_sanitize(s, len);
	return *owned ? *owned : s;
}

bool
render_can_nest(const struct render *r, int depth, size_t indent)
{
	return (size_t)depth * RENDER_QUOTE_COLS + indent <=
	       (size_t)r->width / 2;
}

size_t
render_text_cols(const struct render *r)
{
	return (size_t)r->width;
}

size_t
render_margin_cols(const struct render *r)
{
	int depth = r->started ? r->line_depth : render_top(r)->depth;

	return RENDER_QUOTE_COLS * (size_t)depth;
}

static void
marks_add(struct marks *m, size_t off, size_t cols, unsigned style)
{
	if (m->n > 0 && m->v[m->n - 1].style == style) {
		m->v[m->n - 1].cols += cols;
		return;
	}
	if (m->n == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 8;
		m->v = xreallocarray(m->v, m->cap, sizeof *m->v);
	}
	m->v[m->n++] = (struct mark){off, cols, style};
}

/* Append to the line as is: the caller has checked the width. */
static void
line_put(struct render *r, const char *s, size_t len, size_t cols,
         unsigned style)
{
	if (len == 0)
		return;
	marks_add(&r->line_marks, r->line.len, cols, style);
	buf_append(&r->line, s, len);
	r->cols += cols;
}

static void
put_spaces(struct render *r, size_t n)
{
	static const char spaces[] = "                                ";

	while (n > 0) {
		size_t k = n < sizeof spaces - 1 ? n : sizeof spaces - 1;

		line_put(r, spaces, k, k, 0);
		n -= k;
	}
}

static void
push_line(struct render *r, struct render_line *l)
{
	struct rendered *out = r->out;

	if (out->n_lines == r->lines_cap) {
		r->lines_cap = r->lines_cap ? r->lines_cap * 2 : 64;
		out->lines =
		    xreallocarray(out->lines, r->lines_cap, sizeof *out->lines);
	}
	out->lines[out->n_lines++] = *l;
}

/* A line with no text: in a quote, only the margin the bars go on. */
static struct render_line
empty_line(int depth)
{
	struct render_line l = {NULL, 0, depth, 0};

	if (depth > 0) {
		l.width = RENDER_QUOTE_COLS * (size_t)depth;
		l.spans = xcalloc(1, sizeof *l.spans);
		l.spans[0].text = xmalloc(l.width + 1);
		memset(l.spans[0].text, ' ', l.width);
		l.spans[0].text[l.width] = '\0';
		l.n_spans = 1;
	}
	return l;
}

void
render_finish_line(struct render *r)
{
	struct render_line l = empty_line(r->line_depth);
	struct marks *m = &r->line_marks;

	if (r->has_text) {
		free(l.spans ? l.spans[0].text : NULL);
		free(l.spans);
		l.spans = xcalloc(m->n, sizeof *l.spans);
		for (size_t i = 0; i < m->n; i++) {
			size_t end =
			    i + 1 < m->n ? m->v[i + 1].off : r->line.len;

			l.spans[i].text = xstrndup(r->line.data + m->v[i].off,
			                           end - m->v[i].off);
			l.spans[i].style = m->v[i].style;
		}
		l.n_spans = m->n;
		l.width = r->cols;
	}
	push_line(r, &l);
	buf_reset(&r->line);
	m->n = 0;
	r->cols = 0;
	r->started = r->has_text = r->clipped = false;
}

/* The blank line a block asked for, in the shallower of the two quotes. */
static void
put_blank(struct render *r, int depth)
{
	struct rendered *out = r->out;
	int prev = out->lines[out->n_lines - 1].quote_depth;
	struct render_line l = empty_line(prev < depth ? prev : depth);

	push_line(r, &l);
}

void
render_start_line(struct render *r)
{
	const struct frame *f = render_top(r);

	if (r->started)
		return;
	if (r->blank && r->out->n_lines > 0)
		put_blank(r, f->depth);
	r->blank = r->fresh = false;
	r->started = true;
	r->line_depth = f->depth;
	put_spaces(r, render_margin_cols(r));
	if (r->has_marker) {
		put_spaces(r, r->marker_indent);
		line_put(r, r->marker, strlen(r->marker),
		         render_cols(r->marker, strlen(r->marker)),
		         r->marker_style);
		r->has_marker = false;
		r->has_text = true;
	} else {
		put_spaces(r, f->indent);
	}
	r->start_cols = r->cols;
}

/* A word wider than a line, one character at a time. */
static void
place_broken(struct render *r)
{
	struct marks *m = &r->word_marks;

	for (size_t i = 0; i < m->n; i++) {
		size_t end = i + 1 < m->n ? m->v[i + 1].off : r->word.len;
		size_t p = m->v[i].off;

		while (p < end) {
			size_t n = render_char_len(r->word.data + p, end - p);
			size_t w = render_cols(r->word.data + p, n);

			if (r->cols > r->start_cols &&
			    r->cols + w > render_text_cols(r)) {
				render_finish_line(r);
				render_start_line(r);
			}
			line_put(r, r->word.data + p, n, w, m->v[i].style);
			r->has_text = true;
			p += n;
		}
	}
}

/* Put the gathered word on the line, wrapping before it when needed. */
static void
place_word(struct render *r)
{
	struct marks *m = &r->word_marks;
	size_t sp;

	if (m->n == 0)
		return;
	render_start_line(r);
	sp = r->space && r->cols > r->start_cols ? 1 : 0;
	if (r->cols > r->start_cols &&
	    r->cols + sp + r->word_cols > render_text_cols(r)) {
		render_finish_line(r);
		render_start_line(r);
		sp = 0;
	}
	if (sp) {
		unsigned before = r->line_marks.v[r->line_marks.n - 1].style;

		line_put(r, " ", 1, 1, before & m->v[0].style);
	}
	if (r->cols + r->word_cols > render_text_cols(r)) {
		place_broken(r);
	} else {
		for (size_t i = 0; i < m->n; i++) {
			size_t end =
			    i + 1 < m->n ? m->v[i + 1].off : r->word.len;

			line_put(r, r->word.data + m->v[i].off,
			         end - m->v[i].off, m->v[i].cols,
			         m->v[i].style);
		}
		r->has_text = true;
	}
	buf_reset(&r->word);
	m->n = 0;
	r->word_cols = 0;
	r->space = false;
}

static void
word_add(struct render *r, const char *s, size_t len, unsigned style)
{
	size_t cols = render_cols(s, len);

	marks_add(&r->word_marks, r->word.len, cols, style);
	buf_append(&r->word, s, len);
	r->word_cols += cols;
}

static void
flow_text(struct render *r, const char *s, size_t len, unsigned style)
{
	size_t i = 0;

	while (i < len) {
		size_t start = i;

		if (is_space(s[i])) {
			while (i < len && is_space(s[i]))
				i++;
			place_word(r);
			r->space = true;
			continue;
		}
		while (i < len && !is_space(s[i]))
			i++;
		word_add(r, s + start, i - start, style);
	}
}

/* Take the line's last character back out, to make room for a mark. */
static void
line_pop_char(struct render *r)
{
	struct marks *m = &r->line_marks;
	struct mark *last = &m->v[m->n - 1];
	size_t end = r->line.len, start = end - 1, w;

	while (start > last->off &&
	       ((unsigned char)r->line.data[start] & 0xC0) == 0x80)
		start--;
	w = render_cols(r->line.data + start, end - start);
	r->line.len = start;
	r->line.data[start] = '\0';
	last->cols -= w;
	r->cols -= w;
	if (start == last->off)
		m->n--;
}

void
render_put_clipped(struct render *r, const char *s, size_t len, unsigned style)
{
	size_t avail, p = 0, w;

	render_start_line(r);
	if (r->clipped || len == 0)
		return;
	avail = render_text_cols(r);
	w = render_cols(s, len);
	r->has_text = true;
	if (r->cols + w <= avail) {
		line_put(r, s, len, w, style);
		return;
	}
	while (p < len) {
		size_t n = render_char_len(s + p, len - p);
		size_t cw = render_cols(s + p, n);

		if (r->cols + cw + 1 > avail)
			break;
		line_put(r, s + p, n, cw, style);
		p += n;
	}
	while (r->cols + 1 > avail && r->cols > r->start_cols)
		line_pop_char(r);
	line_put(r, ELLIPSIS, strlen(ELLIPSIS), 1, RS_MARKER);
	r->clipped = true;
}

/* A run of code without newlines: tabs to the next stop, then clipped. */
static void
pre_run(struct render *r, const char *s, size_t len, unsigned style)
{
	const struct frame *f = render_top(r);
	size_t start = 0;

	render_start_line(r);
	for (size_t i = 0; i <= len; i++) {
		if (i < len && s[i] != '\t')
			continue;
		render_put_clipped(r, s + start, i - start, style);
		if (i < len) {
			size_t col =
			    r->cols > f->indent ? r->cols - f->indent : 0;

			for (size_t n = TAB_STOP - col % TAB_STOP; n > 0; n--)
				render_put_clipped(r, " ", 1, style);
		}
		start = i + 1;
	}
}

static void
pre_text(struct render *r, const char *s, size_t len, unsigned style)
{
	size_t i = 0;

	if (r->pre_start && len > 0 && s[0] == '\n')
		i = 1;
	r->pre_start = false;
	while (i < len) {
		const char *nl = memchr(s + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - s) : len;

		if (r->pre_nl) {
			render_start_line(r);
			render_finish_line(r);
			r->pre_nl = false;
		}
		if (end > i)
			pre_run(r, s + i, end - i, style);
		if (nl)
			r->pre_nl = true;
		i = end + (nl ? 1 : 0);
	}
}

void
render_text(struct render *r, const char *s, size_t len, unsigned style)
{
	switch (render_top(r)->mode) {
	case MODE_FLOW:
		flow_text(r, s, len, style);
		break;
	case MODE_PRE:
		pre_text(r, s, len, style);
		break;
	case MODE_CELL:
		table_acc_text(r->table, s, len);
		break;
	case MODE_TABLE:
		break;
	}
}

void
render_flush(struct render *r)
{
	place_word(r);
	r->space = false;
	if (r->started && r->has_text)
		render_finish_line(r);
}

void
render_break(struct render *r)
{
	switch (render_top(r)->mode) {
	case MODE_FLOW:
		place_word(r);
		r->space = false;
		render_start_line(r);
		render_finish_line(r);
		break;
	case MODE_PRE:
		pre_text(r, "\n", 1, 0);
		break;
	case MODE_CELL:
		table_acc_text(r->table, " ", 1);
		break;
	case MODE_TABLE:
		break;
	}
}

void
render_block_begin(struct render *r, bool sep)
{
	enum render_mode mode = render_top(r)->mode;

	if (mode == MODE_CELL) {
		table_acc_text(r->table, " ", 1);
		return;
	}
	if (mode != MODE_FLOW)
		return;
	render_flush(r);
	if (sep && !r->fresh)
		r->blank = true;
}

void
render_block_end(struct render *r, bool sep)
{
	render_block_begin(r, false);
	if (sep && render_top(r)->mode == MODE_FLOW)
		r->blank = true;
}

void
render_pre_end(struct render *r)
{
	if (r->started)
		render_finish_line(r);
	r->pre_nl = r->pre_start = false;
}
