/*
 * ical.h: events as an iCalendar text (RFC 5545), for `ambt events --ics`
 * and the TUI's export.
 *
 * One VCALENDAR (VERSION 2.0, a PRODID), one VEVENT per event: UID (the
 * event's id @ the forum's host, stable across exports so calendars update
 * rather than duplicate), DTSTAMP, DTSTART and DTEND in UTC, SUMMARY,
 * LOCATION, URL (the event's own link, else its post) and DESCRIPTION.
 * TEXT values are escaped; lines end in CRLF and are folded at 75 octets,
 * never inside a UTF-8 character. An open-ended event has no DTEND (it then
 * ends when it starts, as the RFC says).
 */
#ifndef AMBT_ICAL_H
#define AMBT_ICAL_H

#include <stddef.h>
#include <stdint.h>

#include "ambt/error.h"
#include "ambt/model.h"

struct ical_options {
	const char *base_url; /* the forum: UID host and the posts' URLs */
	int64_t now;          /* DTSTAMP; 0: the current time */
};

/* The calendar for n events, newly allocated. */
char *ical_export(const struct event *events, size_t n,
                  const struct ical_options *);

/* Append one content line ("NAME:value", value already escaped) to b,
 * folded, with CRLF. Exposed for the tests. */
struct buf;
void ical_line(struct buf *b, const char *name, const char *value);
/* A TEXT value escaped (\\ \; \, \n), control characters dropped and
 * invalid UTF-8 replaced; newly allocated. */
char *ical_escape_text(const char *text);

/* For showing an event: its date range in the local time zone, day and
 * month names in the locale's language (LC_TIME): "Wed 25 Nov 2026
 * 09:30-17:00", the end day written out when it differs, the start alone
 * when open-ended. Returns buf. */
const char *ical_when_local(const struct event *, char *buf, size_t size);

/* Write text to path atomically: a temporary file beside it, flushed to
 * disk, then renamed over path. "-" writes to stdout. 0, or -1 with err
 * (AMBT_E_IO). */
int ical_save(const char *path, const char *text, struct ambt_error *err);

#endif
