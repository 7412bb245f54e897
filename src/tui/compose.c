/*
 * compose.c: replying and editing from a thread.
 *
 * A reply's text is in the state store as a draft before the editor
 * starts and again as soon as it returns, so a crash or a kill in the
 * editor loses nothing; the draft is deleted only when the server has
 * confirmed the post (ambt/send.h). The text is edited in a file under
 * $XDG_STATE_HOME/ambt/, never /tmp, and removed afterwards. Before
 * sending, a preview: the Markdown made HTML with cmark (as the server
 * cooks it) and rendered as the thread will show it.
 */
#include "config.h"

#define _XOPEN_SOURCE_EXTENDED 1
#include <cmark.h>
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ambt/i18n.h"
#include "ambt/send.h"
#include "ambt/util.h"
#include "tui/compose.h"
#include "tui/core.h"

/* Discourse's defaults: min_post_length, max_post_length. */
#define POST_MIN_CHARS 20
#define POST_MAX_CHARS 32000
/* min_topic_title_length, max_topic_title_length. */
#define TITLE_MIN_CHARS 15
#define TITLE_MAX_CHARS 255

struct compose {
	struct tui *tui; /* NULL once the TUI has gone (compose_stop_all) */
	struct compose *next; /* in the list of those running */
	int64_t topic_id;
	int reply_to;         /* the post number replied to, or 0 */
	int64_t edit_post_id; /* E: the post being edited, or 0 */
	int64_t category_id;  /* c: the new topic's category */
	char *title;          /* c: the new topic's title */
	char *edit_path;      /* E: the edited text's file, kept until saved */
	char *key;            /* the draft key: "topic_42" */
	bool resumed;         /* the text came from a kept draft */
	struct send_env env;
	struct compose_owner owner;
};

/* Every compose that runs, so the TUI can leave them behind. */
static struct compose *running;

static void
compose_free(struct compose *c)
{
	for (struct compose **p = &running; *p != NULL; p = &(*p)->next) {
		if (*p == c) {
			*p = c->next;
			break;
		}
	}
	if (c->owner.slot != NULL)
		*c->owner.slot = NULL;
	free(c->key);
	free(c->title);
	free(c->edit_path);
	free(c);
}

void
compose_detach(struct compose *c)
{
	c->owner.slot = NULL;
	c->owner.posted = NULL;
}

void
compose_stop_all(void)
{
	for (struct compose *c = running; c != NULL; c = c->next) {
		compose_detach(c);
		c->tui = NULL;
	}
}

static struct compose *
compose_new(struct tui *t, int64_t topic_id, const struct compose_owner *o)
{
	struct compose *c = xcalloc(1, sizeof *c);

	c->owner = *o;
	*o->slot = c;
	c->tui = t;
	c->next = running;
	running = c;
	c->topic_id = topic_id;
	c->key = send_draft_key(topic_id);
	c->env.api = tui_api(t);
	c->env.state = tui_state(t);
	c->env.server = tui_base_url(t);
	c->env.username = tui_username(t);
	return c;
}

/* Characters, not bytes: the server counts them so. */
static size_t
utf8_chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

static bool
is_blank(const char *text)
{
	return text[strspn(text, " \t\r\n")] == '\0';
}

/* The server's limits; NULL when the text may be sent, else why not. */
static const char *
check_limits(const char *text, char *why, size_t size)
{
	size_t n = utf8_chars(text);

	if (is_blank(text))
		snprintf(why, size, _("The text is empty"));
	else if (n < POST_MIN_CHARS)
		snprintf(
		    why, size,
		    _("The text is too short: %zu characters, at least %d"), n,
		    POST_MIN_CHARS);
	else if (n > POST_MAX_CHARS)
		snprintf(why, size,
		         _("The text is too long: %zu characters, at most %d"),
		         n, POST_MAX_CHARS);
	else
		return NULL;
	return why;
}

/* ---- The preview ---- */

