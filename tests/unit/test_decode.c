/*
 * test_decode.c: every example response decodes, with its real values;
 * error bodies become one line; the model re-encodes as JSON that jansson
 * reads back with the same values.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "ambt/api.h"
#include "ambt/util.h"
#include "decode_util.h"

/* Decode one sample with its decoder; fails the test on an error. */
static void *
decode_ok(const char *decoder, const char *file, bool shared)
{
	struct sample s = {file, shared, decoder};
	struct ambt_error err = {0};
	size_t len;
	char *body = read_sample(&s, &len);
	void *out = NULL;

	if (decoder_named(decoder)->decode(body, len, &out, &err) != 0)
		fail_msg("%s: %s", file, err.msg);
	assert_int_equal(err.kind, AMBT_OK);
	assert_non_null(out);
	free(body);
	return out;
}

static void
test_latest_2016(void **state)
{
	struct topic_list *l =
	    decode_ok("topic_list", "api_GET_latest.example-2016.json", true);
	const struct topic_entry *t;

	(void)state;
	assert_int_equal(l->n_users, 2);
	assert_string_equal(l->users[1].username, "system");
	assert_int_equal(l->users[1].id, -1);
	assert_null(l->users[0].name);
	assert_int_equal(l->users[0].trust_level, -1);
	assert_int_equal(l->n_topics, 3);
	assert_int_equal(l->per_page, 30);
	assert_null(l->more_topics_url);
	assert_false(l->can_create_topic);
	t = &l->topics[0];
	assert_int_equal(t->id, 13);
	assert_string_equal(t->title, "2a6aa74e-e341-5e3c-1eaa-78c6331f305f");
	assert_int_equal(t->created_at, 1477750460);
	assert_int_equal(t->category_id, 1);
	assert_string_equal(t->archetype, "regular");
	assert_true(t->visible);
	assert_false(t->bookmarked);
	assert_int_equal(t->last_read_post_number, -1);
	assert_int_equal(t->unread_posts, -1);
	assert_int_equal(t->notification_level, -1);
	assert_int_equal(t->n_posters, 1);
	assert_string_equal(t->posters[0].extras, "latest single");
	assert_string_equal(t->posters[0].description,
	                    "Original Poster, Most Recent Poster");
	assert_int_equal(l->topics[1].posts_count, 7);
	t = &l->topics[2];
	assert_string_equal(t->title, "Welcome to Discourse");
	assert_true(t->pinned);
	assert_non_null(t->excerpt);
	assert_true(strncmp(t->excerpt, "The first paragraph", 19) == 0);
	assert_string_equal(topic_list_user(l, t->posters[0].user_id)->username,
	                    "system");
	assert_null(topic_list_user(l, 4242));
	topic_list_free(l);
}

static void
test_latest_older_server(void **state)
{
	struct topic_list *l =
	    decode_ok("topic_list", "latest_old.json", false);

	(void)state;
	assert_string_equal(l->more_topics_url, "/latest?page=1");
	assert_int_equal(l->per_page, 2);
	assert_true(l->can_create_topic);
	assert_int_equal(l->users[0].trust_level, 2);
	/* "unread" from before unread_posts existed */
	assert_int_equal(l->topics[0].unread_posts, 2);
	assert_int_equal(l->topics[0].new_posts, 1);
	assert_int_equal(l->topics[0].last_read_post_number, 2);
	assert_int_equal(l->topics[0].notification_level, 2);
	assert_int_equal(l->topics[0].created_at, 1360009585);
	assert_int_equal(l->topics[0].bumped_at, 1389881585);
	assert_null(l->topics[0].excerpt);
	assert_null(l->topics[0].posters[0].extras);
	/* both names: the newer wins */
	assert_int_equal(l->topics[1].unread_posts, 5);
	assert_int_equal(l->topics[1].new_posts, -1);
	assert_int_equal(l->topics[1].posts_count, 2);
	assert_null(topic_list_user(l, l->topics[1].posters[0].user_id));
	topic_list_free(l);
}

