#!/usr/bin/env python3
"""tui_lists.py: the reader's list views end to end, in tmux, against
ambtd --seed demo: the start page, moving, opening a thread and coming
back, categories, the unread and new topics, search, help with a rebound key, resizing, NO_COLOR,
the server going away, the start page's sections from the config, the
notifications, and `ambt keys`."""
import datetime
import json
import os
import re
import subprocess
import sys
import urllib.request

sys.path.insert(0, os.path.join(os.environ["top_srcdir"], "tests"))
from tap import Tap, Ambtd, program, srcdir  # noqa: E402
from tuitest import AmbtTui, Tui, TuiTimeout  # noqa: E402

STUDY_DAY = "Studiedag Ambtenaar 2.0 in Grimbergen"
# SGR colour parameters: 30-37, 40-47, 90-97, 100-107, 38;..., 48;...
# (39 and 49, "default colour", are no colour).
COLOUR_SGR = re.compile(r"\x1b\[(?:[0-9;]*;)?(?:3[0-8]|4[0-8]|9[0-7]|10[0-7])(?:[;m])")

CONFIG = """\
set theme mono
bind list L go-latest
bind list z dwon
"""


def get_json(server, path):
    req = urllib.request.Request(server.url + path, headers={
        "Api-Key": server.admin_key, "Api-Username": "demo"})
    with urllib.request.urlopen(req, timeout=10) as r:
        return json.load(r)


def body_rows(ui, attributes=False):
    """The view's rows (not the header or the status line)."""
    lines = ui.screen(attributes).split("\n")
    return lines[1:ui.height - 1]


def plain(line):
    return re.sub(r"\x1b\[[0-9;]*m", "", line)


def reversed_video(line):
    """Does the line turn on reverse video (SGR 7, maybe among others)?"""
    return any("7" in m.split(";") for m in re.findall(r"\x1b\[([0-9;]*)m", line))


def selected(ui):
    """The text of the selected row: in the mono theme the only reversed
    row between the header and the status line."""
    rows = [plain(r) for r in body_rows(ui, True) if reversed_video(r)]
    return rows[0].strip() if len(rows) == 1 else None


def wait_selected(ui, pred, timeout=20):
    """Wait until the selected row satisfies pred; returns it."""
    import time
    deadline = time.time() + timeout
    while time.time() < deadline:
        s = selected(ui)
        if s is not None and pred(s):
            return s
        time.sleep(0.05)
    raise TuiTimeout("selection never matched; reversed rows: %r; screen:\n%s" %
                     ([plain(r) for r in body_rows(ui, True) if reversed_video(r)],
                      ui.screen()))


def header(ui):
    return ui.row(0).strip()


def select_containing(ui, text, limit=40):
    """From the top, press j until the selected row contains text."""
    ui.send_keys("g")
    for _ in range(limit):
        s = wait_selected(ui, lambda s: True)
        if text in s:
            return s
        ui.send_keys("j")
        wait_selected(ui, lambda n, old=s: n != old)
    raise TuiTimeout("no row with %r; screen:\n%s" % (text, ui.screen()))


def check_start_page(t, server, ui):
    scr = ui.wait_for(STUDY_DAY)
    t.ok(ui.row(0).strip().startswith("Start page"), "the header names the start page")
    t.ok("Latest topics" in scr, "the start page has the latest topics")
    today = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d")
    events = get_json(server, "/discourse-post-event/events.json?include_details=true"
                      "&after=" + today + "&order=asc")["events"]
    t.ok(len(events) > 0, "the seed has upcoming events")
    if events:
        name = events[0].get("name") or ""
        scr = ui.wait_for(name[:30])
        t.ok("Upcoming events" in scr, "the start page lists upcoming events",
             scr)
    notes = [n for n in get_json(server, "/notifications.json")["notifications"]
             if not n["read"]]
    t.ok(len(notes) > 0, "the demo member has unread notifications")
    if notes:
        who = notes[0].get("data", {}).get("display_username") or ""
        scr = ui.wait_for("Unread notifications")
        t.ok(re.search(re.escape(who) + ": ", scr) is not None,
             "the start page lists an unread notification", scr)
    scr = ui.wait_for("unknown action 'dwon'", where=ui.status_line)
    t.ok(True, "a bad bind line is a warning in the status line")


