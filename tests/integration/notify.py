#!/usr/bin/env python3
"""notify.py: the desktop notifier (src/notify.c) through notify_probe,
against a mock notification server on a private D-Bus (tests/notifyd.py),
and with no bus at all."""
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.environ["top_srcdir"], "tests"))
from notifyd import NotifyDaemon  # noqa: E402
from tap import Tap, builddir  # noqa: E402

PROBE = os.path.join(builddir(), "tests", "unit", "notify_probe")
URL = "http://127.0.0.1:9/t/selor-en-sociale-media/42/3"


def probe(args, env, stdin=None):
    return subprocess.run([PROBE] + args, env=env, capture_output=True,
                          timeout=60, stdin=stdin)


def no_bus_env(tmp):
    env = dict(os.environ)
    for var in ("DBUS_SESSION_BUS_ADDRESS", "DISPLAY", "WAYLAND_DISPLAY"):
        env.pop(var, None)
    env["XDG_RUNTIME_DIR"] = tmp  # holds no bus socket
    return env


def test_one_notice(t):
    with NotifyDaemon() as nd:
        r = probe(["--kind", "reply", "SELOR en sociale media",
                   "annelies: Beste collega's", URL], nd.env())
        t.eq(r.returncode, 0, "one notice: exit 0")
        t.eq(r.stdout.decode(), "desktop\n", "one notice: the desktop took it")
        calls = nd.wait_calls(1)
        t.eq(len(calls), 1, "one notice: exactly one Notify")
        if not calls:
            return
        c = calls[0]
        t.eq(c["app_name"], "ambt", "app name ambt")
        t.eq(c["summary"], "SELOR en sociale media", "summary: the title")
        t.eq(c["body"], "annelies: Beste collega's", "body: author and line")
        t.eq(c["hints"].get("urgency"), 1, "a reply is of normal urgency")
        t.eq(c["actions"], [("open", "Open")], "the Open action is offered")


def test_urgency_by_kind(t):
    with NotifyDaemon() as nd:
        for kind in ("post", "event", "monitored"):
            probe(["--kind", kind, "T", "b"], nd.env())
        got = [c["hints"].get("urgency") for c in nd.wait_calls(3)]
        t.eq(got, [0, 2, 1], "urgency: post low, event critical, monitored normal")


def test_open_action(t, tmp):
    marker = os.path.join(tmp, "opened")
    script = os.path.join(tmp, "open.sh")
    with open(script, "w", encoding="utf-8") as f:
        f.write('#!/bin/sh\nprintf "%s|%s" "$1" "$2" > "$0.tmp" && mv "$0.tmp" '
                + marker + "\n")
    os.chmod(script, 0o755)
    with NotifyDaemon() as nd:
        p = subprocess.Popen([PROBE, "--wait", "--command", script + " --post",
                              "T", "b", URL], env=nd.env(),
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE)
        try:
            t.eq(p.stdout.readline(), b"desktop\n", "open: shown")
            calls = nd.wait_calls(1)
            nd.invoke_action(calls[0]["id"], "open")
            deadline = time.time() + 20
            while not os.path.exists(marker) and time.time() < deadline:
                time.sleep(0.05)
            t.ok(os.path.exists(marker), "ActionInvoked ran the command")
            if os.path.exists(marker):
                with open(marker, encoding="utf-8") as f:
                    t.eq(f.read(), "--post|" + URL,
                         "the command got its words and the URL, no shell")
        finally:
            p.stdin.close()
            rc = p.wait(timeout=30)
        t.eq(rc, 0, "open: the probe's poll loop ends cleanly")
        t.eq(p.stderr.read(), b"", "open: nothing on stderr (no leak report)")


def test_no_actions(t):
    with NotifyDaemon(caps="body") as nd:
        probe(["T", "a & <b>", URL], nd.env())
        calls = nd.wait_calls(1)
        t.eq([c["actions"] for c in calls], [[]],
             "no actions capability: no Open action")
        t.eq([c["body"] for c in calls], ["a & <b>"],
             "no body-markup capability: the body is sent as it is")