static void
test_topic_2016(void **state)
{
	struct topic *t =
	    decode_ok("topic", "api_GET_t_id.example-2016.json", true);

	(void)state;
	assert_int_equal(t->id, 13);
	assert_string_equal(
	    t->title,
	    "About the 9bf05639-c1d6-95e0-b5b1-24c75db096e5 category");
	assert_int_equal(t->posts_count, 1);
	assert_int_equal(t->category_id, 5);
	assert_int_equal(t->created_at, 1475329886);
	assert_int_equal(t->last_posted_at, 0);
	assert_true(t->pinned);
	assert_string_equal(t->draft_key, "topic_13");
	assert_int_equal(t->draft_sequence, 0);
	assert_int_equal(t->chunk_size, 20);
	assert_int_equal(t->participant_count, 1);
	assert_int_equal(t->notification_level, 1);
	assert_int_equal(t->last_read_post_number, -1);
	assert_string_equal(t->created_by.username, "discourse1");
	assert_int_equal(t->last_poster.id, 1);
	assert_int_equal(t->n_participants, 1);
	assert_int_equal(t->participants[0].post_count, 1);
	assert_int_equal(t->n_stream, 1);
	assert_int_equal(t->stream[0], 16);
	assert_false(t->is_mega_topic);
	assert_int_equal(t->n_posts, 1);
	assert_int_equal(t->posts[0].id, 16);
	assert_int_equal(t->posts[0].post_number, 1);
	assert_int_equal(t->posts[0].reply_to_post_number, 0);
	assert_true(t->posts[0].read);
	assert_int_equal(t->posts[0].like_count, 0);
	assert_string_equal(t->posts[0].name, "");
	assert_true(strncmp(t->posts[0].cooked, "<p>(Replace this", 16) == 0);
	topic_free(t);
}

static void
test_topic_legacy_2014(void **state)
{
	struct topic *t = decode_ok(
	    "topic", "api_GET_t_id.legacy-gem-fixture-2014.json", true);
	const struct post *p = &t->posts[0];

	(void)state;
	assert_int_equal(t->n_posts, 4);
	assert_int_equal(t->n_stream, 4);
	assert_int_equal(t->stream[0], 83);
	assert_int_equal(t->stream[3], 226);
	assert_string_equal(p->username, "samsaffron");
	assert_string_equal(p->name, "Sam Saffron");
	assert_int_equal(p->created_at, 1360009586);
	assert_int_equal(p->version, 5);
	assert_int_equal(p->reads, 34);
	assert_int_equal(p->reply_count, 1);
	assert_int_equal(p->trust_level, 1);
	/* actions_summary id 2 with count 0 and can_act null */
	assert_int_equal(p->like_count, 0);
	assert_false(p->can_like);
	assert_false(p->can_edit);
	assert_int_equal(t->notification_level, -1);
	topic_free(t);
}

static void
test_topic_mega(void **state)
{
	struct topic *t = decode_ok("topic", "topic_mega.json", false);
	const struct post *p;

	(void)state;
	assert_true(t->is_mega_topic);
	assert_int_equal(t->last_id, 123456);
	assert_int_equal(t->n_stream, 0);
	assert_null(t->stream);
	assert_int_equal(t->posts_count, 15000);
	assert_int_equal(t->last_read_post_number, 12);
	assert_int_equal(t->notification_level, 3);
	assert_int_equal(t->draft_sequence, 4);
	assert_int_equal(t->last_poster.id, -1);
	assert_int_equal(t->n_participants, 0);
	assert_int_equal(t->n_tags, 2);
	assert_string_equal(t->tags[0], "opendata");
	assert_string_equal(t->tags[1], "sociale-media");
	p = &t->posts[0];
	assert_int_equal(p->like_count, 7);
	assert_true(p->liked);
	assert_true(p->can_unlike);
	assert_false(p->can_like);
	assert_int_equal(p->event_id, 0);
	assert_int_equal(p->trust_level, 4);
	p = &t->posts[1];
	assert_int_equal(p->post_type, POST_TYPE_SMALL_ACTION);
	assert_string_equal(p->action_code, "closed.enabled");
	assert_string_equal(p->cooked, "");
	assert_int_equal(p->reply_to_post_number, 1);
	assert_string_equal(p->reply_to_username, "sam");
	assert_int_equal(p->like_count, 0);
	assert_true(p->can_like);
	assert_int_equal(p->event_id, 5002);
	topic_free(t);
}