def wait_start_loaded(ui):
    """Every section of the start page is in."""
    ui.wait_for(STUDY_DAY[:25])
    ui.wait_for("loading\u2026", gone=True)


def check_moving(t, ui):
    wait_start_loaded(ui)
    first = wait_selected(ui, lambda s: True)
    ui.send_keys("j")
    second = wait_selected(ui, lambda s: s != first)
    ui.send_keys("j")
    third = wait_selected(ui, lambda s: s not in (first, second))
    ui.send_keys("k")
    back = wait_selected(ui, lambda s: s != third)
    t.eq(back, second, "j moves down and k moves up")
    ui.send_keys("Tab")
    unread = wait_selected(ui, lambda s: s != second)
    t.ok(re.match(r"(\d+|new)\s", unread) is not None,
         "Tab goes to the next topic with unread posts", unread)
    ui.send_keys("g")
    wait_selected(ui, lambda s: s == first)
    ui.send_keys("j")
    wait_selected(ui, lambda s: s == second)
    return back


def mouse(ui, button, x, y, release=True):
    """An xterm SGR mouse report (1-based cells), as tmux would pass on."""
    ui.type("\x1b[<%d;%d;%dM" % (button, x, y))
    if release:
        ui.type("\x1b[<%d;%d;%dm" % (button, x, y))


def check_mouse(t, ui):
    ui.send_keys("g")
    first = wait_selected(ui, lambda s: "Draaiboek" in s)
    mouse(ui, 65, 10, 5, release=False)  # the wheel, down
    fourth = wait_selected(ui, lambda s: s != first)
    t.ok("Webinar" in fourth, "the wheel moves down three entries", fourth)
    mouse(ui, 0, 10, 4)  # the 2nd topic: rows 0 header, 1 heading, 2 first
    sel = wait_selected(ui, lambda s: s != fourth)
    t.ok("Ambtenaar 2.0: bent u" in sel, "a click selects", sel)
    t.ok(header(ui).startswith("Start page"), "a click on another row only selects")
    mouse(ui, 0, 10, 4)
    ui.wait_for("Start page", gone=True, where=lambda s: s.split("\n")[0])
    t.ok(True, "a click on the selected row opens it")
    ui.send_keys("q")
    ui.wait_for("Start page", where=lambda s: s.split("\n")[0])


def check_thread(t, ui):
    sel = select_containing(ui, STUDY_DAY[:25])
    t.ok(STUDY_DAY[:25] in sel, "the study-day topic can be selected")
    ui.send_keys("Enter")
    ui.wait_for("Start page", gone=True, where=lambda s: s.split("\n")[0])
    t.ok(True, "Enter opens the topic (the title changes): " + header(ui))
    ui.send_keys("?")
    scr = ui.wait_for("author-profile")  # its last line
    t.ok("thread" in header(ui), "? in the thread shows the thread view's keys",
         scr)
    t.ok("next-post" in scr, "help of the thread view lists next-post", scr)
    ui.send_keys("q")
    ui.wait_for("Help:", gone=True)
    ui.send_keys("q")
    ui.wait_for("Start page", where=lambda s: s.split("\n")[0])
    t.ok(STUDY_DAY[:25] in (wait_selected(ui, lambda s: True) or ""),
         "q goes back to the start page, the same topic selected")


def check_categories(t, ui):
    ui.send_keys("3")
    ui.wait_for("Categories", where=lambda s: s.split("\n")[0])
    scr = ui.wait_for("Evenementen")
    t.eq(header(ui).split("  ")[0], "Categories", "3 goes to the categories")
    for name in ("Sociale media", "Open data", "Evenementen"):
        t.ok(name in scr, "the categories list %s" % name)
    select_containing(ui, "Open data")
    ui.send_keys("Enter")
    scr = ui.wait_for("Welke datasets")
    t.ok("Topics in Open data" in header(ui), "Enter lists the category's topics",
         scr)
    t.ok("Welkom!" not in scr, "only that category's topics are listed", scr)
    ui.send_keys("q")
    ui.wait_for("Categories", where=lambda s: s.split("\n")[0])
    ui.send_keys("q")
    ui.wait_for("Start page", where=lambda s: s.split("\n")[0])
    t.ok(True, "q goes back from the category to the categories, then the start page")


