/*
 * digest.c: collecting the monitoring report (see digest.h): search each
 * word newest first, keep the posts since the start, fetch each once,
 * check the word in its rendered text, group by topic.
 */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "ambt/digest.h"
#include "ambt/render.h"
#include "ambt/util.h"

/* Pages of 50 (Discourse's) per word: 500 posts, more than a digest
 * should ever need, and a bound on what one run asks of the server. */
#define MAX_PAGES 10
#define EXCERPT_COLS 200
#define EXCERPT_LEAD 60 /* bytes of context kept before the word */

/* A post the search found, before it is fetched and checked. */
struct candidate {
	int64_t post_id;
	int64_t topic_id;
	char *topic_title;
	char *topic_slug;
};

struct collector {
	struct api *api;
	const struct digest_query *q;
	struct candidate *cands;
	size_t n_cands;
	struct digest *d;
};

static bool
is_word_byte(unsigned char c)
{
	/* Bytes of multibyte UTF-8 count as letters: "SELORé" is one word. */
	return isalnum(c) || c >= 0x80 || c == '_';
}

/* Where word first stands in text as a whole word, or NULL. */
static const char *
word_at(const char *text, const char *word)
{
	size_t n = strlen(word);

	if (n == 0)
		return NULL;
	for (const char *p = text; *p; p++) {
		if (strncasecmp(p, word, n) != 0)
			continue;
		bool start = p == text || !is_word_byte((unsigned char)p[-1]);
		bool end = !is_word_byte((unsigned char)p[n]);
		if (start && end)
			return p;
	}
	return NULL;
}

bool
digest_word_in(const char *text, const char *word)
{
	return word_at(text, word) != NULL;
}

/* The line from a little before the word (at a space, so never inside a
 * character), cut to EXCERPT_COLS: a long paragraph that names the word
 * late still shows it. */
static char *
excerpt_around(const char *line, const char *at)
{
	const char *from = line + strspn(line, " ");

	if (at - from > EXCERPT_LEAD) {
		const char *space = strchr(at - EXCERPT_LEAD, ' ');
		if (space && space < at) {
			char *cut = xasprintf("…%s", space + 1);
			char *fit = utf8_fit(cut, EXCERPT_COLS, false);
			free(cut);
			return fit;
		}
	}
	return utf8_fit(from, EXCERPT_COLS, false);
}

static const struct topic_entry *
find_topic(const struct search_result *r, int64_t id)
{
	for (size_t i = 0; i < r->n_topics; i++) {
		if (r->topics[i].id == id)
			return &r->topics[i];
	}
	return NULL;
}

static void
add_candidate(struct collector *c, const struct search_result *r,
              const struct search_post *p)
{
	for (size_t i = 0; i < c->n_cands; i++) {
		if (c->cands[i].post_id == p->id)
			return;
	}
	const struct topic_entry *t = find_topic(r, p->topic_id);
	c->cands = xreallocarray(c->cands, c->n_cands + 1, sizeof *c->cands);
	c->cands[c->n_cands++] = (struct candidate){
	    .post_id = p->id,
	    .topic_id = p->topic_id,
	    .topic_title = xstrdup(t ? t->title : NULL),
	    .topic_slug = xstrdup(t ? t->slug : NULL),
	};
}

/* One query's pages, newest first, until the posts are older than
 * since. 0 or -1 with err. */
static int
search_pages(struct collector *c, const char *query, struct ambt_error *err)
{
	for (int page = 1; page <= MAX_PAGES; page++) {
		struct api_sync s = {0};
		api_search(c->api, query, page, api_sync_done, &s);
		api_sync_wait(c->api, &s);
		if (s.reply.err.kind != AMBT_OK) {
			*err = s.reply.err;
			return -1;
		}
		struct search_result *r = s.reply.data;
		bool older = false;
		for (size_t i = 0; i < r->n_posts; i++) {
			if (r->posts[i].created_at < c->q->since)
				older = true;
			else
				add_candidate(c, r, &r->posts[i]);
		}
		bool more = r->more_posts && r->n_posts > 0 && !older;
		search_result_free(r);
		if (!more)
			break;
	}
	return 0;
}

/*
 * One word: Discourse's after:DATE (a day early: the server's day may
 * start before ours) narrows the search on the server; the pages stop
 * where the posts are older than since.
 */