static void
test_post_list(void **state)
{
	struct post_list *l = decode_ok("post_list", "post_list.json", false);

	(void)state;
	assert_int_equal(l->topic_id, 42);
	assert_int_equal(l->n_posts, 2);
	assert_int_equal(l->posts[0].post_number, 21);
	assert_int_equal(l->posts[0].reply_to_post_number, 20);
	assert_string_equal(l->posts[0].reply_to_username, "bart");
	assert_null(l->posts[0].raw);
	assert_string_equal(l->posts[1].raw, "Twee\xc3\xab"
	                                     "ntwintig");
	assert_int_equal(l->posts[1].like_count, 1);
	assert_null(l->posts[1].reply_to_username);
	post_list_free(l);
}

static void
test_post_2016(void **state)
{
	struct post *p =
	    decode_ok("post", "api_GET_posts_id.example-2016.json", true);

	(void)state;
	assert_int_equal(p->id, 33);
	assert_string_equal(p->username, "blake");
	assert_int_equal(p->post_number, 4);
	assert_int_equal(p->topic_id, 8);
	assert_string_equal(p->topic_slug, "welcome-to-discourse");
	assert_true(strncmp(p->raw, "b15bd65a-527e", 13) == 0);
	assert_int_equal(p->post_type, POST_TYPE_REGULAR);
	assert_int_equal(p->trust_level, 0);
	assert_int_equal(p->reads, 1);
	assert_null(p->user_title);
	assert_false(p->yours);
	post_free(p);
}

static void
test_user_2016(void **state)
{
	struct user_profile *u =
	    decode_ok("user", "api_GET_u_username.example-2016.json", true);

	(void)state;
	assert_int_equal(u->id, 1);
	assert_string_equal(u->username, "discourse1");
	assert_null(u->name);
	assert_null(u->title);
	assert_null(u->website_name);
	assert_true(u->admin);
	assert_false(u->moderator);
	assert_int_equal(u->trust_level, 0);
	assert_int_equal(u->post_count, -1);
	assert_int_equal(u->profile_view_count, 1);
	assert_int_equal(u->last_seen_at, 1478352072);
	assert_int_equal(u->n_badges, 0);
	user_profile_free(u);
}

static void
test_user_summary(void **state)
{
	struct user_summary *s =
	    decode_ok("user_summary", "user_summary.json", false);

	(void)state;
	assert_int_equal(s->likes_received, 11);
	assert_int_equal(s->post_count, 17);
	assert_int_equal(s->time_read, 86400);
	assert_int_equal(s->days_visited, 9);
	assert_int_equal(s->n_top_topics, 2);
	/* in topic_ids order, not the sideload's */
	assert_int_equal(s->top_topics[0].id, 42);
	assert_string_equal(s->top_topics[0].title, "Welkom bij Ambtenaar 2.0");
	assert_int_equal(s->top_topics[1].like_count, 6);
	assert_int_equal(s->n_top_replies, 1);
	assert_int_equal(s->top_replies[0].like_count, 5);
	assert_int_equal(s->top_replies[0].post_number, 3);
	assert_string_equal(s->top_replies[0].topic_title,
	                    "Studiedag Grimbergen");
	user_summary_free(s);
}

static void
test_notifications_2019(void **state)
{
	struct notification_list *l = decode_ok(
	    "notifications", "api_GET_notifications.example-2019.json", true);

	(void)state;
	assert_int_equal(l->n, 2);
	assert_int_equal(l->total_rows, 2);
	assert_int_equal(l->seen_notification_id, 3);
	assert_string_equal(l->load_more_url,
	                    "/notifications?offset=60&username=blake.erickson");
	assert_int_equal(l->items[0].id, 3);
	assert_int_equal(l->items[0].notification_type, 12);
	assert_true(l->items[0].read);
	assert_string_equal(l->items[0].badge_name, "First Emoji");
	assert_int_equal(l->items[0].topic_id, 0);
	assert_int_equal(l->items[0].post_number, 0);
	assert_null(l->items[0].slug);
	assert_int_equal(l->items[0].created_at, 1560803165);
	assert_string_equal(l->items[1].display_username, "discobot");
	assert_string_equal(l->items[1].topic_title, "Greetings!");
	assert_string_equal(l->items[1].fancy_title, "Greetings!");
	assert_int_equal(l->items[1].topic_id, 10);
	assert_int_equal(l->items[1].post_number, 1);
	notification_list_free(l);
}

