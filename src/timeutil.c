/*
 * timeutil.c: the ISO 8601 subset Discourse sends. The parser is strict:
 * every field has its exact digit count and range, and nothing may follow
 * the zone, so a garbled date is an error rather than a wrong time.
 */
#include <config.h>

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "ambt/i18n.h"
#include "ambt/util.h"

/* Read exactly n decimal digits at *p into *out and advance *p. */
static bool
take_digits(const char **p, int n, int *out)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		char c = (*p)[i];

		if (c < '0' || c > '9')
			return false;
		v = v * 10 + (c - '0');
	}
	*p += n;
	*out = v;
	return true;
}

static bool
take_char(const char **p, char c)
{
	if (**p != c)
		return false;
	(*p)++;
	return true;
}

static bool
is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
days_in_month(int y, int m)
{
	static const int days[] = {31, 28, 31, 30, 31, 30,
	                           31, 31, 30, 31, 30, 31};

	return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

static bool
parse_date(const char **p, struct tm *tm)
{
	int y, m, d;

	if (!take_digits(p, 4, &y) || !take_char(p, '-') ||
	    !take_digits(p, 2, &m) || !take_char(p, '-') ||
	    !take_digits(p, 2, &d))
		return false;
	if (y < 1 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
		return false;
	tm->tm_year = y - 1900;
	tm->tm_mon = m - 1;
	tm->tm_mday = d;
	return true;
}

/* HH:MM:SS with an optional fraction, which is dropped. */
static bool
parse_time(const char **p, struct tm *tm)
{
	int h, min, s;

	if (!take_digits(p, 2, &h) || !take_char(p, ':') ||
	    !take_digits(p, 2, &min) || !take_char(p, ':') ||
	    !take_digits(p, 2, &s))
		return false;
	if (h > 23 || min > 59 || s > 59)
		return false;
	if (take_char(p, '.')) {
		if (**p < '0' || **p > '9')
			return false;
		while (**p >= '0' && **p <= '9')
			(*p)++;
	}
	tm->tm_hour = h;
	tm->tm_min = min;
	tm->tm_sec = s;
	return true;
}

/* Z, +HH:MM, -HH:MM, +HHMM or -HHMM, as seconds east of UTC. */
static bool
parse_zone(const char **p, int *offset)
{
	int sign, h, m;

	if (take_char(p, 'Z')) {
		*offset = 0;
		return true;
	}
	if (take_char(p, '+'))
		sign = 1;
	else if (take_char(p, '-'))
		sign = -1;
	else
		return false;
	if (!take_digits(p, 2, &h))
		return false;
	take_char(p, ':');
	if (!take_digits(p, 2, &m) || h > 23 || m > 59)
		return false;
	*offset = sign * (h * 3600 + m * 60);
	return true;
}

int
time_parse_iso8601(const char *s, int64_t *out)
{
	struct tm tm;
	const char *p = s;
	int offset = 0;
	time_t t;

	if (s == NULL)
		return -1;
	memset(&tm, 0, sizeof tm);
	if (!parse_date(&p, &tm))
		return -1;
	if (*p != '\0') {
		if (!take_char(&p, 'T') || !parse_time(&p, &tm) ||
		    !parse_zone(&p, &offset) || *p != '\0')
			return -1;
	}
	t = timegm(&tm);
	*out = (int64_t)t - offset;
	return 0;
}

void
time_format_iso8601(int64_t t, char *buf, size_t size)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (size == 0)
		return;
	buf[0] = '\0';
	if (gmtime_r(&tt, &tm) == NULL)
		return;
	if (strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		buf[0] = '\0';
}

const char *
time_age(int64_t t, int64_t now, char *buf, size_t size)
{
	/* The units of a compact age in a list column, "3d" or "12m". */
	static const struct {
		int64_t seconds;
		const char *unit;
	} units[] = {
	    /* TRANSLATORS: years, months, days, hours and minutes in a
	     * compact age ("3d", "12m"): a letter or three, no space. */
	    {365 * 86400, N_("y")}, {30 * 86400, N_("mo")}, {86400, N_("d")},
	    {3600, N_("h")},        {60, N_("m")},
	};
	int64_t ago = now - t;

	for (size_t i = 0; i < AMBT_ARRAY_LEN(units); i++) {
		if (ago >= units[i].seconds) {
			snprintf(buf, size, "%lld%s",
			         (long long)(ago / units[i].seconds),
			         _(units[i].unit));
			return buf;
		}
	}
	return _("now");
}

const char *
time_ago(int64_t t, int64_t now, char *buf, size_t size)
{
	int64_t ago = now - t;
	long long n;

	if (ago >= 365 * 86400) {
		n = ago / (365 * 86400);
		snprintf(buf, size, P_("%lld year ago", "%lld years ago", n),
		         n);
	} else if (ago >= 30 * 86400) {
		n = ago / (30 * 86400);
		snprintf(buf, size, P_("%lld month ago", "%lld months ago", n),
		         n);
	} else if (ago >= 86400) {
		n = ago / 86400;
		snprintf(buf, size, P_("%lld day ago", "%lld days ago", n), n);
	} else if (ago >= 3600) {
		n = ago / 3600;
		snprintf(buf, size, P_("%lld hour ago", "%lld hours ago", n),
		         n);
	} else if (ago >= 60) {
		n = ago / 60;
		snprintf(buf, size,
		         P_("%lld minute ago", "%lld minutes ago", n), n);
	} else {
		snprintf(buf, size, "%s", _("just now"));
	}
	return buf;
}
