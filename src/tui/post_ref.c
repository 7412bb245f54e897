/*
 * post_ref.c: a post named on the command line or in a notice's URL, as a
 * topic id and a post number. Discourse's addresses are /t/SLUG/ID/NUMBER,
 * and /t/ID/NUMBER redirects there; the slug is only decoration.
 */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tui/post_ref.h"

static bool
all_digits(const char *s, size_t len)
{
	if (len == 0 || len > 18)
		return false;
	for (size_t i = 0; i < len; i++) {
		if (!isdigit((unsigned char)s[i]))
			return false;
	}
	return true;
}

/* The path of a URL of server (any server when NULL), or NULL. */
static const char *
url_path(const char *s, const char *server)
{
	const char *scheme = strstr(s, "://");
	size_t n;

	if (scheme == NULL)
		return s;
	if (server == NULL)
		return strchr(scheme + 3, '/');
	n = strlen(server);
	while (n > 0 && server[n - 1] == '/')
		n--;
	if (strncasecmp(s, server, n) != 0 || s[n] != '/')
		return NULL;
	return s + n;
}

bool
post_ref_parse(const char *s, const char *server, int64_t *topic_id,
               int *post_number)
{
	const char *path = url_path(s, server);
	const char *part[4];
	size_t len[4], n = 0, end;
	bool in_t;

	if (path == NULL)
		return false;
	in_t = strncmp(path, "/t/", 3) == 0;
	if (in_t)
		path += 3;
	else if (path != s)
		return false; /* a URL, but not of a topic */
	end = strcspn(path, "?#");
	for (size_t i = 0; i < end && n < 4;) {
		size_t l = strcspn(path + i, "/?#");

		l = i + l > end ? end - i : l;
		part[n] = path + i;
		len[n++] = l;
		i += l + 1;
	}
	/* /t/slug/42/7: the slug goes; a bare "42/7" has none. */
	if (in_t && n > 1 && !all_digits(part[0], len[0])) {
		memmove(part, part + 1, (n - 1) * sizeof *part);
		memmove(len, len + 1, (n - 1) * sizeof *len);
		n--;
	}
	if (n < 1 || n > 2 || !all_digits(part[0], len[0]) ||
	    (n == 2 && !all_digits(part[1], len[1])))
		return false;
	*topic_id = strtoll(part[0], NULL, 10);
	*post_number = n == 2 ? (int)strtol(part[1], NULL, 10) : 0;
	return *topic_id > 0 && *post_number < 1000000;
}
