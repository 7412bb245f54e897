"""read.py: ambt read TOPIC against a real ambtd.

The demo seed's study-day topic rendered as text (title, body, quotes,
mentions, numbered links, the event marker), a topic of 45 posts and a mega
topic of 10,000 (every chunk fetched, in order), --from, --width, --json,
a small-action post, a post full of escape sequences, and the errors.
"""
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import shutil
import unicodedata
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.join(os.environ["top_srcdir"], "tests"))
from tap import Ambtd, Tap, program  # noqa: E402

t = Tap()
KEY = "test-admin-key"
HOME = tempfile.mkdtemp(prefix="ambt-read-test-")
ESCAPES = ("\x1b[2J\x1b[H wis \x1b]52;c;SGVsbG8=\x07 klembord "
           "\x1b]0;titel\x07 venster \x9b31m rood")


def env():
    """A user with nothing configured: no cache, no config, UTF-8."""
    e = {k: v for k, v in os.environ.items() if not k.startswith("AMBT_")}
    e.update(HOME=HOME, XDG_CONFIG_HOME=os.path.join(HOME, "config"),
             XDG_CACHE_HOME=os.path.join(HOME, "cache"),
             XDG_STATE_HOME=os.path.join(HOME, "state"),
             TZ="UTC", LANG="C.UTF-8", LC_ALL="C.UTF-8")
    e.pop("COLUMNS", None)
    return e


def ambt(srv, *args):
    """(exit status, stdout bytes, stderr text) of ambt --server URL ..."""
    p = subprocess.run([program("ambt"), "--server", srv.url, *args], env=env(),
                       stdin=subprocess.DEVNULL, capture_output=True, timeout=300)
    return p.returncode, p.stdout, p.stderr.decode("utf-8", "replace")


def get(srv, path):
    with urllib.request.urlopen(srv.url + path, timeout=30) as r:
        return json.loads(r.read())


def post(srv, path, user, form):
    data = urllib.parse.urlencode(form).encode()
    req = urllib.request.Request(srv.url + path, data=data, method="POST", headers={
        "Api-Key": KEY, "Api-Username": user,
        "Content-Type": "application/x-www-form-urlencoded"})
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read())


def topic_id(srv, title_start):
    for topic in get(srv, "/latest.json")["topic_list"]["topics"]:
        if topic["title"].startswith(title_start):
            return topic["id"]
    raise AssertionError(f"no topic '{title_start}'")


def post_numbers(out):
    """The N of every "#N name (@user) date" header line, in order."""
    return [int(line.split()[0][1:]) for line in out.splitlines()
            if line.startswith("#") and line.split()[0][1:].isdigit()]


def columns(line):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)


def study_day(srv):
    tid = topic_id(srv, "Studiedag Ambtenaar 2.0")
    rc, raw, err = ambt(srv, "read", str(tid), "--width", "200")
    out = raw.decode("utf-8")
    lines = out.splitlines()
    t.eq((rc, err), (0, ""), "read: exit 0, nothing on stderr")
    t.eq(lines[0], "Studiedag Ambtenaar 2.0 in Grimbergen op 25 november",
         "read: the Dutch title first")
    t.ok("Op woensdag 25 november organiseren we in Grimbergen" in out,
         "read: the first post's text", out[:2000])
    t.ok("[event: Studiedag Ambtenaar 2.0, 2026-11-25 09:30]" in lines,
         "read: the event as a one-line marker", out[:2000])
    t.ok("#4 Annelies de Vries (@annelies)" in out and "in reply to @demo #3" in out,
         "read: author, username and what a post replies to", out)
    i = lines.index("demo wrote:") if "demo wrote:" in lines else -1
    t.ok(i > 0 and lines[i + 1] == "> Is de locatie vlot bereikbaar met het openbaar vervoer?",
         "read: a quote as 'name wrote:' and '> ' lines", out)
    t.ok("@koen De presentaties volgen deze week. @els schreef" in out,
         "read: mentions as @name", out)
    t.ok("genetwerkte samenleving?[1]" in out and
         f"[1] {srv.url}/t/ambtenaar-2-0-bent-u-al-mee-in-de-genetwerkte-samenleving/1" in lines,
         "read: a link numbered, its absolute URL listed under the post", out)
    t.eq(post_numbers(out), [1, 2, 3, 4, 5, 6], "read: every post of the topic, in order")

    rc, raw, _ = ambt(srv, "read", str(tid), "--width", "40")
    wide = [line for line in raw.decode("utf-8").splitlines() if columns(line) > 40]
    t.ok(rc == 0 and not wide, "read --width 40: no line wider than 40", wide)
    rc, raw, _ = ambt(srv, "read", str(tid), "--from", "4")
    t.eq((rc, post_numbers(raw.decode())), (0, [4, 5, 6]), "read --from 4: posts 4 to 6")


