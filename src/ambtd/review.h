/*
 * review.h: the staff's review queue (review.c) of the flags
 * post_actions.c makes.
 */
#ifndef AMBTD_REVIEW_H
#define AMBTD_REVIEW_H

#include "ambtd/ambtd.h"

/* GET /review.json, staff only (migration 6 keeps the flags' messages) */
extern const struct route routes_review[];

#endif
