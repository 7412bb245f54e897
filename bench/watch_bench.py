#!/usr/bin/env python3
"""watch_bench.py: how fast a post reaches `ambt watch`, and what the
watcher costs while nothing happens.

    bench/watch_bench.py BUILD_DIR [--posts N] [--idle SECONDS]

Starts BUILD_DIR's ambtd on a loopback port (holds of 25 s, as
Discourse), records a baseline with `ambt watch --once`, then runs
`ambt watch` (MessageBus long polling, no D-Bus: each notice is a stderr
line) and posts N replies in a watched topic as another member, one a
second, timing each from the POST's answer to the watcher's line. Then it
leaves the watcher idle and reads its CPU time and peak memory from
/proc. Not a test: nothing asserts a time. Use a build without
--enable-sanitizers.
"""
import argparse
import json
import os
import queue
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
KEY = "test-admin-key"
WATCHER = "annelies"  # she watches topic 2 in the demo seed
POSTER = "koen"
TOPIC = 2


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("build")
    p.add_argument("--posts", type=int, default=20)
    p.add_argument("--idle", type=int, default=60)
    return p.parse_args()


def start_ambtd(build, home):
    env = dict(os.environ, AMBTD_POST_RATE="1000/1")
    proc = subprocess.Popen([os.path.join(build, "ambtd"), "--listen",
                             "127.0.0.1:0", "--db",
                             os.path.join(home, "bench.sqlite3"), "--seed",
                             "demo", "--admin-api-key", KEY],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            text=True, env=env)
    line = proc.stdout.readline()
    if not line.startswith("listening on "):
        sys.exit(f"ambtd did not start: {line!r}")
    return proc, line.split("listening on ", 1)[1].strip()


def post(url, raw):
    data = urllib.parse.urlencode({"topic_id": TOPIC, "raw": raw}).encode()
    req = urllib.request.Request(url + "/posts.json", data=data, method="POST",
                                 headers={"Api-Key": KEY, "Api-Username": POSTER})
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read().decode())


def watch_env(home):
    env = dict(os.environ, LC_ALL="C",
               DBUS_SESSION_BUS_ADDRESS="unix:path=" + home + "/no-bus")
    for name in ("STATE", "CACHE", "CONFIG"):
        env[f"XDG_{name}_HOME"] = os.path.join(home, name.lower())
    return env


def watch_cmd(build, url, *extra):
    return [os.path.join(build, "ambt"), "--server", url, "--api-key", KEY,
            "--api-username", WATCHER, "watch", *extra]


def proc_cost(pid):
    """CPU seconds (user + system) and peak RSS in kB of a process."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    cpu = (int(fields[11]) + int(fields[12])) / ticks
    hwm = 0
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                hwm = int(line.split()[1])
    return cpu, hwm


def main():
    a = parse_args()
    home = tempfile.mkdtemp(prefix="ambt-watch-bench-")
    srv, url = start_ambtd(a.build, home)
    lines = queue.Queue()
    try:
        subprocess.run(watch_cmd(a.build, url, "--once"), env=watch_env(home),
                       capture_output=True, timeout=60)
        w = subprocess.Popen(watch_cmd(a.build, url, "--interval", "3600"),
                             env=watch_env(home), stderr=subprocess.PIPE,
                             stdout=subprocess.DEVNULL, text=True)
        threading.Thread(target=lambda: [lines.put((time.monotonic(), l))
                                         for l in w.stderr], daemon=True).start()
        while "long polling" not in lines.get(timeout=60)[1]:
            pass
        time.sleep(2)
        delays = []
        for i in range(a.posts):
            text = f"Bench-bericht {i} over de studiedag"
            post(url, text)
            sent = time.monotonic()
            while True:
                at, line = lines.get(timeout=60)
                if text in line:
                    delays.append((at - sent) * 1000)
                    break
            time.sleep(1)
        cpu0, _ = proc_cost(w.pid)
        time.sleep(a.idle)
        cpu1, hwm = proc_cost(w.pid)
        w.send_signal(signal.SIGTERM)
        w.wait(timeout=30)
        delays.sort()
        print(f"post -> notice over MessageBus, {len(delays)} posts: "
              f"median {statistics.median(delays):.1f} ms, "
              f"p90 {delays[int(len(delays) * 0.9) - 1]:.1f} ms, "
              f"max {delays[-1]:.1f} ms")
        print(f"idle {a.idle} s: {cpu1 - cpu0:.3f} s CPU; "
              f"peak RSS {hwm / 1024:.1f} MB; exit {w.returncode}")
    finally:
        srv.send_signal(signal.SIGTERM)
        srv.wait(timeout=30)
        subprocess.run(["rm", "-rf", home])


if __name__ == "__main__":
    sys.exit(main())
