"""tap.py: what every script test shares.

TAP output for automake's tap-driver, temporary directories, and starting
ambtd on a loopback port the way a user would: port 0, then read the URL
it prints. Tests import it with

    import os, sys; sys.path.insert(0, os.path.join(os.environ["top_srcdir"], "tests"))
    from tap import Tap, Ambtd, builddir
"""
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback


def builddir():
    return os.environ.get("top_builddir", os.getcwd())


def srcdir():
    return os.environ.get("top_srcdir", os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def program(name):
    """Path of a built program (ambt, ambtd)."""
    return os.path.join(builddir(), name)


class Tap:
    """Collects checks and prints TAP. Each check is one numbered test."""

    def __init__(self):
        self.n = 0
        self.failed = 0
        self.out = sys.stdout

    def ok(self, cond, name, diag=None):
        self.n += 1
        status = "ok" if cond else "not ok"
        if not cond:
            self.failed += 1
        print(f"{status} {self.n} - {name}", file=self.out, flush=True)
        if not cond and diag is not None:
            for line in str(diag).splitlines()[:40]:
                print(f"# {line}", file=self.out, flush=True)
        return cond

    def eq(self, got, want, name):
        return self.ok(got == want, name, f"got:  {got!r}\nwant: {want!r}")

    def run(self, name, fn, *args):
        """Run fn(*args) as one test; an exception fails it."""
        try:
            fn(*args)
        except Exception:  # noqa: BLE001 - a test failure, whatever it is
            self.ok(False, name, traceback.format_exc())

    def done(self):
        print(f"1..{self.n}", flush=True)
        sys.exit(1 if self.failed else 0)


class Ambtd:
    """An ambtd on 127.0.0.1, port 0, with a temporary database."""

    def __init__(self, seed="demo", admin_key="test-admin-key", extra=(), db=None):
        self.tmp = tempfile.mkdtemp(prefix="ambtd-test-")
        self.db = db or os.path.join(self.tmp, "forum.sqlite3")
        self.admin_key = admin_key
        self.args = [program("ambtd"), "--listen", "127.0.0.1:0", "--db", self.db,
                     "--seed", seed]
        if admin_key:
            self.args += ["--admin-api-key", admin_key]
        self.args += list(extra)
        self.proc = None
        self.url = None

    def start(self, timeout=20):
        self.proc = subprocess.Popen(self.args, stdout=subprocess.PIPE,
                                     stderr=open(os.path.join(self.tmp, "ambtd.log"), "ab"),
                                     text=True)
        deadline = time.time() + timeout
        line = self.proc.stdout.readline()
        if not line.startswith("listening on ") or time.time() > deadline:
            raise RuntimeError(f"ambtd did not start: {line!r} {self.log()}")
        self.url = line.split("listening on ", 1)[1].strip()
        return self

    def log(self):
        try:
            with open(os.path.join(self.tmp, "ambtd.log"), encoding="utf-8", errors="replace") as f:
                return f.read()[-4000:]
        except OSError:
            return ""

    def stop(self, sig=signal.SIGTERM):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode if self.proc else None

    def cleanup(self):
        self.stop()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.cleanup()
