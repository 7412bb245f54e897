"""tui_write.py: writing from the TUI, in tmux, against ambtd --seed demo,
as the demo member by the admin key. EDITOR is a small script that saves
what the editor got (to check a quote's markup) and writes a known reply.
r posts a reply (it shows in the thread and on the server), R quotes the
post under the cursor, E edits one's own post, l likes and unlikes, b
bookmarks, w changes the topic's level, ! reports a post with a reason; a reply while ambtd is stopped
keeps its draft and the start page says so; ambt killed in the editor
leaves the draft in the state database; and the built-in editor (no
EDITOR, no VISUAL) types and sends a UTF-8 reply."""
import json
import os
import sqlite3
import stat
import subprocess
import sys
import time
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.join(os.environ["top_srcdir"], "tests"))
from tap import Tap, Ambtd  # noqa: E402
from tuitest import AmbtTui  # noqa: E402

t = Tap()

STUDY_DAY = "Grimbergen op 25"
REPLY = "Een antwoord uit de terminal, geschreven in de editor."
EDITED = "Dit bericht is bewerkt vanuit de terminal met E."


def api(srv, method, path, form=None, user="demo"):
    headers = {"Api-Key": srv.admin_key, "Api-Username": user}
    data = None
    if form is not None:
        data = urllib.parse.urlencode(form).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    req = urllib.request.Request(srv.url + path, data=data, method=method,
                                 headers=headers)
    with urllib.request.urlopen(req, timeout=30) as r:
        body = r.read()
        return r.status, json.loads(body) if body else None


def topic_id(srv, title_part):
    _, latest = api(srv, "GET", "/latest.json")
    return next(tp["id"] for tp in latest["topic_list"]["topics"]
                if title_part in tp["title"])


def posts(srv, tid):
    _, topic = api(srv, "GET", "/t/%d.json?print=true" % tid)
    return topic["post_stream"]["posts"]


def new_ui(srv, editor_text=None, wait=False):
    """An ambt (not started) whose EDITOR is a script: it copies the file
    it got to got.md, then writes the text of reply.txt into it (set_reply
    changes that); with wait it first waits for a file that never comes,
    to be killed in the editor. Without editor_text no editor is set."""
    ui = AmbtTui(srv)
    ui.env.pop("VISUAL", None)
    ui.env.pop("EDITOR", None)
    if editor_text is None:
        return ui
    path = os.path.join(ui.tmp, "editor.sh")
    with open(path, "w", encoding="utf-8") as f:
        f.write("#!/bin/sh\ncp \"$1\" '%s/got.md'\n" % ui.tmp)
        if wait:
            f.write("while [ ! -e '%s/never' ]; do sleep 0.2; done\n" % ui.tmp)
        f.write("cat '%s/reply.txt' > \"$1\"\n" % ui.tmp)
    os.chmod(path, stat.S_IRWXU)
    ui.env["EDITOR"] = path
    set_reply(ui, editor_text)
    return ui


def set_reply(ui, text):
    with open(os.path.join(ui.tmp, "reply.txt"), "w", encoding="utf-8") as f:
        f.write(text + "\n")


def got_file(ui):
    return os.path.join(ui.tmp, "got.md")


def open_topic(ui, title_part):
    ui.wait_for("Latest topics")
    ui.wait_for(title_part)
    ui.send_keys("g")
    time.sleep(0.2)
    rows = ui.lines()
    first = next(i for i, r in enumerate(rows) if r.startswith("Latest topics")) + 1
    target = next(i for i, r in enumerate(rows) if title_part in r)
    ui.send_keys(*(["j"] * (target - first) + ["Enter"]))
    ui.wait_for(title_part, where=lambda s: s.split("\n")[0])


def goto_post(ui, n):
    ui.send_keys("#")
    ui.wait_for("Go to post number:")
    ui.type(str(n))
    ui.send_keys("Enter")
    time.sleep(0.3)


def state_drafts(ui):
    db = os.path.join(ui.env["XDG_STATE_HOME"], "ambt", "state.sqlite3")
    con = sqlite3.connect(db, timeout=10)
    try:
        return con.execute("SELECT key, text FROM drafts").fetchall()
    finally:
        con.close()


