/*
 * thread.c: a topic's posts as a reader walks them (see ambt/thread.h).
 *
 * Post numbers only grow along a topic, in the stream as in a mega topic,
 * so loaded slots are sorted by post number: that is what lets locate
 * search and guess, and the tree find a parent by binary search.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "ambt/thread.h"
#include "ambt/i18n.h"
#include "ambt/util.h"

struct thread_id_index {
	int64_t id;
	size_t slot;
};

static int
cmp_id_index(const void *a, const void *b)
{
	const struct thread_id_index *x = a, *y = b;

	return (x->id > y->id) - (x->id < y->id);
}

static void
index_ids(struct thread *t)
{
	free(t->by_id);
	t->by_id = NULL;
	t->n_by_id = 0;
	if (t->mega)
		return;
	t->by_id = xcalloc(t->n ? t->n : 1, sizeof *t->by_id);
	for (size_t i = 0; i < t->n; i++)
		t->by_id[i] = (struct thread_id_index){t->slots[i].id, i};
	t->n_by_id = t->n;
	qsort(t->by_id, t->n_by_id, sizeof *t->by_id, cmp_id_index);
}

long
thread_slot_of_id(const struct thread *t, int64_t id)
{
	struct thread_id_index key = {id, 0}, *hit;

	if (t->mega)
		return id >= 1 && (size_t)id <= t->n ? (long)id - 1 : -1;
	hit = bsearch(&key, t->by_id, t->n_by_id, sizeof key, cmp_id_index);
	return hit ? (long)hit->slot : -1;
}

int64_t
thread_slot_key(const struct thread *t, size_t slot)
{
	return t->mega ? (int64_t)slot + 1 : t->slots[slot].id;
}

long
thread_slot_of_key(const struct thread *t, int64_t key)
{
	return thread_slot_of_id(t, key);
}

static void
slot_clear(struct thread *t, struct thread_slot *s)
{
	post_free(s->post);
	s->post = NULL;
	if (s->ui && t->ui_free)
		t->ui_free(s->ui);
	s->ui = NULL;
}

/* Mega topics: a slot per post number up to n. */
static void
grow_mega(struct thread *t, size_t n)
{
	if (n <= t->n)
		return;
	t->slots = xreallocarray(t->slots, n, sizeof *t->slots);
	for (size_t i = t->n; i < n; i++)
		t->slots[i] = (struct thread_slot){.post_number = (int)i + 1};
	t->n = n;
}

/* Move a post into its slot; false when the thread has no slot for it. */
static bool
place_post(struct thread *t, struct post *p)
{
	long i;
	struct thread_slot *s;

	if (t->mega) {
		if (p->post_number < 1)
			return false;
		grow_mega(t, (size_t)p->post_number);
		i = p->post_number - 1;
	} else {
		i = thread_slot_of_id(t, p->id);
	}
	if (i < 0)
		return false;
	s = &t->slots[i];
	slot_clear(t, s);
	s->post = xmalloc(sizeof *s->post);
	*s->post = *p;
	memset(p, 0, sizeof *p);
	s->id = s->post->id;
	s->post_number = s->post->post_number;
	s->absent = false;
	if (s->post_number > t->highest_post_number)
		t->highest_post_number = s->post_number;
	return true;
}

static void
place_posts(struct thread *t, struct post *posts, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!place_post(t, &posts[i]))
			post_clear(&posts[i]);
}

static void
take_topic_posts(struct thread *t, struct topic *topic)
{
	place_posts(t, topic->posts, topic->n_posts);
	free(topic->posts);
	topic->posts = NULL;
	topic->n_posts = 0;
}

static void
set_stream(struct thread *t, const struct topic *topic)
{
	t->n = topic->n_stream;
	t->slots = xcalloc(t->n ? t->n : 1, sizeof *t->slots);
	for (size_t i = 0; i < t->n; i++)
		t->slots[i].id = topic->stream[i];
}

static int
max_int(int a, int b)
{
	return a > b ? a : b;
}

