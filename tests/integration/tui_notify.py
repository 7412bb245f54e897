#!/usr/bin/env python3
"""tui_notify.py: the watcher inside the TUI (issue 6), in tmux, against
ambtd --seed demo and a mock notification server on a private D-Bus
(tests/notifyd.py). Logged in as annelies, who watches topic 2: another
member's post there gives exactly one Notify (summary the topic's title),
shows in the status line and under "New since you opened" in the
notifications view, and its Open runs `x-terminal-emulator -e ambt tui
URL`; her own post gives none; with --no-notify the watcher
does not run and nothing reaches the desktop; without D-Bus nothing
crashes and the status line and the view still show it. `ambt tui 2/3`
and the URL form open the topic at post 3. Quitting while a send hangs
(ambtd stopped) ends cleanly under ASan."""
import json
import os
import re
import signal
import sqlite3
import stat
import sys
import time
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.join(os.environ["top_srcdir"], "tests"))
from notifyd import NotifyDaemon  # noqa: E402
from tap import Ambtd, Tap  # noqa: E402
from tuitest import AmbtTui  # noqa: E402

t = Tap()

USER = "annelies"  # she watches topic 2 in the demo seed
WATCHED = 2
# The shortest interval the watcher takes, so a test waits one cycle.
CONFIG = "set notify_interval 15\n"
# A cycle or two, long polls and the budget's pacing included.
NOTICE_WAIT = 90


def api(srv, method, path, user, form=None):
    data = urllib.parse.urlencode(form).encode() if form else None
    req = urllib.request.Request(srv.url + path, data=data, method=method,
                                 headers={"Api-Key": srv.admin_key,
                                          "Api-Username": user})
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read().decode())


def post(srv, user, raw, topic=WATCHED):
    return api(srv, "POST", "/posts.json", user, {"topic_id": topic, "raw": raw})


def title_of(srv, topic):
    return api(srv, "GET", "/t/%d.json" % topic, USER)["title"]


def watch_state(ui, name):
    """Is there a row of the watcher's state called name (LIKE)?"""
    db = os.path.join(ui.env["XDG_STATE_HOME"], "ambt", "state.sqlite3")
    if not os.path.exists(db):
        return False
    con = sqlite3.connect(db, timeout=10)
    try:
        return con.execute("SELECT count(*) FROM watch_state WHERE name LIKE ?",
                           (name,)).fetchone()[0] > 0
    except sqlite3.Error:
        return False
    finally:
        con.close()


def watch_since(ui):
    """The watcher's first run is over when it has recorded "since"."""
    return watch_state(ui, "since")


def wait_first_run(ui, what):
    deadline = time.time() + NOTICE_WAIT
    while not watch_since(ui) and time.time() < deadline and ui.alive():
        time.sleep(0.2)
    t.ok(watch_since(ui), "%s: the watcher's first run recorded where the forum is" % what,
         ui.screen() + ui.stderr())
    # Over MessageBus the first long poll learns where each channel is
    # ("from now"); a post before that would be older than the watch. A
    # server without MessageBus keeps no positions: then the wait ends.
    deadline = time.time() + 10
    while not watch_state(ui, "bus:%") and time.time() < deadline:
        time.sleep(0.2)


def status(ui):
    return lambda scr: ui.status_line(scr)


def quit_clean(ui, what):
    ui.send_keys("Q")
    code = ui.exit_status()
    err = ui.stderr()
    t.ok(code == 0 and "Sanitizer" not in err and "runtime error" not in err,
         "%s: ambt quits cleanly, no sanitizer report" % what,
         "status %s\n%s" % (code, err))


def in_notifications_view(ui, title, what):
    ui.send_keys("6")
    scr = ui.wait_for("New since you opened")
    t.ok(title in scr.split("New since you opened", 1)[1],
         "%s: the notice is listed under New since you opened" % what, scr)


def fake_terminal(ui):
    """An x-terminal-emulator on PATH that writes down its arguments."""
    bindir = os.path.join(ui.tmp, "bin")
    os.makedirs(bindir)
    marker = os.path.join(ui.tmp, "terminal-args")
    path = os.path.join(bindir, "x-terminal-emulator")
    with open(path, "w", encoding="utf-8") as f:
        f.write("#!/bin/sh\nprintf '%%s\\n' \"$@\" > '%s.tmp'\nmv '%s.tmp' '%s'\n"
                % (marker, marker, marker))
    os.chmod(path, stat.S_IRWXU)
    ui.env["PATH"] = bindir + ":" + ui.env["PATH"]
    return marker


def open_action(ui, nd, call, srv):
    """Open on the notice runs ambt tui URL in a new terminal."""
    nd.invoke_action(call["id"], "open")
    deadline = time.time() + 20
    while not os.path.exists(ui.marker) and time.time() < deadline:
        time.sleep(0.05)
    args = open(ui.marker, encoding="utf-8").read().split("\n") if \
        os.path.exists(ui.marker) else []
    t.ok(len(args) >= 4 and args[0] == "-e" and args[1].endswith("ambt")
         and args[2] == "tui" and args[3].startswith(srv.url + "/t/%d/" % WATCHED),
         "Open: x-terminal-emulator -e ambt tui URL of the post", args)


