#!/usr/bin/env python3
"""ambtd_core.py: ambtd's server core, whatever endpoints exist.

Start-up and clean stop, persistence across restarts, the command line,
authentication by admin API key, and bad requests of every kind: each
gets a 4xx in Discourse's error shape and the server stays up.
"""
import http.client
import json
import os
import random
import re
import signal
import socket
import sqlite3
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
# The sweep below also polls the message bus: hold those polls 0.5 s, not
# Discourse's 25 s, which is longer than a request may take here.
os.environ["AMBTD_LONG_POLL_MS"] = "500"


def request(url, method="GET", body=None, headers=None):
    """(status, parsed JSON or raw bytes, headers) of one request."""
    req = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            status, data, hdrs = r.status, r.read(), r.headers
    except urllib.error.HTTPError as e:
        status, data, hdrs = e.code, e.read(), e.headers
    try:
        return status, json.loads(data), hdrs
    except ValueError:
        return status, data, hdrs


def raw_exchange(url, payload, read=True):
    """Send bytes on a fresh socket; return what came back (maybe b"")."""
    host, port = re.match(r"http://([^:]+):(\d+)", url).groups()
    with socket.create_connection((host, int(port)), timeout=10) as s:
        try:
            s.sendall(payload)
            if not read:
                return b""
            s.shutdown(socket.SHUT_WR)
        except OSError:
            pass  # the server may answer and close before it has it all
        chunks = []
        try:
            while True:
                c = s.recv(65536)
                if not c:
                    break
                chunks.append(c)
        except OSError:  # reset, timeout
            pass
        return b"".join(chunks)


def raw_status(reply):
    m = re.match(rb"HTTP/1\.[01] (\d{3})", reply)
    return int(m.group(1)) if m else None


def raw_json(reply):
    try:
        return json.loads(reply.split(b"\r\n\r\n", 1)[1])
    except (IndexError, ValueError):
        return None


def is_error_shape(body, error_type=None):
    return (isinstance(body, dict) and isinstance(body.get("errors"), list)
            and len(body["errors"]) >= 1 and all(isinstance(e, str) for e in body["errors"])
            and isinstance(body.get("error_type"), str)
            and (error_type is None or body["error_type"] == error_type))


def expect_error(name, status, body, want_status, error_type=None):
    ok = (status in want_status if isinstance(want_status, tuple) else status == want_status)
    t.ok(ok and is_error_shape(body, error_type), name, f"status {status}, body {body!r}")


def alive(srv, name):
    status, _, _ = request(srv.url + "/no/such/thing.json")
    t.eq(status, 404, name)


def command_line():
    ambtd = program("ambtd")
    r = subprocess.run([ambtd, "--help"], capture_output=True, text=True)
    t.ok(r.returncode == 0 and "--listen" in r.stdout, "--help exits 0 with the usage")
    r = subprocess.run([ambtd, "--version"], capture_output=True, text=True)
    t.ok(r.returncode == 0 and r.stdout.startswith("ambtd "), "--version exits 0")
    for args, what in ((["--bogus"], "an unknown option"),
                       (["--listen", "127.0.0.1:0"], "no --db"),
                       (["--db", "x", "--listen", "127.0.0.1:0", "--seed", "all"], "a bad --seed"),
                       (["--db", "x", "--listen", "nowhere"], "a bad --listen"),
                       (["--db", "x", "--listen", "localhost:80"], "a --listen with no IPv4"),
                       (["--db", "x", "--listen", "127.0.0.1:65536"], "a port out of range"),
                       (["--db", "x", "--listen", "127.0.0.1:0", "--large-topic", "many"],
                        "a bad --large-topic")):
        with tempfile.TemporaryDirectory() as cwd:
            r = subprocess.run([ambtd] + args, capture_output=True, text=True, cwd=cwd)
            t.ok(r.returncode == 2 and not os.listdir(cwd),
                 f"{what} exits 2 and creates no database", (r.returncode, os.listdir(cwd)))


