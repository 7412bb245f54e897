/*
 * client_int.h: the request machinery of client.c, shared with the other
 * request files of the client (client_reader.c). Not for outside src/api/.
 */
#ifndef AMBT_API_CLIENT_INT_H
#define AMBT_API_CLIENT_INT_H

#include "ambt/api.h"
#include "ambt/util.h"

struct api {
	struct http *http;
	struct store *cache;
	char *base_url;
};

/* A decoder with its model type erased, so one table can hold them all. */
typedef int (*decode_fn)(const char *body, size_t len, void **out,
                         struct ambt_error *err);

#define ERASED_DECODER(name, type)                                             \
	static int decode_##name(const char *body, size_t len, void **out,     \
	                         struct ambt_error *err)                       \
	{                                                                      \
		type *model = NULL;                                            \
		int rc = api_decode_##name(body, len, &model, err);            \
		*out = model;                                                  \
		return rc;                                                     \
	}

/* What an endpoint family needs beyond its path. */
struct endpoint {
	decode_fn decode;      /* NULL: the reply carries no data */
	const char *not_found; /* the 404 hint */
};

/* Start a GET of path (which the call takes over), answered from the cache
 * when the server says 304 or cannot be reached. */
struct http_req *api_start(struct api *, const struct endpoint *, char *path,
                           api_done_fn done, void *arg);
/* Start a POST, PUT or DELETE of path (taken over) with a form body
 * (application/x-www-form-urlencoded, or NULL for none): never retried,
 * never cached. */
struct http_req *api_send(struct api *, const struct endpoint *,
                          const char *method, char *path, const char *form,
                          api_done_fn done, void *arg);

/* "?" before the first query parameter, "&" before the others; the value
 * is escaped. */
void api_query_add(struct buf *, const char *name, const char *value);
void api_query_add_int(struct buf *, const char *name, int64_t value);
/* prefix + the escaped segment + suffix, newly allocated. */
char *api_path_segment(const char *prefix, const char *segment,
                       const char *suffix);

#endif
