/*
 * session.c: logging in with a username and password, as Discourse's
 * SessionController does, with its cookies and CSRF token.
 *
 * GET /session/csrf.json gives a browser a session (cookie
 * _forum_session) and its CSRF token. POST /session.json checks the
 * password (and a TOTP code when the member has one) and sets the _t
 * cookie of a logged-in session; the session keeps the CSRF token, so it
 * stays valid across the login. Every cookie-authenticated POST, PUT and
 * DELETE carries the token (X-CSRF-Token or a form's authenticity_token),
 * else 403 ["BAD CSRF"]. Only the SHA-256 of a cookie is stored, as
 * Discourse stores its auth tokens, so a copy of the database logs no one
 * in.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "ambtd/accounts.h"

#define SESSION_COOKIE "_forum_session"
#define AUTH_COOKIE "_t"
#define TOKEN_BYTES 32

static const char incorrect_login[] = "Incorrect username, email or password";
/* login.invalid_second_factor_code, also when no code was sent */
static const char invalid_second_factor[] =
    "Invalid authentication code. Each code can only be used once.";

bool
cookie_value(const char *cookie, const char *name, char *out, size_t size)
{
	size_t name_len = strlen(name);

	for (const char *p = cookie; p && *p;) {
		size_t len;

		p += strspn(p, " \t;");
		len = strcspn(p, ";");
		if (len > name_len && strncmp(p, name, name_len) == 0 &&
		    p[name_len] == '=') {
			snprintf(out, size, "%.*s", (int)(len - name_len - 1),
			         p + name_len + 1);
			return out[0] != '\0';
		}
		p += len;
	}
	return false;
}

char *
html_escape(const char *s)
{
	size_t len = 0;
	char *out, *o;

	for (const char *p = s; *p; p++)
		len += strchr("&<>\"'", *p) ? 6 : 1;
	out = o = malloc(len + 1);
	if (!out)
		return NULL;
	for (const char *p = s; *p; p++) {
		const char *rep = *p == '&'    ? "&amp;"
		                  : *p == '<'  ? "&lt;"
		                  : *p == '>'  ? "&gt;"
		                  : *p == '"'  ? "&quot;"
		                  : *p == '\'' ? "&#39;"
		                               : NULL;

		if (rep)
			o = stpcpy(o, rep);
		else
			*o++ = *p;
	}
	*o = '\0';
	return out;
}

void
resp_html(struct resp *out, unsigned status, const char *title,
          const char *body)
{
	char *page = NULL;

	if (asprintf(&page,
	             "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
	             "<title>%s</title></head>\n<body>\n<h1>%s</h1>\n%s\n"
	             "</body></html>\n",
	             title, title, body) < 0) {
		resp_error(out, 500, "server_error", "out of memory");
		return;
	}
	resp_text(out, status, page);
	out->content_type = "text/html; charset=utf-8";
	free(page);
}

/* ---- The sessions table ---- */

struct session {
	int64_t user_id; /* 0: not logged in */
	char csrf[SHA256_HEX_LEN + 1];
};

static bool
session_find(const char *token, struct session *s)
{
	char hash[SHA256_HEX_LEN + 1];
	sqlite3_stmt *st = db_stmt(ambtd->db, "SELECT user_id, csrf FROM "
	                                      "sessions WHERE token_hash = ?");

	if (!st)
		return false;
	sha256_hex(token, hash);
	sqlite3_bind_text(st, 1, hash, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(st) != SQLITE_ROW)
		return false;
	s->user_id = sqlite3_column_int64(st, 0);
	snprintf(s->csrf, sizeof s->csrf, "%s",
	         (const char *)sqlite3_column_text(st, 1));
	return true;
}

/* A new session row for user_id (0: anonymous) keeping csrf; its cookie
 * token into token. 0 or -1. */
static int
session_insert(int64_t user_id, const char *csrf,
               char token[2 * TOKEN_BYTES + 1])
{
	char hash[SHA256_HEX_LEN + 1];
	sqlite3_stmt *st = db_stmt(
	    ambtd->db, "INSERT INTO sessions (token_hash, csrf, user_id, "
	               "created_at) VALUES (?, ?, NULLIF(?, 0), ?)");

	if (!st || random_hex(token, TOKEN_BYTES) < 0)
		return -1;
	sha256_hex(token, hash);
	sqlite3_bind_text(st, 1, hash, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, csrf, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 3, user_id);
	sqlite3_bind_int64(st, 4, db_now());
	return sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
}

