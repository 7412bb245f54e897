#!/usr/bin/env python3
"""ambtd_notifications.py: who is notified of what, and the totals.

Against a real ambtd: Discourse's notification types for a reply (2), a
mention (1), a quote (3), a like (5) and a post in a watched topic (9);
category watching (POST /category/{id}/notifications): watching (3)
notifies of new topics (watching_category_or_tag, 36) and their posts (9),
watching the first post (4) of new topics only (watching_first_post, 17);
never of one's own post; and GET /notifications/totals.json's counts as
newer Discourse serves them.

Users come from the demo seed, acted as with the admin API key.
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
BODY = "Een bericht dat lang genoeg is voor Discourse."
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


def post(srv, user, **form):
    status, j = api(srv, "POST", "/posts.json", user, {"raw": BODY, **form})
    if status != 200:
        raise RuntimeError(f"post: {status} {j}")
    return j


def unread(srv, user):
    """user's unread notifications, as (type, topic_id, post_number)."""
    status, j = api(srv, "GET", "/notifications.json?filter=unread", user)
    return [(n["notification_type"], n["topic_id"], n["post_number"])
            for n in j["notifications"]] if status == 200 else None


def mark_all_read(srv, user):
    api(srv, "PUT", "/notifications/mark-read.json", user, {})


def totals(srv, user):
    status, j = api(srv, "GET", "/notifications/totals.json", user)
    if status != 200:
        raise RuntimeError(f"totals: {status} {j}")
    return j


def test_types(srv):
    mark_all_read(srv, "demo")
    mine = post(srv, "demo", title="Een vraag van demo over open data", category=2)
    tid = mine["topic_id"]
    r = post(srv, "els", topic_id=tid, reply_to_post_number=1)
    t.eq(unread(srv, "demo"), [(2, tid, r["post_number"])], "a reply to one's post: replied (2)")
    mark_all_read(srv, "demo")
    m = post(srv, "els", topic_id=tid, raw="Zie ook @demo hierover. " + BODY)
    t.eq(unread(srv, "demo"), [(1, tid, m["post_number"])], "a mention: mentioned (1)")
    mark_all_read(srv, "demo")
    q = post(srv, "els", topic_id=tid,
             raw=f'[quote="demo, post:1, topic:{tid}"]\nEen vraag.\n[/quote]\n\n' + BODY)
    t.eq(unread(srv, "demo"), [(3, tid, q["post_number"])], "a quote: quoted (3)")
    mark_all_read(srv, "demo")
    status, _ = api(srv, "POST", "/post_actions.json", "els",
                    {"id": mine["id"], "post_action_type_id": 2})
    t.eq((status, unread(srv, "demo")), (200, [(5, tid, 1)]), "a like: liked (5)")
    mark_all_read(srv, "demo")
    # demo watches the topic (as its author); a plain post there: posted
    p = post(srv, "els", topic_id=tid)
    t.eq(unread(srv, "demo"), [(9, tid, p["post_number"])], "a post in a watched topic: posted (9)")
    mark_all_read(srv, "demo")
    post(srv, "demo", topic_id=tid, raw="Mijn eigen antwoord aan @demo. " + BODY)
    t.eq(unread(srv, "demo"), [], "one's own post notifies no one of it, not oneself")


def test_category_watching(srv):
    mark_all_read(srv, "demo")
    status, j = api(srv, "POST", "/category/1/notifications", "demo", {"notification_level": 3})
    t.eq((status, j.get("success") if isinstance(j, dict) else j), (200, "OK"),
         "POST /category/1/notifications: watching")
    topic = post(srv, "els", title="Nieuw in een gevolgde categorie", category=1)
    tid = topic["topic_id"]
    t.eq(unread(srv, "demo"), [(36, tid, 1)],
         "a new topic in a watched category: watching_category_or_tag (36)")
    mark_all_read(srv, "demo")
    r = post(srv, "koen", topic_id=tid)
    t.eq(unread(srv, "demo"), [(9, tid, r["post_number"])], "and its posts: posted (9)")
    mark_all_read(srv, "demo")
    status, _ = api(srv, "POST", f"/t/{tid}/notifications.json", "demo", {"notification_level": 1})
    post(srv, "koen", topic_id=tid)
    t.eq((status, unread(srv, "demo")), (200, []),
         "a topic set back to regular overrides the category")
    own = post(srv, "demo", title="Mijn eigen onderwerp in de categorie", category=1)
    t.eq(unread(srv, "demo"), [], "no notification of one's own new topic")
    t.ok(own["topic_id"] > tid, "(the own topic was made)")
    status, _ = api(srv, "POST", "/category/2/notifications.json", "demo", {"notification_level": 4})
    first = post(srv, "els", title="Een eerste bericht voor de volgers", category=2)
    t.eq((status, unread(srv, "demo")), (200, [(17, first["topic_id"], 1)]),
         "watching first post (4): watching_first_post (17) for a new topic")
    mark_all_read(srv, "demo")
    post(srv, "els", topic_id=first["topic_id"])
    t.eq(unread(srv, "demo"), [], "but not for its replies")
    api(srv, "POST", "/category/1/notifications", "demo", {"notification_level": 1})
    post(srv, "els", title="Niet meer gevolgd, dus geen melding", category=1)
    t.eq(unread(srv, "demo"), [], "regular (1) again: nothing")


