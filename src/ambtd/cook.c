/*
 * cook.c: raw Markdown -> cooked HTML, the way Discourse renders a post.
 *
 * Discourse's [quote] and [event] are block-level BBCode whose bodies are
 * Markdown again. Rather than teach cmark new syntax, raw is cut into items:
 * ordinary lines, and tag lines found outside fenced code. Opening and
 * closing tags are paired on a stack (an unpaired one stays literal text,
 * as on Discourse), then each run of ordinary lines is cooked by cmark on its
 * own and the runs are wrapped in the tags' HTML. All of it is iterative, so
 * ten thousand nested quotes cost no C stack.
 *
 * Mentions are found by walking cmark's tree: text nodes outside links (code
 * has no text nodes). They become custom inline nodes, and fenced code
 * blocks custom blocks with Discourse's classes; the renderer writes those
 * verbatim, while cmark's safe mode (the default since 0.29) still
 * replaces the HTML a user wrote by a comment and drops javascript: links.
 * Everything taken from the user into our own markup is HTML-escaped.
 */
#include <config.h>

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cmark.h>

#include "ambt/util.h"
#include "ambtd/ambtd.h"

#define MENTION_MAX 60 /* longer "@names" are left as text */

enum item_kind {
	ITEM_TEXT,
	ITEM_QUOTE_OPEN,
	ITEM_QUOTE_CLOSE,
	ITEM_EVENT_OPEN,
	ITEM_EVENT_CLOSE,
};

/* One line of raw, or one tag cut out of a line. */
struct item {
	enum item_kind kind;
	const char *text; /* the line, or the whole tag */
	size_t len;
	const char *attr; /* inside the tag, after its name */
	size_t attr_len;
	bool paired;
};

struct items {
	struct item *v;
	size_t n, cap;
};

static void
items_push(struct items *it, enum item_kind kind, const char *text, size_t len)
{
	if (it->n == it->cap) {
		it->cap = it->cap ? it->cap * 2 : 64;
		it->v = xreallocarray(it->v, it->cap, sizeof(*it->v));
	}
	it->v[it->n++] = (struct item){.kind = kind, .text = text, .len = len};
}

/* ---- UTF-8 ---- */

/* Length of the well-formed UTF-8 sequence at s, or 0. */
static size_t
utf8_seq_len(const unsigned char *s, size_t avail)
{
	size_t n, i;
	unsigned c = s[0];
	unsigned min;
	unsigned cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		n = 2, min = 0x80, cp = c & 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3, min = 0x800, cp = c & 0x0f;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4, min = 0x10000, cp = c & 0x07;
	else
		return 0;
	if (n > avail)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

/* raw with each invalid byte as U+FFFD and CR LF as LF, so that tag
 * attributes (which cmark never sees) are valid UTF-8 too. */
static char *
clean_input(const char *raw, size_t *len_out)
{
	const unsigned char *s = (const unsigned char *)raw;
	size_t len = strlen(raw), i = 0;
	struct buf b;

	buf_init(&b);
	while (i < len) {
		size_t n = utf8_seq_len(s + i, len - i);

		if (n == 0) {
			buf_puts(&b, "\xef\xbf\xbd");
			i++;
		} else if (s[i] == '\r' && i + 1 < len && s[i + 1] == '\n') {
			i++;
		} else {
			buf_append(&b, s + i, n);
			i += n;
		}
	}
	*len_out = b.len;
	return buf_steal(&b);
}

/* ---- HTML output helpers ---- */

static void
put_escaped(struct buf *out, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		switch (s[i]) {
		case '&':
			buf_puts(out, "&amp;");
			break;
		case '<':
			buf_puts(out, "&lt;");
			break;
		case '>':
			buf_puts(out, "&gt;");
			break;
		case '"':
			buf_puts(out, "&quot;");
			break;
		case '\'':
			buf_puts(out, "&#39;");
			break;
		default:
			buf_putc(out, s[i]);
		}
	}
}

/* ---- Tags ---- */

static bool
prefix_ci(const char *s, size_t len, const char *word)
{
	size_t n = strlen(word);

	return len >= n && strncasecmp(s, word, n) == 0;
}

