"""ambtd's reading endpoints against a real ambtd with the demo seed.

One ambtd with --seed demo and a mega topic (--large-topic 10050): topic
lists and their paging, the topic view with its stream, participants and
the study day's event, paging through posts by id and by number, the mega
topic, profiles, the directory, search and the private category (never to
anonymous or non-members), notifications, and a second start on the same
database that changes nothing.
"""
import json
import os
import sys
import urllib.error
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.join(os.environ.get("top_srcdir", "."), "tests"))
from tap import Ambtd, Tap  # noqa: E402

STUDY_DAY_TITLE = "Studiedag Ambtenaar 2.0 in Grimbergen op 25 november"
BLOG_TITLE = "Ambtenaar 2.0: bent u al mee in de genetwerkte samenleving?"
PRIVATE_WORD = "draaiboek"  # only in the Kernteam topic
MEMBER, NON_MEMBER = "wouter", "koen"  # in the group kernteam, or not
LARGE = 10050


class Client:
    def __init__(self, srv, username=None):
        self.srv, self.username = srv, username

    def request(self, method, path, params=None):
        url = self.srv.url + path
        if params:
            url += "?" + urllib.parse.urlencode(params, doseq=True)
        req = urllib.request.Request(url, method=method)
        if self.username:
            req.add_header("Api-Key", self.srv.admin_key)
            req.add_header("Api-Username", self.username)
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                body = resp.read()
                return resp.status, json.loads(body) if body else None
        except urllib.error.HTTPError as e:
            body = e.read()
            try:
                return e.code, json.loads(body)
            except ValueError:
                return e.code, body

    def get(self, path, params=None):
        return self.request("GET", path, params)


def find_topic(topics, title):
    return next((t for t in topics if t["title"] == title), None)


def check_latest(t, anon, demo):
    status, j = anon.get("/latest.json")
    t.eq(status, 200, "latest: 200")
    topics = j["topic_list"]["topics"]
    t.ok(find_topic(topics, BLOG_TITLE) is not None,
         "latest: the blog post about the study day, with its Dutch title")
    t.ok(find_topic(topics, STUDY_DAY_TITLE) is not None,
         "latest: the study day topic")
    t.ok(all(t_["category_id"] != 5 for t_ in topics) and
         all("Draaiboek" not in t_["title"] for t_ in topics),
         "latest: no private topic for anonymous")
    ids = {u["id"] for u in j["users"]}
    t.ok(all(p["user_id"] in ids for t_ in topics for p in t_["posters"]),
         "latest: every poster is sideloaded in users[]")
    t.ok(all("last_read_post_number" not in t_ for t_ in topics),
         "latest: no reading state for anonymous")
    _, j = demo.get("/latest.json")
    blog = find_topic(j["topic_list"]["topics"], BLOG_TITLE)
    t.ok(blog is not None and blog.get("unread_posts", 0) > 0 and
         "notification_level" in blog,
         "latest: the demo user has unread posts in the blog topic", blog)
    t.ok(any(t_["title"].startswith("Draaiboek")
             for t_ in j["topic_list"]["topics"]),
         "latest: the demo user (kernteam) sees the private topic")
    _, j = demo.get("/unread.json")
    unread = j["topic_list"]["topics"]
    t.ok(find_topic(unread, BLOG_TITLE) is not None and
         all(t_["unread_posts"] > 0 for t_ in unread),
         "unread: tracked topics with unread posts", unread)
    _, j = demo.get("/new.json")
    new = j["topic_list"]["topics"]
    t.ok(new and all(t_["unseen"] for t_ in new) and
         not ({t_["id"] for t_ in new} & {t_["id"] for t_ in unread}),
         "new: topics the demo user never opened", new)
    t.eq(anon.get("/unread.json")[0], 403, "unread: needs a login")


