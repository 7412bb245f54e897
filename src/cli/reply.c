/*
 * reply.c: ambt reply TOPIC [--to N] [-m TEXT | -F FILE], and what the
 * writing subcommands share: reading the text, the state store and sending
 * through the draft-safe pipeline (send.h) with a report of its outcome.
 * With --to N the post is a reply to post N; the quote of it is the TUI's
 * (R), not added here.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ambt/i18n.h"
#include "ambt/send.h"
#include "ambt/util.h"
#include "cli/cli.h"

int
cli_parse_id(const char *command, const char *what, const char *s, int64_t *id)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (*s < '0' || *s > '9' || *end != '\0' || v <= 0 || errno != 0)
		return cli_usage_error(command,
		                       _("%s: %s is a number, not '%s'"),
		                       command, what, s);
	*id = v;
	return 0;
}

void
cli_short_text_options(int argc, char **argv)
{
	static char message[] = "--message", file[] = "--file";

	for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
		if (strcmp(argv[i], "-m") == 0)
			argv[i] = message;
		else if (strcmp(argv[i], "-F") == 0)
			argv[i] = file;
	}
}

static char *
read_stream(FILE *f)
{
	struct buf b;
	char chunk[4096];
	size_t n;

	buf_init(&b);
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_append(&b, chunk, n);
	if (ferror(f)) {
		buf_free(&b);
		return NULL;
	}
	return buf_steal(&b);
}

static bool
blank(const char *s)
{
	return s[strspn(s, " \t\r\n")] == '\0';
}

char *
cli_body(const char *command, const char *text, const char *file)
{
	FILE *f = stdin;
	char *body;

	if (text != NULL) {
		body = xstrdup(text);
	} else {
		if (file != NULL && strcmp(file, "-") != 0)
			f = fopen(file, "r");
		if (f == NULL) {
			fprintf(stderr, "ambt: %s: %s\n", file,
			        strerror(errno));
			return NULL;
		}
		body = read_stream(f);
		if (body == NULL)
			fprintf(stderr, _("ambt: %s: cannot read\n"),
			        file ? file : _("standard input"));
		if (f != stdin)
			fclose(f);
		if (body == NULL)
			return NULL;
	}
	if (blank(body) || !utf8_valid(body, strlen(body))) {
		fprintf(
		    stderr,
		    blank(body)
		        ? _("ambt: %s: the text is empty; nothing was sent\n")
		        : _("ambt: %s: the text is not UTF-8; nothing was "
		            "sent\n"),
		    command);
		free(body);
		return NULL;
	}
	return body;
}

struct store *
cli_open_state(void)
{
	struct ambt_error err = {0};
	struct store *st = store_open_default(STORE_STATE, &err);

	if (st == NULL)
		fprintf(stderr, _("ambt: cannot keep drafts: %s\n"), err.msg);
	return st;
}

struct send_wait {
	bool done;
	struct send_result result;
};

static void
send_finished(struct send_result *r, void *arg)
{
	struct send_wait *w = arg;

	w->result = *r;
	w->done = true;
}

int
cli_print_json_value(json_t *j)
{
	char *text = json_dumps(j, JSON_INDENT(2));

	json_decref(j);
	return cli_print_json(text);
}

static int
print_posted(const struct cli *cli, const struct post *p, bool found)
{
	json_t *j;

	if (!cli->json) {
		printf(found ? _("already posted as post %lld: topic %lld, "
		                 "#%d\n")
		             : _("posted as post %lld: topic %lld, #%d\n"),
		       (long long)p->id, (long long)p->topic_id,
		       p->post_number);
		return CLI_OK;
	}
	j = json_pack("{s:I, s:I, s:i, s:b}", "id", (json_int_t)p->id,
	              "topic_id", (json_int_t)p->topic_id, "post_number",
	              p->post_number, "found_earlier", found);
	return cli_print_json_value(j);
}

static int
report(const struct cli *cli, const struct send_wait *w, const char *key)
{
	const struct send_result *r = &w->result;
	char *msg;

	if (r->outcome == SEND_POSTED || r->outcome == SEND_FOUND)
		return print_posted(cli, r->post, r->outcome == SEND_FOUND);
	msg = cli_clean(r->err.msg);
	fprintf(stderr, "ambt: %s\n", msg);
	fprintf(stderr,
	        r->outcome == SEND_UNCERTAIN
	            ? _("ambt: the text is kept as draft %s: 'ambt drafts send "
	                "%s' sends it after checking the topic\n")
	            : _("ambt: the text is kept as draft %s: 'ambt drafts send "
	                "%s' sends it\n"),
	        key, key);
	free(msg);
	return CLI_FAIL;
}

static const char *
logged_in_user(const struct cli *cli)
{
	return cli->cfg.api_username ? cli->cfg.api_username
	                             : cli->cfg.username;
}

int
cli_send(struct cli *cli, struct store *state, const struct draft *d,
         int64_t category_id, bool check_first)
{
	struct ambt_error err = {0};
	struct send_env env = {cli->api, state, cli->cfg.server,
	                       logged_in_user(cli)};
	struct send_wait w = {0};
	int rc;

	if (send_post(&env, d, category_id, check_first, send_finished, &w,
	              &err) < 0) {
		fprintf(stderr, _("ambt: nothing was sent: %s\n"), err.msg);
		return CLI_FAIL;
	}
	while (!w.done && http_pending(api_http(cli->api)) > 0)
		http_poll(api_http(cli->api), NULL, 0, -1);
	if (!w.done) {
		fputs(_("ambt: the send ended without an answer; the draft is "
		        "kept\n"),
		      stderr);
		return CLI_FAIL;
	}
	rc = report(cli, &w, d->key);
	post_free(w.result.post);
	/* The server's copy of the draft is deleted best effort: let it go
	 * out before the program ends. */
	http_run(api_http(cli->api));
	return rc;
}

