#!/usr/bin/env python3
"""tui_i18n.py: the reader in the user's language, in tmux, against ambtd
--seed demo, with the catalogue the build made (AMBT_LOCALEDIR).
LANG=nl_BE.UTF-8 and LC_ALL=nl_NL.UTF-8 show the start page and the help
screen (?) in Dutch, with Dutch dates (the start page's events, a thread's
posts), and none of their English words; LANG=C shows them in English."""
import os
import re
import sys

sys.path.insert(0, os.path.join(os.environ["top_srcdir"], "tests"))
from tap import Tap, Ambtd, builddir  # noqa: E402
from tuitest import AmbtTui, TuiTimeout  # noqa: E402

t = Tap()
LOCALEDIR = os.path.join(builddir(), "po", "locale")

# What the start page and the help screen of the lists say, in each
# language: every word in one must be missing from the other.
START = {
    "nl": ["?:hulp q:terug", "Startpagina", "Laatste onderwerpen",
           "Komende evenementen", "Ongelezen meldingen"],
    "en": ["?:help q:back", "Start page", "Latest topics", "Upcoming events",
           "Unread notifications"],
}
HELP = {
    "nl": ["Hulp: de toetsen van de weergave list",
           "Eén regel of item omlaag", "Naar de startpagina",
           "Het forum doorzoeken", "ambt afsluiten"],
    "en": ["Help: the keys of the list view", "Move down one line or entry",
           "Go to the start page", "Search the forum", "Quit ambt"],
}
# An upcoming event's date on the start page ("do 14 jan", "Thu 14 Jan"):
# day and month named in that language.
EVENT_DATE = {
    "nl": re.compile(r"\b(ma|di|wo|do|vr|za|zo) +\d{1,2} "
                     r"(jan|feb|mrt|apr|mei|jun|jul|aug|sep|okt|nov|dec)\b"),
    "en": re.compile(r"\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun) +\d{1,2} "
                     r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b"),
}

# A post's date in the thread ("do 12 nov 2026 13:45").
POST_DATE = {k: re.compile(v.pattern + r" \d{4} \d\d:\d\d")
             for k, v in EVENT_DATE.items()}


def locale_env(lang):
    """The environment of one run: LANG alone, or LC_ALL alone."""
    env = {"AMBT_LOCALEDIR": LOCALEDIR, "TZ": "Europe/Brussels",
           "LANG": "C", "LC_ALL": ""}
    env[lang[0]] = lang[1]
    return env


def check_page(ui, label, lang, words, other):
    scr = ui.wait_for(words[lang][-1])
    for w in words[lang]:
        t.ok(w in scr, f"{label}: the screen says '{w}'", scr)
    left = [w for w in words[other] if w in scr]
    t.ok(not left, f"{label}: no English left" if lang == "nl"
         else f"{label}: no Dutch", f"found {left}\n{scr}")
    return scr


def run_reader(srv, lang, var, value):
    other = "en" if lang == "nl" else "nl"
    label = f"{var}={value}"
    ui = AmbtTui(srv, env=locale_env((var, value)), width=100, height=30)
    try:
        ui.start()
        scr = check_page(ui, f"{label} start page", lang, START, other)
        scr = ui.wait_for(EVENT_DATE[lang])
        t.ok(not EVENT_DATE[other].search(scr),
             f"{label} start page: the events' dates in that language only",
             scr)
        ui.send_keys("?")
        check_page(ui, f"{label} help (?)", lang, HELP, other)
        ui.send_keys("q")
        ui.wait_for(START[lang][1])
        # The first topic's thread: each post's date in that language.
        ui.send_keys("Enter")
        scr = ui.wait_for(POST_DATE[lang])
        t.ok(not POST_DATE[other].search(scr),
             f"{label} thread: the posts' dates in that language only", scr)
        ui.send_keys("Q")
        t.ok(ui.exit_status() == 0, f"{label}: Q quits with status 0",
             ui.stderr())
    except TuiTimeout as e:
        t.ok(False, f"{label}: the reader shows what is expected", str(e))
    finally:
        ui.cleanup()


def main():
    srv = Ambtd().start()
    try:
        t.run("LANG=nl_BE.UTF-8", run_reader, srv, "nl", "LANG", "nl_BE.UTF-8")
        t.run("LC_ALL=nl_NL.UTF-8", run_reader, srv, "nl", "LC_ALL",
              "nl_NL.UTF-8")
        t.run("LANG=C", run_reader, srv, "en", "LANG", "C")
    finally:
        srv.cleanup()
    t.done()


main()
