"""tui_bench.py: the reader on a mega topic, driven in tmux.

Run by bench/tui.sh (which sets top_builddir and top_srcdir). Each run
starts a fresh ambtd with the demo seed and --large-topic N, starts
`ambt --server URL` in tmux through tests/tuitest.py, selects the large
topic on the start page and measures

  open   from sending Enter to the first screen that shows one of its posts
  end    from sending G to the first screen that shows post N
  walk   (--walk) paging through every post from the top, each page
         loaded and settled before the next PageDown: for the peak RSS
         with the whole topic loaded; its time includes the settling
  rss    VmHWM (peak) and VmRSS of the ambt process, from /proc, at the end
  cpu    user+system CPU seconds ambt used over the whole run

Keys go, and `capture-pane` polls come back, through one tmux control-mode
client, as fast as it answers (plus --poll-ms); the median interval
between two polls is printed as the resolution: a time is when a poll
saw the frame, up to one interval after it was drawn. --wrap runs one session under a tool instead:
`time` (/usr/bin/time -v), `massif` (valgrind's heap profiler) or
`memcheck` (valgrind --leak-check=full), and prints what the tool found.
"""
import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.environ["top_srcdir"], "tests"))
from tap import Ambtd  # noqa: E402
from tuitest import AmbtTui  # noqa: E402

# Under valgrind the program runs twenty to fifty times slower.
TIMEOUT = 60.0
WRAP_TIMEOUT = 600.0


def parse_args():
    p = argparse.ArgumentParser(description="ambt's reader on a mega topic")
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--posts", type=int, default=10000)
    p.add_argument("--poll-ms", type=float, default=0.0,
                   help="sleep between two polls (default: none)")
    p.add_argument("--settle-ms", type=float, default=10.0,
                   help="--walk: a page counts once unchanged this long")
    p.add_argument("--size", default="80x24", help="terminal COLSxROWS")
    p.add_argument("--walk", action="store_true",
                   help="also page through every post with PageDown")
    p.add_argument("--wrap", choices=("time", "massif", "memcheck"),
                   help="one session under a tool instead of timed runs")
    p.add_argument("--keep", metavar="DIR",
                   help="copy the tool's output file into DIR")
    return p.parse_args()


