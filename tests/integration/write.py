#!/usr/bin/env python3
"""write.py: ambt reply, post, like and drafts end to end against ambtd, and
the drafts that must survive.

Every action through the subcommands, checked on the server: a reply
appears in /t/{id}.json (with --to: as a reply to that post), a new topic
in its category, likes counted and taken back, drafts listed, sent and
discarded. Then the survivals: ambtd stopped before sending (the draft is
kept, listed, and sent later exactly once); a 500 (tests/faultserver.py);
a 422 (kept, with the server's message); a server that takes the post and
cuts the connection before answering (CutProxy below: a proxy in front of
ambtd that forwards POST /posts.json and then closes the connection
without answering; the post exists exactly once and the check clears the
draft); ambt killed with SIGKILL while sending (the draft is on disk).

ambt acts as the seed's member demo through the admin API key.
"""
import http.client
import http.server
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.join(os.environ.get("top_srcdir", "."), "tests"))
from tap import Ambtd, Tap, program, srcdir  # noqa: E402

t = Tap()
KEY = "test-admin-key"
TMP = tempfile.mkdtemp(prefix="ambt-write-test-")
HOME = os.path.join(TMP, "home")


def env_for(server, **extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith("AMBT_")}
    env.update(HOME=HOME, XDG_CONFIG_HOME=os.path.join(HOME, "config"),
               XDG_CACHE_HOME=os.path.join(HOME, "cache"),
               XDG_STATE_HOME=os.path.join(HOME, "state"),
               TZ="UTC", LANG="C.UTF-8", LC_ALL="C.UTF-8",
               AMBT_SERVER=server, AMBT_API_KEY=KEY, AMBT_API_USERNAME="demo",
               AMBT_HTTP_RETRY_BASE_MS="10", AMBT_HTTP_CONNECT_TIMEOUT="2000",
               AMBT_HTTP_STALL_TIMEOUT="10")
    env.update(extra)
    return env


def ambt(server, *args, stdin=None):
    return subprocess.run([program("ambt"), *args], env=env_for(server), input=stdin,
                          capture_output=True, text=True, timeout=120)


def likes(post):
    """A post's like count, from its actions_summary."""
    return sum(a.get("count", 0) for a in post.get("actions_summary", []) if a.get("id") == 2)


def get(url, path, user="demo"):
    req = urllib.request.Request(url + path, headers={"Api-Key": KEY, "Api-Username": user})
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read())


def topic_raws(url, topic_id):
    """The raw text of every post of a topic, in order."""
    stream = get(url, f"/t/{topic_id}.json")["post_stream"]["stream"]
    return [get(url, f"/posts/{pid}.json")["raw"] for pid in stream]


def send(url, method, path, form, user="demo"):
    """A form request as a browser's composer makes it: (status, JSON)."""
    req = urllib.request.Request(url + path, method=method,
                                 data=urllib.parse.urlencode(form).encode(),
                                 headers={"Api-Key": KEY, "Api-Username": user})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"null")


def drafts(server):
    r = ambt(server, "drafts", "list", "--json")
    return {d["key"]: d for d in json.loads(r.stdout)} if r.returncode == 0 else None


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class CutProxy:
    """Forwards to ambtd; while `cut` is set, a POST /posts.json is
    forwarded (the server takes the post) and the connection is then closed
    without an answer, as when a connection drops after the server acted.
    While `block_reads` is set, every GET is a 404 (the check cannot look)."""

    def __init__(self, upstream):
        self.upstream = urllib.parse.urlsplit(upstream)
        self.cut = False
        self.cuts = 0
        self.block_reads = False
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                if proxy.block_reads and self.command == "GET":
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                conn = http.client.HTTPConnection(proxy.upstream.hostname,
                                                  proxy.upstream.port, timeout=30)
                headers = {k: v for k, v in self.headers.items() if k.lower() != "host"}
                conn.request(self.command, self.path, body=body, headers=headers)
                res = conn.getresponse()
                data = res.read()
                conn.close()
                if proxy.cut and self.command == "POST" and self.path.startswith("/posts.json"):
                    proxy.cuts += 1
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                self.send_response(res.status)
                for k, v in res.getheaders():
                    if k.lower() not in ("transfer-encoding", "connection", "content-length"):
                        self.send_header(k, v)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_POST = do_PUT = do_DELETE = do_GET

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


