#!/bin/sh
# bench/ambtd.sh: requests per second and p99 latency of ambtd under wrk.
#
#   bench/ambtd.sh [AMBTD] [--large N]
#
# AMBTD is the ambtd binary (default: ./ambtd in the current build
# directory). Starts it with the demo seed on a free loopback port and a
# temporary database, runs wrk for $DURATION (10s) with $CONNECTIONS (32)
# connections on $THREADS (2) threads against /latest.json and /t/{id}.json
# of the first seeded topic, and with --large N also against a topic of N
# posts. Build without sanitizers for figures worth quoting.
set -eu

ambtd=./ambtd
large=0
while [ $# -gt 0 ]; do
	case $1 in
	--large) large=$2; shift 2 ;;
	-h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) ambtd=$1; shift ;;
	esac
done
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-2}

for tool in wrk sqlite3; do
	command -v "$tool" >/dev/null || { echo "bench: $tool is needed" >&2; exit 1; }
done
[ -x "$ambtd" ] || { echo "bench: no ambtd at $ambtd" >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/ambtd-bench.XXXXXX")
pid=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

set -- --listen 127.0.0.1:0 --db "$tmp/forum.sqlite3" --seed demo
[ "$large" -gt 0 ] && set -- "$@" --large-topic "$large"
mkfifo "$tmp/out"
"$ambtd" "$@" >"$tmp/out" 2>/dev/null &
pid=$!
read -r line <"$tmp/out"
url=${line#listening on }
case $url in http://*) ;; *) echo "bench: ambtd did not start" >&2; exit 1 ;; esac

first=$(sqlite3 "$tmp/forum.sqlite3" \
	"SELECT min(id) FROM topics WHERE title NOT LIKE 'Een lang onderwerp%'")

# ambtd's CPU time so far (user + system), in clock ticks.
cpu_ticks() {
	awk '{ print $14 + $15 }' "/proc/$pid/stat"
}

# Requests/s and p99 latency, and the CPU time ambtd spent per request:
# the figure that does not depend on what else the machine is doing.
run() {
	printf '%-24s ' "$1"
	before=$(cpu_ticks)
	wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$url$1" \
		>"$tmp/wrk"
	after=$(cpu_ticks)
	awk -v ticks=$((after - before)) -v hz="$(getconf CLK_TCK)" '
		/requests in/ { n = $1 }
		/Requests\/sec/ { rps = $2 }
		/ 99%/ { p99 = $2 }
		/Non-2xx/ { bad = $NF }
		END { printf "%10s req/s   p99 %8s   %6.0f us CPU/req%s\n",
			     rps, p99, n ? ticks * 1e6 / hz / n : 0,
			     bad ? "   (" bad " non-2xx!)" : "" }' "$tmp/wrk"
}

echo "ambtd at $url: $THREADS wrk threads, $CONNECTIONS connections, $DURATION each"
# Cheapest first, and a pause between runs: requests still queued when
# wrk stops would otherwise count in the next run's latency.
run "/t/$first.json"
sleep 2
run /latest.json
sleep 2
if [ "$large" -gt 0 ]; then
	big=$(sqlite3 "$tmp/forum.sqlite3" \
		"SELECT id FROM topics WHERE title LIKE 'Een lang onderwerp%'")
	run "/t/$big.json"
fi