static void
set_cookie(struct resp *out, const char *name, const char *value)
{
	snprintf(out->set_cookie, sizeof out->set_cookie,
	         "%s=%s; path=/; HttpOnly; SameSite=Lax%s", name, value,
	         value[0] ? "" : "; Max-Age=0");
}

/* The session the request's cookies name: the logged-in one first. */
static bool
request_session(const struct req *r, struct session *s)
{
	char token[128];

	return (cookie_value(r->cookie, AUTH_COOKIE, token, sizeof token) &&
	        session_find(token, s)) ||
	       (cookie_value(r->cookie, SESSION_COOKIE, token, sizeof token) &&
	        session_find(token, s));
}

void
session_csrf(const struct req *r, char out[SHA256_HEX_LEN + 1])
{
	struct session s;

	out[0] = '\0';
	if (request_session(r, &s))
		memcpy(out, s.csrf, sizeof s.csrf);
}

int
session_start_anonymous(struct req *r, struct resp *out,
                        char csrf[SHA256_HEX_LEN + 1])
{
	char token[2 * TOKEN_BYTES + 1];

	session_csrf(r, csrf);
	if (csrf[0])
		return 0;
	if (random_hex(csrf, TOKEN_BYTES) < 0 ||
	    session_insert(0, csrf, token) < 0)
		return -1;
	set_cookie(out, SESSION_COOKIE, token);
	return 0;
}

static bool
is_safe_method(const char *method)
{
	return strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
}

static void
resp_bad_csrf(struct resp *out)
{
	/* ApplicationController#handle_unverified_request: plain text */
	resp_text(out, 403, "[\"BAD CSRF\"]");
}

/* A request with our cookies is the browser's: logged in when its session
 * is, and any write must carry the session's CSRF token (Rails'
 * protect_from_forgery; API keys are exempt, and come first). */
int
auth_session_cookie(struct req *r, struct resp *out)
{
	struct session s;
	const char *token;
	bool has_cookie;

	has_cookie = r->cookie && (strstr(r->cookie, AUTH_COOKIE "=") ||
	                           strstr(r->cookie, SESSION_COOKIE "="));
	if (!has_cookie)
		return 0;
	if (!request_session(r, &s)) {
		if (is_safe_method(r->method))
			return 0; /* a stale cookie reads as anonymous */
		resp_bad_csrf(out);
		return -1;
	}
	token = r->header_csrf_token ? r->header_csrf_token
	                             : req_param(r, "authenticity_token");
	if (!is_safe_method(r->method) &&
	    (!token || strlen(token) != SHA256_HEX_LEN ||
	     CRYPTO_memcmp(token, s.csrf, SHA256_HEX_LEN) != 0)) {
		resp_bad_csrf(out);
		return -1;
	}
	if (s.user_id == 0)
		return 1; /* anonymous, but the CSRF check was ours */
	return user_ref_load(s.user_id, &r->user) ? 1 : 0;
}

/* ---- Handlers ---- */

/* GET /session/csrf.json */
static void
session_csrf_json(struct req *r, struct resp *out)
{
	char csrf[SHA256_HEX_LEN + 1];

	if (session_start_anonymous(r, out, csrf) < 0) {
		resp_error(out, 500, "server_error", "no session");
		return;
	}
	resp_json(out, 200, json_pack("{s:s}", "csrf", csrf));
}

