/*
 * util.h: memory, growable buffers, XDG paths, time and UTF-8 helpers that
 * every module uses. Allocation failure aborts with a message: a terminal
 * client that cannot get a few bytes cannot do anything useful.
 */
#ifndef AMBT_UTIL_H
#define AMBT_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ambt/error.h"

#define AMBT_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

void *xmalloc(size_t size);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t size);
void *xreallocarray(void *p, size_t n, size_t size);
char *xstrdup(const char *s); /* NULL stays NULL */
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) AMBT_PRINTF(1, 2);

/* A growable byte buffer, always NUL-terminated. */
struct buf {
	char *data;
	size_t len;
	size_t cap;
};
void buf_init(struct buf *);
void buf_free(struct buf *);
void buf_reset(struct buf *);
void buf_append(struct buf *, const void *data, size_t len);
void buf_puts(struct buf *, const char *s);
void buf_putc(struct buf *, char c);
void buf_printf(struct buf *, const char *fmt, ...) AMBT_PRINTF(2, 3);
char *buf_steal(struct buf *); /* returns data (never NULL) and resets */

/*
 * XDG base directories. Each returns a newly allocated path to
 * "$XDG_..._HOME/ambt" (with the spec's fallbacks under $HOME), without
 * creating it. mkdir_p() creates a directory and its parents (mode 0700).
 */
char *xdg_config_dir(void);
char *xdg_cache_dir(void);
char *xdg_state_dir(void);
char *xdg_data_dir(void);
int mkdir_p(const char *path, struct ambt_error *err);
/* The directory of the running program (from /proc/self/exe), newly
 * allocated, or NULL: where a build tree keeps ambtd and themes/. */
char *exe_dir(void);

/*
 * ISO 8601 as Discourse sends it: YYYY-MM-DDTHH:MM:SS[.fff](Z|+HH:MM|-HH:MM)
 * or a bare date YYYY-MM-DD. Returns 0 and sets *out (Unix seconds, UTC) or
 * -1 when the text is not such a date.
 */
int time_parse_iso8601(const char *s, int64_t *out);
/* Format as "2026-11-25T09:00:00Z" into buf (at least 21 bytes). */
void time_format_iso8601(int64_t t, char *buf, size_t size);
/* How long before now t was, in its largest unit: "3y", "2mo", "5d", "4h",
 * "12m", or "now" under a minute, the units in the user's language.
 * Returns buf (16 bytes do) or "now". */
const char *time_age(int64_t t, int64_t now, char *buf, size_t size);
/* The same in words, in the user's language: "3 days ago", "1 hour ago",
 * "just now" ("3 dagen geleden" in Dutch). Returns buf (48 bytes do). */
const char *time_ago(int64_t t, int64_t now, char *buf, size_t size);

/*
 * UTF-8. utf8_valid() checks well-formedness. utf8_sanitize() returns a new
 * string where invalid sequences become U+FFFD and control characters (C0
 * but tab and newline, DEL, C1) become visible and inert ("^[" style for C0,
 * U+FFFD for C1), so no text from a server can drive the terminal.
 * utf8_width() is the number of terminal columns (wcwidth, unprintable as 1).
 */
bool utf8_valid(const char *s, size_t len);
char *utf8_sanitize(const char *s, size_t len);
size_t utf8_width(const char *s);
/* Copy s cut to at most cols columns (never splitting a character) into a
 * new string, padded with spaces to exactly cols when pad is true. An ellipsis
 * marks a cut. */
char *utf8_fit(const char *s, size_t cols, bool pad);

/* Percent-encode for a URL path segment or query value. */
char *url_escape(const char *s);

#endif
