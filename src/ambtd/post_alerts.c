/*
 * post_alerts.c: who hears of a post, as Discourse's PostAlerter. The
 * mentioned and quoted users are read from the cooked HTML (as PostAlerter
 * reads a.mention and aside.quote), so nothing in code or in a quoted
 * writer's words counts. Each user gets at most one notification per post,
 * in PostAlerter's order: mentioned, replied, quoted, then those watching
 * the topic or its category; in a private message mentioned, then its
 * other participants who watch it, and the one replied to, as
 * private_message (notify_pm_users). Never the writer, never one who
 * cannot see the topic.
 */
#include "config.h"

#include <string.h>

#include "ambtd/ambtd.h"
#include "ambtd/write.h"

#define MAX_NAMED 10 /* max_mentions_per_post */
#define MAX_WATCHERS 200

static const char mention_marker[] = "class=\"mention\" href=\"/u/";
static const char quote_marker[] = "<aside class=\"quote no-group\" "
                                   "data-username=\"";

/* Who heard of the post already. */
struct id_set {
	int64_t ids[2 * MAX_NAMED + 1 + MAX_WATCHERS];
	size_t n;
};

static bool
id_set_add(struct id_set *s, int64_t id)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->ids[i] == id)
			return false;
	if (s->n == sizeof(s->ids) / sizeof(s->ids[0]))
		return false;
	s->ids[s->n++] = id;
	return true;
}

/*
 * The users cooked names after marker, up to MAX_NAMED, into ids; their
 * count. Mentions inside quotes are the quoted writer's, not this one's:
 * outside_quotes skips them. User text is escaped in cooked, so "<aside"
 * is always ours.
 */
static size_t
named_users(const char *cooked, const char *marker, bool outside_quotes,
            int64_t ids[MAX_NAMED])
{
	size_t mlen = strlen(marker), n = 0;
	int depth = 0;

	for (const char *s = cooked; *s && n < MAX_NAMED; s++) {
		const char *end;
		int64_t id;

		if (strncmp(s, "<aside", 6) == 0)
			depth++;
		else if (strncmp(s, "</aside>", 8) == 0)
			depth--;
		if ((outside_quotes && depth > 0) ||
		    strncmp(s, marker, mlen) != 0)
			continue;
		s += mlen;
		end = strchr(s, '"');
		if (end == NULL)
			break;
		id = user_id_by_name(s, (size_t)(end - s));
		if (id != 0)
			ids[n++] = id;
	}
	return n;
}

/* Notify one user unless they are the writer, were notified about this
 * post already, or cannot see the topic. */
static int
notify_once(struct id_set *done, int64_t user_id, enum notification_type type,
            const struct post_ref *p, const struct user_ref *writer)
{
	struct user_ref target;

	if (user_id == 0 || user_id == writer->id ||
	    !user_ref_load(user_id, &target) ||
	    !user_can_see_topic(&target, p->topic_id) ||
	    !id_set_add(done, user_id))
		return 0;
	return notify_user(user_id, type, p, writer);
}

static int
notify_named(struct id_set *done, const char *cooked, const char *marker,
             enum notification_type type, const struct post_ref *p,
             const struct user_ref *writer)
{
	int64_t ids[MAX_NAMED];
	size_t n = named_users(cooked, marker, type == NT_MENTIONED, ids);

	for (size_t i = 0; i < n; i++)
		if (notify_once(done, ids[i], type, p, writer) < 0)
			return -1;
	return 0;
}

/*
 * The watchers and how they hear of the post, as PostAlerter's
 * notify_post_users and notify_first_post_watchers: those watching the
 * topic "posted"; those watching its category (3) too, unless they set
 * the topic itself lower, with a new topic as watching_category_or_tag;
 * those watching a category's first posts (4) of a new topic only.
 */
static const char watchers_sql[] =
    "SELECT user_id, :posted FROM topic_users WHERE topic_id = :topic"
    " AND notification_level = 3"
    " UNION ALL SELECT cu.user_id, CASE WHEN cu.notification_level = 4"
    " THEN :first_post_type WHEN :first THEN :category_type"
    " ELSE :posted END FROM topics t JOIN category_users cu ON"
    " cu.category_id = t.category_id LEFT JOIN topic_users tu ON"
    " tu.topic_id = t.id AND tu.user_id = cu.user_id WHERE t.id = :topic"
    " AND (cu.notification_level = 3 AND (tu.user_id IS NULL OR"
    " tu.notification_level = 3) OR (:first AND"
    " cu.notification_level = 4))"
    " LIMIT 200";