def reply_and_quote(srv):
    tid = topic_id(srv, STUDY_DAY)
    before = len(posts(srv, tid))
    with new_ui(srv, REPLY) as ui:
        got = got_file(ui)
        open_topic(ui, STUDY_DAY)
        ui.send_keys("r")
        ui.wait_for("Preview of the reply")
        ui.send_keys("y")
        ui.wait_for("Posted as #")
        ui.wait_for(REPLY)
        after = posts(srv, tid)
        t.eq(len(after), before + 1, "r: the server has one post more")
        t.ok(REPLY in after[-1]["cooked"], "r: the new post is the reply",
             after[-1]["cooked"])
        t.eq(state_drafts(ui), [], "r: the draft is gone once posted")
        # R on post 2: the editor gets Discourse's quote markup.
        goto_post(ui, 2)
        p2 = next(p for p in after if p["post_number"] == 2)
        ui.send_keys("R")
        ui.wait_for("Preview of the reply")
        ui.send_keys("q")
        with open(got, encoding="utf-8") as f:
            text = f.read()
        want = '[quote="%s, post:2, topic:%d"]' % (p2["username"], tid)
        t.ok(text.startswith(want), "R: the file starts with the quote markup", text)
        t.ok("[/quote]" in text, "R: the quote is closed", text)
        kept = dict(state_drafts(ui))
        t.ok("topic_%d" % tid in kept, "q in the preview keeps the draft", kept)
        # An empty text sends nothing and keeps no draft (the one of R is
        # offered first: discarded).
        set_reply(ui, "  ")
        ui.send_keys("r")
        ui.wait_for("An unsent draft in this topic")
        ui.send_keys("n", "Enter")
        ui.wait_for("Discard that draft?")
        ui.send_keys("y", "Enter")
        ui.wait_for("Nothing written")
        t.eq(state_drafts(ui), [], "an empty text keeps no draft")
        # E on the reply just posted: the server's raw changes.
        set_reply(ui, EDITED)
        ui.send_keys("$")
        time.sleep(0.5)
        ui.send_keys("E")
        ui.wait_for("Preview of the edit")
        ui.send_keys("y")
        ui.wait_for("Post edited")
        _, mine = api(srv, "GET", "/posts/%d.json" % after[-1]["id"])
        t.ok(EDITED in mine["raw"], "E: the post's raw is the edited text",
             mine["raw"])
        left = [f for f in os.listdir(os.path.join(ui.env["XDG_STATE_HOME"], "ambt"))
                if f.startswith("compose-")]
        t.eq(left, [], "the editor's files are gone once sent or kept as drafts")
        quit_clean(ui, "r, R and E")


def new_topic(srv):
    title = "Een nieuw onderwerp vanuit de terminal"
    body = "Wie heeft ervaring met open data in een kleine gemeente?"
    _, site = api(srv, "GET", "/site.json")
    second = site["categories"][1]
    with new_ui(srv, body) as ui:
        open_topic(ui, STUDY_DAY)
        ui.send_keys("c")
        ui.wait_for("choose its category")
        ui.send_keys("j", "Enter")
        ui.wait_for("Title:")
        ui.type(title)
        ui.send_keys("Enter")
        ui.wait_for("Preview")
        ui.send_keys("y")
        ui.wait_for("Posted as #")
        ui.wait_for(body)
        _, latest = api(srv, "GET", "/latest.json")
        made = [tp for tp in latest["topic_list"]["topics"] if tp["title"] == title]
        t.eq(len(made), 1, "c: the server has the new topic once")
        t.eq(made[0]["category_id"] if made else None, second["id"],
             "c: in the chosen category")
        quit_clean(ui, "a new topic")


def quit_clean(ui, what):
    ui.send_keys("Q")
    status = ui.exit_status()
    err = ui.stderr()
    t.ok(status == 0 and "Sanitizer" not in err and "runtime error" not in err,
         "%s: ambt quits cleanly, no sanitizer report" % what,
         "status %s\n%s" % (status, err))