/*
 * The end of a tag that starts at s ("[quote" or "[event" already matched
 * by the caller, name_len bytes): the index just past its ']', honouring
 * double quotes, or 0 when the tag does not close on this line.
 */
static size_t
tag_end(const char *s, size_t len, size_t name_len)
{
	bool quoted = false;
	size_t i;

	if (name_len < len && s[name_len] != ']' && s[name_len] != '=' &&
	    s[name_len] != ' ' && s[name_len] != '\t')
		return 0; /* "[quotes]" is not a quote */
	for (i = name_len; i < len; i++) {
		if (s[i] == '"')
			quoted = !quoted;
		else if (s[i] == ']' && !quoted)
			return i + 1;
	}
	return 0;
}

/* Cut a line into items: an opening tag at its start, a closing tag at its
 * end, the rest as text. */
static void
split_line(struct items *it, const char *line, size_t len)
{
	static const struct {
		const char *open, *close;
		enum item_kind kind;
	} tags[] = {
	    {"[quote", "[/quote]", ITEM_QUOTE_OPEN},
	    {"[event", "[/event]", ITEM_EVENT_OPEN},
	};
	size_t lead = 0, t, end;
	enum item_kind close_kind = ITEM_TEXT;
	bool opened = false;

	while (lead < len && lead < 3 && line[lead] == ' ')
		lead++;
	for (t = 0; t < AMBT_ARRAY_LEN(tags); t++) {
		size_t name = strlen(tags[t].open);

		if (!prefix_ci(line + lead, len - lead, tags[t].open))
			continue;
		end = tag_end(line + lead, len - lead, name);
		if (end == 0)
			continue;
		items_push(it, tags[t].kind, line + lead, end);
		it->v[it->n - 1].attr = line + lead + name;
		it->v[it->n - 1].attr_len = end - name - 1;
		line += lead + end;
		len -= lead + end;
		opened = true;
		break;
	}
	while (len > 0 && (line[len - 1] == ' ' || line[len - 1] == '\t'))
		len--;
	for (t = 0; t < AMBT_ARRAY_LEN(tags); t++) {
		size_t n = strlen(tags[t].close);

		if (len >= n &&
		    strncasecmp(line + len - n, tags[t].close, n) == 0) {
			close_kind = tags[t].kind + 1;
			len -= n;
			break;
		}
	}
	if (len > 0 || (close_kind == ITEM_TEXT && !opened))
		items_push(it, ITEM_TEXT, line, len);
	if (close_kind != ITEM_TEXT)
		items_push(it, close_kind, line + len, strlen(tags[t].close));
}

/* A fence line (``` or ~~~, three or more, up to three spaces in): its
 * character and length, else 0. */
static size_t
fence(const char *line, size_t len, char *ch)
{
	size_t i = 0, n = 0;

	while (i < len && i < 3 && line[i] == ' ')
		i++;
	if (i >= len || (line[i] != '`' && line[i] != '~'))
		return 0;
	*ch = line[i];
	while (i + n < len && line[i + n] == *ch)
		n++;
	return n >= 3 ? n : 0;
}

static void
split_items(struct items *it, const char *s, size_t len)
{
	size_t pos = 0, open_fence = 0;
	char fence_ch = 0;

	while (pos < len) {
		const char *nl = memchr(s + pos, '\n', len - pos);
		size_t line_len = nl ? (size_t)(nl - (s + pos)) : len - pos;
		char ch = 0;
		size_t f = fence(s + pos, line_len, &ch);

		if (open_fence > 0) {
			if (f >= open_fence && ch == fence_ch)
				open_fence = 0;
			items_push(it, ITEM_TEXT, s + pos, line_len);
		} else if (f > 0) {
			open_fence = f;
			fence_ch = ch;
			items_push(it, ITEM_TEXT, s + pos, line_len);
		} else {
			split_line(it, s + pos, line_len);
		}
		pos += line_len + 1;
	}
}

