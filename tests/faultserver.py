#!/usr/bin/env python3
"""faultserver.py: a small HTTP/1.1 server that misbehaves on request.

Tests start it as a child, read the first line of its stdout

    listening on http://127.0.0.1:PORT      (https:// with --tls-cert)

and stop it with SIGTERM. It binds 127.0.0.1 on a free port (port 0) and
uses only the Python standard library. One thread per connection;
keep-alive is on (HTTP/1.1), so it also exercises connection reuse.

Usage:
    faultserver.py [--root DIR] [--map PATH=TARGET ...]
                   [--tls-cert CERT --tls-key KEY]

Routes (any method unless noted; a query may follow every path):
    /json/<name>         the file DIR/<name> from --root, as application/json
    /echo                JSON {"method", "path", "query" (the raw string),
                         "args" (name -> last value), "headers" (lower-case
                         name -> value), "body" (the request body as text)}
    /status/<code>       answers <code> with a Discourse error body
                         {"errors":["..."],"error_type":"..."};
                         ?retry_after=N adds a Retry-After header
    /429?after=N&key=K   the first request for key K gets 429 with
                         Retry-After: N (an HTTP-date N s ahead with
                         &date=1), later ones 200 {"ok":true,"key":K}
    /flaky/<k>?fail=N    503 for the first N requests of key <k>, then
                         200 {"ok":true,"key":k,"count":n}
    /slow?delay=S        waits S seconds (a float) before the headers,
                         then 200 {"ok":true}
    /stall               headers (Content-Length: 1000) and 10 bytes of
                         body, then nothing until the client gives up
    /cut                 Content-Length: 1000, 100 bytes, then it closes
    /big?mb=N            streams N MiB of 'x' with a Content-Length;
                         &chunked=1 streams it chunked, with no length
    /etag?tag=T          ETag "T" (default "v1") and a small JSON body,
                         or 304 with no body when If-None-Match matches
    /redirect?to=PATH    302 to PATH; without `to`, to itself (a loop)
    /cookie?name=V       sets the cookie name=V (Path=/); /echo shows
                         what the client sends back in "headers"
    /count/<k>           {"key":k,"count":n}: how many requests key <k>
                         saw so far (this route does not count itself)

Counting: every request except /count/ adds one to the count of its key:
the `key` query parameter when given, else <k> for /flaky/<k>, else the
request path without its query (so /count/%2Flatest.json works for a
mapped path). That is how a test asserts how many retries were made.

--map PATH=TARGET (repeatable) makes PATH (matched with its query first,
then without) answer like TARGET:
    --map /latest.json=FILE              the file, as application/json
    --map /latest.json=route:/flaky/l?fail=2
                                         any route above, with its query
    --map /t/1.json=status:404           shorthand for route:/status/404
A mapped request is counted under its own key (see above), not the
route's. --map takes precedence over the built-in routes.
"""
import argparse
import email.utils
import json
import os
import signal
import socket
import ssl
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# Set on SIGTERM: sleeping handlers (/slow, /stall) wake up and leave.
STOP = threading.Event()

# Why each status fails, in Discourse's words (api-notes.md, section 7).
ERROR_TYPES = {
    400: "invalid_parameters",
    403: "invalid_access",
    404: "not_found",
    410: "not_found",
    422: "record_invalid",
    429: "rate_limit",
    503: "read_only",
}


