#!/usr/bin/env python3
"""conformance.py: ambtd's responses against Discourse's published schemas.

Starts ambtd --seed demo, requests every endpoint the client uses and
validates each answer with python3-jsonschema against the 200 response
schema of that operation in $AMBT_SHARED/discourse/openapi.json (OpenAPI
3.1: JSON Schema 2020-12; found by path and method). The events plugin's
endpoints are checked against its own schemas in discourse/examples/.
A second ambtd with --large-topic checks the shape of a mega topic.

Where the published spec is wrong about real servers, the ERRATA of
tests/conformance_errata.py relax it, each with its reason and as narrowly
as possible. A mismatch that is
ambtd's fault is not an erratum: it fails here.

One TAP test per endpoint (and viewer); a failure lists the JSON paths
that do not validate, with the schema rule each breaks.
"""
import copy
import json
import os
import sqlite3
import sys
import urllib.error
import urllib.parse
import urllib.request

import jsonschema

sys.path.insert(0, os.path.join(os.environ.get("top_srcdir", "."), "tests"))
from conformance_errata import relax  # noqa: E402
from tap import Ambtd, Tap  # noqa: E402

SHARED = os.environ.get("AMBT_SHARED") or os.path.join(
    os.environ.get("top_srcdir", "."), "..", "shared")
DISCOURSE = os.path.join(SHARED, "discourse")
MEGA_POSTS = 10000  # AMBTD_MEGA_TOPIC: from here a topic is a mega topic

t = Tap()


# ---- Schemas -----------------------------------------------------------------

with open(os.path.join(DISCOURSE, "openapi.json"), encoding="utf-8") as f:
    OPENAPI = json.load(f)


def spec_schema(path, method="get"):
    """The 200 JSON response schema of an operation, with the document's
    components alongside so that "#/components/..." $refs resolve."""
    op = OPENAPI["paths"][path][method]
    schema = copy.deepcopy(op["responses"]["200"]["content"]["application/json"]["schema"])
    schema.setdefault("components", OPENAPI.get("components", {}))
    return schema


def example_schema(name):
    with open(os.path.join(DISCOURSE, "examples", name), encoding="utf-8") as f:
        return json.load(f)


def event_show_schema():
    """GET /discourse-post-event/events/{id}.json is {"event": <detailed
    event>}: the plugin renders one EventSerializer, which is the item of
    its detailed index schema."""
    index = example_schema("discourse-post-event_events.json_include_details.schema.json")
    return {"type": "object", "additionalProperties": False,
            "required": ["event"],
            "properties": {"event": index["properties"]["events"]["items"]}}


def invitees_schema():
    """Not in any published schema: written from the plugin's
    InviteeSerializer (events-auth-live.md, section 1.5 D)."""
    count = {"type": "integer", "minimum": 0}
    invitee = {
        "type": "object",
        "required": ["id", "status", "user", "post_id"],
        "properties": {
            "id": {"type": "integer"},
            "status": {"enum": ["going", "interested", "not_going", None]},
            "post_id": {"type": "integer"},
            "user": {"type": "object", "required": ["id", "username", "avatar_template"],
                     "properties": {"id": {"type": "integer"},
                                    "username": {"type": "string"},
                                    "name": {"type": ["string", "null"]},
                                    "avatar_template": {"type": "string"}}},
            "meta": {"type": "object", "properties": {
                "event_should_display_invitees": {"type": "boolean"},
                "event_stats": {"type": "object",
                                "required": ["going", "interested", "not_going", "invited"],
                                "properties": {k: count for k in
                                               ("going", "interested", "not_going", "invited")}}}},
        },
    }
    return {"type": "object", "required": ["invitees"],
            "properties": {"invitees": {"type": "array", "items": invitee}}}


