/*
 * json.h: typed access to jansson values for the decoders in src/api/.
 *
 * A struct jd carries the error to fill in and the JSON path of the value
 * being read, so every failure names where it happened:
 *     post_stream.posts[3].post_number: expected integer, got string
 *
 * The getters share one set of rules:
 * - unknown fields are never looked at;
 * - a missing key or a null leaves *out untouched, so the caller presets
 *   the model's sentinel (0, -1, NULL); with JD_REQUIRED it is an error;
 * - a value of the wrong type is an error naming its path;
 * - integers are JSON integers, or reals with no fraction (some
 *   serializers write 3.0); a fraction is an error, and int fields are
 *   range checked. Numbers beyond int64 are refused by the parser;
 * - times are ISO 8601 strings (time_parse_iso8601); a time without a zone
 *   is read as UTC (events.c then applies the event's own zone).
 * Each returns 0, or -1 with the error set, and leaves the path as it
 * found it. Strings are copied.
 */
#ifndef AMBT_JSON_H
#define AMBT_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "ambt/error.h"

enum jd_need { JD_OPTIONAL, JD_REQUIRED };

struct jd {
	struct ambt_error *err;
	size_t len;     /* of path */
	char path[256]; /* "post_stream.posts[3]"; cut short when deeper */
};

/*
 * Parse a body. Syntax errors, truncation, invalid UTF-8 and nesting past
 * the parser's depth limit become AMBT_E_DECODE with line and column. The
 * root must be an object. Returns a new reference or NULL.
 */
json_t *jd_parse(const char *body, size_t len, struct ambt_error *err);

void jd_init(struct jd *, struct ambt_error *);

/* jd_parse, then fn on the root object with a fresh path; the whole of
 * a decoder but its model's allocation and release. */
int jd_decode(const char *body, size_t len, struct ambt_error *err,
              int (*fn)(struct jd *, const json_t *root, void *arg), void *arg);

/* Descend into obj[key] or array[i]; each returns a mark for jd_leave. */
size_t jd_enter(struct jd *, const char *key);
size_t jd_enter_index(struct jd *, size_t i);
void jd_leave(struct jd *, size_t mark);

/* Fail at path.key (key may be NULL) with AMBT_E_DECODE; returns -1. */
int jd_fail(struct jd *, const char *key, const char *fmt, ...)
    AMBT_PRINTF(3, 4);
const char *jd_type_name(const json_t *);

int jd_int(struct jd *, const json_t *obj, const char *key, int *out,
           enum jd_need);
int jd_int64(struct jd *, const json_t *obj, const char *key, int64_t *out,
             enum jd_need);
int jd_bool(struct jd *, const json_t *obj, const char *key, bool *out,
            enum jd_need);
int jd_str(struct jd *, const json_t *obj, const char *key, char **out,
           enum jd_need);
int jd_time(struct jd *, const json_t *obj, const char *key, int64_t *out,
            enum jd_need);
/* Borrowed references; *out is NULL when missing or null. */
int jd_object(struct jd *, const json_t *obj, const char *key,
              const json_t **out, enum jd_need);
int jd_array(struct jd *, const json_t *obj, const char *key,
             const json_t **out, enum jd_need);

/*
 * A table of scalar fields read straight into a struct: the decoders list
 * what they take from an object instead of spelling out each call.
 */
enum jd_kind { JD_INT, JD_INT64, JD_BOOL, JD_STR, JD_TIME };
struct jd_field {
	const char *key;
	enum jd_kind kind;
	size_t offset;
	enum jd_need need;
};
#define JD_FIELD(type, key, kind, member)                                      \
	{                                                                      \
		key, kind, offsetof(type, member), JD_OPTIONAL                 \
	}
#define JD_REQUIRED_FIELD(type, key, kind, member)                             \
	{                                                                      \
		key, kind, offsetof(type, member), JD_REQUIRED                 \
	}
int jd_fields(struct jd *, const json_t *obj, const struct jd_field *fields,
              size_t n, void *dst);

/* Call fn on each object of the array obj[key] (path entered at each
 * index); missing or null calls nothing. */
typedef int (*jd_each_fn)(struct jd *, const json_t *item, size_t i, void *arg);
int jd_each(struct jd *, const json_t *obj, const char *key, jd_each_fn fn,
            void *arg);

/*
 * obj[key] as an array of objects, decoded by fn into a new array of n
 * zeroed elements of size bytes each (path entered at each index). *items
 * and *n are set before the first element is decoded, so on failure the
 * owner's *_free() releases what was filled in. Missing or null: no items.
 */
typedef int (*jd_item_fn)(struct jd *, const json_t *item, void *elem,
                          void *arg);
int jd_objects(struct jd *, const json_t *obj, const char *key, void *items,
               size_t *n, size_t size, jd_item_fn fn, void *arg);

/* obj[key] as an object decoded by fn with the path entered; missing or
 * null calls nothing (an error when required). */
typedef int (*jd_object_fn)(struct jd *, const json_t *sub, void *arg);
int jd_with(struct jd *, const json_t *obj, const char *key, jd_object_fn fn,
            void *arg, enum jd_need);

/* Arrays of scalars, same conventions as jd_objects. */
int jd_int64s(struct jd *, const json_t *obj, const char *key, int64_t **out,
              size_t *n);
int jd_strs(struct jd *, const json_t *obj, const char *key, char ***out,
            size_t *n);

#endif
