/* error.c: filling in struct ambt_error. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ambt/error.h"

int
ambt_error_set(struct ambt_error *err, enum ambt_error_kind kind,
               const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return -1;
	err->kind = kind;
	err->unreachable = AMBT_REACHED;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof err->msg, fmt, ap);
	va_end(ap);
	return -1;
}

void
ambt_error_clear(struct ambt_error *err)
{
	if (err != NULL)
		memset(err, 0, sizeof *err);
}

const char *
ambt_error_kind_name(enum ambt_error_kind kind)
{
	switch (kind) {
	case AMBT_OK:
		return "ok";
	case AMBT_E_USAGE:
		return "usage";
	case AMBT_E_NET:
		return "network";
	case AMBT_E_HTTP:
		return "http";
	case AMBT_E_DECODE:
		return "decode";
	case AMBT_E_TOO_BIG:
		return "too big";
	case AMBT_E_IO:
		return "io";
	case AMBT_E_NOMEM:
		return "memory";
	case AMBT_E_CANCELLED:
		return "cancelled";
	}
	return "unknown";
}