static void
preview_draw(const struct rendered *r, size_t top, const char *what)
{
	char *head = utf8_sanitize(what, strlen(what));

	erase();
	tui_put(0, 0, COLS, head, A_REVERSE, true);
	free(head);
	for (int row = 1; row < LINES - 1 && top + (size_t)row - 1 < r->n_lines;
	     row++)
		tui_put_rendered(row, 0, COLS, &r->lines[top + row - 1]);
	tui_put(LINES - 1, 0, COLS,
	        _("y: send   e: edit again   q: keep as a draft   j/k: scroll"),
	        A_REVERSE, true);
	refresh();
}

/* Show the text as it will look; returns 'y', 'e' or 'q'. */
static int
preview(const char *text, const char *what)
{
	char *html =
	    cmark_markdown_to_html(text, strlen(text), CMARK_OPT_DEFAULT);
	struct render_options ro = {.width = COLS, .no_link_list = false};
	struct rendered *r = render_html(html, strlen(html), &ro);
	size_t top = 0;
	int key = 0;

	free(html);
	nodelay(stdscr, FALSE);
	while (key != 'y' && key != 'e' && key != 'q') {
		preview_draw(r, top, what);
		key = getch();
		if ((key == 'j' || key == KEY_DOWN) && top + 1 < r->n_lines)
			top++;
		else if ((key == 'k' || key == KEY_UP) && top > 0)
			top--;
		else if (key == 27 || key == 'n')
			key = 'q';
	}
	nodelay(stdscr, TRUE);
	rendered_free(r);
	clearok(curscr, TRUE);
	return key;
}

/* ---- Sending ---- */

/* The thread that started it shows the new post. */
static void
tell_owner(struct compose *c)
{
	tui_dirty(c->tui);
	if (c->owner.posted != NULL)
		c->owner.posted(c->owner.arg);
}

/* "Draft kept" first, then the server's own words where the error has
 * them after "HTTP 422: " (a 422's "Body is too short"): the status line
 * is short, the URL before them is not news. */
static void
say_kept(struct tui *t, const struct ambt_error *err)
{
	const char *words = tui_error_words(err);

	if (words != err->msg)
		tui_error(t, _("Draft kept: %s (HTTP %ld)"), words,
		          err->http_status);
	else
		tui_error(t, _("Draft kept: %s"), err->msg);
}

static void
send_done(struct send_result *res, void *arg)
{
	struct compose *c = arg;

	/* After the TUI has gone: the draft stays in the store (send.h). */
	if (c->tui == NULL) {
		post_free(res->post);
		compose_free(c);
		return;
	}
	if (res->outcome == SEND_POSTED || res->outcome == SEND_FOUND) {
		tui_message(c->tui, _("Posted as #%d"),
		            res->post ? res->post->post_number : 0);
		if (c->topic_id == 0 && res->post != NULL)
			tui_push(c->tui, view_thread_new(
			                     c->tui, res->post->topic_id, 1));
		else
			tell_owner(c);
	} else {
		say_kept(c->tui, &res->err);
	}
	post_free(res->post);
	compose_free(c);
}

/* The draft of this compose with text (borrowed, not copied). */
static struct draft
compose_draft(const struct compose *c, const char *text)
{
	return (struct draft){.key = c->key,
	                      .text = (char *)text,
	                      .title = c->title,
	                      .reply_to_post_number = c->reply_to,
	                      .category_id = c->category_id,
	                      .saved_at = (int64_t)time(NULL)};
}

static void
send_reply(struct compose *c, const char *text)
{
	struct draft d = compose_draft(c, text);
	struct ambt_error err = {0};

	tui_message(c->tui, _("Sending\u2026"));
	if (send_post(&c->env, &d, c->category_id, c->resumed, send_done, c,
	              &err) < 0) {
		tui_error(c->tui, _("Not sent: %s"), err.msg);
		compose_free(c);
	}
}

static void
edit_done(struct api_reply *r, void *arg)
{
	struct compose *c = arg;

	if (c->tui == NULL) {
		post_free(r->data);
		compose_free(c);
		return;
	}
	if (r->data != NULL) {
		unlink(c->edit_path);
		tui_message(c->tui, _("Post edited"));
		tell_owner(c);
	} else if (r->err.kind != AMBT_E_CANCELLED) {
		tui_error(c->tui, _("Not saved: %s; your edit is in %s"),
		          r->err.msg, c->edit_path);
	}
	post_free(r->data);
	compose_free(c);
}

/* ---- Editing ---- */

