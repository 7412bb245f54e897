/*
 * view_thread_layout.c: a thread's lines. Posts are laid out (rendered)
 * only when they come near the screen, at the screen's width, and their
 * renders dropped again when the reader is far away, so a topic of
 * 10,000 posts costs the memory of the few on screen. Scrolling moves
 * the anchor (an item and a line in it), never a screen row.
 */
#include "config.h"

#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ambt/i18n.h"
#include "ambt/util.h"
#include "tui/core.h"
#include "tui/view_thread.h"

#define HEADER_LINES 5
#define KEEP_ROWS 40 /* renders kept this many posts either side */

void
vt_order(struct view_thread *v)
{
	struct thread *t = v->thread;

	if (!v->order_stale || t == NULL)
		return;
	v->rows = xreallocarray(v->rows, t->n ? t->n : 1, sizeof *v->rows);
	v->row_of_slot = xreallocarray(v->row_of_slot, t->n ? t->n : 1,
	                               sizeof *v->row_of_slot);
	v->n_rows = thread_order(t, v->tree, v->rows);
	for (size_t i = 0; i < t->n; i++)
		v->row_of_slot[i] = -1;
	for (size_t r = 0; r < v->n_rows; r++)
		v->row_of_slot[v->rows[r].slot] = (long)r;
	v->order_stale = false;
}

size_t
vt_n_items(const struct view_thread *v)
{
	return v->n_rows + 1;
}

long
vt_item_slot(const struct view_thread *v, size_t item)
{
	return item == 0 || item > v->n_rows ? -1
	                                     : (long)v->rows[item - 1].slot;
}

int64_t
vt_item_key(const struct view_thread *v, size_t item)
{
	long slot = vt_item_slot(v, item);

	return slot < 0 ? VT_HEADER_KEY
	                : thread_slot_key(v->thread, (size_t)slot);
}

/* A hidden post (in a collapsed branch): the shown post before it. */
static size_t
item_before_hidden(const struct view_thread *v, size_t slot)
{
	size_t best = 0;

	for (size_t r = 0; r < v->n_rows; r++)
		if (v->rows[r].slot < slot)
			best = r + 1;
	return best;
}

size_t
vt_anchor_item(struct view_thread *v)
{
	long slot;

	vt_order(v);
	if (v->anchor_key == VT_HEADER_KEY || v->thread == NULL)
		return 0;
	slot = thread_slot_of_key(v->thread, v->anchor_key);
	if (slot < 0)
		return 0;
	if (v->row_of_slot[slot] < 0)
		return item_before_hidden(v, (size_t)slot);
	return (size_t)v->row_of_slot[slot] + 1;
}

void
vt_set_anchor(struct view_thread *v, size_t item, int line)
{
	v->anchor_key = vt_item_key(v, item);
	v->anchor_line = line < 0 ? 0 : line;
}

/* ---- A post's lines ---- */

void
post_ui_free(void *p)
{
	struct post_ui *ui = p;

	if (ui == NULL)
		return;
	free(ui->head);
	free(ui->meta);
	rendered_free(ui->body);
	free(ui);
}

static char *
clean(const char *s)
{
	return utf8_sanitize(s ? s : "", s ? strlen(s) : 0);
}

/* "Name @username", or "@username" when the name adds nothing. */
static char *
author_text(const struct post *p)
{
	char *user = clean(p->username), *name = clean(p->name), *s;

	if (p->name && *p->name &&
	    strcmp(p->name, p->username ? p->username : "") != 0)
		s = xasprintf("%s @%s", name, user);
	else
		s = xasprintf("@%s", user);
	free(user);
	free(name);
	return s;
}

static char *
head_text(const struct post *p)
{
	char *author = author_text(p), *s;

	if (p->reply_to_post_number > 0) {
		char *to = clean(p->reply_to_username);

		s = xasprintf(_("#%d  %s  in reply to @%s #%d"), p->post_number,
		              author, to, p->reply_to_post_number);
		free(to);
	} else {
		s = xasprintf("#%d  %s", p->post_number, author);
	}
	free(author);
	return s;
}

/* "3d · Sun 29 Nov 2026 14:03 · 2 likes": day and month named in the
 * user's locale (LC_TIME), the time in their zone; %c would print a
 * two-digit year in some locales. */