def like_bookmark_level(srv):
    tid = topic_id(srv, STUDY_DAY)
    p2 = next(p for p in posts(srv, tid) if p["post_number"] == 2)

    def likes():
        _, p = api(srv, "GET", "/posts/%d.json" % p2["id"])
        return next((a.get("count", 0) for a in p.get("actions_summary", [])
                     if a["id"] == 2), 0)

    start = likes()
    with new_ui(srv) as ui:
        open_topic(ui, STUDY_DAY)
        goto_post(ui, 2)
        ui.send_keys("l")
        scr = ui.wait_for("Liked #2")
        t.ok("%d like" % (start + 1) in scr.split("\n")[2],
             "l: the post's like count changes in place", scr)
        t.eq(likes(), start + 1, "l: the like count on the server goes up")
        ui.send_keys("l")
        ui.wait_for("Unliked #2")
        t.eq(likes(), start, "l again: unliked")
        _, topic = api(srv, "GET", "/t/%d.json" % tid)
        was = bool(topic.get("bookmarked"))
        ui.send_keys("b")
        ui.wait_for("Bookmark removed" if was else "Topic bookmarked")
        _, topic = api(srv, "GET", "/t/%d.json" % tid)
        t.eq(bool(topic.get("bookmarked")), not was,
             "b: the topic's bookmark changes on the server")
        level = topic["details"]["notification_level"]
        ui.send_keys("w")
        ui.wait_for("This topic: ")
        _, topic = api(srv, "GET", "/t/%d.json" % tid)
        t.ok(topic["details"]["notification_level"] != level,
             "w: the topic's level changes on the server",
             topic["details"]["notification_level"])
        quit_clean(ui, "l, b and w")


def flags(srv, post_id):
    """(type, message) of each flag on the post, from ambtd's database."""
    con = sqlite3.connect(srv.db, timeout=10)
    try:
        return con.execute("SELECT post_action_type_id FROM post_actions "
                           "WHERE post_id = ? AND post_action_type_id <> 2 "
                           "ORDER BY post_action_type_id", (post_id,)).fetchall()
    finally:
        con.close()


def report(ui, reason, message=None):
    ui.send_keys("!")
    ui.wait_for("Report post:")
    ui.type(reason)
    ui.send_keys("Enter")
    if message is not None:
        ui.wait_for("Message to the moderators:")
        if message:
            ui.type(message)
        ui.send_keys("Enter")


def flag(srv):
    """! reports the post under the cursor with one of Discourse's
    reasons; "something else" needs a message; the server's refusal of a
    second flag of the same kind is shown."""
    tid = topic_id(srv, STUDY_DAY)
    # Not one's own post: Discourse lets nobody flag those.
    p3 = next(p for p in posts(srv, tid)
              if p["post_number"] > 1 and p["username"] != "demo")
    with new_ui(srv) as ui:
        open_topic(ui, STUDY_DAY)
        goto_post(ui, p3["post_number"])
        report(ui, "1")
        ui.wait_for("Reported to the moderators", where=ui.status_line)
        t.eq(flags(srv, p3["id"]), [(3,)], "!: off-topic is stored as flag type 3")
        report(ui, "1")
        scr = ui.wait_for("Not reported: ", where=ui.status_line)
        t.eq(flags(srv, p3["id"]), [(3,)], "!: the server refuses a second off-topic flag")
        report(ui, "4", "")
        scr = ui.wait_for("message to the moderators is required",
                          where=ui.status_line)
        t.eq(flags(srv, p3["id"]), [(3,)], "!: something else without a message sends nothing")
        report(ui, "4", "Dit bericht bevat persoonsgegevens.")
        ui.wait_for("Reported to the moderators", where=ui.status_line)
        t.eq(flags(srv, p3["id"]), [(3,), (7,)],
             "!: something else goes to the moderators (type 7)")
        quit_clean(ui, "!")


def clear_server_drafts(srv):
    """demo's drafts on the server go: the TUI brings them in at start, so
    one a test left there would be offered to the next."""
    _, listed = api(srv, "GET", "/drafts.json")
    for d in listed["drafts"]:
        api(srv, "DELETE", "/drafts/%s.json" % d["draft_key"])


