#!/usr/bin/env python3
"""themes.py: --theme in the reader, in tmux, against ambtd --seed demo:
it beats `set theme` in the config, and a theme file with a bad line
gives way to the default theme with its file and line in the status
line."""
import os
import re
import sys

sys.path.insert(0, os.path.join(os.environ["top_srcdir"], "tests"))
from tap import Tap, Ambtd  # noqa: E402
from tuitest import AmbtTui  # noqa: E402

STUDY_DAY = "Studiedag Ambtenaar 2.0 in Grimbergen"


def theme_beats_config(t, server):
    # high-contrast's text is palette colour 231 on 16; mono has none.
    with AmbtTui(server, extra_args=["--theme", "high-contrast"],
                 config="set theme mono\n") as ui:
        ui.wait_for(STUDY_DAY)
        scr = ui.screen(attributes=True)
        t.ok("38;5;231" in scr and "48;5;16" in scr,
             "--theme high-contrast beats 'set theme mono'", scr[:2000])
        ui.send_keys("q")
        t.eq(ui.exit_status(), 0, "quits cleanly")


def broken_theme_falls_back(t, server):
    ui = AmbtTui(server, extra_args=["--theme", "broken"], width=120)
    try:
        themes = os.path.join(ui.config_dir, "themes")
        os.makedirs(themes)
        with open(os.path.join(themes, "broken.theme"), "w") as f:
            f.write("title white blue bold\nnew purpel default\n")
        ui.start()
        ui.wait_for(STUDY_DAY)
        ui.wait_for("broken.theme:2", where=ui.status_line)
        status = ui.status_line()
        t.ok("broken.theme:2: unknown colour 'purpel'" in status
             and "default" in status,
             "a broken theme names its file and line in the status line",
             status)
        # The default theme's title bar: white on blue (SGR 44).
        header = ui.screen(attributes=True).split("\n")[0]
        t.ok(re.search(r"\x1b\[(?:[0-9;]*;)?44[;m]", header) is not None,
             "the default theme is used instead", header)
        ui.send_keys("q")
        t.eq(ui.exit_status(), 0, "quits cleanly")
        t.eq(ui.stderr().strip(), "", "nothing on stderr")
    finally:
        ui.cleanup()


def main():
    t = Tap()
    with Ambtd() as server:
        t.run("--theme beats the config", theme_beats_config, t, server)
        t.run("broken theme", broken_theme_falls_back, t, server)
    t.done()


main()