def check_unread_new(t, server, ui):
    """4 and 5 list the server's /unread and /new: topic 8 has unread
    posts but is not tracked, so only the server's list leaves it out."""
    for key, title, path in (("4", "Unread topics", "/unread.json"),
                             ("5", "New topics", "/new.json")):
        want = [x["title"] for x in
                get_json(server, path)["topic_list"]["topics"]]
        ui.send_keys(key)
        ui.wait_for(title, where=lambda s: s.split("\n")[0])
        scr = ui.wait_for(want[-1][:30]) if want else ui.screen()
        shown = [x for x in get_json(server, "/latest.json")["topic_list"]["topics"]
                 if x["title"][:30] in scr]
        t.ok(sorted(x["title"] for x in shown) == sorted(want),
             "%s goes to the %s of %s" % (key, title.lower(), path), scr)
    ui.send_keys("1")
    ui.wait_for("Start page", where=lambda s: s.split("\n")[0])


def check_search(t, ui):
    ui.send_keys("/")
    ui.wait_for("Search:", where=ui.status_line)
    ui.type("Grimbergen")
    ui.send_keys("Enter")
    scr = ui.wait_for("Search: Grimbergen", where=lambda s: s.split("\n")[0])
    scr = ui.wait_for(re.compile(r"Studiedag|Grimbergen", re.I),
                      where=lambda s: "\n".join(s.split("\n")[1:-2]))
    rows = [r for r in body_rows(ui) if r.strip()]
    t.ok(len(rows) > 0 and any("Grimbergen" in r or "Studiedag" in r for r in rows),
         "/ searches: the Dutch word finds the study day", scr)
    ui.send_keys("q")
    ui.wait_for("Start page", where=lambda s: s.split("\n")[0])
    ui.send_keys("g")
    wait_selected(ui, lambda s: "Grimbergen" not in s)
    ui.send_keys("n")
    t.ok("Grimbergen" in wait_selected(ui, lambda s: "Grimbergen" in s),
         "n finds the last search in the list")
    ui.send_keys("j")
    wait_selected(ui, lambda s: "Grimbergen" not in s)
    ui.send_keys("N")
    t.ok("Grimbergen" in wait_selected(ui, lambda s: "Grimbergen" in s),
         "N finds it again, backwards")


def check_help(t, ui):
    ui.send_keys("?")
    scr = ui.wait_for("export-ics")  # the last line: the whole page is drawn
    t.ok("list" in header(ui), "? on the start page shows the list view's keys")
    line = [r for r in scr.split("\n") if "go-latest" in r]
    t.ok(len(line) == 1 and re.match(r"\s*(2, L|L, 2)\s", line[0]) is not None,
         "help shows the key rebound with bind (L for go-latest)", scr)
    t.ok(any("j, Down" in r and "down" in r for r in scr.split("\n")),
         "help lists the moving keys")
    ui.send_keys("q")
    ui.wait_for("Start page", where=lambda s: s.split("\n")[0])
    ui.send_keys("L")
    ui.wait_for("Latest topics", where=lambda s: s.split("\n")[0])
    t.ok(True, "the rebound key works")
    ui.send_keys("q")
    ui.wait_for("Start page", where=lambda s: s.split("\n")[0])


def check_resize(t, ui, sel):
    for w, h in ((80, 24), (20, 5), (100, 30)):
        ui.resize(w, h)
        if (w, h) == (20, 5):
            ui.wait_for("window too small")
            t.ok(ui.alive(), "20x5 says the window is too small")
            continue
        # Drawn at the new width: the header's hint ends one short of it.
        ui.wait_for(re.compile(r"^ Start page.*:back$"),
                    where=lambda s, w=w: s.split("\n")[0].rstrip()[:w - 1]
                    if len(s.split("\n")[0].rstrip()) == w - 1 else "")
        got = wait_selected(ui, lambda s: True)
        t.ok(got is not None and got.split()[0] == sel.split()[0] and
             sel[:20].split()[-1] in got,
             "%dx%d keeps the selection" % (w, h), "%r vs %r" % (got, sel))


