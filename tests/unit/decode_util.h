/*
 * decode_util.h: what the decoder tests share: reading the examples and
 * test data, and every decoder behind one signature so bad inputs can be
 * fed to all of them. Include after cmocka.h.
 */
#ifndef AMBT_TEST_DECODE_UTIL_H
#define AMBT_TEST_DECODE_UTIL_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ambt/api.h"
#include "ambt/model.h"

/* $dir_env/sub/name as a NUL-terminated string; fails the test if absent. */
static inline char *
read_test_file(const char *dir_env, const char *sub, const char *name,
               size_t *len)
{
	const char *dir = getenv(dir_env);
	char path[1024];
	FILE *f;
	char *data;
	long size;

	assert_non_null(dir);
	snprintf(path, sizeof path, "%s/%s/%s", dir, sub, name);
	f = fopen(path, "rb");
	if (f == NULL)
		fail_msg("cannot open %s", path);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	size = ftell(f);
	assert_true(size >= 0);
	rewind(f);
	data = malloc((size_t)size + 1);
	assert_non_null(data);
	assert_int_equal(fread(data, 1, (size_t)size, f), (size_t)size);
	data[size] = '\0';
	fclose(f);
	*len = (size_t)size;
	return data;
}

static inline char *
read_example(const char *name, size_t *len)
{
	return read_test_file("AMBT_SHARED", "discourse/examples", name, len);
}

static inline char *
read_data(const char *name, size_t *len)
{
	return read_test_file("top_srcdir", "tests/data/decode", name, len);
}

typedef int (*any_decode_fn)(const char *, size_t, void **,
                             struct ambt_error *);
struct decoder {
	const char *name;
	any_decode_fn decode;
	void (*free)(void *);
};

#define DECODER(fn, type, free_fn)                                             \
	static inline int any_##fn(const char *b, size_t n, void **out,        \
	                           struct ambt_error *e)                       \
	{                                                                      \
		type *p = (type *)1; /* the decoder must reset it */           \
		int rc = api_decode_##fn(b, n, &p, e);                         \
		*out = p;                                                      \
		return rc;                                                     \
	}                                                                      \
	static inline void any_free_##fn(void *p)                              \
	{                                                                      \
		free_fn(p);                                                    \
	}
DECODER(topic_list, struct topic_list, topic_list_free)
DECODER(categories, struct category_list, category_list_free)
DECODER(topic, struct topic, topic_free)
DECODER(post_list, struct post_list, post_list_free)
DECODER(post, struct post, post_free)
DECODER(user, struct user_profile, user_profile_free)
DECODER(user_summary, struct user_summary, user_summary_free)
DECODER(notifications, struct notification_list, notification_list_free)
DECODER(search, struct search_result, search_result_free)
DECODER(site, struct site, site_free)
DECODER(events, struct event_list, event_list_free)
DECODER(event, struct event, event_free)
#undef DECODER

#define D(fn)                                                                  \
	{                                                                      \
#fn, any_##fn, any_free_##fn                                   \
	}
static const struct decoder decoders[] = {
    D(topic_list), D(categories), D(topic),        D(post_list),
    D(post),       D(user),       D(user_summary), D(notifications),
    D(search),     D(site),       D(events),       D(event),
};
#undef D

static inline const struct decoder *
decoder_named(const char *name)
{
	for (size_t i = 0; i < sizeof decoders / sizeof decoders[0]; i++)
		if (strcmp(decoders[i].name, name) == 0)
			return &decoders[i];
	fail_msg("no decoder %s", name);
	return NULL;
}

/* Every example and data file, with the decoder it belongs to. */
struct sample {
	const char *file;
	bool shared; /* in the shared examples, else tests/data/decode */
	const char *decoder;
};
static const struct sample samples[] = {
    {"api_GET_latest.example-2016.json", true, "topic_list"},
    {"api_GET_notifications.example-2019.json", true, "notifications"},
    {"api_GET_posts_id.example-2016.json", true, "post"},
    {"api_GET_search.example-2016.json", true, "search"},
    {"api_GET_t_id.example-2016.json", true, "topic"},
    {"api_GET_t_id.legacy-gem-fixture-2014.json", true, "topic"},
    {"api_GET_u_username.example-2016.json", true, "user"},
    {"discourse-post-event_events.json.example-plugin-2025-07.json", true,
     "events"},
    {"discourse-post-event_events.json.example-recurring-plugin-2025-07."
     "json",
     true, "events"},
    {"site.json", false, "site"},
    {"categories.json", false, "categories"},
    {"user_summary.json", false, "user_summary"},
    {"event.json", false, "event"},
    {"topic_mega.json", false, "topic"},
    {"latest_old.json", false, "topic_list"},
    {"post_list.json", false, "post_list"},
};

static inline char *
read_sample(const struct sample *s, size_t *len)
{
	return s->shared ? read_example(s->file, len) : read_data(s->file, len);
}

#endif