static int
search_word(struct collector *c, const char *word, struct ambt_error *err)
{
	time_t day = (time_t)(c->q->since - 86400);
	struct tm tm;
	char date[16];

	gmtime_r(&day, &tm);
	strftime(date, sizeof date, "%Y-%m-%d", &tm);
	char *query = xasprintf("%s after:%s order:latest", word, date);
	int rc = search_pages(c, query, err);
	free(query);
	return rc;
}

/* A rendered line as plain text, without the "[n]" link numbers. */
static char *
line_text(const struct render_line *line)
{
	struct buf b;

	buf_init(&b);
	buf_puts(&b, "");
	for (size_t i = 0; i < line->n_spans; i++) {
		if (!(line->spans[i].style & RS_LINK_NUM))
			buf_puts(&b, line->spans[i].text);
	}
	return buf_steal(&b);
}

/* Add word to the post's words once (room for all was made). */
static void
note_word(struct digest_post *dp, const char *word)
{
	for (size_t k = 0; k < dp->n_words; k++) {
		if (strcmp(dp->words[k], word) == 0)
			return;
	}
	dp->words[dp->n_words++] = xstrdup(word);
}

/* The words the post names, into dp; the first line naming one becomes
 * the excerpt. */
static void
match_words(const struct digest_query *q, const char *cooked,
            struct digest_post *dp)
{
	struct render_options opts = {.width = 1000, .no_link_list = true};
	struct rendered *r = render_html(cooked, strlen(cooked), &opts);

	dp->words = xcalloc(q->n_words, sizeof *dp->words);
	for (size_t l = 0; l < r->n_lines; l++) {
		char *text = line_text(&r->lines[l]);
		const char *first = NULL;
		for (size_t w = 0; w < q->n_words; w++) {
			const char *at = word_at(text, q->words[w]);
			if (!at)
				continue;
			if (!first || at < first)
				first = at;
			note_word(dp, q->words[w]);
		}
		if (first && !dp->excerpt)
			dp->excerpt = excerpt_around(text, first);
		free(text);
	}
	rendered_free(r);
}

/* A topic's first post names what its title names. */
static void
match_title(const struct digest_query *q, const char *title,
            struct digest_post *dp)
{
	for (size_t w = 0; title && w < q->n_words; w++) {
		if (digest_word_in(title, q->words[w]))
			note_word(dp, q->words[w]);
	}
}

/* Text from the server, inert (utf8_sanitize), or NULL for NULL. */
static char *
clean(const char *s)
{
	return s ? utf8_sanitize(s, strlen(s)) : NULL;
}

static struct digest_topic *
topic_for(struct digest *d, const struct candidate *cand, const struct post *p,
          const char *base_url)
{
	for (size_t i = 0; i < d->n_topics; i++) {
		if (d->topics[i].id == cand->topic_id)
			return &d->topics[i];
	}
	d->topics =
	    xreallocarray(d->topics, d->n_topics + 1, sizeof *d->topics);
	struct digest_topic *t = &d->topics[d->n_topics++];
	const char *slug = cand->topic_slug ? cand->topic_slug : p->topic_slug;
	const char *title =
	    cand->topic_title ? cand->topic_title : p->topic_title;
	*t = (struct digest_topic){
	    .id = cand->topic_id,
	    .title = clean(title ? title : ""),
	    .url = xasprintf("%s/t/%s/%lld", base_url, slug ? slug : "-",
	                     (long long)cand->topic_id),
	};
	return t;
}

static void
digest_post_clear(struct digest_post *dp)
{
	free(dp->username);
	free(dp->name);
	free(dp->excerpt);
	free(dp->url);
	for (size_t i = 0; i < dp->n_words; i++)
		free(dp->words[i]);
	free(dp->words);
}

/* Fetch one candidate and keep it when it names a word. A post gone since
 * the search (404, 403) is left out; other errors fail the digest. */
static int
check_candidate(struct collector *c, const struct candidate *cand,
                struct ambt_error *err)
{
	struct api_sync s = {0};

