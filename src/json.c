/* json.c: typed, path-aware access to jansson values (see json.h). */
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ambt/i18n.h"
#include "ambt/json.h"
#include "ambt/util.h"

json_t *
jd_parse(const char *body, size_t len, struct ambt_error *err)
{
	json_error_t jerr;
	json_t *root;

	if (body == NULL || len == 0) {
		ambt_error_set(err, AMBT_E_DECODE,
		               _("empty body, expected JSON"));
		return NULL;
	}
	/* DECODE_ANY so a non-object root gets our message, not the
	 * parser's; NUL inside strings stays refused. */
	root = json_loadb(body, len, JSON_DECODE_ANY, &jerr);
	if (root == NULL) {
		ambt_error_set(err, AMBT_E_DECODE,
		               "invalid JSON at line %d, column %d: %s",
		               jerr.line, jerr.column, jerr.text);
		return NULL;
	}
	if (!json_is_object(root)) {
		ambt_error_set(err, AMBT_E_DECODE,
		               "top level: expected object, got %s",
		               jd_type_name(root));
		json_decref(root);
		return NULL;
	}
	return root;
}

void
jd_init(struct jd *d, struct ambt_error *err)
{
	d->err = err;
	d->len = 0;
	d->path[0] = '\0';
}

int
jd_decode(const char *body, size_t len, struct ambt_error *err,
          int (*fn)(struct jd *, const json_t *root, void *arg), void *arg)
{
	struct jd d;
	json_t *root = jd_parse(body, len, err);
	int rc;

	if (root == NULL)
		return -1;
	jd_init(&d, err);
	rc = fn(&d, root, arg);
	json_decref(root);
	return rc;
}

/* Append to the path; a path too deep to show is cut, never overrun. */
static void
jd_advance(struct jd *d, int n)
{
	size_t room = sizeof d->path - d->len;

	if (n < 0 || (size_t)n >= room)
		d->len = sizeof d->path - 1;
	else
		d->len += (size_t)n;
}

size_t
jd_enter(struct jd *d, const char *key)
{
	size_t mark = d->len;

	jd_advance(d, snprintf(d->path + d->len, sizeof d->path - d->len,
	                       d->len == 0 ? "%s" : ".%s", key));
	return mark;
}

size_t
jd_enter_index(struct jd *d, size_t i)
{
	size_t mark = d->len;

	jd_advance(
	    d, snprintf(d->path + d->len, sizeof d->path - d->len, "[%zu]", i));
	return mark;
}

void
jd_leave(struct jd *d, size_t mark)
{
	d->len = mark;
	d->path[mark] = '\0';
}

int
jd_fail(struct jd *d, const char *key, const char *fmt, ...)
{
	char what[256];
	va_list ap;
	size_t mark = d->len;

	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	if (key != NULL)
		jd_enter(d, key);
	ambt_error_set(d->err, AMBT_E_DECODE, "%s: %s",
	               d->len > 0 ? d->path : "top level", what);
	jd_leave(d, mark);
	return -1;
}

const char *
jd_type_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return "object";
	case JSON_ARRAY:
		return "array";
	case JSON_STRING:
		return "string";
	case JSON_INTEGER:
		return "integer";
	case JSON_REAL:
		return "real";
	case JSON_TRUE:
	case JSON_FALSE:
		return "boolean";
	case JSON_NULL:
		return "null";
	}
	return "unknown";
}

/*
 * obj[key], or NULL when missing or null (an error when required). *rc is
 * 0 or -1. obj must be an object: callers checked it on the way down.
 */
static const json_t *
jd_get(struct jd *d, const json_t *obj, const char *key, enum jd_need need,
       int *rc)
{
	const json_t *v = json_object_get(obj, key);

	*rc = 0;
	if (v == NULL || json_is_null(v)) {
		if (need == JD_REQUIRED)
			*rc = jd_fail(d, key, "required, but %s",
			              v == NULL ? "missing" : "null");
		return NULL;
	}
	return v;
}

static int
wrong_type(struct jd *d, const char *key, const char *want, const json_t *v)
{
	return jd_fail(d, key, "expected %s, got %s", want, jd_type_name(v));
}

/* A JSON number as int64: integers as they are, reals only when integral
 * and in range. */
