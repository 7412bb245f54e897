"""login.py: ambt login and ambt logout against ambtd.

Session login with the seed's password (src/ambtd/seed.c: every demo
member has "ambtenaar2026"; koen also has a TOTP second factor), then
ambt notifications without an API key; a wrong password; the second
factor; two servers each with their own login; logout, after which the
old session cookie gets 403; the User API key browser flow (the test
approves the key through ambtd's HTML form as a logged-in member, and
pastes the payload back) and the device flow (the test enters the code on
ambtd's activation form), after whose logouts the old key gets 403; and a
credentials file others can read.
"""
import base64
import hashlib
import hmac
import html
import http.cookiejar
import http.server
import json
import os
import re
import shutil
import stat
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.join(os.environ["top_srcdir"], "tests"))
from tap import Ambtd, Tap, program  # noqa: E402

PASSWORD = "ambtenaar2026"
TOTP_USER, TOTP_SECRET = "koen", "KOENAMBTENAAR234"
t = Tap()
TMP = tempfile.mkdtemp(prefix="ambt-login-test-")
HOME = os.path.join(TMP, "home")
os.makedirs(HOME)
CREDS = os.path.join(HOME, "config", "ambt", "credentials")


def totp(secret, now=None):
    """RFC 6238: HMAC-SHA1 over the 30-second step, 6 digits."""
    key = base64.b32decode(secret)
    step = int((now or time.time()) // 30)
    mac = hmac.new(key, struct.pack(">Q", step), hashlib.sha1).digest()
    off = mac[-1] & 0x0F
    code = (struct.unpack(">I", mac[off:off + 4])[0] & 0x7FFFFFFF) % 1000000
    return f"{code:06d}"


def env_for(server):
    env = {k: v for k, v in os.environ.items() if not k.startswith("AMBT_")}
    env.update(HOME=HOME, XDG_CONFIG_HOME=os.path.join(HOME, "config"),
               XDG_CACHE_HOME=os.path.join(HOME, "cache"),
               XDG_STATE_HOME=os.path.join(HOME, "state"),
               LANG="C.UTF-8", LC_ALL="C.UTF-8", AMBT_SERVER=server,
               AMBT_HTTP_RETRY_BASE_MS="10")
    return env


def ambt(server, *args, stdin=""):
    p = subprocess.run([program("ambt"), *args], input=stdin, env=env_for(server),
                       capture_output=True, text=True, timeout=60)
    return p.returncode, p.stdout, p.stderr


def creds_text():
    try:
        with open(CREDS, encoding="utf-8") as f:
            return f.read()
    except FileNotFoundError:
        return ""


def entry(server):
    """The lines of server's entry in the credentials file, as a dict."""
    fields, cur = {}, None
    for line in creds_text().splitlines():
        name, _, value = line.partition(" ")
        if name == "server":
            cur = value
        elif cur == server:
            fields[name] = value
    return fields


def jar_cookies(path):
    """name -> value from a curl (Netscape) cookie jar."""
    cookies = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#HttpOnly_"):
                line = line[len("#HttpOnly_"):]
            elif line.startswith("#") or not line.strip():
                continue
            parts = line.rstrip("\n").split("\t")
            if len(parts) == 7:
                cookies[parts[5]] = parts[6]
    return cookies


def get_status(url, headers):
    req = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def not_logged_in(url):
    rc, out, err = ambt(url, "notifications")
    t.eq(rc, 1, "before login: ambt notifications fails")
    t.ok(err.count("\n") == 1, "before login: one line", err)


def wrong_password(url):
    rc, out, err = ambt(url, "login", "--username", "annelies", stdin="wrong\n")
    t.eq(rc, 1, "wrong password: exit 1")
    t.ok(err.count("\n") == 1 and "Incorrect username, email or password" in err,
         "wrong password: one clear line", err)
    t.eq(entry(url), {}, "wrong password: nothing kept in the credentials")
    state = os.path.join(HOME, "state", "ambt")
    jars = [n for n in os.listdir(state)] if os.path.isdir(state) else []
    t.eq([n for n in jars if n.startswith("cookies-")], [],
         "wrong password: no cookie jar left")


def password_login(url):
    rc, out, err = ambt(url, "login", "--username", "annelies", stdin=PASSWORD + "\n")
    t.eq(rc, 0, "password login: exit 0")
    t.ok("as annelies" in out, "password login: says who", out + err)
    t.eq(mode(CREDS), 0o600, "credentials file is mode 0600")
    e = entry(url)
    t.eq(e.get("username"), "annelies", "credentials: the username kept")
    t.ok(e.get("cookie_file", "").startswith(os.path.join(HOME, "state", "ambt", "cookies-")),
         "credentials: the cookie jar kept", e)
    t.ok(PASSWORD not in creds_text() and "password" not in creds_text(),
         "credentials: no password written", creds_text())
    t.eq(mode(e["cookie_file"]), 0o600, "cookie jar is mode 0600")
    t.ok("_t" in jar_cookies(e["cookie_file"]), "cookie jar holds the session (_t)")
    rc, out, err = ambt(url, "notifications")
    t.ok(rc == 0, "logged in: ambt notifications works without AMBT_API_KEY", err)
    rc, out, err = ambt(url, "notifications", "--json")
    t.ok(rc == 0 and out.lstrip().startswith(("[", "{")),
         "logged in: ambt notifications --json", err)
    # Writing over the cookie needs Discourse's CSRF token.
    rc, out, err = ambt(url, "reply", "1", "-m",
                        "Een antwoord over de sessie, met het CSRF-token erbij.")
    t.ok(rc == 0, "logged in: ambt reply works over the session (CSRF token sent)",
         out + err)


def login_again(url):
    """A new login ends the one before it: its session cookie gets 403."""
    old_jar = entry(url)["cookie_file"]
    cookie = "; ".join(f"{k}={v}" for k, v in jar_cookies(old_jar).items())
    t.eq(get_status(url + "/notifications.json", {"Cookie": cookie}), 200,
         "login again: the first session works before")
    rc, out, err = ambt(url, "login", "--username", "annelies", stdin=PASSWORD + "\n")
    t.eq(rc, 0, "login again: exit 0")
    new_jar = entry(url).get("cookie_file", "")
    t.ok(new_jar != old_jar and os.path.exists(new_jar),
         "login again: the new session has its own jar", new_jar)
    t.ok(not os.path.exists(old_jar), "login again: the old jar is deleted")
    t.eq(get_status(url + "/notifications.json", {"Cookie": cookie}), 403,
         "login again: the first session cookie gets 403")
    rc, out, err = ambt(url, "notifications")
    t.ok(rc == 0, "login again: the new session works", err)


class CsrfServer:
    """A Discourse stand-in whose session's CSRF token changes: the first
    token it gives is refused with 403 ["BAD CSRF"], the second taken. It
    answers a like with a post from the published examples."""

    def __init__(self):
        path = os.path.join(os.environ["AMBT_SHARED"], "discourse", "examples",
                            "api_GET_posts_id.example-2016.json")
        with open(path, "rb") as f:
            post = f.read()
        self.fetches, self.tokens_sent = 0, []
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def answer(self, status, body):
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                if self.path != "/session/csrf.json":
                    return self.answer(404, b"[]")
                server.fetches += 1
                token = f"token-{server.fetches}"
                self.answer(200, json.dumps({"csrf": token}).encode())

            def do_POST(self):
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                token = self.headers.get("X-CSRF-Token")
                server.tokens_sent.append(token)
                if token != "token-2":
                    return self.answer(403, b'["BAD CSRF"]')
                self.answer(200, post)

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def bad_csrf():
    """A write over a session fetches the token first, and a BAD CSRF
    fetches a new one and sends once more."""
    fake = CsrfServer()
    jar = os.path.join(TMP, "fake-jar.txt")
    try:
        with open(jar, "w", encoding="utf-8") as f:
            f.write("# Netscape HTTP Cookie File\n")
        saved = creds_text()
        with open(CREDS, "a", encoding="utf-8") as f:
            f.write(f"server {fake.url}\nusername demo\ncookie_file {jar}\n")
        rc, out, err = ambt(fake.url, "like", "8")
        t.ok(rc == 0, "BAD CSRF: the like goes through with the new token", err)
        t.eq(fake.tokens_sent, ["token-1", "token-2"],
             "BAD CSRF: sent with the first token, then once with the second")
        t.eq(fake.fetches, 2, "BAD CSRF: the token was fetched twice")
        with open(CREDS, "w", encoding="utf-8") as f:
            f.write(saved)
    finally:
        fake.close()


def second_factor(url):
    rc, out, err = ambt(url, "login", "--username", TOTP_USER,
                        stdin=PASSWORD + "\n")
    t.eq(rc, 1, "2FA: no code given: exit 1")
    t.ok("second-factor" in err and err.count("\n") == 1, "2FA: says a code is needed", err)
    bad = "%06d" % ((int(totp(TOTP_SECRET)) + 500000) % 1000000)
    rc, out, err = ambt(url, "login", "--username", TOTP_USER,
                        stdin=f"{PASSWORD}\n{bad}\n")
    t.eq(rc, 1, "2FA: a wrong code: exit 1")
    t.eq(entry(url).get("username"), "annelies", "2FA: a failed login keeps the old entry")
    rc, out, err = ambt(url, "login", "--username", TOTP_USER,
                        stdin=f"{PASSWORD}\n{totp(TOTP_SECRET)}\n")
    t.ok(rc == 0, "2FA: the right code: exit 0", err)
    t.eq(entry(url).get("username"), TOTP_USER, "2FA: koen's session replaces the entry")
    rc, out, err = ambt(url, "notifications")
    t.ok(rc == 0, "2FA: ambt notifications as koen", err)


def two_servers(url, url2):
    rc, out, err = ambt(url2, "login", "--username", "els", stdin=PASSWORD + "\n")
    t.ok(rc == 0, "second server: login as els", err)
    t.eq(entry(url2).get("username"), "els", "second server: its own entry")
    t.eq(entry(url).get("username"), TOTP_USER, "second server: the first entry stays")
    t.ok(entry(url)["cookie_file"] != entry(url2)["cookie_file"],
         "second server: its own cookie jar")


def logout(url, url2):
    jar = entry(url)["cookie_file"]
    cookies = jar_cookies(jar)
    header = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}
    t.eq(get_status(url + "/notifications.json", header), 200,
         "before logout: the session cookie works")
    rc, out, err = ambt(url, "logout")
    t.ok(rc == 0, "logout: exit 0", err)
    t.eq(get_status(url + "/notifications.json", header), 403,
         "after logout: the old session cookie gets 403")
    t.eq(entry(url), {}, "after logout: the credentials entry is gone")
    t.ok(not os.path.exists(jar), "after logout: the cookie jar is deleted")
    t.eq(entry(url2).get("username"), "els", "after logout: the other server's entry stays")
    rc, out, err = ambt(url, "notifications")
    t.eq(rc, 1, "after logout: ambt notifications fails again")
    rc, out, err = ambt(url, "logout")
    t.ok(rc == 1 and "not logged in" in err, "logout twice: says not logged in", err)