static json_t *
user_json(int64_t user_id)
{
	sqlite3_stmt *st = db_stmt(
	    ambtd->db,
	    "SELECT id, username, name, trust_level, admin, moderator, "
	    "(SELECT COUNT(*) FROM notifications n WHERE n.user_id = u.id "
	    "AND n.read = 0), EXISTS (SELECT 1 FROM user_second_factors f "
	    "WHERE f.user_id = u.id) FROM users u "
	    "WHERE id = ?");
	char *avatar;
	json_t *j;

	if (!st)
		return NULL;
	sqlite3_bind_int64(st, 1, user_id);
	if (sqlite3_step(st) != SQLITE_ROW)
		return NULL;
	avatar = avatar_template((const char *)sqlite3_column_text(st, 1));
	j = json_pack(
	    "{s:I, s:s, s:o, s:s?, s:i, s:b, s:b, s:I, s:b, s:b}", "id",
	    (json_int_t)sqlite3_column_int64(st, 0), "username",
	    (const char *)sqlite3_column_text(st, 1), "name",
	    json_col_text(st, 2), "avatar_template", avatar, "trust_level",
	    sqlite3_column_int(st, 3), "admin", sqlite3_column_int(st, 4),
	    "moderator", sqlite3_column_int(st, 5), "unread_notifications",
	    (json_int_t)sqlite3_column_int64(st, 6), "second_factor_enabled",
	    sqlite3_column_int(st, 7), "can_create_topic", 1);
	free(avatar);
	return j;
}

/* GET /session/current.json: 404 with an empty body when anonymous. */
static void
session_current(struct req *r, struct resp *out)
{
	json_t *u = r->user.id ? user_json(r->user.id) : NULL;

	if (!u) {
		resp_text(out, 404, "");
		return;
	}
	resp_json(out, 200, json_pack("{s:o}", "current_user", u));
}

struct login_check {
	int64_t user_id;
	const char *error;  /* NULL: logged in */
	bool second_factor; /* the error is the second factor's */
};

static void
check_login(const struct req *r, struct login_check *c)
{
	sqlite3_stmt *st = db_stmt(
	    ambtd->db, "SELECT u.id, u.password_hash, f.data FROM users u "
	               "LEFT JOIN user_second_factors f ON f.user_id = u.id "
	               "AND f.method = 1 WHERE u.username = ?");
	const char *login = req_param(r, "login");
	const char *password = req_param(r, "password");
	const char *totp;

	memset(c, 0, sizeof *c);
	c->error = incorrect_login;
	if (!st || !login || !password)
		return;
	sqlite3_bind_text(st, 1, login, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(st) != SQLITE_ROW ||
	    !password_verify(password,
	                     (const char *)sqlite3_column_text(st, 1)))
		return;
	totp = (const char *)sqlite3_column_text(st, 2);
	if (totp &&
	    !totp_verify(totp, req_param(r, "second_factor_token"), db_now())) {
		c->error = invalid_second_factor;
		c->second_factor = true;
		return;
	}
	c->user_id = sqlite3_column_int64(st, 0);
	c->error = NULL;
}

/* Log the browser in: a new session row for the user (a fresh token, as
 * Discourse rotates on login), keeping the CSRF token. */
static int
start_user_session(struct req *r, struct resp *out, int64_t user_id)
{
	char csrf[SHA256_HEX_LEN + 1], token[2 * TOKEN_BYTES + 1];

	session_csrf(r, csrf);
	if (!csrf[0] && random_hex(csrf, TOKEN_BYTES) < 0)
		return -1;
	if (session_insert(user_id, csrf, token) < 0)
		return -1;
	set_cookie(out, AUTH_COOKIE, token);
	return 0;
}

static json_t *
second_factor_failure(const char *error)
{
	return json_pack("{s:s, s:b, s:s, s:s, s:b, s:b, s:b, s:b, s:[i]}",
	                 "failed", "FAILED", "ok", 0, "error", error, "reason",
	                 "invalid_second_factor", "totp_enabled", 1,
	                 "backup_enabled", 0, "security_key_enabled", 0,
	                 "multiple_second_factor_methods", 0, "allowed_methods",
	                 1);
}

/* A browser needs a session (from /session/csrf.json or a form page)
 * before it logs in: the CSRF check ran on it. */
static bool
has_session(const struct req *r)
{
	struct session s;

	return request_session(r, &s);
}