def check_paging_lists(t, anon):
    status, j = anon.get("/latest.json", {"per_page": 4})
    total = len(anon.get("/latest.json")[1]["topic_list"]["topics"])
    seen, page, urls = [], 0, []
    while status == 200 and page < 20:
        tl = j["topic_list"]
        seen += [t_["id"] for t_ in tl["topics"]]
        urls.append(tl.get("more_topics_url"))
        if "more_topics_url" not in tl:
            break
        t.ok(len(tl["topics"]) == 4, "latest: more_topics_url only on a full page")
        page += 1
        status, j = anon.get("/latest.json", {"per_page": 4, "page": page})
    t.eq(urls[0], "/latest?page=1&per_page=4",
         "latest: more_topics_url has no .json and keeps per_page")
    t.eq(sorted(seen), sorted(set(seen)), "latest: pages do not repeat topics")
    t.eq(len(seen), total, "latest: the pages hold every topic")
    t.eq(anon.get("/latest.json", {"per_page": 0})[0], 400,
         "latest: per_page 0 is a 400")
    t.eq(anon.get("/latest.json", {"per_page": 101})[0], 400,
         "latest: per_page 101 is a 400")
    status, j = anon.get("/c/evenementen/3.json")
    t.ok(status == 200 and j["topic_list"]["topics"] and
         all(t_["category_id"] == 3 for t_ in j["topic_list"]["topics"]),
         "category list: only the category's topics")


def check_topic(t, anon, demo):
    topics = anon.get("/latest.json")[1]["topic_list"]["topics"]
    topic = find_topic(topics, STUDY_DAY_TITLE)
    status, j = anon.get(f"/t/{topic['id']}.json")
    t.eq(status, 200, "topic: 200")
    ps = j["post_stream"]
    t.eq(len(ps["stream"]), j["posts_count"], "topic: the stream lists every post")
    t.eq([p["id"] for p in ps["posts"]], ps["stream"][:20],
         "topic: the first chunk comes inline, in stream order")
    t.eq(j["chunk_size"], 20, "topic: chunk_size 20")
    names = {p["username"] for p in j["details"]["participants"]}
    t.ok({"annelies", "demo", "koen", "wouter"} <= names,
         "topic: participants", names)
    events = [p for p in ps["posts"] if "event" in p]
    t.eq([p["post_number"] for p in events], [1],
         "topic: the event is on the first post, and only there")
    ev = events[0]["event"] if events else {}
    t.eq((ev.get("name"), ev.get("starts_at"), ev.get("timezone")),
         ("Studiedag Ambtenaar 2.0", "2026-11-25T08:30:00.000Z",
          "Europe/Brussels"),
         "topic: the study day at 09:30 in Brussels")
    t.ok("Grimbergen" in ps["posts"][0]["cooked"] and
         "voormiddag" in ps["posts"][0]["cooked"].lower(),
         "topic: the programme in Dutch")
    reply = ps["posts"][3]
    t.eq((reply["reply_to_post_number"], reply.get("reply_to_user", {}).get(
        "username")), (3, "demo"), "topic: reply_to_post_number and reply_to_user")
    t.ok('<aside class="quote' in reply["cooked"], "topic: the quote is cooked")
    t.ok("last_read_post_number" not in j, "topic: no reading state for anonymous")
    _, j = demo.get(f"/t/{topic['id']}.json")
    t.ok(j.get("last_read_post_number", 0) > 0 and j["bookmarked"] is True,
         "topic: the demo user's last read post and bookmark")
    _, j = anon.get(f"/t/{topic['slug']}/{topic['id']}.json")
    t.eq(j and j.get("id"), topic["id"], "topic: /t/{slug}/{id}.json")