def summary_schema():
    """The spec has no /u/{username}/summary.json: written from
    api-notes.md (UserSummarySerializer), for the fields the client reads."""
    counts = ["likes_given", "likes_received", "topics_entered", "posts_read_count",
              "days_visited", "topic_count", "post_count", "time_read"]
    return {"type": "object", "required": ["user_summary"],
            "properties": {"user_summary": {
                "type": "object", "required": counts,
                "properties": dict({k: {"type": "integer"} for k in counts},
                                   topic_ids={"type": "array", "items": {"type": "integer"}},
                                   replies={"type": "array"}, links={"type": "array"},
                                   top_categories={"type": "array"})},
                "topics": {"type": "array"}, "badges": {"type": "array"}}}


def describe(error):
    """One line: where in the body, what is wrong, which schema rule. For
    anyOf/oneOf, the alternative that came closest says more."""
    if error.context:
        error = max(error.context, key=lambda e: (len(e.absolute_path), e.validator != "type"))
    rule = "/".join(map(str, error.absolute_schema_path))
    return f"{error.json_path}: {error.message[:200]}  (schema: {rule})"


def errors_of(schema, body):
    validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(body), key=lambda e: list(e.absolute_path))
    return [describe(e) for e in errors]


# ---- Requests ------------------------------------------------------------------

