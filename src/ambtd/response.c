/*
 * response.c: what a handler answers, and Discourse's error shape
 * ({"errors": [msg], "error_type": type}, lib/json_error.rb).
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ambtd/ambtd.h"

static const char json_content_type[] = "application/json; charset=utf-8";
static const char text_content_type[] = "text/plain; charset=utf-8";

static void
set_body(struct resp *r, unsigned status, char *body, const char *type)
{
	free(r->body);
	json_decref(r->json);
	r->json = NULL;
	r->status = status;
	r->body = body;
	r->body_len = body ? strlen(body) : 0;
	r->content_type = type;
}

static void
set_internal_error(struct resp *r)
{
	set_body(r, 500,
	         strdup("{\"errors\":[\"Internal server error\"],"
	                "\"error_type\":\"unknown\"}"),
	         json_content_type);
}

/* Keep the document: dumping it is the costliest part of a big answer,
 * and resp_finish does it outside the database lock. */
void
resp_json(struct resp *r, unsigned status, json_t *j)
{
	if (!j) { /* a json_pack that failed, most likely */
		set_internal_error(r);
		return;
	}
	set_body(r, status, NULL, json_content_type);
	r->json = j;
}

void
resp_finish(struct resp *r)
{
	char *body;
	size_t len;

	if (!r->json)
		return;
	body = json_dump_compact(r->json, &len);
	json_decref(r->json);
	r->json = NULL;
	if (!body) {
		set_internal_error(r);
		return;
	}
	r->body = body;
	r->body_len = len;
}

void
resp_text(struct resp *r, unsigned status, const char *text)
{
	set_body(r, status, strdup(text ? text : ""), text_content_type);
}

void
resp_empty(struct resp *r, unsigned status)
{
	set_body(r, status, NULL, text_content_type);
}

void
resp_error(struct resp *r, unsigned status, const char *error_type,
           const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	json_t *j;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	j = json_pack("{s:[s],s:s}", "errors", msg, "error_type", error_type);
	if (!j) /* the message was not UTF-8: say so without it */
		j = json_pack("{s:[s],s:s}", "errors", "Invalid request",
		              "error_type", error_type);
	resp_json(r, status, j);
}

void
resp_clear(struct resp *r)
{
	free(r->body);
	free(r->location);
	json_decref(r->json);
	memset(r, 0, sizeof *r);
}

void
resp_not_found(struct resp *r)
{
	resp_error(r, 404, "not_found",
	           "The requested URL or resource could not be found.");
}

void
resp_not_logged_in(struct resp *r)
{
	resp_error(r, 403, "not_logged_in",
	           "You need to be logged in to do that.");
}

void
resp_invalid_access(struct resp *r)
{
	resp_error(r, 403, "invalid_access",
	           "You are not permitted to view the requested resource.");
}

void
resp_bad_param(struct resp *r, const char *name)
{
	resp_error(r, 400, "invalid_parameters",
	           "param is missing or the value is invalid: %s", name);
}
