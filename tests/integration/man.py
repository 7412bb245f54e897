"""man.py: the man pages are clean roff and say what the programs do.

groff and mandoc report nothing for each page; ambt.1's KEYS section holds
exactly the keys `ambt keys` lists; and what the programs list themselves
(ambt's commands and every command's options, ambtd's options, the
settings of config_settings, the theme elements, ambtd's routes, the
hidden --list-* options, the files make install adds) appears in the
pages. These tests read the binaries and the tables, so a command
or setting added without its documentation fails here.
"""
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.environ["top_srcdir"], "tests"))
from tap import Tap, builddir, program, srcdir  # noqa: E402

PAGES = {
    "ambt.1": os.path.join(builddir(), "man", "ambt.1"),
    "ambt.conf.5": os.path.join(builddir(), "man", "ambt.conf.5"),
    "ambtd.8": os.path.join(srcdir(), "man", "ambtd.8"),
}
VIEW_NAMES = ["global", "list", "thread", "profile", "event", "help"]


def run(args, env=None):
    return subprocess.run(args, capture_output=True, text=True, env=env, timeout=60)


def no_config_env(tmp):
    env = dict(os.environ, LC_ALL="C", XDG_CONFIG_HOME=tmp, HOME=tmp)
    for var in ("AMBT_SERVER", "AMBT_API_KEY", "AMBT_API_USERNAME"):
        env.pop(var, None)
    return env


def unroff(text):
    """Roff escapes of the pages back to plain text."""
    for esc, plain in (("\\-", "-"), ("\\&", ""), ("\\e", "\\"), ("\\(em", "--")):
        text = text.replace(esc, plain)
    return re.sub(r"\\f[BIRP]", "", text)


def read_page(name):
    with open(PAGES[name], encoding="utf-8") as f:
        return f.read()


def sections(page, macro):
    """{title: body} for each .SH or .SS of the page."""
    out = {}
    parts = re.split(r"^\.%s +(.*)$" % macro, page, flags=re.M)
    for title, body in zip(parts[1::2], parts[2::2]):
        out[unroff(title.strip('"'))] = body
    return out


def check_lint(t):
    for name, path in PAGES.items():
        groff = run(["groff", "-man", "-ww", "-z", path])
        t.ok(groff.returncode == 0 and groff.stderr == "", f"groff -man -ww -z {name}",
             groff.stderr)
        mandoc = run(["mandoc", "-T", "lint", path])
        t.ok(mandoc.returncode == 0 and mandoc.stdout + mandoc.stderr == "",
             f"mandoc -T lint {name}", mandoc.stdout + mandoc.stderr)


def page_keys(page):
    """{(view, key, action)} from the KEYS section's .SS "... (view)" and
    .TP entries "\\fBkey\\fR, ... \\(em \\fIaction\\fR"."""
    keys = set()
    body = sections(page, "SH")["KEYS"]
    for title, sub in sections(body, "SS").items():
        view = re.search(r"\((\w+)\)$", title).group(1)
        for tag in re.findall(r"^\.TP\n(.*)$", sub, flags=re.M):
            action = re.search(r"\\fI(.*?)\\fR$", tag).group(1)
            for key in re.findall(r"\\fB(.*?)\\fR", tag.split("\\(em")[0]):
                keys.add((view, unroff(key), unroff(action)))
    return keys


def table_keys(env):
    out = run([program("ambt"), "keys"], env=env)
    rows = [line.split("\t") for line in out.stdout.splitlines()]
    return out, {(r[0], r[1], r[2]) for r in rows}, {r[2] for r in rows}


def check_keys(t, env):
    out, want, actions = table_keys(env)
    t.ok(out.returncode == 0 and len(want) > 40, "ambt keys lists the table", out.stderr)
    got = page_keys(read_page("ambt.1"))
    t.eq(sorted(got - want), [], "every key in ambt.1's KEYS is in the table")
    t.eq(sorted(want - got), [], "every key of the table is in ambt.1's KEYS")
    t.eq(sorted({v for v, _, _ in want} - set(VIEW_NAMES)), [], "only known views")
    conf = unroff(sections(read_page("ambt.conf.5"), "SH")["BIND"])
    listed = set(re.findall(r"^\.B (\S+)$", conf.split(".SS Actions")[1], flags=re.M))
    t.eq(sorted(actions ^ listed), [], "ambt.conf.5 lists every action, no more")
    with open(os.path.join(srcdir(), "src", "keys.c"), encoding="utf-8") as f:
        names = set(re.findall(r"\{ACT_\w+,\s*\"([\w-]+)\"", f.read()))
    t.eq(sorted(names - listed), [], "every action of src/keys.c is in ambt.conf.5")


def help_commands(env):
    out = run([program("ambt"), "--help"], env=env).stdout
    cmds = out.split("Commands:\n")[1].split("\n\n")[0]
    return [line.split()[0] for line in cmds.splitlines() if line.strip()]


def help_options(text):
    opts = text.split("Options:\n", 1)[1] if "Options:\n" in text else ""
    return set(re.findall(r"(?<![\w-])(--[a-z][a-z-]*|-[a-zA-Z])\b", opts))


