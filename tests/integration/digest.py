#!/usr/bin/env python3
"""digest.py: ambt digest against ambtd: the seed's SELOR posts and posts
this test adds, in each format, --since, several words, whole words only,
the config's monitor words, no match, usage errors and a server that is
down."""
import html.parser
import http.server
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import urllib.error
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.join(os.environ.get("top_srcdir", "."), "tests"))
from tap import Ambtd, Tap, program  # noqa: E402

t = Tap()
KEY = "test-admin-key"
TMP = tempfile.mkdtemp(prefix="ambt-digest-test-")
HOME = os.path.join(TMP, "home")
HOSTILE_TITLE = "Zorgbalie <script>alert(1)</script> *sterren* [x](y) & co"


def env_for(server, **extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith("AMBT_")}
    env.update(HOME=HOME, XDG_CONFIG_HOME=os.path.join(HOME, "config"),
               XDG_CACHE_HOME=os.path.join(HOME, "cache"),
               XDG_STATE_HOME=os.path.join(HOME, "state"),
               TZ="UTC", LANG="C.UTF-8", LC_ALL="C.UTF-8", LANGUAGE="",
               AMBT_SERVER=server, AMBT_API_KEY=KEY, AMBT_API_USERNAME="demo",
               AMBT_HTTP_RETRY_BASE_MS="10", AMBT_HTTP_CONNECT_TIMEOUT="2000")
    env.update(extra)
    return env


def ambt(server, *args, **extra):
    return subprocess.run([program("ambt"), *args], env=env_for(server, **extra),
                          capture_output=True, text=True, timeout=120)


def create(srv, user, **form):
    req = urllib.request.Request(
        srv.url + "/posts.json", data=urllib.parse.urlencode(form).encode(),
        method="POST", headers={"Api-Key": KEY, "Api-Username": user})
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.load(r)


def add_posts(srv):
    """The posts the test looks for, made now; returns their ids by name."""
    ids = {}
    p = create(srv, "koen", title=HOSTILE_TITLE, category=1,
               raw="De Zorgbalie kreeg vandaag veel vragen op Twitter, "
                   "zegt de woordvoerder.")
    ids["topic"], ids["first"] = p["topic_id"], p["id"]
    p = create(srv, "annelies", topic_id=ids["topic"],
               raw="Ook de Datakluis werd genoemd, naast de ZORGBALIE zelf.")
    ids["both"] = p["id"]
    p = create(srv, "els", topic_id=ids["topic"],
               raw="Alleen de Zorgbalies van andere steden, niet de onze.")
    ids["plural"] = p["id"]
    p = create(srv, "koen", topic_id=1,
               raw="Hier een nieuwe vraag over de Datakluis van de overheid.")
    ids["seed_topic"] = p["id"]
    return ids


def digest_json(srv, *args):
    r = ambt(srv.url, "digest", "--format", "json", *args)
    if r.returncode != 0:
        raise AssertionError(f"digest {args}: {r.returncode} {r.stderr}")
    return json.loads(r.stdout)


def post_ids(d):
    return sorted(p["id"] for tp in d["topics"] for p in tp["posts"])


def test_json(srv, ids):
    d = digest_json(srv, "--match", "Zorgbalie", "--since", "24h")
    t.eq(list(d), ["since", "until", "words", "post_count", "topic_count", "topics"],
         "json: its fields, in a stable order")
    t.eq(post_ids(d), sorted([ids["first"], ids["both"]]),
         "json: the posts that name the word as a whole word, any case")
    t.eq((d["post_count"], d["topic_count"], len(d["topics"])), (2, 1, 1),
         "json: grouped into one topic")
    tp = d["topics"][0]
    t.eq((tp["id"], tp["title"]), (ids["topic"], HOSTILE_TITLE), "json: the topic")
    t.eq([p["username"] for p in tp["posts"]], ["koen", "annelies"],
         "json: authors, in post order")
    first = tp["posts"][0]
    t.eq(list(first), ["id", "post_number", "username", "name", "created_at",
                       "excerpt", "url", "words"], "json: a post's fields")
    t.ok(first["url"].startswith(srv.url + "/t/") and first["url"].endswith(
        f"/{ids['topic']}/1"), "json: the post's link", first["url"])
    t.ok("Zorgbalie kreeg vandaag" in first["excerpt"], "json: the excerpt", first)
    t.ok(first["created_at"].endswith("Z") and d["words"] == ["Zorgbalie"],
         "json: ISO 8601 times, the words asked", d)


