#!/usr/bin/env python3
"""ambtd_pm.py: private messages as Discourse takes them.

Against a real ambtd: POST /posts.json with archetype=private_message and
target_recipients makes a topic only its participants (author and
recipients) and staff can read, with details.allowed_users; the
recipients watch it and get a private_message (6) notification, high
priority, and so do the others who watch it (not one who muted it) on
each reply; a mention of an outsider notifies no one; the message is in
no topic list or search and not on /latest, only in its participants'
GET /topics/private-messages/{username}.json, and its /topic messages
reach the participants only; no recipient or an unknown one is a 422.

Users come from the demo seed, acted as with the admin API key: els
writes to demo and koen; wouter is an outsider; annelies is staff.
"""
import json
import os
import sys
import urllib.error
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.join(os.environ.get("top_srcdir", "."), "tests"))
from tap import Ambtd, Tap  # noqa: E402

t = Tap()
KEY = "test-admin-key"
BODY = "Een persoonlijk bericht dat lang genoeg is voor Discourse."
TITLE = "Onder ons: de planning van de studiedag"
os.environ["AMBTD_POST_RATE"] = "1000/1"


def api(srv, method, path, user=None, form=None):
    headers = {}
    data = None
    if user:
        headers.update({"Api-Key": KEY, "Api-Username": user})
    if form is not None:
        data = urllib.parse.urlencode(form).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    req = urllib.request.Request(srv.url + path, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            status, raw = r.status, r.read()
    except urllib.error.HTTPError as e:
        status, raw = e.code, e.read()
    try:
        return status, json.loads(raw)
    except ValueError:
        return status, raw.decode("utf-8", "replace")


def unread(srv, user):
    """user's unread notifications, as (type, topic_id, post_number, high)."""
    status, j = api(srv, "GET", "/notifications.json?filter=unread", user)
    return [(n["notification_type"], n["topic_id"], n["post_number"], n["high_priority"])
            for n in j["notifications"]] if status == 200 else None


def poll(srv, channels, user=None):
    status, j = api(srv, "POST", "/message-bus/pm0/poll?dlp=t", user, channels)
    if status != 200:
        raise RuntimeError(f"poll: {status} {j}")
    return [m for m in j if m["channel"] != "/__status"]


def status_of(srv, channels):
    _, j = api(srv, "POST", "/message-bus/pm0/poll?dlp=t", None, channels)
    return [m["data"] for m in j if m["channel"] == "/__status"][0]


def test_create(srv):
    for who in ("demo", "koen", "wouter", "els"):
        api(srv, "PUT", "/notifications/mark-read.json", who, {})
    latest = status_of(srv, {"/latest": -1})["/latest"]
    status, pm = api(srv, "POST", "/posts.json", "els",
                     {"title": TITLE, "raw": BODY, "archetype": "private_message",
                      "target_recipients": "demo,koen", "category": 1})
    t.eq(status, 200, "a private message to demo and koen is accepted")
    if status != 200:
        return None
    tid = pm["topic_id"]
    _, view = api(srv, "GET", f"/t/{tid}.json", "els")
    t.eq((view.get("archetype"), view.get("category_id")), ("private_message", None),
         "its topic is a private message, in no category")
    allowed = [u["username"] for u in view.get("details", {}).get("allowed_users", [])]
    t.ok(allowed[:1] == ["els"] and sorted(allowed[1:]) == ["demo", "koen"],
         "details.allowed_users: the author, then the recipients", allowed)
    for who in ("demo", "koen", "annelies"):
        t.eq(api(srv, "GET", f"/t/{tid}.json", who)[0], 200, f"{who} may read it")
    for who in ("wouter", None):
        t.eq(api(srv, "GET", f"/t/{tid}.json", who)[0], 404, f"{who or 'anonymous'} may not")
    for who in ("demo", "koen"):
        t.eq(unread(srv, who), [(6, tid, 1, True)],
             f"{who} is notified: private_message (6), high priority")
    t.eq(unread(srv, "els"), [], "the writer is not")
    _, totals = api(srv, "GET", "/notifications/totals.json", "demo")
    t.eq(totals.get("unread_personal_messages"), 1, "totals count it as a personal message")
    _, lst = api(srv, "GET", "/latest.json", "demo")
    t.ok(all(x["id"] != tid for x in lst["topic_list"]["topics"]),
         "it is not in /latest.json, even for a participant")
    _, found = api(srv, "GET", "/search.json?q=" + urllib.parse.quote("studiedag planning"),
                   "wouter")
    t.ok(all(p["topic_id"] != tid for p in found["posts"]), "nor in an outsider's search")
    t.eq(poll(srv, {"/latest": latest}, "demo"), [], "nor on /latest of the message bus")
    return tid


def test_reply(srv, tid):
    status, r = api(srv, "POST", "/posts.json", "demo",
                    {"topic_id": tid, "raw": "Prima, ik kijk het na. @wouter weet er meer van.",
                     "reply_to_post_number": 1})
    t.eq(status, 200, "a participant replies")
    if status != 200:
        return
    n = r["post_number"]
    t.eq([u[:3] for u in unread(srv, "els")], [(6, tid, n)],
         "the author hears of the reply as private_message, not replied")
    t.eq([u[:3] for u in unread(srv, "koen")], [(6, tid, 1), (6, tid, n)][::-1],
         "so does the other recipient")
    t.eq(unread(srv, "wouter"), [], "a mentioned outsider hears nothing")
    status, _ = api(srv, "POST", "/posts.json", "wouter", {"topic_id": tid, "raw": BODY})
    t.eq(status, 404, "an outsider cannot reply")
    chan = f"/topic/{tid}"
    types = [m["data"]["type"] for m in poll(srv, {chan: 0}, "koen")]
    t.eq(types, ["created", "created"], f"{chan} reaches a recipient")
    t.eq(poll(srv, {chan: 0}, "wouter"), [], f"{chan} does not reach an outsider")
    t.eq(poll(srv, {chan: 0}), [], "nor anonymous")


def test_mute(srv, tid):
    _, view = api(srv, "GET", f"/t/{tid}.json", "koen")
    t.eq(view["details"]["notification_level"], 3, "a recipient watches the message")
    before = unread(srv, "koen")
    status, _ = api(srv, "POST", f"/t/{tid}/notifications.json", "koen",
                    {"notification_level": 0})
    t.eq(status, 200, "a recipient mutes it")
    status, r = api(srv, "POST", "/posts.json", "els", {"topic_id": tid, "raw": BODY})
    t.eq(status, 200, "the author writes again")
    t.eq(unread(srv, "koen"), before, "the muted recipient hears nothing")
    t.ok((6, tid, r.get("post_number"), True) in unread(srv, "demo"),
         "the one who still watches does", unread(srv, "demo"))


def test_list(srv, tid):
    def ids(who, whose):
        status, j = api(srv, "GET", f"/topics/private-messages/{whose}.json", who)
        return status, [x["id"] for x in j["topic_list"]["topics"]] if status == 200 else j

    for who in ("els", "demo", "koen"):
        status, got = ids(who, who)
        t.ok(status == 200 and tid in got, f"{who}'s message list holds it", got)
    status, got = ids("wouter", "wouter")
    t.ok(status == 200 and tid not in got, "an outsider's list does not", got)
    t.eq(ids("wouter", "demo")[0], 403, "another member's list is refused")
    t.eq(api(srv, "GET", "/topics/private-messages/demo.json")[0], 403,
         "and asks anonymous to log in")
    _, j = api(srv, "GET", "/topics/private-messages/demo.json", "demo")
    t.ok(all(x["archetype"] == "private_message" for x in j["topic_list"]["topics"]),
         "it lists private messages only", j["topic_list"]["topics"])


def test_errors(srv):
    base = {"title": TITLE, "raw": BODY, "archetype": "private_message"}
    status, j = api(srv, "POST", "/posts.json", "els", base)
    t.ok(status == 422 and j["errors"], "no recipient: 422 with the reason", j)
    status, j = api(srv, "POST", "/posts.json", "els",
                    {**base, "target_recipients": "demo,niemand_hier"})
    t.ok(status == 422 and "niemand_hier" in j["errors"][0],
         "an unknown recipient: 422 naming them", j)
    status, j = api(srv, "POST", "/posts.json", "els",
                    {**base, "target_usernames": "koen"})
    t.eq(status, 200, "target_usernames, the older name, works too")


def main():
    with Ambtd() as srv:
        tid = test_create(srv)
        if tid:
            t.run("reply", test_reply, srv, tid)
            t.run("mute", test_mute, srv, tid)
            t.run("list", test_list, srv, tid)
        t.run("errors", test_errors, srv)
        t.ok("AddressSanitizer" not in srv.log() and "runtime error" not in srv.log(),
             "no sanitizer report in the log", srv.log())
    t.done()


main()
