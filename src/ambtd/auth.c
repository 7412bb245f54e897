/*
 * auth.c: who is asking, and what they may see.
 *
 * Each authenticator looks at the request's headers: it returns 1 when
 * the request is its kind and the user is set, 0 when the request is not
 * its kind, or -1 with the 403 in resp. The first that claims the request
 * decides; no claim means anonymous. Session cookies (_t) and User API
 * keys (User-Api-Key) slot into `authenticators` the same way.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "ambtd/accounts.h"
#include "ambtd/ambtd.h"

static const char invalid_key_msg[] =
    "You are not permitted to view the requested resource. "
    "The API username or key is invalid.";

/* Compare without leaking where the first difference is. */
static bool
secret_equal(const char *a, const char *b)
{
	size_t na = strlen(a), nb = strlen(b);
	unsigned char diff = (unsigned char)(na != nb);

	for (size_t i = 0; i < na && i < nb; i++)
		diff |= (unsigned char)(a[i] ^ b[i]);
	return diff == 0;
}

/* Load the user named username into *u; false if there is none. */
static bool
load_user(const char *username, struct user_ref *u)
{
	sqlite3_stmt *st =
	    db_stmt(ambtd->db, "SELECT id, username, admin, moderator, "
	                       "trust_level FROM users WHERE username = ?");

	if (!st)
		return false;
	sqlite3_bind_text(st, 1, username, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_ROW)
		return false;
	u->id = sqlite3_column_int64(st, 0);
	snprintf(u->username, sizeof u->username, "%s",
	         (const char *)sqlite3_column_text(st, 1));
	u->admin = sqlite3_column_int(st, 2) != 0;
	u->moderator = sqlite3_column_int(st, 3) != 0;
	u->trust_level = sqlite3_column_int(st, 4);
	return true;
}

/* Api-Key (the --admin-api-key) + Api-Username: act as that user, as an
 * "all users" key does on Discourse. A wrong key or an unknown user is a
 * 403 invalid_access (default_current_user_provider.rb). */
static int
auth_admin_api_key(struct req *r, struct resp *out)
{
	if (!r->header_api_key)
		return 0;
	if (!ambtd->admin_api_key ||
	    !secret_equal(r->header_api_key, ambtd->admin_api_key) ||
	    !r->header_api_username ||
	    !load_user(r->header_api_username, &r->user)) {
		memset(&r->user, 0, sizeof r->user);
		resp_error(out, 403, "invalid_access", "%s", invalid_key_msg);
		return -1;
	}
	return 1;
}

typedef int (*authenticator_fn)(struct req *, struct resp *);

static const authenticator_fn authenticators[] = {
    auth_admin_api_key,
    auth_user_api_key,
    auth_session_cookie,
    NULL,
};

int
auth_identify(struct req *r, struct resp *out)
{
	memset(&r->user, 0, sizeof r->user);
	for (size_t i = 0; authenticators[i]; i++) {
		int rc = authenticators[i](r, out);

		if (rc != 0)
			return rc < 0 ? -1 : 0;
	}
	return 0;
}

static bool
is_group_member(int64_t group_id, int64_t user_id)
{
	sqlite3_stmt *st =
	    db_stmt(ambtd->db, "SELECT 1 FROM group_users "
	                       "WHERE group_id = ? AND user_id = ?");

	if (!st)
		return false;
	sqlite3_bind_int64(st, 1, group_id);
	sqlite3_bind_int64(st, 2, user_id);
	return sqlite3_step(st) == SQLITE_ROW;
}

bool
user_can_see_category(const struct user_ref *u, int64_t category_id)
{
	sqlite3_stmt *st = db_stmt(ambtd->db, "SELECT read_group_id FROM "
	                                      "categories WHERE id = ?");
	int64_t group_id;

	if (!st)
		return false;
	sqlite3_bind_int64(st, 1, category_id);
	if (sqlite3_step(st) != SQLITE_ROW)
		return false;
	if (sqlite3_column_type(st, 0) == SQLITE_NULL)
		return true;
	if (u->admin || u->moderator)
		return true;
	group_id = sqlite3_column_int64(st, 0);
	return u->id != 0 && is_group_member(group_id, u->id);
}

/* Whether user_id takes part in the private message topic_id. */
static bool
is_participant(int64_t topic_id, int64_t user_id)
{
	sqlite3_stmt *st =
	    db_stmt(ambtd->db, "SELECT 1 FROM topic_allowed_users"
	                       " WHERE topic_id = ? AND user_id = ?");
	bool found;

	if (!st)
		return false;
	sqlite3_bind_int64(st, 1, topic_id);
	sqlite3_bind_int64(st, 2, user_id);
	found = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_reset(st);
	return found;
}

/* A topic is as visible as its category; one without a category is
 * public, except a private message, which its participants (its author
 * and recipients) and staff see. */
bool
user_can_see_topic(const struct user_ref *u, int64_t topic_id)
{
	sqlite3_stmt *st =
	    db_stmt(ambtd->db, "SELECT category_id, archetype, user_id "
	                       "FROM topics WHERE id = ?");
	bool is_pm;
	int64_t author;

	if (!st)
		return false;
	sqlite3_bind_int64(st, 1, topic_id);
	if (sqlite3_step(st) != SQLITE_ROW)
		return false;
	if (sqlite3_column_type(st, 0) != SQLITE_NULL)
		return user_can_see_category(u, sqlite3_column_int64(st, 0));
	is_pm = strcmp((const char *)sqlite3_column_text(st, 1),
	               "private_message") == 0;
	author = sqlite3_column_int64(st, 2);
	sqlite3_reset(st);
	return !is_pm || u->admin || u->moderator ||
	       (u->id != 0 &&
	        (u->id == author || is_participant(topic_id, u->id)));
}