def test_words(srv, ids):
    d = digest_json(srv, "--match", "Zorgbalie", "--match", "datakluis",
                    "--since", "24h")
    t.eq(post_ids(d), sorted([ids["first"], ids["both"], ids["seed_topic"]]),
         "two words: the posts naming either")
    t.eq(d["topic_count"], 2, "two words: two topics")
    words = {p["id"]: p["words"] for tp in d["topics"] for p in tp["posts"]}
    t.eq(words.get(ids["both"]), ["Zorgbalie", "datakluis"],
         "two words: a post naming both lists both")
    t.eq(d["topics"][0]["id"], 1, "topics: the one with the newest post first")


def test_since(srv, ids):
    d = digest_json(srv, "--match", "SELOR", "--since", "2026-11-01")
    t.eq(post_ids(d), [1], "--since a date: the seed's post of 26 November only")
    ex = d["topics"][0]["posts"][0]["excerpt"] if d["topics"] else ""
    t.ok(ex.startswith("…") and "SELOR" in ex,
         "a long paragraph: the excerpt starts near the word", ex)
    d = digest_json(srv, "--match", "SELOR", "--since", "2026-09-01")
    t.eq(post_ids(d), [1, 8], "--since an earlier date: the October post too")
    t.eq(d["since"], "2026-09-01T00:00:00Z", "--since a date: from its midnight UTC")
    d = digest_json(srv, "--match", "SELOR", "--since", "2w")
    t.ok(8 not in post_ids(d), "--since 2w: not the October post", d)


def test_text(srv, ids):
    r = ambt(srv.url, "digest", "--match", "Zorgbalie", "--since", "7d")
    t.eq(r.returncode, 0, "text: exit 0")
    out = r.stdout
    t.ok(out.startswith("Digest for Zorgbalie, "), "text: the heading", out)
    t.ok("2 posts in 1 topic" in out, "text: the counts", out)
    t.ok(HOSTILE_TITLE in out and "#1  koen" in out and "#2  annelies" in out,
         "text: the topic, then its posts with authors", out)
    t.ok("Zorgbalies" not in out, "text: a longer word is not the word", out)


