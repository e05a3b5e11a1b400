#!/bin/sh
# bench/walk.sh OUT - part 4: the cost of walking through the same AgentX
# hop.  In a network namespace of its own: a master snmpd (its own
# tcpConnectionTable turned off with -I), a second snmpd as an AgentX
# subagent (-X) serving tcpConnectionTable over BENCH_WALK_CONNS (5000)
# held loopback connections (2 x 5000 + 1 rows), and tcpsleuthd with
# BENCH_WALK_ROWS (10000) endpoint rows (refusals on as many ports).
# snmpbulkwalk -Cr25 of two columns of each, best of 3: time per varbind.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/snmp.sh"
. "$TOP_SRCDIR/bench/verdict.sh"
out=$1
agent_test "$@"	# its namespace, $tmp, and the agents stopped on exit
conns=${BENCH_WALK_CONNS:-5000}
rows=${BENCH_WALK_ROWS:-10000}
hpid= subpid=
test_cleanup() {
	for p in $hpid $subpid; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
}
TCPCONN=.1.3.6.1.2.1.6.19.1

snmpd_conf "$tmp"
mkdir -p "$tmp/persist" "$tmp/persist2"
SNMP_PERSISTENT_DIR="$tmp/persist" MIBS= snmpd -f -C -c "$tmp/snmpd.conf" \
    -I -tcpConnectionTable,tcpListenerTable,tcpTable -Lf "$tmp/snmpd.log" &
SNMPD_PID=$!
wait_for 10 registered_master || { echo "walk: snmpd did not start" >&2; exit 1; }
printf 'agentXSocket %s\n' "$tmp/agentx.sock" >"$tmp/sub.conf"
SNMP_PERSISTENT_DIR="$tmp/persist2" MIBS= snmpd -X -f -C -c "$tmp/sub.conf" \
    -I tcpConnectionTable -Lf "$tmp/sub.log" &
subpid=$!
"$TOP_BUILDDIR/bench/holdconns" 7000 "$conns" >"$tmp/hold" &
hpid=$!
wait_for 60 grep -q ready "$tmp/hold" || { echo "walk: connections not up" >&2; exit 1; }
"$TCPSLEUTHD" -f -x "$tmp/agentx.sock" --rows "$rows" \
    --control-socket "$tmp/control" >"$tmp/sleuthd.log" 2>&1 &
SLEUTHD_PID=$!
wait_for 10 capturing || { echo "walk: tcpsleuthd is not capturing" >&2; exit 1; }
"$TOP_BUILDDIR/bench/refuser" 127.0.0.1 "20000-$((20000 + rows - 1))" 1 >/dev/null 2>&1
full() { [ "$(get $MIB.1.3.8.0)" = "$rows" ]; }
wait_for 20 full || { echo "walk: the table did not fill" >&2; exit 1; }
sub_up() { [ -n "$(snmpgetnext -v2c -c public -On -Oqv -t 2 127.0.0.1:$SNMP_PORT $TCPCONN.7 2>/dev/null | grep -v -i 'no such')" ]; }
wait_for 20 sub_up || { echo "walk: the snmpd subagent serves nothing" >&2; exit 1; }

# best OID...: "seconds varbinds" of the fastest of 3 bulk walks.
best() {
	for i in 1 2 3; do
		s=$(date +%s%N)
		n=$(snmpbulkwalk -v2c -c public -On -Cr25 -t 30 -r 0 127.0.0.1:$SNMP_PORT "$@" \
		    2>/dev/null | grep -c .)
		e=$(date +%s%N)
		echo "$(( (e - s) / 1000000 )) $n"
	done | sort -n | head -1
}
echo "walk: walking" >&2
set -- $(best $TCPCONN.7) ; tc_ms=$1 tc_n=$2
set -- $(best $TCPCONN.8) ; tc2_ms=$1 tc2_n=$2
set -- $(best $EP.14) ; ep_ms=$1 ep_n=$2
set -- $(best $EP.23) ; ep2_ms=$1 ep2_n=$2
set -- $(best $EP) ; all_ms=$1 all_n=$2
per() { awk -v ms="$1" -v n="$2" 'BEGIN { printf "%.1f", (n > 0 ? ms * 1000 / n : 0) }'; }
tc_per=$(per $((tc_ms + tc2_ms)) $((tc_n + tc2_n)))
ep_per=$(per $((ep_ms + ep2_ms)) $((ep_n + ep2_n)))
ratio=$(awk -v a="$ep_per" -v b="$tc_per" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
goal=$(met_le "$ratio" 1.2)
all_per=$(per "$all_ms" "$all_n")

cat >"$out" <<MD
## Goal 5. SNMP walk cost through the same AgentX hop

(Last round's measurement, run again; issue 13's goal 5, per AgentX
request against snmpd's own, is for the next round.)

\`bench/walk.sh\`, in a network namespace of its own: a master snmpd
(\`-I -tcpConnectionTable,tcpListenerTable,tcpTable\`), snmpd's own
tcpConnectionTable served by a second \`snmpd -X -I tcpConnectionTable\`
as its AgentX subagent over $conns held loopback connections
(\`bench/holdconns\`: $((2 * conns)) connection rows and the listener),
and tcpsleuthd with \`--rows $rows\` filled by refusals on $rows ports.
\`snmpbulkwalk -v2c -Cr25\` through the master, fastest of 3.

| walk | varbinds | ms | µs per varbind |
|---|---|---|---|
| tcpConnectionState (snmpd -X) | $tc_n | $tc_ms | $(per "$tc_ms" "$tc_n") |
| tcpConnectionProcess (snmpd -X) | $tc2_n | $tc2_ms | $(per "$tc2_ms" "$tc2_n") |
| tcpsleuthEpFailures | $ep_n | $ep_ms | $(per "$ep_ms" "$ep_n") |
| tcpsleuthEpRate1 | $ep2_n | $ep2_ms | $(per "$ep2_ms" "$ep2_n") |
| the whole tcpsleuthEpTable (all $(( all_n / (rows > 0 ? rows : 1) )) columns) | $all_n | $all_ms | $all_per |

Per varbind, two columns each: tcpsleuth $ep_per µs, snmpd $tc_per µs:
**$ratio ×** (goal ≤ 1.2 ×: $goal).  A full walk of the endpoint table
with its $rows rows takes $(awk -v ms="$all_ms" 'BEGIN { printf "%.1f", ms / 1000 }') s.
MD
echo "walk: done" >&2
