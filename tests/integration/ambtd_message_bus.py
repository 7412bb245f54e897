#!/usr/bin/env python3
"""ambtd_message_bus.py: MessageBus long polling against a real ambtd.

POST /message-bus/{client_id}/poll as the message_bus gem serves it: -1 and
/__status, ?dlp=t, relative (-N) positions, the backlog of 100 per channel,
a held Dont-Chunk poll answered by another member's post, the chunked
framing, the payloads of /topic, /latest, /new, /notification,
/notification-alert and /discourse-post-event, who may see what (a private
category's group, a user's own notification channels), a poll with a key
over its limits going on as anonymous, and a clean stop with polls held.

The hold is shortened with AMBTD_LONG_POLL_MS; the post rate limit is
lifted with AMBTD_POST_RATE. Users come from the demo seed, acted as with
the admin API key: demo is in the kernteam group, els is not.
"""
import hashlib
import http.client
import json
import os
import sqlite3
import sys
import time
import threading
import urllib.parse

sys.path.insert(0, os.path.join(os.environ.get("top_srcdir", "."), "tests"))
from tap import Ambtd, Tap  # noqa: E402

t = Tap()
KEY = "test-admin-key"
BODY = "Een bericht dat lang genoeg is voor Discourse."
HOLD_MS = 10000  # long enough for a post to land under load
os.environ["AMBTD_LONG_POLL_MS"] = str(HOLD_MS)
os.environ["AMBTD_POST_RATE"] = "1000/1"


