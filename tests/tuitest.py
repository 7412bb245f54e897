"""tuitest.py: drive a full-screen program in tmux for TUI tests.

Each Tui runs one command in a detached tmux session on its own server,
whose socket is in the test's temporary directory (-S), so tests never
touch a user's tmux and never leave a server behind: cleanup() kills that
server and removes the socket and the temporary HOME/XDG directories. Typical use, against an ambtd with the demo seed:

    import os, sys; sys.path.insert(0, os.path.join(os.environ["top_srcdir"], "tests"))
    from tap import Tap, Ambtd
    from tuitest import AmbtTui

    with Ambtd() as server, AmbtTui(server) as ui:
        ui.wait_for("Studiedag")          # text or a compiled regex
        ui.send_keys("j", "Enter")        # tmux key names
        print(ui.screen())                # the pane as text
        ui.resize(80, 24)

A wait polls the screen until the text shows or the (generous) timeout
passes; it asserts what shows, never how fast.
"""
import os
import re
import shutil
import subprocess
import tempfile
import time

from tap import builddir, program, srcdir

DEFAULT_TIMEOUT = 20.0


class TuiTimeout(AssertionError):
    """wait_for gave up; the message holds the last screen."""


class Tui:
    """One command in a private tmux server, W columns by H rows."""

    def __init__(self, argv, env=None, width=80, height=24,
                 term="xterm-256color"):
        self.tmp = tempfile.mkdtemp(prefix="ambt-tui-")
        # The server's socket lives in the temporary directory (-S), so
        # it is private and goes with it; tmux leaves -L sockets behind.
        self.socket = os.path.join(self.tmp, "tmux.sock")
        self.width = width
        self.height = height
        self.env = self._environment(env or {}, term)
        self.argv = list(argv)
        self.started = False

    def _environment(self, extra, term):
        home = os.path.join(self.tmp, "home")
        dirs = {"HOME": home,
                "XDG_CONFIG_HOME": os.path.join(home, ".config"),
                "XDG_CACHE_HOME": os.path.join(home, ".cache"),
                "XDG_STATE_HOME": os.path.join(home, ".local", "state"),
                "XDG_DATA_HOME": os.path.join(home, ".local", "share")}
        for d in dirs.values():
            os.makedirs(d, exist_ok=True)
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"),
               "TERM": term, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8",
               "AMBT_THEMES_DIR": os.path.join(srcdir(), "themes")}
        # Sanitizer settings pass through, so reports reach the test log.
        for k in ("ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"):
            if k in os.environ:
                env[k] = os.environ[k]
        env.update(dirs)
        env.update(extra)
        return env

    @property
    def config_dir(self):
        return os.path.join(self.env["XDG_CONFIG_HOME"], "ambt")

    def write_config(self, text):
        """Write $XDG_CONFIG_HOME/ambt/config before start()."""
        os.makedirs(self.config_dir, exist_ok=True)
        with open(os.path.join(self.config_dir, "config"), "w", encoding="utf-8") as f:
            f.write(text)

    def tmux(self, *args, check=True):
        r = subprocess.run(["tmux", "-S", self.socket, "-f", "/dev/null"] + list(args),
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           text=True, check=False)
        if check and r.returncode != 0:
            raise RuntimeError("tmux %s: %s" % (" ".join(args), r.stderr.strip()))
        return r.stdout

    def start(self):
        # tmux hands the session the environment of the server, which it
        # takes from this call: `env -i` keeps it to exactly ours.
        cmd = ["env", "-i"] + ["%s=%s" % kv for kv in sorted(self.env.items())]
        cmd += self.argv
        log = os.path.join(self.tmp, "stderr.log")
        # The exit status goes to a file: tmux may be slow to notice that
        # a pane died, the file is there as soon as the program ends.
        shell = "%s 2>%s; echo $? >%s" % (" ".join(shell_quote(a) for a in cmd),
                                          shell_quote(log), shell_quote(self.status_file))
        self.tmux("new-session", "-d", "-x", str(self.width), "-y", str(self.height),
                  "-s", "t", shell)
        self.started = True
        # Keep the pane when the program ends, to read its last screen.
        self.tmux("set-option", "-t", "t", "remain-on-exit", "on", check=False)
        self.tmux("set-option", "-g", "window-size", "manual", check=False)
        return self

    @property
    def status_file(self):
        return os.path.join(self.tmp, "exit-status")

    def send_keys(self, *keys, literal=False):
        """tmux key names ("j", "Enter", "Escape", "C-c", "PageDown");
        literal=True sends the strings as typed text."""
        args = ["send-keys", "-t", "t"]
        if literal:
            args.append("-l")
        self.tmux(*(args + list(keys)))

    def type(self, text):
        self.send_keys(text, literal=True)

    def screen(self, attributes=False):
        """The pane as text, one line per row; with attributes=True the
        SGR escape sequences (colours, bold, reverse) are kept."""
        args = ["capture-pane", "-p", "-t", "t"]
        if attributes:
            args.append("-e")
        return self.tmux(*args)

    def lines(self):
        return self.screen().split("\n")

    def row(self, n):
        lines = self.lines()
        return lines[n] if -len(lines) <= n < len(lines) else ""

    def wait_for(self, what, timeout=DEFAULT_TIMEOUT, gone=False, where=None):
        """Poll until text (or a compiled regex) is on screen (or, with
        gone=True, is not). where(screen) may narrow the screen, e.g. to
        the status line. Returns the screen; raises TuiTimeout."""
        deadline = time.time() + timeout
        while True:
            scr = self.screen()
            part = where(scr) if where else scr
            found = what.search(part) is not None if hasattr(what, "search") else what in part
            if found != gone:
                return scr
            if time.time() > deadline or not self.alive():
                raise TuiTimeout("waited for %s%r; screen:\n%s\nstderr:\n%s" %
                                 ("the end of " if gone else "", what, scr, self.stderr()))
            time.sleep(0.05)

    def status_line(self, scr=None):
        scr = scr if scr is not None else self.screen()
        # One "\n" ends each row; blank rows at the end are still rows.
        lines = (scr[:-1] if scr.endswith("\n") else scr).split("\n")
        return lines[-1] if lines else ""

    def resize(self, width, height):
        self.width, self.height = width, height
        self.tmux("resize-window", "-t", "t", "-x", str(width), "-y", str(height))

    def alive(self):
        """True while the program runs."""
        return self.started and not os.path.exists(self.status_file)

    def exit_status(self, timeout=DEFAULT_TIMEOUT):
        """Wait for the program to end; its exit status."""
        deadline = time.time() + timeout
        while True:
            try:
                with open(self.status_file, encoding="ascii") as f:
                    text = f.read()
                if text.endswith("\n"):
                    return int(text)
            except OSError:
                pass
            if time.time() > deadline:
                raise TuiTimeout("still running:\n%s\n%s\nstderr:\n%s" %
                                 (self.processes(), self.screen().strip(), self.stderr()))
            time.sleep(0.05)

    def processes(self):
        """The pane's processes and their state, for a report."""
        pid = self.tmux("list-panes", "-t", "t", "-F", "#{pane_pid}", check=False).strip()
        if not pid:
            return "(no pane)"
        return subprocess.run(["ps", "-o", "pid,stat,wchan:20,args", "--ppid", pid, "-p", pid],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True, check=False).stdout

    def stderr(self):
        try:
            with open(os.path.join(self.tmp, "stderr.log"), encoding="utf-8",
                      errors="replace") as f:
                return f.read()[-4000:]
        except OSError:
            return ""

    def kill(self):
        if self.started:
            self.tmux("kill-server", check=False)
            self.started = False

    def cleanup(self):
        self.kill()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.cleanup()


def shell_quote(s):
    return "'" + s.replace("'", "'\\''") + "'"


class AmbtTui(Tui):
    """`ambt --server URL` against an Ambtd (tap.py), as the demo member
    by the admin key. extra_args go before any subcommand; config is the
    text of a config file to write first."""

    def __init__(self, server, username="demo", extra_args=(), config=None,
                 env=None, **kw):
        e = {"AMBT_API_KEY": server.admin_key or "",
             "AMBT_API_USERNAME": username,
             # Failures come quickly when the server is gone.
             "AMBT_HTTP_CONNECT_TIMEOUT": "2000",
             "AMBT_HTTP_RETRY_BASE_MS": "50"}
        e.update(env or {})
        super().__init__([program("ambt"), "--server", server.url] + list(extra_args),
                         env=e, **kw)
        if config is not None:
            self.write_config(config)


__all__ = ["Tui", "AmbtTui", "TuiTimeout", "builddir", "DEFAULT_TIMEOUT"]