def test_category_refusals(srv):
    status, _ = api(srv, "POST", "/category/1/notifications", "demo", {"notification_level": 5})
    t.eq(status, 400, "a level above 4 is a 400")
    status, _ = api(srv, "POST", "/category/5/notifications", "els", {"notification_level": 3})
    t.eq(status, 404, "a private category one cannot see is a 404")
    status, _ = api(srv, "POST", "/category/1/notifications", None, {"notification_level": 3})
    t.eq(status, 403, "anonymous: 403")
    api(srv, "POST", "/category/5/notifications", "demo", {"notification_level": 3})
    post(srv, "wouter", title="Besloten planning voor het kernteam", category=5)
    t.eq([n[0] for n in unread(srv, "demo")], [36], "a member watching a private category hears")
    mark_all_read(srv, "demo")


def test_recent(srv):
    """recent=true: the user menu's list (NotificationsController#index)."""
    _, full = api(srv, "GET", "/notifications.json", "demo")
    t.ok(len(full["notifications"]) > 15, "demo has more than 15 notifications",
         len(full["notifications"]))
    status, j = api(srv, "GET", "/notifications.json?recent=true&silent=true", "demo")
    t.eq(status, 200, "recent=true&silent=true is answered")
    t.eq(len(j["notifications"]), 15, "recent: 15 by default")
    t.ok("total_rows_notifications" not in j and "load_more_notifications" not in j
         and "seen_notification_id" in j, "recent: no paging fields, the seen id", sorted(j))
    t.eq([n["id"] for n in j["notifications"]], [n["id"] for n in full["notifications"][:15]],
         "recent: the same order as the full list")
    _, two = api(srv, "GET", "/notifications.json?recent=true&limit=2", "demo")
    t.eq(len(two["notifications"]), 2, "recent: limit=2 gives 2")
    _, many = api(srv, "GET", "/notifications.json?recent=true&limit=500", "demo")
    t.eq(len(many["notifications"]), min(50, len(full["notifications"])),
         "recent: a limit over 50 is cut to 50, not refused")
    t.eq(api(srv, "GET", "/notifications.json?recent=true&limit=nul", "demo")[0], 400,
         "recent: a limit that is no number is a 400")


def test_totals(srv):
    status, _ = api(srv, "GET", "/notifications/totals.json")
    t.eq(status, 403, "totals.json needs a login")
    mark_all_read(srv, "demo")
    before = totals(srv, "demo")
    t.ok(set(before) >= {"unread_notifications", "unread_personal_messages",
                         "unseen_reviewables", "topic_tracking", "group_inboxes"},
         "totals has Discourse's keys", before)
    t.eq(before["unread_notifications"], 0, "nothing unread after marking all read")
    t.ok(set(before["topic_tracking"]) == {"new", "unread"}
         and all(isinstance(v, int) for v in before["topic_tracking"].values()),
         "topic_tracking: new and unread counts", before["topic_tracking"])
    topic = post(srv, "els", title="Een onderwerp dat demo nog niet zag", category=4)
    post(srv, "els", topic_id=topic["topic_id"], raw="Hallo @demo. " + BODY)
    after = totals(srv, "demo")
    t.eq(after["unread_notifications"], 1, "a mention: one unread")
    t.eq(after["topic_tracking"]["new"], before["topic_tracking"]["new"] + 1,
         "a topic demo never opened counts as new")
    t.eq(after["unread_personal_messages"], 0, "no private messages")
    mark_all_read(srv, "demo")
    t.eq(totals(srv, "demo")["unread_notifications"], 0, "read again after mark-read")
    # reading the topic (timings) marks its notification read too
    post(srv, "els", topic_id=topic["topic_id"], raw="Nog eens @demo. " + BODY)
    status, _ = api(srv, "POST", "/topics/timings", "demo",
                    {"topic_id": topic["topic_id"], "topic_time": 1000, "timings[3]": 1000})
    t.eq((status, totals(srv, "demo")["unread_notifications"]), (200, 0),
         "reading the post counts it read")


def main():
    with Ambtd() as srv:
        t.run("notification types", test_types, srv)
        t.run("category watching", test_category_watching, srv)
        t.run("category refusals", test_category_refusals, srv)
        t.run("totals", test_totals, srv)
        t.run("recent", test_recent, srv)
    t.done()


main()