class Server:
    def __init__(self, srv):
        self.srv = srv

    def call(self, method, path, user=None, form=None, params=None):
        url = self.srv.url + path
        if params:
            url += "?" + urllib.parse.urlencode(params, doseq=True)
        headers = {"Accept": "application/json"}
        if user:
            headers.update({"Api-Key": self.srv.admin_key, "Api-Username": user})
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        req = urllib.request.Request(url, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                status, raw = r.status, r.read()
        except urllib.error.HTTPError as e:
            status, raw = e.code, e.read()
        try:
            return status, json.loads(raw)
        except ValueError:
            return status, raw[:300]


def conforms(server, op, schema, path, user=None, form=None, params=None, note="",
             ctx=None):
    """One TAP test: `op` ("GET /t/{id}.json") on `path` answers 200 and
    the body fits the schema, relaxed by that operation's errata. Returns
    the body (or None) so later requests can use its ids."""
    method = op.split()[0]
    status, body = server.call(method, path, user, form, params)
    title = f"{op}{note} ({user or 'anonymous'})"
    if status != 200:
        t.ok(False, title, f"HTTP {status}: {body!r}"[:2000])
        return None
    ctx = dict(ctx or {}, anonymous=user is None)
    errors = errors_of(relax(schema, op, ctx), body)
    t.ok(not errors, title, "\n".join(errors[:30]))
    return body


# ---- The endpoints ---------------------------------------------------------------

def reading(s):
    latest = conforms(s, "GET /latest.json", spec_schema("/latest.json"), "/latest.json")
    conforms(s, "GET /latest.json", spec_schema("/latest.json"), "/latest.json", "demo")
    cats = conforms(s, "GET /categories.json", spec_schema("/categories.json"),
                    "/categories.json")
    cat = cats["category_list"]["categories"][0] if cats else {"slug": "x", "id": 0}
    conforms(s, "GET /c/{slug}/{id}.json", spec_schema("/c/{slug}/{id}.json"),
             f"/c/{cat['slug']}/{cat['id']}.json")
    topic_id = latest["topic_list"]["topics"][0]["id"] if latest else 0
    topic = None
    for user in (None, "demo"):
        topic = conforms(s, "GET /t/{id}.json", spec_schema("/t/{id}.json"),
                         f"/t/{topic_id}.json", user)
    stream = topic["post_stream"]["stream"] if topic else [0]
    conforms(s, "GET /t/{id}/posts.json", spec_schema("/t/{id}/posts.json"),
             f"/t/{topic_id}/posts.json", "demo", params={"post_ids[]": stream[:3]})
    conforms(s, "GET /posts/{id}.json", spec_schema("/posts/{id}.json"),
             f"/posts/{stream[0]}.json", "demo")
    conforms(s, "GET /u/{username}.json", spec_schema("/u/{username}.json"),
             "/u/demo.json", "demo")
    conforms(s, "GET /u/{username}/summary.json", summary_schema(),
             "/u/demo/summary.json", note=" [local schema]")
    conforms(s, "GET /notifications.json", spec_schema("/notifications.json"),
             "/notifications.json", "demo")
    conforms(s, "GET /search.json", spec_schema("/search.json"),
             "/search.json", params={"q": "Grimbergen"})
    conforms(s, "GET /site.json", spec_schema("/site.json"), "/site.json")
    conforms(s, "GET /directory_items.json", spec_schema("/directory_items.json"),
             "/directory_items.json", params={"period": "all", "order": "likes_received"})
    conforms(s, "GET /user_actions.json", spec_schema("/user_actions.json"),
             "/user_actions.json",
             params={"offset": 0, "username": "demo", "filter": "4,5"})
    return topic_id


def writing(s, topic_id):
    post = conforms(s, "POST /posts.json", spec_schema("/posts.json", "post"),
                    "/posts.json", "demo",
                    form={"topic_id": topic_id, "raw": "Een antwoord om het schema te toetsen."})
    post_id = post["id"] if post else 0
    conforms(s, "PUT /posts/{id}.json", spec_schema("/posts/{id}.json", "put"),
             f"/posts/{post_id}.json", "demo",
             form={"post[raw]": "Een bewerkt antwoord om het schema te toetsen."})


def events(s):
    basic = example_schema("discourse-post-event_events.json.schema.json")
    detailed = example_schema("discourse-post-event_events.json_include_details.schema.json")
    index = conforms(s, "GET /discourse-post-event/events.json", basic,
                     "/discourse-post-event/events.json")
    conforms(s, "GET /discourse-post-event/events.json", detailed,
             "/discourse-post-event/events.json", "demo",
             params={"include_details": "true"}, note="?include_details=true")
    event_id = index["events"][0]["id"] if index and index["events"] else 0
    topic_id = index["events"][0]["post"]["topic"]["id"] if event_id else 0
    conforms(s, "GET /t/{id}.json", spec_schema("/t/{id}.json"), f"/t/{topic_id}.json",
             "demo", note=", an event's topic")
    conforms(s, "GET /posts/{id}.json", spec_schema("/posts/{id}.json"),
             f"/posts/{event_id}.json", "demo", note=", an event's post")
    conforms(s, "GET /discourse-post-event/events/{id}.json", event_show_schema(),
             f"/discourse-post-event/events/{event_id}.json", "demo")
    conforms(s, "GET /discourse-post-event/events/{id}/invitees.json", invitees_schema(),
             f"/discourse-post-event/events/{event_id}/invitees.json", note=" [local schema]")


def mega_topic():
    """A topic of MEGA_POSTS posts, which Discourse serves without a stream."""
    with Ambtd(seed="demo", extra=["--large-topic", str(MEGA_POSTS)]) as srv:
        s = Server(srv)
        with sqlite3.connect(f"file:{srv.db}?mode=ro", uri=True) as db:
            big = db.execute("SELECT topic_id FROM posts GROUP BY topic_id"
                             " ORDER BY COUNT(*) DESC LIMIT 1").fetchone()[0]
        body = conforms(s, "GET /t/{id}.json", spec_schema("/t/{id}.json"),
                        f"/t/{big}.json", note=", a mega topic", ctx={"mega": True})
        t.ok(body is not None and "stream" not in body["post_stream"]
             and body["post_stream"].get("isMegaTopic") is True,
             "a mega topic has isMegaTopic and no stream")


def main():
    with Ambtd(seed="demo") as srv:
        s = Server(srv)
        topic_id = reading(s)
        events(s)
        writing(s, topic_id)
    mega_topic()


t.run("conformance", main)
t.done()
