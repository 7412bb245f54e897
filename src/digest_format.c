/*
 * digest_format.c: the monitoring report as text, Markdown, HTML or JSON.
 * Everything from the server was made inert when collected; here each
 * format escapes what its reader would otherwise take as syntax.
 */
#include "config.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ambt/digest.h"
#include "ambt/i18n.h"
#include "ambt/util.h"

static const char *const format_names[] = {
    [DIGEST_TEXT] = "text",
    [DIGEST_MARKDOWN] = "markdown",
    [DIGEST_HTML] = "html",
    [DIGEST_JSON] = "json",
};

int
digest_parse_format(const char *s, enum digest_format *out)
{
	for (size_t i = 0; i < AMBT_ARRAY_LEN(format_names); i++) {
		if (strcmp(s, format_names[i]) == 0) {
			*out = (enum digest_format)i;
			return 0;
		}
	}
	return -1;
}

/* "2026-11-26 09:12 UTC": one zone for every reader of the report. */
static const char *
when(int64_t t, char *buf, size_t size)
{
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(buf, size, "%Y-%m-%d %H:%M UTC", &tm);
	return buf;
}

static char *
words_joined(const struct digest *d, const char *sep)
{
	struct buf b;

	buf_init(&b);
	buf_puts(&b, "");
	for (size_t i = 0; i < d->n_words; i++) {
		if (i > 0)
			buf_puts(&b, sep);
		buf_puts(&b, d->words[i]);
	}
	return buf_steal(&b);
}

/* "3 posts in 2 topics" */
static char *
counts(const struct digest *d)
{
	char *posts =
	    xasprintf(P_("%zu post", "%zu posts", d->n_posts), d->n_posts);
	char *topics =
	    xasprintf(P_("%zu topic", "%zu topics", d->n_topics), d->n_topics);
	/* TRANSLATORS: "3 posts" "in" "2 topics" */
	char *s = xasprintf(_("%s in %s"), posts, topics);
	free(posts);
	free(topics);
	return s;
}

static char *
heading(const struct digest *d)
{
	char since[32], until[32];
	char *words = words_joined(d, ", ");
	char *s = xasprintf(_("Digest for %s, %s to %s"), words,
	                    when(d->since, since, sizeof since),
	                    when(d->until, until, sizeof until));
	free(words);
	return s;
}

static const char *
empty_line(void)
{
	return _("No posts name these words in this period.");
}

/* ---- text ---- */
static void
text_post(struct buf *b, const struct digest_post *p)
{
	char date[32];

	buf_printf(b, "  #%d  %s%s%s%s  %s\n", p->post_number, p->username,
	           p->name ? " (" : "", p->name ? p->name : "",
	           p->name ? ")" : "", when(p->created_at, date, sizeof date));
	if (p->excerpt)
		buf_printf(b, "      %s\n", p->excerpt);
	buf_printf(b, "      %s\n", p->url);
}

static char *
render_text(const struct digest *d)
{
	struct buf b;
	char *head = heading(d), *count = counts(d);

	buf_init(&b);
	buf_printf(&b, "%s\n%s\n", head, count);
	if (d->n_posts == 0)
		buf_printf(&b, "\n%s\n", empty_line());
	for (size_t i = 0; i < d->n_topics; i++) {
		const struct digest_topic *t = &d->topics[i];
		buf_printf(&b, "\n%s\n  %s\n", t->title, t->url);
		for (size_t j = 0; j < t->n_posts; j++)
			text_post(&b, &t->posts[j]);
	}
	free(head);
	free(count);
	return buf_steal(&b);
}

/* ---- Markdown ---- */
static void
md_escape(struct buf *b, const char *s)
{
	for (; *s; s++) {
		if (strchr("\\`*_[]<>#|~!&()", *s))
			buf_putc(b, '\\');
		buf_putc(b, *s);
	}
}

/* A link target: what could end it or break it is percent-encoded. */
static void
md_url(struct buf *b, const char *url)
{
	for (; *url; url++) {
		if (strchr(" ()<>[]\\", *url))
			buf_printf(b, "%%%02X", (unsigned char)*url);
		else
			buf_putc(b, *url);
	}
}

static void
md_post(struct buf *b, const struct digest_post *p)
{
	char date[32];

	buf_puts(b, "- **");
	md_escape(b, p->username);
	buf_puts(b, "**");
	if (p->name) {
		buf_puts(b, " (");
		md_escape(b, p->name);
		buf_puts(b, ")");
	}
	buf_printf(b, ", %s, [#%d](", when(p->created_at, date, sizeof date),
	           p->post_number);
	md_url(b, p->url);
	buf_puts(b, ")");
	if (p->excerpt) {
		buf_puts(b, ": ");
		md_escape(b, p->excerpt);
	}
	buf_putc(b, '\n');
}

static char *
render_markdown(const struct digest *d)
{
	struct buf b;
	char *head = heading(d), *count = counts(d);

	buf_init(&b);
	buf_puts(&b, "# ");
	md_escape(&b, head);
	buf_printf(&b, "\n\n%s\n", count);
	if (d->n_posts == 0)
		buf_printf(&b, "\n%s\n", empty_line());
	for (size_t i = 0; i < d->n_topics; i++) {
		const struct digest_topic *t = &d->topics[i];
		buf_puts(&b, "\n## [");
		md_escape(&b, t->title);
		buf_puts(&b, "](");
		md_url(&b, t->url);
		buf_puts(&b, ")\n\n");
		for (size_t j = 0; j < t->n_posts; j++)
			md_post(&b, &t->posts[j]);
	}
	free(head);
	free(count);
	return buf_steal(&b);
}

