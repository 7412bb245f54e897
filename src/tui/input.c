/*
 * input.c: curses key codes to the key names of keys.h, and the mouse
 * (wheel and click).
 */
#include "config.h"

#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/core.h"

void
input_init(void)
{
	keypad(stdscr, TRUE);
	noecho();
	cbreak();
	nonl();
	/* Esc alone cancels: do not wait a second for a sequence. */
	set_escdelay(25);
	mousemask(BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON4_PRESSED |
	              BUTTON5_PRESSED,
	          NULL);
	mouseinterval(0);
}

static const struct {
	int code;
	const char *name;
} key_codes[] = {
    {KEY_UP, "Up"},        {KEY_DOWN, "Down"},
    {KEY_LEFT, "Left"},    {KEY_RIGHT, "Right"},
    {KEY_PPAGE, "PageUp"}, {KEY_NPAGE, "PageDown"},
    {KEY_HOME, "Home"},    {KEY_END, "End"},
    {KEY_ENTER, "Enter"},  {KEY_BACKSPACE, "Backspace"},
    {KEY_DC, "Delete"},    {KEY_IC, "Insert"},
    {KEY_BTAB, "BackTab"},
};

static const char *
function_key_name(int code, char *buf, size_t size)
{
	for (size_t i = 0; i < sizeof key_codes / sizeof key_codes[0]; i++) {
		if (key_codes[i].code == code)
			return key_codes[i].name;
	}
	if (code >= KEY_F(1) && code <= KEY_F(12)) {
		snprintf(buf, size, "F%d", code - KEY_F0);
		return buf;
	}
	return NULL;
}

static const char *
char_key_name(wint_t ch, char *buf, size_t size)
{
	mbstate_t st;
	char mb[MB_LEN_MAX + 1];
	size_t n;

	switch (ch) {
	case '\r':
	case '\n':
		return "Enter";
	case '\t':
		return "Tab";
	case 27:
		return "Esc";
	case ' ':
		return "Space";
	case 8:
	case 127:
		return "Backspace";
	}
	if (ch >= 1 && ch <= 26) {
		snprintf(buf, size, "C-%c", (char)('a' + ch - 1));
		return buf;
	}
	if (ch < 32)
		return NULL;
	memset(&st, 0, sizeof st);
	n = wcrtomb(mb, (wchar_t)ch, &st);
	if (n == (size_t)-1 || n >= size)
		return NULL;
	memcpy(buf, mb, n);
	buf[n] = '\0';
	return buf;
}

const char *
input_key_name(int ret, wint_t ch, char *buf, size_t size)
{
	if (ret == KEY_CODE_YES)
		return function_key_name((int)ch, buf, size);
	if (ret == OK)
		return char_key_name(ch, buf, size);
	return NULL;
}

enum input_mouse_kind
input_mouse(int *row)
{
	MEVENT ev;

	if (getmouse(&ev) != OK)
		return MOUSE_NONE;
	if (ev.bstate & BUTTON4_PRESSED)
		return MOUSE_WHEEL_UP;
	if (ev.bstate & BUTTON5_PRESSED)
		return MOUSE_WHEEL_DOWN;
	if (ev.bstate & (BUTTON1_CLICKED | BUTTON1_PRESSED)) {
		*row = ev.y;
		return MOUSE_CLICK;
	}
	return MOUSE_NONE;
}
