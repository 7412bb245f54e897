#!/bin/sh
# bench/render.sh: the renderer's throughput beside w3m -dump.
#
#   bench/render.sh [BUILDDIR] [MEGABYTES]
#
# BUILDDIR (default: .) is a configured and built tree (ambtd and
# src/libambt.a). Starts its ambtd with the demo seed and a topic of 10,000
# posts, fetches the cooked HTML of every post of every topic, repeats it
# into one file of MEGABYTES (8) MB, then renders that file as one post
# with bench/render_bench (compiled here with the tree's flags) and dumps
# it with w3m -dump, both at 80 columns, and prints MB/s for each. Use a
# build without --enable-sanitizers for figures worth quoting.
set -eu

build=${1:-.}
megabytes=${2:-8}
src=$(cd "$(dirname "$0")/.." && pwd)

command -v w3m >/dev/null || apt-get install -y w3m >/dev/null
for tool in w3m python3 pkg-config; do
	command -v "$tool" >/dev/null || { echo "bench: $tool is needed" >&2; exit 1; }
done
[ -x "$build/ambtd" ] && [ -f "$build/src/libambt.a" ] ||
	{ echo "bench: build ambtd and src/libambt.a in $build first" >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/render-bench.XXXXXX")
pid=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

# The tree's compiler and flags, so a sanitizer build links as well.
cc=$(sed -n 's/^CC = //p' "$build/Makefile")
cflags="$(sed -n 's/^AM_CFLAGS = //p' "$build/Makefile") $(sed -n 's/^CFLAGS = //p' "$build/Makefile")"
case $cflags in *sanitize*) echo "bench: note: $build has sanitizers on" >&2 ;; esac
# shellcheck disable=SC2086
$cc $cflags -I"$src/include" -I"$build" $(pkg-config --cflags libxml-2.0) \
	"$src/bench/render_bench.c" "$build/src/libambt.a" \
	$(pkg-config --libs libxml-2.0) -o "$tmp/render_bench"

mkfifo "$tmp/out"
"$build/ambtd" --listen 127.0.0.1:0 --db "$tmp/forum.sqlite3" --seed demo \
	--large-topic 10000 >"$tmp/out" 2>/dev/null &
pid=$!
read -r line <"$tmp/out"
url=${line#listening on }
case $url in http://*) ;; *) echo "bench: ambtd did not start" >&2; exit 1 ;; esac

# Every post's cooked, topic by topic, paged by post number (as mega
# topics are), then repeated to the size asked for.
python3 - "$url" "$megabytes" "$tmp/posts.html" <<'PY'
import json, sys, urllib.request
url, megabytes, out = sys.argv[1], float(sys.argv[2]), sys.argv[3]
def get(path):
    with urllib.request.urlopen(url + path, timeout=60) as r:
        return json.loads(r.read())
cooked = []
for topic in get("/latest.json?per_page=100")["topic_list"]["topics"]:
    last = 0
    while True:
        posts = get(f"/t/{topic['id']}/posts.json?post_number={last}&asc=true")
        posts = posts["post_stream"]["posts"]
        if not posts:
            break
        cooked += [p["cooked"] for p in posts]
        last = posts[-1]["post_number"]
one = "\n<hr>\n".join(cooked)
with open(out, "w", encoding="utf-8") as f:
    size = 0
    while size < megabytes * 1e6:
        f.write(one + "\n")
        size += len(one.encode()) + 1
print(f"input        {size / 1e6:8.2f} MB  ({len(cooked)} posts, repeated)")
PY

"$tmp/render_bench" "$tmp/posts.html" 80 3

bytes=$(wc -c <"$tmp/posts.html")
start=$(date +%s.%N)
w3m -dump -T text/html -cols 80 -O UTF-8 -I UTF-8 "$tmp/posts.html" >"$tmp/w3m.txt"
end=$(date +%s.%N)
echo "$bytes $start $end $(wc -l <"$tmp/w3m.txt")" | awk '{ t = $3 - $2;
	printf "w3m -dump    %8.2f MB/s  (%.2f MB in %.3f s, %d lines)\n",
	       $1 / 1e6 / t, $1 / 1e6, t, $4 }'