static void
bind_named(sqlite3_stmt *st, const char *name, int64_t value)
{
	sqlite3_bind_int64(st, sqlite3_bind_parameter_index(st, name), value);
}

static int
notify_watchers(struct id_set *done, const struct post_ref *p,
                const struct user_ref *writer)
{
	sqlite3_stmt *st = db_stmt(ambtd->db, watchers_sql);
	int64_t ids[MAX_WATCHERS];
	int types[MAX_WATCHERS];
	size_t n = 0;

	if (st == NULL)
		return -1;
	bind_named(st, ":topic", p->topic_id);
	bind_named(st, ":posted", NT_POSTED);
	bind_named(st, ":first", p->post_number == 1);
	bind_named(st, ":category_type", NT_WATCHING_CATEGORY_OR_TAG);
	bind_named(st, ":first_post_type", NT_WATCHING_FIRST_POST);
	while (n < MAX_WATCHERS && sqlite3_step(st) == SQLITE_ROW) {
		ids[n] = sqlite3_column_int64(st, 0);
		types[n++] = sqlite3_column_int(st, 1);
	}
	sqlite3_reset(st);
	for (size_t i = 0; i < n; i++)
		if (notify_once(done, ids[i], (enum notification_type)types[i],
		                p, writer) < 0)
			return -1;
	return 0;
}

/* A private message's participants who watch it (a muted one stays
 * quiet) and the one replied to, or -1. */
static int
notify_participants(struct id_set *done, const struct post_ref *p,
                    int64_t replied_user_id, const struct user_ref *writer)
{
	sqlite3_stmt *st = db_stmt(
	    ambtd->db, "SELECT a.user_id FROM topic_allowed_users a"
	               " LEFT JOIN topic_users tu ON tu.topic_id = a.topic_id"
	               " AND tu.user_id = a.user_id WHERE a.topic_id = ?1"
	               " AND (COALESCE(tu.notification_level, 3) = 3"
	               " OR a.user_id = ?3) LIMIT ?2");
	int64_t ids[MAX_WATCHERS];
	size_t n = 0;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, p->topic_id);
	sqlite3_bind_int(st, 2, MAX_WATCHERS);
	sqlite3_bind_int64(st, 3, replied_user_id);
	while (n < MAX_WATCHERS && sqlite3_step(st) == SQLITE_ROW)
		ids[n++] = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	for (size_t i = 0; i < n; i++)
		if (notify_once(done, ids[i], NT_PRIVATE_MESSAGE, p, writer) <
		    0)
			return -1;
	return 0;
}

static bool
is_private_message(int64_t topic_id)
{
	sqlite3_stmt *st = db_stmt(ambtd->db, "SELECT 1 FROM topics WHERE"
	                                      " id = ? AND archetype ="
	                                      " 'private_message'");
	bool pm;

	if (st == NULL)
		return false;
	sqlite3_bind_int64(st, 1, topic_id);
	pm = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_reset(st);
	return pm;
}

int
alert_new_post(const struct post_ref *p, const char *cooked,
               int64_t replied_user_id, const struct user_ref *writer)
{
	struct id_set done = {.n = 0};

	if (notify_named(&done, cooked, mention_marker, NT_MENTIONED, p,
	                 writer) < 0)
		return -1;
	if (is_private_message(p->topic_id))
		return notify_participants(&done, p, replied_user_id, writer);
	if (notify_once(&done, replied_user_id, NT_REPLIED, p, writer) < 0 ||
	    notify_named(&done, cooked, quote_marker, NT_QUOTED, p, writer) < 0)
		return -1;
	return notify_watchers(&done, p, writer);
}

int
alert_edited_post(const struct post_ref *p, const char *old_cooked,
                  const char *new_cooked)
{
	struct id_set done = {.n = 0};
	struct user_ref author;
	int64_t ids[MAX_NAMED];
	size_t n;

	if (!user_ref_load(p->user_id, &author))
		return 0;
	n = named_users(old_cooked, mention_marker, true, ids);
	for (size_t i = 0; i < n; i++)
		id_set_add(&done, ids[i]);
	return notify_named(&done, new_cooked, mention_marker, NT_MENTIONED, p,
	                    &author);
}
