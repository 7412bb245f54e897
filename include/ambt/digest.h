/*
 * digest.h: the monitoring report (`ambt digest`): the posts since a time
 * that name words one watches (an organisation's name), grouped by topic,
 * with authors, dates and links, as text, Markdown, HTML or JSON.
 *
 * The posts are found with Discourse's search, newest first ("WORD
 * after:DATE order:latest", or without after: where the server's search
 * does not know it), page by page until a post is older than the start; each
 * is then fetched and its rendered text checked for the word as a whole
 * word, any case (search matches stems and substrings), and the line that
 * names it becomes the excerpt. No ncurses here.
 */
#ifndef AMBT_DIGEST_H
#define AMBT_DIGEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ambt/api.h"
#include "ambt/error.h"

struct digest_post {
	int64_t id;
	int post_number;
	char *username;
	char *name;    /* the full name, or NULL */
	char *excerpt; /* plain text: the line that names a word */
	int64_t created_at;
	char *url;
	char **words; /* the words it names, as asked */
	size_t n_words;
};

struct digest_topic {
	int64_t id;
	char *title;
	char *url;
	struct digest_post *posts; /* by post number */
	size_t n_posts;
};

struct digest {
	int64_t since, until;
	char **words;
	size_t n_words;
	struct digest_topic *topics; /* the newest post's topic first */
	size_t n_topics;
	size_t n_posts;
};

struct digest_query {
	int64_t since;            /* Unix seconds */
	int64_t until;            /* now, for the report's heading */
	const char *const *words; /* at least one */
	size_t n_words;
	const char *base_url; /* for the links */
};

/* 0 and *out, or -1 with err (the server's or the network's error). */
int digest_collect(struct api *, const struct digest_query *,
                   struct digest **out, struct ambt_error *err);
void digest_free(struct digest *);

/* Is word in text as a whole word, any case (ASCII letters folded)? */
bool digest_word_in(const char *text, const char *word);

/* "7d", "24h", "2w", "30m" before now, or a date YYYY-MM-DD (UTC
 * midnight) or an ISO 8601 time: 0 and *out, or -1. */
int digest_parse_since(const char *s, int64_t now, int64_t *out);

enum digest_format {
	DIGEST_TEXT,
	DIGEST_MARKDOWN,
	DIGEST_HTML,
	DIGEST_JSON,
};
/* "text", "markdown", "html", "json": 0 and *out, or -1. */
int digest_parse_format(const char *s, enum digest_format *out);
/* The report (newly allocated). JSON's field names are stable. */
char *digest_render(const struct digest *, enum digest_format);

#endif
