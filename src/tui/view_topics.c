/*
 * view_topics.c: a list of topics: the latest, those with unread posts,
 * the new ones, or one category's. The next page is fetched as the
 * cursor nears the end. A refresh keeps the selected topic selected (by
 * id), wherever its row ends up.
 *
 * The unread and new lists are the server's (/unread.json, /new.json):
 * only it knows the member's tracking state across every topic, where
 * filtering /latest would miss what is older than its first pages.
 */
#include "config.h"

#define _XOPEN_SOURCE_EXTENDED 1
#include <ctype.h>
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ambt/i18n.h"
#include "ambt/util.h"
#include "tui/core.h"

/* Fetch the next page when the cursor is this close to the end. */
#define PREFETCH_ROWS 5

struct topics_view {
	struct view v;
	struct tui *tui;
	char *title;
	char *loading; /* "latest topics" */
	char *slug;
	int64_t category_id;
	const char *filter; /* list_query.filter: NULL, "unread", "new" */
	struct topic_entry *topics;
	size_t n_topics;
	struct list_nav nav;
	int next_page;  /* the page to fetch next */
	bool more;      /* the server has more pages */
	bool replacing; /* a refresh: the reply replaces the list */
	bool loaded;
	struct http_req *req;
};

static void load_page(struct topics_view *tv, int page);

/* ---- A topic as a row (the start page draws them too) ---- */

static void
topic_mark(const struct topic_entry *e, char *buf, size_t size,
           enum theme_element *el)
{
	/* -1 means the server sent no count. */
	int unread = (e->unread_posts > 0 ? e->unread_posts : 0) +
	             (e->new_posts > 0 ? e->new_posts : 0);

	*el = TE_NORMAL;
	buf[0] = '\0';
	if (unread > 0) {
		snprintf(buf, size, "%d", unread);
		*el = TE_UNREAD;
	} else if (e->unseen) {
		/* TRANSLATORS: marks a new topic in a column 4 wide. */
		snprintf(buf, size, "%s", _("new"));
		*el = TE_NEW;
	}
}

void
topic_row_draw(struct tui *t, int y, int cols, const struct topic_entry *e,
               bool selected)
{
	const char *cat = tui_category_name(t, e->category_id);
	char mark[16], replies[16], age[16];
	enum theme_element mark_el;
	int sel = tui_attr(TE_SELECTED);
	int cat_w = cols >= 70 ? 18 : 0;
	int right = cat_w + 11;
	int title_w = cols - 5 - right;
	int64_t active = e->bumped_at ? e->bumped_at : e->last_posted_at;

	topic_mark(e, mark, sizeof mark, &mark_el);
	if (title_w < 10) {
		right = 0;
		cat_w = 0;
		title_w = cols - 5;
	}
	tui_put(y, 0, cols, "", selected ? sel : tui_attr(TE_NORMAL), true);
	tui_put(y, 0, 4, mark, selected ? sel : tui_attr(mark_el), false);
	tui_put(y, 5, title_w, e->title ? e->title : "",
	        selected
	            ? sel
	            : tui_attr(e->unseen || e->unread_posts > 0 ? TE_UNREAD
	                                                        : TE_NORMAL),
	        false);
	if (right == 0)
		return;
	if (cat_w > 0)
		tui_put(y, cols - right + 1, cat_w - 1, cat ? cat : "",
		        selected ? sel : tui_attr(TE_CATEGORY), false);
	snprintf(replies, sizeof replies, "%5d", e->reply_count);
	tui_put(y, cols - 11, 5, replies, selected ? sel : tui_attr(TE_DIM),
	        false);
	tui_age(active, age, sizeof age);
	tui_put(y, cols - 5, 5, age, selected ? sel : tui_attr(TE_DIM), false);
}

/* ---- The view ---- */

static const char *
topics_title(struct view *v)
{
	return ((struct topics_view *)v)->title;
}

static bool
have_topic(const struct topics_view *tv, int64_t id, size_t *row)
{
	for (size_t i = 0; i < tv->n_topics; i++) {
		if (tv->topics[i].id == id) {
			if (row != NULL)
				*row = i;
			return true;
		}
	}
	return false;
}

static void
clear_topics(struct topics_view *tv)
{
	for (size_t i = 0; i < tv->n_topics; i++)
		topic_entry_clear(&tv->topics[i]);
	free(tv->topics);
	tv->topics = NULL;
	tv->n_topics = 0;
}

/* Take the topics out of the list (it is freed after). */
static void
append_topics(struct topics_view *tv, struct topic_list *list)
{
	tv->topics = xreallocarray(tv->topics, tv->n_topics + list->n_topics,
	                           sizeof *tv->topics);
	for (size_t i = 0; i < list->n_topics; i++) {
		struct topic_entry *e = &list->topics[i];

		/* A topic bumped between two pages comes twice. */
		if (have_topic(tv, e->id, NULL)) {
			topic_entry_clear(e);
			continue;
		}
		tv->topics[tv->n_topics++] = *e;
		memset(e, 0, sizeof *e);
	}
	list->n_topics = 0;
}

static void
topics_done(struct api_reply *r, void *arg)
{
	struct topics_view *tv = arg;
	struct topic_list *list = r->data;
	int64_t selected = 0;
	size_t row;

	tv->req = NULL;
	if (!tui_reply_ok(tv->tui, r)) {
		topic_list_free(list);
		return;
	}
	if (tv->nav.sel < tv->n_topics)
		selected = tv->topics[tv->nav.sel].id;
	if (tv->replacing)
		clear_topics(tv);
	tv->replacing = false;
	tv->loaded = true;
	append_topics(tv, list);
	tv->more = list->more_topics_url != NULL;
	tv->next_page++;
	topic_list_free(list);
	tv->nav.n = tv->n_topics;
	/* New data never moves the reader: the same topic stays selected. */
	if (selected != 0 && have_topic(tv, selected, &row))
		list_nav_select(&tv->nav, row);
	tui_dirty(tv->tui);
	/* A page of topics seen already adds nothing: keep going. */
	if (tv->more && tv->nav.sel + PREFETCH_ROWS >= tv->n_topics)
		load_page(tv, tv->next_page);
}

