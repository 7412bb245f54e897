#!/usr/bin/env python3
"""ambtd_write.py: ambtd's writing endpoints against a real ambtd.

Replies and new topics, Discourse's validation 422s, editing (only one's
own), likes, bookmarks, notification levels, read timings, drafts, the
per-user post rate limit, anonymous writes, and durability: every post that
got a 200 is still there after a SIGKILL and a restart.

Users come from the demo seed and are acted as through the admin API key
(Api-Key + Api-Username): demo and els are members, annelies is an admin.
"""
import json
import os
import signal
import sqlite3
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.join(os.environ.get("top_srcdir", "."), "tests"))
from tap import Ambtd, Tap  # noqa: E402

t = Tap()
KEY = "test-admin-key"
BODY = "Een bericht dat lang genoeg is voor Discourse."


def api(srv, method, path, user=None, form=None, body=None):
    """(status, JSON or text, headers) of one request, as user if given."""
    headers = {}
    data = None
    if user:
        headers.update({"Api-Key": KEY, "Api-Username": user})
    if form is not None:
        data = urllib.parse.urlencode(form).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    elif body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    req = urllib.request.Request(srv.url + path, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            status, raw, hdrs = r.status, r.read(), r.headers
    except urllib.error.HTTPError as e:
        status, raw, hdrs = e.code, e.read(), e.headers
    try:
        return status, json.loads(raw), hdrs
    except ValueError:
        return status, raw.decode("utf-8", "replace"), hdrs


def reply(srv, user, topic_id, raw, **extra):
    return api(srv, "POST", "/posts.json", user, dict(topic_id=topic_id, raw=raw, **extra))


def db_rows(srv, sql, *args):
    con = sqlite3.connect(srv.db, timeout=10)
    try:
        return con.execute(sql, args).fetchall()
    finally:
        con.close()


def topic(srv, topic_id, user="demo"):
    status, body, _ = api(srv, "GET", f"/t/{topic_id}.json", user)
    assert status == 200, (status, body)
    return body


def post_of(srv, topic_id, number):
    """Topic id and post number of a topic's post -> its id."""
    return db_rows(srv, "SELECT id FROM posts WHERE topic_id = ? AND post_number = ?",
                   topic_id, number)[0][0]


def test_anonymous(srv):
    status, body, _ = api(srv, "POST", "/posts.json", None, {"topic_id": 1, "raw": BODY})
    t.eq((status, body.get("error_type")), (403, "not_logged_in"), "anonymous reply is 403 not_logged_in")
    status, body, _ = api(srv, "POST", "/post_actions.json", None, {"id": 1, "post_action_type_id": 2})
    t.eq(status, 403, "anonymous like is 403")
    status, body, _ = api(srv, "POST", "/topics/timings", None, {"topic_id": 1, "timings[1]": 1000})
    t.eq(status, 403, "anonymous timings are 403")


def test_reply(srv):
    before = topic(srv, 1)
    first_author = before["post_stream"]["posts"][0]["username"]
    named = "sanne" if first_author != "sanne" else "els"
    text = f"Dank @{named}, goed *verhaal* en genoeg tekst."
    status, post, _ = reply(srv, "demo", 1, text, reply_to_post_number=1)
    if not t.eq(status, 200, "reply is 200"):
        t.ok(False, "reply body", post)
        return
    t.eq((post["topic_id"], post["post_number"], post["username"]),
         (1, before["highest_post_number"] + 1, "demo"), "the reply is the topic's next post, by demo")
    t.eq(post.get("raw"), text, "the answer carries raw")
    t.ok(f'<a class="mention" href="/u/{named}">@{named}</a>' in post["cooked"] and "<em>verhaal</em>" in post["cooked"],
         "the reply is cooked with its mention", post["cooked"])
    after = topic(srv, 1)
    t.ok(post["id"] in after["post_stream"]["stream"], "the reply is in GET /t/1.json's stream")
    t.eq(after["highest_post_number"], post["post_number"], "highest_post_number moved on")
    rows = db_rows(srv, "SELECT notification_type, post_number, data FROM notifications n "
                   "JOIN users u ON u.id = n.user_id WHERE u.username = ? AND topic_id = 1 "
                   "ORDER BY n.id DESC LIMIT 1", named)
    t.ok(rows and rows[0][0] == 1 and rows[0][1] == post["post_number"]
         and json.loads(rows[0][2])["original_post_id"] == post["id"],
         "the mentioned user is notified (type 1)", rows)
    if first_author != "demo":
        rows = db_rows(srv, "SELECT notification_type FROM notifications n JOIN users u "
                       "ON u.id = n.user_id WHERE u.username = ? AND topic_id = 1 AND post_number = ?",
                       first_author, post["post_number"])
        t.eq(rows, [(2,)], "the replied-to author is notified once (type 2)")
    status, quoted, _ = reply(srv, "els", 1, f'[quote="{first_author}, post:1, topic:1"]\nciteer\n[/quote]\n\n'
                              "Daar ben ik het mee eens.")
    t.ok(status == 200 and 'data-username="%s"' % first_author in quoted.get("cooked", ""),
         "a quote is cooked into an aside", quoted)
    if first_author != "els":
        rows = db_rows(srv, "SELECT notification_type FROM notifications n JOIN users u "
                       "ON u.id = n.user_id WHERE u.username = ? AND topic_id = 1 AND post_number = ?",
                       first_author, quoted["post_number"])
        t.eq(rows, [(3,)], "the quoted author is notified (type 3)")


def test_new_topic(srv):
    title = "Een nieuw onderwerp over open data"
    status, post, _ = api(srv, "POST", "/posts.json", "demo",
                          {"title": title, "raw": BODY, "category": 2})
    if not t.eq(status, 200, "new topic is 200"):
        t.ok(False, "new topic body", post)
        return
    t.eq(post["post_number"], 1, "a new topic's post is number 1")
    view = topic(srv, post["topic_id"])
    t.eq((view["title"], view["posts_count"], view["category_id"]), (title, 1, 2),
         "GET /t/{id}.json shows the new topic")
    status, latest, _ = api(srv, "GET", "/latest.json")
    t.ok(post["topic_id"] in [x["id"] for x in latest["topic_list"]["topics"]],
         "the new topic is in /latest.json")
    status, body, _ = api(srv, "POST", "/posts.json", "els",
                          {"title": "Geheim onderwerp in de besloten categorie", "raw": BODY,
                           "category": private_category(srv)})
    t.eq(status, 403, "a category one cannot see takes no topics")


def private_category(srv):
    return db_rows(srv, "SELECT id FROM categories WHERE read_group_id IS NOT NULL")[0][0]


def test_validation(srv):
    cases = [
        ({"topic_id": 1, "raw": "te kort"}, "Body is too short (minimum is 20 characters)"),
        ({"topic_id": 1, "raw": "x" * 32001}, "Body is too long (maximum is 32000 characters)"),
        ({"title": "kort", "raw": BODY}, "Title is too short (minimum is 15 characters)"),
        ({"title": "t" * 256, "raw": BODY}, "Title is too long (maximum is 255 characters)"),
    ]
    for form, msg in cases:
        status, body, _ = api(srv, "POST", "/posts.json", "demo", form)
        t.eq((status, body), (422, {"action": "create_post", "errors": [msg]}), f"422: {msg}")
    status, body, _ = api(srv, "POST", "/posts.json", "demo", {"topic_id": 1})
    t.eq(status, 400, "no raw is 400")
    status, body, _ = reply(srv, "demo", 999999, BODY)
    t.eq(status, 404, "a reply to a missing topic is 404")


def test_wrong_types(srv):
    """JSON bodies whose values have the wrong type: a 400 in Discourse's
    shape, never a 5xx, and nothing written."""
    before = db_rows(srv, "SELECT COUNT(*) FROM posts")
    cases = [
        ("POST", "/posts.json", {"topic_id": "abc", "raw": BODY}, "topic_id"),
        ("POST", "/posts.json", {"topic_id": True, "raw": BODY}, "topic_id"),
        ("POST", "/posts.json", {"topic_id": 1.5, "raw": BODY}, "topic_id"),
        ("POST", "/posts.json", {"topic_id": 1, "raw": {"a": 1}}, "raw"),
        ("POST", "/posts.json", {"topic_id": 1, "raw": ["a", BODY]}, "raw"),
        ("POST", "/post_actions.json", {"id": "x", "post_action_type_id": 2}, "id"),
        ("POST", "/post_actions.json", {"id": [3], "post_action_type_id": 2}, "id"),
        ("POST", "/post_actions.json", {"id": 3, "post_action_type_id": "like"}, "post_action_type_id"),
        ("POST", "/t/1/notifications.json", {"notification_level": "x"}, "notification_level"),
    ]
    for method, path, body, name in cases:
        status, answer, _ = api(srv, method, path, "els", body=body)
        errors = answer.get("errors", []) if isinstance(answer, dict) else []
        t.ok(status == 400 and len(errors) == 1 and name in errors[0],
             f"{path} with {json.dumps(body)[:40]}: 400 naming {name}", (status, answer))
    t.eq(db_rows(srv, "SELECT COUNT(*) FROM posts"), before, "no post was written by them")


def test_list_counts(srv):
    """After the writes above, /latest.json's counts (kept on the topic by
    triggers) still match the posts there are."""
    status, body, _ = api(srv, "GET", "/latest.json?per_page=100", "annelies")
    got = {x["id"]: (x["posts_count"], x["highest_post_number"], x["last_poster_username"])
           for x in body["topic_list"]["topics"]}
    want = {}
    for tid in got:
        count, highest = db_rows(srv, "SELECT COUNT(*), MAX(post_number) FROM posts "
                                      "WHERE topic_id = ? AND deleted_at IS NULL", tid)[0]
        last = db_rows(srv, "SELECT u.username FROM posts p JOIN users u ON u.id = p.user_id "
                            "WHERE p.topic_id = ? AND p.deleted_at IS NULL "
                            "ORDER BY p.post_number DESC LIMIT 1", tid)[0][0]
        want[tid] = (count, highest, last)
    t.eq(got, want, "latest: posts_count, highest_post_number and last poster match the posts")


def test_edit(srv):
    status, mine, _ = reply(srv, "demo", 2, "Mijn eigen bericht om te bewerken.")
    post_id = mine["id"]
    status, body, _ = api(srv, "PUT", f"/posts/{post_id}.json", "els",
                          {"post[raw]": "Overschreven door iemand anders!"})
    t.eq((status, body.get("error_type")), (403, "invalid_access"), "editing another's post is 403")
    status, shown, _ = api(srv, "GET", f"/posts/{post_id}.json")
    t.eq((shown["raw"], shown["version"]), ("Mijn eigen bericht om te bewerken.", 1),
         "the other's edit changed nothing")
    status, body, _ = api(srv, "PUT", f"/posts/{post_id}.json", "demo",
                          body={"post": {"raw": "Mijn eigen bericht, **bewerkt**."}})
    t.eq(status, 200, "editing one's own post is 200")
    t.ok(body.get("post", {}).get("version") == 2 and "<strong>bewerkt</strong>" in body["post"]["cooked"],
         "the edit is re-cooked with version 2", body)
    status, raw, hdrs = api(srv, "GET", f"/raw/2/{mine['post_number']}")
    t.eq((status, raw, hdrs.get("Content-Type", "").split(";")[0]),
         (200, "Mijn eigen bericht, **bewerkt**.", "text/plain"), "GET /raw shows the new raw")
    mention = "Mijn eigen bericht, nu ook voor @koen bewerkt."
    for _ in range(2):
        api(srv, "PUT", f"/posts/{post_id}.json", "demo", {"post[raw]": mention})
    rows = db_rows(srv, "SELECT notification_type FROM notifications n JOIN users u ON u.id = n.user_id "
                   "WHERE u.username = 'koen' AND topic_id = 2 AND post_number = ?", mine["post_number"])
    t.eq(rows, [(1,)], "an edit that adds a mention notifies once")
    status, body, _ = api(srv, "PUT", f"/posts/{post_id}.json", "annelies",
                          {"post[raw]": "Een beheerder mag dit wel aanpassen."})
    t.eq(status, 200, "staff may edit any post")
    status, body, _ = api(srv, "PUT", f"/posts/{post_id}.json", "demo", {"post[raw]": "kort"})
    t.eq(status, 422, "an edit is length-checked too")


def likes(post):
    return next((a.get("count", 0) for a in post["actions_summary"] if a["id"] == 2), 0)


def test_likes(srv):
    status, mine, _ = reply(srv, "demo", 3, "Een bericht om leuk te vinden, met tekst.")
    pid = mine["id"]
    status, liked, _ = api(srv, "POST", "/post_actions.json", "els", {"id": pid, "post_action_type_id": 2})
    t.eq((status, likes(liked)), (200, 1), "a like counts")
    status, liked, _ = api(srv, "POST", "/post_actions.json", "sanne", {"id": pid, "post_action_type_id": 2})
    t.eq(likes(liked), 2, "a second user's like counts too")
    status, body, _ = api(srv, "POST", "/post_actions.json", "els", {"id": pid, "post_action_type_id": 2})
    t.eq(status, 403, "liking twice is 403")
    status, body, _ = api(srv, "POST", "/post_actions.json", "demo", {"id": pid, "post_action_type_id": 2})
    t.eq(status, 403, "liking one's own post is 403")
    rows = db_rows(srv, "SELECT COUNT(*) FROM notifications n JOIN users u ON u.id = n.user_id "
                   "WHERE u.username = 'demo' AND notification_type = 5 AND topic_id = 3 "
                   "AND post_number = ?", mine["post_number"])
    t.eq(rows, [(2,)], "the author is notified of each like (type 5)")
    status, unliked, _ = api(srv, "DELETE", f"/post_actions/{pid}.json?post_action_type_id=2", "els")
    t.eq((status, likes(unliked)), (200, 1), "unlike takes one like back")
    status, shown, _ = api(srv, "GET", f"/posts/{pid}.json", "els")
    acted = [a for a in shown["actions_summary"] if a["id"] == 2]
    t.ok(acted and not acted[0].get("acted") and acted[0].get("can_act"), "els may like again", acted)
    status, body, _ = api(srv, "DELETE", f"/post_actions/{pid}.json?post_action_type_id=2", "els")
    t.eq(status, 404, "unliking what is not liked is 404")


def flag(srv, user, pid, kind, message=None):
    form = {"id": pid, "post_action_type_id": kind}
    if message is not None:
        form["message"] = message
    return api(srv, "POST", "/post_actions.json", user, form)


def test_flags(srv):
    """Flags as Discourse takes them, and the staff's review queue."""
    status, mine, _ = reply(srv, "demo", 3, "Een bericht dat gerapporteerd wordt, met tekst.")
    pid = mine["id"]
    status, flagged, _ = flag(srv, "els", pid, 3)
    acted = [a for a in flagged.get("actions_summary", []) if a.get("id") == 3]
    t.ok(status == 200 and flagged.get("id") == pid and acted and acted[0].get("acted"),
         "an off-topic flag answers with the post, the flag acted", flagged)
    status, body, _ = flag(srv, "els", pid, 3)
    t.eq((status, body.get("error_type")), (403, "invalid_access"), "the same flag twice is 403")
    status, body, _ = flag(srv, "demo", pid, 8)
    t.eq(status, 403, "flagging one's own post is 403")
    status, body, _ = flag(srv, "els", pid, 7)
    t.eq(status, 422, "notify_moderators without a message is 422")
    status, body, _ = flag(srv, "els", pid, 7, "   ")
    t.eq(status, 422, "a blank message is no message")
    msg = "Hier staat een telefoonnummer van een inwoner in."
    status, body, _ = flag(srv, "els", pid, 7, msg)
    t.eq(status, 200, "notify_moderators with a message is taken")
    t.eq(flag(srv, "sanne", pid, 4)[0], 200, "inappropriate (4) is taken")
    t.eq(flag(srv, "sanne", pid, 8)[0], 200, "spam (8) is taken")
    t.eq(flag(srv, "sanne", pid, 5)[0], 400, "an unknown action type is 400")
    status, body, _ = api(srv, "GET", "/review.json", "els")
    t.eq((status, body.get("error_type")), (403, "invalid_access"),
         "the review queue is staff only")
    status, body, _ = api(srv, "GET", "/review.json")
    t.eq(status, 403, "the review queue needs a login")
    status, body, _ = api(srv, "GET", "/review.json", "annelies")
    item = next((r for r in body.get("reviewables", []) if r["target_id"] == pid), None)
    scores = [(s["username"], s["score_type"]["id"], s["reason"])
              for s in (item or {}).get("reviewable_scores", [])]
    t.eq((status, item and item["type"], item and item["topic_id"]),
         (200, "ReviewableFlaggedPost", 3), "staff see the flagged post in /review.json")
    t.eq(scores, [("els", 3, None), ("els", 7, msg), ("sanne", 4, None), ("sanne", 8, None)],
         "each flag with who made it, its type and the message")
    t.eq(likes(api(srv, "GET", f"/posts/{pid}.json", "els")[1]), 0, "flags are not likes")


def test_topic_actions(srv):
    status, body, _ = api(srv, "PUT", "/t/3/bookmark.json", "els")
    t.eq((status, body), (200, ""), "bookmark is 200 with an empty body")
    t.eq(topic(srv, 3, "els").get("bookmarked"), True, "the topic shows bookmarked")
    status, body, _ = api(srv, "PUT", "/t/3/bookmark.json", "els")
    t.eq(status, 400, "bookmarking twice is 400")
    status, body, _ = api(srv, "PUT", "/t/3/remove_bookmarks.json", "els")
    t.eq((status, topic(srv, 3, "els").get("bookmarked")), (200, False), "remove_bookmarks takes it away")
    status, body, _ = api(srv, "DELETE", "/t/3/remove_bookmarks.json", "els")
    t.eq(status, 200, "removing no bookmark is fine")
    for level in (3, 0):
        status, body, _ = api(srv, "POST", "/t/3/notifications.json", "els", {"notification_level": level})
        t.eq((status, topic(srv, 3, "els")["details"]["notification_level"]), (200, level),
             f"notification level {level} is kept")
    status, body, _ = api(srv, "POST", "/t/3/notifications.json", "els", {"notification_level": 9})
    t.eq(status, 400, "notification level 9 is 400")
    status, body, _ = api(srv, "PUT", f"/t/{private_topic(srv)}/bookmark.json", "els")
    t.eq(status, 404, "a topic one cannot see cannot be bookmarked")


def private_topic(srv):
    return db_rows(srv, "SELECT t.id FROM topics t JOIN categories c ON c.id = t.category_id "
                   "WHERE c.read_group_id IS NOT NULL")[0][0]


def test_timings(srv):
    status, new, _ = api(srv, "POST", "/posts.json", "annelies",
                         {"title": "Onderwerp om te lezen en bij te houden", "raw": BODY})
    tid = new["topic_id"]
    for i in range(3):
        reply(srv, "annelies", tid, f"Antwoord nummer {i} met genoeg tekst erin.")
    status, body, _ = api(srv, "POST", "/topics/timings", "sanne",
                          {"topic_id": tid, "topic_time": 3000, "timings[1]": 1000, "timings[3]": 2000})
    t.eq((status, body), (200, ""), "timings is 200 with an empty body")
    t.eq(topic(srv, tid, "sanne").get("last_read_post_number"), 3, "timings raise last_read_post_number")
    api(srv, "POST", "/topics/timings", "sanne", body={"topic_id": tid, "topic_time": 10, "timings": {"1": 10}})
    t.eq(topic(srv, tid, "sanne").get("last_read_post_number"), 3, "an older timing never lowers it")
    api(srv, "POST", "/topics/timings", "sanne", {"topic_id": tid, "topic_time": 10, "timings[99]": 10})
    t.eq(topic(srv, tid, "sanne").get("last_read_post_number"), 4, "it stops at the last post")


def test_drafts(srv):
    data = json.dumps({"reply": "Half af", "action": "reply", "postId": None})
    status, body, _ = api(srv, "POST", "/drafts.json", "els",
                          {"draft_key": "topic_2", "data": data, "sequence": 0})
    t.eq((status, body), (200, {"success": "OK", "draft_sequence": 0}), "a draft is saved")
    status, body, _ = api(srv, "GET", "/drafts.json", "els")
    mine = [d for d in body.get("drafts", []) if d["draft_key"] == "topic_2"]
    t.ok(len(mine) == 1 and mine[0]["data"] == data and mine[0]["topic_id"] == 2,
         "GET /drafts.json lists it with its data and topic", body)
    status, body, _ = api(srv, "GET", "/drafts.json", "sanne")
    t.ok(all(d["draft_key"] != "topic_2" for d in body["drafts"]), "another user does not see it")
    reply(srv, "els", 2, "Het antwoord uit het concept, nu geplaatst.")
    status, body, _ = api(srv, "GET", "/drafts.json", "els")
    t.ok(all(d["draft_key"] != "topic_2" for d in body["drafts"]), "posting clears the draft", body)
    status, body, _ = api(srv, "POST", "/drafts.json", "els", {"draft_key": "topic_2", "data": data, "sequence": 0})
    t.eq(status, 409, "a stale sequence is 409")
    status, body, _ = api(srv, "POST", "/drafts.json", "els", {"draft_key": "topic_2", "data": data, "sequence": 1})
    t.eq(status, 200, "the current sequence saves")
    status, body, _ = api(srv, "DELETE", "/drafts/topic_2.json", "els")
    status, body, _ = api(srv, "GET", "/drafts/topic_2.json", "els")
    t.eq(body, {"draft": None, "draft_sequence": 1}, "a deleted draft is gone, its sequence stays")
    status, body, _ = api(srv, "POST", "/drafts.json", "els", {"draft_key": "new_topic", "data": "{nee"})
    t.eq(status, 400, "data that is not JSON is 400")


def test_rate_limit():
    os.environ["AMBTD_POST_RATE"] = "3/3600"
    with Ambtd(seed="demo", admin_key=KEY) as srv:
        got = [reply(srv, "sanne", 1, f"Bericht {i} binnen de limiet van drie.")[0] for i in range(3)]
        t.eq(got, [200, 200, 200], "three posts within the limit")
        status, body, hdrs = reply(srv, "sanne", 1, "Het vierde bericht is er een te veel.")
        t.eq((status, body.get("error_type")), (429, "rate_limit"), "the fourth is 429 rate_limit")
        wait = body.get("extras", {}).get("wait_seconds", 0)
        t.ok(0 < wait <= 3600 and hdrs.get("Retry-After") == str(wait), "Retry-After matches wait_seconds",
             (wait, hdrs.get("Retry-After")))
        t.ok(body["errors"][0].startswith("You\u2019ve performed this action too many times."),
             "Discourse's rate-limit message", body)
        got = [reply(srv, "annelies", 1, f"Beheerder {i} heeft geen limiet hier.")[0] for i in range(5)]
        t.eq(got, [200] * 5, "staff are not rate-limited")
    del os.environ["AMBTD_POST_RATE"]


def test_durability():
    """A stream of posts, SIGKILL mid-stream, restart: every 200 is there."""
    first = Ambtd(seed="demo", admin_key=KEY).start()
    acked = {}
    half = threading.Event()

    def killer():
        half.wait(120)
        first.proc.send_signal(signal.SIGKILL)

    thread = threading.Thread(target=killer)
    thread.start()
    try:
        for i in range(200):
            raw = f"Duurzaamheidstest bericht nummer {i} met genoeg tekst."
            try:
                status, post, _ = reply(first, "annelies", 2, raw)
            except OSError:
                break
            if status == 200:
                acked[post["id"]] = raw
            if len(acked) == 100:
                half.set()
        half.set()
        thread.join()
        first.stop()
        t.ok(len(acked) >= 100, "at least 100 posts were answered 200 before the kill", len(acked))
        with Ambtd(seed="demo", admin_key=KEY, db=first.db) as second:
            missing = [pid for pid, raw in acked.items()
                       if api(second, "GET", f"/posts/{pid}.json")[1].get("raw") != raw]
            t.eq(missing, [], "every post that got a 200 survived the SIGKILL")
    finally:
        half.set()
        first.cleanup()


def main():
    os.environ.pop("AMBTD_POST_RATE", None)
    os.environ["AMBTD_POST_RATE"] = "1000/60"
    with Ambtd(seed="demo", admin_key=KEY) as srv:
        for fn in (test_anonymous, test_reply, test_new_topic, test_validation, test_wrong_types,
                   test_edit,
                   test_likes, test_flags, test_topic_actions, test_timings, test_drafts,
                   test_list_counts):
            t.run(fn.__name__, fn, srv)
    del os.environ["AMBTD_POST_RATE"]
    t.run("test_rate_limit", test_rate_limit)
    t.run("test_durability", test_durability)
    t.done()


main()
