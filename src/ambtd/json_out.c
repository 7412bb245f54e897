/*
 * json_out.c: the small JSON pieces every endpoint family shares: times as
 * Discourse writes them, nullable text, slugs and avatar templates.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ambt/util.h"
#include "ambtd/ambtd.h"

json_t *
json_time(int64_t t)
{
	char buf[32];
	time_t tt = (time_t)t;
	struct tm tm;

	if (t == 0 || !gmtime_r(&tt, &tm))
		return json_null();
	/* Discourse: UTC with milliseconds, "2026-11-25T09:00:00.000Z" */
	strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S.000Z", &tm);
	return json_string(buf);
}

json_t *
json_str_or_null(const char *s)
{
	json_t *j = s ? json_string(s) : NULL;

	return j ? j : json_null();
}

#define BYTES_OF(c) (0x0101010101010101ULL * (c))

/* Whether any of the eight bytes of w is not ASCII. */
static bool
word_has_high_bit(uint64_t w)
{
	return (w & BYTES_OF(0x80)) != 0;
}

/* Whether any of the eight bytes of w is a control character, '"' or
 * '\\' (what a JSON string escapes); bit tricks of Sean Anderson's "Bit
 * Twiddling Hacks": haszero(), hasless(). */
static bool
word_needs_escape(uint64_t w)
{
	uint64_t quote = w ^ BYTES_OF('"'), backslash = w ^ BYTES_OF('\\');
	uint64_t control = (w - BYTES_OF(0x20)) & ~w;

	quote = (quote - BYTES_OF(1)) & ~quote;
	backslash = (backslash - BYTES_OF(1)) & ~backslash;
	return ((control | quote | backslash) & BYTES_OF(0x80)) != 0;
}

/* utf8_valid (ambt/util.h), eight ASCII bytes at a time: the text of a
 * page is mostly ASCII, and jansson's own check goes byte by byte. */
static bool
text_is_utf8(const unsigned char *s, size_t n)
{
	size_t i = 0, len;
	uint64_t w;

	while (i < n) {
		if (n - i >= 8) {
			memcpy(&w, s + i, 8);
			if (!word_has_high_bit(w)) {
				i += 8;
				continue;
			}
		}
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		len = s[i] >= 0xF0 ? 4 : s[i] >= 0xE0 ? 3 : 2;
		if (len > n - i || !utf8_valid((const char *)s + i, len))
			return false;
		i += len;
	}
	return true;
}

json_t *
json_col_text(sqlite3_stmt *stmt, int col)
{
	json_t *j = NULL;

	if (sqlite3_column_type(stmt, col) != SQLITE_NULL) {
		const char *text = (const char *)sqlite3_column_text(stmt, col);
		size_t n = (size_t)sqlite3_column_bytes(stmt, col);

		if (text_is_utf8((const unsigned char *)text, n))
			j = json_stringn_nocheck(text, n);
	}
	return j ? j : json_null();
}

/*
 * Latin letters with diacritics, as UTF-8 two-byte sequences from U+00C0
 * to U+00FF, folded to ASCII (Dutch and French names: é, ë, ï, ç, ...).
 * 0 means "not a letter" (×, ÷).
 */
static const char latin1_fold[64] = "AAAAAAACEEEEIIII"
                                    "DNOOOOO\0OUUUUYTs"
                                    "aaaaaaaceeeeiiii"
                                    "dnooooo\0ouuuuyty";

/* One character of the title at s (length *len): its ASCII fold, or 0. */
static char
fold_char(const unsigned char *s, size_t *len)
{
	*len = 1;
	if (s[0] < 0x80)
		return (char)s[0];
	if ((s[0] == 0xC3) && (s[1] & 0xC0) == 0x80) {
		*len = 2;
		return latin1_fold[(s[1] & 0x3F)];
	}
	/* skip the rest of any other UTF-8 sequence */
	while ((s[*len] & 0xC0) == 0x80)
		(*len)++;
	return 0;
}