class FaultServer:
    def __init__(self, *maps):
        args = [os.environ.get("PYTHON3", "python3"),
                os.path.join(srcdir(), "tests", "faultserver.py")]
        for m in maps:
            args += ["--map", m]
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, text=True)
        self.url = self.proc.stdout.readline().split("listening on ", 1)[1].strip()

    def count(self, path):
        with urllib.request.urlopen(self.url + "/count/" + urllib.parse.quote(path, safe=""),
                                    timeout=10) as r:
            return json.loads(r.read())["count"]

    def close(self):
        self.proc.terminate()
        self.proc.wait(timeout=10)
        self.proc.stdout.close()


def test_reply(srv):
    text = "Een antwoord uit de terminal, lang genoeg voor Discourse."
    r = ambt(srv.url, "reply", "1", "-m", text, "--json")
    t.eq(r.returncode, 0, "reply: exit 0")
    posted = json.loads(r.stdout)
    t.eq(posted["topic_id"], 1, "reply: in topic 1")
    t.eq(topic_raws(srv.url, 1)[-1], text, "reply: the topic's last post is the text")
    t.eq(drafts(srv.url), {}, "reply: no draft is left")
    text2 = "Een antwoord op het tweede bericht, uit standaardinvoer."
    r = ambt(srv.url, "reply", "1", "--to", "2", "--json", stdin=text2)
    t.eq(r.returncode, 0, "reply --to from stdin: exit 0")
    post = get(srv.url, f"/posts/{json.loads(r.stdout)['id']}.json")
    t.eq((post["raw"], post["reply_to_post_number"]), (text2, 2),
         "reply --to 2: the text, as a reply to post 2")
    path = os.path.join(TMP, "body.txt")
    with open(path, "w", encoding="utf-8") as f:
        f.write("Een antwoord uit een bestand, met een é en een 日本語.\n")
    r = ambt(srv.url, "reply", "1", "-F", path)
    t.eq(r.returncode, 0, "reply -F FILE: exit 0")
    t.ok("Een antwoord uit een bestand" in topic_raws(srv.url, 1)[-1], "reply -F: posted")
    r = ambt(srv.url, "reply", "1", "-m", "   ")
    t.eq((r.returncode, drafts(srv.url)), (1, {}), "an empty text is refused and kept nowhere")


def test_post(srv):
    title = "Een nieuw onderwerp uit de terminal"
    body = "Wie heeft ervaring met open data in een kleine gemeente?"
    r = ambt(srv.url, "post", "--category", "open-data", "--title", title, "-m", body,
             "--json")
    t.eq(r.returncode, 0, "post: exit 0")
    topic = get(srv.url, f"/t/{json.loads(r.stdout)['topic_id']}.json")
    cats = {c["slug"]: c["id"] for c in get(srv.url, "/site.json")["categories"]}
    t.eq((topic["title"], topic["category_id"]), (title, cats["open-data"]),
         "post: the topic has the title, in open-data")
    r = ambt(srv.url, "post", "--category", "geen-categorie", "--title", title, "-m", body)
    t.ok(r.returncode == 1 and "geen-categorie" in r.stderr, "post: an unknown category is named",
         r.stderr)


def test_like(srv):
    # A post by someone else that demo has not liked.
    stream = get(srv.url, "/t/1.json")["post_stream"]["stream"]
    target = None
    for pid in stream:
        p = get(srv.url, f"/posts/{pid}.json")
        acted = [a for a in p.get("actions_summary", []) if a.get("id") == 2 and a.get("acted")]
        if p["username"] != "demo" and not acted:
            target = p
            break
    t.ok(target is not None, "like: a post to like")
    if target is None:
        return
    before = likes(target)
    r = ambt(srv.url, "like", str(target["id"]), "--json")
    t.eq(r.returncode, 0, "like: exit 0")
    t.eq((json.loads(r.stdout)["like_count"], json.loads(r.stdout)["liked"]), (before + 1, True),
         "like: one more, and ours")
    t.eq(likes(get(srv.url, f"/posts/{target['id']}.json")), before + 1,
         "like: the server counts it")
    r = ambt(srv.url, "like", str(target["id"]), "--undo")
    t.eq(r.returncode, 0, "like --undo: exit 0")
    t.eq(likes(get(srv.url, f"/posts/{target['id']}.json")), before,
         "like --undo: the count is back")
    r = ambt(srv.url, "like", str(target["id"]), "--undo")
    t.eq(r.returncode, 1, "like --undo of what is not liked fails")


