/*
 * routes.c: from a method and a path to a handler.
 *
 * Endpoint families: when you add a family's file (and its routes_*
 * list), add the list to `families` below in the same commit.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ambtd/accounts.h"
#include "ambtd/ambtd.h"
#include "ambtd/message_bus.h"
#include "ambtd/review.h"

static const struct route *const families[] = {
    routes_events,      routes_topics,        routes_users,
    routes_posts,       routes_topic_actions, routes_drafts,
    routes_site,        routes_search,        routes_notifications,
    routes_session,     routes_user_api_keys, routes_user_api_key_device,
    routes_message_bus, routes_review,        NULL,
};

/* Length of the literal text in a pattern from p up to a "/", "{" or end. */
static size_t
literal_len(const char *p)
{
	return strcspn(p, "/{");
}

/*
 * Match path against pattern. "{name}" takes one path segment, less the
 * literal text that follows it in the pattern (".json" in "{id}.json"),
 * and must not be empty. Captures go into args (at most 4).
 */
static bool
match(const char *pattern, const char *path, char *args[4], size_t *n_args)
{
	const char *p = pattern, *s = path;

	*n_args = 0;
	while (*p) {
		if (*p == '{') {
			const char *close = strchr(p, '}');
			size_t seg = strcspn(s, "/"), suffix;

			if (!close || *n_args == 4)
				return false;
			p = close + 1;
			suffix = literal_len(p);
			if (seg <= suffix ||
			    strncmp(s + seg - suffix, p, suffix) != 0)
				return false;
			args[*n_args] = strndup(s, seg - suffix);
			if (!args[*n_args])
				return false;
			(*n_args)++;
			s += seg;
			p += suffix;
		} else if (*p++ != *s++) {
			return false;
		}
	}
	return *s == '\0';
}

static void
free_args(char *args[4], size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(args[i]);
}

static bool
method_matches(const char *route_method, const char *method)
{
	if (strcmp(route_method, method) == 0)
		return true;
	return strcmp(method, "HEAD") == 0 && strcmp(route_method, "GET") == 0;
}

static const struct route *
find_route(struct req *r)
{
	for (size_t f = 0; families[f]; f++) {
		for (const struct route *rt = families[f]; rt->method; rt++) {
			char *args[4];
			size_t n = 0;

			if (!method_matches(rt->method, r->method))
				continue;
			if (match(rt->pattern, r->path, args, &n)) {
				for (size_t i = 0; i < n; i++)
					r->args[i] = args[i];
				r->n_args = n;
				return rt;
			}
			free_args(args, n);
		}
	}
	return NULL;
}

void
route_dispatch(struct req *r, struct resp *out)
{
	const struct route *rt = find_route(r);

	if (!rt) {
		resp_not_found(out);
		return;
	}
	if (rt->needs_login && r->user.id == 0) {
		resp_not_logged_in(out);
		return;
	}
	rt->handler(r, out);
}