def check_mega(t, anon):
    topics = anon.get("/latest.json")[1]["topic_list"]["topics"]
    big = next(t_ for t_ in topics if t_["posts_count"] == LARGE)
    status, j = anon.get(f"/t/{big['id']}.json")
    ps = j["post_stream"]
    t.ok(status == 200 and "stream" not in ps and ps.get("isMegaTopic") is True,
         "mega topic: no stream, isMegaTopic")
    t.eq(len(ps["posts"]), 20, "mega topic: the first chunk")
    _, last = anon.get(f"/t/{big['id']}/posts.json",
                       {"post_number": LARGE - 1, "asc": "true"})
    t.eq(ps.get("lastId"), last["post_stream"]["posts"][-1]["id"],
         "mega topic: lastId is the last post's id")
    _, j = anon.get(f"/t/{big['id']}/post_ids.json", {"post_number": LARGE - 3})
    _, tail = anon.get(f"/t/{big['id']}/posts.json",
                       {"post_number": LARGE - 3, "asc": "true"})
    t.ok(len(j["post_ids"]) == 3 and
         j["post_ids"] == [p["id"] for p in tail["post_stream"]["posts"]],
         "post_ids.json: the ids after a post number", j)
    _, j = anon.get(f"/t/{big['id']}/posts.json",
                    {"post_number": 5000, "asc": "true"})
    t.eq([p["post_number"] for p in j["post_stream"]["posts"]],
         list(range(5001, 5021)), "post_number paging: the 20 after")
    _, j = anon.get(f"/t/{big['id']}/posts.json",
                    {"post_number": 5000, "asc": "false"})
    t.eq([p["post_number"] for p in j["post_stream"]["posts"]],
         list(range(4980, 5000)), "post_number paging: the 20 before")
    wanted = [p["id"] for p in j["post_stream"]["posts"]][::3]
    first = anon.get("/t/1.json")[1]["post_stream"]["stream"][0]
    _, j = anon.get(f"/t/{big['id']}/posts.json",
                    {"post_ids[]": wanted + [first]})
    t.eq([p["id"] for p in j["post_stream"]["posts"]], wanted,
         "post_ids[]: exactly those posts, none of another topic")
    status, _ = anon.get(f"/t/{big['id']}/posts.json",
                         {"post_ids[]": list(range(1, 102))})
    t.eq(status, 400, "post_ids[]: more than 100 is a 400")
    _, j = anon.get(f"/t/{big['id']}/7000.json")
    t.eq((j["current_post_number"],
          [p["post_number"] for p in j["post_stream"]["posts"]][:6]),
         (7000, list(range(6995, 7001))),
         "window: five posts before the one asked for")


def check_users(t, anon):
    status, j = anon.get("/u/els.json")
    u = j["user"] if status == 200 else {}
    t.eq((u.get("name"), u.get("location"), u.get("title")),
         ("Els Vermeulen", "Leuven", "Communicatieadviseur"), "profile: els")
    t.ok(j.get("user_badges") and j.get("badges"), "profile: badges")
    t.eq(anon.get("/u/nobody-here.json")[0], 404, "profile: unknown user 404")
    status, j = anon.get("/u/demo/summary.json")
    s = j["user_summary"]
    t.ok(status == 200 and s["post_count"] > 0 and s["likes_received"] > 0,
         "summary: counts of the demo user", s)
    status, j = anon.get("/directory_items.json",
                         {"period": "all", "order": "post_count"})
    items = j["directory_items"]
    counts = [i["post_count"] for i in items]
    t.ok(status == 200 and counts == sorted(counts, reverse=True) and
         j["meta"]["total_rows_directory_items"] >= 10,
         "directory: members by post count", counts)
    t.ok(any(i["user"]["username"] == "demo" for i in items),
         "directory: the demo user is a member")
    status, j = anon.get("/user_actions.json",
                         {"username": "demo", "filter": "4,5"})
    t.ok(status == 200 and j["user_actions"] and
         all(a["action_type"] in (4, 5) and a["username"] == "demo"
             for a in j["user_actions"]),
         "user_actions: the demo user's posts")
    t.ok(all(a["category_id"] != 5 for a in j["user_actions"]),
         "user_actions: nothing from the private category for anonymous")


