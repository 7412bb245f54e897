"""conformance_errata.py: where Discourse's published OpenAPI spec is wrong.

The spec (shared/discourse/openapi.json) was generated from request specs
and fixtures of one Discourse version; real servers differ from it in known
ways (shared/discourse/README.md, api-notes.md, the real captures in
examples/). conformance.py relaxes the spec by exactly these entries, each
a patch to one place in one operation's response schema, with its reason.
A difference that is ambtd's own fault never belongs here.

An entry: (operations, location, fix, why).
- operations: "GET /t/{id}.json"-style keys, or ANY.
- location: a dotted path of properties from the response root, "[]" for
  an array's items ("post_stream.posts[]"); EVERYWHERE for every object in
  the schema that has the fix's property.
- fix: a function (node, ctx) -> None editing that subschema; ctx holds
  {"anonymous": bool} for fixes that depend on who asks.
"""
import copy
import json
import os

def plugin_event_schema():
    """One event as the plugin's EventSerializer sends it: the item of its
    detailed index schema (shared/discourse/examples/)."""
    shared = os.environ.get("AMBT_SHARED") or os.path.join(
        os.environ.get("top_srcdir", "."), "..", "shared")
    path = os.path.join(shared, "discourse", "examples",
                        "discourse-post-event_events.json_include_details.schema.json")
    with open(path, encoding="utf-8") as f:
        return json.load(f)["properties"]["events"]["items"]


EVENT_OR_NULL = {"anyOf": [{"type": "null"}, plugin_event_schema()]}
BOOL = {"type": "boolean"}
INT = {"type": "integer"}
ARRAY = {"type": "array"}

ANY = "*"
EVERYWHERE = "**"


# ---- Fixes ----------------------------------------------------------------

def nullable(*names):
    """These properties may also be null."""
    def fix(node, _ctx):
        for name in names:
            prop = node.get("properties", {}).get(name)
            if prop is None:
                continue
            types = prop.get("type", [])
            types = [types] if isinstance(types, str) else list(types)
            if "null" not in types:
                prop["type"] = types + ["null"]
    return fix


def retype(name, new_type):
    """This property has another type than the spec says."""
    def fix(node, _ctx):
        if name in node.get("properties", {}):
            node["properties"][name]["type"] = new_type
    return fix


def allow(**props):
    """These properties may appear (the spec closes the object)."""
    def fix(node, _ctx):
        node.setdefault("properties", {}).update(copy.deepcopy(props))
    return fix


def optional(*names):
    """These properties may be left out."""
    def fix(node, _ctx):
        if isinstance(node.get("required"), list):
            node["required"] = [r for r in node["required"] if r not in names]
    return fix


def mega_topic(node, ctx):
    """A mega topic's post_stream has isMegaTopic and lastId, no stream."""
    if ctx.get("mega"):
        optional("stream")(node, ctx)
        allow(isMegaTopic={"const": True}, lastId=INT)(node, ctx)


def mega_topic_view(node, ctx):
    """A mega topic's view has no timeline_lookup."""
    if ctx.get("mega"):
        optional("timeline_lookup")(node, ctx)


def anonymous_optional_can(node, ctx):
    """For anonymous viewers, can_* properties may be left out."""
    if ctx.get("anonymous") and isinstance(node.get("required"), list):
        node["required"] = [r for r in node["required"] if not r.startswith("can_")]


USER_BRIEF = {"type": "object", "required": ["username", "avatar_template"],
              "properties": {"username": {"type": "string"},
                             "name": {"type": ["string", "null"]},
                             "avatar_template": {"type": "string"}}}
POST_LISTS = ["GET /t/{id}.json", "GET /t/{id}/posts.json"]

