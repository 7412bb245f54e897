/*
 * events_parse.c: reading the [event ...]...[/event] block of a post.
 *
 * The plugin's composer writes [event start="2026-09-01 18:00"
 * end="2026-09-01 20:00" timezone="Europe/Paris" status="public"
 * name="Meetup" location="Room 4"]optional description[/event]: attribute
 * names may be camelCase (allowedGroups) or dasherized, values are quoted
 * or bare, and the dates are wall-clock times in the event's zone. Only the
 * first block counts, as on Discourse, and a block needs its closing tag.
 */
#include "config.h"

#include <ctype.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "ambtd/events_parse.h"

#define DESCRIPTION_MAX 1000 /* the plugin's cap, in bytes here */

static const char OPEN_TAG[] = "[event";
static const char CLOSE_TAG[] = "[/event]";

/* The attributes of the opening tag, before they are interpreted. */
struct event_attrs {
	char *start, *end, *timezone, *status, *name, *location, *url;
};

static int
fail(char **errmsg, const char *fmt, ...)
{
	va_list ap;

	if (errmsg != NULL) {
		va_start(ap, fmt);
		if (vasprintf(errmsg, fmt, ap) < 0)
			*errmsg = NULL;
		va_end(ap);
	}
	return -1;
}

int
event_timezone_valid(const char *tz)
{
	const char *dir = getenv("TZDIR");
	char path[512];
	struct stat st;

	if (tz == NULL || *tz == '\0' || tz[0] == '/' || strstr(tz, "..") ||
	    strlen(tz) > 128)
		return 0;
	for (const char *p = tz; *p != '\0'; p++)
		if (!isalnum((unsigned char)*p) && strchr("/_+-", *p) == NULL)
			return 0;
	if (dir == NULL || *dir == '\0')
		dir = "/usr/share/zoneinfo";
	snprintf(path, sizeof path, "%s/%s", dir, tz);
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static bool
leap_year(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* "YYYY-MM-DD", "YYYY-MM-DD HH:MM" or "...:SS", with " " or "T" between. */
static int
parse_wall_time(const char *text, struct tm *tm)
{
	static const int mdays[] = {31, 28, 31, 30, 31, 30,
	                            31, 31, 30, 31, 30, 31};
	int y, mo, d, h = 0, mi = 0, s = 0, n = 0;
	char sep;

	memset(tm, 0, sizeof *tm);
	if (sscanf(text, "%4d-%2d-%2d%n", &y, &mo, &d, &n) != 3 || n != 10)
		return -1;
	text += n;
	if (*text != '\0') {
		sep = *text++;
		if (sep != ' ' && sep != 'T')
			return -1;
		n = 0;
		if (sscanf(text, "%2d:%2d%n", &h, &mi, &n) != 2 || n != 5)
			return -1;
		text += n;
		if (*text != '\0' && (sscanf(text, ":%2d%n", &s, &n) != 1 ||
		                      n != 3 || text[n] != '\0'))
			return -1;
	}
	if (y < 1900 || mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 ||
	    s > 59 || h < 0 || mi < 0 || s < 0)
		return -1;
	if (d > mdays[mo - 1] + (mo == 2 && leap_year(y)))
		return -1;
	tm->tm_year = y - 1900;
	tm->tm_mon = mo - 1;
	tm->tm_mday = d;
	tm->tm_hour = h;
	tm->tm_min = mi;
	tm->tm_sec = s;
	tm->tm_isdst = -1; /* let the zone's rules say whether DST applies */
	return 0;
}

/*
 * mktime() reads the zone from TZ, which is process-wide: swap it in and
 * out under a lock of our own. ambtd's handlers also run under the db lock,
 * so nothing else of ambtd reads local time meanwhile.
 */
static pthread_mutex_t tz_mutex = PTHREAD_MUTEX_INITIALIZER;

static time_t
mktime_in_zone(struct tm *tm, const char *tz)
{
	const char *old;
	char *saved = NULL;
	time_t t;

	pthread_mutex_lock(&tz_mutex);
	old = getenv("TZ");
	if (old != NULL)
		saved = strdup(old);
	setenv("TZ", tz, 1);
	tzset();
	t = mktime(tm);
	if (saved != NULL)
		setenv("TZ", saved, 1);
	else
		unsetenv("TZ");
	tzset();
	pthread_mutex_unlock(&tz_mutex);
	free(saved);
	return t;
}

int
event_local_to_utc(const char *text, const char *tz, int64_t *out)
{
	struct tm tm;
	time_t t;

	if (text == NULL || parse_wall_time(text, &tm) < 0)
		return -1;
	if (tz == NULL) {
		t = timegm(&tm);
	} else {
		if (!event_timezone_valid(tz))
			return -1;
		t = mktime_in_zone(&tm, tz);
	}
	if (t == (time_t)-1)
		return -1;
	*out = (int64_t)t;
	return 0;
}

/* allowedGroups -> allowed-groups; ShowLocalTime -> show-local-time */
static void
dasherize(const char *name, size_t len, char *out, size_t outsize)
{
	size_t o = 0;

	for (size_t i = 0; i < len && o + 2 < outsize; i++) {
		unsigned char c = (unsigned char)name[i];
		if (isupper(c)) {
			if (o > 0)
				out[o++] = '-';
			out[o++] = (char)tolower(c);
		} else {
			out[o++] = c == '_' ? '-' : (char)c;
		}
	}
	out[o] = '\0';
}

static char **
attr_slot(struct event_attrs *a, const char *name)
{
	static const struct {
		const char *name;
		size_t offset;
	} slots[] = {
	    {"start", offsetof(struct event_attrs, start)},
	    {"end", offsetof(struct event_attrs, end)},
	    {"timezone", offsetof(struct event_attrs, timezone)},
	    {"status", offsetof(struct event_attrs, status)},
	    {"name", offsetof(struct event_attrs, name)},
	    {"location", offsetof(struct event_attrs, location)},
	    {"url", offsetof(struct event_attrs, url)},
	};

	for (size_t i = 0; i < sizeof slots / sizeof slots[0]; i++)
		if (strcmp(slots[i].name, name) == 0)
			return (char **)((char *)a + slots[i].offset);
	return NULL; /* reminders, recurrence ...: accepted, not kept */
}

static void
attrs_clear(struct event_attrs *a)
{
	free(a->start);
	free(a->end);
	free(a->timezone);
	free(a->status);
	free(a->name);
	free(a->location);
	free(a->url);
	memset(a, 0, sizeof *a);
}

/* One name=value (quoted "..." or '...', or bare) at *p; advances *p. */
static int
read_attr(const char **p, struct event_attrs *a)
{
	const char *s = *p, *name = s, *val;
	size_t name_len, val_len;
	char key[64], **slot;

	while (isalnum((unsigned char)*s) || *s == '-' || *s == '_')
		s++;
	name_len = (size_t)(s - name);
	if (name_len == 0 || *s != '=')
		return -1;
	s++;
	if (*s == '"' || *s == '\'') {
		char quote = *s++;
		val = s;
		while (*s != '\0' && *s != quote && *s != '\n')
			s++;
		if (*s != quote)
			return -1;
		val_len = (size_t)(s - val);
		s++;
	} else {
		val = s;
		while (*s != '\0' && !isspace((unsigned char)*s) && *s != ']')
			s++;
		val_len = (size_t)(s - val);
	}
	dasherize(name, name_len, key, sizeof key);
	slot = attr_slot(a, key);
	if (slot != NULL) {
		free(*slot);
		*slot = strndup(val, val_len);
	}
	*p = s;
	return 0;
}

/* The opening tag's attributes from just after "[event" up to "]".
 * Returns what follows the "]", or NULL when the tag is malformed. */
static const char *
read_open_tag(const char *p, struct event_attrs *a)
{
	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == ']')
			return p + 1;
		if (read_attr(&p, a) < 0)
			return NULL;
		if (*p != ' ' && *p != '\t' && *p != ']')
			return NULL;
	}
}