static char *
meta_text(const struct post *p)
{
	char age[16], when[96] = "";
	time_t at = (time_t)p->created_at;
	struct tm tm;
	struct buf b;

	if (at != 0 && localtime_r(&at, &tm) != NULL)
		strftime(when, sizeof when, "%a %e %b %Y %H:%M", &tm);
	buf_init(&b);
	buf_printf(&b, "%s \u00b7 %s", tui_age(p->created_at, age, sizeof age),
	           when);
	if (p->like_count > 0)
		buf_printf(
		    &b,
		    P_(" \u00b7 %d like", " \u00b7 %d likes", p->like_count),
		    p->like_count);
	if (p->version > 1)
		buf_puts(&b, _(" \u00b7 edited"));
	return buf_steal(&b);
}

static char *
small_action_text(const struct post *p)
{
	const char *what = thread_action_text(p->action_code);
	char *user = clean(p->username), *code = clean(p->action_code), *s;
	char age[16];

	s = xasprintf("\u2022 @%s %s \u00b7 %s", user, what ? what : code,
	              tui_age(p->created_at, age, sizeof age));
	free(user);
	free(code);
	return s;
}

/* Raw Markdown as HTML the renderer wraps: every line kept, indentation
 * too, and nothing in it taken for markup. */
static char *
raw_html(const char *raw)
{
	struct buf b;
	bool line_start = true;

	buf_init(&b);
	buf_puts(&b, "<p>");
	for (const char *c = raw ? raw : ""; *c; c++) {
		if (*c == ' ' && line_start) {
			buf_puts(&b, "&#160;");
			continue;
		}
		line_start = *c == '\n';
		if (*c == '<')
			buf_puts(&b, "&lt;");
		else if (*c == '>')
			buf_puts(&b, "&gt;");
		else if (*c == '&')
			buf_puts(&b, "&amp;");
		else if (*c == '\n')
			buf_puts(&b, "<br>");
		else
			buf_putc(&b, *c);
	}
	buf_puts(&b, "</p>");
	return buf_steal(&b);
}

static int
slot_indent(const struct view_thread *v, size_t slot)
{
	long r = v->row_of_slot ? v->row_of_slot[slot] : -1;

	return v->tree && r >= 0 ? 2 * v->rows[r].depth : 0;
}

static void
render_body(struct view_thread *v, struct post_ui *ui, const struct post *p)
{
	struct render_options o = {.width = ui->width,
	                           .base_url = tui_base_url(v->tui)};
	char *html = ui->raw ? raw_html(p->raw) : NULL;
	const char *src = html ? html : (p->cooked ? p->cooked : "");

	rendered_free(ui->body);
	ui->body = render_html(src, strlen(src), &o);
	free(html);
}

/* The slot's ui at the current width, made or remade as needed. */
static struct post_ui *
slot_ui(struct view_thread *v, size_t slot)
{
	struct thread_slot *s = &v->thread->slots[slot];
	struct post_ui *ui = s->ui;
	int width = v->cols - slot_indent(v, slot);

	if (s->post == NULL)
		return NULL;
	if (ui && ui->width == width && ui->head)
		return ui;
	if (ui == NULL)
		ui = s->ui = xcalloc(1, sizeof *ui);
	ui->width = width;
	free(ui->head);
	free(ui->meta);
	if (s->post->post_type == POST_TYPE_SMALL_ACTION) {
		ui->head = small_action_text(s->post);
		ui->meta = NULL;
		return ui;
	}
	ui->head = head_text(s->post);
	ui->meta = meta_text(s->post);
	render_body(v, ui, s->post);
	return ui;
}

const struct rendered *
vt_body(struct view_thread *v, size_t slot)
{
	struct post_ui *ui = slot_ui(v, slot);

	return ui ? ui->body : NULL;
}

int
vt_item_lines(struct view_thread *v, size_t item)
{
	long slot = vt_item_slot(v, item);
	struct post_ui *ui;

	if (slot < 0)
		return HEADER_LINES;
	ui = slot_ui(v, (size_t)slot);
	if (ui == NULL || ui->meta == NULL)
		return 2; /* a placeholder or a small action, and a blank */
	return 3 + (int)(ui->body ? ui->body->n_lines : 0);
}

/* ---- Scrolling ---- */

