/*
 * events_parse.h: the [event ...]...[/event] block of a post's raw, read the
 * way the discourse-post-event plugin reads it. Apart from events.c so that
 * it can be unit-tested without a database or a server.
 */
#ifndef AMBTD_EVENTS_PARSE_H
#define AMBTD_EVENTS_PARSE_H

#include <stdint.h>

/* What a block says; strings are newly allocated or NULL when absent. */
struct event_block {
	char *name;
	char *status;   /* "public", "private" or "standalone" (the default) */
	char *timezone; /* IANA name as written; NULL means UTC */
	char *location;
	char *url;
	char *description; /* the text inside the block, trimmed */
	int64_t starts_at; /* Unix seconds */
	int64_t ends_at;   /* 0 when the block has no end */
};

/*
 * Find the first [event ...]...[/event] block in raw and read it. Returns
 * 1 and fills *ev, 0 when raw holds no block, or -1 with *errmsg set (a
 * newly allocated message for a 422: a missing or bad date, an unknown time
 * zone or status, an end before the start).
 */
int event_block_parse(const char *raw, struct event_block *ev, char **errmsg);
void event_block_clear(struct event_block *);

/*
 * "YYYY-MM-DD HH:MM[:SS]" (or "T" between, or a bare date for midnight) as
 * wall-clock time in the IANA zone tz (NULL: UTC) -> Unix seconds.
 * 0, or -1 when the text is no such date or the zone is unknown.
 */
int event_local_to_utc(const char *text, const char *tz, int64_t *out);
/* Whether tz names a zone of the TZ database (TZDIR or /usr/share/zoneinfo) */
int event_timezone_valid(const char *tz);

#endif
