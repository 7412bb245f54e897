/*
 * accounts.h: logging in to ambtd. Session cookies and passwords
 * (session.c), User API keys (user_api_keys.c), shared with auth.c,
 * routes.c and the seed.
 */
#ifndef AMBTD_ACCOUNTS_H
#define AMBTD_ACCOUNTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ambtd/ambtd.h"
#include "ambtd/write.h" /* user_ref_load */

#define SHA256_HEX_LEN 64
#define PASSWORD_HASH_MAX 160

/* "pbkdf2-sha256$ITER$SALT$HASH" of password into out; 0 or -1. */
int password_hash(const char *password, char out[PASSWORD_HASH_MAX]);
bool password_verify(const char *password, const char *stored);
/* A 6-digit TOTP code (RFC 6238) for the base32 secret, ±1 step. */
bool totp_verify(const char *base32_secret, const char *code, int64_t now);

/* n random bytes as 2n hex digits into out (2n + 1 bytes); 0 or -1. */
int random_hex(char *out, size_t n);
void sha256_hex(const char *s, char out[SHA256_HEX_LEN + 1]);
/* The value of cookie name in a Cookie header into out; false if absent. */
bool cookie_value(const char *cookie, const char *name, char *out, size_t size);
/* s with &, <, >, " escaped for HTML. Newly allocated. */
char *html_escape(const char *s);
/* An HTML page with title and body (already HTML) as the response. */
void resp_html(struct resp *, unsigned status, const char *title,
               const char *body);
/* The CSRF token of the request's session (for a form), or "". */
void session_csrf(const struct req *, char out[SHA256_HEX_LEN + 1]);
/* A session for a browser that has none yet: its CSRF token, and its
 * cookie in out. 0 or -1. */
int session_start_anonymous(struct req *, struct resp *,
                            char csrf[SHA256_HEX_LEN + 1]);
/* The login form (posting to /session, back to redirect). */
void resp_login_form(struct req *, struct resp *, const char *redirect,
                     const char *error);

/* user_api_keys.c, for the device flow */
bool uak_scopes_valid(const char *scopes);
bool uak_public_key_valid(const char *pem); /* RSA, 2048-8192 bits */
/* A new key (32 hex digits) for the user, replacing the client's older
 * ones. 0 or -1. */
int uak_create(int64_t user_id, const char *client_id, const char *app_name,
               const char *scopes, char key[33]);
/* {"key","nonce","push","api":4} RSA-encrypted to pem (OAEP when padding
 * is "oaep", else PKCS#1 v1.5), MIME base64. Newly allocated, or NULL. */
char *uak_payload(const char *key, const char *nonce, const char *pem,
                  const char *padding);
char *url_escape(const char *s); /* newly allocated */

/* Authenticators for auth.c: 1 claimed, 0 not this kind, -1 refused. */
int auth_session_cookie(struct req *, struct resp *);
int auth_user_api_key(struct req *, struct resp *);

extern const struct route routes_session[];             /* session.c */
extern const struct route routes_user_api_keys[];       /* user_api_keys.c */
extern const struct route routes_user_api_key_device[]; /* ..._device.c */

#endif
