/*
 * post_ref.h: which post a command line or a notice's URL names (ambt tui
 * 42/7, the notifications view opening a notice). No curses here.
 */
#ifndef AMBT_TUI_POST_REF_H
#define AMBT_TUI_POST_REF_H

#include <stdbool.h>
#include <stdint.h>

/* "42/7", "/t/42/7", "https://host/t/slug/42/7" (of server, when given):
 * the topic and post number (0 when none: the first unread); false when
 * s is none of them. */
bool post_ref_parse(const char *s, const char *server, int64_t *topic_id,
                    int *post_number);

#endif