def other_post(url, topic_id, n=0):
    """The id of the n-th post in the topic that is not demo's."""
    stream = get(url, f"/t/{topic_id}.json")["post_stream"]["stream"]
    ids = [pid for pid in stream if get(url, f"/posts/{pid}.json")["username"] != "demo"]
    return ids[n]


def review(url, pid):
    """The flags on the post in the staff's review queue: [(type, reason)]."""
    queue = get(url, "/review.json", user="annelies")["reviewables"]
    for item in queue:
        if item["target_id"] == pid:
            return [(s["score_type"]["id"], s["reason"]) for s in item["reviewable_scores"]]
    return []


def test_flag(srv):
    pid = other_post(srv.url, 1, 1)
    r = ambt(srv.url, "flag", str(pid), "--reason", "off_topic", "--json")
    t.eq(r.returncode, 0, "flag off_topic: exit 0")
    t.eq(json.loads(r.stdout or "{}").get("reason"), "off_topic", "flag --json: the reason")
    t.eq(review(srv.url, pid), [(3, None)], "flag: the review queue shows it as type 3")
    r = ambt(srv.url, "flag", str(pid), "--reason", "off_topic")
    t.ok(r.returncode == 1 and r.stderr.count("\n") == 1 and "403" in r.stderr,
         "flag twice: the server's refusal, one line", r.stderr)
    r = ambt(srv.url, "flag", str(pid), "--reason", "other")
    t.ok(r.returncode == 2 and "-m" in r.stderr, "flag other without -m: usage error", r.stderr)
    msg = "Dit bericht bevat persoonsgegevens van een inwoner."
    r = ambt(srv.url, "flag", str(pid), "--reason", "other", "-m", msg)
    t.ok(r.returncode == 0 and "Reported post" in r.stdout, "flag other -m: exit 0", r.stderr)
    t.eq(review(srv.url, pid), [(3, None), (7, msg)],
         "flag other: notify_moderators (7) with its message in the queue")
    spam = other_post(srv.url, 1, 2)
    r = ambt(srv.url, "flag", str(spam), "--reason", "spam")
    t.eq((r.returncode, review(srv.url, spam)), (0, [(8, None)]), "flag spam: type 8")
    r = ambt(srv.url, "flag", str(spam), "--reason", "rommel")
    t.ok(r.returncode == 2 and "rommel" in r.stderr, "flag: an unknown reason is named", r.stderr)
    r = ambt(srv.url, "flag", "--help")
    t.ok(r.returncode == 0 and "--reason" in r.stdout, "flag --help: names --reason", r.stdout)
    own = ambt(srv.url, "reply", "1", "-m", "Een eigen bericht om niet te rapporteren.", "--json")
    r = ambt(srv.url, "flag", str(json.loads(own.stdout)["id"]), "--reason", "spam")
    t.eq(r.returncode, 1, "flag: one's own post cannot be flagged")


def test_browser_draft(srv):
    """A reply begun in the browser (saved straight to /drafts.json) is
    listed and sent by ambt; a second one in the same topic too, with the
    sequence the server moved on after the first post: no 409."""
    for n, text in enumerate(["Begonnen in de browser, afgemaakt in de terminal.",
                              "Een tweede antwoord uit de browser, zelfde onderwerp."]):
        seq = get(srv.url, "/drafts/topic_2.json")["draft_sequence"]
        data = json.dumps({"reply": text, "action": "reply", "replyToPostNumber": 1})
        status, _ = send(srv.url, "POST", "/drafts.json",
                         {"draft_key": "topic_2", "data": data, "sequence": seq})
        t.eq(status, 200, f"browser draft {n + 1}: the server keeps it")
        listed = drafts(srv.url) or {}
        t.eq(listed.get("topic_2", {}).get("text"), text,
             f"browser draft {n + 1}: ambt drafts list shows it")
        r = ambt(srv.url, "drafts", "send", "topic_2")
        t.eq(r.returncode, 0, f"browser draft {n + 1}: ambt drafts send posts it")
        t.eq(topic_raws(srv.url, 2).count(text), 1, f"browser draft {n + 1}: posted once")
        t.eq(drafts(srv.url), {}, f"browser draft {n + 1}: no draft left here")
        t.eq([d["draft_key"] for d in get(srv.url, "/drafts.json")["drafts"]], [],
             f"browser draft {n + 1}: none left on the server")
    status, _ = send(srv.url, "POST", "/drafts.json",
                     {"draft_key": "topic_2", "data": json.dumps({"reply": "x"}), "sequence": 0})
    t.eq(status, 409, "a save with the sequence before the posts is a 409")


