#!/usr/bin/env python3
"""events.py: `ambt events`, `ambt members` and the TUI's events and
members views against ambtd --seed demo.

The CLI lists the Grimbergen study day with its local date and time
(TZ=Europe/Amsterdam); --ics writes a file that python3-icalendar reads
back to the same summary, UTC start and location, and a long description
with commas, semicolons and accents folds at 75 octets and round-trips.
`ambt members` lists the seeded Dutch members. In tmux: the events list
shows the study day, its detail the event and its post, RSVP "going"
changes the count on the server, and .ics exports (one event, all) parse.
"""
import datetime
import json
import os
import subprocess
import sys
import tempfile
import urllib.parse
import urllib.request

try:
    import icalendar
except ImportError:
    # Debian's python3-icalendar (debian-packages) when PYTHON3 is another
    # interpreter of the same version, as a pyenv one may be.
    sys.path.append("/usr/lib/python3/dist-packages")
    import icalendar

sys.path.insert(0, os.path.join(os.environ.get("top_srcdir", "."), "tests"))
from tap import Ambtd, Tap, program  # noqa: E402
from tuitest import AmbtTui  # noqa: E402

t = Tap()
EVENTS = "/discourse-post-event/events"
UTC = datetime.timezone.utc
STUDY_DAY_START = datetime.datetime(2026, 11, 25, 8, 30, tzinfo=UTC)
LONG_DESCRIPTION = (
    "Een hele dag over open data, sociale media en de genetwerkte overheid; "
    "met sprekers uit Vlaanderen, Nederland en Brussel, een lunch, "
    "workshops over coördinatie en één afsluitende borrel. Neem je laptop "
    "mee, want er is ook een hackathon: datasets van gemeenten, provincies "
    "en waterschappen, klaar om te combineren.")


