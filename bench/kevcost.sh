#!/bin/sh
# bench/kevcost.sh - what the kernel event source's programs add to the
# syscalls and connections of the whole host (they run for every process):
# bench/syscost's ns per call with no programs, with all of them (kevdump)
# and without the syscall-exit one (kevdump -n, kernel-connect-errors =
# no); the least of RUNS runs each.  Root; in a network namespace of its
# own.  Prints a Markdown table (doc/kernel-events.md, "Cost").
#   BUILDDIR (build), RUNS (5)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
b=${BUILDDIR:-$top/build}
runs=${RUNS:-5}
if [ -z "${TS_IN_NETNS:-}" ]; then
	TS_IN_NETNS=1 exec unshare -n sh "$0" "$@"
fi
ip link set lo up
cost=$b/bench/syscost kevdump=$b/tests/tools/kevdump
for t in "$cost" "$kevdump"; do
	[ -x "$t" ] || { echo "kevcost: $t is not built (make bench/syscost tests/tools/kevdump)" >&2; exit 1; }
done
least() {	# least MODE N: the least ns/call of $runs runs
	for i in $(seq "$runs"); do "$cost" "$1" "$2" | awk '{ print $3 }'; done |
	    sort -n | head -1
}
column() {	# column: one figure per mode
	echo "$(least ok 2000000) $(least fail 2000000) $(least noroute 200000) $(least connect 20000)"
}
with() {	# with KEVDUMP-OPTIONS...: column with kevdump running
	"$kevdump" -N self "$@" >/dev/null 2>&1 &
	pid=$!
	sleep 3		# loaded and attached
	column
	kill "$pid"
	wait "$pid" || true
}
none=$(column)
all=$(with)
nosys=$(with -n)
echo "| ns per call | no programs | all programs | without connect-errors |"
echo "|---|---|---|---|"
set -- $none; a1=$1 a2=$2 a3=$3 a4=$4
set -- $all; b1=$1 b2=$2 b3=$3 b4=$4
set -- $nosys
echo "| getppid() (succeeds) | $a1 | $b1 | $1 |"
echo "| close(-1) (fails) | $a2 | $b2 | $2 |"
echo "| connect(), no route | $a3 | $b3 | $3 |"
echo "| loopback connection made and closed | $a4 | $b4 | $4 |"
