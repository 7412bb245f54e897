"""tui_thread.py: reading threads and profiles in the TUI, in tmux, against
ambtd: the demo seed's study-day topic (its Dutch text, a quote's header,
next post, go to post N, the author's profile, dates in TZ), the reply
tree folding, a post full of escape sequences, wide characters, reading
reported back to the server (with keys and without), a 1,000-post topic
(loaded lazily by id, G to its end, resize keeps the post on top, the
server killed while reading) and a 10,000-post mega topic (by number)."""
import datetime
import json
import os
import re
import shutil
import sqlite3
import sys
import tempfile
import time
import unicodedata
import urllib.parse
import urllib.request
import zoneinfo

sys.path.insert(0, os.path.join(os.environ["top_srcdir"], "tests"))
from tap import Tap, Ambtd  # noqa: E402
from tuitest import AmbtTui  # noqa: E402

t = Tap()

STUDY_DAY = "Grimbergen op 25"
BLOG = "bent u al mee"
LARGE = "Een lang onderwerp"
HOSTILE_TITLE = "Een bericht vol ontsnappingstekens"
# ESC[2J (clear screen), OSC 52 (set the clipboard), OSC 0 (window title),
# and C1 controls (CSI as one byte, NEL) written as UTF-8.
HOSTILE_RAW = ("Voor het wissen \x1b[2J na het wissen. Klembord "
               "\x1b]52;c;Z2VrYWFwdA==\x07 en titel \x1b]0;gekaapt\x07 en C1 "
               "\u009b31m rood \u0085 einde van de proef.")


def api(srv, method, path, form=None, user="demo"):
    """(status, JSON) of a request as user, by the admin key."""
    headers = {"Api-Key": srv.admin_key, "Api-Username": user}
    data = None
    if form is not None:
        data = urllib.parse.urlencode(form).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    req = urllib.request.Request(srv.url + path, data=data, method=method,
                                 headers=headers)
    with urllib.request.urlopen(req, timeout=30) as r:
        body = r.read()
        return r.status, json.loads(body) if body else None


def server_log(srv):
    with open(os.path.join(srv.tmp, "ambtd.log"), encoding="utf-8",
              errors="replace") as f:
        return f.read()


def local_time(srv, topic_id, post_number, zone):
    """A post's creation as ambt shows it in zone: "Wed 25 Nov 2026 18:03"
    (the C locale's names, as tuitest sets LC_ALL=C.UTF-8)."""
    _, topic = api(srv, "GET", "/t/%d.json" % topic_id)
    post = next(p for p in topic["post_stream"]["posts"]
                if p["post_number"] == post_number)
    at = datetime.datetime.fromisoformat(post["created_at"].replace("Z", "+00:00"))
    local = at.astimezone(zoneinfo.ZoneInfo(zone))
    return local.strftime("%a ") + "%2d" % local.day + local.strftime(" %b %Y %H:%M")


def top_row(ui):
    """The first row under the header: the post the reader is at."""
    return ui.row(1)


def open_topic(ui, title_part):
    """Select a topic on the start page by part of its title; Enter."""
    ui.wait_for("Latest topics")
    ui.wait_for(title_part)
    ui.send_keys("g")
    time.sleep(0.2)
    rows = ui.lines()
    first = next(i for i, r in enumerate(rows) if r.startswith("Latest topics")) + 1
    target = next(i for i, r in enumerate(rows) if title_part in r)
    ui.send_keys(*(["j"] * (target - first) + ["Enter"]))
    ui.wait_for(title_part, where=lambda s: s.split("\n")[0])


def on_top(n):
    """A regex for post n on the row under the header."""
    return re.compile(r"\A[^\n]*\n#%d " % n)


def goto_post(ui, n, wait=True):
    ui.send_keys("#")
    ui.wait_for("Go to post number:")
    ui.type(str(n))
    ui.send_keys("Enter")
    if wait:
        ui.wait_for(on_top(n))