def call(srv, method, path, username=None, form=None):
    """(status, JSON) of one request, as username through the admin key."""
    headers = {"Accept": "application/json"}
    if username:
        headers.update({"Api-Key": srv.admin_key, "Api-Username": username})
    data = urllib.parse.urlencode(form).encode() if form is not None else None
    req = urllib.request.Request(srv.url + path, data=data, method=method,
                                 headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, json.loads(r.read() or b"null")
    except urllib.error.HTTPError as e:
        return e.code, None


def ambt(srv, *args, tz="Europe/Amsterdam", binary=False):
    """Run ambt against srv; (exit status, stdout, stderr). binary: stdout
    as bytes, CRLF kept."""
    home = tempfile.mkdtemp(prefix="ambt-events-home-")
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": home,
           "XDG_CONFIG_HOME": home + "/.config",
           "XDG_CACHE_HOME": home + "/.cache",
           "XDG_STATE_HOME": home + "/.state", "TZ": tz,
           "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}
    for k in ("ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"):
        if k in os.environ:
            env[k] = os.environ[k]
    r = subprocess.run([program("ambt"), "--server", srv.url] + list(args),
                       capture_output=True, env=env, timeout=60)
    subprocess.run(["rm", "-rf", home], check=False)
    out = r.stdout if binary else r.stdout.decode("utf-8", "replace")
    return r.returncode, out, r.stderr.decode("utf-8", "replace")


def vevents(text):
    cal = icalendar.Calendar.from_ical(text)
    return {str(ev.get("summary")): ev for ev in cal.walk("VEVENT")}


def study_day_row(out):
    return next((line for line in out.splitlines()
                 if "Studiedag Ambtenaar 2.0" in line), "")


def check_list(srv):
    status, out, err = ambt(srv, "events")
    row = study_day_row(out)
    t.eq(status, 0, "ambt events exits 0")
    t.ok("Wed 25 Nov 2026 09:30-17:00" in row, "the study day at its "
         "Amsterdam date and time", out + err)
    t.ok("Grimbergen (bij Brussel)" in row and " 6 " in row,
         "with its place and how many go", row)
    t.ok(out.splitlines()[0].split()[:4] == ["ID", "WHEN", "GOING",
                                             "INTERESTED"],
         "an aligned list with headers", out)
    _, out, _ = ambt(srv, "events", tz="America/New_York")
    t.ok("Wed 25 Nov 2026 03:30-11:00" in study_day_row(out),
         "another zone, another local time", out)
    today = datetime.datetime.now(UTC).date()
    past = STUDY_DAY_START.date() < today
    _, out, _ = ambt(srv, "events", "--past")
    t.eq(bool(study_day_row(out)), past, "--past lists it when it is past")
    _, out, _ = ambt(srv, "events", "--upcoming")
    t.eq(bool(study_day_row(out)), not past,
         "--upcoming lists it when it is to come")
    status, out, _ = ambt(srv, "events", "--json")
    names = [e["name"] for e in json.loads(out)["events"]] if status == 0 else []
    t.ok("Studiedag Ambtenaar 2.0" in names, "--json has the events", out)
    status, _, err = ambt(srv, "events", "--upcoming", "--past")
    t.eq(status, 2, "--upcoming with --past is a usage error")


def check_ics_file(srv, tmp):
    path = os.path.join(tmp, "events.ics")
    status, out, err = ambt(srv, "events", "--ics", path)
    t.ok(status == 0 and out == "", "--ics FILE writes the file, not stdout",
         err)
    with open(path, "rb") as f:
        raw = f.read()
    ev = vevents(raw).get("Studiedag Ambtenaar 2.0")
    t.ok(ev is not None, "the file parses with icalendar and has the study "
         "day", raw[:400])
    if ev is None:
        return
    t.eq(ev.decoded("dtstart"), STUDY_DAY_START, "DTSTART is the right UTC "
         "instant")
    t.eq(str(ev.get("location")), "Grimbergen (bij Brussel)", "LOCATION")
    t.ok(str(ev.get("uid")).startswith("8@"), "UID is the event id @ host",
         ev.get("uid"))
    t.eq(os.listdir(tmp), ["events.ics"], "no temporary file is left behind")
    status, _, err = ambt(srv, "events", "--ics",
                          os.path.join(tmp, "missing", "x.ics"))
    t.ok(status == 1 and "missing/x.ics" in err,
         "a file that cannot be written is an error naming it", err)


def add_long_event(srv):
    raw = ("Een lange beschrijving om het vouwen te toetsen.\n\n"
           '[event start="2099-03-02 10:00" end="2099-03-02 16:30" '
           'timezone="Europe/Amsterdam" status="public" '
           'name="Open-datadag, Utrecht; editie 2099" '
           'location="Jaarbeurs, zaal 3; ingang Noord"]\n'
           + LONG_DESCRIPTION + "\n[/event]\n")
    status, _ = call(srv, "POST", "/posts.json", "annelies", {
        "title": "Open-datadag 2099 in Utrecht, een lange aankondiging",
        "raw": raw, "category": "3"})
    t.eq(status, 200, "a new event with a long description is posted")


def check_folding(srv):
    status, raw, err = ambt(srv, "events", "--ics", "-", binary=True)
    lines = raw.split(b"\r\n")
    t.ok(status == 0 and raw.endswith(b"END:VCALENDAR\r\n"),
         "--ics - writes the calendar to stdout with CRLF ends", err)
    t.ok(all(len(line) <= 75 for line in lines),
         "no line is over 75 octets",
         [line for line in lines if len(line) > 75])
    t.ok(b"\n" not in raw.replace(b"\r\n", b""), "every line ends in CRLF")
    desc_start = next((i for i, line in enumerate(lines)
                       if line.startswith(b"DESCRIPTION:Een hele dag")), None)
    t.ok(desc_start is not None and lines[desc_start + 1].startswith(b" "),
         "the long description folds onto continuation lines")
    for line in lines:
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            t.ok(False, "a fold split a UTF-8 character", line)
            break
    else:
        t.ok(True, "no fold splits a UTF-8 character")
    ev = vevents(raw).get("Open-datadag, Utrecht; editie 2099")
    t.ok(ev is not None, "the escaped summary reads back", raw[-2000:])
    if ev is not None:
        t.eq(str(ev.get("description")), LONG_DESCRIPTION,
             "the long description round-trips")
        t.eq(str(ev.get("location")), "Jaarbeurs, zaal 3; ingang Noord",
             "commas and semicolons round-trip")
        t.eq(ev.decoded("dtstart"),
             datetime.datetime(2099, 3, 2, 9, 0, tzinfo=UTC),
             "the Amsterdam wall time becomes the UTC instant")


def check_members(srv):
    status, out, err = ambt(srv, "members")
    t.eq(status, 0, "ambt members exits 0")
    for who in ("Annelies de Vries", "Pieter-Jan Claes",
                "Coördinator open data", "Fatima El Amrani"):
        t.ok(who in out, "ambt members lists " + who, out + err)
    t.ok(out.splitlines()[1].startswith("annelies "),
         "the most active member first", out)
    status, out, _ = ambt(srv, "members", "--json")
    members = json.loads(out)["members"] if status == 0 else []
    t.ok(len(members) >= 11 and members[0]["username"] == "annelies",
         "--json has every member", out[:300])
    status, out, _ = ambt(srv, "members", "--page", "5")
    t.ok(status == 0 and "(no members)" in out, "a page past the end is "
         "empty", out)


def server_event(srv, event_id, username="demo"):
    _, body = call(srv, "GET", f"{EVENTS}/{event_id}.json", username)
    return body["event"] if body else {}


def header(scr):
    return scr.split("\n", 1)[0]


def tui_events(srv, ui):
    ui.send_keys("E")
    ui.wait_for("Events", where=header)
    scr = ui.wait_for("Studiedag Ambtenaar 2.0")
    t.ok("Upcoming" in scr and "Past" in scr, "the events list has upcoming "
         "and past sections", scr)
    row = next((line for line in scr.splitlines() if "Studiedag" in line), "")
    t.ok("Wed 25 Nov 2026 09:30-17:00" in row and "6 going" in row,
         "the study day with its local date and how many go", scr)
    ui.send_keys("G", "Enter")
    # Wait for the later of the two lines (Where: comes after When:), not
    # for the first: a capture can land while the frame is being written.
    scr = ui.wait_for("Grimbergen (bij Brussel)")
    t.ok("Grimbergen (bij Brussel)" in scr and "Europe/Brussels" in scr,
         "its detail shows the place and zone", scr)
    scr = ui.wait_for("@annelies")
    t.ok(True, "and the post's author")
    ui.send_keys("y")
    ui.wait_for("takes no answers", where=ui.status_line)
    t.ok(True, "a past event takes no RSVP, and says so")
    ui.send_keys("q")
    ui.wait_for("Events", where=header)


def tui_rsvp(srv, ui):
    utrecht = next(e for e in call(srv, "GET", EVENTS + ".json")[1]["events"]
                   if e["name"].startswith("Open-datameetup"))
    before = server_event(srv, utrecht["id"])
    ui.send_keys("g", "Enter")
    ui.wait_for("Answers:")
    ui.send_keys("y")
    scr = ui.wait_for("Your answer: going", where=ui.status_line)
    after = server_event(srv, utrecht["id"])
    t.eq(after.get("watching_invitee", {}).get("status"), "going",
         "RSVP going is stored on the server")
    t.eq(after["stats"]["going"], before["stats"]["going"] + 1,
         "the server counts one more going")
    t.ok("%d going" % after["stats"]["going"] in ui.status_line(scr),
         "the status line confirms with the new count", scr)
    ui.wait_for("%d going, " % after["stats"]["going"])
    t.ok(True, "the detail shows the new count")
    return utrecht


def tui_export(srv, ui, utrecht):
    path = os.path.join(ui.tmp, "utrecht.ics")
    ui.send_keys("e")
    ui.wait_for("Export to (~/ambt-event-%d.ics)" % utrecht["id"])
    ui.type(path)
    ui.send_keys("Enter")
    ui.wait_for("Exported 1 event", where=ui.status_line)
    with open(path, "rb") as f:
        evs = vevents(f.read())
    ev = evs.get(utrecht["name"])
    t.ok(len(evs) == 1 and ev is not None, "the event's .ics parses back",
         evs)
    if ev is not None:
        t.eq(ev.decoded("dtstart").astimezone(UTC).isoformat(),
             datetime.datetime.fromisoformat(
                 utrecht["starts_at"].replace("Z", "+00:00")).isoformat(),
             "with its start")
    ui.send_keys("q")
    ui.wait_for("Events", where=header)
    ui.send_keys("e")
    ui.wait_for("Export to (~/ambt-events.ics)")
    ui.send_keys("Enter")
    ui.wait_for("Exported", where=ui.status_line)
    with open(os.path.join(ui.env["HOME"], "ambt-events.ics"), "rb") as f:
        evs = vevents(f.read())
    t.ok("Studiedag Ambtenaar 2.0" in evs and utrecht["name"] in evs,
         "exporting the list writes every event to ~/ambt-events.ics",
         list(evs))


def tui_list_rsvp(srv, ui):
    webinar = next(e for e in call(srv, "GET", EVENTS + ".json")[1]["events"]
                   if e["name"].startswith("Webinar"))
    ui.send_keys("g", "j", "x")
    scr = ui.wait_for("Your answer: not_going", where=ui.status_line)
    after = server_event(srv, webinar["id"])
    t.eq(after.get("watching_invitee", {}).get("status"), "not_going",
         "RSVP from the list answers the selected event")
    t.ok("%d going" % after["stats"]["going"] in scr,
         "the list shows the server's count", scr)


def tui_members(ui):
    ui.send_keys("M")
    ui.wait_for("Members", where=header)
    scr = ui.wait_for("Annelies de Vries")
    t.ok("Pieter-Jan Claes" in scr, "the members list shows the members",
         scr)
    ui.send_keys("Enter")
    scr = ui.wait_for("Communitymanager")
    t.ok("annelies" in scr, "Enter opens the member's profile", scr)


def main():
    tmp = tempfile.mkdtemp(prefix="ambt-events-")
    try:
        with Ambtd() as srv:
            t.run("events list", check_list, srv)
            t.run("ics file", check_ics_file, srv, tmp)
            t.run("members", check_members, srv)
            with AmbtTui(srv, env={"TZ": "Europe/Amsterdam"}, width=120,
                         height=30) as ui:
                ui.wait_for("ambt")
                t.run("tui events", tui_events, srv, ui)
                utrecht = None
                try:
                    utrecht = tui_rsvp(srv, ui)
                except Exception as e:  # noqa: BLE001 - reported, go on
                    t.ok(False, "tui rsvp", "%r\n%s" % (e, ui.screen()))
                if utrecht:
                    t.run("tui export", tui_export, srv, ui, utrecht)
                    t.run("tui list rsvp", tui_list_rsvp, srv, ui)
                t.run("tui members", tui_members, ui)
                ui.send_keys("Q")
                t.eq(ui.exit_status(), 0, "the TUI quits cleanly")
                t.ok("ERROR" not in ui.stderr() and "runtime error"
                     not in ui.stderr(), "no sanitizer report", ui.stderr())
            add_long_event(srv)
            t.run("folding", check_folding, srv)
    finally:
        subprocess.run(["rm", "-rf", tmp], check=False)
    t.done()


main()