static void
test_notifications_without_total(void **state)
{
	const char *body = "{\"notifications\": [{\"id\": 9007199254740993, "
	                   "\"notification_type\": 1, \"read\": false, "
	                   "\"high_priority\": true, \"data\": {}}]}";
	struct notification_list *l = NULL;
	struct ambt_error err = {0};

	(void)state;
	assert_int_equal(api_decode_notifications(body, strlen(body), &l, &err),
	                 0);
	assert_int_equal(l->total_rows, -1);
	assert_true(l->items[0].id == 9007199254740993LL);
	assert_true(l->items[0].high_priority);
	assert_null(l->load_more_url);
	notification_list_free(l);
}

static void
test_search_2016(void **state)
{
	struct search_result *r =
	    decode_ok("search", "api_GET_search.example-2016.json", true);

	(void)state;
	assert_int_equal(r->n_posts, 1);
	assert_int_equal(r->posts[0].id, 16);
	assert_int_equal(r->posts[0].topic_id, 13);
	assert_null(r->posts[0].name);
	assert_string_equal(r->posts[0].username, "discourse1");
	assert_true(strncmp(r->posts[0].blurb, "ecf65fcd", 8) == 0);
	assert_int_equal(r->n_topics, 1);
	assert_string_equal(r->topics[0].title,
	                    "2a6aa74e-e341-5e3c-1eaa-78c6331f305f");
	assert_null(r->topics[0].last_poster_username);
	assert_int_equal(r->n_users, 0);
	assert_int_equal(r->n_categories, 0);
	assert_false(r->more_posts);
	assert_null(r->term);
	search_result_free(r);
}

static void
test_search_without_results(void **state)
{
	const char *body = "{\"posts\": [], \"users\": [], \"categories\": [], "
	                   "\"grouped_search_result\": {\"more_posts\": null, "
	                   "\"term\": \"grimbergen\", \"post_ids\": []}}";
	struct search_result *r = NULL;

	(void)state;
	assert_int_equal(api_decode_search(body, strlen(body), &r, NULL), 0);
	assert_int_equal(r->n_topics, 0);
	assert_null(r->topics);
	assert_string_equal(r->term, "grimbergen");
	search_result_free(r);
}

static void
test_site(void **state)
{
	struct site *s = decode_ok("site", "site.json", false);

	(void)state;
	assert_int_equal(s->n_categories, 3);
	assert_int_equal(s->categories[2].parent_id, 5);
	assert_int_equal(s->categories[2].notification_level, -1);
	assert_true(s->categories[2].read_restricted);
	assert_string_equal(site_category(s, 7)->name, "Provincies");
	assert_string_equal(site_category(s, 5)->description_text,
	                    "Open data bij de overheid");
	assert_null(site_category(s, 99));
	assert_int_equal(s->n_notification_types, 5);
	assert_string_equal(s->notification_types[3].name, "granted_badge");
	assert_int_equal(s->notification_types[3].value, 12);
	assert_int_equal(s->n_trust_levels, 5);
	assert_string_equal(s->trust_levels[4].name, "leader");
	assert_int_equal(s->trust_levels[4].value, 4);
	assert_int_equal(s->uncategorized_category_id, 1);
	assert_string_equal(s->default_archetype, "regular");
	site_free(s);
}

static void
test_categories(void **state)
{
	struct category_list *l =
	    decode_ok("categories", "categories.json", false);

	(void)state;
	assert_true(l->can_create_topic);
	assert_int_equal(l->n, 2);
	assert_string_equal(l->items[0].name, "Open data");
	assert_string_equal(l->items[0].color, "F1592A");
	assert_int_equal(l->items[0].notification_level, 3);
	assert_int_equal(l->items[0].topic_count, 12);
	assert_int_equal(l->items[0].parent_id, 0);
	assert_null(l->items[1].description_text);
	assert_string_equal(l->items[1].slug, "sociale-media");
	category_list_free(l);
}

static void
test_events_plugin(void **state)
{
	struct event_list *l = decode_ok(
	    "events",
	    "discourse-post-event_events.json.example-plugin-2025-07.json",
	    true);

	(void)state;
	assert_int_equal(l->n, 2);
	assert_int_equal(l->items[0].id, 67501);
	assert_string_equal(l->items[0].name, "Awesome Event");
	assert_string_equal(l->items[0].timezone, "Asia/Calcutta");
	assert_int_equal(l->items[0].topic_id, 18449);
	assert_string_equal(l->items[0].topic_title, "This is an event");
	assert_int_equal(l->items[0].post_number, 1);
	/* a wall-clock time with no zone is in the event's timezone:
	 * 2100-02-02T00:00:00 in India (+05:30) */
	assert_int_equal(l->items[0].starts_at, 4105209600 - 19800);
	assert_int_equal(l->items[0].ends_at, 0);
	assert_int_equal(l->items[1].category_id, 2);
	assert_int_equal(l->items[1].rsvp, RSVP_NONE);
	assert_null(l->items[1].location);
	event_list_free(l);
}

