/*
 * ical.c: events to iCalendar (RFC 5545). See ambt/ical.h.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ambt/i18n.h"
#include "ambt/ical.h"
#include "ambt/util.h"

#define ICAL_FOLD 75 /* octets per line, CRLF not counted (3.1) */

/* Bytes in the UTF-8 sequence starting with lead (1 for a stray byte). */
static size_t
utf8_seq_len(unsigned char lead)
{
	if (lead >= 0xF0)
		return 4;
	if (lead >= 0xE0)
		return 3;
	if (lead >= 0xC0)
		return 2;
	return 1;
}

void
ical_line(struct buf *b, const char *name, const char *value)
{
	char *line = xasprintf("%s:%s", name, value);
	size_t len = strlen(line), room = ICAL_FOLD, at = 0;

	while (at < len) {
		size_t take = 0;

		/* Whole characters only, as many as fit. */
		while (at + take < len) {
			size_t n = utf8_seq_len((unsigned char)line[at + take]);

			if (take + n > room)
				break;
			take += n;
		}
		if (take == 0) /* a sequence longer than room: cannot be */
			take = 1;
		if (at > 0)
			buf_putc(b, ' '); /* a continuation line */
		buf_append(b, line + at, take);
		buf_puts(b, "\r\n");
		at += take;
		room = ICAL_FOLD - 1; /* the leading space counts */
	}
	if (len == 0)
		buf_puts(b, "\r\n");
	free(line);
}

char *
ical_escape_text(const char *text)
{
	struct buf b;
	char *clean;

	buf_init(&b);
	for (const char *p = text; *p != '\0'; p++) {
		switch (*p) {
		case '\\':
		case ';':
		case ',':
			buf_putc(&b, '\\');
			buf_putc(&b, *p);
			break;
		case '\n':
			buf_puts(&b, "\\n");
			break;
		default:
			/* TEXT allows no controls but HTAB; a CR of CRLF goes
			 * with them, its LF is the newline. */
			if ((unsigned char)*p >= 0x20 || *p == '\t')
				buf_putc(&b, *p);
		}
	}
	/* Only now, so the controls it would show are gone already. */
	clean = utf8_sanitize(b.data ? b.data : "", b.len);
	buf_free(&b);
	return clean;
}

static void
text_line(struct buf *b, const char *name, const char *text)
{
	char *escaped;

	if (text == NULL || *text == '\0')
		return;
	escaped = ical_escape_text(text);
	ical_line(b, name, escaped);
	free(escaped);
}

