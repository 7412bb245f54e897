#!/usr/bin/env python3
"""watch.py: ambt watch against ambtd, its notices going to a mock
notification server on a private D-Bus (tests/notifyd.py): a first run
says nothing, another member's post in a watched topic gives one notice,
one's own none, 25 at once one summary, a restart repeats nothing, a
monitored word one, an event starting soon one reminder; without D-Bus the
notice is a line on stderr; SIGTERM ends it with exit 0."""
import datetime
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.join(os.environ["top_srcdir"], "tests"))
from notifyd import NotifyDaemon  # noqa: E402
from tap import Ambtd, Tap, program  # noqa: E402

KEY = "test-admin-key"
USER = "annelies"  # she watches topic 2 in the demo seed
WATCHED = 2
OTHER_TOPIC = 4
MENTION_TOPIC = 8  # neither watched nor with a monitored word


def request(srv, method, path, user, form=None):
    data = urllib.parse.urlencode(form).encode() if form else None
    req = urllib.request.Request(srv.url + path, data=data, method=method,
                                 headers={"Api-Key": KEY, "Api-Username": user})
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read().decode())


def post(srv, user, topic, raw):
    return request(srv, "POST", "/posts.json", user, {"topic_id": topic, "raw": raw})


def env_for(home, base):
    env = dict(base)
    for name in ("STATE", "CACHE", "CONFIG"):
        env[f"XDG_{name}_HOME"] = os.path.join(home, name.lower())
    env["LC_ALL"] = "C"
    return env


def watch(srv, env, *extra, timeout=60):
    return subprocess.run([program("ambt"), "--server", srv.url, "--api-key", KEY,
                           "--api-username", USER, "watch", "--once", *extra],
                          env=env, capture_output=True, text=True, timeout=timeout)