class Counts:
    """Requests seen per key, shared by all connection threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.seen = {}

    def add(self, key):
        with self.lock:
            self.seen[key] = self.seen.get(key, 0) + 1
            return self.seen[key]

    def get(self, key):
        with self.lock:
            return self.seen.get(key, 0)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "faultserver/1"

    def log_message(self, fmt, *args):  # noqa: D102 - keep test output clean
        pass

    # Every method goes through the same dispatcher.
    def do_GET(self):
        self.dispatch()

    do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_GET

    def read_body(self):
        """The request body, by Content-Length or chunked encoding."""
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            parts = []
            while True:
                size = int(self.rfile.readline().split(b";")[0], 16)
                if size == 0:
                    self.rfile.readline()
                    return b"".join(parts)
                parts.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def dispatch(self):
        self.body = self.read_body()
        url = urllib.parse.urlsplit(self.path)
        target = self.server.maps.get(self.path) or self.server.maps.get(url.path)
        key = self.count_key(url)
        if target is None:
            self.route(url, key)
        elif target.startswith("route:") or target.startswith("status:"):
            if target.startswith("status:"):
                target = "route:/status/" + target[len("status:"):]
            self.route(urllib.parse.urlsplit(target[len("route:"):]), key)
        else:
            self.send_file(target)

    def count_key(self, url):
        """The key this request is counted under, counted here."""
        if url.path.startswith("/count/"):
            return None
        args = urllib.parse.parse_qs(url.query)
        if "key" in args:
            key = args["key"][-1]
        elif url.path.startswith("/flaky/"):
            key = url.path[len("/flaky/"):]
        else:
            key = url.path
        self.seen = self.server.counts.add(key)
        return key

    def route(self, url, key):
        path = url.path
        args = {k: v[-1] for k, v in urllib.parse.parse_qs(url.query).items()}
        if path.startswith("/json/"):
            name = urllib.parse.unquote(path[len("/json/"):])
            root = self.server.root or "."
            full = os.path.realpath(os.path.join(root, name))
            if not full.startswith(os.path.realpath(root) + os.sep):
                return self.error(403, "outside --root")
            return self.send_file(full)
        if path == "/echo":
            return self.echo(url, args)
        if path.startswith("/status/"):
            extra = {}
            if "retry_after" in args:
                extra["Retry-After"] = args["retry_after"]
            return self.error(int(path[len("/status/"):]), "as asked", extra)
        if path == "/429":
            return self.rate_limited(args, key)
        if path.startswith("/flaky/"):
            if self.seen <= int(args.get("fail", 1)):
                return self.error(503, "flaky: failing as asked")
            return self.send_json(200, {"ok": True, "key": key, "count": self.seen})
        if path == "/slow":
            if STOP.wait(float(args.get("delay", 1))):
                return self.close_now()
            return self.send_json(200, {"ok": True})
        if path == "/stall":
            return self.stall()
        if path == "/cut":
            return self.cut()
        if path == "/big":
            return self.big(int(args.get("mb", 1)), args.get("chunked") == "1")
        if path == "/etag":
            return self.etag(args.get("tag", "v1"))
        if path == "/redirect":
            to = args.get("to", path)
            return self.send_json(302, {"to": to}, {"Location": to})
        if path == "/cookie":
            cookies = {"Set-Cookie": "; ".join(f"{k}={v}" for k, v in args.items()) + "; Path=/"}
            return self.send_json(200, {"ok": True}, cookies)
        if path.startswith("/count/"):
            name = urllib.parse.unquote(path[len("/count/"):])
            return self.send_json(200, {"key": name, "count": self.server.counts.get(name)})
        return self.error(404, "no such route: " + path)

    # ---- answers ----

    def send_bytes(self, status, body, ctype="application/json", extra=None):
        self.send_response(status)
        if status not in (204, 304):
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if status not in (204, 304) and self.command != "HEAD":
            self.wfile.write(body)

    def send_json(self, status, obj, extra=None):
        self.send_bytes(status, json.dumps(obj).encode(), extra=extra)

    def send_file(self, name):
        try:
            with open(name, "rb") as f:
                data = f.read()
        except OSError as e:
            return self.error(404, f"cannot read {name}: {e.strerror}")
        ctype = "application/json"
        if not name.endswith(".json"):
            ctype = "text/plain; charset=utf-8" if name.endswith(".txt") else ctype
        self.send_bytes(200, data, ctype)

    def error(self, status, why, extra=None):
        body = {"errors": [f"{status}: {why}"]}
        if status in ERROR_TYPES:
            body["error_type"] = ERROR_TYPES[status]
        self.send_json(status, body, extra)

    def echo(self, url, args):
        self.send_json(200, {
            "method": self.command,
            "path": url.path,
            "query": url.query,
            "args": args,
            "headers": {k.lower(): v for k, v in self.headers.items()},
            "body": self.body.decode("utf-8", "replace"),
        })

    def rate_limited(self, args, key):
        if self.seen > 1:
            return self.send_json(200, {"ok": True, "key": key})
        after = int(args.get("after", 1))
        value = str(after)
        if args.get("date") == "1":
            value = email.utils.formatdate(time.time() + after, usegmt=True)
        self.error(429, f"wait {after} seconds", {"Retry-After": value})

    def stall(self):
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", "1000")
        self.end_headers()
        self.wfile.write(b'{"stalled":')
        self.wfile.flush()
        # Until SIGTERM or the client hangs up (a read then returns EOF).
        while not STOP.wait(0.2):
            if self.peer_gone():
                break
        self.close_now()

    def peer_gone(self):
        sock = self.connection
        try:
            sock.setblocking(False)
            try:
                return sock.recv(1, socket.MSG_PEEK) == b""
            except (BlockingIOError, ssl.SSLWantReadError):
                return False
            finally:
                sock.setblocking(True)
        except OSError:
            return True

    def cut(self):
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", "1000")
        self.end_headers()
        self.wfile.write(b"x" * 100)
        self.close_now()

    def big(self, mb, chunked):
        chunk = b"x" * (1 << 20)
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
        else:
            self.send_header("Content-Length", str(mb << 20))
        self.end_headers()
        try:
            for _ in range(mb):
                if chunked:
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                else:
                    self.wfile.write(chunk)
            if chunked:
                self.wfile.write(b"0\r\n\r\n")
        except OSError:
            # The client refused the body and hung up: that is the point.
            self.close_connection = True

    def etag(self, tag):
        quoted = f'"{tag}"'
        if self.headers.get("If-None-Match") == quoted:
            return self.send_bytes(304, b"", extra={"ETag": quoted})
        self.send_json(200, {"tag": tag}, {"ETag": quoted})

    def close_now(self):
        """Flush what was written and drop the connection."""
        self.close_connection = True
        try:
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


class Server(ThreadingHTTPServer):
    daemon_threads = True  # stalled handlers must not hold up exit
    tls = None  # an ssl.SSLContext with --tls-cert

    def get_request(self):
        sock, addr = super().get_request()
        if self.tls is not None:
            # The handshake happens on first use, in the handler's thread,
            # so a client that never finishes it cannot block accept().
            sock = self.tls.wrap_socket(sock, server_side=True,
                                        do_handshake_on_connect=False)
        return sock, addr

    def handle_error(self, request, client_address):
        # Clients that reject our certificate or hang up are expected.
        pass


def parse_maps(items):
    maps = {}
    for item in items:
        path, sep, target = item.partition("=")
        if not sep or not path.startswith("/"):
            sys.exit(f"faultserver: --map wants PATH=TARGET, got {item!r}")
        maps[path] = target
    return maps


def main():
    ap = argparse.ArgumentParser(description="HTTP server with faults on request")
    ap.add_argument("--root", help="directory served under /json/")
    ap.add_argument("--map", action="append", default=[], metavar="PATH=TARGET")
    ap.add_argument("--tls-cert", help="serve HTTPS with this certificate (PEM)")
    ap.add_argument("--tls-key", help="the certificate's private key (PEM)")
    opts = ap.parse_args()

    server = Server(("127.0.0.1", 0), Handler)
    server.root = opts.root
    server.maps = parse_maps(opts.map)
    server.counts = Counts()
    scheme = "http"
    if opts.tls_cert:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(opts.tls_cert, opts.tls_key)
        server.tls = ctx
        scheme = "https"

    def stop(_signo, _frame):
        STOP.set()
        # shutdown() waits for serve_forever, so not from this thread.
        threading.Thread(target=server.shutdown).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    print(f"listening on {scheme}://127.0.0.1:{server.server_address[1]}", flush=True)
    server.serve_forever(poll_interval=0.1)
    server.server_close()


if __name__ == "__main__":
    main()
