/*
 * user_api_keys.c: User API keys as Discourse issues them to third-party
 * clients (UserApiKeysController): the browser flow's pages, the key's
 * payload RSA-encrypted to the client's public key, the User-Api-Key
 * header with its scopes and per-key limits, and revoking. The device
 * flow is in user_api_key_device.c.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include "ambtd/accounts.h"

#define KEY_BYTES 16 /* SecureRandom.hex: 32 hex digits */
/* GlobalSettings max_user_api_reqs_per_minute and _per_day */
#define KEY_LIMIT_MINUTE 20
#define KEY_LIMIT_DAY 2880

/* allow_user_api_key_scopes' default, less one_time_password (no
 * one-time login links here) */
static const char *const known_scopes[] = {
    "read",          "write",        "message_bus", "push",
    "notifications", "session_info", NULL,
};

static bool
scope_known(const char *s, size_t len)
{
	for (size_t i = 0; known_scopes[i]; i++)
		if (strlen(known_scopes[i]) == len &&
		    strncmp(known_scopes[i], s, len) == 0)
			return true;
	return false;
}

bool
uak_scopes_valid(const char *scopes)
{
	if (!scopes || !*scopes || strlen(scopes) > 512)
		return false;
	for (const char *p = scopes; *p;) {
		size_t len = strcspn(p, ",");

		if (!scope_known(p, len))
			return false;
		p += len + (p[len] == ',');
	}
	return true;
}

static bool
has_scope(const char *scopes, const char *scope)
{
	size_t len = strlen(scope);

	for (const char *p = scopes; *p;) {
		size_t n = strcspn(p, ",");

		if (n == len && strncmp(p, scope, len) == 0)
			return true;
		p += n + (p[n] == ',');
	}
	return false;
}

/* UserApiKeyScope's routes for the narrow scopes. */
static bool
scope_permits(const char *scopes, const char *method, const char *path)
{
	bool get = strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
	bool poll = strcmp(method, "POST") == 0 &&
	            strncmp(path, "/message-bus/", 13) == 0 &&
	            strstr(path, "/poll");

	if (has_scope(scopes, "write") || (get && has_scope(scopes, "read")))
		return true;
	if (has_scope(scopes, "session_info") && get &&
	    strcmp(path, "/session/current.json") == 0)
		return true;
	if (has_scope(scopes, "notifications") &&
	    ((get && (strcmp(path, "/notifications.json") == 0 ||
	              strcmp(path, "/notifications/totals.json") == 0)) ||
	     (strcmp(method, "PUT") == 0 &&
	      strcmp(path, "/notifications/mark-read.json") == 0) ||
	     poll))
		return true;
	return has_scope(scopes, "message_bus") && poll;
}

/* ---- Keys ---- */

