#!/usr/bin/env python3
"""watch_bus.py: ambt watch following ambtd over MessageBus long polls.

With --interval 3600 a plain poll never comes again within a test, so a
post that reaches the watcher came through a held long poll (ambtd's hold
is shortened with AMBTD_LONG_POLL_MS). The positions are kept in the state
database: a restart resumes from them and repeats nothing. Behind a proxy
that answers 404 for /message-bus, the watcher says once that it polls
instead, and still notifies. Notices go to stderr (no D-Bus).
"""
import json
import os
import queue
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import http.server
import urllib.error
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.join(os.environ["top_srcdir"], "tests"))
from tap import Ambtd, Tap, program  # noqa: E402

KEY = "test-admin-key"
USER = "annelies"  # she watches topic 2 in the demo seed
WATCHED = 2
os.environ["AMBTD_LONG_POLL_MS"] = "4000"
os.environ["AMBTD_POST_RATE"] = "1000/1"
LIVE = "following the forum by long polling"
FALLBACK = "offers no MessageBus"


def post(srv, user, topic, raw):
    data = urllib.parse.urlencode({"topic_id": topic, "raw": raw}).encode()
    req = urllib.request.Request(srv.url + "/posts.json", data=data, method="POST",
                                 headers={"Api-Key": KEY, "Api-Username": user})
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read().decode())


def env_for(home):
    env = dict(os.environ)
    for name in ("STATE", "CACHE", "CONFIG"):
        env[f"XDG_{name}_HOME"] = os.path.join(home, name.lower())
    env["LC_ALL"] = "C"
    env["DBUS_SESSION_BUS_ADDRESS"] = "unix:path=" + os.path.join(home, "no-bus")
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    return env


def args(url, *extra):
    return [program("ambt"), "--server", url, "--api-key", KEY,
            "--api-username", USER, "watch", *extra]


class Watcher:
    """ambt watch running, its stderr lines collected by a thread."""

    def __init__(self, url, home, interval):
        self.lines = []
        self.q = queue.Queue()
        self.proc = subprocess.Popen(args(url, "--interval", str(interval)),
                                     env=env_for(home), stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE, text=True)
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self):
        for line in self.proc.stderr:
            self.lines.append(line)
            self.q.put(line)

    def wait_for(self, text, timeout=40):
        deadline = time.time() + timeout
        while not any(text in line for line in self.lines):
            left = deadline - time.time()
            if left <= 0:
                return False
            try:
                self.q.get(timeout=left)
            except queue.Empty:
                return False
        return True

    def count(self, text):
        return sum(text in line for line in self.lines)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.thread.join(timeout=10)
        return self.proc.returncode


def baseline(url, home):
    """A first run records where the forum is and says nothing."""
    return subprocess.run(args(url, "--once"), env=env_for(home),
                          capture_output=True, text=True, timeout=60)


def kept_position(home):
    """The /latest position kept in the state database (one server)."""
    con = sqlite3.connect(os.path.join(home, "state", "ambt", "state.sqlite3"))
    try:
        row = con.execute("SELECT value FROM watch_state WHERE name = ?",
                          ("bus:/latest",)).fetchone()
    finally:
        con.close()
    return int(row[0]) if row else None


def test_live(t, srv, home):
    r = baseline(srv.url, home)
    t.eq(r.returncode, 0, "first run: exit 0")
    w = Watcher(srv.url, home, 3600)
    try:
        t.ok(w.wait_for(LIVE), "the watcher says it follows by long polling",
             "".join(w.lines))
        time.sleep(1)  # the -1 poll is answered; the next one is held
        post(srv, "koen", WATCHED, "Komt er een verslag van de studiedag?")
        t.ok(w.wait_for("koen: Komt er een verslag van de studiedag?"),
             "another member's post arrives through a held long poll (no plain "
             "poll within --interval 3600)", "".join(w.lines))
        t.eq(w.count(FALLBACK), 0, "no fallback to polling")
        # The post may have come with the round of fetches that follows
        # the first positions (it closes the gap since the REST cycle);
        # the long poll after it then brings its /latest message.
        deadline = time.time() + 20
        while time.time() < deadline and not (kept_position(home) or 0) > 0:
            time.sleep(0.2)
    finally:
        t.eq(w.stop(), 0, "SIGTERM: exit 0")
    t.ok("ERROR" not in "".join(w.lines), "no sanitizer report", "".join(w.lines)[-2000:])
    kept = kept_position(home)
    t.ok(kept is not None and kept > 0, "the /latest position is kept", str(kept))

    post(srv, "maarten", WATCHED, "Ik stuur mijn notities door naar iedereen.")
    w = Watcher(srv.url, home, 3600)
    try:
        t.ok(w.wait_for("maarten: Ik stuur mijn notities door"),
             "a restart: the post made while stopped is notified", "".join(w.lines))
        t.ok(w.wait_for(LIVE), "a restart: long polling again", "".join(w.lines))
        time.sleep(2)  # the first poll from the kept position answers
        post(srv, "koen", WATCHED, "Dank je, Maarten, dat is heel handig!")
        t.ok(w.wait_for("koen: Dank je, Maarten, dat is heel handig!"),
             "a restart: the next post through the bus", "".join(w.lines))
        t.eq((w.count("Komt er een verslag"), w.count("maarten: Ik stuur")), (0, 1),
             "a restart repeats nothing")
    finally:
        w.stop()
    later = kept_position(home)
    t.ok(later is not None and kept is not None and later > kept,
         "the kept position moved on", f"{kept} -> {later}")


class NoBusProxy:
    """In front of ambtd, a server without MessageBus: 404 for
    /message-bus, everything else passed on."""

    def __init__(self, upstream):
        proxy = self
        self.bus_polls = 0

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def answer(self, status, body):
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(length)
                if self.path.startswith("/message-bus/"):
                    proxy.bus_polls += 1
                self.answer(404, b'{"errors":["not found"]}')

            def do_GET(self):
                headers = {k: v for k, v in self.headers.items()
                           if k.lower() in ("api-key", "api-username", "accept")}
                req = urllib.request.Request(upstream + self.path, headers=headers)
                try:
                    with urllib.request.urlopen(req, timeout=30) as r:
                        status, body = r.status, r.read()
                except urllib.error.HTTPError as e:
                    status, body = e.code, e.read()
                self.answer(status, body)

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=10)


def test_fallback(t, srv, home):
    proxy = NoBusProxy(srv.url)
    try:
        baseline(proxy.url, home)
        w = Watcher(proxy.url, home, 15)
        try:
            t.ok(w.wait_for(FALLBACK), "no MessageBus: the watcher says it polls",
                 "".join(w.lines))
            post(srv, "koen", WATCHED, "Gezien zonder MessageBus?")
            t.ok(w.wait_for("koen: Gezien zonder MessageBus?", timeout=60),
                 "no MessageBus: polling still notifies", "".join(w.lines))
            t.eq(w.count(FALLBACK), 1, "the fallback is said once")
        finally:
            t.eq(w.stop(), 0, "no MessageBus: SIGTERM exits 0")
        t.eq(proxy.bus_polls, 1, "one long poll tried, none after the 404")
    finally:
        proxy.close()


def main():
    t = Tap()
    homes = [tempfile.mkdtemp(prefix="ambt-watch-bus-") for _ in range(2)]
    try:
        with Ambtd(admin_key=KEY) as srv:
            t.run("live", test_live, t, srv, homes[0])
            t.run("fallback", test_fallback, t, srv, homes[1])
    finally:
        for h in homes:
            shutil.rmtree(h, ignore_errors=True)
    t.done()


main()