char *
slugify(const char *title)
{
	size_t n = strlen(title), out = 0;
	char *slug = malloc(n + 6);
	bool dash = false;

	if (!slug)
		return NULL;
	for (const unsigned char *s = (const unsigned char *)title; *s;) {
		size_t len;
		char c = fold_char(s, &len);

		s += len;
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
			if (dash && out > 0)
				slug[out++] = '-';
			slug[out++] = c;
			dash = false;
		} else {
			dash = true;
		}
	}
	if (out == 0) /* Discourse's fallback for a title with no letters */
		memcpy(slug, "topic", out = 5);
	slug[out] = '\0';
	return slug;
}

/* A few of the colours Discourse's letter avatars use. */
static const char *const avatar_colors[] = {
    "8c91f0", "e47c5a", "9eb83b", "5fa8d3", "b19c4e", "cc7fa3",
    "3ab54a", "a87137", "4aa8a5", "d05454", "7b65b5", "ba8d3c",
};

char *
avatar_template(const char *username)
{
	unsigned h = 2166136261u; /* FNV-1a, stable across runs */
	size_t n_colors = sizeof avatar_colors / sizeof avatar_colors[0];
	char letter = 'x', buf[96];

	for (const char *s = username; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	if (username[0] >= 'A' && username[0] <= 'Z')
		letter = (char)(username[0] - 'A' + 'a');
	else if ((username[0] >= 'a' && username[0] <= 'z') ||
	         (username[0] >= '0' && username[0] <= '9'))
		letter = username[0];
	snprintf(buf, sizeof buf,
	         "/letter_avatar_proxy/v4/letter/%c/%s/{size}.png", letter,
	         avatar_colors[h % n_colors]);
	return strdup(buf);
}

/*
 * json_dump_compact: the same bytes as json_dumps(j, JSON_COMPACT |
 * JSON_ENCODE_ANY), five to ten times faster. jansson's dumper checks
 * every object and array for loops through a hashtable keyed by a
 * printf'd pointer and appends run by run through a callback; on a topic
 * page of 20 posts that was the largest cost of the whole request.
 */
struct out_buf {
	char *data;
	size_t len, cap;
	bool failed;
};

static void
out_grow(struct out_buf *b, size_t n)
{
	size_t cap = b->cap ? b->cap : 4096;
	char *data;

	while (cap - b->len < n + 1)
		cap *= 2;
	data = realloc(b->data, cap);
	if (!data) {
		b->failed = true;
		return;
	}
	b->data = data;
	b->cap = cap;
}

static void
out_put(struct out_buf *b, const char *s, size_t n)
{
	if (b->failed)
		return;
	if (b->cap - b->len < n + 1)
		out_grow(b, n);
	if (b->failed)
		return;
	memcpy(b->data + b->len, s, n);
	b->len += n;
}

/* Room for n more bytes (and a NUL); false when memory ran out. */
static bool
out_reserve(struct out_buf *b, size_t n)
{
	if (!b->failed && b->cap - b->len < n + 1)
		out_grow(b, n);
	return !b->failed;
}

/* Escape n bytes of a string into o, which has room for 6n; returns the
 * end. Control characters, '"' and '\' as jansson escapes them; the rest
 * (valid UTF-8, jansson checked it) as it is. */
static char *
escape_into(char *o, const unsigned char *u, size_t n)
{
	static const char hex[] = "0123456789ABCDEF"; /* as jansson */
	static const char short_esc[32] = {
	    ['\b'] = 'b', ['\f'] = 'f', ['\n'] = 'n',
	    ['\r'] = 'r', ['\t'] = 't',
	};

	for (size_t i = 0; i < n;) {
		unsigned char c;
		uint64_t w;

		if (n - i >= 8) { /* most of a post's HTML: eight at a time */
			memcpy(&w, u + i, 8);
			if (!word_needs_escape(w)) {
				memcpy(o, &w, 8);
				o += 8;
				i += 8;
				continue;
			}
		}
		c = u[i++];
		if (c >= 0x20 && c != '"' && c != '\\') {
			*o++ = (char)c;
		} else if (c >= 0x20 || short_esc[c]) {
			*o++ = '\\';
			*o++ = c >= 0x20 ? (char)c : short_esc[c];
		} else {
			memcpy(o, "\\u00", 4);
			o[4] = hex[c >> 4];
			o[5] = hex[c & 15];
			o += 6;
		}
	}
	return o;
}

/* A JSON string, a slice at a time, so a long one asks for room for its
 * worst case slice by slice rather than six times its length at once. */
static void
out_string(struct out_buf *b, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t slice;

	out_put(b, "\"", 1);
	for (; n > 0; u += slice, n -= slice) {
		slice = n < 1024 ? n : 1024;
		if (!out_reserve(b, slice * 6))
			return;
		b->len =
		    (size_t)(escape_into(b->data + b->len, u, slice) - b->data);
	}
	out_put(b, "\"", 1);
}

/* Decimal, without printf's machinery: most values on a page are ids. */
static void
out_integer(struct out_buf *b, json_int_t v)
{
	char buf[24], *p = buf + sizeof buf;
	unsigned long long u =
	    v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;

	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		*--p = '-';
	out_put(b, p, (size_t)(buf + sizeof buf - p));
}

static void
out_real(struct out_buf *b, double v)
{
	char buf[64], *e;
	int n = snprintf(buf, sizeof buf, "%.17g", v);

	if (n <= 0 || (size_t)n >= sizeof buf - 2) {
		b->failed = true;
		return;
	}
	/* jansson: a real always looks like one, and its exponent has no
	 * '+' and no leading zeros ("1e20", "1e-5") */
	if (!strpbrk(buf, ".e")) {
		memcpy(buf + n, ".0", 3);
		n += 2;
	}
	e = strchr(buf, 'e');
	if (e) {
		char *start = e + 1, *end = e + 2;

		if (*start == '-')
			start++;
		while (*end == '0')
			end++;
		memmove(start, end, strlen(end) + 1);
		n = (int)strlen(buf);
	}
	out_put(b, buf, (size_t)n);
}

static void out_value(struct out_buf *b, const json_t *j, int depth);

static void
out_object(struct out_buf *b, const json_t *j, int depth)
{
	const char *key;
	json_t *v;
	bool first = true;

	out_put(b, "{", 1);
	json_object_foreach((json_t *)j, key, v)
	{
		if (!first)
			out_put(b, ",", 1);
		first = false;
		out_string(b, key, strlen(key));
		out_put(b, ":", 1);
		out_value(b, v, depth + 1);
	}
	out_put(b, "}", 1);
}

static void
out_value(struct out_buf *b, const json_t *j, int depth)
{
	size_t i;
	json_t *v;

	if (depth > 2048) { /* a loop, or absurd nesting */
		b->failed = true;
		return;
	}
	switch (json_typeof(j)) {
	case JSON_OBJECT:
		out_object(b, j, depth);
		break;
	case JSON_ARRAY:
		out_put(b, "[", 1);
		json_array_foreach((json_t *)j, i, v)
		{
			if (i > 0)
				out_put(b, ",", 1);
			out_value(b, v, depth + 1);
		}
		out_put(b, "]", 1);
		break;
	case JSON_STRING:
		out_string(b, json_string_value(j), json_string_length(j));
		break;
	case JSON_INTEGER:
		out_integer(b, json_integer_value(j));
		break;
	case JSON_REAL:
		out_real(b, json_real_value(j));
		break;
	case JSON_TRUE:
		out_put(b, "true", 4);
		break;
	case JSON_FALSE:
		out_put(b, "false", 5);
		break;
	case JSON_NULL:
		out_put(b, "null", 4);
		break;
	}
}

char *
json_dump_compact(const json_t *j, size_t *len)
{
	struct out_buf b = {0};

	out_value(&b, j, 0);
	if (b.failed || !b.data) {
		free(b.data);
		return NULL;
	}
	b.data[b.len] = '\0';
	*len = b.len;
	return b.data;
}