def pane_state(ui):
    """(dead, status) of the pane: tmux marks a pane dead when its
    terminal closes and knows the status only once it has reaped the
    process, so a dead pane may have no status yet (None)."""
    out = ui.tmux("list-panes", "-t", "t", "-F",
                  "#{pane_dead}:#{pane_dead_status}:#{pane_pid}",
                  check=False).strip().split(":")
    if len(out) != 3:
        return True, None
    if out[0] == "1":
        return True, int(out[1]) if out[1] else None
    try:
        with open("/proc/%s/stat" % out[2], encoding="ascii") as f:
            zombie = f.read().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        zombie = True
    return zombie, None


def quit_clean(ui, what):
    """Q, then the program ends with status 0 (when tmux can tell it) and
    no sanitizer report on stderr."""
    ui.send_keys("Q")
    deadline = time.time() + 20
    dead, status = pane_state(ui)
    while status is None and time.time() < deadline:
        time.sleep(0.05)
        dead, status = pane_state(ui)
    t.ok(dead and status in (0, None) and "Sanitizer" not in ui.stderr(),
         "%s: ambt quits cleanly, no sanitizer report" % what,
         "dead %s status %s\n%s" % (dead, status, ui.stderr()))


def fake_browser(tmp):
    """A $BROWSER that writes the URL it gets to a file."""
    path = os.path.join(tmp, "browser.sh")
    with open(path, "w", encoding="utf-8") as f:
        f.write('#!/bin/sh\nprintf "%%s\\n" "$1" > "%s.tmp" && mv "%s.tmp" "%s"\n'
                % ((os.path.join(tmp, "opened"),) * 3))
    os.chmod(path, 0o755)
    return path


def wait_file(path, timeout=20):
    deadline = time.time() + timeout
    while not os.path.exists(path) and time.time() < deadline:
        time.sleep(0.05)
    with open(path, encoding="utf-8") as f:
        return f.read()


