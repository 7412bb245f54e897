/*
 * request.c: a request's parameters, from the query string and the body,
 * form-encoded or JSON, the way Rails hands them to a Discourse controller.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ambt/util.h"
#include "ambtd/ambtd.h"

/* ---- Percent-decoding ---- */

static int
hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

char *
percent_decode(const char *s, size_t n, bool plus_is_space)
{
	char *out = malloc(n + 1);
	size_t o = 0;

	if (!out)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '%') {
			int hi = i + 2 < n ? hex_value(s[i + 1]) : -1;
			int lo = i + 2 < n ? hex_value(s[i + 2]) : -1;

			if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
				goto bad; /* malformed, or a NUL byte */
			out[o++] = (char)(hi * 16 + lo);
			i += 2;
		} else if (s[i] == '+' && plus_is_space) {
			out[o++] = ' ';
		} else if (s[i] == '\0') {
			goto bad;
		} else {
			out[o++] = s[i];
		}
	}
	out[o] = '\0';
	if (!utf8_valid(out, o))
		goto bad;
	return out;
bad:
	free(out);
	return NULL;
}

/* ---- Parameters ---- */

static int
add_param(struct req *r, char *name, char *value)
{
	struct param *p;

	if (!name || !value) {
		free(name);
		free(value);
		return -1;
	}
	/* Capacity doubles at powers of two from 8: a body of a million
	 * "a&a&a" costs linear time. */
	if (r->n_params == 0 ||
	    (r->n_params >= 8 && (r->n_params & (r->n_params - 1)) == 0)) {
		size_t cap = r->n_params ? r->n_params * 2 : 8;

		p = realloc(r->params, cap * sizeof *p);
		if (!p) {
			free(name);
			free(value);
			return -1;
		}
		r->params = p;
	}
	p = r->params;
	p[r->n_params].name = name;
	p[r->n_params].value = value;
	r->n_params++;
	return 0;
}

int
req_add_param(struct req *r, char *name, char *value)
{
	return add_param(r, name, value);
}

/* "a=1&b=%C3%A9&c" form encoding; "+" is a space. */
static int
parse_form(struct req *r, const char *s, size_t n, char **errmsg)
{
	const char *end = s + n;

	while (s < end) {
		const char *amp = memchr(s, '&', (size_t)(end - s));
		const char *stop = amp ? amp : end;
		const char *eq = memchr(s, '=', (size_t)(stop - s));
		const char *name_end = eq ? eq : stop;

		if (name_end > s) {
			char *name =
			    percent_decode(s, (size_t)(name_end - s), true);
			char *value =
			    eq ? percent_decode(eq + 1, (size_t)(stop - eq - 1),
			                        true)
			       : strdup("");

			if (add_param(r, name, value) < 0) {
				*errmsg = strdup("invalid percent-encoding or "
				                 "UTF-8 in the parameters");
				return -1;
			}
		}
		s = stop + 1;
	}
	return 0;
}

static int flatten_json(struct req *r, const char *name, json_t *j);

/* Scalars as Rails sees them in a form: true/false, numbers, strings. */
static char *
scalar_text(json_t *j)
{
	char buf[64];

	switch (json_typeof(j)) {
	case JSON_STRING:
		return strdup(json_string_value(j));
	case JSON_INTEGER:
		snprintf(buf, sizeof buf, "%" JSON_INTEGER_FORMAT,
		         json_integer_value(j));
		return strdup(buf);
	case JSON_REAL:
		snprintf(buf, sizeof buf, "%.17g", json_real_value(j));
		return strdup(buf);
	case JSON_TRUE:
		return strdup("true");
	case JSON_FALSE:
		return strdup("false");
	default:
		return NULL;
	}
}

static int
flatten_child(struct req *r, const char *name, const char *key, json_t *j)
{
	size_t len = strlen(name) + strlen(key) + 3;
	char *child = malloc(len);
	int rc;

	if (!child)
		return -1;
	if (name[0])
		snprintf(child, len, "%s[%s]", name, key);
	else
		snprintf(child, len, "%s", key);
	rc = flatten_json(r, child, j);
	free(child);
	return rc;
}

/* {"a": 1, "b": [1, 2], "t": {"3": 500}} -> a=1, b[]=1, b[]=2, t[3]=500;
 * null is left out, as Rails' params would hold nil. */