/* A line opening or closing a fenced code block (``` or ~~~). */
static bool
is_fence(const char *p)
{
	return strncmp(p, "```", 3) == 0 || strncmp(p, "~~~", 3) == 0;
}

/* "[event" followed by a space or "]" ("[events" is another tag). */
static bool
is_open_tag(const char *p)
{
	size_t n = sizeof OPEN_TAG - 1;

	return strncmp(p, OPEN_TAG, n) == 0 &&
	       (p[n] == ' ' || p[n] == '\t' || p[n] == ']');
}

/* "[event" at the start of a line (after up to three spaces, as Markdown
 * allows for a block) and outside fenced code. */
static const char *
find_open_tag(const char *raw)
{
	const char *line = raw;
	bool in_code = false;

	while (line != NULL && *line != '\0') {
		const char *p = line;

		while (p - line < 3 && *p == ' ')
			p++;
		if (is_fence(p))
			in_code = !in_code;
		else if (!in_code && is_open_tag(p))
			return p + sizeof OPEN_TAG - 1;
		line = strchr(line, '\n');
		if (line != NULL)
			line++;
	}
	return NULL;
}

static char *
trimmed_copy(const char *s, size_t len)
{
	while (len > 0 && isspace((unsigned char)*s)) {
		s++;
		len--;
	}
	while (len > 0 && isspace((unsigned char)s[len - 1]))
		len--;
	if (len > DESCRIPTION_MAX)
		len = DESCRIPTION_MAX;
	return len > 0 ? strndup(s, len) : NULL;
}

