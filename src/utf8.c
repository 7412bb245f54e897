/*
 * utf8.c: UTF-8 checking, making server text safe for a terminal, and
 * measuring it in columns.
 *
 * Widths come from wcwidth(), which follows LC_CTYPE: programs call
 * setlocale(LC_ALL, "") at start, and tests set a UTF-8 locale such as
 * C.UTF-8. The decoding below is our own, so it does not depend on the
 * locale; on glibc wchar_t holds the code point itself.
 */
#include <config.h>

#include <stdint.h>
#include <string.h>
#include <wchar.h>

#include "ambt/util.h"

#define REPLACEMENT "\xEF\xBF\xBD" /* U+FFFD */
#define ELLIPSIS "\xE2\x80\xA6"    /* U+2026 */

/*
 * Decode one character at s (len > 0 bytes left). Returns the bytes used
 * and sets *cp, or sets *cp to UINT32_MAX when the bytes are not UTF-8;
 * then the bytes used are the "maximal subpart" of Unicode's chapter 3, so
 * one bad sequence becomes one U+FFFD. Overlong forms, surrogates and
 * values past U+10FFFF are all refused by the second byte's range.
 */
static size_t
utf8_decode(const unsigned char *s, size_t len, uint32_t *cp)
{
	unsigned char lo = 0x80, hi = 0xBF;
	size_t need, i;
	uint32_t v;

	*cp = UINT32_MAX;
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xC2 && s[0] <= 0xDF) {
		need = 1;
		v = s[0] & 0x1F;
	} else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
		need = 2;
		v = s[0] & 0x0F;
		lo = s[0] == 0xE0 ? 0xA0 : 0x80;
		hi = s[0] == 0xED ? 0x9F : 0xBF;
	} else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
		need = 3;
		v = s[0] & 0x07;
		lo = s[0] == 0xF0 ? 0x90 : 0x80;
		hi = s[0] == 0xF4 ? 0x8F : 0xBF;
	} else {
		return 1;
	}
	for (i = 1; i <= need; i++) {
		if (i >= len || s[i] < lo || s[i] > hi)
			return i;
		v = (v << 6) | (s[i] & 0x3F);
		lo = 0x80;
		hi = 0xBF;
	}
	*cp = v;
	return i;
}

bool
utf8_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	uint32_t cp;

	while (i < len) {
		i += utf8_decode(p + i, len - i, &cp);
		if (cp == UINT32_MAX)
			return false;
	}
	return true;
}

/* Append one decoded character (n bytes at p) in its inert form. */
static void
sanitize_char(struct buf *b, const char *p, size_t n, uint32_t cp)
{
	if (cp == UINT32_MAX || (cp >= 0x80 && cp <= 0x9F)) {
		buf_puts(b, REPLACEMENT);
	} else if (cp == 0x7F) {
		buf_puts(b, "^?");
	} else if (cp < 0x20 && cp != '\t' && cp != '\n') {
		buf_putc(b, '^');
		buf_putc(b, (char)(cp + 0x40));
	} else {
		buf_append(b, p, n);
	}
}

char *
utf8_sanitize(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	struct buf b;
	size_t i = 0, n;
	uint32_t cp;

	buf_init(&b);
	while (i < len) {
		n = utf8_decode(p + i, len - i, &cp);
		sanitize_char(&b, s + i, n, cp);
		i += n;
	}
	return buf_steal(&b);
}

/* Columns of one character: unprintable and invalid count as one. */
static size_t
char_width(uint32_t cp)
{
	int w;

	if (cp == UINT32_MAX)
		return 1;
	w = wcwidth((wchar_t)cp);
	return w < 0 ? 1 : (size_t)w;
}

size_t
utf8_width(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s), i = 0, cols = 0;
	uint32_t cp;

	while (i < len) {
		i += utf8_decode(p + i, len - i, &cp);
		cols += char_width(cp);
	}
	return cols;
}

/* Copy characters of s while they fit in limit columns; returns the
 * columns used. Invalid bytes are copied as U+FFFD. */
static size_t
copy_fitting(struct buf *b, const char *s, size_t limit)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s), i = 0, cols = 0, n, w;
	uint32_t cp;

	while (i < len) {
		n = utf8_decode(p + i, len - i, &cp);
		w = char_width(cp);
		if (cols + w > limit)
			break;
		if (cp == UINT32_MAX)
			buf_puts(b, REPLACEMENT);
		else
			buf_append(b, s + i, n);
		cols += w;
		i += n;
	}
	return cols;
}

char *
utf8_fit(const char *s, size_t cols, bool pad)
{
	struct buf b;
	size_t used;

	buf_init(&b);
	if (utf8_width(s) <= cols) {
		used = copy_fitting(&b, s, cols);
	} else if (cols > 0) {
		used = copy_fitting(&b, s, cols - 1) + 1;
		buf_puts(&b, ELLIPSIS);
	} else {
		used = 0;
	}
	while (pad && used < cols) {
		buf_putc(&b, ' ');
		used++;
	}
	return buf_steal(&b);
}
