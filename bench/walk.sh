#!/bin/sh
# bench/walk.sh OUT - goal 5: what serving a walk costs tcpsleuthd against
# what serving tcpConnectionTable costs snmpd, in CPU per request, both
# ways an agent is reached.  In a network namespace of its own, all at
# once:
#  - a master snmpd on 127.0.0.1:11161 (its own tcpConnectionTable,
#    tcpListenerTable and tcpTable turned off with -I), and its two
#    subagents: a second snmpd (-X -I tcpConnectionTable) serving
#    tcpConnectionTable over BENCH_WALK_CONNS (5000) held loopback
#    connections (2 x 5000 + 1 rows, bench/holdconns), and tcpsleuthd
#    (-x) with BENCH_WALK_ROWS (10000) endpoint rows;
#  - without AgentX: a third snmpd serving tcpConnectionTable itself on
#    127.0.0.1:11164, and tcpsleuthd --listen udp:127.0.0.1:11163;
#  - both tcpsleuthd filled by the same refusals on ROWS ports.
# BENCH_WALK_ROUNDS (5) rounds, each a full snmpbulkwalk -Cr25 of each
# table each way, one after the other; around each walk, the CPU of every
# agent (/proc/PID/task/*/schedstat, first field: ns on a CPU, all
# threads; tcpsleuthd's two processes).  Per request: CPU / varbinds (the master sends one AgentX
# request per varbind of a GETBULK); the least of the rounds, and the
# range.  The ratios are taken round by round (walks one after the other
# on this shared machine), the verdict on their median.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/snmp.sh"
. "$TOP_SRCDIR/bench/verdict.sh"
out=$1
agent_test "$@"	# its namespace, $tmp, and the agents stopped on exit
conns=${BENCH_WALK_CONNS:-5000}
rows=${BENCH_WALK_ROWS:-10000}
rounds=${BENCH_WALK_ROUNDS:-5}
SA_PORT=11163 SD_PORT=11164
kev=$(kev_args) || exit 1
hpid= subpid= sdpid= sapid=
test_cleanup() {
	for p in $hpid $subpid $sdpid $sapid; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
}
TCPCONN=.1.3.6.1.2.1.6.19

# The master, without a tcpConnectionTable of its own.
snmpd_conf "$tmp"
mkdir -p "$tmp/persist" "$tmp/persist2" "$tmp/persist3" "$tmp/state"
SNMP_PERSISTENT_DIR="$tmp/persist" MIBS= snmpd -f -C -c "$tmp/snmpd.conf" \
    -I -tcpConnectionTable,tcpListenerTable,tcpTable -Lf "$tmp/snmpd.log" &
SNMPD_PID=$!
wait_for 10 registered_master || { echo "walk: snmpd did not start" >&2; exit 1; }
# snmpd's tcpConnectionTable as the master's subagent.
printf 'agentXSocket %s\n' "$tmp/agentx.sock" >"$tmp/sub.conf"
SNMP_PERSISTENT_DIR="$tmp/persist2" MIBS= snmpd -X -f -C -c "$tmp/sub.conf" \
    -I tcpConnectionTable -Lf "$tmp/sub.log" &
subpid=$!
# snmpd's tcpConnectionTable served directly, no AgentX.
printf 'agentaddress udp:127.0.0.1:%s\nrocommunity public 127.0.0.1\n' \
    $SD_PORT >"$tmp/direct.conf"
SNMP_PERSISTENT_DIR="$tmp/persist3" MIBS= snmpd -f -C -c "$tmp/direct.conf" \
    -I tcpConnectionTable -Lf "$tmp/direct.log" &
sdpid=$!
"$TOP_BUILDDIR/bench/holdconns" 7000 "$conns" >"$tmp/hold" &
hpid=$!
wait_for 60 grep -q ready "$tmp/hold" || { echo "walk: connections not up" >&2; exit 1; }
# tcpsleuthd, as the master's subagent and as an agent of its own.
"$TCPSLEUTHD" $kev -f -x "$tmp/agentx.sock" --rows "$rows" \
    --control-socket "$tmp/control" >"$tmp/sleuthd.log" 2>&1 &