def browser_draft(srv):
    """A reply begun in the browser (saved to /drafts.json) is brought in
    at start, counted on the start page and offered by r in its topic."""
    text = "Begonnen in de browser, afgemaakt in de terminal."
    tid = topic_id(srv, STUDY_DAY)
    data = json.dumps({"reply": text, "action": "reply"})
    clear_server_drafts(srv)
    # As the web client does: the key's current sequence first.
    _, shown = api(srv, "GET", "/drafts/topic_%d.json" % tid)
    status, _ = api(srv, "POST", "/drafts.json",
                    {"draft_key": "topic_%d" % tid, "data": data,
                     "sequence": shown["draft_sequence"]})
    t.eq(status, 200, "a draft saved by the browser")
    with new_ui(srv, text) as ui:
        scr = ui.wait_for("1 unsent draft", where=ui.status_line)
        t.ok(True, "the server's draft is counted at start")
        kept = dict(state_drafts(ui))
        t.ok(text in kept.get("topic_%d" % tid, ""),
             "the server's draft is in the state database", kept)
        open_topic(ui, STUDY_DAY)
        ui.send_keys("r")
        ui.wait_for("An unsent draft in this topic")
        ui.send_keys("y", "Enter")
        ui.wait_for("Preview of the reply")
        ui.send_keys("y")
        ui.wait_for("Posted as #")
        mine = [p for p in posts(srv, tid) if text in p["cooked"]]
        t.eq(len(mine), 1, "the browser's draft is posted once from the terminal")
        quit_clean(ui, "a draft from the browser")


def draft_when_server_down():
    with Ambtd() as srv:
        port = srv.url.rsplit(":", 1)[1].strip("/")
        srv.args[srv.args.index("127.0.0.1:0")] = "127.0.0.1:" + port
        with new_ui(srv, REPLY) as ui:
            open_topic(ui, STUDY_DAY)
            tid = topic_id(srv, STUDY_DAY)
            srv.stop()
            ui.send_keys("r")
            ui.wait_for("Preview of the reply")
            ui.send_keys("y")
            ui.wait_for("Draft kept: ")
            kept = dict(state_drafts(ui))
            t.ok(REPLY in kept.get("topic_%d" % tid, ""),
                 "server stopped: the draft is in the state database", kept)
            ui.send_keys("Q")
            ui.exit_status()
            ui.kill()
            os.unlink(ui.status_file)
            srv.start()
            ui.start()
            scr = ui.wait_for("1 unsent draft")
            t.ok("1 unsent draft" in ui.status_line(scr),
                 "after restart the start page says 1 unsent draft", scr)
            # r in the topic offers the draft again; sent once, posted once.
            open_topic(ui, STUDY_DAY)
            ui.send_keys("r")
            ui.wait_for("An unsent draft in this topic")
            ui.send_keys("y", "Enter")
            ui.wait_for("Preview of the reply")
            ui.send_keys("y")
            ui.wait_for("Posted as #")
            mine = [p for p in posts(srv, tid) if REPLY in p["cooked"]]
            t.eq(len(mine), 1, "the kept draft is offered again and posted once")
            t.eq(state_drafts(ui), [], "and then it is gone")
            quit_clean(ui, "a draft while the server was down")


def rejected_422(srv):
    """A post the server refuses (an event without a valid start): its
    message in the status line, the draft kept."""
    bad = '[event start="gisteren"]\n[/event]\nEen evenement zonder geldige datum.'
    tid = topic_id(srv, STUDY_DAY)
    with new_ui(srv, bad) as ui:
        open_topic(ui, STUDY_DAY)
        ui.send_keys("r")
        ui.wait_for("Preview of the reply")
        ui.send_keys("y")
        scr = ui.wait_for("Draft kept: ")
        t.ok("valid start date" in ui.status_line(scr),
             "422: the server's message in the status line", scr)
        kept = dict(state_drafts(ui))
        t.ok("geldige datum" in kept.get("topic_%d" % tid, ""),
             "422: the draft is kept", kept)
        quit_clean(ui, "a 422")


