/*
 * view_search.c: the posts a search finds, each with its topic's title
 * and the blurb around the match; Enter opens the thread at that post.
 * More results load as the cursor nears the end.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ambt/i18n.h"
#include "ambt/util.h"
#include "tui/core.h"

#define PREFETCH_ROWS 3

struct search_row {
	int64_t post_id;
	int64_t topic_id;
	int post_number;
	char *text; /* "title: blurb" */
	char *username;
};

struct search_view {
	struct view v;
	struct tui *tui;
	char *query;
	char *title;
	struct search_row *rows;
	struct list_nav nav;
	int next_page; /* 1-based, as Discourse counts */
	bool more;
	bool loaded;
	struct http_req *req;
};

static void load_page(struct search_view *sv);

static const char *
topic_title_of(const struct search_result *res, int64_t topic_id)
{
	for (size_t i = 0; i < res->n_topics; i++) {
		if (res->topics[i].id == topic_id)
			return res->topics[i].title;
	}
	return NULL;
}

static void
add_results(struct search_view *sv, const struct search_result *res)
{
	sv->rows =
	    xreallocarray(sv->rows, sv->nav.n + res->n_posts, sizeof *sv->rows);
	for (size_t i = 0; i < res->n_posts; i++) {
		const struct search_post *p = &res->posts[i];
		const char *title = topic_title_of(res, p->topic_id);
		struct search_row *r = &sv->rows[sv->nav.n++];

		r->post_id = p->id;
		r->topic_id = p->topic_id;
		r->post_number = p->post_number;
		r->username = xstrdup(p->username ? p->username : "");
		r->text = xasprintf("%s: %s", title ? title : "?",
		                    p->blurb ? p->blurb : "");
	}
}

static void
search_done(struct api_reply *r, void *arg)
{
	struct search_view *sv = arg;
	struct search_result *res = r->data;

	sv->req = NULL;
	if (!tui_reply_ok(sv->tui, r)) {
		search_result_free(res);
		return;
	}
	sv->loaded = true;
	add_results(sv, res);
	sv->more = res->more_posts && res->n_posts > 0;
	sv->next_page++;
	search_result_free(res);
	tui_dirty(sv->tui);
}

static void
load_page(struct search_view *sv)
{
	if (sv->req == NULL)
		sv->req = api_search(tui_api(sv->tui), sv->query, sv->next_page,
		                     search_done, sv);
}

static void
search_draw(struct view *v, struct tui *t, int top, int rows, int cols)
{
	struct search_view *sv = (struct search_view *)v;
	int sel = tui_attr(TE_SELECTED);

	(void)t;
	list_nav_fit(&sv->nav, rows, NULL, NULL);
	if (sv->nav.n == 0 && sv->loaded)
		tui_put(top, 1, cols - 1, _("(nothing found)"),
		        tui_attr(TE_DIM), false);
	for (int r = 0; r < rows && sv->nav.top + (size_t)r < sv->nav.n; r++) {
		size_t i = sv->nav.top + (size_t)r;
		const struct search_row *row = &sv->rows[i];
		bool is_sel = i == sv->nav.sel;
		int user_w = cols >= 60 ? 16 : 0;

		tui_put(top + r, 0, cols, "", is_sel ? sel : 0, true);
		if (user_w > 0)
			tui_put(top + r, 1, user_w - 1, row->username,
			        is_sel ? sel : tui_attr(TE_AUTHOR), false);
		tui_put(top + r, user_w + 1, cols - user_w - 1, row->text,
		        is_sel ? sel : tui_attr(TE_NORMAL), false);
	}
}

static void
open_selected(struct search_view *sv)
{
	const struct search_row *r;

	if (sv->nav.sel >= sv->nav.n)
		return;
	r = &sv->rows[sv->nav.sel];
	tui_push(sv->tui,
	         view_thread_new(sv->tui, r->topic_id, r->post_number));
}

static const char *
result_text(void *ctx, size_t row)
{
	return ((struct search_view *)ctx)->rows[row].text;
}

static bool
search_action(struct view *v, struct tui *t, enum key_action a)
{
	struct search_view *sv = (struct search_view *)v;

	if (list_nav_action(&sv->nav, a, NULL, NULL)) {
		if (sv->more && sv->nav.sel + PREFETCH_ROWS >= sv->nav.n)
			load_page(sv);
		return true;
	}
	if (a == ACT_SELECT) {
		open_selected(sv);
		return true;
	}
	return list_nav_find(&sv->nav, t, a, result_text, sv);
}

static void
search_click(struct view *v, struct tui *t, int row)
{
	struct search_view *sv = (struct search_view *)v;

	(void)t;
	if (list_nav_click(&sv->nav, row, NULL, NULL))
		open_selected(sv);
}

static void
search_cancel(struct view *v, struct tui *t)
{
	struct search_view *sv = (struct search_view *)v;

	tui_cancel(t, sv->req);
	sv->req = NULL;
}

static void
clear_rows(struct search_view *sv)
{
	for (size_t i = 0; i < sv->nav.n; i++) {
		free(sv->rows[i].text);
		free(sv->rows[i].username);
	}
	free(sv->rows);
	sv->rows = NULL;
	sv->nav.n = 0;
}

static void
search_reload(struct view *v, struct tui *t)
{
	struct search_view *sv = (struct search_view *)v;

	search_cancel(v, t);
	clear_rows(sv);
	sv->next_page = 1;
	sv->loaded = false;
	load_page(sv);
}

static const char *
search_title(struct view *v)
{
	return ((struct search_view *)v)->title;
}

static void
search_free(struct view *v)
{
	struct search_view *sv = (struct search_view *)v;

	search_cancel(v, sv->tui);
	clear_rows(sv);
	free(sv->query);
	free(sv->title);
	free(sv);
}

static const char *
search_loading(struct view *v)
{
	(void)v;
	return _("search results");
}

static const struct view_ops search_ops = {
    .name = "search",
    .key_view = KV_LIST,
    .title = search_title,
    .draw = search_draw,
    .action = search_action,
    .click = search_click,
    .reload = search_reload,
    .cancel = search_cancel,
    .free = search_free,
    .loading = search_loading,
};

struct view *
view_search_new(struct tui *t, const char *query)
{
	struct search_view *sv = xcalloc(1, sizeof *sv);
	char *clean = utf8_sanitize(query, strlen(query));

	sv->v.ops = &search_ops;
	sv->tui = t;
	sv->query = xstrdup(query);
	sv->title = xasprintf(_("Search: %s"), clean);
	free(clean);
	sv->next_page = 1;
	load_page(sv);
	return &sv->v;
}