def no_sanitizer_report(t, ui, what):
    err = ui.stderr()
    t.ok(re.search(r"Sanitizer|runtime error", err) is None,
         "%s: no sanitizer report" % what, err)


def check_server_gone(t, server, ui):
    server.stop()
    ui.send_keys("R")
    scr = ui.wait_for("offline (cached", where=ui.status_line)
    t.ok(True, "a refresh without the server shows the cached copy, marked offline")
    ui.send_keys("/")
    ui.wait_for("Search:", where=ui.status_line)
    ui.type("nooitgezocht")
    ui.send_keys("Enter")
    scr = ui.wait_for("cannot be reached", where=ui.status_line)
    t.ok(ui.alive(), "the status line says the server cannot be reached")
    ui.send_keys("q")
    ui.wait_for("Start page", where=lambda s: s.split("\n")[0])
    ui.send_keys("q")
    t.eq(ui.exit_status(), 0, "q still works: ambt ends with status 0")
    no_sanitizer_report(t, ui, "the main session")


def main_session(t):
    with Ambtd() as server:
        ui = AmbtTui(server, config=CONFIG, env={"NO_COLOR": "1"}, width=120, height=40)
        try:
            ui.start()
            check_start_page(t, server, ui)
            check_moving(t, ui)
            check_mouse(t, ui)
            check_thread(t, ui)
            check_categories(t, ui)
            check_unread_new(t, server, ui)
            check_search(t, ui)
            check_help(t, ui)
            wait_start_loaded(ui)
            ui.send_keys("j", "j")
            sel = wait_selected(ui, lambda s: "Studiedag" in s)
            check_resize(t, ui, sel)
            check_server_gone(t, server, ui)
        finally:
            ui.cleanup()


def check_colours(t):
    with Ambtd() as server:
        for no_color in (False, True):
            env = {"NO_COLOR": "1"} if no_color else {}
            with AmbtTui(server, env=env) as ui:
                ui.wait_for(STUDY_DAY[:25])
                scr = ui.screen(attributes=True)
                has = COLOUR_SGR.search(scr) is not None
                if no_color:
                    t.ok(not has, "NO_COLOR: no colour attributes", repr(scr[:600]))
                    t.ok(reversed_video(scr), "NO_COLOR: the mono theme's reverse video")
                else:
                    t.ok(has, "the default theme draws in colour", repr(scr[:600]))
        with AmbtTui(server, term="vt100") as ui:
            ui.wait_for(STUDY_DAY[:25])
            scr = ui.screen(attributes=True)
            t.ok(COLOUR_SGR.search(scr) is None and reversed_video(scr),
                 "a terminal without colour (vt100) gets the mono theme",
                 repr(scr[:600]))


def check_sections(t):
    """set start_sections picks and orders the start page's sections; 6
    lists the notifications."""
    with Ambtd() as server:
        notes = [n for n in get_json(server, "/notifications.json")["notifications"]
                 if not n["read"]]
        who = notes[0]["data"]["display_username"] if notes else "?"
        with AmbtTui(server, config="set start_sections notifications,events\n",
                     width=100, height=30) as ui:
            scr = ui.wait_for(re.escape(who) + ": ")
            scr = ui.wait_for("Upcoming events")
            t.ok(scr.index("Unread notifications") < scr.index("Upcoming events"),
                 "start_sections orders the sections", scr)
            t.ok("Latest topics" not in scr and STUDY_DAY not in scr,
                 "a section not named is left out", scr)
            ui.send_keys("6")
            ui.wait_for("Notifications", where=lambda s: s.split("\n")[0])
            scr = ui.wait_for(re.escape(who) + ": ")
            t.ok(sum(1 for n in notes if n["data"]["display_username"] + ": " in scr) > 0,
                 "6 lists the notifications, the unread ones among them", scr)
            ui.send_keys("Q")
            t.eq(ui.exit_status(), 0, "the session with start_sections ends cleanly")
        with AmbtTui(server, config="set start_sections nieuws\n") as ui:
            scr = ui.wait_for("unknown section 'nieuws'", where=ui.status_line)
            scr = ui.wait_for(STUDY_DAY[:25])
            t.ok("Latest topics" in scr,
                 "start_sections with no known section: the usual start page",
                 scr)