static void
scroll_down(struct view_thread *v, size_t *item, int *line, int n)
{
	while (n > 0) {
		int left = vt_item_lines(v, *item) - 1 - *line;

		if (n <= left) {
			*line += n;
			return;
		}
		if (*item + 1 >= vt_n_items(v)) {
			*line += left;
			return;
		}
		n -= left + 1;
		(*item)++;
		*line = 0;
	}
}

static void
scroll_up(struct view_thread *v, size_t *item, int *line, int n)
{
	while (n > 0) {
		if (n <= *line) {
			*line -= n;
			return;
		}
		if (*item == 0) {
			*line = 0;
			return;
		}
		n -= *line + 1;
		(*item)--;
		*line = vt_item_lines(v, *item) - 1;
	}
}

/* Lines from (item, line) to the end, counting no further than limit. */
static int
lines_to_end(struct view_thread *v, size_t item, int line, int limit)
{
	int n = vt_item_lines(v, item) - line;

	while (n < limit && ++item < vt_n_items(v))
		n += vt_item_lines(v, item);
	return n;
}

static int
screen_rows(const struct view_thread *v)
{
	return v->rows_shown > 0 ? v->rows_shown : (LINES > 2 ? LINES - 2 : 1);
}

void
vt_scroll_to_end(struct view_thread *v)
{
	size_t item = vt_n_items(v) - 1;
	int line = vt_item_lines(v, item) - 1;

	scroll_up(v, &item, &line, screen_rows(v) - 1);
	vt_set_anchor(v, item, line);
}

void
vt_scroll(struct view_thread *v, int n)
{
	size_t item = vt_anchor_item(v);
	int line = v->anchor_line;

	if (n > 0) {
		scroll_down(v, &item, &line, n);
		if (lines_to_end(v, item, line, screen_rows(v)) <
		    screen_rows(v)) {
			vt_scroll_to_end(v);
			return;
		}
	} else {
		scroll_up(v, &item, &line, -n);
	}
	vt_set_anchor(v, item, line);
}

/* ---- Drawing ---- */

static char *
category_text(const struct view_thread *v)
{
	const struct category *c =
	    v->site ? site_category(v->site, v->topic->category_id) : NULL;
	struct buf b;
	char *s;

	buf_init(&b);
	buf_puts(&b, c && c->name ? c->name : "");
	for (size_t i = 0; i < v->topic->n_tags; i++)
		buf_printf(&b, "%s#%s", b.len ? "  " : "", v->topic->tags[i]);
	s = clean(b.data);
	buf_free(&b);
	return s;
}

static char *
participants_text(const struct view_thread *v)
{
	struct buf b;
	char *s;

	buf_init(&b);
	for (size_t i = 0; i < v->topic->n_participants; i++)
		buf_printf(&b, "%s@%s", i ? " " : "",
		           v->topic->participants[i].username
		               ? v->topic->participants[i].username
		               : "");
	s = clean(b.data);
	buf_free(&b);
	return s;
}

/* "12 views · 3 replies · 4 participants · 4 posts", each counted in the
 * user's language. */
static char *
stats_text(const struct topic *t)
{
	struct buf b;

	buf_init(&b);
	buf_printf(&b, P_("%d view", "%d views", t->views), t->views);
	buf_puts(&b, " \u00b7 ");
	buf_printf(&b, P_("%d reply", "%d replies", t->reply_count),
	           t->reply_count);
	buf_puts(&b, " \u00b7 ");
	buf_printf(
	    &b, P_("%d participant", "%d participants", t->participant_count),
	    t->participant_count);
	buf_puts(&b, " \u00b7 ");
	buf_printf(&b, P_("%d post", "%d posts", t->posts_count),
	           t->posts_count);
	return buf_steal(&b);
}

static void
draw_header_line(struct view_thread *v, int line, int y, int cols)
{
	const struct topic *t = v->topic;
	char *s = NULL;

	if (t == NULL)
		return;
	switch (line) {
	case 0:
		tui_put(y, 0, cols, v->title, tui_attr(TE_HEADING) | A_BOLD,
		        false);
		return;
	case 1:
		s = category_text(v);
		tui_put(y, 0, cols, s, tui_attr(TE_CATEGORY), false);
		break;
	case 2:
		s = stats_text(t);
		tui_put(y, 0, cols, s, tui_attr(TE_DIM), false);
		break;
	case 3:
		s = participants_text(v);
		tui_put(y, 0, cols, s, tui_attr(TE_DIM), false);
		break;
	default:
		break;
	}
	free(s);
}