SLEUTHD_PID=$!
"$TCPSLEUTHD" $kev -f --listen udp:127.0.0.1:$SA_PORT --community public \
    --state-dir "$tmp/state" --rows "$rows" \
    --control-socket "$tmp/control2" >"$tmp/sleuthd2.log" 2>&1 &
sapid=$!
wait_for 10 capturing || { echo "walk: tcpsleuthd is not capturing" >&2; exit 1; }
sa_get() { snmpget -v2c -c public -On -Oqv -t 1 -r 1 127.0.0.1:$SA_PORT "$@" 2>/dev/null; }
sa_capturing() { [ "$(sa_get $MIB.1.3.1.0)" = 1 ]; }
wait_for 10 sa_capturing || { echo "walk: the standalone tcpsleuthd is not capturing" >&2; exit 1; }
"$TOP_BUILDDIR/bench/refuser" 127.0.0.1 "20000-$((20000 + rows - 1))" 1 >/dev/null 2>&1
full() { [ "$(get $MIB.1.3.8.0)" = "$rows" ] && [ "$(sa_get $MIB.1.3.8.0)" = "$rows" ]; }
wait_for 20 full || { echo "walk: the tables did not fill" >&2; exit 1; }
up() { [ -n "$(snmpgetnext -v2c -c public -On -Oqv -t 2 127.0.0.1:$1 $TCPCONN.1.7 2>/dev/null | grep -v -i 'no such')" ]; }
wait_for 20 up $SNMP_PORT || { echo "walk: the snmpd subagent serves nothing" >&2; exit 1; }
wait_for 20 up $SD_PORT || { echo "walk: the direct snmpd serves nothing" >&2; exit 1; }

# cpu PID: the agent, both processes of tcpsleuthd (verdict.sh);
# cpu_main PID: tcpsleuthd's SNMP process alone (its child).
cpu() { cpu_ns "$1"; }
cpu_main() { set -- $(proc_tree "$1"); [ $# -gt 1 ] && task_ns "$2" || echo 0; }
# walk NAME PORT OID [TIMES]: TIMES (1) full bulk walks in a row;
# appends "NAME round varbinds ms agent_ns master_ns snmpproc_ns" to
# $tmp/walks, summed over them, the agent the one that serves it (for
# tcpsleuthd both its processes, and its SNMP process alone).
walk() {
	case $1 in
	tc-sub) p=$subpid ;; ep-sub) p=$SLEUTHD_PID ;;
	tc-direct) p=$sdpid ;; ep-direct) p=$sapid ;;
	esac
	a0=$(cpu $p) m0=$(cpu $SNMPD_PID) t0=$(cpu_main $p) s=$(date +%s%N) n=0
	for _k in $(seq "${4:-1}"); do
		n=$((n + $(snmpbulkwalk -v2c -c public -On -Cr25 -t 30 -r 0 127.0.0.1:$2 $3 \
		    2>/dev/null | grep -c .)))
	done
	e=$(date +%s%N) a1=$(cpu $p) m1=$(cpu $SNMPD_PID) t1=$(cpu_main $p)
	echo "$1 $round $n $(((e - s) / 1000000)) $((a1 - a0)) $((m1 - m0)) $((t1 - t0))" >>"$tmp/walks"
}
# Idle: what each tcpsleuthd spends unwalked (capture thread: the poll
# every second and the snapshot of ROWS rows it makes).
sleep 2
i0=$(cpu $SLEUTHD_PID) j0=$(cpu $sapid)
sleep 10
idle_sub=$(awk -v a="$i0" -v b="$(cpu $SLEUTHD_PID)" 'BEGIN { printf "%.1f", (b - a) / 1e6 / 10 }')
idle_sa=$(awk -v a="$j0" -v b="$(cpu $sapid)" 'BEGIN { printf "%.1f", (b - a) / 1e6 / 10 }')
: >"$tmp/walks"
# snmpd's table walked as many times as make about the endpoint table's
# varbinds, so both are measured over as many requests and as long.
# (A first walk of each, directly, counts them; it also warms up.)
vb() { snmpbulkwalk -v2c -c public -On -Cr25 -t 30 -r 0 127.0.0.1:$1 $2 2>/dev/null | grep -c .; }
ep_vb=$(vb $SA_PORT $EP) tc_vb=$(vb $SD_PORT $TCPCONN)
tc_times=$(( (ep_vb + tc_vb - 1) / (tc_vb > 0 ? tc_vb : 1) ))
for round in $(seq "$rounds"); do
	echo "walk: round $round of $rounds" >&2
	walk tc-sub $SNMP_PORT $TCPCONN $tc_times
	walk ep-sub $SNMP_PORT $EP
	walk tc-direct $SD_PORT $TCPCONN $tc_times
	walk ep-direct $SA_PORT $EP
