/*
 * decode.h: the pieces the endpoint decoders share. Each item decoder has
 * the jd_item_fn shape, so it can go straight to jd_objects().
 */
#ifndef AMBT_API_DECODE_H
#define AMBT_API_DECODE_H

#include "ambt/json.h"
#include "ambt/model.h"

/* topic_list.c: users[], participants, created_by (struct user_brief) */
int decode_user_brief(struct jd *, const json_t *o, void *elem, void *arg);
/* topic_list.c: topic_list.topics[], search topics[] (struct topic_entry) */
int decode_topic_entry(struct jd *, const json_t *o, void *elem, void *arg);
/* topic_list.c: tags as strings or, on newer servers, {"name": ...} */
int decode_tags(struct jd *, const json_t *o, char ***tags, size_t *n);
/* categories.c: struct category, from /categories.json or /site.json */
int decode_category(struct jd *, const json_t *o, void *elem, void *arg);
/* topic.c: struct post, as PostSerializer shapes it */
int decode_post(struct jd *, const json_t *o, void *elem, void *arg);

#endif