struct thread *
thread_new(struct topic *topic, int local_read, void (*ui_free)(void *))
{
	struct thread *t = xcalloc(1, sizeof *t);

	t->topic_id = topic->id;
	t->ui_free = ui_free;
	t->mega = topic->is_mega_topic || topic->n_stream == 0;
	t->highest_post_number = topic->highest_post_number;
	t->last_read = max_int(max_int(topic->last_read_post_number, 0),
	                       max_int(local_read, 0));
	t->highest_seen = t->last_read;
	if (t->mega)
		grow_mega(t, (size_t)max_int(topic->highest_post_number, 0));
	else
		set_stream(t, topic);
	index_ids(t);
	take_topic_posts(t, topic);
	return t;
}

void
thread_free(struct thread *t)
{
	if (t == NULL)
		return;
	for (size_t i = 0; i < t->n; i++)
		slot_clear(t, &t->slots[i]);
	free(t->slots);
	free(t->by_id);
	free(t->seen);
	free(t->pending);
	free(t);
}

/* Carry the old slots that are still in the stream over to new places. */
static void
restream(struct thread *t, const struct topic *topic)
{
	struct thread_slot *old = t->slots;
	size_t n_old = t->n;
	struct thread_id_index *old_index = t->by_id;
	size_t n_old_index = t->n_by_id;

	t->by_id = NULL;
	set_stream(t, topic);
	for (size_t i = 0; i < t->n; i++) {
		struct thread_id_index key = {t->slots[i].id, 0}, *hit;

		hit = bsearch(&key, old_index, n_old_index, sizeof key,
		              cmp_id_index);
		if (hit) {
			t->slots[i] = old[hit->slot];
			old[hit->slot] = (struct thread_slot){0};
		}
	}
	for (size_t i = 0; i < n_old; i++)
		slot_clear(t, &old[i]);
	free(old);
	free(old_index);
	index_ids(t);
}

void
thread_update(struct thread *t, struct topic *topic)
{
	if (topic->highest_post_number > t->highest_post_number)
		t->highest_post_number = topic->highest_post_number;
	if (t->mega)
		grow_mega(t, (size_t)max_int(t->highest_post_number, 0));
	else
		restream(t, topic);
	take_topic_posts(t, topic);
}

/* ---- Which chunk next ---- */

static bool
wanted(const struct thread *t, size_t i)
{
	const struct thread_slot *s = &t->slots[i];

	return !s->post && !s->requested && !s->absent;
}

/* The run of wanted slots from i on (dir 1) or back (dir -1), at most a
 * chunk; returns its length. */
static size_t
run_length(const struct thread *t, size_t i, int dir)
{
	size_t k = 0;

	while (k < THREAD_CHUNK && wanted(t, i)) {
		k++;
		if ((dir < 0 && i == 0) || (dir > 0 && i + 1 >= t->n))
			break;
		i = dir > 0 ? i + 1 : i - 1;
	}
	return k;
}

static void
mark_chunk(struct thread *t, struct thread_chunk *c, size_t first, size_t count)
{
	c->mega = t->mega;
	c->first = first;
	c->count = count;
	c->n = 0;
	for (size_t i = first; i < first + count; i++) {
		t->slots[i].requested = true;
		if (!t->mega)
			c->ids[c->n++] = t->slots[i].id;
	}
}

/* A chunk of count slots from first on; in a mega topic the request is
 * "after first's post number - 1" (asc), or when backwards "before
 * last + 1" so the server fills from the end we want. */
static void
make_chunk(struct thread *t, struct thread_chunk *c, size_t first, size_t count,
           bool backwards)
{
	mark_chunk(t, c, first, count);
	c->asc = !backwards;
	c->post_number = backwards ? (int)(first + count) + 1 : (int)first;
}

/* The posts at pos: forward from it, and back when the forward run is
 * short (the last post: the posts before it are next on screen). */
static bool
chunk_at(struct thread *t, size_t pos, struct thread_chunk *c)
{
	size_t ahead = run_length(t, pos, 1), back = 0;

	if (ahead == 0)
		return false;
	if (ahead < THREAD_CHUNK && pos > 0) {
		back = run_length(t, pos - 1, -1);
		if (back > THREAD_CHUNK - ahead)
			back = THREAD_CHUNK - ahead;
	}
	make_chunk(t, c, pos - back, ahead + back, back > 0);
	return true;
}

