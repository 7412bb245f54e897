/*
 * events.c: the discourse-post-event plugin, /discourse-post-event/events.json
 * ({"events": [...]}) and /discourse-post-event/events/{id}.json
 * ({"event": {...}}). An event's id is its post's id.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ambt/api.h"
#include "ambt/util.h"
#include "api/decode.h"

#define E(key, kind, member) JD_FIELD(struct event, key, kind, member)
static const struct jd_field event_fields[] = {
    JD_REQUIRED_FIELD(struct event, "id", JD_INT64, id),
    E("category_id", JD_INT64, category_id),
    E("name", JD_STR, name),
    E("status", JD_STR, status),
    E("timezone", JD_STR, timezone),
    E("location", JD_STR, location),
    E("url", JD_STR, url),
    E("description", JD_STR, description),
    E("starts_at", JD_TIME, starts_at),
    E("ends_at", JD_TIME, ends_at),
    E("can_update_attendance", JD_BOOL, can_act),
};

static const struct jd_field stats_fields[] = {
    E("going", JD_INT, going),
    E("interested", JD_INT, interested),
    E("not_going", JD_INT, not_going),
};
#undef E

static int
event_topic(struct jd *d, const json_t *o, void *arg)
{
	struct event *e = arg;

	if (jd_int64(d, o, "id", &e->topic_id, JD_OPTIONAL) < 0)
		return -1;
	return jd_str(d, o, "title", &e->topic_title, JD_OPTIONAL);
}

static int
event_post(struct jd *d, const json_t *o, void *arg)
{
	struct event *e = arg;

	if (jd_int(d, o, "post_number", &e->post_number, JD_OPTIONAL) < 0)
		return -1;
	return jd_with(d, o, "topic", event_topic, e, JD_OPTIONAL);
}

static int
event_stats(struct jd *d, const json_t *o, void *arg)
{
	return jd_fields(d, o, stats_fields, AMBT_ARRAY_LEN(stats_fields), arg);
}

/* The caller's own invitee row: the RSVP and the id to change it by. */
static int
watching_invitee(struct jd *d, const json_t *o, void *arg)
{
	struct event *e = arg;
	char *status = NULL;

	if (jd_int64(d, o, "id", &e->invitee_id, JD_OPTIONAL) < 0 ||
	    jd_str(d, o, "status", &status, JD_OPTIONAL) < 0) {
		free(status);
		return -1;
	}
	e->rsvp = rsvp_status_parse(status);
	free(status);
	return 0;
}

/* An IANA zone name, nothing TZ would read as a path or a rule. */
static bool
zone_name_ok(const char *zone)
{
	return zone[0] != '\0' && zone[0] != '/' &&
	       strspn(zone,
	              "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	              "0123456789/_+-") == strlen(zone);
}

/* The UTC time of a wall-clock time (given as if it were UTC) in zone.
 * libc converts only through TZ, so it is set for the call and put back. */
static int64_t
wall_to_utc(int64_t wall, const char *zone)
{
	char *saved = xstrdup(getenv("TZ"));
	time_t t = (time_t)wall;
	struct tm tm;

	gmtime_r(&t, &tm);
	tm.tm_isdst = -1;
	setenv("TZ", zone, 1);
	tzset();
	t = mktime(&tm);
	if (saved != NULL)
		setenv("TZ", saved, 1);
	else
		unsetenv("TZ");
	tzset();
	free(saved);
	return t == (time_t)-1 ? wall : (int64_t)t;
}

/*
 * Newer servers send the times of a show_local_time or all-day event with
 * no zone ("2026-09-01T18:00:00", "2026-09-01"): wall-clock time in the
 * event's timezone, which jd_time read as UTC.
 */
static void
localize(const json_t *o, const char *key, int64_t *t, const char *zone)
{
	const char *iso = json_string_value(json_object_get(o, key));
	const char *clock;

	if (iso == NULL || *t == 0 || zone == NULL || !zone_name_ok(zone))
		return;
	clock = strchr(iso, 'T');
	if (clock == NULL || strpbrk(clock, "Z+-") == NULL)
		*t = wall_to_utc(*t, zone);
}

static int
decode_event(struct jd *d, const json_t *o, void *elem, void *arg)
{
	struct event *e = elem;

	(void)arg;
	if (jd_fields(d, o, event_fields, AMBT_ARRAY_LEN(event_fields), e) <
	        0 ||
	    jd_with(d, o, "post", event_post, e, JD_OPTIONAL) < 0 ||
	    jd_with(d, o, "stats", event_stats, e, JD_OPTIONAL) < 0)
		return -1;
	localize(o, "starts_at", &e->starts_at, e->timezone);
	localize(o, "ends_at", &e->ends_at, e->timezone);
	return jd_with(d, o, "watching_invitee", watching_invitee, e,
	               JD_OPTIONAL);
}

static int
events_root(struct jd *d, const json_t *root, void *arg)
{
	struct event_list *l = arg;
	const json_t *events;

	/* Without the key this is not the events plugin answering. */
	if (jd_array(d, root, "events", &events, JD_REQUIRED) < 0)
		return -1;
	return jd_objects(d, root, "events", &l->items, &l->n, sizeof *l->items,
	                  decode_event, NULL);
}

int
api_decode_events(const char *body, size_t len, struct event_list **out,
                  struct ambt_error *err)
{
	struct event_list *l = xcalloc(1, sizeof *l);

	*out = NULL;
	if (jd_decode(body, len, err, events_root, l) < 0) {
		event_list_free(l);
		return -1;
	}
	*out = l;
	return 0;
}

static int
event_body(struct jd *d, const json_t *o, void *arg)
{
	return decode_event(d, o, arg, NULL);
}

static int
event_root(struct jd *d, const json_t *root, void *arg)
{
	return jd_with(d, root, "event", event_body, arg, JD_REQUIRED);
}

int
api_decode_event(const char *body, size_t len, struct event **out,
                 struct ambt_error *err)
{
	struct event *e = xcalloc(1, sizeof *e);

	*out = NULL;
	if (jd_decode(body, len, err, event_root, e) < 0) {
		event_free(e);
		return -1;
	}
	*out = e;
	return 0;
}