static int
save_draft(struct compose *c, const char *text)
{
	struct draft d = compose_draft(c, text);
	struct ambt_error err = {0};

	if (c->edit_post_id != 0)
		return 0; /* an edit is no reply: it is not kept as one */
	if (send_save_draft(&c->env, &d, &err) < 0) {
		tui_error(c->tui, _("The draft could not be saved: %s"),
		          err.msg);
		return -1;
	}
	return 0;
}

/* Nothing was written: no draft is kept (an edit keeps none anyway). */
static void
drop_draft(struct compose *c)
{
	struct ambt_error err = {0};

	if (c->edit_post_id == 0)
		send_discard_draft(&c->env, c->key, &err);
	tui_message(c->tui, _("Nothing written: nothing sent"));
}

/* A private file for the editor under $XDG_STATE_HOME/ambt/. */
static char *
make_compose_file(const char *text)
{
	char *dir = xdg_state_dir();
	char *path = xasprintf("%s/compose-XXXXXX.md", dir);
	struct ambt_error err = {0};
	int fd = -1;

	if (mkdir_p(dir, &err) == 0)
		fd = mkstemps(path, 3);
	free(dir);
	if (fd < 0 || close(fd) < 0 || edit_write_file(path, text) < 0) {
		free(path);
		return NULL;
	}
	return path;
}

static const char *
preview_title(const struct compose *c, char *buf, size_t size)
{
	if (c->edit_post_id != 0)
		return _("Preview of the edit");
	if (c->topic_id == 0) {
		snprintf(buf, size, _("Preview of the new topic: %s"),
		         c->title);
		return buf;
	}
	return _("Preview of the reply");
}

/* Edit until the user sends or stops; the text is a draft throughout. */
static char *
edit_text(struct compose *c, const char *path)
{
	char why[128], head[512];
	char *text = NULL;

	for (;;) {
		enum edit_result r = tui_edit_file(c->tui, path);

		free(text);
		text = edit_read_file(path);
		if (text == NULL)
			break;
		if (r != EDIT_FAILED && is_blank(text)) {
			drop_draft(c);
			break;
		}
		if (save_draft(c, text) < 0)
			break;
		if (r == EDIT_FAILED) {
			tui_error(c->tui,
			          _("The editor failed; the draft is kept"));
			break;
		}
		if (r == EDIT_CANCELLED) {
			tui_message(c->tui, _("Not sent; the draft is kept"));
			break;
		}
		if (check_limits(text, why, sizeof why) != NULL) {
			tui_error(c->tui, _("%s; the draft is kept"), why);
			break;
		}
		switch (preview(text, preview_title(c, head, sizeof head))) {
		case 'y':
			return text;
		case 'e':
			continue;
		default:
			tui_message(c->tui, _("Not sent; the draft is kept"));
			break;
		}
		break;
	}
	free(text);
	return NULL;
}

static void
compose_run(struct compose *c, const char *initial)
{
	char *path, *text;

	if (c->env.state == NULL) {
		tui_error(c->tui,
		          _("No state database: a draft could not be kept"));
		compose_free(c);
		return;
	}
	if (save_draft(c, initial) < 0 ||
	    (path = make_compose_file(initial)) == NULL) {
		tui_error(c->tui, _("Cannot write the text to a file under "
		                    "$XDG_STATE_HOME/ambt"));
		compose_free(c);
		return;
	}
	text = edit_text(c, path);
	if (c->edit_post_id != 0) {
		c->edit_path = path; /* an edit has no draft: keep its file */
	} else {
		unlink(path);
		free(path);
	}
	if (text == NULL) {
		if (c->edit_path != NULL)
			tui_message(c->tui, _("Not saved; your edit is in %s"),
			            c->edit_path);
		compose_free(c);
	} else if (c->edit_post_id != 0) {
		tui_message(c->tui, _("Saving the edit\u2026"));
		api_edit_post(c->env.api, c->edit_post_id, text, edit_done, c);
	} else {
		send_reply(c, text);
	}
	free(text);
}

/* ---- Starting ---- */

/* A kept draft for this topic: continue it (true, *text set), start
 * anew after discarding it, or leave it (false, c freed). */