/* ---- HTML ---- */
static void
html_escape(struct buf *b, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&':
			buf_puts(b, "&amp;");
			break;
		case '<':
			buf_puts(b, "&lt;");
			break;
		case '>':
			buf_puts(b, "&gt;");
			break;
		case '"':
			buf_puts(b, "&quot;");
			break;
		case '\'':
			buf_puts(b, "&#39;");
			break;
		default:
			buf_putc(b, *s);
		}
	}
}

static void
html_link(struct buf *b, const char *url, const char *text)
{
	buf_puts(b, "<a href=\"");
	html_escape(b, url);
	buf_puts(b, "\">");
	html_escape(b, text);
	buf_puts(b, "</a>");
}

static void
html_post(struct buf *b, const struct digest_post *p)
{
	char date[32], iso[32], num[16];

	buf_puts(b, "<li><strong>");
	html_escape(b, p->username);
	buf_puts(b, "</strong>");
	if (p->name) {
		buf_puts(b, " (");
		html_escape(b, p->name);
		buf_puts(b, ")");
	}
	time_format_iso8601(p->created_at, iso, sizeof iso);
	buf_printf(b, ", <time datetime=\"%s\">", iso);
	buf_printf(b, "%s</time>, ", when(p->created_at, date, sizeof date));
	snprintf(num, sizeof num, "#%d", p->post_number);
	html_link(b, p->url, num);
	if (p->excerpt) {
		buf_puts(b, ": ");
		html_escape(b, p->excerpt);
	}
	buf_puts(b, "</li>\n");
}

static char *
render_html_doc(const struct digest *d)
{
	struct buf b;
	char *head = heading(d), *count = counts(d);

	buf_init(&b);
	buf_puts(&b, "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">"
	             "\n<title>");
	html_escape(&b, head);
	buf_puts(&b, "</title>\n</head>\n<body>\n<h1>");
	html_escape(&b, head);
	buf_puts(&b, "</h1>\n<p>");
	html_escape(&b, count);
	buf_puts(&b, "</p>\n");
	if (d->n_posts == 0) {
		buf_puts(&b, "<p>");
		html_escape(&b, empty_line());
		buf_puts(&b, "</p>\n");
	}
	for (size_t i = 0; i < d->n_topics; i++) {
		const struct digest_topic *t = &d->topics[i];
		buf_puts(&b, "<h2>");
		html_link(&b, t->url, t->title);
		buf_puts(&b, "</h2>\n<ul>\n");
		for (size_t j = 0; j < t->n_posts; j++)
			html_post(&b, &t->posts[j]);
		buf_puts(&b, "</ul>\n");
	}
	buf_puts(&b, "</body>\n</html>\n");
	free(head);
	free(count);
	return buf_steal(&b);
}

/* ---- JSON: these field names are the interface; keep them ---- */
static json_t *
json_time(int64_t t)
{
	char buf[32];

	time_format_iso8601(t, buf, sizeof buf);
	return json_string(buf);
}

static json_t *
json_strings(char *const *v, size_t n)
{
	json_t *a = json_array();

	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_string(v[i]));
	return a;
}

static json_t *
json_post(const struct digest_post *p)
{
	return json_pack(
	    "{sI sI ss so so so ss so}", "id", (json_int_t)p->id, "post_number",
	    (json_int_t)p->post_number, "username", p->username, "name",
	    p->name ? json_string(p->name) : json_null(), "created_at",
	    json_time(p->created_at), "excerpt",
	    p->excerpt ? json_string(p->excerpt) : json_null(), "url", p->url,
	    "words", json_strings(p->words, p->n_words));
}

static json_t *
json_topic(const struct digest_topic *t)
{
	json_t *posts = json_array();

	for (size_t i = 0; i < t->n_posts; i++)
		json_array_append_new(posts, json_post(&t->posts[i]));
	return json_pack("{sI ss ss so}", "id", (json_int_t)t->id, "title",
	                 t->title, "url", t->url, "posts", posts);
}

static char *
render_json(const struct digest *d)
{
	json_t *topics = json_array();

	for (size_t i = 0; i < d->n_topics; i++)
		json_array_append_new(topics, json_topic(&d->topics[i]));
	json_t *root = json_pack(
	    "{so so so sI sI so}", "since", json_time(d->since), "until",
	    json_time(d->until), "words", json_strings(d->words, d->n_words),
	    "post_count", (json_int_t)d->n_posts, "topic_count",
	    (json_int_t)d->n_topics, "topics", topics);
	char *text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(root);
	char *out = xasprintf("%s\n", text);
	free(text);
	return out;
}

char *
digest_render(const struct digest *d, enum digest_format format)
{
	switch (format) {
	case DIGEST_MARKDOWN:
		return render_markdown(d);
	case DIGEST_HTML:
		return render_html_doc(d);
	case DIGEST_JSON:
		return render_json(d);
	case DIGEST_TEXT:
		break;
	}
	return render_text(d);
}
