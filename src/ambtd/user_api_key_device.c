/*
 * user_api_key_device.c: the device flow of User API keys (Discourse's
 * UserApiKey::DeviceAuth). A client with no browser at hand asks for a
 * code (POST /user-api-key/device.json), its user enters the code on
 * /user-api-key/activate in any browser and approves, and the client
 * polls (POST /user-api-key/device/poll.json) until the encrypted
 * payload comes, once.
 *
 * Where Discourse is not precise in the notes: a request without a
 * public_key is accepted and its poll answers the key itself ("key"
 * instead of "payload"), for clients without RSA; every poll answer is a
 * 200 whose "status" says what happened; an unknown device_code is 404.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/rand.h>

#include "ambtd/accounts.h"

#define DEVICE_EXPIRES_IN 600 /* seconds */
#define DEVICE_INTERVAL 5     /* seconds between polls */
#define USER_CODE_LEN 8       /* "ABCD-2345" less the dash */

/* A-Z and 2-9 without I, O, 0 and 1, which read alike */
static const char user_code_alphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

static int
new_user_code(char out[USER_CODE_LEN + 2])
{
	unsigned char bytes[USER_CODE_LEN];
	size_t o = 0;

	if (RAND_bytes(bytes, sizeof bytes) != 1)
		return -1;
	for (size_t i = 0; i < USER_CODE_LEN; i++) {
		if (i == 4)
			out[o++] = '-';
		/* 256 is a multiple of 32: no bias */
		out[o++] = user_code_alphabet[bytes[i] % 32];
	}
	out[o] = '\0';
	return 0;
}

/* "abcd 2345", "ABCD-2345" -> "ABCD-2345"; false if it cannot be one. */
static bool
normalize_user_code(const char *in, char out[USER_CODE_LEN + 2])
{
	size_t n = 0;

	for (; in && *in; in++) {
		if (*in == '-' || *in == ' ')
			continue;
		if (n == USER_CODE_LEN + 1)
			return false;
		if (n == 4)
			out[n++] = '-';
		out[n++] = (char)toupper((unsigned char)*in);
	}
	out[n] = '\0';
	return n == USER_CODE_LEN + 1;
}

static bool
is_json(const struct req *r)
{
	return r->content_type &&
	       strncasecmp(r->content_type, "application/json", 16) == 0;
}

static int
check_device_request(const struct req *r, struct resp *out)
{
	const char *client_id = req_param(r, "client_id");
	const char *app = req_param(r, "application_name");
	const char *pem = req_param(r, "public_key");
	const char *nonce = req_param(r, "nonce");
	const char *padding = req_param(r, "padding");

	if (!is_json(r)) { /* Discourse: JSON only, else 403 */
		resp_invalid_access(out);
		return -1;
	}
	if (!client_id || !*client_id || strlen(client_id) > 200 || !app ||
	    !*app || strlen(app) > 200 ||
	    (pem && (!uak_public_key_valid(pem) || !nonce || !*nonce ||
	             strlen(nonce) > 256)) ||
	    (padding && strcmp(padding, "oaep") != 0 &&
	     strcmp(padding, "pkcs1") != 0)) {
		resp_bad_param(out, "client_id, application_name, public_key, "
		                    "nonce or padding");
		return -1;
	}
	if (!uak_scopes_valid(req_param(r, "scopes"))) {
		resp_invalid_access(out);
		return -1;
	}
	return 0;
}

