/*
 * read.c: ambt read TOPIC [--from N] [--width N]: a whole thread as text,
 * each post rendered from its HTML by the same renderer as the TUI.
 *
 * /t/{id}.json brings the first chunk and the id of every post (the
 * stream); the rest come from /t/{id}/posts.json, 20 ids at a time, and
 * are printed as each chunk arrives. Mega topics send no stream: they are
 * paged by post number instead. With --json the posts are gathered into
 * the topic and printed re-encoded at the end.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ambt/render.h"
#include "ambt/thread.h"
#include "ambt/i18n.h"
#include "ambt/util.h"
#include "cli/cli.h"

#define CHUNK 20
#define DEFAULT_WIDTH 80
#define POST_TYPE_SMALL_ACTION 3

struct read_opts {
	int from;  /* the first post number to print */
	int width; /* 0: the terminal's */
};

struct reader {
	struct cli *cli;
	struct topic *topic;
	const struct read_opts *opts;
	int width;
	int last_number; /* highest post number seen */
};

static const struct option read_options[] = {
    {"from", required_argument, NULL, 'f'},
    {"width", required_argument, NULL, 'w'},
    {NULL, 0, NULL, 0},
};

static int
read_option(int c, const char *arg, void *ctx)
{
	struct read_opts *o = ctx;
	int v = cli_parse_count(arg);

	if (v < 0 || (c == 'w' && v == 0))
		return cli_usage_error("read",
		                       _("read: --%s wants a number, not '%s'"),
		                       c == 'f' ? "from" : "width", arg);
	if (c == 'f')
		o->from = v;
	else
		o->width = v;
	return 0;
}

/* --width, else COLUMNS or the terminal's width on a terminal, else 80. */
static int
output_width(const struct read_opts *o)
{
	const char *columns = getenv("COLUMNS");
	int n;

	if (o->width > 0)
		return o->width;
	if (!isatty(STDOUT_FILENO))
		return DEFAULT_WIDTH;
	n = columns ? cli_parse_count(columns) : -1;
	if (n > 0)
		return n;
	n = (int)cli_width();
	return n > 0 ? n : DEFAULT_WIDTH;
}

/* Print plain text (from a server: any markup in it stays text) wrapped
 * at width by the renderer, sanitized on the way. */
static void
print_wrapped(const char *text, int width)
{
	struct render_options o = {width, NULL, true};
	struct rendered *r;
	struct buf html;
	char *out;

	buf_init(&html);
	buf_puts(&html, "<p>");
	for (const char *c = text; *c != '\0'; c++) {
		if (*c == '&' || *c == '<' || *c == '>')
			buf_puts(&html, *c == '&'   ? "&amp;"
			                : *c == '<' ? "&lt;"
			                            : "&gt;");
		else
			buf_putc(&html, *c);
	}
	buf_puts(&html, "</p>");
	r = render_html(html.data, html.len, &o);
	out = rendered_to_text(r);
	fputs(out, stdout);
	free(out);
	rendered_free(r);
	buf_free(&html);
}

/* The title, then category, views, replies, posts and tags. */
static void
print_header(const struct topic *t, int width)
{
	struct buf b;

	buf_init(&b);
	print_wrapped(t->title ? t->title : "", width);
	buf_printf(&b, _("category %lld"), (long long)t->category_id);
	buf_puts(&b, " | ");
	buf_printf(&b, P_("%d view", "%d views", t->views), t->views);
	buf_puts(&b, " | ");
	buf_printf(&b, P_("%d reply", "%d replies", t->reply_count),
	           t->reply_count);
	buf_puts(&b, " | ");
	buf_printf(&b, P_("%d post", "%d posts", t->posts_count),
	           t->posts_count);
	for (size_t i = 0; i < t->n_tags; i++) {
		if (i == 0)
			buf_printf(&b, " | %s ", _("tags:"));
		else
			buf_puts(&b, ", ");
		buf_puts(&b, t->tags[i]);
	}
	print_wrapped(b.data, width);
	buf_free(&b);
}

static void
print_small_action(const struct post *p, int width)
{
	const char *text = thread_action_text(p->action_code);
	char when[32];
	char *line = xasprintf("#%d @%s %s (%s)", p->post_number,
	                       p->username ? p->username : "",
	                       text             ? text
	                       : p->action_code ? p->action_code
	                                        : "",
	                       cli_date_time(p->created_at, when, sizeof when));

	print_wrapped(line, width);
	putchar('\n');
	free(line);
}

/* "#N name (@username) date", then "in reply to @x #M" and likes. */
static void
print_post_head(const struct post *p, int width)
{
	const char *user = p->username ? p->username : "";
	char when[32];
	struct buf b;

	buf_init(&b);
	buf_printf(&b, "#%d ", p->post_number);
	if (p->name != NULL && *p->name != '\0' && strcmp(p->name, user) != 0)
		buf_printf(&b, "%s (@%s) ", p->name, user);
	else
		buf_printf(&b, "@%s ", user);
	buf_puts(&b, cli_date_time(p->created_at, when, sizeof when));
	print_wrapped(b.data, width);
	buf_reset(&b);
	if (p->reply_to_post_number > 0 && p->reply_to_username != NULL)
		buf_printf(&b, _("in reply to @%s #%d"), p->reply_to_username,
		           p->reply_to_post_number);
	else if (p->reply_to_post_number > 0)
		buf_printf(&b, _("in reply to #%d"), p->reply_to_post_number);
	if (p->like_count > 0) {
		buf_puts(&b, b.len ? " | " : "");
		buf_printf(&b, P_("%d like", "%d likes", p->like_count),
		           p->like_count);
	}
	if (b.len > 0)
		print_wrapped(b.data, width);
	buf_free(&b);
}