def check_keys_command(t):
    table = open(os.path.join(srcdir(), "src", "keys.c"), encoding="utf-8").read()
    names = set(re.findall(r'\{ACT_\w+,\s*"([a-z-]+)"', table))
    header_text = open(os.path.join(srcdir(), "include", "ambt", "keys.h"),
                       encoding="utf-8").read()
    enum = header_text[header_text.index("enum key_action"):header_text.index("ACT_COUNT")]
    n_actions = len(re.findall(r"\bACT_\w+", enum)) - 1  # less ACT_NONE
    t.eq(len(names), n_actions, "the table names every action of keys.h")
    ui = Tui(["true"])  # only for its private XDG directories
    try:
        ui.write_config("bind thread n next-unread\n")
        r = subprocess.run([program("ambt"), "keys"], env=ui.env, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True, timeout=30)
        t.eq(r.returncode, 0, "ambt keys succeeds")
        lines = r.stdout.rstrip("\n").split("\n")
        fields = [l.split("\t") for l in lines]
        t.ok(all(len(f) == 4 and all(f) for f in fields),
             "ambt keys: view, key, action, description, tab-separated", r.stdout[:500])
        t.eq({f[2] for f in fields if len(f) == 4}, names,
             "ambt keys lists every action of the table")
        t.ok(["thread", "n", "next-unread"] in [f[:3] for f in fields],
             "ambt keys shows a bind from the config", r.stdout)
        t.ok(["global", "j", "down"] in [f[:3] for f in fields], "ambt keys: j moves down")
    finally:
        ui.cleanup()


def check_demo(t):
    """ambt --demo with no command starts its own ambtd and the reader."""
    ui = Tui([program("ambt"), "--demo"])
    try:
        ui.start()
        ui.wait_for(STUDY_DAY[:25], timeout=60)
        t.ok(ui.row(0).strip().startswith("Start page"), "ambt --demo opens the reader")
        ui.send_keys("Q")
        t.eq(ui.exit_status(), 0, "Q quits at once")
        no_sanitizer_report(t, ui, "ambt --demo")
    finally:
        ui.cleanup()


class SlowServer:
    """faultserver.py with /latest.json that never answers in time, and
    the other start-page requests answered from captured examples."""

    def __init__(self):
        examples = os.path.join(os.environ.get("AMBT_SHARED", os.path.join(srcdir(), "..", "shared")),
                                "discourse", "examples")
        self.proc = subprocess.Popen(
            [sys.executable, os.path.join(srcdir(), "tests", "faultserver.py"),
             "--root", examples,
             "--map", "/latest.json=route:/slow?delay=60",
             "--map", "/notifications.json=route:/json/api_GET_notifications.example-2019.json",
             "--map", "/discourse-post-event/events.json="
             "route:/json/discourse-post-event_events.json.example-plugin-2025-07.json"],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        line = self.proc.stdout.readline()
        self.url = line.split("listening on ", 1)[-1].strip()
        self.admin_key = "k"

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=10)
        self.proc.stdout.close()


def check_slow(t):
    """Loads in flight show; Esc cancels them; the UI never waits."""
    server = SlowServer()
    try:
        with AmbtTui(server) as ui:
            ui.wait_for("Loading the start page\u2026", where=ui.status_line)
            t.ok("loading\u2026" in ui.screen(), "the section still loading says so")
            ui.send_keys("Escape")
            ui.wait_for("Cancelled", where=ui.status_line)
            scr = ui.wait_for("loading\u2026", gone=True)
            t.ok(True, "Esc cancels the start page's loads")
            ui.send_keys("2")
            ui.wait_for("Loading latest topics\u2026", where=ui.status_line)
            t.ok(True, "the latest topics say they are loading")
            ui.send_keys("Q")
            t.eq(ui.exit_status(), 0, "Q quits at once while a load hangs")
            no_sanitizer_report(t, ui, "a hanging load")
    finally:
        server.stop()


def main():
    t = Tap()
    t.run("the main session", main_session, t)
    t.run("colours", check_colours, t)
    t.run("start sections", check_sections, t)
    t.run("ambt keys", check_keys_command, t)
    t.run("ambt --demo", check_demo, t)
    t.run("a slow server", check_slow, t)
    t.done()


if __name__ == "__main__":
    main()
