/*
 * login_keep.c: keeping a new login, having ended the one before it
 * (include/ambt/login.h). A login left behind would stay valid on the
 * server for as long as it lives there, unseen by anyone; so the old key
 * is revoked and the old session ended, best effort, with short timeouts:
 * an unreachable server never stands in the way of the new login.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ambt/credentials.h"
#include "ambt/login.h"
#include "ambt/util.h"

enum {
	END_CONNECT_TIMEOUT_MS = 3000,
	END_STALL_TIMEOUT_S = 5,
};

static bool
same(const char *a, const char *b)
{
	return a != NULL && b != NULL && strcmp(a, b) == 0;
}

/* End old on the server unless it is what c keeps; errors are dropped. */
static void
end_old_login(const struct http_options *base, const struct credential *old,
              const struct credential *c)
{
	struct http_options o = *base;
	struct ambt_error err = {0};

	if (o.connect_timeout_ms == 0 ||
	    o.connect_timeout_ms > END_CONNECT_TIMEOUT_MS)
		o.connect_timeout_ms = END_CONNECT_TIMEOUT_MS;
	if (o.stall_timeout_s == 0 || o.stall_timeout_s > END_STALL_TIMEOUT_S)
		o.stall_timeout_s = END_STALL_TIMEOUT_S;
	o.max_retries = 0;
	if (old->user_api_key != NULL &&
	    !same(old->user_api_key, c->user_api_key))
		logout_user_api_key(&o, old->user_api_key, old->client_id,
		                    &err);
	/* The same jar would now hold the new session: leave it. */
	if (old->cookie_file == NULL || same(old->cookie_file, c->cookie_file))
		return;
	if (old->username != NULL)
		logout_session(&o, old->cookie_file, old->username, &err);
	else
		unlink(old->cookie_file);
}

int
login_keep(const struct http_options *base, const struct credential *c,
           struct ambt_error *err)
{
	struct credentials creds;
	const struct credential *old;
	struct http_options o = *base;
	char *path = credentials_default_path();
	int rc;

	credentials_init(&creds);
	rc = credentials_load(&creds, path, err);
	if (rc == 0 && (old = credentials_find(&creds, c->server)) != NULL) {
		o.base_url = c->server;
		end_old_login(&o, old, c);
	}
	if (rc == 0) {
		credentials_put(&creds, c);
		rc = credentials_save(&creds, path, err);
	}
	credentials_clear(&creds);
	free(path);
	return rc;
}

char *
login_new_cookie_path(const char *server)
{
	char *base = login_cookie_path(server), *id, *path;

	if (base == NULL)
		return NULL;
	id = login_client_id();
	/* "cookies-HOST_PORT.txt" -> "cookies-HOST_PORT-1a2b3c4d.txt" */
	base[strlen(base) - strlen(".txt")] = '\0';
	path = xasprintf("%s-%.8s.txt", base, id);
	free(id);
	free(base);
	return path;
}