def test_new_topic_draft(srv):
    """A new topic's draft keeps its category, here and on the server."""
    cats = {c["slug"]: c["id"] for c in get(srv.url, "/site.json")["categories"]}
    data = json.dumps({"reply": "Een onderwerp uit de browser, met een categorie.",
                       "title": "Open data in de browser begonnen", "action": "createTopic",
                       "categoryId": cats["open-data"]})
    seq = get(srv.url, "/drafts/new_topic.json")["draft_sequence"]
    send(srv.url, "POST", "/drafts.json", {"draft_key": "new_topic", "data": data, "sequence": seq})
    listed = drafts(srv.url) or {}
    t.eq(listed.get("new_topic", {}).get("category_id"), cats["open-data"],
         "new topic draft: its category is kept")
    r = ambt(srv.url, "drafts", "send", "new_topic", "--json")
    t.ok(r.returncode == 0, "new topic draft: sent without --category", r.stderr)
    topic = get(srv.url, f"/t/{json.loads(r.stdout or '{}').get('topic_id', 0)}.json")
    t.eq(topic.get("category_id"), cats["open-data"], "new topic draft: posted in its category")


def test_drafts_discard(srv):
    text = "Een concept dat weg mag."
    seq = get(srv.url, "/drafts/topic_3.json")["draft_sequence"]
    send(srv.url, "POST", "/drafts.json", {"draft_key": "topic_3", "sequence": seq,
                                           "data": json.dumps({"reply": text, "action": "reply"})})
    t.ok("topic_3" in (drafts(srv.url) or {}), "discard: the draft is listed")
    r = ambt(srv.url, "drafts", "discard", "topic_3")
    t.eq(r.returncode, 0, "drafts discard: exit 0")
    t.eq([d["draft_key"] for d in get(srv.url, "/drafts.json")["drafts"]], [],
         "drafts discard: gone from the server too")
    t.eq(drafts(srv.url), {}, "drafts discard: not listed again")


def test_422_kept(srv):
    r = ambt(srv.url, "reply", "1", "-m", "kort")
    t.eq(r.returncode, 1, "422: exit 1")
    t.ok("too short" in r.stderr and "topic_1" in r.stderr,
         "422: the server's message and the draft's key", r.stderr)
    t.eq(drafts(srv.url).get("topic_1", {}).get("text"), "kort", "422: the draft is kept")
    r = ambt(srv.url, "drafts")
    t.ok("1 unsent draft" in r.stderr and "topic_1" in r.stdout,
         "drafts: lists it", r.stderr + r.stdout)
    r = ambt(srv.url, "drafts", "discard", "topic_1")
    t.eq((r.returncode, drafts(srv.url)), (0, {}), "drafts discard: gone")
    r = ambt(srv.url, "drafts", "send", "topic_1")
    t.ok(r.returncode == 1 and "no draft" in r.stderr, "drafts send of nothing fails", r.stderr)


def test_server_stopped(srv):
    """ambtd is down when ambt sends: kept; later sent once."""
    port = urllib.parse.urlsplit(srv.url).port
    text = "Verstuurd terwijl de server plat lag, en later alsnog."
    srv.stop()
    r = ambt(srv.url, "reply", "1", "-m", text)
    t.eq(r.returncode, 1, "server down: exit 1")
    t.eq(drafts(srv.url).get("topic_1", {}).get("text"), text, "server down: the draft is kept")
    srv.args[srv.args.index("127.0.0.1:0")] = f"127.0.0.1:{port}"
    srv.start()
    r = ambt(srv.url, "drafts", "send", "topic_1")
    t.ok(r.returncode == 0, "drafts send: exit 0", r.stderr)
    t.eq(topic_raws(srv.url, 1).count(text), 1, "drafts send: the post exists once")
    t.eq(drafts(srv.url), {}, "drafts send: the draft is gone")