static void
test_events_recurring(void **state)
{
	struct event_list *l = decode_ok(
	    "events",
	    "discourse-post-event_events.json.example-recurring-plugin-2025-"
	    "07.json",
	    true);

	(void)state;
	assert_int_equal(l->n, 2);
	assert_int_equal(l->items[0].starts_at, 4105268040);
	assert_string_equal(l->items[1].name, "Another Awesome Event");
	assert_int_equal(l->items[1].starts_at, 4105209600);
	event_list_free(l);
}

static void
test_event_details(void **state)
{
	struct event *e = decode_ok("event", "event.json", false);

	(void)state;
	assert_int_equal(e->id, 120);
	assert_string_equal(e->name, "Studiedag Grimbergen");
	assert_string_equal(e->status, "public");
	assert_string_equal(e->location, "Grimbergen");
	assert_int_equal(e->starts_at, 1795593600);
	assert_int_equal(e->ends_at, 1795593600 + 8 * 3600);
	assert_int_equal(e->going, 12);
	assert_int_equal(e->interested, 3);
	assert_int_equal(e->not_going, 1);
	assert_int_equal(e->rsvp, RSVP_INTERESTED);
	assert_int_equal(e->invitee_id, 77);
	assert_true(e->can_act);
	assert_int_equal(e->topic_id, 43);
	event_free(e);
}

/* Wall-clock times (show_local_time, all-day) are in the event's zone;
 * the process's own TZ is left as it was. */
static void
test_event_local_times(void **state)
{
	const char *body =
	    "{\"event\": {\"id\": 5, \"timezone\": \"Europe/Brussels\", "
	    "\"starts_at\": \"2026-11-25T09:00:00\", "
	    "\"ends_at\": \"2026-11-25\"}}";
	const char *bad_zone =
	    "{\"event\": {\"id\": 5, \"timezone\": \"../../etc/passwd\", "
	    "\"starts_at\": \"2026-11-25T09:00:00\"}}";
	struct event *e = NULL;

	(void)state;
	assert_int_equal(setenv("TZ", "America/New_York", 1), 0);
	assert_int_equal(api_decode_event(body, strlen(body), &e, NULL), 0);
	assert_int_equal(e->starts_at, 1795593600);
	assert_int_equal(e->ends_at, 1795564800 - 3600);
	assert_string_equal(getenv("TZ"), "America/New_York");
	event_free(e);
	assert_int_equal(unsetenv("TZ"), 0);
	assert_int_equal(api_decode_event(body, strlen(body), &e, NULL), 0);
	assert_null(getenv("TZ"));
	event_free(e);
	assert_int_equal(api_decode_event(bad_zone, strlen(bad_zone), &e, NULL),
	                 0);
	assert_int_equal(e->starts_at, 1795597200);
	event_free(e);
}

static void
test_rsvp_names(void **state)
{
	(void)state;
	assert_string_equal(rsvp_status_name(RSVP_GOING), "going");
	assert_string_equal(rsvp_status_name(RSVP_NOT_GOING), "not_going");
	assert_string_equal(rsvp_status_name(RSVP_NONE), "none");
	assert_int_equal(rsvp_status_parse("interested"), RSVP_INTERESTED);
	assert_int_equal(rsvp_status_parse("maybe"), RSVP_NONE);
	assert_int_equal(rsvp_status_parse(NULL), RSVP_NONE);
}

static void
assert_error_message(const char *body, const char *want)
{
	char *msg = api_decode_error_message(body, strlen(body));

	if (want == NULL) {
		assert_null(msg);
		return;
	}
	assert_non_null(msg);
	assert_string_equal(msg, want);
	free(msg);
}

