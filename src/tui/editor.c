/*
 * editor.c: edit a post's text. $VISUAL, else $EDITOR, gets the terminal
 * with the screen suspended and restored after it, as in mutt. Without
 * either, a small built-in editor: the text as wide characters, one
 * cursor, lines wrapped at the screen's width (widths from wcwidth).
 * The built-in editor holds the screen while it runs: the network waits.
 */
#include "config.h"

#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <wchar.h>

#include "ambt/i18n.h"
#include "ambt/util.h"
#include "tui/compose.h"

#define CTRL(c) ((c)&0x1f)

/* The editor command through sh, so "vim -u NONE" works; the path is $1,
 * never spliced into the command. */
static enum edit_result
run_external(const char *editor, const char *path)
{
	char *cmd = xasprintf("%s \"$1\"", editor);
	int status = 0;
	pid_t pid;

	def_prog_mode();
	endwin();
	pid = fork();
	if (pid == 0) {
		execl("/bin/sh", "sh", "-c", cmd, "sh", path, (char *)NULL);
		_exit(127);
	}
	while (pid > 0 && waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	free(cmd);
	reset_prog_mode();
	clearok(curscr, TRUE);
	refresh();
	if (pid < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return EDIT_FAILED;
	return EDIT_DONE;
}

char *
edit_read_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	struct buf b;
	char chunk[4096];
	size_t n;

	if (f == NULL)
		return NULL;
	buf_init(&b);
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_append(&b, chunk, n);
	fclose(f);
	return buf_steal(&b);
}

int
edit_write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");
	size_t n = strlen(text);
	int rc;

	if (f == NULL)
		return -1;
	rc = fwrite(text, 1, n, f) == n ? 0 : -1;
	if (fclose(f) != 0)
		rc = -1;
	return rc;
}

/* ---- The built-in editor ---- */

struct ed {
	wchar_t *text;
	size_t len, cap;
	size_t cur;  /* the cursor: an index into text */
	int top;     /* the first screen row of the text shown */
	int cur_row; /* where the cursor is, from the last layout */
	int cur_col;
};

static int
char_width(wchar_t c)
{
	int w = c == L'\t' ? 1 : wcwidth(c);

	return w < 0 ? 1 : w;
}

static void
ed_insert(struct ed *e, wchar_t c)
{
	if (e->len + 1 >= e->cap) {
		e->cap = e->cap ? e->cap * 2 : 256;
		e->text = xrealloc(e->text, e->cap * sizeof *e->text);
	}
	memmove(e->text + e->cur + 1, e->text + e->cur,
	        (e->len - e->cur) * sizeof *e->text);
	e->text[e->cur++] = c;
	e->len++;
}

static void
ed_delete(struct ed *e, size_t at)
{
	if (at >= e->len)
		return;
	memmove(e->text + at, e->text + at + 1,
	        (e->len - at - 1) * sizeof *e->text);
	e->len--;
}

static size_t
line_start(const struct ed *e, size_t i)
{
	while (i > 0 && e->text[i - 1] != L'\n')
		i--;
	return i;
}

static size_t
line_end(const struct ed *e, size_t i)
{
	while (i < e->len && e->text[i] != L'\n')
		i++;
	return i;
}

/* The index in the line starting at start that is `col` columns in. */
static size_t
at_column(const struct ed *e, size_t start, int col)
{
	size_t end = line_end(e, start), i = start;

	for (int w = 0; i < end && w + char_width(e->text[i]) <= col; i++)
		w += char_width(e->text[i]);
	return i;
}

static int
column_of(const struct ed *e, size_t i)
{
	int w = 0;

	for (size_t j = line_start(e, i); j < i; j++)
		w += char_width(e->text[j]);
	return w;
}

static void
ed_vertical(struct ed *e, int dir)
{
	size_t start = line_start(e, e->cur);
	int col = column_of(e, e->cur);

	if (dir < 0 && start > 0)
		e->cur = at_column(e, line_start(e, start - 1), col);
	else if (dir > 0 && line_end(e, e->cur) < e->len)
		e->cur = at_column(e, line_end(e, e->cur) + 1, col);
}

/* Lay out and draw rows [1, rows] of the screen; row 0 is the help. */
static void
ed_draw(struct ed *e, int rows, int cols)
{
	int row = 0, col = 0;

	erase();
	tui_put(
	    0, 0, cols,
	    _("Ctrl-X: done   Esc: stop, the draft is kept   Ctrl-A/E: line "
	      "start/end"),
	    A_REVERSE, true);
	for (int pass = 0; pass < 2; pass++) {
		row = col = 0;
		for (size_t i = 0; i <= e->len; i++) {
			wchar_t c = i < e->len ? e->text[i] : L'\n';
			int w = c == L'\n' ? 0 : char_width(c);

			if (col + w > cols) {
				row++;
				col = 0;
			}
			if (i == e->cur) {
				e->cur_row = row;
				e->cur_col = col;
			}
			if (pass == 1 && c != L'\n' && row >= e->top &&
			    row - e->top < rows) {
				wchar_t s[2] = {c == L'\t' ? L' ' : c, 0};
				mvaddwstr(1 + row - e->top, col, s);
			}
			if (c == L'\n') {
				row++;
				col = 0;
			} else {
				col += w;
			}
		}
		if (e->cur_row < e->top)
			e->top = e->cur_row;
		else if (e->cur_row >= e->top + rows)
			e->top = e->cur_row - rows + 1;
	}
	move(1 + e->cur_row - e->top, e->cur_col);
	refresh();
}