def test_notices(t, srv, home):
    title = request(srv, "GET", f"/t/{WATCHED}.json", USER)["title"]
    with NotifyDaemon() as nd:
        env = env_for(home, nd.env())
        r = watch(srv, env)
        t.eq(r.returncode, 0, "first run: exit 0")
        time.sleep(0.5)
        t.eq(len(nd.calls()), 0, "first run: nothing from the past")

        post(srv, "koen", WATCHED, "Is er parking bij de zaal?\n\nTweede alinea.")
        r = watch(srv, env)
        calls = nd.wait_calls(1)
        t.eq(len(calls), 1, "another member's post: exactly one Notify")
        if calls:
            t.eq(calls[0]["summary"], title, "summary: the topic's title")
            t.eq(calls[0]["body"], "koen: Is er parking bij de zaal?",
                 "body: the author and the first line")

        post(srv, USER, WATCHED, "Ja, er is parking achter het gebouw.")
        watch(srv, env)
        time.sleep(0.5)
        t.eq(len(nd.calls()), 1, "one's own post: no Notify")

        for i in range(25):
            post(srv, "maarten", WATCHED, f"Bericht nummer {i + 1} over de studiedag.")
        watch(srv, env)
        calls = nd.wait_calls(2)
        t.eq(len(calls), 2, "25 posts at once: one more Notify")
        if len(calls) == 2:
            t.eq(calls[1]["summary"], "25 new posts in 1 topic",
                 "25 posts: a coalesced summary")

        r = watch(srv, env)
        time.sleep(0.5)
        t.eq((r.returncode, len(nd.calls())), (0, 2), "a restart repeats nothing")

        os.makedirs(os.path.join(home, "config", "ambt"), exist_ok=True)
        with open(os.path.join(home, "config", "ambt", "config"), "w",
                  encoding="utf-8") as f:
            f.write("monitor omgevingswet\n")
        post(srv, "els", OTHER_TOPIC, "Wat betekent de Omgevingswet voor ons webinar?")
        post(srv, "els", OTHER_TOPIC, "De omgevingswetten zijn iets anders.")
        watch(srv, env)
        calls = nd.wait_calls(3)
        time.sleep(0.5)
        calls = nd.calls()
        t.eq(len(calls), 3, "a monitored word: one Notify")
        if len(calls) == 3:
            t.ok("Omgevingswet" in calls[2]["body"], "the monitored post's line",
                 calls[2]["body"])

        start = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(minutes=30)
        raw = (f'[event start="{start:%Y-%m-%d %H:%M}" timezone="UTC" '
               f'name="Koffie met de Woo-coach"]\n[/event]\n\nWelkom!')
        request(srv, "POST", "/posts.json", "sanne",
                {"title": "Koffie met de Woo-coach vandaag", "raw": raw})
        watch(srv, env)
        calls = nd.wait_calls(4)
        t.eq(len(calls), 4, "an event starting soon: one reminder")
        if len(calls) == 4:
            t.eq(calls[3]["summary"], "Koffie met de Woo-coach", "reminder: the event's name")
        watch(srv, env)
        time.sleep(0.5)
        t.eq(len(nd.calls()), 4, "the reminder is not repeated")

        mentioned = request(srv, "GET", f"/t/{MENTION_TOPIC}.json", USER)["title"]
        post(srv, "koen", MENTION_TOPIC, "Goede vraag @annelies, ik zoek het uit.")
        watch(srv, env)
        calls = nd.wait_calls(5)
        t.eq(len(calls), 5, "a mention: one Notify")
        if len(calls) == 5:
            t.eq((calls[4]["summary"], calls[4]["body"]),
                 (mentioned, "koen mentioned you"), "a mention: the topic and who")

        request(srv, "POST", "/posts.json", "koen",
                {"title": "Even onder ons: de sprekerslijst", "archetype": "private_message",
                 "target_recipients": USER,
                 "raw": "Kun je de sprekerslijst nog eens nakijken?"})
        watch(srv, env)
        calls = nd.wait_calls(6)
        t.eq(len(calls), 6, "a private message: one Notify")
        if len(calls) == 6:
            t.eq((calls[5]["summary"], calls[5]["body"]),
                 ("Even onder ons: de sprekerslijst", "koen sent you a message"),
                 "a private message: its title and who sent it")


def test_no_dbus(t, srv, home):
    env = env_for(home, os.environ)
    env["DBUS_SESSION_BUS_ADDRESS"] = "unix:path=" + os.path.join(home, "no-bus")
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    watch(srv, env)  # the first run only records
    post(srv, "koen", WATCHED, "Zonder bureaublad ook gezien?")
    r = watch(srv, env)
    t.eq(r.returncode, 0, "no D-Bus: exit 0, no crash")
    t.ok("koen: Zonder bureaublad ook gezien?" in r.stderr, "no D-Bus: the stderr line",
         r.stderr)


def test_sigterm(t, srv, home):
    env = env_for(home, os.environ)
    p = subprocess.Popen([program("ambt"), "--server", srv.url, "--api-key", KEY,
                          "--api-username", USER, "watch", "--no-notify",
                          "--interval", "15"], env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        time.sleep(2)
        t.ok(p.poll() is None, "ambt watch keeps running")
        p.send_signal(signal.SIGTERM)
        out, err = p.communicate(timeout=30)
        t.eq(p.returncode, 0, "SIGTERM: exit 0")
        t.ok("ERROR" not in err, "SIGTERM: no sanitizer report", err[-2000:])
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()


def main():
    t = Tap()
    homes = [tempfile.mkdtemp(prefix="ambt-watch-") for _ in range(3)]
    try:
        with Ambtd(admin_key=KEY) as srv:
            t.run("notices", test_notices, t, srv, homes[0])
            t.run("no D-Bus", test_no_dbus, t, srv, homes[1])
            t.run("SIGTERM", test_sigterm, t, srv, homes[2])
    finally:
        for h in homes:
            shutil.rmtree(h, ignore_errors=True)
    t.done()


main()