def test_no_bus(t, tmp):
    r = probe(["--kind", "mention", "T", "b", URL], no_bus_env(tmp))
    t.eq(r.returncode, 0, "no D-Bus: exit 0")
    t.eq(r.stdout.decode(), "fallback: T | b\n", "no D-Bus: the fallback got it")
    t.eq(r.stderr, b"", "no D-Bus: nothing on stderr")
    env = no_bus_env(tmp)
    env["DBUS_SESSION_BUS_ADDRESS"] = "unix:path=" + os.path.join(tmp, "nobus")
    r = probe(["T", "b"], env)
    t.eq((r.returncode, r.stdout.decode()), (0, "fallback: T | b\n"),
         "a bus address with nothing behind it: the fallback")


def test_no_server(t):
    with NotifyDaemon(server=False) as nd:
        r = probe(["T", "b", URL], nd.env())
        t.eq((r.returncode, r.stdout.decode()), (0, "fallback: T | b\n"),
             "a bus with no notification server: the fallback")


def test_server_later(t):
    with NotifyDaemon(server=False) as nd:
        p = subprocess.Popen([PROBE, "--again", "T", "b", URL], env=nd.env(),
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        try:
            t.eq(p.stdout.readline(), b"fallback: T | b\n",
                 "no server yet: the fallback")
            nd.start_server()
            p.stdin.write(b"\n")
            p.stdin.flush()
            t.eq(p.stdout.readline(), b"desktop\n",
                 "a server that came later is used")
            t.eq(len(nd.wait_calls(1)), 1, "server later: one Notify")
        finally:
            p.stdin.close()
            p.wait(timeout=30)


def test_disabled(t):
    with NotifyDaemon() as nd:
        r = probe(["--disabled", "T", "b", URL], nd.env())
        t.eq(r.stdout.decode(), "fallback: T | b\n", "disabled: the fallback")
        time.sleep(0.5)  # a Notify, were one sent, has reached the mock
        t.eq(nd.calls(), [], "disabled: no Notify")


def test_hostile(t):
    summary = b"Titel \x1b]0;pwned\x07 \x1b[2J\xff\xfe einde"
    body = b"<b>vet</b> & <a href='x'>link</a>\r\nregel twee \x9b31m"
    with NotifyDaemon() as nd:
        r = probe([summary, body, URL], nd.env())
        t.eq(r.stdout, b"desktop\n", "hostile text: the desktop took it")
        calls = nd.wait_calls(1)
        if not t.eq(len(calls), 1, "hostile text: one Notify"):
            return
        s, b = calls[0]["summary"], calls[0]["body"]
        bad = [ch for ch in s + b if ord(ch) < 0x20 or 0x7f <= ord(ch) < 0xa0]
        t.eq(bad, [], "hostile text: no control characters reach the server")
        t.ok("\ufffd" in s and "einde" in s, "invalid UTF-8 replaced, rest kept", s)
        t.ok("<" not in b and ">" not in b and "&lt;b&gt;vet&lt;/b&gt; &amp;" in b,
             "hostile text: markup escaped in the body", b)


def test_post_body(t, tmp):
    cooked = ('<aside class="quote"><blockquote><p>eerder</p></blockquote></aside>'
              '<p>Wie monitort <strong>SELOR</strong> op <a href="https://x">Twitter</a>?'
              '</p><p>Tweede alinea</p>')
    r = probe(["--post-body", "koen", cooked, "80"], no_bus_env(tmp))
    t.eq(r.stdout.decode(), "koen: Wie monitort SELOR op Twitter?\n",
         "post body: author and the first line the author wrote, rendered")
    r = probe(["--post-body", "koen", "<p>" + "lang " * 40 + "</p>", "30"],
              no_bus_env(tmp))
    line = r.stdout.decode().rstrip("\n")
    t.ok(len(line) <= 30 and line.endswith("…"), "post body: cut with …", line)


def main():
    t = Tap()
    with tempfile.TemporaryDirectory(prefix="ambt-notify-") as tmp:
        t.run("one notice", test_one_notice, t)
        t.run("urgency", test_urgency_by_kind, t)
        t.run("open action", test_open_action, t, tmp)
        t.run("no actions", test_no_actions, t)
        t.run("no bus", test_no_bus, t, tmp)
        t.run("no server", test_no_server, t)
        t.run("server later", test_server_later, t)
        t.run("disabled", test_disabled, t)
        t.run("hostile", test_hostile, t)
        t.run("post body", test_post_body, t, tmp)
    t.done()


main()