def test_500_kept():
    fs = FaultServer("/posts.json=status:500")
    try:
        text = "Een antwoord dat op een kapotte server stuit."
        r = ambt(fs.url, "reply", "1", "-m", text)
        t.eq(r.returncode, 1, "500: exit 1")
        t.ok("HTTP 500" in r.stderr, "500: said", r.stderr)
        t.eq(drafts(fs.url).get("topic_1", {}).get("text"), text, "500: the draft is kept")
        t.eq(fs.count("/posts.json"), 1, "500: sent once, not retried")
    finally:
        fs.close()


def test_cut(srv):
    proxy = CutProxy(srv.url)
    try:
        text = "Aangekomen, maar het antwoord ging onderweg verloren."
        proxy.cut = True
        r = ambt(proxy.url, "reply", "1", "-m", text, "--json")
        t.eq(proxy.cuts, 1, "cut: the proxy cut one answer")
        t.ok(r.returncode == 0, "cut: the check found the post: exit 0", r.stderr)
        t.ok(r.returncode == 0 and json.loads(r.stdout)["found_earlier"],
             "cut: reported as found, not posted again", r.stdout)
        t.eq(topic_raws(srv.url, 1).count(text), 1, "cut: the post exists exactly once")
        t.eq(drafts(proxy.url), {}, "cut: the draft is cleared")
        # A cut, and the check cannot reach the topic either: kept, and
        # the next send looks first instead of posting a second time.
        text = "Aangekomen, en ook de controle kwam er niet door."
        proxy.block_reads = True
        r = ambt(proxy.url, "reply", "1", "-m", text)
        t.ok(r.returncode == 1 and "after checking" in r.stderr,
             "cut, check blocked: kept, to be checked before sending", r.stderr)
        t.eq(drafts(proxy.url).get("topic_1", {}).get("text"), text,
             "cut, check blocked: the draft is kept")
        proxy.cut = proxy.block_reads = False
        r = ambt(proxy.url, "drafts", "send", "topic_1", "--json")
        t.ok(r.returncode == 0 and json.loads(r.stdout)["found_earlier"],
             "drafts send after it: found, not posted again", r.stdout + r.stderr)
        t.eq(topic_raws(srv.url, 1).count(text), 1, "after the retry: exactly once")
        t.eq(drafts(proxy.url), {}, "after the retry: the draft is cleared")
    finally:
        proxy.close()


def test_killed():
    """ambt killed with SIGKILL while the server holds the request."""
    fs = FaultServer("/posts.json=route:/stall")
    try:
        text = "Een antwoord dat een kill -9 moet overleven."
        proc = subprocess.Popen([program("ambt"), "reply", "1", "-m", text],
                                env=env_for(fs.url), stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        deadline = time.time() + 60
        while fs.count("/posts.json") == 0 and time.time() < deadline:
            time.sleep(0.05)
        t.eq(fs.count("/posts.json"), 1, "kill: ambt was sending")
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        t.eq(proc.returncode, -signal.SIGKILL, "kill: ambt died of SIGKILL")
        t.eq(drafts(fs.url).get("topic_1", {}).get("text"), text, "kill: the draft is on disk")
    finally:
        fs.close()


def main():
    os.makedirs(HOME)
    srv = Ambtd(admin_key=KEY)
    try:
        srv.start()
        t.run("reply", test_reply, srv)
        t.run("post", test_post, srv)
        t.run("like", test_like, srv)
        t.run("flag", test_flag, srv)
        t.run("browser draft", test_browser_draft, srv)
        t.run("new topic draft", test_new_topic_draft, srv)
        t.run("drafts discard", test_drafts_discard, srv)
        t.run("422", test_422_kept, srv)
        t.run("500", test_500_kept)
        t.run("cut", test_cut, srv)
        t.run("killed", test_killed)
        t.run("server stopped", test_server_stopped, srv)
    finally:
        srv.cleanup()
        shutil.rmtree(TMP, ignore_errors=True)
    t.done()


main()