def readable_file(url, url2):
    os.chmod(CREDS, 0o644)
    rc, out, err = ambt(url2, "notifications")
    t.eq(rc, 1, "mode 0644: the login is not used")
    t.ok("chmod 600 ~/config/ambt/credentials" in err, "mode 0644: says how to fix it", err)
    rc, out, err = ambt(url, "login", "--username", "annelies", stdin=PASSWORD + "\n")
    t.eq(rc, 1, "mode 0644: ambt login refuses")
    t.ok("chmod 600" in err and err.count("\n") == 1, "mode 0644: login's one line", err)
    t.eq(mode(CREDS), 0o644, "mode 0644: the file is left for the user to fix")
    os.chmod(CREDS, 0o600)
    rc, out, err = ambt(url2, "notifications")
    t.ok(rc == 0, "mode 0600 again: the login works", err)


class Browser:
    """A member logged in to ambtd the way a browser is: cookies, CSRF."""

    def __init__(self, url, username):
        self.url = url
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        csrf = json.loads(self.open("/session/csrf.json").read())["csrf"]
        body = urllib.parse.urlencode({"login": username, "password": PASSWORD})
        answer = json.loads(self.open("/session.json", body, {"X-CSRF-Token": csrf}).read())
        if answer.get("user", {}).get("username") != username:
            raise RuntimeError(f"browser login failed: {answer}")

    def open(self, path, data=None, headers=None):
        url = path if path.startswith("http") else self.url + path
        req = urllib.request.Request(url, data=data.encode() if data else None,
                                     headers=headers or {})
        return self.opener.open(req, timeout=10)

    def approve(self, url):
        """Open the approval page, submit its form, return the payload."""
        page = self.open(url).read().decode()
        form = re.search(r'<form method="post" action="([^"]+)">(.*?)</form>', page, re.S)
        if not form:
            raise RuntimeError(f"no approval form: {page[:500]}")
        fields = {html.unescape(n): html.unescape(v) for n, v in
                  re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form.group(2))}
        done = self.open(form.group(1), urllib.parse.urlencode(fields)).read().decode()
        payload = re.search(r'<pre id="payload">(.*?)</pre>', done, re.S)
        if not payload:
            raise RuntimeError(f"no payload: {done[:500]}")
        return html.unescape(payload.group(1))


    def activate(self, code):
        """Enter the device code on /user-api-key/activate and approve."""
        page = self.open("/user-api-key/activate").read().decode()
        token = re.search(r'name="authenticity_token" value="([^"]*)"', page)
        if not token:
            raise RuntimeError(f"no activation form: {page[:500]}")
        body = urllib.parse.urlencode({"authenticity_token": html.unescape(token.group(1)),
                                       "user_code": code, "decision": "approve"})
        return self.open("/user-api-key/activate", body).status