static void
draw_placeholder(struct view_thread *v, size_t slot, int y, int cols)
{
	const struct thread_slot *s = &v->thread->slots[slot];
	char *text;

	if (v->offline)
		text = xstrdup(_("\u2026 post not loaded: the server cannot "
		                 "be reached"));
	else if (v->load_failed)
		text =
		    xstrdup(_("\u2026 post not loaded (any key tries again)"));
	else if (s->post_number > 0)
		text = xasprintf(_("\u2026 loading post #%d"), s->post_number);
	else
		text = xstrdup(_("\u2026 loading"));
	tui_put(y, 0, cols, text, tui_attr(TE_DIM), false);
	free(text);
}

static void
draw_head(struct view_thread *v, size_t slot, int y, int cols)
{
	struct post_ui *ui = slot_ui(v, slot);
	int x = slot_indent(v, slot);
	long r = v->row_of_slot[slot];
	const char *mark = "";

	if (v->tree && r >= 0 && v->rows[r].has_replies)
		mark = v->thread->slots[slot].collapsed ? "[+] " : "[-] ";
	if (*mark) {
		tui_put(y, x, cols - x, mark, tui_attr(TE_MARKER), false);
		x += 4;
	}
	if (ui->meta == NULL) {
		tui_put(y, x, cols - x, ui->head, tui_attr(TE_DIM), false);
		return;
	}
	tui_put(y, x, cols - x, ui->head,
	        tui_attr(TE_AUTHOR) | tui_attr(TE_POST_HEADER), false);
}

static void
draw_post_line(struct view_thread *v, size_t slot, int line, int y, int cols)
{
	struct post_ui *ui = slot_ui(v, slot);
	int x = slot_indent(v, slot);

	if (ui == NULL) {
		if (line == 0)
			draw_placeholder(v, slot, y, cols);
		return;
	}
	if (line == 0)
		draw_head(v, slot, y, cols);
	else if (line == 1 && ui->meta)
		tui_put(y, x, cols - x, ui->meta, tui_attr(TE_DIM), false);
	else if (ui->body && line >= 2 &&
	         (size_t)(line - 2) < ui->body->n_lines)
		tui_put_rendered(y, x, cols - x, &ui->body->lines[line - 2]);
}

static void
note_visible(struct view_thread *v, size_t item)
{
	long slot = vt_item_slot(v, item);
	const struct thread_slot *s;

	if (slot < 0)
		return;
	s = &v->thread->slots[slot];
	if (s->post)
		v->visible[v->n_visible++] = s->post_number;
}

void
vt_draw(struct view_thread *v, int top, int rows, int cols)
{
	size_t item = vt_anchor_item(v);
	int line = v->anchor_line, y = top;

	v->cols = cols;
	v->rows_shown = rows;
	v->visible =
	    xreallocarray(v->visible, (size_t)rows + 1, sizeof *v->visible);
	v->n_visible = 0;
	if (line >= vt_item_lines(v, item))
		line = v->anchor_line = vt_item_lines(v, item) - 1;
	for (; y < top + rows && item < vt_n_items(v); item++, line = 0) {
		int n = vt_item_lines(v, item);

		note_visible(v, item);
		v->last_item = item;
		for (; line < n && y < top + rows; line++, y++) {
			long slot = vt_item_slot(v, item);

			if (slot < 0)
				draw_header_line(v, line, y, cols);
			else
				draw_post_line(v, (size_t)slot, line, y, cols);
		}
	}
	vt_drop_renders(v);
}

void
vt_drop_renders(struct view_thread *v)
{
	struct thread *t = v->thread;
	size_t item = vt_anchor_item(v);
	size_t lo = item > KEEP_ROWS ? item - KEEP_ROWS : 0;
	size_t hi = item + (size_t)screen_rows(v) + KEEP_ROWS;

	if (t == NULL)
		return;
	for (size_t i = 0; i < t->n; i++) {
		long r = v->row_of_slot ? v->row_of_slot[i] : -1;

		if (t->slots[i].ui == NULL)
			continue;
		if (r >= 0 && (size_t)r + 1 >= lo && (size_t)r + 1 <= hi)
			continue;
		post_ui_free(t->slots[i].ui);
		t->slots[i].ui = NULL;
	}
}