def small_action(srv):
    tid = topic_id(srv, "Spelregels van dit forum")
    con = sqlite3.connect(srv.db, timeout=10)
    with con:
        con.execute("INSERT INTO posts (topic_id, post_number, user_id, post_type, "
                    "action_code) SELECT ?, MAX(post_number) + 1, "
                    "(SELECT id FROM users WHERE username = 'annelies'), 3, "
                    "'closed.enabled' FROM posts WHERE topic_id = ?", (tid, tid))
    con.close()
    rc, raw, _ = ambt(srv, "read", str(tid))
    status = [line for line in raw.decode().splitlines() if "closed the topic" in line]
    t.ok(rc == 0 and len(status) == 1 and status[0].startswith("#2 @annelies closed the topic"),
         "read: a small-action post as one status line", raw.decode())


def escapes(srv):
    tid = topic_id(srv, "Welkom! Stel je hier even voor")
    raw_text = (f"Hallo {ESCAPES}\n\n```\ncode {ESCAPES}\n```\n\n"
                f"[link {ESCAPES}](https://example.org/\x1b[2J)")
    created = post(srv, "/posts.json", "demo", {"topic_id": tid, "raw": raw_text})
    rc, raw, err = ambt(srv, "read", str(tid), "--from", str(created["post_number"]))
    t.ok(rc == 0 and b"\x1b" not in raw and b"\xc2\x9b" not in raw and b"\x9b" not in raw,
         "read: a post full of escape sequences prints no ESC or C1 byte", raw[-2000:])
    t.ok(b"^[[2J^[[H wis" in raw and b"^[]52;c;SGVsbG8=^G klembord" in raw,
         "read: the escape sequences show as inert text", raw[-2000:])
    rc, raw, err = ambt(srv, "read", str(tid), "--json")
    t.ok(rc == 0 and created["id"] in [p["id"] for p in json.loads(raw)["posts"]],
         "read --json: the new post is in the topic")


def errors(srv):
    rc, out, err = ambt(srv, "read", "999999")
    t.ok(rc == 1 and out == b"" and len(err.splitlines()) == 1 and "no such topic" in err,
         "read: an unknown topic is exit 1 with one line", f"{rc} {out!r} {err!r}")
    for args in (["read"], ["read", "abc"], ["read", "2", "--width", "0"],
                 ["read", "2", "--from", "x"], ["read", "1", "2"]):
        rc, out, err = ambt(srv, *args)
        t.ok(rc == 2 and out == b"" and err.startswith("ambt: "),
             f"{' '.join(args)}: a usage error, exit 2", f"{rc} {err!r}")


def large(srv):
    tid = topic_id(srv, "Een lang onderwerp van 45 berichten")
    rc, raw, err = ambt(srv, "read", str(tid))
    out = raw.decode()
    t.eq((rc, post_numbers(out)), (0, list(range(1, 46))),
         "read: 45 posts, every chunk of 20 fetched, in order")
    t.ok("Bericht 45 in het lange onderwerp" in out, "read: the last post's text")
    rc, raw, err = ambt(srv, "read", str(tid), "--from", "30")
    t.eq(post_numbers(raw.decode()), list(range(30, 46)), "read --from 30: posts 30 to 45")
    rc, raw, err = ambt(srv, "read", str(tid), "--json")
    posts = json.loads(raw)["posts"] if rc == 0 else []
    t.eq([p["post_number"] for p in posts], list(range(1, 46)),
         "read --json: the topic with all 45 posts")


def mega(srv):
    tid = topic_id(srv, "Een lang onderwerp van 10000 berichten")
    rc, raw, err = ambt(srv, "read", str(tid))
    t.eq((rc, post_numbers(raw.decode())), (0, list(range(1, 10001))),
         "read: a mega topic (no stream) paged by post number, all 10,000 in order")


def main():
    try:
        with Ambtd(extra=["--large-topic", "45"]) as srv:
            t.run("study day", study_day, srv)
            t.run("small action", small_action, srv)
            t.run("escapes", escapes, srv)
            t.run("errors", errors, srv)
            t.run("large", large, srv)
        with Ambtd(extra=["--large-topic", "10000"]) as srv:
            t.run("mega", mega, srv)
    finally:
        shutil.rmtree(HOME, ignore_errors=True)
    t.done()


main()