static void
test_error_bodies(void **state)
{
	(void)state;
	assert_error_message(
	    "{\"errors\": [\"Title is too short\", \"Body is too short\"], "
	    "\"error_type\": \"record_invalid\"}",
	    "Title is too short; Body is too short");
	assert_error_message(
	    "{\"errors\": [\"You are not permitted to view the requested "
	    "resource.\"], \"error_type\": \"invalid_access\", \"extras\": "
	    "{\"html\": \"<html>...</html>\"}}",
	    "You are not permitted to view the requested resource.");
	assert_error_message(
	    "{\"error\": \"Incorrect username, email or password\"}",
	    "Incorrect username, email or password");
	assert_error_message("{\"failed\": \"FAILED\", \"ok\": false}",
	                     "FAILED");
	assert_error_message("[\"BAD CSRF\"]", "BAD CSRF");
	assert_error_message("{\"errors\": [1, null]}", NULL);
	assert_error_message("{\"success\": \"OK\"}", NULL);
	assert_error_message("Slow down, too many requests from this IP", NULL);
	assert_error_message("", NULL);
	assert_error_message("{\"errors\": [\"a\"", NULL);
}

/* Encode, then parse the text back: it must be JSON with these values. */
static json_t *
reparse(char *text)
{
	json_error_t jerr;
	json_t *root;

	assert_non_null(text);
	root = json_loads(text, 0, &jerr);
	if (root == NULL)
		fail_msg("encoded JSON does not parse: %s", jerr.text);
	free(text);
	return root;
}

static const char *
str_at(const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);

	assert_true(json_is_string(v));
	return json_string_value(v);
}

static json_int_t
int_at(const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);

	assert_true(json_is_integer(v));
	return json_integer_value(v);
}

static void
test_encode_topic_list(void **state)
{
	struct topic_list *l =
	    decode_ok("topic_list", "api_GET_latest.example-2016.json", true);
	json_t *root = reparse(api_encode_topic_list(l));
	const json_t *t = json_array_get(json_object_get(root, "topics"), 0);
	const json_t *poster = json_array_get(json_object_get(t, "posters"), 0);

	(void)state;
	assert_int_equal(json_array_size(json_object_get(root, "topics")), 3);
	assert_int_equal(int_at(t, "id"), 13);
	assert_string_equal(str_at(t, "created_at"), "2016-10-29T14:14:20Z");
	assert_true(json_is_null(json_object_get(t, "last_read_post_number")));
	assert_true(json_is_null(json_object_get(t, "excerpt")));
	assert_string_equal(str_at(poster, "username"), "discourse1");
	assert_true(json_is_null(json_object_get(root, "more_topics_url")));
	assert_int_equal(int_at(root, "per_page"), 30);
	json_decref(root);
	topic_list_free(l);
}

static void
test_encode_topic(void **state)
{
	struct topic *t = decode_ok("topic", "topic_mega.json", false);
	json_t *root = reparse(api_encode_topic(t));
	const json_t *p = json_array_get(json_object_get(root, "posts"), 1);

	(void)state;
	assert_int_equal(int_at(root, "id"), 900);
	assert_true(json_is_true(json_object_get(root, "is_mega_topic")));
	assert_int_equal(int_at(root, "last_id"), 123456);
	assert_int_equal(json_array_size(json_object_get(root, "stream")), 0);
	assert_string_equal(
	    json_string_value(json_array_get(json_object_get(root, "tags"), 1)),
	    "sociale-media");
	assert_string_equal(
	    str_at(json_object_get(root, "created_by"), "username"), "sam");
	assert_true(json_is_null(json_object_get(root, "last_posted_at")));
	assert_string_equal(str_at(p, "action_code"), "closed.enabled");
	assert_string_equal(str_at(p, "reply_to_username"), "sam");
	assert_int_equal(int_at(p, "event_id"), 5002);
	assert_true(json_is_null(json_object_get(p, "raw")));
	json_decref(root);
	topic_free(t);
}

static void
test_encode_user(void **state)
{
	struct user_profile *u =
	    decode_ok("user", "api_GET_u_username.example-2016.json", true);
	struct user_summary *s =
	    decode_ok("user_summary", "user_summary.json", false);
	json_t *root = reparse(api_encode_user(u, s));
	const json_t *user = json_object_get(root, "user");
	const json_t *sum = json_object_get(root, "summary");

	(void)state;
	assert_string_equal(str_at(user, "username"), "discourse1");
	assert_true(json_is_null(json_object_get(user, "name")));
	assert_true(json_is_null(json_object_get(user, "post_count")));
	assert_string_equal(str_at(user, "last_seen_at"),
	                    "2016-11-05T13:21:12Z");
	assert_int_equal(int_at(sum, "time_read"), 86400);
	assert_string_equal(
	    str_at(json_array_get(json_object_get(sum, "top_topics"), 0),
	           "title"),
	    "Welkom bij Ambtenaar 2.0");
	json_decref(root);
	root = reparse(api_encode_user(u, NULL));
	assert_true(json_is_null(json_object_get(root, "summary")));
	json_decref(root);
	user_summary_free(s);
	user_profile_free(u);
}