/* One chunk prefetched: the reader at pos has the next THREAD_CHUNK
 * posts loaded or on their way. */
static bool
chunk_ahead(struct thread *t, size_t pos, struct thread_chunk *c)
{
	for (size_t i = pos + 1; i < t->n && i <= pos + THREAD_CHUNK; i++) {
		if (wanted(t, i)) {
			make_chunk(t, c, i, run_length(t, i, 1), false);
			return true;
		}
	}
	return false;
}

static bool
chunk_behind(struct thread *t, size_t pos, struct thread_chunk *c)
{
	for (size_t k = 1; k <= THREAD_CHUNK && k <= pos; k++) {
		size_t i = pos - k, len;

		if (wanted(t, i)) {
			len = run_length(t, i, -1);
			make_chunk(t, c, i + 1 - len, len, true);
			return true;
		}
	}
	return false;
}

bool
thread_next_chunk(struct thread *t, size_t pos, struct thread_chunk *out)
{
	memset(out, 0, sizeof *out);
	if (t->n == 0)
		return false;
	if (pos >= t->n)
		pos = t->n - 1;
	return chunk_at(t, pos, out) || chunk_ahead(t, pos, out) ||
	       chunk_behind(t, pos, out);
}

/* The slots of a chunk, whatever moved since it was asked for. */
static long
chunk_slot(const struct thread *t, const struct thread_chunk *c, size_t k)
{
	if (c->mega)
		return c->first + k < t->n ? (long)(c->first + k) : -1;
	return thread_slot_of_id(t, c->ids[k]);
}

static size_t
chunk_size(const struct thread_chunk *c)
{
	return c->mega ? c->count : c->n;
}

void
thread_chunk_failed(struct thread *t, const struct thread_chunk *c)
{
	for (size_t k = 0; k < chunk_size(c); k++) {
		long i = chunk_slot(t, c, k);

		if (i >= 0)
			t->slots[i].requested = false;
	}
}

/* Mega: the post numbers [lo, hi] the answer speaks for; a short answer
 * reached the end (or the start) of the topic. */
static void
mega_covered(const struct thread *t, const struct thread_chunk *c,
             const struct post *posts, size_t n, int *lo, int *hi)
{
	bool full = n >= THREAD_CHUNK;

	if (c->asc) {
		*lo = c->post_number + 1;
		*hi = full ? posts[n - 1].post_number : (int)t->n;
	} else {
		*lo = full ? posts[0].post_number : 1;
		*hi = c->post_number - 1;
	}
}

static void
mark_absent_mega(struct thread *t, const struct thread_chunk *c,
                 const struct post *posts, size_t n)
{
	int lo, hi;

	mega_covered(t, c, posts, n, &lo, &hi);
	for (int pn = max_int(lo, 1); pn <= hi && (size_t)pn <= t->n; pn++)
		if (!t->slots[pn - 1].post)
			t->slots[pn - 1].absent = true;
}

void
thread_chunk_done(struct thread *t, const struct thread_chunk *c,
                  struct post *posts, size_t n)
{
	thread_chunk_failed(t, c);
	if (c->mega)
		mark_absent_mega(t, c, posts, n);
	place_posts(t, posts, n);
	if (c->mega)
		return;
	for (size_t k = 0; k < c->n; k++) {
		long i = thread_slot_of_id(t, c->ids[k]);

		if (i >= 0 && !t->slots[i].post)
			t->slots[i].absent = true;
	}
}

/* ---- Where things are ---- */

int
thread_open_number(const struct thread *t)
{
	if (t->last_read <= 0)
		return 1;
	if (t->last_read >= t->highest_post_number)
		return t->highest_post_number > 0 ? t->highest_post_number : 1;
	return t->last_read + 1;
}

/* The first present slot from i on, else the last present before it. */
static size_t
present_from(const struct thread *t, size_t i)
{
	for (size_t j = i; j < t->n; j++)
		if (!t->slots[j].absent)
			return j;
	while (i > 0 && t->slots[i].absent)
		i--;
	return i;
}

static bool
locate_mega(const struct thread *t, int n, size_t *slot)
{
	if (n < 1)
		n = 1;
	if ((size_t)n > t->n)
		n = (int)t->n;
	*slot = present_from(t, (size_t)n - 1);
	return true;
}