def test_read_study_day(srv):
    tmp = tempfile.mkdtemp(prefix="ambt-tui-thread-")
    try:
        read_study_day(srv, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def read_study_day(srv, tmp):
    # A zone far from the server's UTC: the absolute date must move with it.
    with AmbtTui(srv, env={"BROWSER": fake_browser(tmp),
                           "TZ": "Asia/Tokyo"}) as ui:
        open_topic(ui, STUDY_DAY)
        ui.send_keys("g")
        scr = ui.wait_for("Op woensdag 25 november organiseren we in Grimbergen")
        t.ok("Studiedag Ambtenaar 2.0 in Grimbergen op 25 november" in ui.row(1),
             "the topic's header shows its title", scr)
        t.ok(re.search(r"\d+ views .* \d+ replies .* participants", scr) is not None,
             "the header has views, replies and participants", scr)
        scr = ui.wait_for("Evenementen")
        t.ok("#studiedag" in ui.row(2) and "Evenementen" in ui.row(2),
             "the header has the category and tags", scr)
        goto_post(ui, 4)
        scr = ui.screen()
        t.ok(top_row(ui).startswith("#4  Annelies de Vries @annelies  in reply to @demo #3"),
             "go to post 4: its author and what it replies to on top", scr)
        t.ok("demo wrote:" in scr, "the quote's header shows", scr)
        t.ok(re.search(r"^\d+(mo|d|h|m|y) \u00b7 \w+ +\d+ \w+ 20\d\d \d\d:\d\d", scr, re.M)
             is not None, "the date is relative and absolute", scr)
        t.ok(local_time(srv, 2, 4, "Asia/Tokyo") in scr,
             "the absolute date is in the user's time zone (TZ)", scr)
        ui.send_keys("p")
        ui.wait_for(on_top(3))
        t.ok(True, "p follows 'in reply to' to #3")
        ui.send_keys("p")
        ui.wait_for(on_top(4))
        t.ok(True, "p again goes back to #4")
        ui.send_keys("v")
        scr = ui.wait_for("[quote=")
        t.ok(on_top(4).search(scr) is not None, "v shows the raw Markdown of #4", scr)
        ui.send_keys("v")
        ui.wait_for("[quote=", gone=True)
        ui.send_keys("t")
        # The whole tree drawn: #4 indented on top, #6 under #5.
        scr = ui.wait_for(re.compile(r"\A[^\n]*\n +#4  Annelies[^\n]*\n[^\n]*\n    demo wrote:"
                                     r".*\[-\] #5 .*\n    #6 ", re.S))
        t.ok(True, "the reply tree: #4 indented and on top, #6 under #5")
        ui.send_keys("t")
        ui.wait_for(on_top(4))
        ui.send_keys("J")
        ui.wait_for(on_top(5))
        t.ok(True, "next post moves to #5")
        ui.send_keys("K")
        ui.wait_for(on_top(4))
        t.ok(True, "previous post moves back to #4")
        ui.send_keys("a")
        scr = ui.wait_for("Ik breng ambtenaren uit Nederland en Vlaanderen samen")
        t.ok("Profile of @annelies" in ui.row(0) and "Communitymanager" in scr
             and "Utrecht" in scr, "the author's profile: title, bio, location", scr)
        # The summary and the counts come in their own replies.
        scr = ui.wait_for(re.compile(r"Joined:.*Last post:.*Activity: +\d+ posts.*Trust level:",
                                     re.S))
        t.ok(re.search(r"Trust level:", scr) and "Joined:" in scr,
             "the profile has trust level and join date", scr)
        t.ok("Website:" in scr and "ambtenaar20.example.org" in scr and
             "Last post:" in scr and
             re.search(r"Activity: +\d+ posts", scr) is not None,
             "the profile has website, last post and post counts", scr)
        scr = ui.wait_for("Badges (")
        t.ok(True, "the profile lists the member's badges")
        ui.wait_for("Recent activity")
        ui.send_keys("q")
        scr = ui.wait_for(on_top(4))
        t.ok("Grimbergen" in ui.row(0), "back from the profile at the same post", scr)
        goto_post(ui, 6)
        ui.send_keys("o")
        url = wait_file(os.path.join(tmp, "opened"))
        t.ok(url.startswith(srv.url + "/t/ambtenaar-2-0-bent-u-al-mee"),
             "o opens the post's link with $BROWSER", url)
        refresh_keeps_place(srv, ui)
        quit_clean(ui, "reading and a profile")


def test_tree_collapse(srv):
    """In the reply tree z folds the branch under the post on top and
    unfolds it again; ^ goes to the first post."""
    with AmbtTui(srv) as ui:
        open_topic(ui, STUDY_DAY)
        goto_post(ui, 5)
        ui.send_keys("t")
        scr = ui.wait_for(re.compile(r"\A[^\n]*\n *\[-\] #5 .*^ *#6 ", re.S | re.M))
        ui.send_keys("z")
        scr = ui.wait_for(re.compile(r"\A[^\n]*\n *\[\+\] #5 "))
        t.ok(re.search(r"^ *#6 ", scr, re.M) is None,
             "z folds #5's branch: its reply #6 is hidden", scr)
        ui.send_keys("z")
        scr = ui.wait_for(re.compile(r"^ *#6 ", re.M))
        t.ok("[-] #5 " in scr, "z again unfolds it", scr)
        ui.send_keys("^")
        scr = ui.wait_for(re.compile(r"^\[-\] #1  ", re.M))
        t.ok("Studiedag Ambtenaar 2.0 in Grimbergen" in ui.row(1),
             "^ goes to the first post, under the topic's header", scr)
        quit_clean(ui, "the reply tree")


def refresh_keeps_place(srv, ui):
    """A post arriving and a refresh leave the reader where they were."""
    goto_post(ui, 3)
    _, topic = api(srv, "GET", "/t/2.json")
    t.ok("Grimbergen" in topic["title"], "topic 2 is the study day", topic["title"])
    status, _ = api(srv, "POST", "/posts.json",
                    {"topic_id": 2, "raw": "Een nieuw bericht terwijl iemand leest."},
                    user="koen")
    t.eq(status, 200, "a reply arrives while reading")
    # In a thread R is the quoting reply: refresh is C-r (and F5).
    ui.send_keys("C-r")
    ui.wait_for("Loading", gone=True, where=ui.status_line)
    time.sleep(0.5)
    scr = ui.screen()
    t.ok(on_top(3).search(scr) is not None, "a refresh keeps post 3 on top", scr)
    ui.send_keys("$")
    scr = ui.wait_for("Een nieuw bericht terwijl iemand leest.")
    t.ok("@koen" in scr, "the new post is there after the refresh", scr)


def add_small_action(srv, topic_id, username, code):
    """A small-action post (closed, pinned...) as Discourse adds them:
    ambtd has no endpoint that makes one, so into its database."""
    con = sqlite3.connect(srv.db, timeout=10)
    try:
        with con:
            con.execute(
                "INSERT INTO posts (topic_id, post_number, user_id, post_type,"
                " action_code) SELECT ?, MAX(post_number) + 1,"
                " (SELECT id FROM users WHERE username = ?), 3, ?"
                " FROM posts WHERE topic_id = ?",
                (topic_id, username, code, topic_id))
    finally:
        con.close()


def test_profile_by_name(srv):
    with AmbtTui(srv, height=12) as ui:
        ui.wait_for("Latest topics")
        ui.send_keys("@")
        ui.wait_for("Member: @")
        ui.type("els")
        ui.send_keys("Enter")
        scr = ui.wait_for("Communicatieadviseur bij de provincie")
        t.ok("Profile of @els" in ui.row(0) and "Els Vermeulen" in ui.row(1),
             "a profile by name: name and bio", scr)
        ui.wait_for("Leuven")
        ui.wait_for("Loading", gone=True, where=ui.status_line)
        first = ui.row(1)
        ui.send_keys("G")
        scr = ui.wait_for(first, gone=True, where=lambda s: s.split("\n")[1])
        t.ok("Recent activity" in scr or "\u201c" in scr,
             "the profile scrolls to its recent activity", scr)
        ui.send_keys("g")
        ui.wait_for("Els Vermeulen", where=lambda s: s.split("\n")[1])
        t.ok(True, "and back to its top")
        quit_clean(ui, "a profile by name")


def test_hostile_post(srv):
    status, body = api(srv, "POST", "/posts.json",
                       {"title": HOSTILE_TITLE, "raw": HOSTILE_RAW})
    t.eq(status, 200, "a topic with escape sequences is created")
    add_small_action(srv, body["topic_id"], "annelies", "closed.enabled")
    with AmbtTui(srv) as ui:
        open_topic(ui, HOSTILE_TITLE)
        ui.send_keys("g")
        scr = ui.wait_for("einde van de proef")
        lines = scr.rstrip("\n").split("\n")
        t.ok(HOSTILE_TITLE in lines[0] and "?:help" in lines[0],
             "the header row is intact", scr)
        t.ok("Voor het wissen" in scr and "na het wissen" in scr,
             "the text around ESC[2J is still there", scr)
        t.ok("[2J" in scr and "^[" in scr, "the escape is shown, inert", scr)
        t.ok(re.search(r"^\u2022 @annelies closed the topic \u00b7 ", scr, re.M)
             is not None, "a small action is one status line", scr)
        ui.send_keys("z")
        scr = ui.wait_for("Branches fold", where=ui.status_line)
        t.ok(HOSTILE_TITLE in ui.row(0) and "\n#1  Demo" in scr,
             "a message in the status line, the screen in its place", scr)
        title = ui.tmux("display-message", "-p", "-t", "t", "#{pane_title}")
        t.ok("gekaapt" not in title, "the window title is untouched", title)
        buffers = ui.tmux("list-buffers", check=False)
        t.ok("gekaapt" not in buffers and "Z2VrYWFwdA" not in buffers,
             "the clipboard is untouched", buffers)
        quit_clean(ui, "a hostile post")


WIDE_TITLE = "Breed: 日本語の題名 en 🎉 in de lijst"


def columns(text):
    """Terminal columns of text: East Asian wide and full-width take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1
               for c in text)


def test_wide_text(srv):
    """CJK and emoji are measured in columns (wcwidth): the list's columns
    stay aligned and a post wraps within the screen."""
    status, _ = api(srv, "POST", "/posts.json",
                    {"title": WIDE_TITLE, "raw": "中文" * 70})
    t.eq(status, 200, "a topic with wide characters is created")
    with AmbtTui(srv) as ui:
        scr = ui.wait_for(WIDE_TITLE[:12])
        rows = [r.rstrip() for r in scr.split("\n")]
        wide = next(r for r in rows if WIDE_TITLE[:12] in r)
        other = next(r for r in rows if BLOG in r)
        # The age column starts in the same place on every row.
        t.ok(columns(wide[:wide.rindex(" ")]) == columns(other[:other.rindex(" ")]),
             "the wide title's row keeps the columns of the others",
             "%r\n%r" % (wide, other))
        t.ok(re.search(r" (now|\d+m)$", wide) is not None,
             "a topic of a minute ago says how old it is", wide)
        open_topic(ui, WIDE_TITLE[:12])
        scr = ui.wait_for("中文中文")
        body = [r for r in scr.split("\n") if "中文" in r]
        t.ok(len(body) >= 2 and all(columns(r) <= ui.width for r in body),
             "140 wide characters wrap in 80 columns", scr)
        quit_clean(ui, "wide characters")


def test_reading_reported(srv):
    _, before = api(srv, "GET", "/t/1.json")
    highest = before["highest_post_number"]
    t.ok(before["last_read_post_number"] < highest,
         "the demo member has unread posts in the blog topic",
         before["last_read_post_number"])
    with AmbtTui(srv) as ui:
        open_topic(ui, BLOG)
        scr = ui.wait_for(on_top(before["last_read_post_number"] + 1))
        t.ok(True, "it opens at the first unread post")
        ui.send_keys("G")
        ui.wait_for("#%d " % highest)
        time.sleep(1.0)
        ui.send_keys("q")
        ui.wait_for("Latest topics")
        deadline = time.time() + 20
        after = before
        while time.time() < deadline:
            _, after = api(srv, "GET", "/t/1.json")
            if after["last_read_post_number"] >= highest:
                break
            time.sleep(0.2)
        t.eq(after["last_read_post_number"], highest,
             "the server's last_read_post_number went up to the last post")
        t.ok("POST /topics/timings" in server_log(srv), "reading was reported",
             server_log(srv)[-2000:])


def test_reading_without_keys(srv):
    """A reader who opens a topic and only reads is reported too: the
    view's tick sends the timings, no key needed."""
    _, before = api(srv, "GET", "/t/5.json")
    with AmbtTui(srv) as ui:
        open_topic(ui, before["title"][:30])
        ui.wait_for(on_top(before["last_read_post_number"] + 1))
        deadline = time.time() + 30
        after = before
        while time.time() < deadline:
            _, after = api(srv, "GET", "/t/5.json")
            if after["last_read_post_number"] > before["last_read_post_number"]:
                break
            time.sleep(0.2)
        t.ok(after["last_read_post_number"] > before["last_read_post_number"],
             "reading with no key pressed raises last_read_post_number",
             (before["last_read_post_number"], after["last_read_post_number"]))
        quit_clean(ui, "reading without keys")


def test_large_topic(srv):
    with AmbtTui(srv) as ui:
        open_topic(ui, LARGE)
        scr = ui.wait_for("Bericht 1 in het lange onderwerp")
        last_shown = max(int(n) for n in re.findall(r"^#(\d+) ", scr, re.M))
        ui.send_keys("Tab")
        scr = ui.wait_for(on_top(last_shown + 1))
        t.ok(True, "next unread skips the posts already on screen")
        ui.send_keys("G")
        scr = ui.wait_for("Bericht 1000 in het lange onderwerp")
        t.ok("#1000 " in scr, "G reaches post 1000 and shows it", scr)
        chunks = re.findall(r"GET /t/\d+/posts\.json\?post_ids\[\]=", server_log(srv))
        t.ok(len(chunks) >= 1, "later posts came by id from /t/{id}/posts.json",
             server_log(srv)[-2000:])
        goto_post(ui, 500)
        scr = ui.wait_for("Bericht 500 in het lange onderwerp")
        t.ok(top_row(ui).startswith("#500 "), "go to post 500 in a long topic", scr)
        for w, h in ((120, 40), (60, 20), (80, 24)):
            ui.resize(w, h)
            time.sleep(0.5)
            scr = ui.wait_for(on_top(500))
            t.ok(len(ui.row(0)) <= w, "resized to %dx%d: post 500 still on top" % (w, h), scr)
        test_server_killed(srv, ui)
        quit_clean(ui, "a long topic, then no server")


def test_mega_topic(srv):
    """A topic of 10,000 posts has no id list: G and go to post N page it
    by post number, and the reader lands where asked."""
    with AmbtTui(srv) as ui:
        open_topic(ui, LARGE)
        ui.wait_for("Bericht 1 in het lange onderwerp")
        ui.send_keys("G")
        scr = ui.wait_for("Bericht 10000 in het lange onderwerp")
        t.ok("#10000 " in scr, "G reaches post 10,000 of a mega topic", scr)
        goto_post(ui, 5000)
        scr = ui.wait_for("Bericht 5000 in het lange onderwerp")
        t.ok(top_row(ui).startswith("#5000 "), "go to post 5,000 of a mega topic",
             scr)
        t.ok(re.search(r"GET /t/\d+/posts\.json\?post_number=\d+&asc=",
                       server_log(srv)) is not None,
             "its posts came by post number", server_log(srv)[-2000:])
        quit_clean(ui, "a mega topic")


def test_server_killed(srv, ui):
    srv.stop()
    goto_post(ui, 200, wait=False)
    scr = ui.wait_for("cannot be reached", where=ui.status_line)
    t.ok(top_row(ui).startswith("#200") or "post not loaded" in scr,
         "a post that cannot load says so", scr)
    before = top_row(ui)
    ui.send_keys("k")
    scr = ui.wait_for(before, gone=True, where=lambda s: s.split("\n")[1])
    t.ok(ui.alive(), "scrolling works with the server gone", scr)
    ui.send_keys("$")
    scr = ui.wait_for("Bericht 1000 in het lange onderwerp")
    t.ok("#1000 " in scr, "loaded posts stay readable", scr)


def main():
    with Ambtd() as srv:
        t.run("study-day topic", test_read_study_day, srv)
        t.run("profile by name", test_profile_by_name, srv)
        t.run("hostile post", test_hostile_post, srv)
        t.run("reply tree", test_tree_collapse, srv)
        t.run("wide characters", test_wide_text, srv)
        t.run("reading reported", test_reading_reported, srv)
        t.run("reading without keys", test_reading_without_keys, srv)
    with Ambtd(extra=["--large-topic", "1000"]) as srv:
        t.run("large topic", test_large_topic, srv)
    with Ambtd(extra=["--large-topic", "10000"]) as srv:
        t.run("mega topic", test_mega_topic, srv)
    t.done()


if __name__ == "__main__":
    main()