static void
test_encode_lists(void **state)
{
	struct notification_list *n = decode_ok(
	    "notifications", "api_GET_notifications.example-2019.json", true);
	struct search_result *r =
	    decode_ok("search", "api_GET_search.example-2016.json", true);
	struct category_list *c =
	    decode_ok("categories", "categories.json", false);
	json_t *root;

	(void)state;
	root = reparse(api_encode_notifications(n));
	assert_string_equal(
	    str_at(json_array_get(json_object_get(root, "notifications"), 0),
	           "badge_name"),
	    "First Emoji");
	assert_true(json_is_null(json_object_get(
	    json_array_get(json_object_get(root, "notifications"), 0),
	    "topic_id")));
	assert_int_equal(int_at(root, "total_rows"), 2);
	json_decref(root);
	root = reparse(api_encode_search(r));
	assert_int_equal(
	    int_at(json_array_get(json_object_get(root, "posts"), 0), "id"),
	    16);
	assert_true(json_is_null(json_object_get(root, "term")));
	assert_true(json_is_false(json_object_get(root, "more_posts")));
	json_decref(root);
	root = reparse(api_encode_categories(c));
	assert_string_equal(
	    str_at(json_array_get(json_object_get(root, "categories"), 0),
	           "name"),
	    "Open data");
	assert_true(json_is_null(json_object_get(
	    json_array_get(json_object_get(root, "categories"), 0),
	    "parent_id")));
	json_decref(root);
	notification_list_free(n);
	search_result_free(r);
	category_list_free(c);
}

static void
test_encode_events(void **state)
{
	struct event *e = decode_ok("event", "event.json", false);
	struct event_list l = {e, 1};
	json_t *root = reparse(api_encode_events(&l));
	const json_t *ev = json_array_get(json_object_get(root, "events"), 0);

	(void)state;
	assert_int_equal(int_at(ev, "id"), 120);
	assert_string_equal(str_at(ev, "rsvp"), "interested");
	assert_string_equal(str_at(ev, "starts_at"), "2026-11-25T08:00:00Z");
	assert_int_equal(int_at(ev, "going"), 12);
	json_decref(root);
	event_free(e);
}

/* A model built elsewhere may hold bytes that are not UTF-8. */
/* The names of an object's members, in order, comma-separated. */
static void
assert_names(const json_t *o, const char *want)
{
	struct buf b;
	const char *key;
	json_t *v;

	assert_true(json_is_object(o));
	buf_init(&b);
	json_object_foreach((json_t *)o, key, v)
	{
		buf_printf(&b, "%s%s", b.len ? "," : "", key);
	}
	assert_string_equal(b.data ? b.data : "", want);
	buf_free(&b);
}

static const json_t *
first(const json_t *o, const char *array)
{
	return json_array_get(json_object_get(o, array), 0);
}

/* --json is an interface scripts rely on: a renamed, dropped or moved
 * field must fail here, not in a user's pipeline. */
