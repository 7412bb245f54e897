#!/usr/bin/env python3
"""completion.py: bash and zsh completion offer every command, option and
theme that ambt's own tables hold.

The completion scripts ask ambt (--list-commands, COMMAND --list-options,
--list-themes). These checks compare what the scripts offer with the
command table in src/ambt.c, with each command's --help (a help that names
an option its parser does not take fails too) and with themes/. The bash
script runs for real (COMP_WORDS, COMP_CWORD, _ambt, COMPREPLY); the zsh
one is autoloaded as compinit would and run with compadd and _files
standing in for the completion system's builtins. Then both are used as a
user would, in tmux: a Tab after a word completes it.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.environ["top_srcdir"], "tests"))
from tap import Tap, builddir, program, srcdir  # noqa: E402
from tuitest import Tui  # noqa: E402

COMPLETION = os.path.join(srcdir(), "contrib", "completion")

BASH_DRIVER = r"""
source "$COMPLETION/ambt.bash"
COMP_WORDS=("$@")
COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
_ambt
printf '%s\n' "${COMPREPLY[@]}"
"""

ZSH_DRIVER = r"""
fpath=("$COMPLETION" $fpath)
autoload -Uz _ambt
compadd() { [[ $1 == -a ]] && print -rl -- ${(M)${(P)2}:#${PREFIX}*}; }
_files() { print -r -- '<files>'; }
_call_program() { shift; eval "$@"; }
words=("$@")
CURRENT=$#words
PREFIX=${words[CURRENT]}
_ambt
"""


def env(home):
    e = dict(os.environ)
    e.update(PATH=builddir() + os.pathsep + e.get("PATH", ""), HOME=home,
             XDG_CONFIG_HOME=os.path.join(home, "config"),
             AMBT_THEMES_DIR=os.path.join(srcdir(), "themes"),
             COMPLETION=COMPLETION, LC_ALL="C")
    e.pop("AMBT_SERVER", None)
    return e


def complete(shell, words, home):
    if shell == "bash":
        argv = ["bash", "--norc", "--noprofile", "-c", BASH_DRIVER, "bash"]
    else:
        argv = ["zsh", "-f", "-c", ZSH_DRIVER, "zsh"]
    r = subprocess.run(argv + words, env=env(home), capture_output=True,
                       text=True, timeout=60, stdin=subprocess.DEVNULL)
    return set(line for line in r.stdout.splitlines() if line)


def ambt(args, home):
    return subprocess.run([program("ambt")] + args, env=env(home),
                          capture_output=True, text=True, timeout=60,
                          stdin=subprocess.DEVNULL)


def table_commands():
    """The names in src/ambt.c's cli_commands[] table."""
    with open(os.path.join(srcdir(), "src", "ambt.c"), encoding="utf-8") as f:
        text = f.read()
    start = text.index("cli_commands[] = {")
    body = text[start:text.index("\n};", start)]
    return set(re.findall(r'^\s*\{"([a-z-]+)",', body, re.M))


def help_options(args, home):
    """Every --option a help text names."""
    return set(re.findall(r"(--[a-z][a-z-]*)", ambt(args, home).stdout))


def check_shell(t, shell, home):
    commands = table_commands()
    t.ok(len(commands) >= 16, f"{shell}: commands read from src/ambt.c",
         sorted(commands))
    offered = complete(shell, ["ambt", ""], home)
    t.eq(sorted(commands - offered), [],
         f"{shell}: every command of the table is offered")
    t.eq(sorted(complete(shell, ["ambt", "--server", "x", "la"], home)),
         ["latest"], f"{shell}: a command after a global option's value")
    globals_ = complete(shell, ["ambt", "--"], home)
    t.eq(sorted(help_options(["--help"], home) - globals_), [],
         f"{shell}: every global option of ambt --help is offered")
    t.ok("--theme" in globals_ and "--list-commands" not in globals_,
         f"{shell}: --theme offered, the hidden lists not", sorted(globals_))
    for command in sorted(commands):
        listed = {o.rstrip("=") for o in
                  ambt([command, "--list-options"], home).stdout.split()}
        offered = complete(shell, ["ambt", command, "--"], home)
        named = help_options([command, "--help"], home)
        t.ok(listed and offered == listed and named <= offered,
             f"{shell}: ambt {command} -- offers its parser's options",
             f"parser: {sorted(listed)}\noffered: {sorted(offered)}\n"
             f"in --help: {sorted(named)}")
    themes = {f[:-len(".theme")] for f in
              os.listdir(os.path.join(srcdir(), "themes"))
              if f.endswith(".theme")}
    t.eq(complete(shell, ["ambt", "--theme", ""], home), themes,
         f"{shell}: --theme offers every theme in themes/")
    t.eq(complete(shell, ["ambt", "--theme", "rijks"], home),
         {"rijkshuisstijl"}, f"{shell}: --theme completes a prefix")


def check_theme_option(t, home):
    r = ambt(["--theme", "nosuch", "latest"], home)
    t.ok(r.returncode == 2 and "no theme 'nosuch'" in r.stderr
         and "high-contrast" in r.stderr and "vlaanderen" in r.stderr,
         "ambt --theme with an unknown name: exit 2, the themes listed",
         f"{r.returncode}: {r.stderr}")
    r = ambt(["--list-themes"], home)
    t.ok(r.returncode == 0 and "rijkshuisstijl" in r.stdout.split(),
         "ambt --list-themes", r.stdout)
    r = ambt(["--help"], home)
    t.ok("--theme NAME" in r.stdout and "--list-" not in r.stdout,
         "ambt --help names --theme and hides the lists")


PROMPT = re.compile(r"^\$\s*$", re.M)


def interactive(t, shell, home):
    """Type, press Tab, read the line: completion as a user meets it."""
    if shell == "bash":
        # bash prompts on stderr, which the Tui sends to a log.
        argv = ["sh", "-c", "exec bash --norc --noprofile -i 2>&1"]
        setup = f"source {COMPLETION}/ambt.bash"
    else:
        argv = ["zsh", "-f"]
        setup = (f"fpath=({COMPLETION} $fpath); autoload -Uz compinit; "
                 f"compinit -u -d {home}/zcompdump")
    e = env(home)
    ui = Tui(argv, env={k: e[k] for k in ("PATH", "HOME", "XDG_CONFIG_HOME")}
             | {"PS1": "$ "})
    try:
        ui.start()
        ui.wait_for(PROMPT)
        ui.type(setup + "; PS1='$ '")
        ui.send_keys("Enter")
        ui.wait_for(PROMPT)
        for typed, want in (("ambt --theme rijks", "ambt --theme rijkshuisstijl"),
                            ("ambt late", "ambt latest"),
                            ("ambt reply --mes", "ambt reply --message")):
            ui.type(typed)
            ui.send_keys("Tab")
            scr = ui.wait_for(want)
            t.ok(want in scr, f"{shell} in tmux: '{typed}' Tab gives '{want}'")
            ui.send_keys("C-u")
            ui.wait_for(want, gone=True)
    finally:
        ui.cleanup()


def main():
    t = Tap()
    home = tempfile.mkdtemp(prefix="ambt-completion-")
    try:
        t.run("ambt --theme", check_theme_option, t, home)
        t.run("bash", check_shell, t, "bash", home)
        t.run("bash in tmux", interactive, t, "bash", home)
        zsh = shutil.which("zsh")
        t.ok(zsh is not None, "zsh is installed (debian-packages)")
        if zsh is not None:
            r = subprocess.run(["zsh", "-n", os.path.join(COMPLETION, "_ambt")],
                               capture_output=True, text=True)
            t.eq(r.returncode, 0, "zsh -n _ambt")
            t.run("zsh", check_shell, t, "zsh", home)
            t.run("zsh in tmux", interactive, t, "zsh", home)
    finally:
        shutil.rmtree(home, ignore_errors=True)
    t.done()


main()