/* POST /session.json: failures are 200 with "error", as Discourse. */
static void
session_create(struct req *r, struct resp *out)
{
	struct login_check c;
	json_t *user;

	if (!has_session(r)) {
		resp_bad_csrf(out);
		return;
	}
	check_login(r, &c);
	if (c.error) {
		resp_json(out, 200,
		          c.second_factor
		              ? second_factor_failure(c.error)
		              : json_pack("{s:s}", "error", c.error));
		return;
	}
	user = user_json(c.user_id);
	if (!user || start_user_session(r, out, c.user_id) < 0) {
		json_decref(user);
		resp_error(out, 500, "server_error", "no session");
		return;
	}
	resp_json(out, 200,
	          json_pack("{s:[], s:o}", "user_badges", "user", user));
}

/* Only local paths: the form must not send a browser elsewhere. */
static const char *
local_redirect(const struct req *r)
{
	const char *to = req_param(r, "redirect");

	return to && to[0] == '/' && to[1] != '/' && !strchr(to, '\\') ? to
	                                                               : "/";
}

/* POST /session: the HTML login form's target; back to redirect. */
static void
session_create_form(struct req *r, struct resp *out)
{
	struct login_check c;

	if (!has_session(r)) {
		resp_bad_csrf(out);
		return;
	}
	check_login(r, &c);
	if (c.error) {
		resp_login_form(r, out, local_redirect(r), c.error);
		return;
	}
	if (start_user_session(r, out, c.user_id) < 0) {
		resp_error(out, 500, "server_error", "no session");
		return;
	}
	out->location = strdup(local_redirect(r));
	resp_text(out, 302, "");
}

void
resp_login_form(struct req *r, struct resp *out, const char *redirect,
                const char *error)
{
	char csrf[SHA256_HEX_LEN + 1], *to = html_escape(redirect);
	char *body = NULL;

	if (!to || session_start_anonymous(r, out, csrf) < 0 ||
	    asprintf(&body,
	             "%s%s%s<form method=\"post\" action=\"/session\">\n"
	             "<input type=\"hidden\" name=\"authenticity_token\" "
	             "value=\"%s\">\n<input type=\"hidden\" name=\"redirect\" "
	             "value=\"%s\">\n<p><label>Username <input name=\"login\" "
	             "autocomplete=\"username\"></label></p>\n"
	             "<p><label>Password <input type=\"password\" "
	             "name=\"password\" autocomplete=\"current-password\">"
	             "</label></p>\n<p><label>Authentication code (if you use "
	             "one) <input name=\"second_factor_token\" "
	             "autocomplete=\"one-time-code\"></label></p>\n"
	             "<input type=\"hidden\" name=\"second_factor_method\" "
	             "value=\"1\">\n<p><button type=\"submit\">Log in</button>"
	             "</p>\n</form>",
	             error ? "<p class=\"error\">" : "", error ? error : "",
	             error ? "</p>\n" : "", csrf, to) < 0) {
		free(to);
		resp_error(out, 500, "server_error", "no login form");
		return;
	}
	resp_html(out, 200, "Log in", body);
	free(body);
	free(to);
}

/* DELETE /session/{username}.json: ends this browser's session. */
static void
session_destroy(struct req *r, struct resp *out)
{
	char token[128], hash[SHA256_HEX_LEN + 1];
	sqlite3_stmt *st =
	    db_stmt(ambtd->db, "DELETE FROM sessions WHERE token_hash = ?");

	if (strcasecmp(r->args[0], r->user.username) != 0 ||
	    !cookie_value(r->cookie, AUTH_COOKIE, token, sizeof token)) {
		resp_invalid_access(out);
		return;
	}
	sha256_hex(token, hash);
	if (!st) {
		resp_error(out, 500, "server_error", "database");
		return;
	}
	sqlite3_bind_text(st, 1, hash, -1, SQLITE_TRANSIENT);
	sqlite3_step(st);
	set_cookie(out, AUTH_COOKIE, "");
	resp_json(
	    out, 200,
	    json_pack("{s:s, s:s}", "success", "OK", "redirect_url", "/"));
}

const struct route routes_session[] = {
    {"GET", "/session/csrf.json", session_csrf_json, false},
    {"GET", "/session/csrf", session_csrf_json, false},
    {"GET", "/session/current.json", session_current, false},
    {"POST", "/session.json", session_create, false},
    {"POST", "/session", session_create_form, false},
    {"DELETE", "/session/{username}.json", session_destroy, true},
    {NULL, NULL, NULL, false},
};