/* Pair opening and closing tags; whatever stays unpaired is text. */
static void
pair_items(struct items *it)
{
	size_t *stack = xreallocarray(NULL, it->n + 1, sizeof(*stack));
	size_t depth = 0, i;

	for (i = 0; i < it->n; i++) {
		struct item *c = &it->v[i];

		if (c->kind == ITEM_QUOTE_OPEN || c->kind == ITEM_EVENT_OPEN) {
			stack[depth++] = i;
		} else if (c->kind == ITEM_QUOTE_CLOSE ||
		           c->kind == ITEM_EVENT_CLOSE) {
			if (depth > 0 &&
			    it->v[stack[depth - 1]].kind + 1 == c->kind) {
				c->paired = true;
				it->v[stack[--depth]].paired = true;
			}
		}
	}
	for (i = 0; i < it->n; i++)
		if (!it->v[i].paired)
			it->v[i].kind = ITEM_TEXT;
	free(stack);
}

/* ---- Mentions ---- */

static bool
is_word_byte(unsigned char c)
{
	return isalnum(c) || c == '_' || c >= 0x80;
}

static bool
is_name_byte(unsigned char c)
{
	return (c < 0x80 && isalnum(c)) || c == '_' || c == '.' || c == '-';
}

/* Length of the username after an '@' (Discourse's characters, not
 * ending in '.' or '-', so "@anna." at a sentence's end works), or 0. */
static size_t
mention_len(const char *s)
{
	size_t n = 0;

	if (!is_name_byte((unsigned char)s[0]) || s[0] == '.' || s[0] == '-')
		return 0;
	while (is_name_byte((unsigned char)s[n]))
		n++;
	while (n > 0 && (s[n - 1] == '.' || s[n - 1] == '-'))
		n--;
	return n <= MENTION_MAX ? n : 0;
}

/* What precedes position i of a text node: the byte before, or the end of
 * a text sibling before it. Emails ("a@b.nl") and "@@x" are no mentions. */
static bool
mention_may_start(cmark_node *node, const char *s, size_t i)
{
	unsigned char before = 0;

	if (i > 0) {
		before = (unsigned char)s[i - 1];
	} else {
		cmark_node *prev = cmark_node_previous(node);
		const char *lit = NULL;

		if (prev && cmark_node_get_type(prev) == CMARK_NODE_TEXT)
			lit = cmark_node_get_literal(prev);
		if (lit && *lit)
			before = (unsigned char)lit[strlen(lit) - 1];
	}
	return !is_word_byte(before) && before != '@' && before != '/';
}

static void
insert_text_before(cmark_node *node, const char *s, size_t len)
{
	cmark_node *t;
	char *copy;

	if (len == 0)
		return;
	t = cmark_node_new(CMARK_NODE_TEXT);
	copy = xstrndup(s, len);
	cmark_node_set_literal(t, copy);
	free(copy);
	cmark_node_insert_before(node, t);
}

static void
insert_mention_before(cmark_node *node, const char *name, size_t len)
{
	cmark_node *a = cmark_node_new(CMARK_NODE_CUSTOM_INLINE);
	struct buf b;
	size_t i;

	/* Name bytes are [A-Za-z0-9_.-]: nothing to escape. */
	buf_init(&b);
	buf_puts(&b, "<a class=\"mention\" href=\"/u/");
	for (i = 0; i < len; i++)
		buf_putc(&b, (char)tolower((unsigned char)name[i]));
	buf_puts(&b, "\">@");
	buf_append(&b, name, len);
	buf_puts(&b, "</a>");
	cmark_node_set_on_enter(a, b.data);
	buf_free(&b);
	cmark_node_insert_before(node, a);
}

static void
link_mentions_in(cmark_node *node)
{
	char *s = xstrdup(cmark_node_get_literal(node));
	size_t start = 0, i;

	for (i = 0; s[i] != '\0'; i++) {
		size_t n;

		if (s[i] != '@' || !mention_may_start(node, s, i))
			continue;
		n = mention_len(s + i + 1);
		if (n == 0)
			continue;
		insert_text_before(node, s + start, i - start);
		insert_mention_before(node, s + i + 1, n);
		i += n;
		start = i + 1;
	}
	if (start > 0)
		cmark_node_set_literal(node, s + start);
	free(s);
}

