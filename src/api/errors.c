/*
 * errors.c: a Discourse error body as one line. The shapes:
 * {"errors": ["...", ...], "error_type": ...} for most failures,
 * {"error": "..."} for a failed login (HTTP 200), {"failed": "FAILED"} from
 * failed_json, and ["BAD CSRF"] as a bare array.
 */
#include <stdlib.h>

#include <jansson.h>

#include "ambt/api.h"
#include "ambt/util.h"

/* The strings of an array joined by "; ", or NULL when there are none. */
static char *
join_strings(const json_t *arr)
{
	struct buf b;
	size_t i;
	const json_t *v;

	buf_init(&b);
	json_array_foreach(arr, i, v)
	{
		if (!json_is_string(v))
			continue;
		if (b.len > 0)
			buf_puts(&b, "; ");
		buf_puts(&b, json_string_value(v));
	}
	if (b.len == 0) {
		buf_free(&b);
		return NULL;
	}
	return buf_steal(&b);
}

static char *
object_message(const json_t *root)
{
	const json_t *v = json_object_get(root, "errors");

	if (json_is_array(v))
		return join_strings(v);
	v = json_object_get(root, "error");
	if (json_is_string(v))
		return xstrdup(json_string_value(v));
	v = json_object_get(root, "failed");
	if (json_is_string(v))
		return xstrdup(json_string_value(v));
	return NULL;
}

char *
api_decode_error_message(const char *body, size_t len)
{
	json_t *root;
	char *msg = NULL;

	if (body == NULL || len == 0)
		return NULL;
	root = json_loadb(body, len, JSON_DECODE_ANY, NULL);
	if (json_is_object(root))
		msg = object_message(root);
	else if (json_is_array(root))
		msg = join_strings(root);
	json_decref(root);
	return msg;
}