	api_get_post(c->api, cand->post_id, api_sync_done, &s);
	api_sync_wait(c->api, &s);
	if (s.reply.err.kind == AMBT_E_HTTP &&
	    (s.reply.err.http_status == 404 || s.reply.err.http_status == 403))
		return 0;
	if (s.reply.err.kind != AMBT_OK) {
		*err = s.reply.err;
		return -1;
	}
	struct post *p = s.reply.data;
	struct digest_post dp = {
	    .id = p->id,
	    .post_number = p->post_number,
	    .username = clean(p->username ? p->username : ""),
	    .name = p->name && *p->name ? clean(p->name) : NULL,
	    .created_at = p->created_at,
	};
	match_words(c->q, p->cooked ? p->cooked : "", &dp);
	if (p->post_number == 1)
		match_title(c->q, cand->topic_title, &dp);
	if (dp.n_words == 0 || p->created_at < c->q->since) {
		digest_post_clear(&dp);
		post_free(p);
		return 0;
	}
	struct digest_topic *t = topic_for(c->d, cand, p, c->q->base_url);
	dp.url = xasprintf("%s/%d", t->url, dp.post_number);
	t->posts = xreallocarray(t->posts, t->n_posts + 1, sizeof *t->posts);
	t->posts[t->n_posts++] = dp;
	c->d->n_posts++;
	post_free(p);
	return 0;
}

static int
by_post_number(const void *a, const void *b)
{
	const struct digest_post *x = a, *y = b;
	return (x->post_number > y->post_number) -
	       (x->post_number < y->post_number);
}

static int64_t
newest(const struct digest_topic *t)
{
	int64_t n = 0;
	for (size_t i = 0; i < t->n_posts; i++)
		if (t->posts[i].created_at > n)
			n = t->posts[i].created_at;
	return n;
}

static int
by_newest_first(const void *a, const void *b)
{
	int64_t x = newest(a), y = newest(b);
	if (x != y)
		return (x < y) - (x > y);
	const struct digest_topic *s = a, *t = b;
	return (s->id > t->id) - (s->id < t->id);
}

static void
sort_digest(struct digest *d)
{
	for (size_t i = 0; i < d->n_topics; i++)
		qsort(d->topics[i].posts, d->topics[i].n_posts,
		      sizeof *d->topics[i].posts, by_post_number);
	if (d->n_topics > 1)
		qsort(d->topics, d->n_topics, sizeof *d->topics,
		      by_newest_first);
}

static struct digest *
digest_new(const struct digest_query *q)
{
	struct digest *d = xcalloc(1, sizeof *d);

	d->since = q->since;
	d->until = q->until;
	d->words = xcalloc(q->n_words + 1, sizeof *d->words);
	for (size_t i = 0; i < q->n_words; i++)
		d->words[i] = xstrdup(q->words[i]);
	d->n_words = q->n_words;
	return d;
}

int
digest_collect(struct api *api, const struct digest_query *q,
               struct digest **out, struct ambt_error *err)
{
	struct collector c = {.api = api, .q = q, .d = digest_new(q)};
	int rc = 0;

	for (size_t w = 0; w < q->n_words && rc == 0; w++)
		rc = search_word(&c, q->words[w], err);
	for (size_t i = 0; i < c.n_cands && rc == 0; i++)
		rc = check_candidate(&c, &c.cands[i], err);
	for (size_t i = 0; i < c.n_cands; i++) {
		free(c.cands[i].topic_title);
		free(c.cands[i].topic_slug);
	}
	free(c.cands);
	if (rc != 0) {
		digest_free(c.d);
		*out = NULL;
		return -1;
	}
	sort_digest(c.d);
	*out = c.d;
	return 0;
}

void
digest_free(struct digest *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->n_topics; i++) {
		for (size_t j = 0; j < d->topics[i].n_posts; j++)
			digest_post_clear(&d->topics[i].posts[j]);
		free(d->topics[i].posts);
		free(d->topics[i].title);
		free(d->topics[i].url);
	}
	free(d->topics);
	for (size_t i = 0; i < d->n_words; i++)
		free(d->words[i]);
	free(d->words);
	free(d);
}

int
digest_parse_since(const char *s, int64_t now, int64_t *out)
{
	static const struct {
		char unit;
		int64_t seconds;
	} units[] = {{'m', 60}, {'h', 3600}, {'d', 86400}, {'w', 7 * 86400}};
	char *end;

	if (time_parse_iso8601(s, out) == 0)
		return 0;
	if (!isdigit((unsigned char)*s))
		return -1;
	long long n = strtoll(s, &end, 10);
	if (end[0] == '\0' || end[1] != '\0' || n <= 0 || n > 100000)
		return -1;
	for (size_t i = 0; i < AMBT_ARRAY_LEN(units); i++) {
		if (units[i].unit == end[0]) {
			*out = now - n * units[i].seconds;
			return 0;
		}
	}
	return -1;
}