static bool
inside_link(cmark_node *node)
{
	cmark_node *p;

	for (p = cmark_node_parent(node); p; p = cmark_node_parent(p)) {
		cmark_node_type t = cmark_node_get_type(p);

		if (t == CMARK_NODE_LINK || t == CMARK_NODE_IMAGE)
			return true;
		if (t < CMARK_NODE_FIRST_INLINE)
			return false; /* links never hold blocks */
	}
	return false;
}

/* ---- Fenced code ---- */

/*
 * A fenced block as Discourse writes it: <pre data-code-wrap="ruby"><code
 * class="lang-ruby"> with a language, <pre><code class="lang-auto">
 * without (cmark would write class="language-ruby").
 */
static void
discourse_code_block(cmark_node *node)
{
	const char *info = cmark_node_get_fence_info(node);
	const char *code = cmark_node_get_literal(node);
	size_t lang = info ? strcspn(info, " \t") : 0;
	cmark_node *block = cmark_node_new(CMARK_NODE_CUSTOM_BLOCK);
	struct buf b;

	buf_init(&b);
	if (lang > 0) {
		buf_puts(&b, "<pre data-code-wrap=\"");
		put_escaped(&b, info, lang);
		buf_puts(&b, "\"><code class=\"lang-");
		put_escaped(&b, info, lang);
		buf_puts(&b, "\">");
	} else {
		buf_puts(&b, "<pre><code class=\"lang-auto\">");
	}
	put_escaped(&b, code ? code : "", code ? strlen(code) : 0);
	buf_puts(&b, "</code></pre>");
	cmark_node_set_on_enter(block, b.data);
	buf_free(&b);
	cmark_node_replace(node, block);
	cmark_node_free(node);
}

/* ---- Discourse's touches on cmark's tree ---- */

struct node_list {
	cmark_node **v;
	size_t n, cap;
};

static void
node_list_push(struct node_list *l, cmark_node *node)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 16;
		l->v = xreallocarray(l->v, l->cap, sizeof(*l->v));
	}
	l->v[l->n++] = node;
}

/* The Markdown a tree was parsed from, with its line starts made on first
 * use. */
struct source {
	const char *md;
	size_t len;
	size_t *lines; /* offset of each line */
	size_t n_lines;
};

static void
source_index_lines(struct source *src)
{
	size_t cap = 64;

	src->lines = xreallocarray(NULL, cap, sizeof(*src->lines));
	src->lines[src->n_lines++] = 0;
	for (size_t i = 0; i < src->len; i++) {
		if (src->md[i] != '\n')
			continue;
		if (src->n_lines == cap) {
			cap *= 2;
			src->lines =
			    xreallocarray(src->lines, cap, sizeof(*src->lines));
		}
		src->lines[src->n_lines++] = i + 1;
	}
}

/*
 * Whether a code block was fenced. cmark 0.30 has no
 * cmark_node_get_fenced (0.31 has), so look at the source where the block
 * starts (CMARK_OPT_SOURCEPOS): a fence starts there, while an indented
 * block starts at its first character of code.
 */
static bool
is_fenced(cmark_node *node, struct source *src)
{
	const char *info = cmark_node_get_fence_info(node);
	int line = cmark_node_get_start_line(node);
	int col = cmark_node_get_start_column(node);
	size_t at;

	if (info && *info)
		return true;
	if (src->lines == NULL)
		source_index_lines(src);
	if (line < 1 || col < 1 || (size_t)line > src->n_lines)
		return false;
	at = src->lines[line - 1] + (size_t)col - 1;
	return at + 3 <= src->len && (strncmp(src->md + at, "```", 3) == 0 ||
	                              strncmp(src->md + at, "~~~", 3) == 0);
}

/* Mentions and fenced code. The nodes are collected first: the tree must
 * not change under the iterator. */
