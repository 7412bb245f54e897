/*
 * notify_int.h: what notify.c and notify_text.c share.
 */
#ifndef AMBT_NOTIFY_INT_H
#define AMBT_NOTIFY_INT_H

#include <stddef.h>

/* Text from a server made safe for a notice: invalid UTF-8 replaced,
 * control characters inert, one line, cut to max_cols (newly allocated). */
char *notice_clean(const char *text, size_t max_cols);
/* &, < and > escaped for the body markup of the notification spec. */
char *notice_markup_escape(const char *text);

#endif
