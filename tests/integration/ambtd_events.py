#!/usr/bin/env python3
"""ambtd_events.py: ambtd's events, as the discourse-post-event plugin serves them.

Against a real ambtd --seed demo: the study day in Grimbergen is listed at
the right UTC instants for Europe/Brussels, the index filters work, the
detail has stats, RSVP (going, interested, not going, leave) changes them
and shows as watching_invitee, permissions hold, and writing a post with an
[event] block (POST /posts.json) makes an event that an edit removes.

The RSVP checks use an event this test creates far in the future: the seed's
events lie near the day it was written and pass as time goes by.
"""
import datetime
import json
import os
import re
import sqlite3
import sys
import urllib.error
import urllib.parse
import urllib.request
import zoneinfo

sys.path.insert(0, os.path.join(os.environ.get("top_srcdir", "."), "tests"))
from tap import Ambtd, Tap  # noqa: E402

t = Tap()
EVENTS = "/discourse-post-event/events"


class Client:
    """Requests to one ambtd, anonymous or as a user through the admin key."""

    def __init__(self, srv, username=None):
        self.url = srv.url
        self.headers = {"Accept": "application/json"}
        if username:
            self.headers.update({"Api-Key": srv.admin_key, "Api-Username": username})

    def call(self, method, path, form=None, params=None):
        """(status, parsed JSON or None) of one request."""
        url = self.url + path
        if params:
            url += "?" + urllib.parse.urlencode(params)
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        req = urllib.request.Request(url, data=data, method=method, headers=self.headers)
        try:
            with urllib.request.urlopen(req, timeout=10) as r:
                status, body = r.status, r.read()
        except urllib.error.HTTPError as e:
            status, body = e.code, e.read()
        try:
            return status, json.loads(body)
        except ValueError:
            return status, None

    def get(self, path, **params):
        return self.call("GET", path, params=params)


def iso(dt):
    """A UTC datetime as ambtd writes it."""
    return dt.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def block_instant(raw, attr):
    """An [event] attribute's wall time in the block's zone, as a UTC datetime."""
    tag = re.search(r"^\[event\b([^\]]*)\]", raw, re.M).group(1)
    attrs = dict(re.findall(r'(\w+)="([^"]*)"', tag))
    zone = zoneinfo.ZoneInfo(attrs.get("timezone", "UTC"))
    local = datetime.datetime.strptime(attrs[attr], "%Y-%m-%d %H:%M").replace(tzinfo=zone)
    return local.astimezone(datetime.timezone.utc)


def db_value(srv, sql):
    with sqlite3.connect(f"file:{srv.db}?mode=ro", uri=True) as db:
        return db.execute(sql).fetchone()[0]


def ordinary_member(db_path, but):
    """A member who is neither admin nor moderator, other than `but`."""
    with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as db:
        row = db.execute("SELECT username FROM users WHERE admin = 0 AND moderator = 0"
                         " AND username <> ? AND id > 0 ORDER BY id LIMIT 1", (but,)).fetchone()
    return row[0]


def find_study_day(anon):
    status, body = anon.get(EVENTS + ".json")
    t.eq(status, 200, "GET events.json answers 200")
    events = body["events"] if status == 200 else []
    day = [e for e in events if "Grimbergen" in e["post"]["topic"]["title"] + (e.get("name") or "")]
    if not day:  # the name may not say Grimbergen; the details' location does
        status, body = anon.get(EVENTS + ".json", include_details="true")
        day = [e for e in body.get("events", []) if "Grimbergen" in (e.get("location") or "")]
    t.ok(len(day) == 1, "the study day in Grimbergen is listed once",
         json.dumps(events, indent=1)[:2000])
    return day[0]


def check_study_day(srv, anon, demo, day):
    raw = db_value(srv, f"SELECT raw FROM posts WHERE id = {int(day['id'])}")
    t.eq(day["starts_at"], iso(block_instant(raw, "start")),
         "starts_at is the block's Europe/Brussels start as a UTC instant")
    t.eq(day["ends_at"], iso(block_instant(raw, "end")),
         "ends_at is the block's end as a UTC instant")
    t.eq(day["timezone"], "Europe/Brussels", "the event keeps its time zone")
    t.eq(day["post"]["id"], day["id"], "an event's id is its post's id")
    t.ok(day["post"]["url"].endswith(f"/{day['post']['topic']['id']}/{day['post']['post_number']}"),
         "post.url points at the post", day["post"])
    status, topic = anon.get(f"/t/{day['post']['topic']['id']}.json")
    first = topic["post_stream"]["posts"][0] if status == 200 else {}
    t.eq((first.get("event") or {}).get("id"), day["id"],
         "the post in /t/{id}.json carries its event")
    status, body = demo.call("POST", f"{EVENTS}/{day['id']}/invitees.json",
                             {"invitee[status]": "going"})
    t.eq(status, 403, "RSVP to an event that is over is refused")