static void
discourse_nodes(cmark_node *doc, struct source *src)
{
	cmark_iter *iter = cmark_iter_new(doc);
	struct node_list texts = {0}, codes = {0};
	cmark_event_type ev;
	size_t i;

	while ((ev = cmark_iter_next(iter)) != CMARK_EVENT_DONE) {
		cmark_node *node = cmark_iter_get_node(iter);
		cmark_node_type type = cmark_node_get_type(node);

		if (ev != CMARK_EVENT_ENTER)
			continue;
		if (type == CMARK_NODE_CODE_BLOCK && is_fenced(node, src))
			node_list_push(&codes, node);
		else if (type == CMARK_NODE_TEXT &&
		         strchr(cmark_node_get_literal(node), '@') != NULL &&
		         !inside_link(node))
			node_list_push(&texts, node);
	}
	cmark_iter_free(iter);
	for (i = 0; i < texts.n; i++)
		link_mentions_in(texts.v[i]);
	for (i = 0; i < codes.n; i++)
		discourse_code_block(codes.v[i]);
	free(texts.v);
	free(codes.v);
}

/* ---- Markdown runs ---- */

/* Discourse turns single newlines into <br> (HARDBREAKS); raw HTML is left
 * to cmark's safe default. */
static void
cook_markdown(struct buf *out, const char *md, size_t len)
{
	struct source src = {.md = md, .len = len};
	cmark_node *doc;
	char *html;

	if (len == 0)
		return;
	doc = cmark_parse_document(
	    md, len, CMARK_OPT_VALIDATE_UTF8 | CMARK_OPT_SOURCEPOS);
	discourse_nodes(doc, &src);
	free(src.lines);
	html = cmark_render_html(doc, CMARK_OPT_HARDBREAKS);
	buf_puts(out, html);
	free(html);
	cmark_node_free(doc);
}

/* ---- Quotes ---- */

static const char *
skip_space(const char *s, const char *end)
{
	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	return s;
}

/* Digits only, for data-post and data-topic. */
static bool
all_digits(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	return len > 0 && len < 19;
}

static void
put_quote_attr(struct buf *out, const char *key, size_t key_len,
               const char *val, size_t val_len)
{
	static const char *const known[] = {"post", "topic", "full"};
	size_t k;

	for (k = 0; k < AMBT_ARRAY_LEN(known); k++) {
		if (strlen(known[k]) != key_len ||
		    strncmp(key, known[k], key_len) != 0)
			continue;
		if (k < 2 && !all_digits(val, val_len))
			return;
		buf_printf(out, " data-%s=\"", known[k]);
		put_escaped(out, val, val_len);
		buf_putc(out, '"');
	}
}

static void
put_quote_title(struct buf *out, const char *name, size_t len)
{
	char *plain = xstrndup(name, len);
	char *tmpl = avatar_template(plain);
	const char *size = strstr(tmpl, "{size}");

	buf_puts(out,
	         "<div class=\"title\">\n<div class=\"quote-controls\">"
	         "</div>\n<img alt=\"\" width=\"24\" height=\"24\" src=\"");
	if (size) {
		put_escaped(out, tmpl, (size_t)(size - tmpl));
		buf_puts(out, "48");
		put_escaped(out, size + 6, strlen(size + 6));
	} else {
		put_escaped(out, tmpl, strlen(tmpl));
	}
	buf_puts(out, "\" class=\"avatar\"> ");
	put_escaped(out, name, len);
	buf_puts(out, ":</div>\n");
	free(tmpl);
	free(plain);
}

/*
 * [quote="name, post:N, topic:M"] -> Discourse's aside. The value is
 * split at commas: the first part is the name, the others key:value.
 * [quote] alone has no title; [quote=name] needs no double quotes.
 */