static int
flatten_json(struct req *r, const char *name, json_t *j)
{
	const char *key;
	json_t *v;
	size_t i;

	switch (json_typeof(j)) {
	case JSON_OBJECT:
		json_object_foreach(j, key,
		                    v) if (flatten_child(r, name, key, v) <
		                           0) return -1;
		return 0;
	case JSON_ARRAY:
		json_array_foreach(j, i, v) if (flatten_child(r, name, "", v) <
		                                0) return -1;
		return 0;
	case JSON_NULL:
		return 0;
	default:
		return add_param(r, strdup(name), scalar_text(j));
	}
}

static int
parse_json_body(struct req *r, char **errmsg)
{
	json_error_t err;
	json_t *j = json_loadb(r->body, r->body_len, 0, &err);
	char msg[256];
	int rc;

	if (!j) {
		snprintf(msg, sizeof msg,
		         "The JSON body is malformed: %s (line %d, column %d)",
		         err.text, err.line, err.column);
		*errmsg = strdup(msg);
		return -1;
	}
	if (!json_is_object(j)) {
		json_decref(j);
		*errmsg = strdup("The JSON body must be an object");
		return -1;
	}
	rc = flatten_json(r, "", j);
	json_decref(j);
	if (rc < 0)
		*errmsg = strdup("The JSON body could not be read");
	return rc;
}

static bool
content_type_is(const char *content_type, const char *want)
{
	size_t n = strlen(want);

	return content_type && strncasecmp(content_type, want, n) == 0 &&
	       (content_type[n] == '\0' || content_type[n] == ';' ||
	        content_type[n] == ' ');
}

int
req_parse_params(struct req *r, const char *query, char **errmsg)
{
	*errmsg = NULL;
	if (query && parse_form(r, query, strlen(query), errmsg) < 0)
		return -1;
	if (r->body_len == 0)
		return 0;
	if (content_type_is(r->content_type, "application/json"))
		return parse_json_body(r, errmsg);
	if (content_type_is(r->content_type,
	                    "application/x-www-form-urlencoded") ||
	    !r->content_type) {
		if (memchr(r->body, '\0', r->body_len)) {
			*errmsg = strdup("The request body holds a NUL byte");
			return -1;
		}
		return parse_form(r, r->body, r->body_len, errmsg);
	}
	/* Another type (text/plain, say): Rails leaves it out of params,
	 * and the handler finds its parameters missing. */
	return 0;
}

/* ---- Reading parameters ---- */

const char *
req_param(const struct req *r, const char *name)
{
	for (size_t i = 0; i < r->n_params; i++)
		if (strcmp(r->params[i].name, name) == 0)
			return r->params[i].value;
	return NULL;
}

int
parse_int64(const char *s, int64_t *out)
{
	char *end;
	long long v;

	if (!s || !(*s == '-' || (*s >= '0' && *s <= '9')))
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno == ERANGE || end == s || *end != '\0')
		return -1;
	*out = (int64_t)v;
	return 0;
}

int
req_param_int(const struct req *r, const char *name, int64_t *out)
{
	return parse_int64(req_param(r, name), out);
}

size_t
req_param_all(const struct req *r, const char *name, const char ***values)
{
	size_t n = 0;

	*values = NULL;
	for (size_t i = 0; i < r->n_params; i++)
		if (strcmp(r->params[i].name, name) == 0)
			n++;
	if (n == 0)
		return 0;
	*values = malloc(n * sizeof **values);
	if (!*values)
		return 0;
	n = 0;
	for (size_t i = 0; i < r->n_params; i++)
		if (strcmp(r->params[i].name, name) == 0)
			(*values)[n++] = r->params[i].value;
	return n;
}

int64_t
req_arg_int(const struct req *r, size_t i)
{
	int64_t v;

	if (i >= r->n_args || parse_int64(r->args[i], &v) < 0 || v < 0)
		return -1;
	return v;
}

void
req_clear(struct req *r)
{
	for (size_t i = 0; i < r->n_params; i++) {
		free(r->params[i].name);
		free(r->params[i].value);
	}
	free(r->params);
	for (size_t i = 0; i < r->n_args; i++)
		free(r->args[i]);
	free(r->path);
	free(r->body);
	memset(r, 0, sizeof *r);
}