static bool
offer_draft(struct compose *c, char **text)
{
	struct draft d;
	struct ambt_error err = {0};

	*text = NULL;
	if (c->env.state == NULL ||
	    store_draft_load(c->env.state, c->env.server, c->key, &d, &err) !=
	        1)
		return true;
	if (tui_confirm(c->tui,
	                _("An unsent draft in this topic: continue it?"))) {
		*text = d.text;
		d.text = NULL;
		c->title = d.title;
		d.title = NULL;
		c->reply_to = (int)d.reply_to_post_number;
		c->resumed = true;
	} else if (tui_confirm(c->tui, _("Discard that draft?"))) {
		send_discard_draft(&c->env, c->key, &err);
	} else {
		draft_clear(&d);
		compose_free(c);
		return false;
	}
	draft_clear(&d);
	return true;
}

/* Discourse's quote markup around the post's raw text. */
static char *
quote_text(const struct post *p)
{
	return xasprintf(
	    "[quote=\"%s, post:%d, topic:%lld\"]\n%s\n[/quote]\n\n",
	    p->username ? p->username : "", p->post_number,
	    (long long)p->topic_id, p->raw ? p->raw : "");
}

static void
quote_done(struct api_reply *r, void *arg)
{
	struct compose *c = arg;
	struct post *p = r->data;
	char *text;

	if (c->tui == NULL || !tui_reply_ok(c->tui, r)) {
		post_free(p);
		compose_free(c);
		return;
	}
	text = quote_text(p);
	post_free(p);
	compose_run(c, text);
	free(text);
}

void
compose_reply(struct tui *t, int64_t topic_id, const struct post *quote,
              const struct compose_owner *o)
{
	struct compose *c = compose_new(t, topic_id, o);
	char *text;

	if (!offer_draft(c, &text))
		return;
	if (text == NULL && quote != NULL) {
		c->reply_to = quote->post_number;
		tui_message(t, _("Fetching the text of #%d\u2026"),
		            quote->post_number);
		api_get_post(c->env.api, quote->id, quote_done, c);
		return;
	}
	compose_run(c, text ? text : "");
	free(text);
}

static void
edit_raw_done(struct api_reply *r, void *arg)
{
	struct compose *c = arg;
	struct post *p = r->data;

	if (c->tui == NULL || !tui_reply_ok(c->tui, r)) {
		post_free(p);
		compose_free(c);
		return;
	}
	compose_run(c, p->raw ? p->raw : "");
	post_free(p);
}

void
compose_edit(struct tui *t, const struct post *p, const struct compose_owner *o)
{
	struct compose *c;

	if (!p->yours && !p->can_edit) {
		tui_error(t, _("You can only edit your own posts"));
		return;
	}
	c = compose_new(t, p->topic_id, o);
	c->edit_post_id = p->id;
	tui_message(t, _("Fetching the text of #%d\u2026"), p->post_number);
	api_get_post(c->env.api, p->id, edit_raw_done, c);
}

void
compose_note_drafts(struct tui *t)
{
	struct draft *drafts = NULL;
	size_t n = 0;
	struct ambt_error err = {0};

	if (tui_state(t) == NULL ||
	    send_unsent_drafts(tui_state(t), tui_base_url(t), &drafts, &n,
	                       &err) < 0)
		return;
	if (n > 0)
		tui_message(t,
		            P_("%zu unsent draft (r in the topic offers it "
		               "again)",
		               "%zu unsent drafts (r in the topic offers it "
		               "again)",
		               n),
		            n);
	send_drafts_free(drafts, n);
}

/* The sync in flight; its tui is NULL once the TUI has gone (there is
 * one TUI, so one sync). */
struct draft_sync {
	struct tui *tui;
};
static struct draft_sync *syncing;

static void
sync_done(int n_imported, const struct ambt_error *err, void *arg)
{
	struct draft_sync *s = arg;

	if (s == syncing)
		syncing = NULL;
	if (s->tui != NULL && err == NULL && n_imported > 0)
		compose_note_drafts(s->tui);
	free(s);
}