struct reply_opts {
	int64_t to;
	const char *text;
	const char *file;
};

static const struct option reply_options[] = {
    {"to", required_argument, NULL, 't'},
    {"message", required_argument, NULL, 'm'},
    {"file", required_argument, NULL, 'F'},
    {NULL, 0, NULL, 0},
};

static int
reply_option(int c, const char *arg, void *ctx)
{
	struct reply_opts *o = ctx;

	if (c == 't')
		return cli_parse_id("reply", "--to", arg, &o->to) ? CLI_USAGE
		                                                  : 0;
	if (c == 'm')
		o->text = arg;
	else
		o->file = arg;
	return 0;
}

static int
reply_send(struct cli *cli, int64_t topic, const struct reply_opts *o)
{
	struct draft d = {0};
	struct draft old = {0};
	struct store *state;
	bool again;
	int rc;

	d.text = cli_body("reply", o->text, o->file);
	if (d.text == NULL)
		return CLI_FAIL;
	d.key = send_draft_key(topic);
	d.reply_to_post_number = o->to;
	state = cli_open_state();
	rc = state ? cli_connect(cli) : CLI_FAIL;
	if (rc == CLI_OK) {
		/* The same text left as a draft may have gone out already
		 * (a kill, a lost answer): look before posting it again. */
		again = store_draft_load(state, cli->cfg.server, d.key, &old,
		                         NULL) == 1 &&
		        strcmp(old.text, d.text) == 0;
		rc = cli_send(cli, state, &d, 0, again);
		cli_disconnect(cli);
	}
	draft_clear(&old);
	draft_clear(&d);
	store_close(state);
	return rc;
}

int
cli_reply(struct cli *cli, int argc, char **argv)
{
	struct reply_opts o = {0, NULL, NULL};
	int64_t topic;
	int first, rc;

	cli_short_text_options(argc, argv);
	rc = cli_parse(cli, cli_find_command("reply"), argc, argv,
	               reply_options, reply_option, &o, &first);
	if (rc != 0)
		return rc < 0 ? CLI_OK : rc;
	if (first >= argc)
		return cli_usage_error("reply", _("reply: which topic?"));
	if (first + 1 < argc)
		return cli_usage_error("reply", _("reply: unexpected '%s'"),
		                       argv[first + 1]);
	if (o.text != NULL && o.file != NULL)
		return cli_usage_error(
		    "reply", _("reply: -m and -F cannot go together"));
	if (cli_parse_id("reply", "TOPIC", argv[first], &topic) != 0)
		return CLI_USAGE;
	return reply_send(cli, topic, &o);
}
