#!/usr/bin/env python3
"""ambtd_accounts.py: logging in to ambtd, as a Discourse client does.

Session login (CSRF token, cookies, a TOTP second factor, logout) and User
API keys (the browser flow through its HTML pages, the device flow, scopes,
the per-key limits, revoking). The client's RSA key is made with openssl,
which also decrypts the payloads. Every demo member's password is
"ambtenaar2026"; koen has the TOTP secret KOENAMBTENAAR234 (seed.c).
"""
import base64
import hashlib
import hmac
import html
import http.client
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import urllib.parse

sys.path.insert(0, os.path.join(os.environ.get("top_srcdir", "."), "tests"))
from tap import Ambtd, Tap  # noqa: E402

t = Tap()
PASSWORD = "ambtenaar2026"
TOTP_SECRET = "KOENAMBTENAAR234"


class Browser:
    """Requests with a cookie jar of its own; redirects are not followed."""

    def __init__(self, url):
        parts = urllib.parse.urlsplit(url)
        self.host, self.port = parts.hostname, parts.port
        self.cookies = {}

    def request(self, method, path, form=None, body=None, headers=None):
        """(status, headers, text) of one request."""
        hdrs = dict(headers or {})
        data = None
        if form is not None:
            data = urllib.parse.urlencode(form)
            hdrs["Content-Type"] = "application/x-www-form-urlencoded"
        elif body is not None:
            data = json.dumps(body)
            hdrs["Content-Type"] = "application/json"
        if self.cookies:
            hdrs["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
        try:
            conn.request(method, path, body=data, headers=hdrs)
            r = conn.getresponse()
            text = r.read().decode()
            for name, value in r.getheaders():
                if name.lower() == "set-cookie":
                    k, v = value.split(";", 1)[0].split("=", 1)
                    if v and "Max-Age=0" not in value:
                        self.cookies[k] = v
                    else:
                        self.cookies.pop(k, None)
            return r.status, dict(r.getheaders()), text
        finally:
            conn.close()

    def json(self, method, path, **kw):
        status, headers, text = self.request(method, path, **kw)
        return status, (json.loads(text) if text and text[0] in "{[" else text)

    def csrf(self):
        return self.json("GET", "/session/csrf.json")[1]["csrf"]

    def login(self, user, password=PASSWORD, **extra):
        token = self.csrf()
        form = {"login": user, "password": password, **extra}
        return self.json("POST", "/session.json", form=form,
                         headers={"X-CSRF-Token": token,
                                  "X-Requested-With": "XMLHttpRequest"})


def totp(secret, at=None):
    """RFC 6238: HMAC-SHA1, 30 s steps, 6 digits."""
    key = base64.b32decode(secret)
    counter = int((time.time() if at is None else at) // 30)
    mac = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    off = mac[-1] & 15
    return "%06d" % ((struct.unpack(">I", mac[off:off + 4])[0] & 0x7FFFFFFF) % 1000000)


def session_tests(srv):
    b = Browser(srv.url)
    status, _, text = b.request("GET", "/session/current.json")
    t.eq((status, text), (404, ""), "anonymous: /session/current.json is an empty 404")

    status, j = b.login("demo", "wrong password")
    t.eq((status, j), (200, {"error": "Incorrect username, email or password"}),
         "a wrong password is HTTP 200 with Discourse's error")
    t.ok("_t" not in b.cookies, "a wrong password sets no _t cookie")
    t.eq(b.request("GET", "/session/current.json")[0], 404,
         "a wrong password logs no one in")

    status, j = b.login("demo")
    t.eq((status, j.get("user", {}).get("username")), (200, "demo"),
         "the right password: 200 with the user")
    t.ok("_t" in b.cookies, "login sets the _t cookie")
    status, j = b.json("GET", "/session/current.json")
    t.eq((status, j["current_user"]["username"]), (200, "demo"),
         "/session/current.json shows the logged-in member")

    token = b.csrf()
    form = {"raw": "Een antwoord, geschreven na het inloggen met een wachtwoord.",
            "topic_id": "1"}
    status, j = b.json("POST", "/posts.json", form=form, headers={"X-CSRF-Token": token})
    t.eq((status, j.get("username")), (200, "demo"), "a POST with the cookie and CSRF token posts")
    status, _, text = b.request("POST", "/posts.json", form=form)
    t.eq((status, text), (403, '["BAD CSRF"]'), "a POST without the CSRF token: 403 BAD CSRF")
    status, _, text = b.request("POST", "/posts.json", form=form,
                                headers={"X-CSRF-Token": "0" * 64})
    t.eq((status, text), (403, '["BAD CSRF"]'), "a wrong CSRF token: 403 BAD CSRF")

    status, _ = b.json("DELETE", "/session/demo.json", headers={"X-CSRF-Token": token})
    t.eq(status, 200, "DELETE /session/demo.json logs out")
    t.eq(b.request("GET", "/session/current.json")[0], 404,
         "after logout /session/current.json is 404")

    k = Browser(srv.url)
    status, j = k.login("koen")
    t.eq((status, j.get("reason"), "_t" in k.cookies), (200, "invalid_second_factor", False),
         "2FA member without a code: refused with reason invalid_second_factor")
    status, j = k.login("koen", second_factor_token="000000" if totp(TOTP_SECRET) != "000000" else "111111",
                        second_factor_method="1")
    t.eq((status, "error" in j), (200, True), "2FA member with a wrong code: refused")
    status, j = k.login("koen", second_factor_token=totp(TOTP_SECRET), second_factor_method="1")
    t.eq((status, j.get("user", {}).get("username")), (200, "koen"),
         "2FA member with the TOTP code: logged in")


class RsaKey:
    """An RSA key pair in a temporary directory, made with openssl."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="ambtd-rsa-")
        self.private = os.path.join(self.dir, "key.pem")
        subprocess.run(["openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt",
                        "rsa_keygen_bits:2048", "-out", self.private],
                       check=True, capture_output=True)
        self.public = subprocess.run(["openssl", "pkey", "-in", self.private, "-pubout"],
                                     check=True, capture_output=True, text=True).stdout

    def decrypt(self, payload, padding="oaep"):
        data = base64.b64decode("".join(payload.split()))
        out = subprocess.run(["openssl", "pkeyutl", "-decrypt", "-inkey", self.private,
                              "-pkeyopt", f"rsa_padding_mode:{padding}"],
                             input=data, check=True, capture_output=True).stdout
        return json.loads(out)

    def cleanup(self):
        shutil.rmtree(self.dir, ignore_errors=True)


def with_key(srv, key, method, path, client_id="ambt-test", **kw):
    b = Browser(srv.url)
    headers = {"User-Api-Key": key, "User-Api-Client-Id": client_id}
    return b.request(method, path, headers=headers, **kw)


def browser_flow(srv, rsa, scopes, client_id, padding="oaep"):
    """Approve a key as els through the HTML pages; the decrypted payload."""
    b = Browser(srv.url)
    query = urllib.parse.urlencode({
        "application_name": "ambt test", "client_id": client_id, "scopes": scopes,
        "public_key": rsa.public, "nonce": "nonce-" + client_id, "padding": padding})
    new = "/user-api-key/new?" + query
    status, headers, page = b.request("GET", new)
    t.ok(status == 200 and 'action="/session"' in page,
         f"/user-api-key/new anonymous shows the login form ({client_id})")
    form = dict(re.findall(r'name="([^"]+)"\s+value="([^"]*)"', page))
    form = {k: html.unescape(v) for k, v in form.items()}
    form.update({"login": "els", "password": PASSWORD})
    status, headers, _ = b.request("POST", "/session", form=form)
    back = urllib.parse.urlsplit(headers.get("Location", ""))
    t.eq((status, back.path, urllib.parse.parse_qs(back.query)),
         (302, "/user-api-key/new", urllib.parse.parse_qs(query)),
         "the login form sends the browser back")
    status, _, page = b.request("GET", new)
    t.ok(status == 200 and 'action="/user-api-key"' in page and "ambt test" in page,
         "logged in, /user-api-key/new shows the approval form")
    fields = {k: html.unescape(v)
              for k, v in re.findall(r'name="([^"]+)"\s+value="([^"]*)"', page, re.S)}
    status, _, page = b.request("POST", "/user-api-key", form=fields)
    m = re.search(r'<pre id="payload">([^<]+)</pre>', page)
    t.ok(status == 200 and m, "approving shows the payload")
    payload = rsa.decrypt(m.group(1), padding)
    t.eq((payload["nonce"], payload["api"], len(payload["key"])),
         ("nonce-" + client_id, 4, 32), "the payload decrypts to the key and our nonce")
    return payload["key"]


def key_tests(srv):
    rsa = RsaKey()
    try:
        key = browser_flow(srv, rsa, "read,write", "ambt-rw")
        status, headers, text = with_key(srv, key, "GET", "/session/current.json")
        t.eq((status, json.loads(text)["current_user"]["username"]), (200, "els"),
             "the key reads as its member")
        status, _, text = with_key(srv, key, "POST", "/posts.json", form={
            "raw": "Geplaatst met een User API key, lang genoeg.", "topic_id": "1"})
        t.eq(status, 200, "a read,write key posts without a CSRF token")

        ro = browser_flow(srv, rsa, "read", "ambt-ro", padding="pkcs1")
        t.eq(with_key(srv, ro, "GET", "/latest.json")[0], 200, "a read-only key reads")
        status, _, text = with_key(srv, ro, "POST", "/posts.json", form={
            "raw": "Dit mag niet met een sleutel die alleen mag lezen.", "topic_id": "1"})
        t.eq((status, json.loads(text).get("error_type")), (403, "invalid_access"),
             "a read-only key cannot POST (403 invalid_access)")

        # the GET above was the first; the refused POST does not count
        statuses = [with_key(srv, ro, "GET", "/site.json")[0] for _ in range(19)]
        t.ok(all(s == 200 for s in statuses), "20 requests in a minute are served")
        status, headers, text = with_key(srv, ro, "GET", "/site.json")
        t.eq((status, json.loads(text)["error_type"]), (429, "rate_limit"),
             "the 21st request in a minute: 429 rate_limit")
        t.ok(int(headers.get("Retry-After", "0")) > 0, "the 429 says Retry-After")

        status, _, text = with_key(srv, key, "POST", "/user-api-key/revoke")
        t.eq((status, json.loads(text)), (200, {"success": "OK"}), "a key revokes itself")
        status, _, text = with_key(srv, key, "GET", "/latest.json")
        t.eq((status, json.loads(text)["error_type"]), (403, "invalid_access"),
             "the revoked key gets 403")
        device_flow(srv, rsa)
    finally:
        rsa.cleanup()


def device_flow(srv, rsa):
    """Ask for a code, approve it as sanne in the browser pages, poll."""
    dev = Browser(srv.url)
    ask = {"application_name": "ambt device", "client_id": "ambt-device",
           "scopes": "read,write", "public_key": rsa.public, "nonce": "device-nonce",
           "padding": "oaep"}
    status, _, _ = dev.request("POST", "/user-api-key/device.json", form=ask)
    t.eq(status, 403, "device.json refuses a form body (JSON only, as Discourse)")
    status, j = dev.json("POST", "/user-api-key/device.json", body=ask)
    t.ok(status == 200 and len(j["device_code"]) == 64
         and re.fullmatch(r"[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}", j["user_code"])
         and j["verification_uri"].endswith("/user-api-key/activate")
         and j["interval"] > 0 and j["expires_in"] > 0,
         "device.json: device_code, user_code, verification_uri, interval, expires_in", j)
    poll = {"device_code": j["device_code"]}
    t.eq(dev.json("POST", "/user-api-key/device/poll.json", body=poll)[1],
         {"status": "authorization_pending"}, "before approval the poll is pending")

    b = Browser(srv.url)
    status, _, page = b.request("GET", "/user-api-key/activate")
    t.ok(status == 200 and 'action="/session"' in page,
         "/user-api-key/activate anonymous shows the login form")
    form = {k: html.unescape(v) for k, v in re.findall(r'name="([^"]+)"\s+value="([^"]*)"', page)}
    form.update({"login": "sanne", "password": PASSWORD})
    status, headers, _ = b.request("POST", "/session", form=form)
    t.eq((status, headers.get("Location")), (302, "/user-api-key/activate"),
         "and sends the browser back to it")
    status, _, page = b.request("GET", "/user-api-key/activate")
    t.ok(status == 200 and 'name="user_code"' in page, "logged in, it asks for the code")
    token = re.search(r'name="authenticity_token" value="([^"]+)"', page).group(1)
    status, _, page = b.request("POST", "/user-api-key/activate", form={
        "authenticity_token": token, "user_code": j["user_code"].lower().replace("-", " "),
        "decision": "approve"})
    t.eq(status, 200, "entering the code (any case, any separator) and approving")

    status, answer = dev.json("POST", "/user-api-key/device/poll.json", body=poll)
    t.eq(answer.get("status"), "authorized", "the poll after approval is authorized")
    payload = rsa.decrypt(answer["payload"])
    t.eq(payload["nonce"], "device-nonce", "its payload decrypts, with our nonce")
    t.eq(dev.json("POST", "/user-api-key/device/poll.json", body=poll)[1],
         {"status": "expired_token"}, "the payload is given once")
    status, _, text = with_key(srv, payload["key"], "GET", "/session/current.json",
                               client_id="ambt-device")
    t.eq((status, json.loads(text)["current_user"]["username"]), (200, "sanne"),
         "the device's key reads as the member who approved it")

    status, j = dev.json("POST", "/user-api-key/device.json", body=ask)
    token = re.search(r'name="authenticity_token" value="([^"]+)"',
                      b.request("GET", "/user-api-key/activate")[2]).group(1)
    b.request("POST", "/user-api-key/activate", form={
        "authenticity_token": token, "user_code": j["user_code"], "decision": "deny"})
    t.eq(dev.json("POST", "/user-api-key/device/poll.json",
                  body={"device_code": j["device_code"]})[1],
         {"status": "access_denied"}, "a denied code polls access_denied")


srv = Ambtd()
try:
    srv.start()
    t.run("session login", session_tests, srv)
    t.run("user api keys", key_tests, srv)
    t.eq(srv.stop(), 0, "ambtd stops with status 0")
    t.ok(not any(w in srv.log() for w in ("Sanitizer", "runtime error")),
         "no sanitizer report in ambtd's log", srv.log())
finally:
    srv.cleanup()
t.done()