class Tags(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.stack, self.seen, self.bad = [], [], []
        self.text = []

    def handle_starttag(self, tag, attrs):
        self.seen.append(tag)
        if tag not in ("meta",):
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack.pop() != tag:
            self.bad.append(tag)

    def handle_data(self, data):
        self.text.append(data)


def test_html(srv, ids):
    r = ambt(srv.url, "digest", "--match", "Zorgbalie", "--format", "html")
    t.eq(r.returncode, 0, "html: exit 0")
    t.ok(r.stdout.startswith("<!DOCTYPE html>\n<html>") and
         r.stdout.rstrip().endswith("</html>"), "html: a whole document", r.stdout[:200])
    p = Tags()
    p.feed(r.stdout)
    p.close()
    t.eq((p.stack, p.bad), ([], []), "html: every element closed in order")
    t.ok("script" not in p.seen, "html: the title's <script> is text", p.seen)
    t.ok(HOSTILE_TITLE in "".join(p.text), "html: the title reads as written")
    t.eq(p.seen.count("li"), 2, "html: one item per post")


def test_markdown(srv, ids):
    r = ambt(srv.url, "digest", "--match", "Zorgbalie", "--format", "markdown")
    t.eq(r.returncode, 0, "markdown: exit 0")
    lines = r.stdout.splitlines()
    t.ok(lines[0].startswith("# Digest for Zorgbalie"), "markdown: a heading", lines[:2])
    topic = [x for x in lines if x.startswith("## ")]
    t.eq(len(topic), 1, "markdown: one topic heading")
    want = ("## [Zorgbalie \\<script\\>alert\\(1\\)\\</script\\> \\*sterren\\* "
            "\\[x\\]\\(y\\) \\& co](")
    t.ok(topic and topic[0].startswith(want), "markdown: the title escaped", topic)
    items = [x for x in lines if x.startswith("- **")]
    t.ok(len(items) == 2 and items[0].startswith("- **koen**"),
         "markdown: one item per post, author first", items)


def test_no_match(srv):
    r = ambt(srv.url, "digest", "--match", "Onvindbaarwoord")
    t.eq(r.returncode, 0, "no match: exit 0")
    t.ok("0 posts in 0 topics" in r.stdout and "No posts" in r.stdout,
         "no match: a report that says so", r.stdout)
    d = digest_json(srv, "--match", "Onvindbaarwoord")
    t.eq((d["post_count"], d["topics"]), (0, []), "no match: json, empty")


def test_config_words(srv, ids):
    cfg = os.path.join(HOME, "config", "ambt")
    os.makedirs(cfg, exist_ok=True)
    r = ambt(srv.url, "digest")
    t.eq(r.returncode, 2, "no words anywhere: a usage error")
    t.ok("monitor" in r.stderr and "--match" in r.stderr,
         "no words: the error says where words come from", r.stderr)
    with open(os.path.join(cfg, "config"), "w", encoding="utf-8") as f:
        f.write("monitor Datakluis\n")
    try:
        d = digest_json(srv, "--since", "24h")
        t.eq((d["words"], post_ids(d)), (["Datakluis"],
             sorted([ids["both"], ids["seed_topic"]])),
             "the config's monitor words by default")
    finally:
        os.unlink(os.path.join(cfg, "config"))


def test_usage(srv):
    for args, name in ((["--since", "gisteren"], "--since"),
                       (["--format", "pdf"], "--format"),
                       (["extra"], "an operand")):
        r = ambt(srv.url, "digest", "--match", "x", *args)
        t.eq((r.returncode, r.stdout), (2, ""), f"a bad {name}: usage error, exit 2")


class QueryLog:
    """In front of ambtd, a proxy that records every search query."""

    def __init__(self, upstream):
        proxy = self
        self.queries = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                path = self.path
                if path.startswith("/search.json"):
                    url = urllib.parse.urlsplit(path)
                    q = urllib.parse.parse_qs(url.query)
                    proxy.queries.append(q["q"][0])
                headers = {k: v for k, v in self.headers.items()
                           if k.lower() in ("api-key", "api-username", "accept")}
                req = urllib.request.Request(upstream + path, headers=headers)
                try:
                    with urllib.request.urlopen(req, timeout=30) as r:
                        status, body = r.status, r.read()
                except urllib.error.HTTPError as e:
                    status, body = e.code, e.read()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def test_after(srv, ids):
    proxy = QueryLog(srv.url)
    try:
        r = ambt(proxy.url, "digest", "--match", "SELOR", "--since",
                 "2026-11-01", "--format", "json")
        t.eq(proxy.queries, ["SELOR after:2026-10-31 order:latest"],
             "the search is asked once, with after: a day early")
        d = json.loads(r.stdout) if r.returncode == 0 else {}
        t.eq(post_ids(d) if d else None, [1], "the report of that week")
        proxy.queries.clear()
        ambt(proxy.url, "digest", "--match", "Onvindbaarwoord", "--since",
             "2026-11-01")
        t.eq(proxy.queries, ["Onvindbaarwoord after:2026-10-31 order:latest"],
             "nothing found: asked once all the same")
    finally:
        proxy.close()


def closed_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def test_down():
    r = ambt(f"http://127.0.0.1:{closed_port()}", "digest", "--match", "SELOR")
    t.eq((r.returncode, r.stdout), (1, ""), "server down: exit 1, no report")
    t.ok(r.stderr.startswith("ambt: ") and len(r.stderr.splitlines()) <= 3,
         "server down: a short, clear error", r.stderr)


def main():
    try:
        with Ambtd(admin_key=KEY) as srv:
            ids = add_posts(srv)
            t.run("json", test_json, srv, ids)
            t.run("words", test_words, srv, ids)
            t.run("since", test_since, srv, ids)
            t.run("text", test_text, srv, ids)
            t.run("html", test_html, srv, ids)
            t.run("markdown", test_markdown, srv, ids)
            t.run("no match", test_no_match, srv)
            t.run("config words", test_config_words, srv, ids)
            t.run("usage", test_usage, srv)
            t.run("after", test_after, srv, ids)
        t.run("down", test_down)
    finally:
        import shutil
        shutil.rmtree(TMP, ignore_errors=True)
    t.done()


main()