def killed_in_editor(srv):
    tid = topic_id(srv, STUDY_DAY)
    with new_ui(srv, REPLY, wait=True) as ui:
        got = got_file(ui)
        open_topic(ui, STUDY_DAY)
        ui.send_keys("r")
        for _ in range(100):
            if os.path.exists(got):
                break
            time.sleep(0.1)
        ui.kill()
        keys = [k for k, _ in state_drafts(ui)]
        t.ok("topic_%d" % tid in keys, "killed in the editor: the draft is kept", keys)


def builtin_editor(srv):
    text = "Goedemiddag, \u00e9\u00e9n vraag over de studiedag."
    tid = topic_id(srv, STUDY_DAY)
    clear_server_drafts(srv)
    with new_ui(srv) as ui:
        open_topic(ui, STUDY_DAY)
        ui.send_keys("r")
        ui.wait_for("Ctrl-X: done")
        # Typed without its first letter and with a stray x: Backspace
        # takes the x, C-a goes to the start of the line, C-e to its end,
        # Left back to the doubled n of "één" and Backspace takes one
        # character, not one byte.
        ui.type(text[1:].replace("\u00e9\u00e9n", "\u00e9\u00e9nn") + "x")
        ui.send_keys("BSpace", "C-a")
        ui.type(text[0])
        ui.send_keys("C-e", *(["Left"] * len(" vraag over de studiedag.")))
        ui.send_keys("BSpace", "C-x")
        ui.wait_for("Preview of the reply")
        ui.send_keys("y")
        ui.wait_for("Posted as #")
        last = posts(srv, tid)[-1]
        _, raw = api(srv, "GET", "/posts/%d.json" % last["id"])
        t.eq(raw["raw"].strip(), text, "built-in editor: the UTF-8 reply as typed")
        quit_clean(ui, "the built-in editor")


def ambt_pid(ui):
    """The pid of the ambt running in the pane (a child of its shell)."""
    pane = ui.tmux("list-panes", "-t", "t", "-F", "#{pane_pid}").strip()
    out = subprocess.run(["ps", "-o", "pid=,comm=", "--ppid", pane],
                         capture_output=True, text=True).stdout
    for line in out.splitlines():
        pid, comm = line.split(None, 1)
        if comm.strip() == "ambt":
            return int(pid)
    return None


def gone(pid, timeout=20):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.1)
    return False


def window_closed_in_builtin_editor(srv):
    text = "Typed before the window closed"
    tid = topic_id(srv, STUDY_DAY)
    clear_server_drafts(srv)
    with new_ui(srv) as ui:
        open_topic(ui, STUDY_DAY)
        ui.send_keys("r")
        ui.wait_for("Ctrl-X: done")
        ui.type(text)
        ui.wait_for(text)
        pid = ambt_pid(ui)
        t.ok(pid is not None, "window closed: ambt found in the pane", ui.processes())
        ui.kill()  # the terminal goes away under the editor
        # A hung-up terminal reads as ERR for ever: ambt must stop, not spin.
        t.ok(pid is not None and gone(pid), "window closed in the built-in editor: "
             "ambt ends", pid)
        if pid is not None:
            try:
                os.kill(pid, 9)  # only if it is still there
            except ProcessLookupError:
                pass
        drafts = dict(state_drafts(ui))
        t.ok(text in drafts.get("topic_%d" % tid, ""),
             "window closed in the built-in editor: what was typed is a draft", drafts)


with Ambtd() as server:
    t.run("r, R and E", reply_and_quote, server)
    t.run("c", new_topic, server)
    t.run("l, b and w", like_bookmark_level, server)
    t.run("!", flag, server)
    t.run("a draft begun in the browser", browser_draft, server)
    t.run("a 422", rejected_422, server)
    t.run("killed in the editor", killed_in_editor, server)
    t.run("the built-in editor", builtin_editor, server)
    t.run("the window closed in the built-in editor",
          window_closed_in_builtin_editor, server)
t.run("a draft while the server is down", draft_when_server_down)
t.done()
