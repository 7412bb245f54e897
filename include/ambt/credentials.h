/*
 * credentials.h: what ambt login keeps, one entry per server.
 *
 * The file is $XDG_CONFIG_HOME/ambt/credentials, mode 0600. Each entry
 * starts with its server's line; the lines after it, up to the next
 * server, belong to it:
 *
 *     server https://forum.example.org
 *     username jan
 *     user_api_key 3f2a...
 *     client_id 9c1e...
 *     server http://127.0.0.1:8080
 *     username piet
 *     cookie_file /home/piet/.local/state/ambt/cookies-127.0.0.1_8080.txt
 *
 * An entry holds a User API key with its client id, or the path of a
 * session cookie jar, or only a username. Passwords are never stored. A
 * file that its group or others can read is refused, as ssh refuses such
 * a key, with the chmod that fixes it. Writes go to a temporary file that
 * is synced and renamed over the old one: a crash leaves either.
 */
#ifndef AMBT_CREDENTIALS_H
#define AMBT_CREDENTIALS_H

#include <stddef.h>

#include "ambt/error.h"

struct credential {
	char *server; /* base URL, no trailing slash */
	char *username;
	char *user_api_key; /* with client_id, or NULL */
	char *client_id;
	char *cookie_file; /* a session's cookie jar, or NULL */
};

struct credentials {
	struct credential *items;
	size_t n;
};

void credentials_init(struct credentials *);
void credentials_clear(struct credentials *);
/* $XDG_CONFIG_HOME/ambt/credentials (newly allocated). */
char *credentials_default_path(void);
/* Read path; a missing file is an empty list. -1 with err when the file
 * is readable by others (AMBT_E_USAGE, naming the chmod), unreadable or
 * malformed (AMBT_E_IO). */
int credentials_load(struct credentials *, const char *path,
                     struct ambt_error *err);
/* The entry for server (trailing slashes ignored), or NULL. */
const struct credential *credentials_find(const struct credentials *,
                                          const char *server);
/* Add c (copied), replacing the entry for the same server. */
void credentials_put(struct credentials *, const struct credential *c);
/* Drop server's entry; 1 when there was one, else 0. */
int credentials_remove(struct credentials *, const char *server);
/* Write all entries to path (mode 0600, atomically; the directory is
 * made when missing). -1 with err on failure. */
int credentials_save(const struct credentials *, const char *path,
                     struct ambt_error *err);

#endif