def start_and_stop(srv):
    t.ok(re.fullmatch(r"http://127\.0\.0\.1:\d+", srv.url or "") is not None
         and not srv.url.endswith(":0"), "prints the URL with the port it got", srv.url)
    alive(srv, "answers on that URL")


def error_shapes(srv):
    u = srv.url
    status, body, _ = request(u + "/no/such/thing.json")
    expect_error("an unknown path is 404 not_found", status, body, 404, "not_found")
    t.eq(body.get("errors") if isinstance(body, dict) else None,
         ["The requested URL or resource could not be found."], "with Discourse's message")
    status, body, _ = request(u + "/t/999999999.json")
    expect_error("an unknown topic id is 404", status, body, 404, "not_found")
    status, body, _ = request(u + "/t/99999999999999999999999.json")
    expect_error("an out-of-range id is 404", status, body, 404, "not_found")
    status, body, hdrs = request(u + "/no/such/thing.json")
    t.ok(hdrs.get("Content-Type", "").startswith("application/json"),
         "errors are application/json", hdrs.get("Content-Type"))


def bad_paths(srv):
    u = srv.url
    for path, name in ((b"/../../etc/passwd", "a '..' path"),
                       (b"/t/../site.json", "a '..' segment"),
                       (b"/%2e%2e/%2e%2e/etc/passwd", "a %2e%2e path"),
                       (b"/t/%2E%2E/1.json", "a %2E%2E segment")):
        reply = raw_exchange(u, b"GET " + path + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        expect_error(f"{name} is 404", raw_status(reply), raw_json(reply), 404, "not_found")
    for path, name in (("/t/%ff.json", "invalid UTF-8 in the path"),
                       ("/t/%00.json", "a NUL in the path"),
                       ("/t/%zz.json", "a bad escape in the path"),
                       ("/t/%C0%AE.json", "an overlong UTF-8 form")):
        status, body, _ = request(u + path)
        expect_error(f"{name} is 400", status, body, 400, "invalid_parameters")
    alive(srv, "still up after the bad paths")


def bad_params(srv):
    u = srv.url
    status, body, _ = request(u + "/latest.json?page=%ff%fe")
    expect_error("invalid UTF-8 in the query is 400", status, body, 400, "invalid_parameters")
    status, body, _ = request(u + "/latest.json?page=%00")
    expect_error("a NUL in the query is 400", status, body, 400, "invalid_parameters")
    post = lambda body, ctype: request(u + "/posts.json", "POST", body,  # noqa: E731
                                       {"Content-Type": ctype})
    status, body, _ = post(b'{"raw": "half', "application/json")
    expect_error("a malformed JSON body is 400", status, body, 400, "invalid_parameters")
    t.ok(is_error_shape(body) and "JSON" in body["errors"][0], "which says the JSON is bad", body)
    status, body, _ = post(b"[1, 2, 3]", "application/json")
    expect_error("a JSON body that is no object is 400", status, body, 400)
    status, body, _ = post(b'{"raw": "\xff\xfe"}', "application/json; charset=utf-8")
    expect_error("invalid UTF-8 in a JSON body is 400", status, body, 400)
    status, body, _ = post(b"raw=%ff%fe&topic_id=1", "application/x-www-form-urlencoded")
    expect_error("invalid UTF-8 in a form body is 400", status, body, 400)
    status, body, _ = post(b"raw=\xc3\x28", "application/x-www-form-urlencoded")
    expect_error("raw invalid UTF-8 bytes in a form body are 400", status, body, 400)
    status, body, _ = post(b"raw=hello&topic_id=1", "text/plain")
    expect_error("a body of another content type is a 4xx", status, body, (400, 403, 404, 415, 422))
    status, body, _ = post(b"a&" * 400000, "application/x-www-form-urlencoded")
    t.ok(400 <= status < 500, "400,000 empty params are a 4xx, soon", status)
    status, body, _ = post(b'{"a": ' + b"[" * 100000 + b"]" * 100000 + b"}", "application/json")
    expect_error("JSON nested 100,000 deep is 400", status, body, 400)
    status, body, _ = post(b'{"a": ' + b"[" * 1000 + b"]" * 1000 + b"}", "application/json")
    t.ok(400 <= status < 500, "JSON nested 1,000 deep is a 4xx", status)
    for q in ("q=%27%20OR%201%3D1%3B--", "q=%22%3B%20DROP%20TABLE%20users%3B--",
              "page=1%3B%20DELETE%20FROM%20posts"):
        status, body, _ = request(u + "/search.json?" + q)
        t.ok(status < 500, f"SQL metacharacters in the query ({q[:12]}...) are no 5xx", status)
    status, body, _ = request(u + "/u/robert%27)%3B%20DROP%20TABLE%20users%3B--.json")
    expect_error("SQL metacharacters in a path segment are 404", status, body, 404)
    alive(srv, "still up after the bad parameters")


def big_bodies(srv):
    u = srv.url
    # The answer comes as soon as the headers announce too much: read it
    # before sending the body, as curl does.
    head = (b"POST /posts.json HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\n"
            b"Content-Length: %d\r\n\r\n" % (1024 * 1024 + 10))
    reply = raw_exchange(u, head)
    expect_error("a Content-Length over the cap is 413", raw_status(reply), raw_json(reply), 413)
    small = b"raw=" + b"x" * (1024 * 1024 - 4)
    status, body, _ = request(u + "/posts.json", "POST", small,
                              {"Content-Type": "application/x-www-form-urlencoded"})
    t.ok(status != 413 and 400 <= status < 500, "a body of exactly the cap is read", status)
    chunk = b"x" * 65536
    head = (b"POST /posts.json HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n")
    chunks = b"".join(b"%x\r\n" % len(chunk) + chunk + b"\r\n" for _ in range(20))
    reply = raw_exchange(u, head + chunks + b"0\r\n\r\n")
    expect_error("a chunked body over the cap is 413", raw_status(reply), raw_json(reply), 413)
    alive(srv, "still up after the big bodies")


def broken_clients(srv):
    u = srv.url
    raw_exchange(u, b"POST /posts.json HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n"
                    b"Content-Type: application/json\r\n\r\n0123456789", read=False)
    alive(srv, "still up after a client stopped mid-body")
    for garbage, name in ((b"GARBAGE\r\n\r\n", "a one-word request line"),
                          (b"\x00\xff\xfe GET / HTTP/1.1\r\n\r\n", "binary junk"),
                          (b"GET / HTTP/9.9\r\nHost: x\r\n\r\n", "an unknown HTTP version"),
                          (b"GET /" + b"a" * 100000 + b" HTTP/1.1\r\nHost: x\r\n\r\n",
                           "a 100 kB request line"),
                          (b"GET / HTTP/1.1\r\nHost: x\r\nX: " + b"y" * 200000 + b"\r\n\r\n",
                           "a 200 kB header")):
        reply = raw_exchange(u, garbage)
        status = raw_status(reply)
        t.ok(status is None or 400 <= status < 600, f"{name} is refused", reply[:200])
    alive(srv, "still up after the garbage")


def api_keys(srv, username):
    u = srv.url + "/no/such/thing.json"
    status, body, _ = request(u, headers={"Api-Key": "wrong", "Api-Username": username})
    expect_error("a wrong Api-Key is 403 invalid_access", status, body, 403, "invalid_access")
    status, body, _ = request(u, headers={"Api-Key": KEY, "Api-Username": "nobody-at-all"})
    expect_error("an unknown Api-Username is 403 invalid_access", status, body, 403,
                 "invalid_access")
    status, body, _ = request(u, headers={"Api-Key": KEY})
    expect_error("an Api-Key without Api-Username is 403", status, body, 403, "invalid_access")
    status, body, hdrs = request(u, headers={"Api-Key": KEY, "Api-Username": username.upper()})
    t.eq(status, 404, "the right key and a member's name (any case) pass on to routing")
    t.eq(hdrs.get("X-Discourse-Username"), username, "X-Discourse-Username names the member")
    status, body, hdrs = request(u)
    t.eq(hdrs.get("X-Discourse-Username"), None, "and no one for an anonymous request")


def route_patterns():
    """Every (method, pattern) in the route tables of src/ambtd/*.c, so the
    sweep below covers each endpoint family as it lands."""
    d = os.path.join(os.environ.get("top_srcdir", "."), "src", "ambtd")
    found = set()
    for name in sorted(os.listdir(d)):
        if name.endswith(".c"):
            with open(os.path.join(d, name), encoding="utf-8") as f:
                found.update(re.findall(r'\{\s*"(GET|POST|PUT|DELETE)",\s*"(/[^"]*)"', f.read()))
    return sorted(found)


JUNK = ["1", "2", "0", "-1", "99999999999999999999", "abc", "%ff", "%27%20OR%201=1", "demo",
        "8", "1.5", "%00", "x" * 300, "%C3%A9", "1e3", "%201", "%2e%2e"]
PARAMS = ["topic_id", "raw", "title", "category", "reply_to_post_number", "post_ids[]",
          "post_number", "asc", "page", "per_page", "q", "id", "post_action_type_id",
          "notification_level", "timings[1]", "topic_time", "draft_key", "data", "sequence",
          "status", "include_details", "after", "before", "limit", "order", "username",
          "filter", "offset", "user_id", "category_id"]


def random_sweep(srv, rounds=400):
    """Seeded random requests over every route of the demo forum, with junk
    ids, params and bodies, as the demo member, a stranger or anonymous:
    never a 5xx, and the server stays up."""
    rng = random.Random(20261125)
    routes = route_patterns()
    t.ok(len(routes) > 0, f"found the route tables ({len(routes)} routes)")
    bad = []
    for _ in range(rounds):
        method, pattern = rng.choice(routes)
        path = re.sub(r"\{[^}]+\}", lambda m: rng.choice(JUNK), pattern)
        query = "&".join(f"{rng.choice(PARAMS)}={rng.choice(JUNK)}"
                         for _ in range(rng.randint(0, 4)))
        headers, body = {}, None
        if rng.random() < 0.7:
            headers = {"Api-Key": KEY, "Api-Username": rng.choice(["demo", "DEMO", "nobody"])}
        if method != "GET":
            if rng.random() < 0.5:
                doc = {rng.choice(PARAMS): rng.choice([rng.choice(JUNK), 1, None, [1, 2],
                                                       {"a": 1}, True])
                       for _ in range(rng.randint(0, 5))}
                body, headers["Content-Type"] = json.dumps(doc).encode(), "application/json"
            else:
                body = query.encode()
                headers["Content-Type"] = "application/x-www-form-urlencoded"
        url = srv.url + path + ("?" + query if query and method == "GET" else "")
        status, _, _ = request(url, method, body, headers)
        if status >= 500:
            bad.append(f"{status} {method} {url} {body!r}")
        if srv.proc.poll() is not None:
            bad.append(f"died at {method} {url}")
            break
    t.ok(not bad, f"{rounds} random requests over every route: no 5xx, no crash",
         "\n".join(bad[:20]))


def parallel_readers_and_writers(srv):
    """GETs run in parallel, each thread on its own connection, while
    POSTs take the database alone: every request succeeds, and every
    reply that got its 200 is there afterwards."""
    status, latest, _ = request(srv.url + "/latest.json")
    topic = latest["topic_list"]["topics"][0]["id"]
    _, before, _ = request(srv.url + f"/t/{topic}.json")
    statuses, post_ids, lock = [], [], threading.Lock()

    def reader():
        for i in range(30):
            path = f"/t/{topic}.json" if i % 2 else "/latest.json"
            st, _, _ = request(srv.url + path)
            with lock:
                statuses.append((st, "GET " + path))

    def writer(w):
        for i in range(10):
            form = urllib.parse.urlencode({
                "topic_id": topic,
                "raw": f"Antwoord {i} van schrijver {w}, tegelijk met de lezers."}).encode()
            st, body, _ = request(srv.url + "/posts.json", "POST", form,
                                  {"Api-Key": KEY, "Api-Username": "demo",
                                   "Content-Type": "application/x-www-form-urlencoded"})
            with lock:
                statuses.append((st, "POST /posts.json"))
                if st == 200:
                    post_ids.append(body["id"])

    threads = [threading.Thread(target=reader) for _ in range(4)]
    threads += [threading.Thread(target=writer, args=(w,)) for w in range(2)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    bad = [s for s in statuses if s[0] != 200]
    t.ok(len(statuses) == 140 and not bad, "140 parallel GETs and POSTs all succeed", bad[:10])
    _, after, _ = request(srv.url + f"/t/{topic}.json")
    t.eq(after["posts_count"] - before["posts_count"], len(post_ids),
         "the topic holds every reply that got a 200")
    missing = [p for p in post_ids if request(srv.url + f"/posts/{p}.json")[0] != 200]
    t.eq(missing, [], "and each one reads back")


def multipart(fields, boundary="ambt-boundary-7f3a"):
    """A multipart/form-data body of (name, bytes) fields, and its type."""
    body = b"".join(b"--" + boundary.encode() + b"\r\nContent-Disposition: form-data; name=\""
                    + name.encode() + b"\"\r\n\r\n" + value + b"\r\n" for name, value in fields)
    return body + b"--" + boundary.encode() + b"--\r\n", f"multipart/form-data; boundary={boundary}"


def multipart_bodies(srv):
    """multipart/form-data, as curl -F sends it, is read as Discourse reads it."""
    _, latest, _ = request(srv.url + "/latest.json")
    topic = latest["topic_list"]["topics"][0]["id"]
    raw = "Een lang antwoord via multipart/form-data, met \u00e9\u00e9n accent. " * 400
    body, ctype = multipart([("topic_id", str(topic).encode()), ("raw", raw.encode())])
    auth = {"Api-Key": KEY, "Api-Username": "demo", "Content-Type": ctype}
    status, post, _ = request(srv.url + "/posts.json", "POST", body, auth)
    t.eq(status, 200, "a multipart reply of 28 kB is taken")
    status, back, _ = request(srv.url + f"/posts/{post.get('id') if status == 200 else 0}.json",
                              headers={"Api-Key": KEY, "Api-Username": "demo"})
    t.eq(back.get("raw") if status == 200 else None, raw, "and its raw reads back whole")
    for fields, name in (([("raw", b"\xff\xfe bytes")], "invalid UTF-8"),
                         ([("raw", b"a\x00b")], "a NUL byte")):
        body, ctype = multipart(fields)
        status, err, _ = request(srv.url + "/posts.json", "POST", body, dict(auth, **{"Content-Type": ctype}))
        expect_error(f"{name} in a multipart field is 400", status, err, 400, "invalid_parameters")
    status, err, _ = request(srv.url + "/posts.json", "POST", b"junk",
                             dict(auth, **{"Content-Type": "multipart/form-data"}))
    expect_error("multipart without a boundary is 400", status, err, 400, "invalid_parameters")


def stop_under_load(srv):
    """SIGTERM while readers and a writer keep it busy: the requests in
    flight finish, then it exits 0 with no sanitizer report."""
    done = threading.Event()

    def hammer(method, path, body, headers):
        while not done.is_set():
            try:
                request(srv.url + path, method, body, headers)
            except (OSError, http.client.HTTPException):
                pass  # refused or cut once it stops

    form = {"Api-Key": KEY, "Api-Username": "demo",
            "Content-Type": "application/x-www-form-urlencoded"}
    threads = [threading.Thread(target=hammer, args=("GET", "/latest.json", None, {}))
               for _ in range(3)]
    threads.append(threading.Thread(target=hammer, args=(
        "POST", "/posts.json", b"topic_id=1&raw=Nog+een+antwoord+terwijl+de+server+stopt.", form)))
    for th in threads:
        th.start()
    try:
        done.wait(1.0)
        stop_status(srv, signal.SIGTERM, "SIGTERM under load stops it with status 0")
    finally:
        done.set()
        for th in threads:
            th.join()


def count(db, sql):
    con = sqlite3.connect(db)
    try:
        return con.execute(sql).fetchone()[0]
    finally:
        con.close()


def downgrade_to_version_1(db):
    """Make db look as ambtd's first schema left it."""
    con = sqlite3.connect(db)
    try:
        con.executescript("DROP INDEX posts_topic_live; DROP INDEX posts_replies;"
                          "DROP TRIGGER posts_counted; DROP TRIGGER posts_recounted;"
                          "DROP TRIGGER posts_uncounted;"
                          "ALTER TABLE topics DROP COLUMN posts_count;"
                          "ALTER TABLE topics DROP COLUMN highest_post_number;"
                          "ALTER TABLE topics DROP COLUMN last_post_user_id;"
                          "PRAGMA user_version = 1;")
    finally:
        con.close()


def stop_status(srv, sig, name):
    t.eq(srv.stop(sig), 0, name)
    log = srv.log()
    t.ok(not any(w in log for w in ("AddressSanitizer", "LeakSanitizer", "ThreadSanitizer",
                                    "runtime error")),
         "no sanitizer report in the log", log)


def restart(db_path):
    return Ambtd(seed="none", admin_key=KEY, db=db_path, extra=["--large-topic", "50"])


def second_server_same_port(srv):
    port = srv.url.rsplit(":", 1)[1]
    r = subprocess.run([program("ambtd"), "--listen", f"127.0.0.1:{port}", "--db",
                        os.path.join(srv.tmp, "other.sqlite3"), "--seed", "none"],
                       capture_output=True, text=True, timeout=20)
    t.ok(r.returncode == 1 and "ambtd:" in r.stderr, "a port in use: exit 1 with a message",
         r.stderr)


def main():
    command_line()
    srv = Ambtd(seed="none", admin_key=KEY, extra=["--large-topic", "50"])
    srv2 = restart(srv.db)
    try:
        srv.start()
        start_and_stop(srv)
        t.run("error shapes", error_shapes, srv)
        t.run("bad paths", bad_paths, srv)
        t.run("bad params", bad_params, srv)
        t.run("big bodies", big_bodies, srv)
        t.run("broken clients", broken_clients, srv)
        t.run("api keys", api_keys, srv, "lang")
        t.run("port in use", second_server_same_port, srv)
        stop_status(srv, signal.SIGTERM, "SIGTERM stops it with status 0")
        posts = count(srv.db, "SELECT count(*) FROM posts")
        t.eq(posts, 50, "--large-topic 50 made 50 posts")
        downgrade_to_version_1(srv.db)
        srv2.start()
        t.eq(count(srv.db, "PRAGMA user_version"), 7,
             "a version 1 database is migrated on start")
        t.eq(count(srv.db, "SELECT count(*) FROM sqlite_master WHERE name IN "
                           "('posts_topic_live', 'posts_replies')"), 2,
             "with the indexes of version 2")
        t.eq(count(srv.db, "SELECT posts_count * 1000 + highest_post_number FROM topics "
                           "WHERE posts_count > 0"), 50050,
             "and the counts of version 3, counted from the posts there are")
        t.eq(count(srv.db, "SELECT count(*) FROM posts"), 50,
             "a restart on the same database keeps them, and adds no second topic")
        t.eq(count(srv.db, "SELECT count(*) FROM users"), 1, "and keeps the users")
        alive(srv2, "the restarted server answers")
        stop_status(srv2, signal.SIGINT, "SIGINT stops it with status 0")
    finally:
        srv2.cleanup()
        srv.cleanup()
    os.environ["AMBTD_POST_RATE"] = "1000/60"  # the writers below post fast
    with Ambtd(seed="demo", admin_key=KEY) as demo:
        t.run("parallel readers and writers", parallel_readers_and_writers, demo)
        t.run("multipart bodies", multipart_bodies, demo)
        t.run("random sweep", random_sweep, demo)
        stop_under_load(demo)
    t.done()


main()