def device_flow(url):
    member = Browser(url, "sanne")
    p = subprocess.Popen([program("ambt"), "login", "--device"], env=env_for(url),
                         stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
    code, shown = None, ""
    try:
        for line in p.stdout:
            shown += line
            m = re.fullmatch(r"\s+([A-Z2-9]{4}-[A-Z2-9]{4})\s*", line)
            if m:
                code = m.group(1)
                break
        t.ok(code is not None and url + "/user-api-key/activate" in shown,
             "device flow: prints the code and the address", shown)
        t.eq(member.activate(code) if code else None, 200,
             "device flow: the member approves the code in a browser")
        out, err = p.communicate(timeout=60)
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
    t.ok(p.returncode == 0 and "as sanne" in out, "device flow: logged in as sanne", out + err)
    e = entry(url)
    t.ok(e.get("username") == "sanne" and len(e.get("client_id", "")) == 32
         and e.get("user_api_key"), "device flow: the key kept", e)
    rc, out, err = ambt(url, "notifications")
    t.ok(rc == 0, "device flow: ambt notifications with the key", err)
    key = {"User-Api-Key": e.get("user_api_key", ""), "User-Api-Client-Id": e.get("client_id", "")}
    rc, out, err = ambt(url, "logout")
    t.ok(rc == 0, "device flow: logout", err)
    t.eq(get_status(url + "/notifications.json", key), 403,
         "device flow: after logout the old key gets 403")


def browser_login(url, paste):
    """ambt login --browser; paste(url_shown) gives the text to paste."""
    p = subprocess.Popen([program("ambt"), "login", "--browser"], env=env_for(url),
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
    shown = None
    try:
        for line in p.stdout:
            if line.startswith(url + "/user-api-key/new?"):
                shown = line.strip()
                break
        text = paste(shown) if shown else ""
        out, err = p.communicate(text + "\n\n", timeout=60)
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
    return p.returncode, shown, out, err


def browser_flow(url):
    rc, shown, out, err = browser_login(url, lambda u: "aGVsbG8gd29ybGQ=")
    t.eq(rc, 1, "browser flow: a payload not for this login: exit 1")
    t.ok("not the answer" in err and err.count("\n") == 1, "browser flow: one clear line", err)
    t.eq(entry(url), {}, "browser flow: nothing kept after a bad payload")
    q = urllib.parse.parse_qs(urllib.parse.urlparse(shown or "").query)
    t.eq(q.get("scopes"), ["read,write"], "browser flow: asks for read,write")
    t.eq(q.get("padding"), ["oaep"], "browser flow: asks for OAEP")
    t.ok(q.get("public_key", [""])[0].startswith("-----BEGIN PUBLIC KEY-----"),
         "browser flow: sends its public key", shown)
    member = Browser(url, "marieke")
    rc, shown, out, err = browser_login(url, member.approve)
    t.ok(rc == 0, "browser flow: login with the pasted payload", err)
    t.ok("as marieke" in out, "browser flow: says who", out)
    e = entry(url)
    t.ok(len(e.get("user_api_key", "")) >= 32 and len(e.get("client_id", "")) == 32,
         "browser flow: the key and client id kept", e)
    t.eq(e.get("username"), "marieke", "browser flow: the key's username kept")
    t.eq(mode(CREDS), 0o600, "browser flow: credentials still mode 0600")
    rc, out, err = ambt(url, "notifications")
    t.ok(rc == 0, "browser flow: ambt notifications with the key", err)
    key = {"User-Api-Key": e["user_api_key"], "User-Api-Client-Id": e["client_id"]}
    t.eq(get_status(url + "/notifications.json", key), 200, "browser flow: the key works")
    rc, out, err = ambt(url, "logout")
    t.ok(rc == 0, "browser flow: logout", err)
    t.eq(get_status(url + "/notifications.json", key), 403,
         "browser flow: after logout the old key gets 403")
    t.eq(entry(url), {}, "browser flow: after logout the entry is gone")


def main():
    with Ambtd() as srv, Ambtd() as srv2:
        t.run("not logged in", not_logged_in, srv.url)
        t.run("wrong password", wrong_password, srv.url)
        t.run("password login", password_login, srv.url)
        t.run("login again", login_again, srv.url)
        t.run("bad csrf", bad_csrf)
        t.run("second factor", second_factor, srv.url)
        t.run("two servers", two_servers, srv.url, srv2.url)
        t.run("logout", logout, srv.url, srv2.url)
        t.run("browser flow", browser_flow, srv.url)
        t.run("device flow", device_flow, srv.url)
        t.run("readable file", readable_file, srv.url, srv2.url)
    shutil.rmtree(TMP, ignore_errors=True)
    t.done()


main()