static void
bind_param(sqlite3_stmt *st, int i, const struct req *r, const char *name)
{
	const char *v = req_param(r, name);

	if (v)
		sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

/* POST /user-api-key/device.json */
static void
device_start(struct req *r, struct resp *out)
{
	char device_code[65], user_code[USER_CODE_LEN + 2], *uri = NULL;
	sqlite3_stmt *st = db_stmt(
	    ambtd->db, "INSERT INTO device_requests (device_code, user_code, "
	               "client_id, application_name, scopes, public_key, "
	               "nonce, padding, expires_at) "
	               "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");

	if (check_device_request(r, out) < 0)
		return;
	if (!st || random_hex(device_code, 32) < 0 ||
	    new_user_code(user_code) < 0 ||
	    asprintf(&uri, "%s/user-api-key/activate", ambtd->base_url) < 0) {
		resp_error(out, 500, "server_error", "no device code");
		return;
	}
	sqlite3_bind_text(st, 1, device_code, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, user_code, -1, SQLITE_TRANSIENT);
	bind_param(st, 3, r, "client_id");
	bind_param(st, 4, r, "application_name");
	bind_param(st, 5, r, "scopes");
	bind_param(st, 6, r, "public_key");
	bind_param(st, 7, r, "nonce");
	bind_param(st, 8, r, "padding");
	sqlite3_bind_int64(st, 9, db_now() + DEVICE_EXPIRES_IN);
	if (sqlite3_step(st) != SQLITE_DONE) {
		free(uri);
		resp_error(out, 500, "server_error", "no device code");
		return;
	}
	resp_json(out, 200,
	          json_pack("{s:s, s:s, s:s, s:s++, s:i, s:i}", "device_code",
	                    device_code, "user_code", user_code,
	                    "verification_uri", uri,
	                    "verification_uri_with_request", uri,
	                    "?request=", user_code, "expires_in",
	                    DEVICE_EXPIRES_IN, "interval", DEVICE_INTERVAL));
	free(uri);
}

struct device_request {
	char client_id[201], application_name[201], scopes[513];
	char *public_key, *nonce, *padding; /* NULL when not given */
};

static char *
col_dup(sqlite3_stmt *st, int col)
{
	const unsigned char *v = sqlite3_column_text(st, col);

	return v ? strdup((const char *)v) : NULL;
}

/* The pending, unexpired request of a user code; false if none. */
static bool
find_pending(const char *user_code, struct device_request *d)
{
	sqlite3_stmt *st = db_stmt(
	    ambtd->db, "SELECT client_id, application_name, scopes, "
	               "public_key, nonce, padding FROM device_requests "
	               "WHERE user_code = ? AND expires_at > ? AND "
	               "status = 'authorization_pending'");

	memset(d, 0, sizeof *d);
	if (!st)
		return false;
	sqlite3_bind_text(st, 1, user_code, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, db_now());
	if (sqlite3_step(st) != SQLITE_ROW)
		return false;
	snprintf(d->client_id, sizeof d->client_id, "%s",
	         (const char *)sqlite3_column_text(st, 0));
	snprintf(d->application_name, sizeof d->application_name, "%s",
	         (const char *)sqlite3_column_text(st, 1));
	snprintf(d->scopes, sizeof d->scopes, "%s",
	         (const char *)sqlite3_column_text(st, 2));
	d->public_key = col_dup(st, 3);
	d->nonce = col_dup(st, 4);
	d->padding = col_dup(st, 5);
	return true;
}

static void
device_request_free(struct device_request *d)
{
	free(d->public_key);
	free(d->nonce);
	free(d->padding);
}

static char *
code_form(const struct req *r, const char *code)
{
	char csrf[SHA256_HEX_LEN + 1], *esc = html_escape(code), *form = NULL;
	struct device_request d;
	char *about = NULL, *app = NULL, *scopes = NULL;

	session_csrf(r, csrf);
	if (find_pending(code, &d)) {
		app = html_escape(d.application_name);
		scopes = html_escape(d.scopes);
		device_request_free(&d);
	}
	if (app && scopes &&
	    asprintf(&about,
	             "<p>The application <strong>%s</strong> asks for "
	             "access to your account with these permissions: %s.</p>\n",
	             app, scopes) < 0)
		about = NULL;
	if (esc &&
	    asprintf(
	        &form,
	        "%s<form method=\"post\" action=\"/user-api-key/activate\">\n"
	        "<input type=\"hidden\" name=\"authenticity_token\" "
	        "value=\"%s\">\n<p><label>Code <input name=\"user_code\" "
	        "value=\"%s\" autocomplete=\"off\"></label></p>\n<p>"
	        "<button type=\"submit\" name=\"decision\" "
	        "value=\"approve\">Authorize</button> <button "
	        "type=\"submit\" name=\"decision\" value=\"deny\">Deny"
	        "</button></p>\n</form>",
	        about ? about : "", csrf, esc) < 0)
		form = NULL;
	free(esc);
	free(about);
	free(app);
	free(scopes);
	return form;
}

/* GET /user-api-key/activate[?request=CODE]: log in first, then the
 * form to enter the code (filled in from request=). */
static void
device_activate_page(struct req *r, struct resp *out)
{
	char code[USER_CODE_LEN + 2] = "";
	const char *given = req_param(r, "request");
	char *form, *back = NULL;

	if (given && !normalize_user_code(given, code))
		code[0] = '\0';
	if (!r->user.id) {
		char *esc = url_escape(code);

		if (esc && asprintf(&back, "/user-api-key/activate%s%s",
		                    code[0] ? "?request=" : "", esc) < 0)
			back = NULL;
		resp_login_form(r, out, back ? back : "/user-api-key/activate",
		                NULL);
		free(esc);
		free(back);
		return;
	}
	form = code_form(r, code);
	if (form)
		resp_html(out, 200, "Authorize a device", form);
	else
		resp_error(out, 500, "server_error", "out of memory");
	free(form);
}

/* The answer the client collects: the encrypted payload, or the key
 * itself when the request had no public key. */
static char *
device_answer(const struct device_request *d, const char *key)
{
	if (!d->public_key)
		return strdup(key);
	return uak_payload(key, d->nonce, d->public_key, d->padding);
}

static int
device_decide(const char *code, const char *status, const char *answer)
{
	sqlite3_stmt *st = db_stmt(
	    ambtd->db, "UPDATE device_requests SET status = ?, answer = ? "
	               "WHERE user_code = ? AND status = "
	               "'authorization_pending'");

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, status, -1, SQLITE_STATIC);
	if (answer)
		sqlite3_bind_text(st, 2, answer, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, 2);
	sqlite3_bind_text(st, 3, code, -1, SQLITE_TRANSIENT);
	return sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
}