/* A URI value: no escaping, but nothing that could end the line. */
static void
uri_line(struct buf *b, const char *name, const char *uri)
{
	char *clean = xstrdup(uri);

	for (char *p = clean; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
	ical_line(b, name, clean);
	free(clean);
}

/* "20261125T083000Z" */
static void
time_line(struct buf *b, const char *name, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	char value[32];

	if (gmtime_r(&tt, &tm) == NULL ||
	    strftime(value, sizeof value, "%Y%m%dT%H%M%SZ", &tm) == 0)
		return;
	ical_line(b, name, value);
}

/* The host of base_url, "forum.example" (no scheme, port or path). */
static char *
url_host(const char *base_url)
{
	const char *p = base_url ? strstr(base_url, "://") : NULL;
	size_t n;

	p = p ? p + 3 : (base_url ? base_url : "");
	if (*p == '[') /* an IPv6 literal keeps its brackets */
		n = strcspn(p, "]") + (strchr(p, ']') ? 1 : 0);
	else
		n = strcspn(p, ":/?#");
	return n > 0 ? xstrndup(p, n) : xstrdup("localhost");
}

static void
vevent(struct buf *b, const struct event *e, const char *host,
       const struct ical_options *o, int64_t now)
{
	char uid[160];

	buf_puts(b, "BEGIN:VEVENT\r\n");
	snprintf(uid, sizeof uid, "%" PRId64 "@%s", e->id, host);
	uri_line(b, "UID", uid);
	time_line(b, "DTSTAMP", now);
	time_line(b, "DTSTART", e->starts_at);
	if (e->ends_at > e->starts_at)
		time_line(b, "DTEND", e->ends_at);
	text_line(b, "SUMMARY", e->name ? e->name : e->topic_title);
	text_line(b, "LOCATION", e->location);
	if (e->url != NULL && *e->url != '\0') {
		uri_line(b, "URL", e->url);
	} else if (o->base_url != NULL && e->topic_id > 0) {
		char *post =
		    xasprintf("%s/t/%" PRId64 "/%d", o->base_url, e->topic_id,
		              e->post_number > 0 ? e->post_number : 1);

		uri_line(b, "URL", post);
		free(post);
	}
	text_line(b, "DESCRIPTION", e->description);
	buf_puts(b, "END:VEVENT\r\n");
}

char *
ical_export(const struct event *events, size_t n, const struct ical_options *o)
{
	static const struct ical_options none = {0};
	int64_t now;
	char *host;
	struct buf b;

	o = o ? o : &none;
	now = o->now ? o->now : (int64_t)time(NULL);
	host = url_host(o->base_url);
	buf_init(&b);
	buf_puts(&b, "BEGIN:VCALENDAR\r\n");
	ical_line(&b, "VERSION", "2.0");
	ical_line(&b, "PRODID", "-//ambt//ambt " PACKAGE_VERSION "//EN");
	ical_line(&b, "CALSCALE", "GREGORIAN");
	ical_line(&b, "METHOD", "PUBLISH");
	for (size_t i = 0; i < n; i++)
		if (events[i].starts_at != 0) /* no start: not a VEVENT */
			vevent(&b, &events[i], host, o, now);
	buf_puts(&b, "END:VCALENDAR\r\n");
	free(host);
	return buf_steal(&b);
}

const char *
ical_when_local(const struct event *e, char *buf, size_t size)
{
	time_t start = (time_t)e->starts_at, end = (time_t)e->ends_at;
	struct tm s, t;
	size_t n;

	buf[0] = '\0';
	if (e->starts_at == 0 || localtime_r(&start, &s) == NULL)
		return buf;
	n = strftime(buf, size, "%a %d %b %Y %H:%M", &s);
	if (e->ends_at <= e->starts_at || localtime_r(&end, &t) == NULL)
		return buf;
	if (s.tm_year == t.tm_year && s.tm_yday == t.tm_yday)
		strftime(buf + n, size - n, "-%H:%M", &t);
	else
		strftime(buf + n, size - n, " - %a %d %b %Y %H:%M", &t);
	return buf;
}

static int
write_all(int fd, const char *text, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, text, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		text += n;
		len -= (size_t)n;
	}
	return 0;
}

/* What open() would give a new file: 0644 less the umask. */
static mode_t
new_file_mode(void)
{
	mode_t mask = umask(0);

	umask(mask);
	return 0644 & ~mask;
}

/* Into tmp, flushed, then renamed over path; tmp is gone on failure. */
static int
save_via(const char *tmp, int fd, const char *path, const char *text)
{
	int ok = fchmod(fd, new_file_mode()) == 0 &&
	         write_all(fd, text, strlen(text)) == 0 && fsync(fd) == 0;

	if (close(fd) < 0)
		ok = 0;
	if (ok && rename(tmp, path) == 0)
		return 0;
	ok = errno;
	unlink(tmp);
	errno = ok;
	return -1;
}

int
ical_save(const char *path, const char *text, struct ambt_error *err)
{
	char *tmp;
	int fd, rc;

	if (strcmp(path, "-") == 0) {
		if (write_all(STDOUT_FILENO, text, strlen(text)) < 0)
			return ambt_error_set(err, AMBT_E_IO,
			                      _("cannot write to stdout: %s"),
			                      strerror(errno));
		return 0;
	}
	tmp = xasprintf("%s.XXXXXX", path);
	fd = mkstemp(tmp);
	rc = fd < 0 ? -1 : save_via(tmp, fd, path, text);
	if (rc < 0)
		ambt_error_set(err, AMBT_E_IO, _("cannot write %s: %s"), path,
		               strerror(errno));
	free(tmp);
	return rc;
}