/* n lies between the loaded slots lo and hi (-1: none), and every slot
 * between them is not loaded. Post numbers grow at least by one a slot,
 * so n is at most n - pn(lo) slots after lo: guess there, on a slot that
 * may exist. */
static bool
guess_between(const struct thread *t, int n, long lo, long hi, size_t *slot)
{
	size_t from = lo < 0 ? 0 : (size_t)lo + 1;
	size_t to = hi < 0 ? t->n : (size_t)hi; /* exclusive */
	size_t guess = from + (size_t)(n - 1);

	if (lo >= 0)
		guess = from + (size_t)(n - t->slots[lo].post_number - 1);
	if (guess >= to)
		guess = to > from ? to - 1 : from;
	for (size_t i = guess; i < to; i++)
		if (!t->slots[i].absent) {
			*slot = i;
			return false;
		}
	for (size_t i = guess; i > from; i--)
		if (!t->slots[i - 1].absent) {
			*slot = i - 1;
			return false;
		}
	/* Nothing unknown between: n is gone, the next post stands in. */
	*slot = hi >= 0 ? (size_t)hi : present_from(t, t->n - 1);
	return true;
}

bool
thread_locate(const struct thread *t, int n, size_t *slot)
{
	long lo = -1, hi = -1; /* the loaded slots either side of n */

	*slot = 0;
	if (t->n == 0)
		return true;
	if (t->mega)
		return locate_mega(t, n, slot);
	for (size_t i = 0; i < t->n; i++) {
		int pn = t->slots[i].post_number;

		if (!t->slots[i].post)
			continue;
		if (pn == n) {
			*slot = i;
			return true;
		}
		if (pn < n) {
			lo = (long)i;
		} else {
			hi = (long)i;
			break;
		}
	}
	return guess_between(t, n, lo, hi, slot);
}

int
thread_next_unread(const struct thread *t, int cur)
{
	int from = max_int(cur, t->last_read) + 1;

	for (int pn = from; pn <= t->highest_post_number; pn++) {
		size_t i;

		if (thread_was_seen(t, pn))
			continue;
		/* Skip numbers known to have no post. */
		if (thread_locate(t, pn, &i) && t->slots[i].post &&
		    t->slots[i].post_number > pn) {
			pn = t->slots[i].post_number - 1;
			continue;
		}
		return pn;
	}
	return 0;
}

/* What a small-action post (post_type 3) did, as Discourse's web client
 * says it, or NULL for a code it does not know (show the code). */
const char *
thread_action_text(const char *code)
{
	static const struct {
		const char *code, *text;
	} actions[] = {
	    {"closed.enabled", N_("closed the topic")},
	    {"closed.disabled", N_("opened the topic")},
	    {"autoclosed.enabled", N_("closed the topic automatically")},
	    {"autoclosed.disabled", N_("opened the topic automatically")},
	    {"archived.enabled", N_("archived the topic")},
	    {"archived.disabled", N_("unarchived the topic")},
	    {"pinned.enabled", N_("pinned the topic")},
	    {"pinned.disabled", N_("unpinned the topic")},
	    {"pinned_globally.enabled", N_("pinned the topic globally")},
	    {"pinned_globally.disabled", N_("unpinned the topic")},
	    {"visible.enabled", N_("listed the topic")},
	    {"visible.disabled", N_("unlisted the topic")},
	    {"banner.enabled", N_("made the topic a banner")},
	    {"banner.disabled", N_("removed the banner")},
	    {"split_topic", N_("split the topic")},
	    {"public_topic", N_("made the topic public")},
	    {"private_topic", N_("made the topic a personal message")},
	    {"autobumped", N_("bumped the topic automatically")},
	    {"tags_changed", N_("changed the tags")},
	    {"category_changed", N_("changed the category")},
	    {"invited_user", N_("invited a member")},
	    {"user_left", N_("left the conversation")},
	};

	for (size_t i = 0; code && i < AMBT_ARRAY_LEN(actions); i++)
		if (strcmp(code, actions[i].code) == 0)
			return _(actions[i].text);
	return NULL;
}
