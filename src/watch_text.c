/*
 * watch_text.c: the watcher's text rules: quiet hours, monitored words and
 * the summary line of coalesced notices.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ambt/i18n.h"
#include "ambt/util.h"
#include "ambt/watch.h"

bool
watch_in_quiet_hours(int start, int end, int m)
{
	if (start < 0 || end < 0 || start == end)
		return false;
	if (start < end)
		return m >= start && m < end;
	return m >= start || m < end; /* 22:30-07:00 wraps midnight */
}

/* Lower case for ASCII and for the Latin-1 capitals (U+00C0..U+00DE but
 * U+00D7), which is what Dutch and French names need (É, Ë, Ï); other
 * letters compare as written. */
static char *
fold(const char *s)
{
	char *out = xstrdup(s);
	unsigned char *p = (unsigned char *)out;

	for (; *p; p++) {
		if (*p >= 'A' && *p <= 'Z')
			*p = (unsigned char)(*p - 'A' + 'a');
		else if (*p == 0xc3 && p[1] >= 0x80 && p[1] <= 0x9e &&
		         p[1] != 0x97)
			*++p += 0x20;
	}
	return out;
}

/* Letters, digits and every byte of a multi-byte UTF-8 character. */
static bool
is_word_byte(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c >= 0x80;
}

bool
watch_word_matches(const char *text, const char *word)
{
	char *t, *w, *at;
	size_t wlen;
	bool found = false;

	if (text == NULL || word == NULL || word[0] == '\0')
		return false;
	t = fold(text);
	w = fold(word);
	wlen = strlen(w);
	for (at = strstr(t, w); at != NULL && !found; at = strstr(at + 1, w)) {
		bool starts = at == t || !is_word_byte((unsigned char)at[-1]);
		bool ends = !is_word_byte((unsigned char)at[wlen]);

		found = starts && ends;
	}
	free(t);
	free(w);
	return found;
}

const char *
watch_monitored_word(const char *text, char *const *words, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (watch_word_matches(text, words[i]))
			return words[i];
	}
	return NULL;
}

char *
watch_summary_text(size_t n_notices, size_t n_topics)
{
	char *posts = xasprintf(P_("%zu new post", "%zu new posts", n_notices),
	                        n_notices);
	char *topics =
	    xasprintf(P_("in %zu topic", "in %zu topics", n_topics), n_topics);
	char *text = xasprintf("%s %s", posts, topics);

	free(posts);
	free(topics);
	return text;
}