def check_private(t, anon, member, non_member):
    for who, client in (("anonymous", anon), ("a non-member", non_member)):
        _, j = client.get("/search.json", {"q": PRIVATE_WORD})
        t.eq(j["posts"], [], f"search: never the private topic for {who}")
        t.eq(client.get("/c/kernteam/5.json")[0], 404,
             f"private category: 404 for {who}")
        t.eq(client.get("/t/10.json")[0], 404, f"private topic: 404 for {who}")
        _, j = client.get("/categories.json")
        t.ok(all(c["slug"] != "kernteam" for c in j["category_list"]["categories"]),
             f"categories.json: no private category for {who}")
    _, j = member.get("/search.json", {"q": PRIVATE_WORD})
    t.ok(j["posts"] and j["posts"][0]["topic_id"] == 10 and "topics" in j,
         "search: a member finds the private topic")
    status, j = member.get("/c/kernteam/5.json")
    t.ok(status == 200 and j["topic_list"]["topics"],
         "private category: a member reads it")
    t.eq(member.get("/t/10.json")[0], 200, "private topic: a member reads it")


def check_search(t, anon):
    status, j = anon.get("/search.json", {"q": "genetwerkte"})
    t.ok(status == 200 and j["posts"] and "genetwerkte" in
         j["posts"][0]["blurb"].lower(), "search: a Dutch word, with a blurb")
    t.ok({p["topic_id"] for p in j["posts"]} <= {t_["id"] for t_ in j["topics"]},
         "search: topics sideloaded for the posts")
    _, j = anon.get("/search.json", {"q": "100%_zeker"})
    t.ok(j["posts"] == [] and "topics" not in j,
         "search: % and _ are literal; no topics key without results")
    t.eq(anon.get("/search.json")[0], 400, "search: no q is a 400")
    _, j = anon.get("/search.json", {"q": "@maarten"})
    t.ok(j["posts"] and all(p["username"] == "maarten" for p in j["posts"]),
         "search: @username finds that member's posts")
    _, j = anon.get("/search.json", {"q": "datasets #open-data"})
    t.ok(j["posts"] and all(t_["category_id"] == 2 for t_ in j["topics"]),
         "search: #category keeps to that category")
    _, j = anon.get("/search.json", {"q": "studiedag in:title"})
    t.ok(j["posts"] and all(p["post_number"] == 1 for p in j["posts"]),
         "search: in:title searches titles only")
    _, j = anon.get("/search.json", {"q": "draaiboek @wouter"})
    t.eq(j["posts"], [], "search: operators never open the private topic")
    check_search_dates(t, anon)


