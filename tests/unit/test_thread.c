/* test_thread.c: the reader's model of a topic: which chunk to load next,
 * prefetch, first unread, locating post N, the reply tree and its
 * collapsed branches, mega-topic paging and what is reported as read. */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ambt/thread.h"
#include "ambt/util.h"

#define ID0 1000 /* post ids are ID0 + slot */

static struct post
make_post(int64_t id, int pn, int reply_to)
{
	struct post p = {0};

	p.id = id;
	p.post_number = pn;
	p.reply_to_post_number = reply_to;
	p.username = xstrdup("demo");
	p.cooked = xstrdup("<p>hallo</p>");
	return p;
}

/* A topic of n posts numbered 1..n, the first n_inline of them inline. */
static struct topic *
make_topic(size_t n, size_t n_inline)
{
	struct topic *t = xcalloc(1, sizeof *t);

	t->id = 7;
	t->highest_post_number = (int)n;
	t->last_read_post_number = -1;
	t->n_stream = n;
	t->stream = xcalloc(n ? n : 1, sizeof *t->stream);
	for (size_t i = 0; i < n; i++)
		t->stream[i] = ID0 + (int64_t)i;
	t->n_posts = n_inline;
	t->posts = xcalloc(n_inline ? n_inline : 1, sizeof *t->posts);
	for (size_t i = 0; i < n_inline; i++)
		t->posts[i] = make_post(ID0 + (int64_t)i, (int)i + 1, 0);
	return t;
}

static struct thread *
make_thread(size_t n, size_t n_inline, int local_read)
{
	struct topic *topic = make_topic(n, n_inline);
	struct thread *t = thread_new(topic, local_read, NULL);

	assert_int_equal(topic->n_posts, 0);
	topic_free(topic);
	return t;
}

/* Answer a stream chunk with posts numbered slot + 1 + shift. */
static void
answer(struct thread *t, const struct thread_chunk *c, int shift)
{
	struct post posts[THREAD_CHUNK];

	for (size_t k = 0; k < c->n; k++)
		posts[k] =
		    make_post(c->ids[k], (int)(c->ids[k] - ID0) + 1 + shift, 0);
	thread_chunk_done(t, c, posts, c->n);
}

static void
test_prefetch_one_chunk_ahead(void **state)
{
	struct thread *t = make_thread(100, 20, 0);
	struct thread_chunk c;

	(void)state;
	assert_false(t->mega);
	assert_non_null(t->slots[19].post);
	assert_null(t->slots[20].post);
	/* At the top: the chunk after the inline posts, and nothing more. */
	assert_true(thread_next_chunk(t, 0, &c));
	assert_int_equal(c.n, THREAD_CHUNK);
	assert_int_equal(c.ids[0], ID0 + 20);
	assert_int_equal(c.ids[19], ID0 + 39);
	assert_true(t->slots[20].requested);
	assert_false(thread_next_chunk(t, 0, &c));
	/* Further on, the next chunk is wanted before the reader gets there. */
	assert_true(thread_next_chunk(t, 25, &c));
	assert_int_equal(c.ids[0], ID0 + 40);
	answer(t, &c, 0);
	assert_non_null(t->slots[59].post);
	assert_false(t->slots[40].requested);
	thread_free(t);
}

static void
test_chunk_on_screen_first(void **state)
{
	struct thread *t = make_thread(100, 20, 0);
	struct thread_chunk c;

	(void)state;
	/* Jumped to post 50: its own chunk first, then one ahead. */
	assert_true(thread_next_chunk(t, 49, &c));
	assert_int_equal(c.n, THREAD_CHUNK);
	assert_int_equal(c.ids[0], ID0 + 49);
	assert_true(thread_next_chunk(t, 49, &c));
	assert_int_equal(c.ids[0], ID0 + 69);
	assert_int_equal(c.n, 20);
	/* Then the posts just above it. */
	assert_true(thread_next_chunk(t, 49, &c));
	assert_int_equal(c.n, 20);
	assert_int_equal(c.ids[0], ID0 + 29);
	assert_int_equal(c.ids[19], ID0 + 48);
	thread_free(t);
}