static void
test_encode_names_are_stable(void **state)
{
	struct topic_list *l =
	    decode_ok("topic_list", "api_GET_latest.example-2016.json", true);
	struct category_list *c =
	    decode_ok("categories", "categories.json", false);
	struct notification_list *n = decode_ok(
	    "notifications", "api_GET_notifications.example-2019.json", true);
	struct search_result *r =
	    decode_ok("search", "api_GET_search.example-2016.json", true);
	struct user_profile *u =
	    decode_ok("user", "api_GET_u_username.example-2016.json", true);
	struct user_summary *sum =
	    decode_ok("user_summary", "user_summary.json", false);
	json_t *root;

	(void)state;
	root = reparse(api_encode_topic_list(l));
	assert_names(root,
	             "topics,users,more_topics_url,per_page,can_create_topic");
	assert_names(
	    first(root, "topics"),
	    "id,title,fancy_title,slug,posts_count,reply_count,"
	    "highest_post_number,views,like_count,category_id,created_at,"
	    "last_posted_at,bumped_at,last_poster_username,excerpt,archetype,"
	    "pinned,closed,archived,visible,unseen,bookmarked,liked,"
	    "last_read_post_number,unread_posts,new_posts,notification_level,"
	    "tags,posters");
	assert_names(first(first(root, "topics"), "posters"),
	             "user_id,username,description,extras");
	assert_names(first(root, "users"),
	             "id,username,name,avatar_template,post_count,trust_level,"
	             "admin,moderator");
	json_decref(root);

	root = reparse(api_encode_categories(c));
	assert_names(root, "categories,can_create_topic");
	assert_names(first(root, "categories"),
	             "id,name,slug,color,text_color,description_text,"
	             "parent_id,topic_count,post_count,position,"
	             "read_restricted,notification_level");
	json_decref(root);

	root = reparse(api_encode_notifications(n));
	assert_names(root, "notifications,total_rows,seen_notification_id,"
	                   "load_more_url");
	assert_names(first(root, "notifications"),
	             "id,notification_type,read,high_priority,created_at,"
	             "topic_id,post_number,slug,fancy_title,display_username,"
	             "topic_title,badge_name");
	json_decref(root);

	root = reparse(api_encode_search(r));
	assert_names(root, "posts,topics,users,categories,more_posts,term");
	assert_names(first(root, "posts"),
	             "id,topic_id,post_number,username,name,blurb,created_at,"
	             "like_count");
	json_decref(root);

	root = reparse(api_encode_user(u, sum));
	assert_names(root, "user,summary");
	assert_names(json_object_get(root, "user"),
	             "id,username,name,title,avatar_template,bio_cooked,"
	             "bio_raw,location,website,website_name,created_at,"
	             "last_posted_at,last_seen_at,trust_level,badge_count,"
	             "profile_view_count,post_count,admin,moderator,badges");
	assert_names(json_object_get(root, "summary"),
	             "likes_given,likes_received,topics_entered,"
	             "posts_read_count,days_visited,topic_count,post_count,"
	             "time_read,top_topics,top_replies");
	json_decref(root);

	user_summary_free(sum);
	user_profile_free(u);
	search_result_free(r);
	notification_list_free(n);
	category_list_free(c);
	topic_list_free(l);
}

static void
test_encode_repairs_bad_utf8(void **state)
{
	struct category cat = {.id = 1, .name = (char *)"caf\xc3"};
	struct category_list l = {&cat, 1, false};
	json_t *root = reparse(api_encode_categories(&l));
	const char *name = str_at(
	    json_array_get(json_object_get(root, "categories"), 0), "name");

	(void)state;
	assert_true(strncmp(name, "caf", 3) == 0);
	assert_true(strlen(name) > 3);
	json_decref(root);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_latest_2016),
	    cmocka_unit_test(test_latest_older_server),
	    cmocka_unit_test(test_topic_2016),
	    cmocka_unit_test(test_topic_legacy_2014),
	    cmocka_unit_test(test_topic_mega),
	    cmocka_unit_test(test_post_list),
	    cmocka_unit_test(test_post_2016),
	    cmocka_unit_test(test_user_2016),
	    cmocka_unit_test(test_user_summary),
	    cmocka_unit_test(test_notifications_2019),
	    cmocka_unit_test(test_notifications_without_total),
	    cmocka_unit_test(test_search_2016),
	    cmocka_unit_test(test_search_without_results),
	    cmocka_unit_test(test_site),
	    cmocka_unit_test(test_categories),
	    cmocka_unit_test(test_events_plugin),
	    cmocka_unit_test(test_events_recurring),
	    cmocka_unit_test(test_event_details),
	    cmocka_unit_test(test_event_local_times),
	    cmocka_unit_test(test_rsvp_names),
	    cmocka_unit_test(test_error_bodies),
	    cmocka_unit_test(test_encode_topic_list),
	    cmocka_unit_test(test_encode_topic),
	    cmocka_unit_test(test_encode_user),
	    cmocka_unit_test(test_encode_lists),
	    cmocka_unit_test(test_encode_events),
	    cmocka_unit_test(test_encode_repairs_bad_utf8),
	    cmocka_unit_test(test_encode_names_are_stable),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