def check_commands(t, env):
    page = read_page("ambt.1")
    cmds = help_commands(env)
    t.ok(len(cmds) >= 15, "ambt --help lists the commands", cmds)
    subs = {}
    for title, body in sections(sections(page, "SH")["COMMANDS"], "SS").items():
        m = re.match(r"ambt (\S+)", title)
        if m:
            subs[m.group(1)] = unroff(title + "\n" + body)
    t.eq([c for c in cmds if c not in subs], [], "every command has its part in COMMANDS")
    for cmd in cmds:
        out = run([program("ambt"), cmd, "--help"], env=env)
        opts = help_options(out.stdout) - {"--json", "--help"}
        text = subs.get(cmd, "")
        missing = sorted(o for o in opts if not re.search(re.escape(o) + r"\b", text))
        t.eq(missing, [], f"ambt {cmd}: every option of --help is in ambt.1")
    glob = unroff(sections(page, "SH")["OPTIONS"])
    gopts = help_options(run([program("ambt"), "--help"], env=env).stdout)
    t.eq(sorted(o for o in gopts if o not in glob), [], "every global option is in OPTIONS")


def check_settings(t):
    with open(os.path.join(srcdir(), "src", "config.c"), encoding="utf-8") as f:
        src = f.read()
    table = src.split("config_settings[] = {", 1)[1].split("};", 1)[0]
    names = re.findall(r"\{\s*\"(\w+)\",", table)
    t.ok(len(names) >= 8, "config_settings read from src/config.c", names)
    page = unroff(read_page("ambt.conf.5"))
    t.eq([n for n in names if not re.search(r"set %s\b" % n, page)], [],
         "every setting of config_settings is in ambt.conf.5")
    t.ok(re.search(r"^\.BI \"monitor \" WORD", read_page("ambt.conf.5"), re.M),
         "ambt.conf.5 describes monitor WORD")
    with open(os.path.join(srcdir(), "src", "theme.c"), encoding="utf-8") as f:
        elements = re.findall(r"\[TE_\w+\] = \"(\w+)\"", f.read())
    t.ok(len(elements) > 10, "theme elements read from src/theme.c")
    t.eq([e for e in elements if not re.search(r"\.BR? %s\b" % e, page)], [],
         "every theme element is in ambt.conf.5")
    themes = sorted(f[:-6] for f in os.listdir(os.path.join(srcdir(), "themes"))
                    if f.endswith(".theme"))
    shipped = sections(read_page("ambt.conf.5"), "SS").get("Shipped themes", "")
    t.eq([n for n in themes if f".B {n}\n" not in unroff(shipped)], [],
         "every file in themes/ is among the shipped themes")


def check_config_example(t, tmp):
    """The configuration in ambt.conf.5's EXAMPLES is read without a
    warning, by the settings' parser and by the keymap's."""
    body = sections(read_page("ambt.conf.5"), "SH")["EXAMPLES"]
    example = unroff(body.split(".EX\n", 1)[1].split(".EE", 1)[0])
    t.ok("set quiet_hours" in example and "bind " in example,
         "ambt.conf.5's EXAMPLES holds a configuration")
    home = os.path.join(tmp, "example")
    os.makedirs(os.path.join(home, "ambt"))
    with open(os.path.join(home, "ambt", "config"), "w", encoding="utf-8") as f:
        f.write(example)
    env = dict(no_config_env(home), XDG_STATE_HOME=home, XDG_CACHE_HOME=home,
               AMBT_HTTP_RETRY_BASE_MS="1", AMBT_HTTP_CONNECT_TIMEOUT="2000")
    # Port 9 refuses: the command fails after reading the settings.
    out = run([program("ambt"), "--server", "http://127.0.0.1:9", "categories"], env=env)
    t.ok(out.returncode == 1 and "warning" not in out.stderr,
         "the example's settings are read without a warning", out.stderr)
    out = run([program("ambt"), "keys"], env=env)
    t.ok(out.returncode == 0 and out.stderr == "" and "\tJ\tnext-unread\t" in out.stdout,
         "the example's bind lines are taken without a warning", out.stderr)


def route_paths():
    """Each ambtd route's path, with {parameter} names made alike."""
    paths = set()
    folder = os.path.join(srcdir(), "src", "ambtd")
    for name in os.listdir(folder):
        if name.endswith(".c"):
            with open(os.path.join(folder, name), encoding="utf-8") as f:
                for path in re.findall(r"\{\"(?:GET|POST|PUT|DELETE)\",\s*\"(/[^\"]*)\"",
                                       f.read()):
                    paths.add(re.sub(r"\{\w+\}", "{}", path))
    return paths


def check_ambtd(t, env):
    out = run([program("ambtd"), "--help"], env=env)
    opts = help_options("Options:\n" + out.stdout)
    t.ok(len(opts) >= 6, "ambtd --help lists its options", out.stdout)
    page = read_page("ambtd.8")
    text = unroff(sections(page, "SH")["OPTIONS"])
    t.eq(sorted(o for o in opts if not re.search(re.escape(o) + r"\b", text)), [],
         "every ambtd option is in ambtd.8's OPTIONS")
    documented = set(re.sub(r"\{\w+\}", "{}", p)
                     for p in re.findall(r"^[A-Z]+ +(/\S*)", unroff(page), flags=re.M))
    paths = route_paths()
    t.ok(len(paths) > 40, "ambtd's routes read from src/ambtd")
    t.eq(sorted(paths - documented), [], "every ambtd route is in ambtd.8's ENDPOINTS")