static int
approve(const struct req *r, const char *code, struct device_request *d)
{
	char key[33];
	char *answer;
	int rc;

	if (uak_create(r->user.id, d->client_id, d->application_name, d->scopes,
	               key) < 0)
		return -1;
	answer = device_answer(d, key);
	rc = answer ? device_decide(code, "authorized", answer) : -1;
	free(answer);
	return rc;
}

/* POST /user-api-key/activate: user_code and decision=approve|deny. */
static void
device_activate(struct req *r, struct resp *out)
{
	char code[USER_CODE_LEN + 2];
	const char *decision = req_param(r, "decision");
	bool yes = decision && strcmp(decision, "approve") == 0;
	struct device_request d;
	int rc;

	if (!normalize_user_code(req_param(r, "user_code"), code) ||
	    !find_pending(code, &d)) {
		resp_html(out, 404, "Unknown code",
		          "<p>That code is unknown or has expired. "
		          "<a href=\"/user-api-key/activate\">Try again</a>."
		          "</p>");
		return;
	}
	rc = yes ? approve(r, code, &d)
	         : device_decide(code, "access_denied", NULL);
	device_request_free(&d);
	if (rc < 0)
		resp_error(out, 500, "server_error", "no key");
	else
		resp_html(out, 200, yes ? "Device authorized" : "Device denied",
		          yes ? "<p>You can return to your device.</p>"
		              : "<p>The device was not given access.</p>");
}

/* POST /user-api-key/device/poll.json: the answer is given once, then
 * the request is spent (expired_token). */
static void
device_poll(struct req *r, struct resp *out)
{
	const char *code = req_param(r, "device_code");
	sqlite3_stmt *st =
	    db_stmt(ambtd->db, "SELECT status, answer, public_key IS NOT NULL, "
	                       "expires_at > ? FROM device_requests "
	                       "WHERE device_code = ?");
	char status[32], *answer;
	bool encrypted, live;

	if (!st || !code) {
		resp_not_found(out);
		return;
	}
	sqlite3_bind_int64(st, 1, db_now());
	sqlite3_bind_text(st, 2, code, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(st) != SQLITE_ROW) {
		resp_not_found(out);
		return;
	}
	snprintf(status, sizeof status, "%s",
	         (const char *)sqlite3_column_text(st, 0));
	answer = col_dup(st, 1);
	encrypted = sqlite3_column_int(st, 2) != 0;
	live = sqlite3_column_int(st, 3) != 0;
	if (strcmp(status, "authorized") == 0 && answer) {
		st = db_stmt(ambtd->db, "UPDATE device_requests SET status = "
		                        "'expired_token', answer = NULL "
		                        "WHERE device_code = ?");
		if (st) {
			sqlite3_bind_text(st, 1, code, -1, SQLITE_TRANSIENT);
			sqlite3_step(st);
		}
		resp_json(out, 200,
		          json_pack("{s:s, s:s}", "status", "authorized",
		                    encrypted ? "payload" : "key", answer));
	} else {
		resp_json(out, 200,
		          json_pack("{s:s}", "status",
		                    live || strcmp(status, "access_denied") == 0
		                        ? status
		                        : "expired_token"));
	}
	free(answer);
}

const struct route routes_user_api_key_device[] = {
    {"POST", "/user-api-key/device.json", device_start, false},
    {"GET", "/user-api-key/activate", device_activate_page, false},
    {"POST", "/user-api-key/activate", device_activate, true},
    {"POST", "/user-api-key/device/poll.json", device_poll, false},
    {NULL, NULL, NULL, false},
};