static void
open_quote(struct buf *out, const struct item *tag)
{
	const char *s = tag->attr, *end = tag->attr + tag->attr_len;
	const char *name = NULL, *part, *comma;
	size_t name_len = 0;

	s = skip_space(s, end);
	if (s < end && *s == '=')
		s++;
	if (s < end && *s == '"') {
		s++;
		if (end > s && end[-1] == '"')
			end--;
	}
	buf_puts(out, "<aside class=\"quote no-group\"");
	for (part = s; part < end; part = comma + 1) {
		const char *p = skip_space(part, end), *colon, *e;

		comma = memchr(part, ',', (size_t)(end - part));
		if (comma == NULL)
			comma = end;
		e = comma;
		while (e > p && (e[-1] == ' ' || e[-1] == '\t'))
			e--;
		colon = memchr(p, ':', (size_t)(e - p));
		if (part == s) {
			name = p;
			name_len = (size_t)(e - p);
			buf_puts(out, " data-username=\"");
			put_escaped(out, name, name_len);
			buf_putc(out, '"');
		} else if (colon) {
			put_quote_attr(out, p, (size_t)(colon - p), colon + 1,
			               (size_t)(e - colon - 1));
		}
		if (comma == end)
			break;
	}
	buf_puts(out, ">\n");
	if (name_len > 0)
		put_quote_title(out, name, name_len);
	buf_puts(out, "<blockquote>\n");
}

/* ---- Events ---- */

/* allowedGroups -> allowed-groups, as the plugin's markdown rule does. */
static void
put_dasherized(struct buf *out, const char *key, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)key[i];

		if (isupper(c)) {
			buf_putc(out, '-');
			buf_putc(out, (char)tolower(c));
		} else {
			buf_putc(out, (char)c);
		}
	}
}

static bool
is_key_byte(unsigned char c)
{
	return c < 0x80 && (isalnum(c) || c == '-' || c == '_');
}

/* [event start="..." name="..."] -> <div class="discourse-post-event"
 * data-start="..." data-name="...">; every attribute as data-*. */
static void
open_event(struct buf *out, const struct item *tag)
{
	const char *s = tag->attr, *end = tag->attr + tag->attr_len;

	buf_puts(out, "<div class=\"discourse-post-event\"");
	while ((s = skip_space(s, end)) < end) {
		const char *key = s, *val;
		size_t key_len, val_len;

		while (s < end && is_key_byte((unsigned char)*s))
			s++;
		key_len = (size_t)(s - key);
		if (key_len == 0 || s >= end || *s != '=') {
			s = key_len ? s : s + 1; /* skip what is no attribute */
			continue;
		}
		s++;
		if (s < end && *s == '"') {
			const char *q =
			    memchr(s + 1, '"', (size_t)(end - s - 1));

			val = s + 1;
			s = q ? q + 1 : end;
			val_len = (size_t)((q ? q : end) - val);
		} else {
			val = s;
			while (s < end && *s != ' ' && *s != '\t')
				s++;
			val_len = (size_t)(s - val);
		}
		buf_puts(out, " data-");
		put_dasherized(out, key, key_len);
		buf_puts(out, "=\"");
		put_escaped(out, val, val_len);
		buf_putc(out, '"');
	}
	buf_puts(out, ">\n");
}

/* ---- Putting it together ---- */

static void
emit_items(struct buf *out, const struct items *it)
{
	struct buf md;
	size_t i;

	buf_init(&md);
	for (i = 0; i < it->n; i++) {
		const struct item *c = &it->v[i];

		if (c->kind == ITEM_TEXT) {
			buf_append(&md, c->text, c->len);
			buf_putc(&md, '\n');
			continue;
		}
		cook_markdown(out, md.data, md.len);
		buf_reset(&md);
		if (c->kind == ITEM_QUOTE_OPEN)
			open_quote(out, c);
		else if (c->kind == ITEM_QUOTE_CLOSE)
			buf_puts(out, "</blockquote>\n</aside>\n");
		else if (c->kind == ITEM_EVENT_OPEN)
			open_event(out, c);
		else
			buf_puts(out, "</div>\n");
	}
	cook_markdown(out, md.data, md.len);
	buf_free(&md);
}

char *
cook(const char *raw)
{
	struct items it = {0};
	struct buf out;
	size_t len;
	char *clean = clean_input(raw ? raw : "", &len);

	split_items(&it, clean, len);
	pair_items(&it);
	buf_init(&out);
	emit_items(&out, &it);
	while (out.len > 0 && out.data[out.len - 1] == '\n')
		out.data[--out.len] = '\0';
	free(it.v);
	free(clean);
	return buf_steal(&out);
}