done
cp "$tmp/walks" "${BENCH_WALK_KEEP:-/dev/null}" 2>/dev/null || :

# fig NAME FIELD: the least of the rounds' FIELD per varbind, in µs, and
# the range ("least (least-most)"); FIELD 5 the agent, 6 the master, 7
# tcpsleuthd's SNMP process; least NAME FIELD: the least alone.
least() { awk -v k="$1" -v f="$2" '$1 == k && $3 > 0 { v = $f / $3 / 1000
	if (!n++ || v < lo) lo = v } END { printf "%.1f", lo }' "$tmp/walks"; }
fig() { awk -v k="$1" -v f="$2" '$1 == k && $3 > 0 { v = $f / $3 / 1000
	if (!n++ || v < lo) lo = v; if (n == 1 || v > hi) hi = v }
	END { printf "%.1f (%.1f–%.1f)", lo, lo, hi }' "$tmp/walks"; }
# what NAME: "varbinds | ms least-most" of its walks (a round's).
what() { awk -v k="$1" '$1 == k { n = $3; if (!c++ || $4 < lo) lo = $4; if (c == 1 || $4 > hi) hi = $4 }
	END { printf "%d | %d–%d", n, lo, hi }' "$tmp/walks"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
# rr A B FIELD: A's FIELD per varbind over B's agent CPU per varbind,
# round by round: "median (least–most)".
rr() { awk -v a="$1" -v b="$2" -v f="$3" '$3 > 0 && $1 == a { x[$2] = $f / $3 }
	$3 > 0 && $1 == b { y[$2] = $5 / $3 }
	END { for (r in x) if (y[r] > 0) v[n++] = x[r] / y[r]
	    for (i = 0; i < n; i++) for (j = i + 1; j < n; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
	    m = n % 2 ? v[(n - 1) / 2] : (v[n / 2 - 1] + v[n / 2]) / 2
	    printf "%.2f (%.2f–%.2f)", m, v[0], v[n - 1] }' "$tmp/walks"; }
med() { echo "$1" | cut -d' ' -f1; }
r_ax=$(rr ep-sub tc-sub 5) r_sa=$(rr ep-direct tc-direct 5)
r_ax_t=$(rr ep-sub tc-sub 7) r_sa_t=$(rr ep-direct tc-direct 7)
cols=$(awk -v r="$rows" '$1 == "ep-sub" { print int($3 / r); exit }' "$tmp/walks")
full_sub=$(awk '$1 == "ep-sub" { if (!c++ || $4 < lo) lo = $4 } END { printf "%.1f", lo / 1000 }' "$tmp/walks")
full_sa=$(awk '$1 == "ep-direct" { if (!c++ || $4 < lo) lo = $4 } END { printf "%.1f", lo / 1000 }' "$tmp/walks")

cat >"$out" <<MD
## Goal 5. SNMP: CPU per request, tcpsleuthd against snmpd's tcpConnectionTable

\`bench/walk.sh\`, in a network namespace of its own, all running at
once (source: ${BENCH_SOURCE:-pcap}):

- through AgentX: a master \`snmpd -f -C -c CONF -I
  -tcpConnectionTable,tcpListenerTable,tcpTable\` on 127.0.0.1:$SNMP_PORT
  with two subagents, \`snmpd -X -f -C -c SUBCONF -I tcpConnectionTable\`
  (snmpd's own tcpConnectionTable over $conns held loopback connections,
  \`bench/holdconns 7000 $conns\`: $((2 * conns + 1)) rows) and
  \`tcpsleuthd $kev -f -x SOCKET --rows $rows --control-socket PATH\`;
- without AgentX: \`snmpd -f -C -c CONF -I tcpConnectionTable\` serving
  it on 127.0.0.1:$SD_PORT, and \`tcpsleuthd $kev -f --listen
  udp:127.0.0.1:$SA_PORT --community public --state-dir DIR --rows $rows
  --control-socket PATH2\`;
- both tcpsleuthd filled by \`bench/refuser 127.0.0.1 20000-$((20000 + rows - 1)) 1\`:
  $rows endpoint rows each.

$rounds rounds, each, in turn, through the master then directly:
\`snmpbulkwalk -v2c -c public -Cr25\` of tcpConnectionTable ($TCPCONN)
$tc_times times in a row (about as many requests as the other) and one
full walk of tcpsleuthEpTable ($EP, all $cols columns).  CPU: the serving agent's
\`/proc/PID/task/*/schedstat\` (ns on a CPU, every thread; for tcpsleuthd
both its processes, the capture process and its child the SNMP process)
before and after each walk, over the walk's varbinds.  The master turns each
repetition of a GETBULK into one AgentX request, so through the master
a varbind is an AgentX request.  The least of the rounds (the range in
brackets), µs:

| walk | varbinds | wall ms | serving agent's CPU per request | its SNMP process alone | the master's CPU per varbind |
|---|---|---|---|---|---|
| tcpConnectionTable through the master (snmpd -X) | $(what tc-sub) | $(fig tc-sub 5) | | $(fig tc-sub 6) |
| tcpsleuthEpTable through the master (tcpsleuthd -x) | $(what ep-sub) | $(fig ep-sub 5) | $(fig ep-sub 7) | $(fig ep-sub 6) |
| tcpConnectionTable, snmpd directly | $(what tc-direct) | $(fig tc-direct 5) | | |
| tcpsleuthEpTable, tcpsleuthd --listen | $(what ep-direct) | $(fig ep-direct 5) | $(fig ep-direct 7) | |

| | tcpsleuthd ÷ snmpd | goal | |
|---|---|---|---|
| CPU per AgentX request, through the same master | **$r_ax ×** (SNMP process alone: $r_ax_t ×) | ≤ 1.5 × | $(met_le "$(med "$r_ax")" 1.5) |
| CPU per varbind of a walk, standalone against snmpd directly | **$r_sa ×** (SNMP process alone: $r_sa_t ×) | ≤ 1.2 × | $(met_le "$(med "$r_sa")" 1.2) |

The ratios are taken round by round, each from the two walks made one
after the other, and given as the median of the $rounds rounds (the
range in brackets): on this shared, loaded machine one walk's CPU per
request varies by half again or more from round to round (a busy core,
caches), more than the two agents differ.

A full walk of the $rows-row endpoint table ($cols columns): $full_sub s
through the master, $full_sa s standalone (wall, the fastest round).
Unwalked, each tcpsleuthd spends CPU on its capture process's poll and
the snapshot of $rows rows it makes and hands to the SNMP process every
second: $idle_sub ms/s (subagent),
$idle_sa ms/s (standalone), counted in its figures above.
MD
echo "walk: done" >&2
