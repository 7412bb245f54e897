"""notifyd.py: a mock desktop notification server on a private D-Bus.

Tests of the notifier and the watcher run ambt against this instead of the
user's desktop: a dbus-daemon of its own (its own config, no service
activation, so nothing real is ever started) and python3-dbusmock's
notification_daemon template on it. The test gives the child env(), then
reads back the Notify calls it made and can answer one with ActionInvoked.

    import os, sys; sys.path.insert(0, os.path.join(os.environ["top_srcdir"], "tests"))
    from notifyd import NotifyDaemon
    with NotifyDaemon() as nd:
        subprocess.run([...], env=nd.env())
        calls = nd.wait_calls(1)
        calls[0]["summary"], calls[0]["body"], calls[0]["hints"]["urgency"]
        nd.invoke_action(calls[0]["id"], "open")

NotifyDaemon(server=False) gives a bus with no notification server on it.
Needs python3-dbus and python3-dbusmock (the system python: $PYTHON3).
"""
import os
import shutil
import subprocess
import sys
import tempfile
import time

import dbus

BUS_NAME = "org.freedesktop.Notifications"
OBJ_PATH = "/org/freedesktop/Notifications"
MOCK_IFACE = "org.freedesktop.DBus.Mock"

# A session bus with no service directories: a name nobody owns fails at
# once (ServiceUnknown) instead of starting the machine's own daemon.
BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC
 "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir={dir}</listen>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""

DEFAULT_CAPS = "body body-markup actions"


def plain(value):
    """dbus-python's typed values as plain Python ones."""
    if isinstance(value, (dbus.String, dbus.ObjectPath, dbus.Signature)):
        return str(value)
    if isinstance(value, dbus.Boolean):
        return bool(value)
    if isinstance(value, (dbus.Byte, dbus.Int16, dbus.Int32, dbus.Int64,
                          dbus.UInt16, dbus.UInt32, dbus.UInt64)):
        return int(value)
    if isinstance(value, dbus.Double):
        return float(value)
    if isinstance(value, dict):
        return {plain(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


class NotifyDaemon:
    """A private session bus, with a mock notification server unless
    server=False. caps: the capabilities GetCapabilities answers."""

    def __init__(self, caps=DEFAULT_CAPS, server=True):
        self.caps = caps
        self.server = server
        self.tmp = tempfile.mkdtemp(prefix="ambt-notifyd-")
        self.bus_proc = None
        self.mock_proc = None
        self.address = None
        self.bus = None
        self._ids = {}

    def start(self, timeout=15):
        conf = os.path.join(self.tmp, "bus.conf")
        with open(conf, "w", encoding="utf-8") as f:
            f.write(BUS_CONFIG.format(dir=self.tmp))
        self.bus_proc = subprocess.Popen(
            ["dbus-daemon", "--config-file=" + conf, "--nofork",
             "--nopidfile", "--print-address=1"],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        self.address = self.bus_proc.stdout.readline().strip()
        if not self.address:
            self.stop()
            raise RuntimeError("dbus-daemon gave no address")
        self.bus = dbus.bus.BusConnection(self.address)
        if self.server:
            self._start_mock(timeout)
        return self

    def start_server(self, timeout=15):
        """Start the notification server on a bus that had none."""
        self.server = True
        self._start_mock(timeout)

    def _start_mock(self, timeout):
        python = os.environ.get("PYTHON3", sys.executable)
        params = '{"capabilities": "%s"}' % self.caps
        env = dict(os.environ, DBUS_SESSION_BUS_ADDRESS=self.address)
        self.mock_proc = subprocess.Popen(
            [python, "-m", "dbusmock", "--session", "-t", "notification_daemon",
             "-p", params],
            env=env, stdout=subprocess.DEVNULL,
            stderr=open(os.path.join(self.tmp, "mock.log"), "ab"))
        deadline = time.time() + timeout
        while not self.bus.name_has_owner(BUS_NAME):
            if time.time() > deadline or self.mock_proc.poll() is not None:
                self.stop()
                raise RuntimeError("the mock notification daemon did not start")
            time.sleep(0.05)

    def env(self, base=None):
        """The environment for a child: this bus as its session bus, and
        no display (so nothing can autolaunch another bus)."""
        env = dict(os.environ if base is None else base)
        env["DBUS_SESSION_BUS_ADDRESS"] = self.address
        env.pop("DISPLAY", None)
        env.pop("WAYLAND_DISPLAY", None)
        return env

    def _mock(self):
        obj = self.bus.get_object(BUS_NAME, OBJ_PATH)
        return dbus.Interface(obj, MOCK_IFACE)

    def calls(self):
        """The Notify calls so far, oldest first, each a dict: id (what the
        server answered), app_name, replaces_id, icon, summary, body,
        actions (list of (key, label)), hints (dict), timeout."""
        if not self.server:
            return []
        out = []
        next_id = 1
        for _stamp, args in self._mock().GetMethodCalls("Notify"):
            a = plain(args)
            if a[1]:
                nid = a[1]
            else:
                nid = next_id
                next_id += 1
            acts = a[5]
            out.append({
                "id": nid, "app_name": a[0], "replaces_id": a[1],
                "icon": a[2], "summary": a[3], "body": a[4],
                "actions": list(zip(acts[0::2], acts[1::2])),
                "hints": a[6], "timeout": a[7],
            })
        return out

    def wait_calls(self, n, timeout=10):
        """Wait until at least n Notify calls came (or timeout); all of them."""
        deadline = time.time() + timeout
        calls = self.calls()
        while len(calls) < n and time.time() < deadline:
            time.sleep(0.05)
            calls = self.calls()
        return calls

    def clear(self):
        if self.server:
            self._mock().ClearCalls()

    def invoke_action(self, nid, key):
        """The user chose action key on notification nid."""
        self._mock().EmitSignal(BUS_NAME, "ActionInvoked", "us",
                                [dbus.UInt32(nid), key])

    def close_notification(self, nid, reason=2):
        """The user dismissed it (reason 2)."""
        self._mock().EmitSignal(BUS_NAME, "NotificationClosed", "uu",
                                [dbus.UInt32(nid), dbus.UInt32(reason)])

    def stop(self):
        if self.bus is not None:
            self.bus.close()
            self.bus = None
        for proc in (self.mock_proc, self.bus_proc):
            if proc and proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
        if self.bus_proc and self.bus_proc.stdout:
            self.bus_proc.stdout.close()
        self.mock_proc = self.bus_proc = None
        shutil.rmtree(self.tmp, ignore_errors=True)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
