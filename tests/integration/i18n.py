#!/usr/bin/env python3
"""i18n.py: the Dutch and English interface (gettext).

po/nl.po is complete (msgfmt --check --statistics: nothing untranslated or
fuzzy) and covers every string xgettext extracts from the sources now, so
a new _() string without a translation fails here; every source file that
marks strings is listed in Makefile.am's AMBT_POTFILES, so "make
update-po" carries it. Against ambtd --seed demo, with the catalogue the
build made (AMBT_LOCALEDIR): LANG=nl_BE.UTF-8 and nl_NL.UTF-8 give Dutch
table headings, usage errors, dates ("wo 25 nov 2026") and relative times
("3 dagen geleden"); LANG=C and en_US.UTF-8 give English.
"""
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile
import types

sys.path.insert(0, os.path.join(os.environ.get("top_srcdir", "."), "tests"))
from tap import Ambtd, Tap, builddir, program, srcdir  # noqa: E402

t = Tap()
PO = os.path.join(srcdir(), "po", "nl.po")
LOCALEDIR = os.path.join(builddir(), "po", "locale")
DUTCH = ("nl_BE.UTF-8", "nl_NL.UTF-8")
ENGLISH = ("C", "en_US.UTF-8")
XGETTEXT = ["xgettext", "--language=C", "--from-code=UTF-8", "--keyword=_",
            "--keyword=N_", "--keyword=P_:1,2"]
MARK = re.compile(r'\b[NP]?_\(\s*"')


def sources():
    """Every C source and header of the project, relative to srcdir."""
    found = []
    for pattern in ("src/**/*.c", "src/**/*.h", "include/**/*.h"):
        found += glob.glob(pattern, root_dir=srcdir(), recursive=True)
    return sorted(found)


def msgids(command):
    """The msgids (and plural msgids) of a catalogue that command prints
    with one line per string."""
    r = subprocess.run(command, capture_output=True, text=True, check=True)
    return {m.group(1) for m in re.finditer(r'^msgid(?:_plural)? "(.+)"$',
                                           r.stdout, re.M)}


def potfiles():
    """The AMBT_POTFILES list of Makefile.am."""
    with open(os.path.join(srcdir(), "Makefile.am"), encoding="utf-8") as f:
        text = f.read()
    m = re.search(r"^AMBT_POTFILES =((?:.*\\\n)*.*)$", text, re.M)
    return set(m.group(1).replace("\\", " ").split()) if m else set()


def test_catalogue_complete():
    r = subprocess.run(["msgfmt", "--check", "--statistics", "-o", os.devnull, PO],
                       capture_output=True, text=True)
    stats = r.stderr.strip()
    t.ok(r.returncode == 0 and re.fullmatch(r"\d+ translated messages?\.", stats),
         "msgfmt --check --statistics po/nl.po: all translated, none fuzzy",
         r.stderr)
    t.ok(os.path.isfile(os.path.join(LOCALEDIR, "nl", "LC_MESSAGES", "ambt.mo")),
         "the build made po/locale/nl/LC_MESSAGES/ambt.mo")


def test_catalogue_covers_sources():
    tmp = tempfile.mkdtemp(prefix="ambt-i18n-")
    try:
        pot = os.path.join(tmp, "ambt.pot")
        r = subprocess.run(XGETTEXT + ["-o", pot] + sources(), cwd=srcdir(),
                           capture_output=True, text=True)
        t.ok(r.returncode == 0 and os.path.isfile(pot),
             "xgettext extracts the marked strings of src/ and include/", r.stderr)
        used = msgids(["msgcat", "--no-wrap", pot])
        # Only what nl.po really translates: not fuzzy, not obsolete.
        done = msgids(["msgattrib", "--no-wrap", "--translated", "--no-fuzzy",
                       "--no-obsolete", PO])
        missing = sorted(used - done)
        t.ok(len(used) > 100 and not missing,
             "po/nl.po translates every msgid in the sources (make update-po, "
             "then translate)", "untranslated: " + "\n".join(missing))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    marking = set()
    for path in sources():
        if path == "include/ambt/i18n.h":  # the macros, shown in its comment
            continue
        with open(os.path.join(srcdir(), path), encoding="utf-8") as f:
            if MARK.search(f.read()):
                marking.add(path)
    listed = potfiles()
    t.ok(len(listed) > 0 and marking <= listed,
         "every source that marks strings is in AMBT_POTFILES",
         f"not listed: {sorted(marking - listed)}")


class Runner:
    """ambt against one ambtd, in a given locale, with a fresh home."""

    def __init__(self, srv):
        self.srv = srv
        self.home = tempfile.mkdtemp(prefix="ambt-i18n-home-")

    def __call__(self, lang, *args):
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"),
               "HOME": self.home, "XDG_CONFIG_HOME": self.home + "/.config",
               "XDG_CACHE_HOME": self.home + "/.cache",
               "XDG_STATE_HOME": self.home + "/.state",
               "TZ": "Europe/Amsterdam", "LANG": lang,
               "AMBT_LOCALEDIR": LOCALEDIR}
        for k in ("ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"):
            if k in os.environ:
                env[k] = os.environ[k]
        r = subprocess.run([program("ambt"), "--server", self.srv.url] + list(args),
                           capture_output=True, env=env, timeout=60)
        return (r.returncode, r.stdout.decode("utf-8", "replace"),
                r.stderr.decode("utf-8", "replace"))

    def cleanup(self):
        shutil.rmtree(self.home, ignore_errors=True)


