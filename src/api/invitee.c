/*
 * invitee.c: the events plugin's answer to an RSVP, {"invitee": {"id",
 * "status", "post_id", "meta": {"event_stats": {...}}}}, as the part of
 * the event it tells: whose answer, which, and the new counts.
 */
#include "config.h"

#include <stdlib.h>

#include "ambt/api.h"
#include "ambt/util.h"
#include "api/decode.h"

static int
invitee_stats(struct jd *d, const json_t *o, void *arg)
{
	static const struct jd_field fields[] = {
	    JD_FIELD(struct event, "going", JD_INT, going),
	    JD_FIELD(struct event, "interested", JD_INT, interested),
	    JD_FIELD(struct event, "not_going", JD_INT, not_going),
	};

	return jd_fields(d, o, fields, AMBT_ARRAY_LEN(fields), arg);
}

static int
invitee_meta(struct jd *d, const json_t *o, void *arg)
{
	return jd_with(d, o, "event_stats", invitee_stats, arg, JD_OPTIONAL);
}

static int
invitee_body(struct jd *d, const json_t *o, void *arg)
{
	struct event *e = arg;
	char *status = NULL;

	if (jd_int64(d, o, "id", &e->invitee_id, JD_REQUIRED) < 0 ||
	    jd_int64(d, o, "post_id", &e->id, JD_OPTIONAL) < 0 ||
	    jd_str(d, o, "status", &status, JD_OPTIONAL) < 0) {
		free(status);
		return -1;
	}
	e->rsvp = rsvp_status_parse(status);
	free(status);
	return jd_with(d, o, "meta", invitee_meta, e, JD_OPTIONAL);
}

static int
invitee_root(struct jd *d, const json_t *root, void *arg)
{
	return jd_with(d, root, "invitee", invitee_body, arg, JD_REQUIRED);
}

int
api_decode_invitee(const char *body, size_t len, struct event **out,
                   struct ambt_error *err)
{
	struct event *e = xcalloc(1, sizeof *e);

	*out = NULL;
	/* Counts the answer leaves out stay unknown. */
	e->going = e->interested = e->not_going = -1;
	if (jd_decode(body, len, err, invitee_root, e) < 0) {
		event_free(e);
		return -1;
	}
	*out = e;
	return 0;
}
