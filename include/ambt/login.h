/*
 * login.h: logging in to a Discourse server and out again.
 *
 * Session login is Discourse's own: GET /session/csrf.json for a token
 * bound to a session cookie, then POST /session.json with login, password
 * and, when the member has one, a second-factor code. The cookies live in
 * a jar file (login_cookie_path) that http.c keeps up to date; later runs
 * send them with http_options.cookie_file. A refused login is HTTP 200
 * with {"error": ...}: it becomes one clear error, and the jar is deleted.
 *
 * These calls block: each runs its own http handle until its requests are
 * done. Nothing here prints or asks; the caller does both.
 */
#ifndef AMBT_LOGIN_H
#define AMBT_LOGIN_H

#include "ambt/error.h"
#include "ambt/http.h"

enum login_status {
	LOGIN_FAILED = -1, /* err says why */
	LOGIN_OK = 0,
	LOGIN_NEED_SECOND_FACTOR = 1, /* ask for a code, then log in again */
};

/* $XDG_STATE_HOME/ambt/cookies-HOST[_PORT].txt for server (newly
 * allocated), or NULL when server is not a URL. */
char *login_cookie_path(const char *server);

/*
 * Log in with a password (and second_factor, a TOTP code, or NULL). base
 * gives the server and the connection settings; its auth fields are
 * ignored. On LOGIN_OK *username is the member's name (newly allocated)
 * and cookie_file holds the session; otherwise cookie_file is removed,
 * except after LOGIN_NEED_SECOND_FACTOR, where the next call reuses it.
 */
enum login_status login_password(const struct http_options *base,
                                 const char *cookie_file, const char *login,
                                 const char *password,
                                 const char *second_factor, char **username,
                                 struct ambt_error *err);

/* The CSRF token of the session in cookie_file (GET /session/csrf.json):
 * Discourse refuses a cookie-authenticated POST, PUT or DELETE without it. */
char *login_session_csrf(const struct http_options *base,
                         const char *cookie_file, struct ambt_error *err);
/* End the session in cookie_file (DELETE /session/USERNAME.json) and
 * remove the file, whatever the server said. -1 with err when the server
 * refused or could not be reached. */
int logout_session(const struct http_options *base, const char *cookie_file,
                   const char *username, struct ambt_error *err);

/* Revoke a User API key (POST /user-api-key/revoke). -1 with err when the
 * server refused or could not be reached. */
int logout_user_api_key(const struct http_options *base, const char *key,
                        const char *client_id, struct ambt_error *err);

/* A jar of its own for a new session on server (newly allocated):
 * login_cookie_path's name with a random part, so the session it replaces
 * keeps its own jar until login_keep has ended it. */
char *login_new_cookie_path(const char *server);

struct credential;
/*
 * Keep a new login: write c into the credentials file in place of the
 * login kept before for c->server, having first ended that one on the
 * server (logout_user_api_key or logout_session, whose jar goes too),
 * best effort and with short timeouts, so that an unreachable server never
 * blocks the new login. A session in c should have a jar of its own
 * (login_new_cookie_path). base gives the connection settings. -1 with err
 * when the file could not be read or written.
 */
int login_keep(const struct http_options *base, const struct credential *c,
               struct ambt_error *err);

/*
 * User API keys, Discourse's way for third-party clients: the browser
 * flow. login_key_new makes an RSA key pair (2048 bits) and a nonce;
 * login_key_url is the approval page's address (scopes read,write,
 * padding=oaep), which the user opens in any browser; the page then
 * shows a base64 payload, which the user pastes back and
 * login_key_decrypt opens: OAEP first, PKCS#1 v1.5 second (older servers
 * ignore padding=oaep), accepted only as JSON whose nonce is ours.
 */
struct login_key;

/* A new random client id (32 hex digits, newly allocated). */
char *login_client_id(void);
struct login_key *login_key_new(const char *client_id, struct ambt_error *err);
void login_key_free(struct login_key *);
/* The approval page for server (newly allocated). */
char *login_key_url(const struct login_key *, const char *server);
/* The User API key in the pasted payload (newly allocated), or NULL with
 * err when it does not open with our key or carries another nonce. */
char *login_key_decrypt(const struct login_key *, const char *payload,
                        struct ambt_error *err);
/*
 * The device flow, where the server offers it: login_device_start asks
 * for a short code (POST /user-api-key/device.json, with the key pair's
 * public half), which the user enters at verification_uri in any
 * browser; login_device_poll (every interval seconds) answers 0 while
 * that is pending, 1 with *key once approved, -1 with err when denied,
 * expired or unreachable.
 */
struct login_device {
	char *device_code;
	char *user_code;
	char *verification_uri;
	int interval;   /* seconds between polls */
	int expires_in; /* seconds the code lives */
};
int login_device_start(const struct http_options *base,
                       const struct login_key *, struct login_device *,
                       struct ambt_error *err);
int login_device_poll(const struct http_options *base, const struct login_key *,
                      const struct login_device *, char **key,
                      struct ambt_error *err);
void login_device_clear(struct login_device *);
/* The JSON body of the device request for k (newly allocated). */
char *login_key_device_request(const struct login_key *k);

/* The username a User API key belongs to (GET /session/current.json),
 * newly allocated, or NULL with err. */
char *login_key_username(const struct http_options *base, const char *key,
                         const char *client_id, struct ambt_error *err);

#endif