int
uak_create(int64_t user_id, const char *client_id, const char *app_name,
           const char *scopes, char key[2 * KEY_BYTES + 1])
{
	char hash[SHA256_HEX_LEN + 1];
	sqlite3_stmt *del = db_stmt(ambtd->db, "DELETE FROM user_api_keys "
	                                       "WHERE user_id = ? AND "
	                                       "client_id = ?");
	sqlite3_stmt *ins;

	if (!del || random_hex(key, KEY_BYTES) < 0)
		return -1;
	/* a client's new key replaces its old ones, as Discourse does */
	sqlite3_bind_int64(del, 1, user_id);
	sqlite3_bind_text(del, 2, client_id, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(del) != SQLITE_DONE)
		return -1;
	ins = db_stmt(ambtd->db,
	              "INSERT INTO user_api_keys (user_id, client_id, "
	              "application_name, key_hash, scopes, created_at) "
	              "VALUES (?, ?, ?, ?, ?, ?)");
	if (!ins)
		return -1;
	sha256_hex(key, hash);
	sqlite3_bind_int64(ins, 1, user_id);
	sqlite3_bind_text(ins, 2, client_id, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(ins, 3, app_name, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(ins, 4, hash, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(ins, 5, scopes, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(ins, 6, db_now());
	return sqlite3_step(ins) == SQLITE_DONE ? 0 : -1;
}

static EVP_PKEY *
read_public_key(const char *pem)
{
	BIO *bio = BIO_new_mem_buf(pem, -1);
	EVP_PKEY *key = bio ? PEM_read_bio_PUBKEY(bio, NULL, NULL, NULL) : NULL;

	BIO_free(bio);
	if (key && (EVP_PKEY_base_id(key) != EVP_PKEY_RSA ||
	            EVP_PKEY_bits(key) < 2048 || EVP_PKEY_bits(key) > 8192)) {
		EVP_PKEY_free(key);
		return NULL;
	}
	return key;
}

bool
uak_public_key_valid(const char *pem)
{
	EVP_PKEY *key =
	    pem && strlen(pem) <= 4096 ? read_public_key(pem) : NULL;

	EVP_PKEY_free(key);
	return key != NULL;
}

/* Ruby's Base64.encode64: a newline after every 60 characters. */
static char *
mime_base64(const unsigned char *in, size_t n)
{
	size_t len = 4 * ((n + 2) / 3);
	unsigned char *flat = malloc(len + 1);
	char *out = malloc(len + len / 60 + 2), *o = out;

	if (!flat || !out) {
		free(flat);
		free(out);
		return NULL;
	}
	EVP_EncodeBlock(flat, in, (int)n);
	for (size_t i = 0; i < len; i += 60) {
		size_t chunk = len - i < 60 ? len - i : 60;

		memcpy(o, flat + i, chunk);
		o += chunk;
		*o++ = '\n';
	}
	*o = '\0';
	free(flat);
	return out;
}

static char *
rsa_encrypt(EVP_PKEY *key, bool oaep, const char *plain)
{
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new(key, NULL);
	unsigned char *buf = NULL;
	size_t len = 0;
	char *out = NULL;

	if (ctx && EVP_PKEY_encrypt_init(ctx) > 0 &&
	    EVP_PKEY_CTX_set_rsa_padding(ctx, oaep ? RSA_PKCS1_OAEP_PADDING
	                                           : RSA_PKCS1_PADDING) > 0 &&
	    EVP_PKEY_encrypt(ctx, NULL, &len, (const unsigned char *)plain,
	                     strlen(plain)) > 0 &&
	    (buf = malloc(len)) &&
	    EVP_PKEY_encrypt(ctx, buf, &len, (const unsigned char *)plain,
	                     strlen(plain)) > 0)
		out = mime_base64(buf, len);
	free(buf);
	EVP_PKEY_CTX_free(ctx);
	return out;
}

char *
uak_payload(const char *key, const char *nonce, const char *pem,
            const char *padding)
{
	json_t *j = json_pack("{s:s, s:s, s:b, s:i}", "key", key, "nonce",
	                      nonce, "push", 0, "api", 4);
	char *plain = j ? json_dumps(j, JSON_COMPACT) : NULL;
	EVP_PKEY *pkey = read_public_key(pem);
	char *out = NULL;

	if (plain && pkey)
		out = rsa_encrypt(pkey, padding && strcmp(padding, "oaep") == 0,
		                  plain);
	EVP_PKEY_free(pkey);
	free(plain);
	json_decref(j);
	return out;
}

/* ---- The User-Api-Key header ---- */

static void
resp_rate_limited(struct resp *out, int wait)
{
	char msg[160];

	snprintf(msg, sizeof msg,
	         "You\xe2\x80\x99ve performed this action too many times. "
	         "Please wait %d seconds before trying again.",
	         wait);
	resp_json(out, 429,
	          json_pack("{s:[s], s:s, s:{s:i}}", "errors", msg,
	                    "error_type", "rate_limit", "extras",
	                    "wait_seconds", wait));
	out->retry_after = wait;
}

/* Seconds until the key may ask again, or 0 now. Counts the requests of
 * the last minute and day; a burst of parallel GETs (which share the
 * database) may slip one or two past. */
static int
key_wait(int64_t key_id, int64_t now)
{
	static const struct {
		int64_t window;
		int limit;
	} limits[] = {{60, KEY_LIMIT_MINUTE}, {86400, KEY_LIMIT_DAY}};
	sqlite3_stmt *st;

	for (size_t i = 0; i < 2; i++) {
		st = db_stmt(ambtd->db,
		             "SELECT COUNT(*), MIN(at) FROM user_api_key_hits "
		             "WHERE key_id = ? AND at > ?");
		if (!st)
			return 0;
		sqlite3_bind_int64(st, 1, key_id);
		sqlite3_bind_int64(st, 2, now - limits[i].window);
		if (sqlite3_step(st) == SQLITE_ROW &&
		    sqlite3_column_int(st, 0) >= limits[i].limit) {
			int64_t wait = sqlite3_column_int64(st, 1) +
			               limits[i].window - now;
			return wait > 0 ? (int)wait : 1;
		}
	}
	return 0;
}

static void
key_count(int64_t key_id, int64_t now)
{
	sqlite3_stmt *st = db_stmt(ambtd->db, "INSERT INTO user_api_key_hits "
	                                      "(key_id, at) VALUES (?, ?)");

	if (!st)
		return;
	sqlite3_bind_int64(st, 1, key_id);
	sqlite3_bind_int64(st, 2, now);
	sqlite3_step(st);
	st = db_stmt(ambtd->db, "DELETE FROM user_api_key_hits WHERE "
	                        "key_id = ? AND at <= ?");
	if (!st)
		return;
	sqlite3_bind_int64(st, 1, key_id);
	sqlite3_bind_int64(st, 2, now - 86400);
	sqlite3_step(st);
}

/* The live key the header names: its id, user and scopes; false when it
 * is unknown or revoked. */
static bool
find_key(const char *key, int64_t *id, int64_t *user_id, char *scopes,
         size_t size)
{
	char hash[SHA256_HEX_LEN + 1];
	sqlite3_stmt *st =
	    db_stmt(ambtd->db, "SELECT id, user_id, scopes FROM user_api_keys "
	                       "WHERE key_hash = ? AND revoked_at IS NULL");

	if (!st)
		return false;
	sha256_hex(key, hash);
	sqlite3_bind_text(st, 1, hash, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(st) != SQLITE_ROW)
		return false;
	*id = sqlite3_column_int64(st, 0);
	*user_id = sqlite3_column_int64(st, 1);
	snprintf(scopes, size, "%s", (const char *)sqlite3_column_text(st, 2));
	return true;
}

/* User-Api-Key (+ User-Api-Client-Id, which Discourse only keeps for its
 * bookkeeping): no CSRF. A key may always revoke itself, whatever its
 * scopes. */
int
auth_user_api_key(struct req *r, struct resp *out)
{
	char scopes[520];
	int64_t key_id, user_id, now = db_now();
	int wait;

	if (!r->header_user_api_key)
		return 0;
	if (!find_key(r->header_user_api_key, &key_id, &user_id, scopes,
	              sizeof scopes) ||
	    !user_ref_load(user_id, &r->user) ||
	    (!scope_permits(scopes, r->method, r->path) &&
	     strcmp(r->path, "/user-api-key/revoke") != 0)) {
		memset(&r->user, 0, sizeof r->user);
		resp_invalid_access(out);
		return -1;
	}
	wait = key_wait(key_id, now);
	if (wait > 0) {
		memset(&r->user, 0, sizeof r->user);
		resp_rate_limited(out, wait);
		return -1;
	}
	key_count(key_id, now);
	return 1;
}

/* ---- Revoking ---- */

static int
revoke(int64_t key_id, const struct user_ref *u)
{
	sqlite3_stmt *st = db_stmt(
	    ambtd->db, "UPDATE user_api_keys SET revoked_at = ? WHERE id = ? "
	               "AND revoked_at IS NULL AND (user_id = ? OR ?)");

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, db_now());
	sqlite3_bind_int64(st, 2, key_id);
	sqlite3_bind_int64(st, 3, u->id);
	sqlite3_bind_int(st, 4, u->admin);
	if (sqlite3_step(st) != SQLITE_DONE)
		return -1;
	return sqlite3_changes(db_handle(ambtd->db)) == 1 ? 0 : -1;
}

/* POST /user-api-key/revoke: the key of the request itself, or the key
 * `id` of the logged-in owner (or any, for an admin). */
static void
key_revoke(struct req *r, struct resp *out)
{
	char scopes[520];
	int64_t key_id = 0, user_id;

	if (req_param_int(r, "id", &key_id) < 0 &&
	    (!r->header_user_api_key ||
	     !find_key(r->header_user_api_key, &key_id, &user_id, scopes,
	               sizeof scopes))) {
		resp_not_found(out);
		return;
	}
	if (revoke(key_id, &r->user) < 0) {
		resp_not_found(out);
		return;
	}
	resp_json(out, 200, json_pack("{s:s}", "success", "OK"));
}

/* ---- The browser flow ---- */

static const char *const request_fields[] = {
    "application_name", "client_id", "scopes", "public_key", "nonce",
    "auth_redirect",    "padding",   NULL,
};

char *
url_escape(const char *s)
{
	char *out = malloc(3 * strlen(s) + 1), *o = out;

	if (!out)
		return NULL;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~", *p))
			*o++ = (char)*p;
		else
			o += sprintf(o, "%%%02X", *p);
	}
	*o = '\0';
	return out;
}

/* Where Discourse's allowed_user_api_auth_redirects would let a payload
 * go on this demo server: the Discourse apps' scheme and loopback. */
static bool
redirect_allowed(const char *to)
{
	static const char *const prefixes[] = {
	    "discourse://auth_redirect", "http://127.0.0.1:",
	    "http://127.0.0.1/",         "http://localhost:",
	    "http://localhost/",         NULL,
	};

	for (size_t i = 0; prefixes[i]; i++)
		if (strncmp(to, prefixes[i], strlen(prefixes[i])) == 0)
			return true;
	return false;
}

/* The checks of UserApiKeysController#validate_params: 0, or -1 with
 * the answer in out. */
static int
check_request(const struct req *r, struct resp *out)
{
	const char *padding = req_param(r, "padding");
	const char *redirect = req_param(r, "auth_redirect");
	const char *nonce = req_param(r, "nonce");
	const char *client_id = req_param(r, "client_id");
	const char *app = req_param(r, "application_name");

	if (!nonce || !*nonce || strlen(nonce) > 256 || !client_id ||
	    !*client_id || strlen(client_id) > 200 || !app || !*app ||
	    strlen(app) > 200 ||
	    !uak_public_key_valid(req_param(r, "public_key")) ||
	    (padding && strcmp(padding, "oaep") != 0 &&
	     strcmp(padding, "pkcs1") != 0)) {
		resp_bad_param(out, "public_key, nonce, client_id, "
		                    "application_name or padding");
		return -1;
	}
	if (!uak_scopes_valid(req_param(r, "scopes")) ||
	    (redirect && *redirect && !redirect_allowed(redirect))) {
		resp_invalid_access(out);
		return -1;
	}
	return 0;
}

/* The request's own URL, to come back to after the login form. */
static char *
request_url(const struct req *r)
{
	char *url = strdup(r->path);

	for (size_t i = 0; url && request_fields[i]; i++) {
		const char *v = req_param(r, request_fields[i]);
		char *esc = v ? url_escape(v) : NULL, *next = NULL;

		if (v && (!esc || asprintf(&next, "%s%c%s=%s", url,
		                           strchr(url, '?') ? '&' : '?',
		                           request_fields[i], esc) < 0))
			next = NULL, v = NULL, free(url), url = NULL;
		free(esc);
		if (next) {
			free(url);
			url = next;
		}
	}
	return url;
}

/* Hidden inputs carrying the request's fields on to the approval. */
static char *
hidden_fields(const struct req *r)
{
	char *all = strdup("");

	for (size_t i = 0; all && request_fields[i]; i++) {
		const char *v = req_param(r, request_fields[i]);
		char *esc = v ? html_escape(v) : NULL, *next = NULL;

		if (v && esc &&
		    asprintf(&next,
		             "%s<input type=\"hidden\" name=\"%s\" "
		             "value=\"%s\">\n",
		             all, request_fields[i], esc) >= 0) {
			free(all);
			all = next;
		} else if (v) {
			free(all);
			all = NULL;
		}
		free(esc);
	}
	return all;
}

/* GET /user-api-key/new: log in first, then a form to approve. */
static void
key_new(struct req *r, struct resp *out)
{
	char csrf[SHA256_HEX_LEN + 1];
	char *fields, *app, *scopes, *name, *body = NULL;

	if (check_request(r, out) < 0)
		return;
	if (!r->user.id) {
		char *back = request_url(r);

		resp_login_form(r, out, back ? back : "/", NULL);
		free(back);
		return;
	}
	session_csrf(r, csrf);
	fields = hidden_fields(r);
	app = html_escape(req_param(r, "application_name"));
	scopes = html_escape(req_param(r, "scopes"));
	name = html_escape(r->user.username);
	if (fields && app && scopes && name &&
	    asprintf(&body,
	             "<p>The application <strong>%s</strong> asks for "
	             "access to your account <strong>%s</strong> with these "
	             "permissions: %s.</p>\n<form method=\"post\" "
	             "action=\"/user-api-key\">\n%s<input type=\"hidden\" "
	             "name=\"authenticity_token\" value=\"%s\">\n<p><button "
	             "type=\"submit\">Authorize</button></p>\n</form>",
	             app, name, scopes, fields, csrf) >= 0)
		resp_html(out, 200, "Authorize an application", body);
	else
		resp_error(out, 500, "server_error", "out of memory");
	free(body);
	free(fields);
	free(app);
	free(scopes);
	free(name);
}

static void
show_payload(struct req *r, struct resp *out, const char *payload)
{
	static const char instructions[] =
	    "Copy the text below and paste it into the application.";
	char *body = NULL;

	if (strstr(r->path, ".json")) {
		resp_json(out, 200,
		          json_pack("{s:s, s:s}", "payload", payload,
		                    "instructions", instructions));
		return;
	}
	if (asprintf(&body, "<p>%s</p>\n<pre id=\"payload\">%s</pre>",
	             instructions, payload) < 0) {
		resp_error(out, 500, "server_error", "out of memory");
		return;
	}
	resp_html(out, 200, "Application authorized", body);
	free(body);
}

static void
redirect_with_payload(struct resp *out, const char *to, const char *payload)
{
	char *esc = url_escape(payload);

	if (!esc || asprintf(&out->location, "%s%cpayload=%s", to,
	                     strchr(to, '?') ? '&' : '?', esc) < 0) {
		out->location = NULL;
		resp_error(out, 500, "server_error", "out of memory");
	} else {
		resp_text(out, 302, "");
	}
	free(esc);
}

/* POST /user-api-key: the approval. A new key, its payload encrypted to
 * the client's key, then to auth_redirect or shown on the page. */
static void
key_create(struct req *r, struct resp *out)
{
	char key[2 * KEY_BYTES + 1];
	const char *redirect = req_param(r, "auth_redirect");
	char *payload;

	if (check_request(r, out) < 0)
		return;
	if (uak_create(r->user.id, req_param(r, "client_id"),
	               req_param(r, "application_name"), req_param(r, "scopes"),
	               key) < 0) {
		resp_error(out, 500, "server_error", "no key");
		return;
	}
	payload =
	    uak_payload(key, req_param(r, "nonce"), req_param(r, "public_key"),
	                req_param(r, "padding"));
	if (!payload) {
		resp_bad_param(out, "nonce"); /* too long for the RSA key */
		return;
	}
	if (redirect && *redirect)
		redirect_with_payload(out, redirect, payload);
	else
		show_payload(r, out, payload);
	free(payload);
}

const struct route routes_user_api_keys[] = {
    {"GET", "/user-api-key/new", key_new, false},
    {"POST", "/user-api-key", key_create, true},
    {"POST", "/user-api-key.json", key_create, true},
    {"POST", "/user-api-key/revoke", key_revoke, true},
    {NULL, NULL, NULL, false},
};
