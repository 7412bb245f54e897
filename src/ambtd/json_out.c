/*
 * json_out.c: the small JSON pieces every endpoint family shares: times as
 * Discourse writes them, nullable text, slugs and avatar templates.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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

json_t *
json_col_text(sqlite3_stmt *stmt, int col)
{
	json_t *j = NULL;

	if (sqlite3_column_type(stmt, col) != SQLITE_NULL) {
		const char *text = (const char *)sqlite3_column_text(stmt, col);

		j = json_stringn(text, (size_t)sqlite3_column_bytes(stmt, col));
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