def check_filters(anon, day):
    start = datetime.datetime.strptime(day["starts_at"], "%Y-%m-%dT%H:%M:%S.000Z")
    on_day = {"after": iso(start.replace(hour=0, minute=0)),
              "before": iso(start.replace(hour=0, minute=0) + datetime.timedelta(days=1))}
    status, body = anon.get(EVENTS + ".json", **on_day)
    ids = [e["id"] for e in body.get("events", [])]
    t.ok(status == 200 and day["id"] in ids, "after/before around the day list it", ids)
    t.ok(all(on_day["after"] <= e["starts_at"] < on_day["before"] for e in body["events"]),
         "after/before keep only events starting in the window")
    later = iso(start + datetime.timedelta(seconds=1))
    status, body = anon.get(EVENTS + ".json", after=later)
    t.ok(day["id"] not in [e["id"] for e in body.get("events", [])],
         "after its start leaves it out")
    status, body = anon.get(EVENTS + ".json", before=day["starts_at"])
    t.ok(day["id"] not in [e["id"] for e in body.get("events", [])],
         "before is exclusive")
    _, asc = anon.get(EVENTS + ".json", order="asc")
    _, desc = anon.get(EVENTS + ".json", order="desc")
    starts = [e["starts_at"] for e in asc["events"]]
    t.ok(len(starts) >= 2 and starts == sorted(starts), "order=asc sorts by starts_at", starts)
    t.eq([e["id"] for e in desc["events"]], [e["id"] for e in asc["events"]][::-1],
         "order=desc is the reverse")
    status, body = anon.get(EVENTS + ".json", limit=1)
    t.eq(len(body.get("events", [])), 1, "limit=1 gives one event")
    status, body = anon.get(EVENTS + ".json", limit=0)
    t.eq((status, body.get("error_type") if body else None), (400, "invalid_parameters"),
         "limit=0 is a 400 in Discourse's shape")
    status, body = anon.get(EVENTS + ".json", category_id=day["category_id"])
    t.ok(status == 200 and body["events"] and
         all(e["category_id"] == day["category_id"] for e in body["events"]),
         "category_id keeps that category's events")
    status, body = anon.get(EVENTS + ".json", include_details="true")
    t.ok(status == 200 and all("stats" in e and "status" in e for e in body["events"]),
         "include_details adds stats and status")


def create_event_topic(admin_as_demo, category_id):
    raw = ("Een testbijeenkomst ver in de toekomst.\n\n"
           '[event start="2099-06-01 10:00" end="2099-06-01 12:30" '
           'timezone="Europe/Brussels" status="public" name="Testbijeenkomst" '
           'location="Brussel"]\nKort overleg.\n[/event]\n')
    status, post = admin_as_demo.call("POST", "/posts.json", {
        "title": "Testbijeenkomst over de toekomst van open data",
        "raw": raw, "category": str(category_id)})
    t.eq(status, 200, "POST /posts.json with an [event] block succeeds")
    return post if status == 200 else None


def check_created_event(anon, post):
    status, body = anon.get(f"{EVENTS}/{post['id']}.json")
    ev = body.get("event", {}) if status == 200 else {}
    t.eq(status, 200, "the new post's event exists")
    t.eq((ev.get("name"), ev.get("starts_at"), ev.get("ends_at"), ev.get("location")),
         ("Testbijeenkomst", "2099-06-01T08:00:00.000Z", "2099-06-01T10:30:00.000Z", "Brussel"),
         "its name, UTC instants (CEST) and location come from the block")
    t.eq(ev.get("description"), "Kort overleg.", "the block's text is the description")
    t.eq(ev.get("stats"), {"going": 0, "interested": 0, "not_going": 0, "invited": 0},
         "a new event has empty stats")
    t.ok("watching_invitee" in ev and ev["watching_invitee"] is None,
         "anonymous: watching_invitee is null", ev.get("watching_invitee"))