static void
load_page(struct topics_view *tv, int page)
{
	struct list_query q = {.category_slug = tv->slug,
	                       .category_id = tv->category_id,
	                       .page = page,
	                       .filter = tv->filter};

	if (tv->req != NULL)
		return;
	tv->next_page = page;
	tv->req = api_get_latest(tui_api(tv->tui), &q, topics_done, tv);
}

static void
topics_draw(struct view *v, struct tui *t, int top, int rows, int cols)
{
	struct topics_view *tv = (struct topics_view *)v;

	list_nav_fit(&tv->nav, rows, NULL, NULL);
	if (tv->n_topics == 0) {
		tui_put(top, 1, cols - 1, tv->loaded ? _("(no topics)") : "",
		        tui_attr(TE_DIM), false);
		return;
	}
	for (int r = 0; r < rows && tv->nav.top + (size_t)r < tv->n_topics;
	     r++) {
		size_t i = tv->nav.top + (size_t)r;

		topic_row_draw(t, top + r, cols, &tv->topics[i],
		               i == tv->nav.sel);
	}
}

static void
open_selected(struct topics_view *tv)
{
	if (tv->nav.sel >= tv->n_topics)
		return;
	tui_push(tv->tui,
	         view_thread_new(tv->tui, tv->topics[tv->nav.sel].id, 0));
}

static void
next_unread(struct topics_view *tv)
{
	for (size_t i = tv->nav.sel + 1; i < tv->n_topics; i++) {
		if (tv->topics[i].unread_posts > 0 || tv->topics[i].unseen) {
			list_nav_select(&tv->nav, i);
			return;
		}
	}
	tui_message(tv->tui, _("No more unread topics in this list"));
}

static const char *
topic_text(void *ctx, size_t row)
{
	return ((struct topics_view *)ctx)->topics[row].title;
}

static bool
topics_action(struct view *v, struct tui *t, enum key_action a)
{
	struct topics_view *tv = (struct topics_view *)v;

	if (list_nav_action(&tv->nav, a, NULL, NULL)) {
		if (tv->more && tv->nav.sel + PREFETCH_ROWS >= tv->n_topics)
			load_page(tv, tv->next_page);
		return true;
	}
	if (a == ACT_SELECT) {
		open_selected(tv);
		return true;
	}
	if (a == ACT_NEXT_UNREAD) {
		next_unread(tv);
		return true;
	}
	return list_nav_find(&tv->nav, t, a, topic_text, tv);
}

static void
topics_click(struct view *v, struct tui *t, int row)
{
	struct topics_view *tv = (struct topics_view *)v;

	(void)t;
	if (list_nav_click(&tv->nav, row, NULL, NULL))
		open_selected(tv);
}

static void
topics_cancel(struct view *v, struct tui *t)
{
	struct topics_view *tv = (struct topics_view *)v;

	tui_cancel(t, tv->req);
	tv->req = NULL;
	tv->replacing = false;
}

static void
topics_reload(struct view *v, struct tui *t)
{
	struct topics_view *tv = (struct topics_view *)v;

	topics_cancel(v, t);
	tv->replacing = true;
	load_page(tv, 0);
}

static void
topics_free(struct view *v)
{
	struct topics_view *tv = (struct topics_view *)v;

	topics_cancel(v, tv->tui);
	clear_topics(tv);
	free(tv->title);
	free(tv->loading);
	free(tv->slug);
	free(tv);
}

static const char *
topics_loading(struct view *v)
{
	return ((struct topics_view *)v)->loading;
}

static const struct view_ops topics_ops = {
    .name = "topics",
    .key_view = KV_LIST,
    .title = topics_title,
    .draw = topics_draw,
    .action = topics_action,
    .click = topics_click,
    .reload = topics_reload,
    .cancel = topics_cancel,
    .free = topics_free,
    .loading = topics_loading,
};

static char *
make_title(struct tui *t, const char *what, int64_t category_id,
           const char *slug)
{
	const char *name = tui_category_name(t, category_id);

	if (slug != NULL)
		return xasprintf(_("Topics in %s"), name ? name : slug);
	if (strcmp(what, "unread") == 0)
		return xstrdup(_("Unread topics"));
	if (strcmp(what, "new") == 0)
		return xstrdup(_("New topics"));
	return xstrdup(_("Latest topics"));
}

struct view *
view_topics_new(struct tui *t, const char *what, const char *category_slug,
                int64_t category_id)
{
	struct topics_view *tv = xcalloc(1, sizeof *tv);

	tv->v.ops = &topics_ops;
	tv->tui = t;
	what = what ? what : "latest";
	if (strcmp(what, "unread") == 0)
		tv->filter = "unread";
	else if (strcmp(what, "new") == 0)
		tv->filter = "new";
	tv->slug = xstrdup(category_slug);
	tv->category_id = category_id;
	tv->title = make_title(t, what, category_id, category_slug);
	/* _("Latest topics") -> "latest topics"; a category keeps its name. */
	tv->loading =
	    category_slug
	        ? xstrdup(_("the category's topics"))
	        : xasprintf("%c%s", tolower((unsigned char)tv->title[0]),
	                    tv->title + 1);
	load_page(tv, 0);
	return &tv->v;
}