void
compose_sync_drafts(struct tui *t)
{
	struct send_env env = {
	    .api = tui_api(t),
	    .state = tui_state(t),
	    .server = tui_base_url(t),
	    .username = tui_username(t),
	};
	struct ambt_error err = {0};

	if (env.state == NULL || env.username == NULL)
		return;
	compose_sync_stop();
	syncing = xcalloc(1, sizeof *syncing);
	syncing->tui = t;
	if (send_sync_server_drafts(&env, sync_done, syncing, &err) < 0) {
		free(syncing);
		syncing = NULL;
	}
}

void
compose_sync_stop(void)
{
	if (syncing != NULL)
		syncing->tui = NULL;
	syncing = NULL;
}

/* ---- A new topic ---- */

static void
chooser_draw(const struct site *site, size_t sel, size_t top)
{
	erase();
	tui_put(0, 0, COLS, _("A new topic: choose its category"), A_REVERSE,
	        true);
	for (int row = 1;
	     row < LINES - 1 && top + (size_t)row - 1 < site->n_categories;
	     row++) {
		const struct category *cat = &site->categories[top + row - 1];
		char *line = xasprintf("%s%s", cat->parent_id ? "  " : "",
		                       cat->name ? cat->name : "");
		char *safe = utf8_sanitize(line, strlen(line));

		tui_put(row, 0, COLS, safe,
		        top + (size_t)row - 1 == sel ? tui_attr(TE_SELECTED)
		                                     : 0,
		        true);
		free(safe);
		free(line);
	}
	tui_put(LINES - 1, 0, COLS, _("j/k: move   Enter: choose   q: cancel"),
	        A_REVERSE, true);
	refresh();
}

/* The chosen category's id, or 0 when cancelled. */
static int64_t
choose_category(const struct site *site)
{
	size_t sel = 0, top = 0;
	int key = 0;

	nodelay(stdscr, FALSE);
	while (key != '\n' && key != '\r' && key != KEY_ENTER && key != 'q' &&
	       key != 27) {
		size_t rows = LINES > 2 ? (size_t)LINES - 2 : 1;

		if (sel < top)
			top = sel;
		else if (sel >= top + rows)
			top = sel - rows + 1;
		chooser_draw(site, sel, top);
		key = getch();
		if ((key == 'j' || key == KEY_DOWN) &&
		    sel + 1 < site->n_categories)
			sel++;
		else if ((key == 'k' || key == KEY_UP) && sel > 0)
			sel--;
	}
	nodelay(stdscr, TRUE);
	clearok(curscr, TRUE);
	if (key == 'q' || key == 27)
		return 0;
	return site->categories[sel].id;
}

static bool
ask_title(struct compose *c)
{
	char *title = c->title ? c->title : tui_prompt(c->tui, _("Title: "));
	size_t n = title ? utf8_chars(title) : 0;

	c->title = title;
	if (title == NULL)
		return false;
	if (n < TITLE_MIN_CHARS || n > TITLE_MAX_CHARS) {
		tui_error(
		    c->tui,
		    _("A title has %d to %d characters; this one has %zu"),
		    TITLE_MIN_CHARS, TITLE_MAX_CHARS, n);
		return false;
	}
	return true;
}

static void
new_topic_in(struct compose *c, const struct site *site)
{
	char *text;

	if (site->n_categories == 0) {
		tui_error(c->tui, _("The forum has no categories to start a "
		                    "topic in"));
		compose_free(c);
		return;
	}
	if (!offer_draft(c, &text))
		return;
	c->category_id = choose_category(site);
	tui_dirty(c->tui);
	if (c->category_id == 0 || !ask_title(c)) {
		if (c->category_id == 0)
			tui_message(c->tui, _("No new topic"));
		free(text);
		compose_free(c);
		return;
	}
	compose_run(c, text ? text : "");
	free(text);
}

static void
site_done(struct api_reply *r, void *arg)
{
	struct compose *c = arg;

	if (c->tui != NULL && tui_reply_ok(c->tui, r))
		new_topic_in(c, r->data);
	else
		compose_free(c);
	site_free(r->data);
}

void
compose_new_topic(struct tui *t, const struct site *site,
                  const struct compose_owner *o)
{
	struct compose *c = compose_new(t, 0, o);

	if (site != NULL) {
		new_topic_in(c, site);
		return;
	}
	tui_message(t, _("Fetching the categories\u2026"));
	api_get_site(c->env.api, site_done, c);
}
