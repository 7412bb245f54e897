/* model.c: releasing what the model structs own, and small lookups. */
#include <stdlib.h>
#include <string.h>

#include "ambt/model.h"

static void
free_strings(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void
user_brief_clear(struct user_brief *u)
{
	free(u->username);
	free(u->name);
	free(u->avatar_template);
	memset(u, 0, sizeof *u);
}

static void
user_briefs_free(struct user_brief *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		user_brief_clear(&v[i]);
	free(v);
}

void
category_clear(struct category *c)
{
	free(c->name);
	free(c->slug);
	free(c->color);
	free(c->text_color);
	free(c->description_text);
	memset(c, 0, sizeof *c);
}

static void
categories_free(struct category *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		category_clear(&v[i]);
	free(v);
}

void
category_list_free(struct category_list *l)
{
	if (l == NULL)
		return;
	categories_free(l->items, l->n);
	free(l);
}

static void
poster_clear(struct poster *p)
{
	free(p->description);
	free(p->extras);
}

void
topic_entry_clear(struct topic_entry *t)
{
	free(t->title);
	free(t->fancy_title);
	free(t->slug);
	free(t->last_poster_username);
	free(t->excerpt);
	free(t->archetype);
	free_strings(t->tags, t->n_tags);
	for (size_t i = 0; i < t->n_posters; i++)
		poster_clear(&t->posters[i]);
	free(t->posters);
	memset(t, 0, sizeof *t);
}

static void
topic_entries_free(struct topic_entry *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		topic_entry_clear(&v[i]);
	free(v);
}

void
topic_list_free(struct topic_list *l)
{
	if (l == NULL)
		return;
	user_briefs_free(l->users, l->n_users);
	topic_entries_free(l->topics, l->n_topics);
	free(l->more_topics_url);
	free(l);
}

void
post_clear(struct post *p)
{
	free(p->username);
	free(p->name);
	free(p->avatar_template);
	free(p->user_title);
	free(p->cooked);
	free(p->raw);
	free(p->action_code);
	free(p->topic_slug);
	free(p->topic_title);
	free(p->reply_to_username);
	memset(p, 0, sizeof *p);
}

void
post_free(struct post *p)
{
	if (p == NULL)
		return;
	post_clear(p);
	free(p);
}

static void
posts_free(struct post *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		post_clear(&v[i]);
	free(v);
}

void
post_list_free(struct post_list *l)
{
	if (l == NULL)
		return;
	posts_free(l->posts, l->n_posts);
	free(l);
}

void
topic_free(struct topic *t)
{
	if (t == NULL)
		return;
	free(t->title);
	free(t->fancy_title);
	free(t->slug);
	free(t->archetype);
	free_strings(t->tags, t->n_tags);
	free(t->draft_key);
	user_brief_clear(&t->created_by);
	user_brief_clear(&t->last_poster);
	user_briefs_free(t->participants, t->n_participants);
	posts_free(t->posts, t->n_posts);
	free(t->stream);
	free(t);
}

void
user_profile_free(struct user_profile *u)
{
	if (u == NULL)
		return;
	free(u->username);
	free(u->name);
	free(u->title);
	free(u->avatar_template);
	free(u->bio_cooked);
	free(u->bio_raw);
	free(u->location);
	free(u->website);
	free(u->website_name);
	for (size_t i = 0; i < u->n_badges; i++) {
		free(u->badges[i].name);
		free(u->badges[i].description);
	}
	free(u->badges);
	free(u);
}

void
user_summary_free(struct user_summary *s)
{
	if (s == NULL)
		return;
	topic_entries_free(s->top_topics, s->n_top_topics);
	posts_free(s->top_replies, s->n_top_replies);
	free(s);
}

void
notification_clear(struct notification *n)
{
	free(n->slug);
	free(n->fancy_title);
	free(n->display_username);
	free(n->topic_title);
	free(n->badge_name);
	memset(n, 0, sizeof *n);
}

void
notification_list_free(struct notification_list *l)
{
	if (l == NULL)
		return;
	for (size_t i = 0; i < l->n; i++)
		notification_clear(&l->items[i]);
	free(l->items);
	free(l->load_more_url);
	free(l);
}

void
search_result_free(struct search_result *r)
{
	if (r == NULL)
		return;
	for (size_t i = 0; i < r->n_posts; i++) {
		free(r->posts[i].username);
		free(r->posts[i].name);
		free(r->posts[i].blurb);
	}
	free(r->posts);
	topic_entries_free(r->topics, r->n_topics);
	user_briefs_free(r->users, r->n_users);
	categories_free(r->categories, r->n_categories);
	free(r->term);
	free(r);
}

static void
name_values_free(struct name_value *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].name);
	free(v);
}

void
site_free(struct site *s)
{
	if (s == NULL)
		return;
	categories_free(s->categories, s->n_categories);
	name_values_free(s->notification_types, s->n_notification_types);
	name_values_free(s->trust_levels, s->n_trust_levels);
	free(s->default_archetype);
	free(s);
}

void
event_clear(struct event *e)
{
	free(e->name);
	free(e->topic_title);
	free(e->status);
	free(e->timezone);
	free(e->location);
	free(e->url);
	free(e->description);
	memset(e, 0, sizeof *e);
}

void
event_free(struct event *e)
{
	if (e == NULL)
		return;
	event_clear(e);
	free(e);
}

void
event_list_free(struct event_list *l)
{
	if (l == NULL)
		return;
	for (size_t i = 0; i < l->n; i++)
		event_clear(&l->items[i]);
	free(l->items);
	free(l);
}

void
member_list_free(struct member_list *l)
{
	if (l == NULL)
		return;
	for (size_t i = 0; i < l->n; i++) {
		user_brief_clear(&l->items[i].user);
		free(l->items[i].title);
	}
	free(l->items);
	free(l);
}

void
user_action_list_free(struct user_action_list *l)
{
	if (l == NULL)
		return;
	for (size_t i = 0; i < l->n; i++) {
		free(l->items[i].title);
		free(l->items[i].excerpt);
		free(l->items[i].username);
		free(l->items[i].acting_username);
	}
	free(l->items);
	free(l);
}

const struct user_brief *
topic_list_user(const struct topic_list *l, int64_t id)
{
	for (size_t i = 0; i < l->n_users; i++)
		if (l->users[i].id == id)
			return &l->users[i];
	return NULL;
}

const struct category *
site_category(const struct site *s, int64_t id)
{
	for (size_t i = 0; i < s->n_categories; i++)
		if (s->categories[i].id == id)
			return &s->categories[i];
	return NULL;
}

/* The names the events plugin uses for an invitee's status. */
static const char *const rsvp_names[] = {
    [RSVP_NONE] = "none",
    [RSVP_GOING] = "going",
    [RSVP_INTERESTED] = "interested",
    [RSVP_NOT_GOING] = "not_going",
};

const char *
rsvp_status_name(enum rsvp_status s)
{
	if ((unsigned)s >= sizeof rsvp_names / sizeof rsvp_names[0])
		return rsvp_names[RSVP_NONE];
	return rsvp_names[s];
}

enum rsvp_status
rsvp_status_parse(const char *name)
{
	if (name == NULL)
		return RSVP_NONE;
	for (int s = RSVP_GOING; s <= RSVP_NOT_GOING; s++)
		if (strcmp(name, rsvp_names[s]) == 0)
			return s;
	return RSVP_NONE;
}
