/*
 * thread_read.c: the reading order of a thread (flat, or the reply tree
 * with its collapsed branches) and the reading time to report.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "ambt/thread.h"
#include "ambt/util.h"

struct thread_timing {
	int post_number;
	int ms;
};

/* ---- The reading order ---- */

static size_t
order_flat(const struct thread *t, struct thread_row *rows)
{
	size_t n = 0;

	for (size_t i = 0; i < t->n; i++)
		if (!t->slots[i].absent)
			rows[n++] = (struct thread_row){i, 0, false};
	return n;
}

/* The loaded slot with post number pn, by binary search over the loaded
 * slots (listed in loaded[], sorted by post number); -1 when none. */
static long
find_number(const struct thread *t, const size_t *loaded, size_t n, int pn)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int x = t->slots[loaded[mid]].post_number;

		if (x == pn)
			return (long)loaded[mid];
		if (x < pn)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/* Each slot's parent (the post it replies to, loaded and earlier), or -1. */
static long *
find_parents(const struct thread *t)
{
	long *parent = xcalloc(t->n ? t->n : 1, sizeof *parent);
	size_t *loaded = xcalloc(t->n ? t->n : 1, sizeof *loaded);
	size_t n_loaded = 0;

	for (size_t i = 0; i < t->n; i++)
		if (t->slots[i].post)
			loaded[n_loaded++] = i;
	for (size_t i = 0; i < t->n; i++) {
		const struct post *p = t->slots[i].post;

		parent[i] = -1;
		if (p && p->reply_to_post_number > 0 &&
		    p->reply_to_post_number < p->post_number)
			parent[i] = find_number(t, loaded, n_loaded,
			                        p->reply_to_post_number);
	}
	free(loaded);
	return parent;
}

/* Children as lists in slot order: kids[first[p] .. first[p + 1]). */
struct children {
	size_t *first; /* n + 1 */
	size_t *kids;
};

static void
children_build(const struct thread *t, const long *parent, struct children *c)
{
	size_t *fill = xcalloc(t->n + 1, sizeof *fill);

	c->first = xcalloc(t->n + 1, sizeof *c->first);
	c->kids = xcalloc(t->n ? t->n : 1, sizeof *c->kids);
	for (size_t i = 0; i < t->n; i++)
		if (parent[i] >= 0)
			c->first[parent[i] + 1]++;
	for (size_t i = 0; i < t->n; i++)
		c->first[i + 1] += c->first[i];
	for (size_t i = 0; i < t->n; i++)
		if (parent[i] >= 0) {
			size_t p = (size_t)parent[i];

			c->kids[c->first[p] + fill[p]++] = i;
		}
	free(fill);
}

/* Depth first from root with an explicit stack: a chain of 10,000
 * replies must not exhaust the C stack. */
static size_t
walk_tree(const struct thread *t, const struct children *c, size_t root,
          struct thread_row *rows, size_t n, size_t *stack, int *depths)
{
	size_t top = 0;

	stack[top] = root;
	depths[top++] = 0;
	while (top > 0) {
		size_t i = stack[--top];
		int d = depths[top];
		size_t k0 = c->first[i], k1 = c->first[i + 1];

		rows[n++] = (struct thread_row){
		    i, d < THREAD_MAX_DEPTH ? d : THREAD_MAX_DEPTH, k1 > k0};
		if (t->slots[i].collapsed)
			continue;
		for (size_t k = k1; k > k0; k--) {
			stack[top] = c->kids[k - 1];
			depths[top++] = d + 1;
		}
	}
	return n;
}

static size_t
order_tree(const struct thread *t, struct thread_row *rows)
{
	long *parent = find_parents(t);
	struct children c;
	size_t *stack = xcalloc(t->n ? t->n : 1, sizeof *stack);
	int *depths = xcalloc(t->n ? t->n : 1, sizeof *depths);
	size_t n = 0;

	children_build(t, parent, &c);
	for (size_t i = 0; i < t->n; i++)
		if (parent[i] < 0 && !t->slots[i].absent)
			n = walk_tree(t, &c, i, rows, n, stack, depths);
	free(stack);
	free(depths);
	free(c.first);
	free(c.kids);
	free(parent);
	return n;
}

size_t
thread_order(const struct thread *t, bool tree, struct thread_row *rows)
{
	return tree ? order_tree(t, rows) : order_flat(t, rows);
}

/* ---- Reading time ---- */

bool
thread_was_seen(const struct thread *t, int post_number)
{
	return post_number > 0 && (size_t)post_number < t->n_seen &&
	       t->seen[post_number];
}

static void
mark_seen(struct thread *t, int pn)
{
	if ((size_t)pn >= t->n_seen) {
		size_t n = (size_t)pn + 64;

		t->seen = xrealloc(t->seen, n);
		memset(t->seen + t->n_seen, 0, n - t->n_seen);
		t->n_seen = n;
	}
	t->seen[pn] = 1;
	if (pn > t->highest_seen)
		t->highest_seen = pn;
}

static void
add_timing(struct thread *t, int pn, int ms)
{
	for (size_t i = 0; i < t->n_pending; i++)
		if (t->pending[i].post_number == pn) {
			t->pending[i].ms += ms;
			return;
		}
	t->pending =
	    xreallocarray(t->pending, t->n_pending + 1, sizeof *t->pending);
	t->pending[t->n_pending++] = (struct thread_timing){pn, ms};
}

void
thread_read_tick(struct thread *t, const int *post_numbers, size_t n, int ms)
{
	if (ms <= 0)
		return;
	for (size_t i = 0; i < n; i++) {
		if (post_numbers[i] <= 0)
			continue;
		mark_seen(t, post_numbers[i]);
		add_timing(t, post_numbers[i], ms);
	}
	if (n > 0)
		t->pending_topic_ms += ms;
}

size_t
thread_take_timings(struct thread *t, int **post_numbers, int **ms,
                    int *topic_ms)
{
	size_t n = t->n_pending;

	*post_numbers = NULL;
	*ms = NULL;
	*topic_ms = t->pending_topic_ms;
	if (n == 0)
		return 0;
	*post_numbers = xcalloc(n, sizeof **post_numbers);
	*ms = xcalloc(n, sizeof **ms);
	for (size_t i = 0; i < n; i++) {
		(*post_numbers)[i] = t->pending[i].post_number;
		(*ms)[i] = t->pending[i].ms;
	}
	free(t->pending);
	t->pending = NULL;
	t->n_pending = 0;
	t->pending_topic_ms = 0;
	return n;
}