static int
number_int64(struct jd *d, const char *key, const json_t *v, int64_t *out)
{
	double r;

	if (json_is_integer(v)) {
		*out = json_integer_value(v);
		return 0;
	}
	if (!json_is_real(v))
		return wrong_type(d, key, "integer", v);
	r = json_real_value(v);
	if (r != floor(r) || !(r >= -0x1p63 && r < 0x1p63))
		return jd_fail(d, key, "expected integer, got %g", r);
	*out = (int64_t)r;
	return 0;
}

int
jd_int64(struct jd *d, const json_t *obj, const char *key, int64_t *out,
         enum jd_need need)
{
	int rc;
	const json_t *v = jd_get(d, obj, key, need, &rc);

	if (v == NULL)
		return rc;
	return number_int64(d, key, v, out);
}

int
jd_int(struct jd *d, const json_t *obj, const char *key, int *out,
       enum jd_need need)
{
	int rc;
	int64_t n;
	const json_t *v = jd_get(d, obj, key, need, &rc);

	if (v == NULL)
		return rc;
	if (number_int64(d, key, v, &n) < 0)
		return -1;
	if (n < INT_MIN || n > INT_MAX)
		return jd_fail(d, key, "integer %lld out of range",
		               (long long)n);
	*out = (int)n;
	return 0;
}

int
jd_bool(struct jd *d, const json_t *obj, const char *key, bool *out,
        enum jd_need need)
{
	int rc;
	const json_t *v = jd_get(d, obj, key, need, &rc);

	if (v == NULL)
		return rc;
	if (!json_is_boolean(v))
		return wrong_type(d, key, "boolean", v);
	*out = json_is_true(v);
	return 0;
}

int
jd_str(struct jd *d, const json_t *obj, const char *key, char **out,
       enum jd_need need)
{
	int rc;
	const json_t *v = jd_get(d, obj, key, need, &rc);

	if (v == NULL)
		return rc;
	if (!json_is_string(v))
		return wrong_type(d, key, "string", v);
	free(*out);
	*out = xstrdup(json_string_value(v));
	return 0;
}

static int
parse_time(const char *s, int64_t *out)
{
	char zoned[64];

	if (time_parse_iso8601(s, out) == 0)
		return 0;
	/* The events plugin sends wall-clock times with no zone. */
	if (strchr(s, 'T') == NULL || strlen(s) + 2 > sizeof zoned)
		return -1;
	snprintf(zoned, sizeof zoned, "%sZ", s);
	return time_parse_iso8601(zoned, out);
}

int
jd_time(struct jd *d, const json_t *obj, const char *key, int64_t *out,
        enum jd_need need)
{
	int rc;
	const json_t *v = jd_get(d, obj, key, need, &rc);

	if (v == NULL)
		return rc;
	if (!json_is_string(v))
		return wrong_type(d, key, "ISO 8601 time", v);
	if (parse_time(json_string_value(v), out) < 0)
		return jd_fail(d, key, "expected ISO 8601 time, got \"%.40s\"",
		               json_string_value(v));
	return 0;
}

/* The value at key when it has the given type (an object or an array). */
static int
container(struct jd *d, const json_t *obj, const char *key, const json_t **out,
          enum jd_need need, json_type type)
{
	int rc;
	const json_t *v = jd_get(d, obj, key, need, &rc);

	*out = NULL;
	if (v == NULL)
		return rc;
	if (json_typeof(v) != type)
		return wrong_type(d, key,
		                  type == JSON_OBJECT ? "object" : "array", v);
	*out = v;
	return 0;
}

int
jd_object(struct jd *d, const json_t *obj, const char *key, const json_t **out,
          enum jd_need need)
{
	return container(d, obj, key, out, need, JSON_OBJECT);
}

int
jd_array(struct jd *d, const json_t *obj, const char *key, const json_t **out,
         enum jd_need need)
{
	return container(d, obj, key, out, need, JSON_ARRAY);
}

int
jd_fields(struct jd *d, const json_t *obj, const struct jd_field *fields,
          size_t n, void *dst)
{
	for (size_t i = 0; i < n; i++) {
		const struct jd_field *f = &fields[i];
		void *at = (char *)dst + f->offset;
		int rc = -1;

		switch (f->kind) {
		case JD_INT:
			rc = jd_int(d, obj, f->key, at, f->need);
			break;
		case JD_INT64:
			rc = jd_int64(d, obj, f->key, at, f->need);
			break;
		case JD_BOOL:
			rc = jd_bool(d, obj, f->key, at, f->need);
			break;
		case JD_STR:
			rc = jd_str(d, obj, f->key, at, f->need);
			break;
		case JD_TIME:
			rc = jd_time(d, obj, f->key, at, f->need);
			break;
		}
		if (rc < 0)
			return -1;
	}
	return 0;
}

