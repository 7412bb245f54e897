#!/bin/sh
# bench/tui.sh: the reader on a mega topic, driven in tmux.
#
#   bench/tui.sh [BUILDDIR] [--runs N] [--walk] [--wrap time|massif|memcheck]
#
# BUILDDIR (default: .) is a built tree (ambt and ambtd). Each run starts
# its ambtd with the demo seed and --large-topic 10000, opens that topic
# from ambt's start page and prints the time from Enter to the first
# frame that shows a post, from G to the frame that shows post 10,000, and
# ambt's peak RSS (VmHWM) and CPU time; then median [min..max] of the runs
# (5). --walk pages through every post as well; --wrap runs one session
# under /usr/bin/time -v, valgrind's massif or memcheck. The rest of the
# options: bench/tui_bench.py --help. Use a build without
# --enable-sanitizers for figures worth quoting.
set -eu

build=.
case ${1:-} in -*|'') ;; *) build=$1; shift ;; esac
src=$(cd "$(dirname "$0")/.." && pwd)
case " $* " in *" -h "*|*" --help "*)
	top_srcdir=$src exec python3 "$src/bench/tui_bench.py" --help ;;
esac

for tool in tmux python3; do
	command -v "$tool" >/dev/null || { echo "bench: $tool is needed" >&2; exit 1; }
done
if ! [ -x "$build/ambt" ] || ! [ -x "$build/ambtd" ]; then
	echo "bench: build ambt and ambtd in $build first" >&2
	exit 1
fi
if grep -Eq '^(AM_)?CFLAGS = .*-fsanitize' "$build/Makefile" 2>/dev/null; then
	echo "bench: note: $build has sanitizers on" >&2
fi

echo "# $(uptime)"
top_builddir=$(cd "$build" && pwd) top_srcdir=$src \
	python3 "$src/bench/tui_bench.py" "$@"
echo "# $(uptime)"