/* Handle a key; returns 0 to go on, or the result when the editor ends. */
static int
ed_key(struct ed *e, int ret, wint_t ch)
{
	if (ret == KEY_CODE_YES) {
		switch (ch) {
		case KEY_LEFT:
			e->cur -= e->cur > 0;
			break;
		case KEY_RIGHT:
			e->cur += e->cur < e->len;
			break;
		case KEY_UP:
			ed_vertical(e, -1);
			break;
		case KEY_DOWN:
			ed_vertical(e, 1);
			break;
		case KEY_HOME:
			e->cur = line_start(e, e->cur);
			break;
		case KEY_END:
			e->cur = line_end(e, e->cur);
			break;
		case KEY_DC:
			ed_delete(e, e->cur);
			break;
		case KEY_ENTER:
			ed_insert(e, L'\n');
			break;
		case KEY_BACKSPACE:
			if (e->cur > 0)
				ed_delete(e, --e->cur);
			break;
		default:
			break;
		}
		return 0;
	}
	switch (ch) {
	case CTRL('A'): /* as in readline, where Home does not come through */
		e->cur = line_start(e, e->cur);
		break;
	case CTRL('E'):
		e->cur = line_end(e, e->cur);
		break;
	case CTRL('X'):
	case CTRL('D'):
		return 1 + EDIT_DONE;
	case 27:
		return 1 + EDIT_CANCELLED;
	case L'\r':
	case L'\n':
		ed_insert(e, L'\n');
		break;
	case 127:
	case CTRL('H'):
		if (e->cur > 0)
			ed_delete(e, --e->cur);
		break;
	default:
		if (ch == L'\t' || ch >= 32)
			ed_insert(e, (wchar_t)ch);
		break;
	}
	return 0;
}

static int
ed_load(struct ed *e, const char *path)
{
	char *bytes = edit_read_file(path);
	size_t wn;

	if (bytes == NULL)
		return -1;
	wn = mbstowcs(NULL, bytes, 0);
	if (wn == (size_t)-1) {
		free(bytes);
		return -1;
	}
	e->cap = wn + 256;
	e->text = xcalloc(e->cap, sizeof *e->text);
	e->len = mbstowcs(e->text, bytes, wn + 1);
	e->cur = e->len;
	free(bytes);
	return 0;
}

static int
ed_save(struct ed *e, const char *path)
{
	size_t n;
	char *bytes;
	int rc;

	e->text[e->len] = 0; /* there is always room: see ed_insert */
	n = wcstombs(NULL, e->text, 0);
	if (n == (size_t)-1)
		return -1;
	bytes = xmalloc(n + 1);
	wcstombs(bytes, e->text, n + 1);
	rc = edit_write_file(path, bytes);
	free(bytes);
	return rc;
}

static enum edit_result
run_builtin(struct tui *t, const char *path)
{
	struct ed e = {0};
	int done = 0, ret;
	wint_t ch;

	if (ed_load(&e, path) < 0)
		return EDIT_FAILED;
	curs_set(1);
	nodelay(stdscr, FALSE);
	while (!done) {
		ed_draw(&e, LINES - 1, COLS);
		ret = get_wch(&ch);
		if (ret == ERR) {
			/* A closed window reads as ERR for ever: keep the
			 * text (saved below, kept as a draft) and stop. */
			if (tui_should_stop(t))
				done = 1 + EDIT_CANCELLED;
			continue;
		}
		done = ed_key(&e, ret, ch);
	}
	nodelay(stdscr, TRUE);
	curs_set(0);
	if (ed_save(&e, path) < 0)
		done = 1 + EDIT_FAILED;
	free(e.text);
	clearok(curscr, TRUE);
	return (enum edit_result)(done - 1);
}

enum edit_result
tui_edit_file(struct tui *t, const char *path)
{
	const char *editor = getenv("VISUAL");
	enum edit_result r;

	if (editor == NULL || editor[0] == '\0')
		editor = getenv("EDITOR");
	if (editor != NULL && editor[0] != '\0')
		r = run_external(editor, path);
	else
		r = run_builtin(t, path);
	tui_dirty(t);
	return r;
}