static void
test_chunk_at_the_end(void **state)
{
	struct thread *t = make_thread(100, 20, 0);
	struct thread_chunk c;

	(void)state;
	/* The last post (G): the chunk ending at it, then the one before. */
	assert_true(thread_next_chunk(t, 99, &c));
	assert_int_equal(c.n, THREAD_CHUNK);
	assert_int_equal(c.ids[0], ID0 + 80);
	assert_int_equal(c.ids[19], ID0 + 99);
	assert_true(thread_next_chunk(t, 99, &c));
	assert_int_equal(c.ids[0], ID0 + 60);
	assert_int_equal(c.ids[19], ID0 + 79);
	assert_false(thread_next_chunk(t, 99, &c));
	thread_free(t);
}

static void
test_failed_and_missing_posts(void **state)
{
	struct thread *t = make_thread(40, 20, 0);
	struct thread_chunk c, again;
	struct thread_row rows[40];
	struct post posts[THREAD_CHUNK];

	(void)state;
	assert_true(thread_next_chunk(t, 0, &c));
	thread_chunk_failed(t, &c);
	assert_false(t->slots[20].requested);
	/* A failed chunk is asked for again. */
	assert_true(thread_next_chunk(t, 0, &again));
	assert_int_equal(again.ids[0], c.ids[0]);
	/* The server leaves out a deleted post: it is absent, not pending. */
	for (size_t k = 0; k < 19; k++)
		posts[k] = make_post(again.ids[k + 1], (int)k + 22, 0);
	thread_chunk_done(t, &again, posts, 19);
	assert_true(t->slots[20].absent);
	assert_false(thread_next_chunk(t, 0, &c));
	assert_int_equal(thread_order(t, false, rows), 39);
	assert_int_equal(rows[20].slot, 21);
	thread_free(t);
}

static void
test_open_at_first_unread(void **state)
{
	struct topic *topic = make_topic(30, 20);
	struct thread *t;

	(void)state;
	t = make_thread(30, 20, 0);
	assert_int_equal(thread_open_number(t), 1);
	thread_free(t);
	/* The higher of the server's and the local position wins. */
	topic->last_read_post_number = 10;
	t = thread_new(topic, 15, NULL);
	assert_int_equal(thread_open_number(t), 16);
	thread_free(t);
	topic_free(topic);
	topic = make_topic(30, 20);
	topic->last_read_post_number = 12;
	t = thread_new(topic, 3, NULL);
	assert_int_equal(thread_open_number(t), 13);
	thread_free(t);
	topic_free(topic);
	/* All read: the last post. */
	t = make_thread(30, 20, 30);
	assert_int_equal(thread_open_number(t), 30);
	thread_free(t);
}

static void
test_locate_with_gaps(void **state)
{
	struct thread *t = make_thread(60, 20, 0);
	struct thread_chunk c;
	size_t slot;

	(void)state;
	assert_true(thread_locate(t, 7, &slot));
	assert_int_equal(slot, 6);
	/* Not loaded: a guess, to load and ask again. */
	assert_false(thread_locate(t, 30, &slot));
	assert_int_equal(slot, 29);
	/* Posts 21 and 22 were deleted: slot 20 holds post 23. */
	assert_true(thread_next_chunk(t, 20, &c));
	assert_int_equal(c.ids[0], ID0 + 20);
	answer(t, &c, 2);
	assert_true(thread_locate(t, 30, &slot));
	assert_int_equal(slot, 27);
	/* A deleted post's place is taken by the next one. */
	assert_true(thread_locate(t, 21, &slot));
	assert_int_equal(slot, 20);
	/* Beyond what is loaded the guess stays inside the stream. */
	assert_false(thread_locate(t, 500, &slot));
	assert_int_equal(slot, 59);
	thread_free(t);
}

static void
test_next_unread(void **state)
{
	struct topic *topic = make_topic(30, 20);
	struct thread *t;
	int shown[] = {6, 7};

	(void)state;
	topic->last_read_post_number = 5;
	t = thread_new(topic, 0, NULL);
	topic_free(topic);
	assert_int_equal(thread_next_unread(t, 1), 6);
	thread_read_tick(t, shown, 2, 1000);
	assert_true(thread_was_seen(t, 7));
	assert_int_equal(thread_next_unread(t, 1), 8);
	assert_int_equal(thread_next_unread(t, 20), 21);
	assert_int_equal(thread_next_unread(t, 30), 0);
	thread_free(t);
}