def env_names():
    """{file's folder: names} of the environment variables src/ reads."""
    names = {"ambt": set(), "ambtd": set()}
    for folder, _, files in os.walk(os.path.join(srcdir(), "src")):
        owner = "ambtd" if folder.endswith(os.path.join("src", "ambtd")) else "ambt"
        for name in files:
            if name.endswith(".c"):
                with open(os.path.join(folder, name), encoding="utf-8") as f:
                    text = f.read()
                names[owner] |= set(re.findall(
                    r"(?:getenv|env_number)\(\"([A-Z_]+)\"\)", text))
                names[owner] |= set(re.findall(r"\{\"(AMBT_[A-Z_]+)\", \"", text))
    return names


def check_environment(t):
    names = env_names()
    t.ok(len(names["ambt"]) > 10, "environment variables read from src/")
    for owner, page in (("ambt", "ambt.1"), ("ambtd", "ambtd.8")):
        text = sections(read_page(page), "SH")["ENVIRONMENT"]
        t.eq(sorted(n for n in names[owner] if not re.search(r"\b%s\b" % n, text)), [],
             f"every variable {owner} reads is in {page}'s ENVIRONMENT")


def hidden_options():
    """The --list-* options ambt's parsers take ("list-themes" in
    src/ambt.c's table, "--list-options" in src/cli/common.c)."""
    found = set()
    for name in ("ambt.c", os.path.join("cli", "common.c")):
        with open(os.path.join(srcdir(), "src", name), encoding="utf-8") as f:
            text = f.read()
        found |= {"--" + o for o in re.findall(r"\{\"(list-[a-z-]+)\"", text)}
        found |= set(re.findall(r"\"(--list-[a-z-]+)\"", text))
    return found


def check_hidden_options(t, env):
    """The completion's --list-* options: kept out of --help, in NOTES."""
    hidden = hidden_options()
    t.ok({"--list-commands", "--list-options", "--list-themes"} <= hidden,
         "the --list-* options read from src/", sorted(hidden))
    out = run([program("ambt"), "--help"], env=env).stdout
    t.eq(sorted(o for o in hidden if o in out), [], "ambt --help does not list them")
    notes = unroff(sections(read_page("ambt.1"), "SH").get("NOTES", ""))
    t.eq(sorted(o for o in hidden if o not in notes), [],
         "ambt.1's NOTES describes each of them")


def installed_files():
    """The names of the files Makefile.am installs beside the programs,
    the pages and the themes: the watcher's unit and autostart entry, the
    message catalogues and the shell completion."""
    with open(os.path.join(srcdir(), "Makefile.am"), encoding="utf-8") as f:
        text = f.read()
    names = set()
    for var in re.findall(r"^(?:\w*systemduserunit|\w*autostart|\w*zshcompletion"
                          r"|\w*msg)_DATA = (.*)$", text, flags=re.M):
        names |= {os.path.basename(v) for v in var.split()}
    if "completion/ambt.bash" in text:
        names.add("completions/ambt")
    return names


def check_files(t):
    files = installed_files()
    t.ok({"ambt-watch.service", "ambt-watch.desktop", "ambt.mo", "_ambt",
          "completions/ambt"} <= files, "installed files read from Makefile.am",
         sorted(files))
    text = unroff(sections(read_page("ambt.1"), "SH")["FILES"])
    t.eq(sorted(n for n in files if n not in text), [],
         "ambt.1's FILES names every file make install puts beside the programs")


def check_render(t):
    """The generated pages keep no template marker, and render."""
    for name in ("ambt.1", "ambt.conf.5"):
        page = read_page(name)
        t.ok(not re.search(r"@[A-Z]+@", page) and page.startswith(".\\\""),
             f"{name} has no template marker left")
    out = run(["groff", "-man", "-Tutf8", "-P-cbou", PAGES["ambt.1"]])
    text = re.sub("[\u2010\u2212]", "-", out.stdout)
    t.ok(out.returncode == 0 and "next-unread" in text and "EXIT STATUS" in text,
         "groff renders ambt.1 with its keys", out.stderr)


def main():
    t = Tap()
    with tempfile.TemporaryDirectory(prefix="ambt-man-") as tmp:
        env = no_config_env(tmp)
        t.run("lint", check_lint, t)
        t.run("keys", check_keys, t, env)
        t.run("commands", check_commands, t, env)
        t.run("settings", check_settings, t)
        t.run("config example", check_config_example, t, tmp)
        t.run("ambtd", check_ambtd, t, env)
        t.run("environment", check_environment, t)
        t.run("hidden options", check_hidden_options, t, env)
        t.run("files", check_files, t)
        t.run("render", check_render, t)
    t.done()


if __name__ == "__main__":
    main()