def check_search_dates(t, anon):
    """after:DATE and before:DATE as Discourse's search filters: posts
    created after (before) that day's midnight, UTC."""
    _, base = anon.get("/search.json", {"q": "ambtenaar order:latest"})
    days = sorted({p["created_at"][:10] for p in base["posts"]})
    t.ok(len(days) >= 3, "search: posts of several days to filter", days)
    if len(days) < 3:
        return
    day = days[len(days) // 2]
    midnight = day + "T00:00:00"
    _, after = anon.get("/search.json", {"q": f"ambtenaar after:{day} order:latest"})
    t.eq([p["id"] for p in after["posts"]],
         [p["id"] for p in base["posts"] if p["created_at"] > midnight],
         f"search: after:{day} keeps the posts since that day")
    _, before = anon.get("/search.json", {"q": f"ambtenaar before:{day}"})
    t.ok(before["posts"] and all(p["created_at"] < midnight for p in before["posts"]),
         f"search: before:{day} only posts before it", before["posts"])
    _, only = anon.get("/search.json", {"q": f"after:{day} order:latest"})
    t.ok(only["posts"] and all(p["created_at"] > midnight for p in only["posts"])
         and len(only["posts"]) >= len(after["posts"]),
         "search: a date alone is a filter, not a too short term", only)
    _, odd = anon.get("/search.json", {"q": "ambtenaar after:gisteren order:latest"})
    t.eq([p["id"] for p in odd["posts"]], [p["id"] for p in base["posts"]],
         "search: a date it cannot read is dropped, not searched as a word")


def check_notifications(t, anon, demo):
    status, j = anon.get("/notifications.json")
    t.eq((status, j.get("error_type")), (403, "not_logged_in"),
         "notifications: need a login")
    status, j = demo.get("/notifications.json")
    types = {n["notification_type"] for n in j["notifications"]}
    t.ok(status == 200 and {1, 2, 5} <= types, "notifications: replied, "
         "mentioned and liked for the demo user", types)
    t.eq(j["total_rows_notifications"], len(j["notifications"]),
         "notifications: total_rows_notifications")
    unread = [n for n in j["notifications"] if not n["read"]]
    status, _ = demo.request("PUT", "/notifications/mark-read.json",
                             {"id": unread[0]["id"]})
    _, j = demo.get("/notifications.json", {"filter": "unread"})
    t.eq((status, len(j["notifications"])), (200, len(unread) - 1),
         "notifications: mark one read")


def check_long_topic(t):
    """A topic of 45 posts: not mega, so the whole stream and pages."""
    with Ambtd(seed="none", extra=["--large-topic", "45"]) as srv:
        anon = Client(srv)
        topic = anon.get("/latest.json")[1]["topic_list"]["topics"][0]
        _, j = anon.get(f"/t/{topic['id']}.json")
        ps = j["post_stream"]
        t.ok(len(ps["stream"]) == 45 and "isMegaTopic" not in ps and
             [p["post_number"] for p in ps["posts"]] == list(range(1, 21)),
             "long topic: the whole stream, the first 20 posts")
        _, j = anon.get(f"/t/{topic['id']}.json", {"page": 3})
        t.eq([p["post_number"] for p in j["post_stream"]["posts"]],
             list(range(41, 46)), "long topic: page 3")
        t.eq(anon.get(f"/t/{topic['id']}.json", {"page": 4})[0], 404,
             "long topic: no page 4")
        _, j = anon.get(f"/t/{topic['id']}/posts.json",
                        {"post_ids[]": ps["stream"][20:40]})
        t.eq([p["id"] for p in j["post_stream"]["posts"]], ps["stream"][20:40],
             "long topic: the next chunk by post_ids[]")


def counts(anon):
    latest = anon.get("/latest.json", {"per_page": 100})[1]["topic_list"]["topics"]
    directory = anon.get("/directory_items.json")[1]
    return (len(latest), sum(t_["posts_count"] for t_ in latest),
            sum(t_["like_count"] for t_ in latest),
            directory["meta"]["total_rows_directory_items"],
            len(anon.get("/site.json")[1]["categories"]))


def main():
    t = Tap()
    srv = Ambtd(extra=["--large-topic", str(LARGE)])
    try:
        srv.start(timeout=120)
        anon = Client(srv)
        demo = Client(srv, "demo")
        member, non_member = Client(srv, MEMBER), Client(srv, NON_MEMBER)
        t.run("latest", check_latest, t, anon, demo)
        t.run("list paging", check_paging_lists, t, anon)
        t.run("topic", check_topic, t, anon, demo)
        t.run("mega topic", check_mega, t, anon)
        t.run("users", check_users, t, anon)
        t.run("private", check_private, t, anon, member, non_member)
        t.run("search", check_search, t, anon)
        t.run("notifications", check_notifications, t, anon, demo)
        t.run("long topic", check_long_topic, t)
        before = counts(anon)
        srv.stop()
        srv.start(timeout=120)
        t.eq(counts(Client(srv)), before, "a second start changes nothing")
    except Exception as e:  # noqa: BLE001 - report, then clean up
        t.ok(False, "ambtd ran", f"{e}\n{srv.log()}")
    finally:
        srv.cleanup()
    t.done()


if __name__ == "__main__":
    main()