/* Posts 1..n with the given reply_to_post_number (0: none). */
static struct thread *
make_tree(const int *reply_to, size_t n)
{
	struct topic *topic = make_topic(n, 0);
	struct thread *t;

	free(topic->posts);
	topic->posts = xcalloc(n, sizeof *topic->posts);
	topic->n_posts = n;
	for (size_t i = 0; i < n; i++)
		topic->posts[i] =
		    make_post(ID0 + (int64_t)i, (int)i + 1, reply_to[i]);
	t = thread_new(topic, 0, NULL);
	topic_free(topic);
	return t;
}

static void
test_tree_order(void **state)
{
	/* 1; 2; 3 -> 2; 4 -> 1; 5 -> 3; 6; 7 -> 99 (not in the topic) */
	static const int reply_to[] = {0, 0, 2, 1, 3, 0, 99};
	struct thread *t = make_tree(reply_to, 7);
	struct thread_row rows[7];
	static const size_t want[] = {0, 3, 1, 2, 4, 5, 6};
	static const int depth[] = {0, 1, 0, 1, 2, 0, 0};
	size_t n;

	(void)state;
	n = thread_order(t, true, rows);
	assert_int_equal(n, 7);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(rows[i].slot, want[i]);
		assert_int_equal(rows[i].depth, depth[i]);
	}
	assert_true(rows[0].has_replies);
	assert_false(rows[1].has_replies);
	/* The flat view is the stream's order. */
	n = thread_order(t, false, rows);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(rows[i].slot, i);
	thread_free(t);
}

static void
test_tree_collapse(void **state)
{
	static const int reply_to[] = {0, 0, 2, 1, 3, 0};
	struct thread *t = make_tree(reply_to, 6);
	struct thread_row rows[6];
	size_t n;

	(void)state;
	t->slots[1].collapsed = true; /* post 2 and its branch 3, 5 */
	n = thread_order(t, true, rows);
	assert_int_equal(n, 4);
	assert_int_equal(rows[2].slot, 1);
	assert_true(rows[2].has_replies);
	assert_int_equal(rows[3].slot, 5);
	t->slots[1].collapsed = false;
	t->slots[2].collapsed = true; /* only 5 under 3 */
	n = thread_order(t, true, rows);
	assert_int_equal(n, 5);
	thread_free(t);
}

static void
test_tree_depth_capped(void **state)
{
	enum { N = 5000 };
	int *reply_to = xcalloc(N, sizeof *reply_to);
	struct thread_row *rows = xcalloc(N, sizeof *rows);
	struct thread *t;

	(void)state;
	/* A chain: each replies to the one before, deeper than any stack. */
	for (int i = 1; i < N; i++)
		reply_to[i] = i;
	t = make_tree(reply_to, N);
	assert_int_equal(thread_order(t, true, rows), N);
	assert_int_equal(rows[3].depth, 3);
	assert_int_equal(rows[N - 1].slot, N - 1);
	assert_int_equal(rows[N - 1].depth, THREAD_MAX_DEPTH);
	thread_free(t);
	free(rows);
	free(reply_to);
}

static struct thread *
make_mega(int highest)
{
	struct topic *topic = make_topic(0, 0);
	struct thread *t;

	topic->is_mega_topic = true;
	topic->highest_post_number = highest;
	free(topic->posts);
	topic->posts = xcalloc(20, sizeof *topic->posts);
	topic->n_posts = 20;
	for (int i = 0; i < 20; i++)
		topic->posts[i] = make_post(5000 + i, i + 1, 0);
	t = thread_new(topic, 0, NULL);
	topic_free(topic);
	return t;
}

static void
test_mega_paging(void **state)
{
	struct thread *t = make_mega(30000);
	struct thread_chunk c;
	struct post posts[THREAD_CHUNK];
	size_t slot;
	int k = 0;

	(void)state;
	assert_true(t->mega);
	assert_int_equal(t->n, 30000);
	/* Ahead: the posts after number 20. */
	assert_true(thread_next_chunk(t, 0, &c));
	assert_true(c.mega && c.asc);
	assert_int_equal(c.post_number, 20);
	/* The server sends the next 20 posts there are: 25 was deleted. */
	for (int pn = 21; pn <= 41; pn++)
		if (pn != 25)
			posts[k++] = make_post(9000 + pn, pn, 0);
	thread_chunk_done(t, &c, posts, (size_t)k);
	assert_true(t->slots[24].absent);
	assert_non_null(t->slots[40].post);
	assert_false(t->slots[41].absent);
	assert_true(thread_locate(t, 25, &slot));
	assert_int_equal(slot, 25);
	/* The last post: the 20 before highest + 1, counted back. */
	assert_true(thread_locate(t, 30000, &slot));
	assert_int_equal(slot, 29999);
	assert_true(thread_next_chunk(t, slot, &c));
	assert_false(c.asc);
	assert_int_equal(c.post_number, 30001);
	assert_int_equal(c.first, 29980);
	/* A short answer reached the start of what exists: the rest of the
	 * range is absent. */
	for (int i = 0; i < 5; i++)
		posts[i] = make_post(90000 + i, 29996 + i, 0);
	thread_chunk_done(t, &c, posts, 5);
	assert_non_null(t->slots[29999].post);
	assert_true(t->slots[29000].absent);
	assert_int_equal(thread_slot_of_key(t, thread_slot_key(t, 29999)),
	                 29999);
	thread_free(t);
}