static void
print_post(const struct reader *rd, const struct post *p)
{
	struct render_options o = {rd->width, rd->cli->cfg.server, false};
	struct rendered *body;
	char *text;

	if (p->post_type == POST_TYPE_SMALL_ACTION) {
		print_small_action(p, rd->width);
		return;
	}
	print_post_head(p, rd->width);
	putchar('\n');
	body = render_html(p->cooked, p->cooked ? strlen(p->cooked) : 0, &o);
	text = rendered_to_text(body);
	fputs(text, stdout);
	putchar('\n');
	free(text);
	rendered_free(body);
}

/* Print the posts (or keep them, for --json) and note the last number. */
static void
take_posts(struct reader *rd, struct post *posts, size_t n)
{
	struct topic *t = rd->topic;

	for (size_t i = 0; i < n; i++) {
		if (posts[i].post_number > rd->last_number)
			rd->last_number = posts[i].post_number;
		if (!rd->cli->json && posts[i].post_number >= rd->opts->from)
			print_post(rd, &posts[i]);
	}
	if (!rd->cli->json || posts == t->posts)
		return;
	t->posts = xreallocarray(t->posts, t->n_posts + n, sizeof *t->posts);
	memcpy(t->posts + t->n_posts, posts, n * sizeof *posts);
	t->n_posts += n;
}

/* Wait for one chunk and take it; CLI_OK, or CLI_FAIL after the error
 * line. *got is how many posts came. */
static int
take_chunk(struct reader *rd, struct api_sync *sync, size_t *got)
{
	struct post_list *l;
	int rc = cli_wait(rd->cli, sync);

	*got = 0;
	if (rc != CLI_OK)
		return rc;
	l = sync->reply.data;
	take_posts(rd, l->posts, l->n_posts);
	*got = l->n_posts;
	if (rd->cli->json)
		l->n_posts = 0; /* the topic owns them now */
	post_list_free(l);
	fflush(stdout);
	return CLI_OK;
}

/* The stream's ids, but those of the first chunk, CHUNK at a time. */
static int
fetch_stream(struct reader *rd)
{
	const struct topic *t = rd->topic;
	int64_t *ids = xcalloc(t->n_stream, sizeof *ids);
	size_t n_ids = 0, got;
	int rc = CLI_OK;

	for (size_t i = 0; i < t->n_stream; i++) {
		size_t j = 0;

		while (j < t->n_posts && t->posts[j].id != t->stream[i])
			j++;
		if (j == t->n_posts)
			ids[n_ids++] = t->stream[i];
	}
	for (size_t i = 0; i < n_ids && rc == CLI_OK; i += CHUNK) {
		struct api_sync sync = {0};
		size_t n = n_ids - i < CHUNK ? n_ids - i : CHUNK;

		api_get_posts(rd->cli->api, t->id, ids + i, n, api_sync_done,
		              &sync);
		rc = take_chunk(rd, &sync, &got);
	}
	free(ids);
	return rc;
}

/* A mega topic: the posts after the last one seen, until none come. */
static int
fetch_mega(struct reader *rd)
{
	size_t got = CHUNK;

	while (got > 0) {
		struct api_sync sync = {0};
		int rc;

		api_get_posts_near(rd->cli->api, rd->topic->id, rd->last_number,
		                   true, api_sync_done, &sync);
		rc = take_chunk(rd, &sync, &got);
		if (rc != CLI_OK)
			return rc;
	}
	return CLI_OK;
}

static int
read_topic(struct cli *cli, struct topic *t, const struct read_opts *opts)
{
	struct reader rd = {cli, t, opts, output_width(opts), 0};
	int rc;

	if (!cli->json) {
		print_header(t, rd.width);
		putchar('\n');
	}
	take_posts(&rd, t->posts, t->n_posts);
	if (t->is_mega_topic || t->n_stream == 0)
		rc = fetch_mega(&rd);
	else
		rc = fetch_stream(&rd);
	if (rc == CLI_OK && cli->json)
		rc = cli_print_json(api_encode_topic(t));
	return rc;
}

static int
parse_topic_id(const char *s, int64_t *id)
{
	char *end;
	long long v = strtoll(s, &end, 10);

	if (*s < '0' || *s > '9' || *end != '\0' || v <= 0)
		return cli_usage_error(
		    "read", _("read: TOPIC is a topic number, not '%s'"), s);
	*id = v;
	return 0;
}

int
cli_read(struct cli *cli, int argc, char **argv)
{
	struct read_opts opts = {0, 0};
	struct api_sync sync = {0};
	int64_t id = 0;
	int first;
	int rc = cli_parse(cli, cli_find_command("read"), argc, argv,
	                   read_options, read_option, &opts, &first);

	if (rc != 0)
		return rc < 0 ? CLI_OK : rc;
	if (first >= argc)
		return cli_usage_error("read", _("read: which topic?"));
	if (first + 1 < argc)
		return cli_usage_error("read", _("read: unexpected '%s'"),
		                       argv[first + 1]);
	if (parse_topic_id(argv[first], &id) != 0)
		return CLI_USAGE;
	rc = cli_connect(cli);
	if (rc != CLI_OK)
		return rc;
	api_get_topic(cli->api, id, api_sync_done, &sync);
	rc = cli_wait(cli, &sync);
	if (rc == CLI_OK)
		rc = read_topic(cli, sync.reply.data, &opts);
	topic_free(sync.reply.data);
	cli_disconnect(cli);
	return rc;
}
