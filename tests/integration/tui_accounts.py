"""tui_accounts.py: logging in from the TUI (L) and writing over that
session, in tmux, against ambtd --seed demo. ambt starts with no login:
writing says to press L; a wrong password keeps nothing; the right one
(not shown while typed) is kept in the credentials file and the running
TUI writes with it at once: R posts a quoting reply over the cookie
session (so with Discourse's CSRF token) as that member, and E on someone
else's post is refused. A member with a second factor is asked for the
code, and that login replaces the one kept before."""
import base64
import hashlib
import hmac
import json
import os
import re
import sqlite3
import stat
import struct
import sys
import time
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.join(os.environ["top_srcdir"], "tests"))
from tap import Tap, Ambtd  # noqa: E402
from tuitest import AmbtTui  # noqa: E402

t = Tap()

STUDY_DAY = "Grimbergen op 25"
PASSWORD = "ambtenaar2026"  # every demo member's
MEMBER = "sanne"
TOTP_USER, TOTP_SECRET = "koen", "KOENAMBTENAAR234"
REPLY = "Een citerend antwoord, ingelogd vanuit de terminal."


def totp(secret):
    """RFC 6238: HMAC-SHA1 over the 30-second step, 6 digits."""
    key = base64.b32decode(secret)
    mac = hmac.new(key, struct.pack(">Q", int(time.time() // 30)),
                   hashlib.sha1).digest()
    off = mac[-1] & 0x0F
    code = (struct.unpack(">I", mac[off:off + 4])[0] & 0x7FFFFFFF) % 1000000
    return "%06d" % code


def get(srv, path, user="demo", form=None):
    data = urllib.parse.urlencode(form).encode() if form else None
    req = urllib.request.Request(srv.url + path, data=data, headers={
        "Api-Key": srv.admin_key, "Api-Username": user})
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read())


def browser_draft(srv, user, tid, text):
    """A reply begun in the browser: saved to /drafts.json as the web
    client does (the key's sequence first)."""
    key = "topic_%d" % tid
    seq = get(srv, "/drafts/%s.json" % key, user)["draft_sequence"]
    get(srv, "/drafts.json", user, {
        "draft_key": key, "sequence": seq,
        "data": json.dumps({"reply": text, "action": "reply"})})


def state_drafts(ui):
    db = os.path.join(ui.env["XDG_STATE_HOME"], "ambt", "state.sqlite3")
    con = sqlite3.connect(db, timeout=10)
    try:
        return dict(con.execute("SELECT key, text FROM drafts").fetchall())
    finally:
        con.close()


def topic_id(srv, title_part):
    latest = get(srv, "/latest.json")
    return next(tp["id"] for tp in latest["topic_list"]["topics"]
                if title_part in tp["title"])


def logged_out_ui(srv):
    """ambt with no key and no kept login; EDITOR writes REPLY."""
    ui = AmbtTui(srv)
    for k in ("AMBT_API_KEY", "AMBT_API_USERNAME", "VISUAL"):
        ui.env.pop(k, None)
    path = os.path.join(ui.tmp, "editor.sh")
    with open(path, "w", encoding="utf-8") as f:
        f.write("#!/bin/sh\n{ cat \"$1\"; echo '%s'; } > \"$1.new\" && "
                "mv \"$1.new\" \"$1\"\n" % REPLY)
    os.chmod(path, stat.S_IRWXU)
    ui.env["EDITOR"] = path
    return ui


def credentials(ui):
    path = os.path.join(ui.config_dir, "credentials")
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except FileNotFoundError:
        return ""


def open_topic(ui, title_part):
    ui.wait_for("Latest topics")
    ui.wait_for(title_part)
    ui.send_keys("g")
    time.sleep(0.2)
    rows = ui.lines()
    first = next(i for i, r in enumerate(rows) if r.startswith("Latest topics")) + 1
    target = next(i for i, r in enumerate(rows) if title_part in r)
    ui.send_keys(*(["j"] * (target - first) + ["Enter"]))
    ui.wait_for(title_part, where=lambda s: s.split("\n")[0])


def goto_post(ui, n):
    ui.send_keys("#")
    ui.wait_for("Go to post number:")
    ui.type(str(n))
    ui.send_keys("Enter")
    time.sleep(0.3)


def log_in(ui, login, password):
    ui.send_keys("L")
    ui.wait_for("Log in as")
    ui.type(login)
    ui.send_keys("Enter")
    ui.wait_for("Password:")
    ui.type(password)
    scr = ui.screen()
    t.ok(password not in scr, "the password is not shown while typed", scr)
    ui.send_keys("Enter")


def quit_clean(ui, what):
    ui.send_keys("Q")
    status = ui.exit_status()
    err = ui.stderr()
    t.ok(status == 0 and "Sanitizer" not in err and "runtime error" not in err,
         "%s: ambt quits cleanly, no sanitizer report" % what,
         "status %s\n%s" % (status, err))


def login_then_reply(srv):
    tid = topic_id(srv, STUDY_DAY)
    other = next(tp["id"] for tp in get(srv, "/latest.json")["topic_list"]["topics"]
                 if tp["id"] != tid)
    begun = "In de browser begonnen, nog niet verzonden."
    browser_draft(srv, MEMBER, other, begun)
    with logged_out_ui(srv) as ui:
        scr = ui.wait_for("not logged in", where=ui.status_line)
        open_topic(ui, STUDY_DAY)
        ui.send_keys("r")
        scr = ui.wait_for("Log in to write (press L)")
        t.ok(True, "logged out: r says to press L")
        log_in(ui, MEMBER, "niet-het-wachtwoord")
        scr = ui.wait_for("Not logged in:", where=ui.status_line)
        t.eq(credentials(ui), "", "a wrong password keeps nothing")
        t.ok("not logged in" in get_status_after_clear(ui),
             "a wrong password: still not logged in", ui.screen())
        log_in(ui, MEMBER, PASSWORD)
        # The drafts brought in after the login say so in its place.
        ui.wait_for("1 unsent draft", where=ui.status_line)
        kept = credentials(ui)
        t.ok("username %s" % MEMBER in kept and "cookie_file " in kept,
             "the session is kept in the credentials file", kept)
        t.ok(PASSWORD not in kept, "the password is not kept", kept)
        t.eq(stat.S_IMODE(os.stat(os.path.join(ui.config_dir, "credentials")).st_mode),
             0o600, "the credentials file is mode 0600")
        t.ok(begun in state_drafts(ui).get("topic_%d" % other, ""),
             "after L the member's drafts on the server are brought in",
             state_drafts(ui))
        t.ok("%s @ " % MEMBER in get_status_after_clear(ui),
             "the status line shows the member", ui.screen())
        # R over the new session: a quoting reply as that member.
        open_topic(ui, STUDY_DAY)
        goto_post(ui, 2)
        ui.send_keys("R")
        ui.wait_for("Preview of the reply")
        ui.send_keys("y")
        ui.wait_for("Posted as #")
        topic = get(srv, "/t/%d.json?print=true" % tid)
        p2 = next(p for p in topic["post_stream"]["posts"] if p["post_number"] == 2)
        last = topic["post_stream"]["posts"][-1]
        t.eq(last["username"], MEMBER, "R after L: posted as the member logged in")
        raw = get(srv, "/posts/%d.json" % last["id"])["raw"]
        want = '[quote="%s, post:2, topic:%d"]' % (p2["username"], tid)
        t.ok(raw.startswith(want) and "[/quote]" in raw and REPLY in raw,
             "R: the stored raw quotes post 2 with its user and numbers", raw)
        t.eq(last.get("reply_to_post_number"), 2, "R: a reply to post 2")
        # E on someone else's post is refused.
        other = next(p["post_number"] for p in topic["post_stream"]["posts"]
                     if p["username"] != MEMBER)
        goto_post(ui, other)
        ui.send_keys("E")
        ui.wait_for("You can only edit your own posts", where=ui.status_line)
        t.ok(True, "E on someone else's post: refused with a message")
        quit_clean(ui, "L and R")


def logged_in(ui, user):
    """Wait for the login's message (or the drafts line that follows it)
    and for the status line to name the member."""
    ui.wait_for(re.compile("Logged in as %s|unsent draft" % user),
                where=ui.status_line)
    t.ok("%s @ " % user in get_status_after_clear(ui),
         "logged in as %s: the status line says so" % user, ui.screen())


def get_status_after_clear(ui):
    """The status line once a harmless key has cleared the message."""
    ui.send_keys("k")
    time.sleep(0.3)
    return ui.status_line()


def second_factor(srv):
    with logged_out_ui(srv) as ui:
        ui.wait_for("not logged in", where=ui.status_line)
        log_in(ui, MEMBER, PASSWORD)
        logged_in(ui, MEMBER)
        first = credentials(ui)
        log_in(ui, TOTP_USER, PASSWORD)
        ui.wait_for("Second-factor code:")
        ui.type(totp(TOTP_SECRET))
        ui.send_keys("Enter")
        logged_in(ui, TOTP_USER)
        kept = credentials(ui)
        t.ok("username %s" % TOTP_USER in kept and MEMBER not in kept,
             "2FA: koen's session replaces the one kept before", kept)
        jar = next(line.split(" ", 1)[1] for line in first.splitlines()
                   if line.startswith("cookie_file "))
        t.ok(not os.path.exists(jar), "the session replaced is ended, its jar gone", jar)
        quit_clean(ui, "a second factor")


with Ambtd() as server:
    t.run("L, then R over the session", login_then_reply, server)
    t.run("L with a second factor", second_factor, server)
t.done()