def desktop(srv):
    title = title_of(srv, WATCHED)
    with NotifyDaemon() as nd:
        ui = AmbtTui(srv, username=USER, config=CONFIG, width=200,
                     env={"DBUS_SESSION_BUS_ADDRESS": nd.address})
        ui.marker = fake_terminal(ui)
        with ui, AmbtTui(srv, username=USER, config=CONFIG, extra_args=("--no-notify",),
                         env={"DBUS_SESSION_BUS_ADDRESS": nd.address}) as quiet:
            desktop_notices(srv, nd, ui, quiet, title)


def desktop_notices(srv, nd, ui, quiet, title):
    ui.wait_for("Latest topics")
    quiet.wait_for("Latest topics")
    wait_first_run(ui, "desktop")

    post(srv, "koen", "Komt er ook een livestream van de studiedag?")
    calls = nd.wait_calls(1, timeout=NOTICE_WAIT)
    t.eq(len(calls), 1, "another member's post: one Notify")
    if calls:
        t.eq(calls[0]["summary"], title, "its summary: the topic's title")
        open_action(ui, nd, calls[0], srv)
    scr = ui.wait_for("koen: Komt er ook een livestream", where=status(ui),
                      timeout=NOTICE_WAIT)
    t.ok(title[:20] in ui.status_line(scr), "the status line shows the notice",
         ui.status_line(scr))

    # Her own post says nothing; the next one of another member does,
    # so a cycle has passed over hers.
    post(srv, USER, "Ik vraag het na bij de organisatie, Koen.")
    post(srv, "els", "Een livestream zou fijn zijn voor de collega's in Gent.")
    calls = nd.wait_calls(2, timeout=NOTICE_WAIT)
    time.sleep(1)
    calls = nd.calls()
    t.eq(len(calls), 2, "her own post: no Notify (the next member's: one)")
    if len(calls) == 2:
        t.ok("els" in calls[1]["body"], "the second Notify is els's post",
             calls[1]["body"])

    t.ok(not watch_since(quiet), "--no-notify: the watcher does not run")
    in_notifications_view(ui, title, "desktop")
    quit_clean(ui, "desktop")
    quit_clean(quiet, "--no-notify")
    t.eq(len(nd.calls()), 2, "--no-notify: nothing reached the desktop from it")


def no_dbus(srv):
    title = title_of(srv, WATCHED)
    with AmbtTui(srv, username=USER, config=CONFIG, width=200,
                 env={"DBUS_SESSION_BUS_ADDRESS": "unix:path=/nonexistent/ambt-bus"}) as ui:
        ui.wait_for("Latest topics")
        wait_first_run(ui, "no D-Bus")
        post(srv, "maarten", "Zonder bureaublad komt dit ook aan, hoop ik.")
        scr = ui.wait_for("maarten: Zonder bureaublad", where=status(ui),
                          timeout=NOTICE_WAIT)
        t.ok(ui.alive(), "no D-Bus: no crash, the status line shows the notice",
             ui.status_line(scr))
        in_notifications_view(ui, title, "no D-Bus")
        quit_clean(ui, "no D-Bus")


def open_post(srv):
    title = title_of(srv, WATCHED)
    slug = api(srv, "GET", "/t/%d.json" % WATCHED, USER)["slug"]
    for what, ref in (("TOPIC/POST", "%d/3" % WATCHED),
                      ("URL", "%s/t/%s/%d/3" % (srv.url, slug, WATCHED))):
        with AmbtTui(srv, username=USER, extra_args=("--no-notify", "tui", ref)) as ui:
            scr = ui.wait_for(title[:20], where=lambda s: s.split("\n")[0])
            scr = ui.wait_for("#3 ")
            t.ok("#3 " in scr, "ambt tui %s opens the topic at post 3" % what, scr)
            quit_clean(ui, "ambt tui " + what)
    with AmbtTui(srv, username=USER,
                 extra_args=("tui", "http://elders.example/t/x/%d/3" % WATCHED)) as ui:
        code = ui.exit_status()
        t.ok(code == 1 and "not an address of" in ui.stderr(),
             "a URL of another server is refused", ui.stderr())


def quit_during_send(srv):
    ui = AmbtTui(srv, username="demo", extra_args=("--no-notify",))
    ui.env.pop("VISUAL", None)
    editor = os.path.join(ui.tmp, "editor.sh")
    with open(editor, "w", encoding="utf-8") as f:
        f.write("#!/bin/sh\necho 'Een antwoord dat nooit aankomt: de server staat stil.'"
                " > \"$1\"\n")
    os.chmod(editor, stat.S_IRWXU)
    ui.env["EDITOR"] = editor
    with ui:
        ui.wait_for("Studiedag Ambtenaar")
        time.sleep(0.3)
        ui.send_keys("Enter")
        ui.wait_for(re.compile(r"#\d+  "))
        srv.proc.send_signal(signal.SIGSTOP)
        try:
            ui.send_keys("r")
            ui.wait_for("Preview of the reply")
            ui.send_keys("y")
            ui.wait_for("Preview of the reply", gone=True)
            time.sleep(0.5)
            quit_clean(ui, "quit while a send hangs")
        finally:
            srv.proc.send_signal(signal.SIGCONT)


def main():
    with Ambtd() as srv:
        t.run("desktop notices", desktop, srv)
        t.run("no D-Bus", no_dbus, srv)
        t.run("open a post", open_post, srv)
        t.run("quit during a send", quit_during_send, srv)
    t.done()


main()