def request(srv, method, path, user=None, form=None, headers=None, timeout=30):
    """(status, headers, raw body) of one request over HTTP/1.1."""
    u = urllib.parse.urlsplit(srv.url)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=timeout)
    hdrs = dict(headers or {})
    data = None
    if user:
        hdrs.update({"Api-Key": KEY, "Api-Username": user})
    if form is not None:
        data = urllib.parse.urlencode(form)
        hdrs["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        conn.request(method, path, body=data, headers=hdrs)
        r = conn.getresponse()
        return r.status, r.headers, r.read()
    finally:
        conn.close()


def api(srv, method, path, user=None, form=None):
    status, _, raw = request(srv, method, path, user, form)
    try:
        return status, json.loads(raw)
    except ValueError:
        return status, raw.decode("utf-8", "replace")


def poll(srv, channels, user=None, dlp=False, chunked=False, timeout=30):
    """The messages of one poll (a list), or for chunked the raw body."""
    path = "/message-bus/c0ffee/poll" + ("?dlp=t" if dlp else "")
    headers = {} if chunked else {"Dont-Chunk": "true"}
    status, hdrs, raw = request(srv, "POST", path, user, channels, headers, timeout)
    if status != 200:
        raise RuntimeError(f"poll: {status} {raw!r}")
    if chunked:
        return hdrs, raw.decode()
    return json.loads(raw)


def status_of(messages):
    return [m["data"] for m in messages if m["channel"] == "/__status"]


def on(messages, channel):
    return [m for m in messages if m["channel"] == channel]


def user_id(srv, name):
    return api(srv, "GET", f"/u/{name}.json")[1]["user"]["id"]


def reply(srv, user, topic_id, raw=BODY, **extra):
    status, j = api(srv, "POST", "/posts.json", user, dict(topic_id=topic_id, raw=raw, **extra))
    if status != 200:
        raise RuntimeError(f"reply: {status} {j}")
    return j


def new_topic(srv, user, category, title):
    status, j = api(srv, "POST", "/posts.json", user,
                    dict(title=title, raw=BODY, category=category))
    if status != 200:
        raise RuntimeError(f"topic: {status} {j}")
    return j


def held(srv, channels, user=None, chunked=False):
    """Start a poll in a thread; join it for .result."""
    box = {}

    def run():
        try:
            box["result"] = poll(srv, channels, user, chunked=chunked)
        except Exception as e:  # noqa: BLE001 (the test reports it)
            box["error"] = repr(e)

    th = threading.Thread(target=run)
    th.start()
    th.box = box
    return th


def polls_logged(srv):
    """How many polls the server logged (the whole log: Ambtd.log() gives
    only its tail)."""
    with open(os.path.join(srv.tmp, "ambtd.log"), encoding="utf-8", errors="replace") as f:
        return f.read().count("/message-bus/")


def wait_until_held(srv, before):
    """Until the server logged one more poll request than before (a held
    poll logs when it is taken in, before it is answered)."""
    for _ in range(400):
        if polls_logged(srv) > before:
            return
        threading.Event().wait(0.05)
    raise RuntimeError("the poll did not reach the server")


def test_status_and_dlp(srv):
    msgs = poll(srv, {"/latest": -1, "/topic/1": -1}, dlp=True)
    t.eq(len(msgs), 1, "-1 with dlp=t: one message")
    t.eq(msgs[0]["channel"], "/__status", "it is /__status")
    t.eq((msgs[0]["global_id"], msgs[0]["message_id"]), (-1, -1), "status ids are -1")
    t.ok(set(msgs[0]["data"]) == {"/latest", "/topic/1"}, "status names each channel",
         msgs[0]["data"])
    long = poll(srv, {"/latest": -1})
    t.eq(status_of(long), [{"/latest": msgs[0]["data"]["/latest"]}],
         "-1 on a long poll answers the status at once")


def test_held_poll_topic(srv, els_id):
    pos = status_of(poll(srv, {"/topic/1": -1}, dlp=True))[0]["/topic/1"]
    before = polls_logged(srv)
    th = held(srv, {"/topic/1": pos}, user="demo")
    wait_until_held(srv, before)
    j = reply(srv, "els", 1)
    th.join(30)
    msgs = th.box.get("result")
    t.ok(msgs is not None and len(on(msgs, "/topic/1")) == 1,
         "a held poll is answered with the new post", th.box)
    if not msgs:
        return
    m = on(msgs, "/topic/1")[0]
    t.eq(m["message_id"], pos + 1, "/topic message_id follows the position")
    d = m["data"]
    t.eq((d["id"], d["post_number"], d["user_id"], d["type"]),
         (j["id"], j["post_number"], els_id, "created"), "/topic payload: the created post")
    t.ok(d.get("last_editor_id") == els_id and d.get("version") == 1
         and d.get("updated_at", "").endswith("Z"), "/topic payload: editor, version, time", d)
    # an edit is "revised"
    status, _ = api(srv, "PUT", f"/posts/{j['id']}.json", "els", {"post[raw]": BODY + " Aangepast."})
    msgs = poll(srv, {"/topic/1": pos + 1}, dlp=True)
    t.ok(status == 200 and [m["data"]["type"] for m in msgs] == ["revised"],
         "an edit publishes type revised", msgs)


def test_latest_new(srv):
    pos = status_of(poll(srv, {"/latest": -1, "/new": -1}, dlp=True))[0]
    j = new_topic(srv, "els", 1, "Een nieuw onderwerp over de berichtenbus")
    msgs = poll(srv, pos, dlp=True)
    latest, new = on(msgs, "/latest"), on(msgs, "/new")
    t.ok(len(latest) == 1 and latest[0]["data"]["topic_id"] == j["topic_id"]
         and latest[0]["data"]["message_type"] == "latest", "/latest: the new topic", msgs)
    if latest:
        p = latest[0]["data"]["payload"]
        t.ok(p["category_id"] == 1 and p["archetype"] == "regular" and p["bumped_at"],
             "/latest payload: bumped_at, category_id, archetype", p)
    t.ok(len(new) == 1 and new[0]["data"]["message_type"] == "new_topic", "/new: new_topic", new)
    if new:
        p = new[0]["data"]["payload"]
        t.ok(p["highest_post_number"] == 1 and p["last_read_post_number"] is None
             and p["created_in_new_period"] is True, "/new payload as TopicTrackingState", p)
    reply(srv, "els", j["topic_id"])
    again = poll(srv, {"/new": pos["/new"] + 1, "/latest": pos["/latest"] + 1}, dlp=True)
    t.ok(len(on(again, "/new")) == 0 and len(on(again, "/latest")) == 1,
         "a reply bumps /latest, not /new", again)


def test_notification_channels(srv, demo_id):
    chans = {f"/notification/{demo_id}": -1, f"/notification-alert/{demo_id}": -1}
    pos = status_of(poll(srv, chans, user="demo", dlp=True))[0]
    j = reply(srv, "els", 1, "Wat denk jij, @demo? " + BODY)
    msgs = poll(srv, pos, user="demo", dlp=True)
    alert = on(msgs, f"/notification-alert/{demo_id}")
    t.eq(len(alert), 1, "a mention gives one /notification-alert")
    if alert:
        a = alert[0]["data"]
        t.eq((a["notification_type"], a["topic_id"], a["post_number"], a["username"]),
             (1, 1, j["post_number"], "els"), "alert: mentioned, where, by whom")
        t.ok(a["post_url"].endswith(f"/1/{j['post_number']}") and a["post_url"].startswith("/t/"),
             "alert: post_url", a["post_url"])
        t.ok(a["topic_title"] and "@demo" in a["excerpt"] and "<" not in a["excerpt"],
             "alert: topic_title and a plain excerpt", a)
    state = on(msgs, f"/notification/{demo_id}")
    t.ok(len(state) >= 1, "and a /notification state", msgs)
    if state:
        s = state[-1]["data"]
        t.ok(s["unread_notifications"] + s["unread_high_priority_notifications"] >= 1
             and s["last_notification"]["notification"]["notification_type"] == 1
             and s["all_unread_notifications_count"] >= 1 and isinstance(s["recent"], list),
             "state: counts and last_notification", s)
    other = poll(srv, {c: 0 for c in chans}, user="els", dlp=True)
    t.ok(not [m for m in other if m["channel"] != "/__status"],
         "another member gets nothing of demo's notification channels", other)
    anon = poll(srv, {c: 0 for c in chans}, dlp=True)
    t.ok(not [m for m in anon if m["channel"] != "/__status"],
         "anonymous gets nothing of them either", anon)
    t.ok(status_of(other) and status_of(other)[0].get(f"/notification/{demo_id}", 0) > 0,
         "filtered messages are replaced by a /__status with their ids", other)


def test_private_category(srv):
    pos = status_of(poll(srv, {"/latest": -1}, dlp=True))[0]["/latest"]
    j = new_topic(srv, "wouter", 5, "Planning van het kernteam voor volgend jaar")
    member = on(poll(srv, {"/latest": pos}, user="demo", dlp=True), "/latest")
    t.ok([m["data"]["topic_id"] for m in member] == [j["topic_id"]],
         "a group member sees the private topic on /latest", member)
    for who in ("els", None):
        seen = on(poll(srv, {"/latest": pos}, user=who, dlp=True), "/latest")
        t.eq(seen, [], f"{who or 'anonymous'} does not")
    chan = f"/topic/{j['topic_id']}"
    reply(srv, "demo", j["topic_id"])
    t.eq(on(poll(srv, {chan: 0}, user="els", dlp=True), chan), [],
         "nor its /topic channel")
    t.eq([m["data"]["type"] for m in on(poll(srv, {chan: 0}, user="annelies", dlp=True), chan)],
         ["created", "created"], "staff do (the topic and the reply)")


def test_relative_and_cap(srv):
    j = new_topic(srv, "annelies", 2, "Een onderwerp voor de achterstand")
    chan = f"/topic/{j['topic_id']}"  # "created" for post 1: message 1
    for i in range(104):
        status, _ = api(srv, "PUT", f"/posts/{j['id']}.json", "annelies",
                        {"post[raw]": f"{BODY} Versie {i}."})
        if status != 200:
            t.ok(False, "edits for the backlog", status)
            return
    msgs = on(poll(srv, {chan: 0}, dlp=True), chan)
    ids = [m["message_id"] for m in msgs]
    t.eq(len(msgs), 100, "105 messages on a channel: the backlog keeps 100")
    t.eq((ids[0], ids[-1]), (6, 105), "the oldest 5 are gone")
    t.eq(ids, sorted(ids), "in order")
    last = on(poll(srv, {chan: -3}, dlp=True), chan)
    t.eq([m["message_id"] for m in last], [104, 105],
         "-3 counts back from the end (message_bus: the last 2)")
    t.eq([m["message_id"] for m in on(poll(srv, {chan: -2}, dlp=True), chan)], [105],
         "-2 is the last message")
    t.eq(len(on(poll(srv, {chan: -500}, dlp=True), chan)), 100,
         "counting back past the start gives the whole backlog")
    ahead = poll(srv, {chan: 500}, dlp=True)
    t.eq(status_of(ahead), [{chan: 105}], "a position ahead of the channel resets to /__status")
    globals_ = [m["global_id"] for m in msgs]
    t.ok(globals_ == sorted(globals_) and len(set(globals_)) == 100, "global ids rise")


def test_post_actions(srv):
    j = new_topic(srv, "annelies", 2, "Een onderwerp om te waarderen en te melden")
    chan = f"/topic/{j['topic_id']}"
    pos = status_of(poll(srv, {chan: -1}, dlp=True))[0][chan]
    like = api(srv, "POST", "/post_actions.json", "els", {"id": j["id"], "post_action_type_id": 2})
    unlike = api(srv, "DELETE", f"/post_actions/{j['id']}.json?post_action_type_id=2", "els")
    flag = api(srv, "POST", "/post_actions.json", "koen",
               {"id": j["id"], "post_action_type_id": 3})
    t.eq((like[0], unlike[0], flag[0]), (200, 200, 200), "like, unlike and flag accepted")
    msgs = on(poll(srv, {chan: pos}, dlp=True), chan)
    t.eq([(m["data"]["type"], m["data"]["id"]) for m in msgs],
         [("liked", j["id"]), ("unliked", j["id"]), ("acted", j["id"])],
         "/topic hears liked, unliked and acted (a flag), as PostActionCreator and "
         "PostActionDestroyer publish")


def test_chunked(srv):
    pos = status_of(poll(srv, {"/topic/1": -1}, dlp=True))[0]["/topic/1"]
    before = polls_logged(srv)
    th = held(srv, {"/topic/1": pos, "/latest": -1}, chunked=True)
    wait_until_held(srv, before)
    reply(srv, "els", 1)
    th.join(30)
    res = th.box.get("result")
    t.ok(res is not None, "a chunked poll ends after the hold", th.box)
    if not res:
        return
    hdrs, body = res
    t.eq(hdrs.get("Transfer-Encoding"), "chunked", "chunked without Dont-Chunk")
    t.ok(hdrs.get("Content-Type", "").startswith("text/plain"), "as text/plain", hdrs)
    parts = body.split("\r\n|\r\n")
    t.eq(parts[-1], "", "every chunk ends with the separator")
    batches = [json.loads(p) for p in parts[:-1]]
    t.eq((batches[0], batches[-1]), ([], []), "the stream opens and closes with []")
    inner = [m for b in batches[1:-1] for m in b]
    t.ok(status_of(inner) and len(on(inner, "/topic/1")) == 1,
         "between them the status and the new post", batches)


def test_hold_knob(srv):
    pos = status_of(poll(srv, {"/topic/2": -1}, dlp=True))[0]["/topic/2"]
    msgs = poll(srv, {"/topic/2": pos}, timeout=HOLD_MS / 1000 + 15)
    t.eq(msgs, [], "nothing new: [] when the shortened hold ends (not after 25 s)")


def test_event_channel(srv):
    raw = ('[event start="2099-06-01 10:00" end="2099-06-01 12:30" '
           'status="public" timezone="Europe/Brussels"]\n[/event]\n\n' + BODY)
    pos = status_of(poll(srv, {"/latest": -1}, dlp=True))[0]["/latest"]
    status, j = api(srv, "POST", "/posts.json", "els",
                    dict(title="Een meetup over de berichtenbus", raw=raw, category=3))
    if status != 200:
        t.ok(False, "an event topic", j)
        return
    chan = f"/discourse-post-event/{j['topic_id']}"
    created = on(poll(srv, {chan: 0}, dlp=True), chan)
    t.eq([m["data"] for m in created], [{"id": j["id"]}],
         "a new event publishes {id} on /discourse-post-event/{topic}")
    status, _ = api(srv, "POST", f"/discourse-post-event/events/{j['id']}/invitees.json",
                    "demo", {"invitee[status]": "going"})
    msgs = on(poll(srv, {chan: 1}, dlp=True), chan)
    t.ok(status == 200 and [m["data"] for m in msgs] == [{"id": j["id"]}],
         "an RSVP publishes it again", msgs)
    t.ok(len(on(poll(srv, {"/latest": pos}, dlp=True), "/latest")) == 1, "and /latest the topic")


def test_json_body(srv):
    status, _, raw = request(srv, "POST", "/message-bus/c0ffee/poll?dlp=t", None, None,
                             {"Content-Type": "application/json", "Dont-Chunk": "true"})
    t.eq((status, json.loads(raw)), (200, []), "no channels: []")
    u = urllib.parse.urlsplit(srv.url)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
    conn.request("POST", "/message-bus/c0ffee/poll?dlp=t",
                 body=json.dumps({"/latest": -1, "__seq": 3}),
                 headers={"Content-Type": "application/json"})
    r = conn.getresponse()
    msgs = json.loads(r.read())
    conn.close()
    t.ok(status_of(msgs) and set(status_of(msgs)[0]) == {"/latest"},
         "a JSON body subscribes too (__seq ignored)", msgs)


def db_run(srv, sql, *args):
    con = sqlite3.connect(srv.db, timeout=10)
    try:
        with con:
            return con.execute(sql, args).fetchall()
    finally:
        con.close()


def test_key_limits(srv, demo_id):
    """A poll counts against a User API key's limits; over them it goes on
    as anonymous (Discourse's message_bus rescues the failed lookup)."""
    key = "ab" * 16
    db_run(srv, "INSERT INTO user_api_keys(user_id, client_id, application_name,"
           " key_hash, scopes, created_at) VALUES (?, 'mb-test', 'ambt', ?, 'read,write', ?)",
           demo_id, hashlib.sha256(key.encode()).hexdigest(), int(time.time()))
    key_id = db_run(srv, "SELECT id FROM user_api_keys WHERE client_id = 'mb-test'")[0][0]
    chan = f"/notification/{demo_id}"
    hdrs = {"User-Api-Key": key, "Dont-Chunk": "true"}
    status, _, raw = request(srv, "POST", "/message-bus/c0ffee/poll?dlp=t", None, {chan: 0}, hdrs)
    mine = on(json.loads(raw), chan) if status == 200 else []
    t.ok(mine, "with a User API key a poll gets the user's channel", raw)
    hits = db_run(srv, "SELECT COUNT(*) FROM user_api_key_hits WHERE key_id = ?", key_id)[0][0]
    t.eq(hits, 1, "and counts as one request of the key")
    now = int(time.time())
    for _ in range(25):
        db_run(srv, "INSERT INTO user_api_key_hits(key_id, at) VALUES (?, ?)", key_id, now)
    status, _, raw = request(srv, "POST", "/message-bus/c0ffee/poll?dlp=t", None, {chan: 0}, hdrs)
    t.ok(status == 200 and not on(json.loads(raw), chan),
         "over the limit a poll is answered as anonymous, not 429", (status, raw))
    status, hdrs2, _ = request(srv, "GET", "/session/current.json", None, None, {"User-Api-Key": key})
    t.ok(status == 429 and hdrs2.get("Retry-After"), "while a REST call gets 429 + Retry-After",
         status)


def test_stop_with_poll_held():
    srv = Ambtd(extra=()).start()
    try:
        os.environ["AMBTD_LONG_POLL_MS"] = "25000"
        before = polls_logged(srv)
        th = held(srv, {"/latest": ""})
        wait_until_held(srv, before)
        rc = srv.stop()
        th.join(15)
        t.eq(rc, 0, "ambtd stops cleanly on SIGTERM with a poll held")
        t.ok(not th.is_alive(), "and the held poll is let go", th.box)
        t.ok("ERROR: AddressSanitizer" not in srv.log() and "runtime error" not in srv.log(),
             "without a sanitizer report", srv.log())
    finally:
        os.environ["AMBTD_LONG_POLL_MS"] = str(HOLD_MS)
        srv.cleanup()


def main():
    with Ambtd() as srv:
        demo_id, els_id = user_id(srv, "demo"), user_id(srv, "els")
        t.run("status and dlp", test_status_and_dlp, srv)
        t.run("held poll, /topic", test_held_poll_topic, srv, els_id)
        t.run("/latest and /new", test_latest_new, srv)
        t.run("notification channels", test_notification_channels, srv, demo_id)
        t.run("private category", test_private_category, srv)
        t.run("relative positions and the cap", test_relative_and_cap, srv)
        t.run("likes and flags on /topic", test_post_actions, srv)
        t.run("chunked", test_chunked, srv)
        t.run("hold knob", test_hold_knob, srv)
        t.run("event channel", test_event_channel, srv)
        t.run("JSON body", test_json_body, srv)
        t.run("User API key limits", test_key_limits, srv, demo_id)
    t.run("stop with a poll held", test_stop_with_poll_held)
    t.done()


main()
