/*
 * private_messages.c: a new topic with archetype=private_message and
 * target_recipients (usernames, comma-separated), as Discourse's
 * TopicCreator takes it. Its author and recipients are its participants
 * (topic_allowed_users): they and staff see it (auth.c), its /topic
 * messages reach them (message_bus_publish.c), the recipients watch it
 * as TopicCreator has them, and each post notifies the others who still
 * watch it as private_message (post_alerts.c).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "ambtd/write.h"

/* 422 as PostCreator answers when TopicCreator rolls back. */
static void
resp_recipients(struct resp *out, const char *error)
{
	resp_json(out, 422,
	          json_pack("{s:s, s:[s]}", "action", "create_post", "errors",
	                    error));
}

/* One recipient's id into pm, or false with the answer in out. */
static bool
add_recipient(struct pm_recipients *pm, const char *name, size_t len,
              struct resp *out)
{
	int64_t id = user_id_by_name(name, len);
	char error[160];

	if (id == 0) {
		snprintf(error, sizeof error, "Target user not found: %.*s",
		         (int)(len < 64 ? len : 64), name);
		resp_recipients(out, error);
		return false;
	}
	if (pm->n == PM_MAX_RECIPIENTS) {
		resp_recipients(out, "Too many recipients.");
		return false;
	}
	pm->ids[pm->n++] = id;
	return true;
}

bool
pm_read_recipients(const struct req *r, struct pm_recipients *pm,
                   struct resp *out)
{
	const char *names = req_param(r, "target_recipients");

	pm->n = 0;
	if (names == NULL) /* the name before Discourse 2.7 */
		names = req_param(r, "target_usernames");
	for (const char *s = names ? names : ""; *s;) {
		size_t len;

		s += strspn(s, " ,");
		len = strcspn(s, " ,");
		if (len > 0 && !add_recipient(pm, s, len, out))
			return false;
		s += len;
	}
	if (pm->n == 0) {
		resp_recipients(out, "You must select a valid user.");
		return false;
	}
	return true;
}

/* The recipients watch the message (3), as the author does (posts.c). */
static int
watch_for_recipients(int64_t topic_id, const struct pm_recipients *pm)
{
	sqlite3_stmt *st =
	    db_stmt(ambtd->db, "INSERT INTO topic_users(topic_id, user_id,"
	                       " notification_level) VALUES (?, ?, 3)"
	                       " ON CONFLICT(topic_id, user_id) DO NOTHING");

	if (!st)
		return -1;
	for (size_t i = 0; i < pm->n; i++) {
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, topic_id);
		sqlite3_bind_int64(st, 2, pm->ids[i]);
		if (sqlite3_step(st) != SQLITE_DONE) {
			sqlite3_reset(st);
			return -1;
		}
	}
	sqlite3_reset(st);
	return 0;
}

int
pm_add_participants(int64_t topic_id, int64_t author_id,
                    const struct pm_recipients *pm)
{
	sqlite3_stmt *st = db_stmt(ambtd->db, "INSERT OR IGNORE INTO"
	                                      " topic_allowed_users(topic_id,"
	                                      " user_id) VALUES (?, ?)");

	if (!st)
		return -1;
	for (size_t i = 0; i <= pm->n; i++) {
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, topic_id);
		sqlite3_bind_int64(st, 2, i < pm->n ? pm->ids[i] : author_id);
		if (sqlite3_step(st) != SQLITE_DONE) {
			sqlite3_reset(st);
			return -1;
		}
	}
	sqlite3_reset(st);
	return watch_for_recipients(topic_id, pm);
}