ERRATA = [
    # PostSerializer sends reply_to_post_number as an integer or null; the
    # spec types it as a string (DESIGN.md, README.md, api-notes.md).
    (ANY, EVERYWHERE, retype("reply_to_post_number", ["integer", "null"]),
     "reply_to_post_number is an integer"),
    # TopicListItemSerializer gives extras ("latest", "single") to some
    # posters only, null to the rest; the 2016 capture of /latest.json and
    # this spec's own /top.json say so.
    (ANY, "topic_list.topics[].posters[]", nullable("extras"),
     "posters[].extras may be null"),
    # Topic list items: image_url is null for a topic without an image, and
    # bookmarked/liked are null for viewers with no topic_user row (the
    # anonymous included): the real 2016 capture of /latest.json has all
    # three null; api-notes.md "image_url|null, bookmarked bool|null,
    # liked bool|null".
    (ANY, "topic_list.topics[]", nullable("image_url", "bookmarked", "liked"),
     "topic list items: image_url, bookmarked, liked may be null"),
    # Serializers guard can_* with include_can_*? methods, false for the
    # anonymous, who get no such keys (README.md; api-notes.md "most can_*
    # only present when true").
    (ANY, EVERYWHERE, anonymous_optional_can,
     "anonymous viewers get no can_* fields"),
    # PostSerializer#actions_summary: {id, count?, acted?, can_undo?,
    # can_act?}; count only when > 0, can_act only when one can act
    # (api-notes.md, with a real capture). The spec requires can_act and
    # allows nothing else.
    (POST_LISTS + ["GET /posts/{id}.json"], "post_stream.posts[].actions_summary[]",
     allow(count=INT, acted=BOOL, can_undo=BOOL), "actions_summary entries carry count, acted, can_undo"),
    (POST_LISTS + ["GET /posts/{id}.json"], "post_stream.posts[].actions_summary[]",
     optional("can_act"), "actions_summary: can_act only when one can act"),
    (["GET /posts/{id}.json", "POST /posts.json", "PUT /posts/{id}.json"],
     "actions_summary[]", allow(count=INT, acted=BOOL, can_undo=BOOL),
     "a post's actions_summary entries carry count, acted, can_undo"),
    (["GET /posts/{id}.json", "POST /posts.json", "PUT /posts/{id}.json"],
     "actions_summary[]", optional("can_act"),
     "a post's actions_summary: can_act only when one can act"),
    # PostSerializer#reply_to_user, included for a reply to someone's post
    # (api-notes.md, post object).
    (POST_LISTS, "post_stream.posts[]", allow(reply_to_user=USER_BRIEF),
     "replies carry reply_to_user"),
    # The discourse-post-event plugin adds `event` to every post: its full
    # EventSerializer, or null (add_to_serializer(:post, :event);
    # events-auth-live.md 1.1), so the plugin's own detailed event schema.
    (POST_LISTS, "post_stream.posts[]", allow(event=EVENT_OR_NULL),
     "posts carry the events plugin's event"),
    (["GET /posts/{id}.json"], "", allow(event=EVENT_OR_NULL),
     "a post carries the events plugin's event"),
    # TopicViewSerializer: last_read_post_number, last_read_post_id and
    # posted exist when the viewer has a topic_user row; summarizable on
    # current servers (api-notes.md, topic view).
    (["GET /t/{id}.json"], "", allow(last_read_post_number={"type": ["integer", "null"]},
                                   last_read_post_id={"type": ["integer", "null"]},
                                   posted=BOOL, summarizable=BOOL),
     "the topic view's per-user fields and summarizable"),
    # TopicListSerializer sends draft, draft_key and draft_sequence on every
    # topic list, and list items carry op_like_count and tags when tagging is
    # on (api-notes.md, topic lists); the spec lists them for /latest.json
    # but closes /c/{slug}/{id}.json without them.
    (["GET /c/{slug}/{id}.json"], "topic_list",
     allow(draft={"type": ["string", "null"]}, draft_key={"type": "string"},
           draft_sequence={"type": ["integer", "null"]}),
     "category topic lists carry the draft fields"),
    (["GET /c/{slug}/{id}.json"], "topic_list.topics[]",
     allow(op_like_count=INT, tags={"type": "array"}),
     "category topic list items carry op_like_count and tags"),
    # UsersController#show sideloads the featured badges: badges,
    # badge_types, users, topics beside user_badges (api-notes.md section 5).
    (["GET /u/{username}.json"], "",
     allow(badges=ARRAY, badge_types=ARRAY, users=ARRAY, topics=ARRAY),
     "a profile sideloads badges, badge_types, users, topics"),
    # UserCardSerializer's "untrusted" attributes are left out when blank;
    # the spec's fixture user had none (api-notes.md section 5).
    (["GET /u/{username}.json"], "user",
     allow(**{k: {"type": "string"} for k in ("bio_raw", "bio_cooked", "bio_excerpt",
                                               "website", "website_name", "location")}),
     "a profile carries bio, website and location when set"),
    # GroupedSearchResultSerializer sends the topics of the posts found; the
    # real 2016 capture of /search.json has "topics".
    (["GET /search.json"], "", allow(topics=ARRAY), "search results carry topics"),
    # UserActionSerializer: post_id and post_type are integers (null for
    # actions without a post), reply_to_post_number is sent too
    # (api-notes.md, /user_actions.json and the post object).
    (["GET /user_actions.json"], "user_actions[]",
     retype("post_id", ["integer", "null"]), "user_actions: post_id is an integer"),
    (["GET /user_actions.json"], "user_actions[]",
     retype("post_type", ["integer", "null"]), "user_actions: post_type is an integer"),
    (["GET /user_actions.json"], "user_actions[]",
     allow(reply_to_post_number={"type": ["integer", "null"]}),
     "user_actions carry reply_to_post_number"),
    # TopicView: a topic of 10,000 posts or more is a "mega topic", sent
    # with isMegaTopic and lastId instead of the stream, and without
    # timeline_lookup (api-notes.md, topic view). The spec has no such case.
    (["GET /t/{id}.json"], "post_stream", mega_topic, "a mega topic has no stream"),
    (["GET /t/{id}.json"], "", mega_topic_view, "a mega topic has no timeline_lookup"),
]


def node_at(schema, location):
    """The subschema at a dotted location, or None when the spec has none."""
    node = schema
    for part in [p for p in location.split(".") if p]:
        items = part.endswith("[]")
        name = part[:-2] if items else part
        if name:
            node = node.get("properties", {}).get(name)
        if node is not None and items:
            node = node.get("items")
        if node is None:
            return None
    return node


def objects(schema):
    """Every subschema (dict) in schema, the root first."""
    if isinstance(schema, dict):
        yield schema
        for value in schema.values():
            yield from objects(value)
    elif isinstance(schema, list):
        for value in schema:
            yield from objects(value)


def relax(schema, operation, ctx):
    """A copy of schema with the errata of `operation` applied."""
    schema = copy.deepcopy(schema)
    for ops, location, fix, _why in ERRATA:
        if ops != ANY and operation not in ops:
            continue
        if location == EVERYWHERE:
            for node in list(objects(schema)):
                fix(node, ctx)
            continue
        node = node_at(schema, location)
        if node is not None:
            fix(node, ctx)
    return schema