int
jd_each(struct jd *d, const json_t *obj, const char *key, jd_each_fn fn,
        void *arg)
{
	const json_t *arr;
	size_t mark, inside;
	int rc = 0;

	if (jd_array(d, obj, key, &arr, JD_OPTIONAL) < 0)
		return -1;
	if (arr == NULL)
		return 0;
	mark = jd_enter(d, key);
	inside = d->len;
	for (size_t i = 0; i < json_array_size(arr) && rc == 0; i++) {
		const json_t *item = json_array_get(arr, i);

		jd_enter_index(d, i);
		if (!json_is_object(item))
			rc = wrong_type(d, NULL, "object", item);
		else
			rc = fn(d, item, i, arg);
		jd_leave(d, inside);
	}
	jd_leave(d, mark);
	return rc;
}

struct objects_ctx {
	char *elems;
	size_t size;
	jd_item_fn fn;
	void *arg;
};

static int
objects_item(struct jd *d, const json_t *item, size_t i, void *arg)
{
	struct objects_ctx *c = arg;

	return c->fn(d, item, c->elems + i * c->size, c->arg);
}

int
jd_objects(struct jd *d, const json_t *obj, const char *key, void *items,
           size_t *n, size_t size, jd_item_fn fn, void *arg)
{
	const json_t *arr;
	struct objects_ctx c = {NULL, size, fn, arg};
	size_t count;

	if (jd_array(d, obj, key, &arr, JD_OPTIONAL) < 0)
		return -1;
	count = arr != NULL ? json_array_size(arr) : 0;
	c.elems = count > 0 ? xcalloc(count, size) : NULL;
	*(void **)items = c.elems;
	*n = count;
	return jd_each(d, obj, key, objects_item, &c);
}

int
jd_with(struct jd *d, const json_t *obj, const char *key, jd_object_fn fn,
        void *arg, enum jd_need need)
{
	const json_t *sub;
	size_t mark;
	int rc;

	if (jd_object(d, obj, key, &sub, need) < 0)
		return -1;
	if (sub == NULL)
		return 0;
	mark = jd_enter(d, key);
	rc = fn(d, sub, arg);
	jd_leave(d, mark);
	return rc;
}

int
jd_int64s(struct jd *d, const json_t *obj, const char *key, int64_t **out,
          size_t *n)
{
	const json_t *arr;
	size_t count, mark, inside;
	int rc = 0;

	if (jd_array(d, obj, key, &arr, JD_OPTIONAL) < 0)
		return -1;
	count = arr != NULL ? json_array_size(arr) : 0;
	*out = count > 0 ? xcalloc(count, sizeof **out) : NULL;
	*n = count;
	mark = jd_enter(d, key);
	inside = d->len;
	for (size_t i = 0; i < count && rc == 0; i++) {
		jd_enter_index(d, i);
		rc = number_int64(d, NULL, json_array_get(arr, i), &(*out)[i]);
		jd_leave(d, inside);
	}
	jd_leave(d, mark);
	return rc;
}

int
jd_strs(struct jd *d, const json_t *obj, const char *key, char ***out,
        size_t *n)
{
	const json_t *arr;
	size_t count, mark, inside;
	int rc = 0;

	if (jd_array(d, obj, key, &arr, JD_OPTIONAL) < 0)
		return -1;
	count = arr != NULL ? json_array_size(arr) : 0;
	*out = count > 0 ? xcalloc(count, sizeof **out) : NULL;
	*n = count;
	mark = jd_enter(d, key);
	inside = d->len;
	for (size_t i = 0; i < count && rc == 0; i++) {
		const json_t *v = json_array_get(arr, i);

		jd_enter_index(d, i);
		if (json_is_string(v))
			(*out)[i] = xstrdup(json_string_value(v));
		else
			rc = wrong_type(d, NULL, "string", v);
		jd_leave(d, inside);
	}
	jd_leave(d, mark);
	return rc;
}