static void
test_timings_batched(void **state)
{
	struct thread *t = make_thread(10, 10, 0);
	int a[] = {1, 2}, b[] = {2, 3};
	int *pn, *ms, topic_ms;
	size_t n;

	(void)state;
	thread_read_tick(t, a, 2, 1000);
	thread_read_tick(t, b, 2, 500);
	thread_read_tick(t, b, 2, 0);
	n = thread_take_timings(t, &pn, &ms, &topic_ms);
	assert_int_equal(n, 3);
	assert_int_equal(pn[0], 1);
	assert_int_equal(ms[0], 1000);
	assert_int_equal(pn[1], 2);
	assert_int_equal(ms[1], 1500);
	assert_int_equal(pn[2], 3);
	assert_int_equal(ms[2], 500);
	assert_int_equal(topic_ms, 1500);
	assert_int_equal(t->highest_seen, 3);
	free(pn);
	free(ms);
	assert_int_equal(thread_take_timings(t, &pn, &ms, &topic_ms), 0);
	assert_null(pn);
	thread_free(t);
}

static int ui_freed;

static void
count_ui_free(void *p)
{
	free(p);
	ui_freed++;
}

static void
test_update_keeps_posts(void **state)
{
	struct topic *topic = make_topic(30, 20);
	struct topic *fresh = make_topic(31, 0);
	struct thread *t = thread_new(topic, 0, count_ui_free);
	long i;

	(void)state;
	ui_freed = 0;
	t->slots[5].ui = xstrdup("render of post 6");
	t->slots[10].ui = xstrdup("render of post 11");
	/* Post 6 was deleted; post 31 arrived. */
	memmove(&fresh->stream[5], &fresh->stream[6],
	        25 * sizeof *fresh->stream);
	fresh->n_stream = 30;
	fresh->stream[29] = ID0 + 30;
	thread_update(t, fresh);
	assert_int_equal(t->n, 30);
	assert_int_equal(ui_freed, 1);
	i = thread_slot_of_id(t, ID0 + 10);
	assert_int_equal(i, 9);
	assert_non_null(t->slots[i].post);
	assert_string_equal(t->slots[i].ui, "render of post 11");
	assert_int_equal(thread_slot_of_id(t, ID0 + 5), -1);
	assert_int_equal(t->highest_post_number, 31);
	thread_free(t);
	assert_int_equal(ui_freed, 2);
	topic_free(topic);
	topic_free(fresh);
}

/* One table for the CLI and the TUI: every code either of them knew. */
static void
test_action_text(void **state)
{
	(void)state;
	assert_string_equal(thread_action_text("closed.enabled"),
	                    "closed the topic");
	assert_string_equal(thread_action_text("autoclosed.disabled"),
	                    "opened the topic automatically");
	assert_string_equal(thread_action_text("user_left"),
	                    "left the conversation");
	assert_null(thread_action_text("something.new"));
	assert_null(thread_action_text(NULL));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_prefetch_one_chunk_ahead),
	    cmocka_unit_test(test_chunk_on_screen_first),
	    cmocka_unit_test(test_chunk_at_the_end),
	    cmocka_unit_test(test_failed_and_missing_posts),
	    cmocka_unit_test(test_open_at_first_unread),
	    cmocka_unit_test(test_locate_with_gaps),
	    cmocka_unit_test(test_next_unread),
	    cmocka_unit_test(test_tree_order),
	    cmocka_unit_test(test_tree_collapse),
	    cmocka_unit_test(test_tree_depth_capped),
	    cmocka_unit_test(test_mega_paging),
	    cmocka_unit_test(test_timings_batched),
	    cmocka_unit_test(test_update_keeps_posts),
	    cmocka_unit_test(test_action_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
