/*
 * review.h: flags for the staff's review queue (review.c), shared with
 * post_actions.c, which makes them.
 */
#ifndef AMBTD_REVIEW_H
#define AMBTD_REVIEW_H

#include "ambtd/ambtd.h"

/* The table of flags' messages (post_action_messages), made on first use:
 * 0, or -1 (logged). */
int review_messages_table(void);

/* GET /review.json */
void review_index(struct req *, struct resp *);

#endif