def test_locales_present():
    r = subprocess.run(["locale", "-a"], capture_output=True, text=True)
    have = {name.lower().replace("-", "") for name in r.stdout.split()}
    for lang in DUTCH:
        t.ok(lang.lower().replace("-", "") in have,
             f"the {lang} locale is generated (/etc/locale.gen, locale-gen)",
             r.stdout)


def test_headings(ambt):
    for lang in DUTCH:
        rc, out, err = ambt(lang, "categories")
        first = out.splitlines()[0] if out else ""
        t.ok(rc == 0 and first.split()[:4] == ["ID", "SLUG", "ONDERWERPEN", "BERICHTEN"],
             f"LANG={lang} ambt categories: Dutch headings", out + err)
    for lang in ENGLISH:
        rc, out, err = ambt(lang, "categories")
        first = out.splitlines()[0] if out else ""
        t.ok(rc == 0 and first.split()[:4] == ["ID", "SLUG", "TOPICS", "POSTS"],
             f"LANG={lang} ambt categories: English headings", out + err)


def test_usage_error(ambt):
    for lang in DUTCH:
        rc, out, err = ambt(lang, "categories", "oeps")
        t.ok(rc == 2 and "categories: onverwacht argument 'oeps'" in err,
             f"LANG={lang}: a usage error in Dutch", err)
    rc, out, err = ambt("C", "categories", "oeps")
    t.ok(rc == 2 and "categories: unexpected 'oeps'" in err,
         "LANG=C: the usage error in English", err)


def test_dates(ambt):
    # The study day in Grimbergen, 25 November 2026, 09:30 in Brussels.
    for lang in DUTCH:
        rc, out, err = ambt(lang, "events", "--past")
        t.ok(rc == 0 and "wo 25 nov 2026 09:30" in out,
             f"LANG={lang} ambt events: a Dutch date", out + err)
    rc, out, err = ambt("C", "events", "--past")
    t.ok(rc == 0 and "Wed 25 Nov 2026 09:30" in out,
         "LANG=C ambt events: an English date", out + err)
    dutch_ago = re.compile(r"laatst gezien +(\d+ (minuut|minuten|uur|dag|dagen|"
                           r"maand|maanden|jaar) geleden|zojuist)$", re.M)
    english_ago = re.compile(r"last seen +(\d+ (minutes?|hours?|days?|months?|"
                             r"years?) ago|just now)$", re.M)
    for lang in DUTCH:
        rc, out, err = ambt(lang, "user", "koen")
        t.ok(rc == 0 and dutch_ago.search(out),
             f"LANG={lang} ambt user: when last seen, in Dutch words", out + err)
    rc, out, err = ambt("en_US.UTF-8", "user", "koen")
    t.ok(rc == 0 and english_ago.search(out),
         "LANG=en_US.UTF-8 ambt user: when last seen, in English words", out + err)


def test_plurals(ambt):
    rc, out, err = ambt("nl_BE.UTF-8", "read", "1")
    t.ok(rc == 0 and re.search(r"\| \d+ reacties \| \d+ berichten", out),
         "LANG=nl_BE.UTF-8 ambt read: counts with Dutch plurals", out + err)
    rc, out, err = ambt("C", "read", "1")
    t.ok(rc == 0 and re.search(r"\| \d+ replies \| \d+ posts", out),
         "LANG=C ambt read: counts with English plurals", out + err)


def test_unreachable():
    """The hint for a server that is not there comes in either language:
    http.c marks the error, the CLI does not read its English words."""
    dead = Runner(types.SimpleNamespace(url="http://127.0.0.1:1"))
    try:
        for lang in DUTCH:
            rc, out, err = dead(lang, "categories")
            t.ok(rc == 1 and "draait de server? controleer 'set server' in" in err,
                 f"LANG={lang}: a refused connection gets the Dutch hint", err)
        rc, out, err = dead("C", "categories")
        t.ok(rc == 1 and "(is the server up? check 'set server' in" in err,
             "LANG=C: a refused connection gets the English hint", err)
    finally:
        dead.cleanup()


def test_cli():
    srv = Ambtd().start()
    ambt = Runner(srv)
    try:
        t.run("Dutch and English headings", test_headings, ambt)
        t.run("usage errors", test_usage_error, ambt)
        t.run("dates", test_dates, ambt)
        t.run("plurals", test_plurals, ambt)
    finally:
        ambt.cleanup()
        srv.cleanup()


t.run("catalogue complete", test_catalogue_complete)
t.run("catalogue covers the sources", test_catalogue_covers_sources)
t.run("locales", test_locales_present)
t.run("ambt in Dutch and English", test_cli)
t.run("an unreachable server in either language", test_unreachable)
t.done()