class Control:
    """One tmux control-mode client (-C) on the Tui's server: a command
    and its answer cost a pipe round trip, not a tmux process each, so
    the screen can be polled every few hundred microseconds. It is
    attached with ignore-size (the pane keeps its size) and no-output."""

    def __init__(self, ui):
        self.ui = ui
        self.proc = subprocess.Popen(
            ["tmux", "-S", ui.socket, "-C", "attach-session", "-t", "t",
             "-f", "ignore-size,no-output"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
            encoding="utf-8", errors="replace")
        self._answer()  # to the attach itself

    def _answer(self):
        """The lines between the next %begin and its %end."""
        for line in self.proc.stdout:
            if line.startswith("%begin"):
                break
        else:
            raise RuntimeError("the tmux control client ended")
        lines = []
        for line in self.proc.stdout:
            if line.startswith(("%end", "%error")):
                if line.startswith("%error"):
                    raise RuntimeError("tmux: " + "".join(lines))
                return lines
            lines.append(line)
        raise RuntimeError("the tmux control client ended")

    def command(self, *words):
        self.proc.stdin.write(" ".join(words) + "\n")
        self.proc.stdin.flush()
        return self._answer()

    def send_keys(self, *keys):
        self.command("send-keys", "-t", "t", *keys)

    def screen(self):
        return "".join(self.command("capture-pane", "-p", "-t", "t"))

    def close(self):
        if self.proc.poll() is None:
            self.proc.stdin.close()  # detaches the client
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc.stdout.close()


class Poller:
    """Polls the pane for a pattern and keeps the intervals between polls."""

    def __init__(self, ui, control, sleep_s):
        self.ui = ui
        self.control = control
        self.sleep_s = sleep_s
        self.intervals = []

    def keys_until(self, keys, what, timeout):
        """Sends keys; seconds from then to the first poll whose screen
        matches what (a compiled regex, or a function of the screen)."""
        match = what if callable(what) else lambda scr: what.search(scr)
        t0 = time.perf_counter()
        self.control.send_keys(*keys)
        last = None
        while True:
            scr = self.control.screen()
            now = time.perf_counter()
            if last is not None:
                self.intervals.append(now - last)
            last = now
            if match(scr):
                self.last_screen = scr
                return now - t0
            if now - t0 > timeout or not self.ui.alive():
                raise RuntimeError("waited for %r; screen:\n%s\nstderr:\n%s"
                                   % (getattr(what, "pattern", what), scr,
                                      self.ui.stderr()))
            if self.sleep_s:
                time.sleep(self.sleep_s)

    def settled(self, ok, settle_s, timeout):
        """The screen once ok(screen) holds and it stayed the same for
        settle_s (two polls that far apart)."""
        t0, prev = time.perf_counter(), None
        while True:
            scr = self.control.screen()
            if scr == prev and ok(scr):
                return scr
            if time.perf_counter() - t0 > timeout or not self.ui.alive():
                raise RuntimeError("the screen did not settle:\n" + scr)
            prev = scr
            time.sleep(settle_s)


def descendants(pid):
    """pid and every process under it."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            with open("/proc/%d/task/%d/children" % (p, p)) as f:
                todo += [int(c) for c in f.read().split()]
        except OSError:
            pass
    return out


def ambt_pid(ui):
    """The pid of the ambt process in the pane (not env, time or sh)."""
    pane = int(ui.tmux("list-panes", "-t", "t", "-F", "#{pane_pid}").strip())
    for p in descendants(pane):
        try:
            with open("/proc/%d/comm" % p) as f:
                if f.read().strip() == "ambt":
                    return p
        except OSError:
            pass
    raise RuntimeError("no ambt process under pane %d:\n%s" % (pane, ui.processes()))


def proc_status(pid, field):
    """A /proc/PID/status field in kB."""
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise RuntimeError("no %s in /proc/%d/status" % (field, pid))


def cpu_seconds(pid):
    """utime + stime of pid, from /proc/PID/stat."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def select_large_topic(ui, title, timeout):
    """Waits for the start page; the large topic, the newest, must be the
    selected (first) entry of its latest topics."""
    scr = ui.wait_for(title, timeout=timeout)
    rows = scr.split("\n")
    first = next((i for i, r in enumerate(rows) if "Latest topics" in r), None)
    if first is None or first + 1 >= len(rows) or title not in rows[first + 1]:
        raise RuntimeError("the large topic is not the first latest topic:\n" + scr)


class Wrap:
    """A tool to run ambt under, its output file in the Tui's directory."""

    TOOLS = {
        "time": ("time-v.txt", ["/usr/bin/time", "-v", "-o"]),
        "massif": ("massif.out", ["valgrind", "--tool=massif", "--massif-out-file="]),
        "memcheck": ("memcheck.log", ["valgrind", "--leak-check=full",
                                      "--show-leak-kinds=definite,indirect,possible",
                                      "--track-origins=yes", "--log-file="]),
    }

    def __init__(self, name, keep):
        self.name = name
        self.keep = keep
        self.out_name, self.argv = self.TOOLS[name]
        self.valgrind = self.argv[0] == "valgrind"

    def prepare(self, ui):
        out = os.path.join(ui.tmp, self.out_name)
        argv = [shutil.which(self.argv[0]) or self.argv[0]] + self.argv[1:]
        # "-o" takes the file as the next word, valgrind's "--x=" in the same.
        argv = argv + [out] if argv[-1] == "-o" else argv[:-1] + [argv[-1] + out]
        ui.argv = argv + ui.argv

    def collect(self, ui):
        path = os.path.join(ui.tmp, self.out_name)
        if self.keep:
            os.makedirs(self.keep, exist_ok=True)
            shutil.copy(path, os.path.join(self.keep, self.out_name))
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read()


def session(server, args, wrap=None):
    """One session: open, G, (walk), read /proc, quit. A dict of figures."""
    cols, rows = (int(x) for x in args.size.split("x"))
    ui = AmbtTui(server, width=cols, height=rows)
    if wrap:
        wrap.prepare(ui)
    timeout = WRAP_TIMEOUT if wrap else TIMEOUT
    title = "Een lang onderwerp van %d berichten" % args.posts
    last_post = re.compile(r"Bericht %d in het lange onderwerp" % args.posts)
    fig = {}
    with ui:
        select_large_topic(ui, title, timeout)
        # Under valgrind the process is the tool's, its RSS not ambt's.
        pid = None if wrap and wrap.valgrind else ambt_pid(ui)
        control = Control(ui)
        try:
            poll = Poller(ui, control, args.poll_ms / 1000.0)
            fig["open"] = poll.keys_until(["Enter"], ANY_POST, timeout)
            fig["end"] = poll.keys_until(["G"], last_post, timeout)
            if args.walk:
                fig["walk"], fig["pages"], fig["seen"] = walk(
                    poll, last_post, args.settle_ms / 1000.0, timeout)
        finally:
            control.close()
        if pid is not None:
            time.sleep(0.2)  # let late answers land before reading /proc
            fig["hwm"] = proc_status(pid, "VmHWM") / 1024.0
            fig["rss"] = proc_status(pid, "VmRSS") / 1024.0
            fig["cpu"] = cpu_seconds(pid)
        ui.send_keys("Q")
        fig["status"] = ui.exit_status(timeout=timeout)
        fig["poll"] = 1000 * statistics.median(poll.intervals) if poll.intervals else 0.0
        if wrap:
            fig["tool"] = wrap.collect(ui)
    return fig


ANY_POST = re.compile(r"Bericht \d+ in het lange onderwerp")
FIRST_POST = re.compile(r"Bericht 1 in het lange onderwerp")
LOADING = re.compile(r"loading post #")
POST_BODY = re.compile(r"Bericht (\d+) in het lange onderwerp")


def walk(poll, last_post, settle_s, timeout):
    """Back to the top, then page through the whole topic as a reader
    would: one PageDown, then wait for a new frame without placeholders
    ("loading post #N") that stays the same for settle_s, until post N
    shows. Sending keys without waiting skips posts before they load,
    and under load a capture can catch a half-drawn frame (rows of the
    old page among the new): hence the settling. Returns seconds, pages
    and how many distinct posts were seen, to show the walk saw them all."""
    poll.keys_until(["g"], FIRST_POST, timeout)
    t0, pages, seen = time.perf_counter(), 0, set()
    scr = poll.settled(lambda s: not LOADING.search(s), settle_s, timeout)
    while True:
        seen.update(POST_BODY.findall(scr))
        if last_post.search(scr):
            return time.perf_counter() - t0, pages, len(seen)
        prev = scr
        poll.control.send_keys("PageDown")
        pages += 1
        scr = poll.settled(lambda s, prev=prev: s != prev and not LOADING.search(s),
                           settle_s, timeout)


def walk_text(fig):
    if "walk" not in fig:
        return ""
    return "  walk %.2f s (%d pages, %d posts seen)" % (fig["walk"], fig["pages"], fig["seen"])


def spread(values):
    """median [min..max] of a list."""
    return "%s [%s..%s]" % tuple(fmt(v) for v in
                                (statistics.median(values), min(values), max(values)))


def fmt(v):
    return "%.1f" % v if v >= 10 else "%.3f" % v


def timed_runs(args):
    runs = []
    for i in range(args.runs):
        with Ambtd(extra=["--large-topic", str(args.posts)]) as server:
            fig = session(server, args)
        runs.append(fig)
        print("run %d: open %.3f s  end %.3f s%s  VmHWM %.1f MB  VmRSS %.1f MB  "
              "cpu %.2f s  exit %d  (poll %.1f ms)"
              % (i + 1, fig["open"], fig["end"],
                 walk_text(fig),
                 fig["hwm"], fig["rss"], fig["cpu"], fig["status"],
                 fig["poll"]), flush=True)
    print("median [min..max] of %d runs:" % len(runs))
    for key, label, unit in (("open", "Enter to first post", "s"),
                             ("end", "G to post %d" % args.posts, "s"),
                             ("walk", "page through all", "s"),
                             ("hwm", "peak RSS (VmHWM)", "MB"),
                             ("cpu", "ambt CPU time", "s"),
                             ("poll", "poll interval", "ms")):
        if key in runs[0]:
            print("  %-22s %s %s" % (label, spread([r[key] for r in runs]), unit))


def wrapped(args):
    wrap = Wrap(args.wrap, args.keep)
    with Ambtd(extra=["--large-topic", str(args.posts)]) as server:
        fig = session(server, args, wrap)
    print("under %s (times not comparable): open %.2f s  end %.2f s%s  exit %d"
          % (args.wrap, fig["open"], fig["end"], walk_text(fig), fig["status"]))
    if "hwm" in fig:
        print(" VmHWM %.1f MB" % fig["hwm"])
    {"time": report_time, "massif": report_massif,
     "memcheck": report_memcheck}[args.wrap](fig["tool"])


def report_time(text):
    for line in text.splitlines():
        if re.search(r"Maximum resident|Elapsed|User time|System time|Exit status", line):
            print(" " + line.strip())


def report_massif(text):
    """The snapshot with the most heap (useful + allocator overhead) and stack."""
    peak, snap, cur = 0, None, {}
    for line in text.splitlines():
        m = re.match(r"(snapshot|mem_heap_B|mem_heap_extra_B|mem_stacks_B)=(\d+)", line)
        if not m:
            continue
        cur[m.group(1)] = int(m.group(2))
        if m.group(1) == "mem_stacks_B":
            total = cur["mem_heap_B"] + cur["mem_heap_extra_B"] + cur["mem_stacks_B"]
            if total > peak:
                peak, snap = total, dict(cur)
    if snap is None:
        print(" massif: no snapshots")
        return
    print(" massif peak (snapshot %d): heap %.2f MB + allocator overhead %.2f MB"
          " + stacks %.2f MB = %.2f MB"
          % (snap["snapshot"], snap["mem_heap_B"] / 2**20, snap["mem_heap_extra_B"] / 2**20,
             snap["mem_stacks_B"] / 2**20, peak / 2**20))


def report_memcheck(text):
    """The summaries; errors and leaks in full, but for leaks allocated
    inside a shared library (ncurses' caches), which are only counted."""
    for line in text.splitlines():
        if re.search(r"ERROR SUMMARY|definitely lost:|indirectly lost:|"
                     r"possibly lost:|still reachable:", line):
            print(" " + re.sub(r"^==\d+== ", "", line))
    in_libs, shown = 0, 0
    for block in re.split(r"\n==\d+== \n", text):
        if not re.search(r"Invalid|uninitialised|lost in loss record|Mismatched|overlap",
                         block):
            continue
        if "lost in loss record" in block and allocated_in_library(block):
            in_libs += 1
            continue
        if shown < 8:
            print("\n".join(re.sub(r"^==\d+== ", "  ", x) for x in block.splitlines()[:20]))
        shown += 1
    print(" %d error(s) or leak(s) of ambt's own, %d leak(s) allocated inside a "
          "shared library (not shown)" % (shown, in_libs))


def allocated_in_library(block):
    """True when the frame that called the allocator is in a shared
    library (glibc's strdup or tsearch count as the allocator too)."""
    for line in block.splitlines():
        m = re.search(r"(?:at|by) 0x[0-9A-F]+: (\S+) \((.*)\)", line)
        if not m or m.group(1) in ("malloc", "calloc", "realloc", "strdup",
                                   "strndup", "tsearch"):
            continue
        return m.group(2).startswith("in /usr/lib")
    return False


def main():
    args = parse_args()
    if args.wrap:
        wrapped(args)
    else:
        timed_runs(args)


if __name__ == "__main__":
    main()