static bool
status_valid(const char *status)
{
	return strcmp(status, "public") == 0 ||
	       strcmp(status, "private") == 0 ||
	       strcmp(status, "standalone") == 0;
}

/* Check and convert what the tag said into *ev; takes over the strings. */
static int
interpret(struct event_attrs *a, struct event_block *ev, char **errmsg)
{
	if (a->timezone != NULL && !event_timezone_valid(a->timezone))
		return fail(errmsg, "Unknown time zone: %s", a->timezone);
	if (a->start == NULL ||
	    event_local_to_utc(a->start, a->timezone, &ev->starts_at) < 0)
		return fail(errmsg, "An event requires a valid start date "
		                    "(YYYY-MM-DD HH:MM).");
	if (a->end != NULL &&
	    event_local_to_utc(a->end, a->timezone, &ev->ends_at) < 0)
		return fail(errmsg, "The event's end date is not a valid date "
		                    "(YYYY-MM-DD HH:MM).");
	if (a->end != NULL && ev->ends_at < ev->starts_at)
		return fail(errmsg, "An event can't end before it starts.");
	if (a->status != NULL && !status_valid(a->status))
		return fail(errmsg,
		            "Unknown event status: %s (public, private "
		            "or standalone)",
		            a->status);
	ev->status = a->status != NULL ? a->status : strdup("standalone");
	ev->timezone = a->timezone;
	ev->name = a->name;
	ev->location = a->location;
	ev->url = a->url;
	a->status = a->timezone = a->name = a->location = a->url = NULL;
	return 0;
}

int
event_block_parse(const char *raw, struct event_block *ev, char **errmsg)
{
	struct event_attrs a = {0};
	const char *body, *close;
	int rc;

	memset(ev, 0, sizeof *ev);
	if (errmsg != NULL)
		*errmsg = NULL;
	body = raw != NULL ? find_open_tag(raw) : NULL;
	if (body == NULL)
		return 0;
	body = read_open_tag(body, &a);
	close = body != NULL ? strstr(body, CLOSE_TAG) : NULL;
	if (close == NULL) { /* not a block, so Discourse makes no event */
		attrs_clear(&a);
		return 0;
	}
	rc = interpret(&a, ev, errmsg);
	attrs_clear(&a);
	if (rc < 0) {
		event_block_clear(ev);
		return -1;
	}
	ev->description = trimmed_copy(body, (size_t)(close - body));
	return 1;
}

void
event_block_clear(struct event_block *ev)
{
	free(ev->name);
	free(ev->status);
	free(ev->timezone);
	free(ev->location);
	free(ev->url);
	free(ev->description);
	memset(ev, 0, sizeof *ev);
}
