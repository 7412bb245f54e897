/*
 * read.h: what the reading endpoints (topics.c, users.c, site.c, search.c,
 * notifications.c) share, implemented in serialize.c.
 */
#ifndef AMBTD_READ_H
#define AMBTD_READ_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>
#include <sqlite3.h>

#include "ambtd/ambtd.h"

/*
 * SQL that is true when the viewer may see the topic aliased "t": a public
 * category, or a private one whose group holds :uid, or :staff; never a
 * private message (lists and search show none). Bind with bind_viewer.
 */
#define VISIBLE_TOPIC_SQL                                                      \
	"(t.archetype = 'regular' AND (t.category_id IS NULL OR EXISTS "       \
	"(SELECT 1 FROM categories vc WHERE vc.id = t.category_id AND "        \
	"(vc.read_group_id IS NULL OR :staff OR EXISTS (SELECT 1 FROM "        \
	"group_users vg WHERE vg.group_id = vc.read_group_id AND "             \
	"vg.user_id = :uid)))))"

/* The same for a category aliased "c". */
#define VISIBLE_CATEGORY_SQL                                                   \
	"(c.read_group_id IS NULL OR :staff OR EXISTS (SELECT 1 FROM "         \
	"group_users vg WHERE vg.group_id = c.read_group_id AND "              \
	"vg.user_id = :uid))"

bool viewer_is_staff(const struct user_ref *);
/* Bind :uid and :staff (those the statement has) for viewer. */
void bind_viewer(sqlite3_stmt *, const struct user_ref *viewer);
/* {id, username, name, avatar_template} of a user, or NULL. */
json_t *user_basic_json(int64_t user_id);
/* A user's basic JSON from username, name columns of a row. */
json_t *user_basic_from_row(sqlite3_stmt *, int id_col, int username_col,
                            int name_col);
/* The names of a topic's tags, as a JSON array. */
json_t *topic_tag_names(int64_t topic_id);
/* Integer parameter within [lo, hi], or def when absent; -1 when it is
 * there but not such an integer (answer 400). */
int param_in_range(const struct req *, const char *name, int64_t lo, int64_t hi,
                   int64_t def, int64_t *out);
/* Plain text of cooked HTML (tags dropped, entities kept as they are),
 * cut at about max bytes on a word boundary with "…". Newly allocated. */
char *plain_excerpt(const char *html, size_t max);
/* Cut text in place at a space before max bytes (never inside a UTF-8
 * sequence), ending it with "…"; text needs max + 4 bytes. */
void cut_excerpt(char *text, size_t max);

/* serialize_post of each live post among ids (a JSON array of ids), in
 * that order, inside a topic view: with "read" and "link_counts", which
 * Discourse sends only there. */
json_t *serialize_topic_posts(json_t *ids, const struct user_ref *viewer,
                              bool include_raw);
/* An integer column, or null. */
json_t *int_or_null(sqlite3_stmt *, int col);
/* Discourse's fancy_title: the title with & < > " escaped. */
json_t *topic_fancy_title(const char *title);

/* The topic view (topic_view.c), routed from topics.c. */
void topic_show(struct req *, struct resp *);     /* /t/{id}.json */
void topic_show_two(struct req *, struct resp *); /* /t/{a}/{b}.json */
void topic_show_slug_near(struct req *, struct resp *);
void topic_posts(struct req *, struct resp *);    /* /t/{id}/posts.json */
void topic_post_ids(struct req *, struct resp *); /* /t/{id}/post_ids.json */

/* The activity stream and the directory (user_actions.c). */
void user_actions(struct req *, struct resp *);
void directory_items(struct req *, struct resp *);

#endif