def check_rsvp(srv, anon, demo, other, event_id):
    path = f"{EVENTS}/{event_id}/invitees.json"
    status, body = anon.call("POST", path, {"invitee[status]": "going"})
    t.eq((status, (body or {}).get("error_type")), (403, "not_logged_in"),
         "anonymous RSVP is a 403 not_logged_in")
    status, body = demo.call("POST", path, {"invitee[status]": "maybe"})
    t.eq(status, 400, "an unknown status is a 400")
    status, body = demo.call("POST", path, {"invitee[status]": "going"})
    invitee = (body or {}).get("invitee", {})
    t.ok(status == 200 and invitee.get("status") == "going" and
         invitee.get("user", {}).get("username") == "demo",
         "demo RSVPs going", body)
    status, body = anon.get(EVENTS + ".json", attending_user="demo")
    t.ok(event_id in [e["id"] for e in body.get("events", [])],
         "attending_user=demo lists the event demo goes to", body)
    status, ev = demo.get(f"{EVENTS}/{event_id}.json")
    ev = ev["event"]
    t.eq(ev["stats"], {"going": 1, "interested": 0, "not_going": 0, "invited": 1},
         "stats count the answer")
    watching = ev.get("watching_invitee") or {}
    t.eq((watching.get("id"), watching.get("status"), watching.get("user_id")),
         (invitee.get("id"), "going", invitee.get("user", {}).get("id")),
         "watching_invitee is demo's answer")
    t.ok(ev.get("can_update_attendance") is True, "demo can update attendance")
    status, body = demo.call("POST", path, {"invitee[status]": "interested"})
    t.ok(status == 200 and body["invitee"]["id"] == invitee.get("id"),
         "a second POST keeps one row per user", body)
    member = path[:-5] + f"/{invitee.get('id')}.json"
    status, body = demo.call("PUT", member, {"invitee[status]": "not_going"})
    t.ok(status == 200 and body["invitee"]["status"] == "not_going", "PUT changes the answer", body)
    status, lst = anon.get(path, type="not_going")
    t.eq([i["user"]["username"] for i in lst.get("invitees", [])], ["demo"],
         "the invitees list filters by type")
    status, lst = anon.get(path, type="going")
    t.eq(lst.get("invitees"), [], "nobody is going now")
    status, body = anon.get(EVENTS + ".json", attending_user="demo")
    t.ok(event_id not in [e["id"] for e in body.get("events", [])],
         "attending_user lists only events one is going to")
    status, body = other.call("PUT", member, {"invitee[status]": "going"})
    t.eq((status, (body or {}).get("error_type")), (403, "invalid_access"),
         "another member cannot change demo's answer")
    status, body = other.call("DELETE", member)
    t.eq(status, 403, "another member cannot delete demo's answer")
    status, body = demo.call("DELETE", member)
    t.eq((status, body), (200, {"success": "OK"}), "demo leaves the event")
    status, ev = demo.get(f"{EVENTS}/{event_id}.json")
    t.ok(ev["event"]["watching_invitee"] is None and ev["event"]["stats"]["invited"] == 0,
         "after leaving: no watching_invitee, no invitees", ev["event"].get("stats"))
    status, body = demo.call("DELETE", member)
    t.eq(status, 404, "deleting it twice is a 404")


def check_edit_removes(demo, post):
    raw = "Het overleg gaat niet door."
    status, body = demo.call("PUT", f"/posts/{post['id']}.json", {"post[raw]": raw})
    t.eq(status, 200, "editing the [event] block away succeeds")
    status, body = demo.get(f"{EVENTS}/{post['id']}.json")
    t.eq(status, 404, "the event is gone with its block")
    bad = '[event start="2099-13-45 10:00"]\n[/event]\n'
    status, body = demo.call("PUT", f"/posts/{post['id']}.json", {"post[raw]": bad})
    t.eq(status, 422, "an [event] with a bad date is refused with a 422")


def check_private(srv, anon):
    """An event in a private category stays as private as its topic."""
    admin = Client(srv, db_value(srv, "SELECT username FROM users WHERE admin = 1 LIMIT 1"))
    category, group = sqlite3.connect(f"file:{srv.db}?mode=ro", uri=True).execute(
        "SELECT id, read_group_id FROM categories WHERE read_group_id IS NOT NULL").fetchone()
    outsider = db_value(srv, "SELECT username FROM users WHERE admin = 0 AND moderator = 0"
                             " AND id NOT IN (SELECT user_id FROM group_users"
                             f" WHERE group_id = {int(group)}) ORDER BY id LIMIT 1")
    status, post = admin.call("POST", "/posts.json", {
        "title": "Besloten overleg van de redactie over de planning",
        "raw": '[event start="2099-03-01 10:00" status="private" name="Besloten"]\n[/event]\n',
        "category": str(category)})
    t.eq(status, 200, "an admin posts an event in a private category")
    event_id = post.get("id") if status == 200 else -1
    for who, client in (("anonymous", anon), ("a non-member", Client(srv, outsider))):
        status, body = client.get(EVENTS + ".json")
        t.ok(event_id not in [e["id"] for e in body.get("events", [])],
             f"{who}: the private category's event is not listed")
        status, body = client.get(f"{EVENTS}/{event_id}.json")
        t.eq(status, 404, f"{who}: the private event is a 404")
    status, body = admin.get(f"{EVENTS}/{event_id}.json")
    t.ok(status == 200 and body["event"]["status"] == "private" and
         body["event"]["timezone"] is None and body["event"]["starts_at"] == "2099-03-01T10:00:00.000Z",
         "staff see it; no timezone means UTC", body)
    status, body = anon.get(f"{EVENTS}/999999.json")
    t.eq(status, 404, "an unknown event is a 404")


def main():
    with Ambtd(seed="demo") as srv:
        anon, demo = Client(srv), Client(srv, "demo")
        other = Client(srv, ordinary_member(srv.db, "demo"))
        day = find_study_day(anon)
        check_study_day(srv, anon, demo, day)
        check_filters(anon, day)
        check_private(srv, anon)
        post = create_event_topic(demo, day["category_id"])
        if post:
            check_created_event(anon, post)
            check_rsvp(srv, anon, demo, other, post["id"])
            check_edit_removes(demo, post)
        t.eq(srv.stop(), 0, "ambtd stops cleanly")
        log = srv.log()
        t.ok(not any(w in log for w in ("AddressSanitizer", "LeakSanitizer", "runtime error")),
             "no sanitizer report in ambtd's log", log)


t.run("events against ambtd --seed demo", main)
t.done()
